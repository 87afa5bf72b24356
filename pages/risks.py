"""Risks and flags: which high risks nobody manages, which early warnings are raised, and where?

KPIs → tabs: the high risks to act on (open, scored high, with no mitigation or no recent review)
→ the full flag list (filter by severity and flag) → the flags by severity, managing country and
flag → the portfolio risk heatmap (open risks, likelihood × impact). The tabs are lazy
(``components.lazy_tabs``): the first view is the cards and the list to act on, and a chart's
JavaScript loads only when its tab is opened; ``?tab=Flags&severity=high`` opens a tab from a
link. Flags and scores come from ``evaluate_portfolio`` (stored); the sections are
``components.risk_sections``. The first view reads only what it shows: the cards are counted in
SQL and the list reads the open high risks and their projects; the other tabs read the flags (with
a few facts of their projects) and the risks when opened.
"""

from __future__ import annotations

from components import kpis, loaders, review_view
from components import risk_sections as sections
from components.badges import label
from components.frame import data_errors, page_context
from components.lazy_tabs import open_tab

ctx = page_context()
ctx.heading("Risks and flags")

# the first view counts in SQL and reads the open high risks and their projects only; the other
# tabs read the flags, projects and risks they show when opened
key = (ctx.data, ctx.scope, ctx.flt, ctx.settings)  # of every cached read
with data_errors():
    n = loaders.risk_counts(*key)
    ctx.stop_if_empty(n.projects)
    unmitigated, risk_projects = loaders.risks_to_act_on(*key)
settings = ctx.settings

kpis.kpi_row(
    [
        kpis.Kpi(
            "Flags",
            f"{n.flags:,}",
            "Early-warning flags raised on active projects that have started.",
            f"on {n.flagged_projects:,} of {n.projects:,} projects",
        ),
        kpis.Kpi(
            label("high") + " flags",
            f"{n.high_flags:,}",
            "Flags of high severity.",
            f"on {n.projects_with_high_flag:,} projects",
        ),
        kpis.Kpi(
            "Open high risks",
            f"{n.open_high_risks:,}",
            f"Open risks scored likelihood × impact ≥ {settings.risk_high_min}.",
            f"of {n.open_risks:,} open risks" if n.projects_with_register else "no project has a risk register",
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

tabs = {
    "Risks to act on": lambda: sections.show_to_act_on(ctx, unmitigated, n.open_high_risks, risk_projects),
    "Flags": lambda: sections.show_flag_list(loaders.risk_flags(*key)),
    "Flags by severity, country and flag": lambda: sections.show_flag_charts(ctx, loaders.risk_flags(*key)),
    "Risk heatmap": lambda: sections.show_heatmap(ctx, loaders.evaluated_risks(*key)),
}
name, tab = open_tab(list(tabs))
with tab, data_errors():
    tabs[name]()

review_view.changes_since_snapshot(ctx, "risks")
