"""Monitoring visits against the policy (DOMAIN.md 4, 9; flag ``NO_RECENT_MONITORING_VISIT``).

The IOM Monitoring Policy asks for more frequent monitoring in high-risk contexts; DOMAIN.md sets
it as "a high-risk project with no monitoring visit in 6 months" (``monitoring_visit_max_days``,
183). Rules, each a decision where DOMAIN.md is silent (also in docs/follow-up.md):

* **High-risk** = in a high-risk context **or** with an open high risk (:func:`high_risk_reason`,
  the flag's reading too).
* **The clock** (:func:`visit_clock`, the one the flag uses): days from the last visit on or before
  D, of any type, or from the start date when never visited. Remote and third-party monitoring
  count toward the policy (the policy names remote monitoring among the ways to monitor); they
  are *counted apart* everywhere they are shown.
* **Policy state**, for active high-risk projects that have started: ``overdue`` when the clock
  is past ``monitoring_visit_max_days`` (more than: day 184 of a 183-day rule); ``due_soon`` when
  the next visit is due within ``visit_due_soon_days`` (the due day included); ``ok`` otherwise.
  ``not_required`` for active projects that are not high-risk, ``not_applicable`` for pipeline,
  closed and not yet started projects. Next visit due = last visit (or start) + the limit.
* **Visits counted** per project and office are those of the policy window: the last
  ``monitoring_visit_max_days`` days up to D, by type.
* **Open follow-ups**: visits on or before D whose follow-up status is open or in progress.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from monitoring.dates import urgent_first
from monitoring.risks import project_risk_summary, score_risks
from monitoring.settings import Settings
from reference.vocabulary import VISIT_TYPES

POLICY_STATES = ("overdue", "due_soon", "ok", "not_required", "not_applicable")
POLICY_LABELS = {
    "overdue": "Visit overdue",
    "due_soon": "Visit due soon",
    "ok": "Within the policy",
    "not_required": "Not high-risk",
    "not_applicable": "Not active",
}
# the high-risk projects the policy applies to: active, started, high-risk (the page's card and the office table)
UNDER_POLICY = ("overdue", "due_soon", "ok")
NOT_VISITED_YET = "First visit not due yet"
OPEN_FOLLOW_UPS = ("open", "in_progress")

POLICY_COLUMNS = (
    "project_id",
    "project_code",
    "title",
    "status",
    "managing_country",
    "managing_country_name",
    "region",
    "region_name",
    "high_risk",
    "high_risk_reason",
    "last_visit",
    "last_visit_type",
    "days_since",
    "next_due",
    "policy_state",
    *(f"visits_{t}" for t in VISIT_TYPES),
    "open_follow_ups",
)


def high_risk_reason(projects: pd.DataFrame) -> pd.Series:
    """ "high-risk context", "open high risk" or None per project (``high_risk_context``, ``n_high_open``)."""
    context = projects["high_risk_context"].fillna(False).astype(bool)
    risk = projects["n_high_open"].fillna(0) > 0
    reason = np.select([context, risk], ["high-risk context", "open high risk"], default=None)
    return pd.Series(reason, index=projects.index, dtype=object)


def visit_clock(projects: pd.DataFrame, visits: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """Per project (``projects`` indexed by project id, with ``start_date``): ``last_visit`` (on or
    before ``day``, NaT when none), its ``last_visit_type`` and ``days_since`` (from the start when
    never visited)."""
    dates = pd.to_datetime(visits["visit_date"])
    known = visits.assign(visit_date=dates).loc[dates <= day].sort_values(["visit_date", "visit_type"])
    last = known.drop_duplicates("project_id", keep="last").set_index("project_id")
    last_visit = last["visit_date"].reindex(projects.index)
    since = last_visit.fillna(pd.to_datetime(projects["start_date"]))
    return pd.DataFrame(
        {
            "last_visit": last_visit,
            "last_visit_type": last["visit_type"].reindex(projects.index),
            "days_since": (day - since).dt.days,
        },
        index=projects.index,
    )


def policy(
    projects: pd.DataFrame, visits: pd.DataFrame, risks: pd.DataFrame, as_of: dt.date, settings: Settings
) -> pd.DataFrame:
    """One row per project (columns :data:`POLICY_COLUMNS`), overdue first (longest first), then
    due soon (soonest first), then the rest by project code."""
    day = pd.Timestamp(as_of)
    p = projects.set_index("project_id", drop=False)
    summary = project_risk_summary(score_risks(risks, settings), p["project_id"]).set_index("project_id")
    reason = high_risk_reason(p.assign(n_high_open=summary["n_high_open"].reindex(p.index)))
    clock = visit_clock(p, visits, day)
    limit = settings.monitoring_visit_max_days
    started = (p["status"] == "active") & (pd.to_datetime(p["start_date"]) <= day)
    overdue = started & reason.notna() & (clock["days_since"] > limit)
    due_soon = started & reason.notna() & ~overdue & (clock["days_since"] >= limit - settings.visit_due_soon_days)
    state = np.select(
        [~started, reason.isna(), overdue, due_soon],
        ["not_applicable", "not_required", "overdue", "due_soon"],
        default="ok",
    )
    window = visits.loc[pd.to_datetime(visits["visit_date"]).between(day - pd.Timedelta(days=limit), day)]
    counts = pd.crosstab(window["project_id"], window["visit_type"]).reindex(
        index=p.index, columns=list(VISIT_TYPES), fill_value=0
    )
    follow = open_follow_ups(visits, as_of)
    out = p.assign(
        high_risk=reason.notna(),
        high_risk_reason=reason,
        last_visit=clock["last_visit"],
        last_visit_type=clock["last_visit_type"],
        days_since=clock["days_since"].astype("Int64"),
        next_due=clock["last_visit"].fillna(pd.to_datetime(p["start_date"])) + pd.Timedelta(days=limit),
        policy_state=state,
        open_follow_ups=follow.groupby("project_id").size().reindex(p.index, fill_value=0).astype(int),
        **{f"visits_{t}": counts[t].astype(int) for t in VISIT_TYPES},
    )
    out = urgent_first(out, out["policy_state"], POLICY_STATES, out["days_since"] - limit, ["project_code"])
    return out[list(POLICY_COLUMNS)].reset_index(drop=True)


def policy_labels(policy_rows: pd.DataFrame) -> pd.Series:
    """The state against the policy in words; a project within the policy that was never visited says
    so (its clock runs from the start), rather than claiming a visit that never happened."""
    never = (policy_rows["policy_state"] == "ok") & policy_rows["last_visit"].isna()
    return policy_rows["policy_state"].map(POLICY_LABELS).mask(never, NOT_VISITED_YET)


def open_follow_ups(visits: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Visits on or before ``as_of`` whose follow-up is open or in progress, oldest first."""
    dates = pd.to_datetime(visits["visit_date"])
    rows = visits.loc[(dates <= pd.Timestamp(as_of)) & visits["follow_up_status"].isin(OPEN_FOLLOW_UPS)]
    return rows.sort_values(["visit_date", "project_id"], kind="stable")


def office_rollup(policy_rows: pd.DataFrame) -> pd.DataFrame:
    """Per managing country: active projects that have started, the high-risk ones among them (the
    projects the policy applies to: the page's card counts the same, so the office rows add up to it),
    visits overdue and due soon, visits in the policy window by type, open follow-ups; most overdue
    first."""
    columns = [
        "managing_country",
        "managing_country_name",
        "region",
        "active",
        "high_risk",
        "overdue",
        "due_soon",
        *(f"visits_{t}" for t in VISIT_TYPES),
        "open_follow_ups",
    ]
    if policy_rows.empty:
        return pd.DataFrame(columns=columns)
    state = policy_rows["policy_state"]
    r = policy_rows.assign(
        _active=state != "not_applicable",
        _high_risk=state.isin(UNDER_POLICY),
        _overdue=state == "overdue",
        _due_soon=state == "due_soon",
    )
    out = (
        r.groupby(["managing_country", "managing_country_name", "region"], dropna=False)
        .agg(
            active=("_active", "sum"),
            high_risk=("_high_risk", "sum"),
            overdue=("_overdue", "sum"),
            due_soon=("_due_soon", "sum"),
            **{f"visits_{t}": (f"visits_{t}", "sum") for t in VISIT_TYPES},
            open_follow_ups=("open_follow_ups", "sum"),
        )
        .reset_index()
    )
    out = out.sort_values(["overdue", "managing_country"], ascending=[False, True], kind="stable")
    return out[columns].reset_index(drop=True)
