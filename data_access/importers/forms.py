"""Form submissions as imports: a page's form becomes a small import batch through the writer.

Every change a person makes goes through the same path as a file (ARCHITECTURE.md: "nothing flows
back except through an importer or a form that goes through the same validation"): the rows are
written as the canonical CSV of their table, read by the CSV reader, validated, checked against the
person's write scope, written all or nothing, logged in ``import_batches`` under the person's id and
versioned in ``row_history``. A form therefore needs no validation or history code of its own.

Use (the Access page's add/change/deactivate; recommendations and visits forms the same way)::

    result = submit_rows(session, "people", [{"email": ..., "name": ..., "role": ..., "scope": ...}],
                         scope=ctx.scope, person=ctx.person, as_of=dt.date.today())
    if not result.ok: show result.report.errors (row 2 is the first submitted row)

Rows are dicts of canonical column names (``data_access/importers/tables.py``); columns left out
leave stored values alone, as in a file. Values may be text, numbers, dates, booleans (yes/no) or
lists (joined with ``;``). The batch is named ``form: <table>`` with format ``form``.

A form that changes rows of several tables at once (an actual and its age breakdown, which a
workbook also holds on two sheets) uses :func:`submit_tables`: one batch, all or nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from sqlalchemy.orm import Session

from data_access.importers.tables import table
from data_access.importers.workbook import read_csv
from data_access.importers.writer import ImportResult, import_files
from data_access.scope import Scope


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return ";".join(str(v) for v in value)
    return str(value)


def _parsed(table_name: str, rows: list[dict]):
    spec = table(table_name)  # KeyError names the known tables: a typo is a bug
    columns = [c for c in spec.column_names if any(c in row for row in rows)]
    unknown = sorted({k for row in rows for k in row} - set(spec.column_names))
    if unknown:
        raise KeyError(f"table {table_name!r} has no column(s) {', '.join(unknown)}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    parsed = read_csv(out.getvalue().encode("utf-8"), f"{table_name}.csv")
    parsed.file_name = f"form: {table_name}"
    parsed.format = "form"
    return parsed


def submit_rows(
    session: Session, table_name: str, rows: list[dict], *, scope: Scope, person: str, as_of: dt.date
) -> ImportResult:
    """Import ``rows`` of ``table_name`` as one batch by ``person`` under ``scope`` (all or nothing)."""
    return submit_tables(session, {table_name: rows}, scope=scope, person=person, as_of=as_of)


def submit_tables(
    session: Session, rows_by_table: dict[str, list[dict]], *, scope: Scope, person: str, as_of: dt.date
) -> ImportResult:
    """Import the rows of several tables as one batch (all or nothing), like a workbook's sheets."""
    parsed = [_parsed(name, rows) for name, rows in rows_by_table.items()]
    return import_files(session, parsed, user=person, scope=scope, as_of=as_of)
