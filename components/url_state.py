"""The URL mirrors what a person chose, so a pasted link opens the same view.

Widgets keep their values in session state; :func:`url_bound` applies a URL parameter to a widget's
state when the URL carries a new value, :func:`write_url` writes the widget's value back. Moving
between pages drops the query string; the frame writes it back on the next run. Who is asking is
never read from here except in demo mode (``components.identity``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

APPLIED_PREFIX = "_frame_url_applied_"


def param_values(name: str) -> list[str]:
    """The non-empty values of URL parameter ``name``."""
    return [v for v in st.query_params.get_all(name) if v != ""]


def url_bound(key: str, param: str, parse: Callable[[list[str]], Any] | None = None) -> None:
    """Apply URL parameter ``param`` to widget state ``key`` when the URL carries a new value.

    Absent parameters leave the state alone (moving between pages drops the query string; the
    frame writes it back). ``parse`` turns the raw values into the widget value (default: list).
    A widget left out of a run (in a lazy tab that was closed, ``components.lazy_tabs``) loses its
    state, so the URL's value is applied again when it comes back.
    """
    raw = param_values(param)
    if not raw:
        return
    applied_key = APPLIED_PREFIX + param
    if st.session_state.get(applied_key) == raw and key in st.session_state:
        return
    st.session_state[applied_key] = raw
    value = parse(raw) if parse else raw
    if value is not None:
        st.session_state[key] = value


def is_new(param: str) -> list[str] | None:
    """The values of ``param`` when the URL carries values not applied yet (then marks them applied)."""
    raw = param_values(param)
    if not raw or st.session_state.get(APPLIED_PREFIX + param) == raw:
        return None
    st.session_state[APPLIED_PREFIX + param] = raw
    return raw


def write_url(param: str, values: Sequence[str] | str | None) -> None:
    """Mirror a selection in the URL (removing the parameter when the selection is empty)."""
    if isinstance(values, str):
        values = [values]
    values = [v for v in (values or []) if v]
    st.session_state[APPLIED_PREFIX + param] = list(values)
    if values:
        if st.query_params.get_all(param) != list(values):
            st.query_params[param] = list(values) if len(values) > 1 else values[0]
    elif param in st.query_params:
        del st.query_params[param]


def parse_date(raw: list[str]) -> dt.date | None:
    """The last value as an ISO date, or ``None`` when it is not one."""
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw[-1])
    except ValueError:
        return None
