"""The Project page's "Monitoring visits" tab: every visit, newest first, with its follow-up status."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import empty_states, tables
from components.labels import code_labels


def show(ctx, detail, evaluation) -> None:
    visits = detail.portfolio.visits
    if visits.empty:
        empty_states.no_rows("monitoring visits")
        return
    visits = visits.sort_values("visit_date", ascending=False)
    tables.show_table(
        pd.DataFrame(
            {
                "Date": visits["visit_date"].to_numpy(),
                "Type": code_labels("VISIT_TYPES", visits["visit_type"]).to_numpy(),
                "Findings": visits["findings"].to_numpy(),
                "Follow-up": code_labels("FOLLOW_UP_STATUSES", visits["follow_up_status"]).to_numpy(),
            }
        ),
        key="visits",
        file_stem=f"{detail.project['project_code']}-visits",
        column_config={"Findings": st.column_config.TextColumn(width="large")},
    )
