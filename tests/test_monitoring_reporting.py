"""The reporting cut-off, "too early to judge" and overdue reports (DOMAIN.md 2.1), by hand.

Default settings: ``reporting_grace_days = 30``, ``min_expected_to_judge = 0.10``.

Calendar: project 1 runs 2025-01-01 → 2025-12-31 (364 days); its quarters end 03-31, 06-30, 09-30.
Project 2 runs 2025-06-01 → 2026-05-31 (364 days). Day counts are written out in each case.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from monitoring.dates import day_numbers
from monitoring.frames import frame
from monitoring.indicators import evaluate_indicators
from monitoring.reporting import (
    frequency_months,
    overdue_phrase,
    overdue_reports,
    reporting_cutoff,
    reporting_periods,
)
from monitoring.settings import Settings

d = dt.date
NAN = float("nan")
SETTINGS = Settings()


def day(x: dt.date) -> float:
    return day_numbers(x)


# ---- the cut-off C ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("as_of", "last_reported_end", "cutoff"),
    [
        (d(2025, 7, 1), None, d(2025, 6, 1)),  # nothing reported: D − 30
        (d(2025, 7, 1), d(2025, 3, 31), d(2025, 6, 1)),  # last report older than the grace: D − 30
        (d(2025, 7, 1), d(2025, 6, 30), d(2025, 6, 30)),  # the quarter just ended is in: judged at its end
        (d(2025, 7, 1), d(2025, 9, 30), d(2025, 7, 1)),  # the running period reported: never after D
        (d(2025, 7, 31), d(2025, 7, 1), d(2025, 7, 1)),  # exactly D − 30 either way
    ],
)
def test_reporting_cutoff(as_of, last_reported_end, cutoff):
    last = NAN if last_reported_end is None else day(last_reported_end)
    assert reporting_cutoff(day(as_of), last, 30) == day(cutoff)


def test_reporting_cutoff_on_arrays():
    out = reporting_cutoff(day(d(2025, 7, 1)), np.array([NAN, day(d(2025, 6, 30))]), 30)
    assert list(out) == [day(d(2025, 6, 1)), day(d(2025, 6, 30))]


@pytest.mark.parametrize(
    ("overdue", "due", "frequency", "text"),
    [
        (2, 5, "quarterly", "2 of 5 quarterly reports overdue"),
        (1, 1, "quarterly", "1 of 1 quarterly report overdue"),
        (1, 3, "", "1 of 3 reports overdue"),
        (0, 4, "annual", ""),
    ],
)
def test_overdue_phrase(overdue, due, frequency, text):
    assert overdue_phrase(overdue, due, frequency) == text


@pytest.mark.parametrize(
    ("word", "months"),
    [("quarterly", 3), (" Quarterly ", 3), ("semi-annual", 6), ("annually", 12), ("monthly", 1), ("weekly", 0)],
)
def test_frequency_words(word, months):
    assert list(frequency_months([word])) == [months]


# ---- reporting periods ----------------------------------------------------------------------------
def test_frequency_periods_run_in_calendar_months_from_the_start_month():
    projects = frame("projects", [dict(project_id=1, start_date=d(2025, 1, 15), end_date=d(2025, 8, 10))])
    indicators = frame("indicators", [dict(indicator_id=1, project_id=1, frequency="quarterly")])
    periods = reporting_periods(indicators, frame("targets"), projects)
    got = [(str(np.datetime64(int(s), "D")), str(np.datetime64(int(e), "D"))) for s, e in periods.iloc[:, 1:].values]
    # first clipped to the start date, last to the end date
    assert got == [("2025-01-15", "2025-03-31"), ("2025-04-01", "2025-06-30"), ("2025-07-01", "2025-08-10")]


def test_target_periods_replace_the_frequency():
    projects = frame("projects", [dict(project_id=1, start_date=d(2025, 1, 1), end_date=d(2025, 12, 31))])
    indicators = frame("indicators", [dict(indicator_id=1, project_id=1, frequency="monthly")])
    targets = frame(
        "targets",
        [
            dict(indicator_id=1, period_start=d(2025, 1, 1), period_end=d(2025, 6, 30), target=10),
            dict(indicator_id=1, period_start=d(2025, 7, 1), period_end=d(2025, 12, 31), target=None),  # no target
        ],
    )
    periods = reporting_periods(indicators, targets, projects)
    assert len(periods) == 1 and periods["period_end"].iloc[0] == day(d(2025, 6, 30))


def test_no_target_and_no_known_frequency_has_no_periods():
    projects = frame("projects", [dict(project_id=1, start_date=d(2025, 1, 1), end_date=d(2025, 12, 31))])
    indicators = frame("indicators", [dict(indicator_id=1, project_id=1, frequency=None)])
    assert reporting_periods(indicators, frame("targets"), projects).empty


def test_overdue_counts_periods_ended_by_d_minus_grace_without_an_overlapping_actual():
    periods = pd.DataFrame(
        {
            "indicator_id": [1, 1, 1, 1],
            "period_start": [day(d(2025, 1, 1)), day(d(2025, 4, 1)), day(d(2025, 7, 1)), day(d(2025, 10, 1))],
            "period_end": [day(d(2025, 3, 31)), day(d(2025, 6, 30)), day(d(2025, 9, 30)), day(d(2025, 12, 31))],
        }
    )
    actuals = frame(
        "actuals",
        [
            # one half-year actual overlapping Q1 and Q2 (IATI-style): both are in
            dict(indicator_id=1, period_start=d(2025, 1, 1), period_end=d(2025, 6, 30), value=None, value_text="N/A"),
        ],
    )
    # D = 2025-10-30: Q3 ended 30 days before: due (and missing); Q4 not ended
    out = overdue_reports(periods, actuals, day(d(2025, 10, 30)), 30)
    assert (out.loc[1, "reports_due"], out.loc[1, "reports_overdue"]) == (3, 1)
    assert out.loc[1, "report_frequency"] == "quarterly"
    # D = 2025-10-29: Q3 ended 29 days before: not due yet
    out = overdue_reports(periods, actuals, day(d(2025, 10, 29)), 30)
    assert (out.loc[1, "reports_due"], out.loc[1, "reports_overdue"]) == (2, 0)


# ---- the evaluation around a quarter end ------------------------------------------------------------
PROJECTS = frame(
    "projects",
    [
        dict(project_id=1, start_date=d(2025, 1, 1), end_date=d(2025, 12, 31)),
        dict(project_id=2, start_date=d(2025, 6, 1), end_date=d(2026, 5, 31)),
    ],
)
INDICATORS = frame(
    "indicators",
    [
        # 1: cumulative on milestones Q1 = 20, Q2 = 40 of 100 (baseline 0); Q1 reported 20
        dict(indicator_id=1, project_id=1, measure="number", accumulation="cumulative", baseline=0, end_target=100),
        # 2: incremental, linear (no milestones), quarterly reports; Q1 reported 30
        dict(
            indicator_id=2,
            project_id=1,
            measure="number",
            accumulation="incremental",
            end_target=100,
            frequency="quarterly",
        ),
        # 3: as 2, with Q2 (20) and Q3 (15) reported too
        dict(
            indicator_id=3,
            project_id=1,
            measure="number",
            accumulation="incremental",
            end_target=100,
            frequency="quarterly",
        ),
        # 4: nothing reported, quarterly
        dict(
            indicator_id=4,
            project_id=1,
            measure="number",
            accumulation="incremental",
            end_target=100,
            frequency="quarterly",
        ),
        # 5: project 2, achieved in its first month (120 of 100)
        dict(indicator_id=5, project_id=2, measure="number", accumulation="incremental", end_target=100),
        # 6: project 2, 2 of 100 in June
        dict(indicator_id=6, project_id=2, measure="number", accumulation="incremental", end_target=100),
    ],
).assign(
    unit="people",
    direction="increase",
    disaggregation="none",
    indicator_code=lambda f: "I" + f["indicator_id"].astype(str),
)
TARGETS = frame(
    "targets",
    [
        dict(indicator_id=1, period_start=d(2025, 1, 1), period_end=d(2025, 3, 31), target=20),
        dict(indicator_id=1, period_start=d(2025, 4, 1), period_end=d(2025, 6, 30), target=40),
        dict(indicator_id=1, period_start=d(2025, 7, 1), period_end=d(2025, 12, 31), target=100),
    ],
)
ACTUALS = frame(
    "actuals",
    [
        dict(indicator_id=1, period_start=d(2025, 1, 1), period_end=d(2025, 3, 31), value=20),
        dict(indicator_id=2, period_start=d(2025, 1, 1), period_end=d(2025, 3, 31), value=30),
        dict(indicator_id=3, period_start=d(2025, 1, 1), period_end=d(2025, 3, 31), value=30),
        dict(indicator_id=3, period_start=d(2025, 4, 1), period_end=d(2025, 6, 30), value=20),
        dict(indicator_id=3, period_start=d(2025, 7, 1), period_end=d(2025, 9, 30), value=15),
        dict(indicator_id=5, period_start=d(2025, 6, 1), period_end=d(2025, 6, 30), value=120),
        dict(indicator_id=6, period_start=d(2025, 6, 1), period_end=d(2025, 6, 30), value=2),
    ],
)

# (indicator, as-of): (cut-off C, expected progress, status, reports due, reports overdue)
CASES = {
    # a milestone (Q2, 40) that fell due today / yesterday: its report is not due, C = D − 30 = 5/31
    # and 6/1, only Q1 (20) has ended by then: 0.2 expected, 0.2 reached → on track (no cliff)
    (1, d(2025, 6, 30)): (d(2025, 5, 31), 0.2, "on_track", 1, 0),
    (1, d(2025, 7, 1)): (d(2025, 6, 1), 0.2, "on_track", 1, 0),
    # 30 days later C = 6/30: the Q2 milestone counts (0.4 expected, ratio 0.5) and its report is overdue
    (1, d(2025, 7, 30)): (d(2025, 6, 30), 0.4, "off_track", 2, 1),
    # 31 days after it ended: the same
    (1, d(2025, 7, 31)): (d(2025, 7, 1), 0.4, "off_track", 2, 1),
    # linear, last report (Q1) older than the grace: C = D − 30 = 8/31, elapsed 242/364; 30 of 100
    # → ratio 0.30 / 0.6648 = 0.45 → off track; Q1 and Q2 due, Q2 missing
    (2, d(2025, 9, 30)): (d(2025, 8, 31), 242 / 364, "off_track", 2, 1),
    # linear, reported up to the running quarter (Q3 ends on D): C = D = 9/30, elapsed 272/364 = 0.747;
    # 65 of 100 → ratio 0.87 → on track
    (3, d(2025, 9, 30)): (d(2025, 9, 30), 272 / 364, "on_track", 2, 0),
    # nothing reported on 7/1: C = 6/1, elapsed 151/364 = 0.41 → no data, the Q1 report overdue
    (4, d(2025, 7, 1)): (d(2025, 6, 1), 151 / 364, "no_data", 1, 1),
    # achieved before anything was due: C = min(6/30, D) = 6/20, elapsed 19/364 = 0.05 < 0.10
    (5, d(2025, 6, 20)): (d(2025, 6, 20), 19 / 364, "achieved", 0, 0),
    # too early to judge: C = 6/30 (June reported), elapsed 29/364 = 0.08 < 0.10 → not due
    (6, d(2025, 7, 15)): (d(2025, 6, 30), 29 / 364, "not_due", 0, 0),
    # judged once 10% is expected: D = 8/7, C = D − 30 = 7/8, elapsed 37/364 = 0.102; 2 of 100 → off track
    (6, d(2025, 8, 7)): (d(2025, 7, 8), 37 / 364, "off_track", 0, 0),
}


@pytest.mark.parametrize(("indicator_id", "as_of"), sorted(CASES))
def test_cutoff_expected_status_and_overdue(indicator_id, as_of):
    ev = evaluate_indicators(INDICATORS, TARGETS, ACTUALS, PROJECTS, as_of, SETTINGS).set_index("indicator_id")
    row = ev.loc[indicator_id]
    cutoff, expected, status, due, overdue = CASES[(indicator_id, as_of)]
    assert row["cutoff"] == cutoff
    assert row["expected_progress"] == pytest.approx(expected, abs=1e-9)
    assert row["status"] == status
    assert (row["reports_due"], row["reports_overdue"]) == (due, overdue)


@pytest.mark.parametrize(
    ("indicator_id", "as_of", "reason"),
    [
        (
            1,
            d(2025, 7, 31),
            "20 people reported vs 40 people expected by 1 Jul 2025 (milestone of 30 Jun 2025; end target 100 "
            "people); 20% of the way from baseline 0 vs 40% expected; 1 of 2 quarterly reports overdue",
        ),
        (
            4,
            d(2025, 7, 1),
            "no actual reported for a period started by 1 Jul 2025 while 41% of the way was expected by "
            "1 Jun 2025; 1 of 1 quarterly report overdue",
        ),
        (6, d(2025, 7, 15), "too early to judge: 8% of the way expected by 30 Jun 2025 (judged from 10%)"),
    ],
)
def test_reason_names_the_date_and_the_overdue_reports(indicator_id, as_of, reason):
    ev = evaluate_indicators(INDICATORS, TARGETS, ACTUALS, PROJECTS, as_of, SETTINGS).set_index("indicator_id")
    assert ev.loc[indicator_id, "reason"] == reason
