"""Snapshots (leadership, regional directors, chiefs of mission): freeze the figures of a review,
list the snapshots of this view, compare with one, and take the review pack of one.

A snapshot never changes (docs/review.md); the rendering is in ``components.review_view``.
"""

from __future__ import annotations

import streamlit as st

from components import review_view, tables
from components.frame import page_context

ctx = page_context()
ctx.heading("Snapshots")
st.caption(
    "A snapshot freezes every figure of this view as of the sidebar's date (statuses, progress, money, flags, "
    "KPIs), with the settings in force, the data version, who froze it and when. It never changes: cite it by "
    "its id, compare with it on the Portfolio, Off-track, Finance and Risks pages, or take its review pack."
)

st.subheader("Freeze this view")
review_view.freeze_form(ctx)

st.subheader("Snapshots of this view")
listed = review_view.snapshot_table(ctx)
if listed.empty:
    st.info("No snapshot of this view yet.")
else:
    tables.show_table(listed, key="snapshot_list", file_stem="snapshots")
    chosen = st.selectbox(
        "Review pack of snapshot",
        listed["id"].tolist(),
        format_func=lambda i: f"{i} · {listed.loc[listed['id'] == i, 'name'].iloc[0]}",
        key="pack_snapshot",
    )
    review_view.pack_buttons(ctx, snapshot_id=int(chosen), key="snapshot_pack")
