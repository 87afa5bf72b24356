"""The Finance page's tables, labelled for people (pure: selection, labels, order; no formulas).

Every figure is a column of ``evaluate_portfolio(...).projects`` (``monitoring.finance``) or of
``monitoring.money_rollup``; the lists of projects ending soon with low delivery and of spending
ahead of results are the projects the matching flag fired for (``monitoring.flags``), so the page,
the flag list and ``report flags`` always agree. Shares stay 0-1 (formatted as percentages by the
column config) and amounts unrounded, so a download holds the numbers as computed.
"""

from __future__ import annotations

import pandas as pd

from components.badges import labels
from monitoring.finance import status_pair_reason
from monitoring.settings import load_settings

BASIS = {"plan": "Spending plan", "elapsed": "Time elapsed"}


def project_finance_display(projects: pd.DataFrame, forecast_months: int | None = None) -> pd.DataFrame:
    """Every project's money figures, worst burn variance first (most underspent at the top); "Why"
    says in words how a burn status and a forecast status that seem to disagree both hold
    (``monitoring.finance.status_pair_reason``; ``forecast_months`` of the settings in force by default)."""
    forecast_months = forecast_months or load_settings().forecast_months
    rows = projects.sort_values(["burn_variance_pp", "project_code"], na_position="last", kind="stable")
    return pd.DataFrame(
        {
            "Project": rows["project_code"],
            "Title": rows["title"],
            "Country": rows["managing_country_name"],
            "Currency": rows["currency"],
            "Budget": rows["budget"],
            "Spent": rows["spent"],
            "Burn": rows["burn"],
            "Planned burn": rows["planned_burn"],
            "Planned from": rows["planned_basis"].map(BASIS),
            "Variance (pp)": rows["burn_variance_pp"],
            "Finance": labels(rows["burn_status"]),
            "Forecast delivery": rows["forecast_delivery"],
            "Forecast": labels(rows["forecast_status"]),
            "Why": status_pair_reason(
                rows["burn_status"], rows["forecast_status"], rows["forecast_delivery"], forecast_months
            ),
            "Budget (USD)": rows["budget_usd"],
            "Spent (USD)": rows["spent_usd"],
            "Note": rows["finance_note"],
        }
    ).reset_index(drop=True)


def flagged_projects(flags: pd.DataFrame, projects: pd.DataFrame, code: str) -> pd.DataFrame:
    """The projects a flag ``code`` fired for, with their money and results figures, by end date."""
    fired = flags.loc[flags["code"] == code, ["project_id", "message"]]
    rows = fired.merge(projects, on="project_id", how="left")
    end = pd.to_datetime(rows["revised_end_date"]).fillna(pd.to_datetime(rows["end_date"]))
    rows = rows.assign(_end=end).sort_values(["_end", "project_code"], kind="stable")
    return pd.DataFrame(
        {
            "Project": rows["project_code"],
            "Title": rows["title"],
            "Country": rows["managing_country_name"],
            "Ends": rows["_end"].dt.date,
            "Burn": rows["burn"],
            "Results progress": rows["results_progress"],
            "Results": labels(rows["results_status"]),
            "Forecast delivery": rows["forecast_delivery"],
            "What fired": rows["message"],
        }
    ).reset_index(drop=True)


def totals_display(
    totals: pd.DataFrame, *, group_label: str, names: dict[str, str] | None = None, cofunded: bool = False
) -> pd.DataFrame:
    """USD totals per group (``monitoring.money_rollup``) with people's names for the codes.

    Budget, spent and delivery are over the projects that have started and reported expenditure;
    the budget of those not started yet (pipeline or a later start date) and of those that have
    started without reporting any expenditure (spending unknown) are their own columns, never in
    delivery. Country rows
    say how many projects managed from elsewhere have a share of their money there.
    """
    names = names or {}
    table = pd.DataFrame(
        {
            group_label: totals["group"].map(lambda g: names.get(g, g)),
            "Projects": totals["n_projects"],
            "Budget (USD)": totals["budget_usd"],
            "Spent (USD)": totals["spent_usd"],
            "Delivery": totals["delivery"],
            "Not yet started: projects": totals["n_not_started"],
            "Not yet started budget (USD)": totals["budget_not_started_usd"],
            "No expenditure reported: projects": totals["n_not_reported"],
            "No expenditure reported: budget (USD)": totals["budget_not_reported_usd"],
            "Left out: no exchange rate": totals["n_excluded"],
            "Currencies without a rate": totals["missing_currencies"],
            "Without a budget": totals["n_no_budget"],
        }
    )
    if cofunded:
        table.insert(2, "Co-funded with other donors", totals["n_cofunded"])
    if "n_shared" in totals.columns:
        table.insert(2, "Managed elsewhere, with a share here", totals["n_shared"])
    return table.reset_index(drop=True)


def to_chart_totals(totals: pd.DataFrame, names: dict[str, str] | None = None) -> pd.DataFrame:
    """The columns ``charts_finance.delivery_by_group`` draws, with people's names."""
    names = names or {}
    return pd.DataFrame(
        {
            "group": totals["group"].map(lambda g: names.get(g, g)),
            "budget_usd": totals["budget_usd"],
            "spent_usd": totals["spent_usd"],
            "budget_not_reported_usd": totals["budget_not_reported_usd"],
        }
    )


# the columns of these tables that hold 0-1 shares and USD amounts (formatted for the screen only)
SHARES = ("Burn", "Results progress", "Forecast delivery", "Delivery", "Planned burn")
USD = ("Budget (USD)", "Spent (USD)", "Not yet started budget (USD)", "No expenditure reported: budget (USD)")
HOW_STARTED = (
    "budget, spent and delivery (spent ÷ budget) count only the projects that have started "
    "(status active or closed, start date on or before the as-of date) and reported expenditure; the budget "
    "of projects not started yet, and of started projects with no expenditure row at all (spending "
    "unknown, not 0), are in their own columns and never in delivery"
)
