"""The Risks and flags page's tabs below the KPIs, one function each: the high risks to act on, the
flag list, the flags counted by severity, managing country and flag, and the portfolio risk heatmap.

Only the open tab runs (``components.lazy_tabs``), so the charts' JavaScript loads when a chart tab
is opened. The severity and flag filters are shown on both flag tabs with the same keys and kept in
the URL (``?severity=high&flag=...``), so a choice made on one tab holds on the other. Flags come
from ``evaluate_portfolio``, the heatmap's grid from ``monitoring.risks.risk_heatmap``, the
unmitigated list from ``monitoring.risk_attention``; captions are written for the people reading
the page: no rule codes, no file names.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import charts_risks, risk_tables, tables
from components.badges import label
from components.frame import show_chart, url_bound, write_url
from components.labels import flag_label
from components.view_groups import country_regions, places_in_view
from monitoring.flags import FLAG_CODES
from monitoring.risks import risk_heatmap

HOW_FLAGS = (
    "the early-warning rules with the thresholds in the settings, for active projects that have started; a "
    "project counts once per flag."
)


def show_to_act_on(ctx, unmitigated: pd.DataFrame, open_high_risks: int, projects: pd.DataFrame) -> None:
    """The open high risks with no mitigation or no recent review, highest score first (``projects``:
    at least theirs, with the columns ``risk_tables.unmitigated_display`` shows)."""
    settings = ctx.settings
    st.subheader("High risks without mitigation or review")
    if unmitigated.empty:
        # with no open high risk at all (an IATI file has no register) "every one is managed" would mislead
        managed = "Every open high risk has a mitigation and a recent review."
        st.caption("No open high risk is recorded in view." if not open_high_risks else managed)
    else:
        tables.show_table(
            risk_tables.unmitigated_display(unmitigated, projects),
            key="risks_unmitigated",
            file_stem="high-risks-unmitigated",
            limit=tables.SHOWN_ROWS,
            column_config={"Description": st.column_config.TextColumn(width="large")},
        )
    st.caption(
        f"How this is computed: open risks scored likelihood × impact ≥ {settings.risk_high_min} with a blank "
        f"mitigation, or last reviewed (never reviewed: counted from the project's start) more than "
        f"{settings.risk_review_max_days} days before the as-of date, for every project in view (the “High risk "
        "not mitigated or reviewed” flag itself is raised for active projects that have started only)."
    )


def flags_chosen(evaluation) -> pd.DataFrame:
    """The severity and flag filters (bound to the URL) and the flags they keep."""
    url_bound("rf_severity", "severity", lambda raw: [s for s in raw if s in charts_risks.SEVERITIES])
    url_bound("rf_code", "flag", lambda raw: [c for c in raw if c in FLAG_CODES])
    left, right = st.columns([2, 3])
    severities = left.pills(
        "Severity",
        list(charts_risks.SEVERITIES),
        selection_mode="multi",
        format_func=label,
        key="rf_severity",
        help="None selected: every severity.",
    )
    codes = right.multiselect("Flag", list(FLAG_CODES), key="rf_code", placeholder="All flags", format_func=flag_label)
    write_url("severity", severities)
    write_url("flag", codes)
    return risk_tables.flags_in_view(evaluation.flags, evaluation.projects, severities=severities, codes=codes)


def show_flag_list(evaluation) -> None:
    flags = flags_chosen(evaluation)
    if flags.empty:
        st.caption("No flag for this selection.")
        return
    st.caption(f"{len(flags):,} flags, high severity first. How they are raised: {HOW_FLAGS}")
    tables.show_table(
        risk_tables.flag_list(flags, evaluation.projects),
        key="risks_flags",
        file_stem="flags",
        limit=tables.SHOWN_ROWS,
        column_config={"What fired": st.column_config.TextColumn(width="large")},
    )


def show_flag_charts(ctx, evaluation) -> None:
    flags = flags_chosen(evaluation)
    in_view = places_in_view(ctx.scope, ctx.flt, country_regions(evaluation.projects, ctx.project_countries()))
    show_chart(
        charts_risks.flags_by_severity(flags, n_projects=len(evaluation.projects)),
        key="risks_by_severity",
        how=HOW_FLAGS,
    )
    flags_here = in_view.keep(flags, "managing_country", "managing_country")
    show_chart(
        charts_risks.flags_by_group(flags_here, by="country_name", group_label="Managing country", noun="countries"),
        key="risks_by_country",
        how=HOW_FLAGS + " Country = the project's managing country; projects managed from outside this view are "
        "in the other charts and the list only.",
    )
    show_chart(
        charts_risks.flags_by_group(flags, by="flag_name", group_label="Flag", top=None),
        key="risks_by_code",
        how=HOW_FLAGS + " Every flag raised in view has its bar.",
    )


def show_heatmap(ctx, risks: pd.DataFrame) -> None:
    settings = ctx.settings
    show_chart(
        charts_risks.risk_heatmap(
            risk_heatmap(risks),
            high_min=settings.risk_high_min,
            medium_min=settings.risk_medium_min,
            subject="open risks in view",
        ),
        key="risks_heatmap",
        how=(
            f"open risks of every project in view by likelihood (1–5) × impact (1–5); score = likelihood × impact: "
            f"high ≥ {settings.risk_high_min}, medium {settings.risk_medium_min}–{settings.risk_high_min - 1}, low "
            "below. Closed risks are history and are not counted."
        ),
    )
