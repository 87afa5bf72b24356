"""The Cross-cutting page's monitoring tables, cached (ARCHITECTURE.md practice 6).

Every table comes from small reads: the per-project figures of the stored evaluation (budgets and
the disaggregation counts, ``monitoring.markers.disaggregation_by_project``, which the evaluation
keeps per project so that no page walks the ~800,000 actuals of 10,000 projects), the markers and
AAP ratings (three columns each) and the projects' countries. The tables depend only on the
database, who is asking, what they filtered, the settings and the page's two choices (scheme,
breakdown), so they are computed once per such key. The cached function reads nothing from the
session: every input is an argument.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components import loaders
from data_access.scope import PortfolioFilter, Scope
from monitoring.frames import COLUMNS
from monitoring.markers import aap_coverage, disaggregation_coverage, marker_distribution
from monitoring.settings import Settings

# the raw rows these tables walk: the markers and AAP ratings, without the projects frame their
# reads would otherwise bring (the evaluation's per-project table has the columns they group by)
RAW = tuple((name, COLUMNS[name]) for name in ("markers", "aap"))


@dataclass(frozen=True, eq=False)
class CrossCuttingTables:
    """``monitoring.markers`` tables for the whole view (``*_overall``) and per group (``*_by``)."""

    marker_overall: pd.DataFrame
    marker_by: pd.DataFrame
    aap_overall: pd.DataFrame
    aap_by: pd.DataFrame
    disaggregation_overall: pd.DataFrame
    disaggregation_by: pd.DataFrame


@st.cache_data(
    ttl=loaders.PORTFOLIO_TTL_S, max_entries=loaders.DETAIL_MAX_ENTRIES, show_spinner="Computing marker coverage…"
)
def cross_cutting_tables(
    data: loaders.DataKey,
    scope: Scope,
    flt: PortfolioFilter,
    settings: Settings,
    scheme: str,
    by: str,
    countries: frozenset[str] | None = None,
) -> CrossCuttingTables:
    """Every table of the Cross-cutting page for one marker ``scheme`` and breakdown ``by``.

    ``countries`` are the countries in view (``components.view_groups.places_in_view``; ``None``
    for the whole organisation): the ``*_overall`` marker and AAP tables then count the projects
    managed there and their share of every project's money, as the Finance and Portfolio cards do.
    """
    raw = loaders.frame_columns(data, scope, flt, RAW)
    projects = loaders.portfolio_summary(data, scope, flt, settings).projects
    pcs = loaders.project_countries(data, scope, flt)
    budget = projects[["project_id", "budget_usd"]]
    markers, aap = raw["markers"], raw["aap"]
    return CrossCuttingTables(
        marker_overall=marker_distribution(
            markers, projects, budget, scheme, None, project_countries=pcs, countries=countries
        ),
        marker_by=marker_distribution(markers, projects, budget, scheme, by, project_countries=pcs),
        aap_overall=aap_coverage(aap, projects, budget, None, project_countries=pcs, countries=countries),
        aap_by=aap_coverage(aap, projects, budget, by, project_countries=pcs),
        disaggregation_overall=disaggregation_coverage(projects, None),
        disaggregation_by=disaggregation_coverage(projects, by, projects=projects),
    )
