"""Strategy: how much of the portfolio serves each MiGOF element, SDG target and GCM objective, and
how are its results doing?

Scheme selector → projects and USD budget per tag → indicators by status per tag → the roll-up table.
Everything is ``monitoring.strategy.tag_rollup`` over ``evaluate_portfolio`` (statuses are rolled
up, never raw values: DOMAIN.md 7), with the statuses summed from the projects' stored counts
(``components.strategy_rollup``): the page reads the chosen scheme's tags and a few columns of the
projects carrying one, not every indicator's status.
"""

from __future__ import annotations

import streamlit as st

from components import charts_strategy, empty_states, strategy_table
from components.frame import data_errors, page_context, show_chart, url_bound, write_url
from components.strategy_rollup import scheme_rollup
from components.tables import show_table

ctx = page_context()
ctx.heading("Strategic alignment")

with data_errors():
    in_view = ctx.projects_in_view()  # counted in SQL: the roll-up reads the tagged projects only
if not in_view:
    empty_states.no_projects(ctx)
    st.stop()

schemes = list(charts_strategy.SCHEME_TITLES)
url_bound("st_scheme", "scheme", lambda raw: raw[-1] if raw[-1] in schemes else None)
st.session_state.setdefault("st_scheme", "MIGOF")
scheme = (
    st.segmented_control("Framework", schemes, format_func=charts_strategy.SCHEME_TITLES.get, key="st_scheme")
    or "MIGOF"
)
write_url("scheme", None if scheme == "MIGOF" else scheme)

with data_errors():
    rollup, tagged = scheme_rollup(ctx.data, ctx.scope, ctx.flt, ctx.settings, scheme)
names = strategy_table.tag_names(scheme)
st.caption(
    f"{tagged:,} of {in_view:,} projects in view carry a {charts_strategy.SCHEME_TITLES[scheme]} "
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
