"""USD totals by country, region and donor: shares, exclusions and overlaps (hand-computed)."""

from __future__ import annotations

import pandas as pd
import pytest

from monitoring.money_rollup import usd_totals_by_donor, usd_totals_by_place

NAN = float("nan")

PROJECTS = pd.DataFrame({
    "project_id": [1, 2, 3, 4],
    "managing_country": ["KEN", "KEN", "UGA", "UGA"],
    "region": ["RO_E", "RO_E", "RO_E", "RO_E"],
    "currency": ["USD", "EUR", "XOF", "USD"],
    "budget": [1000.0, 200.0, 1000.0, NAN],      # project 4 has no budget lines
    "spent": [500.0, 100.0, 0.0, 0.0],
    "budget_usd": [1000.0, 220.0, NAN, NAN],      # no XOF rate
    "spent_usd": [500.0, 110.0, NAN, 0.0],
    "missing_rates": [None, None, "XOF", None],
    "donors": ["ECHO; USAID", "ECHO", "USAID", None],
})
PROJECT_COUNTRIES = pd.DataFrame({
    "project_id": [1, 2, 2, 3, 4],
    "country": ["KEN", "KEN", "UGA", "UGA", "UGA"],
    "region": ["RO_E"] * 5,
    "share": [1.0, 0.5, 0.5, 1.0, 1.0],
})


def as_rows(table, columns):
    """Rows as tuples, floats rounded to 9 places (binary noise), NaN as None."""
    def clean(v):
        if isinstance(v, float):
            return None if pd.isna(v) else round(v, 9)
        return v
    return [tuple(clean(v) for v in row) for row in table[list(columns)].itertuples(index=False)]


COLS = ("group", "n_projects", "budget_usd", "spent_usd", "delivery", "n_excluded", "n_no_budget", "missing_currencies")


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        # KEN: project 1 whole + half of project 2 (EUR 200 = USD 220); UGA: the other half, XOF excluded,
        # project 4 without a budget
        ("managing_country", [("KEN", 2, 1110.0, 555.0, 0.5, 0, 0, ""),
                              ("UGA", 3, 110.0, 55.0, 0.5, 1, 1, "XOF")]),
        ("region", [("RO_E", 4, 1220.0, 610.0, 0.5, 1, 1, "XOF")]),
    ],
)
def test_totals_by_place_share_multi_country_money_and_never_add_unconverted_amounts(by, expected):
    table = usd_totals_by_place(PROJECTS, PROJECT_COUNTRIES, by)
    assert as_rows(table, COLS) == expected


def test_totals_by_donor_count_cofunded_projects_under_each_donor():
    table = usd_totals_by_donor(PROJECTS)
    assert as_rows(table, (*COLS, "n_cofunded")) == ([
        ("ECHO", 2, 1220.0, 610.0, 0.5, 0, 0, "", 1),
        ("USAID", 2, 1000.0, 500.0, 0.5, 1, 0, "XOF", 1),
        ("no donor recorded", 1, 0.0, 0.0, None, 0, 1, "", 0),
    ])


def test_empty_portfolio_gives_empty_tables():
    assert usd_totals_by_place(PROJECTS.iloc[0:0], PROJECT_COUNTRIES.iloc[0:0], "managing_country").empty
    assert usd_totals_by_donor(PROJECTS.iloc[0:0]).empty
