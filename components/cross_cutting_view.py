"""The Cross-cutting page's choices (break down by region or country, marker scheme, AAP shares of
projects or budget; each bound to a URL parameter) and its one table format: shares with one
decimal, USD budgets with separators, raw in the files."""

from __future__ import annotations

import streamlit as st

from components import charts_markers, marker_tables
from components.frame import url_bound, write_url
from components.tables import show_table
from reference.vocabulary import MARKER_SCHEMES

BREAKDOWNS = {"region": "Region", "managing_country": "Country"}
DEFAULT_SCHEME = "IOM_GM"
AAP_WEIGHTS = {"projects": "Projects", "budget": "Budget (USD)"}


def pick_breakdown(scope) -> str:
    """``"region"`` or ``"managing_country"`` (``?by=``); a chief of mission's view is one country,
    so a region row would only repeat it: they break down by country only."""
    breakdowns = {k: v for k, v in BREAKDOWNS.items() if not scope.countries_only or k == "managing_country"}
    default_by = next(iter(breakdowns))
    url_bound("cc_by", "by", lambda raw: raw[-1] if raw[-1] in breakdowns else None)
    if st.session_state.get("cc_by") not in breakdowns:
        st.session_state["cc_by"] = default_by
    by = st.segmented_control("Break down by", list(breakdowns), format_func=breakdowns.get, key="cc_by") or default_by
    write_url("by", None if by == default_by else by)
    return by


def pick_scheme() -> str:
    """The marker scheme shown (``?scheme=``), the IOM Gender Marker by default."""
    url_bound("cc_scheme", "scheme", lambda raw: raw[-1] if raw[-1] in MARKER_SCHEMES else None)
    st.session_state.setdefault("cc_scheme", DEFAULT_SCHEME)
    scheme = st.selectbox("Marker", list(MARKER_SCHEMES), format_func=charts_markers.scheme_name, key="cc_scheme")
    write_url("scheme", None if scheme == DEFAULT_SCHEME else scheme)
    return scheme


def pick_aap_weight() -> str:
    """AAP coverage as a share of ``"projects"`` or of ``"budget"`` (``?aap=``)."""
    url_bound("cc_aap_weight", "aap", lambda raw: raw[-1] if raw[-1] in AAP_WEIGHTS else None)
    st.session_state.setdefault("cc_aap_weight", "projects")
    weight = st.segmented_control("Share of", list(AAP_WEIGHTS), key="cc_aap_weight", format_func=AAP_WEIGHTS.get)
    weight = weight or "projects"
    write_url("aap", None if weight == "projects" else weight)
    return weight


def show_shares(table, *, key: str, file_stem: str, limit: int | None = None, download=None) -> None:
    """A table of this page: shares with one decimal, USD budgets with separators; raw in the files
    (every row, or ``download``'s: a function giving the whole table when ``table`` is its first
    rows; ``limit`` rows on screen)."""
    show_table(
        table,
        key=key,
        file_stem=file_stem,
        limit=limit,
        download=download,
        shares=marker_tables.share_columns(table),
        amounts=[c for c in ("Budget (USD)",) if c in table.columns],
    )
