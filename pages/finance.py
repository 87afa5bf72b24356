"""Finance: is money being spent at the pace of time and results, and where will it end?

KPIs (and how many started projects have reported no expenditure: their budget is out of delivery)
→ tabs: the projects to act on (ending within six months with low delivery, expenditure not
reported, spending ahead of results) → every project's figures → burn against planned burn
(scatter with the settings' bands) → forecast delivery at close → by donor → by country (USD
only). The tabs are lazy (``components.lazy_tabs``): the first view is the cards and the lists to
act on, and a chart's JavaScript loads only when its tab is opened; ``?tab=By donor`` opens a tab
from a link. Numbers come from ``evaluate_portfolio`` (per project), ``portfolio_kpis`` (the KPI
row, same as the Portfolio page) and ``monitoring.money_rollup`` (totals by group); the sections
are ``components.finance_kpis`` and ``components.finance_sections``. The first view reads only what
it shows (the cards' project columns, the three flags' projects); the other tabs read every
project's figures (no flag) when opened.
"""

from __future__ import annotations

import pandas as pd

from components import finance_sections as sections
from components import loaders, review_view
from components.finance_kpis import show_kpis
from components.frame import data_errors, page_context
from components.lazy_tabs import open_tab
from components.view_groups import country_regions, money_place, places_in_view
from monitoring.evaluate import portfolio_kpis

ctx = page_context()
ctx.heading("Finance")

# the first view reads the cards' 13 project columns and the flagged projects it lists; the tabs that
# show every project's figures read them when opened
with data_errors():
    overview = loaders.finance_overview(ctx.data, ctx.scope, ctx.flt, ctx.settings)
    ctx.stop_if_empty(overview)
    # the money shares by country: only for a view with a country boundary (leadership counts every
    # project in full; at 100,000 projects reading them took 1-2 s)
    bounded = ctx.scope.place_bound or ctx.flt.regions or ctx.flt.countries
    project_countries = ctx.project_countries() if bounded else None
projects = overview.projects
in_view = places_in_view(ctx.scope, ctx.flt, country_regions(projects, project_countries) if bounded else {})
# the cards count the money attributed to the countries in view, so they equal the sum of the by-country
# rows; they show no indicator or flag figure, so none is read (those fields of ``k`` are 0 here)
k = portfolio_kpis(
    overview,
    countries=in_view.countries,
    project_countries=project_countries,
    indicator_statuses=pd.Series(dtype="int64"),
)

where = None
if in_view.countries is not None:
    names = dict(zip(project_countries["country"], project_countries["country_name"], strict=True))
    where = money_place(tuple(sorted(in_view.countries)), names)
show_kpis(ctx, k, projects, where)


def every_project():
    """Every figure of every project in view, no flag: what the tabs after the first show."""
    return ctx.load_projects(loaders.EVERY_PROJECT_COLUMN)


tabs = {
    "To act on": lambda: sections.show_flagged_lists(ctx),
    "Every project": lambda: sections.show_every_project(every_project()),
    "Burn against time": lambda: sections.show_burn(ctx, every_project()),
    "Forecast at close": lambda: sections.show_forecast(ctx, every_project()),
    "By donor": lambda: sections.show_by_donor(ctx, every_project()),
    "By country": lambda: sections.show_by_country(ctx, ctx.project_countries(), every_project(), in_view),
}
name, tab = open_tab(list(tabs))
with tab, data_errors():
    tabs[name]()

review_view.changes_since_snapshot(ctx, "finance")
