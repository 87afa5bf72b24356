"""The Strategy page's roll-up by tag from the projects' stored status counts.

``monitoring.strategy.tag_rollup`` counts every indicator of a tagged project under the tag: it
needs each indicator's status (2 million rows at 100,000 projects, most of the page's cold view).
The stored per-project figures already hold how many of the project's indicators have each status
(``n_<status>``, counted by ``monitoring.results`` from the same statuses), so summing them over
the projects of each tag gives the same counts from one row per project.
:func:`tag_rollup_of_counts` equals ``tag_rollup`` of the indicator rows
(tests/test_cold_reads_cross_cutting_strategy.py, SQLite and PostgreSQL). The page reads one
scheme at a time (:func:`scheme_rollup`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from components import loaders
from data_access import evaluated
from data_access.scope import PortfolioFilter, Scope
from monitoring.indicators import ASSESSABLE_STATUSES, STATUSES
from monitoring.settings import Settings
from monitoring.strategy import tag_rollup

STATUS_COUNTS = tuple(f"n_{status}" for status in STATUSES)
# the stored per-project columns of the roll-up
PROJECT_COLUMNS = ("project_id", "budget_usd", *STATUS_COUNTS)
_NO_INDICATORS = pd.DataFrame({"project_id": pd.Series(dtype="int64"), "status": pd.Series(dtype=object)})


def tag_rollup_of_counts(tags: pd.DataFrame, projects: pd.DataFrame, scheme: str) -> pd.DataFrame:
    """``tag_rollup(tags, projects, indicators, scheme)`` with the indicators' statuses summed from
    ``projects``' ``n_<status>`` columns (:data:`PROJECT_COLUMNS`) instead of counted from their rows.

    The projects and budgets per tag are ``tag_rollup``'s own (with no indicator rows); the counts of
    each tag are the sums over its distinct projects, and the shares are of their total, as
    ``monitoring.rollup.counts_and_shares`` computes them (no share for a tag without indicators).
    """
    table = tag_rollup(tags, projects, _NO_INDICATORS, scheme)
    in_scope = tags[(tags["scheme"] == scheme) & tags["project_id"].isin(projects["project_id"])]
    pairs = in_scope[["project_id", "code"]].drop_duplicates()
    per_pair = projects.set_index("project_id")[list(STATUS_COUNTS)].reindex(pairs["project_id"]).astype("int64")
    counts = per_pair.groupby(pairs["code"].astype(object).to_numpy()).sum().reindex(table["code"]).to_numpy()
    total = counts.sum(axis=1)
    table["n_indicators"] = total
    table["n_assessable"] = counts[:, [STATUSES.index(s) for s in ASSESSABLE_STATUSES]].sum(axis=1)
    for i, status in enumerate(STATUSES):
        table[f"n_{status}"] = counts[:, i]
    with np.errstate(divide="ignore", invalid="ignore"):
        for i, status in enumerate(STATUSES):
            table[f"share_{status}"] = np.where(total > 0, counts[:, i] / np.maximum(total, 1), np.nan)
    return table


@st.cache_data(ttl=loaders.PORTFOLIO_TTL_S, max_entries=loaders.DETAIL_MAX_ENTRIES, show_spinner=False)
def scheme_rollup(
    data: loaders.DataKey, scope: Scope, flt: PortfolioFilter, settings: Settings, scheme: str
) -> tuple[pd.DataFrame, int]:
    """:func:`tag_rollup_of_counts` of one ``scheme`` for the view, and how many of its projects carry
    a tag of it: read are that scheme's tags and the stored columns of the projects carrying one
    (``evaluated.tagged_projects``), not every tag, project and indicator status of the view."""
    tags, projects = evaluated.tagged_projects(
        loaders.engine_for(data.url), scope, flt, settings, scheme, PROJECT_COLUMNS
    )
    return tag_rollup_of_counts(tags, projects, scheme), tags["project_id"].nunique()
