"""The Strategy page's table and tag names (pure: labels over ``monitoring.strategy.tag_rollup``).

Tag names come from the reference lists of ``sample_data.reference`` (the published MiGOF elements,
GCM objectives 1–23 and strategic plan objectives); SDG targets are shown by code (the UNSDG-Targets
codelist is not shipped with the app).
"""

from __future__ import annotations

import pandas as pd

from components.badges import label
from components.charts_strategy import STATUS_ORDER, tag_label
from sample_data import reference


def tag_names(scheme: str) -> dict[str, str]:
    """Code → name for the schemes whose reference list ships with the app (empty for SDG)."""
    if scheme == "MIGOF":
        return dict(reference.MIGOF)
    if scheme == "GCM":
        return {str(i): name for i, name in enumerate(reference.GCM_OBJECTIVES, start=1)}
    if scheme == "SRF":
        return dict(reference.SRF_OBJECTIVES)
    return {}


def rollup_display(rollup: pd.DataFrame, scheme: str, names: dict[str, str]) -> pd.DataFrame:
    """One row per tag, most projects first: projects, budget and indicators by status (counts)."""
    rows = rollup.sort_values(["n_projects", "code"], ascending=[False, True], kind="stable")
    table = pd.DataFrame(
        {
            "Tag": [tag_label(scheme, c) for c in rows["code"]],
            "Name": rows["code"].astype(str).map(lambda c: names.get(c, "")),
            "Projects": rows["n_projects"],
            "Budget (USD)": rows["budget_usd"],
            "Projects without a USD budget": rows["n_budget_unknown"],
            "Indicators": rows["n_indicators"],
            "Assessable": rows["n_assessable"],
        }
    )
    for status in STATUS_ORDER:
        table[label(status)] = rows[f"n_{status}"].to_numpy()
    table["Off track (share)"] = rows["share_off_track"].to_numpy()
    return table.reset_index(drop=True)
