"""The Recommendations page's rendering: KPI row, filters, the register and its roll-ups.

The register itself (due dates, overdue, implemented on time) is ``monitoring.recommendations``;
this module only labels it for people and narrows it by the page's filters. Texts typed by people
(recommendation, action, owner, titles) are shown in table cells, never as Markdown.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import kpis, tables
from components.frame import url_bound, write_url
from components.labels import code_labels
from monitoring.dates import date_text
from monitoring.recommendations import STATE_LABELS, STATES
from reference.vocabulary import RECOMMENDATION_SOURCES

SOURCE_LABELS = {"evaluation": "Evaluation", "audit": "Audit"}


def kpi_row(reg: pd.DataFrame) -> None:
    """Recommendations in view, open, overdue (with the oldest) and the share implemented on time."""
    open_ = reg["state"].isin(("overdue", "due_soon", "open"))
    overdue = reg.loc[reg["state"] == "overdue"]
    judged = reg["on_time"].notna()
    on_time = int(reg["on_time"].fillna(False).astype(bool).sum())
    closed_projects = int((reg["project_status"] == "closed").sum())
    kpis.kpi_row(
        [
            kpis.Kpi(
                "Recommendations",
                f"{len(reg):,}",
                "Evaluation and audit recommendations issued on or before the as-of date, closed projects included.",
                f"{closed_projects:,} on closed projects",
            ),
            kpis.Kpi("Open", f"{int(open_.sum()):,}", "Open or in progress on the as-of date.", None),
            kpis.Kpi(
                "Overdue",
                f"{len(overdue):,}",
                "Open past the due date (audit recommendations without one: the audit rule of the settings).",
                f"oldest {int(overdue['days_overdue'].max()):,} days" if len(overdue) else "none",
            ),
            kpis.Kpi(
                "Implemented on time",
                f"{on_time / int(judged.sum()):.0%}" if judged.any() else "–",
                "Implemented on or before the due date, of the recommendations accepted (or partially) whose "
                "due date has passed or that are implemented with the day recorded.",
                f"{on_time:,} of {int(judged.sum()):,}",
            ),
        ]
    )


def filtered(reg: pd.DataFrame) -> pd.DataFrame:
    """The register narrowed by the page's filters (office, source, state, overdue only; in the URL)."""
    offices = dict(
        reg[["managing_country", "managing_country_name"]].drop_duplicates().sort_values("managing_country_name").values
    )
    url_bound("rec_office", "office", lambda raw: [o for o in raw if o in offices])
    url_bound("rec_source", "source", lambda raw: [s for s in raw if s in RECOMMENDATION_SOURCES])
    url_bound("rec_state", "state", lambda raw: [s for s in raw if s in STATES])
    url_bound("rec_overdue", "overdue", lambda raw: raw[-1] == "1")
    office_col, source_col, state_col, overdue_col = st.columns([3, 2, 3, 2], vertical_alignment="bottom")
    chosen_offices = office_col.multiselect(
        "Office (managing country)", list(offices), format_func=offices.get, key="rec_office", placeholder="All"
    )
    sources = source_col.pills(
        "Source", list(RECOMMENDATION_SOURCES), selection_mode="multi", format_func=SOURCE_LABELS.get, key="rec_source"
    )
    states = state_col.multiselect(
        "Status", list(STATES), format_func=STATE_LABELS.get, key="rec_state", placeholder="All"
    )
    overdue_only = overdue_col.toggle("Overdue only", key="rec_overdue")
    write_url("office", chosen_offices)
    write_url("source", sources)
    write_url("state", states)
    write_url("overdue", "1" if overdue_only else None)
    keep = pd.Series(True, index=reg.index)
    if chosen_offices:
        keep &= reg["managing_country"].isin(chosen_offices)
    if sources:
        keep &= reg["source"].isin(sources)
    if states:
        keep &= reg["state"].isin(states)
    if overdue_only:
        keep &= reg["state"] == "overdue"
    return reg.loc[keep]


def show_register(reg: pd.DataFrame, *, key: str = "rec_register") -> None:
    """The register as people read it; the downloads keep the codes and every column."""
    if reg.empty:
        st.caption("No recommendation matches this selection.")
        return
    source = code_labels("RECOMMENDATION_SOURCES", reg["source"])
    of = reg["evaluation_title"].fillna("") + reg["evaluation_date"].map(
        lambda d: f" ({date_text(d)})" if pd.notna(d) else ""
    )
    shown = pd.DataFrame(
        {
            "Status": reg["state"].map(STATE_LABELS),
            "Days overdue": reg["days_overdue"],
            "Due": reg["due"].dt.date,
            "Project": reg["project_code"],
            "Office": reg["managing_country_name"],
            "Recommendation": reg["recommendation_code"],
            "Text": reg["text"],
            "Management response": code_labels("MANAGEMENT_RESPONSES", reg["management_response"]),
            "Planned action": reg["action"],
            "Owner": reg["owner"],
            "Source": source.where(of.str.strip() == "", source + ": " + of),
            "Issued": reg["issued_on"].dt.date,
            "Implemented": reg["implemented_on"].dt.date,
            "Project status": code_labels("PROJECT_STATUSES", reg["project_status"]),
        }
    )
    wide = st.column_config.TextColumn(width="large")
    tables.show_table(
        shown,
        limit=tables.SHOWN_ROWS,
        key=key,
        file_stem="recommendations",
        column_config={"Text": wide, "Planned action": wide, "Source": st.column_config.TextColumn(width="medium")},
        download=reg.drop(columns="project_id"),
    )


def show_rollup(table: pd.DataFrame, by: str, *, key: str) -> None:
    """A roll-up of :func:`monitoring.recommendations.rollup` with people's column names."""
    name = {"managing_country": "Country", "region": "Region"}[by]
    shown = pd.DataFrame(
        {
            name: table[f"{by}_name" if by == "managing_country" else "region_name"].fillna(table[by]),
            "Recommendations": table["recommendations"],
            "Open": table["open"],
            "Overdue": table["overdue"],
            "Falling due": table["due_soon"],
            "Implemented on time": table["on_time_share"],
            "Judged": table["judged"],
            "Oldest overdue (days)": table["oldest_overdue_days"],
            "Oldest overdue": table["oldest_overdue"],
        }
    )
    tables.show_table(
        shown,
        limit=tables.SHOWN_ROWS,
        key=key,
        file_stem=f"recommendations-by-{name.lower()}",
        shares=["Implemented on time"],
        # whole percent, as on the card above (Streamlit's "percent" shows 42.86% beside the card's 43%)
        column_config={"Implemented on time": st.column_config.NumberColumn(format="%.0f%%")},
        download=table,
        file_shares=["on_time_share"],
    )
