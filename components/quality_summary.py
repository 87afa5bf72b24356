"""The Data page's "Data quality" tab: the DOMAIN.md section 8 summary (``monitoring.quality``) of the
portfolio in view, as shares of indicators, or of active projects that have started.

It reads no row: the issues of the stored evaluation are counted per issue in SQL, with the
indicators and the active started projects of the view (``evaluated.quality_counts``), and laid
out by ``monitoring.quality.summary_table``, as ``quality_summary`` lays out a fresh computation
(``python -m data_access check``): the same numbers, tests/test_evalstore.py.
"""

from __future__ import annotations

import streamlit as st

from components import loaders, tables
from components.frame import data_errors
from monitoring.dates import date_text
from monitoring.quality import summary_table

QUALITY_HEADERS = {"level": "Level", "label": "Issue", "count": "Count", "share": "Share"}


def show_quality_summary(ctx) -> None:
    with data_errors():
        counts = loaders.quality_counts(ctx.data, ctx.scope, ctx.flt, ctx.settings)
    if not counts.projects:
        st.info(
            "No project in view yet: the data-quality summary appears once data is imported.", icon=":material/rule:"
        )
        return
    summary = summary_table(counts.issues, counts.indicators, counts.live_projects)
    st.caption(
        f"Data-quality issues of {ctx.scope.label}, as of {date_text(ctx.as_of)}: "
        "share of indicators, or of active projects that have started."
    )
    shown = summary[["level", "label", "count", "share"]].rename(columns=QUALITY_HEADERS)
    shown["Level"] = shown["Level"].str.capitalize()
    tables.show_table(
        shown,
        key="data_quality",
        file_stem="data_quality",
        column_config={"Share": st.column_config.NumberColumn(format="percent")},
    )
