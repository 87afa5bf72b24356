"""The DATABASE (not only the importers) refuses bad rows, on SQLite and PostgreSQL alike.

Each case of the table writes one invalid row through the ORM and expects the driver's
``IntegrityError`` at flush: the rule lives in the schema, so a script or a future importer that
forgets a check still cannot store the row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access import models as m
from tests import factories as f

D = dt.date


def _duplicate_project_code(s: Session) -> None:
    f.make_project(s, code="PX.DUP")
    f.make_project(s, code="PX.DUP")


def _duplicate_indicator_code(s: Session) -> None:
    project = f.make_project(s)
    f.make_indicator(s, project, code="IND-A")
    f.make_indicator(s, project, code="IND-A")


def _duplicate_result_code(s: Session) -> None:
    project = f.make_project(s)
    f.make_result(s, project, code="OC1")
    f.make_result(s, project, code="OC1")


def _two_current_actuals(s: Session) -> None:
    indicator = f.make_indicator(s)
    f.make_actual(s, indicator, version=1, is_current=True)
    f.make_actual(s, indicator, version=2, is_current=True)


def _same_version_twice(s: Session) -> None:
    indicator = f.make_indicator(s)
    f.make_actual(s, indicator, version=1, is_current=False)
    f.make_actual(s, indicator, version=1, is_current=True)


def _two_original_revisions(s: Session) -> None:
    line = f.make_budget_line(s, original_amount=100.0)
    f.make_budget_revision(s, line, kind="original", revision_date=None, amount=200.0)


def _revision(**kw: object) -> Callable[[Session], object]:
    return lambda s: f.make_budget_revision(s, f.make_budget_line(s, original_amount=None), **kw)


def _dangling_indicator(s: Session) -> None:
    f.make_indicator(s, f.make_project(s), project_id=987_654)


def _dangling_office(s: Session) -> None:
    f.make_project(s, managing_office_id=987_654)


def _delete_referenced_region(s: Session) -> None:
    country = f.make_country(s)
    s.delete(s.get(m.Region, country.region_id))
    s.flush()


def _duplicate_marker_scheme(s: Session) -> None:
    project = f.make_project(s)
    f.make_marker(s, project, scheme="IOM_GM", code="1")
    f.make_marker(s, project, scheme="IOM_GM", code="2a")


def _duplicate_fx_rate(s: Session) -> None:
    f.make_fx_rate(s, currency="EUR", rate_date=D(2024, 1, 1))
    f.make_fx_rate(s, currency="EUR", rate_date=D(2024, 1, 1))


def _with_project(factory: Callable[..., object], **kw: object) -> Callable[[Session], object]:
    return lambda s: factory(s, f.make_project(s), **kw)


BAD_ROWS: list[tuple[str, Callable[[Session], object]]] = [
    ("likelihood 6", lambda s: f.make_risk(s, likelihood=6)),
    ("likelihood 0", lambda s: f.make_risk(s, likelihood=0)),
    ("impact 6", lambda s: f.make_risk(s, impact=6)),
    ("risk category unknown", lambda s: f.make_risk(s, category="weather")),
    ("risk status unknown", lambda s: f.make_risk(s, status="pending")),
    ("end before start", lambda s: f.make_project(s, start_date=D(2025, 1, 1), end_date=D(2024, 12, 31))),
    ("end equal to start", lambda s: f.make_project(s, start_date=D(2025, 1, 1), end_date=D(2025, 1, 1))),
    ("revised end before start", lambda s: f.make_project(s, start_date=D(2025, 1, 1), revised_end_date=D(2024, 6, 1))),
    ("bad project status", lambda s: f.make_project(s, status="ongoing")),
    ("currency of 2 letters", lambda s: f.make_project(s, currency="US")),
    ("project without title", lambda s: f.make_project(s, title=None)),
    ("duplicate project code", _duplicate_project_code),
    ("duplicate indicator code in a project", _duplicate_indicator_code),
    ("duplicate result code in a project", _duplicate_result_code),
    ("bad result level", lambda s: f.make_result(s, level="goal")),
    ("bad measure", lambda s: f.make_indicator(s, measure="ratio")),
    ("bad direction", lambda s: f.make_indicator(s, direction="up")),
    ("bad accumulation", lambda s: f.make_indicator(s, accumulation="sum")),
    ("bad disaggregation", lambda s: f.make_indicator(s, disaggregation="age")),
    (
        "target period ends before it starts",
        lambda s: f.make_target(s, period_start=D(2024, 6, 1), period_end=D(2024, 5, 31)),
    ),
    ("two current actuals for one indicator-period", _two_current_actuals),
    ("same actual version twice", _same_version_twice),
    ("actual version 0", lambda s: f.make_actual(s, version=0)),
    (
        "actual period ends before it starts",
        lambda s: f.make_actual(s, period_start=D(2024, 6, 1), period_end=D(2024, 5, 31)),
    ),
    ("bad evidence source", lambda s: f.make_actual(s, source="rumour")),
    ("negative budget amount", lambda s: f.make_budget_line(s, original_amount=-1.0)),
    ("original budget revision with a date", _revision(kind="original", revision_date=D(2024, 1, 1))),
    ("reallocation without a date", _revision(kind="reallocation", revision_date=None)),
    ("bad revision kind", _revision(kind="top_up")),
    ("two original revisions for one line", _two_original_revisions),
    ("bad budget category", lambda s: f.make_budget_line(s, category="travel")),
    ("negative spending plan", _with_project(f.make_spending_plan, amount=-5.0)),
    ("negative funding agreement", _with_project(f.make_funding_agreement, amount=-5.0)),
    ("bad earmarking", _with_project(f.make_funding_agreement, earmarking="tied")),
    ("bad fund kind", _with_project(f.make_incoming_fund, kind="pledge")),
    ("fx rate 0", lambda s: f.make_fx_rate(s, usd_rate=0.0)),
    ("fx rate negative", lambda s: f.make_fx_rate(s, usd_rate=-1.2)),
    ("duplicate fx rate for a currency and date", _duplicate_fx_rate),
    ("iso3 of 2 letters", lambda s: f.make_country(s, iso3="QQ")),
    (
        "country percentage 101",
        lambda s: f.make_project_country(s, f.make_project(s), f.make_country(s), percentage=101.0),
    ),
    ("dangling foreign key (indicator → project)", _dangling_indicator),
    ("dangling foreign key (project → office)", _dangling_office),
    ("deleting a region that countries use", _delete_referenced_region),
    ("bad marker scheme", _with_project(f.make_marker, scheme="MY_MARKER")),
    ("two markers of one scheme", _duplicate_marker_scheme),
    ("bad AAP commitment", _with_project(f.make_aap, commitment="dignity")),
    ("bad AAP rating", _with_project(f.make_aap, rating="mostly")),
    ("bad tag scheme", _with_project(f.make_tag, scheme="ODA")),
    ("bad visit type", lambda s: f.make_visit(s, visit_type="drive_by")),
    ("bad follow-up status", lambda s: f.make_visit(s, follow_up_status="later")),
    ("bad management response", lambda s: f.make_recommendation(s, management_response="maybe")),
    ("bad recommendation status", lambda s: f.make_recommendation(s, status="forgotten")),
    (
        "evaluation rating 5",
        lambda s: (
            s.add(m.EvaluationRating(evaluation_id=f.make_evaluation(s).id, criterion="relevance", rating=5))
            or s.flush()
        ),
    ),
    ("bad evaluation type", lambda s: f.make_evaluation(s, evaluation_type="peer")),
    ("bad import outcome", lambda s: f.make_import_batch(s, outcome="partial")),
]


@pytest.mark.parametrize("write", [case for _, case in BAD_ROWS], ids=[name for name, _ in BAD_ROWS])
def test_database_rejects_bad_row(session: Session, write: Callable[[Session], object]) -> None:
    with pytest.raises(IntegrityError):
        write(session)
        session.flush()


GOOD_ROWS: list[tuple[str, Callable[[Session], object]]] = [
    (
        "same indicator code in two projects",
        lambda s: (f.make_indicator(s, code="IND-SAME"), f.make_indicator(s, code="IND-SAME")),
    ),
    ("negative expenditure (a refund)", lambda s: f.make_expenditure(s, f.make_budget_line(s), amount=-250.0)),
    ("zero budget line", lambda s: f.make_budget_line(s, original_amount=0.0)),
    ("likelihood and impact 1 and 5", lambda s: f.make_risk(s, likelihood=1, impact=5)),
    (
        "several superseded versions beside one current",
        lambda s: [
            f.make_actual(s, ind, version=v, is_current=v == 3) for ind in [f.make_indicator(s)] for v in (1, 2, 3)
        ],
    ),
    (
        "revisions on different dates",
        lambda s: [
            f.make_budget_revision(s, line, revision_date=d)
            for line in [f.make_budget_line(s)]
            for d in (D(2024, 6, 1), D(2025, 1, 1))
        ],
    ),
    ("IOM gender marker NA", _with_project(f.make_marker, scheme="IOM_GM", code="NA")),
]


@pytest.mark.parametrize("write", [case for _, case in GOOD_ROWS], ids=[name for name, _ in GOOD_ROWS])
def test_database_accepts_valid_edge_rows(session: Session, write: Callable[[Session], object]) -> None:
    write(session)
    session.flush()


def test_correction_adds_a_current_version_and_keeps_the_old_one(session: Session) -> None:
    """A correction supersedes the reported value; the old value stays readable, flagged not current."""
    indicator = f.make_indicator(session)
    first = f.make_actual(session, indicator, value=40.0, version=1)
    first.is_current = False
    first.superseded_at = dt.datetime(2024, 5, 2, 10, 30)
    session.flush()
    f.make_actual(session, indicator, value=45.0, version=2, comment="corrected count")
    session.commit()

    rows = session.execute(
        select(m.Actual.version, m.Actual.value, m.Actual.is_current, m.Actual.superseded_at)
        .where(m.Actual.indicator_id == indicator.id)
        .order_by(m.Actual.version)
    ).all()
    assert [tuple(r) for r in rows] == [
        (1, 40.0, False, dt.datetime(2024, 5, 2, 10, 30)),
        (2, 45.0, True, None),
    ]


def test_cascade_delete_of_project_removes_its_matrix(session: Session) -> None:
    indicator = f.make_indicator(session)
    f.make_actual(session, indicator)
    project = session.get(m.Project, indicator.project_id)
    session.delete(project)
    session.flush()
    assert session.scalars(select(m.Actual).where(m.Actual.indicator_id == indicator.id)).all() == []
