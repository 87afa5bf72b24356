"""The KPI row: a few numbers, each with what it counts and the rule behind it (``help``).

:class:`Kpi` is plain data so a page (or a test) can build the row from
``monitoring.evaluate.portfolio_kpis`` without Streamlit; :func:`kpi_row` renders it as bordered
``st.metric`` cards in one row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from components.badges import label
from components.charts_common import count
from components.charts_project import money, pct
from components.labels import flag_label
from monitoring.dates import date_text
from monitoring.evaluate import PortfolioKpis


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


def nothing_reported(k: PortfolioKpis) -> bool:
    """No started project in view reported spending while budgets are known (an IATI file of budgets
    only): the budget cards then show that budget and say spending is not reported, never "USD 0"."""
    return not k.budget_usd and bool(k.budget_not_reported_usd)


def money_gaps(k: PortfolioKpis, as_of, listed: str) -> None:
    """The money the Budget and Delivery cards leave out, said under them (Portfolio and Finance):
    projects without an exchange rate, and started projects that reported no expenditure. Only the
    cards' help said it on the Portfolio, where a browser review of four real IATI files found
    leadership reading a Budget of USD 750k while USD 402.6M of started projects had reported no
    spending (most IATI publishers give budgets, few give expenditure) and the EUR and GBP projects
    had no rate. ``listed``: where the page lists the projects without expenditure."""
    if k.projects_excluded_from_usd:
        st.warning(
            f"**{count(k.projects_excluded_from_usd, 'projects')} "
            f"{'is' if k.projects_excluded_from_usd == 1 else 'are'} left out of every USD total**: no exchange "
            f"rate for {', '.join(k.missing_currencies)} on or before {date_text(as_of)}. Add the rates "
            "on the [Data page](/data-import); amounts are never added across currencies.",
            icon=":material/currency_exchange:",
        )
    n_silent = k.n_not_reported + k.n_not_reported_managed_elsewhere
    if n_silent:
        st.warning(
            f"**{count(n_silent, 'projects')} {'has' if n_silent == 1 else 'have'} not reported any expenditure** "
            f"since {'its' if n_silent == 1 else 'their'} start: burn and forecast are unknown (“Not reported”, "
            f"never 0%), and {money(k.budget_not_reported_usd, 'USD')} of budget is left out of spent and "
            f"delivery. Active projects are flagged “{flag_label('EXPENDITURE_NOT_REPORTED')}” once their first "
            f"full calendar month has ended and listed under “Expenditure not reported” {listed}.",
            icon=":material/money_off:",
        )


def budget_shown(k: PortfolioKpis, currency: str = "") -> str:
    """The budget a card shows: of the projects in delivery, or, when none reported spending, of the
    started projects whose spending is not reported (:func:`nothing_reported`)."""
    return money(k.budget_not_reported_usd if nothing_reported(k) else k.budget_usd, currency).strip()


def spent_shown(k: PortfolioKpis, currency: str = "") -> str:
    """Spending a card shows: "not reported" rather than 0 when no started project reported any."""
    return "Not reported" if nothing_reported(k) else money(k.spent_usd, currency).strip()


def portfolio_cards(k: PortfolioKpis, where: str | None = None) -> list[Kpi]:
    """The Portfolio page's KPI row from ``monitoring.evaluate.portfolio_kpis``.

    ``where`` names the countries the money is attributed to ("Senegal", "8 countries of West and
    Central Africa"); ``None`` when the view has no country boundary and projects count in full.
    Labels stay short enough for a 1280 px screen (five cards of ~150 px); what each card counts
    exactly is the line under it and the help text: budget and delivery cover started projects only,
    the money attributed to ``where`` (a multi-country project managed elsewhere by its share).
    """
    excluded = k.projects_excluded_from_usd
    usd_note = (
        f" {count(excluded, 'projects')} left out: no exchange rate for {', '.join(k.missing_currencies)}."
        if excluded
        else ""
    )
    elsewhere = k.active_projects_managed_elsewhere
    attributed = f"attributed to {where}" if where else "all projects in full"
    not_started = k.budget_not_started_usd
    waiting = f"; USD {money(not_started, '').strip()} not started" if not_started else ""
    silent_budget = k.budget_not_reported_usd
    waiting += f"; USD {money(silent_budget, '').strip()} without expenditure reported" if silent_budget else ""
    silent = k.n_not_reported + k.n_not_reported_managed_elsewhere
    unreported = f" · {silent:,} not reported, left out" if silent else ""
    # a budget known while no started project reported spending (an IATI file of budgets only): the
    # card shows that budget and says spending is not reported, never "USD 0"
    budget_value, budget_detail = budget_shown(k), f"{attributed}{waiting}"
    if nothing_reported(k):
        budget_detail = f"{attributed}; spending not reported ({silent:,} started project{'s' if silent != 1 else ''})"
    return [
        Kpi(
            "Active projects",
            f"{k.active_projects:,}",
            "Active projects that have started, counted once under their managing country"
            + ("; projects managed from another country and implemented here are counted apart." if where else "."),
            f"{elsewhere:,} more managed elsewhere" if elsewhere else f"of {k.projects:,} in view",
        ),
        Kpi(
            "Budget (USD)",
            budget_value,
            f"Current approved budgets of the started projects in USD, {attributed}: a "
            "multi-country project counts with its share of the money by country percentages. "
            "Pipeline and not-yet-started projects, and started projects with no expenditure recorded (their "
            "delivery is unknown), are shown apart; when no started project reported spending, the card shows "
            "their budget and says spending is not reported." + usd_note,
            budget_detail,
        ),
        Kpi(
            "Delivery",
            pct(k.delivery_rate),
            "Spent ÷ budget in USD over started projects, same attribution as the budget; spent = expenditure "
            "in months starting on or before the as-of date. Started projects with no expenditure "
            "recorded at all are left out of both (spending unknown, not 0) and counted under the number.",
            (
                f"spending not reported by {silent:,} started project{'s' if silent != 1 else ''}"
                if nothing_reported(k)
                else f"of started projects · USD {money(k.spent_usd, '').strip()} spent{unreported}"
            ),
        ),
        Kpi(
            "On track",
            pct(k.indicators_on_track_or_achieved_share),
            "Indicators on track or achieved ÷ assessable indicators (those achieved, on track, at risk or off track), "
            "over every project in view.",
            f"indicators on track or achieved, of {k.assessable_indicators:,} assessable",
        ),
        Kpi(
            "Flagged high",
            f"{k.projects_with_high_flag:,}",
            "Projects with at least one high-severity early-warning flag (e.g. results off track, overspending, "
            "ending soon with low delivery).",
            f"projects · {k.flags:,} flags in all",
        ),
    ]


def off_track_cards(
    counts: dict[str, int], n_concerned: int, n_projects: int, n_overdue: int, who: str, settings
) -> list[Kpi]:
    """The Off-track page's KPI row: indicators off track, at risk, without data, with overdue
    reports (every status: an on-track indicator can miss a report too) and the projects concerned.

    ``counts`` is ``data_access.evaluated.AttentionCounts.counts`` of the list; ``who`` the sex the
    statuses are for ("" or " for women and girls"); ``settings`` the thresholds in force.
    """
    return [
        Kpi(
            label("off_track"),
            f"{counts['off_track']:,}",
            f"Indicators off track{who}: progress below {settings.off_track_below:.0%} of what was expected by the "
            "reporting cut-off.",
        ),
        Kpi(
            label("at_risk"),
            f"{counts['at_risk']:,}",
            f"Indicators at risk{who}: progress between {settings.off_track_below:.0%} and "
            f"{settings.on_track_min:.0%} of what was expected by the reporting cut-off.",
        ),
        Kpi(
            label("no_data"),
            f"{counts['no_data']:,}",
            "Indicators with something expected by the reporting cut-off but no actual reported for any "
            "period started.",
        ),
        Kpi(
            "With reports overdue",
            f"{n_overdue:,}",
            f"Indicators in view (any status) with at least one period whose report is overdue: ended "
            f"{settings.reporting_grace_days} days or more ago with no actual.",
        ),
        Kpi(
            "Projects concerned",
            f"{n_concerned:,}",
            f"Projects with at least one indicator listed below, of {n_projects:,} in view.",
        ),
    ]
