"""The Project page's Results tab, the results matrix (with the project's reports due and their
pre-filled workbook, ``components.due_workbook``), and its Indicator chart tab: one indicator's
chart against its milestones and expected path, its sex breakdown, and its breakdowns by age and
other dimensions. Two tabs, so that the first view (the matrix) sends no chart: a chart's
JavaScript costs a fresh browser about a second (``components.lazy_tabs``).

The indicator picker lists the worst first, as the matrix does, so the chart opens on a finding: a
"Not assessable" or "Too early to judge" indicator (nothing to compare) is listed last, never opened by
default.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import charts_project as charts
from components import due_workbook, empty_states, results_matrix, tables
from components.badges import RESULTS_ORDER, badge
from components.frame import show_chart
from components.plain_text import literal
from monitoring.comments import comment_by_indicator
from monitoring.dates import current_end


def worst_first(indicators: pd.DataFrame) -> pd.DataFrame:
    """The evaluated indicators by status (``RESULTS_ORDER``, unknown statuses last), then code."""
    rank = {s: i for i, s in enumerate(RESULTS_ORDER)}
    return indicators.assign(_rank=indicators["status"].map(rank).fillna(len(rank))).sort_values(
        ["_rank", "indicator_code"], kind="stable"
    )


def show(ctx, detail, evaluation) -> None:
    p, pframes = detail.project, detail.portfolio
    code = p["project_code"]
    if pframes.indicators.empty:
        empty_states.no_indicators()
        return
    rows = results_matrix.matrix_rows(
        detail.results_tree, pframes.indicators, evaluation.indicators, _comments(ctx, detail)
    )
    results_matrix.show_matrix(
        rows, key="results_matrix", file_stem=f"{code}-results-matrix", grace_days=ctx.settings.reporting_grace_days
    )
    due_workbook.show_for_project(ctx, detail)
    st.caption(
        "How this is computed: progress = (actual to date − starting point) ÷ (end target − starting "
        f"point); status from progress ÷ expected progress (on track ≥ {ctx.settings.on_track_min:.2f}, off track "
        f"< {ctx.settings.off_track_below:.2f})."
    )


def _comments(ctx, detail) -> pd.Series:
    """Each indicator's latest comment (``monitoring.comments``), from the current actuals."""
    versions = detail.actual_versions
    return comment_by_indicator(versions.loc[versions["is_current"].astype(bool)], ctx.as_of)


def show_indicator(ctx, detail, evaluation) -> None:
    p, pframes = detail.project, detail.portfolio
    code = p["project_code"]
    if pframes.indicators.empty:
        empty_states.no_indicators()
        return
    comments = _comments(ctx, detail)
    ind = worst_first(evaluation.indicators)
    names = {r.indicator_id: f"{r.indicator_code} · {r.name}" for r in ind.itertuples()}
    chosen = st.selectbox("Indicator", list(names), format_func=names.__getitem__, key="indicator_pick")
    one = ind.loc[ind["indicator_id"] == chosen].iloc[0]
    periods = charts.indicator_periods(pframes.targets, pframes.actuals, chosen)
    st.markdown(f"{badge(one['status']).markdown} {literal(one['reason'])}")
    if chosen in comments.index:
        st.markdown(f"**Latest comment:** {literal(comments[chosen])}")
    if one["measure"] == "qualitative" or periods.empty:
        st.caption("No numeric targets or actuals to chart for this indicator.")
    else:
        show_chart(
            charts.indicator_chart(
                name=str(one["name"]),
                unit=one["unit"] if isinstance(one["unit"], str) else None,
                periods=periods,
                b=one["b"],
                end_target=one["end_target"],
                start=p["start_date"],
                end=current_end(p["end_date"], p["revised_end_date"]),
                accumulation=str(one["accumulation"]),
                status=one["status"],
                as_of=ctx.as_of,
            ),
            how="actuals to date by accumulation against milestone targets and the linear expected path "
            "from the starting point to the end target.",
            key="indicator_chart",
        )
        if periods[["female", "male"]].notna().any().any():
            show_chart(
                charts.sex_breakdown(periods, unit=one["unit"]),
                how="reported breakdown by sex per period; the per-sex status in the matrix compares a count with "
                "an equal split of the target between women and men, a rate with the indicator's own target.",
                key="sex_chart",
            )
    ages = detail.actual_breakdowns
    ages = ages.loc[(ages["indicator_id"] == chosen) & ages["is_current"].astype(bool)]
    if len(ages):
        st.markdown("**Breakdown by age and other dimensions**")
        tables.show_table(
            ages[["period_start", "period_end", "dimension", "category", "value", "value_text"]],
            key="age_breakdown",
            file_stem=f"{code}-breakdowns",
        )
