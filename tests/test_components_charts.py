"""Chart builders are pure: assert on the figure data and on the finding stated in the title."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from components import charts_portfolio as cp
from components import charts_project as cj


def test_s_curve_traces_and_title_state_the_finding():
    curve = pd.DataFrame(
        {
            "month": pd.date_range("2026-01-01", periods=4, freq="MS"),
            "actual": [10.0, 25.0, np.nan, np.nan],
            "plan": [np.nan] * 4,
            "time": [25.0, 50.0, 75.0, 100.0],
            "forecast": [np.nan, 25.0, 40.0, 55.0],
        }
    )
    fig = cj.s_curve(curve, currency="EUR", as_of=dt.date(2026, 2, 15), burn=0.25, elapsed=0.4, forecast_delivery=0.55)
    names = [t.name for t in fig.data]
    assert names == ["Budget × time elapsed", "Spent (cumulative)", "Forecast to close"]  # no plan: not drawn
    assert list(fig.data[1].y[:2]) == [10.0, 25.0]
    assert (
        fig.layout.title.text == "Spent 25% of the budget with 40% of the time elapsed; forecast at close 55% of budget"
    )
    assert fig.layout.yaxis.title.text == "Cumulative amount (EUR)"


def test_budget_by_line_names_the_line_with_the_highest_use():
    lines = pd.DataFrame(
        {
            "line_code": ["L1", "L2", "L3"],
            "category": ["staff", "operational", "monitoring_evaluation"],
            "budget": [100.0, 50.0, 0.0],
            "spent": [40.0, 45.0, 5.0],
        }
    )
    fig = cj.budget_by_line(lines, currency="USD")
    assert fig.layout.title.text == "Line L2 has used the largest share of its budget (90%)"
    assert [t.name for t in fig.data] == ["Budget", "Spent to date"]
    assert list(fig.data[1].x) == [5.0, 45.0, 40.0]  # sorted by budget ascending
    assert fig.data[0].y[0] == "L3 · Monitoring & evaluation"  # the category label, not the code


def test_indicator_chart_accumulates_incremental_values():
    periods = pd.DataFrame(
        {
            "period_end": pd.to_datetime(["2026-03-31", "2026-06-30", "2026-09-30"]),
            "target": [100.0, 100.0, 100.0],
            "actual": [50.0, 70.0, np.nan],
        }
    )
    fig = cj.indicator_chart(
        name="People trained",
        unit="people",
        periods=periods,
        b=0.0,
        end_target=300.0,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        accumulation="incremental",
        status="off_track",
        as_of=dt.date(2026, 7, 15),
    )
    by_name = {t.name: t for t in fig.data}
    assert list(by_name["Milestone target"].y) == [100.0, 200.0, 300.0]
    assert list(by_name["Actual (to date)"].y[:2]) == [50.0, 120.0]
    assert list(by_name["Expected path (linear)"].y) == [0.0, 300.0]
    assert fig.layout.title.text == "People trained: ✖ Off track"
    assert fig.layout.yaxis.title.text == "people"


def test_sex_breakdown_share_of_women():
    data = pd.DataFrame(
        {
            "period_end": ["2026-03-31", "2026-06-30"],
            "female": [30.0, 10.0],
            "male": [50.0, 10.0],
            "other_sex": [np.nan, np.nan],
        }
    )
    fig = cj.sex_breakdown(data, unit="people")
    assert [t.name for t in fig.data] == ["Women and girls", "Men and boys"]
    assert fig.layout.title.text == "Women and girls are 40% of those reached by sex"


def test_risk_heatmap_cells_carry_count_and_level_word():
    grid = pd.DataFrame(
        0, index=pd.Index([5, 4, 3, 2, 1], name="likelihood"), columns=pd.Index([1, 2, 3, 4, 5], name="impact")
    )
    grid.loc[5, 3] = 2  # score 15: high
    grid.loc[2, 4] = 1  # score 8: medium
    grid.loc[1, 1] = 4  # score 1: low
    fig = cj.risk_heatmap(grid, high_min=15, medium_min=8)
    heat = fig.data[0]
    assert heat.text[0][2] == "2<br>high"
    assert heat.text[3][3] == "1<br>medium"
    assert heat.text[4][0] == "4<br>low"
    assert fig.layout.title.text == "2 of 7 open risks score high (likelihood × impact ≥ 15)"


@pytest.mark.parametrize(
    ("measure", "expected_title"),
    [
        ("off_track_share", "Highest share of projects off track: Kenya, 2 of 4 projects (50%)"),
        ("delivery", "Lowest delivery (spent ÷ budget): Peru (25%)"),
    ],
)
def test_country_map_colours_iso3_and_names_the_extreme(measure, expected_title):
    data = pd.DataFrame(
        {
            "country": ["KEN", "PER", "UGA"],
            "country_name": ["Kenya", "Peru", "Uganda"],
            "value": [0.5, 0.25, np.nan],
            "projects": [4, 2, 1],
            "n": [2.0, 0.5, np.nan],
        }
    )
    fig = cp.country_map(data, cp.MAP_MEASURES[measure])
    choro = fig.data[0]
    assert list(choro.locations) == ["KEN", "PER"]  # no value: not coloured, not zero
    assert choro.locationmode == "ISO-3"
    assert fig.layout.geo.scope == "world"
    assert fig.layout.title.text == expected_title


@pytest.mark.parametrize(
    ("measure", "values", "projects", "n", "expected_title"),
    [
        # nothing off track anywhere: say so, do not name the first country at 0%
        ("off_track_share", [0.0, 0.0], [3, 5], [0, 0], "No project off track in view"),
        ("high_flags", [0.0, 0.0], [3, 5], [0, 0], "No high-severity flag in view"),
        # a share of one project says so
        (
            "off_track_share",
            [1.0, 0.4],
            [1, 5],
            [1, 2],
            "Highest share of projects off track: Honduras, 1 of 1 project (100%)",
        ),
        ("high_flags", [2.0, 7.0], [1, 5], [2, 7], "Most high-severity flags: Kenya (7)"),
    ],
)
def test_map_title_states_the_finding(measure, values, projects, n, expected_title):
    data = pd.DataFrame(
        {
            "country": ["HND", "KEN"],
            "country_name": ["Honduras", "Kenya"],
            "value": values,
            "projects": projects,
            "n": [float(x) for x in n],
        }
    )
    assert cp.map_title(data, cp.MAP_MEASURES[measure]) == expected_title


def test_status_bars_title_counts_off_track():
    counts = pd.DataFrame(
        {
            "group": ["East Africa", "Americas"],
            "off_track": [2, 1],
            "at_risk": [1, 0],
            "on_track": [3, 2],
            "achieved": [0, 1],
            "not_assessable": [1, 0],
        }
    )
    fig = cp.status_bars(counts, group_label="Region")
    assert fig.layout.title.text == "3 of 11 projects are off track on results"
    assert [t.name for t in fig.data] == ["✖ Off track", "▲ At risk", "● On track", "★ Achieved", "– Not assessable"]


def test_budget_line_table_shows_burn_and_marks_lines_over_budget():
    lines = pd.DataFrame(
        {
            "budget_line_id": [1, 2, 3, 4],
            "line_code": ["L1", "L2", "L3", "L4"],
            "category": ["staff", "operational", "office", "overhead"],
            "currency": ["USD"] * 4,
            "budget": [1000.0, 200.0, 0.0, 300.0],
            "spent": [250.4, 230.0, 5.0, 300.3],
        }
    )
    table = cj.budget_line_table(lines)
    assert list(table.columns) == ["Line", "Category", "Currency", "Budget", "Spent to date", "Burn", "Use"]
    assert table["Spent to date"].tolist() == [250.0, 230.0, 5.0, 300.0]  # whole units, one precision
    assert table["Burn"].tolist()[:2] == pytest.approx([0.25, 1.15])  # a share: the Excel file formats it as %
    assert np.isnan(table["Burn"].iloc[2])
    # L4 is 0.3 over: not a whole unit, so not "over budget" (rounding noise)
    assert table["Use"].tolist() == ["● Within budget", "✖ Over budget", "– No budget", "● Within budget"]
    assert table["Category"].iloc[0] == "Staff"
