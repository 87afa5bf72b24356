"""The download of the workbook pre-filled with the asker's reports due or overdue (issue 16), on the
Data page (everything in view) and the Project page (that project).

The workbook is ``data_access.importers.prefilled.due_workbook`` for ``ctx.scope`` as of the sidebar's
date: built only when the button is clicked (a callable ``data``: an organisation-wide workbook takes
seconds, and most page runs never download it), uploaded back on the Data page.
"""

from __future__ import annotations

import streamlit as st

from components import loaders
from data_access.importers.prefilled import due_workbook
from data_access.scope import PortfolioFilter
from monitoring.dates import date_text
from monitoring.reporting import reports_due

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_button(ctx, flt: PortfolioFilter, *, label: str, key: str, file_stem: str, help: str) -> None:
    """A button that builds and downloads the pre-filled workbook of ``ctx.scope`` narrowed by ``flt``."""
    engine = loaders.engine_for(ctx.database_url)
    scope, grace = ctx.scope, ctx.settings.reporting_grace_days

    def build() -> bytes:
        return due_workbook(engine, scope, flt, grace).data

    st.download_button(
        label,
        data=build,
        file_name=f"{file_stem}-{flt.as_of.isoformat()}.xlsx",
        mime=XLSX,
        icon=":material/assignment:",
        key=key,
        on_click="ignore",
        help=help,
    )


def show_for_data_page(ctx) -> None:
    """The Data page's button: every project in view (scope and sidebar filters) with a report due."""
    download_button(
        ctx,
        ctx.flt,
        label="Download your reports due, pre-filled",
        key="data_due_workbook",
        file_stem="reports-due",
        help=f"Your projects' results and indicators and one row per report due or overdue as of "
        f"{date_text(ctx.as_of)} (the sidebar's date and filters), with empty cells for the actual, its sex "
        "breakdown, comment, source and date. Fill them in and upload the workbook here; empty rows change "
        "nothing. Projects managed by another office are reported by that office and are left out.",
    )


def show_for_project(ctx, detail) -> None:
    """The Project page's line: how many of the project's reports are due or overdue, and its workbook."""
    pframes = detail.portfolio
    code = detail.project["project_code"]
    grace = ctx.settings.reporting_grace_days
    due = reports_due(pframes.indicators, pframes.targets, pframes.actuals, pframes.projects, ctx.as_of, grace)
    if due.empty:
        st.caption(f"No report of this project is due or overdue as of {date_text(ctx.as_of)}.")
        return
    overdue = int((due["state"] == "overdue").sum())
    st.caption(
        f"{len(due):,} report(s) of this project due or overdue as of {date_text(ctx.as_of)} ({overdue:,} overdue)."
    )
    if loaders.write_refusal(ctx.data, ctx.scope, code):  # its managing office reports it: an empty workbook
        return
    download_button(
        ctx,
        PortfolioFilter(as_of=ctx.as_of, project_codes=(code,)),
        label="Download this project's reports due, pre-filled",
        key="project_due_workbook",
        file_stem=f"{code}-reports-due",
        help="The project's results and indicators and one row per report due or overdue, ready to fill in "
        "and upload on the Data page (empty rows change nothing).",
    )
