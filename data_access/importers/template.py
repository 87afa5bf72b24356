"""The results-matrix workbook users download, fill and upload (``python -m data_access template OUT``).

Built from ``tables.TABLES`` so the template, the importer and the export can never disagree:

* an ``instructions`` sheet: how the workbook is read, then every table with its columns, whether
  a value is required, the format and the allowed codes;
* one sheet per table with the header in row 1 (required columns highlighted), an example row in
  row 2 whose first cell starts with ``EXAMPLE`` (the importer skips it), frozen header, and a
  dropdown (Excel data validation) on every coded column for the rows people fill (:class:`Dropdowns`):
  the codes of coded and yes/no columns (anything else is refused by Excel, as by the importer),
  and the known countries (ISO3), currencies (ISO 4217) and regional offices, which the importer
  does not limit to a list (a new country office, a currency withdrawn since): those dropdowns
  only warn about another value. Their lists are long, so they live on a hidden ``lists`` sheet,
  the last one, which the reader skips like the instructions sheet;
* the example rows describe one small coherent project, so a user can see how the tables link
  (the indicator's result_code is a result of the results sheet, and so on).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from data_access.importers.tables import TABLES, Column, TableSpec
from data_access.importers.workbook import EXAMPLE_MARK, LISTS_SHEET
from reference.currencies import CURRENCY_CODES
from reference.places import COUNTRIES, REGIONS

VALIDATED_ROWS = 2000  # dropdowns cover rows 3..2002: plenty for one project's matrix
REQUIRED_FILL = PatternFill("solid", fgColor="FFE699")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_KIND_HELP = {
    "text": "text",
    "code": "one of the listed codes",
    "date": "date YYYY-MM-DD",
    "month": "month YYYY-MM",
    "number": "number (digits, '.' for decimals)",
    "integer": "whole number",
    "yes_no": "yes or no",
    "iso3": "ISO3 country code (KEN)",
    "currency": "ISO 4217 currency code (USD)",
    "list": "values separated by ;",
    "pairs": "KEY:VALUE pairs separated by ;",
}

D = dt.date
EXAMPLES: dict[str, dict[str, object]] = {
    "projects": {
        "project_code": "PX.0001",
        "title": "Safe labour migration in East Africa",
        "managing_country": "KEN",
        "countries": "KEN;UGA",
        "region": "RO-EHoA",
        "donors": "ECHO;USAID",
        "thematic_area": "Labour mobility",
        "start_date": D(2024, 1, 1),
        "end_date": D(2026, 12, 31),
        "status": "active",
        "currency": "USD",
        "manager": "A. Manager",
        "high_risk_context": "no",
        "gender_marker_scheme": "IOM_GM",
        "gender_marker_code": "2a",
        "aap_leadership": "met",
        "aap_information": "partly",
        "aap_feedback": "met",
        "aap_participation": "not_met",
        "aap_design_monitoring": "partly",
        "tags": "SDG:10.7;GCM:6;MIGOF:O1",
        "country_percentages": "KEN:60;UGA:40",
        "markers": "DAC_ENVIRONMENT:0",
    },
    "results": {
        "project_code": "PX.0001",
        "result_code": "OC1",
        "level": "outcome",
        "parent_code": "O1",
        "statement": "Migrant workers use safe recruitment channels",
    },
    "indicators": {
        "project_code": "PX.0001",
        "indicator_code": "IND1",
        "result_code": "OC1",
        "name": "Number of migrant workers trained on safe recruitment",
        "unit": "people",
        "measure": "number",
        "direction": "increase",
        "accumulation": "incremental",
        "baseline": 0,
        "baseline_date": D(2024, 1, 1),
        "end_target": 1200,
        "disaggregation": "sex",
        "data_source": "Training attendance lists",
        "frequency": "quarterly",
        "responsible": "M&E officer",
    },
    "periods": {
        "project_code": "PX.0001",
        "indicator_code": "IND1",
        "period_start": D(2024, 1, 1),
        "period_end": D(2024, 3, 31),
        "target": 100,
        "actual": 90,
        "actual_female": 50,
        "actual_male": 40,
        "actual_other": 0,
        "comment": "Two sessions postponed",
        "reported_on": D(2024, 4, 10),
        "source": "project_monitoring",
    },
    "breakdowns": {
        "project_code": "PX.0001",
        "indicator_code": "IND1",
        "period_start": D(2024, 1, 1),
        "period_end": D(2024, 3, 31),
        "dimension": "age",
        "category": "18-59",
        "value": 80,
    },
    "budget": {
        "project_code": "PX.0001",
        "line_code": "1.1",
        "category": "staff",
        "description": "Project staff",
        "amount": 250000,
        "currency": "USD",
    },
    "expenditure": {
        "project_code": "PX.0001",
        "line_code": "1.1",
        "month": "2024-01",
        "amount": 8000,
        "currency": "USD",
    },
    "risks": {
        "project_code": "PX.0001",
        "risk_code": "R1",
        "description": "Recruitment agencies disengage",
        "category": "operational",
        "likelihood": 3,
        "impact": 4,
        "mitigation": "MoUs with agencies",
        "owner": "Project manager",
        "status": "open",
        "last_reviewed": D(2024, 3, 1),
    },
    "visits": {
        "project_code": "PX.0001",
        "visit_date": D(2024, 3, 12),
        "type": "on_site",
        "findings": "Attendance lists complete",
        "follow_up_status": "none_needed",
    },
    "fx_rates": {"date": D(2024, 1, 1), "currency": "EUR", "usd_rate": 1.1},
    "incoming_funds": {
        "project_code": "PX.0001",
        "kind": "incoming_funds",
        "date": D(2024, 2, 1),
        "amount": 500000,
        "currency": "USD",
        "donor": "ECHO",
        "reference": "ECHO/2024/001",
    },
    "spending_plan": {"project_code": "PX.0001", "month": "2024-01", "amount": 10000},
    "funding_agreements": {
        "project_code": "PX.0001",
        "donor": "ECHO",
        "reference": "ECHO/2024/001",
        "amount": 1000000,
        "currency": "USD",
        "earmarking": "earmarked",
        "signed_on": D(2023, 12, 1),
    },
    "evaluations": {
        "evaluation_code": "EV2025-01",
        "title": "Mid-term evaluation",
        "type": "external",
        "date": D(2025, 6, 30),
        "project_codes": "PX.0001",
        "ratings": "relevance:3;effectiveness:2",
    },
    "recommendations": {
        "project_code": "PX.0001",
        "recommendation_code": "REC1",
        "evaluation_code": "EV2025-01",
        "source": "evaluation",
        "text": "Strengthen the feedback mechanism",
        "issued_on": D(2025, 7, 15),
        "management_response": "accepted",
        "action": "Set up a hotline",
        "owner": "Project manager",
        "due_date": D(2025, 12, 31),
        "status": "open",
        "implemented_on": None,
    },
    "people": {
        "email": "a.manager@example.org",
        "name": "A. Manager",
        "role": "programme_manager",
        "scope": "PX.0001",
        "active": "yes",
        "digest": "weekly",
    },
}


# the open lists (values the importer does not limit): name on the lists sheet -> codes
OPEN_LISTS: dict[str, tuple[str, ...]] = {
    "country": tuple(c.iso3 for c in COUNTRIES),
    "currency": CURRENCY_CODES,
    "region": tuple(code for code, _ in REGIONS),
}


def _open_list(column: Column) -> str | None:
    """The open list a column offers (countries, currencies, regional offices), if any."""
    if column.kind == "iso3":
        return "country"
    if column.kind == "currency":
        return "currency"
    return "region" if column.name == "region" else None


def _dropdown_values(column: Column) -> tuple[str, ...]:
    if column.kind == "yes_no":
        return ("yes", "no")
    open_list = _open_list(column)
    return OPEN_LISTS[open_list] if open_list else column.codes


def allowed_values(column: Column) -> str:
    """The instructions' "allowed values" of a column: its codes, or what its open dropdown offers."""
    open_list = _open_list(column)
    if open_list:
        return f"dropdown of {len(OPEN_LISTS[open_list])} {open_list} codes (another code is accepted with a warning)"
    return ", ".join(_dropdown_values(column))


class Dropdowns:
    """The dropdowns (Excel list validations) of one workbook.

    Closed lists (codes, yes/no) are written into the rule and refuse another value; the open lists
    are ranges of the hidden :data:`LISTS_SHEET`, written by :meth:`finish` after every table sheet
    (so the table sheets keep their places) and only when a column used one, and merely warn.
    """

    def __init__(self, wb: Workbook):
        self.wb = wb
        self.used: set[str] = set()

    def add(self, ws, column: Column, index: int, first_row: int, last_row: int) -> None:
        """A dropdown on ``column`` (sheet column ``index``) for rows ``first_row``..``last_row``."""
        choices = _dropdown_values(column)
        if not choices or last_row < first_row:
            return
        open_list = _open_list(column)
        if open_list:
            self.used.add(open_list)
            letter = get_column_letter(list(OPEN_LISTS).index(open_list) + 1)
            formula = f"{LISTS_SHEET}!${letter}$2:${letter}${len(choices) + 1}"
            rule = DataValidation(
                type="list",
                formula1=formula,
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="warning",
                errorTitle=column.name,
                error=f"Not a known {open_list} code; keep it only if you are sure.",
            )
        else:
            rule = DataValidation(
                type="list",
                formula1='"' + ",".join(choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.name,
                error=f"Choose one of: {', '.join(choices)}",
            )
        letter = get_column_letter(index)
        rule.add(f"{letter}{first_row}:{letter}{last_row}")
        ws.add_data_validation(rule)

    def finish(self) -> None:
        """Write the hidden lists sheet, last, when a dropdown refers to it."""
        if not self.used:
            return
        ws = self.wb.create_sheet(LISTS_SHEET)
        for index, (name, codes) in enumerate(OPEN_LISTS.items(), start=1):
            ws.cell(1, index, name)
            for row, code in enumerate(codes, start=2):
                ws.cell(row, index, code)
        ws.sheet_state = "hidden"


GENERAL_RULES = (
    "Required columns have a yellow header. Dates: YYYY-MM-DD. Months: YYYY-MM. Numbers: digits with '.' "
    "for decimals, no thousands separators. Lists: separated by ';'. Coded columns offer a dropdown.",
    "The import is all or nothing: any error and nothing is written; the report lists every problem with its "
    "sheet, row and column. Importing the same workbook again changes nothing. A corrected actual is kept as a "
    "new version; budget revisions are added with their date, never overwritten. Rows left out of the workbook "
    "are not deleted.",
    "Formulas are read as the value Excel saved with the file; save the workbook in Excel before uploading.",
)
COLUMN_TABLE_HEADER = ("sheet", "column", "required", "format", "allowed values", "notes")


def column_row(spec: TableSpec, column: Column) -> list[str]:
    """One line of the instructions' column table."""
    return [
        spec.name + (" (optional sheet)" if spec.optional else ""),
        column.name,
        "yes" if column.required else "",
        _KIND_HELP[column.kind],
        allowed_values(column),
        column.help,
    ]


def instructions_sheet(wb: Workbook, lines: list[tuple[str, bool]], rows: list[list[str]]) -> None:
    """The first sheet, ``instructions``: ``lines`` (text, bold title) then the column table ``rows``."""
    ws = wb.active
    ws.title = "instructions"
    for text, bold in [*lines, ("", False)]:
        ws.append([text])
        ws.cell(ws.max_row, 1).font = Font(bold=bold, size=14 if bold else 11)
    ws.append(list(COLUMN_TABLE_HEADER))
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for row in rows:
        ws.append(row)
    for letter, width in zip("ABCDEF", (26, 24, 10, 30, 50, 80), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=1, max_row=len(lines)):
        row[0].alignment = Alignment(wrap_text=False)


def _instructions(wb: Workbook) -> None:
    lines = [
        ("Results-matrix workbook", True),
        (
            "Fill one sheet per table; keep the header row as it is. Extra columns are ignored (and listed in the "
            "import report). Rows whose first cell starts with EXAMPLE are skipped.",
            False,
        ),
        *((text, False) for text in GENERAL_RULES),
    ]
    instructions_sheet(wb, lines, [column_row(spec, column) for spec in TABLES for column in spec.columns])


def _table_sheet(wb: Workbook, spec: TableSpec, dropdowns: Dropdowns) -> None:
    ws = wb.create_sheet(spec.name)
    ws.append(list(spec.column_names))
    for cell, column in zip(ws[1], spec.columns, strict=True):
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
    example = EXAMPLES.get(spec.name, {})
    values = [example.get(c) for c in spec.column_names]
    values[0] = f"{EXAMPLE_MARK} (ignored): {values[0] if values[0] is not None else ''}".strip()
    ws.append(values)
    for cell in ws[2]:
        cell.font = Font(italic=True, color="808080")
        if isinstance(cell.value, dt.date):
            cell.number_format = "yyyy-mm-dd"
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = max(12, min(40, len(column.name) + 4))
        dropdowns.add(ws, column, index, 3, VALIDATED_ROWS + 2)
        if column.kind == "date":
            for row in range(3, 103):
                ws.cell(row, index).number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"


def build_template() -> Workbook:
    wb = Workbook()
    _instructions(wb)
    dropdowns = Dropdowns(wb)
    for spec in TABLES:
        _table_sheet(wb, spec, dropdowns)
    dropdowns.finish()
    return wb


def template_bytes() -> bytes:
    """The template as .xlsx bytes (the Data page's download button)."""
    buffer = io.BytesIO()
    build_template().save(buffer)
    return buffer.getvalue()


def write_template(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(template_bytes())
