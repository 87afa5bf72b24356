"""Finance: is money being spent at the pace of time and results, and where will it end?

KPIs (and how many started projects have reported no expenditure: their budget is out of delivery)
→ burn against planned burn (scatter with the settings' bands) → forecast delivery at close →
projects ending within six months with low delivery → spending ahead of results → by donor and by
country (USD only) → every project's figures. Numbers come from ``evaluate_portfolio`` (per
project), ``portfolio_kpis`` (the KPI row, same as the Portfolio page) and
``monitoring.money_rollup`` (totals by group); the sections are ``components.finance_kpis`` and
``components.finance_sections``.
"""

from __future__ import annotations

from components import review_view
from components.finance_kpis import show_kpis
from components.finance_sections import show_burn_and_forecast, show_by_group, show_every_project, show_flagged_lists
from components.frame import data_errors, page_context
from components.view_groups import country_regions, places_in_view
from monitoring.evaluate import portfolio_kpis

ctx = page_context()
ctx.heading("Finance")

evaluation = ctx.load_summary()  # per-project figures and flags (with the indicators' statuses): all it reads
with data_errors():
    project_countries = ctx.project_countries()
    statuses = ctx.indicator_status_counts()
projects = evaluation.projects
in_view = places_in_view(ctx.scope, ctx.flt, country_regions(projects, project_countries))
# the cards count the money attributed to the countries in view, so they equal the sum of the by-country rows
k = portfolio_kpis(
    evaluation, countries=in_view.countries, project_countries=project_countries, indicator_statuses=statuses
)

show_kpis(ctx, k, projects)
show_burn_and_forecast(ctx, projects)
show_flagged_lists(ctx, evaluation)
show_by_group(ctx, project_countries, projects, in_view)
show_every_project(projects)

review_view.changes_since_snapshot(ctx, "finance")
