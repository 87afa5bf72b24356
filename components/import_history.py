"""The Data page's "Import history" tab: the import attempts (imported, unchanged, rejected) the asker
may see, newest first: leadership every attempt, anyone else only those made as themselves
(``writer.import_history``: a rejected attempt's message quotes another office's codes and values).
"""

from __future__ import annotations

import streamlit as st

from components import tables
from components.frame import data_errors
from components.import_report import WRAPPED_ROW
from data_access import db
from data_access.importers.writer import history_frame

# sized for the ~700 pixels of table a 1280-pixel screen shows: the message (wrapped) before who
HISTORY_CONFIG = {
    "Batch": st.column_config.NumberColumn(width=50),
    "Started (UTC)": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm", width=115),
    "Files": st.column_config.TextColumn(width=105),
    "Outcome": st.column_config.TextColumn(width=80),
    "Rows added or changed": st.column_config.NumberColumn(
        "Rows", format="%,d", width=60, help="Rows added or changed"
    ),
    "Message": st.column_config.TextColumn(width=270),
    "Imported by": st.column_config.TextColumn(width=130),
    "Format": st.column_config.TextColumn(width=60),
}


def show_import_history(ctx, engine) -> None:
    # leadership sees every attempt; anyone else the attempts made as themselves (writer.import_history)
    everyone = ctx.scope.organisation
    with data_errors(), db.session_scope(engine) as session:
        history = history_frame(session, ctx.scope)
    st.caption(
        "Every office's import attempts, from this page and the command line, newest first."
        if everyone
        else f"Imports made as {ctx.scope.label}; leadership sees every office's imports."
    )
    if history.empty:
        st.info(
            "No import yet." if everyone else f"No import made as {ctx.scope.label} yet.", icon=":material/history:"
        )
    else:
        tables.show_table(
            history,
            key="data_history",
            file_stem="import_history",
            column_config=HISTORY_CONFIG,
            row_height=WRAPPED_ROW,
        )
