"""The Portfolio page's drill-down tab ("By region" or "By country", ``monitoring.rollup.drill_level``):
one row per group; selecting a row narrows the whole dashboard to it (the sidebar filter changes
with it).

One format per column, as on the cards: delivery in whole percent (a "percent" format shows 52.06%
next to 74.1%), budgets in whole US dollars with separators ("compact" rounds 12M and 4.8M to
different precisions, so rows cannot be compared or added up).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import status_matrix, tables

# the sidebar filter a row selection sets, and the tab's title, per level
LEVELS = {"region": ("f_regions", "By region"), "managing_country": ("f_countries", "By country")}

SUMMARY_COLUMNS = {
    "Delivery": st.column_config.ProgressColumn(
        format="%.0f%%", min_value=0.0, max_value=100.0, help="Spent ÷ budget of started projects, USD."
    ),
    "Budget (USD)": st.column_config.NumberColumn(
        format="localized",
        help="Budget of started projects attributed here (a multi-country project by its country shares).",
    ),
    "Projects": st.column_config.NumberColumn(help="Projects managed here (counted once)."),
}


def tab_title(level: str) -> str:
    return LEVELS[level][1]


def show(ctx, level: str, projects: pd.DataFrame, project_countries: pd.DataFrame, countries) -> None:
    filter_key, title = LEVELS[level]
    summary = status_matrix.group_summary(projects, project_countries, level, ctx.as_of, countries)

    def _drill_down(table=summary, key=filter_key) -> None:
        rows = st.session_state[f"drill_{key}_table"].selection.rows
        if rows and table.iloc[rows[0]]["code"]:
            st.session_state[key] = [table.iloc[rows[0]]["code"]]

    st.caption("Select a row to narrow the whole dashboard to it (the sidebar filter changes with it).")
    shown = summary.drop(columns="code").assign(**{"Budget (USD)": summary["Budget (USD)"].round(0)})
    tables.show_table(
        shown,
        key=f"drill_{filter_key}",
        file_stem=f"portfolio-{title.lower().replace(' ', '-')}",
        shares=["Delivery"],
        column_config=SUMMARY_COLUMNS,
        download=summary,
        selectable=_drill_down,
    )
    st.caption(
        "How this is computed: projects counted once under their managing country, by results status; "
        "budget and delivery = spent ÷ budget in USD of started projects, a multi-country project's money "
        "shared by its country percentages, so the rows add up to the Budget card; high flags = "
        "high-severity early-warning flags on the projects managed here."
        + (
            f" “{status_matrix.OUTSIDE_VIEW}” counts projects implemented here but managed from "
            "another country; their money here is in the rows above."
            if countries
            else ""
        )
    )
