"""Validation of everything imported together: headers, every row (``schemas``), then the rules
that need several rows or the database. Collects every problem; never stops at the first.

Cross-row rules (a careful M&E officer's checklist):

* a row's project exists in the files or in the database; an indicator's result, a result's
  parent (one level up: objective > outcome > output > activity), a period's indicator, an
  expenditure's budget line, a recommendation's evaluation likewise;
* no natural key twice in the files (incoming funds excepted: two equal payments are two rows);
* a new budget line has its original amount (a row with no revision date); all rows of one line
  agree on category and currency, and a line keeps the currency it is stored in;
* a breakdown belongs to a period reported in the same import (it describes that actual);
* country percentages only for countries the project covers;
* warnings, not errors: a sex breakdown that does not add up to the total (DOMAIN.md section 8
  shows it as a data-quality issue), a new country without a region.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import namedtuple
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import attrgetter

from pydantic import ValidationError

from data_access.importers.identifiers import check_codes
from data_access.importers.plausibility import StoredFacts, check_plausibility
from data_access.importers.report import SkippedActivity, ValidationReport
from data_access.importers.schemas import MAX_ABS, NOT_A_NUMBER, ROW_MODELS, clean_text
from data_access.importers.tables import (
    TABLE_NAMES,
    CellProblem,
    Note,
    ParsedImport,
    Source,
    table,
)
from data_access.models import RESULT_LEVELS
from reference.text_rules import control_problem

LEVEL_RANK = {level: rank for rank, level in enumerate(RESULT_LEVELS)}
UNASSIGNED_REGION = "UNASSIGNED"
_MULTISET_TABLES = {"incoming_funds"}


@dataclass
class KnownKeys:
    """Natural keys already in the database, so a file may refer to stored rows."""

    projects: set[str] = field(default_factory=set)
    results: dict[tuple[str, str], str] = field(default_factory=dict)  # (project, result) -> level
    indicators: set[tuple[str, str]] = field(default_factory=set)
    budget_lines: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # -> (category, currency)
    countries: set[str] = field(default_factory=set)
    evaluations: set[str] = field(default_factory=set)
    risks: set[tuple[str, str]] = field(default_factory=set)  # (project, risk code)
    recommendations: set[tuple[str, str]] = field(default_factory=set)  # (project, recommendation code)
    facts: StoredFacts = field(default_factory=StoredFacts)  # for the plausibility warnings


@dataclass(frozen=True, slots=True)
class ValidRow:
    """A row that passed its schema: its typed values (``model``: a record with the model's field
    names), where it came from, and the columns the file had (absent columns leave stored values
    alone)."""

    model: tuple
    source: Source
    present: frozenset[str]

    def has(self, column: str) -> bool:
        return column in self.present


@dataclass
class Validated:
    tables: dict[str, list[ValidRow]]
    report: ValidationReport
    # natural keys of rows that failed their own checks: references to them are not reported
    # again ("no such project" under a project row that is already in error)
    invalid_keys: dict[str, set[tuple]] = field(default_factory=dict)

    def rows(self, name: str) -> list[ValidRow]:
        return self.tables.get(name, [])


_GENERIC_REASONS = {
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
    "greater_than": "must be more than {gt}",
    "less_than": "must be less than {lt}",
}
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def _reason(error: dict) -> str:
    """The sentence shown for one pydantic error (our own messages pass through unchanged)."""
    kind = error["type"]
    value = error.get("input")
    if kind == "missing" or (value is None and kind.endswith("_type")) or kind == "string_too_short":
        return "a value is required"
    if kind in _GENERIC_REASONS and MAX_ABS in {abs(v) for v in (error.get("ctx") or {}).values()}:
        return (
            "no amount or value above 10^13 (10,000,000,000,000) is plausible; check the number "
            "(a typo, an exponent, or a value in the wrong unit)"
        )
    if kind == "string_too_long" and "max_length" in (error.get("ctx") or {}):
        return f"{len(value)} characters; at most {error['ctx']['max_length']} are kept"
    if kind in _GENERIC_REASONS:
        bounds = {k: f"{float(v):g}" for k, v in (error.get("ctx") or {}).items()}
        return _GENERIC_REASONS[kind].format(**bounds)
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type"):
        if isinstance(value, str) and _THOUSANDS.match(value.strip()):
            return "thousands separators are not accepted; write 1234.5, not 1,234.5"
        if kind.startswith("int") and isinstance(value, str | float):
            try:
                float(value)
                return "not a whole number"
            except ValueError:
                pass
        if isinstance(value, dt.date):
            return "a date where a number is expected"
        return NOT_A_NUMBER
    if kind == "int_from_float":
        return "not a whole number"
    if kind == "finite_number":
        return "not a finite number (NaN and infinity are not values)"
    if kind == "string_type":
        return "not text: type the value as text (a date or yes/no cell cannot be read here)"
    return error["msg"]


# Validated rows are kept as light records (a named tuple per table, same field names as the model):
# a 10,000-project portfolio is millions of rows, and a pydantic model per row would need gigabytes.
RECORDS = {
    name: namedtuple(f"{name.title().replace('_', '')}Record", tuple(model.model_fields))
    for name, model in ROW_MODELS.items()
}


def validate_imports(
    imports: list[ParsedImport], known: KnownKeys | None = None, *, as_of: dt.date, consume: bool = False
) -> Validated:
    """Validate ``imports`` (files imported together) against each other and ``known``, for an
    import made on ``as_of`` (the plausibility warnings judge dates against it).

    ``consume=True`` empties the parsed tables while validating (each parsed row is released once
    validated), which halves the peak memory of a large import; the caller must not reuse them.
    """
    known = known or KnownKeys()
    report = ValidationReport(files=[p.file_name for p in imports])
    tables: dict[str, list[ValidRow]] = {}
    invalid: dict[str, set[tuple]] = {}
    for parsed in imports:
        report.notes.extend(parsed.notes)
        for warning in parsed.warnings:
            report.warning(*warning)
        if parsed.format == "iati":
            _count_activities(parsed, report)
        for name in TABLE_NAMES:
            rows = parsed.rows(name)
            if name not in parsed.tables and name not in parsed.headers:
                continue
            report.rows_read[name] = report.rows_read.get(name, 0) + len(rows)
            if not _check_header(parsed, name, report):
                continue
            controls = parsed.may_hold_controls and _mark_controls(rows)
            tables.setdefault(name, []).extend(
                _validate_rows(
                    name,
                    rows,
                    report,
                    invalid.setdefault(name, set()),
                    cells=parsed.format == "xlsx" or controls,
                    consume=consume,
                    text_columns=parsed.format != "form",
                )
            )
            if consume:
                parsed.tables[name] = []
    validated = Validated(tables, report, invalid)
    _cross_checks(validated, known, as_of)
    return validated


_ACTIVITY_XPATH = re.compile(r"^iati-activity(?:\[iati-identifier='(?P<code>.*)'\])?$")


def _count_activities(parsed: ParsedImport, report: ValidationReport) -> None:
    """IATI activities read and skipped. The reader notes a skipped activity as a ``skipped`` note on
    the activity element itself (element-level skips point below it, e.g. ``.../recipient-country``);
    an activity is skipped when it has such a note and no project row."""
    imported = {row.values.get("project_code") for row in parsed.rows("projects")}
    seen: set[str] = set()
    for note in parsed.notes:
        match = _ACTIVITY_XPATH.match(note.source.xpath or "") if note.kind == "skipped" and note.source else None
        if match is None:
            continue
        code = match["code"] or f"(no iati-identifier, line {note.source.line})"
        if code in imported or code in seen:
            continue
        seen.add(code)
        reason = note.message.removeprefix(f"{code}: ").removeprefix("activity not imported: ")
        report.skipped_activities.append(SkippedActivity(note.source.file, code, reason, note.source.line))
    report.activities_read += len(imported) + len(seen)


def _check_header(parsed: ParsedImport, name: str, report: ValidationReport) -> bool:
    """Report missing and unknown columns; False when a required column is missing (the rows of
    that table are then not checked one by one: every one would repeat the same error)."""
    header = parsed.headers.get(name)
    if header is None:
        return True
    spec = table(name)
    present = set(header.columns)
    ok = True
    for column in spec.columns:
        if column.required and column.name not in present:
            report.error(
                header.source,
                column.name,
                None,
                f"required column {column.name} is missing; add a column with this header",
            )
            ok = False
    absent = [c.name for c in spec.columns if c.header and not c.required and c.name not in present]
    if absent:
        parsed_note = f"optional columns absent, stored values left as they are: {', '.join(absent)}"
        report.notes.append(Note("info", parsed_note, header.source))
    unknown = [c for c in header.columns if c and c not in spec.column_names]
    if unknown:
        report.notes.append(
            Note("unknown_column", f"columns ignored (not part of {name}): {', '.join(unknown)}", header.source)
        )
    return ok


def _mark_controls(rows: list) -> bool:
    """Put a :class:`CellProblem` in place of every text cell holding a control character
    (``reference.text_rules``); True when there was one."""
    found = False
    for parsed_row in rows:
        values = parsed_row.values
        for column, value in values.items():
            if type(value) is str and (problem := control_problem(value)) is not None:
                values[column] = CellProblem(value, problem)
                found = True
    return found


REFERENCED_KEYS = {
    "projects": ("project_code",),
    "results": ("project_code", "result_code"),
    "indicators": ("project_code", "indicator_code"),
    "budget": ("project_code", "line_code"),
    "evaluations": ("evaluation_code",),
}


def _validate_rows(
    name: str,
    rows: list,
    report: ValidationReport,
    invalid: set[tuple],
    *,
    cells: bool,
    consume: bool,
    text_columns: bool,
) -> Iterable[ValidRow]:
    """Validate every row of one table; ``cells``: the reader may have left :class:`CellProblem`
    markers (workbooks), checked before the schema so the reason is the reader's; ``text_columns``:
    a number that is not one is told of its ``*_text`` twin (a file has it; a page form does not).

    This loop runs once per imported row (millions for a large portfolio): the schema's validator
    is called directly, and rows with the same columns share one ``present`` set.
    """
    validate = ROW_MODELS[name].__pydantic_validator__.validate_python
    record = RECORDS[name]._make
    columns = set(table(name).column_names)
    key = REFERENCED_KEYS.get(name)
    shared: dict[tuple, frozenset] = {}
    for index in range(len(rows)):
        parsed_row = rows[index]
        if consume:
            rows[index] = None
        values = parsed_row.values
        broken = {}
        if cells:
            values = {k: v for k, v in values.items() if k in columns}
            broken = {k: v for k, v in values.items() if isinstance(v, CellProblem)}
            for column, problem in broken.items():
                report.error(parsed_row.source, column, problem.raw, problem.reason)
                del values[column]
        try:
            row = validate(values)
        except ValidationError as error:
            for item in error.errors():
                column = item["loc"][0] if item["loc"] else (item.get("ctx") or {}).get("column")
                if column in broken:
                    continue
                value = values.get(column) if column else None
                reason = _reason(item)
                if reason == NOT_A_NUMBER and text_columns and f"{column}_text" in columns:
                    reason += f" (a value in words goes in the {column}_text column)"
                report.error(parsed_row.source, column, value, reason)
            if key:
                invalid.add(tuple(clean_text(parsed_row.values.get(c)) for c in key))
            continue
        if broken:
            if key:
                invalid.add(tuple(clean_text(parsed_row.values.get(c)) for c in key))
            continue
        names = tuple(values)
        present = shared.get(names)
        if present is None:
            present = shared[names] = frozenset(names)
        yield ValidRow(record(row.__dict__.values()), parsed_row.source, present)


# ---- rules across rows ------------------------------------------------------------------------
def _cross_checks(v: Validated, known: KnownKeys, as_of: dt.date) -> None:
    report = v.report
    check_codes(v, known)
    _duplicates(v)
    projects = known.projects | {r.model.project_code for r in v.rows("projects")}
    projects |= {k[0] for k in v.invalid_keys.get("projects", ())}
    for name in TABLE_NAMES:
        if "project_code" not in table(name).column_names:
            continue
        for r in v.rows(name):
            if r.model.project_code not in projects:
                report.error(
                    r.source,
                    "project_code",
                    r.model.project_code,
                    "no such project in this import or in the database; add it to the projects sheet",
                )
    _check_projects(v, known)
    _check_results(v, known)
    indicators = known.indicators | {(r.model.project_code, r.model.indicator_code) for r in v.rows("indicators")}
    indicators |= v.invalid_keys.get("indicators", set())
    for name in ("periods", "breakdowns"):
        for r in v.rows(name):
            if (r.model.project_code, r.model.indicator_code) not in indicators:
                report.error(
                    r.source,
                    "indicator_code",
                    r.model.indicator_code,
                    "no such indicator for this project; add it to the indicators sheet",
                )
    _check_periods(v)
    _check_budget(v, known)
    check_plausibility(v, known.facts, as_of)
    evaluations = known.evaluations | {r.model.evaluation_code for r in v.rows("evaluations")}
    evaluations |= {k[0] for k in v.invalid_keys.get("evaluations", ())}
    for r in v.rows("recommendations"):
        if r.model.evaluation_code and r.model.evaluation_code not in evaluations:
            report.error(
                r.source,
                "evaluation_code",
                r.model.evaluation_code,
                "no such evaluation; add it to the evaluations sheet or leave the cell empty",
            )
    for r in v.rows("evaluations"):
        for code in r.model.project_codes or ():
            if code not in projects:
                report.error(r.source, "project_codes", code, "no such project in this import or in the database")
    _check_people(v, known, projects)


def _check_people(v: Validated, known: KnownKeys, projects: set[str]) -> None:
    """The codes of a person's scope name something stored or imported: a typo would give nobody access."""
    regions = set(known.facts.country_regions.values()) | {r.model.region for r in v.rows("projects") if r.model.region}
    countries = known.countries | {r.model.managing_country for r in v.rows("projects")}
    countries |= {c.upper() for r in v.rows("projects") for c in r.model.countries or ()}
    kinds = {
        "regional_director": (regions, "no such regional office code in the database or this import"),
        "chief_of_mission": (countries, "no country with this ISO3 code in the database or this import"),
        "programme_manager": (projects, "no such project in this import or in the database"),
    }
    for r in v.rows("people"):
        if not r.has("scope"):  # the stored scope stands (e.g. a file or form that only deactivates)
            continue
        role, codes = r.model.role, r.model.scope or ()
        if role == "leadership" and codes:
            v.report.error(
                r.source, "scope", ";".join(codes), "leadership sees the whole organisation: leave scope empty"
            )
        if role in ("regional_director", "chief_of_mission") and not codes:
            what = "regional office codes" if role == "regional_director" else "ISO3 country codes"
            v.report.error(
                r.source, "scope", None, f"a {role.replace('_', ' ')} needs {what} in scope, separated by ';'"
            )
        if role not in kinds:
            continue
        valid, reason = kinds[role]
        for code in r.model.scope or ():
            if code not in valid:
                v.report.error(r.source, "scope", code, reason)


# what to do about a duplicate, where "keep one of the two" would lose data
_DUPLICATE_ADVICE = {
    "expenditure": "a finance export lists transactions, the dashboard one total per budget line and month: "
    "add the two amounts up into one row",
    "spending_plan": "one planned amount per month: add the two amounts up into one row",
}


def _duplicates(v: Validated) -> None:
    for name, rows in v.tables.items():
        if name in _MULTISET_TABLES:
            continue
        key = table(name).key
        advice = _DUPLICATE_ADVICE.get(name, "keep one of the two")
        key_of = attrgetter(*key) if len(key) > 1 else (lambda model, _get=attrgetter(key[0]): (_get(model),))
        first: dict[tuple, Source] = {}
        for r in rows:
            k = key_of(r.model)
            if k in first:
                where = first[k]
                at = f"row {where.row}" if where.row is not None else f"line {where.line}"
                v.report.error(
                    r.source,
                    key[-1],
                    _as_typed(name, key[-1], k[-1]),
                    f"duplicate of {where.file} {at} (same {', '.join(key)}); {advice}",
                )
            else:
                first[k] = r.source


def _as_typed(name: str, column: str, value: object) -> object:
    """A key value as the user wrote it: a month column shows 2025-07, not the stored 2025-07-01."""
    if table(name).column(column).kind == "month" and isinstance(value, dt.date):
        return f"{value:%Y-%m}"
    return value


def _check_projects(v: Validated, known: KnownKeys) -> None:
    for r in v.rows("projects"):
        p = r.model
        covered = set(p.countries or ()) or {p.managing_country}
        for country, _pct in p.country_percentages or ():
            if country.upper() not in covered:
                v.report.error(
                    r.source,
                    "country_percentages",
                    country,
                    "a percentage for a country the project does not cover; add it to countries",
                )
        if not p.region:
            new = sorted(({p.managing_country} | covered) - known.countries)
            if new:
                v.report.warning(
                    r.source,
                    "region",
                    None,
                    f"new country {', '.join(new)} without a region: it is added under region "
                    f"{UNASSIGNED_REGION}; fill in region to place it",
                )


def _check_results(v: Validated, known: KnownKeys) -> None:
    levels = dict(known.results)
    levels.update({(r.model.project_code, r.model.result_code): r.model.level for r in v.rows("results")})
    unknown_level = v.invalid_keys.get("results", set())
    for r in v.rows("results"):
        m = r.model
        if m.parent_code is None or (m.project_code, m.parent_code) in unknown_level:
            continue
        parent_level = levels.get((m.project_code, m.parent_code))
        if parent_level is None:
            v.report.error(r.source, "parent_code", m.parent_code, "no such result in this project; check the code")
        elif LEVEL_RANK[parent_level] >= LEVEL_RANK[m.level]:
            v.report.error(
                r.source,
                "parent_code",
                m.parent_code,
                f"the parent is an {parent_level}; a {m.level} must sit under a higher level "
                f"({' > '.join(RESULT_LEVELS)})",
            )
    for r in v.rows("indicators"):
        m = r.model
        key = (m.project_code, m.result_code)
        if m.result_code is not None and key not in levels and key not in unknown_level:
            v.report.error(
                r.source, "result_code", m.result_code, "no such result in this project; add it to the results sheet"
            )


# what a periods row says about its actual: stored only with the actual (``store``: an empty actual
# never withdraws a reported value, so a row without one writes none of these)
_ACTUAL_DETAILS = ("actual_female", "actual_male", "actual_other", "comment", "reported_on", "source")


def _warn_unreported(v: Validated, r: ValidRow) -> None:
    """Warn when a row without an actual gives details of one: they would be dropped without a word
    (a pre-filled workbook's "delayed by floods" typed beside an empty actual)."""
    given = [c for c in _ACTUAL_DETAILS if getattr(r.model, c) is not None]
    if given:
        v.report.warning(
            r.source,
            given[0],
            getattr(r.model, given[0]),
            f"{', '.join(given)} given without an actual: not stored (a report is stored with its actual); "
            "fill in actual, or actual_text for a value that is not a number",
        )


def _check_periods(v: Validated) -> None:
    reported = set()
    for r in v.rows("periods"):
        m = r.model
        if m.actual is not None or m.actual_text is not None:
            reported.add((m.project_code, m.indicator_code, m.period_start, m.period_end))
        else:
            _warn_unreported(v, r)
        parts = [x for x in (m.actual_female, m.actual_male, m.actual_other) if x is not None]
        if m.actual is not None and parts:
            total = sum(parts)
            complete = len(parts) == 3
            if total > m.actual + 1e-9 or (complete and abs(total - m.actual) > 1e-9):
                v.report.warning(
                    r.source,
                    "actual",
                    m.actual,
                    f"female + male + other = {total:g} does not add up to the actual {m.actual:g}",
                )
    for r in v.rows("breakdowns"):
        m = r.model
        if (m.project_code, m.indicator_code, m.period_start, m.period_end) not in reported:
            v.report.error(
                r.source,
                "period_start",
                m.period_start.isoformat(),
                "a breakdown of a period with no reported actual in this import; "
                "add the period with its actual to the periods sheet",
            )


def _check_budget(v: Validated, known: KnownKeys) -> None:
    lines: dict[tuple[str, str], tuple[str, str, Source]] = {}
    has_original: set[tuple[str, str]] = set()
    for r in v.rows("budget"):
        m = r.model
        key = (m.project_code, m.line_code)
        if m.revision_date is None:
            has_original.add(key)
        stored = known.budget_lines.get(key)
        if stored is not None and stored[1] != m.currency:
            v.report.error(
                r.source,
                "currency",
                m.currency,
                f"line {m.line_code} is stored in {stored[1]}; a revision keeps the line's currency",
            )
        seen = lines.get(key)
        if seen is None:
            lines[key] = (m.category, m.currency, r.source)
        elif (seen[0], seen[1]) != (m.category, m.currency):
            v.report.error(
                r.source,
                "category" if seen[0] != m.category else "currency",
                m.category if seen[0] != m.category else m.currency,
                f"other rows of line {m.line_code} say {seen[0]} in {seen[1]}; one line has one category and currency",
            )
    for key, (_cat, _cur, source) in lines.items():
        if key not in known.budget_lines and key not in has_original:
            v.report.error(
                source,
                "revision_date",
                None,
                f"line {key[1]} is new but has no original budget (a row with revision_date empty)",
            )
    line_keys = set(known.budget_lines) | set(lines) | v.invalid_keys.get("budget", set())
    for r in v.rows("expenditure"):
        m = r.model
        if (m.project_code, m.line_code) not in line_keys:
            v.report.error(
                r.source, "line_code", m.line_code, "no such budget line for this project; add it to the budget sheet"
            )
