"""Project (programme managers): is my project on track, where is the money, what needs attention?

Picker (within scope and filters; ``?project=CODE`` in the URL) → header → tabs: the results
matrix, one indicator's charts, the form that reports an actual (``components.actual_entry``),
flags, financials, risks, accountability and markers, visits, evaluations, data quality, history.
The tabs are lazy (``components.lazy_tabs``): only the open one runs and reaches the browser, so
the first view (header and results matrix) sends no chart, and ``?tab=Financials`` opens a tab
from a link. The project is read by ``data_access.queries.project_detail`` (``NotFound`` outside
the scope) and evaluated by the same ``monitoring.evaluate.evaluate_portfolio`` as every other
page; each tab is one component module.
"""

from __future__ import annotations

import streamlit as st

from components import (
    actual_entry,
    history_view,
    loaders,
    project_accountability,
    project_evaluations,
    project_financials,
    project_flags,
    project_quality,
    project_results,
    project_risks,
    project_visits,
)
from components.frame import data_errors, page_context
from components.lazy_tabs import open_tab
from components.loaders import project_view
from components.project_header import show_header
from components.project_picker import pick_project

ctx = page_context()
st.title("Project")
code = pick_project(ctx)

with data_errors():
    detail, evaluation = project_view(ctx.data, ctx.scope, code, ctx.as_of, ctx.settings)
show_header(ctx, detail, evaluation)


def _history(ctx, detail, evaluation) -> None:
    with data_errors():
        changes = loaders.project_history(ctx.data, ctx.scope, code)
    history_view.show_history(changes, key="history", file_stem=f"{code}-history")


tabs = {
    "Results": project_results.show,
    "Indicator charts": project_results.show_indicator,
    "Report an actual": actual_entry.show,
    "Flags": project_flags.show,
    "Financials": project_financials.show,
    "Risks": project_risks.show,
    "AAP and markers": project_accountability.show,
    "Monitoring visits": project_visits.show,
    "Evaluations": project_evaluations.show,
    "Data quality": project_quality.show,
    "History": _history,
}
name, tab = open_tab(list(tabs))
with tab:
    tabs[name](ctx, detail, evaluation)
