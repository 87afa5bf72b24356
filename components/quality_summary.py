"""The Data page's "Data quality" tab: the DOMAIN.md section 8 summary (``monitoring.quality``) of the
portfolio in view, as shares of indicators, or of active projects that have started."""

from __future__ import annotations

import streamlit as st

from components import tables
from components.frame import data_errors
from monitoring.quality import quality_summary

QUALITY_HEADERS = {"level": "Level", "label": "Issue", "count": "Count", "share": "Share"}


def show_quality_summary(ctx) -> None:
    with data_errors():
        frames = ctx.frames()
    if frames.projects.empty:
        st.info(
            "No project in view yet: the data-quality summary appears once data is imported.", icon=":material/rule:"
        )
    else:
        with data_errors():
            evaluation = ctx.evaluation()
        summary = quality_summary(frames, ctx.as_of, ctx.settings, evaluation.indicators)
        st.caption(
            f"Data-quality issues (DOMAIN.md section 8) of {ctx.scope.label}, as of {ctx.as_of:%d %B %Y}: "
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
