"""The analysis pages (Off-track, Finance, Risks and flags, Cross-cutting, Strategy) under AppTest.

Two portfolios:

* the hand-built portfolio of ``tests/page_portfolio.py`` plus what these pages need (below), whose
  numbers are computed by hand here, as of 2025-01-01 (judged at the reporting cut-off 2024-12-31:
  elapsed 365/730 = 50% for every active project);
* the seeded sample portfolio (``python -m data_access seed``), to run every page on realistic data
  and to check that a chief of mission never sees another country, on projects that work in several.

Additions to the hand portfolio:

=======  ========================================================================================
PX.D1    managed by QDD "Delta" (region RB), also implemented in QAA "Alpha" (50% / 50%); donor
         "Donor One"; budget 1,000, spent 500 (June 2024); indicator 0 → 100 with 60 reported,
         female 10, male 50: overall progress 60% (ratio 1.197, on track) but for women
         10 ÷ 50 = 20% (ratio 0.399, off track); one open risk 4 × 5 = 20 with no mitigation.
markers  IOM_GM: PX.A1 2a, PX.A2 1, PX.B1 2a (PX.C1, PX.C2, PX.D1 not set)
AAP      feedback: PX.A1 met, PX.A2 not met, PX.B1 partly
tags     MIGOF O1: PX.A1, PX.A2; MIGOF P1: PX.C1
=======  ========================================================================================

Money as of 2025-01-01 (all USD): budget 17,000, spent 7,200 (42%); burn A1 50% (on pace), A2 10%
and B1 25% (underspending, −40 and −25 pp), C1 50%, C2 100% (ended: planned 100%), D1 50%.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access import models as m
from data_access import queries
from data_access.db import dispose_engine, get_engine, upgrade
from data_access.scope import PortfolioFilter, Scope
from tests import factories as f
from tests import page_portfolio as pp
from tests.pages_apptest import app, metrics, table_with, texts

AS_OF = pp.AS_OF.isoformat()
PAGES = ("off_track", "finance", "risks", "cross_cutting", "strategy")
# pages that run only the open tab (components.lazy_tabs)
LAZY_TABS = ("off_track", "finance", "risks", "cross_cutting")


# ---- the portfolios ----------------------------------------------------------------------------------
def _add_analysis_rows(session: Session) -> None:
    project = {p.code: p for p in session.scalars(select(m.Project))}
    countries = {c.iso3: c for c in session.scalars(select(m.Country))}
    region_b = session.scalars(select(m.Region).where(m.Region.code == "RB")).one()
    donor_one = session.scalars(select(m.Donor).where(m.Donor.name == "Donor One")).one()
    delta = f.make_country(session, region_b, iso3="QDD", name="Delta")
    d1 = f.make_project(
        session,
        f.make_country_office(session, delta),
        donors=(donor_one,),
        code="PX.D1",
        title="Project PX.D1",
        manager="Dee",
        thematic_area="Health",
        start_date=pp.START,
        end_date=pp.END,
    )
    f.make_project_country(session, d1, delta, percentage=50.0)
    f.make_project_country(session, d1, countries["QAA"], percentage=50.0)
    line = f.make_budget_line(session, d1, original_amount=1000.0, line_code="BL1")
    f.make_expenditure(session, line, month=dt.date(2024, 6, 1), amount=500.0)
    outcome = f.make_result(session, d1, code="OC1", level="outcome", statement="Women reach services")
    indicator = f.make_indicator(session, d1, outcome, code="I1", name="People supported")
    f.make_actual(
        session,
        indicator,
        period_start=dt.date(2024, 7, 1),
        period_end=dt.date(2024, 12, 31),
        value=60.0,
        female=10.0,
        male=50.0,
        reported_on=dt.date(2025, 1, 1),
    )
    f.make_risk(session, d1, code="R1", likelihood=4, impact=5, mitigation=None, last_reviewed=dt.date(2024, 12, 15))
    for code, marker in (("PX.A1", "2a"), ("PX.A2", "1"), ("PX.B1", "2a")):
        f.make_marker(session, project[code], scheme="IOM_GM", code=marker)
    for code, rating in (("PX.A1", "met"), ("PX.A2", "not_met"), ("PX.B1", "partly")):
        f.make_aap(session, project[code], commitment="feedback", rating=rating)
    for code, tag in (("PX.A1", "O1"), ("PX.A2", "O1"), ("PX.C1", "P1")):
        f.make_tag(session, project[code], scheme="MIGOF", code=tag)


@pytest.fixture(scope="module")
def hand_db(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('pages_analysis') / 'hand.db'}"
    engine = get_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        pp.build(session)
        session.flush()
        _add_analysis_rows(session)
        session.commit()
    dispose_engine(engine)
    return url


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> str:
    return pp.create_sample(
        tmp_path_factory.mktemp("pages_analysis_sample") / "sample.db",
        projects=120,
        seed=11,
        today=dt.date(2025, 6, 30),
    )


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory) -> str:
    return pp.create_empty(tmp_path_factory.mktemp("pages_analysis_empty") / "empty.db")


@pytest.fixture
def on_hand(hand_db, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", hand_db)


# ---- reading what a page shows --------------------------------------------------------------------------
def open_page(page: str, *, script: str = "app.py", **query):
    """Run app.py (or a page file directly), switch to ``page`` and return the AppTest."""
    at = app(script, **query).run()
    if script == "app.py":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def on_tab(at, tab: str):
    """Open the page's lazy tab ``tab`` as a link does (``?tab=``) and run again: Finance, Risks and
    Cross-cutting run only the open tab (``components.lazy_tabs``)."""
    at.query_params["tab"] = tab
    at.run()
    assert not at.exception, at.exception
    return at


def every_tab(at):
    """The page run once per tab, each tab open in turn (what a reader clicking through sees)."""
    for tab in [t.label for t in at.tabs]:
        yield on_tab(at, tab)


def chart_titles(at) -> list[str]:
    """Chart titles as sentences (long titles are wrapped with <br> in place of a space)."""
    return [
        json.loads(chart.proto.spec)["layout"]["title"]["text"].replace("<br>", " ") for chart in at.get("plotly_chart")
    ]


# ---- Off-track ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "widgets", "expected_metrics", "expected_rows"),
    [
        # A2: progress 10% vs 50% expected (at the cut-off 2024-12-31) -> gap 40 pp
        ({}, {}, ("1", "0", "0", "1"), [("✖ Off track", "PX.A2", 40.0)]),
        # women: A2 (5 of 50 = 10%) and D1 (10 of 50 = 20%, gap 30.14)
        (
            {},
            {"ot_sex": "female"},
            ("2", "0", "0", "2"),
            [("✖ Off track", "PX.A2", 40.0), ("✖ Off track", "PX.D1", 30.0)],
        ),
        # men: D1 achieved (50 of 50), A2 still off track
        ({}, {"ot_sex": "male"}, ("1", "0", "0", "1"), [("✖ Off track", "PX.A2", 40.0)]),
        # region RB (C1, C2, D1): nothing off track overall ...
        ({"region": "RB"}, {}, ("0", "0", "0", "0"), []),
        # ... but D1 is off track for women
        ({"region": "RB"}, {"ot_sex": "female"}, ("1", "0", "0", "1"), [("✖ Off track", "PX.D1", 30.0)]),
        # indicators hang on outcomes here: none at objective level, all at outcome level
        ({}, {"ot_level": ["objective"]}, ("0", "0", "0", "0"), []),
        ({}, {"ot_level": ["outcome"]}, ("1", "0", "0", "1"), [("✖ Off track", "PX.A2", 40.0)]),
        # before any reporting period started: all five indicators are due (elapsed 16.7% at the cut-off) without data
        ({"as_of": pp.BEFORE_ANY_ACTUAL.isoformat()}, {}, ("0", "0", "5", "5"), None),
    ],
)
def test_off_track_lists_by_gap_and_filters_change_the_numbers(
    on_hand, query, widgets, expected_metrics, expected_rows
):
    at = open_page("off_track", **{"as_of": AS_OF, **query})
    for key, value in widgets.items():
        widget = at.segmented_control(key=key) if key == "ot_sex" else at.pills(key=key)
        widget.set_value(value).run()
        assert not at.exception
    shown = metrics(at)
    assert (
        shown["✖ Off track"],
        shown["▲ At risk"],
        shown["? No data"],
        shown["Projects concerned"],
    ) == expected_metrics
    if expected_rows is None:
        return
    if not expected_rows:
        assert "for this selection" in at.success[0].value
        return
    table = table_with(at, "Gap (pp)")
    assert [
        (s, p, round(g, 3)) for s, p, g in zip(table["Status"], table["Project"], table["Gap (pp)"], strict=True)
    ] == expected_rows


def test_off_track_filters_are_in_the_url(on_hand):
    at = open_page("off_track", as_of=AS_OF)
    at.segmented_control(key="ot_sex").set_value("female").run()
    assert at.query_params["sex"] == "female"
    again = open_page("off_track", as_of=AS_OF, sex="female")
    assert metrics(again)["Projects concerned"] == "2"


# ---- Finance ---------------------------------------------------------------------------------------------
def test_finance_budget_card_with_a_donor_filter_says_it_holds_whole_budgets(on_hand):
    at = open_page("finance", as_of=AS_OF, donor="Donor Two")  # funds A2, C1, C2: 2,000 + 8,000 + 1,000
    assert metrics(at)["Budget"] == "USD 11.0k"
    assert "whole budgets of projects this donor co-funds; 3 projects in USD; USD 0 not started yet" in texts(at)


def test_finance_budget_card_of_a_country_names_the_country_its_money_is_attributed_to(on_hand):
    """A browser review: a chief of mission's Budget card (the country's share of its projects) was
    less than the whole budgets the Every project tab lists, with nothing saying why; the Portfolio's
    card said "attributed to Kenya", the Finance card did not."""
    at = open_page("finance", as_of=AS_OF, **{"as": "country:QAA"})
    # Alpha: A1 1,000 + A2 2,000 + half of D1 (managed from Delta) 500 = 3,500, as its By country row
    assert metrics(at)["Budget"] == "USD 3.5k"
    assert "attributed to Alpha; 3 projects in USD" in texts(at)
    assert "attributed to" not in texts(open_page("finance", as_of=AS_OF))  # the organisation: in full


def test_finance_numbers_on_the_hand_portfolio(on_hand):
    at = open_page("finance", as_of=AS_OF)
    shown = metrics(at)
    assert shown["Budget"] == "USD 17.0k"
    assert shown["Spent"] == "USD 7.2k"
    assert "delivery 42%" in texts(at)
    assert (shown["Underspending"], shown["Over plan or budget"]) == ("2", "0")
    # a reviewer looked for the underspending projects in the To act on tab (its three lists are others)
    assert texts(at).count("by project: the Every project and Burn against time tabs") == 2
    assert not at.get("plotly_chart")  # the first view (the lists to act on) sends no chart
    on_tab(at, "Burn against time")
    assert "2 of 6 projects are underspending by more than 15 points; 0 overspending or over budget" in chart_titles(at)
    # forecast: no spending in the last three months, so forecast = spent: all but C2 (ended, 100%) below 85%
    assert (
        "5 of 6 projects are forecast to spend less than 85% of their budget by the end; 0 more than 100%"
        in chart_titles(on_tab(at, "Forecast at close"))
    )
    countries = table_with(on_tab(at, "By country"), "Country").set_index("Country")
    # Alpha: A1 1,000 + A2 2,000 + half of D1 500 = 3,500; spent 500 + 200 + 250 = 950
    assert countries.loc["Alpha", "Budget (USD)"] == pytest.approx(3500.0)
    assert countries.loc["Alpha", "Spent (USD)"] == pytest.approx(950.0)
    assert countries.loc["Delta", "Budget (USD)"] == pytest.approx(500.0)
    # shown in percentage points under one "%.1f%%" format: 950 / 3,500 = 27.1%
    assert countries.loc["Alpha", "Delivery"] == pytest.approx(27.142857)
    assert countries.loc["Alpha", "Not yet started budget (USD)"] == 0.0
    # D1 is managed from Delta: counted there, a share in Alpha
    assert countries.loc["Alpha", "Managed elsewhere, with a share here"] == 1
    donors = table_with(on_tab(at, "By donor"), "Donor").set_index("Donor")
    assert donors.loc["Donor One", "Budget (USD)"] == pytest.approx(6000.0)  # A1 + B1 + D1
    assert donors.loc["Donor Two", "Spent (USD)"] == pytest.approx(5200.0)  # A2 + C1 + C2
    projects = table_with(on_tab(at, "Every project"), "Variance (pp)")
    assert projects["Project"].tolist()[:2] == ["PX.A2", "PX.B1"]  # most underspent first


def test_the_portfolio_says_under_its_cards_which_money_they_leave_out(on_hand):
    """A browser review on four real IATI files: leadership's Portfolio read "Budget USD 750k" while
    USD 402.6M of started projects had no expenditure reported, said only in the card's help; the
    Finance page's warning now stands under the Portfolio's cards too."""
    at = open_page("portfolio", as_of="2024-03-01")  # every project started, none has reported spending
    assert "**6 projects have not reported any expenditure** since their start" in texts(at)
    assert "listed under “Expenditure not reported” on the Finance page." in texts(at)
    finance = open_page("finance", as_of="2024-03-01")
    assert "listed under “Expenditure not reported” in the To act on tab." in texts(finance)
    # once they report, nothing is left out and nothing is said
    assert "not reported any expenditure" not in texts(open_page("portfolio", as_of=AS_OF))


def test_finance_before_any_expenditure_says_not_reported_never_zero(on_hand):
    # as of 2024-03-01 every project has started (2024-01-01) but all spending is booked in June 2024
    at = open_page("finance", as_of="2024-03-01")
    shown = metrics(at)
    # the budget is known and no spending is reported: the cards show the budget and "not reported", never USD 0
    assert (shown["Budget"], shown["Spent"], shown["Underspending"]) == ("USD 17.0k", "Not reported", "0")
    assert "USD 17.0k of 6 projects without expenditure reported" in texts(at)
    assert "delivery –; 6 projects not reported, not in delivery" in texts(at)
    assert "**6 projects have not reported any expenditure**" in texts(at)
    listed = next(
        t.value
        for t in at.dataframe
        if "What fired" in t.value.columns and t.value["What fired"].str.startswith("no expenditure reported").all()
    )
    # active projects only (C2 is closed); January and February have ended
    assert sorted(listed["Project"]) == ["PX.A1", "PX.A2", "PX.B1", "PX.C1", "PX.D1"]
    assert (
        "no expenditure reported in the 2 full months since the start 1 Jan 2024; budget 1,000 USD"
        in listed["What fired"].tolist()
    )
    projects = table_with(on_tab(at, "Every project"), "Variance (pp)")
    assert set(projects["Finance"]) == {"? Not reported"} and set(projects["Forecast"]) == {"? Not reported"}
    assert projects[["Spent", "Burn", "Variance (pp)", "Forecast delivery"]].isna().all().all()
    on_tab(at, "By country")
    countries = next(
        t.value for t in at.dataframe if {"Country", "No expenditure reported: projects"} <= set(t.value.columns)
    ).set_index("Country")
    assert countries.loc["Alpha", "No expenditure reported: projects"] == 2  # A1, A2 (D1 is counted in Delta)
    assert countries.loc["Alpha", "No expenditure reported: budget (USD)"] == pytest.approx(3500.0)
    assert pd.isna(countries.loc["Alpha", "Delivery"])
    risks = table_with(on_tab(open_page("risks", as_of="2024-03-01"), "Flags"), "What fired")
    assert ("PX.A1", "Expenditure not reported", "EXPENDITURE_NOT_REPORTED") in set(
        zip(risks["Project"], risks["Flag"], risks["Code"], strict=True)
    )
    assert "Underspending" not in set(risks["Flag"])


def test_finance_for_a_chief_of_mission_lists_only_the_country(on_hand):
    # QAA sees A1, A2 and D1 (implemented in QAA, managed from Delta)
    at = open_page("finance", **{"as": "country:QAA", "as_of": AS_OF})
    # the card counts the money in QAA: A1 1,000 + A2 2,000 + half of D1 500 = the by-country row
    assert metrics(at)["Budget"] == "USD 3.5k"
    assert table_with(on_tab(at, "By country"), "Country")["Country"].tolist() == ["Alpha"]
    assert "shares of 1 other countries" in texts(at)
    assert sorted(table_with(on_tab(at, "Every project"), "Variance (pp)")["Project"]) == ["PX.A1", "PX.A2", "PX.D1"]


# ---- Risks and flags -------------------------------------------------------------------------------------
def test_risks_page_on_the_hand_portfolio(on_hand):
    at = open_page("risks", as_of=AS_OF)
    shown = metrics(at)
    assert (shown["Open high risks"], shown["Risks to act on"]) == ("5", "1")
    assert "of 5 open risks" in texts(at)
    assert not at.get("plotly_chart")  # the first view (the risks to act on) sends no chart
    unmitigated = table_with(at, "Why")
    assert unmitigated[["Project", "Risk", "Score", "Why"]].values.tolist() == [["PX.D1", "R1", 20.0, "no mitigation"]]
    assert "5 of 5 open risks in view score high (likelihood × impact ≥ 15)" in chart_titles(on_tab(at, "Risk heatmap"))
    flags = table_with(on_tab(at, "Flags"), "What fired")
    assert {
        ("PX.A2", "Results off track", "RESULTS_OFF_TRACK"),
        ("PX.D1", "High risk not mitigated or reviewed", "HIGH_RISK_UNMITIGATED"),
    } <= set(zip(flags["Project"], flags["Flag"], flags["Code"], strict=True))
    # the flag-code chart draws every code raised, so its bars add up to the severity chart
    # (A2's RESULTS_OFF_TRACK and D1's HIGH_RISK_UNMITIGATED tie at one high flag: the label's order decides)
    assert (
        "High risk not mitigated or reviewed has the most high-severity flags: 1 of the 2 high-severity flags "
        "in this chart (21 flags in all)"
    ) in chart_titles(on_tab(at, "Flags by severity, country and flag"))


def test_risks_cards_of_projects_without_a_register_say_so(on_hand):
    """A browser review on real IATI files (none carries a risk register): "0 of 0 open risks" read
    as if the registers were clean; PX.C2, the only closed project, has no register either."""
    at = open_page("risks", as_of=AS_OF, status="closed")
    assert metrics(at)["Open high risks"] == "0"
    assert "no project has a risk register" in texts(at)
    assert "of 0 open risks" not in texts(at)


def test_severity_filter_narrows_every_flag_view(on_hand):
    at = on_tab(open_page("risks", as_of=AS_OF), "Flags")
    every = len(table_with(at, "What fired"))
    at.pills(key="rf_severity").set_value(["high"]).run()
    flags = table_with(at, "What fired")
    assert 0 < len(flags) < every
    assert set(flags["Severity"]) == {"✖ High"}
    assert at.query_params["severity"] == "high"
    # the choice holds on the charts' tab: the severity chart counts only high flags, as many as in all
    on_tab(at, "Flags by severity, country and flag")
    assert at.pills(key="rf_severity").value == ["high"]
    assert f"{len(flags)} high-severity flags on" in chart_titles(at)[0]
    assert chart_titles(at)[0].endswith(f"; {len(flags)} flags in all")
    # and back on the list, after a tab without the filters (their state is dropped, the URL keeps it)
    on_tab(on_tab(at, "Risk heatmap"), "Flags")
    assert at.query_params["severity"] == "high"
    assert len(table_with(at, "What fired")) == len(flags)


# ---- Cross-cutting -----------------------------------------------------------------------------------------
MARKERS, AAP, DISAGGREGATION = (
    "Gender and other markers",
    "Accountability to affected populations",
    "Sex and age disaggregation",
)


def test_cross_cutting_opens_on_the_projects_to_act_on(on_hand):
    at = open_page("cross_cutting", as_of=AS_OF)
    assert [t.label for t in at.tabs] == ["To act on", MARKERS, AAP, DISAGGREGATION]
    assert not at.get("plotly_chart")  # the first view sends no chart
    # no gender marker: C1 and D1 (active, started; C2 has ended, A1, A2, B1 are coded)
    assert table_with(at, "Results")["Project"].tolist() == ["PX.C1", "PX.D1"]
    # AAP: every active project that has started misses a commitment (only feedback is ever rated)
    aap = table_with(at, "Feedback and complaints").set_index("Project")
    assert aap.loc["PX.A1", "Feedback and complaints"] == "✔ Met"
    assert aap.loc["PX.A2", "Feedback and complaints"] == "✖ Not met"
    assert set(aap["Participation"]) == {"? Not assessed"}
    # most gaps first: A2 misses all five (feedback not met), A1 four (feedback met)
    assert aap["Not met or not assessed"].is_monotonic_decreasing
    assert aap.loc[["PX.A1", "PX.A2"], "Not met or not assessed"].tolist() == [4, 5]
    # the 5 reporting people-counting indicators all give women or men (the chart says 100%)
    assert "Every indicator that counts people and has reported is broken down by sex." in texts(at)
    women = table_with(at, "Women and girls")
    assert women[["Project", "Overall", "Women and girls", "Men and boys"]].values.tolist() == [
        ["PX.D1", "● On track", "✖ Off track", "● On track"]
    ]  # men: one indicator achieved -> on track


def test_cross_cutting_numbers_on_the_hand_portfolio(on_hand):
    at = open_page("cross_cutting", as_of=AS_OF)
    titles = [t for tab in (MARKERS, AAP, DISAGGREGATION) for t in chart_titles(on_tab(at, tab))]
    assert (
        "IOM Gender Marker: most common is code 2a (33% of projects, 29% of budget); 3 of 6 projects have no code"
    ) in titles
    assert (
        "Design, monitoring and evaluation is the least met AAP commitment: 0% of projects meet it "
        "(best: Feedback and complaints, 17%)"
    ) in titles
    assert "100% of 5 reporting people-counting indicators are broken down by sex, 0% by age" in titles


def test_cross_cutting_marker_table_has_a_row_per_region_and_a_column_per_code(on_hand):
    at = on_tab(open_page("cross_cutting", as_of=AS_OF), MARKERS)
    table = table_with(at, "2a · % of projects").set_index("Region")
    # Region A manages A1 (2a), A2 (1), B1 (2a); Region B manages C1, C2, D1 (no code); shown in % points
    shares = table[["2a · % of projects", "1 · % of projects", "No code (not set) · % of projects"]]
    assert shares.round(3).values.tolist() == [[66.667, 33.333, 0.0], [0.0, 0.0, 100.0]]
    assert table["Projects"].tolist() == [3, 3]


@pytest.mark.parametrize(
    ("by", "expected_groups"),
    [("region", ["Region A", "Region B"]), ("managing_country", ["Alpha", "Beta", "Delta", "Gamma"])],
)
def test_cross_cutting_breaks_down_by_region_or_country(on_hand, by, expected_groups):
    at = on_tab(open_page("cross_cutting", as_of=AS_OF), DISAGGREGATION)
    at.segmented_control(key="cc_by").set_value(by).run()
    label = "Region" if by == "region" else "Country"
    table = table_with(at, "People-counting indicators")
    assert table[label].tolist() == expected_groups
    # the choice is in the URL, so it holds on the other tabs
    assert table_with(on_tab(at, AAP), "Commitment")[label].unique().tolist() == expected_groups


def test_cross_cutting_aap_by_budget(on_hand):
    at = on_tab(open_page("cross_cutting", as_of=AS_OF), AAP)
    at.segmented_control(key="cc_aap_weight").set_value("budget").run()
    # feedback met by A1 only: USD 1,000 of 17,000 = 6%
    assert any(t.endswith("(best: Feedback and complaints, 6%)") for t in chart_titles(at))


def test_cross_cutting_for_a_chief_of_mission_shares_money_by_country(on_hand):
    # Alpha manages A1 (2a, 1,000) and A2 (1, 2,000); D1 is managed by Delta and works 50% in Alpha
    # (500 of its 1,000, no code): USD 3,500 in Alpha, 2 projects counted, D1 shown apart
    at = on_tab(open_page("cross_cutting", as_of=AS_OF, **{"as": "country:QAA"}), MARKERS)
    assert at.segmented_control(key="cc_by").options == ["Country"]
    table = table_with(at, "2a · % of projects").set_index("Country")
    assert table["Projects"].tolist() == [2]
    assert table.loc["Alpha", "Budget (USD)"] == pytest.approx(3500.0)
    assert table.loc["Alpha", "No code (not set) · % of budget"] == pytest.approx(500 / 3500 * 100)
    assert (
        "IOM Gender Marker: most common is code 1 (50% of projects, 57% of budget); every project has a code"
    ) in chart_titles(at)
    assert "Managed elsewhere: 1 project managed from another country also works here" in texts(at)
    finance = open_page("finance", as_of=AS_OF, **{"as": "country:QAA"})
    assert metrics(finance)["Budget"] == "USD 3.5k"
    on_tab(finance, "By country")
    row = (
        next(t.value for t in finance.dataframe if {"Country", "Not yet started budget (USD)"} <= set(t.value.columns))
        .set_index("Country")
        .loc["Alpha"]
    )
    assert row["Budget (USD)"] + row["Not yet started budget (USD)"] == pytest.approx(table["Budget (USD)"].sum())


# ---- Strategy ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("scheme", "expected_titles"),
    [
        (
            "MIGOF",
            [
                "MiGOF O1 is served by the most projects (2, USD 3.0k); 2 MiGOF elements tagged",
                "MiGOF O1 has the largest share of indicators off track: 1 of 2 (50%)",
            ],
        ),
        ("SDG", ["No SDG target tag on any project in view", "Indicators by SDG target: none in view"]),
    ],
)
def test_strategy_rolls_up_by_tag(on_hand, scheme, expected_titles):
    at = open_page("strategy", as_of=AS_OF)
    at.segmented_control(key="st_scheme").set_value(scheme).run()
    assert not at.exception
    assert chart_titles(at) == expected_titles


def test_strategy_table_counts_statuses_per_tag(on_hand):
    at = open_page("strategy", as_of=AS_OF)
    table = table_with(at, "Tag").set_index("Tag")
    assert table.loc["MiGOF O1", ["Projects", "Budget (USD)", "Indicators", "✖ Off track", "● On track"]].tolist() == [
        2,
        3000.0,
        2,
        1,
        1,
    ]
    assert table.loc["MiGOF P1", "Name"] == "Adherence to international standards and fulfilment of migrants' rights"


# ---- every page: empty database, sample portfolio, scope ---------------------------------------------------------
@pytest.mark.parametrize("page", PAGES)
def test_page_on_an_empty_database_says_what_to_import(empty_db, monkeypatch, page):
    monkeypatch.setenv("DATABASE_URL", empty_db)
    at = open_page(page)
    assert not at.error
    assert "No projects in the database yet" in texts(at)
    assert not at.get("plotly_chart")


@pytest.mark.parametrize("page", PAGES)
def test_page_before_any_project_started(on_hand, page):
    # 2023-12-31: nothing started, nothing due, nothing spent, no flag (flags need a started project)
    at = open_page(page, as_of="2023-12-31")
    assert not at.error
    if page == "risks":
        assert metrics(at)["Flags"] == "0"
        assert "No early-warning flag is raised in this view" in chart_titles(
            on_tab(at, "Flags by severity, country and flag")
        )
    if page == "off_track":
        assert metrics(at)["Projects concerned"] == "0"
    if page == "finance":
        # every budget is "not yet started", none in delivery; no point drawn at (0, 0)
        countries = table_with(on_tab(at, "By country"), "Country").set_index("Country")
        assert countries.loc["Alpha", "Budget (USD)"] == 0.0
        assert countries.loc["Alpha", "Not yet started budget (USD)"] == pytest.approx(3500.0)
        assert pd.isna(countries.loc["Alpha", "Delivery"])
        assert "Burn against time: no started project has a known budget and spending" in chart_titles(
            on_tab(at, "Burn against time")
        )


@pytest.mark.parametrize("page", PAGES)
def test_page_for_a_selection_without_projects_says_how_to_widen_it(on_hand, page):
    at = open_page(page, as_of=AS_OF, status="pipeline")  # the hand portfolio has no pipeline project
    assert not at.error
    assert "No project matches these filters" in texts(at)
    assert not at.get("plotly_chart")


@pytest.mark.parametrize("page", PAGES)
def test_page_on_the_sample_portfolio(sample_db, monkeypatch, page):
    monkeypatch.setenv("DATABASE_URL", sample_db)
    at = open_page(page, as_of="2025-06-30")
    assert not at.error
    titles = [t for _ in every_tab(at) for t in chart_titles(at)] if page in LAZY_TABS else chart_titles(at)
    assert titles and all(t and not re.search(r"\bnan\b|\?%", t, re.IGNORECASE) for t in titles), titles


def _multi_country_country(url: str) -> tuple[str, set[str], set[str]]:
    """A country implementing a project managed elsewhere; the codes and names its chief may see."""
    engine = get_engine(url)
    every = queries.load_portfolio(
        engine, Scope.whole_organisation("administrator"), PortfolioFilter(as_of=dt.date(2025, 6, 30))
    )
    pcs, projects = every.project_countries, every.projects
    managed = dict(zip(projects["project_id"], projects["managing_country"], strict=True))
    foreign = pcs.loc[pcs["country"] != pcs["project_id"].map(managed)]
    iso = foreign["country"].value_counts().index[0]
    # what its chief of mission may read (DOMAIN.md 1: projects managed by the country or implemented in
    # it), worked out from the organisation's frames rather than by the scoped query the pages use
    ids = set(projects.loc[projects["managing_country"] == iso, "project_id"]) | set(
        pcs.loc[pcs["country"] == iso, "project_id"]
    )
    readable = set(projects.loc[projects["project_id"].isin(ids), "project_code"])
    name = pcs.loc[pcs["country"] == iso, "country_name"].iloc[0]
    return iso, readable, {name}


def _assert_only(at, readable: set[str], names: set[str], page: str) -> None:
    """Every project shown is readable by the scope; every row per country is the scope's country."""
    for frame in at.dataframe:
        table = frame.value
        if "Project" in table.columns:
            assert set(table["Project"]) <= readable, page
        elif "Country" in table.columns:
            assert set(table["Country"]) <= names, page


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("script", ["app.py", "page"])
def test_chief_of_mission_never_sees_another_country(sample_db, monkeypatch, page, script):
    monkeypatch.setenv("DATABASE_URL", sample_db)
    iso, readable, names = _multi_country_country(sample_db)
    at = open_page(
        page,
        script="app.py" if script == "app.py" else f"pages/{page}.py",
        **{"as": f"country:{iso}", "as_of": "2025-06-30"},
    )
    assert at.query_params["as"] == f"country:{iso}"
    _assert_only(at, readable, names, page)
    for _ in every_tab(at) if page in LAZY_TABS else ():
        _assert_only(at, readable, names, page)
    if page == "cross_cutting":
        at.segmented_control(key="cc_by").set_value("managing_country").run()
        _assert_only(at, readable, names, page)
    if page == "risks":
        on_tab(at, "Flags by severity, country and flag")
        by_country = json.loads(at.get("plotly_chart")[1].proto.spec)  # flags by managing country (text)
        assert {y for trace in by_country["data"] for y in trace.get("y", [])} <= names
