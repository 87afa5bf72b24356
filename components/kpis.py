"""The KPI row: a few numbers, each with what it counts and the rule behind it (``help``).

:class:`Kpi` is plain data so a page (or a test) can build the row from
``monitoring.evaluate.portfolio_kpis`` without Streamlit; :func:`kpi_row` renders it as bordered
``st.metric`` cards in one row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from components.charts_project import money, pct


@dataclass(frozen=True)
class Kpi:
    label: str
    value: str
    help: str
    detail: str | None = None  # a second line under the value (e.g. "of USD 12.3M budget")


def kpi_row(kpis: Sequence[Kpi]) -> None:
    for column, kpi in zip(st.columns(len(kpis)), kpis, strict=True):
        column.metric(kpi.label, kpi.value, help=kpi.help, border=True)
        if kpi.detail:
            column.caption(kpi.detail)


def portfolio_cards(k: dict[str, object]) -> list[Kpi]:
    """The Portfolio page's KPI row from ``monitoring.evaluate.portfolio_kpis``."""
    excluded = int(k.get("projects_excluded_from_usd") or 0)
    usd_note = (f"{excluded} project(s) left out: no exchange rate for {', '.join(k.get('missing_currencies') or [])}."
                if excluded else None)
    return [
        Kpi("Active projects", f"{k['active_projects']:,}",
            "Projects with status active in this view (DOMAIN.md 1).", f"of {k['projects']:,} in view"),
        Kpi("Budget (USD)", money(k["budget_usd"], "").strip(),
            "Current approved budgets converted to USD with the rate table (DOMAIN.md 3).", usd_note),
        Kpi("Delivery rate", pct(k["delivery_rate"]),
            "Spent ÷ budget in USD over the same projects; spent = expenditure in months starting on or "
            "before the as-of date (DOMAIN.md 3).", f"USD {money(k['spent_usd'], '').strip()} spent"),
        Kpi("Indicators on track", pct(k["indicators_on_track_share"]),
            "On track or achieved ÷ assessable indicators (DOMAIN.md 2.1).",
            f"of {k['assessable_indicators']:,} assessable indicators"),
        Kpi("Projects flagged high", f"{k['projects_with_high_flag']:,}",
            "Projects with at least one high-severity early-warning flag (DOMAIN.md 5).",
            f"{k['flags']:,} flags in all"),
    ]
