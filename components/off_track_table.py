"""The Off-track page's table: ``monitoring.off_track.indicators_needing_attention`` labelled for people.

Pure (no ``st``): selection, labels and column order only. Progress and expected progress stay
shares (0-1; the page shows them as percentages with one decimal) and the gap stays in percentage
points, unrounded, so the downloaded file holds the same numbers as the list.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components.badges import labels
from components.labels import code_labels
from components.tables import SHARE_FORMAT
from monitoring import off_track

# what ``monitoring.off_track.indicators_needing_attention`` reads of the results frame and of the
# projects (not the whole frames: at 100,000 projects the results with the projects and their
# countries took ~6 s to read), for the rows shown and for the downloads (``loaders.attention_rows``)
RESULT_COLUMNS = ("result_id", "result_code", "level", "statement")
PROJECT_COLUMNS = ("project_id", "title", "managing_country", "managing_country_name", "region")
# of the list's first rows (``first_rows``): which indicator, of which project, with which status
ORDER_COLUMNS = ("indicator_id", "project_id", "project_code", "status")
# no project facts: the order never reads them (a typed empty frame, so that the merge stays a merge)
_NO_PLACES = pd.DataFrame(
    {"project_id": pd.Series(dtype="int64")}
    | {c: pd.Series(dtype=object) for c in ("title", "managing_country", "managing_country_name", "region")}
)
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


@dataclass(frozen=True)
class Choice:
    """The list's filters, as ``indicators_needing_attention`` takes them: the statuses, the result
    levels (none: every level) and the sex (None: everyone). In a fixed order (the page's), so that
    the same choice is one cached list whatever the order of the clicks."""

    statuses: tuple[str, ...] = off_track.ATTENTION_STATUSES
    levels: tuple[str, ...] = ()
    sex: str | None = None


def chosen(keys: pd.DataFrame, choice: Choice) -> pd.DataFrame:
    """The rows of ``keys`` (``data_access.evaluated.attention_keys``: status and progress already those
    of the choice's sex) that the list holds, in no particular order: status one of the choice's,
    and the result's level one of its levels when it has any (as ``indicators_needing_attention``
    chooses). Its counts, projects concerned and chart by country are taken from these."""
    rows = keys.loc[keys["status"].isin(list(choice.statuses))]
    return rows.loc[rows["level"].isin(list(choice.levels))] if choice.levels else rows


def first_rows(rows: pd.DataFrame, choice: Choice, n: int) -> pd.DataFrame:
    """The first ``n`` of ``rows`` (``data_access.evaluated.attention_candidates``: the narrow rows
    that can be among them) in the list's order (largest gap first): their :data:`ORDER_COLUMNS`.

    The list's own function orders them, so this order cannot drift from the list's; the columns it
    carries but never orders by (names, reasons, the result's words, the project's places) are blanks
    here, read for the rows shown only (``loaders.attention_list``). Equal to the whole list's first
    rows (tests/test_components_off_track_cache.py).
    """
    indicators = rows.drop(columns="level")
    indicators = indicators.assign(**{c: None for c in off_track.INDICATOR_COLUMNS if c not in indicators.columns})
    results = rows[["result_id", "level"]].drop_duplicates("result_id").assign(result_code=None, statement=None)
    ordered = off_track.indicators_needing_attention(
        indicators, results, _NO_PLACES, statuses=choice.statuses, levels=choice.levels
    )
    return ordered[list(ORDER_COLUMNS)].head(n)


def with_countries(rows: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (:func:`chosen`) with each indicator's project's managing country name from ``projects``
    (project_id, managing_country_name): what the chart by country counts, as in the list."""
    places = projects[["project_id", "managing_country_name"]].drop_duplicates("project_id")
    return rows.merge(places, on="project_id", how="left", sort=False)


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
