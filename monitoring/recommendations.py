"""The recommendations register (DOMAIN.md 9, flag ``RECOMMENDATIONS_OVERDUE`` of section 5).

Every evaluation and audit recommendation of the projects in view, closed projects included
(a recommendation outlives its project: the flag only looks at active projects, the register at
all of them), with its due date, its state as of D and the roll-ups by country and region.

Rules, each a decision where DOMAIN.md is silent (also in docs/follow-up.md):

* **Due date** (:func:`due_dates`, the one formula the flag uses too): the recorded due date; an
  audit recommendation without one is due ``audit_recommendation_max_days`` after issue; an
  evaluation recommendation without one has no due date and is never overdue.
* **As of D**: recommendations issued after D are not in the register yet; one implemented after
  D (``implemented_on`` > D) was still open on D. The stored status is otherwise today's.
* **Open** = status open or in progress (as of D). **Overdue** = open and due before D: due *on* D
  is not overdue yet (it is falling due). ``days_overdue`` = D − due, in days.
* **Falling due** = open, due on D or within ``recommendation_due_soon_days`` after it.
* **Implemented on time** (``on_time``): True when implemented on or before its due date; False
  when implemented after it, or when its due date has passed (by D) without implementation
  (whatever the stored status: "closed" without implementation is not implemented). Undefined
  (missing) when the management response rejected it, when it has no due date, when it is not
  due yet, or when it is implemented but the day is not recorded (never guessed).
  The share implemented on time = on-time ÷ recommendations whose ``on_time`` is defined.
* Roll-ups count a recommendation under its project's **managing** country and region
  (DOMAIN.md 1: project counts use the managing country).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from monitoring.dates import urgent_first
from monitoring.settings import Settings

OPEN_STATUSES = ("open", "in_progress")

# what the register says of each recommendation as of D, in the order a reader acts on them
STATES = ("overdue", "due_soon", "open", "implemented", "closed")
STATE_LABELS = {
    "overdue": "Overdue",
    "due_soon": "Falling due",
    "open": "Open",
    "implemented": "Implemented",
    "closed": "Closed",
}

PROJECT_COLUMNS = (
    "project_code",
    "title",
    "status",
    "managing_country",
    "managing_country_name",
    "region",
    "region_name",
)

REGISTER_COLUMNS = (
    "project_id",
    "project_code",
    "project_title",
    "project_status",
    "managing_country",
    "managing_country_name",
    "region",
    "region_name",
    "recommendation_code",
    "source",
    "evaluation_code",
    "evaluation_title",
    "evaluation_date",
    "text",
    "issued_on",
    "management_response",
    "action",
    "owner",
    "due_date",
    "due",
    "due_by_audit_rule",
    "status",
    "implemented_on",
    "state",
    "days_overdue",
    "on_time",
)

ROLLUP_COLUMNS = (
    "recommendations",
    "open",
    "overdue",
    "due_soon",
    "judged",
    "on_time",
    "on_time_share",
    "oldest_overdue_days",
    "oldest_overdue",
)


def due_dates(recs: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """``due`` (datetime64, NaT when none) and ``by_audit_rule`` (the audit default applied) per row."""
    issued = pd.to_datetime(recs["issued_on"])
    recorded = pd.to_datetime(recs["due_date"])
    by_rule = recorded.isna() & (recs["source"] == "audit")
    due = recorded.where(~by_rule, issued + pd.Timedelta(days=settings.audit_recommendation_max_days))
    return pd.DataFrame({"due": due, "by_audit_rule": by_rule.astype(bool)}, index=recs.index)


def open_as_of(recs: pd.DataFrame, as_of: dt.date) -> pd.Series:
    """Open or in progress on ``as_of``: so stored, or implemented only after ``as_of``."""
    implemented_later = (recs["status"] == "implemented") & (pd.to_datetime(recs["implemented_on"]) > _day(as_of))
    return recs["status"].isin(OPEN_STATUSES) | implemented_later


def open_recommendations(recommendations: pd.DataFrame, as_of: dt.date | None = None) -> pd.DataFrame:
    """The rows still open, in their order: status open or in progress, and (given ``as_of``) those
    implemented only after it. One rule for the Project page's "Open recommendations" list, the
    register and the overdue flag, so the list holds every recommendation the flag can fire for."""
    if as_of is None or "implemented_on" not in recommendations:
        return recommendations.loc[recommendations["status"].isin(OPEN_STATUSES)]
    return recommendations.loc[open_as_of(recommendations, as_of)]


def register(recs: pd.DataFrame, projects: pd.DataFrame, as_of: dt.date, settings: Settings) -> pd.DataFrame:
    """One row per recommendation issued on or before ``as_of`` (columns :data:`REGISTER_COLUMNS`),
    most urgent first: overdue (longest first), falling due (soonest first), open, then the rest."""
    day = _day(as_of)
    recs = recs.loc[pd.to_datetime(recs["issued_on"]) <= day]
    project = projects.set_index("project_id")[list(PROJECT_COLUMNS)].rename(
        columns={"title": "project_title", "status": "project_status"}
    )
    out = recs.join(project, on="project_id", how="inner")
    due = due_dates(out, settings)
    is_open = open_as_of(out, as_of)
    late_by = (day - due["due"]).dt.days
    overdue = is_open & (late_by > 0)
    due_soon = is_open & late_by.between(-settings.recommendation_due_soon_days, 0)
    implemented = (out["status"] == "implemented") & ~is_open
    state = pd.Series("closed", index=out.index, dtype=object)
    state = state.mask(implemented, "implemented").mask(is_open, "open").mask(due_soon, "due_soon")
    state = state.mask(overdue, "overdue")
    out = out.assign(
        due=due["due"],
        due_by_audit_rule=due["by_audit_rule"],
        state=state,
        days_overdue=late_by.where(overdue).astype("Int64"),
        on_time=_on_time(out, due["due"], implemented, day),
    )
    out = urgent_first(out, out["state"], STATES, late_by, ["project_code", "recommendation_code"])
    return out[list(REGISTER_COLUMNS)].reset_index(drop=True)


def _on_time(recs: pd.DataFrame, due: pd.Series, implemented: pd.Series, day: pd.Timestamp) -> pd.Series:
    implemented_on = pd.to_datetime(recs["implemented_on"])
    judged = (recs["management_response"] != "rejected") & due.notna()
    known = implemented & implemented_on.notna()
    value = pd.Series(pd.NA, index=recs.index, dtype="boolean")
    value = value.mask(judged & known, implemented_on <= due)
    missed = judged & ~implemented & (due < day)
    return value.mask(missed, False)


def rollup(register_rows: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per ``by`` (``managing_country`` or ``region``, with its ``*_name``): recommendations, open,
    overdue, falling due, judged and on time (see the module docstring), the share on time (NaN
    when none is judged), and the oldest overdue one (days and "PROJECT REC")."""
    name = {"managing_country": "managing_country_name", "region": "region_name"}[by]
    columns = [by, name, *ROLLUP_COLUMNS]
    if register_rows.empty:
        return pd.DataFrame(columns=columns)
    r = register_rows.assign(
        _open=register_rows["state"].isin(("overdue", "due_soon", "open")),
        _overdue=register_rows["state"] == "overdue",
        _due_soon=register_rows["state"] == "due_soon",
        _judged=register_rows["on_time"].notna(),
        _on_time=register_rows["on_time"].fillna(False).astype(bool),
        _label=register_rows["project_code"] + " " + register_rows["recommendation_code"],
    )
    grouped = r.groupby([by, name], dropna=False, sort=True)
    out = grouped.agg(
        recommendations=("recommendation_code", "size"),
        open=("_open", "sum"),
        overdue=("_overdue", "sum"),
        due_soon=("_due_soon", "sum"),
        judged=("_judged", "sum"),
        on_time=("_on_time", "sum"),
    ).reset_index()
    out["on_time_share"] = (out["on_time"] / out["judged"]).where(out["judged"] > 0)
    late = r.loc[r["_overdue"]].sort_values(["days_overdue", "_label"], ascending=[False, True], kind="stable")
    oldest = late.drop_duplicates(by).set_index(by)
    out["oldest_overdue_days"] = out[by].map(oldest["days_overdue"]).astype("Int64")
    out["oldest_overdue"] = out[by].map(oldest["_label"])
    return out.sort_values(["overdue", by], ascending=[False, True], kind="stable")[columns].reset_index(drop=True)


def _day(as_of: dt.date) -> pd.Timestamp:
    return pd.Timestamp(as_of)
