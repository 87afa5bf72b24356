"""Excel downloads people can use (issue 13 item 4): each workbook is read back with openpyxl.

Expectations are written by hand: the title lines, the header row, the frozen panes, the number
format of every kind of column, numbers kept as numbers, and formula-like text neutralised in the
cells, the header and the title.
"""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from components import excel, tables
from data_access.scope import PortfolioFilter

D = dt.date
FRAME = pd.DataFrame(
    {
        "Project": ["PX.0001", "PX.0002", "PX.0003"],
        "Note": ['=HYPERLINK("http://x")', "Zürich office", None],
        "Burn": [0.3412, 1.05, np.nan],
        "Budget (USD)": [1_250_000.4, 80_000.0, np.nan],
        "High flags": pd.array([2, 0, pd.NA], dtype="Int64"),
        "Gap (pp)": [12.25, -3.5, 0.0],
        "Ends": [D(2026, 6, 30), D(2027, 1, 15), None],
        "Started (UTC)": pd.to_datetime(["2026-06-01 09:30", "2026-06-02 10:00", None], utc=True),
    }
)
TITLE = excel.Title("Portfolio projects", "Chief of mission (KEN)", D(2026, 6, 30), "Donor: ECHO; Theme: Protection")


def _sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


@pytest.fixture(scope="module")
def sheet():
    return _sheet(
        tables.to_excel_bytes(FRAME, "portfolio-projects", title=TITLE, percent=["Burn"], amounts=["Budget (USD)"])
    )


def test_title_lines_say_what_whose_when_and_which_filters(sheet):
    assert sheet["A1"].value == "Portfolio projects · Chief of mission (KEN) · as of 30 Jun 2026"
    assert sheet["A1"].font.bold
    assert sheet["A2"].value == "Filters: Donor: ECHO; Theme: Protection"


def test_header_is_row_3_bold_frozen_and_filterable(sheet):
    header = [c.value for c in sheet[3]]
    assert header == list(FRAME.columns)
    assert all(c.font.bold for c in sheet[3])
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref == "A3:H6"


def test_values_are_numbers_and_dates_with_formats(sheet):
    first = {h: c for h, c in zip(FRAME.columns, sheet[4], strict=True)}
    assert first["Burn"].value == 0.3412 and first["Burn"].number_format == "0.0%"  # a fraction shown as 34.1%
    assert first["Budget (USD)"].value == 1_250_000.4 and first["Budget (USD)"].number_format == "#,##0"
    assert first["High flags"].value == 2 and first["High flags"].number_format == "#,##0"
    assert first["Gap (pp)"].value == 12.25 and first["Gap (pp)"].number_format == "#,##0.00"
    assert first["Ends"].value == dt.datetime(2026, 6, 30) and first["Ends"].number_format == "yyyy-mm-dd"
    assert first["Started (UTC)"].value == dt.datetime(2026, 6, 1, 9, 30)
    assert first["Started (UTC)"].number_format == "yyyy-mm-dd hh:mm"
    assert first["Project"].value == "PX.0001" and first["Project"].number_format == "General"


def test_missing_values_are_empty_cells(sheet):
    last = [c.value for c in sheet[6]]
    assert last == ["PX.0003", None, None, None, None, 0, None, None]


def test_formula_like_text_is_neutralised_everywhere():
    hostile = pd.DataFrame({"=cmd|' /C calc'!A0": ["+1+1", "-2", "@SUM(A1)", "ok"], "n": [-5, 1, 2, 3]})
    title = excel.Title("=HYPERLINK(1)", "=scope", D(2026, 1, 1), "Donor: =evil")
    sheet = _sheet(tables.to_excel_bytes(hostile, "x", title=title))
    assert sheet["A1"].value == "'=HYPERLINK(1) · =scope · as of 1 Jan 2026"
    assert sheet["A2"].value == "Filters: Donor: =evil"  # does not start with a formula character
    assert sheet["A3"].value == "'=cmd|' /C calc'!A0"
    assert [sheet.cell(row=r, column=1).value for r in range(4, 8)] == ["'+1+1", "'-2", "'@SUM(A1)", "ok"]
    assert [sheet.cell(row=r, column=2).value for r in range(4, 8)] == [-5, 1, 2, 3]  # numbers untouched
    assert all(sheet.cell(row=r, column=c).data_type != "f" for r in range(1, 8) for c in (1, 2))


def test_sheet_name_is_trimmed_and_title_defaults_to_the_file_name():
    sheet = _sheet(tables.to_excel_bytes(FRAME[["Project"]], "flags: top/10 of the whole organisation portfolio"))
    assert sheet.title == "flags_ top_10 of the whole orga"  # 31 characters
    assert sheet["A1"].value == "Flags: top/10 of the whole organisation portfolio"
    assert sheet["A2"].value == "Filters: none"


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (PortfolioFilter(as_of=D(2026, 6, 30)), "none"),
        (
            PortfolioFilter(as_of=D(2026, 6, 30), regions=("RO-SAF",), countries=("KEN", "UGA")),
            "Region: Regional Office for Southern Africa (Pretoria); Country: Kenya (KEN), Uganda (UGA)",
        ),
        (
            PortfolioFilter(as_of=D(2026, 6, 30), donors=("ECHO", "BHA"), themes=("Protection",)),
            "Donor: BHA, ECHO; Theme: Protection",
        ),
        (PortfolioFilter(as_of=D(2026, 6, 30), statuses=("active", "pipeline")), "Project status: active, pipeline"),
        (PortfolioFilter(as_of=D(2026, 6, 30), countries=("XXX",)), "Country: XXX"),
    ],
)
def test_filters_in_words(flt, expected):
    assert excel.describe_filters(flt) == expected


@pytest.mark.parametrize(
    ("values", "kind", "expected"),
    [
        ([0.25, 0.5], "percent", "0.0%"),
        ([1000.0, 2.5], "amount", "#,##0"),
        ([1, 2], None, "#,##0"),
        ([1.0, 2.0, np.nan], None, "#,##0"),  # whole numbers
        ([1.25, 2.0], None, "#,##0.00"),
        (["a", "b"], None, None),
        ([True, False], None, None),
        ([D(2026, 1, 1), None], None, "yyyy-mm-dd"),
        ([dt.datetime(2026, 1, 1, 12, 0), None], None, "yyyy-mm-dd hh:mm"),
        ([None, None], None, None),
    ],
)
def test_column_format(values, kind, expected):
    assert excel.column_format(pd.Series(values), kind) == expected


@pytest.mark.parametrize(
    ("stem", "name"),
    [
        ("portfolio-by-region", "Portfolio by region"),
        ("off-track-indicators-2026-06-30", "Off track indicators 2026-06-30"),
        ("PX.0001-results-matrix", "PX.0001 results matrix"),
        ("import_counts", "Import counts"),
    ],
)
def test_name_of(stem, name):
    assert excel.name_of(stem) == name


def test_download_title_is_the_view_recorded_for_the_run():
    import contextvars

    def in_a_run():
        assert tables.download_title("Flags") == excel.Title("Flags")  # outside a page run: the name only
        tables.describe_downloads("Regional director (RO-SAF)", PortfolioFilter(as_of=D(2026, 3, 31), donors=("ECHO",)))
        return tables.download_title("Flags")

    title = contextvars.copy_context().run(in_a_run)
    assert title.lines() == ("Flags · Regional director (RO-SAF) · as of 31 Mar 2026", "Filters: Donor: ECHO")


def test_configured_percent_and_thousands_columns_are_found():
    import streamlit as st

    config = {
        "Burn": st.column_config.NumberColumn(format="%.0f%%"),
        "Progress": st.column_config.ProgressColumn(format="percent", min_value=0.0, max_value=1.0),
        "Budget": st.column_config.NumberColumn(format="localized"),
        "Variance (pp)": st.column_config.NumberColumn(format="%+.0f"),
        "Title": st.column_config.TextColumn(width=200),
    }
    assert tables._configured(config, tables.PERCENT_FORMATS) == ["Burn", "Progress"]
    assert tables._configured(config, tables.THOUSANDS_FORMATS) == ["Budget"]


# ---- printing: each table's plain copy for paper (components.tables.print_html) -------------------------
@pytest.mark.parametrize(
    ("value", "fmt", "text"),
    [
        (34.12, "%.1f%%", "34.1%"),  # a share shown × 100 under the page's format
        (106.0, "%.0f%%", "106%"),
        (0.3412, "percent", "34.1%"),  # a 0-1 share under Streamlit's "percent"
        (1_250_000.4, "localized", "1,250,000"),
        (1_250_000.4, "%,.0f", "1,250,000"),
        (12.0, "%+.0f", "+12"),
        (3, None, "3"),
        (1234.5, None, "1,234.5"),
        (2.0, None, "2"),
        (np.int64(7), None, "7"),
        (np.nan, "%.1f%%", "–"),  # missing reads "–" on paper as on screen, never "None" or blank
        (None, None, "–"),
        (pd.NA, None, "–"),
        (pd.Timestamp("2026-06-30"), None, "2026-06-30"),
        (pd.Timestamp("2026-06-30 09:05"), None, "2026-06-30 09:05"),
        (D(2026, 6, 30), None, "2026-06-30"),
        (True, None, "True"),
        ("✖ Off track", None, "✖ Off track"),
    ],
)
def test_cell_text(value, fmt, text):
    assert tables.cell_text(value, fmt) == text


def test_print_copy_escapes_text_uses_labels_and_formats_and_says_when_cut():
    import streamlit as st

    shown = pd.DataFrame({"Project": ["<b>PX</b>", "PX.2", "PX.3"], "Burn": [34.12, 5.0, np.nan]})
    config = {"Burn": st.column_config.NumberColumn("Burn (%)", format="%.1f%%")}
    page = tables.print_html(shown, config, rows=2)
    assert page.startswith('<div class="print-only"><p>The first 2 of 3 rows; the downloads hold all 3.</p>')
    assert "<th>Project</th><th>Burn (%)</th>" in page
    assert "<td>&lt;b&gt;PX&lt;/b&gt;</td><td>34.1%</td>" in page  # imported text is data, never markup
    assert "<td>PX.2</td><td>5.0%</td>" in page
    assert "PX.3" not in page
    assert "first" not in tables.print_html(shown, config, rows=3)


def _one_table_script(printing: bool):
    import pandas as pd

    from components import tables

    tables.print_copies(printing)
    tables.show_table(pd.DataFrame({"Project": ["PX.1"], "Burn": [0.5]}), key="t", file_stem="t", shares=["Burn"])


def test_every_table_has_its_print_copy_with_tables_on_paper_and_none_without():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_one_table_script, args=(True,)).run()
    assert not at.exception
    copies = [e.proto.body for e in at.get("html")]
    assert len(copies) == 1 and "<td>PX.1</td><td>50.0%</td>" in copies[0]
    at = AppTest.from_function(_one_table_script, args=(False,)).run()
    assert not at.exception and not at.get("html")  # a view not printed costs the browser no copy


def test_print_style_hides_controls_keeps_labels_whole_and_swaps_grids_for_copies():
    from components.frame import PRINT_CSS

    css = PRINT_CSS.read_text(encoding="utf-8")
    assert "@page { size: A4 landscape" in css
    for rule in ('[data-testid="stSidebar"]', '[data-testid="stDownloadButton"]', "word-break: normal"):
        assert rule in css
    grid = '[data-testid="stElementContainer"]:has([data-testid="stDataFrame"])'
    assert f"body:has(.print-only) {grid} {{\n    display: none !important;" in css  # the copy replaces the grid
    assert f"body:not(:has(.print-only)) {grid}::before" in css  # without copies, how to get them
