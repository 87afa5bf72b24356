"""The Project page's "Data quality" tab: the DOMAIN.md 8 issues of the project and its indicators."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import tables
from components.labels import code_labels


def issues_table(issues: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """One row per issue: the indicator's code ("(project)" for a project-level issue), issue, detail."""
    codes = indicators.set_index("indicator_id")["indicator_code"]
    # object first: with project-level issues only, the mapped ids stay an all-missing Int64 column
    shown = issues.assign(
        indicator=issues["indicator_id"].map(codes).astype(object).fillna("(project)"),
        issue=code_labels("QUALITY_ISSUES", issues["issue"]),
    )[["indicator", "issue", "message"]]
    return shown.rename(columns={"indicator": "Indicator", "issue": "Issue", "message": "Detail"})


def show(ctx, detail, evaluation) -> None:
    if evaluation.quality.empty:
        st.caption("No data-quality issue found on this project's indicators.")
        return
    tables.show_table(
        issues_table(evaluation.quality, evaluation.indicators),
        key="quality",
        file_stem=f"{detail.project['project_code']}-data-quality",
    )
    st.caption(
        "The checks: missing baseline or target, target equal to baseline, no unit, "
        "no sex breakdown, implausible values, breakdowns that do not add up."
    )
