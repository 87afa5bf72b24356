"""The caption under a search box whose matches fill a selectbox: how many match, how many are listed.

Shared by the project pickers (``components.project_picker``, the follow-up forms) and the sidebar's
people pickers (``components.people_picker``); a leaf module, because the sidebar's pickers are built
by ``components.identity`` before ``components.frame`` (which the project pickers import) is ready.
"""

from __future__ import annotations

import streamlit as st

from components.plain_text import literal


def matches_caption(
    noun: str, total: int, matched: int, text: str, *, limit: int, order: str, best: str, whole: str | None = None
) -> None:
    """How many of the ``total`` ``noun`` (all of them: ``whole``, by default "``noun`` in view") match the
    search ``text`` and how many (at most ``limit``) the list shows."""
    whole = whole or f"{noun} in view"
    shown = min(matched, limit)
    if not text.strip():
        st.caption(f"{total:,} {whole}: the list shows the first {shown} {order}; search to find any other.")
    elif matched > shown:
        st.caption(
            f"{matched:,} {noun} match “{literal(text)}”: the list shows the first {shown} ({best}); "
            "add words to narrow it."
        )
    else:
        st.caption(f"{matched:,} of {total:,} {whole} match “{literal(text)}”.")
