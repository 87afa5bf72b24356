"""The canonical tables: the one shape every importer produces and the writer consumes.

A workbook sheet, a CSV file and an IATI activity all end up as rows of these tables (a
:class:`ParsedImport`); validation (``schemas``), the all-or-nothing writer (``writer``), the
template (``template``) and the export (``export``) all read the column lists from here, so the
four can never drift apart.

Conventions that hold for every table (they are what a user relies on when filling a sheet):

* Columns are identified by name; their order in a file does not matter; unknown columns are
  ignored and reported as a note ("more columns are welcome").
* ``header=True`` columns are the ones the results-matrix workbook lists (issue 4). A missing
  column whose value is required is an error; a missing optional column is a note and the stored
  value is left untouched (so a finance export with fewer columns never wipes data). A column
  present with an empty cell clears the stored value.
* ``header=False`` columns are extras filled by the IATI importer (or an advanced user); they are
  in the template and the export but never required in a header.
* A row's key is absent, not ``None``, when its column was not in the file: the writer only
  updates the keys a row carries.
* Lists use ``;`` (``KEN;UGA``), pairs use ``KEY:VALUE;KEY:VALUE`` (``KEN:60;UGA:40``).

The importer never deletes: a row left out of a file stays in the database. The sets described
inside a project row (countries, donors, tags, markers, AAP ratings) are replaced by the row's
value when their column is present.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from reference.vocabulary import (
    AAP_COMMITMENTS,
    AAP_RATINGS,
    ACCUMULATIONS,
    BUDGET_CATEGORIES,
    DIGEST_FREQUENCIES,
    DIRECTIONS,
    DISAGGREGATIONS,
    EARMARKING,
    EVALUATION_TYPES,
    EVIDENCE_SOURCES,
    FOLLOW_UP_STATUSES,
    FUND_KINDS,
    GENDER_SCHEMES,
    MANAGEMENT_RESPONSES,
    MEASURES,
    PERSON_ROLES,
    PROJECT_STATUSES,
    RECOMMENDATION_SOURCES,
    RECOMMENDATION_STATUSES,
    RESULT_LEVELS,
    REVISION_KINDS,
    RISK_CATEGORIES,
    RISK_STATUSES,
    VISIT_TYPES,
)

Kind = Literal[
    "text",  # free text, stripped; empty -> None
    "code",  # one of Column.codes
    "date",  # ISO date YYYY-MM-DD (an Excel date cell is accepted as is)
    "month",  # YYYY-MM (stored as the first day of the month)
    "number",  # a float; text that is not a number is an error (use the *_text column for it)
    "integer",  # a whole number, with an explicit range in the schema
    "yes_no",  # yes / no (also true/false, 1/0)
    "iso3",  # three upper-case letters (a country)
    "currency",  # three upper-case letters (ISO 4217)
    "list",  # values separated by ';'
    "pairs",  # KEY:VALUE separated by ';'
]


@dataclass(frozen=True)
class Column:
    """One column of a canonical table.

    ``required``: every row needs a value. ``header``: the workbook lists the column (issue 4);
    extras for the IATI path have ``header=False``. ``codes``: the allowed values of a coded
    column (the template turns them into a dropdown).
    """

    name: str
    kind: Kind = "text"
    required: bool = False
    header: bool = True
    codes: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class TableSpec:
    """A canonical table: its columns in template order and its natural key (how rows are upserted)."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    optional: bool = False  # optional sheets: fx_rates, incoming_funds, evaluations, ...
    help: str = ""

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"table {self.name!r} has no column {name!r}")

    def names_except(self, *names: str) -> tuple[str, ...]:
        """The column names in template order without ``names``: the ones a writer or exporter maps
        itself (keys, codes of other tables), so the rest is stored under its own name."""
        return tuple(n for n in self.column_names if n not in names)


def _c(
    name: str,
    kind: Kind = "text",
    *,
    req: bool = False,
    extra: bool = False,
    codes: tuple[str, ...] = (),
    help: str = "",
) -> Column:
    return Column(name, kind, required=req, header=not extra, codes=codes, help=help)


_PROJECT = _c("project_code", req=True, help="The project code, e.g. PX.0123 (or the IATI identifier).")
_INDICATOR = _c("indicator_code", req=True, help="Indicator code, unique within the project.")
YES_NO = ("yes", "no")

TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "projects",
        (
            _PROJECT,
            _c("title", req=True),
            _c("managing_country", "iso3", req=True, help="ISO3 code of the managing country office."),
            _c("countries", "list", help="ISO3 codes of the countries covered, separated by ';'."),
            _c("region", help="Regional office code; needed only when the managing country is new."),
            _c("donors", "list", help="Donor names separated by ';'."),
            _c("thematic_area"),
            _c("start_date", "date", req=True),
            _c("end_date", "date", req=True),
            _c("revised_end_date", "date", help="After a no-cost extension; empty otherwise."),
            _c("status", "code", req=True, codes=PROJECT_STATUSES),
            _c("currency", "currency", req=True, help="ISO 4217 code of the project's budget currency."),
            _c("manager"),
            _c("high_risk_context", "yes_no", codes=YES_NO),
            _c("gender_marker_scheme", "code", codes=GENDER_SCHEMES),
            _c("gender_marker_code", help="A code of the chosen scheme, e.g. 2a for IOM_GM."),
            *(_c(f"aap_{commitment}", "code", codes=AAP_RATINGS) for commitment in AAP_COMMITMENTS),
            _c("tags", "pairs", help="Strategic tags SCHEME:CODE separated by ';', e.g. SDG:10.7;GCM:1;MIGOF:O1."),
            _c("description", extra=True),
            _c(
                "country_percentages", "pairs", extra=True, help="ISO3:percentage separated by ';', e.g. KEN:60;UGA:40."
            ),
            _c(
                "markers",
                "pairs",
                extra=True,
                help="Other markers SCHEME:CODE separated by ';', e.g. DAC_ENVIRONMENT:1;DAC_DRR:0.",
            ),
            _c(
                "reporting_org",
                extra=True,
                help="The IATI reporting organisation (shown in the import report; not stored).",
            ),
        ),
        key=("project_code",),
        help="One row per project.",
    ),
    TableSpec(
        "results",
        (
            _PROJECT,
            _c("result_code", req=True, help="e.g. O1, OC1.2, OP1.2.3; unique within the project."),
            _c("level", "code", req=True, codes=RESULT_LEVELS),
            _c("parent_code", help="result_code of the parent result (empty for the objective)."),
            _c("statement", req=True),
        ),
        key=("project_code", "result_code"),
        help="The results tree: objective, outcomes, outputs.",
    ),
    TableSpec(
        "indicators",
        (
            _PROJECT,
            _INDICATOR,
            _c("result_code", help="The outcome or output the indicator measures."),
            _c("name", req=True),
            _c("unit"),
            _c("measure", "code", codes=MEASURES, help="Empty means number."),
            _c("direction", "code", codes=DIRECTIONS, help="Empty means increase."),
            _c("accumulation", "code", codes=ACCUMULATIONS, help="Empty means level."),
            _c("baseline", "number"),
            _c("baseline_date", "date"),
            _c("end_target", "number"),
            _c("disaggregation", "code", codes=DISAGGREGATIONS, help="Empty means none."),
            _c("data_source"),
            _c("frequency"),
            _c("responsible"),
            _c("collection_method", extra=True),
            _c("baseline_text", extra=True, help="A baseline that is not a number, kept as text."),
            _c("end_target_text", extra=True, help="An end target that is not a number, kept as text."),
            _c("import_note", extra=True, help="How an importer filled gaps (IATI conventions)."),
        ),
        key=("project_code", "indicator_code"),
    ),
    TableSpec(
        "periods",
        (
            _PROJECT,
            _INDICATOR,
            _c("period_start", "date", req=True),
            _c("period_end", "date", req=True),
            _c("target", "number", help="Milestone target for the period."),
            _c("actual", "number", help="Reported value; a correction creates a new version."),
            _c("actual_female", "number"),
            _c("actual_male", "number"),
            _c("actual_other", "number", help="Other or unknown sex."),
            _c("comment"),
            _c("reported_on", "date"),
            _c("source", "code", codes=EVIDENCE_SOURCES, help="Empty means project_monitoring."),
            _c("target_text", extra=True, help="A target that is not a number, kept as text."),
            _c("actual_text", extra=True, help="A reported value that is not a number, kept as text."),
        ),
        key=("project_code", "indicator_code", "period_start", "period_end"),
        help="Milestone targets and reported actuals per reporting period.",
    ),
    TableSpec(
        "breakdowns",
        (
            _PROJECT,
            _INDICATOR,
            _c("period_start", "date", req=True),
            _c("period_end", "date", req=True),
            _c("dimension", req=True, help="age, disability, or the dimension name as published."),
            _c("category", req=True, help="e.g. 0-17, 18-59, 60+, female|0-17."),
            _c("value", "number"),
            _c("value_text", help="A value that is not a number, kept as text."),
        ),
        key=("project_code", "indicator_code", "period_start", "period_end", "dimension", "category"),
        optional=True,
        help="Breakdowns of a period's actual beyond sex (age bands, other dimensions).",
    ),
    TableSpec(
        "budget",
        (
            _PROJECT,
            _c("line_code", req=True, help="Budget line code, unique within the project."),
            _c("category", "code", req=True, codes=BUDGET_CATEGORIES),
            _c("description"),
            _c("amount", "number", req=True),
            _c("currency", "currency", req=True),
            _c("revision_date", "date", help="Empty for the original budget; the date of a revision."),
            _c(
                "kind",
                "code",
                extra=True,
                codes=REVISION_KINDS,
                help="original when revision_date is empty; a revision defaults to reallocation.",
            ),
            _c("note", extra=True),
        ),
        key=("project_code", "line_code", "revision_date"),
        help="Original budget and dated revisions per line (revisions are added, never overwritten).",
    ),
    TableSpec(
        "expenditure",
        (
            _PROJECT,
            _c("line_code", req=True),
            _c("month", "month", req=True, help="YYYY-MM"),
            _c("amount", "number", req=True, help="Negative for refunds and reversals."),
            _c("currency", "currency", req=True),
        ),
        key=("project_code", "line_code", "month"),
    ),
    TableSpec(
        "risks",
        (
            _PROJECT,
            _c("risk_code", req=True),
            _c("description", req=True),
            _c("category", "code", req=True, codes=RISK_CATEGORIES),
            _c("likelihood", "integer", req=True, help="1 (rare) to 5 (almost certain)."),
            _c("impact", "integer", req=True, help="1 (negligible) to 5 (severe)."),
            _c("mitigation"),
            _c("owner"),
            _c("status", "code", codes=RISK_STATUSES, help="Empty means open."),
            _c("last_reviewed", "date"),
        ),
        key=("project_code", "risk_code"),
    ),
    TableSpec(
        "visits",
        (
            _PROJECT,
            _c("visit_date", "date", req=True),
            _c("type", "code", req=True, codes=VISIT_TYPES),
            _c("findings"),
            _c("follow_up_status", "code", codes=FOLLOW_UP_STATUSES, help="Empty means none_needed."),
        ),
        key=("project_code", "visit_date", "type"),
        help="Monitoring visits.",
    ),
    TableSpec(
        "fx_rates",
        (
            _c("date", "date", req=True, help="The rate applies from this date on."),
            _c("currency", "currency", req=True),
            _c("usd_rate", "number", req=True, help="USD value of one unit of the currency."),
        ),
        key=("currency", "date"),
        optional=True,
    ),
    TableSpec(
        "incoming_funds",
        (
            _PROJECT,
            _c("kind", "code", req=True, codes=FUND_KINDS),
            _c("date", "date", req=True),
            _c("amount", "number", req=True),
            _c("currency", "currency", req=True),
            _c("donor"),
            _c("reference"),
        ),
        # Transactions have no identifier of their own: the whole row is the key, and a row
        # repeated n times means n transactions (the writer adds what is missing, never deletes).
        key=("project_code", "kind", "date", "amount", "currency", "donor", "reference"),
        optional=True,
        help="Donor payments received and commitments (kept apart from expenditure).",
    ),
    TableSpec(
        "spending_plan",
        (
            _PROJECT,
            _c("month", "month", req=True),
            _c("amount", "number", req=True, help="Planned expenditure in the project currency."),
        ),
        key=("project_code", "month"),
        optional=True,
        help="Planned expenditure per month (drives planned burn).",
    ),
    TableSpec(
        "funding_agreements",
        (
            _PROJECT,
            _c("donor", req=True),
            _c("reference", req=True),
            _c("amount", "number", req=True),
            _c("currency", "currency", req=True),
            _c("earmarking", "code", codes=EARMARKING, help="Empty means earmarked."),
            _c("signed_on", "date"),
        ),
        key=("project_code", "reference"),
        optional=True,
    ),
    TableSpec(
        "evaluations",
        (
            _c("evaluation_code", req=True),
            _c("title", req=True),
            _c("type", "code", req=True, codes=EVALUATION_TYPES),
            _c("date", "date", req=True),
            _c("project_codes", "list", help="Projects evaluated, separated by ';'."),
            _c("ratings", "pairs", help="criterion:rating (1-4) separated by ';', e.g. relevance:3;effectiveness:2."),
        ),
        key=("evaluation_code",),
        optional=True,
    ),
    TableSpec(
        "recommendations",
        (
            _PROJECT,
            _c("recommendation_code", req=True),
            _c("evaluation_code"),
            _c("source", "code", codes=RECOMMENDATION_SOURCES, help="Empty means evaluation."),
            _c("text", req=True),
            _c("issued_on", "date", req=True),
            _c("management_response", "code", codes=MANAGEMENT_RESPONSES),
            _c("action"),
            _c("owner"),
            _c("due_date", "date"),
            _c("status", "code", codes=RECOMMENDATION_STATUSES, help="Empty means open."),
            _c(
                "implemented_on",
                "date",
                help="The day the action was completed (status implemented); compared with due_date.",
            ),
        ),
        key=("project_code", "recommendation_code"),
        optional=True,
    ),
    TableSpec(
        "people",
        (
            _c("email", req=True, help="The email the identity provider verifies at sign-in."),
            _c("name", req=True),
            _c("role", "code", req=True, codes=PERSON_ROLES),
            _c(
                "scope",
                "list",
                help="Separated by ';': regional office codes (regional director), ISO3 codes (chief of "
                "mission) or project codes (programme manager, besides the projects naming them as "
                "manager); empty for leadership.",
            ),
            _c(
                "active", "yes_no", codes=YES_NO, help="no withdraws the access (kept in the history); empty means yes."
            ),
            _c(
                "digest",
                "code",
                codes=DIGEST_FREQUENCIES,
                help="How often the person receives the alerts digest by email: daily, weekly or off; empty "
                "means weekly. A person may change their own on the dashboard (sidebar, Email alerts).",
            ),
        ),
        key=("email", "role"),
        optional=True,
        help="Who may see what (leadership only). A person may hold one row per role.",
    ),
)

TABLE_NAMES: tuple[str, ...] = tuple(t.name for t in TABLES)
TABLES_BY_NAME: dict[str, TableSpec] = {t.name: t for t in TABLES}


def table(name: str) -> TableSpec:
    """The spec of a canonical table; ``KeyError`` names the known tables."""
    try:
        return TABLES_BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown table {name!r}; known: {', '.join(TABLE_NAMES)}") from None


# ---- what an importer hands to validation and the writer ------------------------------------
@dataclass(frozen=True, slots=True)
class Source:
    """Where a row (or a note) came from, as the user will look for it.

    Workbooks: ``sheet`` and the spreadsheet ``row`` number (1-based, header is row 1). CSV: the
    file's table name as ``sheet`` and the line number as ``row``. IATI: ``line`` of the element in
    the XML file and its ``xpath``.
    """

    file: str
    sheet: str | None = None
    row: int | None = None
    line: int | None = None
    xpath: str | None = None

    def describe(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.xpath:
            parts.append(self.xpath)
        return ", ".join(parts)


@dataclass(slots=True)
class ParsedRow:
    """One row of a canonical table: its values by column name and where it came from.

    Values may be raw (strings from CSV, cells from openpyxl) or typed (``date``, ``float``):
    validation accepts both. A column the source did not have is absent from ``values``.
    """

    values: dict[str, object]
    source: Source


@dataclass(frozen=True)
class Header:
    """The header row of a sheet or CSV file: where it is and the column names as read
    (stripped, lower-cased). Validation reports missing and unknown columns from it; IATI rows
    have no header."""

    source: Source
    columns: tuple[str, ...]


@dataclass(frozen=True)
class CellProblem:
    """A cell the reader could not turn into a value (a formula with no cached result, an Excel
    error such as ``#DIV/0!``). Stored in place of the value; validation reports ``reason``."""

    raw: str
    reason: str

    def __str__(self) -> str:
        return self.raw


# An actual published only as a breakdown that gives no total (IATI): the breakdown is stored with
# this text in place of the total, never a guessed sum (``iati_results``); the writer never lets it
# replace a total already reported for the period (``store``).
NO_TOTAL = "no total published (breakdown only)"

NoteKind = Literal["convention", "skipped", "mapping", "unknown_column", "info"]


@dataclass(frozen=True)
class Note:
    """Something the user should know that is not an error: a convention applied, a value kept as
    text instead of a number, a dimension name mapped, a column ignored."""

    kind: NoteKind
    message: str
    source: Source | None = None
    column: str | None = None
    value: str | None = None


@dataclass
class ParsedImport:
    """Everything read from one file, before validation.

    ``format``: ``xlsx``, ``csv`` or ``iati``. ``sha256`` of the file bytes (the import log keeps it).
    ``tables`` maps canonical table names to rows; tables a file does not contain are absent.
    """

    file_name: str
    format: str
    sha256: str = ""
    tables: dict[str, list[ParsedRow]] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    headers: dict[str, Header] = field(default_factory=dict)
    # (source, column, value, reason): what a reader finds worth a warning in the report (not an
    # error: nothing wrong with the rows read), e.g. a sheet whose name is close to a table's
    warnings: list[tuple[Source, str | None, object, str]] = field(default_factory=list)
    # False when the reader has seen that no text holds a control character (the CSV reader checks
    # the whole text at once), so validation need not look at every cell
    may_hold_controls: bool = True

    def add(self, table_name: str, values: dict[str, object], source: Source) -> ParsedRow:
        """Append a row to a canonical table (the name is checked: a typo is a bug, not data)."""
        table(table_name)
        row = ParsedRow(dict(values), source)
        self.tables.setdefault(table_name, []).append(row)
        return row

    def note(
        self,
        kind: NoteKind,
        message: str,
        source: Source | None = None,
        *,
        column: str | None = None,
        value: object = None,
    ) -> None:
        self.notes.append(Note(kind, message, source, column, None if value is None else str(value)))

    def warn(self, source: Source, column: str | None, value: object, reason: str) -> None:
        self.warnings.append((source, column, value, reason))

    def rows(self, table_name: str) -> list[ParsedRow]:
        return self.tables.get(table_name, [])

    def row_counts(self) -> dict[str, int]:
        return {name: len(self.tables[name]) for name in TABLE_NAMES if name in self.tables}


def iter_rows(imports: list[ParsedImport], table_name: str) -> Iterator[ParsedRow]:
    """Rows of one table across several files imported together (e.g. projects.csv + results.csv)."""
    for parsed in imports:
        yield from parsed.rows(table_name)
