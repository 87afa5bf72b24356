"""The Risks and flags page's tables (pure: selection, joins for names, labels; no rules here).

Flags come from ``monitoring.flags`` (through ``evaluate_portfolio``), the unmitigated high risks
from ``monitoring.risk_attention``; the full flag list reuses the Portfolio page's
:func:`components.status_matrix.top_flags` so both pages show a flag the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from components.badges import label
from components.labels import code_labels, flag_label
from components.status_matrix import top_flags

__all__ = ["flag_list", "flags_in_view", "unmitigated_display"]


def flags_in_view(
    flags: pd.DataFrame, projects: pd.DataFrame, *, severities: Sequence[str] = (), codes: Sequence[str] = ()
) -> pd.DataFrame:
    """Flags narrowed to ``severities`` and ``codes`` (empty = all), with the managing country
    (``managing_country`` code and ``country_name``) and the flag's label (``flag_name``)."""
    chosen = flags
    if severities:
        chosen = chosen.loc[chosen["severity"].isin(list(severities))]
    if codes:
        chosen = chosen.loc[chosen["code"].isin(list(codes))]
    names = projects[["project_id", "managing_country", "managing_country_name"]].drop_duplicates("project_id")
    out = chosen.merge(names, on="project_id", how="left")
    country = out.pop("managing_country_name").fillna("unknown")
    return out.assign(country_name=country, flag_name=out["code"].map(flag_label)).reset_index(drop=True)


def flag_list(flags: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """The Portfolio page's flag list (:func:`components.status_matrix.top_flags`, same order) with
    the flag's label in "Flag" and its code kept last in "Code" (what ``report flags`` prints)."""
    return top_flags(flags, projects, with_code=True)


def unmitigated_display(risks: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """One row per unmitigated or unreviewed high risk, highest score first (order kept)."""
    meta = projects[["project_id", "project_code", "title", "managing_country_name", "status"]]
    rows = risks.merge(meta.drop_duplicates("project_id"), on="project_id", how="left")
    return pd.DataFrame(
        {
            "Project": rows["project_code"],
            "Country": rows["managing_country_name"],
            "Project status": code_labels("PROJECT_STATUSES", rows["status"]),
            "Risk": rows["risk_code"],
            "Description": rows["description"],
            "Category": code_labels("RISK_CATEGORIES", rows["category"]),
            "Likelihood": rows["likelihood"],
            "Impact": rows["impact"],
            "Score": rows["score"],
            "Level": label("high"),
            "Why": rows["why"],
            "Mitigation": rows["mitigation"],
            "Owner": rows["owner"],
            "Last reviewed": rows["last_reviewed"],
            "Flag raised": rows["eligible_for_flag"].map(
                {True: "Yes", False: "No (project not active or not started)"}
            ),
        }
    ).reset_index(drop=True)
