"""Pure chart builders of the Finance page: per-project money figures in, plotly Figure out.

Every number drawn comes from ``monitoring.finance.project_finance`` (through
``evaluate_portfolio``): burn, planned burn, burn status, forecast delivery and forecast status. The
builders only place points, draw the settings' bands and count statuses for the title; they never
re-derive a status.

Decision: the burn chart's x axis is **planned burn** (the spending plan's cumulative share when a
project has one, else the share of time elapsed: DOMAIN.md 3), not raw elapsed time. For a project
without a plan the two are equal; for one with a plan, only planned burn puts the point on the same
side of the band as its status, so the picture never contradicts the table.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components.badges import badge
from components.charts_common import empty_figure, layout, money, n_of, pct, status_colour, status_name
from monitoring.money_rollup import started
from monitoring.settings import Settings

BURN_STATUSES = ("underspending", "on_pace", "overspending", "over_budget")
BURN_SYMBOLS = {
    "underspending": "triangle-down",
    "on_pace": "circle",
    "overspending": "triangle-up",
    "over_budget": "x",
}
# plotly draws scatter points with WebGL above this many points (SVG stalls the browser at 10,000)
WEBGL_ABOVE = 1_000
FORECAST_BIN_PP = 10
FORECAST_CAP_PP = 200


def forecast_bin_pp(settings: Settings) -> float:
    """Bin width (percentage points) that puts both forecast limits on bin edges.

    The greatest common divisor of 10 and the two limits in whole points (85 and 100 → 5), so the
    bar left of the 85% line holds only projects below 85% (funds likely returned) and the bar right
    of it only those at or above it. Bins are [a, b), like the status rule (< 85% is low). Limits that
    are not whole points fall back to 1-point bins.
    """
    low, high = settings.forecast_low_below * 100, settings.forecast_high_above * 100
    if abs(low - round(low)) > 1e-9 or abs(high - round(high)) > 1e-9:
        return 1.0
    return float(math.gcd(FORECAST_BIN_PP, round(low), round(high)))


def _hover_data(rows: pd.DataFrame) -> np.ndarray:
    """Per point: project code, what planned burn is based on, variance (pp): read by the hover template
    (numbers formatted by plotly in the browser, not 10,000 Python string operations per run)."""
    basis = rows["planned_basis"].map({"plan": "spending plan", "elapsed": "time elapsed"}).fillna("time elapsed")
    return np.column_stack(
        [rows["project_code"].astype(str).to_numpy(), basis.to_numpy(), rows["burn_variance_pp"].to_numpy(dtype=float)]
    )


def burn_scatter(finance: pd.DataFrame, settings: Settings, as_of: dt.date) -> go.Figure:
    """Burn (spent ÷ budget) against planned burn, one point per project, with the status bands.

    ``finance``: project_code, status, start_date, burn, planned_burn, planned_basis,
    burn_variance_pp, burn_status (shares 0-1). Projects with an unknown burn (no or zero budget,
    missing exchange rate, no expenditure reported: :func:`not_reported_count`) are left out, and so
    are projects not started by ``as_of`` (pipeline,
    or a start date still ahead): they would all sit at (0, 0) looking "on pace";
    :func:`not_started_count` gives the page the number for its how-computed note (the title states
    the finding only). Each status is its own trace with its own marker shape and a legend name in
    words (the marker is the symbol: "● ● On pace" would say it twice); the hover keeps symbol and words.
    """
    is_started = started(finance, as_of)
    n_waiting = not_started_count(finance, as_of)
    known = finance.loc[finance["burn"].notna() & finance["planned_burn"].notna() & is_started]
    title_none = "Burn against time: no started project has a known budget and spending"
    if known.empty:
        return empty_figure(
            title_none,
            "No project in this view has started with a budget and reported spending "
            f"({n_waiting:,} not started yet, {not_reported_count(finance):,} with no "
            "expenditure reported).",
        )
    fig = go.Figure()
    under, over = settings.underspending_below_pp, settings.overspending_above_pp
    top = max(110.0, float(known["burn"].max()) * 100 + 5)
    edge = [0.0, 100.0]
    fig.add_trace(
        go.Scatter(
            x=edge,
            y=[x + over for x in edge],
            mode="lines",
            name=f"Overspending line (+{over:g} pp)",
            line={"color": "#B0B7C3", "dash": "dash"},
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=edge,
            y=[x + under for x in edge],
            mode="lines",
            name=f"Underspending line ({under:g} pp)",
            line={"color": "#B0B7C3", "dash": "dot"},
            fill="tonexty",
            fillcolor="rgba(76,154,42,0.08)",
            hoverinfo="skip",
        )
    )
    scatter = go.Scattergl if len(known) > WEBGL_ABOVE else go.Scatter
    for status in BURN_STATUSES:
        rows = known.loc[known["burn_status"] == status]
        if rows.empty:
            continue
        fig.add_trace(
            scatter(
                x=rows["planned_burn"] * 100,
                y=rows["burn"] * 100,
                mode="markers",
                name=badge(status).text,
                marker={"symbol": BURN_SYMBOLS[status], "size": 8, "color": status_colour(status), "opacity": 0.8},
                customdata=_hover_data(rows),
                hovertemplate="%{customdata[0]} · " + status_name(status) + "<br>spent %{y:.0f}% vs %{x:.0f}% planned "
                "(%{customdata[1]}), %{customdata[2]:+.0f} pp<extra></extra>",
            )
        )
    fig.add_hline(
        y=100, line_dash="dot", line_color="#C62828", annotation_text="100% of budget", annotation_position="top left"
    )
    n_under = int((known["burn_status"] == "underspending").sum())
    n_over = int(known["burn_status"].isin(["overspending", "over_budget"]).sum())
    title = (
        f"{n_of(n_under, len(known), 'projects')} are underspending by more than {abs(under):g} points; "
        f"{n_over:,} overspending or over budget"
    )
    fig.update_xaxes(range=[-2, 102])
    fig.update_yaxes(range=[-2, top])
    return layout(
        fig,
        title,
        "Planned burn: spending plan, else time elapsed (% of budget)",
        "Burn: spent to date (% of budget)",
        height=480,
    )


def not_started_count(finance: pd.DataFrame, as_of: dt.date) -> int:
    """How many projects :func:`burn_scatter` leaves out because they have not started by ``as_of``."""
    return int((~started(finance, as_of)).sum())


def not_reported_count(finance: pd.DataFrame) -> int:
    """How many projects :func:`burn_scatter` and :func:`forecast_histogram` leave out because they
    have started and reported no expenditure at all (burn and forecast unknown, not 0)."""
    return int((finance["burn_status"] == "not_reported").sum())


def forecast_histogram(finance: pd.DataFrame, settings: Settings) -> go.Figure:
    """Projects by forecast delivery (forecast at close ÷ budget), with the limits on bin edges.

    ``finance``: forecast_delivery (share), forecast_status. Bins are :func:`forecast_bin_pp` wide;
    values above 200% are drawn in the last bin (a long tail would squash the chart); the count in
    the title uses the statuses.
    """
    known = finance.loc[finance["forecast_delivery"].notna() & (finance["forecast_status"] != "undefined")]
    if known.empty:
        return empty_figure(
            "Forecast delivery: no project can be forecast yet",
            "No project in this view has both a budget and a spending history.",
        )
    size = forecast_bin_pp(settings)
    values = (known["forecast_delivery"] * 100).clip(lower=0, upper=FORECAST_CAP_PP - size / 2)
    fig = go.Figure(
        go.Histogram(
            x=values,
            xbins={"start": 0, "end": FORECAST_CAP_PP, "size": size},
            marker_color="#7A8CA5",
            name="Projects",
            hovertemplate="%{x}: %{y} project(s)<extra></extra>",
        )
    )
    low, high = settings.forecast_low_below * 100, settings.forecast_high_above * 100
    fig.add_vline(
        x=low,
        line_dash="dash",
        line_color=status_colour("underspend"),
        annotation_text=f"{low:g}%: funds likely returned",
        annotation_position="top left",
    )
    fig.add_vline(
        x=high,
        line_dash="dash",
        line_color=status_colour("overspend"),
        annotation_text=f"{high:g}%: budget",
        annotation_position="top right",
    )
    n_low = int((known["forecast_status"] == "underspend").sum())
    n_high = int((known["forecast_status"] == "overspend").sum())
    title = (
        f"{n_of(n_low, len(known), 'projects')} are forecast to spend less than {low:g}% of their budget "
        f"by the end; {n_high:,} more than {high:g}%"
    )
    fig.update_xaxes(range=[0, FORECAST_CAP_PP])
    return layout(
        fig,
        title,
        "Forecast delivery at close (% of budget; 200% and above in the last bar)",
        "Projects (count)",
        height=380,
    )


def delivery_by_group(
    totals: pd.DataFrame, *, group_label: str, noun: str, top: int = 15, overlapping: bool = False
) -> go.Figure:
    """Budget and spent in USD for the ``top`` largest groups (donors or countries).

    ``totals``: group, budget_usd, spent_usd (USD only: each amount converted before summing),
    optionally budget_not_reported_usd (started projects that reported no expenditure: when only
    they have a budget, the empty chart says so rather than "nothing in USD");
    ``noun`` is the plural for the title ("donors", "countries"). Bars are labelled with the
    delivery rate (spent ÷ budget) so the chart reads without colour. ``overlapping`` rows (donors:
    a co-funded project is under each of its donors) are never added up, so the title gives no total.
    """
    funded = totals.loc[totals["budget_usd"].fillna(0) > 0]
    silent = float(totals["budget_not_reported_usd"].sum()) if "budget_not_reported_usd" in totals else 0.0
    if funded.empty and silent > 0:
        return empty_figure(
            f"Budget and spending by {group_label.lower()}: no expenditure reported yet",
            f"No project in this view has reported expenditure; {money(silent, 'USD')} of budget "
            "waits for it (see the “No expenditure reported” columns).",
        )
    if funded.empty:
        return empty_figure(
            f"Budget and spending by {group_label.lower()}: nothing in USD yet",
            "No budget could be converted to USD for this view.",
        )
    data = funded.sort_values("budget_usd", ascending=False).head(top).iloc[::-1]
    delivery = data["spent_usd"] / data["budget_usd"]
    fig = go.Figure(
        [
            go.Bar(
                y=data["group"],
                x=data["budget_usd"],
                name="Budget (USD)",
                orientation="h",
                marker_color="#B0B7C3",
                hovertemplate="%{y}: budget USD %{x:,.0f}<extra></extra>",
            ),
            go.Bar(
                y=data["group"],
                x=data["spent_usd"],
                name="Spent to date (USD)",
                orientation="h",
                marker_color="#0033A0",
                text=delivery.map(pct),
                textposition="outside",
                hovertemplate="%{y}: spent USD %{x:,.0f}<extra></extra>",
            ),
        ]
    )
    fig.update_layout(barmode="overlay")
    lowest, highest = delivery.idxmin(), delivery.idxmax()
    one = len(data) == 1 and len(funded) == 1
    singular = {"countries": "country"}.get(noun, noun.removesuffix("s"))
    who = (
        f"1 {singular}"
        if one
        else f"{len(data)} {noun}"
        if len(data) == len(funded)
        else f"The {len(data)} largest of {len(funded)} {noun}"
    )
    if overlapping:
        title = (
            f"{who}: lowest delivery {data.loc[lowest, 'group']} ({pct(delivery[lowest])}), "
            f"highest {data.loc[highest, 'group']} ({pct(delivery[highest])})"
        )
    else:
        total_budget, total_spent = data["budget_usd"].sum(), data["spent_usd"].sum()
        title = (
            f"{who} {'has' if one else 'have'} spent {pct(total_spent / total_budget)} of "
            f"{money(total_budget, 'USD')}; "
            f"lowest delivery: {data.loc[lowest, 'group']} ({pct(delivery[lowest])})"
        )
    return layout(fig, title, "Amount (USD)", group_label, height=max(300, 30 * len(data) + 140))
