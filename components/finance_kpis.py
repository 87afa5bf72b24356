"""The Finance page's KPI row and the warnings under it (``kpis.money_gaps``: money left out of USD
totals for want of an exchange rate, and started projects that have reported no expenditure, their
budget out of delivery). Figures from ``monitoring.evaluate.portfolio_kpis`` (the same as the Portfolio page) and
``monitoring.finance.burn_status_counts``."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import kpis
from components.charts_common import count, money, pct
from monitoring.evaluate import PortfolioKpis
from monitoring.finance import burn_status_counts


def _budget_note(ctx, k: PortfolioKpis, silent: str, where: str | None) -> str:
    """Under the Budget card: the countries the money is attributed to (as on the Portfolio), whose
    budgets a donor filter counts, how many in USD, what is left out."""
    donors = f"attributed to {where}; " if where else ""
    if ctx.flt.donors:
        donors += (
            "whole budgets of projects this donor co-funds; "
            if len(ctx.flt.donors) == 1
            else "whole budgets of projects these donors co-fund; "
        )
    return (
        donors
        + f"{count(k.projects_in_usd, 'projects')} in USD; {money(k.budget_not_started_usd, 'USD')} "
        + "not started yet"
        + silent
    )


def show_kpis(ctx, k: PortfolioKpis, projects: pd.DataFrame, where: str | None) -> None:
    """The cards and warnings; ``where`` names the countries the money is attributed to
    (``components.view_groups.money_place``), ``None`` when projects count in full."""
    settings = ctx.settings
    status = burn_status_counts(projects["burn_status"])
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
                "Current approved budgets in USD of the projects that have started and reported expenditure; a "
                "multi-country project counts with its share in the countries in view. With a donor filter, a "
                "project counts with its whole budget, whatever share that donor funds: the donor's own "
                "contribution is not recorded.",
                _budget_note(ctx, k, silent, where),
            ),
            kpis.Kpi(
                "Spent",
                kpis.spent_shown(k, "USD"),
                "Expenditure to date in USD; delivery = spent ÷ budget over "
                "the same projects. Projects that have reported no expenditure at all are left out: "
                "their spending is unknown, not 0.",
                f"delivery {pct(k.delivery_rate)}"
                + (f"; {count(n_silent, 'projects')} not reported, not in delivery" if n_silent else ""),
            ),
            kpis.Kpi(
                "Underspending",
                f"{status['underspending']:,}",
                f"Projects whose burn is more than {abs(settings.underspending_below_pp):g} points below plan.",
                "by project: the Every project and Burn against time tabs",
            ),
            kpis.Kpi(
                "Over plan or budget",
                f"{status['over_plan_or_budget']:,}",
                f"Burn more than {settings.overspending_above_pp:g} points above plan (overspending), or above 100% "
                "of the budget (over budget).",
                "by project: the Every project and Burn against time tabs",
            ),
        ]
    )
    kpis.money_gaps(k, ctx.as_of, "in the To act on tab")
    if k.projects_without_budget:
        st.caption(
            f"{count(k.projects_without_budget, 'projects')} "
            f"{'has' if k.projects_without_budget == 1 else 'have'} no budget recorded and no burn."
        )
