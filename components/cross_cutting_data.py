"""The Cross-cutting page's monitoring tables, cached (ARCHITECTURE.md practice 6), one function per tab.

Every table comes from small reads: the per-project figures of the stored evaluation (budgets and
the disaggregation counts, ``monitoring.markers.disaggregation_by_project``, which the evaluation
keeps per project so that no page walks the ~800,000 actuals of 10,000 projects), the markers and
AAP ratings (three columns each) and the projects' countries. The tables depend only on the
database, who is asking, what they filtered, the settings and the tab's choices (scheme,
breakdown), so they are computed once per such key. The page's tabs are lazy
(``components.lazy_tabs``): the marker tables and the AAP tables are cached apart, so opening one
tab (or changing the marker scheme) computes that tab's tables only; the AAP tables are the
costly ones (five commitments, each counted by projects and by budget). The cached functions read
nothing from the session: every input is an argument.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import loaders
from data_access.scope import PortfolioFilter, Scope
from monitoring.frames import COLUMNS
from monitoring.markers import aap_coverage, marker_distribution
from monitoring.settings import Settings

# the raw rows these tables walk: the markers and AAP ratings, without the projects frame their
# reads would otherwise bring (the evaluation's per-project table has the columns they group by)
RAW = tuple((name, COLUMNS[name]) for name in ("markers", "aap"))


def raw_ratings(data: loaders.DataKey, scope: Scope, flt: PortfolioFilter) -> dict[str, pd.DataFrame]:
    """The markers and AAP ratings in view (project_id and three columns each; cached by the loader)."""
    return loaders.frame_columns(data, scope, flt, RAW)


def _inputs(data: loaders.DataKey, scope: Scope, flt: PortfolioFilter, settings: Settings):
    """The raw ratings, the projects, their USD budgets and their countries' shares."""
    projects = loaders.portfolio_summary(data, scope, flt, settings).projects
    budget = projects[["project_id", "budget_usd"]]
    return raw_ratings(data, scope, flt), projects, budget, loaders.project_countries(data, scope, flt)


@st.cache_data(
    ttl=loaders.PORTFOLIO_TTL_S, max_entries=loaders.DETAIL_MAX_ENTRIES, show_spinner="Counting the markers…"
)
def marker_coverage(
    data: loaders.DataKey,
    scope: Scope,
    flt: PortfolioFilter,
    settings: Settings,
    scheme: str,
    by: str,
    countries: frozenset[str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``marker_distribution`` of one ``scheme`` for the whole view and per group ``by``.

    ``countries`` are the countries in view (``components.view_groups.places_in_view``; ``None``
    for the whole organisation): the whole-view table then counts the projects managed there and
    their share of every project's money, as the Finance and Portfolio cards do.
    """
    raw, projects, budget, pcs = _inputs(data, scope, flt, settings)
    markers = raw["markers"]
    return (
        marker_distribution(markers, projects, budget, scheme, None, project_countries=pcs, countries=countries),
        marker_distribution(markers, projects, budget, scheme, by, project_countries=pcs),
    )


@st.cache_data(
    ttl=loaders.PORTFOLIO_TTL_S, max_entries=loaders.DETAIL_MAX_ENTRIES, show_spinner="Counting the AAP ratings…"
)
def aap_commitments(
    data: loaders.DataKey,
    scope: Scope,
    flt: PortfolioFilter,
    settings: Settings,
    by: str,
    countries: frozenset[str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``aap_coverage`` for the whole view and per group ``by`` (``countries`` as in :func:`marker_coverage`)."""
    raw, projects, budget, pcs = _inputs(data, scope, flt, settings)
    aap = raw["aap"]
    return (
        aap_coverage(aap, projects, budget, None, project_countries=pcs, countries=countries),
        aap_coverage(aap, projects, budget, by, project_countries=pcs),
    )
