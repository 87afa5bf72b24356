"""Every table the dashboard shows, with its CSV and Excel downloads (issue 5: every table), through
one entry point: :func:`show_table`.

``show_table(df, key=..., file_stem=...)`` renders ``st.dataframe`` at full width and two download
buttons. The files are generated only when a button is clicked (``data`` is a callable), so a
10,000-row table costs nothing on the page run; the downloaded file holds the same rows and
columns as shown (already labelled for people), with numbers unrounded. What it can also do:

* **One number format** (``shares``, ``amounts``): USD with thousands separators and no decimals,
  shares as percentages with one decimal (a reviewer found "115612408.482" and "92.61%" next to
  "48.4%"). Streamlit's ``"percent"`` format drops trailing zeros, so the precision wandered from
  row to row; shares are therefore shown as percentage points (× 100, :func:`as_displayed`) under a
  fixed ``%.1f%%`` format, while the downloads keep the 0-1 shares and unrounded amounts.
* **Long tables** (``limit``, e.g. :data:`SHOWN_ROWS`): at the benchmark scale the Off-track list
  holds ~70,000 indicators and the flag list ~30,000 records; sending them all to the browser costs
  seconds on every run and nobody scrolls that far. The first ``limit`` rows are shown (the lists
  are sorted worst first) with a caption saying so; the downloads hold every row.
* ``download``: what the files hold when it differs from the screen (e.g. every row of a list whose
  first rows are shown, or the codes behind labels); ``selectable``: a single-row selection, returned
  as the event, or handled by a callback.

Excel files are written with openpyxl; cells that start with ``=``, ``+``, ``-`` or ``@`` are text
that a spreadsheet would otherwise execute as a formula (CSV/formula injection), so
``data_access.formula_text.neutralise_frame`` prefixes them with an apostrophe in both files.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar

import numpy as np
import pandas as pd
import streamlit as st

from components import excel
from data_access.formula_text import neutralise_frame
from data_access.scope import PortfolioFilter

SHARE_FORMAT = "%.1f%%"
AMOUNT_FORMAT = "%,.0f"
SHOWN_ROWS = 2_000  # a long list's rows on screen (``limit=SHOWN_ROWS``)
PRINT_ROWS = 50  # rows of a table on paper (the browser's print); the downloads hold every row


# What a missing value reads as in every table, on screen and on paper: "–" (an unknown burn, a
# project without a manager), never Streamlit's default "None".
BLANK = "–"


def as_displayed(df: pd.DataFrame, shares: Iterable[str]) -> pd.DataFrame:
    """A copy with the ``shares`` columns (0-1) turned into percentage points (0-100)."""
    present = [c for c in shares if c in df.columns]
    return df.assign(**{c: pd.to_numeric(df[c], errors="coerce") * 100 for c in present})


def number_config(shares: Iterable[str] = (), amounts: Iterable[str] = ()) -> dict[str, object]:
    """Column configs: shares (already × 100) as ``41.2%``, amounts as ``115,612,408``."""
    config: dict[str, object] = {c: st.column_config.NumberColumn(format=SHARE_FORMAT) for c in shares}
    config.update({c: st.column_config.NumberColumn(format=AMOUNT_FORMAT) for c in amounts})
    return config


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark so Excel opens accents correctly; no index column."""
    return neutralise_frame(df).to_csv(index=False).encode("utf-8-sig")


def to_excel_bytes(
    df: pd.DataFrame,
    sheet_name: str = "data",
    *,
    title: excel.Title | None = None,
    percent: Iterable[str] = (),
    amounts: Iterable[str] = (),
) -> bytes:
    """One-sheet .xlsx with a title, number formats and a frozen header (:mod:`components.excel`)."""
    return excel.workbook_bytes(df, sheet_name=sheet_name, title=title, percent=percent, amounts=amounts)


# whose view the page run shows, for the title lines of its Excel files: set by the frame's
# page_context() at the start of every run (a run is one thread), read when a table is drawn
_VIEW: ContextVar[tuple[str, PortfolioFilter] | None] = ContextVar("download_view", default=None)
# whether this run writes each table's copy for paper (:func:`print_html`): set by page_context()
_PRINTING: ContextVar[bool] = ContextVar("print_copies", default=False)


def describe_downloads(scope_label: str, flt: PortfolioFilter) -> None:
    """Record whose view and which filters this run's downloads are of (called by ``page_context``)."""
    _VIEW.set((scope_label, flt))


def print_copies(on: bool) -> None:
    """Whether this run's tables carry their copy for paper (the sidebar's "Tables on paper")."""
    _PRINTING.set(on)


def download_title(name: str) -> excel.Title:
    """The title of a download named ``name`` in the view of this run (the name alone outside one)."""
    view = _VIEW.get()
    if view is None:
        return excel.Title(name)
    scope_label, flt = view
    return excel.Title(name, scope_label, flt.as_of, excel.describe_filters(flt))


PERCENT_FORMATS = ("percent", SHARE_FORMAT, "%.0f%%")
THOUSANDS_FORMATS = ("localized", AMOUNT_FORMAT, "%,d")


def _configured(column_config: Mapping[str, object] | None, formats: tuple[str, ...]) -> list[str]:
    """The columns ``column_config`` shows with one of ``formats``: by this module's convention a
    percent format on screen means the files hold the 0-1 share, a thousands format an amount."""
    found = []
    for column, config in (column_config or {}).items():
        fmt = config.get("type_config", {}).get("format") if isinstance(config, Mapping) else None
        if fmt in formats:
            found.append(column)
    return found


def show_table(
    df: pd.DataFrame,
    *,
    key: str,
    file_stem: str,
    column_config: Mapping[str, object] | None = None,
    shares: Iterable[str] = (),
    amounts: Iterable[str] = (),
    limit: int | None = None,
    download: pd.DataFrame | Callable[[], pd.DataFrame] | None = None,
    height: int | str = "auto",
    selectable: bool | Callable[[], None] = False,
    row_height: int | None = None,
    title: str | None = None,
    file_shares: Iterable[str] = (),
    rows_in_all: int | None = None,
):
    """Show ``df`` with CSV and Excel download buttons; return the selection event when selectable.

    ``shares`` (0-1) and ``amounts`` columns are formatted on screen (see the module docstring),
    ``column_config`` entries win over those formats. ``limit`` shows the first rows only.
    ``download`` is what the files hold when it differs from ``df`` (by default ``df`` itself,
    unformatted and with every row), or a function returning it, called only when a button is
    clicked (a page that shows a cached first slice of a long table need not build it all per run).
    ``selectable`` is ``True`` (rerun on selection) or a callback.
    ``row_height`` (pixels) taller than one line lets long texts wrap in their cells: the grid shows
    no tooltip for cut-off text. ``title`` names the table in its Excel file (by default from
    ``file_stem``); ``file_shares`` are 0-1 share columns the files hold beyond those shown.
    ``rows_in_all``: how many rows ``download`` holds when ``df`` is only its first rows (a cached
    slice of a long list), for the caption saying so.
    """
    shares = list(shares)
    config = {**number_config(shares, amounts), **(column_config or {})} if shares or amounts else column_config
    shown = as_displayed(df, shares) if shares else df
    every = len(shown) if rows_in_all is None else rows_in_all
    if limit is not None and len(shown) > limit:
        shown = shown.head(limit)
    if len(shown) < every:
        st.caption(f"The first {len(shown):,} of {every:,} rows are shown; the downloads hold all {every:,}.")
    event = st.dataframe(
        shown,
        width="stretch",
        hide_index=True,
        column_config=config,
        height=height,
        row_height=row_height,
        key=f"{key}_table",
        on_select=selectable if callable(selectable) else "rerun" if selectable else "ignore",
        selection_mode="single-row" if selectable else "multi-row",
        placeholder=BLANK,
    )
    if _PRINTING.get():
        st.html(print_html(shown, config))
    download_buttons(
        df if download is None else download,
        key=key,
        file_stem=file_stem,
        title=title,
        percent=[*shares, *_configured(column_config, PERCENT_FORMATS), *file_shares],
        amounts=[*amounts, *_configured(column_config, THOUSANDS_FORMATS)],
    )
    return event


def _format_of(config: object) -> str | None:
    return config.get("type_config", {}).get("format") if isinstance(config, Mapping) else None


def _label_of(column: str, config: object) -> str:
    return (config.get("label") if isinstance(config, Mapping) else None) or column


def cell_text(value: object, fmt: str | None = None) -> str:
    """A cell as the grid shows it, for paper: the column's number format (printf style such as
    ``%.1f%%``, ``"percent"`` for a 0-1 share, ``"localized"`` or ``%,.0f`` for thousands), dates
    without a midnight time, :data:`BLANK` for missing values."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return BLANK
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, int | float):
        if isinstance(value, dt.datetime) and value.time() == dt.time():
            return value.date().isoformat()
        if isinstance(value, dt.datetime):
            return value.strftime("%Y-%m-%d %H:%M")
        return str(value)
    if fmt == "percent":
        return f"{value:.1%}"
    if fmt in ("localized", AMOUNT_FORMAT, "%,d"):
        return f"{value:,.0f}"
    if fmt and fmt.startswith("%"):
        return fmt % value
    if isinstance(value, int) or value.is_integer():
        return f"{value:,.0f}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def print_html(shown: pd.DataFrame, column_config: Mapping[str, object] | None, rows: int = PRINT_ROWS) -> str:
    """The table for the browser's print: the grid is a canvas that prints as the slice on screen,
    cut at its right edge, so each table can also have a plain HTML copy of its first ``rows`` rows,
    hidden on screen and shown on paper instead of the grid (``static/print.css``). Every cell is
    escaped: imported text is data, never markup.

    Written only when the sidebar's "Tables on paper" is on (``?print=1``, :func:`print_copies`).
    Always writing it cost every page view what printing rarely needs: on the Portfolio the two
    copies were 929 of the page's 2,032 DOM nodes, each cell sanitised by the browser's HTML
    cleaner, ~0.3 s of script and ~0.4 s to idle per view (the rows cannot be fewer nodes and stay
    a table that breaks between rows across pages). Without them, print.css prints a line above
    each grid saying how to get the copy; the review pack (PDF) remains the meeting's document.
    """
    config = column_config or {}
    head = "".join(f"<th>{html.escape(str(_label_of(c, config.get(c))))}</th>" for c in shown.columns)
    formats = [_format_of(config.get(c)) for c in shown.columns]
    body = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape(cell_text(v, f))}</td>" for v, f in zip(row, formats, strict=True))
        + "</tr>"
        for row in shown.head(rows).itertuples(index=False, name=None)
    )
    note = (
        f"<p>The first {rows:,} of {len(shown):,} rows; the downloads hold all {len(shown):,}.</p>"
        if len(shown) > rows
        else ""
    )
    table = f'<table class="print-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    return f'<div class="print-only">{note}{table}</div>'


def download_buttons(
    df: pd.DataFrame | Callable[[], pd.DataFrame],
    *,
    key: str,
    file_stem: str,
    title: str | None = None,
    percent: Iterable[str] = (),
    amounts: Iterable[str] = (),
) -> None:
    """The CSV and Excel buttons of :func:`show_table` (the files are written when clicked; ``df``
    may be a function returning the frame, then called on the click too)."""
    heading = download_title(title or excel.name_of(file_stem))
    frame = df if callable(df) else lambda: df
    percent, amounts = list(percent), list(amounts)

    def excel_bytes() -> bytes:
        table = frame()
        shares, money = [c for c in percent if c in table.columns], [c for c in amounts if c in table.columns]
        return to_excel_bytes(table, file_stem, title=heading, percent=shares, amounts=money)

    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        "CSV",
        data=lambda: to_csv_bytes(frame()),
        file_name=f"{file_stem}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
        on_click="ignore",
        width="stretch",
    )
    right.download_button(
        "Excel",
        data=excel_bytes,
        file_name=f"{file_stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        icon=":material/download:",
        on_click="ignore",
        width="stretch",
    )
