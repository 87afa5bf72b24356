"""Marker, AAP and disaggregation coverage (DOMAIN.md section 6): hand-computed counts and shares."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from monitoring.frames import frame
from monitoring.markers import (
    aap_coverage,
    disaggregation_by_project,
    disaggregation_coverage,
    marker_distribution,
    off_track_for_women,
    people_counting,
)

d = dt.date
PROJECTS = frame(
    "projects",
    [
        dict(project_id=1, managing_country="KEN", region="EHoA"),
        dict(project_id=2, managing_country="KEN", region="EHoA"),
        dict(project_id=3, managing_country="THA", region="AP"),
        dict(project_id=4, managing_country="THA", region="AP"),
    ],
)
PROJECT_COUNTRIES = frame(
    "project_countries",
    [
        dict(project_id=1, country="KEN", region="EHoA", share=0.75),
        dict(project_id=1, country="THA", region="AP", share=0.25),
    ],
)
BUDGET = pd.Series({1: 1000.0, 2: 500.0, 3: 300.0, 4: float("nan")})  # project 4: no exchange rate
MARKERS = frame(
    "markers",
    [
        dict(project_id=1, scheme="IOM_GM", code="2a"),
        dict(project_id=2, scheme="IOM_GM", code="1"),
        dict(project_id=3, scheme="IOM_GM", code="2a"),
        dict(project_id=3, scheme="DAC_GENDER", code="1"),  # another scheme: ignored
    ],
)


@pytest.mark.parametrize(
    ("by", "key", "expected"),
    [
        # (n_projects, share_projects, budget_usd, share_budget, n_budget_unknown)
        (None, "2a", (2, 0.5, 1300.0, 1300 / 1800, 0)),
        (None, "1", (1, 0.25, 500.0, 500 / 1800, 0)),
        (None, "not set", (1, 0.25, 0.0, 0.0, 1)),  # project 4: counted, budget unknown
        ("managing_country", ("KEN", "2a"), (1, 0.5, 1000.0, 1000 / 1500, 0)),
        ("managing_country", ("THA", "not set"), (1, 0.5, 0.0, 0.0, 1)),
        ("region", ("AP", "2a"), (1, 0.5, 300.0, 1.0, 0)),
    ],
)
def test_marker_distribution(by, key, expected):
    table = marker_distribution(MARKERS, PROJECTS, BUDGET, "IOM_GM", by)
    row = table.set_index("code" if by is None else [by, "code"]).loc[key]
    n, share_n, budget, share_budget, unknown = expected
    assert row["n_projects"] == n
    assert row["share_projects"] == pytest.approx(share_n)
    assert row["budget_usd"] == pytest.approx(budget)
    assert row["share_budget"] == pytest.approx(share_budget)
    assert row["n_budget_unknown"] == unknown


def test_marker_budget_shared_among_countries_counts_by_managing_country():
    table = marker_distribution(
        MARKERS, PROJECTS, BUDGET, "IOM_GM", "managing_country", project_countries=PROJECT_COUNTRIES
    ).set_index(["managing_country", "code"])
    # project 1 (KEN, 2a): 750 to KEN, 250 to THA; counted once, in KEN
    assert table.loc[("KEN", "2a"), "budget_usd"] == pytest.approx(750.0)
    assert table.loc[("KEN", "2a"), "n_projects"] == 1
    assert table.loc[("THA", "2a"), "budget_usd"] == pytest.approx(250.0 + 300.0)
    assert table.loc[("THA", "2a"), "n_projects"] == 1  # project 3 only
    assert table["n_projects"].sum() == 4
    assert table["budget_usd"].sum() == pytest.approx(1800.0)


AAP = frame(
    "aap",
    [
        dict(project_id=1, commitment="feedback", rating="met"),
        dict(project_id=2, commitment="feedback", rating="partly"),
        dict(project_id=3, commitment="feedback", rating="not_met"),
        dict(project_id=1, commitment="participation", rating="met"),
    ],
)


@pytest.mark.parametrize(
    ("commitment", "rating", "expected"),
    [
        # (n_projects, share_projects, budget_usd, share_budget)
        ("feedback", "met", (1, 0.25, 1000.0, 1000 / 1800)),
        ("feedback", "partly", (1, 0.25, 500.0, 500 / 1800)),
        ("feedback", "not_met", (1, 0.25, 300.0, 300 / 1800)),
        ("feedback", "not_assessed", (1, 0.25, 0.0, 0.0)),
        ("participation", "met", (1, 0.25, 1000.0, 1000 / 1800)),
        ("participation", "not_assessed", (3, 0.75, 800.0, 800 / 1800)),
        ("leadership", "not_assessed", (4, 1.0, 1800.0, 1.0)),  # nobody rated it: still a row
    ],
)
def test_aap_coverage(commitment, rating, expected):
    table = aap_coverage(AAP, PROJECTS, BUDGET, None).set_index(["commitment", "rating"])
    row = table.loc[(commitment, rating)]
    n, share_n, budget, share_budget = expected
    assert row["n_projects"] == n
    assert row["share_projects"] == pytest.approx(share_n)
    assert row["budget_usd"] == pytest.approx(budget)
    assert row["share_budget"] == pytest.approx(share_budget)


def test_aap_coverage_by_region_lists_every_commitment():
    table = aap_coverage(AAP, PROJECTS, BUDGET, "region")
    assert set(table["commitment"]) == {"leadership", "information", "feedback", "participation", "design_monitoring"}
    kenya = table[(table["region"] == "EHoA") & (table["commitment"] == "feedback")].set_index("rating")
    assert kenya.loc["met", "share_projects"] == pytest.approx(0.5)


INDICATORS = frame(
    "indicators",
    [
        dict(indicator_id=1, project_id=1, measure="number", unit="people", disaggregation="none"),
        dict(indicator_id=2, project_id=1, measure="number", unit="trainings", disaggregation="sex"),
        dict(indicator_id=3, project_id=2, measure="number", unit="Migrants assisted", disaggregation="none"),
        dict(indicator_id=4, project_id=3, measure="number", unit="households", disaggregation="none"),
        dict(indicator_id=5, project_id=3, measure="percentage", unit="%", disaggregation="none"),
        dict(indicator_id=6, project_id=3, measure="percentage", unit="%", disaggregation="sex_age"),
        dict(indicator_id=7, project_id=4, measure="number", unit="beneficiaries", disaggregation="none"),
        dict(indicator_id=8, project_id=4, measure="number", unit="women", disaggregation="none"),
    ],
)


@pytest.mark.parametrize(
    ("indicator_id", "people"),
    [
        (1, True),
        (2, True),
        (3, True),
        (4, False),
        (5, False),
        (6, True),
        (7, True),
        (8, True),
    ],
)
def test_people_counting(indicator_id, people):
    flags = dict(zip(INDICATORS["indicator_id"], people_counting(INDICATORS), strict=False))
    assert flags[indicator_id] is people


Q1 = dict(period_start=d(2025, 1, 1), period_end=d(2025, 3, 31))
Q2 = dict(period_start=d(2025, 4, 1), period_end=d(2025, 6, 30))
Q3 = dict(period_start=d(2025, 7, 1), period_end=d(2025, 9, 30))
ACTUALS = frame(
    "actuals",
    [
        dict(indicator_id=1, value=10, female=4, male=6, **Q1),
        dict(indicator_id=1, value=12, female=5, male=7, **Q2),  # every period: covered
        dict(indicator_id=2, value=3, female=1, male=2, **Q1),
        dict(indicator_id=2, value=4, **Q2),  # one period without: not covered
        dict(indicator_id=3, value=50, **Q1),
        dict(indicator_id=3, value=60, female=30, male=30, **Q3),  # started after as-of: ignored
        dict(indicator_id=6, value=40, female=38, male=42, **Q2),
        dict(indicator_id=7, value=100, female=60, **Q2),  # female alone is a breakdown
    ],
)
BREAKDOWNS = frame(
    "actual_breakdowns",
    [
        dict(indicator_id=1, dimension="age", category="0-17", value=3, **Q1),
        dict(indicator_id=1, dimension="age", category="18-59", value=7, **Q1),
        dict(indicator_id=1, dimension="Age group", category="0-17", value=12, **Q2),
        dict(indicator_id=6, dimension="disability", category="with disability", value=5, **Q2),
        dict(indicator_id=7, dimension="age", category="60+", value=10, **Q2),
    ],
)
AS_OF = d(2025, 6, 30)


@pytest.mark.parametrize(
    ("by", "group", "expected"),
    [
        # (n_people_indicators, n_reported, n_sex, share_sex, n_age, share_age)
        # people-counting: 1, 2, 3, 6, 7, 8; reported: 1, 2, 3, 6, 7; sex: 1, 6, 7; age: 1, 7
        (None, None, (6, 5, 3, 0.6, 2, 0.4)),
        ("managing_country", "KEN", (3, 3, 1, 1 / 3, 1, 1 / 3)),
        ("managing_country", "THA", (3, 2, 2, 1.0, 1, 0.5)),
    ],
)
def test_disaggregation_coverage(by, group, expected):
    counts = disaggregation_by_project(INDICATORS, ACTUALS, as_of=AS_OF, breakdowns=BREAKDOWNS)
    table = disaggregation_coverage(counts, by, projects=PROJECTS)
    row = table.iloc[0] if by is None else table.set_index(by).loc[group]
    got = (
        row["n_people_indicators"],
        row["n_reported"],
        row["n_sex"],
        row["share_sex"],
        row["n_age"],
        row["share_age"],
    )
    assert got[:3] == expected[:3]
    assert got[3] == pytest.approx(expected[3])
    assert got[4] == expected[4]
    assert got[5] == pytest.approx(expected[5])


def test_disaggregation_coverage_without_breakdown_frame_has_no_age_coverage():
    table = disaggregation_coverage(disaggregation_by_project(INDICATORS, ACTUALS, as_of=AS_OF), None)
    assert table.loc[0, "n_age"] == 0
    assert table.loc[0, "n_sex"] == 3


def test_disaggregation_coverage_of_nothing():
    table = disaggregation_coverage(disaggregation_by_project(INDICATORS.iloc[:0], ACTUALS, as_of=AS_OF), None)
    assert table.loc[0, "n_people_indicators"] == 0
    assert math.isnan(table.loc[0, "share_sex"])


def test_off_track_for_women():
    results = pd.DataFrame(
        {
            "project_id": [1, 2, 3, 4],
            "results_status": ["on_track", "on_track", "off_track", "on_track"],
            "results_status_female": ["off_track", "on_track", "off_track", "not_assessable"],
        }
    )
    assert off_track_for_women(results)["project_id"].tolist() == [1]


# A chief of mission's view (DOMAIN.md 1): project 10 is managed in SSD and works 60% in SSD, 40% in
# ETH; project 11 is managed in UGA and works 50% in SSD; project 12 is ETH's alone.
VIEW_PROJECTS = frame(
    "projects",
    [
        dict(project_id=10, managing_country="SSD", region="EHoA"),
        dict(project_id=11, managing_country="UGA", region="EHoA"),
        dict(project_id=12, managing_country="ETH", region="EHoA"),
    ],
)
VIEW_COUNTRIES = frame(
    "project_countries",
    [
        dict(project_id=10, country="SSD", region="EHoA", share=60.0),
        dict(project_id=10, country="ETH", region="EHoA", share=40.0),
        dict(project_id=11, country="UGA", region="EHoA", share=50.0),
        dict(project_id=11, country="SSD", region="EHoA", share=50.0),
    ],
)
VIEW_BUDGET = pd.Series({10: 1000.0, 11: 200.0, 12: 5000.0})
VIEW_MARKERS = frame(
    "markers",
    [
        dict(project_id=10, scheme="IOM_GM", code="2a"),
        dict(project_id=11, scheme="IOM_GM", code="1"),
        dict(project_id=12, scheme="IOM_GM", code="1"),
    ],
)


@pytest.mark.parametrize(
    ("countries", "code", "expected"),
    [
        # (n_projects, share_projects, budget_usd, share_budget): SSD holds 600 of project 10 and 100 of 11
        (("SSD",), "2a", (1, 1.0, 600.0, 600 / 700)),
        (("SSD",), "1", (0, 0.0, 100.0, 100 / 700)),  # project 11 is counted in UGA, its money shared
        (("SSD", "ETH"), "2a", (1, 0.5, 1000.0, 1000 / 6100)),
        (("SSD", "ETH"), "1", (1, 0.5, 5100.0, 5100 / 6100)),
    ],
)
def test_marker_distribution_for_the_countries_in_view(countries, code, expected):
    table = marker_distribution(
        VIEW_MARKERS, VIEW_PROJECTS, VIEW_BUDGET, "IOM_GM", None, project_countries=VIEW_COUNTRIES, countries=countries
    ).set_index("code")
    n, share_n, budget, share_budget = expected
    assert table.loc[code, "n_projects"] == n
    assert table.loc[code, "share_projects"] == pytest.approx(share_n)
    assert table.loc[code, "budget_usd"] == pytest.approx(budget)
    assert table.loc[code, "share_budget"] == pytest.approx(share_budget)


def test_aap_coverage_for_the_countries_in_view_shares_money_by_country():
    aap = frame("aap", [dict(project_id=10, commitment="feedback", rating="met")])
    table = aap_coverage(
        aap, VIEW_PROJECTS, VIEW_BUDGET, None, project_countries=VIEW_COUNTRIES, countries=("SSD",)
    ).set_index(["commitment", "rating"])
    assert table.loc[("feedback", "met"), "budget_usd"] == pytest.approx(600.0)
    assert table.loc[("feedback", "not_assessed"), "budget_usd"] == pytest.approx(100.0)
    assert table.loc[("feedback", "met"), "n_projects"] == 1
    assert table.loc[("feedback", "met"), "share_budget"] == pytest.approx(600 / 700)
