"""Access: who may see what (leadership only).

Lists the people table, adds, changes and withdraws access one person at a time through the same
validation as a ``people.csv`` import (components/access_view.py), and shows who changed whose
access and when, and leadership's "view as" log. docs/sign-in.md explains roles and scopes.
"""

from __future__ import annotations

import streamlit as st

from components import access_view
from components.frame import data_errors, page_context

ctx = page_context()
st.title("Access")
if not ctx.identity.leadership:
    st.info("Only leadership manages access. Ask leadership to add or change yours.", icon=":material/lock:")
    st.stop()
st.caption(
    "Who may see what. Every change here is an import batch made by you, validated like a people.csv "
    "file and kept in the history below; sign-in reads it on each person's next page."
)

tab_people, tab_change, tab_history = st.tabs(["People", "Add or change", "History"])
with tab_people, data_errors():
    frame = access_view.people_table(ctx)
with tab_change, data_errors():
    st.subheader("Add or change access")
    st.caption("The same email and role changes that row; another role adds a row (the person sees the union).")
    access_view.access_form(ctx)
    st.subheader("Withdraw access")
    access_view.deactivate_form(ctx, frame)
with tab_history, data_errors():
    st.subheader("Access changes")
    access_view.access_history(ctx)
    st.subheader("View as")
    access_view.view_as_log(ctx)
