"""The results matrix of one project as a tree table: objective → outcome → output → indicators.

:func:`matrix_rows` is pure (DataFrames in, DataFrame out) so tests can check the order and the
numbers; :func:`show_matrix` renders it with a progress bar column and the status words.

Each result row is followed by its own indicators, then by its child results (depth-first, the
order of ``data_access.queries.results_in_tree_order``); the label is indented by depth. Indicators
not linked to any result come last under their own heading, so nothing of a messy import is hidden.
Numbers come from ``monitoring.indicators.evaluate_indicators`` (DOMAIN.md 2.1): "target to date" is
the milestone of the latest period ended by the as-of date, or on the linear path (no milestones)
the value expected by now (starting point + expected progress × distance to the end target);
"actual" is the to-date value by accumulation. Qualitative indicators show their text, never a bar.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import tables
from components.badges import label

INDENT = "\u2003"  # an em space: survives the dataframe renderer, unlike leading spaces
LEVEL_NAMES = {"objective": "Objective", "outcome": "Outcome", "output": "Output", "activity": "Activity"}
COLUMNS = ("row", "kind", "code", "level", "baseline", "target_to_date", "end_target", "actual",
           "progress", "expected_progress", "status", "reason", "unit", "indicator_id")


def _target_to_date(r) -> float | None:
    """The milestone to date; on the linear path (no milestone), the value expected by now:
    starting point + expected progress × (end target − starting point), DOMAIN.md 2.1 read backwards."""
    if pd.notna(r.milestone_to_date):
        return r.milestone_to_date
    if pd.notna(r.expected_progress) and pd.notna(r.b) and pd.notna(r.end_target):
        return r.b + r.expected_progress * (r.end_target - r.b)
    return None


def _indicator_rows(ind: pd.DataFrame, depth: int) -> list[dict]:
    rows = []
    for r in ind.itertuples(index=False):
        qualitative = r.measure == "qualitative"
        rows.append({
            "row": f"{INDENT * (depth + 1)}◦ {r.indicator_code} {r.name}",
            "kind": "indicator",
            "code": r.indicator_code,
            "level": "indicator",
            "baseline": r.baseline_text if qualitative and isinstance(r.baseline_text, str) else r.baseline,
            "target_to_date": None if qualitative else _target_to_date(r),
            "end_target": r.end_target_text if qualitative and isinstance(r.end_target_text, str) else r.end_target,
            "actual": r.actual_to_date,
            "progress": None if qualitative else r.progress,
            "expected_progress": None if qualitative else r.expected_progress,
            "status": label(r.status),
            "reason": r.reason,
            "unit": r.unit,
            "indicator_id": r.indicator_id,
        })
    return rows


def matrix_rows(results_tree: pd.DataFrame, indicators: pd.DataFrame, evaluation: pd.DataFrame) -> pd.DataFrame:
    """One row per result and indicator in tree order (columns :data:`COLUMNS`).

    ``results_tree``: result_id, result_code, level, statement, depth (tree order).
    ``indicators``: the project's indicators frame. ``evaluation``: ``evaluate_indicators`` rows.
    """
    ev = evaluation[["indicator_id", "b", "actual_to_date", "milestone_to_date", "progress",
                     "expected_progress", "status", "reason"]]
    ind = indicators.merge(ev, on="indicator_id", how="left").sort_values("indicator_code", kind="stable")
    rows: list[dict] = []
    for res in results_tree.itertuples(index=False):
        depth = int(res.depth)
        rows.append({
            "row": f"{INDENT * depth}{LEVEL_NAMES.get(res.level, str(res.level))} {res.result_code}: {res.statement}",
            "kind": "result", "code": res.result_code, "level": res.level,
        })
        rows += _indicator_rows(ind.loc[ind["result_id"] == res.result_id], depth)
    orphans = ind.loc[~ind["result_id"].isin(results_tree["result_id"]) | ind["result_id"].isna()]
    if len(orphans):
        rows.append({"row": "Indicators not linked to a result", "kind": "result", "code": "", "level": ""})
        rows += _indicator_rows(orphans, 0)
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _cell(value: object) -> str:
    """A value as people read it: whole numbers from 100 up, at most 2 decimals below, blank when
    missing; text (a qualitative baseline or target) as written."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, (int, float)):
        number = float(value)
        text = f"{number:,.0f}" if abs(number) >= 100 else f"{number:,.2f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    return str(value)


def show_matrix(rows: pd.DataFrame, *, key: str, file_stem: str) -> None:
    """The tree table with a progress bar (0-100% of the way from starting point to end target)."""
    shown = rows.drop(columns=["kind", "indicator_id", "level"]).rename(columns={
        "row": "Result / indicator", "code": "Code", "baseline": "Baseline",
        "target_to_date": "Target to date", "end_target": "End target", "actual": "Actual to date",
        "progress": "Progress", "expected_progress": "Expected by now", "status": "Status",
        "reason": "Why", "unit": "Unit",
    })
    download = shown.copy()
    # values are shown as text: blank (not "None") on result rows, qualitative baselines and targets
    # as written, numbers with sensible digits; the downloads keep them unrounded
    for column in ("Baseline", "Target to date", "End target", "Actual to date"):
        shown[column] = shown[column].map(_cell).astype(object)
    for column in ("Progress", "Expected by now"):
        shown[column] = pd.to_numeric(shown[column], errors="coerce").astype(float)
    for column in ("Status", "Why", "Unit"):
        shown[column] = shown[column].fillna("").astype(object)
    config = {
        "Result / indicator": st.column_config.TextColumn(width="large"),
        "Progress": st.column_config.ProgressColumn(
            format="percent", min_value=0.0, max_value=1.0,
            help="Share of the distance from the starting point to the end target travelled (DOMAIN.md 2.1)."),
        "Expected by now": st.column_config.NumberColumn(format="percent",
            help="Milestone path, or time elapsed when there are no milestones (DOMAIN.md 2.1)."),
        "Why": st.column_config.TextColumn(width="large"),
    }
    tables.show_table(shown, key=key, file_stem=file_stem, column_config=config, download=download)
