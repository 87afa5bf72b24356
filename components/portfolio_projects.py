"""The Portfolio page's Projects tab: the status matrix, worst results first; selecting a project
opens it on the Project page.

Only the first :data:`MATRIX_ROWS` rows reach the browser: at 10,000 projects the whole table is
megabytes the browser must receive and lay out before the page is usable. Those rows are cached
(``loaders.status_matrix``), so a warm run does not label and sort every project again; the
downloads build every row when clicked, and the drill-down and filters narrow the view. Burn and
time elapsed show in whole percents on screen; the downloads keep the 0-1 shares.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import loaders, status_matrix, tables
from components.navigation import PAGES

MATRIX_ROWS = 300


def matrix_columns(settings, codes: pd.Series | None = None) -> dict[str, object]:
    """Widths, formats and help of the status matrix's columns (the thresholds in the help from
    ``settings``); the project column as wide as the longest of ``codes`` (``status_matrix.code_width``:
    IATI identifiers shown whole)."""
    widths = status_matrix.MATRIX_WIDTHS
    code_width = widths["Project"] if codes is None else status_matrix.code_width(codes, widths["Project"])
    return {
        "Project": st.column_config.TextColumn(
            width=code_width, pinned=True, help="Project code, whole; the title is further right."
        ),
        "Results": st.column_config.TextColumn(
            width=widths["Results"],
            help=f"Results status: off track when at least {settings.project_off_track_share:.0%} of the project's "
            f"assessable indicators are off track, on track when at least {settings.project_on_track_share:.0%} "
            "are on track or achieved, at risk otherwise.",
        ),
        "Finance": st.column_config.TextColumn(
            width=widths["Finance"],
            help="Spending status: burn against planned burn (the spending plan's share to date, else the share "
            "of time elapsed).",
        ),
        "Burn": st.column_config.NumberColumn(
            format="%.0f%%", width=widths["Burn"], help="Spent to date ÷ current budget."
        ),
        "Elapsed": st.column_config.NumberColumn(
            format="%.0f%%", width=widths["Elapsed"], help="Share of the project's time elapsed."
        ),
        "Forecast": st.column_config.TextColumn(
            width=widths["Forecast"],
            help="Forecast spending at close (recent monthly spending carried to the end date) against the budget.",
        ),
        "Risk": st.column_config.TextColumn(width=widths["Risk"], help=status_matrix.RISK_COLUMN_HELP),
        "High flags": st.column_config.NumberColumn(
            width=widths["High flags"], help="High-severity early-warning flags raised on the project."
        ),
        "Flags": st.column_config.TextColumn(
            width=widths["Flags"], help="Every early-warning flag raised on the project."
        ),
        "Title": st.column_config.TextColumn(width=widths["Title"]),
        "Country": st.column_config.TextColumn(
            width=widths["Country"],
            help="Managing country; a project managed from a country outside this view shows its share of money here.",
        ),
        "Progress": st.column_config.ProgressColumn(
            format="percent",
            min_value=0.0,
            max_value=1.0,
            width=widths["Progress"],
            help="Results progress: the mean progress of the project's assessable indicators towards their end "
            "targets, each counted at most 100%.",
        ),
        "At stake (USD)": st.column_config.NumberColumn(
            format="localized",
            width=widths["At stake (USD)"],
            help="USD budget not yet spent, or the whole budget when spending is not reported; projects of the "
            "same results status are listed by it, largest first.",
        ),
    }


def show(ctx, countries: tuple[str, ...] | None) -> None:
    """The first :data:`MATRIX_ROWS` projects of the view (``countries``: the page's countries in view)."""
    first, n_projects = loaders.status_matrix(ctx.data, ctx.scope, ctx.flt, ctx.settings, countries, MATRIX_ROWS)
    shown = tables.as_displayed(first, ["Burn", "Elapsed"])

    def every_project() -> pd.DataFrame:  # the downloads' rows, built when a button is clicked
        return status_matrix.status_matrix(
            ctx.portfolio_summary().projects,
            high_min=ctx.settings.risk_high_min,
            medium_min=ctx.settings.risk_medium_min,
            project_countries=None if countries is None else ctx.project_countries(),
            countries=countries,
        )

    st.caption(
        "Worst results status first, then most money at stake; closed projects last. Select a project to open "
        "it on the Project page."
        + (
            f" Showing the first {MATRIX_ROWS:,} of {n_projects:,} projects: narrow with the filters or "
            "the drill-down, or download them all."
            if n_projects > MATRIX_ROWS
            else ""
        )
    )
    event = tables.show_table(
        shown,
        key="status_matrix",
        file_stem="portfolio-projects",
        selectable=True,
        download=every_project,
        column_config=matrix_columns(ctx.settings, first["Project"]),
    )
    settings = ctx.settings
    st.caption(
        "How this is computed: results status = off track when at least "
        f"{settings.project_off_track_share:.0%} of the project's assessable indicators are off track, on track "
        f"when at least {settings.project_on_track_share:.0%} are on track or achieved, at risk otherwise; "
        "finance = burn against planned burn "
        f"(underspending more than {abs(settings.underspending_below_pp):g} points below plan, overspending more "
        f"than {settings.overspending_above_pp:g} points above, over budget above 100%); risk = the highest open "
        "risk's level."
    )
    if event is not None and event.selection.rows:
        code = shown.iloc[event.selection.rows[0]]["Project"]
        project_page = next(spec for spec in PAGES if spec.stem == "project")
        st.switch_page(project_page.file, query_params={"project": code})
