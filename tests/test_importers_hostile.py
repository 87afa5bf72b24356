"""A corpus of broken and hostile files, each with the message a person should get, and proof that
the database is untouched afterwards (row count and checksum of every table) while the attempt is
logged as rejected.

The files are made here at test time (small, and nothing binary committed): renamed documents,
damaged and bomb workbooks, formulas without results, wrong encodings, truncated text, XML with
entities and external references, and valid-looking files that break the all-or-nothing rule.
"""

from __future__ import annotations

import functools
import io
import zipfile
from collections.abc import Callable

import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.importers.template import template_bytes
from data_access.models import ImportBatch
from tests.importers_support import BASE_FILES, attempt, count, do_import, fingerprint

PROJECTS = BASE_FILES["projects.csv"]
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def _workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


BUDGET_HEADER = ["project_code", "line_code", "category", "description", "amount", "currency", "revision_date"]


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@functools.cache
def _ratio_bomb() -> bytes:
    """A real template plus one 30 MB member of zeros (compresses about 1000:1)."""
    with zipfile.ZipFile(io.BytesIO(template_bytes())) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    members["xl/media/image1.bin"] = bytes(30 * 1024 * 1024)
    return _zip(members)


def _total_bomb(monkeypatch: pytest.MonkeyPatch) -> bytes:
    """120 members of 0.9 MB zeros: each under the ratio check's size, 108 MB in all (limit 5 MB x 20)."""
    monkeypatch.setenv("DASHBOARD_IMPORT_MAX_MB", "5")
    members = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}
    members.update({f"xl/media/part{i}.bin": bytes(900 * 1024) for i in range(120)})
    return _zip(members)


def _too_big(monkeypatch: pytest.MonkeyPatch) -> bytes:
    monkeypatch.setenv("DASHBOARD_IMPORT_MAX_MB", "0.5")
    return (PROJECTS + "x" * 600_000).encode()


Builder = Callable[[pytest.MonkeyPatch], dict[str, bytes | str]]


def _static(files: dict[str, bytes | str]) -> Builder:
    return lambda _mp: files


XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
CASES: list[tuple[str, Builder, str]] = [
    ("empty file", _static({"projects.csv": b""}), "projects.csv: the file is empty."),
    ("huge file", lambda mp: {"projects.csv": _too_big(mp)}, "above the 0.5 MB limit"),
    (
        "PDF renamed .xlsx",
        _static({"matrix.xlsx": PDF}),
        "matrix.xlsx: not an Excel workbook (.xlsx). It is a PDF document.",
    ),
    (
        "CSV renamed .xlsx",
        _static({"matrix.xlsx": PROJECTS}),
        "not an Excel workbook (.xlsx); its content looks like a CSV file",
    ),
    (
        "old .xls renamed .xlsx",
        _static({"matrix.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)}),
        "It is an old-style .xls workbook: open it in Excel and save it as .xlsx.",
    ),
    (
        "plain zip renamed .xlsx",
        _static({"matrix.xlsx": _zip({"notes.txt": b"hello"})}),
        "It is a zip archive but not an Excel workbook",
    ),
    ("truncated workbook", lambda _mp: {"matrix.xlsx": template_bytes()[:3000]}, "damaged or truncated"),
    ("zip bomb (ratio)", lambda _mp: {"matrix.xlsx": _ratio_bomb()}, "part xl/media/image1.bin is compressed"),
    (
        "zip bomb (total size)",
        lambda mp: {"matrix.xlsx": _total_bomb(mp)},
        "the workbook would unpack to 105 MB (limit 100 MB); it looks like a zip bomb",
    ),
    (
        "formula without cached value",
        _static(
            {"budget.xlsx": _workbook({"budget": [BUDGET_HEADER, ["PX.0001", "L9", "staff", "x", "=1000*2", "USD"]]})}
        ),
        "budget.xlsx, sheet budget, row 2, column amount (value '=1000*2'): a formula with no saved result",
    ),
    (
        "Excel error value",
        _static(
            {"budget.xlsx": _workbook({"budget": [BUDGET_HEADER, ["PX.0001", "L9", "staff", "x", "#DIV/0!", "USD"]]})}
        ),
        "column amount (value '#DIV/0!'): the cell shows the Excel error #DIV/0!",
    ),
    (
        "workbook without table sheets",
        _static({"matrix.xlsx": _workbook({"Sheet1": [["a", "b"], [1, 2]]})}),
        "matrix.xlsx: no sheet is named after a table",
    ),
    (
        "Windows-1252 CSV",
        _static({"projects.csv": PROJECTS.replace("Safe migration", "Migración segura").encode("cp1252")}),
        "projects.csv: not UTF-8 text (byte 0xF3 on line 2)",
    ),
    (
        "UTF-16 CSV",
        _static({"projects.csv": PROJECTS.encode("utf-16")}),
        "It is UTF-16 text: save it as 'CSV UTF-8' instead.",
    ),
    (
        "unclosed quote (truncated CSV)",
        _static({"projects.csv": PROJECTS + 'PX.0002,"Unfinished title'}),
        "a quote is not closed or the file is truncated",
    ),
    (
        "CSV not named after a table",
        _static({"export(3).csv": PROJECTS}),
        "export(3).csv: a CSV file must be named after its table",
    ),
    ("CSV with no header", _static({"projects.csv": "\n\n   \n"}), "projects.csv: the file has no header row"),
    (
        "NUL bytes inside CSV",
        _static({"projects.csv": PROJECTS + "x" * 5000 + "\x00\n"}),
        "the file contains NUL bytes; it is binary, not CSV text.",
    ),
    (
        "PNG renamed .csv",
        _static({"projects.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100)}),
        "projects.csv: not a CSV file.",
    ),
    (
        "PDF with its own name",
        _static({"report.pdf": PDF}),
        "report.pdf: not an Excel workbook, CSV or IATI XML file. It is a PDF document.",
    ),
    (
        "XML renamed .csv",
        _static({"projects.csv": XML_HEAD + "<iati-activities/>"}),
        "projects.csv: not a CSV file; its content looks like an XML file",
    ),
    (
        "billion laughs",
        _static(
            {
                "activities.xml": XML_HEAD
                + '<!DOCTYPE lolz [<!ENTITY lol "lol">'
                + '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                + '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
                + "<iati-activities>&lol3;</iati-activities>"
            }
        ),
        "declares entities (the 'billion laughs' expansion attack uses them)",
    ),
    (
        "external entity",
        _static(
            {
                "activities.xml": XML_HEAD
                + '<!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                + "<iati-activities><iati-activity>&xxe;</iati-activity></iati-activities>"
            }
        ),
        "declares an external entity (a reference to another file or URL)",
    ),
    (
        "external DTD",
        _static(
            {
                "activities.xml": XML_HEAD
                + '<!DOCTYPE iati-activities SYSTEM "http://example.org/iati.dtd">'
                + "<iati-activities/>"
            }
        ),
        "activities.xml: the XML declares a document type (DTD)",
    ),
    (
        "truncated XML",
        _static(
            {
                "activities.xml": XML_HEAD
                + '<iati-activities version="2.03">\n<iati-activity>\n'
                + "<iati-identifier>XM-1</iati-identifier>\n<title><narrative>Cut"
            }
        ),
        "activities.xml: the XML ends early at line 5",
    ),
    (
        "undefined entity",
        _static({"activities.xml": XML_HEAD + "<iati-activities>&secret;</iati-activities>"}),
        "the XML uses an entity that is not defined (line 2",
    ),
    (
        "XML not well-formed",
        _static({"activities.xml": XML_HEAD + "<iati-activities><a></b></iati-activities>"}),
        "activities.xml: the XML is not well-formed at line 2",
    ),
    (
        "one bad row among good ones",
        _static(
            {**BASE_FILES, "periods.csv": BASE_FILES["periods.csv"] + "PX.0001,I9,2024-07-01,2024-09-30,1,1,,,,,,\n"}
        ),
        "periods.csv, sheet periods, row 5, column indicator_code (value 'I9'): no such indicator for this project",
    ),
    (
        "duplicate rows in a workbook",
        _static(
            {
                "budget.xlsx": _workbook(
                    {
                        "budget": [
                            BUDGET_HEADER,
                            ["PX.0001", "L9", "staff", "", 5, "USD"],
                            ["PX.0001", "L9", "staff", "", 5, "USD"],
                        ]
                    }
                )
            }
        ),
        "budget.xlsx, sheet budget, row 3, column revision_date: duplicate of budget.xlsx row 2",
    ),
    (
        "required column missing",
        _static({"projects.csv": "project_code,managing_country\nPX.0003,KEN\n"}),
        "projects.csv, sheet projects, row 1, column title: required column title is missing",
    ),
    (
        "overwritten original budget",
        _static({"budget.csv": BASE_FILES["budget.csv"].replace("M&E,100,USD", "M&E,999,USD")}),
        "the original budget of line L2 is stored as 100; budgets are revised, never overwritten",
    ),
]


@pytest.mark.parametrize(("builder", "expected"), [pytest.param(b, e, id=i) for i, b, e in CASES])
def test_hostile_file_fails_cleanly_and_changes_nothing(
    session: Session, monkeypatch: pytest.MonkeyPatch, builder: Builder, expected: str
) -> None:
    assert do_import(session, BASE_FILES).outcome == "imported"
    before = fingerprint(session)
    batches = count(session, ImportBatch)
    outcome, messages = attempt(session, builder(monkeypatch))
    assert outcome in ("refused", "rejected")
    assert any(expected in message for message in messages), messages
    assert fingerprint(session) == before
    assert count(session, ImportBatch) == batches + 1
    last = session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc()).limit(1)).one()
    assert last.outcome == "rejected"
    assert last.message


def _with_cached_formula(value: str) -> bytes:
    """A budget workbook whose amount is the formula ``=1+1`` with ``value`` cached, as Excel saves it."""
    raw = _workbook({"budget": [BUDGET_HEADER, ["PX.0001", "L9", "staff", "x", "=1+1", "USD"]]})
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    members[sheet] = members[sheet].replace(b"<f>1+1</f><v></v>", f"<f>1+1</f><v>{value}</v>".encode())
    assert f"<v>{value}</v>".encode() in members[sheet]
    return _zip(members)


def test_formula_is_read_as_its_cached_value_never_evaluated(session: Session) -> None:
    from data_access.importers.workbook import read_file

    parsed = read_file(_with_cached_formula("1300"), "budget.xlsx")
    assert parsed.rows("budget")[0].values["amount"] == 1300  # =1+1 would be 2


@pytest.mark.parametrize("raw", ["abc", "0", "-5", "inf"])
def test_a_size_limit_that_is_not_a_positive_number_is_a_clear_setting_error(monkeypatch, raw):
    from data_access.errors import InvalidInput
    from data_access.importers import safety

    monkeypatch.setenv("DASHBOARD_IMPORT_MAX_MB", raw)
    with pytest.raises(InvalidInput, match=f"DASHBOARD_IMPORT_MAX_MB is '{raw}': set it to a size in MB above 0"):
        safety.check_size(b"x", "projects.csv")


def test_the_size_limit_setting(monkeypatch):
    from data_access.importers import safety

    monkeypatch.delenv("DASHBOARD_IMPORT_MAX_MB", raising=False)
    assert safety.max_file_bytes() == 50 * safety.MB
    monkeypatch.setenv("DASHBOARD_IMPORT_MAX_MB", " 2.5 ")
    assert safety.max_file_bytes() == int(2.5 * safety.MB)
