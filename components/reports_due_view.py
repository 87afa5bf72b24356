"""The Reports due page's content: the periods whose report is due soon or overdue
(``monitoring.reporting.reports_due``), counts first, then the to-do list with downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.tables import show_table
from monitoring.reporting import reports_due

STATE_LABELS = {"due": "Due", "overdue": "Overdue"}


def due_display(table: pd.DataFrame) -> pd.DataFrame:
    """The list with people's column names, most overdue first (the order given)."""
    return pd.DataFrame(
        {
            "State": table["state"].map(STATE_LABELS),
            "Days overdue": table["days_overdue"].astype("int64"),
            "Project": table["project_code"],
            "Indicator": table["indicator_code"].astype(str) + " · " + table["name"].astype(str),
            "Period start": table["period_start"],
            "Period end": table["period_end"],
            "Due by": table["due_date"],
        }
    ).reset_index(drop=True)


def show(ctx) -> None:
    frames = ctx.frames()
    ctx.stop_if_empty(frames)
    grace = ctx.settings.reporting_grace_days
    table = reports_due(frames.indicators, frames.targets, frames.actuals, frames.projects, ctx.as_of, grace)
    overdue = int((table["state"] == "overdue").sum())
    left, middle, right = st.columns(3)
    left.metric("Reports overdue", f"{overdue:,}")
    middle.metric("Reports due soon", f"{len(table) - overdue:,}")
    right.metric("Projects concerned", f"{table['project_id'].nunique():,}")
    if table.empty:
        st.success("No report is due or overdue for this selection.", icon=":material/check_circle:")
    else:
        show_table(due_display(table), key="reports_due", file_stem=f"reports-due-{ctx.as_of.isoformat()}")
    st.caption(
        f"How this is computed: a period's report is due once the period has ended and by {grace - 1} days "
        f"after its end; from {grace} days after, it is overdue and counts in the indicator's status reason "
        "('n of m reports overdue'). Periods are the indicator's target periods, else those of "
        "its reporting frequency within the project's dates; a report in for the period clears it."
    )
