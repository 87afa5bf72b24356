"""Pure chart builders of the Risks and flags page: the flag table of ``evaluate_portfolio`` in,
plotly Figure out.

The flags themselves (which fired, their severity, their sentence) come from
``monitoring.flags.project_flags``; these builders only count the records per severity and per
group for drawing. The portfolio risk heatmap reuses :func:`components.charts_project.risk_heatmap`
(the same grid as the Project page, on the grid of ``monitoring.risks.risk_heatmap``).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from components.charts_common import count, empty_figure, layout, n_of, status_colour, status_name
from components.charts_project import risk_heatmap

__all__ = ["SEVERITIES", "flags_by_group", "flags_by_severity", "risk_heatmap"]

SEVERITIES = ("high", "medium", "low")


def flags_by_severity(flags: pd.DataFrame, n_projects: int) -> go.Figure:
    """Flags and flagged projects per severity (``flags``: project_id, severity).

    ``n_projects`` is the number of projects in view, for the title's "N of M projects". No legend:
    each bar says what it counts in its text, the severity is on the axis.
    """
    if flags.empty:
        return empty_figure(
            "No early-warning flag is raised in this view",
            "No early-warning signal fires for these projects on this date.",
        )
    n_flags = flags.groupby("severity").size().reindex(SEVERITIES, fill_value=0)
    n_proj = flags.groupby("severity")["project_id"].nunique().reindex(SEVERITIES, fill_value=0)
    names = [status_name(s) for s in SEVERITIES]
    fig = go.Figure(
        [
            go.Bar(
                x=names,
                y=n_flags.to_numpy(),
                name="Flags",
                text=[count(int(n), "flags") for n in n_flags],
                textposition="outside",
                cliponaxis=False,
                marker_color=[status_colour(s) for s in SEVERITIES],
            ),
            go.Bar(
                x=names,
                y=n_proj.to_numpy(),
                name="Projects flagged",
                text=[count(int(n), "projects") for n in n_proj],
                textposition="outside",
                cliponaxis=False,
                marker_color="#B0B7C3",
            ),
        ]
    )
    fig.update_yaxes(range=[0, max(1, int(n_flags.max())) * 1.15])
    fig.update_layout(barmode="group")
    title = (
        f"{int(n_flags['high']):,} high-severity flags on {n_of(int(n_proj['high']), n_projects, 'projects')}; "
        f"{len(flags):,} flags in all"
    )
    fig = layout(fig, title, "Severity", "Count (flags or projects)", height=340)
    # the flag bars take their severity's colour, so a one-colour legend entry would mislead; the bar
    # texts ("3 flags", "2 projects") and the axis say what each bar is
    fig.update_layout(showlegend=False)
    return fig


def flags_by_group(
    flags: pd.DataFrame, *, by: str, group_label: str, top: int | None = 15, noun: str = "groups"
) -> go.Figure:
    """Horizontal bars of flags per group, stacked by severity, worst group on top.

    ``flags``: severity and the grouping column ``by`` (e.g. the flag's label or ``country_name``).
    Each segment carries its severity word in the legend and its count as text. With ``top`` set
    and more groups than that, the smaller groups are summed into one explicit "Other N ``noun``"
    bar at the bottom, so the bars always add up to the severity chart (``top=None`` draws every
    group: the flag codes are fewer than 20). The title's "n of N" counts every flag in the chart.
    """
    if flags.empty:
        return empty_figure(f"Flags by {group_label.lower()}: none raised", "No flag to count in this view.")
    counts = pd.crosstab(flags[by].astype(str), flags["severity"]).reindex(columns=SEVERITIES, fill_value=0)
    counts = counts.assign(_total=counts.sum(axis=1), _high=counts["high"]).rename_axis("_group").reset_index()
    counts = counts.sort_values(["_high", "_total", "_group"], ascending=[False, False, True], kind="stable")
    if top is not None and len(counts) > top:
        rest = counts.iloc[top - 1 :]
        other = rest[[*SEVERITIES, "_total", "_high"]].sum().to_frame().T.assign(_group=f"Other {len(rest):,} {noun}")
        counts = pd.concat([counts.iloc[: top - 1], other], ignore_index=True)
    counts = counts.iloc[::-1].set_index("_group")
    fig = go.Figure()
    for severity in SEVERITIES:
        if counts[severity].sum() == 0:
            continue
        fig.add_trace(
            go.Bar(
                y=counts.index,
                x=counts[severity],
                orientation="h",
                name=status_name(severity),
                marker_color=status_colour(severity),
                text=counts[severity].where(counts[severity] > 0),
                textposition="inside",
            )
        )
    fig.update_layout(barmode="stack")
    worst = counts.index[-1]
    n_high, n_all = int(counts["high"].sum()), int(counts["_total"].sum())
    title = (
        f"{worst} has the most high-severity flags: {int(counts.loc[worst, 'high']):,} of the {n_high:,} "
        f"high-severity flags in this chart ({n_all:,} flags in all)"
        if counts.loc[worst, "high"] > 0
        else f"{worst} has the most flags: {int(counts.loc[worst, '_total']):,} of {n_all:,}, none of high severity"
    )
    return layout(fig, title, "Flags (count)", group_label, height=max(300, 28 * len(counts) + 140))
