"""Money figures of DOMAIN.md section 3, hand-computed.

The reference project runs 2023-01-01 → 2024-01-01 (365 days) with a budget of 1,000 USD unless a
case says otherwise. As of 2023-07-02, 182 days have elapsed and 183 remain.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from monitoring.finance import (
    FINANCE_COLUMNS,
    project_finance,
    results_vs_spend,
    spending_curve,
)
from monitoring.settings import Settings

D = dt.date
MID = D(2023, 7, 2)
M = 30.4375  # days per month
EUR_RATES = [("EUR", D(2022, 1, 1), 1.05), ("EUR", D(2023, 1, 1), 1.10), ("EUR", D(2023, 8, 1), 1.20)]


def frames(
    *,
    currency="USD",
    start=D(2023, 1, 1),
    end=D(2024, 1, 1),
    revised=None,
    lines=(("staff", "USD", 1000.0),),
    spend=(),
    plan=(),
    rates=(),
    project_id=1,
):
    """The five frames project_finance reads, for one project, from compact tuples."""
    projects = pd.DataFrame(
        [
            {
                "project_id": project_id,
                "currency": currency,
                "start_date": start,
                "end_date": end,
                "revised_end_date": revised,
            }
        ]
    )
    budget_lines = pd.DataFrame(
        [
            {
                "project_id": project_id,
                "budget_line_id": i,
                "line_code": f"L{i}",
                "category": cat,
                "currency": cur,
                "amount": amount,
                "original_amount": amount,
            }
            for i, (cat, cur, amount) in enumerate(lines)
        ],
        columns=["project_id", "budget_line_id", "line_code", "category", "currency", "amount", "original_amount"],
    )
    expenditures = pd.DataFrame(
        [{"project_id": project_id, "month": month, "amount": amount, "currency": cur} for month, amount, cur in spend],
        columns=["project_id", "month", "amount", "currency"],
    )
    plans = pd.DataFrame(
        [{"project_id": project_id, "month": m, "amount": a} for m, a in plan],
        columns=["project_id", "month", "amount"],
    )
    fx = pd.DataFrame(list(rates), columns=["currency", "rate_date", "usd_rate"])
    return projects, budget_lines, expenditures, plans, fx


def monthly(year, months, amount, currency="USD"):
    return tuple((D(year, m, 1), amount, currency) for m in months)


def finance(as_of, **spec) -> pd.Series:
    out = project_finance(*frames(**spec), as_of, Settings())
    assert list(out.columns) == list(FINANCE_COLUMNS)
    assert len(out) == 1
    return out.iloc[0]


NAN = math.nan
CASES = [
    pytest.param(
        D(2022, 12, 15),
        {},
        {
            "expenditure_reported": False,
            "spent": NAN,
            "burn": NAN,
            "elapsed": 0.0,
            "planned_burn": 0.0,
            "burn_variance_pp": NAN,
            "missing_rates": None,
            "burn_status": "not_started",
            "months_remaining": 382 / M,
            "forecast": NAN,
            "forecast_delivery": NAN,
            "forecast_status": "not_started",
        },
        id="not-started-without-expenditure-is-not-started-not-unreported",
    ),
    pytest.param(
        D(2024, 3, 1),
        {"spend": monthly(2023, range(1, 13), 80.0)},
        {
            "spent": 960.0,
            "burn": 0.96,
            "elapsed": 1.0,
            "planned_burn": 1.0,
            "burn_variance_pp": -4.0,
            "burn_status": "on_pace",
            "avg_monthly_spend": 0.0,
            "months_remaining": 0.0,
            "forecast": 960.0,
            "forecast_delivery": 0.96,
            "forecast_status": "on_target",
        },
        id="ended-forecast-is-spent",
    ),
    pytest.param(
        D(2024, 1, 1),
        {"revised": D(2024, 7, 1), "spend": monthly(2023, range(1, 13), 50.0)},
        {
            "spent": 600.0,
            "burn": 0.6,
            "elapsed": 365 / 547,
            "planned_burn": 365 / 547,
            "burn_variance_pp": (0.6 - 365 / 547) * 100,
            "burn_status": "on_pace",
            "avg_monthly_spend": 100 / 3,
            "months_remaining": 182 / M,
            "forecast": 600 + 100 / 3 * 182 / M,
            "forecast_delivery": (600 + 100 / 3 * 182 / M) / 1000,
            "forecast_status": "underspend",
        },
        id="extended-revised-end-date",
    ),
    pytest.param(
        MID,
        {"spend": ((D(2023, 3, 1), 1100.0, "USD"),)},
        {
            "spent": 1100.0,
            "burn": 1.1,
            "burn_variance_pp": (1.1 - 182 / 365) * 100,
            "burn_status": "over_budget",
            "avg_monthly_spend": 0.0,
            "forecast": 1100.0,
            "forecast_delivery": 1.1,
            "forecast_status": "overspend",
        },
        id="over-budget",
    ),
    pytest.param(
        MID,
        {},
        {
            "expenditure_reported": False,
            "spent": NAN,
            "spent_usd": NAN,
            "burn": NAN,
            "elapsed": 182 / 365,
            "planned_burn": 182 / 365,
            "burn_variance_pp": NAN,
            "burn_status": "not_reported",
            "avg_monthly_spend": NAN,
            "months_remaining": 183 / M,
            "forecast": NAN,
            "forecast_delivery": NAN,
            "forecast_status": "not_reported",
            "me_share": NAN,
            "finance_note": None,
        },
        id="no-expenditure-row-is-not-reported-not-zero",
    ),
    pytest.param(
        MID,
        {"spend": monthly(2023, range(1, 7), 0.0)},
        {
            "expenditure_reported": True,
            "spent": 0.0,
            "burn": 0.0,
            "burn_variance_pp": -182 / 365 * 100,
            "burn_status": "underspending",
            "avg_monthly_spend": 0.0,
            "forecast": 0.0,
            "forecast_delivery": 0.0,
            "forecast_status": "underspend",
        },
        id="rows-of-zero-are-reported-nothing-spent",
    ),
    pytest.param(
        MID,
        {"spend": ((D(2023, 7, 1), 0.0, "USD"),)},
        {"expenditure_reported": True, "spent": 0.0, "burn_status": "underspending"},
        id="one-zero-row-in-the-month-of-as-of-is-a-report",
    ),
    pytest.param(
        MID,
        {"spend": ((D(2022, 11, 1), 200.0, "USD"),)},
        # reported before the start: spent 200, nothing in the last three months (May-Jul): average 0
        {
            "expenditure_reported": True,
            "spent": 200.0,
            "burn": 0.2,
            "burn_variance_pp": (0.2 - 182 / 365) * 100,
            "burn_status": "underspending",
            "avg_monthly_spend": 0.0,
            "forecast": 200.0,
            "forecast_delivery": 0.2,
            "forecast_status": "underspend",
        },
        id="one-row-before-the-start-is-a-report",
    ),
    pytest.param(
        MID,
        {"spend": ((D(2023, 8, 1), 100.0, "USD"),)},
        {"expenditure_reported": False, "spent": NAN, "burn_status": "not_reported", "forecast_status": "not_reported"},
        id="rows-of-later-months-are-not-known-on-the-as-of-date",
    ),
    pytest.param(
        D(2024, 3, 1),
        {},
        # ended (a closed project): still unknown, never "forecast = spent = 0"
        {
            "expenditure_reported": False,
            "spent": NAN,
            "burn": NAN,
            "elapsed": 1.0,
            "planned_burn": 1.0,
            "months_remaining": 0.0,
            "forecast": NAN,
            "burn_status": "not_reported",
            "forecast_status": "not_reported",
        },
        id="ended-without-expenditure-is-not-reported",
    ),
    pytest.param(
        MID,
        {
            "lines": (("staff", "USD", 0.0), ("monitoring_evaluation", "USD", 0.0)),
            "spend": ((D(2023, 3, 1), 100.0, "USD"),),
        },
        {
            "budget": 0.0,
            "spent": 100.0,
            "burn": NAN,
            "burn_variance_pp": NAN,
            "burn_status": "undefined",
            "forecast_delivery": NAN,
            "forecast_status": "undefined",
            "me_share": NAN,
            "finance_note": "budget is 0",
        },
        id="zero-budget-undefined-not-an-error",
    ),
    pytest.param(
        D(2023, 6, 15),
        {"plan": ((D(2023, 1, 1), 800.0), (D(2023, 12, 1), 200.0)), "spend": ((D(2023, 2, 1), 500.0, "USD"),)},
        {
            "burn": 0.5,
            "elapsed": 165 / 365,
            "planned_burn": 0.8,
            "planned_basis": "plan",
            "burn_variance_pp": -30.0,
            "burn_status": "underspending",
        },
        id="spending-plan-front-loaded",
    ),
    pytest.param(
        D(2023, 6, 15),
        {"spend": ((D(2023, 2, 1), 500.0, "USD"),)},
        {
            "burn": 0.5,
            "planned_burn": 165 / 365,
            "planned_basis": "elapsed",
            "burn_variance_pp": (0.5 - 165 / 365) * 100,
            "burn_status": "on_pace",
        },
        id="same-spending-without-plan-uses-time",
    ),
    pytest.param(
        D(2022, 12, 1),
        {"plan": ((D(2022, 12, 1), 500.0), (D(2023, 6, 1), 500.0))},
        {"planned_burn": 0.0, "planned_basis": "plan"},
        id="plan-before-start-is-zero",
    ),
    pytest.param(
        D(2024, 2, 1),
        {"plan": ((D(2023, 1, 1), 500.0), (D(2024, 6, 1), 500.0))},
        {"planned_burn": 1.0, "planned_basis": "plan"},
        id="plan-after-end-is-one",
    ),
    pytest.param(
        MID,
        {
            "currency": "EUR",
            "rates": EUR_RATES,
            "lines": (("staff", "EUR", 1000.0), ("operational", "USD", 1100.0)),
            "spend": ((D(2023, 3, 1), 220.0, "USD"), (D(2023, 5, 1), 100.0, "EUR")),
        },
        {
            "currency": "EUR",
            "budget": 2000.0,
            "spent": 300.0,
            "budget_usd": 2200.0,
            "spent_usd": 330.0,
            "burn": 0.15,
            "me_share": 0.0,
            "finance_note": None,
            "missing_rates": None,
        },
        id="mixed-currencies-through-usd-at-as-of-rate",
    ),
    pytest.param(
        MID,
        {"currency": "XOF", "lines": (("staff", "USD", 1100.0),), "spend": ((D(2023, 3, 1), 100.0, "XOF"),)},
        {
            "budget": NAN,
            "spent": 100.0,
            "budget_usd": NAN,
            "burn": NAN,
            "burn_status": "undefined",
            "missing_rates": "XOF",
            "finance_note": "no exchange rate for XOF on or before 2 Jul 2023 (budget)",
        },
        id="missing-rate-for-a-budget-line",
    ),
    pytest.param(
        MID,
        {"currency": "XOF", "lines": (("staff", "XOF", 1000.0),), "spend": ((D(2023, 3, 1), 100.0, "XOF"),)},
        {
            "budget": 1000.0,
            "spent": 100.0,
            "budget_usd": NAN,
            "spent_usd": NAN,
            "burn": 0.1,
            "finance_note": None,
            "missing_rates": "XOF",
        },
        id="missing-rate-only-blanks-usd",
    ),
    pytest.param(
        MID,
        {"spend": ((D(2023, 3, 1), 50.0, "GBP"),)},
        {
            "expenditure_reported": True,
            "spent": NAN,
            "burn": NAN,
            "burn_status": "undefined",
            "missing_rates": "GBP",
            "finance_note": "no exchange rate for GBP on or before 2 Jul 2023 (expenditure)",
        },
        id="missing-rate-for-spending",
    ),
    pytest.param(
        MID,
        {"spend": ((D(2023, 3, 1), 500.0, "USD"), (D(2023, 4, 1), -100.0, "USD"), (D(2023, 6, 1), -50.0, "USD"))},
        {"spent": 350.0, "burn": 0.35, "avg_monthly_spend": -50 / 3, "forecast": 350 - 50 / 3 * 183 / M},
        id="negative-refunds-are-netted",
    ),
    pytest.param(
        MID,
        {"spend": ((D(2023, 7, 1), 100.0, "USD"), (D(2023, 8, 1), 100.0, "USD"))},
        {"spent": 100.0, "avg_monthly_spend": 100 / 3},
        id="month-of-as-of-counts-later-months-do-not",
    ),
    pytest.param(
        D(2024, 2, 1),
        {"lines": (("staff", "USD", 0.3),), "spend": ((D(2023, 1, 1), 0.1, "USD"), (D(2023, 2, 1), 0.2, "USD"))},
        {"spent": 0.1 + 0.2, "burn_status": "on_pace", "forecast_status": "on_target"},
        id="spending-exactly-the-budget-is-not-over-budget-despite-rounding",
    ),
    pytest.param(
        MID,
        {"start": D(2023, 6, 15), "spend": ((D(2023, 6, 1), 100.0, "USD"), (D(2023, 7, 1), 50.0, "USD"))},
        {"spent": 150.0, "avg_monthly_spend": 75.0, "months_remaining": 183 / M, "forecast": 150 + 75 * 183 / M},
        id="young-project-averages-only-the-months-it-has-run",
    ),
    pytest.param(
        MID,
        {"start": D(2023, 7, 1), "spend": ((D(2023, 7, 1), 60.0, "USD"),)},
        {"spent": 60.0, "avg_monthly_spend": 60.0, "forecast": 60 + 60 * 183 / M},
        id="first-month-averages-over-one-month",
    ),
    pytest.param(
        MID,
        {"lines": (("staff", "USD", 900.0), ("monitoring_evaluation", "USD", 100.0))},
        {"budget": 1000.0, "me_share": 0.1},
        id="me-share",
    ),
    pytest.param(
        MID,
        {"lines": (("operational", "USD", 500.0), ("operational", "USD", 500.0))},
        {"budget": 1000.0, "me_share": NAN},
        id="me-share-unknown-with-one-category",
    ),
    pytest.param(
        D(2022, 12, 1),
        {"spend": ((D(2022, 11, 1), 200.0, "USD"),)},
        {"spent": 200.0, "burn": 0.2, "burn_status": "not_started", "forecast_status": "not_started"},
        id="pre-start-spending-is-still-not-started",
    ),
    pytest.param(
        D(2022, 12, 1),
        {"spend": ((D(2022, 11, 1), 1200.0, "USD"),)},
        {"spent": 1200.0, "burn": 1.2, "burn_status": "over_budget", "forecast_status": "not_started"},
        id="over-budget-before-the-start-is-still-over-budget",
    ),
    pytest.param(
        D(2022, 12, 1),
        {"lines": ()},
        {"budget": NAN, "burn_status": "not_started", "forecast_status": "not_started"},
        id="not-started-without-budget-is-not-started",
    ),
    pytest.param(
        D(2023, 1, 1),
        {"spend": ((D(2023, 1, 1), 10.0, "USD"),)},
        {"spent": 10.0, "burn_status": "on_pace", "forecast_status": "underspend", "forecast": 10.0 + 10.0 * 365 / M},
        id="the-start-day-itself-has-started",
    ),
    pytest.param(
        MID,
        {"lines": (), "spend": ((D(2023, 3, 1), 100.0, "USD"),)},
        {"budget": NAN, "burn": NAN, "burn_status": "undefined", "finance_note": "no budget lines"},
        id="no-budget-lines",
    ),
    pytest.param(
        MID,
        {"lines": ()},
        # expenditure hangs on budget lines, so a project without lines has none: not reported
        {
            "budget": NAN,
            "spent": NAN,
            "burn_status": "not_reported",
            "forecast_status": "not_reported",
            "finance_note": "no budget lines",
        },
        id="no-budget-lines-and-no-expenditure-is-not-reported",
    ),
]


@pytest.mark.parametrize(("as_of", "spec", "expected"), CASES)
def test_project_finance(as_of, spec, expected):
    row = finance(as_of, **spec)
    for column, value in expected.items():
        if isinstance(value, float):
            assert row[column] == pytest.approx(value, nan_ok=True, abs=1e-9), column
        else:
            assert row[column] == value, column


@pytest.mark.parametrize(
    ("spent", "expected"),
    [
        # budget 1000, 182/365 = 49.863% elapsed: -15 pp is 348.63, +10 pp is 598.63
        (348.0, "underspending"),
        (349.0, "on_pace"),
        (598.0, "on_pace"),
        (599.0, "overspending"),
        (1000.0, "overspending"),  # burn exactly 100% is not over budget
        (1000.5, "over_budget"),
    ],
)
def test_burn_status_edges(spent, expected):
    row = finance(MID, spend=((D(2023, 3, 1), spent, "USD"),))
    assert row["burn_status"] == expected


@pytest.mark.parametrize(
    ("burn", "progress", "expected"),
    [
        (0.80, 0.50, "spend_ahead_of_results"),  # 30 pp
        (0.75, 0.50, "balanced"),  # exactly 25 pp does not fire
        (0.50, 0.80, "results_ahead_of_spend"),
        (0.50, 0.50, "balanced"),
        (0.50, NAN, None),
        (NAN, 0.50, None),
    ],
)
def test_results_vs_spend(burn, progress, expected):
    out = results_vs_spend(pd.Series([burn]), pd.Series([progress]), Settings())
    assert out[0] == expected


def test_settings_move_the_bands():
    row = project_finance(*frames(spend=((D(2023, 3, 1), 400.0, "USD"),)), MID, Settings(underspending_below_pp=-5.0))
    assert row.loc[0, "burn_status"] == "underspending"  # -9.9 pp


def test_several_projects_are_independent():
    a = frames(project_id=1, spend=((D(2023, 3, 1), 100.0, "USD"),))
    b = frames(
        project_id=2,
        currency="EUR",
        rates=EUR_RATES,
        lines=(("staff", "EUR", 400.0),),
        spend=((D(2023, 3, 1), 200.0, "EUR"),),
    )
    both = [pd.concat([x, y], ignore_index=True) for x, y in zip(a, b, strict=True)]
    out = project_finance(*both, MID, Settings()).set_index("project_id")
    assert out.loc[1, "burn"] == pytest.approx(0.1)
    assert out.loc[2, "burn"] == pytest.approx(0.5)
    assert out.loc[2, "budget_usd"] == pytest.approx(440.0)


def test_spending_curve():
    spec = frames(
        plan=((D(2023, 1, 1), 600.0), (D(2023, 6, 1), 400.0)),
        spend=((D(2023, 1, 1), 100.0, "USD"), (D(2023, 3, 1), 200.0, "USD")),
    )
    curve = spending_curve(1, *spec, D(2023, 3, 15), Settings()).set_index("month")
    assert len(curve) == 13  # Jan 2023 .. Jan 2024 (the end month)
    jan, feb, mar, apr = (pd.Timestamp(2023, m, 1) for m in (1, 2, 3, 4))
    assert curve.loc[jan, "actual"] == 100.0 and curve.loc[feb, "actual"] == 100.0
    assert curve.loc[mar, "actual"] == 300.0
    assert math.isnan(curve.loc[apr, "actual"])  # the future is not drawn
    assert curve.loc[feb, "plan"] == 600.0 and curve.loc[pd.Timestamp(2023, 6, 1), "plan"] == 1000.0
    assert curve.loc[jan, "time"] == pytest.approx(1000 * 30 / 365)  # as at 31 January
    assert curve.iloc[-1]["time"] == pytest.approx(1000.0)
    assert math.isnan(curve.loc[feb, "forecast"])
    # average of Jan-Mar = 300 / 3 = 100 a month; 292 days from 15 March to the end
    assert curve.iloc[-1]["forecast"] == pytest.approx(300 + 100 * 292 / M)
    assert curve.loc[mar, "forecast"] == pytest.approx(300 + 100 * 16 / M)


def test_spending_curve_without_expenditure_draws_no_actual_or_forecast():
    curve = spending_curve(1, *frames(), MID, Settings())
    assert curve["actual"].isna().all() and curve["forecast"].isna().all()
    assert curve.iloc[-1]["time"] == pytest.approx(1000.0)  # the budget line is still drawn


def test_spending_curve_unknown_project():
    with pytest.raises(KeyError):
        spending_curve(99, *frames(), MID, Settings())


# ---- money at stake (the order of every list of problems after severity) -----------------------------
@pytest.mark.parametrize(
    ("budget_usd", "spent_usd", "reported", "at_stake"),
    [
        (1000.0, 400.0, True, 600.0),  # budget not yet spent
        (1000.0, 0.0, True, 1000.0),  # a report of nothing spent
        (1000.0, 1200.0, True, 0.0),  # over budget: nothing left, never negative
        (1000.0, float("nan"), False, 1000.0),  # spending not reported: the whole budget is at stake
        (1000.0, float("nan"), True, 1000.0),  # spending in a currency without a rate: unknown, whole budget
        (float("nan"), 400.0, True, float("nan")),  # no USD budget: unknown, never 0
    ],
)
def test_money_at_stake(budget_usd, spent_usd, reported, at_stake):
    from monitoring.finance import money_at_stake

    got = money_at_stake(budget_usd, spent_usd, reported)
    assert (np.isnan(got) and np.isnan(at_stake)) or got == at_stake
    column = money_at_stake(pd.Series([budget_usd]), pd.Series([spent_usd]), pd.Series([reported]))
    assert (np.isnan(column[0]) and np.isnan(at_stake)) or column[0] == at_stake


@pytest.mark.parametrize(
    ("days", "months"),
    [
        (0, 0.0),
        (30.4375, 1.0),  # one mean month
        (182.625, 6.0),  # half of 365.25 days
        (180, 5.9137577),  # the default ending_soon_days: "about 6 months"
        (365.25, 12.0),
    ],
)
def test_months_in(days, months):
    from monitoring.finance import months_in

    assert months_in(days) == pytest.approx(months, abs=1e-7)


@pytest.mark.parametrize(
    ("statuses", "underspending", "overspending", "over_budget", "over_plan_or_budget"),
    [
        ([], 0, 0, 0, 0),
        (["on_pace", "not_reported", None], 0, 0, 0, 0),  # a missing status counts nowhere
        (["underspending", "underspending", "on_pace"], 2, 0, 0, 0),
        (["overspending", "over_budget", "over_budget", "underspending"], 1, 1, 2, 3),
    ],
)
def test_burn_status_counts(statuses, underspending, overspending, over_budget, over_plan_or_budget):
    from monitoring.finance import BURN_STATUSES, burn_status_counts

    counts = burn_status_counts(pd.Series(statuses, dtype=object))
    assert set(counts) == {*BURN_STATUSES, "over_plan_or_budget"}
    assert (counts["underspending"], counts["overspending"], counts["over_budget"]) == (
        underspending,
        overspending,
        over_budget,
    )
    assert counts["over_plan_or_budget"] == over_plan_or_budget


@pytest.mark.parametrize(
    ("burn_status", "forecast_status", "delivery", "reason"),
    [
        (
            "on_pace",
            "underspend",
            0.78,
            "on pace to date, but spending of the last 3 months, continued to the end, reaches only 78% of the budget",
        ),
        (
            "on_pace",
            "overspend",
            1.12,
            "on pace to date, but spending of the last 3 months, continued to the end, would reach 112% of the budget",
        ),
        (
            "underspending",
            "overspend",
            1.05,
            "behind plan to date, but spending of the last 3 months, continued to the end, would reach 105% of the "
            "budget",
        ),
        (
            "overspending",
            "underspend",
            0.8,
            "ahead of plan to date, but spending of the last 3 months has slowed: continued to the end, it reaches "
            "only 80% of the budget",
        ),
        ("on_pace", "on_target", 0.95, ""),  # agree: no words needed
        ("underspending", "underspend", 0.6, ""),
        ("on_pace", "underspend", float("nan"), ""),  # no forecast figure: nothing to explain with
        ("not_reported", "not_reported", None, ""),
    ],
)
def test_status_pair_reason(burn_status, forecast_status, delivery, reason):
    from monitoring.finance import status_pair_reason

    assert status_pair_reason([burn_status], [forecast_status], [delivery], 3) == [reason]
