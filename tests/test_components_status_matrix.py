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


def test_matrix_orders_worst_status_then_high_flags_then_code():
    projects = pd.DataFrame(
        {
            "project_code": ["P1", "P2", "P3", "P4"],
            "title": ["a", "b", "c", "d"],
            "managing_country_name": ["X", "X", "Y", "Y"],
            "results_status": ["on_track", "off_track", "off_track", "at_risk"],
            "results_progress": [0.9, 0.1, 0.2, 0.5],
            "burn_status": ["on_pace", "underspending", "on_pace", "over_budget"],
            "burn": [0.5, 0.1, 0.3, 1.2],
            "elapsed": [0.5, 0.5, 0.5, 0.5],
            "forecast_status": ["on_target", "underspend", "on_target", "overspend"],
            "max_risk_score": [np.nan, 20.0, 9.0, 4.0],
            "n_flags_high": [0, 1, 2, 1],
            "flags": ["", "RESULTS_OFF_TRACK", "RESULTS_OFF_TRACK;OVER_BUDGET", "OVER_BUDGET"],
        }
    )
    table = status_matrix(projects, high_min=15, medium_min=8)
    assert table["Project"].tolist() == ["P3", "P2", "P4", "P1"]
    assert table.loc[0, ["Results", "Finance", "Risk"]].tolist() == ["✖ Off track", "● On pace", "▲ Medium"]
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
