"""USD totals by country, region and donor: shares, started projects, exclusions and overlaps (hand-computed)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from monitoring.money_rollup import started, usd_totals_by_donor, usd_totals_by_place

NAN = float("nan")
AS_OF = dt.date(2025, 1, 1)

# 1-4 and 7 have started; 5 is a pipeline project, 6 is active but starts after the as-of date;
# 5, 6 and 7 have no expenditure row (spent unknown): 7 has started, so its budget is "not reported"
PROJECTS = pd.DataFrame(
    {
        "project_id": [1, 2, 3, 4, 5, 6, 7],
        "managing_country": ["KEN", "KEN", "UGA", "UGA", "UGA", "KEN", "KEN"],
        "region": ["RO_E"] * 7,
        "status": ["active", "closed", "active", "active", "pipeline", "active", "active"],
        "start_date": [dt.date(2024, 1, 1)] * 4 + [dt.date(2025, 6, 1), dt.date(2025, 3, 1), dt.date(2024, 1, 1)],
        "currency": ["USD", "EUR", "XOF", "USD", "USD", "USD", "USD"],
        "budget": [1000.0, 200.0, 1000.0, NAN, 5000.0, 300.0, 700.0],  # project 4 has no budget lines
        "expenditure_reported": [True, True, True, True, False, False, False],
        "spent": [400.0, 100.0, 0.0, 0.0, NAN, NAN, NAN],
        "budget_usd": [1000.0, 220.0, NAN, NAN, 5000.0, 300.0, 700.0],  # no XOF rate
        "spent_usd": [400.0, 110.0, NAN, 0.0, NAN, NAN, NAN],
        "missing_rates": [None, None, "XOF", None, None, None, None],
        "donors": ["ECHO; USAID", "ECHO", "USAID", None, "USAID", "ECHO", "ECHO"],
    }
)
# project 2 is managed from KEN and works 60% in KEN, 40% in UGA
PROJECT_COUNTRIES = pd.DataFrame(
    {
        "project_id": [1, 2, 2, 3, 4, 5, 6, 7],
        "country": ["KEN", "KEN", "UGA", "UGA", "UGA", "UGA", "KEN", "KEN"],
        "region": ["RO_E"] * 8,
        "share": [100.0, 60.0, 40.0, 100.0, 100.0, 100.0, 100.0, 100.0],
    }
)


def as_rows(table, columns):
    """Rows as tuples, floats rounded to 9 places (binary noise), NaN as None."""

    def clean(v):
        if isinstance(v, float):
            return None if pd.isna(v) else round(v, 9)
        return v

    return [tuple(clean(v) for v in row) for row in table[list(columns)].itertuples(index=False)]


COLS = (
    "group",
    "n_projects",
    "budget_usd",
    "spent_usd",
    "delivery",
    "n_not_started",
    "budget_not_started_usd",
    "n_not_reported",
    "budget_not_reported_usd",
    "n_excluded",
    "n_no_budget",
    "missing_currencies",
)


@pytest.mark.parametrize(
    ("status", "start", "expected"),
    [
        ("active", dt.date(2025, 1, 1), True),
        ("closed", dt.date(2020, 1, 1), True),
        ("active", dt.date(2025, 1, 2), False),
        ("pipeline", dt.date(2024, 1, 1), False),
        ("active", None, False),
    ],
)
def test_started_means_active_or_closed_and_started_by_the_date(status, start, expected):
    assert started(pd.DataFrame({"status": [status], "start_date": [start]}), AS_OF).tolist() == [expected]


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        # KEN: project 1 + 60% of project 2 (EUR 200 = USD 220): budget 1000 + 132, spent 400 + 66 = 466,
        # delivery 466 / 1132; project 6 has not started: its 300 apart; project 7 has not reported: its 700
        # apart, not 466 / 1832. Projects counted by managing country.
        # UGA: 40% of project 2 (88, 44); XOF project 3 excluded; project 4 without a budget; pipeline 5 apart.
        (
            "managing_country",
            [
                ("KEN", 4, 1132.0, 466.0, 0.411660777, 1, 300.0, 1, 700.0, 0, 0, "", 0),
                ("UGA", 3, 88.0, 44.0, 0.5, 1, 5000.0, 0, 0.0, 1, 1, "XOF", 1),
            ],
        ),
        # region: 1000 + 220 = 1220, spent 400 + 110 = 510, delivery 510 / 1220
        ("region", [("RO_E", 7, 1220.0, 510.0, 0.418032787, 2, 5300.0, 1, 700.0, 1, 1, "XOF", 0)]),
    ],
)
def test_totals_by_place_count_started_projects_and_share_multi_country_money(by, expected):
    table = usd_totals_by_place(PROJECTS, PROJECT_COUNTRIES, by, AS_OF)
    assert as_rows(table, (*COLS, "n_shared")) == expected


@pytest.mark.parametrize(
    ("countries", "expected"),
    [
        # 60/40: USD 1,000 budget and 500 spent split 600/300 and 400/200; counted once, in QAA
        (
            pd.DataFrame(
                {"project_id": [1, 1], "country": ["QAA", "QBB"], "region": ["R", "R"], "share": [60.0, 40.0]}
            ),
            [("QAA", 1, 600.0, 300.0, 0.5, 0), ("QBB", 0, 400.0, 200.0, 0.5, 1)],
        ),
        # percentages that do not add up to 100 are normalised: 30/20 is the same 60/40 split
        (
            pd.DataFrame(
                {"project_id": [1, 1], "country": ["QAA", "QBB"], "region": ["R", "R"], "share": [30.0, 20.0]}
            ),
            [("QAA", 1, 600.0, 300.0, 0.5, 0), ("QBB", 0, 400.0, 200.0, 0.5, 1)],
        ),
        # no percentage given: the whole project goes to its managing country
        (
            pd.DataFrame(
                {"project_id": [1, 1], "country": ["QAA", "QBB"], "region": ["R", "R"], "share": [None, None]}
            ),
            [("QAA", 1, 1000.0, 500.0, 0.5, 0)],
        ),
    ],
)
def test_a_two_country_project_is_split_by_its_percentages_and_never_counted_twice(countries, expected):
    project = pd.DataFrame(
        {
            "project_id": [1],
            "managing_country": ["QAA"],
            "region": ["R"],
            "status": ["active"],
            "start_date": [dt.date(2024, 1, 1)],
            "currency": ["USD"],
            "budget": [1000.0],
            "expenditure_reported": [True],
            "spent": [500.0],
            "budget_usd": [1000.0],
            "spent_usd": [500.0],
            "missing_rates": [None],
            "donors": ["ECHO"],
        }
    )
    table = usd_totals_by_place(project, countries, "managing_country", AS_OF)
    assert as_rows(table, ("group", "n_projects", "budget_usd", "spent_usd", "delivery", "n_shared")) == expected
    assert table["budget_usd"].sum() == pytest.approx(1000.0)


def test_totals_by_donor_count_cofunded_projects_under_each_donor_and_started_ones_in_delivery():
    table = usd_totals_by_donor(PROJECTS, AS_OF)
    assert as_rows(table, (*COLS, "n_cofunded")) == (
        [
            # projects 1, 2 started (1220, 510); 6 not started (300 apart); 7 not reported (700 apart)
            ("ECHO", 4, 1220.0, 510.0, 0.418032787, 1, 300.0, 1, 700.0, 0, 0, "", 1),
            # project 1 started (1000, 400); XOF project 3 excluded; pipeline 5 apart: delivery 40%, not 400 / 6000
            ("USAID", 3, 1000.0, 400.0, 0.4, 1, 5000.0, 0, 0.0, 1, 0, "XOF", 1),
            ("no donor recorded", 1, 0.0, 0.0, None, 0, 0.0, 0, 0.0, 0, 1, "", 0),
        ]
    )


def test_empty_portfolio_gives_empty_tables():
    assert usd_totals_by_place(PROJECTS.iloc[0:0], PROJECT_COUNTRIES.iloc[0:0], "managing_country", AS_OF).empty
    assert usd_totals_by_donor(PROJECTS.iloc[0:0], AS_OF).empty
