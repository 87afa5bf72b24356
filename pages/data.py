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
their office manages), and the log records it. An attempt is a Confirm click, or an upload
with files refused while reading (logged once per upload, as the command line logs them).
"""

from __future__ import annotations

import streamlit as st

from components import loaders
from components.frame import page_context
from components.import_history import show_import_history
from components.import_panel import show_import
from components.quality_summary import show_quality_summary

ctx = page_context()
st.title("Data")
st.caption(f"Importing as {ctx.scope.label} · nothing is written until you confirm, and then all or nothing")
engine = loaders.engine_for(ctx.database_url)

tab_import, tab_history, tab_quality = st.tabs(["Import", "Import history", "Data quality"])
with tab_import:
    show_import(ctx, engine)
with tab_history:
    show_import_history(ctx, engine)
with tab_quality:
    show_quality_summary(ctx)
