"""Reading the results-matrix workbook (.xlsx) and CSV tables into canonical tables.

Decisions:

* Sheets and CSV files are matched to tables by name (``Projects``, ``projects.csv``; case and
  surrounding spaces ignored). The workbooks' own ``instructions`` and (hidden) ``lists`` sheets are
  skipped silently; other sheets (a user's own notes) are ignored with a note. A CSV file must be
  named after its table: a name like ``export(3).csv`` cannot be told apart and is refused with the
  list of names.
* The header is the first non-empty row. Header names are compared lower-cased with spaces and
  hyphens read as ``_`` (``Project code`` = ``project_code``).
* A workbook column whose header ends with ``(read only)`` is information the dashboard wrote for
  the reader (the pre-filled workbook's indicator name, period target, latest value...): it is
  never read, whatever it holds, and one note says which columns were left aside. Naming them so,
  rather than relying on "unknown columns are ignored", keeps a read-only ``target (read only)``
  from ever being taken for the ``target`` column, and tells the user why it did not count.
* A row whose first cell starts with ``EXAMPLE`` is the template's example and is skipped (noted);
  completely empty rows are skipped.
* A sheet that is not named after a table is ignored; when its name is close to a table's
  (``Expenditure 2025``, ``Budget1``) that is a warning naming the table it was probably meant to
  be, since its rows would otherwise be lost without anyone noticing.
* Percent-formatted cells: the dashboard writes percentages as percent points (53 for 53%). Excel
  stores a cell typed ``53%`` as 0.53 and shows it as 53%, so a number cell of a results table
  (baselines, targets, actuals, breakdown values) with a percent number format is read as what the
  user sees: 0.53 -> 53, with a note saying how many cells were read so.
* Workbooks are opened with openpyxl ``read_only=True, data_only=True``: a formula is read as the
  value Excel cached when it last saved the file and is never evaluated. A formula with no cached
  value (a file written by a program, not saved by Excel) is an error for that cell, and so is an
  Excel error value (``#DIV/0!``, ``#REF!``...). To tell "no cached value" from "empty", the
  workbook is streamed a second time with formulas; workbooks are small, CSV is the bulk path.
* CSV text that starts with an apostrophe before ``=``, ``+``, ``-`` or ``@`` loses the apostrophe:
  it is how ``export`` protects such text from spreadsheets (``data_access.formula_text``).
* CSV: UTF-8 with or without BOM (``safety.decode_text``); the separator is whichever of ``,``
  ``;`` or tab makes the header name the most known columns (Excel in many European locales saves
  with ``;``). A quote that is never closed is reported as a truncated file.
* Row numbers are what the user sees: the spreadsheet row (header = row 1) and, for CSV, the record
  number counted the same way (what Excel shows when it opens the file).
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from itertools import zip_longest
from operator import itemgetter
from pathlib import PurePath
from typing import Any

from data_access.formula_text import restore
from data_access.importers import safety
from data_access.importers.gc_pause import gc_paused
from data_access.importers.tables import (
    TABLE_NAMES,
    CellProblem,
    Header,
    ParsedImport,
    ParsedRow,
    Source,
    table,
)
from reference.text_rules import CONTROL

EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!"}
)
EXAMPLE_MARK = "EXAMPLE"
READ_ONLY_MARK = "(read only)"  # a header ending so is information for the reader, never imported
LISTS_SHEET = "lists"  # the hidden sheet holding the long dropdown lists (importers.template)
NON_TABLE_SHEETS = frozenset({"instructions", LISTS_SHEET})  # the workbooks' own sheets, skipped silently
# a workbook is a results matrix (a country office's projects at most): beyond this many rows, all
# sheets together, it is refused while being read, before it can hold gigabytes (a full 1,048,575-row
# sheet took 100 s and 3.4 GB); bulk loads go through CSV, which the file size limit bounds
MAX_WORKBOOK_ROWS = 200_000
_SEPARATORS = (",", ";", "\t")
_ODD_FIRST = frozenset(" \t\r\n\x0b\x0c'")  # first characters of a cell that needs a second look
# number columns of the results tables whose percent-formatted cells mean percent points (see above)
PERCENT_POINT_COLUMNS = {
    "indicators": frozenset({"baseline", "end_target"}),
    "periods": frozenset({"target", "actual", "actual_female", "actual_male", "actual_other"}),
    "breakdowns": frozenset({"value"}),
}


def normalise_name(name: object) -> str:
    """``' Project code '`` -> ``project_code``: how headers and sheet names are compared."""
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower()) if name is not None else ""


def read_file(data: bytes, file_name: str, *, iati_managing_country: str | None = None) -> ParsedImport:
    """Read one uploaded file of any supported type (sniffed from the content).

    ``iati_managing_country``: for IATI files, the country office managing the activities that
    name no recipient country (``iati.parse_iati``); ignored for workbooks and CSV."""
    kind = safety.sniff(data, file_name)
    with gc_paused():  # a CSV table of a large portfolio is millions of rows of small objects
        if kind == "xlsx":
            parsed = read_workbook(data, file_name)
        elif kind == "csv":
            parsed = read_csv(data, file_name)
        else:
            from data_access.importers.iati import parse_iati  # the IATI reader, imported only when needed

            parsed = parse_iati(data, file_name, managing_country=iati_managing_country)
    parsed.sha256 = parsed.sha256 or hashlib.sha256(data).hexdigest()
    return parsed


# ---- xlsx -----------------------------------------------------------------------------------
def read_workbook(data: bytes, file_name: str) -> ParsedImport:
    import openpyxl  # heavy: only when a workbook comes in

    safety.check_size(data, file_name)
    safety.check_zip(data, file_name)
    parsed = ParsedImport(file_name, "xlsx", hashlib.sha256(data).hexdigest())
    try:
        values_book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formula_book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet_names = values_book.sheetnames
    except Exception as error:  # openpyxl on a damaged part: any exception (see _openpyxl)
        raise _damaged(data, file_name, error) from None
    budget = [MAX_WORKBOOK_ROWS]  # rows left to read in this workbook, all sheets together
    try:
        known = set(TABLE_NAMES)
        for sheet_name in sheet_names:
            name = normalise_name(sheet_name)
            if name not in known:
                if name not in NON_TABLE_SHEETS:
                    _ignored_sheet(parsed, sheet_name, name)
                continue
            if name in parsed.headers:
                raise safety.UnsafeFile(f"{file_name}: two sheets are named {name}; keep one.")
            rows = _capped(
                _openpyxl(_sheet_rows(values_book, formula_book, sheet_name), data, file_name), budget, file_name
            )
            _read_rows(parsed, name, sheet_name, (_merge(v, f) for v, f in rows))
            _note_hidden(parsed, values_book[sheet_name], sheet_name, data)
    finally:
        values_book.close()
        formula_book.close()
    _note_links_and_macros(parsed, data)
    if not parsed.headers:
        raise safety.UnsafeFile(
            f"{file_name}: no sheet is named after a table; name the sheets {', '.join(TABLE_NAMES[:9])} "
            "(download the template from the Data page)."
        )
    return parsed


def _sheet_rows(values_book: Any, formula_book: Any, sheet_name: str) -> Iterator[tuple]:
    """The sheet's rows as (cells with cached values, formulas), every row of the sheet.

    The sheets' ``<dimension>`` element is ignored (``reset_dimensions``): openpyxl's read-only mode
    otherwise stops at the row and column it states, so a file that understates it (some programs
    write ``A1``) would import nothing and report success, and one that overstates it
    (``A1:XFD1048576``) would make a million empty rows of 16,384 cells."""
    values_sheet, formula_sheet = values_book[sheet_name], formula_book[sheet_name]
    values_sheet.reset_dimensions()
    formula_sheet.reset_dimensions()
    return zip_longest(
        values_sheet.iter_rows(min_row=1),
        formula_sheet.iter_rows(min_row=1, values_only=True),
        fillvalue=(),
    )


_HIDDEN_ROW = re.compile(
    rb'<row\b[^>]*?\br="(\d+)"[^>]*?\bhidden="(?:1|true)"|<row\b[^>]*?\bhidden="(?:1|true)"[^>]*?\br="(\d+)"'
)
HIDDEN_ROWS_LISTED = 10


def _hidden_rows(data: bytes, part: str) -> list[int]:
    """Row numbers a sheet part marks hidden (read-only openpyxl drops the attribute), streamed."""
    found: list[int] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(part) as stream:
        tail = b""
        while chunk := stream.read(1 << 20):
            text = tail + chunk
            cut = text.rfind(b"<row")
            head, tail = (text[:cut], text[cut:]) if cut > 0 else (text, b"")
            found.extend(int(m.group(1) or m.group(2)) for m in _HIDDEN_ROW.finditer(head))
        found.extend(int(m.group(1) or m.group(2)) for m in _HIDDEN_ROW.finditer(tail))
    return found


def _note_hidden(parsed: ParsedImport, sheet: Any, sheet_name: str, data: bytes) -> None:
    """Warn about data a person does not see in Excel but that is imported: a hidden sheet, hidden rows."""
    source = Source(parsed.file_name, sheet_name)
    read = {r.source.row for r in parsed.rows(normalise_name(sheet_name))}
    if getattr(sheet, "sheet_state", "visible") != "visible" and read:
        parsed.warn(
            source,
            None,
            sheet_name,
            f"sheet {sheet_name!r} is hidden in Excel ({sheet.sheet_state}); its {len(read):,} row(s) are "
            "imported: unhide it and check them, or remove the sheet",
        )
    part = getattr(sheet, "_worksheet_path", None)
    try:
        hidden = [row for row in _hidden_rows(data, part) if row in read] if part else []
    except (KeyError, zipfile.BadZipFile, OSError):
        hidden = []
    if hidden:
        shown = ", ".join(str(r) for r in hidden[:HIDDEN_ROWS_LISTED]) + (
            " ..." if len(hidden) > HIDDEN_ROWS_LISTED else ""
        )
        parsed.warn(
            Source(parsed.file_name, sheet_name, hidden[0]),
            None,
            None,
            f"{len(hidden):,} row(s) of sheet {sheet_name!r} are hidden in Excel and are imported (rows "
            f"{shown}): unhide them and check them, or delete them",
        )


def _note_links_and_macros(parsed: ParsedImport, data: bytes) -> None:
    """External links (their formulas are read as the values Excel last saved, possibly stale) are a
    warning; macros (a macro workbook renamed .xlsx) a note: they are never run."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
    links = [n for n in names if n.startswith("xl/externalLinks/") and n.endswith(".xml")]
    if links:
        parsed.warn(
            Source(parsed.file_name),
            None,
            None,
            f"the workbook links to {len(links)} other workbook(s): formulas using them are read as the "
            "values Excel saved when the file was last opened with them, which may be out of date",
        )
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        parsed.note(
            "info",
            "the workbook contains macros (a macro-enabled workbook): they are never run; only the "
            "values saved in its cells are read",
            Source(parsed.file_name),
        )


def _capped(rows: Iterator[tuple], budget: list[int], file_name: str) -> Iterator[tuple]:
    """``rows`` until the workbook's row budget (:data:`MAX_WORKBOOK_ROWS`) is spent, then a refusal."""
    for row in rows:
        budget[0] -= 1
        if budget[0] < 0:
            raise safety.UnsafeFile(
                f"{file_name}: the workbook has more than {MAX_WORKBOOK_ROWS:,} rows, more than a results "
                "matrix holds; it was not imported. For a bulk load use CSV tables, one per sheet "
                "(python -m data_access export shows their shape)."
            )
        yield row


def _openpyxl(rows: Iterator[tuple], data: bytes, file_name: str) -> Iterator[tuple]:
    """``rows`` with any exception openpyxl raises while reading them turned into one sentence.

    openpyxl raises whatever its XML handling meets on a damaged part (``KeyError``, ``TypeError``,
    ``ValueError``, ``AttributeError``, XML parse errors...); none of them is the user's to read.
    Only the reading of the file is guarded: an exception of this module's own code (consuming
    the rows) is not raised inside this generator and still surfaces as the bug it is."""
    try:
        yield from rows
    except Exception as error:
        raise _damaged(data, file_name, error) from None


def _damaged(data: bytes, file_name: str, error: Exception) -> safety.UnsafeFile:
    """The sentence for a workbook openpyxl cannot read, naming the damaged part when one of its XML
    parts is not well-formed XML."""
    part = safety.malformed_xml_part(data)
    what = f"its part {part} is damaged (not well-formed XML)" if part else f"it is damaged ({type(error).__name__})"
    return safety.UnsafeFile(
        f"{file_name}: the workbook cannot be read: {what}. It was not saved by Excel or was changed "
        "since; open it in Excel, save it as .xlsx and upload it again. Nothing was imported."
    )


def _ignored_sheet(parsed: ParsedImport, sheet_name: str, name: str) -> None:
    """Note a sheet that is not a table; warn when it looks like one (its rows would be lost)."""
    source = Source(parsed.file_name, sheet_name)
    meant = (
        difflib.get_close_matches(name, TABLE_NAMES, n=1, cutoff=0.6)
        or [t for t in TABLE_NAMES if name.startswith(t) or t.startswith(name)][:1]
    )
    if meant:
        parsed.warn(
            source,
            None,
            sheet_name,
            f"sheet {sheet_name!r} is not read: is it the {meant[0]} sheet? Rename it to {meant[0]!r} "
            "(sheets are matched by name) and upload again, or its rows are not imported",
        )
    else:
        parsed.note("info", f"sheet {sheet_name!r} ignored (not one of: {', '.join(TABLE_NAMES)})", source)


def _merge(cells: tuple, formulas: tuple) -> tuple:
    """The cached values, with a :class:`CellProblem` where a formula has none or an Excel error.

    Numbers keep a :class:`Percent` mark when their cell has a percent number format, so that
    :func:`_read_rows` can read them as percent points in the columns where that is meant.
    """
    out = []
    for cell, formula in zip_longest(cells, formulas):
        value = getattr(cell, "value", None)
        if (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and "%" in (getattr(cell, "number_format", None) or "")
        ):
            out.append(Percent(value))
            continue
        if isinstance(value, str) and value in EXCEL_ERRORS:
            out.append(
                CellProblem(value, f"the cell shows the Excel error {value}; correct the formula or type the value")
            )
        elif value is None and isinstance(formula, str) and formula.startswith("="):
            out.append(
                CellProblem(
                    formula,
                    "a formula with no saved result; open the file in Excel, let it "
                    "calculate, save, and upload again (or type the value)",
                )
            )
        elif isinstance(value, str):
            out.append(value.strip() or None)
        else:
            out.append(value)
    return tuple(out)


def _refuse_repeated_columns(header: list[str], source: Source, *, letters: bool) -> None:
    """A column named twice is refused: which of the two holds the data cannot be told, and reading
    either one silently loses the other."""
    positions: dict[str, list[int]] = {}
    for index, column in enumerate(header, start=1):
        if column:
            positions.setdefault(column, []).append(index)
    for column, where in positions.items():
        if len(where) > 1:
            shown = [_column_letter(i) for i in where] if letters else [str(i) for i in where]
            raise safety.UnsafeFile(
                f"{source.describe()}, column {column}: the column {column} appears twice (columns "
                f"{' and '.join(shown)}); keep one and upload again."
            )


def _column_letter(index: int) -> str:
    """1 -> A, 27 -> AA: the column letters a spreadsheet shows."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class Percent(float):
    """A number read from a percent-formatted cell (0.53 shown as 53%)."""


def _percent_points(values: dict[str, object], columns: frozenset[str]) -> int:
    """Read the :class:`Percent` cells of ``columns`` as percent points (0.53 -> 53) and the others
    as the plain numbers they are; return how many were converted."""
    converted = 0
    for column, value in values.items():
        if isinstance(value, Percent):
            if column in columns:
                values[column] = round(float(value) * 100, 9)
                converted += 1
            else:
                values[column] = float(value)
    return converted


_READ_ONLY_NAME = "(read_only)"  # READ_ONLY_MARK as normalise_name writes it ("(read-only)" too)


def _header(parsed: ParsedImport, cells: tuple, source: Source) -> list[str]:
    """The column names of a header row; read-only columns (:data:`READ_ONLY_MARK`) become unnamed
    (never read) and are listed in one note."""
    header = [normalise_name(c) for c in cells]
    while header and not header[-1]:
        header.pop()
    marked = [i for i, c in enumerate(header) if c.endswith(_READ_ONLY_NAME)]
    read_only = [str(cells[i]).strip() for i in marked]
    for i in marked:
        header[i] = ""
    if read_only:
        parsed.note(
            "info",
            f"{len(read_only)} column(s) marked {READ_ONLY_MARK} are information only and were not read: "
            + ", ".join(read_only),
            source,
        )
    return header


def _read_rows(parsed: ParsedImport, name: str, sheet: str, rows: Iterable[tuple]) -> None:
    """Header from the first non-empty row, then one canonical row per non-empty, non-example row."""
    file_name = parsed.file_name
    header: list[str] | None = None
    examples = percents = 0
    percent_columns = PERCENT_POINT_COLUMNS.get(name, frozenset())
    for number, cells in enumerate(rows, start=1):
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        if header is None:
            header = _header(parsed, cells, Source(file_name, sheet, number))
            _refuse_repeated_columns(header, Source(file_name, sheet, number), letters=True)
            parsed.headers[name] = Header(Source(file_name, sheet, number), tuple(header))
            parsed.tables.setdefault(name, [])
            continue
        first = cells[0] if cells else None
        if isinstance(first, str) and first.strip().upper().startswith(EXAMPLE_MARK):
            examples += 1
            continue
        values = {column: cells[i] if i < len(cells) else None for i, column in enumerate(header) if column}
        percents += _percent_points(values, percent_columns)
        parsed.add(name, values, Source(file_name, sheet, number))
        extra = [c for c in cells[len(header) :] if c is not None and str(c).strip()]
        if extra:
            parsed.note(
                "unknown_column",
                f"{len(extra)} cell(s) right of the last header column ignored",
                Source(file_name, sheet, number),
            )
    if examples:
        parsed.note(
            "info",
            f"{examples} example row(s) skipped (first cell starts with {EXAMPLE_MARK})",
            Source(file_name, sheet),
        )
    if percents:
        parsed.note(
            "convention",
            f"{percents} cell(s) formatted as percentages read as percent points, as Excel "
            "shows them (0.53 shown as 53% is stored as 53)",
            Source(file_name, sheet),
        )
    if header is None:
        parsed.note("info", f"sheet {sheet} is empty", Source(file_name, sheet))


# ---- csv ------------------------------------------------------------------------------------
def table_for_csv(file_name: str) -> str:
    stem = normalise_name(PurePath(file_name).stem)
    if stem in TABLE_NAMES:
        return stem
    raise safety.UnsafeFile(
        f"{file_name}: a CSV file must be named after its table ({', '.join(n + '.csv' for n in TABLE_NAMES)}); "
        "rename the file."
    )


def read_csv(data: bytes, file_name: str) -> ParsedImport:
    name = table_for_csv(file_name)
    text = safety.decode_text(data, file_name)
    parsed = ParsedImport(file_name, "csv", hashlib.sha256(data).hexdigest())
    parsed.may_hold_controls = CONTROL.search(text) is not None
    sheet = PurePath(file_name).stem
    # a cell may be as long as the file may be (the csv module's default stops at 128 KB with an
    # error that reads like a truncated file); the schemas then say which column keeps how much
    csv.field_size_limit(max(csv.field_size_limit(), safety.max_file_bytes()))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text, name), strict=True)
    try:
        _read_csv_records(parsed, name, sheet, reader)
    except csv.Error as error:
        raise safety.UnsafeFile(
            f"{file_name}: the CSV cannot be read at line {reader.line_num} ({error}); a quote is not "
            "closed or the file is truncated. Export it again."
        ) from None
    if name not in parsed.headers:
        raise safety.UnsafeFile(f"{file_name}: the file has no header row; the first line must name the columns.")
    return parsed


def _read_csv_records(parsed: ParsedImport, name: str, sheet: str, reader: Iterator[list[str]]) -> None:
    """The CSV twin of :func:`_read_rows`, written for speed (CSV is the bulk path: millions of
    rows): same header, example-row and empty-row rules, empty or blank cells as None."""
    file_name = parsed.file_name
    number = 0
    for record in reader:
        number += 1
        if any(cell.strip() for cell in record):
            header = [normalise_name(c) for c in record]
            break
    else:
        return
    _refuse_repeated_columns(header, Source(file_name, sheet, number), letters=False)
    parsed.headers[name] = Header(Source(file_name, sheet, number), tuple(header))
    known = set(table(name).column_names)
    positions = [(i, column) for i, column in enumerate(header) if column in known]
    names = [column for _, column in positions]
    pick = (
        itemgetter(*(i for i, _ in positions))
        if len(positions) > 1
        else (lambda record, _i=positions[0][0] if positions else 0: (record[_i],))
    )
    width = len(header)
    rows = parsed.tables.setdefault(name, [])
    append = rows.append
    examples = extra = 0
    for record in reader:
        number += 1
        if not any(record):
            continue
        if len(record) < width:
            record = record + [""] * (width - len(record))
        elif len(record) > width and any(record[width:]):
            extra += 1
        first = record[0]
        if first[:7].upper() == EXAMPLE_MARK and first.lstrip()[:7].upper() == EXAMPLE_MARK:
            examples += 1
            continue
        values = dict(zip(names, pick(record), strict=False))
        # blank cells become None; text the export protected from spreadsheets loses its apostrophe
        for column in [c for c, v in values.items() if not v or v[0] in _ODD_FIRST]:
            value = values[column]
            values[column] = None if not value or value.isspace() else restore(value)
        append(ParsedRow(values, Source(file_name, sheet, number)))
    if examples:
        parsed.note(
            "info",
            f"{examples} example row(s) skipped (first cell starts with {EXAMPLE_MARK})",
            Source(file_name, sheet),
        )
    if extra:
        parsed.note(
            "unknown_column",
            f"{extra} row(s) with cells right of the last header column (ignored)",
            Source(file_name, sheet),
        )


def _separator(text: str, name: str) -> str:
    first_line = text.split("\n", 1)[0]
    columns = set(table(name).column_names)

    def score(sep: str) -> int:
        return sum(normalise_name(c) in columns for c in next(csv.reader([first_line], delimiter=sep), []))

    return max(_SEPARATORS, key=score)
