"""The Cross-cutting page's monitoring tables, cached (ARCHITECTURE.md practice 6), one function per tab.

Every table comes from small reads: the per-project figures of the stored evaluation (budgets and
the disaggregation counts, ``monitoring.markers.disaggregation_by_project``, which the evaluation
keeps per project so that no page walks the ~800,000 actuals of 10,000 projects), the markers and
AAP ratings (three columns each) and the projects' countries. The tables depend only on the
database, who is asking, what they filtered, the settings and the tab's choices (scheme,
breakdown), so they are computed once per such key. The page's tabs are lazy
(``components.lazy_tabs``): the marker tables and the AAP tables are cached apart, so opening one
tab (or changing the marker scheme) computes that tab's tables only; the AAP tables are the
costly ones (five commitments, each counted by projects and by budget). The first tab's lists to
act on read only the projects they list, picked in SQL, and lay out only the rows shown
(:func:`to_act_on`); their downloads read every row when clicked. The cached functions read
nothing from the session: every input is an argument.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from components import loaders, marker_tables
from data_access import evaluated
from data_access.scope import PortfolioFilter, Scope
from monitoring.frames import COLUMNS
from monitoring.markers import aap_coverage, marker_distribution, off_track_for_women
from monitoring.settings import Settings

# the raw rows these tables walk: the markers and AAP ratings, without the projects frame their
# reads would otherwise bring (the evaluation's per-project table has the columns they group by)
RAW = tuple((name, COLUMNS[name]) for name in ("markers", "aap"))
# the lists to act on: the flags they list by, and the stored per-project columns they show or pick by
NO_MARKER, AAP_GAPS = "GENDER_MARKER_MISSING", "AAP_GAPS"
TO_ACT_ON_COLUMNS = (
    "project_id", "project_code", "title", "managing_country_name", "results_status", "results_status_female",
    "results_status_male", "results_progress", "n_people_reported", "n_sex_disaggregated", "n_age_disaggregated",
)  # fmt: skip


@dataclass(frozen=True)
class ToActOn:
    """The four lists of the first tab (``components.marker_tables``); an empty list: none to act on."""

    no_marker: pd.DataFrame
    aap_gaps: pd.DataFrame
    no_sex_breakdown: pd.DataFrame
    women: pd.DataFrame


def to_act_on_tables(projects: pd.DataFrame, flags: pd.DataFrame, aap: pd.DataFrame) -> ToActOn:
    """The lists of ``projects`` (stored per-project rows), ``flags`` (project_id, code) and the raw
    ``aap`` ratings: every list takes its own rows of ``projects`` and orders them, so any superset of
    the listed projects gives the same lists (the whole summary, or :func:`to_act_on`'s read)."""
    gaps = marker_tables.flagged_projects(flags, projects, AAP_GAPS)
    return ToActOn(
        no_marker=marker_tables.gender_marker_missing_table(marker_tables.flagged_projects(flags, projects, NO_MARKER)),
        aap_gaps=gaps if gaps.empty else marker_tables.aap_gaps_table(gaps, aap),
        no_sex_breakdown=marker_tables.sex_breakdown_gaps_table(projects),
        women=marker_tables.women_gap_table(off_track_for_women(projects)),
    )


@dataclass(frozen=True)
class FirstRows:
    """The first rows of each list to act on (the rows shown) and how many rows each has in all."""

    lists: ToActOn
    counts: dict[str, int]


def list_orders(read: evaluated.ProjectsToActOn) -> dict[str, pd.Series]:
    """Per list of :class:`ToActOn`, the codes of its projects in the list's order, without laying
    the lists out (no labels, no names, no table per commitment): the orders of
    ``components.marker_tables``, each total (the code breaks every tie)."""
    projects, flags = read.projects, read.flags

    def flagged(code: str) -> pd.DataFrame:
        return projects.loc[projects["project_id"].isin(flags.loc[flags["code"] == code, "project_id"])]

    def most_first(rows: pd.DataFrame, gaps: np.ndarray) -> pd.Series:
        ordered = rows.assign(_gaps=gaps).sort_values(["_gaps", "project_code"], ascending=[False, True], kind="stable")
        return ordered["project_code"]

    aap = flagged(AAP_GAPS)
    unbroken = projects.loc[projects["n_people_reported"] > projects["n_sex_disaggregated"]]
    return {
        "no_marker": flagged(NO_MARKER)["project_code"].sort_values(kind="stable"),
        "aap_gaps": most_first(
            aap, marker_tables.aap_gap_counts(marker_tables.aap_ratings(aap["project_id"], read.aap))
        ),
        "no_sex_breakdown": most_first(
            unbroken, (unbroken["n_people_reported"] - unbroken["n_sex_disaggregated"]).to_numpy()
        ),
        "women": off_track_for_women(projects)["project_code"].sort_values(kind="stable"),
    }


def first_rows(read: evaluated.ProjectsToActOn, rows: int) -> FirstRows:
    """The first ``rows`` rows of each list to act on and how many rows each has, from ``read``
    (``evaluated.projects_to_act_on``: the projects listed, their flags and AAP ratings).

    The lists are ordered without being laid out (:func:`list_orders`); only the projects of their
    first ``rows`` rows are laid out (:func:`to_act_on_tables`, with those projects' flags and
    ratings), and each list of those projects begins with these rows, since its order is total and
    a row depends only on its project (tests/test_cold_reads_cross_cutting_strategy.py). At 100,000
    projects ~80,000 are listed; labelling them all, and each one's five AAP ratings, took seconds.
    """
    orders = list_orders(read)
    shown = set().union(*(codes.iloc[:rows] for codes in orders.values()))
    ids = read.projects.loc[read.projects["project_code"].isin(shown), "project_id"]
    tables = to_act_on_tables(
        *(frame.loc[frame["project_id"].isin(ids)] for frame in (read.projects, read.flags, read.aap))
    )
    return FirstRows(
        lists=ToActOn(**{name: table.head(rows) for name, table in vars(tables).items()}),
        counts={name: len(codes) for name, codes in orders.items()},
    )


def _projects_to_act_on(
    data: loaders.DataKey, scope: Scope, flt: PortfolioFilter, settings: Settings
) -> evaluated.ProjectsToActOn:
    engine = loaders.engine_for(data.url)
    return evaluated.projects_to_act_on(
        engine, scope, flt, settings, TO_ACT_ON_COLUMNS, (NO_MARKER, AAP_GAPS), AAP_GAPS
    )


@st.cache_data(ttl=loaders.PORTFOLIO_TTL_S, max_entries=loaders.PORTFOLIO_MAX_ENTRIES, show_spinner=False)
def to_act_on(data: loaders.DataKey, scope: Scope, flt: PortfolioFilter, settings: Settings, rows: int) -> FirstRows:
    """The first tab's first ``rows`` rows of each list and their counts (:func:`first_rows`) from
    the rows listed only, picked in SQL, not the whole summary and every AAP rating: at 100,000
    projects those were ~280,000 flags with their texts, 62 columns of every project and ~500,000
    ratings."""
    return first_rows(_projects_to_act_on(data, scope, flt, settings), rows)


@st.cache_data(
    ttl=loaders.PORTFOLIO_TTL_S, max_entries=loaders.PORTFOLIO_MAX_ENTRIES, show_spinner="Preparing the file…"
)
def every_to_act_on(data: loaders.DataKey, scope: Scope, flt: PortfolioFilter, settings: Settings) -> ToActOn:
    """Every row of each list to act on: what the downloads hold (read when a button is clicked)."""
    read = _projects_to_act_on(data, scope, flt, settings)
    return to_act_on_tables(read.projects, read.flags, read.aap)


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
