"""Imported text shown as the text it is, never as markup (ARCHITECTURE.md practice 17, issue 10 item 7).

Titles, names, statements and file names come from uploads. Streamlit renders Markdown in
headings, captions, ``st.markdown`` and alerts (a title ``[click](http://evil.example)`` became a
link, ``![x](http://evil.example/p.png)`` made the viewer's browser fetch an outside address), and
Plotly renders a subset of HTML in every text of a figure (``<a href>``, ``<b>``...). Two helpers,
used wherever imported text meets such an element:

* :func:`literal` for Markdown: every character Markdown, Streamlit's extensions (``:red[...]``,
  ``:material/icon:``, ``$`` for LaTeX) or inline HTML would act on is backslash-escaped
  (CommonMark shows an escaped character as itself), line breaks become spaces (a heading stays
  one line) and a leading ``#``, ``-``, ``+``, ``>`` or ``1.`` cannot start a block.
* :func:`literal_figure` for Plotly figures, applied by ``components.frame.show_chart`` to every
  chart the dashboard shows: the strings of every trace (points, labels, text, hover text, custom
  data, names) and of the layout (titles, axis titles, tick labels, annotations) are HTML-escaped
  (Plotly shows ``&lt;`` as ``<``). Only the line break ``<br>`` the chart builders insert to wrap
  titles and cells is put back: a line break in a label is not a link or an image.

Tables (``st.dataframe``) show cell text as it is and need neither.
"""

from __future__ import annotations

import html
import re
from typing import Any

import numpy as np
import plotly.graph_objects as go

# anywhere: what makes links, images, inline HTML, emphasis, code, LaTeX, entities (&lt;) and Streamlit's
# ":name[...]" / ":material/icon:" / ":emoji:" (a colon before a letter); at the start only: what
# starts a block (heading, list, quote). Prose punctuation (". , - :" before a space) stays as it
# is, so "PX.0001 · Safe migration: phase 2" reads the same in the page source.
# Brackets are escaped, so "(...)" can no longer complete a link; "http\\://" and "www\\." are not
# turned into links by GitHub-flavoured Markdown's autolinks.
_MARKDOWN_ACTIVE = re.compile(r"([\\`*_\[\]!<>~$|]|:(?=[A-Za-z/])|&(?=#?\w+;)|(?<=www)\.)", re.IGNORECASE)
_BLOCK_START = re.compile(r"^([#+=>-])")
_ORDERED_START = re.compile(r"^(\d+)\.")
_TRACE_TEXT = ("x", "y", "z", "text", "hovertext", "customdata", "labels", "parents", "ids", "name", "locations")


def literal(text: object) -> str:
    """``text`` for an element that renders Markdown, shown exactly as written (on one line)."""
    one_line = " ".join(str(text).split())
    escaped = _BLOCK_START.sub(r"\\\1", _MARKDOWN_ACTIVE.sub(r"\\\1", one_line))
    return _ORDERED_START.sub(r"\1\\.", escaped)


def plain_html(text: str) -> str:
    """``text`` for Plotly: HTML-escaped, with the builders' own ``<br>`` line breaks kept."""
    return html.escape(text, quote=False).replace("&lt;br&gt;", "<br>")


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return plain_html(value)
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "OUS":
            return np.vectorize(_escaped, otypes=[object])(value) if value.size else value
        return value
    if isinstance(value, list | tuple):
        return type(value)(_escaped(v) for v in value)
    return value


def literal_figure(fig: go.Figure) -> go.Figure:
    """``fig`` with every string it displays HTML-escaped (see the module docstring); in place."""
    for trace in fig.data:
        for attribute in _TRACE_TEXT:
            if attribute in trace and trace[attribute] is not None:
                trace[attribute] = _escaped(trace[attribute])
    layout = fig.layout
    if layout.title.text:
        layout.title.text = plain_html(layout.title.text)

    def axis(ax: Any) -> None:
        if ax.title.text:
            ax.title.text = plain_html(ax.title.text)
        if ax.ticktext is not None:
            ax.ticktext = _escaped(list(ax.ticktext))

    fig.for_each_xaxis(axis)
    fig.for_each_yaxis(axis)
    for annotation in layout.annotations or ():
        if annotation.text:
            annotation.text = plain_html(annotation.text)
    return fig
