"""The blank results-matrix template (``data_access.importers.template``) and what the workbook reader
does with the template's own sheets and with columns marked ``(read only)``."""

from __future__ import annotations

import io

import openpyxl
import pytest

from data_access.importers.tables import TABLES
from data_access.importers.template import OPEN_LISTS, template_bytes
from data_access.importers.workbook import LISTS_SHEET, read_workbook
from reference.currencies import CURRENCY_CODES


@pytest.fixture(scope="module")
def template() -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(template_bytes()))


def _rules(ws) -> dict[str, object]:
    """Column letter -> its list validation (the template puts one per column)."""
    out = {}
    for rule in ws.data_validations.dataValidation:
        for cell_range in rule.sqref.ranges:
            out[cell_range.coord.split(":")[0].rstrip("0123456789")] = rule
    return out


def _list_values(wb: openpyxl.Workbook, rule) -> list[str]:
    """The values a list validation offers: inline, or a range of the lists sheet."""
    formula = rule.formula1
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    sheet, cells = formula.split("!")
    return [c.value for (c,) in wb[sheet][cells.replace("$", "")]]


def test_every_coded_column_has_a_dropdown(template):
    """Codes and yes/no refuse another value; countries, currencies and regional offices offer the known
    codes and only warn (the importer accepts a new country office or a withdrawn currency)."""
    checked = set()
    for spec in TABLES:
        ws = template[spec.name]
        rules = _rules(ws)
        for index, column in enumerate(spec.columns, start=1):
            letter = openpyxl.utils.get_column_letter(index)
            open_list = {"iso3": "country", "currency": "currency"}.get(column.kind)
            open_list = "region" if column.name == "region" else open_list
            if not (column.codes or column.kind == "yes_no" or open_list):
                assert letter not in rules, (spec.name, column.name)
                continue
            rule = rules[letter]
            assert f"{letter}3:{letter}2002" in str(rule.sqref)
            values = _list_values(template, rule)
            if open_list:
                assert values == list(OPEN_LISTS[open_list]) and rule.errorStyle == "warning"
                checked.add(open_list)
            else:
                assert values == list(column.codes or ("yes", "no")) and rule.errorStyle in (None, "stop")
    assert checked == {"country", "currency", "region"}
    assert {"KEN", "UGA"} <= set(OPEN_LISTS["country"]) and "RO-EHoA" in OPEN_LISTS["region"]
    assert "USD" in CURRENCY_CODES and "EUR" in CURRENCY_CODES and "VEF" not in CURRENCY_CODES


def test_the_lists_sheet_is_hidden_last_and_skipped_without_a_note(template):
    assert template.sheetnames[-1] == LISTS_SHEET and template[LISTS_SHEET].sheet_state == "hidden"
    parsed = read_workbook(template_bytes(), "t.xlsx")
    assert not [n for n in parsed.notes if "lists" in n.message or "instructions" in n.message]
    assert parsed.warnings == []


def _workbook(header: list[str], *rows: list[object]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "periods"
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_read_only_columns_are_never_read():
    """``target (read only)`` is information, never the target; the note names what was left aside,
    wherever the column stands (the last one too)."""
    data = _workbook(
        [
            "project_code",
            "indicator_code",
            "Target (read only)",
            "period_start",
            "period_end",
            "actual",
            "latest (Read-Only)",
        ],
        ["PX.0001", "I1", 100, "2024-01-01", "2024-03-31", 90, 80],
    )
    parsed = read_workbook(data, "f.xlsx")
    (row,) = parsed.rows("periods")
    assert row.values == {
        "project_code": "PX.0001",
        "indicator_code": "I1",
        "period_start": "2024-01-01",
        "period_end": "2024-03-31",
        "actual": 90,
    }
    assert [n.message for n in parsed.notes] == [
        "2 column(s) marked (read only) are information only and were not read: Target (read only), latest (Read-Only)"
    ]
