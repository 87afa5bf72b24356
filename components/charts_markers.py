"""Pure chart builders of the Cross-cutting page: ``monitoring.markers`` tables in, plotly Figure out.

Inputs are the tables of :func:`monitoring.markers.marker_distribution`,
:func:`~monitoring.markers.aap_coverage` and :func:`~monitoring.markers.disaggregation_coverage`
(counts, shares and USD budgets already computed there). The builders choose what to draw and
phrase the finding; the words of every code and rating are in the legend and the bar text, so
nothing depends on colour.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from components.charts_common import count, empty_figure, layout, money, n_of, pct, short_place
from components.labels import AAP_COMMITMENT_LABELS, AAP_RATING_LABELS, code_label, marker_code_label

# rating → colour; the words (one symbol set everywhere) are components.labels.AAP_RATING_LABELS and
# the order is the stacking order
RATING_COLOURS = {"met": "#4C9A2A", "partly": "#E59400", "not_met": "#C62828", "not_assessed": "#9E9E9E"}
RATINGS = {rating: (AAP_RATING_LABELS[rating], colour) for rating, colour in RATING_COLOURS.items()}
NOT_SET = "not set"
CODE_PALETTE = (
    "#0033A0",
    "#4F77C4",
    "#8FA9DD",
    "#C9D6F0",
    "#5B8C3A",
    "#A4C98A",
    "#7A5AA6",
    "#C2A8E0",
    "#B26B00",
    "#E8B466",
    "#6D6D6D",
    "#A9A9A9",
    "#D0D0D0",
)


def scheme_name(scheme: str) -> str:
    """``"IASC_GAM"`` → ``"IASC Gender with Age Marker"``."""
    return code_label("MARKER_SCHEMES", scheme)


def _code_colours(codes: list[str]) -> dict[str, str]:
    colours = {code: CODE_PALETTE[i % len(CODE_PALETTE)] for i, code in enumerate(c for c in codes if c != NOT_SET)}
    colours[NOT_SET] = "#E0E0E0"
    return colours


def marker_distribution_chart(dist: pd.DataFrame, scheme: str) -> go.Figure:
    """Share of projects and share of USD budget by code of one scheme (two panels, same codes).

    ``dist`` is ``marker_distribution(..., by=None)``: code, n_projects, share_projects,
    budget_usd, share_budget, n_budget_unknown.
    """
    name = scheme_name(scheme)
    total = int(dist["n_projects"].sum()) if len(dist) else 0
    if total == 0:
        return empty_figure(f"{name}: no project in view", "No project to report a marker for.")
    data = dist.assign(code=dist["code"].astype(str)).sort_values("code", key=lambda c: c == NOT_SET, kind="stable")
    fig = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        horizontal_spacing=0.04,
        subplot_titles=("Share of projects", "Share of budget (USD)"),
    )
    labels = data["code"].map(lambda c: marker_code_label(scheme, c))
    fig.add_trace(
        go.Bar(
            y=labels,
            x=data["share_projects"] * 100,
            orientation="h",
            name="Projects",
            marker_color="#0033A0",
            text=data["n_projects"].map(lambda n: count(n, "projects")),
            textposition="auto",
            hovertemplate="%{y}: %{x:.0f}% of projects<extra></extra>",
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Bar(
            y=labels,
            x=data["share_budget"].fillna(0) * 100,
            orientation="h",
            name="Budget",
            marker_color="#7A8CA5",
            text=data["budget_usd"].map(lambda v: money(v, "USD")),
            textposition="auto",
            hovertemplate="%{y}: %{x:.0f}% of budget<extra></extra>",
        ),
        row=1,
        col=2,
    )
    fig.update_xaxes(title_text="% of projects", range=[0, 100], row=1, col=1)
    fig.update_xaxes(title_text="% of USD budget", range=[0, 100], row=1, col=2)
    coded = data.loc[data["code"] != NOT_SET]
    n_not_set = int(data.loc[data["code"] == NOT_SET, "n_projects"].sum())
    if coded.empty:
        title = f"No project in view has a {name} code"
    else:
        top = coded.sort_values(["n_projects", "code"], ascending=[False, True]).iloc[0]
        code = marker_code_label(scheme, top["code"])
        # "0 of 215 projects have no code" reads as a count of something; say it in words
        missing = (
            f"{n_of(n_not_set, total, 'projects')} {'has' if n_not_set == 1 else 'have'} no code"
            if n_not_set
            else "every project has a code"
        )
        title = (
            f"{name}: most common is code {code} ({pct(top['share_projects'])} of projects, "
            f"{pct(top['share_budget'])} of budget); {missing}"
        )
    fig = layout(fig, title, "", "Code", height=max(280, 40 * len(data) + 160))
    fig.update_layout(showlegend=False, xaxis_title="% of projects")
    return fig


def marker_by_group_chart(
    dist_by: pd.DataFrame, *, by: str, group_names: dict[str, str], group_label: str, scheme: str
) -> go.Figure:
    """100% stacked bars: share of each group's projects by code (``marker_distribution(by=...)``)."""
    name = scheme_name(scheme)
    if dist_by.empty:
        return empty_figure(f"{name} by {group_label.lower()}: no project in view", "No project to report.")
    data = dist_by.assign(
        code=dist_by["code"].astype(str), _name=dist_by[by].map(lambda g: short_place(group_names.get(g, g)))
    )
    codes = sorted(data["code"].unique(), key=lambda c: (c == NOT_SET, c))
    colours = _code_colours(codes)
    groups = sorted(data["_name"].unique(), reverse=True)
    fig = go.Figure()
    for code in codes:
        rows = data.loc[data["code"] == code].set_index("_name").reindex(groups)
        fig.add_trace(
            go.Bar(
                y=groups,
                x=rows["share_projects"].fillna(0) * 100,
                orientation="h",
                name=marker_code_label(scheme, code),
                marker_color=colours[code],
                customdata=rows["n_projects"].fillna(0),
                text=rows["share_projects"].map(lambda v: pct(v) if pd.notna(v) and v >= 0.08 else ""),
                textposition="inside",
                hovertemplate="%{y}: %{x:.0f}% (%{customdata} projects)<extra>"
                + marker_code_label(scheme, code)
                + "</extra>",
            )
        )
    fig.update_layout(barmode="stack")
    gaps = data.loc[data["code"] == NOT_SET].sort_values(["share_projects", "_name"], ascending=[False, True])
    if gaps.empty or gaps.iloc[0]["share_projects"] == 0:
        title = f"Every project in every {group_label.lower()} has its {name} code"
    else:
        worst = gaps.iloc[0]
        title = (
            f"{worst['_name']} has the largest share of projects with no {name} code ({pct(worst['share_projects'])})"
        )
    fig.update_xaxes(range=[0, 100])
    return layout(fig, title, "% of the group's projects", group_label, height=max(300, 30 * len(groups) + 160))


def aap_coverage_chart(coverage: pd.DataFrame, *, weight: str = "projects") -> go.Figure:
    """The five IASC commitments as 100% stacked bars of ratings (``aap_coverage(..., by=None)``).

    ``weight`` is ``"projects"`` (share of projects) or ``"budget"`` (share of USD budget).
    """
    share = "share_projects" if weight == "projects" else "share_budget"
    if coverage.empty or coverage["n_projects"].sum() == 0:
        return empty_figure("AAP commitments: no project in view", "No project to report AAP commitments for.")
    commitments = [c for c in AAP_COMMITMENT_LABELS if c in set(coverage["commitment"])][::-1]
    names = [AAP_COMMITMENT_LABELS[c] for c in commitments]
    fig = go.Figure()
    for rating, (label, colour) in RATINGS.items():
        rows = coverage.loc[coverage["rating"] == rating].set_index("commitment").reindex(commitments)
        values = rows[share].fillna(0) * 100
        fig.add_trace(
            go.Bar(
                y=names,
                x=values,
                orientation="h",
                name=label,
                marker_color=colour,
                text=[f"{v:.0f}%" if v >= 6 else "" for v in values],
                textposition="inside",
                hovertemplate="%{y}: %{x:.0f}%<extra>" + label + "</extra>",
            )
        )
    fig.update_layout(barmode="stack")
    met = coverage.loc[coverage["rating"] == "met"].set_index("commitment").reindex(commitments)[share].fillna(0)
    least = met.sort_values(kind="stable").index[0]
    unit = "projects" if weight == "projects" else "budget"
    assessed = coverage.loc[coverage["rating"] != "not_assessed", share].fillna(0).sum()
    if assessed <= 0:
        # nothing rated: "X is the least met commitment: 0%" would read as a finding the data cannot make
        title = f"No AAP commitment is assessed for any of the {unit} in view"
    elif met.max() <= 0:
        title = f"None of the {unit} in view meets an AAP commitment where one is assessed"
    else:
        title = (
            f"{AAP_COMMITMENT_LABELS[least]} is the least met AAP commitment: {pct(met[least])} of {unit} meet it "
            f"(best: {AAP_COMMITMENT_LABELS[met.idxmax()]}, {pct(met.max())})"
        )
    fig.update_xaxes(range=[0, 100])
    return layout(
        fig, title, f"% of {'projects' if weight == 'projects' else 'USD budget'}", "IASC commitment", height=360
    )


def disaggregation_chart(
    by_group: pd.DataFrame, overall: pd.Series, *, by: str, group_names: dict[str, str], group_label: str
) -> go.Figure:
    """Share of people-counting indicators broken down by sex and by age, per group.

    ``by_group`` is ``disaggregation_coverage(..., by=by)``; ``overall`` the one row of ``by=None``
    (n_reported, share_sex, share_age) for the title.
    """
    data = by_group.loc[by_group["n_reported"] > 0]
    if data.empty:
        return empty_figure(
            "Disaggregation: no people-counting indicator has reported yet",
            "No people-counting indicator with a reported actual in this view.",
        )
    data = data.assign(_name=data[by].map(lambda g: short_place(group_names.get(g, g)))).sort_values(
        "_name", ascending=False
    )
    fig = go.Figure(
        [
            go.Bar(
                y=data["_name"],
                x=data["share_sex"] * 100,
                orientation="h",
                name="By sex",
                marker_color="#0033A0",
                text=data["share_sex"].map(pct),
                textposition="outside",
                customdata=data["n_reported"],
                hovertemplate="%{y}: %{x:.0f}% of %{customdata} reporting indicators<extra>by sex</extra>",
            ),
            go.Bar(
                y=data["_name"],
                x=data["share_age"] * 100,
                orientation="h",
                name="By age",
                marker_color="#B26B00",
                marker_pattern_shape="/",
                text=data["share_age"].map(pct),
                textposition="outside",
                customdata=data["n_reported"],
                hovertemplate="%{y}: %{x:.0f}% of %{customdata} reporting indicators<extra>by age</extra>",
            ),
        ]
    )
    fig.update_layout(barmode="group")
    title = (
        f"{pct(overall['share_sex'])} of {int(overall['n_reported']):,} reporting people-counting indicators "
        f"are broken down by sex, {pct(overall['share_age'])} by age"
    )
    fig.update_xaxes(range=[0, 110])
    return layout(
        fig, title, "% of people-counting indicators that reported", group_label, height=max(300, 44 * len(data) + 160)
    )
