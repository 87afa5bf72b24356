"""The validation report as text (``ValidationReport.to_text``, what the command line prints) and
how a problem's value is shown.

The command line report must keep what a user needs of a big file (summaries, mappings, skipped
activities) and cut what repeats per row; these tests build reports by hand so each section's
content is known.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from data_access.importers.report import Problem, SkippedActivity, ValidationReport
from data_access.importers.tables import Note, Source


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (datetime(2024, 12, 31), "2024-12-31"),  # an Excel date cell reads as midnight
        (datetime(2024, 12, 31, 15, 30), "2024-12-31 15:30:00"),  # a real time of day is kept
        (date(2024, 12, 31), "2024-12-31"),
        (130.0, "130"),
        (None, None),
    ],
)
def test_a_problem_shows_values_as_typed(value: object, shown: str | None) -> None:
    problem = Problem.at(Source("m.xlsx", "periods", 4), "period_end", value, "before the start")
    assert problem.value == shown


def _report() -> ValidationReport:
    """One IATI file: two activities skipped, 5 conventions, 2 mapping notes, the file summary last
    (as the reader writes it), and an activity-level skip note that repeats a skipped activity."""
    here = Source("f.xml")
    notes = [
        Note(
            "skipped",
            "A-2: activity not imported: no end date",
            Source("f.xml", line=30, xpath="iati-activity[iati-identifier='A-2']"),
        )
    ]
    notes += [
        Note("convention", f"A-1: indicator I{i}: accumulation=level", Source("f.xml", line=10 + i))
        for i in range(1, 6)
    ]
    notes += [Note("skipped", "A-1: value 'many' kept as text", Source("f.xml", line=20))]
    notes += [
        Note("mapping", "dimension 'Sex' mapped to sex: 'F' -> female x3", here),
        Note("mapping", "dimension 'Age' mapped to age: '<18' -> 0-17 x2", here),
        Note("info", "IATI 2.03: 1 of 3 activities imported; rows: projects 1", here),
        Note("info", "skipped: no end date x1; no managing country x1", here),
    ]
    skipped = [
        SkippedActivity("f.xml", "A-2", "no end date", 30),
        SkippedActivity("f.xml", "A-3", "only recipient region(s) 298", 40),
    ]
    return ValidationReport(files=["f.xml"], notes=notes, skipped_activities=skipped, activities_read=3)


def test_the_text_keeps_summaries_mappings_and_skipped_activities_and_counts_the_rest() -> None:
    assert _report().to_text().splitlines() == [
        "Files: f.xml",
        "Rows read: none",
        "About the files:",
        "  f.xml: IATI 2.03: 1 of 3 activities imported; rows: projects 1",
        "  f.xml: skipped: no end date x1; no managing country x1",
        "2 of 3 IATI activities skipped (not imported):",
        "  SKIPPED f.xml line 30, A-2: no end date",
        "  SKIPPED f.xml line 40, A-3: only recipient region(s) 298",
        "Dimension mappings: 2",
        "  f.xml: dimension 'Sex' mapped to sex: 'F' -> female x3",
        "  f.xml: dimension 'Age' mapped to age: '<18' -> 0-17 x2",
        "Notes on single rows and elements: convention 5, skipped 1; the first 3 of each kind (all 6 with "
        "--notes all, or in the notes table of the Data page):",
        "  convention: f.xml, line 11: A-1: indicator I1: accumulation=level",
        "  convention: f.xml, line 12: A-1: indicator I2: accumulation=level",
        "  convention: f.xml, line 13: A-1: indicator I3: accumulation=level",
        "  ... and 2 more convention note(s)",
        "  skipped: f.xml, line 20: A-1: value 'many' kept as text",
    ]


def test_notes_all_prints_every_note_on_single_rows() -> None:
    lines = _report().to_text(notes="all").splitlines()
    assert lines[lines.index("Notes on single rows and elements: convention 5, skipped 1:") + 1 :] == [
        *(f"  convention: f.xml, line {10 + i}: A-1: indicator I{i}: accumulation=level" for i in range(1, 6)),
        "  skipped: f.xml, line 20: A-1: value 'many' kept as text",
    ]


def test_example_rows_of_every_sheet_are_one_line_per_file() -> None:
    notes = [
        Note("info", f"{n} example row(s) skipped (first cell starts with EXAMPLE)", Source("t.xlsx", sheet))
        for sheet, n in (("projects", 1), ("results", 2), ("indicators", 1))
    ]
    text = ValidationReport(files=["t.xlsx"], notes=notes).to_text()
    assert text.splitlines()[2:] == [
        "About the files:",
        "  t.xlsx: 4 example row(s) skipped in 3 sheet(s) (first cell starts with EXAMPLE)",
    ]
