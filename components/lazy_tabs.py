"""Tabs of which only the open one runs: the Finance, Risks and Project pages' sections.

A plotly chart costs a fresh browser about a second (its JavaScript is megabytes), and a tab
Streamlit runs eagerly sends its charts even when nobody opens it. Bound to the URL
(``st.tabs(..., bind="query-params")``), only the open tab's content runs and reaches the browser,
the first view is the first tab (what the reader acts on, without a chart), and ``?tab=NAME`` in a
link opens that tab. The Portfolio page does the same for its map.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
from streamlit.delta_generator import DeltaGenerator


def open_tab(names: Sequence[str], *, key: str = "tab") -> tuple[str, DeltaGenerator]:
    """Show the tabs ``names`` (the open one in URL parameter ``key``); return the open tab's name
    and container: the caller runs that tab's content only."""
    tabs = st.tabs(list(names), key=key, bind="query-params")
    opened = next((i for i, tab in enumerate(tabs) if tab.open), 0)
    return names[opened], tabs[opened]
