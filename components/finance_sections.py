"""The Finance page's tabs below the KPIs, one function each: the projects to act on (the lists
three flags fired for), every project's figures, burn against time, forecast delivery at close,
money by donor and by country (USD). Only the open tab runs (``components.lazy_tabs``), so the
charts' JavaScript loads when a chart tab is opened. Charts from ``components.charts_finance``,
tables from ``components.finance_tables``, totals by group from ``monitoring.money_rollup``.
Captions are written for the people reading the page: no rule codes, no file names."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import charts_finance, finance_tables, loaders
from components.charts_common import count
from components.finance_tables import HOW_STARTED, SHARES, USD
from components.frame import show_chart
from components.tables import SHOWN_ROWS, show_table
from components.view_groups import PlacesInView, place_names
from monitoring.finance import months_in
from monitoring.money_rollup import usd_totals_by_donor, usd_totals_by_place


def show_burn(ctx, projects: pd.DataFrame) -> None:
    settings = ctx.settings
    not_started = count(charts_finance.not_started_count(projects, ctx.as_of), "projects")
    show_chart(
        charts_finance.burn_scatter(projects, settings, ctx.as_of),
        key="finance_burn",
        how=(
            "burn = expenditure to date ÷ current budget; planned burn = the spending plan's cumulative share, else "
            f"the share of time elapsed; underspending more than {abs(settings.underspending_below_pp):g} points "
            f"below plan, overspending more than {settings.overspending_above_pp:g} points above, over budget "
            "above 100%. Projects without a known burn, and projects that have not started (pipeline, or a start "
            f"date after the as-of date), are not drawn: {not_started} not started yet and "
            f"{count(charts_finance.not_reported_count(projects), 'projects')} with no expenditure reported in this "
            "view."
        ),
    )


def show_forecast(ctx, projects: pd.DataFrame) -> None:
    settings = ctx.settings
    show_chart(
        charts_finance.forecast_histogram(projects, settings),
        key="finance_forecast",
        how=(
            f"forecast = spent + average monthly spend of the last {settings.forecast_months} calendar months × "
            "months remaining; forecast delivery = forecast ÷ budget; below "
            f"{settings.forecast_low_below:.0%} funds are likely to be returned to the donor. Projects with no "
            "expenditure reported have no forecast and are not counted."
        ),
    )


# the flags whose projects the To act on tab lists
ENDING_SOON, NOT_REPORTED, AHEAD = "ENDING_SOON_LOW_DELIVERY", "EXPENDITURE_NOT_REPORTED", "SPEND_AHEAD_OF_RESULTS"


def _flagged(flagged: tuple[pd.DataFrame, pd.DataFrame], code: str, title: str, nobody: str, how: str) -> None:
    """The projects the flag ``code`` fired for, as a downloadable table, with the rule in words
    (``flagged``: the flags of the tab's codes and their projects, ``loaders.flagged_projects``)."""
    st.subheader(title)
    rows = finance_tables.flagged_projects(*flagged, code)
    if rows.empty:
        st.caption(nobody)
    else:
        show_table(
            rows,
            key=f"finance_{code.lower()}",
            file_stem=f"finance-{code.lower().replace('_', '-')}",
            shares=SHARES,
            limit=SHOWN_ROWS,
        )
    st.caption(f"How this is computed: {how}; active projects that have started.")


def show_flagged_lists(ctx) -> None:
    """The projects to act on: ending soon with low delivery, silent on spending, spending ahead of results.

    Reads only those flags and their projects (the tab is the page's first view)."""
    settings = ctx.settings
    flagged = loaders.flagged_projects(ctx.data, ctx.scope, ctx.flt, settings, (ENDING_SOON, NOT_REPORTED, AHEAD))
    _flagged(
        flagged,
        ENDING_SOON,
        f"Ending within {settings.ending_soon_days} days (about {months_in(settings.ending_soon_days):.0f} months) "
        "with low delivery",
        "No active project ends soon with low delivery.",
        f"(revised) end date within {settings.ending_soon_days} days and burn or results progress below "
        f"{settings.ending_soon_min_delivery:.0%}",
    )
    _flagged(
        flagged,
        NOT_REPORTED,
        "Expenditure not reported",
        "Every active project has reported expenditure.",
        "no expenditure (not even 0) reported for any month up to the as-of date, once the first full calendar "
        "month after the start has ended; burn and forecast are unknown, so no spending flag is raised for these "
        "projects",
    )
    _flagged(
        flagged,
        AHEAD,
        "Spending ahead of results",
        "No active project spends ahead of its results.",
        f"burn − results progress above {settings.results_vs_spend_gap_pp:g} percentage points, results progress "
        "being the mean progress of the project's indicators that can be judged, each counted between 0 and 100%",
    )


def show_by_donor(ctx, projects: pd.DataFrame) -> None:
    donors = usd_totals_by_donor(projects, ctx.as_of)
    show_chart(
        charts_finance.delivery_by_group(
            finance_tables.to_chart_totals(donors), group_label="Donor", noun="donors", overlapping=True
        ),
        key="finance_donors",
        how=(
            "each donor's row is the whole USD budget and spending of every project it funds (co-funded "
            f"projects appear under each donor, so rows are never added up); {HOW_STARTED}."
        ),
    )
    show_table(
        finance_tables.totals_display(donors, group_label="Donor", cofunded=True),
        key="finance_donor_totals",
        file_stem="finance-by-donor",
        shares=SHARES,
        amounts=USD,
    )


def show_by_country(ctx, project_countries: pd.DataFrame, projects: pd.DataFrame, in_view: PlacesInView) -> None:
    names = place_names(projects, project_countries)
    every_country = usd_totals_by_place(projects, project_countries, "managing_country", ctx.as_of)
    countries = in_view.keep(every_country, "group", "managing_country")
    if len(countries) < len(every_country):
        st.caption(
            f"Only the countries in this view are listed: the shares of {len(every_country) - len(countries):,} "
            "other countries where these projects also work are left out of the rows."
        )
    show_chart(
        charts_finance.delivery_by_group(
            finance_tables.to_chart_totals(countries, names), group_label="Country", noun="countries"
        ),
        key="finance_countries",
        how="a multi-country project's USD money is shared among its countries by their percentages (all to "
        "the managing country when none is given), so no project is counted twice; Projects counts each "
        f"project once, in its managing country; {HOW_STARTED}.",
    )
    show_table(
        finance_tables.totals_display(countries, group_label="Country", names=names),
        key="finance_country_totals",
        file_stem="finance-by-country",
        shares=SHARES,
        amounts=USD,
    )


def show_every_project(projects: pd.DataFrame) -> None:
    st.caption(
        "Amounts in each project's own currency, and in USD where a rate is known; most underspent first. "
        "“? Not reported”: no expenditure recorded up to the as-of date, so spent, burn and forecast are blank "
        "(unknown), never 0."
    )
    show_table(
        finance_tables.project_finance_display(projects),
        key="finance_projects",
        file_stem="finance-projects",
        shares=SHARES,
        amounts=(*USD, "Budget", "Spent"),
        limit=SHOWN_ROWS,
        column_config={"Variance (pp)": st.column_config.NumberColumn(format="%+.0f")},
    )
