"""The Portfolio page's top flags: the first :data:`TOP_FLAGS` by severity on screen (cached,
``loaders.top_flags``), all in the downloads (``components.status_matrix.top_flags``, built when a
button is clicked); money at stake in whole USD with thousands separators, like every amount."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import loaders, status_matrix, tables

TOP_FLAGS = 25
FLAG_COLUMNS = {
    "Severity": st.column_config.TextColumn(width=95),
    "Flag": st.column_config.TextColumn(width=190),
    "What fired": st.column_config.TextColumn(width="large"),
    "Rule": st.column_config.TextColumn(width="medium"),
}


def flag_count(ctx) -> int:
    """How many flags the view has (the cards' count): counted with the first flags, one cached read."""
    return loaders.top_flags(ctx.data, ctx.scope, ctx.flt, ctx.settings, TOP_FLAGS)[1]


def show(ctx) -> None:
    st.subheader("Top flags")
    top, n_flags = loaders.top_flags(ctx.data, ctx.scope, ctx.flt, ctx.settings, TOP_FLAGS)
    if not n_flags:
        st.caption("No early-warning flag is raised for this view.")
        return
    st.caption(
        f"{n_flags:,} flags; the first {min(TOP_FLAGS, n_flags)} by severity, then money at stake, below; all in "
        "the downloads."
    )
    columns = {**FLAG_COLUMNS, "Project": st.column_config.TextColumn(width=status_matrix.code_width(top["Project"]))}
    tables.show_table(
        top,
        key="top_flags",
        file_stem="portfolio-flags",
        column_config=columns,
        amounts=["At stake (USD)"],
        download=lambda: status_matrix.top_flags(*_every_flag(ctx)),
    )
    st.caption(
        "How this is computed: early-warning signals checked on every active project that has started; "
        "'What fired' gives the figures that raised the flag, 'Rule' the threshold they crossed."
    )


def _every_flag(ctx) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The downloads' flags and projects, with every column (read when a button is clicked)."""
    summary = ctx.portfolio_summary()
    return summary.flags, summary.projects
