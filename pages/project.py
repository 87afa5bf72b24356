"""Project (programme managers): is my project on track, where is the money, what needs attention?

Picker (within scope and filters; ``?project=CODE`` in the URL) → header → tabs: results matrix
and indicator charts, the form that reports an actual (``components.actual_entry``), financials,
risks, accountability and markers, flags, visits, evaluations, data quality, history. The project
is read by ``data_access.queries.project_detail`` (``NotFound`` outside the scope) and evaluated
by the same ``monitoring.evaluate.evaluate_portfolio`` as every other page; each tab is one
component module.
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
from components.loaders import project_view
from components.project_header import show_header
from components.project_picker import pick_project

ctx = page_context()
st.title("Project")
code = pick_project(ctx)

with data_errors():
    detail, evaluation = project_view(ctx.data, ctx.scope, code, ctx.as_of, ctx.settings)
show_header(ctx, detail, evaluation)

(results, entry, money, risks, accountability, flags, visits, evaluations, quality, history) = st.tabs(
    [
        "Results",
        "Report an actual",
        "Financials",
        "Risks",
        "AAP and markers",
        "Flags",
        "Monitoring visits",
        "Evaluations",
        "Data quality",
        "History",
    ]
)
with results:
    project_results.show(ctx, detail, evaluation)
with entry:
    actual_entry.show(ctx, detail, evaluation)
with money:
    project_financials.show(ctx, detail, evaluation)
with risks:
    project_risks.show(ctx, detail, evaluation)
with accountability:
    project_accountability.show(ctx, detail, evaluation)
with flags:
    project_flags.show(ctx, detail, evaluation)
with visits:
    project_visits.show(ctx, detail, evaluation)
with evaluations:
    project_evaluations.show(ctx, detail, evaluation)
with quality:
    project_quality.show(ctx, detail, evaluation)
with history:
    with data_errors():
        changes = loaders.project_history(ctx.data, ctx.scope, code)
    history_view.show_history(changes, key="history", file_stem=f"{code}-history")
