"""Invariants of the money figures, checked on generated projects (hypothesis)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitoring.finance import project_finance
from monitoring.settings import Settings
from tests.test_monitoring_finance import frames

START = dt.date(2023, 1, 1)
MONTHS = [dt.date(2023 + (m // 12), m % 12 + 1, 1) for m in range(24)]  # 2023-01 .. 2024-12
END = dt.date(2025, 1, 1)

plan_amounts = st.lists(st.floats(min_value=0.0, max_value=1e6, allow_nan=False), min_size=24, max_size=24).filter(
    lambda xs: sum(xs) > 1.0
)
days_in = st.integers(min_value=0, max_value=(END - START).days)


@given(amounts=plan_amounts, offset=days_in)
@settings(max_examples=60, deadline=None)
def test_burn_variance_is_zero_when_spending_follows_the_plan(amounts, offset):
    as_of = START + dt.timedelta(days=offset)
    plan = tuple(zip(MONTHS, amounts, strict=True))
    spend = tuple((m, a, "USD") for m, a in plan if m <= as_of)
    row = project_finance(
        *frames(end=END, lines=(("operational", "USD", sum(amounts)),), plan=plan, spend=spend),
        as_of,
        Settings(),
    ).iloc[0]
    assert row["planned_basis"] == "plan"
    assert row["burn_variance_pp"] == pytest.approx(0.0, abs=1e-7)
    assert row["burn_status"] == "on_pace"


@given(
    budget=st.floats(min_value=1.0, max_value=1e8),
    spent=st.lists(st.floats(min_value=-1e6, max_value=1e8), min_size=2, max_size=2),
    offset=days_in,
)
@settings(max_examples=60, deadline=None)
def test_burn_is_monotone_in_spent(budget, spent, offset):
    as_of = START + dt.timedelta(days=offset)
    low, high = sorted(spent)
    rows = [
        project_finance(
            *frames(end=END, lines=(("staff", "USD", budget),), spend=((START, amount, "USD"),)), as_of, Settings()
        ).iloc[0]
        for amount in (low, high)
    ]
    assert rows[0]["burn"] <= rows[1]["burn"]
    assert rows[0]["burn_variance_pp"] <= rows[1]["burn_variance_pp"]


@given(
    amounts=st.lists(st.floats(min_value=-1e5, max_value=1e6), min_size=24, max_size=24),
    days_after_end=st.integers(min_value=0, max_value=800),
    revised=st.booleans(),
)
@settings(max_examples=60, deadline=None)
def test_forecast_equals_spent_once_ended(amounts, days_after_end, revised):
    end = dt.date(2024, 6, 30)
    revised_end = END if revised else None
    as_of = (revised_end or end) + dt.timedelta(days=days_after_end)
    spend = tuple((m, a, "USD") for m, a in zip(MONTHS, amounts, strict=True))
    row = project_finance(*frames(end=end, revised=revised_end, spend=spend), as_of, Settings()).iloc[0]
    assert row["months_remaining"] == 0.0
    assert row["forecast"] == pytest.approx(row["spent"])
    assert row["planned_burn"] == 1.0
    counted = [a for m, a in zip(MONTHS, amounts, strict=True) if m <= as_of]
    assert row["spent"] == pytest.approx(sum(counted))
