"""What the digest reports (monitoring/alerts.py): what turned for the worse between two dates.

=====================  ==============================  ==============================  ===============
item                   before (since)                  now (as of)                     alert?
=====================  ==============================  ==============================  ===============
P1 I1                  on track                        off track                       yes
P1 I2                  off track                       off track                       no (not new)
P2 I3                  at risk                         off track                       yes
P1 OVERSPENDING        raised                          raised                          no
P1 OVER_BUDGET (high)  -                               raised                          yes
P2 NO_RISK_REGISTER    -                               raised (medium)                 yes
P2 INDICATORS_NO_DATA  I3 overdue                      I3 and I4 overdue               yes (a report)
P1 INDICATORS_NO_DATA  -                               I2 overdue                      yes (a report)
P1 rec A               open                            falling due                     yes
P2 rec B               falling due                     overdue                         yes (new state)
P1 rec C               overdue                         overdue                         no
=====================  ==============================  ==============================  ===============

P2's budget (USD 5M) is larger than P1's (USD 2M): within a kind and severity P2 comes first.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from monitoring.alerts import ALERT_COLUMNS, new_alerts

AS_OF = dt.date(2025, 6, 30)


def _indicators(statuses: dict[int, str]) -> pd.DataFrame:
    project = {1: 1, 2: 1, 3: 2}
    return pd.DataFrame(
        [
            {
                "indicator_id": i,
                "project_id": project[i],
                "indicator_code": f"I{i}",
                "name": f"Indicator {i}",
                "status": s,
                "reason": f"reason {i}",
            }
            for i, s in statuses.items()
        ]
    )


def _flags(rows: list[tuple[int, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["project_id", "code", "severity", "message"])


def _register(rows: list[tuple[int, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "project_id": p,
                "recommendation_code": c,
                "state": s,
                "due": pd.Timestamp(2025, 7, 10) if s == "due_soon" else pd.Timestamp(2025, 6, 1),
                "owner": "Ann" if c != "B" else None,
                "text": f"Do {c}",
            }
            for p, c, s in rows
        ]
    )


PROJECTS = pd.DataFrame(
    {
        "project_id": [1, 2],
        "project_code": ["P1", "P2"],
        "budget": [2e6, 5e6],
        "budget_usd": [2e6, 5e6],
        "currency": ["USD", "USD"],
    }
)
NO_DATA_I3 = "1 indicator with no actual for a target period ended over 30 days ago: I3 (period ending 2025-03-31)"
NO_DATA_I3_I4 = "2 indicators with no actual ...: I3 (period ending 2025-03-31), I4 (period ending 2025-04-30)"


def _alerts() -> pd.DataFrame:
    return new_alerts(
        _indicators({1: "on_track", 2: "off_track", 3: "at_risk"}),
        _indicators({1: "off_track", 2: "off_track", 3: "off_track"}),
        _flags([(1, "OVERSPENDING", "medium", "spent"), (2, "INDICATORS_NO_DATA", "medium", NO_DATA_I3)]),
        _flags(
            [
                (1, "OVERSPENDING", "medium", "spent more"),
                (1, "OVER_BUDGET", "high", "spent 120%"),
                (2, "NO_RISK_REGISTER", "medium", "no risks"),
                (2, "INDICATORS_NO_DATA", "medium", NO_DATA_I3_I4),
                (1, "INDICATORS_NO_DATA", "medium", "1 indicator ...: I2 (period ending 2025-04-30)"),
            ]
        ),
        _register([(1, "A", "open"), (2, "B", "due_soon"), (1, "C", "overdue")]),
        _register([(1, "A", "due_soon"), (2, "B", "overdue"), (1, "C", "overdue")]),
        PROJECTS,
        AS_OF,
    )


def test_what_is_new_in_digest_order():
    alerts = _alerts()
    assert list(alerts.columns) == list(ALERT_COLUMNS)
    assert list(zip(alerts["kind"], alerts["project_code"], strict=True)) == [
        ("off_track", "P2"),
        ("off_track", "P1"),
        ("reports_overdue", "P2"),
        ("reports_overdue", "P1"),
        ("flag", "P1"),  # high first, whatever the money
        ("flag", "P2"),
        ("recommendation", "P2"),
        ("recommendation", "P1"),
    ]
    flags = alerts.loc[alerts["kind"] == "flag"]
    assert flags["subject"].tolist() == ["OVER_BUDGET", "NO_RISK_REGISTER"]
    assert flags["money"].tolist() == ["budget USD 2,000,000", "budget USD 5,000,000"]


def test_keys_name_what_the_alert_is_about():
    keys = _alerts()["key"].tolist()
    assert "off_track:P1:I1" in keys and "flag:P1:OVER_BUDGET" in keys
    assert "recommendation:P2:B:overdue:2025-06-01" in keys
    assert "recommendation:P1:A:due_soon:2025-07-10" in keys
    assert len(set(keys)) == len(keys)


def test_recommendation_text_names_owner_and_date():
    rec = _alerts().set_index("subject").loc["B:overdue:2025-06-01"]
    assert rec["text"] == "B overdue since 1 Jun 2025 (owner: no owner recorded): Do B"


def test_nothing_new_gives_an_empty_table():
    same = _indicators({1: "off_track"})
    flags = _flags([(1, "OVER_BUDGET", "high", "x")])
    reg = _register([(1, "C", "overdue")])
    out = new_alerts(same, same, flags, flags, reg, reg, PROJECTS, AS_OF)
    assert out.empty and list(out.columns) == list(ALERT_COLUMNS)
