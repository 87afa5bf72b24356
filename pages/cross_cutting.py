"""Cross-cutting: are gender, accountability to affected people and disaggregation built in?

Tabs: the projects to act on (no gender marker; an AAP commitment not met or not assessed; people
counted without a sex breakdown; on track overall but off track for women) → gender (and other)
marker distribution by projects and by budget, per scheme → the five AAP commitments → sex and age
disaggregation coverage; each coverage tab breaks down by region or country. The tabs are lazy
(``components.lazy_tabs``): the first view is the lists to act on, a chart's JavaScript and the
marker and AAP tables wait for their tab, and ``?tab=Sex and age disaggregation`` opens a tab from a
link. Every figure is ``monitoring.markers`` output or a flag of ``evaluate_portfolio``; budgets are
its USD budgets. The sections are ``components.cross_cutting_sections``.
"""

from __future__ import annotations

from components import cross_cutting_sections as sections
from components.frame import data_errors, page_context
from components.lazy_tabs import open_tab
from components.view_groups import country_regions, places_in_view

ctx = page_context()
ctx.heading("Cross-cutting")

evaluation = ctx.load_summary()  # per-project figures and flags; markers and AAP ratings are read apart
with data_errors():
    project_countries = ctx.project_countries()
in_view = places_in_view(ctx.scope, ctx.flt, country_regions(evaluation.projects, project_countries))

tabs = {
    "To act on": lambda: sections.show_to_act_on(ctx, evaluation),
    "Gender and other markers": lambda: sections.show_markers(ctx, evaluation, project_countries, in_view),
    "Accountability to affected populations": lambda: sections.show_aap(ctx, evaluation, project_countries, in_view),
    "Sex and age disaggregation": lambda: sections.show_disaggregation(ctx, evaluation, project_countries, in_view),
}
name, tab = open_tab(list(tabs))
with tab:
    tabs[name]()
