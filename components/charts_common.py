"""Small drawing helpers shared by the analysis pages' chart builders (no ``st``, no formulas).

The layout, percentage and money formatting of :mod:`components.charts_project` are reused as they
are; this module adds what the portfolio-wide charts need on top: the hex colour of a badge (colour
only ever *reinforces* the words and symbol of :mod:`components.badges`), a legend name for a status
and a "N of M" phrase for titles that state a finding.
"""

from __future__ import annotations

import plotly.graph_objects as go

from components.badges import badge
from components.charts_project import _layout, money, pct

__all__ = [
    "BADGE_HEX",
    "RESULT_STATUS_FILL",
    "empty_figure",
    "layout",
    "money",
    "n_of",
    "pct",
    "result_status_marker",
    "short_place",
    "status_colour",
    "status_name",
    "wrap_title",
]

# plotly never wraps a title: past this many characters a title breaks at a clause boundary
TITLE_WIDTH = 95

# Streamlit markdown colour names of components.badges → the hex shades the charts use.
BADGE_HEX = {"green": "#4C9A2A", "orange": "#E59400", "red": "#C62828", "gray": "#9E9E9E", "blue": "#1565C0"}


# Charts that stack EVERY result status side by side need more than the badge colours, where
# on track and achieved are both green and no data and not assessable both grey: each status gets its
# own shade and the look-alike pairs a fill pattern too (a reviewer could not tell them apart). The
# legend and hover still carry the status words, so colour is never the only cue.
RESULT_STATUS_FILL = {
    "off_track": ("#C62828", ""),
    "at_risk": ("#E59400", ""),
    "no_data": ("#BDBDBD", "x"),
    "on_track": ("#8BC34A", ""),
    "achieved": ("#1B5E20", "/"),
    "not_due": ("#1565C0", ""),
    "not_assessable": ("#616161", "."),
}


def result_status_marker(status: str) -> dict[str, object]:
    """Plotly bar ``marker`` of a result status: its own colour, and a pattern for look-alikes."""
    colour, shape = RESULT_STATUS_FILL[status]
    marker: dict[str, object] = {"color": colour}
    if shape:
        marker["pattern"] = {"shape": shape, "fgcolor": "#FFFFFF", "size": 6, "solidity": 0.3}
    return marker


def status_name(status: object) -> str:
    """Legend/hover name of a status: its symbol and words (``"✖ Off track"``)."""
    return badge(status).label


def status_colour(status: object) -> str:
    return BADGE_HEX[badge(status).color]


def wrap_title(title: str, width: int = TITLE_WIDTH) -> str:
    """Break a long title into lines of about ``width`` characters, never inside a word.

    A clause boundary ("; " or ": ") in the last three quarters of the line is preferred; else the
    line breaks at its last space. Never at ", " as such: place names hold commas ("European
    Economic Area, the EU and NATO"), and a reviewer found a title broken there. The break replaces
    one space with ``<br>``, so putting the space back gives the sentence; a word longer than
    ``width`` stays whole on its own line.
    """
    lines, rest = [], title
    while len(rest) > width:
        cut = max(rest.rfind("; ", 0, width), rest.rfind(": ", 0, width))
        if cut >= width // 4:
            lines.append(rest[: cut + 1])
            rest = rest[cut + 2 :]
            continue
        space = rest.rfind(" ", 0, width + 1)
        if space <= 0:
            space = rest.find(" ")
            if space < 0:
                break
        lines.append(rest[:space])
        rest = rest[space + 1 :]
    return "<br>".join([*lines, rest])


def short_place(name: object) -> str:
    """A region's or country's name for a chart axis: "Regional Office for Asia and the Pacific
    (Bangkok)" → "Asia and the Pacific (Bangkok)"; other names unchanged."""
    text = str(name)
    for prefix in ("Regional Office for the ", "Regional Office for "):
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def layout(fig: go.Figure, title: str, x_title: str, y_title: str, height: int = 360) -> go.Figure:
    """The shared layout with the legend on top, in trace order, under a wrapped title.

    A legend below the plot collides with the x-axis title; on top (left-aligned, under the title)
    it never does, and it reads in the order the traces were added (worst status first).
    """
    wrapped = wrap_title(title)
    lines = wrapped.count("<br>") + 1
    fig = _layout(fig, wrapped, x_title, y_title, height=height + 18 * (lines - 1))
    fig.update_layout(
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom", "traceorder": "normal"},
        margin={"t": 70 + 18 * lines},
    )
    return fig


def count(n: int, noun: str) -> str:
    """``"12 projects"``, ``"1 project"``: a count with its noun singular for one."""
    return f"{n:,} {noun if n != 1 else noun.rstrip('s')}"


def n_of(n: int, total: int, noun: str) -> str:
    """``"12 of 40 projects"``; ``"1 of 1 project"`` when the total is one."""
    return f"{n:,} of {total:,} {noun if total != 1 else noun.rstrip('s')}"


def empty_figure(title: str, message: str) -> go.Figure:
    """A figure with no data and a sentence in its middle: never an empty set of axes."""
    fig = go.Figure()
    fig.add_annotation(
        text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper", font={"size": 14, "color": "#555"}
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        height=220,
        template="plotly_white",
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
    )
    return fig
