"""The Data page's Import tab: download the template (blank, or pre-filled with the asker's reports
due: ``components.due_workbook``) → upload one or more files → the validation report before anything
is written → Confirm → progress → outcome.

All reading, validation and writing is ``data_access.importers`` (the same path as
``python -m data_access import``), in one session per step; the import's scope is the asker's
(``data_access.importers.write_scope``) and the log records it. The day of the import, not the
sidebar's as-of date, is the day plausibility checks run on.
"""

from __future__ import annotations

import datetime as dt
import math

import streamlit as st

from components import due_workbook, import_preview, loaders
from components.frame import data_errors
from components.import_report import show_report, warn_skipped
from components.plain_text import literal
from data_access import db
from data_access.importers import safety
from data_access.importers.template import template_bytes
from data_access.importers.uploads import read_uploads
from data_access.importers.write_scope import iati_office_choices
from data_access.importers.writer import import_files
from data_access.scope import Scope
from reference.places import BY_ISO3

ERRORS_LISTED = 3  # errors spelled out in the banner: long reasons are cut in the table's cells


def iati_managing_country(scope: Scope, uploaded: list) -> str | None:
    """The Data page's choice for IATI activities naming no recipient country (``parse_iati``);
    offered only when an XML file is uploaded and the asker may name an office."""
    choices = iati_office_choices(scope)
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


def show_import(ctx, engine) -> None:
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
    due_workbook.show_for_data_page(ctx)
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
    iati_country = iati_managing_country(ctx.scope, uploaded)
    if not uploaded:
        st.info(
            "Upload one or more files to see the validation report. Files imported together are "
            "validated together: a results sheet may refer to a project in another file.",
            icon=":material/upload_file:",
        )
    else:
        files = [(f.name, f.getvalue()) for f in uploaded]
        with data_errors():  # read and validated once per upload and data version (import_preview)
            checked = import_preview.preview_uploads(
                ctx.data, ctx.scope, files, iati_country=iati_country, person=ctx.person
            )
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
            with data_errors(), db.session_scope(db.writing(engine)) as session:
                result = import_files(
                    session,
                    uploads.parsed,
                    user=ctx.person,
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
                st.info(_nothing_read([name for name, _ in files], report), icon=":material/draft:")
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


def _nothing_read(names: list[str], report) -> str:
    """Why files gave no row: IATI files say what their reading found (an organisation file has no
    activity), a workbook or CSV that only its example rows are ignored."""
    if all(name.lower().endswith(".xml") for name in names):
        found = report.file_notes()
        return "No IATI activity to import in these files" + (f": {literal('; '.join(found))}." if found else ".")
    return (
        "The files contain no data rows (example rows, whose first cell starts with EXAMPLE, are "
        "ignored): fill in the sheets, then upload again."
    )
