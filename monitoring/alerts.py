"""What changed for the worse between two dates: the items of the alerts digest (issue 14 part 3).

:func:`new_alerts` compares the portfolio as of ``since`` with the portfolio as of ``as_of`` (both
computed by ``evaluate_portfolio`` and ``recommendations.register`` on the same frames, so an
alert is exactly what the pages would show on the two dates) and lists, per project:

* ``off_track``: indicators off track on ``as_of`` that were not on ``since``;
* ``reports_overdue``: the ``INDICATORS_NO_DATA`` flag of a project raised, or naming other
  periods than on ``since`` (a report that fell overdue, DOMAIN.md 5);
* ``flag``: every other early-warning flag raised since, high severity first, with the money at
  stake (the project's budget in USD, else in its currency);
* ``recommendation``: recommendations that became falling due or overdue.

``key`` names an alert so it is sent once (``data_access.digest`` keeps what it sent): the kind,
the project and what the alert is about (the indicator, the flag code, the overdue periods, the
recommendation with its state and due date). Rows are ordered as the digest shows them: by
``KINDS``, then severity (flags), money at stake, project and subject.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd

from monitoring.dates import date_texts

KINDS = ("off_track", "reports_overdue", "flag", "recommendation")
KIND_TITLES = {
    "off_track": "Indicators that turned off track",
    "reports_overdue": "Reports that fell overdue",
    "flag": "Flags raised",
    "recommendation": "Recommendations falling due or overdue",
}
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
REPORTS_FLAG = "INDICATORS_NO_DATA"

ALERT_COLUMNS = (
    "kind",
    "project_id",
    "project_code",
    "subject",
    "severity",
    "text",
    "money",
    "key",
)


def new_alerts(
    before_indicators: pd.DataFrame,
    now_indicators: pd.DataFrame,
    before_flags: pd.DataFrame,
    now_flags: pd.DataFrame,
    before_register: pd.DataFrame,
    now_register: pd.DataFrame,
    projects: pd.DataFrame,
    as_of: dt.date,
) -> pd.DataFrame:
    """The alerts of ``as_of`` against the day before the window (columns :data:`ALERT_COLUMNS`).

    ``*_indicators``: ``evaluate_portfolio(...).indicators`` (``project_id``, ``indicator_code``,
    ``name``, ``status``, ``reason``); ``*_flags``: its flags; ``*_register``: ``recommendations.register``;
    ``projects``: ``evaluate_portfolio(...).projects`` as of ``as_of`` (code, budget, currency).
    """
    parts = [
        _off_track(before_indicators, now_indicators),
        _reports(before_flags, now_flags),
        _flags(before_flags, now_flags),
        _recommendations(before_register, now_register),
    ]
    out = pd.concat([p for p in parts if not p.empty], ignore_index=True) if any(not p.empty for p in parts) else None
    if out is None:
        return pd.DataFrame(columns=list(ALERT_COLUMNS))
    p = projects.set_index("project_id")
    out["project_code"] = out["project_id"].map(p["project_code"])
    out["money"] = out["project_id"].map(_money(p))
    out["key"] = out["kind"] + ":" + out["project_code"] + ":" + out["subject"]
    out = out.assign(
        _kind=out["kind"].map({k: i for i, k in enumerate(KINDS)}),
        _sev=out["severity"].map(SEVERITY_ORDER).fillna(3),
        _money=out["project_id"].map(_money_usd(p)).fillna(-1),
    ).sort_values(["_kind", "_sev", "_money", "project_code", "subject"], ascending=[True, True, False, True, True])
    return out[list(ALERT_COLUMNS)].reset_index(drop=True)


def _frame(rows: pd.DataFrame, kind: str, subject: pd.Series, text: pd.Series, severity=None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kind": kind,
            "project_id": rows["project_id"].to_numpy(),
            "subject": subject.to_numpy(),
            "severity": severity.to_numpy() if severity is not None else None,
            "text": text.to_numpy(),
        }
    )


def _off_track(before: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    was = set(before.loc[before["status"] == "off_track", "indicator_id"])
    rows = now.loc[(now["status"] == "off_track") & ~now["indicator_id"].isin(was)]
    text = rows["indicator_code"].astype(str) + " " + rows["name"].astype(str) + ": " + rows["reason"].astype(str)
    return _frame(rows, "off_track", rows["indicator_code"].astype(str), text)


def _reports(before: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    was = set(zip(*_by_code(before, REPORTS_FLAG)[["project_id", "message"]].to_numpy().T, strict=False))
    rows = _by_code(now, REPORTS_FLAG)
    rows = rows.loc[[(p, m) not in was for p, m in zip(rows["project_id"], rows["message"], strict=True)]]
    subject = rows["message"].map(lambda m: hashlib.sha256(str(m).encode()).hexdigest()[:12])
    return _frame(rows, "reports_overdue", subject, rows["message"].astype(str))


def _flags(before: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    was = set(zip(before["project_id"], before["code"], strict=True))
    rows = now.loc[now["code"] != REPORTS_FLAG]
    rows = rows.loc[[(p, c) not in was for p, c in zip(rows["project_id"], rows["code"], strict=True)]]
    return _frame(rows, "flag", rows["code"].astype(str), rows["message"].astype(str), rows["severity"])


def _recommendations(before: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    alerting = ("due_soon", "overdue")
    was = {
        (p, c, s)
        for p, c, s in zip(before["project_id"], before["recommendation_code"], before["state"], strict=True)
        if s in alerting
    }
    rows = now.loc[now["state"].isin(alerting)]
    rows = rows.loc[
        [
            (p, c, s) not in was
            for p, c, s in zip(rows["project_id"], rows["recommendation_code"], rows["state"], strict=True)
        ]
    ]
    due = pd.to_datetime(rows["due"]).dt.strftime("%Y-%m-%d")  # the alert's key: a code, not a sentence
    subject = rows["recommendation_code"].astype(str) + ":" + rows["state"] + ":" + due
    words = rows["state"].map({"due_soon": "falls due on", "overdue": "overdue since"})
    owner = rows["owner"].fillna("no owner recorded").astype(str)
    text = (
        rows["recommendation_code"].astype(str)
        + " "
        + words
        + " "
        + date_texts(rows["due"])
        + " (owner: "
        + owner
        + "): "
        + rows["text"].astype(str)
    )
    return _frame(rows, "recommendation", subject, text)


def _by_code(flags: pd.DataFrame, code: str) -> pd.DataFrame:
    return flags.loc[flags["code"] == code]


def _money_usd(projects: pd.DataFrame) -> pd.Series:
    return (
        pd.to_numeric(projects["budget_usd"], errors="coerce") if "budget_usd" in projects else pd.Series(dtype=float)
    )


def _money(projects: pd.DataFrame) -> pd.Series:
    """The project's budget as people read it: USD when converted, else in its own currency."""
    usd = _money_usd(projects)
    own = pd.to_numeric(projects.get("budget"), errors="coerce") if "budget" in projects else pd.Series(dtype=float)

    def words(pid) -> str | None:
        if pd.notna(usd.get(pid)):
            return f"budget USD {usd[pid]:,.0f}"
        if pd.notna(own.get(pid)):
            return f"budget {projects.at[pid, 'currency']} {own[pid]:,.0f}"
        return None

    return pd.Series({pid: words(pid) for pid in projects.index}, dtype=object)
