"""Indicator progress, expected progress, ratio and status as of a date (DOMAIN.md 2.1).

One call evaluates every indicator of a portfolio at once: :func:`evaluate_indicators` works on whole
numpy columns (``bincount`` for sums, one ``lexsort`` for "latest period"), because the
10,000-project portfolio has ~200k indicators and ~2M period rows and the whole evaluation has a
5-second budget. The formulas themselves live in small helpers (:func:`starting_point`,
:func:`progress`, :func:`expected_progress`, :func:`ratio`, :func:`not_assessable_reason`,
:func:`status_from`, and :func:`monitoring.dates.elapsed_share`) that accept a scalar *or* a numpy
array, so the same code is tested case by case and run on the whole portfolio.

Decisions where DOMAIN.md is silent (also in docs/monitoring.md):

* **Which actuals count.** Periods that *started* on or before D count, whenever they were reported
  (``reported_on`` is ignored: an actual reported late still describes that period). Only numeric
  values count; a value kept as text ("N/A", "<15") is a data-quality issue (section 8), not data.
* **"Latest" period** (cumulative and level) is the one with the latest end date, then the latest
  start date.
* **Milestone path.** An indicator follows its milestone targets when it has target periods with
  at least two end dates, or one that ends before the project's original end date. A *single* target
  period running to the end of the project (what IATI publishes for most incremental indicators,
  DOMAIN.md section 10) is the end target restated, not a path: with it, nothing would ever be due
  before the last day, so linear pro-rating applies instead.
* **Expected progress is clipped to [0, 1]** on both paths (a milestone beyond the end target or
  behind the starting point is a target-setting error, not a reason to expect more than 100%).
* **Comparisons at a threshold** (ratio = 0.85, progress = 1) allow 1e-9 of binary rounding, so a
  ratio that is exactly 0.85 in decimal arithmetic is on track as the rule says.
* **Unknown project dates** (an indicator whose project is not in ``projects``) make an indicator
  without milestones not assessable: nothing can be said about what is due.
* **Per-sex status** (DOMAIN.md asks for it; the data model holds no sex-specific targets):
  the female (male) to-date value is built from the same periods as the total and exists only when
  every counted period carries that breakdown (a partial breakdown would understate a sex's progress).
  For **counts** (measure ``number``) the starting point, milestones and end target are split
  **equally** between women and men: the parity assumption of a project that states no sex-specific
  target, so "600 men and 100 women of 1,000 people" shows women off track while the total is on
  track — the gap the per-sex status exists to reveal. For **rates** (``percentage``) the per-sex
  value is the rate within that sex and is compared with the indicator's own baseline and target.
  ``yes_no`` and ``qualitative`` indicators have no per-sex status, nor has an indicator that
  neither counts people (:func:`people_counting`) nor ever reported a sex breakdown (hectares, SOPs).
  Expected progress is the same for both sexes (the split scales milestones and target alike). Read a
  per-sex status together with the project's gender marker: a project designed for one sex (GBV
  services, seafarers) will show the other sex behind by design. The status per sex is missing
  (``None``) when the indicator has actuals but not this breakdown; it repeats the overall status
  when that does not depend on data (``not_assessable``, ``not_due``, ``no_data``).
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from monitoring.dates import as_day, date_text, day_numbers, elapsed_share
from monitoring.reporting import overdue_phrase, overdue_reports, reporting_cutoff, reporting_periods
from monitoring.settings import Settings

ASSESSABLE_STATUSES = ("achieved", "on_track", "at_risk", "off_track")
STATUSES = (*ASSESSABLE_STATUSES, "no_data", "not_due", "not_assessable")
# Ratio and progress comparisons tolerate this much binary rounding (see module docstring).
TOLERANCE = 1e-9
# Share of a count indicator's target attributed to each sex when no sex-specific target exists.
SEX_TARGET_SHARE = 0.5

NOT_ASSESSABLE_REASONS = {
    "qualitative": "qualitative indicator: shown, never scored",
    "no_end_target": "no end-of-project target",
    "no_baseline": "baseline missing (needed for a level or cumulative indicator)",
    "target_equals_start": "end target equals the starting point",
    "no_project_dates": "project dates unknown",
}

# Units that name people (DOMAIN.md 2 and 6: disaggregation applies "where the indicator counts people").
PEOPLE_UNIT = re.compile(
    r"\b(people|persons?|individuals?|beneficiar(?:y|ies)|migrants?|returnees?|refugees?|idps?|"
    r"displaced|child(?:ren)?|women|men|woman|man|girls?|boys?|participants?|trainees?|students?|"
    r"survivors?|victims?|workers?|staff|officials?)\b",
    re.IGNORECASE,
)


def _out(values):
    """Unwrap a 0-d numpy result to a Python scalar, so a helper called on scalars returns one."""
    values = np.asarray(values)
    return values.item() if values.ndim == 0 else values


# ---- the formulas (scalars or arrays) -------------------------------------------------------
def starting_point(accumulation, baseline):
    """``b``: the baseline for level and cumulative indicators, 0 for incremental ones."""
    acc = np.asarray(accumulation, dtype=object)
    return _out(np.where(acc == "incremental", 0.0, np.asarray(baseline, dtype="float64")))


def progress(actual, b, end_target):
    """Share of the distance from ``b`` to the end target travelled; NaN when target = b.

    Direction-free: for a decreasing indicator the target lies below ``b`` and the signs cancel.
    """
    a, b, t = (np.asarray(x, dtype="float64") for x in (actual, b, end_target))
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(t == b, np.nan, (a - b) / (t - b))
    return _out(out)


def expected_share(elapsed, expected_path: str):
    """Expected progress without milestones: the elapsed share ('linear'), or 0 then 1 at the end ('none')."""
    e = np.asarray(elapsed, dtype="float64")
    if expected_path == "linear":
        return _out(e)
    if expected_path == "none":
        return _out(np.where(np.isnan(e), np.nan, (e >= 1.0).astype("float64")))
    raise ValueError(f"expected_path must be 'linear' or 'none', not {expected_path!r}")


def expected_progress(milestone_to_date, b, end_target):
    """Expected progress on a milestone path: ``(milestone_to_date − b) / (end_target − b)`` in [0, 1]."""
    return _out(np.clip(np.asarray(progress(milestone_to_date, b, end_target)), 0.0, 1.0))


def ratio(progress_value, expected):
    """Progress ÷ expected progress; NaN when nothing is expected yet (expected progress 0)."""
    p, e = np.asarray(progress_value, dtype="float64"), np.asarray(expected, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        return _out(np.where(e > 0, p / e, np.nan))


def not_assessable_reason(measure, accumulation, baseline, end_target):
    """Why an indicator cannot be scored ('' when it can): a key of ``NOT_ASSESSABLE_REASONS``."""
    m = np.asarray(measure, dtype=object)
    acc = np.asarray(accumulation, dtype=object)
    base = np.asarray(baseline, dtype="float64")
    target = np.asarray(end_target, dtype="float64")
    b = np.asarray(starting_point(acc, base), dtype="float64")
    return _out(
        np.select(
            [m == "qualitative", np.isnan(target), (acc != "incremental") & np.isnan(base), target == b],
            ["qualitative", "no_end_target", "no_baseline", "target_equals_start"],
            "",
        ).astype(object)
    )


def status_from(not_assessable, expected, has_actual, progress_value, ratio_value, settings: Settings):
    """The status, checked in DOMAIN.md's order: not_assessable → achieved → not_due → no_data → bands.

    ``achieved`` comes before ``not_due``: an indicator that reached its end target before anything
    was due has achieved it. ``not_due`` is expected progress below ``min_expected_to_judge`` (too
    early to judge: a ratio of two tiny shares swings wildly), and always when nothing is expected.
    """
    na = np.asarray(not_assessable, dtype=bool)
    e = np.asarray(expected, dtype="float64")
    has = np.asarray(has_actual, dtype=bool)
    p = np.asarray(progress_value, dtype="float64")
    r = np.asarray(ratio_value, dtype="float64")
    return _out(
        np.select(
            [
                na,
                has & (p >= 1 - TOLERANCE),
                ~(e > 0) | (e < settings.min_expected_to_judge - TOLERANCE),
                ~has,
                r >= settings.on_track_min - TOLERANCE,
                r >= settings.off_track_below - TOLERANCE,
            ],
            ["not_assessable", "achieved", "not_due", "no_data", "on_track", "at_risk"],
            "off_track",
        ).astype(object)
    )


def people_counting(indicators: pd.DataFrame) -> pd.Series:
    """True for indicators that count people, aligned on ``indicators``.

    Disaggregation declared (``sex``, ``sex_age``), or a ``number`` whose unit names people (people,
    persons, individuals, beneficiaries, migrants, returnees, refugees, IDPs, displaced, children,
    women, men, girls, boys, participants, trainees, students, survivors, victims, workers, staff,
    officials). Households, families and communities are not people: their breakdown is by head of
    household. A percentage is people-counting only when its disaggregation is declared.
    """
    declared = indicators["disaggregation"].isin(("sex", "sex_age"))
    codes, units = pd.factorize(indicators["unit"].astype(object))  # a few hundred distinct units
    names_people = np.array([bool(PEOPLE_UNIT.search(u)) if isinstance(u, str) else False for u in units] + [False])
    named = names_people[codes]  # code -1 (missing unit) takes the trailing False
    return declared | ((indicators["measure"] == "number") & named)


# ---- grouping helpers -----------------------------------------------------------------------
def _positions(ids: pd.Index, keys: pd.Series) -> np.ndarray:
    """Row position of each key in ``ids`` (-1 when absent)."""
    return ids.get_indexer(keys) if len(keys) else np.empty(0, dtype="int64")


def _take(values: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """``values[positions]`` as floats, NaN where the position is -1 (not found)."""
    out = np.full(len(positions), np.nan)
    found = positions >= 0
    out[found] = values[positions[found]]
    return out


def _last_per_group(rows: np.ndarray, group: np.ndarray, end: np.ndarray, start: np.ndarray, n: int):
    """For the selected ``rows``: (groups, row of the latest period per group), latest by end then start.

    No sort: one int64 key per row (end date, then start date) and ``np.maximum.at`` per group, which
    is ~20 times faster than a lexsort of the 2M period rows.
    """
    if not len(rows):
        return np.empty(0, dtype="int64"), np.empty(0, dtype="int64")
    s = start[rows]
    e = np.where(np.isnan(end[rows]), s, end[rows])
    key = ((e - e.min()).astype("int64") << 21) | (s - s.min()).astype("int64")
    best = np.full(n, -1, dtype="int64")
    g = group[rows]
    np.maximum.at(best, g, key)
    winners = key == best[g]
    latest = np.full(n, -1, dtype="int64")
    latest[g[winners]] = rows[winners]  # a duplicated period keeps one of its rows
    groups = np.flatnonzero(latest >= 0)
    return groups, latest[groups]


def _numeric(frame: pd.DataFrame, column: str) -> np.ndarray:
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _text(frame: pd.DataFrame, column: str) -> np.ndarray:
    return frame[column].astype(object).to_numpy()


# ---- the portfolio evaluation ---------------------------------------------------------------
def evaluate_indicators(
    indicators: pd.DataFrame,
    targets: pd.DataFrame,
    actuals: pd.DataFrame,
    projects: pd.DataFrame,
    as_of: dt.date,
    settings: Settings,
) -> pd.DataFrame:
    """One row per indicator: to-date actual, progress, expected progress, ratio, status and why.

    Frames follow ``monitoring.frames.COLUMNS``. ``actuals`` holds current versions only.
    Columns: indicator_id, project_id, measure, accumulation, unit, end_target, b, actual_to_date,
    has_actual, last_period_end, last_reported, cutoff (the reporting cut-off C the expectation is for,
    :mod:`monitoring.reporting`), milestone_to_date, progress, expected_progress, ratio, status, reason,
    over_achieved, reports_due, reports_overdue, report_frequency, and actual/progress/status for
    female and male.
    """
    day = as_day(as_of)
    n = len(indicators)
    ids = pd.Index(indicators["indicator_id"])
    measure = _text(indicators, "measure")
    accumulation = _text(indicators, "accumulation")
    baseline = _numeric(indicators, "baseline")
    end_target = _numeric(indicators, "end_target")
    incremental = accumulation == "incremental"
    b = np.asarray(starting_point(accumulation, baseline), dtype="float64").reshape(n)

    # project dates, aligned on the indicators (NaN when the project is not in ``projects``)
    ppos = _positions(pd.Index(projects["project_id"]), indicators["project_id"])
    end_all = day_numbers(projects["end_date"])
    revised_all = day_numbers(projects["revised_end_date"])
    p_start = _take(day_numbers(projects["start_date"]), ppos)
    p_end = _take(np.where(np.isnan(revised_all), end_all, revised_all), ppos)
    p_original_end = _take(end_all, ppos)

    actual = _actuals_to_date(ids, actuals, day, incremental, n)
    cutoff = np.asarray(
        reporting_cutoff(day, actual["reported_through"], settings.reporting_grace_days), dtype="float64"
    ).reshape(n)
    milestone_to_date, on_path, milestone_end = _milestones_to_date(
        ids, targets, cutoff, incremental, b, p_original_end, n
    )

    prog = np.asarray(progress(actual["value"], b, end_target), dtype="float64").reshape(n)
    linear = np.asarray(
        expected_share(elapsed_share(cutoff, p_start, p_end), settings.expected_path), dtype="float64"
    ).reshape(n)
    expected = np.where(on_path, np.asarray(expected_progress(milestone_to_date, b, end_target)).reshape(n), linear)
    reason_code = np.asarray(not_assessable_reason(measure, accumulation, baseline, end_target), dtype=object).reshape(
        n
    )
    reason_code = np.where((reason_code == "") & np.isnan(expected), "no_project_dates", reason_code)
    not_assessable = reason_code != ""
    rat = np.asarray(ratio(prog, expected), dtype="float64").reshape(n)
    status = np.asarray(
        status_from(not_assessable, expected, actual["has"], prog, rat, settings), dtype=object
    ).reshape(n)

    out = pd.DataFrame(
        {
            "indicator_id": indicators["indicator_id"].to_numpy(),
            "project_id": indicators["project_id"].to_numpy(),
            "measure": measure,
            "accumulation": accumulation,
            "unit": _text(indicators, "unit"),
            "end_target": end_target,
            "b": b,
            "actual_to_date": actual["value"],
            "has_actual": actual["has"],
            "last_period_end": actual["last_period_end"],
            "last_reported": actual["last_reported"],
            "cutoff": _to_dates(cutoff),
            "milestone_to_date": milestone_to_date,
            "progress": prog,
            "expected_progress": expected,
            "ratio": rat,
            "status": status,
            "over_achieved": (rat > settings.over_achievement_above) & np.isin(status, ASSESSABLE_STATUSES),
        }
    )
    overdue = overdue_reports(
        reporting_periods(indicators, targets, projects), actuals, day, settings.reporting_grace_days
    ).reindex(ids)
    out["reports_due"] = overdue["reports_due"].fillna(0).astype("int64").to_numpy()
    out["reports_overdue"] = overdue["reports_overdue"].fillna(0).astype("int64").to_numpy()
    out["report_frequency"] = overdue["report_frequency"].fillna("").astype(object).to_numpy()
    out["reason"] = _reasons(out, reason_code, accumulation, day, milestone_end, cutoff, settings)
    sex_relevant = people_counting(indicators).to_numpy(dtype=bool) | actual["any_breakdown"]
    for sex in ("female", "male"):
        sex_actual, sex_progress, sex_status = _per_sex(
            actual[sex], measure, sex_relevant, b, end_target, expected, actual["has"], status, not_assessable, settings
        )
        out[f"actual_{sex}"] = sex_actual
        out[f"progress_{sex}"] = sex_progress
        out[f"status_{sex}"] = sex_status
    return out


def _actuals_to_date(
    ids: pd.Index, actuals: pd.DataFrame, day: int, incremental: np.ndarray, n: int
) -> dict[str, np.ndarray]:
    """Per indicator: the to-date value (and per sex), whether any actual counts, last period end."""
    pos = _positions(ids, actuals["indicator_id"])
    start = day_numbers(actuals["period_start"]) if len(actuals) else np.empty(0)
    end = day_numbers(actuals["period_end"]) if len(actuals) else np.empty(0)
    value = _numeric(actuals, "value")
    known = pos >= 0
    rows = np.flatnonzero(known & (start <= day) & ~np.isnan(value))
    groups, latest = _last_per_group(rows, pos, end, start, n)

    has = np.zeros(n, dtype=bool)
    has[groups] = True
    count = np.bincount(pos[rows], minlength=n)
    female_or_male = ~np.isnan(_numeric(actuals, "female")[rows]) | ~np.isnan(_numeric(actuals, "male")[rows])
    result = {"has": has, "any_breakdown": np.bincount(pos[rows][female_or_male], minlength=n) > 0}
    columns = {"value": value, "female": _numeric(actuals, "female"), "male": _numeric(actuals, "male")}
    for name, column in columns.items():
        latest_value = np.full(n, np.nan)
        latest_value[groups] = column[latest]
        present = ~np.isnan(column[rows])
        complete = np.bincount(pos[rows], weights=present, minlength=n) == count
        total = np.bincount(pos[rows], weights=np.where(present, column[rows], 0.0), minlength=n)
        result[name] = np.where(has, np.where(incremental, np.where(complete, total, np.nan), latest_value), np.nan)

    # latest end of any period reported (number or text) that ended on or before D
    text = actuals["value_text"].notna().to_numpy() if len(actuals) else np.empty(0, dtype=bool)
    ended = np.flatnonzero(known & (end <= day) & (~np.isnan(value) | text))
    last_end = np.full(n, np.nan)
    g, r = _last_per_group(ended, pos, end, start, n)
    last_end[g] = end[r]
    result["last_period_end"] = _to_dates(last_end)

    # the reporting cut-off's "latest period with a reported actual": started on or before D, capped at D
    begun = np.flatnonzero(known & (start <= day) & (~np.isnan(value) | text))
    through = np.full(n, -np.inf)
    np.maximum.at(through, pos[begun], np.fmin(np.where(np.isnan(end[begun]), start[begun], end[begun]), day))
    result["reported_through"] = np.where(np.isinf(through), np.nan, through)

    # when the latest report known on D was made: reported_on, else the period end when the date of
    # reporting is unknown (the rule of the STALE_DATA flag, so the flag and the quality list agree)
    reported = day_numbers(actuals["reported_on"]) if len(actuals) else np.empty(0)
    when = np.where(np.isnan(reported), end, reported)
    known_rows = np.flatnonzero(known & (when <= day) & (~np.isnan(value) | text))
    last_reported = np.full(n, -np.inf)
    np.maximum.at(last_reported, pos[known_rows], when[known_rows])
    result["last_reported"] = _to_dates(np.where(np.isinf(last_reported), np.nan, last_reported))
    return result


def _milestones_to_date(
    ids: pd.Index,
    targets: pd.DataFrame,
    cutoff: np.ndarray,
    incremental: np.ndarray,
    b: np.ndarray,
    project_end: np.ndarray,
    n: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per indicator: milestone_to_date (NaN off a milestone path), whether it is on one, and the day
    number of the end of the latest milestone period ended on or before the indicator's reporting
    cut-off ``cutoff`` (NaN when none has: the reason sentence names the milestone a status is
    measured against)."""
    pos = _positions(ids, targets["indicator_id"])
    start = day_numbers(targets["period_start"]) if len(targets) else np.empty(0)
    end = day_numbers(targets["period_end"]) if len(targets) else np.empty(0)
    value = _numeric(targets, "target")
    rows = np.flatnonzero((pos >= 0) & ~np.isnan(value))
    periods = np.bincount(pos[rows], minlength=n)
    first_end = np.full(n, np.inf)
    np.minimum.at(first_end, pos[rows], end[rows])
    on_path = (periods >= 2) | ((periods == 1) & (first_end < project_end))

    ended = rows[end[rows] <= cutoff[pos[rows]]]
    any_ended = np.bincount(pos[ended], minlength=n) > 0
    total = np.bincount(pos[ended], weights=value[ended], minlength=n)
    latest = np.full(n, np.nan)
    g, r = _last_per_group(ended, pos, end, start, n)
    latest[g] = value[r]
    milestone_end = np.full(n, np.nan)
    milestone_end[g] = end[r]
    milestone = np.where(any_ended, np.where(incremental, total, latest), b)
    return np.where(on_path, milestone, np.nan), on_path, np.where(on_path, milestone_end, np.nan)


def _per_sex(
    sex_actual, measure, sex_relevant, b, end_target, expected, has_actual, status, not_assessable, settings: Settings
):
    """Actual, progress and status for one sex (decision in the module docstring)."""
    scored = np.isin(measure, ("number", "percentage")) & sex_relevant
    share = np.where(measure == "number", SEX_TARGET_SHARE, 1.0)
    sex_actual = np.where(scored, sex_actual, np.nan)
    sex_progress = np.asarray(progress(sex_actual, b * share, end_target * share), dtype="float64")
    sex_ratio = ratio(sex_progress, expected)
    sex_status = np.asarray(
        status_from(not_assessable | ~scored, expected, has_actual, sex_progress, sex_ratio, settings), dtype=object
    )
    data_dependent = ~np.isin(status, ("not_assessable", "not_due", "no_data"))
    sex_status = np.where((data_dependent & np.isnan(sex_actual)) | ~scored, None, sex_status)
    return sex_actual, sex_progress, sex_status


def _to_dates(days: np.ndarray) -> np.ndarray:
    """Day numbers back to ``datetime.date`` objects (None when missing), for display and joins."""
    out = np.full(len(days), None, dtype=object)
    ok = ~np.isnan(days)
    if ok.any():
        out[ok] = (days[ok].astype("int64").astype("datetime64[D]")).astype(object)
    return out


# ---- the reason sentence --------------------------------------------------------------------
def format_number(x: float) -> str:
    """A number as people read it: thousands separators, no trailing zeros ("1,200", "3.5")."""
    if x != x:  # NaN
        return "?"
    if float(x).is_integer():
        return f"{x:,.0f}"
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def format_many(values: np.ndarray, formatter) -> np.ndarray:
    """Format an array by formatting each distinct value once (targets and percents repeat a lot)."""
    codes, uniques = pd.factorize(pd.Series(values, copy=False), use_na_sentinel=False)
    labels = np.array([formatter(u) for u in uniques], dtype=object)
    return labels[codes] if len(values) else np.empty(0, dtype=object)


def _percent(share: np.ndarray) -> np.ndarray:
    """Shares as whole percents ("35%"), rounded before formatting so each label is built once."""
    return format_many(
        np.round(np.asarray(share, dtype="float64") * 100) + 0.0, lambda x: "?" if x != x else f"{x:.0f}%"
    )


def _expected_values(ev: pd.DataFrame) -> np.ndarray:
    """The value expected by now: the milestone on a milestone path, else the starting point plus
    expected progress × the distance to the end target (DOMAIN.md 2.1 read backwards). Counts are
    rounded to whole units, other measures to one decimal: a computed 87.05 people is 87 people."""
    b = ev["b"].to_numpy(dtype="float64")
    target = ev["end_target"].to_numpy(dtype="float64")
    linear = b + ev["expected_progress"].to_numpy(dtype="float64") * (target - b)
    value = np.where(
        ev["milestone_to_date"].notna().to_numpy(), ev["milestone_to_date"].to_numpy(dtype="float64"), linear
    )
    counts = ev["measure"].to_numpy() == "number"
    return np.where(counts, np.floor(value + 0.5), np.round(value, 1)) + 0.0


def _reasons(
    ev: pd.DataFrame,
    reason_code: np.ndarray,
    accumulation: np.ndarray,
    day: int,
    milestone_end: np.ndarray | None = None,
    cutoff: np.ndarray | None = None,
    settings: Settings | None = None,
) -> list[str]:
    """A sentence with the numbers behind each status, naming what the actual is compared with, e.g.
    "46.6% reported vs 47.1% expected by 2026-09-30 (milestone of 2026-09-30; end target 80%); 1% of
    the way from baseline 45% vs 3% expected; 2 of 5 quarterly reports overdue".

    The date is the reporting cut-off C the expectation is for (``cutoff``, D when not given); reports
    overdue (columns ``reports_overdue``, ``reports_due``, ``report_frequency`` when present) close
    every sentence. The expected value by then and its source (the latest milestone ended, or the straight line from
    the start to the end target over the project's dates) come first, because an "off track" early in
    a project is disputed on exactly that: how much was due, and by which date. Yes/no indicators have
    no value "expected by now" (half a yes means nothing): only the shares are compared, and the
    values read as words: "reported: not yet (end target: yes)", never "no reported (end target yes)".

    Numbers are formatted once per distinct value, then one pass writes the sentences: string
    arithmetic on 200k-row object arrays costs several times more.
    """
    measure = ev["measure"].to_numpy()
    unit = ev["unit"].astype(object).to_numpy()

    def fmt(column: str, words: dict[float, str] | None = None):
        label = (lambda v: words.get(v, format_number(v))) if words else format_number
        return format_many(ev[column].to_numpy(), label)

    actual, target, b = fmt("actual_to_date"), fmt("end_target"), fmt("b")
    due = format_many(_expected_values(ev), format_number)
    ended = np.full(len(ev), np.nan) if milestone_end is None else np.asarray(milestone_end, dtype="float64")
    ended_on = format_many(ended, lambda x: "" if x != x else date_text(np.datetime64(int(x), "D")))
    yes_no = measure == "yes_no"
    if yes_no.any():
        actual = np.where(yes_no, fmt("actual_to_date", {1.0: "yes", 0.0: "not yet"}), actual)
        target = np.where(yes_no, fmt("end_target", {1.0: "yes", 0.0: "no"}), target)
        b = np.where(yes_no, fmt("b", {1.0: "yes", 0.0: "no"}), b)
    prog = _percent(ev["progress"].to_numpy())
    expected = _percent(ev["expected_progress"].to_numpy())
    on_path = ev["milestone_to_date"].notna().to_numpy()
    over = ev["over_achieved"].to_numpy()
    as_of = date_text(np.datetime64(int(day), "D"))
    cut = np.full(len(ev), float(day)) if cutoff is None else np.asarray(cutoff, dtype="float64")
    by = format_many(cut, lambda x: date_text(np.datetime64(int(x), "D")))
    judge_from = (settings or Settings()).min_expected_to_judge
    n_over = ev["reports_overdue"].to_numpy() if "reports_overdue" in ev.columns else np.zeros(len(ev), dtype=int)
    n_due = ev["reports_due"].to_numpy() if "reports_due" in ev.columns else n_over
    kind = ev["report_frequency"].to_numpy() if "report_frequency" in ev.columns else np.full(len(ev), "")
    expected_share_values = ev["expected_progress"].to_numpy(dtype="float64")
    out = []
    for i, (status, code) in enumerate(zip(ev["status"].to_numpy(), reason_code, strict=False)):
        if status == "not_assessable":
            if code == "no_baseline":
                out.append(f"baseline missing (needed for a {accumulation[i]} indicator)")
            elif code == "target_equals_start":
                out.append(f"end target equals the starting point ({b[i]})")
            else:
                out.append(NOT_ASSESSABLE_REASONS[code])
        elif status == "not_due":
            if expected_share_values[i] > 0:
                out.append(
                    f"too early to judge: {expected[i]} of the way expected by {by[i]} "
                    f"(judged from {judge_from * 100:g}%)"
                )
            else:
                out.append(
                    f"nothing expected yet by {by[i]}"
                    + (": no milestone beyond the starting point has ended" if on_path[i] else "")
                )
        elif status == "no_data":
            out.append(
                f"no actual reported for a period started by {as_of} while {expected[i]} of the way was "
                f"expected by {by[i]}"
            )
        else:
            m = measure[i]
            pct = "%" if m == "percentage" else ""
            u = f" {unit[i]}" if m == "number" and isinstance(unit[i], str) and unit[i] else ""
            origin = "0" if accumulation[i] == "incremental" else f"baseline {b[i]}{pct}"
            if m == "yes_no":
                sentence = f"reported: {actual[i]} (end target: {target[i]})"
            else:
                source = (
                    f"milestone of {ended_on[i]}" if on_path[i] and ended_on[i] else "straight line to the end date"
                )
                sentence = (
                    f"{actual[i]}{pct}{u} reported vs {due[i]}{pct}{u} expected by {by[i]} "
                    f"({source}; end target {target[i]}{pct}{u})"
                )
            sentence += f"; {prog[i]} of the way from {origin} vs {expected[i]} expected"
            if over[i]:
                sentence += "; over-achieved: is the target too low?"
            out.append(sentence)
        if n_over[i]:
            out[-1] += "; " + overdue_phrase(int(n_over[i]), int(n_due[i]), kind[i])
    return out
