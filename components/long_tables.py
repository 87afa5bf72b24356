"""Very long tables (the Off-track list, every flag): the first rows on screen, all rows in the files.

At the benchmark scale the Off-track list holds ~70,000 indicators and the flag list ~30,000
records; sending them all to the browser costs seconds on every run and nobody scrolls that far.
The table shows the first ``limit`` rows (the lists are sorted worst first) and says so; the CSV and
Excel downloads of :mod:`components.tables` hold every row.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from components import tables

SHOWN_ROWS = 2_000


def show_long_table(
    df: pd.DataFrame,
    *,
    key: str,
    file_stem: str,
    column_config: Mapping[str, object] | None = None,
    limit: int = SHOWN_ROWS,
    download: pd.DataFrame | None = None,
) -> None:
    """``tables.show_table`` for at most ``limit`` rows on screen; downloads with every row (of
    ``download`` when the files should hold other values than the screen, e.g. unformatted shares)."""
    files = df if download is None else download
    if len(df) <= limit:
        tables.show_table(df, key=key, file_stem=file_stem, column_config=column_config, download=files)
        return
    st.caption(f"The first {limit:,} of {len(df):,} rows are shown; the downloads hold all {len(df):,}.")
    st.dataframe(df.head(limit), width="stretch", hide_index=True, column_config=column_config, key=f"{key}_table")
    tables.download_buttons(files, key=key, file_stem=file_stem)
