"""Strategic alignment roll-up (DOMAIN.md section 7): projects, budget and indicator statuses per tag.

Tags (MiGOF, SDG targets, GCM objectives, the strategic results framework) are carried by projects;
an indicator is counted under every tag of its project. Per DOMAIN.md, indicators are rolled up by
**status**, never by raw value (different units cannot be added).

Rows of one scheme are **not additive across tags**: a project tagged SDG 10.7 and SDG 8.8 appears in
both rows, which is what "how much of the portfolio serves SDG 10.7?" asks. Organisation totals come
from ``monitoring.rollup``, never from summing this table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from monitoring.indicators import ASSESSABLE_STATUSES, STATUSES
from monitoring.rollup import counts_and_shares


def tag_rollup(
    tags: pd.DataFrame, project_table: pd.DataFrame, indicator_eval: pd.DataFrame, scheme: str
) -> pd.DataFrame:
    """Per tag code of ``scheme``: n_projects, budget_usd, n_budget_unknown, indicators by status.

    ``project_table`` lists the projects in scope (``project_id``; ``budget_usd`` when known — a
    project without a USD budget, e.g. no exchange rate, is counted in ``n_budget_unknown`` and never
    as 0). Tags of projects outside ``project_table`` are ignored, so the roll-up respects the
    scope and filters the table was built for. Columns: code, n_projects, budget_usd,
    n_budget_unknown, n_indicators, n_assessable, n_<status> and share_<status> for each status.
    """
    in_scope = tags[(tags["scheme"] == scheme) & tags["project_id"].isin(project_table["project_id"])]
    pairs = in_scope[["project_id", "code"]].drop_duplicates()
    if "budget_usd" in project_table.columns:
        budget = pd.to_numeric(project_table.set_index("project_id")["budget_usd"], errors="coerce")
    else:
        budget = pd.Series(np.nan, index=pd.Index(project_table["project_id"]))
    per_project = pd.DataFrame(
        {
            "code": pairs["code"].astype(object).to_numpy(),
            "project_id": pairs["project_id"].to_numpy(),
            "budget_usd": budget.reindex(pairs["project_id"]).to_numpy(),
        }
    )
    per_project["unknown"] = per_project["budget_usd"].isna()
    projects = per_project.groupby("code", as_index=False, sort=True).agg(
        n_projects=("project_id", "size"), budget_usd=("budget_usd", "sum"), n_budget_unknown=("unknown", "sum")
    )

    tagged = pairs.merge(indicator_eval[["project_id", "status"]], on="project_id", how="inner")
    statuses = counts_and_shares(tagged["code"].astype(object), tagged["status"], STATUSES, "n_indicators")
    statuses.insert(2, "n_assessable", statuses[[f"n_{s}" for s in ASSESSABLE_STATUSES]].sum(axis=1))
    table = projects.merge(statuses.rename(columns={"group": "code"}), on="code", how="left")
    counts = [c for c in table.columns if c.startswith("n_")]
    table[counts] = table[counts].fillna(0).astype("int64")
    return table
