"""The pre-filled workbook: a person's reports due or overdue, ready to fill in and upload (issue 16).

``python -m data_access template OUT.xlsx --as EMAIL [--as-of DATE]``, the Data page and the Project
page hand a programme manager (or a chief of mission, for the office) the results-matrix workbook
already holding what they owe: an ``instructions`` sheet, their projects' ``results`` and
``indicators`` as stored, and one ``periods`` row per reporting period whose report is due or overdue
as of the date, with empty cells for the actual, its sex breakdown, comment, source and reporting
date. Uploaded back it goes through the one import path (``writer.import_files``: validation, write
scope, versions, log) like any workbook. Decisions:

* **What is due** is :func:`monitoring.reporting.reports_to_fill`, i.e. ``reports_due``: the same rows
  as the Reports due page and ``report due`` (DOMAIN.md 2.1's grace), never a second rule.
* **Whose**: the projects the person reads (``load_portfolio`` under their scope and filter) *and may
  write* (``write_scope.WriteScope``): a chief of mission reads a multi-country project another office
  manages but reports only their own office's, so the other office's periods are left out (uploaded,
  they would be refused and the whole workbook with them). Of those, the projects with at least one
  report due: the workbook is a to-do list, and a project with nothing due has nothing to fill.
* **Read-only information** beside each period (the indicator's name and unit, the due date and
  days overdue, the period's own target, the latest report and its period) sits in columns whose
  header ends with ``(read only)``: the reader never reads them (``workbook.READ_ONLY_MARK``), so a
  typed-over target or name changes nothing. The period's target in particular is not the
  ``target`` column: the plan is not changed by reporting against it.
* **Locked cells**: the sheets are protected (no password: Review > Unprotect sheet lifts it) so that
  only the cells meant to be filled take input: in ``periods`` the actual (``actual_text`` for a
  qualitative indicator; 1 or 0 for a yes/no one, a validation says so), the sex breakdown where the
  indicator asks for it (disaggregation ``sex`` or ``sex_age``), comment, source and reporting date;
  in ``results`` and ``indicators`` everything but the codes that identify a row (changing a code
  would add a result or indicator, not rename it). Locked cells are shaded grey. Rows cannot be
  added: new results, indicators or periods go in the blank template.
* **Rows left empty change nothing**: a period row without an actual writes nothing (``store``: an
  empty actual never withdraws a reported value; validation warns when a comment or breakdown is
  given without it), and the results and indicators rows are the stored values, written so that
  they read back equal (dates as dates, numbers as numbers, text as text even when it starts with
  ``=``), so their upsert finds them unchanged. Columns the matrix sheets leave out (the indicators'
  data source, responsible person, text baselines) are absent, hence left as stored.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from data_access.importers.tables import table
from data_access.importers.template import (
    GENERAL_RULES,
    HEADER_FILL,
    REQUIRED_FILL,
    Dropdowns,
    column_row,
    instructions_sheet,
)
from data_access.importers.workbook import READ_ONLY_MARK
from data_access.importers.write_scope import WriteScope
from data_access.queries import load_portfolio, results_in_tree_order
from data_access.scope import PortfolioFilter, Scope
from monitoring.dates import date_text
from monitoring.reporting import reports_to_fill

LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")
READ_ONLY_FONT = Font(italic=True, color="595959")
UNLOCKED = Protection(locked=False)
DATE_FORMAT = "yyyy-mm-dd"
SEX_DISAGGREGATIONS = ("sex", "sex_age")
SEX_COLUMNS = ("actual_female", "actual_male", "actual_other")

RESULT_COLUMNS = ("project_code", "result_code", "level", "parent_code", "statement")
INDICATOR_COLUMNS = (
    "project_code",
    "indicator_code",
    "result_code",
    "name",
    "unit",
    "measure",
    "direction",
    "accumulation",
    "baseline",
    "baseline_date",
    "end_target",
    "disaggregation",
    "frequency",
)
KEYS = {"results": ("project_code", "result_code"), "indicators": ("project_code", "indicator_code")}
# the periods sheet: (header, what the column holds); "key" columns identify the report (locked),
# "info" columns are read-only information, the others are filled in
PERIOD_LAYOUT: tuple[tuple[str, str], ...] = (
    ("project_code", "key"),
    ("indicator_code", "key"),
    (f"indicator {READ_ONLY_MARK}", "info"),
    (f"unit {READ_ONLY_MARK}", "info"),
    ("period_start", "key"),
    ("period_end", "key"),
    (f"due by {READ_ONLY_MARK}", "info"),
    (f"days overdue {READ_ONLY_MARK}", "info"),
    (f"period target {READ_ONLY_MARK}", "info"),
    (f"latest reported {READ_ONLY_MARK}", "info"),
    (f"latest reported period {READ_ONLY_MARK}", "info"),
    ("actual", "fill"),
    ("actual_female", "fill"),
    ("actual_male", "fill"),
    ("actual_other", "fill"),
    ("actual_text", "fill"),
    ("comment", "fill"),
    ("source", "fill"),
    ("reported_on", "fill"),
)
INFO_HELP = {
    "indicator": "The indicator's name.",
    "unit": "The indicator's unit of measure.",
    "due by": "The last day before the report counts as overdue (period end + reporting grace - 1).",
    "days overdue": "Days past the due date (0: due, not yet overdue).",
    "period target": "The milestone target of this period, if it has one (the plan; not changed here).",
    "latest reported": "The indicator's latest reported value (a number or a text), if any.",
    "latest reported period": "The period of that latest report.",
}


@dataclass(frozen=True)
class DueWorkbook:
    """The pre-filled workbook and what it holds (for the command's message and the pages' captions)."""

    data: bytes
    reports: int
    overdue: int
    projects: tuple[str, ...]


def due_workbook(bind: Engine | Connection, scope: Scope, flt: PortfolioFilter, grace_days: int) -> DueWorkbook:
    """The pre-filled workbook of ``scope``'s reports due or overdue as of ``flt.as_of`` (module docstring).

    ``flt`` narrows inside the scope as on every page (the Project page passes its one project);
    ``grace_days`` is the setting ``reporting_grace_days``.
    """
    frames = load_portfolio(bind, scope, flt)
    with Session(bind=bind) as session:
        may_write = WriteScope.load(session, scope)
    writable = {c for c in frames.projects["project_code"] if may_write.refuse_stored(c) is None}
    due = reports_to_fill(frames.indicators, frames.targets, frames.actuals, frames.projects, flt.as_of, grace_days)
    due = due.loc[due["project_code"].isin(writable)].reset_index(drop=True)
    codes = tuple(sorted(set(due["project_code"])))
    code_of = dict(zip(frames.projects["project_id"], frames.projects["project_code"], strict=True))
    results = frames.results.loc[frames.results["project_id"].map(code_of).isin(codes)]
    indicators = frames.indicators.loc[frames.indicators["project_id"].map(code_of).isin(codes)]

    wb = Workbook()
    overdue = int((due["state"] == "overdue").sum())
    instructions_sheet(wb, _lines(scope, flt.as_of, len(due), overdue, codes), _column_rows())
    dropdowns = Dropdowns(wb)
    _matrix_sheet(wb, "results", _result_rows(results, code_of), dropdowns)
    _matrix_sheet(wb, "indicators", _indicator_rows(indicators, results, code_of), dropdowns)
    _periods_sheet(wb, due, dropdowns)
    dropdowns.finish()
    buffer = io.BytesIO()
    wb.save(buffer)
    return DueWorkbook(buffer.getvalue(), len(due), overdue, codes)


# ---- the instructions ---------------------------------------------------------------------------
def _lines(scope: Scope, as_of: dt.date, reports: int, overdue: int, codes: tuple[str, ...]) -> list[tuple[str, bool]]:
    if reports:
        summary = (
            f"{reports:,} report(s) due or overdue ({overdue:,} overdue) for {len(codes)} project(s): "
            f"{', '.join(codes)}. The periods sheet has one row per report."
        )
    else:
        summary = f"No report is due or overdue as of {date_text(as_of)} for the projects you report on."
    return [
        (f"Reports due · {scope.label} · as of {date_text(as_of)}", True),
        (summary, False),
        (
            "Fill in the white cells of the periods sheet: actual (actual_text for a qualitative indicator), the "
            "sex breakdown where the indicator asks for it, comment, source and reporting date. Leave a row empty "
            "if you cannot report yet: empty rows change nothing. A comment without an actual is not stored.",
            False,
        ),
        (
            "Grey columns whose header ends with (read only) are there to help you (the period's target, the latest "
            "report...) and are never imported. Grey cells are locked: the codes and period dates identify each "
            "report (Review > Unprotect sheet lifts the lock, at your own risk).",
            False,
        ),
        (
            "The results and indicators sheets hold your projects' results matrix as stored: correct a cell there "
            "and it is imported like any change; left as they are, they change nothing. To add results, "
            "indicators or periods, use the blank template.",
            False,
        ),
        (
            "A report is due once its period has ended and overdue from the reporting grace after its end (the "
            "Reports due page lists the same). Only the projects you may report on are here: a project managed "
            "by another office is reported by that office.",
            False,
        ),
        (
            "Upload the filled workbook on the Data page (or: python -m data_access import FILE --as EMAIL).",
            False,
        ),
        *((text, False) for text in GENERAL_RULES),
    ]


def _column_rows() -> list[list[str]]:
    rows = []
    for name, columns in (("results", RESULT_COLUMNS), ("indicators", INDICATOR_COLUMNS)):
        spec = table(name)
        for column in columns:
            row = column_row(spec, spec.column(column))
            if column in KEYS[name]:
                row[-1] = f"Locked: identifies the row. {row[-1]}".strip()
            rows.append(row)
    spec = table("periods")
    for header, kind in PERIOD_LAYOUT:
        if kind == "info":
            what = header.removesuffix(f" {READ_ONLY_MARK}")
            rows.append(["periods", header, "", "read only", "", f"Never imported. {INFO_HELP[what]}"])
            continue
        row = column_row(spec, spec.column(header))
        if kind == "key":
            row[-1] = f"Locked: identifies the report. {row[-1]}".strip()
        rows.append(row)
    return rows


# ---- the sheets ---------------------------------------------------------------------------------
def _cell(value: object) -> object:
    """A frame value as the cell that reads back to it: no NaN, dates as dates, numpy as Python."""
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()
    return value


def _put(ws, row: int, column: int, value: object):
    """Write one value; text that Excel would take for a formula stays text (it is data, never run)."""
    cell = ws.cell(row, column, _cell(value))
    if cell.data_type == "f":
        cell.data_type = "s"
    if isinstance(cell.value, dt.date):
        cell.number_format = DATE_FORMAT
    return cell


def _result_rows(results: pd.DataFrame, code_of: dict) -> pd.DataFrame:
    ordered = results_in_tree_order(results)
    code = dict(zip(ordered["result_id"], ordered["result_code"], strict=True))
    ordered = ordered.assign(
        project_code=ordered["project_id"].map(code_of), parent_code=ordered["parent_id"].map(code)
    )
    return ordered.sort_values("project_code", kind="stable")[list(RESULT_COLUMNS)]


def _indicator_rows(indicators: pd.DataFrame, results: pd.DataFrame, code_of: dict) -> pd.DataFrame:
    code = dict(zip(results["result_id"], results["result_code"], strict=True))
    rows = indicators.assign(
        project_code=indicators["project_id"].map(code_of), result_code=indicators["result_id"].map(code)
    )
    return rows.sort_values(["project_code", "indicator_code"], kind="stable")[list(INDICATOR_COLUMNS)]


def _header(ws, names: Iterable[str], kinds: Iterable[str], required: Iterable[bool]) -> None:
    for index, (name, kind, req) in enumerate(zip(names, kinds, required, strict=True), start=1):
        cell = ws.cell(1, index, name)
        cell.font = Font(bold=True, italic=kind == "info")
        cell.fill = LOCKED_FILL if kind != "fill" else REQUIRED_FILL if req else HEADER_FILL
        ws.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(name) + 4))


def _protect(ws, rows: int) -> None:
    """Protect the sheet (no password); the header filters and column widths stay usable."""
    ws.freeze_panes = "C2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(ws.max_column)}{rows + 1}"
    protection = ws.protection
    protection.sheet = True
    protection.autoFilter = False
    protection.formatColumns = False
    protection.formatRows = False


def _matrix_sheet(wb: Workbook, name: str, rows: pd.DataFrame, dropdowns: Dropdowns) -> None:
    """``results`` or ``indicators``: the stored rows, codes locked, the rest open to correction."""
    spec = table(name)
    ws = wb.create_sheet(name)
    columns = list(rows.columns)
    kinds = ["key" if c in KEYS[name] else "fill" for c in columns]
    _header(ws, columns, kinds, [spec.column(c).required for c in columns])
    for r, values in enumerate(rows.itertuples(index=False), start=2):
        for c, (value, kind) in enumerate(zip(values, kinds, strict=True), start=1):
            cell = _put(ws, r, c, value)
            if kind == "key":
                cell.fill = LOCKED_FILL
            else:
                cell.protection = UNLOCKED
    for index, column in enumerate(columns, start=1):
        dropdowns.add(ws, spec.column(column), index, 2, len(rows) + 1)
    _protect(ws, len(rows))


def _open_cells(row) -> set[str]:
    """The columns a person fills for this report: a number or a text by measure, the sex breakdown
    only where the indicator asks for it."""
    qualitative = row.measure == "qualitative"
    cells = {"comment", "source", "reported_on", "actual_text" if qualitative else "actual"}
    if not qualitative and row.disaggregation in SEX_DISAGGREGATIONS:
        cells.update(SEX_COLUMNS)
    return cells


def _period_values(row) -> dict[str, object]:
    latest = (
        f"{row.latest_period_start:%Y-%m-%d} to {row.latest_period_end:%Y-%m-%d}"
        if isinstance(row.latest_period_start, dt.date)
        else None
    )
    return {
        "project_code": row.project_code,
        "indicator_code": row.indicator_code,
        f"indicator {READ_ONLY_MARK}": row.name,
        f"unit {READ_ONLY_MARK}": row.unit,
        "period_start": row.period_start,
        "period_end": row.period_end,
        f"due by {READ_ONLY_MARK}": row.due_date,
        f"days overdue {READ_ONLY_MARK}": int(row.days_overdue),
        f"period target {READ_ONLY_MARK}": row.target,
        f"latest reported {READ_ONLY_MARK}": row.latest_value,
        f"latest reported period {READ_ONLY_MARK}": latest,
    }


def _periods_sheet(wb: Workbook, due: pd.DataFrame, dropdowns: Dropdowns) -> None:
    """One row per report due: the key and information locked, the report's cells open."""
    spec = table("periods")
    ws = wb.create_sheet("periods")
    names = [name for name, _ in PERIOD_LAYOUT]
    kinds = [kind for _, kind in PERIOD_LAYOUT]
    _header(ws, names, kinds, [False] * len(names))
    for r, row in enumerate(due.itertuples(index=False), start=2):
        values, open_cells = _period_values(row), _open_cells(row)
        for c, (name, kind) in enumerate(PERIOD_LAYOUT, start=1):
            cell = _put(ws, r, c, values.get(name))
            if name in open_cells:
                cell.protection = UNLOCKED
                if name == "reported_on":
                    cell.number_format = DATE_FORMAT
            else:
                cell.fill = LOCKED_FILL
                if kind == "info":
                    cell.font = READ_ONLY_FONT
    for index, (name, kind) in enumerate(PERIOD_LAYOUT, start=1):
        if kind == "fill":
            dropdowns.add(ws, spec.column(name), index, 2, len(due) + 1)
    _yes_no_actuals(ws, [r for r, measure in enumerate(due["measure"], start=2) if measure == "yes_no"])
    ws.column_dimensions["C"].width = 50
    _protect(ws, len(due))


def _yes_no_actuals(ws, rows: list[int]) -> None:
    """A yes/no indicator's actual is stored as 1 (yes) or 0 (not yet): its cells take only those."""
    if not rows:
        return
    letter = get_column_letter(next(i for i, (name, _) in enumerate(PERIOD_LAYOUT, start=1) if name == "actual"))
    rule = DataValidation(
        type="whole",
        operator="between",
        formula1="0",
        formula2="1",
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        promptTitle="yes/no indicator",
        prompt="1 for yes, 0 for not yet",
        errorTitle="actual",
        error="A yes/no indicator's actual is 1 (yes) or 0 (not yet).",
    )
    for row in rows:
        rule.add(f"{letter}{row}")
    ws.add_data_validation(rule)
