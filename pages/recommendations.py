"""Recommendations: every evaluation and audit recommendation in view, and who is late on which.

KPIs → filters (office, source, status, overdue only) → the register (most urgent first) → roll-ups by
country and region (share implemented on time, overdue, oldest overdue) → the update form (a one-row
import through the writer: validated, versioned). The register and its rules are
``monitoring.recommendations`` (docs/follow-up.md); closed projects are included.
"""

from __future__ import annotations

import streamlit as st

from components import empty_states, follow_up_forms
from components import recommendations_view as view
from components.frame import data_errors, page_context
from monitoring.recommendations import register, rollup

ctx = page_context()
ctx.heading("Recommendations")
with data_errors():
    frames = ctx.follow_up_frames()
ctx.stop_if_empty(frames)

reg = register(frames.recommendations, frames.projects, ctx.as_of, ctx.settings)
if reg.empty:
    empty_states.no_rows("evaluation or audit recommendations")
    st.caption(
        "Recommendations arrive with the workbook's `evaluations` and `recommendations` sheets on the "
        "[Data page](/data-import)."
    )
    st.stop()

view.kpi_row(reg)
st.subheader("Register")
view.show_register(view.filtered(reg))
st.caption(
    "How this is computed: due = the recorded due date; an audit recommendation without one is due "
    f"{ctx.settings.audit_recommendation_max_days} days after issue; an evaluation recommendation without "
    "one is never overdue. Overdue = open or in progress on the as-of date and due before it; falling due = "
    f"due within {ctx.settings.recommendation_due_soon_days} days. Implemented after the as-of date counts as "
    "open on it."
)

st.subheader("By country and region")
by_country, by_region = st.tabs(["By country", "By region"])
with by_country:
    view.show_rollup(rollup(reg, "managing_country"), "managing_country", key="rec_by_country")
with by_region:
    view.show_rollup(rollup(reg, "region"), "region", key="rec_by_region")
st.caption(
    "How this is computed: each recommendation counts under its project's managing country and region "
    "(a project working in several countries counts once). Implemented on time = implemented on or before "
    "the due date, of those judged: not rejected by management, with a due date that has passed, or "
    "implemented with the day recorded."
)

follow_up_forms.recommendation_update(ctx, reg)
