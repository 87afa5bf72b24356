"""Roll-ups to country, region, organisation and strategic tag: counts typed in by hand, never double counted."""

from __future__ import annotations

import pandas as pd
import pytest

from monitoring.frames import frame
from monitoring.rollup import (
    budget_shares,
    indicator_status_counts,
    project_status_counts,
    sum_same_unit,
)
from monitoring.strategy import tag_rollup

PROJECTS = frame(
    "projects",
    [
        dict(project_id=1, managing_country="KEN", region="EHoA"),
        dict(project_id=2, managing_country="KEN", region="EHoA"),
        dict(project_id=3, managing_country="ETH", region="EHoA"),
        dict(project_id=4, managing_country="THA", region="AP"),  # also implemented in KEN (below)
        dict(project_id=5),  # no managing country recorded
    ],
)
PROJECT_COUNTRIES = frame(
    "project_countries",
    [
        dict(project_id=4, country="THA", region="AP", share=0.3),
        dict(project_id=4, country="KEN", region="EHoA", share=0.3),  # percentages sum to 60: normalised
        dict(project_id=1, country="KEN", region="EHoA", share=1.0),
    ],
)
INDICATOR_EVAL = pd.DataFrame(
    {
        "indicator_id": range(1, 10),
        "project_id": [1, 1, 2, 3, 3, 4, 4, 4, 5],
        "status": [
            "on_track",
            "off_track",
            "achieved",
            "no_data",
            "on_track",
            "at_risk",
            "not_due",
            "not_assessable",
            "on_track",
        ],
    }
)


@pytest.mark.parametrize(
    ("by", "group", "expected"),
    [
        # (n_indicators, n_assessable, n_on_track, n_off_track, share_on_track)
        ("managing_country", "KEN", (3, 3, 1, 1, 1 / 3)),
        ("managing_country", "ETH", (2, 1, 1, 0, 0.5)),
        ("managing_country", "THA", (3, 1, 0, 0, 0.0)),  # counted once, under its managing country
        ("managing_country", "unknown", (1, 1, 1, 0, 1.0)),
        ("region", "EHoA", (5, 4, 2, 1, 0.4)),
        ("region", "AP", (3, 1, 0, 0, 0.0)),
        (None, None, (9, 6, 3, 1, 3 / 9)),
    ],
)
def test_indicator_status_counts(by, group, expected):
    table = indicator_status_counts(INDICATOR_EVAL, PROJECTS, by)
    row = table.iloc[0] if by is None else table.set_index(by).loc[group]
    n, n_assessable, n_on, n_off, share_on = expected
    assert (row["n_indicators"], row["n_assessable"], row["n_on_track"], row["n_off_track"]) == (
        n,
        n_assessable,
        n_on,
        n_off,
    )
    assert row["share_on_track"] == pytest.approx(share_on)


def test_indicator_shares_add_up_to_one_per_group():
    table = indicator_status_counts(INDICATOR_EVAL, PROJECTS, "managing_country")
    shares = table[[c for c in table.columns if c.startswith("share_")]].sum(axis=1)
    assert shares.tolist() == pytest.approx([1.0] * len(table))


def test_organisation_row_exists_for_an_empty_portfolio():
    table = indicator_status_counts(INDICATOR_EVAL.iloc[:0], PROJECTS, None)
    assert len(table) == 1
    assert table.loc[0, "n_indicators"] == 0
    assert pd.isna(table.loc[0, "share_on_track"])


def test_unknown_by_is_an_error():
    with pytest.raises(ValueError, match="by must be one of"):
        indicator_status_counts(INDICATOR_EVAL, PROJECTS, "country")


PROJECT_TABLE = pd.DataFrame(
    {
        "project_id": [1, 2, 3, 4, 5],
        "results_status": ["off_track", "on_track", "on_track", "not_assessable", "at_risk"],
        "burn_status": ["on_pace", "underspending", "on_pace", "overspending", None],
    }
)


@pytest.mark.parametrize(
    ("by", "group", "n", "counts"),
    [
        # counts in PROJECT_STATUSES order: on_track, at_risk, off_track, not_assessable
        ("managing_country", "KEN", 2, [1, 0, 1, 0]),
        ("managing_country", "THA", 1, [0, 0, 0, 1]),
        ("region", "EHoA", 3, [2, 0, 1, 0]),
        (None, None, 5, [2, 1, 1, 1]),
    ],
)
def test_project_status_counts(by, group, n, counts):
    table = project_status_counts(PROJECT_TABLE, by, projects=PROJECTS)
    row = table.iloc[0] if by is None else table.set_index(by).loc[group]
    assert row["n_projects"] == n
    assert [row[f"n_{s}"] for s in ("on_track", "at_risk", "off_track", "not_assessable")] == counts


def test_project_status_counts_of_another_status_column():
    table = project_status_counts(PROJECT_TABLE, None, status_column="burn_status")
    row = table.iloc[0]
    assert (row["n_projects"], row["n_on_pace"], row["n_overspending"], row["n_underspending"]) == (5, 2, 1, 1)
    assert row["share_on_pace"] == pytest.approx(0.4)


def test_project_status_counts_needs_a_group_column():
    with pytest.raises(ValueError, match="pass projects"):
        project_status_counts(PROJECT_TABLE, "region")


@pytest.mark.parametrize(
    ("with_countries", "expected"),
    [
        # project 4's money: half to THA, half to KEN (0.3 and 0.3 normalised); others wholly managing
        (
            True,
            {(1, "KEN"): 1.0, (2, "KEN"): 1.0, (3, "ETH"): 1.0, (4, "THA"): 0.5, (4, "KEN"): 0.5, (5, "unknown"): 1.0},
        ),
        (False, {(1, "KEN"): 1.0, (2, "KEN"): 1.0, (3, "ETH"): 1.0, (4, "THA"): 1.0, (5, "unknown"): 1.0}),
    ],
)
def test_budget_shares(with_countries, expected):
    shares = budget_shares(PROJECTS, "managing_country", PROJECT_COUNTRIES if with_countries else None)
    got = {(r.project_id, r.group): r.share for r in shares.itertuples()}
    assert got == pytest.approx(expected)


def test_budget_shares_by_region_sum_to_one_per_project():
    shares = budget_shares(PROJECTS, "region", PROJECT_COUNTRIES)
    assert shares.groupby("project_id")["share"].sum().tolist() == pytest.approx([1.0] * 5)


INDICATORS = frame(
    "indicators",
    [
        dict(indicator_id=1, project_id=1, unit="People", measure="number", accumulation="incremental"),
        dict(indicator_id=2, project_id=2, unit=" people ", measure="number", accumulation="cumulative"),
        dict(indicator_id=3, project_id=3, unit="people", measure="number", accumulation="incremental"),
        dict(indicator_id=4, project_id=1, unit="sessions", measure="number", accumulation="incremental"),
        dict(indicator_id=5, project_id=1, unit="%", measure="percentage", accumulation="level"),
        dict(indicator_id=6, project_id=2, unit="days", measure="number", accumulation="level"),
        dict(
            indicator_id=7,
            project_id=4,
            unit="people",
            measure="number",
            accumulation="incremental",
            direction="decrease",
        ),
    ],
)
SUM_EVAL = pd.DataFrame(
    {
        "indicator_id": [1, 2, 3, 4, 5, 6, 7],
        "project_id": [1, 2, 3, 1, 1, 2, 4],
        "actual_to_date": [100.0, 40.0, float("nan"), 12.0, 55.0, 9.0, 5.0],
        "end_target": [200.0, 100.0, 50.0, 20.0, 80.0, 5.0, 2.0],
        "b": [0.0, 10.0, 0.0, 0.0, 20.0, 10.0, 0.0],
        "has_actual": [True, True, False, True, True, True, True],
    }
)


@pytest.mark.parametrize(
    ("by", "key", "expected"),
    [
        # (n_indicators, n_reported, actual_to_date, end_target): People, " people " and people are one unit
        (None, ("people", "increase"), (3, 2, 140.0, 350.0)),
        (None, ("sessions", "increase"), (1, 1, 12.0, 20.0)),
        (None, ("people", "decrease"), (1, 1, 5.0, 2.0)),  # never netted with the increasing counts
        ("managing_country", ("KEN", "people", "increase"), (2, 2, 140.0, 300.0)),
        ("managing_country", ("ETH", "people", "increase"), (1, 0, 0.0, 50.0)),
    ],
)
def test_sum_same_unit(by, key, expected):
    table = sum_same_unit(SUM_EVAL, INDICATORS, by, projects=PROJECTS)
    index = ["unit", "direction"] if by is None else [by, "unit", "direction"]
    row = table.set_index(index).loc[key]
    assert (row["n_indicators"], row["n_reported"], row["actual_to_date"], row["end_target"]) == expected


def test_sum_same_unit_never_sums_percentages_levels_or_across_units():
    table = sum_same_unit(SUM_EVAL, INDICATORS, None)
    assert set(table["unit"]) == {"people", "sessions"}  # no %, no days (level)


# ---- strategic alignment: roll-up by tag ----------------------------------------------------
TAGS = frame(
    "tags",
    [
        dict(project_id=1, scheme="SDG", code="10.7"),
        dict(project_id=2, scheme="SDG", code="10.7"),
        dict(project_id=2, scheme="SDG", code="8.8"),  # one project, two tags: counted under both
        dict(project_id=3, scheme="GCM", code="4"),  # another scheme
        dict(project_id=9, scheme="SDG", code="10.7"),  # project outside the table (scope): ignored
    ],
)
TAG_PROJECTS = pd.DataFrame({"project_id": [1, 2, 3, 4], "budget_usd": [1000.0, float("nan"), 300.0, 50.0]})


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        # (n_projects, budget_usd, n_budget_unknown, n_indicators, n_on_track, n_off_track, n_achieved)
        ("10.7", (2, 1000.0, 1, 3, 1, 1, 1)),  # projects 1 and 2; project 2 has no USD budget
        ("8.8", (1, 0.0, 1, 1, 0, 0, 1)),
    ],
)
def test_tag_rollup(code, expected):
    table = tag_rollup(TAGS, TAG_PROJECTS, INDICATOR_EVAL, "SDG").set_index("code")
    row = table.loc[code]
    got = (
        row["n_projects"],
        row["budget_usd"],
        row["n_budget_unknown"],
        row["n_indicators"],
        row["n_on_track"],
        row["n_off_track"],
        row["n_achieved"],
    )
    assert got == expected


def test_tag_rollup_lists_only_the_scheme_asked_for():
    assert tag_rollup(TAGS, TAG_PROJECTS, INDICATOR_EVAL, "GCM")["code"].tolist() == ["4"]
    assert len(tag_rollup(TAGS, TAG_PROJECTS, INDICATOR_EVAL, "MIGOF")) == 0


def _spanning(regions: list, countries: list) -> pd.DataFrame:
    return pd.DataFrame({"region": regions, "managing_country": countries})


TWO_REGIONS = _spanning(["RO_DAKAR", "RO_NAIROBI"], ["SEN", "KEN"])
ONE_REGION_TWO_COUNTRIES = _spanning(["RO_DAKAR", "RO_DAKAR"], ["SEN", "MLI"])
ONE_COUNTRY = _spanning(["RO_DAKAR", "RO_DAKAR"], ["SEN", "SEN"])


@pytest.mark.parametrize(
    ("projects", "in_view", "regions_filtered", "countries_filtered", "expected"),
    [
        (TWO_REGIONS, None, False, False, "region"),  # leadership, no filter
        (TWO_REGIONS, None, True, False, "managing_country"),  # a region filter (bounded views pass in_view)
        (TWO_REGIONS, None, False, True, None),  # a country filter
        (ONE_REGION_TWO_COUNTRIES, None, False, False, "managing_country"),
        (ONE_COUNTRY, None, False, False, None),
        (_spanning([None, "RO_DAKAR"], ["SEN", "SEN"]), None, False, False, "region"),  # a missing region counts
        (TWO_REGIONS, ("KEN", "SEN"), False, False, "managing_country"),  # a regional director's countries
        (ONE_COUNTRY, ("SEN",), False, False, None),  # a chief of mission
        (TWO_REGIONS, (), False, False, None),  # a view bounded to no country
    ],
)
def test_drill_level(projects, in_view, regions_filtered, countries_filtered, expected):
    from monitoring.rollup import drill_level

    got = drill_level(projects, in_view, regions_filtered=regions_filtered, countries_filtered=countries_filtered)
    assert got == expected
