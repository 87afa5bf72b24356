"""Project pickers: the projects in view (scope and sidebar filters), searched on the server when they are many.

Every option of a selectbox travels to the browser: 100,000 projects made a 7.5 MB page. Up to
:data:`PLAIN_UP_TO` projects in view the picker is one selectbox of them all; above that a text
input "Find a project (code or title)" asks ``data_access.project_search`` (SQL, within the scope and
filters) for the first :data:`MATCHES_SHOWN` matches, best first, and the selectbox lists those, with
the project already chosen always among them (a ``?project=CODE`` link opens it whatever the search).

The Project page's picker is bound to ``?project=CODE``. A code that is not in view (another office's
project, or filtered out) is never shown: the page says so and opens the first project listed instead.
Widget keys: ``project_pick`` and its search ``project_pick_find``; the visit form's ``vis_form_project``.
"""

from __future__ import annotations

import streamlit as st

from components import empty_states
from components.frame import data_errors, url_bound, write_url
from components.plain_text import literal
from components.search_caption import matches_caption

PLAIN_UP_TO = 300  # projects in view listed whole in one selectbox (~75 bytes each in the page)
MATCHES_SHOWN = 100  # above that, the matches of the search a selectbox lists


def project_options(ctx, key: str, keep: str | None) -> dict[str, str]:
    """Code → title of the projects selectbox ``key`` offers: all in view, or the search's matches and ``keep``."""
    with data_errors():
        in_view = ctx.projects_in_view()
        if in_view <= PLAIN_UP_TO:
            listed = ctx.project_list()
            return dict(zip(listed["project_code"], listed["title"], strict=True))
    text = st.text_input(
        "Find a project (code or title)", key=f"{key}_find", placeholder="A code, its start, or words of the title"
    )
    with data_errors():
        found = ctx.find_projects(text, limit=MATCHES_SHOWN, keep=keep)
    matches_caption(
        "projects",
        in_view,
        found.matched,
        text,
        limit=MATCHES_SHOWN,
        order="by code",
        best="exact code, then codes starting with it, then titles with every word",
    )
    return dict(zip(found.listed["project_code"], found.listed["title"], strict=True))


def project_choice(ctx, *, key: str, label: str = "Project") -> str | None:
    """A selectbox of the projects in view (searched when they are many); None when nothing matches."""
    return _selectbox(label, project_options(ctx, key, keep=st.session_state.get(key)), key)


def _selectbox(label: str, titles: dict[str, str], key: str) -> str | None:
    return st.selectbox(label, list(titles), format_func=lambda c: f"{c} · {titles[c]}", key=key)


def pick_project(ctx) -> str:
    """The Project page's chosen code; stops the page with the empty state when no project is in view."""
    with data_errors():
        if not ctx.projects_in_view():
            empty_states.no_projects(ctx)
            st.stop()
    url_bound("project_pick", "project", lambda raw: raw[-1])
    requested = st.session_state.get("project_pick")
    titles = project_options(ctx, "project_pick", keep=requested)
    if requested is not None and requested not in titles:
        st.warning(
            f"Project {literal(requested)} is not in this view ({ctx.scope.label}, with the sidebar filters); "
            "pick one of the projects below.",
            icon=":material/visibility_off:",
        )
        st.session_state["project_pick"] = next(iter(titles), None)
    code = _selectbox("Project", titles, "project_pick")
    if code is None:
        st.stop()
    write_url("project", code)
    return code
