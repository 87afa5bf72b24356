"""The sidebar's people pickers, searched on the server when the people are many.

Leadership's "View as" (every person with active access) and the demo's "Manager" (every name that
manages a project) are on every page, and every option of a selectbox travels to the browser: at
100,000 projects each held ~28,000 people, a megabyte per page. Up to :data:`PLAIN_UP_TO` people the
picker is one selectbox of them all; above that a text input in the sidebar asks
``data_access.people_search`` (SQL) for the first :data:`MATCHES_SHOWN` matches, best first, and the
selectbox lists those, with a caption saying how many matched. The person already chosen is always
among the options (``keep``), so a new search never drops who is being viewed; a search only lists
people: what the chosen person sees is decided by ``components.identity`` as before.

Widget keys: the search of ``view_as_person`` is ``view_as_person_find``, that of ``view_who`` (the
demo's manager) ``view_who_find``.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from components import loaders
from components.charts_common import count
from components.search_caption import matches_caption
from data_access.people_search import PeopleMatches

PLAIN_UP_TO = 300  # people listed whole in one selectbox (~40 bytes each in every page)
MATCHES_SHOWN = 100  # above that, the matches of the search the selectbox lists

Find = Callable[[loaders.DataKey, str, int, str | None], PeopleMatches]


def person_options(data: loaders.DataKey, *, key: str) -> dict[str, str]:
    """Email → label of the people with active access selectbox ``key`` offers (its choice kept)."""
    found = _listed(
        data,
        loaders.people_count(data),
        loaders.find_people,
        key=key,
        label="Find a person (name, email or office)",
        placeholder="A name, an email, an office code or its country",
        noun="people",
        whole="people with access",
        order="by name",
        best="exact email, then emails or names starting with it, then people with every word",
    )
    return {email: str(label) for email, label in found}


def manager_options(data: loaders.DataKey, *, key: str) -> dict[str, str]:
    """Name → "name (N projects)" of the managers selectbox ``key`` offers (its choice kept)."""
    found = _listed(
        data,
        loaders.manager_count(data),
        loaders.find_managers,
        key=key,
        label="Find a manager (name)",
        placeholder="A name, its start, or some of its words",
        noun="managers",
        whole="managers",
        order="by name",
        best="exact name, then names starting with it, then names with every word",
    )
    return {name: f"{name} ({count(int(n), 'projects')})" for name, n in found}


def is_manager(data: loaders.DataKey, name: str | None) -> bool:
    """``name`` manages at least one project (a demo link's ``as=manager:NAME``)."""
    return name is not None and name in dict(loaders.find_managers(data, name, 1, name).listed)


def _listed(
    data: loaders.DataKey, total: int, find: Find, *, key: str, label: str, placeholder: str, noun: str, **caption: str
) -> tuple[tuple[str, str | int], ...]:
    """What ``find`` lists: everyone up to :data:`PLAIN_UP_TO`, else the matches of a search in the sidebar."""
    keep = st.session_state.get(key)
    if total <= PLAIN_UP_TO:
        return find(data, "", PLAIN_UP_TO, keep).listed
    text = st.sidebar.text_input(label, key=f"{key}_find", placeholder=placeholder)
    found = find(data, text, MATCHES_SHOWN, keep)
    with st.sidebar:
        matches_caption(noun, total, found.matched, text, limit=MATCHES_SHOWN, **caption)
    return found.listed
