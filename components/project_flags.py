"""The Project page's Flags tab: the early-warning flags raised on the project (DOMAIN.md 5)."""

from __future__ import annotations

import streamlit as st

from components import tables
from components.badges import labels
from components.labels import flag_label

FLAG_COLUMNS = {"severity": "Severity", "flag": "Flag", "message": "What fired", "rule": "Rule"}


def show(ctx, detail, evaluation) -> None:
    if evaluation.flags.empty:
        st.caption("No early-warning flag is raised on this project.")
        return
    flags = evaluation.flags.assign(severity=lambda d: labels(d["severity"]), flag=lambda d: d["code"].map(flag_label))
    tables.show_table(
        flags[list(FLAG_COLUMNS)].rename(columns=FLAG_COLUMNS),
        key="flags",
        file_stem=f"{detail.project['project_code']}-flags",
        column_config={"What fired": st.column_config.TextColumn(width="large")},
    )
