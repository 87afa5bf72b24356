"""Data quality (DOMAIN.md section 8): each issue found on a hand-built case, and nothing else."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import pandas as pd
import pytest

from monitoring.frames import PortfolioFrames, frame
from monitoring.indicators import evaluate_indicators
from monitoring.quality import (
    breakdown_mismatch,
    completeness,
    evidence_label,
    indicator_quality,
    out_of_range,
    project_quality,
    quality_summary,
)
from monitoring.settings import Settings

d = dt.date
NAN = float("nan")
SETTINGS = Settings()
AS_OF = d(2025, 7, 2)
Q1 = dict(period_start=d(2025, 1, 1), period_end=d(2025, 3, 31))
Q2 = dict(period_start=d(2025, 4, 1), period_end=d(2025, 6, 30))
Q3 = dict(period_start=d(2025, 7, 1), period_end=d(2025, 9, 30))
Q4 = dict(period_start=d(2025, 10, 1), period_end=d(2025, 12, 31))


@pytest.mark.parametrize(
    ("total", "female", "male", "other", "mismatch"),
    [
        (50, 20, 30, NAN, False),
        (50, 20, 20, NAN, True),  # 40 vs 50
        (50, 24, 25, NAN, True),  # one person missing on a count under 100
        (50, 24, 25, 1, False),  # other/unknown completes it
        (1000, 497, 498, NAN, False),  # 995 vs 1000: within 1% of a large estimate
        (1000, 480, 500, NAN, True),  # 980 vs 1000: beyond 1%
        (50, 20, NAN, NAN, False),  # partial breakdown below the total: fine
        (50, 60, NAN, NAN, True),  # partial breakdown above the total
        (NAN, 20, 30, NAN, False),  # no total: nothing to compare
        (50, NAN, NAN, NAN, False),  # no breakdown: another issue, not a mismatch
    ],
)
def test_breakdown_mismatch(total, female, male, other, mismatch):
    assert breakdown_mismatch(total, female, male, other) is mismatch


@pytest.mark.parametrize(
    ("measure", "value", "flagged"),
    [
        ("number", -1, True),
        ("number", 0, False),
        ("number", 1e6, False),
        ("percentage", 100, False),
        ("percentage", 100.5, True),
        ("percentage", -2, True),
        ("yes_no", 1, False),
        ("yes_no", 0, False),
        ("yes_no", 2, True),
        ("yes_no", NAN, False),
        ("qualitative", NAN, False),
    ],
)
def test_out_of_range(measure, value, flagged):
    assert out_of_range(measure, value) is flagged


def ind(indicator_id, project_id=1, **kw):
    base = dict(
        indicator_id=indicator_id,
        project_id=project_id,
        measure="number",
        accumulation="level",
        baseline=0,
        end_target=10,
        unit="people",
        disaggregation="none",
    )
    return {**base, **kw}


INDICATORS = frame(
    "indicators",
    [
        ind(1),  # clean
        ind(2, baseline=None),  # missing baseline
        ind(3, baseline=None, baseline_text="N/A"),  # text baseline on a number
        ind(4, end_target=None),  # missing target, milestones exist
        ind(5, baseline=20, end_target=20),  # target = baseline
        ind(6, unit=" "),  # no unit
        ind(7, measure="percentage", unit=None),  # percentage without unit: fine
        ind(8, measure="qualitative", baseline=None, end_target=None, unit=None),  # no texts
        ind(
            9,
            measure="qualitative",
            baseline=None,
            end_target=None,
            unit=None,
            baseline_text="no committee",
            end_target_text="committee meets monthly",
        ),  # fine
        ind(10),  # people without sex breakdown
        ind(11, measure="percentage", unit="%"),  # 120%
        ind(12),  # negative count
        ind(13),  # breakdown does not add up
        ind(14),  # value as text
        ind(15, accumulation="incremental", baseline=None, end_target=0),  # zero incremental target
        ind(16),  # issues only after as-of: none
    ],
)
TARGETS = frame("targets", [dict(indicator_id=4, target=5, **Q1)])
ACTUALS = frame(
    "actuals",
    [
        dict(indicator_id=1, value=5, female=2, male=3, **Q1),
        dict(indicator_id=10, value=5, female=2, male=3, **Q1),
        dict(indicator_id=10, value=6, **Q2),
        dict(indicator_id=11, value=120, **Q2),
        dict(indicator_id=12, value=-3, female=-3, male=0, **Q2),
        dict(indicator_id=13, value=50, female=20, male=20, **Q1),
        dict(indicator_id=13, value=60, female=30, male=20, **Q2),
        dict(indicator_id=14, value=None, value_text="<15", **Q2),
        dict(indicator_id=9, value=None, value_text="committee met twice", **Q2),  # qualitative: text is the value
        dict(indicator_id=16, value=-1, value_text=None, **Q4),
    ],
)

EXPECTED_ISSUES = {
    (2, "missing_baseline", "no baseline"),
    (3, "missing_baseline", "the baseline is text, not a number"),
    (4, "missing_target", "no end-of-project target (milestones exist)"),
    (5, "target_equals_baseline", "end target equals the baseline (20)"),
    (6, "no_unit", "no unit of measure"),
    (8, "missing_baseline", "no baseline"),
    (8, "missing_target", "no end-of-project target"),
    (10, "no_sex_breakdown", "1 of 2 reported periods have no sex breakdown"),
    (11, "out_of_range", "1 period with an implausible value, e.g. 120 for 2025-04-01 to 2025-06-30"),
    (12, "out_of_range", "1 period with an implausible value, e.g. -3 for 2025-04-01 to 2025-06-30"),
    (
        13,
        "breakdown_mismatch",
        "2 periods where female + male + other differs from the total, e.g. 40 vs 50 for 2025-01-01 to 2025-03-31",
    ),
    (14, "not_a_number", "1 period reported as text, e.g. '<15' for 2025-04-01 to 2025-06-30"),
    (15, "missing_baseline", "no baseline"),
    (15, "target_equals_baseline", "end target is 0: nothing to count"),
}


def test_indicator_quality_finds_exactly_the_planted_issues():
    issues = indicator_quality(INDICATORS, TARGETS, ACTUALS, AS_OF)
    got = {(int(r.indicator_id), r.issue, r.message) for r in issues.itertuples()}
    assert got == EXPECTED_ISSUES
    assert set(issues["project_id"]) == {1}


def test_indicator_quality_of_nothing():
    issues = indicator_quality(frame("indicators"), frame("targets"), frame("actuals"), AS_OF)
    assert list(issues.columns) == ["indicator_id", "project_id", "issue", "message"]
    assert len(issues) == 0


def test_completeness_is_the_share_of_indicators_without_issue():
    issues = indicator_quality(INDICATORS, TARGETS, ACTUALS, AS_OF)
    projects = frame("projects", [dict(project_id=1), dict(project_id=2)])
    table = completeness(INDICATORS, issues, projects).set_index("project_id")
    # indicators 1, 7, 9, 16 have no issue: 4 of 16
    assert table.loc[1, "n_indicators"] == 16
    assert table.loc[1, "n_with_issues"] == 12
    assert table.loc[1, "completeness"] == pytest.approx(0.25)
    assert table.loc[2, "completeness"] == 0.0  # no indicators at all


@pytest.mark.parametrize(
    ("source", "label"),
    [
        ("project_monitoring", "Project monitoring"),
        ("monitoring_visit", "Verified in a monitoring visit"),
        ("evaluation", "Evaluation"),
        ("self_reported", "Self-reported"),
        (None, "Source not stated"),
    ],
)
def test_evidence_label(source, label):
    assert evidence_label(source) == label


def test_evidence_label_of_a_column():
    assert evidence_label(pd.Series(["evaluation", None])).tolist() == ["Evaluation", "Source not stated"]


PQ_AS_OF = d(2025, 10, 2)
PROJECTS = frame(
    "projects",
    [
        # 1: reported until 2025-06-30 (94 days before as-of): stale; visited 270 days ago, high risk
        dict(project_id=1, status="active", start_date=d(2024, 1, 1), end_date=d(2026, 12, 31), high_risk_context=True),
        # 2: reported until 2025-09-30, visited last month: clean
        dict(project_id=2, status="active", start_date=d(2024, 1, 1), end_date=d(2026, 12, 31)),
        # 3: no indicators 32 days after the start; too new to miss a visit
        dict(project_id=3, status="active", start_date=d(2025, 8, 31), end_date=d(2026, 8, 31)),
        # 4: no indicators but only 29 days in: not yet due
        dict(project_id=4, status="active", start_date=d(2025, 9, 3), end_date=d(2026, 9, 3)),
        # 5: closed: no project issues
        dict(project_id=5, status="closed", start_date=d(2020, 1, 1), end_date=d(2021, 1, 1)),
        # 6: not started yet
        dict(project_id=6, status="active", start_date=d(2025, 12, 1), end_date=d(2026, 12, 1)),
        # 7: indicators but nothing ever reported, 200 days in, no visit
        dict(project_id=7, status="active", start_date=d(2025, 3, 16), end_date=d(2026, 3, 16)),
    ],
)
PQ_INDICATORS = frame("indicators", [ind(1, 1), ind(2, 2), ind(3, 5), ind(4, 7)])
PQ_ACTUALS = frame(
    "actuals",
    [
        dict(indicator_id=1, value=5, **Q2),
        dict(indicator_id=2, value=5, **Q3),
    ],
)
VISITS = frame(
    "visits",
    [
        dict(project_id=1, visit_date=d(2025, 1, 5), visit_type="on_site"),
        dict(project_id=2, visit_date=d(2025, 9, 1), visit_type="remote"),
        dict(project_id=2, visit_date=d(2025, 12, 1), visit_type="on_site"),  # after as-of
    ],
)
EXPECTED_PROJECT_ISSUES = {
    (1, "stale_reporting", "nothing reported for 94 days (last report 2025-06-30)"),
    (1, "no_monitoring_visit", "no monitoring visit for 270 days in a high-risk context (last 2025-01-05)"),
    (3, "results_framework_missing", "no indicators 32 days after the start (due within 30)"),
    (7, "stale_reporting", "nothing reported 200 days after the start"),
    (7, "no_monitoring_visit", "no monitoring visit recorded"),
}


def test_project_quality():
    ev = evaluate_indicators(PQ_INDICATORS, frame("targets"), PQ_ACTUALS, PROJECTS, PQ_AS_OF, SETTINGS)
    issues = project_quality(PROJECTS, ev, VISITS, PQ_AS_OF, SETTINGS)
    got = {(int(r.project_id), r.issue, r.message) for r in issues.itertuples()}
    assert got == EXPECTED_PROJECT_ISSUES


def test_quality_summary_counts_every_issue():
    frames = dataclasses.replace(
        PortfolioFrames.empty(), projects=PROJECTS, indicators=PQ_INDICATORS, actuals=PQ_ACTUALS, visits=VISITS
    )
    summary = quality_summary(frames, PQ_AS_OF, SETTINGS).set_index(["level", "issue"])
    assert summary.loc[("project", "stale_reporting"), "count"] == 2
    # active and started on 2025-10-02: projects 1, 2, 3, 4, 7
    assert summary.loc[("project", "stale_reporting"), "share"] == pytest.approx(2 / 5)
    assert summary.loc[("project", "stale_reporting"), "of"] == 5
    assert summary.loc[("indicator", "not_a_number"), "count"] == 0
    assert summary.loc[("indicator", "no_sex_breakdown"), "count"] == 2  # indicators 1 and 2
    assert len(summary) == 11


def test_quality_summary_of_an_empty_portfolio():
    summary = quality_summary(PortfolioFrames.empty(), PQ_AS_OF, SETTINGS)
    assert summary["count"].sum() == 0
    assert math.isnan(summary["share"].iloc[0])


def test_summary_lines_for_the_check_command():
    from monitoring.quality import summary_lines

    frames = dataclasses.replace(
        PortfolioFrames.empty(), projects=PROJECTS, indicators=PQ_INDICATORS, actuals=PQ_ACTUALS, visits=VISITS
    )
    lines = summary_lines(frames, PQ_AS_OF, SETTINGS)
    assert lines[0] == "Data quality as of 2 Oct 2025:"
    stale = next(line for line in lines if "Stale reporting" in line)
    assert stale.split() == ["Stale", "reporting", "2", "(40.0%)"]
    assert "  Active projects that have started (5):" in lines
    # indicators 1 and 2 count people without a sex breakdown (projects 1, 2 score 0); projects 5
    # and 7 have one clean indicator each (1); projects 3, 4, 6 have none (0): 2 / 7
    assert lines[-1].endswith(f"mean {2 / 7:.1%} over 7 projects")
