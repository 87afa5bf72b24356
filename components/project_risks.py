"""The Project page's Risks tab: open risks on the likelihood × impact grid (DOMAIN.md 4), then the
whole register, open risks first and the highest score first."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import charts_project as charts
from components import empty_states, tables
from components.badges import labels
from components.frame import show_chart
from components.labels import code_labels
from monitoring.risks import risk_heatmap

REGISTER_COLUMNS = {
    "risk_code": "Risk",
    "status_label": "Status",
    "score": "Score",
    "level": "Level",
    "likelihood": "Likelihood",
    "impact": "Impact",
    "description": "Description",
    "category": "Category",
    "mitigation": "Mitigation",
    "owner": "Owner",
    "last_reviewed": "Last reviewed",
}


def register_table(register: pd.DataFrame) -> pd.DataFrame:
    """The register labelled for people: open risks first, then by score, highest first."""
    shown = register.assign(
        _closed=register["status"].eq("closed"),
        level=labels(register["level"]),
        category=code_labels("RISK_CATEGORIES", register["category"]),
        status_label=code_labels("RISK_STATUSES", register["status"]),
    ).sort_values(["_closed", "score"], ascending=[True, False], kind="stable")
    return shown[list(REGISTER_COLUMNS)].rename(columns=REGISTER_COLUMNS).fillna({"Mitigation": "", "Owner": ""})


def show(ctx, detail, evaluation) -> None:
    register = evaluation.risks
    if register.empty:
        empty_states.no_rows("risks")
        return
    show_chart(
        charts.risk_heatmap(
            risk_heatmap(register), high_min=ctx.settings.risk_high_min, medium_min=ctx.settings.risk_medium_min
        ),
        how=(
            "open risks on the likelihood × impact grid (each 1–5); score = likelihood × impact, high "
            f"≥ {ctx.settings.risk_high_min}, medium {ctx.settings.risk_medium_min}–{ctx.settings.risk_high_min - 1}, "
            "low below."
        ),
        key="risk_heatmap",
    )
    st.caption("The register lists open risks first; the grid above counts open risks only.")
    code = detail.project["project_code"]
    tables.show_table(register_table(register), key="risk_register", file_stem=f"{code}-risks")
