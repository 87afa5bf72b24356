"""Portfolio tables: the risk column's level bands and the order of the status matrix."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from components.status_matrix import OUTSIDE_VIEW, group_summary, risk_level_of, status_matrix


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (np.nan, "no_open"),
        (1.0, "low"),
        (7.0, "low"),
        (8.0, "medium"),
        (14.0, "medium"),
        (15.0, "high"),
        (25.0, "high"),
    ],
)
def test_risk_level_bands(score, level):
    assert risk_level_of(pd.Series([score]), high_min=15, medium_min=8).tolist() == [level]


@pytest.mark.parametrize(
    ("score", "n_risks", "level"),
    [
        (np.nan, 0, "no_register"),
        (np.nan, 3, "no_open"),
        (np.nan, np.nan, "no_register"),
        (9.0, 2, "medium"),
        (20.0, 1, "high"),
    ],
)
def test_risk_level_tells_no_register_from_all_closed(score, n_risks, level):
    assert risk_level_of(pd.Series([score]), 15, 8, pd.Series([n_risks])).tolist() == [level]


def test_matrix_orders_closed_last_then_worst_status_then_money_at_stake_then_code():
    projects = pd.DataFrame(
        {
            "project_code": ["P1", "P2", "P3", "P4", "P5"],
            "title": ["a", "b", "c", "d", "e"],
            "status": ["active", "active", "active", "active", "closed"],
            "managing_country_name": ["X", "X", "Y", "Y", "Y"],
            "results_status": ["on_track", "off_track", "off_track", "at_risk", "off_track"],
            "results_progress": [0.9, 0.1, 0.2, 0.5, 0.1],
            "burn_status": ["on_pace", "underspending", "on_pace", "over_budget", "underspending"],
            "burn": [0.5, 0.1, 0.3, 1.2, 0.4],
            "elapsed": [0.5, 0.5, 0.5, 0.5, 1.0],
            "forecast_status": ["on_target", "underspend", "on_target", "overspend", "underspend"],
            "max_risk_score": [np.nan, 20.0, 9.0, 4.0, np.nan],
            "n_flags_high": [0, 1, 2, 1, 0],
            "flags": ["", "RESULTS_OFF_TRACK", "RESULTS_OFF_TRACK;OVER_BUDGET", "OVER_BUDGET", ""],
            # P2 has more at stake than P3 although it has fewer high flags; P5, closed and off track
            # with the most at stake, comes after every running project, even one on track
            "at_stake_usd": [10.0, 5000.0, 300.0, np.nan, 9000.0],
        }
    )
    table = status_matrix(projects, high_min=15, medium_min=8)
    assert table["Project"].tolist() == ["P2", "P3", "P4", "P1", "P5"]
    assert table["At stake (USD)"].tolist()[:2] == [5000.0, 300.0]
    assert table.loc[1, ["Results", "Finance", "Risk"]].tolist() == ["✖ Off track", "● On pace", "▲ Medium"]
    assert table.loc[3, "Risk"] == "○ No open risks"


# Senegal's view: S1 managed by Senegal (all in Senegal); N1 managed by Nigeria, 12% in Senegal;
# P1 a Senegal pipeline project (not started: no money in the sums).
AS_OF = dt.date(2026, 1, 1)
PROJECTS = pd.DataFrame(
    {
        "project_id": [1, 2, 3],
        "project_code": ["S1", "N1", "P1"],
        "title": ["s", "n", "p"],
        "managing_country": ["SEN", "NGA", "SEN"],
        "managing_country_name": ["Senegal", "Nigeria", "Senegal"],
        "region": ["WCA", "WCA", "WCA"],
        "region_name": ["West", "West", "West"],
        "status": ["active", "active", "pipeline"],
        "start_date": [dt.date(2025, 1, 1), dt.date(2025, 1, 1), dt.date(2026, 6, 1)],
        "results_status": ["off_track", "on_track", "not_assessable"],
        "results_progress": [0.1, 0.5, np.nan],
        "burn_status": ["on_pace"] * 3,
        "burn": [0.5, 0.5, 0.0],
        "elapsed": [0.5, 0.5, 0.0],
        "forecast_status": ["on_target", "underspend", "undefined"],
        "max_risk_score": [np.nan] * 3,
        "n_flags_high": [1, 0, 0],
        "flags": ["RESULTS_OFF_TRACK", "", ""],
        "currency": ["USD"] * 3,
        "budget": [1000.0, 10_000.0, 5000.0],
        "expenditure_reported": [True, True, False],
        "spent": [400.0, 5000.0, np.nan],
        "budget_usd": [1000.0, 10_000.0, 5000.0],
        "spent_usd": [400.0, 5000.0, np.nan],
        "missing_rates": [None, None, None],
    }
)
PROJECT_COUNTRIES = pd.DataFrame(
    {
        "project_id": [1, 2, 2, 3],
        "country": ["SEN", "NGA", "SEN", "SEN"],
        "country_name": ["Senegal", "Nigeria", "Senegal", "Senegal"],
        "region": ["WCA"] * 4,
        "share": [100.0, 88.0, 12.0, 100.0],
    }
)


def test_projects_managed_elsewhere_say_so_with_their_share_here():
    table = status_matrix(
        PROJECTS, high_min=15, medium_min=8, project_countries=PROJECT_COUNTRIES, countries=("SEN",)
    ).set_index("Project")
    assert table["Country"].to_dict() == {"S1": "Senegal", "N1": "managed by Nigeria; 12% here", "P1": "Senegal"}
    assert table.loc["S1", "Flags"] == "Results off track"
    assert table.loc["N1", "Forecast"] == "▼ Underspend"  # the column title says "forecast"


def test_without_a_country_boundary_the_country_is_the_managing_one():
    table = status_matrix(
        PROJECTS, high_min=15, medium_min=8, project_countries=PROJECT_COUNTRIES, countries=None
    ).set_index("Project")
    assert table.loc["N1", "Country"] == "Nigeria"


@pytest.mark.parametrize("rows", [1, 2, 3, 10])
@pytest.mark.parametrize("countries", [None, ("SEN",), ("NGA",)])
def test_the_first_rows_alone_are_the_head_of_the_whole_table(rows, countries):
    # the page labels only the rows it shows (loaders.status_matrix): the same rows, order and text
    whole = status_matrix(PROJECTS, high_min=15, medium_min=8, project_countries=PROJECT_COUNTRIES, countries=countries)
    first = status_matrix(
        PROJECTS, high_min=15, medium_min=8, project_countries=PROJECT_COUNTRIES, countries=countries, rows=rows
    )
    pd.testing.assert_frame_equal(first, whole.head(rows))


def test_country_rows_hold_the_money_here_and_count_projects_managed_elsewhere_apart():
    summary = group_summary(PROJECTS, PROJECT_COUNTRIES, "managing_country", AS_OF, ("SEN",))
    assert summary["Name"].tolist() == ["Senegal", OUTSIDE_VIEW]
    senegal = summary.iloc[0]
    # started money in Senegal: S1 1,000 + 12% of N1's 10,000 = 2,200; spent 400 + 600 = 1,000
    assert senegal["Budget (USD)"] == pytest.approx(2200.0)
    assert senegal["Delivery"] == pytest.approx(1000 / 2200)
    assert senegal["Projects"] == 2  # S1 and P1 managed here
    outside = summary.iloc[1]
    assert (outside["code"], outside["Projects"], outside["● On track"]) == ("", 1, 1)
    assert np.isnan(outside["Budget (USD)"])


def test_organisation_rows_add_up_to_every_started_budget():
    summary = group_summary(PROJECTS, PROJECT_COUNTRIES, "managing_country", AS_OF).set_index("Name")
    # Nigeria 88% of 10,000; Senegal 1,000 + 1,200; pipeline P1 not counted
    assert summary["Budget (USD)"].to_dict() == pytest.approx({"Senegal": 2200.0, "Nigeria": 8800.0})
    assert summary["Budget (USD)"].sum() == pytest.approx(11_000.0)


def test_rows_show_the_budget_when_no_project_reported_spending():
    """As the Budget card does: an IATI file of budgets only shows its budgets by place, not USD 0."""
    silent = PROJECTS.assign(expenditure_reported=False, spent=np.nan, spent_usd=np.nan)
    summary = group_summary(silent, PROJECT_COUNTRIES, "managing_country", AS_OF).set_index("Name")
    # started: S1 1,000 + 12% of N1 in Senegal, 88% of N1 in Nigeria; pipeline P1 still apart
    assert summary["Budget (USD)"].to_dict() == pytest.approx({"Senegal": 2200.0, "Nigeria": 8800.0})
    assert summary["Delivery"].isna().all()


def test_top_flags_by_severity_then_money_at_stake():
    from components.status_matrix import top_flags

    projects = pd.DataFrame(
        {
            "project_id": [1, 2, 3],
            "managing_country_name": ["Kenya", "Chad", "Mali"],
            "at_stake_usd": [100.0, 9000.0, np.nan],
        }
    )
    flags = pd.DataFrame(
        {
            "project_id": [1, 2, 3, 1, 2],
            "project_code": ["P1", "P2", "P3", "P1", "P2"],
            "code": ["OVER_BUDGET", "STALE_DATA", "RESULTS_OFF_TRACK", "NO_RISK_REGISTER", "ME_BUDGET_LOW"],
            "severity": ["high", "medium", "high", "medium", "low"],
            "message": ["m"] * 5,
            "rule": ["r"] * 5,
        }
    )
    table = top_flags(flags, projects)
    # high: P1 (100 at stake) before P3 (unknown); medium: P2 (9,000) before P1 (100); then low
    assert list(zip(table["Project"], table["At stake (USD)"].fillna(-1), strict=True)) == [
        ("P1", 100.0),
        ("P3", -1),
        ("P2", 9000.0),
        ("P1", 100.0),
        ("P2", 9000.0),
    ]


def test_place_rows_compare_by_shares_and_money_at_stake():
    projects = PROJECTS.assign(planned_burn=[0.5, 0.4, 0.0], at_stake_usd=[600.0, 5000.0, 5000.0])
    summary = group_summary(projects, PROJECT_COUNTRIES, "managing_country", AS_OF).set_index("Name")
    # Senegal manages S1 (off track) and P1 (not assessable): 1 assessed, 0% on track, 100% off track
    assert (summary.loc["Senegal", "On track %"], summary.loc["Senegal", "Off track %"]) == (0.0, 100.0)
    assert (summary.loc["Nigeria", "On track %"], summary.loc["Nigeria", "Off track %"]) == (100.0, 0.0)
    # Senegal: delivery 1,000 / 2,200; planned 0.5 x 1,000 + 0.4 x 1,200 = 980 of 2,200
    assert summary.loc["Senegal", "Burn vs plan (pp)"] == pytest.approx(round((1000 - 980) / 2200 * 100, 1))
    # at stake of active started projects by share: Senegal 600 + 12% of 5,000 = 1,200 (P1 not started)
    assert summary.loc["Senegal", "At stake (USD)"] == 1200.0
    assert summary.loc["Nigeria", "At stake (USD)"] == 4400.0
    assert summary.index.tolist() == ["Senegal", "Nigeria"]  # most off track first


@pytest.mark.parametrize(
    ("codes", "width"),
    [
        (["PX.0001", "PX.0002"], 80),  # short codes: the usual column
        (["XM-DAC-47066-CC.0036", "XM-DAC-47066-CD.0044"], 8 * 20 + 16),  # IATI identifiers whole
        ([], 80),
    ],
)
def test_code_column_is_wide_enough_for_the_longest_code(codes, width):
    from components.status_matrix import code_width

    assert code_width(pd.Series(codes, dtype=object)) == width
