"""The results matrix of one project as a tree table: objective → outcome → output → indicators.

:func:`matrix_rows` is pure (DataFrames in, DataFrame out) so tests can check the order and the
numbers; :func:`show_matrix` renders it with a progress bar column and the status words.

Each result row is followed by its own indicators, then by its child results (depth-first, the
order of ``data_access.queries.results_in_tree_order``); the label is indented by depth. Indicators
not linked to any result come last under their own heading, so nothing of a messy import is hidden.
Numbers come from ``monitoring.indicators.evaluate_indicators`` (DOMAIN.md 2.1): "due by now" (target to date) is
the milestone of the latest period ended by the as-of date, or on the linear path (no milestones)
the value expected by now (starting point + expected progress × distance to the end target);
"actual" is the to-date value by accumulation. Qualitative indicators show their text, never a bar.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from components import tables
from components.badges import label

INDENT = "\u2003"  # an em space: survives the dataframe renderer, unlike leading spaces
# the whole tree of a usual project (up to ~20 rows) without scrolling inside the table; longer ones
# scroll (the grid's rows are 35 px, its header 35 px plus borders)
ROW_PX, MATRIX_HEADER_PX, MATRIX_MAX_PX = 35, 38, 38 + 35 * 20
LEVEL_NAMES = {"objective": "Objective", "outcome": "Outcome", "output": "Output", "activity": "Activity"}
COLUMNS = (
    "row",
    "kind",
    "code",
    "level",
    "measure",
    "baseline",
    "target_to_date",
    "end_target",
    "actual",
    "progress",
    "expected_progress",
    "status",
    "reason",
    "comment",
    "unit",
    "indicator_id",
)


def _target_to_date(r) -> float | None:
    """The milestone to date; on the linear path (no milestone), the value expected by now:
    starting point + expected progress × (end target − starting point), DOMAIN.md 2.1 read backwards."""
    if pd.notna(r.milestone_to_date):
        return r.milestone_to_date
    if pd.notna(r.expected_progress) and pd.notna(r.b) and pd.notna(r.end_target):
        return r.b + r.expected_progress * (r.end_target - r.b)
    return None


def _indicator_rows(ind: pd.DataFrame, depth: int, comments: pd.Series) -> list[dict]:
    rows = []
    for r in ind.itertuples(index=False):
        qualitative = r.measure == "qualitative"
        # an indicator that cannot be assessed (no end target, no baseline...) has no "expected by
        # now" either: showing the elapsed time there reads as a target the indicator does not have
        unscored = qualitative or r.status == "not_assessable"
        rows.append(
            {
                "row": f"{INDENT * (depth + 1)}◦ {r.indicator_code} {r.name}",
                "kind": "indicator",
                "code": r.indicator_code,
                "level": "indicator",
                "measure": r.measure,
                "baseline": r.baseline_text if qualitative and isinstance(r.baseline_text, str) else r.baseline,
                "target_to_date": None if qualitative else _target_to_date(r),
                "end_target": r.end_target_text if qualitative and isinstance(r.end_target_text, str) else r.end_target,
                "actual": r.actual_to_date,
                "progress": None if qualitative else r.progress,
                "expected_progress": None if unscored else r.expected_progress,
                "status": label(r.status),
                "reason": r.reason,
                "comment": comments.get(r.indicator_id, ""),
                "unit": r.unit,
                "indicator_id": r.indicator_id,
            }
        )
    return rows


def matrix_rows(
    results_tree: pd.DataFrame,
    indicators: pd.DataFrame,
    evaluation: pd.DataFrame,
    comments: pd.Series | None = None,
) -> pd.DataFrame:
    """One row per result and indicator in tree order (columns :data:`COLUMNS`).

    ``results_tree``: result_id, result_code, level, statement, depth (tree order).
    ``indicators``: the project's indicators frame. ``evaluation``: ``evaluate_indicators`` rows.
    ``comments``: the latest comment per indicator id (``monitoring.comments.latest_comments``),
    shown beside the reason; empty for an indicator without one.
    """
    comments = comments if comments is not None else pd.Series(dtype=object)
    ev = evaluation[
        [
            "indicator_id",
            "b",
            "actual_to_date",
            "milestone_to_date",
            "progress",
            "expected_progress",
            "status",
            "reason",
        ]
    ]
    ind = indicators.merge(ev, on="indicator_id", how="left").sort_values("indicator_code", kind="stable")
    rows: list[dict] = []
    for res in results_tree.itertuples(index=False):
        depth = int(res.depth)
        rows.append(
            {
                "row": f"{INDENT * depth}{LEVEL_NAMES.get(res.level, str(res.level))} {res.result_code}: "
                f"{res.statement}",
                "kind": "result",
                "code": res.result_code,
                "level": res.level,
            }
        )
        rows += _indicator_rows(ind.loc[ind["result_id"] == res.result_id], depth, comments)
    orphans = ind.loc[~ind["result_id"].isin(results_tree["result_id"]) | ind["result_id"].isna()]
    if len(orphans):
        rows.append({"row": "Indicators not linked to a result", "kind": "result", "code": "", "level": ""})
        rows += _indicator_rows(orphans, 0, comments)
    return pd.DataFrame(rows, columns=list(COLUMNS))


def format_value(value: object, measure: object = None, unit: object = None, *, whole: bool = False) -> str:
    """A value as people read it, by the indicator's measure; blank when missing, text as written.

    * counts (``number``): no decimals unless the value has them (then at most 2); ``whole=True``
      rounds to a whole number, for values the dashboard computed (a count expected by now on the
      linear path is 87.05 only arithmetically: nobody reaches 0.05 of a person);
    * ``percentage``: one decimal and a % sign ("46.6%");
    * ``yes_no``: "Yes" / "No";
    * any other measure: whole numbers from 100 up, at most 2 decimals below.

    The unit follows a number ("3,203 people") unless it is a percent sign already shown.
    """
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    if not isinstance(value, (int, float)):
        return str(value)
    number = float(value)
    if whole and measure == "number":
        number = math.floor(number + 0.5)  # half up (format() rounds half to even: 18.5 -> "18")
    if measure == "percentage":
        text = f"{number:,.1f}%"
    elif measure == "yes_no" and number in (0.0, 1.0):
        return "Yes" if number == 1.0 else "No"
    elif measure == "number" and (whole or number.is_integer()):
        text = f"{number:,.0f}"
    elif measure == "number" or abs(number) < 100:
        text = f"{number:,.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{number:,.0f}"
    text = "0" if text in ("-0", "", "-0.0%") else text
    if isinstance(unit, str) and unit.strip() and unit.strip() != "%":
        text = f"{text} {unit.strip()}"
    return text


def _percent(share: object) -> str:
    """An expected share as a whole percent ("50%"); blank on result rows and unscored indicators."""
    if share is None or pd.isna(share):
        return ""
    return f"{float(share) * 100:.0f}%"


# the decisive columns first, so they are on screen at 1280 px without scrolling: what the row is,
# its status, how far it is against how far it should be, and why; the figures behind the status
# (with their unit) follow, then the starting point and the code (also in the row label)
SHOWN_COLUMNS = {
    "row": "Result / indicator",
    "status": "Status",
    "progress": "Progress",
    "expected_progress": "Expected",
    "reason": "Why",
    "comment": "Latest comment",
    "actual": "Actual to date",
    "target_to_date": "Due by now",
    "end_target": "End target",
    "baseline": "Baseline",
    "code": "Code",
}


def display_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows as shown: :data:`SHOWN_COLUMNS` in that order, numbers formatted by measure with
    their unit, blank (never "None") where a result row or a qualitative indicator has no value."""
    measure, unit = rows["measure"], rows["unit"]
    shown = pd.DataFrame(index=rows.index)
    for column, title in SHOWN_COLUMNS.items():
        if column in ("baseline", "actual", "end_target", "target_to_date"):
            whole = column == "target_to_date"
            shown[title] = [
                format_value(v, m, u, whole=whole) for v, m, u in zip(rows[column], measure, unit, strict=True)
            ]
        elif column == "expected_progress":
            shown[title] = rows[column].map(_percent).astype(object)
        elif column == "progress":  # in percent, shown whole like "Expected" beside it
            shown[title] = pd.to_numeric(rows[column], errors="coerce").astype(float) * 100
        else:
            shown[title] = rows[column].astype(object).where(rows[column].notna(), "")
    return shown.reset_index(drop=True)


def show_matrix(rows: pd.DataFrame, *, key: str, file_stem: str, grace_days: int) -> None:
    """The tree table with a progress bar (0-100% of the way from starting point to end target);
    the downloads hold every column unrounded, with the codes. ``grace_days``: the reporting grace
    in force, named in the "Expected" help."""
    download = rows.drop(columns=["kind", "indicator_id"]).rename(
        columns={
            "row": "Result / indicator",
            "code": "Code",
            "level": "Level",
            "measure": "Measure",
            "baseline": "Baseline",
            "target_to_date": "Target to date",
            "end_target": "End target",
            "actual": "Actual to date",
            "progress": "Progress",
            "expected_progress": "Expected",
            "status": "Status",
            "reason": "Why",
            "comment": "Latest comment",
            "unit": "Unit",
        }
    )
    config = {
        "Result / indicator": st.column_config.TextColumn(
            width=340, pinned=True, help="Objective → outcomes → outputs, each followed by its indicators (◦)."
        ),
        "Status": st.column_config.TextColumn(width=140),  # "Too early to judge" whole
        "Progress": st.column_config.ProgressColumn(
            format="%.0f%%",
            min_value=0.0,
            max_value=100.0,
            width=95,
            help="Share of the distance from the starting point to the end target travelled.",
        ),
        "Expected": st.column_config.TextColumn(
            width=70,
            help=f"Expected progress at the reporting cut-off ({grace_days} days before the as-of date, or the end "
            "of the latest period reported if later): the milestone path, or time elapsed when there are no "
            "milestones.",
        ),
        "Why": st.column_config.TextColumn(
            width=300,
            help="The figures behind the status: reported vs expected by the date named, the share of the way, "
            "and reports overdue.",
        ),
        "Latest comment": st.column_config.TextColumn(
            width=220, help="The comment of the latest reported period that has one."
        ),
        "Due by now": st.column_config.TextColumn(
            help="The milestone of the latest period ended, or on the linear path the value expected by now."
        ),
    }
    shown = display_rows(rows)
    tables.show_table(
        shown,
        key=key,
        file_stem=file_stem,
        column_config=config,
        download=download,
        file_shares=["Expected"],
        height=min(MATRIX_HEADER_PX + ROW_PX * len(shown), MATRIX_MAX_PX),
    )
