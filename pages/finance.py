"""Finance: is money being spent at the pace of time and results, and where will it end?

KPIs (and how many started projects have reported no expenditure: their budget is out of delivery)
→ burn against planned burn (scatter with the settings' bands) → forecast delivery at close →
projects ending within six months with low delivery → spending ahead of results → by donor and by
country (USD only) → every project's figures. Numbers come from ``evaluate_portfolio`` (per
project), ``portfolio_kpis`` (the KPI row, same as the Portfolio page) and
``monitoring.money_rollup`` (totals by group).
"""

from __future__ import annotations

import streamlit as st

from components import charts_finance, finance_tables, kpis
from components.charts_common import count, money, pct
from components.frame import page_context, show_chart
from components.labels import flag_label
from components.table_formats import show_formatted
from components.view_groups import country_regions, places_in_view
from monitoring.evaluate import portfolio_kpis
from monitoring.finance import DAYS_PER_MONTH
from monitoring.money_rollup import usd_totals_by_donor, usd_totals_by_place

ctx = page_context()
ctx.heading("Finance")

frames, evaluation = ctx.load_evaluation()
projects, settings = evaluation.projects, ctx.settings
in_view = places_in_view(ctx.scope, ctx.flt, country_regions(projects, frames.project_countries))
# the cards count the money attributed to the countries in view, so they equal the sum of the by-country rows
k = portfolio_kpis(evaluation, countries=in_view.countries, project_countries=frames.project_countries)

# ---- KPIs -------------------------------------------------------------------------------------------
status = projects["burn_status"].value_counts()
n_silent = k.n_not_reported + k.n_not_reported_managed_elsewhere
silent = (
    f"; {money(k.budget_not_reported_usd, 'USD')} of {count(n_silent, 'projects')} without expenditure reported"
    if n_silent
    else ""
)
kpis.kpi_row(
    [
        kpis.Kpi(
            "Budget",
            kpis.budget_shown(k, "USD"),
            "Current approved budgets in USD of the projects that have "
            "started and reported expenditure (DOMAIN.md 3); a multi-country project counts with its share in the "
            "countries in view "
            "(DOMAIN.md 1). With a donor filter, a project counts with its whole budget, whatever share that donor "
            "funds: the donor's own contribution is not recorded.",
            (
                (
                    "whole budgets of projects this donor co-funds; "
                    if len(ctx.flt.donors) == 1
                    else "whole budgets of projects these donors co-fund; "
                )
                if ctx.flt.donors
                else ""
            )
            + f"{count(k.projects_in_usd, 'projects')} in USD; {money(k.budget_not_started_usd, 'USD')} "
            "not started yet" + silent,
        ),
        kpis.Kpi(
            "Spent",
            kpis.spent_shown(k, "USD"),
            "Expenditure to date in USD; delivery = spent ÷ budget over "
            "the same projects (DOMAIN.md 3). Projects that have reported no expenditure at all are left out: "
            "their spending is unknown, not 0.",
            f"delivery {pct(k.delivery_rate)}"
            + (f"; {count(n_silent, 'projects')} not reported, not in delivery" if n_silent else ""),
        ),
        kpis.Kpi(
            "Underspending",
            f"{int(status.get('underspending', 0)):,}",
            f"Projects whose burn is more than {abs(settings.underspending_below_pp):g} points below plan.",
        ),
        kpis.Kpi(
            "Over plan or budget",
            f"{int(status.get('overspending', 0)) + int(status.get('over_budget', 0)):,}",
            f"Burn more than {settings.overspending_above_pp:g} points above plan (overspending), or above 100% "
            "of the budget (over budget).",
        ),
    ]
)
if k.projects_excluded_from_usd:
    st.warning(
        f"**{k.projects_excluded_from_usd:,} project(s) are left out of every USD total**: no exchange "
        f"rate for {', '.join(k.missing_currencies)} on or before {ctx.as_of:%d %B %Y}. Add the rates "
        "(`fx_rates` table) on the [Data page](/data-import); amounts are never added across currencies.",
        icon=":material/currency_exchange:",
    )
if n_silent:
    st.warning(
        f"**{count(n_silent, 'projects')} {'has' if n_silent == 1 else 'have'} not reported any expenditure** "
        f"since {'its' if n_silent == 1 else 'their'} start: burn and forecast are unknown (“Not reported”, "
        f"never 0%), and {money(k.budget_not_reported_usd, 'USD')} of budget is left out of spent and "
        f"delivery. Active projects are flagged “{flag_label('EXPENDITURE_NOT_REPORTED')}” once their first "
        "full calendar month has ended and listed under “Expenditure not reported” below.",
        icon=":material/money_off:",
    )
if k.projects_without_budget:
    st.caption(f"{k.projects_without_budget:,} project(s) have no budget recorded and no burn.")

# ---- burn and forecast --------------------------------------------------------------------------------
st.subheader("Burn against time")
show_chart(
    charts_finance.burn_scatter(projects, settings, ctx.as_of),
    key="finance_burn",
    how=(
        "burn = expenditure to date ÷ current budget; planned burn = the spending plan's cumulative share, else the "
        f"share of time elapsed; underspending below {settings.underspending_below_pp:g} pp, overspending above "
        f"+{settings.overspending_above_pp:g} pp, over budget above 100% (DOMAIN.md 3). Projects without a known burn, "
        "and projects that have not started (pipeline, or a start date after the as-of date), are not drawn: "
        f"{count(charts_finance.not_started_count(projects, ctx.as_of), 'projects')} not started yet and "
        f"{count(charts_finance.not_reported_count(projects), 'projects')} with no expenditure reported in this view."
    ),
)

st.subheader("Forecast delivery at close")
show_chart(
    charts_finance.forecast_histogram(projects, settings),
    key="finance_forecast",
    how=(
        f"forecast = spent + average monthly spend of the last {settings.forecast_months} calendar months × months "
        "remaining; forecast delivery = forecast ÷ budget; below "
        f"{settings.forecast_low_below:.0%} funds are likely returned to the donor (DOMAIN.md 3); projects with no "
        "expenditure reported have no forecast and are not counted."
    ),
)

# ---- lists from the flags -------------------------------------------------------------------------------
SHARES = ("Burn", "Results progress", "Forecast delivery", "Delivery", "Planned burn")
USD = ("Budget (USD)", "Spent (USD)", "Not yet started budget (USD)", "No expenditure reported: budget (USD)")
how_started = (
    "budget, spent and delivery (spent ÷ budget, DOMAIN.md 3) count only the projects that have started "
    "(status active or closed, start date on or before the as-of date) and reported expenditure; the budget "
    "of projects not started yet, and of started projects with no expenditure row at all (spending "
    "unknown, not 0), are in their own columns and never in delivery"
)


def flagged_section(code: str, title: str, nobody: str, how: str, rule_in: str = "DOMAIN.md 5") -> None:
    """The projects one flag fired for, as a downloadable table, with the flag's rule and where it is
    written (``rule_in``: DOMAIN.md for its flags, docs/ for the ones the team added)."""
    st.subheader(title)
    rows = finance_tables.flagged_projects(evaluation.flags, projects, code)
    if rows.empty:
        st.caption(nobody)
    else:
        show_formatted(
            rows, key=f"finance_{code.lower()}", file_stem=f"finance-{code.lower().replace('_', '-')}", shares=SHARES
        )
    st.caption(f"How this is computed: the {code} flag ({rule_in}): {how}; active projects that have started.")


flagged_section(
    "ENDING_SOON_LOW_DELIVERY",
    f"Ending within {settings.ending_soon_days} days (about {settings.ending_soon_days / DAYS_PER_MONTH:.0f} months) "
    "with low delivery",
    "No active project ends soon with low delivery.",
    f"(revised) end date within {settings.ending_soon_days} days and burn or results progress below "
    f"{settings.ending_soon_min_delivery:.0%}",
)
flagged_section(
    "EXPENDITURE_NOT_REPORTED",
    "Expenditure not reported",
    "Every active project has reported expenditure.",
    "no expenditure row (not even of 0) for any month up to the as-of date, once the first full calendar month "
    "after the start has ended; burn and forecast are unknown, so no spending flag is raised for these projects",
    rule_in="added by the team, docs/money.md: Spending not reported",
)
flagged_section(
    "SPEND_AHEAD_OF_RESULTS",
    "Spending ahead of results",
    "No active project spends ahead of its results.",
    f"burn − results progress above {settings.results_vs_spend_gap_pp:g} percentage points (DOMAIN.md 3), results "
    "progress being the mean progress of the assessable indicators, each clipped to 0–100%",
)

# ---- by donor and by country ---------------------------------------------------------------------------
st.subheader("By donor and by country (USD)")
by_donor, by_country = st.tabs(["By donor", "By country"])
with by_donor:
    donors = usd_totals_by_donor(projects, ctx.as_of)
    show_chart(
        charts_finance.delivery_by_group(
            finance_tables.to_chart_totals(donors), group_label="Donor", noun="donors", overlapping=True
        ),
        key="finance_donors",
        how=(
            "each donor's row is the whole USD budget and spending of every project it funds (co-funded projects "
            f"appear under each donor, so rows are never added up); {how_started}."
        ),
    )
    show_formatted(
        finance_tables.totals_display(donors, group_label="Donor", cofunded=True),
        key="finance_donor_totals",
        file_stem="finance-by-donor",
        shares=SHARES,
        amounts=USD,
    )
with by_country:
    names = dict(zip(frames.project_countries["country"], frames.project_countries["country_name"], strict=True))
    names.update(zip(projects["managing_country"], projects["managing_country_name"], strict=True))
    every_country = usd_totals_by_place(projects, frames.project_countries, "managing_country", ctx.as_of)
    countries = in_view.keep(every_country, "group", "managing_country")
    if len(countries) < len(every_country):
        st.caption(
            f"Only the countries in this view are listed: the shares of {len(every_country) - len(countries):,} "
            "other countries where these projects also work are left out of the rows (DOMAIN.md 1)."
        )
    show_chart(
        charts_finance.delivery_by_group(
            finance_tables.to_chart_totals(countries, names), group_label="Country", noun="countries"
        ),
        key="finance_countries",
        how="a multi-country project's USD money is shared among its countries by their percentages (all to "
        "the managing country when none is given), so no project is counted twice; Projects counts each "
        f"project once, in its managing country (DOMAIN.md 1); {how_started}.",
    )
    show_formatted(
        finance_tables.totals_display(countries, group_label="Country", names=names),
        key="finance_country_totals",
        file_stem="finance-by-country",
        shares=SHARES,
        amounts=USD,
    )

# ---- every project -----------------------------------------------------------------------------------------
st.subheader("Every project")
st.caption(
    "Amounts in each project's own currency, and in USD where a rate is known; most underspent first. "
    "“? Not reported”: no expenditure recorded up to the as-of date, so spent, burn and forecast are blank "
    "(unknown), never 0."
)
show_formatted(
    finance_tables.project_finance_display(projects),
    key="finance_projects",
    file_stem="finance-projects",
    shares=SHARES,
    amounts=(*USD, "Budget", "Spent"),
    long=True,
    column_config={"Variance (pp)": st.column_config.NumberColumn(format="%+.0f")},
)
