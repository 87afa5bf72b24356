"""Pure chart builders of the Strategy page: ``monitoring.strategy.tag_rollup`` in, plotly Figure out.

A tag row counts every project carrying the tag, so rows of one scheme overlap (a project tagged SDG
10.7 and 8.8 is in both): the charts show each tag on its own and never a total across tags.
Indicators are shown by **status** (DOMAIN.md 7: never summed across units), as shares of the tag's
indicators with the counts in the hover and the status words in the legend.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from components.charts_common import empty_figure, layout, money, pct, result_status_marker, status_name

SCHEME_TITLES = {"MIGOF": "MiGOF element", "SDG": "SDG target", "GCM": "GCM objective", "SRF": "SRF result"}
# stacking order, worst first, so the problem is at the left of every bar
STATUS_ORDER = ("off_track", "at_risk", "no_data", "on_track", "achieved", "not_due", "not_assessable")


def tag_label(scheme: str, code: object, names: dict[str, str] | None = None) -> str:
    """``"SDG 10.7"``, ``"GCM 5 · Enhance availability…"``, ``"MiGOF O1 · Advancing…"`` (short name)."""
    prefix = {"MIGOF": "MiGOF", "SDG": "SDG", "GCM": "GCM", "SRF": "SRF"}.get(scheme, scheme)
    name = (names or {}).get(str(code))
    if not name:
        return f"{prefix} {code}"
    short = name if len(name) <= 42 else name[:40].rstrip() + "…"
    return f"{prefix} {code} · {short}"


def _ordered(rollup: pd.DataFrame) -> pd.DataFrame:
    """Tags by number of projects (largest at the top of a horizontal chart), ties by code."""
    return rollup.sort_values(["n_projects", "code"], ascending=[True, False], kind="stable")


def tag_portfolio_chart(rollup: pd.DataFrame, scheme: str, names: dict[str, str] | None = None) -> go.Figure:
    """Projects and USD budget per tag of one scheme (two panels sharing the tag axis)."""
    what = SCHEME_TITLES.get(scheme, scheme)
    if rollup.empty:
        return empty_figure(
            f"No {what} tag on any project in view",
            "Add strategic tags (column `tags`, e.g. SDG:10.7;GCM:1;MIGOF:O1) on the Data page.",
        )
    data = _ordered(rollup)
    labels = [tag_label(scheme, c, names) for c in data["code"]]
    fig = make_subplots(
        rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.04, subplot_titles=("Projects", "Budget (USD)")
    )
    fig.add_trace(
        go.Bar(
            y=labels,
            x=data["n_projects"],
            orientation="h",
            name="Projects",
            marker_color="#0033A0",
            text=data["n_projects"],
            textposition="auto",
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Bar(
            y=labels,
            x=data["budget_usd"],
            orientation="h",
            name="Budget (USD)",
            marker_color="#7A8CA5",
            text=data["budget_usd"].map(lambda v: money(v, "USD")),
            textposition="auto",
            customdata=data["n_budget_unknown"],
            hovertemplate="%{y}: USD %{x:,.0f} (%{customdata} project(s) without a USD budget)<extra></extra>",
        ),
        row=1,
        col=2,
    )
    fig.update_xaxes(title_text="Projects (count)", row=1, col=1)
    fig.update_xaxes(title_text="Budget (USD)", row=1, col=2)
    top = data.iloc[-1]
    title = (
        f"{tag_label(scheme, top['code'])} is served by the most projects ({int(top['n_projects']):,}, "
        f"{money(top['budget_usd'], 'USD')}); {len(data)} {what}s tagged"
    )
    fig = layout(fig, title, "Projects (count)", what, height=max(300, 28 * len(data) + 160))
    fig.update_layout(showlegend=False)
    return fig


def tag_status_chart(rollup: pd.DataFrame, scheme: str, names: dict[str, str] | None = None) -> go.Figure:
    """Indicators by status per tag, as 100% stacked bars (share of the tag's indicators).

    Seven statuses side by side: each has its own colour (:data:`charts_common.RESULT_STATUS_FILL`),
    the look-alike pairs a pattern too, and the status word is in the legend and in every hover.
    """
    what = SCHEME_TITLES.get(scheme, scheme)
    data = _ordered(rollup.loc[rollup["n_indicators"] > 0]) if len(rollup) else rollup
    if data.empty:
        return empty_figure(
            f"Indicators by {what}: none in view", "No indicator belongs to a tagged project in this view."
        )
    labels = [tag_label(scheme, c, names) for c in data["code"]]
    fig = go.Figure()
    for status in STATUS_ORDER:
        count = data[f"n_{status}"]
        if count.sum() == 0:
            continue
        share = data[f"share_{status}"] * 100
        fig.add_trace(
            go.Bar(
                y=labels,
                x=share,
                orientation="h",
                name=status_name(status),
                marker=result_status_marker(status),
                customdata=count,
                text=[f"{v:.0f}%" if v >= 8 else "" for v in share],
                textposition="inside",
                hovertemplate="%{y}<br>"
                + status_name(status)
                + ": %{customdata} indicator(s), %{x:.0f}%<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    worst = data.sort_values(["share_off_track", "n_off_track"], ascending=False, kind="stable").iloc[0]
    if worst["n_off_track"] == 0:
        title = f"No indicator of a project tagged with a {what} is off track"
    else:
        title = (
            f"{tag_label(scheme, worst['code'])} has the largest share of indicators off track: "
            f"{int(worst['n_off_track']):,} of {int(worst['n_indicators']):,} ({pct(worst['share_off_track'])})"
        )
    fig.update_xaxes(range=[0, 100])
    return layout(fig, title, "% of the tag's indicators", what, height=max(300, 28 * len(data) + 160))
