"""The Data page's validation report: what the files contain and what would be written, the IATI
activities skipped (with why, above everything else), the problems (file, sheet, row, column, value
and reason) and the notes, filterable by kind. Every figure is ``data_access.importers.report``'s
``ValidationReport``; this module only lays it out.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import tables
from components.plain_text import literal
from data_access.importers.report import ValidationReport, table_label

SKIPPED_LISTED = 10  # activities listed in the warning itself; all of them are in the table below


def warn_skipped(report: ValidationReport) -> None:
    """IATI activities that will not be imported, with why, above the summary: a file that loses
    activities must say so where the user looks, not only in the notes."""
    skipped = report.skipped_activities
    if not skipped:
        return
    lines = [f"- {literal(s.code)}: {literal(s.reason)}" for s in skipped[:SKIPPED_LISTED]]
    if len(skipped) > SKIPPED_LISTED:
        lines.append(f"- … and {len(skipped) - SKIPPED_LISTED} more: see “Activities skipped” below")
    st.warning(
        f"{len(skipped)} of {report.activities_read} IATI activities in the files are skipped and will "
        "not be imported:\n" + "\n".join(lines),
        icon=":material/warning:",
    )


# a sheet the writer stores only as other tables: its rows are counted in theirs, so its own
# new / changed / unchanged would read 0 next to "21 in the files"
STORED_AS = {"periods": "Reporting periods are stored as targets and actuals: their rows say what is new or changed."}
COUNT_COLUMNS = ["In the files", "New", "Changed", "Unchanged"]


def _count_text(n) -> str:
    return "—" if pd.isna(n) else f"{n:,}"


def show_counts(report: ValidationReport, key: str) -> None:
    """What the files contain and what would be written, every count with thousands separators.
    "—" where a count does not apply: tables made from other sheets have no rows in the files, and
    the sheets of :data:`STORED_AS` are written only through the tables made from them."""
    counts = report.counts_frame().astype({c: "Int64" for c in COUNT_COLUMNS})
    split = [table_label(name) for name in STORED_AS if report.planned and report.rows_read.get(name)]
    counts.loc[counts["Table"].isin(split), ["New", "Changed", "Unchanged"]] = pd.NA
    shown = counts.assign(**{c: counts[c].map(_count_text) for c in COUNT_COLUMNS})
    right = st.column_config.TextColumn(alignment="right")
    tables.show_table(
        shown,
        key=f"{key}_counts",
        file_stem="import_counts",
        download=counts,
        column_config=dict.fromkeys(COUNT_COLUMNS, right),
    )
    for name, how in STORED_AS.items():
        if table_label(name) in split:
            st.caption(how)


# kinds of note (``tables.NoteKind``, as ``notes_frame`` spells them), most telling first: how a file's
# names were mapped and what was skipped matter more than the bulk of conventions applied
NOTE_KINDS = {
    "Mapping": "mapping(s)",
    "Skipped": "skipped or kept as text",
    "Unknown column": "ignored column(s)",
    "Info": "for information",
    "Convention": "convention(s) applied",
}


WRAPPED_ROW = 76  # pixels: three lines of a long note or message wrap in their cell (no tooltip shows them)
PROBLEMS_CONFIG = {
    "Severity": st.column_config.TextColumn(width=75),
    "Reason": st.column_config.TextColumn(width=360, help="What is wrong and what to do about it"),
    "Column": st.column_config.TextColumn(width=90),
    "Value": st.column_config.TextColumn(width=80),
    "Row or line": st.column_config.NumberColumn(width=85, format="%d"),
}
NOTES_CONFIG = {
    "Kind": st.column_config.TextColumn(width=100),
    "Note": st.column_config.TextColumn(width=360),
    "Column": st.column_config.TextColumn(width=70),
    "Value": st.column_config.TextColumn(width=70),
    "Where": st.column_config.TextColumn(width=90, help="File, sheet or line, and the element"),
}


def show_notes(report: ValidationReport, key: str) -> None:
    """The notes, labelled by what they hold, filterable by kind: one IATI file gives 1,456 notes
    and its 16 mappings must not drown in conventions. Kind and Note first, Where (long XPaths) last."""
    notes = report.notes_frame()[["Kind", "Note", "Column", "Value", "Where"]]
    rank = {kind: i for i, kind in enumerate(NOTE_KINDS)}
    notes = notes.sort_values("Kind", key=lambda k: k.map(lambda v: rank.get(v, len(rank))), kind="stable")
    per_kind = notes["Kind"].value_counts(sort=False)
    held = ", ".join(f"{n:,} {NOTE_KINDS.get(kind, kind.lower())}" for kind, n in per_kind.items())
    with st.expander(f"Notes ({len(notes):,}): {held}"):
        chosen = st.multiselect(
            "Kinds of note shown",
            list(per_kind.index),
            default=list(per_kind.index),
            format_func=lambda kind: f"{kind} ({per_kind[kind]:,})",
            key=f"{key}_note_kinds",
        )
        picked = notes[notes["Kind"].isin(chosen)]
        # most notes name no column or value: blank columns would only push Where out of sight
        blank = [c for c in ("Column", "Value") if not picked[c].astype(bool).any()]
        tables.show_table(
            picked.drop(columns=blank),
            key=f"{key}_notes",
            file_stem="import_notes",
            download=picked,
            column_config=NOTES_CONFIG,
            row_height=WRAPPED_ROW,
        )


def show_report(report: ValidationReport, key: str) -> None:
    """Counts, skipped activities, problems and notes of a validation report."""
    st.subheader("What the files contain")
    show_counts(report, key)
    if report.skipped_activities:
        st.subheader(f"Activities skipped: {len(report.skipped_activities)}")
        tables.show_table(report.skipped_frame(), key=f"{key}_skipped", file_stem="import_skipped")
    if report.errors or report.warnings:
        st.subheader(f"Problems: {len(report.errors)} error(s), {len(report.warnings)} warning(s)")
        tables.show_table(
            report.problems_frame(),
            key=f"{key}_problems",
            file_stem="import_problems",
            column_config=PROBLEMS_CONFIG,
            row_height=WRAPPED_ROW,
        )
    if report.notes:
        show_notes(report, key)
