"""The validation report: every problem found in the files, where it is and what to do about it.

One report covers all files imported together. ``errors`` block the import (nothing is written);
``warnings`` are shown before the user confirms but do not block (a sex breakdown that does not
add up to the total is a data-quality issue to display, DOMAIN.md section 8, not a reason to refuse
a donor's file); ``notes`` record conventions applied and values kept as text. ``planned`` holds
what the writer would do per table (new / changed / unchanged), filled by a dry run so the Data
page can show it before the Confirm button. ``skipped_activities`` lists the IATI activities the
reader could not turn into a project (no managing country, no dates...): the page shows them as a
warning in the summary, since a file that silently loses activities misleads.

The ``*_frame`` methods are what the Data page shows, so their headers are words people read
("Budget lines (made from the budget rows)", "In the files"), not table or column codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Literal

import pandas as pd

from data_access.importers.tables import TABLE_NAMES, Note, Source

Severity = Literal["error", "warning"]
NotesShown = Literal["summary", "all"]  # the command line's --notes
MAX_TEXT_PROBLEMS = 200  # the command line prints this many, then a count; the page shows all


@dataclass(frozen=True)
class Problem:
    """One problem, located as the user sees it: file, sheet, spreadsheet row (or XML line), column."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    reason: str
    severity: Severity = "error"
    line: int | None = None
    xpath: str | None = None

    @classmethod
    def at(
        cls, source: Source, column: str | None, value: object, reason: str, severity: Severity = "error"
    ) -> Problem:
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # as the user typed it: 130, not 130.0
        elif isinstance(value, datetime) and value.time() == time.min:
            value = value.date()  # an Excel date cell reads as midnight: 2024-12-31, not 2024-12-31 00:00:00
        shown = None if value is None else str(value)
        if shown is not None and len(shown) > 80:
            shown = shown[:77] + "..."
        return cls(source.file, source.sheet, source.row, column, shown, reason, severity, source.line, source.xpath)

    def where(self) -> str:
        place = Source(self.file, self.sheet, self.row, self.line).describe()
        return f"{place}, column {self.column}" if self.column else place

    def describe(self) -> str:
        value = f" (value {self.value!r})" if self.value not in (None, "") else ""
        return f"{self.where()}{value}: {self.reason}"


@dataclass
class TableCounts:
    """What the writer does to one table: new rows, changed rows (new versions for actuals, new
    revisions for budgets), and rows already stored exactly so."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"new": self.new, "changed": self.changed, "unchanged": self.unchanged}


# what each table is called on the Data page: the file's sheets, then the stored tables they feed
TABLE_LABELS = {
    "projects": "Projects",
    "results": "Results (objectives, outcomes, outputs, activities)",
    "indicators": "Indicators",
    "periods": "Reporting periods (targets and actuals)",
    "breakdowns": "Breakdowns of actuals",
    "budget": "Budget amounts (originals and revisions)",
    "expenditure": "Monthly expenditure",
    "risks": "Risks",
    "visits": "Monitoring visits",
    "fx_rates": "Exchange rates",
    "incoming_funds": "Incoming funds",
    "spending_plan": "Spending plan",
    "funding_agreements": "Funding agreements",
    "evaluations": "Evaluations",
    "recommendations": "Recommendations",
    "people": "People and their access",
    "targets": "Targets (made from the reporting periods)",
    "actuals": "Actuals (made from the reporting periods)",
    "budget_lines": "Budget lines (made from the budget amounts)",
}


def table_label(name: str) -> str:
    return TABLE_LABELS.get(name, name.replace("_", " ").capitalize())


@dataclass(frozen=True)
class SkippedActivity:
    """An IATI activity the reader did not turn into a project, with the reader's reason."""

    file: str
    code: str
    reason: str
    line: int | None = None


@dataclass
class ValidationReport:
    files: list[str]
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    rows_read: dict[str, int] = field(default_factory=dict)
    planned: dict[str, TableCounts] = field(default_factory=dict)
    skipped_activities: list[SkippedActivity] = field(default_factory=list)
    activities_read: int = 0  # IATI activities in the files, imported or skipped

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, problem: Problem) -> None:
        (self.errors if problem.severity == "error" else self.warnings).append(problem)

    def error(self, source: Source, column: str | None, value: object, reason: str) -> None:
        self.errors.append(Problem.at(source, column, value, reason))

    def warning(self, source: Source, column: str | None, value: object, reason: str) -> None:
        self.warnings.append(Problem.at(source, column, value, reason, "warning"))

    def count(self, table: str) -> TableCounts:
        return self.planned.setdefault(table, TableCounts())

    @property
    def changes(self) -> int:
        return sum(c.new + c.changed for c in self.planned.values())

    def file_notes(self) -> list[str]:
        """The notes about whole files ("org.xml: an IATI organisation file: ... nothing to import as
        projects"), where a file's reading says why it gave no row."""
        return [_note_text(n) for n in self.notes if _file_level(n)]

    def problems_frame(self) -> pd.DataFrame:
        """Errors then warnings as a table the user can fix from (the Data page shows it): the reason
        first, then where (column, value, row, sheet, file), so the reason is on screen at 1280 px."""
        rows = [
            {
                "Severity": p.severity.capitalize(),
                "File": p.file,
                "Sheet": p.sheet or "",
                "Row or line": p.row if p.row is not None else p.line,
                "Column": p.column or "",
                "Value": p.value or "",
                "Reason": p.reason,
            }
            for p in [*self.errors, *self.warnings]
        ]
        columns = ["Severity", "Reason", "Column", "Value", "Row or line", "Sheet", "File"]
        return pd.DataFrame(rows, columns=columns).astype({"Row or line": "Int64"})

    def notes_frame(self) -> pd.DataFrame:
        rows = [
            {
                "Kind": n.kind.replace("_", " ").capitalize(),
                "Where": n.source.describe() if n.source else "",
                "Column": n.column or "",
                "Value": n.value or "",
                "Note": n.message,
            }
            for n in self.notes
        ]
        return pd.DataFrame(rows, columns=["Kind", "Where", "Column", "Value", "Note"])

    def skipped_frame(self) -> pd.DataFrame:
        """The IATI activities that will not be imported, and why."""
        rows = [
            {"File": s.file, "Line": s.line, "Activity (iati-identifier)": s.code, "Why it is skipped": s.reason}
            for s in self.skipped_activities
        ]
        columns = ["File", "Line", "Activity (iati-identifier)", "Why it is skipped"]
        return pd.DataFrame(rows, columns=columns).astype({"Line": "Int64"})

    def counts_frame(self) -> pd.DataFrame:
        """Rows in the files and what would be written, per sheet in table order, then the stored
        tables a sheet feeds (a reporting period feeds targets and actuals; budget amounts feed
        budget lines). Those have no rows of their own in the files: their "In the files" is empty.
        A sheet with no rows that would write nothing is left out (a full template has 15 sheets)."""
        rows = []
        stored_only = [n for n in self.planned if n not in TABLE_NAMES]  # targets, actuals, budget_lines
        for name in [*TABLE_NAMES, *stored_only]:
            planned = self.planned.get(name, TableCounts())
            if not self.rows_read.get(name) and not (planned.new or planned.changed or planned.unchanged):
                continue
            rows.append(
                {
                    "Table": table_label(name),
                    "In the files": self.rows_read.get(name),
                    "New": planned.new,
                    "Changed": planned.changed,
                    "Unchanged": planned.unchanged,
                }
            )
        frame = pd.DataFrame(rows, columns=["Table", "In the files", "New", "Changed", "Unchanged"])
        return frame.astype({"In the files": "Int64"})

    def to_text(self, limit: int = MAX_TEXT_PROBLEMS, notes: NotesShown = "summary") -> str:
        """The report as plain text for the command line.

        What a user must see of a large file comes first and in full: the file summaries (for IATI,
        "N of M activities imported", the activities without spending, the skip reasons), the
        skipped activities, the dimension mappings and the ignored columns. The notes that repeat for
        every indicator or element (conventions applied, values skipped) come last: with ``notes``
        "summary" only their count per kind and the first few of each, with "all" every one (a
        real IATI file has about 2,000, which would bury the rest). Errors and warnings are cut at
        ``limit``; the Data page shows everything.
        """
        sections = _NoteSections.of(self)
        lines = [f"Files: {', '.join(self.files)}"]
        read = ", ".join(f"{k} {v}" for k, v in self.rows_read.items())
        lines.append(f"Rows read: {read or 'none'}")
        if sections.about:
            lines.append("About the files:")
            lines += [f"  {text}" for text in sections.about]
        if self.errors:
            lines.append(f"{len(self.errors)} error(s); nothing was written:")
            lines += [f"  ERROR {p.describe()}" for p in self.errors[:limit]]
            if len(self.errors) > limit:
                lines.append(f"  ... and {len(self.errors) - limit} more error(s)")
        if self.warnings:
            lines.append(f"{len(self.warnings)} warning(s):")
            lines += [f"  WARNING {p.describe()}" for p in self.warnings[:limit]]
            if len(self.warnings) > limit:
                lines.append(f"  ... and {len(self.warnings) - limit} more warning(s)")
        if self.skipped_activities:
            lines.append(
                f"{len(self.skipped_activities)} of {self.activities_read} IATI activities skipped (not imported):"
            )
            lines += [
                f"  SKIPPED {s.file}{f' line {s.line}' if s.line else ''}, {s.code}: {s.reason}"
                for s in self.skipped_activities
            ]
        if sections.mappings:
            lines.append(f"Dimension mappings: {len(sections.mappings)}")
            lines += [f"  {_note_text(n)}" for n in sections.mappings]
        if sections.ignored:  # one per sheet, or one per row with cells right of the header: cut at limit
            shown = sections.ignored if notes == "all" else sections.ignored[:limit]
            lines.append(f"Columns ignored: {len(sections.ignored)}")
            lines += [f"  {_note_text(n)}" for n in shown]
            if len(shown) < len(sections.ignored):
                lines.append(f"  ... and {len(sections.ignored) - len(shown)} more (--notes all lists them)")
        lines += sections.details_text(notes)
        if self.planned and not self.errors:
            lines.append(
                "Changes: "
                + "; ".join(
                    f"{name} +{c.new} new, {c.changed} changed, {c.unchanged} unchanged"
                    for name, c in self.planned.items()
                    if c.new or c.changed or c.unchanged
                )
            )
        return "\n".join(lines)


def _note_text(note: Note) -> str:
    return f"{note.source.describe() + ': ' if note.source else ''}{note.message}"


def _file_level(note: Note) -> bool:
    """A note about a whole file or sheet (a summary), not about one row, activity or XML element."""
    return note.source is None or (note.source.row, note.source.line, note.source.xpath) == (None, None, None)


def _repeats_skipped_activity(note: Note, reasons: dict[tuple[str, int | None], str]) -> bool:
    """The reader's note that a skipped activity was not imported (where the report found its reason)."""
    if note.kind != "skipped" or note.source is None:
        return False
    reason = reasons.get((note.source.file, note.source.line))
    return reason is not None and note.message.endswith(reason)


# the workbook and CSV readers' note for a sheet's example rows, one per sheet of a template
_EXAMPLE_ROWS = re.compile(r"(\d+) example row\(s\) skipped (\(.*\))")
DETAILS_SHOWN = 3  # notes of each repetitive kind the summary text shows before their count


@dataclass
class _NoteSections:
    """The notes of a report sorted into what the command line prints in full and what it counts.

    ``about``: the information notes, whole-file ones first (the IATI summary lines), with the
    example-row notes of a template (one per sheet) folded into one line per file. ``mappings``
    and ``ignored``: the dimension mappings and the columns ignored. ``details``: conventions
    applied and values skipped, which repeat per indicator or element; the notes that only repeat a
    skipped activity's reason (listed under "IATI activities skipped") are left out of them.
    """

    about: list[str] = field(default_factory=list)
    mappings: list[Note] = field(default_factory=list)
    ignored: list[Note] = field(default_factory=list)
    details: list[Note] = field(default_factory=list)

    @classmethod
    def of(cls, report: ValidationReport) -> _NoteSections:
        sections = cls()
        activity_reasons: dict[tuple[str, int | None], str] = {
            (s.file, s.line): s.reason for s in report.skipped_activities
        }
        info: list[Note] = []
        examples: dict[str, list[tuple[int, str]]] = {}  # file -> (rows, "(first cell starts with ...)")
        for note in report.notes:
            match = _EXAMPLE_ROWS.fullmatch(note.message) if note.kind == "info" and note.source else None
            if match:
                examples.setdefault(note.source.file, []).append((int(match[1]), match[2]))
            elif note.kind == "info":
                info.append(note)
            elif note.kind == "mapping":
                sections.mappings.append(note)
            elif note.kind == "unknown_column":
                sections.ignored.append(note)
            elif not _repeats_skipped_activity(note, activity_reasons):
                sections.details.append(note)
        info.sort(key=lambda n: not _file_level(n))  # stable: the file summaries first, in file order
        sections.about = [_note_text(n) for n in info]
        for file, found in examples.items():
            rows, sheets = sum(n for n, _ in found), len(found)
            sections.about.append(f"{file}: {rows} example row(s) skipped in {sheets} sheet(s) {found[0][1]}")
        return sections

    def details_text(self, shown: NotesShown) -> list[str]:
        if not self.details:
            return []
        by_kind: dict[str, list[Note]] = {}
        for note in self.details:
            by_kind.setdefault(note.kind, []).append(note)
        counts = ", ".join(f"{kind} {len(found)}" for kind, found in by_kind.items())
        if shown == "all":
            return [
                f"Notes on single rows and elements: {counts}:",
                *(f"  {n.kind}: {_note_text(n)}" for n in self.details),
            ]
        lines = [
            f"Notes on single rows and elements: {counts}; the first {DETAILS_SHOWN} of each kind "
            f"(all {len(self.details)} with --notes all, or in the notes table of the Data page):"
        ]
        for kind, found in by_kind.items():
            lines += [f"  {kind}: {_note_text(n)}" for n in found[:DETAILS_SHOWN]]
            if len(found) > DETAILS_SHOWN:
                lines.append(f"  ... and {len(found) - DETAILS_SHOWN} more {kind} note(s)")
        return lines
