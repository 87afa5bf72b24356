"""Data quality (DOMAIN.md section 8): issues per indicator and project, completeness, evidence labels.

Every issue is a record (indicator_id, project_id, issue, message) with a sentence a person can act
on ("2 of 4 reported periods have no sex breakdown"). Only actuals of periods started on or before the
as-of date are checked, so the list is reproducible for a past date.

Decisions where DOMAIN.md is silent (also in docs/monitoring.md):

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
  for ``stale_data_days``, by the latest ``reported_on`` known on D, else the period end — the
  STALE_DATA flag's rule), no results framework (``results_framework_due_days`` after start) and no
  monitoring visit within ``monitoring_visit_max_days`` (any active project; the NO_RECENT_MONITORING_VISIT
  flag is the high-risk subset).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd

from monitoring.dates import as_day, date_text, day_numbers
from monitoring.frames import PortfolioFrames
from monitoring.indicators import (
    evaluate_indicators,
    format_many,
    format_number,
    people_counting,
    starting_point,
)
from monitoring.settings import Settings
from reference.vocabulary import EVIDENCE_LABELS, UNKNOWN_EVIDENCE

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


SCORED_MEASURES = pd.Index(["number", "percentage", "yes_no"])


def out_of_range(measure, value):
    """True where a reported value is implausible for its measure (negative count, % outside 0–100...)."""
    m = np.asarray(measure, dtype=object)
    out = _implausible(SCORED_MEASURES.get_indexer(m.reshape(-1)).reshape(m.shape), value)
    return out.item() if out.ndim == 0 else out


def _implausible(kind: np.ndarray, value) -> np.ndarray:
    """``out_of_range`` on measure codes (positions in SCORED_MEASURES): no string compares per row."""
    v = np.asarray(value, dtype="float64")
    with np.errstate(invalid="ignore"):
        return (
            ((kind == 0) & (v < 0))
            | ((kind == 1) & ((v < 0) | (v > 100)))
            | ((kind == 2) & ~np.isnan(v) & (v != 0) & (v != 1))
        )


def indicator_quality(
    indicators: pd.DataFrame, targets: pd.DataFrame, actuals: pd.DataFrame, as_of: dt.date
) -> pd.DataFrame:
    """Data-quality issues of indicators and their actuals: one row per indicator and issue."""
    measure = indicators["measure"].astype(object).to_numpy()
    qualitative = measure == "qualitative"
    baseline = pd.to_numeric(indicators["baseline"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    end_target = pd.to_numeric(indicators["end_target"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    accumulation = indicators["accumulation"].astype(object).to_numpy()
    b = np.asarray(starting_point(accumulation, baseline), dtype="float64").reshape(len(indicators))
    baseline_text = indicators["baseline_text"].notna().to_numpy()
    target_text = indicators["end_target_text"].notna().to_numpy()
    codes, units = pd.factorize(indicators["unit"].astype(object))
    unit = np.array([isinstance(u, str) and bool(u.strip()) for u in units] + [False], dtype=bool)[codes]
    has_milestones = (
        indicators["indicator_id"]
        .isin(targets.loc[pd.to_numeric(targets["target"], errors="coerce").notna(), "indicator_id"])
        .to_numpy()
    )

    parts = []

    def add(mask, issue: str, messages):
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            msgs = messages[mask] if isinstance(messages, np.ndarray) else np.full(mask.sum(), messages, dtype=object)
            parts.append(
                pd.DataFrame(
                    {
                        "indicator_id": indicators["indicator_id"].to_numpy()[mask],
                        "project_id": indicators["project_id"].to_numpy()[mask],
                        "issue": issue,
                        "message": msgs,
                    }
                )
            )

    add(
        np.where(qualitative, ~baseline_text, np.isnan(baseline)),
        "missing_baseline",
        np.where(~qualitative & baseline_text, "the baseline is text, not a number", "no baseline").astype(object),
    )
    add(
        np.where(qualitative, ~target_text, np.isnan(end_target)),
        "missing_target",
        np.where(has_milestones, "no end-of-project target (milestones exist)", "no end-of-project target").astype(
            object
        ),
    )
    fmt_b = format_many(b, format_number) if len(b) else np.empty(0, dtype=object)
    add(
        ~qualitative & (end_target == b),
        "target_equals_baseline",
        np.where(
            accumulation == "incremental",
            "end target is 0: nothing to count",
            "end target equals the baseline (" + fmt_b + ")",
        ).astype(object),
    )
    add((measure == "number") & ~unit, "no_unit", "no unit of measure")

    parts.extend(_actual_issues(indicators, actuals, as_of))
    if not parts:
        return pd.DataFrame(columns=ISSUE_COLUMNS)
    return pd.concat(parts, ignore_index=True)[ISSUE_COLUMNS]


def _actual_issues(indicators: pd.DataFrame, actuals: pd.DataFrame, as_of: dt.date) -> list[pd.DataFrame]:
    """Issues found in reported values: no sex breakdown, out of range, mismatch, not a number.

    Vectorised like the evaluation (it runs inside ``evaluate_portfolio``'s time budget): each issue
    is one mask over the period rows (numpy arrays, no frame copies), reduced to its first period and
    its count per indicator; only those first periods are formatted into messages.
    """
    day = as_day(as_of)
    indicator_ids = indicators["indicator_id"].to_numpy()
    project_ids = indicators["project_id"].to_numpy()
    pos_all = pd.Index(indicator_ids).get_indexer(actuals["indicator_id"]) if len(actuals) else np.zeros(0, "int64")
    start_all = day_numbers(actuals["period_start"]) if len(actuals) else np.zeros(0)
    sel = np.flatnonzero((pos_all >= 0) & (start_all <= day))
    pos = pos_all[sel]
    kind = SCORED_MEASURES.get_indexer(indicators["measure"].astype(object))[pos]

    def column(name: str) -> np.ndarray:
        return pd.to_numeric(actuals[name], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)[sel]

    value = column("value")
    female, male, other = column("female"), column("male"), column("other_sex")
    value_text = actuals["value_text"].astype(object).to_numpy()[sel]
    parts = []

    def add(mask, issue: str, describe):
        """Record ``issue`` for every indicator with a masked row; ``describe(first, count, period)``
        gets the first such row of each indicator (arrays) and returns the messages."""
        hit = np.flatnonzero(mask)
        if not len(hit):
            return
        _, first_pos, counts = np.unique(pos[hit], return_index=True, return_counts=True)
        first = hit[first_pos]
        period = (
            format_many(start_all[sel[first]], _day_text)
            + " to "
            + format_many(day_numbers(actuals["period_end"].iloc[sel[first]]), _day_text)
        )
        label = np.where(counts == 1, "1 period", counts.astype(str).astype(object) + " periods")
        parts.append(
            pd.DataFrame(
                {
                    "indicator_id": indicator_ids[pos[first]],
                    "project_id": project_ids[pos[first]],
                    "issue": issue,
                    "message": describe(first, label, period),
                }
            )
        )

    def number(values: np.ndarray) -> np.ndarray:
        return format_many(values, format_number)

    with np.errstate(invalid="ignore"):
        sex_negative = (female < 0) | (male < 0) | (other < 0)
    add(
        _implausible(kind, value) | ((kind == 0) & sex_negative),
        "out_of_range",
        lambda i, n, p: n + " with an implausible value, e.g. " + number(value[i]) + " for " + p,
    )
    sex_sum = np.nansum(np.stack([female, male, other]), axis=0) if len(sel) else np.zeros(0)
    add(
        (kind == 0) & breakdown_mismatch(value, female, male, other),
        "breakdown_mismatch",
        lambda i, n, p: (
            n
            + " where female + male + other differs from the total, e.g. "
            + number(sex_sum[i])
            + " vs "
            + number(value[i])
            + " for "
            + p
        ),
    )
    # qualitative indicators (kind -1) report text by design: only scored measures can be "not a number"
    add(
        (kind >= 0) & np.isnan(value) & pd.notna(value_text),
        "not_a_number",
        lambda i, n, p: (
            n + " reported as text, e.g. " + np.array([repr(t) for t in value_text[i]], dtype=object) + " for " + p
        ),
    )

    people = people_counting(indicators).to_numpy()
    reported = ~np.isnan(value) & people[pos]
    n_periods = np.bincount(pos[reported], minlength=len(indicators))
    n_with_sex = np.bincount(
        pos[reported], weights=(~np.isnan(female) | ~np.isnan(male))[reported], minlength=len(indicators)
    ).astype("int64")
    missing = np.flatnonzero(n_with_sex < n_periods)
    if len(missing):
        parts.append(
            pd.DataFrame(
                {
                    "indicator_id": indicator_ids[missing],
                    "project_id": project_ids[missing],
                    "issue": "no_sex_breakdown",
                    "message": [
                        f"{p - w} of {p} reported periods have no sex breakdown"
                        for p, w in zip(n_periods[missing], n_with_sex[missing], strict=False)
                    ],
                }
            )
        )
    return parts


def _day_text(day: float) -> str:
    return "?" if day != day else str(np.datetime64(int(day), "D"))


def project_quality(
    projects: pd.DataFrame, indicator_eval: pd.DataFrame, visits: pd.DataFrame, as_of: dt.date, settings: Settings
) -> pd.DataFrame:
    """Project-level issues of active, started projects: stale reporting, no results framework, no visit.

    Columns: project_id, issue, message.
    """
    day = as_day(as_of)
    start = day_numbers(projects["start_date"]) if len(projects) else np.zeros(0)
    live = (projects["status"] == "active").to_numpy() & (start <= day)
    ids = projects["project_id"].to_numpy()[live]
    days_running = day - start[live]

    n_indicators = indicator_eval.groupby("project_id").size().reindex(ids, fill_value=0).to_numpy()
    last_end = (
        pd.Series(day_numbers(indicator_eval["last_reported"]) if len(indicator_eval) else [], dtype="float64")
        .groupby(indicator_eval["project_id"].to_numpy())
        .max()
    )
    last_end = last_end.reindex(ids).to_numpy(dtype="float64")
    visit_day = pd.Series(day_numbers(visits["visit_date"]) if len(visits) else [], dtype="float64")
    visit_day = visit_day.where(visit_day <= day)
    last_visit = visit_day.groupby(visits["project_id"].to_numpy()).max().reindex(ids).to_numpy(dtype="float64")
    high_risk = projects["high_risk_context"].fillna(False).astype(bool).to_numpy()[live]

    records = []
    for i, pid in enumerate(ids):
        if n_indicators[i] == 0:
            if days_running[i] > settings.results_framework_due_days:
                records.append(
                    (
                        pid,
                        "results_framework_missing",
                        f"no indicators {int(days_running[i])} days after the start "
                        f"(due within {settings.results_framework_due_days})",
                    )
                )
        elif np.isnan(last_end[i]):
            if days_running[i] > settings.stale_data_days:
                records.append(
                    (pid, "stale_reporting", f"nothing reported {int(days_running[i])} days after the start")
                )
        elif day - last_end[i] > settings.stale_data_days:
            records.append(
                (
                    pid,
                    "stale_reporting",
                    f"nothing reported for {int(day - last_end[i])} days "
                    f"(last report {np.datetime64(int(last_end[i]), 'D')})",
                )
            )
        context = " in a high-risk context" if high_risk[i] else ""
        if np.isnan(last_visit[i]):
            if days_running[i] > settings.monitoring_visit_max_days:
                records.append((pid, "no_monitoring_visit", f"no monitoring visit recorded{context}"))
        elif day - last_visit[i] > settings.monitoring_visit_max_days:
            records.append(
                (
                    pid,
                    "no_monitoring_visit",
                    f"no monitoring visit for {int(day - last_visit[i])} days{context} "
                    f"(last {np.datetime64(int(last_visit[i]), 'D')})",
                )
            )
    return pd.DataFrame(records, columns=["project_id", "issue", "message"])


def completeness(indicators: pd.DataFrame, issues: pd.DataFrame, projects: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per project: n_indicators, n_with_issues and completeness = share of indicators with no issue.

    ``issues`` is :func:`indicator_quality`'s output. With ``projects``, projects without indicators
    get a row with completeness 0 (see the module docstring).
    """
    flagged = issues.loc[issues["indicator_id"].notna(), "indicator_id"].unique() if len(issues) else []
    per = pd.DataFrame(
        {
            "project_id": indicators["project_id"].to_numpy(),
            "issue": indicators["indicator_id"].isin(flagged).to_numpy(),
        }
    )
    table = per.groupby("project_id").agg(n_indicators=("issue", "size"), n_with_issues=("issue", "sum"))
    if projects is not None:
        ids = pd.Index(projects["project_id"]).append(table.index.difference(projects["project_id"]))
        table = table.reindex(ids, fill_value=0)
    table["completeness"] = np.where(
        table["n_indicators"] > 0, 1 - table["n_with_issues"] / table["n_indicators"].clip(lower=1), 0.0
    )
    table.index.name = "project_id"
    return table.reset_index()


def quality_summary(
    frames: PortfolioFrames, as_of: dt.date, settings: Settings, indicator_eval: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Counts of every issue for a portfolio (what ``python -m data_access check`` prints).

    Columns: level (indicator / project), issue, label, count, of (the number of indicators, or of
    active started projects) and share = count / of. Every issue is listed, with 0 when none is found.
    """
    if indicator_eval is None:
        indicator_eval = evaluate_indicators(
            frames.indicators, frames.targets, frames.actuals, frames.projects, as_of, settings
        )
    ind_issues = indicator_quality(frames.indicators, frames.targets, frames.actuals, as_of)
    proj_issues = project_quality(frames.projects, indicator_eval, frames.visits, as_of, settings)
    start = day_numbers(frames.projects["start_date"]) if len(frames.projects) else np.zeros(0)
    n_live = int(((frames.projects["status"] == "active").to_numpy() & (start <= as_day(as_of))).sum())
    counts = {
        (level, issue): int(n)
        for level, found in (("indicator", ind_issues), ("project", proj_issues))
        for issue, n in (found["issue"].value_counts().items() if len(found) else ())
    }
    return summary_table(counts, len(frames.indicators), n_live)


def summary_table(issue_counts: Mapping[tuple[str, str], int], n_indicators: int, n_live: int) -> pd.DataFrame:
    """The summary's rows from the number of issues per (level, issue), the number of indicators and
    of active projects that have started: the one layout of :func:`quality_summary` and of the Data
    page, which counts the stored issues with SQL (``data_access.evaluated.quality_counts``)."""
    rows = []
    for level, catalogue, total in (
        ("indicator", INDICATOR_ISSUES, n_indicators),
        ("project", PROJECT_ISSUES, n_live),
    ):
        for issue, label in catalogue.items():
            count = int(issue_counts.get((level, issue), 0))
            rows.append((level, issue, label, count, total, count / total if total else np.nan))
    return pd.DataFrame(rows, columns=["level", "issue", "label", "count", "of", "share"])


def summary_lines(frames: PortfolioFrames, as_of: dt.date, settings: Settings) -> list[str]:
    """The section-8 summary as lines of text, printed by ``python -m data_access check``.

    One line per issue with its count and share (of indicators, or of active started projects), then
    the portfolio's mean completeness score, so the command line shows what the Quality page shows.
    """
    summary = quality_summary(frames, as_of, settings)
    scores = completeness(
        frames.indicators, indicator_quality(frames.indicators, frames.targets, frames.actuals, as_of), frames.projects
    )
    width = max(len(label) for label in (*INDICATOR_ISSUES.values(), *PROJECT_ISSUES.values()))
    lines = [f"Data quality as of {date_text(as_of)}:"]
    headings = {"indicator": "Indicators", "project": "Active projects that have started"}
    for level, rows in summary.groupby("level", sort=False):
        lines.append(f"  {headings[level]} ({rows['of'].iloc[0]:,}):")
        for row in rows.itertuples():
            share = "" if pd.isna(row.share) else f"  ({row.share:.1%})"
            lines.append(f"    {row.label:<{width}}  {row.count:>10,}{share}")
    if len(scores):
        lines.append(
            f"  Completeness (share of a project's indicators without issue): mean "
            f"{scores['completeness'].mean():.1%} over {len(scores):,} projects"
        )
    return lines
