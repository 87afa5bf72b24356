"""Risks and flags: which high risks nobody manages, which early warnings are raised, and where?

KPIs → tabs: the high risks to act on (open, scored high, with no mitigation or no recent review)
→ the full flag list (filter by severity and flag) → the flags by severity, managing country and
flag → the portfolio risk heatmap (open risks, likelihood × impact). The tabs are lazy
(``components.lazy_tabs``): the first view is the cards and the list to act on, and a chart's
JavaScript loads only when its tab is opened; ``?tab=Flags&severity=high`` opens a tab from a
link. Flags and scores come from ``evaluate_portfolio``; the sections are
``components.risk_sections``.
"""

from __future__ import annotations

from components import kpis, loaders, review_view
from components import risk_sections as sections
from components.badges import label
from components.frame import data_errors, page_context
from components.lazy_tabs import open_tab
from components.view_groups import country_regions, places_in_view
from monitoring.risk_attention import unmitigated_high_risks
from monitoring.risks import is_open

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
            "Early-warning flags raised on active projects that have started.",
            f"on {evaluation.flags['project_id'].nunique():,} of {len(projects):,} projects",
        ),
        kpis.Kpi(
            label("high") + " flags",
            f"{int((evaluation.flags['severity'] == 'high').sum()):,}",
            "Flags of high severity.",
            f"on {int((projects['n_flags_high'] > 0).sum()):,} projects",
        ),
        kpis.Kpi(
            "Open high risks",
            f"{int((open_risks['level'] == 'high').sum()):,}",
            f"Open risks scored likelihood × impact ≥ {settings.risk_high_min}.",
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

in_view = places_in_view(ctx.scope, ctx.flt, country_regions(projects, project_countries))
tabs = {
    "Risks to act on": lambda: sections.show_to_act_on(ctx, unmitigated, open_risks, projects),
    "Flags": lambda: sections.show_flag_list(evaluation),
    "Flags by severity, country and flag": lambda: sections.show_flag_charts(evaluation, in_view),
    "Risk heatmap": lambda: sections.show_heatmap(ctx, risks),
}
name, tab = open_tab(list(tabs))
with tab:
    tabs[name]()

review_view.changes_since_snapshot(ctx, "risks")
