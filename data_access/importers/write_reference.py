"""What a scope below leadership may not write although the project is its own (issue 10 item 6).

``write_scope`` decides *which projects* an import may touch. Two kinds of value in a writable
project row still reach beyond the asker's office, and are leadership's:

* **Organisation-wide reference data.** A country, a donor (and with a new country its place under
  a regional office) that is not stored yet would be created for the whole organisation: every
  office then sees it in its lists and figures. Under a narrower scope a new ISO3 code in
  ``managing_country``, ``countries`` or ``country_percentages`` and a new donor name in ``donors``,
  ``funding_agreements.donor`` or ``incoming_funds.donor`` is refused, naming the value; the file
  can use a stored name (a typo is the common case) or leadership adds it. Exchange rates are
  refused by ``write_scope`` already.
* **Other countries' shares of a project.** ``countries`` and ``country_percentages`` place a
  project's budget and results in countries; another country's share appears in that country's
  figures (a chief of mission put 99% of a USD 40M Kenyan budget into Afghanistan's). An import
  under a narrower scope may set the shares of its own countries (the scope's countries and the
  project's managing country) but must leave every other country's as stored: not added, not
  removed, not changed. A new project can therefore name only the asker's own countries;
  leadership adds the others.

The rows are refused through ``write_scope``'s refusals (one error per project and reason, at its
first row, with the value), so nothing is written. Leadership (the organisation scope) is never
checked here: ``write_scope.check_write_scope`` returns before calling this module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access import models as m
from data_access.importers.validate import Validated, ValidRow

if TYPE_CHECKING:
    from data_access.importers.write_scope import WriteScope

DONOR_COLUMNS = (("projects", "donors"), ("funding_agreements", "donor"), ("incoming_funds", "donor"))


def check_reference_and_shares(session: Session, validated: Validated, rules: WriteScope, refused: Any) -> None:
    """Refuse new reference data and changes to other countries' shares (see the module docstring)."""
    _new_countries(validated, rules, refused)
    _new_donors(session, validated, rules, refused)
    _other_countries_shares(session, validated, rules, refused)


def _leadership_only(rules: WriteScope, what: str) -> str:
    return f"{what}; as {rules.who} you cannot add organisation-wide reference data: use a stored one or ask leadership"


def _new_countries(validated: Validated, rules: WriteScope, refused: Any) -> None:
    stored = set(rules.country_names)
    for r in validated.rows("projects"):
        for column, codes in _country_codes(r).items():
            for code in codes:
                if code not in stored:
                    refused.add(
                        "projects",
                        r.source,
                        column,
                        code,
                        _leadership_only(rules, f"{code} is not a country of the organisation yet"),
                    )


def _country_codes(r: ValidRow) -> dict[str, list[str]]:
    model = r.model
    out: dict[str, list[str]] = {"managing_country": [model.managing_country]}
    if r.has("countries"):
        out["countries"] = [c.upper() for c in model.countries or ()]
    if r.has("country_percentages"):
        out["country_percentages"] = [c.upper() for c, _ in model.country_percentages or ()]
    return out


def _new_donors(session: Session, validated: Validated, rules: WriteScope, refused: Any) -> None:
    named = [
        (name, r, column, donor)
        for name, column in DONOR_COLUMNS
        for r in validated.rows(name)
        if r.has(column)
        for donor in (r.model.donors or () if column == "donors" else (r.model.donor,))
        if donor
    ]
    if not named:
        return
    stored = set(session.scalars(select(m.Donor.name)))
    for name, r, column, donor in named:
        if donor not in stored:
            refused.add(
                name,
                r.source,
                column,
                donor,
                _leadership_only(rules, f"{donor!r} is not a donor of the organisation yet"),
            )


def _stored_shares(session: Session, codes: list[str]) -> dict[str, dict[str, float | None]]:
    shares: dict[str, dict[str, float | None]] = {}
    for code, iso3, percentage in session.execute(
        select(m.Project.code, m.Country.iso3, m.ProjectCountry.percentage)
        .join(m.ProjectCountry, m.ProjectCountry.project_id == m.Project.id)
        .join(m.Country, m.ProjectCountry.country_id == m.Country.id)
        .where(m.Project.code.in_(codes))
    ):
        shares.setdefault(code, {})[iso3] = percentage
    return shares


def _file_shares(r: ValidRow) -> dict[str, float | None]:
    """The countries and percentages a project row sets (percentages as numbers; None: not given)."""
    shares: dict[str, float | None] = {}
    if r.has("countries"):
        shares.update(dict.fromkeys((c.upper() for c in r.model.countries or ()), None))
    if r.has("country_percentages"):
        shares.update({c.upper(): float(p) for c, p in r.model.country_percentages or ()})
    return shares


def _other_countries_shares(session: Session, validated: Validated, rules: WriteScope, refused: Any) -> None:
    rows = [r for r in validated.rows("projects") if r.has("countries") or r.has("country_percentages")]
    if not rows:
        return
    stored = _stored_shares(session, sorted({r.model.project_code for r in rows}))
    for r in rows:
        code = r.model.project_code
        own = set(rules.countries) | {r.model.managing_country}
        before = {c: p for c, p in stored.get(code, {}).items() if c not in own}
        after = {c: p for c, p in _file_shares(r).items() if c not in own}
        if not r.has("country_percentages"):  # countries alone: percentages are left as stored
            before = dict.fromkeys(before)
            after = dict.fromkeys(after)
        for country in sorted(set(before) | set(after)):
            if country in before and country in after and _same(before[country], after[country]):
                continue
            was = _share_text(before, country)
            now = _share_text(after, country)
            column = "country_percentages" if r.has("country_percentages") else "countries"
            refused.add(
                "projects",
                r.source,
                column,
                f"{country}:{after[country]:g}" if after.get(country) is not None else country,
                f"{code} would give {rules.country(country)} {now} (stored: {was}), which changes another office's "
                f"figures; as {rules.who} you can set only the shares of your own countries: leave "
                f"{rules.country(country)} as stored, or ask leadership",
            )


def _same(a: float | None, b: float | None) -> bool:
    return a == b or (a is not None and b is not None and abs(a - b) < 1e-9)


def _share_text(shares: dict[str, float | None], country: str) -> str:
    if country not in shares:
        return "no share"
    value = shares[country]
    return "a share" if value is None else f"{value:g}%"
