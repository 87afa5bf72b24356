"""Portfolio (chiefs of mission, leadership): how is my portfolio doing, where, and what is flagged?

KPI row → tabs (projects by results / finance / risk, the drill-down by region or country, the map)
→ top flags. Every number comes from ``monitoring.evaluate`` through the cached loaders of the
frame; selecting a project opens it on the Project page.

Whose money: the cards and the drill-down rows count the money attributed to the countries in view
(``PageContext.countries_in_view``: a chief of mission's country, a region's countries, the sidebar's
country filter; all projects in full for leadership and programme managers), so the Budget card is
the sum of the by-country rows. Projects managed from another country but implemented here are listed
with "managed by Nigeria; 12% here".

Speed: the tabs run lazily (``st.tabs(..., bind="query-params")``): only the open tab's content runs
and reaches the browser, so the map's plotly code (megabytes of JavaScript) loads only when someone
opens the Map tab, and the page shows its cards and projects table in about the time of a bare page.
The open tab is in the URL (``tab=Map``), so a link opens the same view.
"""

from __future__ import annotations

import streamlit as st

from components import kpis, portfolio_drill, portfolio_flags, portfolio_map, portfolio_projects, review_view
from components.frame import data_errors, page_context
from components.view_groups import money_place, place_names
from monitoring.evaluate import portfolio_kpis
from monitoring.rollup import drill_level

TAB_PROJECTS, TAB_MAP = "Projects", "Map"

ctx = page_context()
ctx.heading("Portfolio")
review_view.pack_buttons(ctx)

with data_errors():
    evaluation = ctx.portfolio_overview()
    ctx.stop_if_empty(evaluation)
    statuses = ctx.indicator_status_counts()
projects = evaluation.projects
countries = ctx.countries_in_view(projects)
# the money shares by country: only for a view with a country boundary (the organisation and a
# manager's projects count every project in full; at 100,000 projects reading them took 1-2 s)
project_countries = None if countries is None else ctx.project_countries()


# ---- KPI row, and the money its cards leave out -------------------------------------------------
figures = portfolio_kpis(
    evaluation,
    countries=countries,
    project_countries=project_countries,
    indicator_statuses=statuses,
    flag_count=portfolio_flags.flag_count(ctx),
)
where = money_place(countries, place_names(projects, project_countries) if countries is not None else {})
kpis.kpi_row(kpis.portfolio_cards(figures, where))
kpis.money_gaps(figures, ctx.as_of, "on the Finance page")

# ---- tabs: projects, the drill-down (region → country → project), the map -----------------------
level = drill_level(
    projects, countries, regions_filtered=bool(ctx.flt.regions), countries_filtered=bool(ctx.flt.countries)
)
drill_title = portfolio_drill.tab_title(level) if level else None
tab_names = [TAB_PROJECTS] + ([drill_title] if level else []) + [TAB_MAP]
tabs = dict(zip(tab_names, st.tabs(tab_names, key="tab", bind="query-params"), strict=True))
opened = next((name for name, tab in tabs.items() if tab.open), TAB_PROJECTS)  # none known yet: the first

with tabs[opened]:
    if opened == TAB_PROJECTS:
        portfolio_projects.show(ctx, countries)
    # the drill-down and the map show every figure of every project: they read the whole summary when
    # opened; the map's JavaScript loads only then too
    elif opened == drill_title:
        portfolio_drill.show(ctx, level, ctx.portfolio_summary().projects, ctx.project_countries(), countries)
    else:
        portfolio_map.show(ctx, ctx.portfolio_summary(), ctx.project_countries(), countries)

portfolio_flags.show(ctx)

review_view.changes_since_snapshot(ctx, "portfolio")
