"""Every table the dashboard shows, with its CSV and Excel downloads (issue 5: every table).

``show_table(df, key=..., file_stem=...)`` renders ``st.dataframe`` at full width and two download
buttons. The files are generated only when a button is clicked (``data`` is a callable), so a
10,000-row table costs nothing on the page run; the downloaded file holds the same rows and
columns as shown (already labelled for people), with numbers unrounded.

Excel files are written with openpyxl; cells that start with ``=``, ``+``, ``-`` or ``@`` are text
that a spreadsheet would otherwise execute as a formula (CSV/formula injection), so
``data_access.formula_text.neutralise_frame`` prefixes them with an apostrophe in both files.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping

import pandas as pd
import streamlit as st

from data_access.formula_text import neutralise_frame


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
    height: int | str = "auto",
    selectable: bool = False,
    download: pd.DataFrame | None = None,
    row_height: int | None = None,
):
    """Show ``df`` with CSV and Excel download buttons; return the selection event when selectable.

    ``download`` is what the files hold when it differs from what is shown (e.g. unrounded numbers
    behind cells formatted for reading); by default the shown table. ``row_height`` (pixels) taller
    than one line lets long texts wrap in their cells: the grid shows no tooltip for cut-off text.
    """
    event = st.dataframe(
        df,
        width="stretch",
        hide_index=True,
        column_config=column_config,
        height=height,
        row_height=row_height,
        key=f"{key}_table",
        on_select="rerun" if selectable else "ignore",
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
