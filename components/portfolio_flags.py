"""The Portfolio page's top flags: the first :data:`TOP_FLAGS` by severity on screen, all in the
downloads (``components.status_matrix.top_flags``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import status_matrix, tables

TOP_FLAGS = 25
FLAG_COLUMNS = {
    "Severity": st.column_config.TextColumn(width=95),
    "Flag": st.column_config.TextColumn(width=190),
    "What fired": st.column_config.TextColumn(width="large"),
    "Rule": st.column_config.TextColumn(width="medium"),
}


def show(flags: pd.DataFrame, projects: pd.DataFrame) -> None:
    st.subheader("Top flags")
    top = status_matrix.top_flags(flags, projects)
    if top.empty:
        st.caption("No early-warning flag is raised for this view.")
        return
    st.caption(
        f"{len(top):,} flags; the first {min(TOP_FLAGS, len(top))} by severity, then money at stake, below; all in "
        "the downloads."
    )
    columns = {**FLAG_COLUMNS, "Project": st.column_config.TextColumn(width=status_matrix.code_width(top["Project"]))}
    tables.show_table(
        top.head(TOP_FLAGS), key="top_flags", file_stem="portfolio-flags", column_config=columns, download=top
    )
    st.caption("How this is computed: the early-warning rules of DOMAIN.md 5, for active projects that have started.")
