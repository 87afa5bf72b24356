"""The Off-track page's table: ``monitoring.off_track.indicators_needing_attention`` labelled for people.

Pure (no ``st``): selection, labels and column order only. Progress and expected progress stay
shares (0-1; the page shows them as percentages with one decimal) and the gap stays in percentage
points, unrounded, so the downloaded file holds the same numbers as the list.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.badges import labels
from components.labels import code_labels
from components.tables import SHARE_FORMAT

# what ``monitoring.off_track.indicators_needing_attention`` reads of the results frame: the page
# reads these columns alone (at 100,000 projects the whole frame, with the projects and their
# countries, took ~6 s to read; these four ~2 s)
RESULT_COLUMNS = ("result_id", "result_code", "level", "statement")
# and of the projects (with whether any indicator is in view): not the 62 columns and the flags
PROJECT_COLUMNS = ("project_id", "title", "managing_country", "managing_country_name", "region", "n_indicators")
SEX_OPTIONS = {"all": "All people", "female": "Women and girls", "male": "Men and boys"}
# the words on the page's "For" buttons: short, so the three fit a third of the row at 1280 px
SEX_BUTTONS = {"all": "All", "female": "Women", "male": "Men"}


def result_label(code: pd.Series, statement: pd.Series) -> pd.Series:
    """``"OC1 · Returnees reintegrate"``; empty when the indicator is attached to no result."""
    text = code.astype(object).fillna("").astype(str) + " · " + statement.astype(object).fillna("").astype(str)
    return text.where(code.notna(), "").astype(object)


def off_track_display(rows: pd.DataFrame, comments: pd.Series | None = None) -> pd.DataFrame:
    """One row per indicator, in the order given (largest gap first), with people's column names.

    ``comments``: the latest comment per indicator id (``monitoring.comments.comment_by_indicator``), shown beside
    "Why" as "Latest comment" (empty when the indicator has none).
    """
    comment = rows["indicator_id"].map(comments if comments is not None else pd.Series(dtype=object))
    return pd.DataFrame(
        {
            "Status": labels(rows["status"]),
            "Gap (pp)": rows["gap_pp"],
            "Project": rows["project_code"],
            "Project title": rows["title"],
            "Country": rows["managing_country_name"],
            "Level": code_labels("RESULT_LEVELS", rows["level"]),
            "Result": result_label(rows["result_code"], rows["statement"]),
            "Indicator": rows["indicator_code"].astype(str) + " · " + rows["name"].astype(str),
            "Unit": rows["unit"],
            "Starting point": rows["b"],
            "End target": rows["end_target"],
            "Actual to date": rows["actual_to_date"],
            "Progress": rows["progress"],
            "Expected": rows["expected_progress"],
            "Judged at": rows["cutoff"],
            "Reports overdue": rows["reports_overdue"],
            "Why": rows["reason"],
            "Latest comment": comment.astype(object).where(comment.notna(), "").to_numpy(),
        }
    ).reset_index(drop=True)


def status_counts(rows: pd.DataFrame) -> dict[str, int]:
    """Indicators per status in the list (for the summary line above it)."""
    counts = rows["status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in ("off_track", "at_risk", "no_data")}


# the list's columns on screen
COLUMN_CONFIG = {
    "Gap (pp)": st.column_config.NumberColumn(
        format="%.1f",
        help="Expected progress − progress, in percentage points; empty when no data was reported.",
    ),
    "Progress": st.column_config.ProgressColumn(format=SHARE_FORMAT, min_value=0.0, max_value=100.0),
    "Why": st.column_config.TextColumn(width="large"),
    "Latest comment": st.column_config.TextColumn(
        width="large", help="The comment of the latest reported period that has one."
    ),
}
