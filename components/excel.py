"""Excel downloads people can use (issue 13, item 4): a title, number formats, a frozen header.

Every table's Excel file (:func:`components.tables.show_table`) is one sheet laid out so it can go
to a meeting or a donor without rework:

* **Row 1** names the table, whose view it is and the as-of date ("Portfolio projects · Chief of
  mission (KEN) · as of 30 June 2026"); **row 2** the sidebar filters in force ("Filters: Donor:
  ECHO; Theme: Protection", or "Filters: none"). **Row 3** is the header, bold, with an autofilter;
  the panes are frozen below it, so the header stays in sight while scrolling.
* **Values are real numbers and dates**, never text: shares stay fractions (0.341) and are
  formatted as percentages (``0.0%``: Excel shows 34.1%, and a sum or a chart uses the number);
  amounts and counts get thousands separators (``#,##0``); other numbers two decimals; dates
  ``yyyy-mm-dd`` (with ``hh:mm`` when a time is recorded). Which columns are shares or amounts is
  said by the caller (``percent``, ``amounts``): a column name is not evidence.
* **Formula-like text is neutralised** (``data_access.formula_text``) in the cells, the header and
  the title lines alike: imported text is data, never a formula.

Pure (pandas and openpyxl, no streamlit): tested without a server, usable for any table's file.
The sheet is written in openpyxl's write-only mode: the 70,000-row Off-track list stays cheap.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from data_access.formula_text import neutralise, neutralise_frame
from data_access.scope import PortfolioFilter
from monitoring.dates import date_text
from reference.places import BY_ISO3, REGION_NAMES

PERCENT = "0.0%"
THOUSANDS = "#,##0"
DECIMAL = "#,##0.00"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
HEADER_ROW = 3  # rows 1-2 are the title lines
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=13)
MAX_WIDTH = 60  # characters: long texts (findings, reasons) wrap in Excel rather than run off


@dataclass(frozen=True)
class Title:
    """What a downloaded table is: ``name``, and when known whose view and as of when, and the filters."""

    name: str
    scope: str | None = None
    as_of: dt.date | None = None
    filters: str = "none"

    def lines(self) -> tuple[str, str]:
        when = [f"as of {date_text(self.as_of)}"] if self.as_of else []
        return " · ".join([self.name, *([self.scope] if self.scope else []), *when]), f"Filters: {self.filters}"


def describe_filters(flt: PortfolioFilter) -> str:
    """The sidebar filters in words ("Region: West and Central Africa; Donor: ECHO"), "none" without."""
    parts = []
    if flt.regions:
        parts.append("Region: " + ", ".join(REGION_NAMES.get(r, r) for r in flt.regions))
    if flt.countries:
        parts.append("Country: " + ", ".join(f"{BY_ISO3[c].name} ({c})" if c in BY_ISO3 else c for c in flt.countries))
    if flt.donors:
        parts.append("Donor: " + ", ".join(flt.donors))
    if flt.themes:
        parts.append("Theme: " + ", ".join(flt.themes))
    if flt.statuses:
        parts.append("Project status: " + ", ".join(s.replace("_", " ") for s in flt.statuses))
    if flt.project_codes:
        parts.append("Projects: " + ", ".join(flt.project_codes))
    return "; ".join(parts) or "none"


def name_of(file_stem: str) -> str:
    """A table's name from its file name: "portfolio-by-region" → "Portfolio by region",
    "off-track-indicators-2026-06-30" → "Off track indicators 2026-06-30"."""
    words = re.sub(r"(?<!\d)[-_]|[-_](?!\d)", " ", file_stem)  # dashes between digits stay: 2026-06-30
    return words[:1].upper() + words[1:]


def _is_date(value: object) -> bool:
    return isinstance(value, dt.date)


def column_format(series: pd.Series, kind: str | None = None) -> str | None:
    """The Excel number format of a column: ``kind`` ("percent", "amount") when the caller said,
    else from the values (integers and whole numbers with thousands separators, other numbers two
    decimals, dates and date-times); ``None`` for text and yes/no."""
    if kind == "percent":
        return PERCENT
    if kind == "amount":
        return THOUSANDS
    if pd.api.types.is_bool_dtype(series):
        return None
    if pd.api.types.is_datetime64_any_dtype(series):
        values = series.dropna()
        return DATE if (values == values.dt.normalize()).all() else DATETIME
    if pd.api.types.is_integer_dtype(series):
        return THOUSANDS
    if pd.api.types.is_float_dtype(series):
        values = series.dropna()
        return THOUSANDS if values.empty or bool(np.all(np.mod(values, 1) == 0)) else DECIMAL
    values = series.dropna()
    if len(values) and values.map(_is_date).all():
        timed = values.map(lambda v: isinstance(v, dt.datetime) and v.time() != dt.time())
        return DATETIME if timed.any() else DATE
    return None


def _cell_value(value: object) -> object:
    """A value openpyxl writes as a number, a date or text; missing values are empty cells."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.tz_localize(None).to_pydatetime() if value.tzinfo else value.to_pydatetime()
    if isinstance(value, np.generic):
        return _cell_value(value.item())
    if isinstance(value, dt.datetime) and value.tzinfo:
        return value.replace(tzinfo=None)
    return value


def workbook_bytes(
    df: pd.DataFrame,
    *,
    sheet_name: str = "data",
    title: Title | None = None,
    percent: Iterable[str] = (),
    amounts: Iterable[str] = (),
) -> bytes:
    """``df`` as a one-sheet .xlsx laid out as the module docstring says. ``percent`` columns hold
    0-1 shares, ``amounts`` money; the sheet name is trimmed to Excel's 31 characters."""
    title = title or Title(name_of(sheet_name))
    kinds = {**dict.fromkeys(amounts, "amount"), **dict.fromkeys(percent, "percent")}
    clean = neutralise_frame(df)
    formats = [column_format(clean[c], kinds.get(c)) for c in clean.columns]

    book = Workbook(write_only=True)
    sheet = book.create_sheet(re.sub(r"[\[\]:*?/\\]", "_", sheet_name)[:31] or "data")
    widths = [min(MAX_WIDTH, max(10, len(str(c)) + 2)) for c in clean.columns]
    for column, series in enumerate(clean.columns):
        sample = clean[series].head(200).map(lambda v: len(str(v)) if v is not None else 0)
        widths[column] = min(MAX_WIDTH, max(widths[column], int(sample.max()) + 2 if len(sample) else 0))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    last = get_column_letter(max(1, len(clean.columns)))
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + len(clean)}"

    first, second = (neutralise(line) for line in title.lines())
    sheet.append([_styled(sheet, first, TITLE_FONT)])
    sheet.append([second])
    sheet.append([_styled(sheet, neutralise(str(c)), BOLD) for c in clean.columns])
    for row in clean.itertuples(index=False, name=None):
        sheet.append([_formatted(sheet, _cell_value(v), f) for v, f in zip(row, formats, strict=True)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _styled(sheet, value: object, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = font
    return cell


def _formatted(sheet, value: object, number_format: str | None) -> object:
    if number_format is None or value is None or isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell
