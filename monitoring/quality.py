"""Data quality (DOMAIN.md section 8): issues per indicator and project, completeness, evidence labels.

Every issue is a record (indicator_id, project_id, issue, message) with a sentence a person can act
on ("2 of 4 reported periods have no sex breakdown"). Only actuals of periods started on or before the
as-of date are checked, so the list is reproducible for a past date.

Decisions where DOMAIN.md is silent (also in the README):

* **missing_baseline**: no numeric baseline on a scored indicator (number, percentage, yes/no), or no
  baseline text on a qualitative one. Flagged for incremental indicators too: their progress does
  not need it, but the results monitoring framework requires a baseline for every indicator.
* **no_unit**: only ``number`` indicators need a unit (a percentage's unit is %, a yes/no has none).
* **out_of_range**: a negative number or sex figure, a percentage outside 0–100, a yes/no other
  than 0 or 1.
* **breakdown_mismatch** (``number`` indicators only: a percentage per sex is a rate, not a part):
  female + male + other differs from the total by more than ``max(0.5, 1% of the total)`` — any whole
  unit on a count under 100, rounding on large estimates. When only some sex columns are given, only
  a breakdown larger than the total is flagged.
* **Completeness score** of a project = share of its indicators with no issue (0–1); a project with
  no indicators scores 0: a missing results framework is the least complete of all.
* **Project issues** concern active projects that have started: stale reporting (nothing reported
  for ``stale_data_days``), no results framework (``results_framework_due_days`` after start) and no
  monitoring visit within ``monitoring_visit_max_days`` (any active project; the NO_RECENT_MONITORING_VISIT
  flag is the high-risk subset).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from monitoring.frames import PortfolioFrames
from monitoring.indicators import as_day, day_numbers, evaluate_indicators, format_number, starting_point
from monitoring.markers import people_counting, sex_breakdown_by_indicator
from monitoring.settings import Settings

INDICATOR_ISSUES = {
    "missing_baseline": "Missing baseline",
    "missing_target": "Missing end target",
    "target_equals_baseline": "Target equal to baseline",
    "no_unit": "No unit",
    "no_sex_breakdown": "People counted without a sex breakdown",
    "out_of_range": "Value outside the plausible range",
    "breakdown_mismatch": "Breakdown does not add up to the total",
    "not_a_number": "Value that is not a number",
}
PROJECT_ISSUES = {
    "stale_reporting": "Stale reporting",
    "results_framework_missing": "Results framework missing",
    "no_monitoring_visit": "No monitoring visit",
}
EVIDENCE_LABELS = {
    "project_monitoring": "Project monitoring",
    "monitoring_visit": "Verified in a monitoring visit",
    "evaluation": "Evaluation",
    "self_reported": "Self-reported",
}
UNKNOWN_EVIDENCE = "Source not stated"
BREAKDOWN_TOLERANCE_SHARE = 0.01
BREAKDOWN_TOLERANCE_MIN = 0.5
ISSUE_COLUMNS = ["indicator_id", "project_id", "issue", "message"]


def evidence_label(source):
    """The label shown beside a value for its evidence source; a Series gives a Series."""
    if isinstance(source, pd.Series):
        return source.map(lambda s: EVIDENCE_LABELS.get(s, UNKNOWN_EVIDENCE))
    return EVIDENCE_LABELS.get(source, UNKNOWN_EVIDENCE)


def breakdown_mismatch(total, female, male, other):
    """True where the sex breakdown does not add up to the total (rule in the module docstring)."""
    v, f, m, o = (np.asarray(x, dtype="float64") for x in (total, female, male, other))
    parts = np.nansum(np.stack([f, m, o]), axis=0)
    tolerance = np.maximum(BREAKDOWN_TOLERANCE_MIN, BREAKDOWN_TOLERANCE_SHARE * np.abs(v))
    complete = ~np.isnan(f) & ~np.isnan(m)
    partial = (~np.isnan(f) | ~np.isnan(m) | ~np.isnan(o)) & ~complete
    out = ~np.isnan(v) & ((complete & (np.abs(parts - v) > tolerance)) | (partial & (parts > v + tolerance)))
    return out.item() if out.ndim == 0 else out


def out_of_range(measure, value):
    """True where a reported value is implausible for its measure (negative count, % outside 0–100...)."""
    m = np.asarray(measure, dtype=object)
    v = np.asarray(value, dtype="float64")
    with np.errstate(invalid="ignore"):
        out = (((m == "number") & (v < 0)) | ((m == "percentage") & ((v < 0) | (v > 100)))
               | ((m == "yes_no") & ~np.isnan(v) & (v != 0) & (v != 1)))
    return out.item() if out.ndim == 0 else out


def _period(start, end) -> str:
    return f"{pd.Timestamp(start).date()} to {pd.Timestamp(end).date()}"


def indicator_quality(indicators: pd.DataFrame, targets: pd.DataFrame, actuals: pd.DataFrame,
                      as_of: dt.date) -> pd.DataFrame:
    """Data-quality issues of indicators and their actuals: one row per indicator and issue."""
    measure = indicators["measure"].astype(object).to_numpy()
    qualitative = measure == "qualitative"
    baseline = pd.to_numeric(indicators["baseline"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    end_target = pd.to_numeric(indicators["end_target"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    accumulation = indicators["accumulation"].astype(object).to_numpy()
    b = np.asarray(starting_point(accumulation, baseline), dtype="float64").reshape(len(indicators))
    baseline_text = indicators["baseline_text"].notna().to_numpy()
    target_text = indicators["end_target_text"].notna().to_numpy()
    unit = indicators["unit"].astype(object).map(lambda u: isinstance(u, str) and bool(u.strip())).to_numpy(dtype=bool)
    has_milestones = indicators["indicator_id"].isin(
        targets.loc[pd.to_numeric(targets["target"], errors="coerce").notna(), "indicator_id"]).to_numpy()

    parts = []

    def add(mask, issue: str, messages):
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            msgs = messages[mask] if isinstance(messages, np.ndarray) else np.full(mask.sum(), messages, dtype=object)
            parts.append(pd.DataFrame({"indicator_id": indicators["indicator_id"].to_numpy()[mask],
                                       "project_id": indicators["project_id"].to_numpy()[mask],
                                       "issue": issue, "message": msgs}))

    add(np.where(qualitative, ~baseline_text, np.isnan(baseline)), "missing_baseline",
        np.where(~qualitative & baseline_text, "the baseline is text, not a number", "no baseline").astype(object))
    add(np.where(qualitative, ~target_text, np.isnan(end_target)), "missing_target",
        np.where(has_milestones, "no end-of-project target (milestones exist)", "no end-of-project target").astype(object))
    fmt_b = np.array([format_number(x) for x in b], dtype=object)
    add(~qualitative & (end_target == b), "target_equals_baseline",
        np.where(accumulation == "incremental", "end target is 0: nothing to count",
                 "end target equals the baseline (" + fmt_b + ")").astype(object))
    add((measure == "number") & ~unit, "no_unit", "no unit of measure")

    parts.extend(_actual_issues(indicators, actuals, as_of))
    if not parts:
        return pd.DataFrame(columns=ISSUE_COLUMNS)
    return pd.concat(parts, ignore_index=True)[ISSUE_COLUMNS]


def _actual_issues(indicators: pd.DataFrame, actuals: pd.DataFrame, as_of: dt.date) -> list[pd.DataFrame]:
    """Issues found in reported values: no sex breakdown, out of range, mismatch, not a number."""
    day = as_day(as_of)
    meta = indicators.set_index("indicator_id")
    known = actuals["indicator_id"].isin(meta.index).to_numpy()
    started = day_numbers(actuals["period_start"]) <= day if len(actuals) else np.zeros(0, dtype=bool)
    rows = actuals[known & started]
    measure = meta["measure"].reindex(rows["indicator_id"]).astype(object).to_numpy()
    value = pd.to_numeric(rows["value"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    sexes = {c: pd.to_numeric(rows[c], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
             for c in ("female", "male", "other_sex")}
    parts = []

    def add(mask, issue: str, describe):
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        hit = rows[mask]
        first = hit.groupby("indicator_id", sort=False).head(1).set_index("indicator_id")
        counts = hit.groupby("indicator_id", sort=False).size()
        ids = counts.index.to_numpy()
        messages = [describe(first.loc[i], int(counts.loc[i])) for i in ids]
        parts.append(pd.DataFrame({"indicator_id": ids, "project_id": meta["project_id"].reindex(ids).to_numpy(),
                                   "issue": issue, "message": messages}))

    def periods(n: int) -> str:
        return "1 period" if n == 1 else f"{n} periods"

    sex_negative = np.zeros(len(rows), dtype=bool)
    for column in sexes.values():
        with np.errstate(invalid="ignore"):
            sex_negative |= column < 0
    add(out_of_range(measure, value) | ((measure == "number") & sex_negative), "out_of_range",
        lambda r, n: f"{periods(n)} with an implausible value, e.g. {format_number(float(r['value']))}"
                     f" for {_period(r['period_start'], r['period_end'])}")
    add((measure == "number") & breakdown_mismatch(value, sexes["female"], sexes["male"], sexes["other_sex"]),
        "breakdown_mismatch",
        lambda r, n: f"{periods(n)} where female + male + other differs from the total, e.g. "
                     f"{_sex_sum(r)} vs {format_number(float(r['value']))} for {_period(r['period_start'], r['period_end'])}")
    add(np.isnan(value) & rows["value_text"].notna().to_numpy(), "not_a_number",
        lambda r, n: f"{periods(n)} reported as text, e.g. {r['value_text']!r} for "
                     f"{_period(r['period_start'], r['period_end'])}")

    people = indicators[people_counting(indicators).to_numpy()]
    sex = sex_breakdown_by_indicator(people, actuals, as_of)
    missing = sex[sex["n_with_sex"] < sex["n_periods"]]
    if len(missing):
        ids = missing.index.to_numpy()
        parts.append(pd.DataFrame({
            "indicator_id": ids,
            "project_id": meta["project_id"].reindex(ids).to_numpy(),
            "issue": "no_sex_breakdown",
            "message": [f"{int(p - w)} of {int(p)} reported periods have no sex breakdown"
                        for p, w in zip(missing["n_periods"], missing["n_with_sex"])],
        }))
    return parts


def _sex_sum(row) -> str:
    """female + male + other of one actual row, as written in a message."""
    values = pd.to_numeric(pd.Series([row["female"], row["male"], row["other_sex"]], dtype=object),
                           errors="coerce").dropna()
    return format_number(float(values.sum()))


def project_quality(projects: pd.DataFrame, indicator_eval: pd.DataFrame, visits: pd.DataFrame,
                    as_of: dt.date, settings: Settings) -> pd.DataFrame:
    """Project-level issues of active, started projects: stale reporting, no results framework, no visit.

    Columns: project_id, issue, message.
    """
    day = as_day(as_of)
    start = day_numbers(projects["start_date"]) if len(projects) else np.zeros(0)
    live = (projects["status"] == "active").to_numpy() & (start <= day)
    ids = projects["project_id"].to_numpy()[live]
    days_running = day - start[live]

    n_indicators = indicator_eval.groupby("project_id").size().reindex(ids, fill_value=0).to_numpy()
    last_end = pd.Series(day_numbers(indicator_eval["last_period_end"]) if len(indicator_eval) else [],
                         dtype="float64").groupby(indicator_eval["project_id"].to_numpy()).max()
    last_end = last_end.reindex(ids).to_numpy(dtype="float64")
    visit_day = pd.Series(day_numbers(visits["visit_date"]) if len(visits) else [], dtype="float64")
    visit_day = visit_day.where(visit_day <= day)
    last_visit = visit_day.groupby(visits["project_id"].to_numpy()).max().reindex(ids).to_numpy(dtype="float64")
    high_risk = projects["high_risk_context"].fillna(False).astype(bool).to_numpy()[live]

    records = []
    for i, pid in enumerate(ids):
        if n_indicators[i] == 0:
            if days_running[i] > settings.results_framework_due_days:
                records.append((pid, "results_framework_missing",
                                f"no indicators {int(days_running[i])} days after the start "
                                f"(due within {settings.results_framework_due_days})"))
        elif np.isnan(last_end[i]):
            if days_running[i] > settings.stale_data_days:
                records.append((pid, "stale_reporting",
                                f"nothing reported {int(days_running[i])} days after the start"))
        elif day - last_end[i] > settings.stale_data_days:
            records.append((pid, "stale_reporting",
                            f"nothing reported for {int(day - last_end[i])} days "
                            f"(last period ended {np.datetime64(int(last_end[i]), 'D')})"))
        context = " in a high-risk context" if high_risk[i] else ""
        if np.isnan(last_visit[i]):
            if days_running[i] > settings.monitoring_visit_max_days:
                records.append((pid, "no_monitoring_visit", f"no monitoring visit recorded{context}"))
        elif day - last_visit[i] > settings.monitoring_visit_max_days:
            records.append((pid, "no_monitoring_visit",
                            f"no monitoring visit for {int(day - last_visit[i])} days{context} "
                            f"(last {np.datetime64(int(last_visit[i]), 'D')})"))
    return pd.DataFrame(records, columns=["project_id", "issue", "message"])


def completeness(indicators: pd.DataFrame, issues: pd.DataFrame,
                 projects: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per project: n_indicators, n_with_issues and completeness = share of indicators with no issue.

    ``issues`` is :func:`indicator_quality`'s output. With ``projects``, projects without indicators
    get a row with completeness 0 (see the module docstring).
    """
    flagged = issues.loc[issues["indicator_id"].notna(), "indicator_id"].unique() if len(issues) else []
    per = pd.DataFrame({"project_id": indicators["project_id"].to_numpy(),
                        "issue": indicators["indicator_id"].isin(flagged).to_numpy()})
    table = per.groupby("project_id").agg(n_indicators=("issue", "size"), n_with_issues=("issue", "sum"))
    if projects is not None:
        ids = pd.Index(projects["project_id"]).append(table.index.difference(projects["project_id"]))
        table = table.reindex(ids, fill_value=0)
    table["completeness"] = np.where(table["n_indicators"] > 0,
                                     1 - table["n_with_issues"] / table["n_indicators"].clip(lower=1), 0.0)
    table.index.name = "project_id"
    return table.reset_index()


def quality_summary(frames: PortfolioFrames, as_of: dt.date, settings: Settings,
                    indicator_eval: pd.DataFrame | None = None) -> pd.DataFrame:
    """Counts of every issue for a portfolio (what ``python -m data_access check`` prints).

    Columns: level (indicator / project), issue, label, count, share (of indicators, or of active
    started projects). Every issue is listed, with 0 when none is found.
    """
    if indicator_eval is None:
        indicator_eval = evaluate_indicators(frames.indicators, frames.targets, frames.actuals,
                                             frames.projects, as_of, settings)
    ind_issues = indicator_quality(frames.indicators, frames.targets, frames.actuals, as_of)
    proj_issues = project_quality(frames.projects, indicator_eval, frames.visits, as_of, settings)
    n_ind = len(frames.indicators)
    start = day_numbers(frames.projects["start_date"]) if len(frames.projects) else np.zeros(0)
    n_live = int(((frames.projects["status"] == "active").to_numpy() & (start <= as_day(as_of))).sum())
    rows = []
    for level, catalogue, found, total in (("indicator", INDICATOR_ISSUES, ind_issues, n_ind),
                                           ("project", PROJECT_ISSUES, proj_issues, n_live)):
        counts = found["issue"].value_counts() if len(found) else pd.Series(dtype="int64")
        for issue, label in catalogue.items():
            count = int(counts.get(issue, 0))
            rows.append((level, issue, label, count, count / total if total else np.nan))
    return pd.DataFrame(rows, columns=["level", "issue", "label", "count", "share"])
