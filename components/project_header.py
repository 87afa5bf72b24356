"""The Project page's header: title, status badges, dates and time elapsed, money, people and markers,
and the data completeness score (DOMAIN.md 8).

Every figure is a column of the project's row of ``evaluate_portfolio(...).projects``; the header
only words them. With no expenditure row the money line says "spending not reported" once the
project has started (unknown, never "spent 0 (0%)") and "no expenditure yet" before its start.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import charts_project as charts
from components.badges import badge
from components.labels import code_label, marker_code_label
from components.plain_text import literal
from monitoring.dates import current_end, date_text


def spending_text(row: pd.Series, currency: str) -> str:
    """The money line's second half: spent and burn, or why there is none."""
    if row["expenditure_reported"]:
        return f"spent {charts.money(row['spent'], currency)} ({charts.pct(row['burn'])})"
    return "spending not reported" if row["burn_status"] == "not_reported" else "no expenditure yet"


def show_header(ctx, detail, evaluation) -> None:
    p, row = detail.project, evaluation.projects.iloc[0]
    pframes = detail.portfolio
    currency = str(p["currency"])
    st.subheader(literal(f"{p['project_code']} · {p['title']}"))
    end = current_end(p["end_date"], p["revised_end_date"])
    extension = f" (revised from {date_text(p['end_date'])})" if pd.notna(p["revised_end_date"]) else ""
    markers = pframes.markers.loc[pframes.markers["project_id"] == p["project_id"]]
    st.markdown(
        f"{badge(row['results_status']).markdown} results · {badge(row['burn_status']).markdown} spending · "
        f"**{p['status'].capitalize()}** · {p['managing_country_name']} ({p['region_name']})"
        + (" · :red-badge[:material/crisis_alert: High-risk context]" if bool(p["high_risk_context"]) else "")
    )
    left, middle, right = st.columns(3)
    left.markdown(
        f"**Dates** {date_text(p['start_date'])} → {date_text(end)}{extension}  \n"
        f"**Time elapsed** {charts.pct(row['elapsed'])} as of {date_text(ctx.as_of)}"
    )
    middle.markdown(
        f"**Budget** {charts.money(row['budget'], currency)} · {spending_text(row, currency)}  \n"
        f"**Donors** {literal(p['donors']) if isinstance(p['donors'], str) else '–'}"
    )
    marker_text = ", ".join(
        f"{code_label('MARKER_SCHEMES', s)} {marker_code_label(s, c)}"
        for s, c in zip(markers["scheme"], markers["code"], strict=True)
    )
    right.markdown(
        f"**Manager** {literal(p['manager'] or '–')} · **Theme** {literal(p['thematic_area'] or '–')}  \n"
        f"**Markers** {marker_text or 'none recorded'}"
    )
    # DOMAIN.md 8: a completeness score on every project (share of its indicators without a data-quality issue)
    n_issues = int(row["n_indicators_with_issues"]) if pd.notna(row.get("n_indicators_with_issues")) else 0
    st.caption(
        f"**Data completeness** {charts.pct(row['completeness'])} of indicators without a data-quality issue"
        + (f" ({n_issues} with issues: see the Data quality tab)" if n_issues else "")
        if len(pframes.indicators)
        else "**Data completeness** 0%: no indicator recorded",
        help="Share of the project's indicators with no data-quality issue (missing baseline or target, target "
        "equal to baseline, no unit, no sex breakdown, implausible values, breakdowns that do not add up).",
    )
