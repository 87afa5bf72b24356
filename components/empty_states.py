"""Helpful empty states: say what is missing, what to import and where, instead of an empty chart.

Three situations (issue 5): an empty database, a scope (or a set of filters) with no project, and
a project without indicators. Each message names the file to prepare and the Data page (URL path
``/data-import``) where it is uploaded; the command line equivalent is given for administrators.
"""

from __future__ import annotations

import streamlit as st

from components import loaders
from data_access.scope import Scope

DATA_PAGE_LINK = "[Data page](/data-import)"

EMPTY_DATABASE = (
    "**No projects in the database yet.** Upload the results-matrix workbook (download the template "
    f"there), finance exports or IATI activity XML on the {DATA_PAGE_LINK}; or load the sample "
    "portfolio with `python -m data_access seed`."
)
PROJECT_WITHOUT_INDICATORS = (
    "**This project has no indicators yet**, so there is no results matrix to show. Add its "
    "results and indicators (sheets `results`, `indicators` and `periods` of the results-matrix "
    f"workbook) on the {DATA_PAGE_LINK}. A results monitoring framework is due in the first month "
    "of a project; until one is recorded, the project is flagged “No results framework”."
)


def nothing_in_view(scope: Scope, filtered: bool) -> str:
    """The sentence for a scope (and filters) that match no project."""
    if filtered:
        return (
            f"**No project matches these filters** for {scope.label}. Clear some filters in the "
            "sidebar (region, country, donor, thematic area, status) to widen the view."
        )
    return (
        f"**No project is visible to {scope.label}.** Projects appear here once they are imported "
        f"with this office as managing or implementing country, on the {DATA_PAGE_LINK}."
    )


def no_projects(ctx) -> None:
    """Render the empty state for a context whose frames hold no project."""
    if loaders.database_is_empty(ctx.data):
        st.info(EMPTY_DATABASE, icon=":material/inventory_2:")
        return
    flt = ctx.flt
    filtered = any((flt.regions, flt.countries, flt.donors, flt.themes, flt.statuses, flt.project_codes))
    st.info(nothing_in_view(ctx.scope, filtered), icon=":material/filter_alt_off:")


def no_indicators() -> None:
    st.info(PROJECT_WITHOUT_INDICATORS, icon=":material/account_tree:")


def no_rows(what: str) -> None:
    """A section of a page with nothing to show (e.g. no risks recorded)."""
    st.caption(f"No {what} recorded for this selection.")
