"""Scoped reads: no scope sees another's rows, filters only narrow, money is read as of a date.

The world (built with factories, rolled back after each test):

    region QRA: countries QAA, QAB          region QRB: country QBB
    QP1  managed by QAA                      donors "D Beta", "D Alpha"; theme Health; active
    QP2  managed by QAB, in QAB 60% + QBB 40%                            theme Shelter; active
    QP3  managed by QBB                      donor "D Gamma";           theme Shelter; closed
    QP4  managed by QBB, also lists QAA (no percentage)                  theme Health; active

Every project has one result, indicator, target, actual (plus a superseded version), budget line,
expenditure, spending plan, risk, visit, recommendation, marker, AAP rating and tag, so every frame
of the portfolio can be checked for rows of the wrong project.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access import models as m
from data_access import queries
from data_access.errors import NotFound
from data_access.scope import PortfolioFilter, Scope
from monitoring.frames import COLUMNS, OPTIONAL_COLUMNS
from tests import factories as f

D = dt.date
AS_OF = D(2025, 6, 30)
ALWAYS_READ = ("projects", "project_countries")  # load_portfolio reads them whatever it is asked
ALL = {"QP1", "QP2", "QP3", "QP4"}
# some columns of a one-table frame, of the actuals and of their breakdowns (read through a join)
NARROW = {
    "indicators": ("indicator_id", "project_id", "unit"),
    "actuals": ("indicator_id", "period_start", "value", "female"),
    "actual_breakdowns": ("indicator_id", "period_end", "dimension"),
}


@pytest.fixture
def world(session: Session) -> dict[str, object]:
    ra = f.make_region(session, code="QRA", name="Region A")
    rb = f.make_region(session, code="QRB", name="Region B")
    countries = {
        "QAA": f.make_country(session, ra, iso3="QAA", name="Aland"),
        "QAB": f.make_country(session, ra, iso3="QAB", name="Abland"),
        "QBB": f.make_country(session, rb, iso3="QBB", name="Beeland"),
    }
    offices = {iso: f.make_country_office(session, c) for iso, c in countries.items()}
    beta, alpha, gamma = (f.make_donor(session, name=n) for n in ("D Beta", "D Alpha", "D Gamma"))
    projects = {
        "QP1": f.make_project(
            session, offices["QAA"], donors=(beta, alpha), code="QP1", thematic_area="Health", manager="Ana"
        ),
        "QP2": f.make_project(session, offices["QAB"], code="QP2", thematic_area="Shelter", manager="Ben"),
        "QP3": f.make_project(
            session,
            offices["QBB"],
            donors=(gamma,),
            code="QP3",
            thematic_area="Shelter",
            status="closed",
            manager="Ana",
        ),
        "QP4": f.make_project(session, offices["QBB"], code="QP4", thematic_area="Health", manager=None),
    }
    f.make_project_country(session, projects["QP2"], countries["QAB"], percentage=60.0)
    f.make_project_country(session, projects["QP2"], countries["QBB"], percentage=40.0)
    f.make_project_country(session, projects["QP4"], countries["QAA"])
    evaluation = f.make_evaluation(session, projects=(projects["QP2"],))
    for code, project in projects.items():
        result = f.make_result(session, project, code=f"{code}-OC1")
        indicator = f.make_indicator(session, project, result, code=f"{code}-I1")
        f.make_target(session, indicator)
        old = f.make_actual(session, indicator, value=10.0, version=1, is_current=False)
        f.make_actual_breakdown(session, old)
        current = f.make_actual(session, indicator, value=20.0, version=2)
        f.make_actual_breakdown(session, current, category="0-17", value=5.0)
        line = f.make_budget_line(session, project, line_code=f"{code}-BL1")
        f.make_expenditure(session, line)
        f.make_spending_plan(session, project)
        f.make_risk(session, project)
        f.make_visit(session, project)
        f.make_recommendation(session, project, evaluation if code == "QP2" else None)
        f.make_marker(session, project)
        f.make_aap(session, project)
        f.make_tag(session, project)
        f.make_funding_agreement(session, project)
        f.make_incoming_fund(session, project)
    session.flush()
    return {"projects": projects, "countries": countries}


def _codes(frames: queries.PortfolioFrames, scope: Scope | None = None) -> set[str]:
    """Project codes in ``frames``; for the organisation scope only this world's (other test modules
    may have committed projects to the session database, and the organisation rightly sees them)."""
    codes = set(frames.projects["project_code"])
    return codes & ALL if scope is not None and scope.organisation else codes


def _world_only(frames: queries.PortfolioFrames, world: dict) -> queries.PortfolioFrames:
    """``frames`` cut to this world's projects and indicators."""
    ids = {p.id for p in world["projects"].values()}
    indicator_ids = set(frames.indicators.loc[frames.indicators["project_id"].isin(ids), "indicator_id"])
    cut = {}
    for name in {**COLUMNS, **OPTIONAL_COLUMNS}:
        frame = getattr(frames, name)
        if "project_id" in frame.columns:
            frame = frame[frame["project_id"].isin(ids)]
        elif "indicator_id" in frame.columns:
            frame = frame[frame["indicator_id"].isin(indicator_ids)]
        cut[name] = frame
    return queries.PortfolioFrames(**cut)


SCOPES = [
    (Scope.whole_organisation("administrator"), ALL),
    (Scope.bounded_by_place("test", countries=("QAA",)), {"QP1", "QP4"}),
    (Scope.bounded_by_place("test", countries=("QAB",)), {"QP2"}),
    (Scope.bounded_by_place("test", countries=("QBB",)), {"QP2", "QP3", "QP4"}),
    (Scope.bounded_by_place("test", countries=("QAA", "QAB")), {"QP1", "QP2", "QP4"}),
    (Scope.bounded_by_place("test", regions=("QRA",)), {"QP1", "QP2", "QP4"}),
    (Scope.bounded_by_place("test", regions=("QRB",)), {"QP2", "QP3", "QP4"}),
    (Scope.by_project("test", codes=("QP1", "QP3")), {"QP1", "QP3"}),
    (Scope.by_project("test", codes=("NOPE",)), set()),
    (Scope.bounded_by_place("test", countries=("ZZZ",)), set()),
]


@pytest.mark.parametrize(("scope", "expected"), SCOPES, ids=[s.label for s, _ in SCOPES])
def test_scope_sees_exactly_its_projects_in_every_frame(
    session: Session, world: dict, scope: Scope, expected: set[str]
) -> None:
    frames = queries.load_portfolio(session.connection(), scope, PortfolioFilter(as_of=AS_OF))
    if scope.organisation:
        frames = _world_only(frames, world)
    assert _codes(frames) == expected
    ids = {world["projects"][c].id for c in expected}
    indicator_ids = set(frames.indicators["indicator_id"])
    for name, columns in {**COLUMNS, **OPTIONAL_COLUMNS}.items():
        frame = getattr(frames, name)
        assert list(frame.columns) == list(columns), name
        if "project_id" in frame.columns:
            # every project of the world has a row in every project-keyed frame
            assert set(frame["project_id"]) == ids, name
        elif "indicator_id" in frame.columns:
            assert set(frame["indicator_id"]) == indicator_ids, name
    assert len(indicator_ids) == len(expected)


@pytest.mark.parametrize(("scope", "expected"), SCOPES, ids=[s.label for s, _ in SCOPES])
def test_light_frames_and_slim_reads_are_the_full_frames_parts(
    session: Session, world: dict, scope: Scope, expected: set[str]
) -> None:
    """``frames=`` every frame but HEAVY_FRAMES leaves exactly those empty, one frame asked alone is the
    full frame (the rest empty), ``frame_columns`` the full frames' columns asked for;
    project_countries and project_list are
    the full frames' columns for the same scope (the pages that read them see the same rows)."""
    flt = PortfolioFilter(as_of=AS_OF)
    full = queries.load_portfolio(session.connection(), scope, flt)
    light_names = [name for name in {**COLUMNS, **OPTIONAL_COLUMNS} if name not in queries.HEAVY_FRAMES]
    light = queries.load_portfolio(session.connection(), scope, flt, frames=light_names)
    actuals = queries.load_portfolio(session.connection(), scope, flt, frames=("actuals",))
    for name in {**COLUMNS, **OPTIONAL_COLUMNS}:
        for part, kept in ((light, name not in queries.HEAVY_FRAMES), (actuals, name in (*ALWAYS_READ, "actuals"))):
            got, want = getattr(part, name), getattr(full, name)
            assert list(got.columns) == list(want.columns), name
            if kept:
                pd.testing.assert_frame_equal(got, want, obj=name)
            else:
                assert got.empty, name
    assert full.actuals.empty == (not expected)  # every project has an actual: the comparison saw rows
    narrow = queries.frame_columns(session.connection(), scope, flt, NARROW)
    for name, columns in NARROW.items():
        assert set(narrow[name].columns) == set(columns), name
        pd.testing.assert_frame_equal(narrow[name], getattr(full, name)[list(narrow[name].columns)], obj=name)
    pd.testing.assert_frame_equal(queries.project_countries(session.connection(), scope, flt), full.project_countries)
    listed = queries.project_list(session.connection(), scope, flt)
    assert list(listed["project_code"]) == sorted(full.projects["project_code"])
    assert dict(zip(listed["project_code"], listed["title"], strict=True)) == dict(
        zip(full.projects["project_code"], full.projects["title"], strict=True)
    )


@pytest.mark.parametrize(("scope", "expected"), SCOPES, ids=[s.label for s, _ in SCOPES])
def test_project_detail_outside_scope_is_not_found_like_a_missing_code(
    session: Session, world: dict, scope: Scope, expected: set[str]
) -> None:
    for code in sorted(ALL - expected):
        with pytest.raises(NotFound) as outside:
            queries.project_detail(session.connection(), scope, code, AS_OF)
        with pytest.raises(NotFound) as missing:
            queries.project_detail(session.connection(), scope, "QP-MISSING", AS_OF)
        assert str(outside.value).replace(code, "X") == str(missing.value).replace("QP-MISSING", "X")
    for code in sorted(expected):
        detail = queries.project_detail(session.connection(), scope, code, AS_OF)
        project_id = world["projects"][code].id
        assert detail.project["project_code"] == code
        for name in COLUMNS:
            frame = getattr(detail.portfolio, name)
            if "project_id" in frame.columns:
                assert set(frame["project_id"]) == {project_id}, name
        assert set(detail.actual_versions["indicator_code"]) == {f"{code}-I1"}
        assert set(detail.line_expenditures["line_code"]) == {f"{code}-BL1"}
        assert set(detail.budget_revisions["line_code"]) == {f"{code}-BL1"}


FILTERS = [
    (Scope.whole_organisation("administrator"), PortfolioFilter(as_of=AS_OF, donors=("D Gamma",)), {"QP3"}),
    (
        Scope.whole_organisation("administrator"),
        PortfolioFilter(as_of=AS_OF, donors=("D Alpha", "D Gamma")),
        {"QP1", "QP3"},
    ),
    (Scope.whole_organisation("administrator"), PortfolioFilter(as_of=AS_OF, themes=("Health",)), {"QP1", "QP4"}),
    (Scope.whole_organisation("administrator"), PortfolioFilter(as_of=AS_OF, statuses=("closed",)), {"QP3"}),
    (Scope.whole_organisation("administrator"), PortfolioFilter(as_of=AS_OF, regions=("QRA",)), {"QP1", "QP2", "QP4"}),
    (Scope.whole_organisation("administrator"), PortfolioFilter(as_of=AS_OF, countries=("QAB",)), {"QP2"}),
    (
        Scope.bounded_by_place("test", regions=("QRA",)),
        PortfolioFilter(as_of=AS_OF, countries=("QBB",)),
        {"QP2", "QP4"},
    ),
    (Scope.bounded_by_place("test", regions=("QRA",)), PortfolioFilter(as_of=AS_OF, regions=("QRB",)), {"QP2", "QP4"}),
    (Scope.bounded_by_place("test", regions=("QRA",)), PortfolioFilter(as_of=AS_OF, themes=("Shelter",)), {"QP2"}),
    (Scope.bounded_by_place("test", countries=("QAB",)), PortfolioFilter(as_of=AS_OF, statuses=("closed",)), set()),
    (
        Scope.bounded_by_place("test", countries=("QBB",)),
        PortfolioFilter(as_of=AS_OF, themes=("Shelter",), statuses=("active",)),
        {"QP2"},
    ),
    # a filter naming projects outside the scope never widens it
    (Scope.by_project("test", codes=("QP1",)), PortfolioFilter(as_of=AS_OF, project_codes=("QP3",)), set()),
    (Scope.by_project("test", codes=("QP1",)), PortfolioFilter(as_of=AS_OF, project_codes=("QP1", "QP3")), {"QP1"}),
    (Scope.bounded_by_place("test", countries=("QAA",)), PortfolioFilter(as_of=AS_OF, donors=("D Gamma",)), set()),
    (Scope.bounded_by_place("test", countries=("QAA",)), PortfolioFilter(as_of=AS_OF, regions=("QRB",)), {"QP4"}),
]


@pytest.mark.parametrize(("scope", "flt", "expected"), FILTERS)
def test_filters_only_narrow(
    session: Session, world: dict, scope: Scope, flt: PortfolioFilter, expected: set[str]
) -> None:
    frames = queries.load_portfolio(session.connection(), scope, flt)
    unfiltered = queries.load_portfolio(session.connection(), scope, PortfolioFilter(as_of=AS_OF))
    assert _codes(frames, scope) == expected
    assert set(frames.projects["project_code"]) <= set(unfiltered.projects["project_code"])


def test_projects_frame_values(session: Session, world: dict) -> None:
    frames = queries.load_portfolio(
        session.connection(), Scope.by_project("test", codes=ALL), PortfolioFilter(as_of=AS_OF)
    )
    rows = frames.projects.set_index("project_code")
    assert rows.loc["QP1", "donors"] == "D Alpha; D Beta"
    assert rows.loc["QP3", "donors"] == "D Gamma"
    assert pd.isna(rows.loc["QP2", "donors"])
    assert (rows.loc["QP2", "managing_country"], rows.loc["QP2", "region"]) == ("QAB", "QRA")
    assert rows.loc["QP4", "managing_country_name"] == "Beeland"
    assert rows.loc["QP1", "start_date"] == pd.Timestamp("2024-01-01")
    assert pd.isna(rows.loc["QP1", "revised_end_date"])
    assert not rows.loc["QP1", "high_risk_context"]


def test_country_shares(session: Session, world: dict) -> None:
    """Percentages / 100 when given; else 1.0 for the managing country (listed or not), 0 for others."""
    projects, countries = world["projects"], world["countries"]
    mixed = f.make_project(session, code="QP5")  # managed by a new office elsewhere, which gets no share
    f.make_project_country(session, mixed, countries["QAA"], percentage=70.0)
    f.make_project_country(session, mixed, countries["QBB"])  # no percentage beside one that has
    frames = queries.load_portfolio(
        session.connection(), Scope.by_project("test", codes=(*ALL, "QP5")), PortfolioFilter(as_of=AS_OF)
    )
    code_of = {p.id: c for c, p in projects.items()} | {mixed.id: "QP5"}
    got = sorted(
        (code_of[pid], country, share, region)
        for pid, country, share, region in frames.project_countries[
            ["project_id", "country", "share", "region"]
        ].itertuples(index=False)
    )
    assert got == [
        ("QP1", "QAA", 1.0, "QRA"),
        ("QP2", "QAB", 0.6, "QRA"),
        ("QP2", "QBB", 0.4, "QRB"),
        ("QP3", "QBB", 1.0, "QRB"),
        ("QP4", "QAA", 0.0, "QRA"),
        ("QP4", "QBB", 1.0, "QRB"),
        ("QP5", "QAA", 0.7, "QRA"),
        ("QP5", "QBB", 0.0, "QRB"),
    ]


BUDGET_AS_OF = [
    (D(2024, 5, 31), 1000.0, math.nan),
    (D(2024, 6, 1), 1200.0, math.nan),
    (D(2024, 12, 31), 1200.0, math.nan),
    (D(2025, 1, 1), 1500.0, 800.0),
    (D(2026, 6, 30), 1500.0, 800.0),
]


@pytest.mark.parametrize(("as_of", "revised_line", "late_line"), BUDGET_AS_OF)
def test_budget_as_of_picks_latest_revision_on_or_before(
    session: Session, as_of: dt.date, revised_line: float, late_line: float
) -> None:
    project = f.make_project(session, code="QBUD")
    revised = f.make_budget_line(session, project, line_code="A", original_amount=1000.0)
    f.make_budget_revision(session, revised, kind="reallocation", revision_date=D(2024, 6, 1), amount=1200.0)
    f.make_budget_revision(session, revised, kind="additional_funding", revision_date=D(2025, 1, 1), amount=1500.0)
    late = f.make_budget_line(session, project, line_code="B", original_amount=None)
    f.make_budget_revision(session, late, kind="additional_funding", revision_date=D(2025, 1, 1), amount=800.0)
    frames = queries.load_portfolio(
        session.connection(), Scope.by_project("test", codes=("QBUD",)), PortfolioFilter(as_of=as_of)
    )
    lines = frames.budget_lines.set_index("line_code")
    assert lines.loc["A", "amount"] == revised_line
    assert lines.loc["A", "original_amount"] == 1000.0
    got_late = lines.loc["B", "amount"]
    assert (math.isnan(got_late) and math.isnan(late_line)) or got_late == late_line
    assert math.isnan(lines.loc["B", "original_amount"])


def test_expenditure_summed_by_project_month_and_currency(session: Session) -> None:
    project = f.make_project(session, code="QEXP")
    one = f.make_budget_line(session, project, line_code="L1")
    two = f.make_budget_line(session, project, line_code="L2")
    euro = f.make_budget_line(session, project, line_code="L3", currency="EUR")
    for line, month, amount in [
        (one, D(2024, 1, 1), 100.0),
        (one, D(2024, 2, 1), 50.0),
        (two, D(2024, 1, 1), 25.5),
        (two, D(2024, 2, 1), -10.0),
        (euro, D(2024, 1, 1), 70.0),
    ]:
        f.make_expenditure(session, line, month=month, amount=amount)
    frames = queries.load_portfolio(
        session.connection(), Scope.by_project("test", codes=("QEXP",)), PortfolioFilter(as_of=AS_OF)
    )
    got = sorted(
        (month.date(), currency, amount)
        for month, currency, amount in frames.expenditures[["month", "currency", "amount"]].itertuples(index=False)
    )
    assert got == [(D(2024, 1, 1), "EUR", 70.0), (D(2024, 1, 1), "USD", 125.5), (D(2024, 2, 1), "USD", 40.0)]


def test_portfolio_actuals_are_current_versions_and_detail_keeps_all(session: Session, world: dict) -> None:
    frames = queries.load_portfolio(
        session.connection(), Scope.by_project("test", codes=("QP1",)), PortfolioFilter(as_of=AS_OF)
    )
    assert frames.actuals["value"].tolist() == [20.0]
    assert frames.actual_breakdowns[["category", "value"]].values.tolist() == [["0-17", 5.0]]
    detail = queries.project_detail(session.connection(), Scope.by_project("test", codes=("QP1",)), "QP1", AS_OF)
    versions = detail.actual_versions[["version", "value", "is_current", "period_end"]]
    assert [tuple(r) for r in versions.itertuples(index=False)] == [
        (1, 10.0, False, pd.Timestamp("2024-03-31")),
        (2, 20.0, True, pd.Timestamp("2024-03-31")),
    ]
    assert detail.actual_versions["is_current"].dtype == bool
    assert detail.actual_breakdowns[["version", "dimension", "category", "value"]].values.tolist() == [
        [1, "age", "18-59", 10.0],
        [2, "age", "0-17", 5.0],
    ]


def test_detail_lists_revisions_original_first_and_evaluations(session: Session, world: dict) -> None:
    project = world["projects"]["QP2"]
    line = session.get(m.BudgetLine, f.make_budget_line(session, project, line_code="QP2-BL2").id)
    f.make_budget_revision(session, line, revision_date=D(2025, 1, 1), amount=9000.0)
    f.make_budget_revision(session, line, kind="no_cost_extension", revision_date=D(2024, 3, 1), amount=9500.0)
    detail = queries.project_detail(
        session.connection(), Scope.bounded_by_place("test", countries=("QAB",)), "QP2", AS_OF
    )
    bl2 = detail.budget_revisions[detail.budget_revisions["line_code"] == "QP2-BL2"]
    assert bl2[["kind", "amount"]].values.tolist() == [
        ["original", 10000.0],
        ["no_cost_extension", 9500.0],
        ["reallocation", 9000.0],
    ]
    assert len(detail.evaluations) == 1
    assert detail.portfolio.recommendations["recommendation_code"].str.startswith("REC").all()


def test_results_tree_order_and_depth() -> None:
    results = pd.DataFrame(
        {
            "result_id": [1, 2, 3, 4, 5, 6],
            "project_id": [9] * 6,
            "result_code": ["O1", "OC2", "OC1", "OP1.1", "OP2.1", "ORPHAN"],
            "level": ["objective", "outcome", "outcome", "output", "output", "output"],
            "parent_id": [None, 1, 1, 3, 2, 99],
            "statement": ["s"] * 6,
        }
    )
    tree = queries.results_in_tree_order(results)
    assert list(zip(tree["result_code"], tree["depth"], strict=True)) == [
        ("O1", 0),
        ("OC1", 1),
        ("OP1.1", 2),
        ("OC2", 1),
        ("OP2.1", 2),
        ("ORPHAN", 0),
    ]


def test_filter_options_inside_scope(session: Session, world: dict) -> None:
    options = queries.filter_options(session.connection(), Scope.bounded_by_place("test", countries=("QAA",)))
    assert options.countries == (("QAA", "Aland"), ("QBB", "Beeland"))
    assert options.regions == (("QRA", "Region A"), ("QRB", "Region B"))
    assert options.donors == ("D Alpha", "D Beta")
    assert options.themes == ("Health",)
    assert options.statuses == ("active",)
    assert queries.filter_options(
        session.connection(), Scope.bounded_by_place("test", countries=("QBB",))
    ).statuses == ("active", "closed")


def test_filter_options_of_the_organisation(session: Session, world: dict) -> None:
    """Leadership's options: every place, donor and theme of a project (a donor without a project,
    here "D Unfunded", is not one), statuses in the order of the vocabulary."""
    f.make_donor(session, name="D Unfunded")
    options = queries.filter_options(session.connection(), Scope.whole_organisation("test"))
    assert options.countries == (("QAA", "Aland"), ("QAB", "Abland"), ("QBB", "Beeland"))
    assert options.donors == ("D Alpha", "D Beta", "D Gamma")
    assert options.themes == ("Health", "Shelter")
    assert options.statuses == ("active", "closed")


def test_empty_database_gives_empty_frames_with_columns(session: Session) -> None:
    frames = queries.load_portfolio(
        session.connection(), Scope.by_project("test", codes=("NONE",)), PortfolioFilter(as_of=AS_OF)
    )
    for name, cols in COLUMNS.items():
        assert list(getattr(frames, name).columns) == list(cols)
    assert frames.projects.empty


def test_load_portfolio_from_an_engine_reads_committed_rows(engine) -> None:
    """The path pages use: a borrowed connection, one transaction (REPEATABLE READ on PostgreSQL)."""
    from sqlalchemy import delete

    from data_access.db import session_scope

    with session_scope(engine) as session:
        project = f.make_project(session, code="QENGINE")
        f.make_budget_line(session, project, original_amount=321.0)
    try:
        frames = queries.load_portfolio(
            engine, Scope.by_project("test", codes=("QENGINE",)), PortfolioFilter(as_of=AS_OF)
        )
        assert frames.projects["project_code"].tolist() == ["QENGINE"]
        assert frames.budget_lines["amount"].tolist() == [321.0]
        assert queries.project_detail(engine, Scope.by_project("test", codes=("QENGINE",)), "QENGINE", AS_OF).project[
            "title"
        ]
    finally:
        with session_scope(engine) as session:
            office_id = project.managing_office_id
            session.execute(delete(m.Project).where(m.Project.code == "QENGINE"))
            office = session.get(m.CountryOffice, office_id)
            country = session.get(m.Country, office.country_id)
            session.delete(office)
            session.flush()
            session.delete(country)
            session.flush()
            session.delete(session.get(m.Region, country.region_id))


ALPHA_OR_GAMMA = ("D Alpha", "D Gamma")
# Worked out by hand from the world in the module docstring. A region or country filter keeps the
# projects managed by or implemented in it (QRA: QP1, QP2, QP4; QRB and QBB: QP2, QP3, QP4; QAA: QP1,
# QP4; QP3 is the closed one); values inside one filter are alternatives, filters together must all
# hold, and the scope comes first.
FILTERED = [
    (Scope.whole_organisation("administrator"), {}, ALL),
    (Scope.whole_organisation("administrator"), {"regions": ("QRA",)}, {"QP1", "QP2", "QP4"}),
    (Scope.whole_organisation("administrator"), {"regions": ("QRB",)}, {"QP2", "QP3", "QP4"}),
    (Scope.whole_organisation("administrator"), {"countries": ("QAA",)}, {"QP1", "QP4"}),
    (Scope.whole_organisation("administrator"), {"countries": ("QBB",)}, {"QP2", "QP3", "QP4"}),
    (Scope.whole_organisation("administrator"), {"donors": ALPHA_OR_GAMMA}, {"QP1", "QP3"}),
    (Scope.whole_organisation("administrator"), {"themes": ("Shelter",)}, {"QP2", "QP3"}),
    (Scope.whole_organisation("administrator"), {"project_codes": ("QP2", "QP3")}, {"QP2", "QP3"}),
    (Scope.whole_organisation("administrator"), {"statuses": ("closed",)}, {"QP3"}),
    (Scope.bounded_by_place("test", countries=("QBB",)), {"statuses": ("active",)}, {"QP2", "QP4"}),
    (Scope.whole_organisation("administrator"), {"regions": ("QRA",), "themes": ("Shelter",)}, {"QP2"}),
    (Scope.whole_organisation("administrator"), {"regions": ("QRB",), "countries": ("QAA",)}, {"QP4"}),
    (Scope.whole_organisation("administrator"), {"countries": ("QAA",), "donors": ALPHA_OR_GAMMA}, {"QP1"}),
    (
        Scope.whole_organisation("administrator"),
        {"countries": ("QBB",), "themes": ("Shelter",), "donors": ALPHA_OR_GAMMA},
        {"QP3"},
    ),
    (Scope.whole_organisation("administrator"), {"themes": ("Health",), "project_codes": ("QP2", "QP3")}, set()),
    (Scope.bounded_by_place("test", countries=("QAA",)), {"countries": ("QBB",)}, {"QP4"}),
    (Scope.bounded_by_place("test", countries=("QAA",)), {"themes": ("Shelter",)}, set()),
    (Scope.bounded_by_place("test", countries=("QAB",)), {"regions": ("QRB",)}, {"QP2"}),
    (Scope.bounded_by_place("test", regions=("QRA",)), {"donors": ALPHA_OR_GAMMA}, {"QP1"}),
    (Scope.bounded_by_place("test", regions=("QRB",)), {"donors": ALPHA_OR_GAMMA}, {"QP3"}),
    (Scope.bounded_by_place("test", regions=("QRB",)), {"project_codes": ("QP1", "QP4")}, {"QP4"}),
    (Scope.by_project("test", codes=("QP1", "QP3")), {"project_codes": ("QP2", "QP3")}, {"QP3"}),
    (Scope.by_project("test", codes=("QP1", "QP3")), {"regions": ("QRA",)}, {"QP1"}),
    (Scope.by_project("test", codes=("NOPE",)), {}, set()),
    (Scope.bounded_by_place("test", countries=("ZZZ",)), {"themes": ("Shelter",)}, set()),
]


@pytest.mark.parametrize(("scope", "filters", "expected"), FILTERED)
def test_filters_only_narrow_inside_the_scope(
    session: Session, world: dict, scope: Scope, filters: dict, expected: set[str]
) -> None:
    rows = session.execute(
        select(m.Project.code).where(m.Project.id.in_(queries.filtered_projects(scope, PortfolioFilter(**filters))))
    )
    assert set(rows.scalars()) & ALL == expected


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(1969, 12, 31), D(1970, 1, 2)),  # around the epoch the day numbers count from
        (D(2024, 2, 28), D(2024, 2, 29)),  # a leap day
        (D(1999, 12, 31), D(2100, 3, 1)),  # 2100 is not a leap year
    ],
)
def test_dates_survive_the_day_number_round_trip(session: Session, start: dt.date, end: dt.date) -> None:
    f.make_project(session, code="QDATES", start_date=start, end_date=end, revised_end_date=None)
    frames = queries.load_portfolio(
        session.connection(), Scope.by_project("test", codes=("QDATES",)), PortfolioFilter(as_of=AS_OF)
    )
    row = frames.projects.iloc[0]
    assert (row["start_date"].date(), row["end_date"].date()) == (start, end)
    assert pd.isna(row["revised_end_date"])


def test_data_version_changes_with_new_data_only(session: Session):
    """The cache key of every page read: new projects and successful imports change it; attempts
    that wrote nothing (rejected, unchanged) do not."""
    connection = session.connection()
    session.flush()
    before = queries.data_version(connection)
    project = f.make_project(session)
    session.flush()
    after_project = queries.data_version(connection)
    assert after_project != before and after_project.endswith(f":{project.id}")
    f.make_import_batch(session, outcome="rejected")
    f.make_import_batch(session, outcome="unchanged")
    assert queries.data_version(connection) == after_project
    imported = f.make_import_batch(session, outcome="imported")
    assert queries.data_version(connection) == f"{imported.id}:{project.id}"


def test_unknown_scope_codes_name_what_is_not_stored(session: Session):
    project = f.make_project(session)
    session.flush()
    connection = session.connection()
    assert queries.unknown_scope_codes(connection, Scope.whole_organisation("administrator")) == []
    assert queries.unknown_scope_codes(connection, Scope.by_project("test", codes=(project.code, "PX.NOPE"))) == [
        "PX.NOPE"
    ]
    assert queries.unknown_scope_codes(connection, Scope.bounded_by_place("test", countries=("XYZ",))) == ["XYZ"]


def test_numbers_that_are_not_finite_are_read_as_unknown(session: Session) -> None:
    """Issue 10 item 2: an infinity stored before the importers bounded numbers (or a sum that
    overflowed) is read as unknown, so no page shows "USD infbn" or computes with it."""
    project = f.make_project(session, code="QINF")
    line = f.make_budget_line(session, project, line_code="L1")
    f.make_expenditure(session, line, month=D(2024, 1, 1), amount=math.inf)
    f.make_expenditure(session, f.make_budget_line(session, project, line_code="L2"), month=D(2024, 2, 1), amount=5.0)
    frames = queries.load_portfolio(
        session.connection(), Scope.by_project("test", codes=("QINF",)), PortfolioFilter(as_of=AS_OF)
    )
    got = frames.expenditures.sort_values("month")["amount"].tolist()
    assert math.isnan(got[0]) and got[1] == 5.0


def test_actual_comments_are_current_non_empty_and_in_scope(session: Session, world) -> None:
    """``queries.actual_comments``: current versions only, blank comments left out, scope applied."""
    indicators = {
        p.code: session.scalars(select(m.Indicator).where(m.Indicator.project_id == p.id)).one()
        for p in world["projects"].values()
    }
    later = dict(period_start=dt.date(2024, 4, 1), period_end=dt.date(2024, 6, 30))
    f.make_actual(session, indicators["QP1"], comment="Floods", **later)
    f.make_actual(
        session,
        indicators["QP1"],
        comment="Superseded",
        is_current=False,
        version=1,
        **{"period_start": dt.date(2024, 7, 1), "period_end": dt.date(2024, 9, 30)},
    )
    f.make_actual(session, indicators["QP2"], comment="", **later)
    f.make_actual(session, indicators["QP3"], comment="Out of scope", **later)
    session.flush()
    got = queries.actual_comments(
        session.connection(), Scope.bounded_by_place("test", regions=("QRA",)), PortfolioFilter()
    )
    assert got[["indicator_id", "comment"]].values.tolist() == [[indicators["QP1"].id, "Floods"]]
    assert pd.to_datetime(got["period_end"]).dt.date.tolist() == [dt.date(2024, 6, 30)]
