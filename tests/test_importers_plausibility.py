"""Warnings for valid but doubtful values (``importers.plausibility``) and the workbook's
percent-formatted cells and misnamed sheets: each case hand-written, with the exact message.

The base files (``importers_support.BASE_FILES``) are a plausible project: they raise no warning,
so every warning below comes from the one edit the case makes.
"""

from __future__ import annotations

import io

import openpyxl
import pytest

from data_access.importers.plausibility import StoredFacts
from data_access.importers.validate import KnownKeys, validate_imports
from data_access.importers.workbook import read_workbook
from tests.importers_support import BASE_FILES, IMPORT_DAY, parse, with_changes


def _warnings(files: dict[str, str], known: KnownKeys | None = None) -> list[tuple[str, int | None, str, str, str]]:
    validated = validate_imports(parse(files), known, as_of=IMPORT_DAY)
    assert validated.report.errors == []
    return [(w.sheet, w.row, w.column, w.value, w.reason) for w in validated.report.warnings]


def test_the_base_project_raises_no_doubt():
    assert _warnings(BASE_FILES) == []


PERIODS = "project_code,indicator_code,period_start,period_end,target,actual\n"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # I2 is a percentage indicator, baseline 20, end target 60
        (
            "PX.0001,I2,2024-01-01,2024-12-31,0.3,0.25\n",
            [
                (
                    "periods",
                    2,
                    "target",
                    "0.3",
                    "0.3 on a percentage indicator whose baseline or end target is above 1: percentages are written in "
                    "percent points (30 for 30%); as it is, it reads 0.3% (2 rows like this one)",
                )
            ],
        ),
        (
            "PX.0001,I2,2024-01-01,2024-12-31,30,130\n",
            [
                (
                    "periods",
                    2,
                    "actual",
                    "130",
                    "a percentage outside 0-100 is outside the plausible range: check the "
                    "value, or whether the "
                    "indicator is a count published as a percentage",
                )
            ],
        ),
        ("PX.0001,I2,2024-01-01,2024-12-31,30,0\n", []),  # 0% is a value, not a fraction
        ("PX.0001,I2,2024-01-01,2024-12-31,30,100\n", []),  # the edge of the range is plausible
        ("PX.0001,I1,2024-01-01,2024-03-31,0.5,0.25\n", []),  # I1 counts people: no percentage rule
    ],
)
def test_percentages(rows, expected):
    assert _warnings(with_changes(periods=PERIODS + rows)) == expected


def test_a_fraction_is_judged_against_a_stored_indicator_too():
    known = KnownKeys(projects={"PX.0001"}, indicators={("PX.0001", "I2")})
    known.facts = StoredFacts(percentage_indicators={("PX.0001", "I2"): (20.0, 60.0)})
    assert [
        w[2:4] for w in _warnings({"periods.csv": PERIODS + "PX.0001,I2,2024-01-01,2024-12-31,,0.53\n"}, known)
    ] == [("actual", "0.53")]


EXPENDITURE = "project_code,line_code,month,amount,currency\n"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            "PX.0001,L1,2023-12,5,USD\n",
            [
                (
                    "expenditure",
                    2,
                    "month",
                    "2023-12",
                    "spending booked before the project starts (2024-01-01); check the month",
                )
            ],
        ),
        ("PX.0001,L1,2027-06,5,USD\n", []),  # within 6 months after the end (2026-12-31): final invoices
        (
            "PX.0001,L1,2027-07,5,USD\nPX.0001,L2,2029-01,5,USD\n",
            [
                (
                    "expenditure",
                    2,
                    "month",
                    "2027-07",
                    "spending booked more than 6 months after the project ends (2026-12-31); check the month "
                    "(2 rows like this one)",
                )
            ],
        ),
        (
            "PX.0001,L1,2024-07,12500,EUR\n",
            [
                (
                    "expenditure",
                    2,
                    "currency",
                    "EUR",
                    "spent in EUR on a project kept in USD, and no exchange rate for EUR is stored or in this import: "
                    "the project's spending, burn and forecast stay unknown until an fx_rates row for it is imported",
                )
            ],
        ),
    ],
)
def test_spending_dates_and_currencies(rows, expected):
    assert _warnings(with_changes(expenditure=EXPENDITURE + rows)) == expected


def test_a_rate_in_the_import_or_stored_removes_the_currency_doubt():
    eur = with_changes(expenditure=EXPENDITURE + "PX.0001,L1,2024-07,12500,EUR\n")
    with_rate = {**eur, "fx_rates.csv": "date,currency,usd_rate\n2024-06-30,EUR,1.08\n"}
    assert _warnings(with_rate) == []
    known = KnownKeys()
    known.facts = StoredFacts(rate_currencies={"EUR"})
    assert _warnings(eur, known) == []


def test_a_visit_after_today_is_doubtful():
    visits = "project_code,visit_date,type,findings,follow_up_status\n"
    assert _warnings({**BASE_FILES, "visits.csv": visits + "PX.0001,2026-11-22,on_site,ok,none_needed\n"}) == []
    assert _warnings({**BASE_FILES, "visits.csv": visits + "PX.0001,2031-01-01,on_site,ok,none_needed\n"}) == [
        (
            "visits",
            2,
            "visit_date",
            "2031-01-01",
            "a monitoring visit dated after the day of this import (2026-11-22): visits are recorded once made",
        )
    ]


def test_warnings_do_not_block_the_import(session):
    from data_access.importers.writer import import_files
    from data_access.scope import Scope

    files = with_changes(expenditure=EXPENDITURE + "PX.0001,L1,2023-12,5,USD\n")
    result = import_files(
        session, parse(files), user="t", scope=Scope.whole_organisation("administrator"), as_of=IMPORT_DAY
    )
    assert result.outcome == "imported"
    assert [w.column for w in result.report.warnings] == ["month"]


# ---- the workbook -----------------------------------------------------------------------------
def _workbook(sheets: dict[str, list[list[object]]], percent_cells: dict[str, list[str]] | None = None) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for ref in (percent_cells or {}).get(name, []):
            sheet[ref].number_format = "0%"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_percent_formatted_cells_are_read_as_percent_points():
    data = _workbook(
        {
            "periods": [
                ["project_code", "indicator_code", "period_start", "period_end", "target", "actual"],
                ["PX.0001", "I2", "2024-01-01", "2024-12-31", 0.3, 0.25],
            ],
            "budget": [
                ["project_code", "line_code", "category", "amount", "currency"],
                ["PX.0001", "L9", "staff", 0.5, "USD"],
            ],
        },
        {"periods": ["E2", "F2"], "budget": ["D2"]},
    )
    parsed = read_workbook(data, "matrix.xlsx")
    period = parsed.rows("periods")[0].values
    assert (period["target"], period["actual"]) == (30.0, 25.0)
    assert parsed.rows("budget")[0].values["amount"] == 0.5  # an amount is never rescaled
    assert [(n.kind, n.message) for n in parsed.notes if n.kind == "convention"] == [
        (
            "convention",
            "2 cell(s) formatted as percentages read as percent points, as Excel shows them "
            "(0.53 shown as 53% is stored as 53)",
        )
    ]


@pytest.mark.parametrize(("sheet", "meant"), [("Expenditure 2025", "expenditure"), ("Budget1", "budget")])
def test_a_sheet_named_almost_like_a_table_is_a_warning(sheet, meant):
    data = _workbook({"projects": [["project_code"]], sheet: [["project_code"], ["PX.0001"]]})
    parsed = read_workbook(data, "matrix.xlsx")
    report = validate_imports([parsed], as_of=IMPORT_DAY).report
    assert [(w.sheet, w.reason) for w in report.warnings] == [
        (
            sheet,
            f"sheet {sheet!r} is not read: is it the {meant} sheet? Rename it to {meant!r} (sheets are matched "
            "by name) and upload again, or its rows are not imported",
        )
    ]


def test_an_unrelated_sheet_is_only_a_note():
    parsed = read_workbook(_workbook({"projects": [["project_code"]], "My notes": [["x"]]}), "matrix.xlsx")
    assert parsed.warnings == []
    assert any(n.message.startswith("sheet 'My notes' ignored") for n in parsed.notes)


def test_a_region_that_would_move_a_stored_country_is_a_warning():
    known = KnownKeys()
    known.facts = StoredFacts(country_regions={"KEN": "RO-EHoA"})
    assert _warnings(BASE_FILES, known) == [
        (
            "projects",
            2,
            "region",
            "RONE",
            "KEN is stored under region RO-EHoA: the region column only places a new country, so this project "
            "stays in RO-EHoA",
        )
    ]
    known.facts = StoredFacts(country_regions={"KEN": "RONE"})
    assert _warnings(BASE_FILES, known) == []
