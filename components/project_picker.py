"""The Project page's picker: the projects in view (scope and sidebar filters), bound to ``?project=CODE``.

A code in the URL that is not in view (another office's project, or filtered out) is never shown:
the page says so and opens the first project in view instead.
"""

from __future__ import annotations

import streamlit as st

from components.frame import data_errors, url_bound, write_url
from components.plain_text import literal


def pick_project(ctx) -> str:
    """The chosen project's code; stops the page with the empty state when no project is in view."""
    with data_errors():
        listed = ctx.project_list()
        ctx.stop_if_empty(listed)
    titles = dict(zip(listed["project_code"], listed["title"], strict=True))

    url_bound("project_pick", "project", lambda raw: raw[-1])
    requested = st.session_state.get("project_pick")
    if requested is not None and requested not in titles:
        st.warning(
            f"Project {literal(requested)} is not in this view ({ctx.scope.label}, with the sidebar filters); "
            "pick one of the projects below.",
            icon=":material/visibility_off:",
        )
        st.session_state["project_pick"] = next(iter(titles))
    code = st.selectbox("Project", list(titles), format_func=lambda c: f"{c} · {titles[c]}", key="project_pick")
    write_url("project", code)
    return code
