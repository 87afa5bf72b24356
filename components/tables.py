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

import io
import re
from collections.abc import Callable, Iterable, Mapping

import pandas as pd
import streamlit as st

from data_access.formula_text import neutralise_frame

SHARE_FORMAT = "%.1f%%"
AMOUNT_FORMAT = "%,.0f"
SHOWN_ROWS = 2_000  # a long list's rows on screen (``limit=SHOWN_ROWS``)


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


def to_excel_bytes(df: pd.DataFrame, sheet_name: str = "data") -> bytes:
    """One-sheet .xlsx; timezone-naive dates; sheet name trimmed to Excel's 31 characters."""
    buffer = io.BytesIO()
    clean = neutralise_frame(df)
    for column in clean.columns:
        if isinstance(clean[column].dtype, pd.DatetimeTZDtype):
            clean[column] = clean[column].dt.tz_localize(None)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        clean.to_excel(writer, sheet_name=re.sub(r"[\[\]:*?/\\]", "_", sheet_name)[:31] or "data", index=False)
    return buffer.getvalue()


def show_table(
    df: pd.DataFrame,
    *,
    key: str,
    file_stem: str,
    column_config: Mapping[str, object] | None = None,
    shares: Iterable[str] = (),
    amounts: Iterable[str] = (),
    limit: int | None = None,
    download: pd.DataFrame | None = None,
    height: int | str = "auto",
    selectable: bool | Callable[[], None] = False,
    row_height: int | None = None,
):
    """Show ``df`` with CSV and Excel download buttons; return the selection event when selectable.

    ``shares`` (0-1) and ``amounts`` columns are formatted on screen (see the module docstring),
    ``column_config`` entries win over those formats. ``limit`` shows the first rows only.
    ``download`` is what the files hold when it differs from ``df`` (by default ``df`` itself,
    unformatted and with every row). ``selectable`` is ``True`` (rerun on selection) or a callback.
    ``row_height`` (pixels) taller than one line lets long texts wrap in their cells: the grid shows
    no tooltip for cut-off text.
    """
    shares = list(shares)
    config = {**number_config(shares, amounts), **(column_config or {})} if shares or amounts else column_config
    shown = as_displayed(df, shares) if shares else df
    if limit is not None and len(shown) > limit:
        st.caption(f"The first {limit:,} of {len(shown):,} rows are shown; the downloads hold all {len(shown):,}.")
        shown = shown.head(limit)
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
    )
    download_buttons(df if download is None else download, key=key, file_stem=file_stem)
    return event


def download_buttons(df: pd.DataFrame, *, key: str, file_stem: str) -> None:
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        "CSV",
        data=lambda: to_csv_bytes(df),
        file_name=f"{file_stem}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
        on_click="ignore",
        width="stretch",
    )
    right.download_button(
        "Excel",
        data=lambda: to_excel_bytes(df, file_stem),
        file_name=f"{file_stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        icon=":material/download:",
        on_click="ignore",
        width="stretch",
    )
