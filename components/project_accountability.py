"""The Project page's "AAP and markers" tab: the five IASC commitments on accountability to affected
populations with the project's rating (DOMAIN.md 6; "not assessed" when none), then its
cross-cutting markers."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import empty_states, tables
from components.labels import AAP_COMMITMENT_LABELS, AAP_RATING_LABELS, code_labels, marker_code_label
from reference.vocabulary import AAP_COMMITMENTS


def aap_checklist(aap: pd.DataFrame) -> pd.DataFrame:
    """Every commitment, in the vocabulary's order, with the rating of ``aap`` (commitment, rating)."""
    rating = aap.set_index("commitment")["rating"] if len(aap) else pd.Series(dtype=object)
    return pd.DataFrame(
        {
            "Commitment (IASC AAP)": [AAP_COMMITMENT_LABELS[c] for c in AAP_COMMITMENTS],
            "Rating": [
                AAP_RATING_LABELS.get(rating.get(c), AAP_RATING_LABELS["not_assessed"]) for c in AAP_COMMITMENTS
            ],
        }
    )


def show(ctx, detail, evaluation) -> None:
    p, pframes = detail.project, detail.portfolio
    code = p["project_code"]
    tables.show_table(aap_checklist(pframes.aap), key="aap", file_stem=f"{code}-aap")
    st.caption(
        "The five IASC commitments on accountability to affected populations, each rated met, partly met or not "
        "met for this project; not assessed when no rating is recorded."
    )
    markers = pframes.markers.loc[pframes.markers["project_id"] == p["project_id"]]
    if markers.empty:
        empty_states.no_rows("cross-cutting markers")
        return
    tables.show_table(
        pd.DataFrame(
            {
                "Marker": code_labels("MARKER_SCHEMES", markers["scheme"]).to_numpy(),
                "Code": [marker_code_label(s, c) for s, c in zip(markers["scheme"], markers["code"], strict=True)],
            }
        ),
        key="markers",
        file_stem=f"{code}-markers",
    )
