"""Pure chart builders of the Portfolio page: data in, plotly Figure out, no ``st`` inside.

The map is a plotly choropleth over ISO3 codes with ``scope="world"``; shown through
``components.frame.show_chart`` its topology is fetched from ``app/static/world_110m.json`` (bundled,
offline), never from plotly's CDN.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components.badges import badge
from components.charts_project import _layout, pct
from monitoring.money_rollup import usd_totals_by_place
from monitoring.rollup import project_status_counts


@dataclass(frozen=True)
class MapMeasure:
    """A measure the map can colour countries by."""

    key: str
    label: str  # for the selector and the colour bar
    is_share: bool  # 0-1 values shown as percentages
    higher_is_worse: bool
    how: str  # the "how this is computed" note; {settings.…} placeholders take the thresholds in force


MAP_MEASURES: dict[str, MapMeasure] = {
    "off_track_share": MapMeasure(
        "off_track_share",
        "Projects off track (share)",
        True,
        True,
        "share of the projects a country manages (a project is counted once, under its managing country) "
        "whose results status is off track (at least {settings.project_off_track_share:.0%} of their "
        "assessable indicators off track); projects without assessable indicators count in the total.",
    ),
    "delivery": MapMeasure(
        "delivery",
        "Delivery (spent ÷ budget)",
        True,
        False,
        "expenditure to date ÷ current budget in USD of the projects that have started, each "
        "multi-country project's money shared among its countries by its country percentages.",
    ),
    "high_flags": MapMeasure(
        "high_flags",
        "High-severity flags",
        False,
        True,
        "number of high-severity early-warning flags on projects the country manages.",
    ),
}


def country_values(
    projects: pd.DataFrame,
    flags: pd.DataFrame,
    project_countries: pd.DataFrame,
    measure: str,
    as_of: dt.date,
    countries: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Per country: ``value`` of ``measure``, ``projects`` managed, ``n`` (projects off track or high
    flags: the numerator, for "1 of 1" in the title), ``country_name``.

    ``projects`` is ``PortfolioEvaluation.projects``; the off-track share comes from
    ``monitoring.rollup.project_status_counts``, delivery from ``monitoring.money_rollup.usd_totals_by_place``
    (started projects, multi-country money shared by country percentages: the rule of the KPI cards and
    the by-country rows). With ``countries`` (the countries in view) only those are coloured: a chief
    of mission's map does not colour Nigeria because a Nigeria-managed project works partly in Senegal.
    """
    names = dict(zip(projects["managing_country"], projects["managing_country_name"], strict=True))
    names.update(dict(zip(project_countries["country"], project_countries["country_name"], strict=True)))
    managed = projects.groupby("managing_country").size()
    if measure == "off_track_share":
        counts = project_status_counts(projects, "managing_country")
        out = pd.DataFrame(
            {
                "country": counts["managing_country"],
                "value": counts["share_off_track"],
                "n": counts["n_off_track"].astype(float),
            }
        )
    elif measure == "delivery":
        totals = usd_totals_by_place(projects, project_countries, "managing_country", as_of)
        out = pd.DataFrame({"country": totals["group"], "value": totals["delivery"].astype(float), "n": np.nan})
    elif measure == "high_flags":
        high = flags.loc[flags["severity"] == "high", ["project_id"]].merge(
            projects[["project_id", "managing_country"]], on="project_id"
        )
        per = high.groupby("managing_country").size()
        values = per.reindex(managed.index, fill_value=0).to_numpy(dtype=float)
        out = pd.DataFrame({"country": managed.index, "value": values, "n": values})
    else:
        raise ValueError(f"unknown map measure {measure!r}")
    out = out.loc[out["country"] != "unknown"]
    if countries is not None:
        out = out.loc[out["country"].isin(countries)]
    out = out.reset_index(drop=True)
    out["country_name"] = out["country"].map(names).fillna(out["country"])
    out["projects"] = out["country"].map(managed).fillna(0).astype(int)
    return out[["country", "country_name", "value", "projects", "n"]]


def map_title(by_country: pd.DataFrame, measure: MapMeasure) -> str:
    """The finding of the map in words: the worst country, or that there is nothing to find.

    "No project off track in view" rather than "Highest share off track: Afghanistan (0%)"; a share
    says its counts ("1 of 1 projects") because 100% of one project is not 100% of forty.
    """
    data = by_country.loc[by_country["value"].notna()]
    if data.empty:
        return f"{measure.label}: no country has a value yet"
    if measure.higher_is_worse and not (data["value"] > 0).any():
        return {"off_track_share": "No project off track in view", "high_flags": "No high-severity flag in view"}.get(
            measure.key, f"{measure.label}: none in view"
        )
    top = data.sort_values(["value", "projects"], ascending=[not measure.higher_is_worse, False]).iloc[0]
    if measure.key == "off_track_share":
        return (
            f"Highest share of projects off track: {top['country_name']}, {int(top['n'])} of "
            f"{int(top['projects'])} project{'s' if top['projects'] != 1 else ''} ({_format(top['value'], measure)})"
        )
    if measure.key == "high_flags":
        return f"Most high-severity flags: {top['country_name']} ({_format(top['value'], measure)})"
    return f"Lowest {measure.label.lower()}: {top['country_name']} ({_format(top['value'], measure)})"


def _format(value: float, measure: MapMeasure) -> str:
    return pct(value) if measure.is_share else f"{value:,.0f}"


def country_map(by_country: pd.DataFrame, measure: MapMeasure) -> go.Figure:
    """Countries coloured by ``measure``; ``by_country`` has country (ISO3), country_name, value, projects."""
    data = by_country.loc[by_country["value"].notna()]
    scale = "Reds" if measure.higher_is_worse else "Blues"
    hover = (
        data["country_name"].astype(str)
        + ": "
        + data["value"].map(lambda v: _format(v, measure))
        + " · "
        + data["projects"].astype(int).astype(str)
        + " project(s)"
    )
    fig = go.Figure(
        go.Choropleth(
            locations=data["country"],
            locationmode="ISO-3",
            z=data["value"],
            text=hover,
            hovertemplate="%{text}<extra></extra>",
            colorscale=scale,
            marker_line_color="white",
            colorbar={"title": {"text": measure.label}, "tickformat": ".0%" if measure.is_share else ",d"},
            zmin=0,
            zmax=1 if measure.is_share else None,
        )
    )
    fig.update_geos(
        scope="world",
        showcountries=True,
        countrycolor="#cccccc",
        showframe=False,
        showcoastlines=False,
        projection_type="natural earth",
        landcolor="#f2f2f2",
        showland=True,
        fitbounds=False,
    )
    title = map_title(by_country, measure)
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"}, height=460, margin={"l": 0, "r": 0, "t": 50, "b": 0}
    )
    return fig


def status_bars(counts: pd.DataFrame, *, group_label: str) -> go.Figure:
    """Horizontal stacked bars of projects by results status per group.

    ``counts``: one row per group (column ``group``) and one column per status code with a count.
    Each segment is labelled with the status word (legend) and its count (text), not colour alone.
    """
    statuses = [c for c in ("off_track", "at_risk", "on_track", "achieved", "not_assessable") if c in counts]
    fig = go.Figure()
    colours = {"green": "#4C9A2A", "orange": "#E59400", "red": "#C62828", "gray": "#9E9E9E", "blue": "#1565C0"}
    for status in statuses:
        b = badge(status)
        fig.add_trace(
            go.Bar(
                y=counts["group"],
                x=counts[status],
                name=b.label,
                orientation="h",
                marker_color=colours[b.color],
                text=counts[status],
                textposition="inside",
            )
        )
    fig.update_layout(barmode="stack")
    total_off = int(counts["off_track"].sum()) if "off_track" in counts else 0
    total = int(counts[statuses].to_numpy().sum()) if statuses else 0
    title = (
        f"{total_off} of {total} projects are off track on results" if total else "No project has a results status yet"
    )
    return _layout(fig, title, "Projects (count)", group_label, height=max(260, 34 * len(counts) + 140))
