"""The Cross-cutting page's monitoring tables, cached (ARCHITECTURE.md practice 6).

Marker, AAP and disaggregation coverage walk every marker, rating and reported period of the
portfolio (about 3 s at the benchmark scale); they depend only on the database, who is asking, what
they filtered, the settings and the page's two choices (scheme, breakdown), so they are computed
once per such key. The cached function reads nothing from the session: every input is an argument.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components import loaders
from data_access.scope import PortfolioFilter, Scope
from monitoring.markers import DISAGGREGATION_COLUMNS, aap_coverage, disaggregation_coverage, marker_distribution
from monitoring.settings import Settings

# the raw rows these tables walk: markers and AAP ratings (with projects and their countries) in
# full, and of the indicators, actuals and breakdowns only the columns disaggregation coverage reads;
# not the targets and money lines (budgets come from the stored evaluation)
FRAMES = ("markers", "aap")
REPORTED = tuple(DISAGGREGATION_COLUMNS.items())


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
    frames = loaders.frames_of(data, scope, flt, FRAMES)
    reported = loaders.frame_columns(data, scope, flt, REPORTED)
    evaluation = loaders.portfolio_summary(data, scope, flt, settings)
    projects, pcs = frames.projects, frames.project_countries
    budget = evaluation.projects[["project_id", "budget_usd"]]

    def disaggregation(group: str | None) -> pd.DataFrame:
        return disaggregation_coverage(
            reported["indicators"],
            reported["actuals"],
            group,
            as_of=flt.as_of,
            projects=projects,
            breakdowns=reported["actual_breakdowns"],
        )

    return CrossCuttingTables(
        marker_overall=marker_distribution(
            frames.markers, projects, budget, scheme, None, project_countries=pcs, countries=countries
        ),
        marker_by=marker_distribution(frames.markers, projects, budget, scheme, by, project_countries=pcs),
        aap_overall=aap_coverage(frames.aap, projects, budget, None, project_countries=pcs, countries=countries),
        aap_by=aap_coverage(frames.aap, projects, budget, by, project_countries=pcs),
        disaggregation_overall=disaggregation(None),
        disaggregation_by=disaggregation(by),
    )
