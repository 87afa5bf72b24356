"""The Project page's Financials tab: the spending S-curve against plan with the forecast at close,
then budget and spending by budget line (DOMAIN.md 3). Figures from ``monitoring.finance``."""

from __future__ import annotations

import streamlit as st

from components import charts_project as charts
from components import empty_states, tables
from components.frame import show_chart
from monitoring.finance import spending_curve

LINE_COLUMNS = {
    "Budget": st.column_config.NumberColumn(format="localized"),
    "Spent to date": st.column_config.NumberColumn(format="localized"),
    "Burn": st.column_config.NumberColumn(format="%.0f%%", help="Spent to date ÷ the line's current budget."),
    "Use": st.column_config.TextColumn(help="Over budget: spent more than the line's budget."),
}


def show(ctx, detail, evaluation) -> None:
    p, pframes, row = detail.project, detail.portfolio, evaluation.projects.iloc[0]
    code, currency = p["project_code"], str(p["currency"])
    if pframes.budget_lines.empty:
        st.info(
            "No budget is recorded for this project. Upload the `budget` and `expenditure` sheets on the "
            f"{empty_states.DATA_PAGE_LINK}.",
            icon=":material/payments:",
        )
        return
    curve = spending_curve(
        int(p["project_id"]),
        pframes.projects,
        pframes.budget_lines,
        pframes.expenditures,
        pframes.spending_plans,
        pframes.fx_rates,
        ctx.as_of,
        ctx.settings,
    )
    show_chart(
        charts.s_curve(
            curve,
            currency=currency,
            as_of=ctx.as_of,
            burn=row["burn"],
            elapsed=row["elapsed"],
            forecast_delivery=row["forecast_delivery"],
            reported=bool(row["expenditure_reported"]),
        ),
        how="burn = spent to date ÷ current budget against planned burn (spending plan, else time "
        f"elapsed); forecast at close = spent + average monthly spending of the last {ctx.settings.forecast_months} "
        "months × months remaining to the end date.",
        key="s_curve",
    )
    lines = charts.line_spending(pframes.budget_lines, detail.line_expenditures, ctx.as_of)
    line_currency = lines["currency"].iloc[0] if lines["currency"].nunique() == 1 else "line currency"
    show_chart(
        charts.budget_by_line(lines, currency=line_currency),
        how="current approved amount of each line (latest revision on or before the as-of date) and "
        "its expenditure in months starting on or before it.",
        key="lines_chart",
    )
    table = charts.budget_line_table(lines)
    tables.show_table(
        table, key="budget_lines", file_stem=f"{code}-budget-lines", shares=["Burn"], column_config=LINE_COLUMNS
    )
