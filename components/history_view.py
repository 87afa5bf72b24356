"""The History tab of the Project page: every recorded change of the project, any field's history.

The rows come from ``data_access.history.project_history`` (cached in ``components.loaders``): one
row per changed field or created row, newest first, with the import that made it, who and which
files. The reader picks a table and field ("Risk · last_reviewed") to see that field's history with
the rows it was created with; values are shown as the data grid shows text, never as Markdown.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import tables
from data_access.history import CREATED

ALL = "Every table and field"
HISTORY_CONFIG = {
    "When (UTC)": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm", width=115),
    "Import": st.column_config.NumberColumn(width=55, help="The import batch (Data page, Import history)"),
    "By": st.column_config.TextColumn(width=110),
    "What": st.column_config.TextColumn(width=100),
    "Row": st.column_config.TextColumn(width=130),
    "Field": st.column_config.TextColumn(width=110),
    "Before": st.column_config.TextColumn(width=150),
    "After": st.column_config.TextColumn(width=150),
    "Files": st.column_config.TextColumn(width=140),
}


def field_choices(history: pd.DataFrame) -> list[str]:
    """``What · field`` of every field with a recorded change, sorted."""
    changed = history.loc[history["Field"] != CREATED, ["What", "Field"]].drop_duplicates()
    return sorted(f"{what} · {name}" for what, name in changed.itertuples(index=False))


def one_field(history: pd.DataFrame, choice: str) -> pd.DataFrame:
    """The changes of one ``What · field`` and the creation of the rows of that table."""
    what, _, name = choice.partition(" · ")
    return history[(history["What"] == what) & history["Field"].isin([name, CREATED])]


def show_history(history: pd.DataFrame, *, key: str, file_stem: str) -> None:
    if history.empty:
        st.info(
            "No change recorded for this project yet. History is kept for every import from the version "
            "that introduced it; rows seeded or imported before have none.",
            icon=":material/history:",
        )
        return
    choice = st.selectbox("Field", [ALL, *field_choices(history)], key=f"{key}_field")
    shown = history if choice == ALL else one_field(history, choice)
    st.caption(
        f"{len(shown):,} change(s), newest first: every field an import changed, with the value before and after, "
        "and the rows it created. Actuals are versioned: a correction is a new version, the old one is kept."
    )
    tables.show_table(
        shown[["When (UTC)", "Import", "By", "What", "Row", "Field", "Before", "After", "Files"]],
        key=key,
        file_stem=file_stem,
        column_config=HISTORY_CONFIG,
    )
