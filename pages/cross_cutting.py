"""Cross-cutting: are gender, accountability to affected people and disaggregation built in?

Tabs: the projects to act on (no gender marker; an AAP commitment not met or not assessed; people
counted without a sex breakdown; on track overall but off track for women) → gender (and other)
marker distribution by projects and by budget, per scheme → the five AAP commitments → sex and age
disaggregation coverage; each coverage tab breaks down by region or country. The tabs are lazy
(``components.lazy_tabs``): the first view is the lists to act on, a chart's JavaScript and the
marker and AAP tables wait for their tab, and ``?tab=Sex and age disaggregation`` opens a tab from a
link. Every figure is ``monitoring.markers`` output or a flag of ``evaluate_portfolio``; budgets are
its USD budgets. The sections are ``components.cross_cutting_sections``. The first view reads only
the rows its lists show (``cross_cutting_data.to_act_on``); the coverage tabs read the per-project
summary and the countries when opened.
"""

from __future__ import annotations

import streamlit as st

from components import cross_cutting_sections as sections
from components import empty_states
from components.frame import data_errors, page_context
from components.lazy_tabs import open_tab
from components.view_groups import country_regions, places_in_view

ctx = page_context()
ctx.heading("Cross-cutting")
with data_errors():
    if not ctx.projects_in_view():  # counted in SQL: the first view reads only the rows it lists
        empty_states.no_projects(ctx)
        st.stop()


def coverage(show) -> None:
    """A coverage tab, reading when opened the per-project figures and flags (markers and AAP
    ratings are read apart) and the countries projects work in, for its groups."""
    evaluation = ctx.load_summary()
    with data_errors():
        project_countries = ctx.project_countries()
    in_view = places_in_view(ctx.scope, ctx.flt, country_regions(evaluation.projects, project_countries))
    show(ctx, evaluation, project_countries, in_view)


tabs = {
    "To act on": lambda: sections.show_to_act_on(ctx),
    "Gender and other markers": lambda: coverage(sections.show_markers),
    "Accountability to affected populations": lambda: coverage(sections.show_aap),
    "Sex and age disaggregation": lambda: coverage(sections.show_disaggregation),
}
name, tab = open_tab(list(tabs))
with tab:
    tabs[name]()
