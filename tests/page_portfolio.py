"""A small hand-built portfolio for the page tests: every number on it can be computed by hand.

Two regions, three countries, five projects, all USD, 2024-01-01 → 2025-12-31 (730 days):

=========  =========  ======  =======  ======  =================================  =====  =====
project    country    region  manager  status  indicator (level, 0 → 100)         budget  spent
=========  =========  ======  =======  ======  =================================  =====  =====
PX.A1      QAA Alpha  RA      Ann      active  50 for 2024-07-01..2024-12-31       1,000    500
PX.A2      QAA Alpha  RA      Bob      active  10 for the same period              2,000    200
PX.B1      QBB Beta   RA      Ann      active  60                                  4,000  1,000
PX.C1      QCC Gamma  RB      Cid      active  55                                  8,000  4,000
PX.C2      QCC Gamma  RB      Cid      closed  (no indicator)                      1,000  1,000
=========  =========  ======  =======  ======  =================================  =====  =====

As of **2025-01-01** the indicators are judged at the reporting cut-off 2024-12-31, the end of the
period reported (DOMAIN.md 2.1; elapsed 365/730 = 0.5, linear path, no milestones): progress 0.5 / 0.1
/ 0.6 / 0.55 → ratio 1.0 / 0.2 / 1.2 / 1.1 → A1 on track, **A2 off track**, B1 and C1 on track. As of
**2024-06-01** no period has started yet: judged at 2024-05-02 (D − 30 days; elapsed 122/730 = 16.7%),
every indicator is ``no_data`` and no project has a results status (``not_assessable``). All spending
is booked in June 2024.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session

from data_access import models as m
from data_access.db import dispose_engine, get_engine, upgrade
from tests import factories as f

AS_OF = dt.date(2025, 1, 1)
BEFORE_ANY_ACTUAL = dt.date(2024, 6, 1)
START, END = dt.date(2024, 1, 1), dt.date(2025, 12, 31)

PROJECTS = {
    # code: (country, manager, status, actual, budget, spent, thematic area, donor)
    "PX.A1": ("QAA", "Ann", "active", 50.0, 1000.0, 500.0, "Health", "Donor One"),
    "PX.A2": ("QAA", "Bob", "active", 10.0, 2000.0, 200.0, "Return", "Donor Two"),
    "PX.B1": ("QBB", "Ann", "active", 60.0, 4000.0, 1000.0, "Health", "Donor One"),
    "PX.C1": ("QCC", "Cid", "active", 55.0, 8000.0, 4000.0, "Return", "Donor Two"),
    "PX.C2": ("QCC", "Cid", "closed", None, 1000.0, 1000.0, "Return", "Donor Two"),
}
REGION_OF = {"QAA": "RA", "QBB": "RA", "QCC": "RB"}


def build(session: Session) -> None:
    regions = {code: f.make_region(session, code=code, name=f"Region {code[-1]}") for code in ("RA", "RB")}
    names = {"QAA": "Alpha", "QBB": "Beta", "QCC": "Gamma"}
    offices = {
        iso: f.make_country_office(session, f.make_country(session, regions[REGION_OF[iso]], iso3=iso, name=names[iso]))
        for iso in names
    }
    donors = {name: f.make_donor(session, name=name) for name in ("Donor One", "Donor Two")}
    f.make_fx_rate(session, currency="USD", rate_date=dt.date(2020, 1, 1), usd_rate=1.0)
    for code, (iso, manager, status, actual, budget, spent, theme, donor) in PROJECTS.items():
        project = f.make_project(
            session,
            offices[iso],
            donors=(donors[donor],),
            code=code,
            title=f"Project {code}",
            manager=manager,
            status=status,
            thematic_area=theme,
            start_date=START,
            end_date=END if status == "active" else dt.date(2024, 12, 31),
        )
        line = f.make_budget_line(session, project, original_amount=budget, line_code="BL1")
        f.make_expenditure(session, line, month=dt.date(2024, 6, 1), amount=spent)
        if actual is None:
            continue
        objective = f.make_result(session, project, code="O1", level="objective", statement="People are safer")
        outcome = f.make_result(
            session, project, parent=objective, code="OC1", level="outcome", statement="Returnees reintegrate"
        )
        indicator = f.make_indicator(
            session,
            project,
            outcome,
            code="I1",
            name="People supported",
            accumulation="level",
            baseline=0.0,
            end_target=100.0,
        )
        f.make_actual(
            session,
            indicator,
            period_start=dt.date(2024, 7, 1),
            period_end=dt.date(2024, 12, 31),
            value=actual,
            female=actual / 2,
            male=actual / 2,
            reported_on=dt.date(2025, 1, 1),
        )
        f.make_risk(session, project, code="R1", likelihood=3, impact=5, last_reviewed=dt.date(2024, 12, 1))


def create(path: Path) -> str:
    """A migrated SQLite file at ``path`` holding the portfolio above; returns its URL."""
    url = f"sqlite:///{path}"
    engine = get_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        build(session)
        session.commit()
    dispose_engine(engine)
    return url


def create_empty(path: Path) -> str:
    url = f"sqlite:///{path}"
    engine = get_engine(url)
    upgrade(engine)
    dispose_engine(engine)
    return url


def create_sample(path: Path, *, projects: int, seed: int, today: dt.date) -> str:
    """A migrated SQLite file at ``path`` holding a generated sample portfolio; returns its URL."""
    from data_access.seed import seed_database  # the generator is heavy: only for tests that need it

    url = create_empty(path)
    engine = get_engine(url)
    seed_database(engine, projects=projects, seed=seed, today=today)
    dispose_engine(engine)
    return url


def expected_codes(*, region: str | None = None, country: str | None = None, active_only: bool = False) -> list[str]:
    """Project codes visible for a region or country (managing country; no multi-country project here)."""
    return sorted(
        code
        for code, (iso, _, status, *_rest) in PROJECTS.items()
        if (region is None or REGION_OF[iso] == region)
        and (country is None or iso == country)
        and (not active_only or status == "active")
    )


__all__ = ["AS_OF", "BEFORE_ANY_ACTUAL", "PROJECTS", "build", "create", "create_empty", "expected_codes", "m"]
