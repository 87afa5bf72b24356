"""The Visits page's rendering: KPI row, filters, projects against the policy, offices, follow-ups.

The policy rules (high-risk, the clock, overdue, due soon, the counting window) are
``monitoring.visits``; this module labels them for people and narrows them by the page's filters.
Findings typed by people are shown in table cells, never as Markdown.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import kpis, tables
from components.frame import url_bound, write_url
from components.labels import code_labels
from monitoring.visits import POLICY_LABELS, POLICY_STATES, UNDER_POLICY, policy_labels
from reference.vocabulary import VISIT_TYPES

TYPE_COLUMNS = {
    f"visits_{t}": label for t, label in zip(VISIT_TYPES, ("On-site", "Remote", "Third-party"), strict=True)
}


def kpi_row(table: pd.DataFrame, follow_ups: pd.DataFrame, limit: int) -> None:
    """High-risk projects, visits overdue and due soon, visits in the window by type, open follow-ups."""
    active_high = table["policy_state"].isin(UNDER_POLICY)
    visits = {label: int(table[column].sum()) for column, label in TYPE_COLUMNS.items()}
    kpis.kpi_row(
        [
            kpis.Kpi(
                "High-risk projects",
                f"{int(active_high.sum()):,}",
                "Active projects that have started, in a high-risk context or with an open high risk.",
                f"of {int((table['policy_state'] != 'not_applicable').sum()):,} active",
            ),
            kpis.Kpi(
                "Visit overdue",
                f"{int((table['policy_state'] == 'overdue').sum()):,}",
                f"High-risk projects with no monitoring visit for more than {limit} days.",
                f"{int((table['policy_state'] == 'due_soon').sum()):,} due soon",
            ),
            kpis.Kpi(
                f"Visits, last {limit} days",
                f"{sum(visits.values()):,}",
                "Monitoring visits of every project in view in the policy window, by type.",
                " · ".join(f"{label} {n:,}" for label, n in visits.items()),
            ),
            kpis.Kpi(
                "Open follow-ups",
                f"{len(follow_ups):,}",
                "Visits whose findings' follow-up is open or in progress.",
                None,
            ),
        ]
    )


def filtered(table: pd.DataFrame) -> pd.DataFrame:
    """The projects narrowed by office and policy state (both in the URL)."""
    offices = dict(
        table[["managing_country", "managing_country_name"]]
        .drop_duplicates()
        .sort_values("managing_country_name")
        .values
    )
    url_bound("vis_office", "office", lambda raw: [o for o in raw if o in offices])
    url_bound("vis_state", "visit", lambda raw: [s for s in raw if s in POLICY_STATES])
    office_col, state_col = st.columns(2)
    chosen = office_col.multiselect(
        "Office (managing country)", list(offices), format_func=offices.get, key="vis_office", placeholder="All"
    )
    states = state_col.multiselect(
        "Against the policy", list(POLICY_STATES), format_func=POLICY_LABELS.get, key="vis_state", placeholder="All"
    )
    write_url("office", chosen)
    write_url("visit", states)
    keep = pd.Series(True, index=table.index)
    if chosen:
        keep &= table["managing_country"].isin(chosen)
    if states:
        keep &= table["policy_state"].isin(states)
    return table.loc[keep]


def show_projects(table: pd.DataFrame) -> None:
    if table.empty:
        st.caption("No project matches this selection.")
        return
    shown = pd.DataFrame(
        {
            "Against the policy": policy_labels(table),
            "Days since last visit": table["days_since"],
            "Next visit due": table["next_due"].dt.date,
            "Project": table["project_code"],
            "Office": table["managing_country_name"],
            "High-risk because": table["high_risk_reason"],
            "Last visit": table["last_visit"].dt.date,
            "Last visit type": code_labels("VISIT_TYPES", table["last_visit_type"]).where(
                table["last_visit"].notna(), "Never visited"
            ),
            **{label: table[column] for column, label in TYPE_COLUMNS.items()},
            "Open follow-ups": table["open_follow_ups"],
            "Title": table["title"],
        }
    )
    tables.show_table(
        shown,
        limit=tables.SHOWN_ROWS,
        key="vis_projects",
        file_stem="visits-policy",
        download=table.drop(columns="project_id"),
    )


def show_offices(rollup: pd.DataFrame) -> None:
    shown = pd.DataFrame(
        {
            "Office": rollup["managing_country_name"].fillna(rollup["managing_country"]),
            "Active projects": rollup["active"],
            "High-risk": rollup["high_risk"],
            "Visit overdue": rollup["overdue"],
            "Visit due soon": rollup["due_soon"],
            **{label: rollup[column] for column, label in TYPE_COLUMNS.items()},
            "Open follow-ups": rollup["open_follow_ups"],
        }
    )
    tables.show_table(shown, limit=tables.SHOWN_ROWS, key="vis_offices", file_stem="visits-by-office", download=rollup)


def show_follow_ups(follow_ups: pd.DataFrame, projects: pd.DataFrame) -> None:
    if follow_ups.empty:
        st.caption("No visit finding waits for follow-up.")
        return
    p = projects.set_index("project_id")
    shown = pd.DataFrame(
        {
            "Visit": pd.to_datetime(follow_ups["visit_date"]).dt.date,
            "Project": follow_ups["project_id"].map(p["project_code"]),
            "Office": follow_ups["project_id"].map(p["managing_country_name"]),
            "Type": code_labels("VISIT_TYPES", follow_ups["visit_type"]),
            "Findings": follow_ups["findings"],
            "Follow-up": code_labels("FOLLOW_UP_STATUSES", follow_ups["follow_up_status"]),
        }
    )
    tables.show_table(
        shown,
        limit=tables.SHOWN_ROWS,
        key="vis_follow_ups",
        file_stem="visit-follow-ups",
        column_config={"Findings": st.column_config.TextColumn(width="large")},
    )
