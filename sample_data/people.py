"""Sample people: someone for every role, so the demo and the sign-in tests have people to be.

Built from the generated portfolio (pure pandas, deterministic like the rest):

* ``leadership@example.org``: leadership (the whole organisation);
* ``rd.<region code>@example.org``: the regional director of every region with a project;
* ``com.<iso3>@example.org``: the chief of mission of every country office managing a project
  (named as in ``country_offices.chief_of_mission``);
* ``<first>.<last>@example.org``: every programme manager, with an empty scope: their projects
  are those naming them as ``manager``;
* the chief of mission of the first office also manages one project of another office (a second
  row, programme_manager, with that project's code): they see the union;
* ``former.staff@example.org``: an inactive chief of mission (sees nothing).

Everyone receives the alerts digest weekly, the default (docs/follow-up.md); the demo person
changes theirs in the sidebar.

Emails are lower-case ASCII (``example.org`` is reserved for examples: no real mailbox).
"""

from __future__ import annotations

import unicodedata

import pandas as pd

DOMAIN = "example.org"
LEADERSHIP_EMAIL = f"leadership@{DOMAIN}"
INACTIVE_EMAIL = f"former.staff@{DOMAIN}"


def email_of(name: str) -> str:
    """``Tomás García`` -> ``tomas.garcia@example.org``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    local = ".".join(part for part in "".join(c if c.isalnum() else " " for c in ascii_name).lower().split())
    return f"{local}@{DOMAIN}"


def build_people(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The ``people`` frame for generated ``regions``, ``countries``, ``country_offices`` and ``projects``."""
    projects, offices = frames["projects"], frames["country_offices"]
    countries = frames["countries"].set_index("id")
    regions = frames["regions"].set_index("id")
    managing = offices.set_index("id").loc[sorted(projects["managing_office_id"].unique())]
    rows: list[dict] = [
        {"email": LEADERSHIP_EMAIL, "name": "Director General", "role": "leadership", "scope": None, "active": True}
    ]
    region_ids = sorted(countries.loc[managing["country_id"], "region_id"].unique())
    for region_id in region_ids:
        code = regions.loc[region_id, "code"]
        rows.append(
            {
                "email": f"rd.{code.lower()}@{DOMAIN}",
                "name": f"Regional director, {code}",
                "role": "regional_director",
                "scope": code,
                "active": True,
            }
        )
    for _, office in managing.iterrows():
        iso3 = countries.loc[office["country_id"], "iso3"]
        rows.append(
            {
                "email": f"com.{iso3.lower()}@{DOMAIN}",
                "name": office["chief_of_mission"],
                "role": "chief_of_mission",
                "scope": iso3,
                "active": True,
            }
        )
    for manager in sorted(projects["manager"].dropna().unique()):
        rows.append(
            {"email": email_of(manager), "name": manager, "role": "programme_manager", "scope": None, "active": True}
        )
    first_office = managing.index[0]
    elsewhere = projects.loc[projects["managing_office_id"] != first_office, "code"].sort_values()
    if len(elsewhere):
        first_chief = rows[1 + len(region_ids)]
        rows.append({**first_chief, "role": "programme_manager", "scope": elsewhere.iloc[0]})
    first_iso3 = countries.loc[managing.iloc[0]["country_id"], "iso3"]
    rows.append(
        {
            "email": INACTIVE_EMAIL,
            "name": "Former staff",
            "role": "chief_of_mission",
            "scope": first_iso3,
            "active": False,
        }
    )
    people = pd.DataFrame(rows).assign(digest="weekly")
    people.insert(0, "id", range(1, len(people) + 1))
    return people
