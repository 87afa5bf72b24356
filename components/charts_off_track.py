"""Pure chart builder of the Off-track page: where the indicators needing attention are.

Input: the rows of ``monitoring.off_track.indicators_needing_attention`` (already filtered by
status, level and sex on the page). The builder counts rows per managing country and status for
drawing; each status is a trace with its symbol and words in the legend.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from components.charts_common import empty_figure, layout, status_colour, status_name
from monitoring.off_track import ATTENTION_STATUSES

MIN_LABEL_SHARE = 0.06


def attention_by_country(rows: pd.DataFrame, *, top: int = 15) -> go.Figure:
    """Horizontal bars: indicators per managing country, stacked off track / at risk / no data."""
    if rows.empty:
        return empty_figure(
            "No indicator needs attention in this selection", "Nothing is off track, at risk or without data here."
        )
    country = rows["managing_country_name"].astype(object).fillna("unknown")
    counts = (
        rows.groupby([country.to_numpy(), rows["status"].to_numpy()])
        .size()
        .unstack(fill_value=0)
        .reindex(columns=list(ATTENTION_STATUSES), fill_value=0)
    )
    counts = counts.assign(_total=counts.sum(axis=1)).rename_axis("_country").reset_index()
    counts = (
        counts.sort_values(["off_track", "_total", "_country"], ascending=[False, False, True], kind="stable")
        .head(top)
        .iloc[::-1]
    )
    fig = go.Figure()
    # a count is printed only on a segment at least MIN_LABEL_SHARE of the longest bar wide (and plotly
    # hides any that still would not fit at a readable size): the hover gives every number
    wide = counts["_total"].max() * MIN_LABEL_SHARE
    for status in ATTENTION_STATUSES:
        if counts[status].sum() == 0:
            continue
        fig.add_trace(
            go.Bar(
                y=counts["_country"],
                x=counts[status],
                orientation="h",
                name=status_name(status),
                marker_color=status_colour(status),
                text=[f"{n:,}" if n > 0 and n >= wide else "" for n in counts[status]],
                textposition="inside",
                textangle=0,
                hovertemplate="%{y}: %{x:,} indicators<extra>" + status_name(status) + "</extra>",
            )
        )
    fig.update_layout(barmode="stack", uniformtext_minsize=10, uniformtext_mode="hide")
    worst = counts.iloc[-1]
    shown = "" if len(counts) == country.nunique() else f"; top {len(counts)} of {country.nunique()} countries shown"
    title = (
        f"{worst['_country']} has the most indicators off track ({int(worst['off_track']):,} of "
        f"{int(worst['_total']):,} needing attention){shown}"
        if worst["off_track"] > 0
        else f"{worst['_country']} has the most indicators needing attention ({int(worst['_total']):,}){shown}"
    )
    return layout(fig, title, "Indicators (count)", "Managing country", height=max(280, 28 * len(counts) + 140))
