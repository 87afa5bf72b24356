"""Indicator progress and status (DOMAIN.md 2.1): every expected number below is computed by hand.

Calendar used throughout: project P1 runs 2025-01-01 → 2025-12-31 (364 days); on D = 2025-07-02,
182 days have elapsed, so linear expected progress is exactly 0.5.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from monitoring.frames import frame
from monitoring.indicators import _reasons as reasons
from monitoring.indicators import (
    evaluate_indicators,
    expected_progress,
    expected_share,
    format_number,
    not_assessable_reason,
    progress,
    ratio,
    starting_point,
    status_from,
)
from monitoring.settings import Settings

d = dt.date
D = d(2025, 7, 2)
NAN = float("nan")
# The tables below check the formulas at the as-of date itself: with no reporting grace the cut-off C is
# D (DOMAIN.md 2.1). The cut-off, the grace and overdue reports have their own table further down.
SETTINGS = Settings(reporting_grace_days=0)


def same(a, b) -> bool:
    if isinstance(b, float) and math.isnan(b):
        return isinstance(a, float) and math.isnan(a)
    return a == pytest.approx(b, abs=1e-9) if isinstance(b, float) else a == b


# ---- scalar helpers -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("accumulation", "baseline", "b"),
    [
        ("incremental", 500.0, 0.0),  # incremental: new units per period, start from 0
        ("cumulative", 100.0, 100.0),
        ("level", 20.0, 20.0),
        ("level", NAN, NAN),
    ],
)
def test_starting_point(accumulation, baseline, b):
    assert same(starting_point(accumulation, baseline), b)


@pytest.mark.parametrize(
    ("actual", "b", "target", "expected"),
    [
        (42, 0, 120, 0.35),  # incremental: 42 of 120
        (160, 100, 300, 0.3),  # cumulative: (160-100)/(300-100)
        (25, 30, 10, 0.25),  # decreasing: processing days 30 → 10, now 25
        (5, 20, 0, 0.75),  # zero target on a decrease: cases 20 → 0, now 5
        (150, 0, 120, 1.25),  # over-achievement
        (5, 10, 20, -0.5),  # gone backwards
        (35, 30, 10, -0.25),  # decreasing indicator got worse
        (10, 10, 10, NAN),  # target = baseline: undefined
        (0, 0, 0, NAN),  # zero target on an incremental indicator: undefined
    ],
)
def test_progress(actual, b, target, expected):
    assert same(progress(actual, b, target), expected)


@pytest.mark.parametrize(
    ("elapsed", "path", "expected"),
    [
        (0.5, "linear", 0.5),
        (0.5, "none", 0.0),  # 'none': nothing due before the end date
        (1.0, "none", 1.0),
    ],
)
def test_expected_share(elapsed, path, expected):
    assert same(expected_share(elapsed, path), expected)


def test_expected_share_rejects_unknown_path():
    with pytest.raises(ValueError, match="expected_path"):
        expected_share(0.5, "quadratic")


@pytest.mark.parametrize(
    ("milestone", "b", "target", "expected"),
    [
        (40, 0, 100, 0.4),  # incremental: sum of ended milestones 40 of 100
        (30, 10, 50, 0.5),  # level: latest ended milestone 30, from 10 towards 50
        (25, 30, 10, 0.25),  # decreasing milestone path
        (20, 20, 60, 0.0),  # no milestone ended yet: milestone_to_date = b
        (150, 0, 120, 1.0),  # milestone beyond the end target: clipped
        (5, 10, 50, 0.0),  # milestone behind the starting point: clipped
    ],
)
def test_expected_progress_on_milestones(milestone, b, target, expected):
    assert same(expected_progress(milestone, b, target), expected)


@pytest.mark.parametrize(
    ("progress_value", "expected", "result"),
    [
        (0.35, 0.5, 0.7),
        (0.6, 0.5, 1.2),
        (0.1, 0.0, NAN),  # nothing expected yet: no ratio
    ],
)
def test_ratio(progress_value, expected, result):
    assert same(ratio(progress_value, expected), result)


@pytest.mark.parametrize(
    ("measure", "accumulation", "baseline", "target", "reason"),
    [
        ("qualitative", "level", NAN, NAN, "qualitative"),
        ("number", "level", 10.0, NAN, "no_end_target"),
        ("number", "cumulative", NAN, 100.0, "no_baseline"),
        ("percentage", "level", NAN, 80.0, "no_baseline"),
        ("number", "incremental", NAN, 100.0, ""),  # incremental needs no baseline
        ("number", "level", 50.0, 50.0, "target_equals_start"),
        ("number", "incremental", NAN, 0.0, "target_equals_start"),  # zero target, b = 0
        ("number", "incremental", 40.0, 40.0, ""),  # b is 0, not the baseline
        ("yes_no", "level", 0.0, 1.0, ""),
        ("percentage", "level", 0.0, 80.0, ""),
    ],
)
def test_not_assessable_reason(measure, accumulation, baseline, target, reason):
    assert not_assessable_reason(measure, accumulation, baseline, target) == reason


@pytest.mark.parametrize(
    ("not_assessable", "expected", "has_actual", "prog", "rat", "status"),
    [
        (True, 0.5, True, 0.5, 1.0, "not_assessable"),
        (False, 0.0, True, 1.2, NAN, "achieved"),  # order: achieved before not_due (done before due)
        (False, 0.05, True, 1.0, 20.0, "achieved"),  # achieved while too early to judge
        (False, 0.0, False, NAN, NAN, "not_due"),
        (False, 0.05, True, 0.0, 0.0, "not_due"),  # 5% expected: too early to judge (below 10%)
        (False, 0.0999, False, NAN, NAN, "not_due"),  # too early even without data: not "no data"
        (False, 0.10, False, NAN, NAN, "no_data"),  # at min_expected_to_judge: judged
        (False, 0.10, True, 0.0, 0.0, "off_track"),  # at the threshold, nothing achieved
        (False, 0.5, False, NAN, NAN, "no_data"),
        (False, 0.5, True, 1.0, 2.0, "achieved"),
        (False, 1.0, True, 1.3, 1.3, "achieved"),
        (False, 0.5, True, 0.6, 1.2, "on_track"),
        (False, 0.6, True, 0.51, 0.85, "on_track"),  # at the threshold
        (False, 0.6, True, 0.5, 0.8333, "at_risk"),
        (False, 0.5, True, 0.3, 0.6, "at_risk"),  # at the lower threshold
        (False, 0.5, True, 0.2995, 0.599, "off_track"),
        (False, 0.5, True, -0.5, -1.0, "off_track"),  # gone backwards
    ],
)
def test_status_from(not_assessable, expected, has_actual, prog, rat, status):
    assert status_from(not_assessable, expected, has_actual, prog, rat, SETTINGS) == status


def test_threshold_ratio_survives_binary_rounding():
    # 0.51 / 0.6 is 0.85 in decimal arithmetic but 0.8500000000000001 or 0.8499999999999999 in binary
    r = ratio(0.51, 0.6)
    assert status_from(False, 0.6, True, 0.51, r, SETTINGS) == "on_track"
    r = ratio(0.3, 0.5)
    assert status_from(False, 0.5, True, 0.3, r, SETTINGS) == "at_risk"


def test_thresholds_come_from_settings():
    strict = replace(SETTINGS, on_track_min=0.95, off_track_below=0.9)
    assert status_from(False, 0.5, True, 0.45, 0.9, strict) == "at_risk"
    assert status_from(False, 0.5, True, 0.44, 0.88, strict) == "off_track"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (42.0, "42"),
        (1200.0, "1,200"),
        (3.5, "3.5"),
        (0.125, "0.12"),
        (NAN, "?"),
        (-5.0, "-5"),
    ],
)
def test_format_number(value, text):
    assert format_number(value) == text


# ---- the vectorised evaluation against hand-computed tables --------------------------------
PROJECTS = frame(
    "projects",
    [
        dict(project_id=1, start_date=d(2025, 1, 1), end_date=d(2025, 12, 31)),  # half-way on D
        dict(project_id=2, start_date=d(2025, 9, 1), end_date=d(2026, 8, 31)),  # not started
        dict(project_id=3, start_date=d(2023, 1, 1), end_date=d(2024, 12, 31)),  # ended
        dict(
            project_id=4,
            start_date=d(2025, 1, 1),
            end_date=d(2025, 7, 2),  # extended: half-way
            revised_end_date=d(2025, 12, 31),
        ),
    ],
)


def ind(
    indicator_id,
    project_id=1,
    measure="number",
    accumulation="level",
    baseline=None,
    end_target=None,
    direction="increase",
    unit="people",
):
    return dict(
        indicator_id=indicator_id,
        project_id=project_id,
        indicator_code=f"I{indicator_id}",
        measure=measure,
        accumulation=accumulation,
        baseline=baseline,
        end_target=end_target,
        direction=direction,
        unit=unit,
        disaggregation="none",
    )


def act(indicator_id, start, end, value, **extra):
    return dict(indicator_id=indicator_id, period_start=start, period_end=end, value=value, **extra)


Q1 = (d(2025, 1, 1), d(2025, 3, 31))
Q2 = (d(2025, 4, 1), d(2025, 6, 30))
Q3 = (d(2025, 7, 1), d(2025, 9, 30))  # started one day before D: counts
Q4 = (d(2025, 10, 1), d(2025, 12, 31))  # starts after D: never counts

INDICATORS = frame(
    "indicators",
    [
        ind(1, accumulation="incremental", baseline=500, end_target=120),
        ind(2, accumulation="cumulative", baseline=100, end_target=300),
        ind(3, measure="percentage", baseline=20, end_target=60, unit="%"),
        ind(4, baseline=30, end_target=10, direction="decrease", unit="days"),
        ind(5, baseline=0, end_target=10),
        ind(6, project_id=2, accumulation="incremental", end_target=100),
        ind(7, project_id=3, accumulation="cumulative", baseline=0, end_target=50),
        ind(8, project_id=4, accumulation="incremental", end_target=200),
        ind(9, accumulation="incremental", end_target=100),
        ind(10, baseline=10, end_target=50),
        ind(11, accumulation="incremental", end_target=100),
        ind(12, accumulation="cumulative", baseline=0, end_target=100),
        ind(13, measure="qualitative", unit=None),
        ind(14, baseline=50, end_target=50),
        ind(15, accumulation="cumulative", end_target=100),
        ind(16, measure="yes_no", baseline=0, end_target=1, unit=None),
        ind(17, project_id=99, accumulation="incremental", end_target=100),  # project not in scope
        ind(18, accumulation="incremental", end_target=100),
    ],
)
ACTUALS = frame(
    "actuals",
    [
        act(1, *Q1, 20),
        act(1, *Q2, 22),
        act(1, *Q3, 10, reported_on=d(2025, 10, 15)),
        act(1, *Q4, 50),
        act(2, *Q1, 150),
        act(2, *Q2, 160),
        act(3, *Q2, 30),
        act(3, *Q1, 50),  # out of order: the latest period is Q2
        act(4, *Q2, 18),
        act(6, d(2025, 9, 1), d(2025, 9, 30), 10),  # after D
        act(7, d(2024, 10, 1), d(2024, 12, 31), 50),
        act(7, d(2024, 7, 1), d(2024, 9, 30), 30),
        act(8, *Q1, 40),
        act(8, *Q2, 50),
        act(9, *Q1, 14),
        act(9, *Q2, 20),
        act(10, *Q2, 28),
        act(11, *Q1, 20),
        act(11, *Q2, 25),
        act(12, *Q2, 10),
        act(13, *Q2, None, value_text="community committees formed"),
        act(14, *Q2, 60),
        act(16, *Q2, 1),
        act(17, *Q2, 10),
        act(18, *Q1, 10, reported_on=d(2025, 4, 20)),
        act(18, D, d(2025, 7, 31), 30),  # a period starting on D counts
    ],
)
TARGETS = frame(
    "targets",
    [
        dict(indicator_id=9, period_start=d(2025, 1, 1), period_end=d(2025, 6, 30), target=40),
        dict(indicator_id=9, period_start=d(2025, 7, 1), period_end=d(2025, 12, 31), target=60),
        dict(indicator_id=10, period_start=Q1[0], period_end=Q1[1], target=20),
        dict(indicator_id=10, period_start=Q2[0], period_end=Q2[1], target=30),
        dict(indicator_id=10, period_start=d(2025, 7, 1), period_end=d(2025, 12, 31), target=50),
        # one target period spanning the project (IATI incremental): the end target, not a path
        dict(indicator_id=11, period_start=d(2025, 1, 1), period_end=d(2025, 12, 31), target=100),
        dict(indicator_id=12, period_start=Q3[0], period_end=Q3[1], target=50),
        dict(indicator_id=12, period_start=Q4[0], period_end=Q4[1], target=100),
    ],
)

# indicator: (actual_to_date, progress, expected_progress, milestone_to_date, status)
EXPECTED = {
    1: (52.0, 52 / 120, 0.5, NAN, "on_track"),  # 20+22+10 (Q3 reported late counts), not Q4
    2: (160.0, 0.3, 0.5, NAN, "at_risk"),  # ratio exactly 0.6
    3: (30.0, 0.25, 0.5, NAN, "off_track"),  # latest is Q2 = 30
    4: (18.0, 0.6, 0.5, NAN, "on_track"),  # decreasing 30 → 10, now 18
    5: (NAN, NAN, 0.5, NAN, "no_data"),
    6: (NAN, NAN, 0.0, NAN, "not_due"),  # project not started
    7: (50.0, 1.0, 1.0, NAN, "achieved"),  # ended project
    8: (90.0, 0.45, 0.5, NAN, "on_track"),  # revised end date: half-way, ratio 0.9
    9: (34.0, 0.34, 0.4, 40.0, "on_track"),  # milestone H1 = 40 ended; ratio 0.85
    10: (28.0, 0.45, 0.5, 30.0, "on_track"),  # latest ended milestone 30: (30-10)/40
    11: (45.0, 0.45, 0.5, NAN, "on_track"),  # single target period: linear
    12: (10.0, 0.1, 0.0, 0.0, "not_due"),  # no milestone ended: b, nothing due
    13: (NAN, NAN, 0.5, NAN, "not_assessable"),  # qualitative
    14: (60.0, NAN, 0.5, NAN, "not_assessable"),  # target = baseline
    15: (NAN, NAN, 0.5, NAN, "not_assessable"),  # cumulative without baseline
    16: (1.0, 1.0, 0.5, NAN, "achieved"),  # yes/no as 0/1
    17: (10.0, 0.1, NAN, NAN, "not_assessable"),  # project dates unknown
    18: (40.0, 0.4, 0.5, NAN, "at_risk"),  # 10 + 30 from the period starting on D
}


@pytest.fixture(scope="module")
def evaluated() -> pd.DataFrame:
    return evaluate_indicators(INDICATORS, TARGETS, ACTUALS, PROJECTS, D, SETTINGS).set_index("indicator_id")


@pytest.mark.parametrize("indicator_id", sorted(EXPECTED))
def test_evaluate_indicators(evaluated, indicator_id):
    row = evaluated.loc[indicator_id]
    actual, prog, expected, milestone, status = EXPECTED[indicator_id]
    assert same(float(row["actual_to_date"]), actual)
    assert same(float(row["progress"]), prog)
    assert same(float(row["expected_progress"]), expected)
    assert same(float(row["milestone_to_date"]), milestone)
    assert row["status"] == status


@pytest.mark.parametrize(
    ("indicator_id", "reason"),
    [
        # linear path: 0 + 0.5 x 120 = 60 expected by now
        (
            1,
            "52 people reported vs 60 people expected by 2 Jul 2025"
            " (straight line to the end date; end target 120 people);"
            " 43% of the way from 0 vs 50% expected",
        ),
        # percentage, baseline 20: 20 + 0.5 x 40 = 40
        (
            3,
            "30% reported vs 40% expected by 2 Jul 2025"
            " (straight line to the end date; end target 60%);"
            " 25% of the way from baseline 20% vs 50% expected",
        ),
        # a decrease 30 -> 10: 30 + 0.5 x (10 - 30) = 20 days expected by now
        (
            4,
            "18 days reported vs 20 days expected by 2 Jul 2025"
            " (straight line to the end date; end target 10 days);"
            " 60% of the way from baseline 30 vs 50% expected; over-achieved: is the target too low?",
        ),
        # milestone path: the H1 milestone (40, ended 2025-06-30) is what the actual is held to
        (
            9,
            "34 people reported vs 40 people expected by 2 Jul 2025"
            " (milestone of 30 Jun 2025; end target 100 people);"
            " 34% of the way from 0 vs 40% expected",
        ),
        (
            10,
            "28 people reported vs 30 people expected by 2 Jul 2025"
            " (milestone of 30 Jun 2025; end target 50 people);"
            " 45% of the way from baseline 10 vs 50% expected; 1 of 2 quarterly reports overdue",  # Q1 missing
        ),
        (5, "no actual reported for a period started by 2 Jul 2025 while 50% of the way was expected by 2 Jul 2025"),
        (6, "nothing expected yet by 2 Jul 2025"),
        (12, "nothing expected yet by 2 Jul 2025: no milestone beyond the starting point has ended"),
        (13, "qualitative indicator: shown, never scored"),
        (14, "end target equals the starting point (50)"),
        (15, "baseline missing (needed for a cumulative indicator)"),
        # yes/no: no value is "expected by now", only the shares
        (
            16,
            "reported: yes (end target: yes); 100% of the way from baseline no vs 50% expected;"
            " over-achieved: is the target too low?",
        ),
    ],
)
def test_reason_sentence(evaluated, indicator_id, reason):
    assert evaluated.loc[indicator_id, "reason"] == reason


@pytest.mark.parametrize(
    ("indicator_id", "b", "ratio_value", "over", "has_actual", "last_end", "last_reported"),
    [
        # Q3 has not ended by D and was reported after D: the last report known on D is Q2's end
        (1, 0.0, 52 / 60, False, True, d(2025, 6, 30), d(2025, 6, 30)),
        (4, 30.0, 1.2, True, True, d(2025, 6, 30), d(2025, 6, 30)),  # ratio 1.2 > 1.15
        (5, 0.0, NAN, False, False, None, None),
        (7, 0.0, 1.0, False, True, d(2024, 12, 31), d(2024, 12, 31)),
        (13, NAN, NAN, False, False, d(2025, 6, 30), d(2025, 6, 30)),  # a text value is a report
        (18, 0.0, 0.8, False, True, d(2025, 3, 31), d(2025, 4, 20)),  # reported_on known on D
    ],
)
def test_evaluate_indicators_details(
    evaluated, indicator_id, b, ratio_value, over, has_actual, last_end, last_reported
):
    row = evaluated.loc[indicator_id]
    assert same(float(row["b"]), b)
    assert same(float(row["ratio"]), ratio_value)
    assert bool(row["over_achieved"]) is over
    assert bool(row["has_actual"]) is has_actual
    assert row["last_period_end"] == last_end
    assert row["last_reported"] == last_reported


def test_datetime64_columns_give_the_same_figures(evaluated):
    def as_datetime64(df, columns):
        df = df.copy()
        for c in columns:
            df[c] = pd.to_datetime(df[c])
        return df

    again = evaluate_indicators(
        INDICATORS,
        as_datetime64(TARGETS, ["period_start", "period_end"]),
        as_datetime64(ACTUALS, ["period_start", "period_end", "reported_on"]),
        as_datetime64(PROJECTS, ["start_date", "end_date", "revised_end_date"]),
        pd.Timestamp(D),
        SETTINGS,
    ).set_index("indicator_id")
    pd.testing.assert_series_equal(again["status"], evaluated["status"])
    pd.testing.assert_series_equal(again["progress"], evaluated["progress"])
    pd.testing.assert_series_equal(again["expected_progress"], evaluated["expected_progress"])


def test_expected_path_none_makes_linear_indicators_not_due_until_the_end():
    ev = evaluate_indicators(
        INDICATORS, TARGETS, ACTUALS, PROJECTS, D, replace(SETTINGS, expected_path="none")
    ).set_index("indicator_id")
    assert ev.loc[1, "status"] == "not_due"  # linear path, project half-way
    assert ev.loc[9, "status"] == "on_track"  # milestones still apply
    assert ev.loc[7, "status"] == "achieved"  # ended project: everything due


def test_as_of_before_any_actual_gives_no_figures():
    ev = evaluate_indicators(INDICATORS, TARGETS, ACTUALS, PROJECTS, d(2024, 6, 30), SETTINGS)
    p1 = ev[ev["project_id"] == 1]
    assert set(p1["status"]) <= {"not_due", "not_assessable"}
    assert not p1["has_actual"].any()


def test_empty_frames():
    ev = evaluate_indicators(frame("indicators"), frame("targets"), frame("actuals"), frame("projects"), D, SETTINGS)
    assert len(ev) == 0
    assert {"indicator_id", "status", "reason", "status_female"} <= set(ev.columns)


# ---- per-sex status -------------------------------------------------------------------------
SEX_INDICATORS = frame(
    "indicators",
    [
        ind(1, accumulation="incremental", end_target=1000),
        ind(2, accumulation="incremental", end_target=1000),
        ind(3, measure="percentage", baseline=20, end_target=60, unit="%"),
        ind(4, measure="yes_no", baseline=0, end_target=1, unit=None),
        ind(5, accumulation="cumulative", baseline=0, end_target=100),
        ind(6, accumulation="cumulative", baseline=200, end_target=1200),
        ind(7, accumulation="cumulative", baseline=0, end_target=100, unit="hectares"),  # not people
        ind(8, accumulation="incremental", end_target=100, unit="sessions"),  # but broken down
    ],
)
SEX_ACTUALS = frame(
    "actuals",
    [
        act(1, *Q1, 300, female=50, male=250),
        act(1, *Q2, 400, female=50, male=350),
        act(2, *Q1, 300, female=50, male=250),
        act(2, *Q2, 400),  # Q2 has no breakdown
        act(3, *Q2, 40, female=30, male=50),
        act(4, *Q2, 1, female=1, male=1),
        act(6, *Q1, 500, female=100, male=400),
        act(6, *Q2, 800, female=400, male=400),
        act(8, *Q2, 50, female=30, male=20),
    ],
)

# indicator: (actual_female, progress_female, status_female, actual_male, progress_male, status_male)
SEX_EXPECTED = {
    # 700 of 1,000 on track overall; women 100 of 500 (parity share) = 0.2 → ratio 0.4
    1: (100.0, 0.2, "off_track", 600.0, 1.2, "achieved"),
    2: (NAN, NAN, None, NAN, NAN, None),  # partial breakdown: no per-sex figure
    # rates compare with the indicator's own baseline and target: (30-20)/40, (50-20)/40
    3: (30.0, 0.25, "off_track", 50.0, 0.75, "on_track"),
    4: (NAN, NAN, None, NAN, NAN, None),  # yes/no: no per-sex status
    5: (NAN, NAN, "no_data", NAN, NAN, "no_data"),  # nothing reported at all
    # cumulative: latest period; b and target split: women (400-100)/(600-100) = 0.6
    6: (400.0, 0.6, "on_track", 400.0, 0.6, "on_track"),
    7: (NAN, NAN, None, NAN, NAN, None),  # hectares: no sex, not even "no_data"
    8: (30.0, 0.6, "on_track", 20.0, 0.4, "at_risk"),  # sessions reported by sex: 30 of 50, 20 of 50
}


@pytest.mark.parametrize("indicator_id", sorted(SEX_EXPECTED))
def test_status_per_sex(indicator_id):
    ev = evaluate_indicators(SEX_INDICATORS, frame("targets"), SEX_ACTUALS, PROJECTS, D, SETTINGS).set_index(
        "indicator_id"
    )
    row = ev.loc[indicator_id]
    af, pf, sf, am, pm, sm = SEX_EXPECTED[indicator_id]
    assert same(float(row["actual_female"]), af)
    assert same(float(row["progress_female"]), pf)
    assert row["status_female"] == sf if sf else pd.isna(row["status_female"])
    assert same(float(row["actual_male"]), am)
    assert same(float(row["progress_male"]), pm)
    assert row["status_male"] == sm if sm else pd.isna(row["status_male"])


def test_overall_status_of_the_sex_example_is_on_track():
    ev = evaluate_indicators(SEX_INDICATORS, frame("targets"), SEX_ACTUALS, PROJECTS, D, SETTINGS).set_index(
        "indicator_id"
    )
    assert ev.loc[1, "status"] == "on_track"  # 0.7 / 0.5 = 1.4
    assert bool(ev.loc[1, "over_achieved"])
    assert np.isclose(ev.loc[1, "progress"], 0.7)


@pytest.mark.parametrize(
    ("actual", "progress", "reason"),
    [
        (0.0, 0.0, "reported: not yet (end target: yes); 0% of the way from baseline no vs 50% expected"),
        (1.0, 1.0, "reported: yes (end target: yes); 100% of the way from baseline no vs 50% expected"),
    ],
)
def test_yes_no_reason_reads_as_words(actual, progress, reason):
    ev = pd.DataFrame(
        {
            "measure": ["yes_no"],
            "unit": [None],
            "actual_to_date": [actual],
            "end_target": [1.0],
            "b": [0.0],
            "expected_progress": [0.5],
            "milestone_to_date": [np.nan],
            "progress": [progress],
            "over_achieved": [False],
            "status": ["at_risk"],
        }
    )
    assert reasons(ev, np.array([""]), np.array(["level"]), 20_000) == [reason]
