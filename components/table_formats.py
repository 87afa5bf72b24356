"""One number format for the analysis pages' tables: USD with thousands separators and no decimals,
shares as percentages with one decimal (a reviewer found "115612408.482" and "92.61%" next to "48.4%").

Streamlit's ``"percent"`` format drops trailing zeros, so the precision wandered from row to row.
Shares are therefore shown as percentage points (× 100) under a fixed ``%.1f%%`` format while the
*downloads* keep the 0-1 shares and unrounded amounts exactly as computed: :func:`show_formatted`
shows :func:`as_displayed` and hands the original frame to the download buttons.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
import streamlit as st

from components import tables
from components.long_tables import show_long_table

SHARE_FORMAT = "%.1f%%"
AMOUNT_FORMAT = "%,.0f"


def as_displayed(df: pd.DataFrame, shares: Iterable[str]) -> pd.DataFrame:
    """A copy with the ``shares`` columns (0-1) turned into percentage points (0-100)."""
    present = [c for c in shares if c in df.columns]
    return df.assign(**{c: pd.to_numeric(df[c], errors="coerce") * 100 for c in present})


def number_config(shares: Iterable[str] = (), amounts: Iterable[str] = ()) -> dict[str, object]:
    """Column configs: shares (already × 100) as ``41.2%``, amounts as ``115,612,408``."""
    config: dict[str, object] = {c: st.column_config.NumberColumn(format=SHARE_FORMAT) for c in shares}
    config.update({c: st.column_config.NumberColumn(format=AMOUNT_FORMAT) for c in amounts})
    return config


def show_formatted(
    df: pd.DataFrame,
    *,
    key: str,
    file_stem: str,
    shares: Iterable[str] = (),
    amounts: Iterable[str] = (),
    column_config: Mapping[str, object] | None = None,
    long: bool = False,
) -> None:
    """Show ``df`` with shares and amounts formatted; the CSV and Excel files hold ``df`` as it is.

    ``long`` tables show their first rows only (:func:`components.long_tables.show_long_table`).
    """
    shares, amounts = list(shares), list(amounts)
    config = {**number_config(shares, amounts), **(column_config or {})}
    shown = as_displayed(df, shares)
    if long:
        show_long_table(shown, key=key, file_stem=file_stem, column_config=config, download=df)
    else:
        tables.show_table(shown, key=key, file_stem=file_stem, column_config=config, download=df)
