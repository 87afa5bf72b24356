"""Reports due soon or overdue (``monitoring.reporting.reports_due``), hand-built cases.

Grace 30 days: a period's report is due by period end + 29 days and overdue from period end + 30
(the day ``overdue_reports`` counts it). Project P1 runs 2025-01-01 → 2025-12-31, quarterly: Q1 ends
2025-03-31, so its report is due by 2025-04-29 and overdue from 2025-04-30. P2 ran 2024-01-01 →
2024-06-30 (ended), quarterly, its Q1 2024 reported and Q2 2024 not: due by 2024-07-29.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from monitoring.reporting import DUE_COLUMNS, FILL_COLUMNS, reports_due, reports_to_fill

d = dt.date
GRACE = 30

PROJECTS = pd.DataFrame(
    {
        "project_id": [1, 2],
        "project_code": ["P1", "P2"],
        "start_date": [d(2025, 1, 1), d(2024, 1, 1)],
        "end_date": [d(2025, 12, 31), d(2024, 6, 30)],
        "revised_end_date": [None, None],
    }
)
# I1 nothing reported; I2 reported Q1 early (before the quarter ended); P2's I1 reported Q1 2024 only
INDICATORS = pd.DataFrame(
    {
        "indicator_id": [11, 12, 21],
        "project_id": [1, 1, 2],
        "indicator_code": ["I1", "I2", "I1"],
        "name": ["People trained", "Shelters", "Cases referred"],
        "frequency": ["quarterly", "quarterly", "quarterly"],
    }
)
TARGETS = pd.DataFrame(columns=["indicator_id", "period_start", "period_end", "target"])
ACTUALS = pd.DataFrame(
    {
        "indicator_id": [12, 21],
        "period_start": [d(2025, 1, 1), d(2024, 1, 1)],
        "period_end": [d(2025, 3, 31), d(2024, 3, 31)],
        "value": [5.0, 3.0],
        "value_text": [None, None],
        "reported_on": [d(2025, 3, 20), d(2024, 4, 10)],
    }
)

# P2's Q2 2024: due by 2024-07-29; on 2025-04-30 overdue by 2 (Jul 30, 31) + 31+30+31+30+31 (Aug-Dec)
# + 31+28+31+30 (Jan-Apr 2025) = 275 days
P2_Q2 = ("P2", "I1", d(2024, 4, 1), d(2024, 6, 30), d(2024, 7, 29))


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        # the day before the due date: P1 I1 Q1 due tomorrow (I2 reported early: absent)
        (
            d(2025, 4, 28),
            [("P2", *P2_Q2[1:], "overdue", 273), ("P1", "I1", d(2025, 1, 1), d(2025, 3, 31), d(2025, 4, 29), "due", 0)],
        ),
        # the due date itself: still due, not overdue
        (
            d(2025, 4, 29),
            [("P2", *P2_Q2[1:], "overdue", 274), ("P1", "I1", d(2025, 1, 1), d(2025, 3, 31), d(2025, 4, 29), "due", 0)],
        ),
        # the day after: overdue by one day
        (
            d(2025, 4, 30),
            [
                ("P2", *P2_Q2[1:], "overdue", 275),
                ("P1", "I1", d(2025, 1, 1), d(2025, 3, 31), d(2025, 4, 29), "overdue", 1),
            ],
        ),
        # Q1 still running: nothing of P1 is listed; P2's Q2 2024 not yet ended either
        (d(2024, 3, 30), []),
        # P2's last period ends today (its project ends today): due, by 2024-07-29
        (d(2024, 6, 30), [("P2", *P2_Q2[1:], "due", 0)]),
    ],
)
def test_reports_due(as_of, expected):
    got = reports_due(INDICATORS, TARGETS, ACTUALS, PROJECTS, as_of, GRACE)
    assert list(got.columns) == list(DUE_COLUMNS)
    rows = [
        (r.project_code, r.indicator_code, r.period_start, r.period_end, r.due_date, r.state, int(r.days_overdue))
        for r in got.itertuples()
    ]
    assert rows == expected


def test_ended_project_lists_no_period_after_its_end():
    got = reports_due(INDICATORS, TARGETS, ACTUALS, PROJECTS, d(2026, 3, 1), GRACE)
    p2 = got.loc[got["project_code"] == "P2"]
    assert p2["period_end"].tolist() == [d(2024, 6, 30)]  # Q1 2024 reported, nothing after 30 June 2024


def test_reported_early_is_never_listed():
    got = reports_due(INDICATORS, TARGETS, ACTUALS, PROJECTS, d(2025, 5, 15), GRACE)
    assert not ((got["indicator_id"] == 12) & (got["period_end"] == d(2025, 3, 31))).any()
    assert ((got["indicator_id"] == 11) & (got["period_end"] == d(2025, 3, 31))).any()


def test_agrees_with_overdue_count():
    """The overdue rows of the list are the reports ``overdue_reports`` counts."""
    from monitoring.dates import day_numbers
    from monitoring.reporting import overdue_reports, reporting_periods

    as_of = d(2025, 4, 30)
    periods = reporting_periods(INDICATORS, TARGETS, PROJECTS)
    counted = overdue_reports(periods, ACTUALS, day_numbers(as_of), GRACE)["reports_overdue"]
    listed = reports_due(INDICATORS, TARGETS, ACTUALS, PROJECTS, as_of, GRACE)
    listed = listed.loc[listed["state"] == "overdue"].groupby("indicator_id").size()
    assert listed.to_dict() == {k: v for k, v in counted.to_dict().items() if v}


# ---- reports_to_fill: the pre-filled workbook's rows -------------------------------------------
# P3 (2025-01-01 → 2025-12-31): I1 has half-year targets (H1 40, H2 60) and reported 12 for Q1, then 25
# for February to April (the latest: a later end); those reports overlap H1, so H1 is in and H2 is due.
# I2 is qualitative, quarterly, its Q1 reported as a text; I3 counts people by sex, quarterly, nothing
# reported.
FILL_PROJECTS = pd.DataFrame(
    {
        "project_id": [3],
        "project_code": ["P3"],
        "start_date": [d(2025, 1, 1)],
        "end_date": [d(2025, 12, 31)],
        "revised_end_date": [None],
    }
)
FILL_INDICATORS = pd.DataFrame(
    {
        "indicator_id": [33, 31, 32],
        "project_id": [3, 3, 3],
        "indicator_code": ["I3", "I1", "I2"],
        "name": ["People assisted", "Shelters built", "Policy dialogue"],
        "unit": ["people", "shelters", None],
        "measure": ["number", "number", "qualitative"],
        "disaggregation": ["sex", "none", "none"],
        "frequency": ["quarterly", "quarterly", "quarterly"],
    }
)
FILL_TARGETS = pd.DataFrame(
    {
        "indicator_id": [31, 31],
        "period_start": [d(2025, 1, 1), d(2025, 7, 1)],
        "period_end": [d(2025, 6, 30), d(2025, 12, 31)],
        "target": [40.0, 60.0],
    }
)
FILL_ACTUALS = pd.DataFrame(
    {
        "indicator_id": [31, 31, 32],
        "period_start": [d(2025, 1, 1), d(2025, 2, 1), d(2025, 1, 1)],
        "period_end": [d(2025, 3, 31), d(2025, 4, 30), d(2025, 3, 31)],
        "value": [12.0, 25.0, None],
        "value_text": [None, None, "Draft policy shared"],
        "reported_on": [d(2025, 4, 10), d(2025, 5, 10), d(2025, 4, 12)],
    }
)


def test_reports_to_fill_are_the_due_reports_with_target_and_latest_value():
    as_of = d(2026, 1, 20)  # Q4 and H2 ended 20 days ago: due; earlier quarters overdue
    got = reports_to_fill(FILL_INDICATORS, FILL_TARGETS, FILL_ACTUALS, FILL_PROJECTS, as_of, GRACE)
    assert list(got.columns) == list(FILL_COLUMNS)
    due = reports_due(FILL_INDICATORS, FILL_TARGETS, FILL_ACTUALS, FILL_PROJECTS, as_of, GRACE)
    key = ["indicator_id", "period_start", "period_end", "state", "days_overdue"]
    assert sorted(got[key].itertuples(index=False)) == sorted(due[key].itertuples(index=False))
    rows = [
        (
            r.indicator_code,
            r.period_start,
            r.state,
            None if pd.isna(r.target) else r.target,
            None if r.latest_value is None or pd.isna(r.latest_value) else r.latest_value,
            None if pd.isna(r.latest_period_end) else r.latest_period_end,
            r.disaggregation,
        )
        for r in got.itertuples()
    ]
    assert rows == [
        # H1 is covered by the Q1 and April reports; H2 is due, with its own target, after the April report
        ("I1", d(2025, 7, 1), "due", 60.0, 25.0, d(2025, 4, 30), "none"),
        # the qualitative indicator: its latest report is a text
        ("I2", d(2025, 4, 1), "overdue", None, "Draft policy shared", d(2025, 3, 31), "none"),
        ("I2", d(2025, 7, 1), "overdue", None, "Draft policy shared", d(2025, 3, 31), "none"),
        ("I2", d(2025, 10, 1), "due", None, "Draft policy shared", d(2025, 3, 31), "none"),
        # nothing ever reported: no latest value; quarters of the frequency have no target
        ("I3", d(2025, 1, 1), "overdue", None, None, None, "sex"),
        ("I3", d(2025, 4, 1), "overdue", None, None, None, "sex"),
        ("I3", d(2025, 7, 1), "overdue", None, None, None, "sex"),
        ("I3", d(2025, 10, 1), "due", None, None, None, "sex"),
    ]


def test_a_report_for_a_period_after_the_as_of_date_is_not_the_latest():
    """As of 2025-07-20 I2's second quarter is due; a report for the third quarter (starting after the
    as-of date, as a correction typed ahead would) is not its latest value: the first quarter's is."""
    ahead = pd.DataFrame(
        {
            "indicator_id": [32],
            "period_start": [d(2025, 7, 21)],
            "period_end": [d(2025, 9, 30)],
            "value": [None],
            "value_text": ["Policy adopted"],
            "reported_on": [d(2025, 7, 20)],
        }
    )
    actuals = pd.concat([FILL_ACTUALS, ahead], ignore_index=True)
    got = reports_to_fill(FILL_INDICATORS, FILL_TARGETS, actuals, FILL_PROJECTS, d(2025, 7, 20), GRACE)
    i2 = got.loc[got["indicator_code"] == "I2"]
    assert i2["period_start"].tolist() == [d(2025, 4, 1)]
    assert i2["latest_value"].tolist() == ["Draft policy shared"]
    assert i2["latest_period_end"].tolist() == [d(2025, 3, 31)]


def test_nothing_due_gives_the_columns_and_no_row():
    got = reports_to_fill(FILL_INDICATORS, FILL_TARGETS, FILL_ACTUALS, FILL_PROJECTS, d(2025, 3, 30), GRACE)
    assert got.empty and list(got.columns) == list(FILL_COLUMNS)
