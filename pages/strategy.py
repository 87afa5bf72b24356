"""Strategy: how much of the portfolio serves each MiGOF element, SDG target and GCM objective, and
how are its results doing?

Scheme selector → projects and USD budget per tag → indicators by status per tag → the roll-up table.
Everything is ``monitoring.strategy.tag_rollup`` over ``evaluate_portfolio`` (statuses are rolled
up, never raw values: DOMAIN.md 7), with the statuses summed from the projects' stored counts
(``components.strategy_rollup``): the page reads a few columns per project and the tags, not every
indicator's status.
"""

from __future__ import annotations

import streamlit as st

from components import charts_strategy, loaders, strategy_table
from components.frame import data_errors, page_context, show_chart, url_bound, write_url
from components.strategy_rollup import PROJECT_COLUMNS, TAG_FRAMES, tag_rollup_of_counts
from components.tables import show_table

ctx = page_context()
ctx.heading("Strategic alignment")

projects = ctx.load_projects(PROJECT_COLUMNS)  # budgets and indicators per status; with the tags, all it reads
with data_errors():
    tags = loaders.frame_columns(ctx.data, ctx.scope, ctx.flt, TAG_FRAMES)["tags"]

schemes = list(charts_strategy.SCHEME_TITLES)
url_bound("st_scheme", "scheme", lambda raw: raw[-1] if raw[-1] in schemes else None)
st.session_state.setdefault("st_scheme", "MIGOF")
scheme = (
    st.segmented_control("Framework", schemes, format_func=charts_strategy.SCHEME_TITLES.get, key="st_scheme")
    or "MIGOF"
)
write_url("scheme", None if scheme == "MIGOF" else scheme)

rollup = tag_rollup_of_counts(tags, projects, scheme)
names = strategy_table.tag_names(scheme)
tagged = tags.loc[tags["scheme"] == scheme, "project_id"].nunique()
st.caption(
    f"{tagged:,} of {len(projects):,} projects in view carry a {charts_strategy.SCHEME_TITLES[scheme]} "
    "tag. A project with several tags counts under each, so rows overlap and are never added up."
)

how_portfolio = (
    "projects carrying the tag and their current budgets in USD (a project without an exchange rate to USD "
    "is counted, its budget is not); tags as recorded on each project."
)
show_chart(charts_strategy.tag_portfolio_chart(rollup, scheme, names), key="strategy_portfolio", how=how_portfolio)
show_chart(
    charts_strategy.tag_status_chart(rollup, scheme, names),
    key="strategy_status",
    how=(
        "every indicator of a tagged project counted under the tag by its status as of the date; the "
        "indicators' values are never added up, as their units differ."
    ),
)
if not rollup.empty:
    show_table(
        strategy_table.rollup_display(rollup, scheme, names),
        key="strategy_table",
        file_stem=f"strategy-{scheme.lower()}",
        shares=("Off track (share)",),
        amounts=("Budget (USD)",),
    )
