"""Monitoring visits: which high-risk projects are due or overdue a visit, per project and office.

KPIs → filters (office, state against the policy) → projects against the policy (overdue first) → by
office → findings waiting for follow-up → the form that records a visit or its follow-up (a one-row
import through the writer: validated, versioned). The policy and its clock are ``monitoring.visits`` (the
NO_RECENT_MONITORING_VISIT flag reads the same); docs/follow-up.md.
"""

from __future__ import annotations

import streamlit as st

from components import follow_up_forms
from components import visits_view as view
from components.frame import data_errors, page_context
from monitoring.visits import office_rollup, open_follow_ups, policy

ctx = page_context()
ctx.heading("Monitoring visits")
with data_errors():
    frames = ctx.follow_up_frames()
ctx.stop_if_empty(frames)

limit = ctx.settings.monitoring_visit_max_days
table = policy(frames.projects, frames.visits, frames.risks, ctx.as_of, ctx.settings)
follow_ups = open_follow_ups(frames.visits, ctx.as_of)
view.kpi_row(table, follow_ups, limit)

st.subheader("Projects against the visit policy")
view.show_projects(view.filtered(table))
st.caption(
    "How this is computed: a project is high-risk in a high-risk context or with an open high risk "
    f"(score ≥ {ctx.settings.risk_high_min}); the policy asks for a monitoring visit at least every {limit} days "
    "(IOM Monitoring Policy), counted from the last visit on or before the as-of date, or from the start when "
    f"never visited. Due soon = the next visit is due within {ctx.settings.visit_due_soon_days} days. Remote "
    "and third-party monitoring count toward the policy and are counted apart."
)

st.subheader("By office")
view.show_offices(office_rollup(table))
st.caption(
    "Active projects that have started and the high-risk ones among them (as on the card above), visits of the "
    f"last {limit} days by type, per managing country (a project counted once, there); projects in view only."
)

st.subheader("Findings waiting for follow-up")
view.show_follow_ups(follow_ups, frames.projects)
follow_up_forms.visit_form(ctx, frames.projects, frames.visits)
