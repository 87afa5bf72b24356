"""Data (M&E officers, finance staff): get files in safely, see what happened, see what is missing.

Import: download the template → upload one or more files → the validation report (errors with
file, sheet, row, column, value and reason; warnings; notes; what would be new or changed) before
anything is written → Confirm → progress → outcome. History: the import attempts (imported,
unchanged, rejected) the asker may see: leadership every attempt, anyone else only those made as
themselves (``writer.import_history``: a rejected attempt's message quotes another office's codes and
values). Data quality: the DOMAIN.md section 8 summary of the portfolio in view.

All reading, validation and writing is ``data_access.importers`` (the same path as
``python -m data_access import``); the page only shows it. The "view as" identity (which stands in
for sign-in until sign-in exists) is the import's scope: a file may create or change only projects
that identity may write (``data_access.importers.write_scope``: a chief of mission only projects
their office manages), and the log records it. An attempt is a Confirm click: files refused
while reading are shown with their reason but not logged (the command line logs them, since there
reading and importing are one command).
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import streamlit as st

from components import import_preview, loaders, tables
from components.frame import data_errors, page_context
from components.plain_text import literal
from data_access import db
from data_access.importers import safety
from data_access.importers.report import ValidationReport, table_label
from data_access.importers.template import template_bytes
from data_access.importers.uploads import read_uploads
from data_access.importers.writer import history_frame, import_files
from data_access.scope import Scope
from monitoring.quality import quality_summary
from reference.places import BY_ISO3, COUNTRIES

QUALITY_HEADERS = {"level": "Level", "label": "Issue", "count": "Count", "share": "Share"}

ctx = page_context()
st.title("Data")
st.caption(f"Importing as {ctx.scope.label} · nothing is written until you confirm, and then all or nothing")
engine = loaders.engine_for(ctx.database_url)


ERRORS_LISTED = 3  # errors spelled out in the banner: long reasons are cut in the table's cells
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


def iati_country_choices(scope: Scope) -> list[str]:
    """ISO3 codes the asker may name as the office managing IATI activities without a recipient
    country: any country with a regional office for leadership, their own for a chief of mission or
    a regional director; none for a programme manager (who cannot create projects)."""
    known = sorted((c.iso3, c.region) for c in COUNTRIES if c.region)
    if scope.kind == "organisation":
        return [iso3 for iso3, _ in known]
    if scope.kind == "country":
        return [iso3 for iso3, _ in known if iso3 in scope.codes]
    if scope.kind == "region":
        return [iso3 for iso3, region in known if region in scope.codes]
    return []


def iati_managing_country(uploaded: list) -> str | None:
    """The Data page's choice for IATI activities naming no recipient country (``parse_iati``);
    offered only when an XML file is uploaded and the asker may name an office."""
    choices = iati_country_choices(ctx.scope)
    if not choices or not any(f.name.lower().endswith(".xml") for f in uploaded or ()):
        return None
    return st.selectbox(
        "IATI activities that name no recipient country (regional or global programmes)",
        [None, *choices],
        key="data_iati_country",
        format_func=lambda iso3: (
            "Skip them (listed in the report)" if iso3 is None else f"Managed by {BY_ISO3[iso3].name} ({iso3})"
        ),
        help="The importer never picks a country office for them itself: all their money would count in that "
        "country. If you know which office manages them, name it here; each activity gets a note.",
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


tab_import, tab_history, tab_quality = st.tabs(["Import", "Import history", "Data quality"])

with tab_import:
    st.download_button(
        "Download the results-matrix template",
        data=template_bytes,
        file_name="results_matrix_template.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        key="data_template",
        on_click="ignore",
        help="An instructions sheet, then one sheet per table with dropdowns and an example row.",
    )
    uploaded = st.file_uploader(
        "Files to import",
        type=["xlsx", "csv", "xml"],
        accept_multiple_files=True,
        key="data_files",
        help=f"Results-matrix workbook, CSV tables named after their sheet (projects.csv, ...) or IATI "
        f"activity XML; up to {safety.max_file_bytes() / safety.MB:g} MB per file.",
        # the widget says and enforces the import's own limit (DASHBOARD_IMPORT_MAX_MB), not Streamlit's
        # 200 MB default; it takes whole megabytes, so a fractional limit rounds up and safety refuses the rest
        max_upload_size=max(1, math.ceil(safety.max_file_bytes() / safety.MB)),
    )
    iati_country = iati_managing_country(uploaded)
    if not uploaded:
        st.info(
            "Upload one or more files to see the validation report. Files imported together are "
            "validated together: a results sheet may refer to a project in another file.",
            icon=":material/upload_file:",
        )
    else:
        files = [(f.name, f.getvalue()) for f in uploaded]
        with data_errors():  # read and validated once per upload and data version (import_preview)
            checked = import_preview.preview_uploads(ctx.data, ctx.scope, files, iati_country=iati_country)
        if checked.refused:
            st.error(
                f"{len(checked.refused)} file(s) cannot be read; nothing can be imported until they are "
                "corrected or removed (nothing was written).",
                icon=":material/block:",
            )
            for refused in checked.refused:
                st.markdown(f"- {literal(refused.message)}")
        elif st.session_state.get("data_confirm"):
            bar = st.progress(0.0, text="Validating…")
            uploads = read_uploads(files, iati_managing_country=iati_country)
            with data_errors(), db.session_scope(engine) as session:
                result = import_files(
                    session,
                    uploads.parsed,
                    user=ctx.scope.label,
                    scope=ctx.scope,
                    as_of=dt.date.today(),  # the day of the import (not the sidebar's as-of date)
                    progress=lambda share, step: bar.progress(share, text=f"Writing {step}…"),
                )
            bar.empty()
            if result.ok:
                loaders.clear_caches()
                import_preview.clear()
                verb = "Imported" if result.outcome == "imported" else "Nothing new: everything was already stored"
                st.success(f"{verb} (import batch {result.batch_id}).", icon=":material/check_circle:")
            else:
                st.error(
                    f"Rejected (import batch {result.batch_id}): nothing was written. Correct the problems "
                    "below and upload again.",
                    icon=":material/block:",
                )
            warn_skipped(result.report)
            show_report(result.report, "data_result")
        else:
            report = checked.report
            warn_skipped(report)
            nothing = report.ok and report.changes == 0
            if nothing and not any(report.rows_read.values()):
                st.info(
                    "The files contain no data rows (example rows, whose first cell starts with EXAMPLE, are "
                    "ignored): fill in the sheets, then upload again.",
                    icon=":material/draft:",
                )
            elif nothing:
                st.info(
                    "Nothing to import: everything in these files is already stored.", icon=":material/check_circle:"
                )
            elif report.ok:
                st.success(
                    f"The files are valid: {report.changes:,} row(s) would be added or changed. "
                    "Nothing has been written yet.",
                    icon=":material/fact_check:",
                )
            else:
                st.error(
                    f"{len(report.errors)} error(s): nothing can be imported until they are corrected. "
                    "Each row of the problems table says where and why"
                    + ("; the first:\n" if len(report.errors) > 1 else ":\n")
                    + "\n".join(f"- {literal(p.describe())}" for p in report.errors[:ERRORS_LISTED]),
                    icon=":material/error:",
                )
            show_report(report, "data_preview")
            st.button(
                "Confirm and import",
                type="primary",
                disabled=not report.ok or nothing,
                key="data_confirm",
                icon=":material/publish:",
            )

# sized for the ~700 pixels of table a 1280-pixel screen shows: the message (wrapped) before who
HISTORY_CONFIG = {
    "Batch": st.column_config.NumberColumn(width=50),
    "Started (UTC)": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm", width=115),
    "Files": st.column_config.TextColumn(width=105),
    "Outcome": st.column_config.TextColumn(width=80),
    "Rows added or changed": st.column_config.NumberColumn(
        "Rows", format="%,d", width=60, help="Rows added or changed"
    ),
    "Message": st.column_config.TextColumn(width=270),
    "Imported by": st.column_config.TextColumn(width=130),
    "Format": st.column_config.TextColumn(width=60),
}

with tab_history:
    # leadership sees every attempt; anyone else the attempts made as themselves (writer.import_history)
    everyone = ctx.scope.kind == "organisation"
    with data_errors(), db.session_scope(engine) as session:
        history = history_frame(session, ctx.scope)
    st.caption(
        "Every office's import attempts, from this page and the command line, newest first."
        if everyone
        else f"Imports made as {ctx.scope.label}; leadership sees every office's imports."
    )
    if history.empty:
        st.info(
            "No import yet." if everyone else f"No import made as {ctx.scope.label} yet.", icon=":material/history:"
        )
    else:
        tables.show_table(
            history,
            key="data_history",
            file_stem="import_history",
            column_config=HISTORY_CONFIG,
            row_height=WRAPPED_ROW,
        )

with tab_quality:
    with data_errors():
        frames = ctx.frames()
    if frames.projects.empty:
        st.info(
            "No project in view yet: the data-quality summary appears once data is imported.", icon=":material/rule:"
        )
    else:
        with data_errors():
            evaluation = ctx.evaluation()
        summary = quality_summary(frames, ctx.as_of, ctx.settings, evaluation.indicators)
        st.caption(
            f"Data-quality issues (DOMAIN.md section 8) of {ctx.scope.label}, as of {ctx.as_of:%d %B %Y}: "
            "share of indicators, or of active projects that have started."
        )
        shown = summary[["level", "label", "count", "share"]].rename(columns=QUALITY_HEADERS)
        shown["Level"] = shown["Level"].str.capitalize()
        tables.show_table(
            shown,
            key="data_quality",
            file_stem="data_quality",
            column_config={"Share": st.column_config.NumberColumn(format="percent")},
        )
