"""The Project page's Evaluations tab: the evaluations with their rating per criterion, then the open
evaluation and audit recommendations (``monitoring.recommendations``: open or in progress on the as-of
date, the overdue flag's rule)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import empty_states, tables
from components.labels import code_labels
from monitoring.recommendations import open_recommendations


def recommendations_table(recs: pd.DataFrame) -> pd.DataFrame:
    """Recommendations labelled for people, in the order given."""
    return pd.DataFrame(
        {
            "Recommendation": recs["recommendation_code"].to_numpy(),
            "Due": recs["due_date"].to_numpy(),
            "Status": code_labels("RECOMMENDATION_STATUSES", recs["status"]).to_numpy(),
            "Text": recs["text"].to_numpy(),
            "Source": code_labels("RECOMMENDATION_SOURCES", recs["source"]).to_numpy(),
            "Management response": code_labels("MANAGEMENT_RESPONSES", recs["management_response"]).to_numpy(),
            "Issued": recs["issued_on"].to_numpy(),
        }
    )


def show(ctx, detail, evaluation) -> None:
    code = detail.project["project_code"]
    if detail.evaluations.empty:
        empty_states.no_rows("evaluations")
    else:
        ratings = detail.evaluation_ratings.pivot_table(index="evaluation_code", columns="criterion", values="rating")
        tables.show_table(
            detail.evaluations.drop(columns="evaluation_id").merge(
                ratings, left_on="evaluation_code", right_index=True, how="left"
            ),
            key="evaluations",
            file_stem=f"{code}-evaluations",
        )
    open_recs = open_recommendations(detail.portfolio.recommendations, ctx.as_of)
    st.markdown(f"**Open recommendations** ({len(open_recs)})")
    if open_recs.empty:
        st.caption("No open evaluation or audit recommendation.")
        return
    tables.show_table(
        recommendations_table(open_recs),
        key="recommendations",
        file_stem=f"{code}-recommendations",
        column_config={"Text": st.column_config.TextColumn(width="large")},
    )
