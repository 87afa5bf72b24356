"""The validation report: every problem found in the files, where it is and what to do about it.

One report covers all files imported together. ``errors`` block the import (nothing is written);
``warnings`` are shown before the user confirms but do not block (a sex breakdown that does not
add up to the total is a data-quality issue to display, DOMAIN.md section 8, not a reason to refuse
a donor's file); ``notes`` record conventions applied and values kept as text. ``planned`` holds
what the writer would do per table (new / changed / unchanged), filled by a dry run so the Data
page can show it before the Confirm button.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from data_access.importers.tables import TABLE_NAMES, Note, Source

Severity = Literal["error", "warning"]
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
    def at(cls, source: Source, column: str | None, value: object, reason: str,
           severity: Severity = "error") -> Problem:
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # as the user typed it: 130, not 130.0
        shown = None if value is None else str(value)
        if shown is not None and len(shown) > 80:
            shown = shown[:77] + "..."
        return cls(source.file, source.sheet, source.row, column, shown, reason, severity,
                   source.line, source.xpath)

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


@dataclass
class ValidationReport:
    files: list[str]
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    rows_read: dict[str, int] = field(default_factory=dict)
    planned: dict[str, TableCounts] = field(default_factory=dict)

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

    def problems_frame(self) -> pd.DataFrame:
        """Errors then warnings as a table the user can fix from (the Data page shows it)."""
        rows = [
            {"severity": p.severity, "file": p.file, "sheet": p.sheet or "", "row": p.row if p.row is not None else p.line,
             "column": p.column or "", "value": p.value or "", "reason": p.reason}
            for p in [*self.errors, *self.warnings]
        ]
        columns = ["severity", "file", "sheet", "row", "column", "value", "reason"]
        return pd.DataFrame(rows, columns=columns)

    def notes_frame(self) -> pd.DataFrame:
        rows = [
            {"kind": n.kind, "where": n.source.describe() if n.source else "", "column": n.column or "",
             "value": n.value or "", "note": n.message}
            for n in self.notes
        ]
        return pd.DataFrame(rows, columns=["kind", "where", "column", "value", "note"])

    def counts_frame(self) -> pd.DataFrame:
        """Rows read and what would be written, per canonical table, in table order, then the stored
        tables a canonical table feeds (a period row feeds ``targets`` and ``actuals``)."""
        rows = []
        stored_only = [n for n in self.planned if n not in TABLE_NAMES]  # targets, actuals, budget_lines
        for name in [*TABLE_NAMES, *stored_only]:
            if name not in self.rows_read and name not in self.planned:
                continue
            planned = self.planned.get(name, TableCounts())
            rows.append({"table": name, "rows read": self.rows_read.get(name, 0), **planned.as_dict()})
        return pd.DataFrame(rows, columns=["table", "rows read", "new", "changed", "unchanged"])

    def to_text(self, limit: int = MAX_TEXT_PROBLEMS) -> str:
        """The report as plain text for the command line."""
        lines = [f"Files: {', '.join(self.files)}"]
        read = ", ".join(f"{k} {v}" for k, v in self.rows_read.items())
        lines.append(f"Rows read: {read or 'none'}")
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
        if self.notes:
            by_kind: dict[str, int] = {}
            for n in self.notes:
                by_kind[n.kind] = by_kind.get(n.kind, 0) + 1
            lines.append("Notes: " + ", ".join(f"{k} {v}" for k, v in by_kind.items()))
            lines += [f"  {n.kind}: {n.source.describe() + ': ' if n.source else ''}{n.message}"
                      for n in self.notes[:limit]]
            if len(self.notes) > limit:
                lines.append(f"  ... and {len(self.notes) - limit} more note(s)")
        if self.planned:
            lines.append("Changes: " + "; ".join(
                f"{name} +{c.new} new, {c.changed} changed, {c.unchanged} unchanged"
                for name, c in self.planned.items() if c.new or c.changed or c.unchanged
            ))
        return "\n".join(lines)
