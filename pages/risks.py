"""Risks and flags: which early warnings are raised, where, and which high risks nobody manages?

KPIs → flags by severity, by country and by code (filter by severity and code) → the full flag list →
the portfolio risk heatmap (open risks, likelihood × impact) → high risks without mitigation or
review. Flags and scores come from ``evaluate_portfolio``; the heatmap grid from
``monitoring.risks.risk_heatmap``; the unmitigated list from ``monitoring.risk_attention``.
"""

from __future__ import annotations

import streamlit as st

from components import charts_risks, kpis, loaders, review_view, risk_tables, tables
from components.badges import label
from components.frame import data_errors, page_context, show_chart, url_bound, write_url
from components.labels import flag_label
from components.view_groups import country_regions, places_in_view
from monitoring.flags import FLAG_CODES
from monitoring.risk_attention import unmitigated_high_risks
from monitoring.risks import is_open, risk_heatmap

ctx = page_context()
ctx.heading("Risks and flags")

evaluation = ctx.load_summary()  # projects and flags; the risk registers' scores apart
with data_errors():
    risks = loaders.evaluated_risks(ctx.data, ctx.scope, ctx.flt, ctx.settings)
    project_countries = ctx.project_countries()
projects, settings = evaluation.projects, ctx.settings
unmitigated = unmitigated_high_risks(risks, projects, ctx.as_of, settings)
open_risks = risks.loc[is_open(risks)]

kpis.kpi_row(
    [
        kpis.Kpi(
            "Flags",
            f"{len(evaluation.flags):,}",
            "Early-warning flags raised on active projects that have started (DOMAIN.md 5).",
            f"on {evaluation.flags['project_id'].nunique():,} of {len(projects):,} projects",
        ),
        kpis.Kpi(
            label("high") + " flags",
            f"{int((evaluation.flags['severity'] == 'high').sum()):,}",
            "Flags of high severity (DOMAIN.md 5).",
            f"on {int((projects['n_flags_high'] > 0).sum()):,} projects",
        ),
        kpis.Kpi(
            "Open high risks",
            f"{int((open_risks['level'] == 'high').sum()):,}",
            f"Open risks scored likelihood × impact ≥ {settings.risk_high_min} (DOMAIN.md 4).",
            f"of {len(open_risks):,} open risks",
        ),
        kpis.Kpi(
            "Risks to act on",
            f"{len(unmitigated):,}",
            f"Unmitigated or unreviewed: open high risks with no mitigation, or not reviewed for more than "
            f"{settings.risk_review_max_days} days.",
            "high risks unmitigated or unreviewed",
        ),
    ]
)

# ---- flags --------------------------------------------------------------------------------------------
st.subheader("Early-warning flags")
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
flags = risk_tables.flags_in_view(evaluation.flags, projects, severities=severities, codes=codes)

how_flags = (
    "the early-warning rules of DOMAIN.md 5 with the thresholds in settings, for active projects that "
    "have started; a project counts once per flag code."
)
show_chart(charts_risks.flags_by_severity(flags, n_projects=len(projects)), key="risks_by_severity", how=how_flags)
in_view = places_in_view(ctx.scope, ctx.flt, country_regions(projects, project_countries))
flags_here = in_view.keep(flags, "managing_country", "managing_country")
show_chart(
    charts_risks.flags_by_group(flags_here, by="country_name", group_label="Managing country", noun="countries"),
    key="risks_by_country",
    how=how_flags + " Country = the project's managing country (DOMAIN.md 1); "
    "projects managed from outside this view are in the other charts and the list only.",
)
show_chart(
    charts_risks.flags_by_group(flags, by="flag_name", group_label="Flag", top=None),
    key="risks_by_code",
    how=how_flags + " Every flag code raised in view has its bar.",
)
if flags.empty:
    st.caption("No flag for this selection.")
else:
    st.caption(f"{len(flags):,} flags, high severity first.")
    tables.show_table(
        risk_tables.flag_list(flags, projects),
        key="risks_flags",
        file_stem="flags",
        limit=tables.SHOWN_ROWS,
        column_config={"What fired": st.column_config.TextColumn(width="large")},
    )

# ---- risk registers -------------------------------------------------------------------------------------
st.subheader("Portfolio risk heatmap")
show_chart(
    charts_risks.risk_heatmap(
        risk_heatmap(risks),
        high_min=settings.risk_high_min,
        medium_min=settings.risk_medium_min,
        subject="open risks in view",
    ),
    key="risks_heatmap",
    how=(
        f"open risks of every project in view by likelihood (1–5) × impact (1–5); score = L × I: high ≥ "
        f"{settings.risk_high_min}, medium {settings.risk_medium_min}–{settings.risk_high_min - 1}, low below "
        "(DOMAIN.md 4). Closed risks are history and are not counted."
    ),
)

st.subheader("High risks without mitigation or review")
if unmitigated.empty:
    # with no open high risk at all (an IATI file has no register) "every one is managed" would mislead
    none_high = not (open_risks["level"] == "high").any()
    managed = "Every open high risk has a mitigation and a recent review."
    st.caption("No open high risk is recorded in view." if none_high else managed)
else:
    tables.show_table(
        risk_tables.unmitigated_display(unmitigated, projects),
        key="risks_unmitigated",
        file_stem="high-risks-unmitigated",
        column_config={"Description": st.column_config.TextColumn(width="large")},
    )
st.caption(
    f"How this is computed: open risks scored ≥ {settings.risk_high_min} with a blank mitigation, or last "
    f"reviewed (never: the start) more than {settings.risk_review_max_days} days before the as-of date — the "
    "HIGH_RISK_UNMITIGATED rule (DOMAIN.md 5), listed per risk and for every project in view (the flag itself "
    "is raised for active projects that have started)."
)

review_view.changes_since_snapshot(ctx, "risks")
