"""Monitoring visits against the policy (monitoring/visits.py), computed by hand.

As of 2025-06-30, limit 183 days (more than 183 is overdue), due soon within 30 days; every
project active from 2024-01-01 unless said otherwise. The policy window for counting visits is
2024-12-29 .. 2025-06-30 (183 days back).

=======  =======  ============================================  ================================
project  country  situation                                     expected
=======  =======  ============================================  ================================
V1       KEN      high-risk context, on-site 2024-12-31          181 days: due soon (due 2025-07-02)
V2       KEN      high-risk context, remote 2024-12-28           184 days: overdue
V3       KEN      high-risk context, on-site 2024-12-29          183 days: due soon (due today)
V4       KEN      open high risk 5 × 4, never visited            546 days since the start: overdue
V5       UGA      open risk 3 × 3 only, on-site 2024-03-01       not high-risk: not required
V6       UGA      closed, high-risk context                     not applicable
V7       UGA      high-risk context, starts 2025-03-01, no visit  121 days: ok (due 2025-08-31)
V8       UGA      high-risk, on-site 2025-05-01, third-party     29 days: ok; a visit on 2025-07-10
                  2025-06-01 (follow-up in progress)             (after D) is not counted
=======  =======  ============================================  ================================
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from monitoring.frames import frame
from monitoring.settings import Settings
from monitoring.visits import UNDER_POLICY, office_rollup, policy, policy_labels

D = dt.date
AS_OF = D(2025, 6, 30)


def _project(pid, country, *, context=True, status="active", start=D(2024, 1, 1)):
    return {
        "project_id": pid,
        "project_code": f"V{pid}",
        "title": f"Project V{pid}",
        "status": status,
        "start_date": start,
        "end_date": D(2026, 12, 31),
        "high_risk_context": context,
        "managing_country": country,
        "managing_country_name": {"KEN": "Kenya", "UGA": "Uganda"}[country],
        "region": "RE",
    }


PROJECTS = frame(
    "projects",
    [
        _project(1, "KEN"),
        _project(2, "KEN"),
        _project(3, "KEN"),
        _project(4, "KEN", context=False),
        _project(5, "UGA", context=False),
        _project(6, "UGA", status="closed"),
        _project(7, "UGA", start=D(2025, 3, 1)),
        _project(8, "UGA"),
    ],
)


def _visit(pid, day, kind="on_site", follow="none_needed"):
    return {"project_id": pid, "visit_date": day, "visit_type": kind, "findings": "x", "follow_up_status": follow}


VISITS = frame(
    "visits",
    [
        _visit(1, D(2024, 12, 31), follow="open"),
        _visit(2, D(2024, 12, 28), "remote"),
        _visit(3, D(2024, 12, 29)),
        _visit(5, D(2024, 3, 1)),
        _visit(8, D(2025, 5, 1)),
        _visit(8, D(2025, 6, 1), "third_party", follow="in_progress"),
        _visit(8, D(2025, 7, 10), follow="open"),
    ],
)
RISKS = frame(
    "risks",
    [
        {"project_id": 4, "risk_code": "R1", "likelihood": 5, "impact": 4, "status": "open", "category": "political"},
        {"project_id": 5, "risk_code": "R1", "likelihood": 3, "impact": 3, "status": "open", "category": "political"},
    ],
)


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return policy(PROJECTS, VISITS, RISKS, AS_OF, Settings())


@pytest.mark.parametrize(
    ("code", "state", "days", "next_due", "reason"),
    [
        ("V1", "due_soon", 181, D(2025, 7, 2), "high-risk context"),
        ("V2", "overdue", 184, D(2025, 6, 29), "high-risk context"),
        ("V3", "due_soon", 183, D(2025, 6, 30), "high-risk context"),
        ("V4", "overdue", 546, D(2024, 7, 2), "open high risk"),
        ("V5", "not_required", 486, D(2024, 8, 31), None),
        ("V6", "not_applicable", 546, D(2024, 7, 2), "high-risk context"),
        ("V7", "ok", 121, D(2025, 8, 31), "high-risk context"),
        ("V8", "ok", 29, D(2025, 12, 1), "high-risk context"),
    ],
)
def test_policy_state_per_project(table, code, state, days, next_due, reason):
    row = table.set_index("project_code").loc[code]
    assert row["policy_state"] == state
    assert row["days_since"] == days
    assert row["next_due"] == pd.Timestamp(next_due)
    assert row["high_risk_reason"] == reason


def test_last_visit_ignores_visits_after_the_as_of_date(table):
    row = table.set_index("project_code").loc["V8"]
    assert row["last_visit"] == pd.Timestamp(2025, 6, 1) and row["last_visit_type"] == "third_party"
    assert pd.isna(table.set_index("project_code").loc["V4", "last_visit"])


def test_visits_in_the_policy_window_are_counted_by_type(table):
    t = table.set_index("project_code")
    assert t.loc["V8", ["visits_on_site", "visits_remote", "visits_third_party"]].tolist() == [1, 0, 1]
    assert t.loc["V2", ["visits_on_site", "visits_remote", "visits_third_party"]].tolist() == [0, 0, 0]  # 184 days
    assert t.loc["V3", "visits_on_site"] == 1  # 183 days back: the window's first day
    assert t.loc["V1", "open_follow_ups"] == 1 and t.loc["V8", "open_follow_ups"] == 1


def test_overdue_first_longest_first_then_due_soon_soonest_first(table):
    assert table["project_code"].tolist() == ["V4", "V2", "V3", "V1", "V7", "V8", "V5", "V6"]


def test_due_soon_window_follows_the_setting():
    t = policy(PROJECTS, VISITS, RISKS, AS_OF, Settings(visit_due_soon_days=1)).set_index("project_code")
    assert t.loc["V3", "policy_state"] == "due_soon" and t.loc["V1", "policy_state"] == "ok"


def test_office_rollup(table):
    t = office_rollup(table).set_index("managing_country")
    ken, uga = t.loc["KEN"], t.loc["UGA"]
    assert (ken["active"], ken["high_risk"], ken["overdue"], ken["due_soon"]) == (4, 4, 2, 2)
    assert (ken["visits_on_site"], ken["visits_remote"], ken["visits_third_party"], ken["open_follow_ups"]) == (
        2,
        0,
        0,
        1,
    )
    # V6 is closed: high-risk by context, but the policy does not apply to it
    assert (uga["active"], uga["high_risk"], uga["overdue"], uga["due_soon"]) == (3, 2, 0, 0)
    assert (uga["visits_on_site"], uga["visits_third_party"], uga["open_follow_ups"]) == (1, 1, 1)
    assert list(t.index) == ["KEN", "UGA"]


def test_the_office_rows_add_up_to_the_card(table):
    """The page's card says "N high-risk projects of M active"; the office table beside it must agree."""
    offices = office_rollup(table)
    assert offices["high_risk"].sum() == table["policy_state"].isin(UNDER_POLICY).sum() == 6
    assert offices["active"].sum() == (table["policy_state"] != "not_applicable").sum() == 7


def test_a_never_visited_project_is_not_called_visited(table):
    labels = pd.Series(policy_labels(table).values, index=table["project_code"])
    assert labels["V7"] == "First visit not due yet"  # started 2025-03-01, no visit
    assert labels["V8"] == "Within the policy"
    assert labels["V4"] == "Visit overdue" and labels["V6"] == "Not active"
    assert not labels.str.contains("Visited").any()


def test_empty():
    empty = policy(PROJECTS.iloc[0:0], VISITS.iloc[0:0], RISKS.iloc[0:0], AS_OF, Settings())
    assert empty.empty and office_rollup(empty).empty
