"""The recommendations register (monitoring/recommendations.py), computed by hand.

As of 2025-06-30; audit recommendations without a due date are due 365 days after issue; "falling
due" = open and due within 30 days (the day itself included).

====  =======  ==========  =========================================================================
rec   project  expected    why
====  =======  ==========  =========================================================================
A     P2       overdue 91  closed project; due 2025-03-31, open: Apr 30 + May 31 + Jun 30 = 91 days
B     P1       due_soon    due 2025-06-30 = D: not overdue yet, falling due
C     P1       overdue 29  audit, no due date, issued 2024-06-01 → due 2025-06-01 (365 days), open
D     P1       open        evaluation, no due date: never overdue, on time undefined
E     P3       implemented implemented 2025-02-01, due 2025-03-01 → on time
F     P3       implemented implemented 2025-04-10, due 2025-03-01 → late (on time False)
G     P3       overdue 15  implemented 2025-07-15 (after D) → open on D, due 2025-06-15
H     P1       closed      rejected by management: on time undefined
I     P1       (absent)    issued 2025-07-05, after D
J     P3       due_soon    due 2025-07-30 = D + 30
K     P3       open        due 2025-07-31 = D + 31
L     P1       implemented implemented, day not recorded: on time undefined (never guessed)
====  =======  ==========  =========================================================================

Roll-up by managing country: KEN (P1, P2) 6 recommendations, 4 open, 2 overdue, 1 falling due,
judged A (missed) and C (audit due passed): 0 of 2 on time, oldest overdue P2 A (91 days). UGA (P3)
5, 3 open, 1 overdue, 1 falling due, judged E (on time), F and G (late): 1 of 3, oldest G (15).
Region RE: 11, 7 open, 3 overdue, 2 falling due, 1 of 5 on time, oldest P2 A.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from monitoring.frames import frame
from monitoring.recommendations import OPEN_STATUSES, due_dates, open_recommendations, register, rollup
from monitoring.settings import Settings
from reference.vocabulary import RECOMMENDATION_STATUSES

D = dt.date
AS_OF = D(2025, 6, 30)
SETTINGS = Settings()

PROJECTS = frame(
    "projects",
    [
        {"project_id": 1, "project_code": "P1", "title": "One", "status": "active", "managing_country": "KEN"},
        {"project_id": 2, "project_code": "P2", "title": "Two", "status": "closed", "managing_country": "KEN"},
        {"project_id": 3, "project_code": "P3", "title": "Three", "status": "active", "managing_country": "UGA"},
    ],
).assign(
    managing_country_name=lambda d: d["managing_country"].map({"KEN": "Kenya", "UGA": "Uganda"}),
    region="RE",
    region_name="East",
)


def _rec(code, project, *, due=None, status="open", source="evaluation", issued=D(2024, 1, 10), **more):
    return {
        "project_id": project,
        "recommendation_code": code,
        "source": source,
        "text": f"Recommendation {code}",
        "issued_on": issued,
        "due_date": due,
        "status": status,
        "management_response": more.pop("response", "accepted"),
        **more,
    }


RECS = frame(
    "recommendations",
    [
        _rec("A", 2, due=D(2025, 3, 31)),
        _rec("B", 1, due=D(2025, 6, 30), status="in_progress"),
        _rec("C", 1, source="audit", issued=D(2024, 6, 1)),
        _rec("D", 1, issued=D(2025, 1, 10)),
        _rec("E", 3, due=D(2025, 3, 1), status="implemented", implemented_on=D(2025, 2, 1)),
        _rec("F", 3, due=D(2025, 3, 1), status="implemented", implemented_on=D(2025, 4, 10)),
        _rec("G", 3, due=D(2025, 6, 15), status="implemented", implemented_on=D(2025, 7, 15)),
        _rec("H", 1, due=D(2025, 1, 1), status="closed", response="rejected"),
        _rec("I", 1, due=D(2025, 12, 1), issued=D(2025, 7, 5)),
        _rec("J", 3, due=D(2025, 7, 30)),
        _rec("K", 3, due=D(2025, 7, 31)),
        _rec("L", 1, due=D(2025, 5, 1), status="implemented"),
    ],
)


@pytest.fixture(scope="module")
def reg() -> pd.DataFrame:
    return register(RECS, PROJECTS, AS_OF, SETTINGS).set_index("recommendation_code")


@pytest.mark.parametrize(
    ("code", "state", "days_overdue", "on_time"),
    [
        ("A", "overdue", 91, False),
        ("B", "due_soon", None, None),
        ("C", "overdue", 29, False),
        ("D", "open", None, None),
        ("E", "implemented", None, True),
        ("F", "implemented", None, False),
        ("G", "overdue", 15, False),
        ("H", "closed", None, None),
        ("J", "due_soon", None, None),
        ("K", "open", None, None),
        ("L", "implemented", None, None),
    ],
)
def test_state_days_overdue_and_on_time(reg, code, state, days_overdue, on_time):
    row = reg.loc[code]
    assert row["state"] == state
    assert pd.isna(row["days_overdue"]) if days_overdue is None else row["days_overdue"] == days_overdue
    assert pd.isna(row["on_time"]) if on_time is None else bool(row["on_time"]) is on_time


def test_issued_after_the_as_of_date_is_not_in_the_register(reg):
    assert "I" not in reg.index
    assert len(reg) == 11


def test_closed_projects_are_in_the_register(reg):
    assert reg.loc["A", "project_status"] == "closed"


def test_audit_without_due_date_is_due_by_the_rule_and_says_so(reg):
    assert reg.loc["C", "due"] == pd.Timestamp(2025, 6, 1)
    assert bool(reg.loc["C", "due_by_audit_rule"]) is True
    assert pd.isna(reg.loc["D", "due"]) and not reg.loc["D", "due_by_audit_rule"]


def test_most_urgent_first(reg):
    assert list(reg.index) == ["A", "C", "G", "B", "J", "D", "K", "L", "E", "F", "H"]


def test_audit_rule_follows_the_setting():
    due = due_dates(RECS.iloc[[2]], Settings(audit_recommendation_max_days=30))
    assert due["due"].iloc[0] == pd.Timestamp(2024, 7, 1)


def test_falling_due_window_follows_the_setting():
    reg = register(RECS, PROJECTS, AS_OF, Settings(recommendation_due_soon_days=0)).set_index("recommendation_code")
    assert reg.loc["B", "state"] == "due_soon"  # due on D itself
    assert reg.loc["J", "state"] == "open"


def test_rollup_by_country():
    table = rollup(register(RECS, PROJECTS, AS_OF, SETTINGS), "managing_country").set_index("managing_country")
    ken, uga = table.loc["KEN"], table.loc["UGA"]
    assert (ken["recommendations"], ken["open"], ken["overdue"], ken["due_soon"]) == (6, 4, 2, 1)
    assert (ken["judged"], ken["on_time"], ken["on_time_share"]) == (2, 0, 0.0)
    assert (ken["oldest_overdue_days"], ken["oldest_overdue"]) == (91, "P2 A")
    assert (uga["recommendations"], uga["open"], uga["overdue"], uga["due_soon"]) == (5, 3, 1, 1)
    assert (uga["judged"], uga["on_time"]) == (3, 1)
    assert uga["on_time_share"] == pytest.approx(1 / 3)
    assert (uga["oldest_overdue_days"], uga["oldest_overdue"]) == (15, "P3 G")
    assert list(table.index) == ["KEN", "UGA"]  # most overdue first


def test_rollup_by_region():
    row = rollup(register(RECS, PROJECTS, AS_OF, SETTINGS), "region").iloc[0]
    assert (row["region"], row["recommendations"], row["open"], row["overdue"], row["due_soon"]) == ("RE", 11, 7, 3, 2)
    assert (row["judged"], row["on_time"], row["on_time_share"]) == (5, 1, 0.2)
    assert row["oldest_overdue"] == "P2 A"


def test_nothing_judged_and_nothing_overdue():
    only_open = RECS.loc[RECS["recommendation_code"].isin(["D", "K"])]
    row = rollup(register(only_open, PROJECTS, AS_OF, SETTINGS), "region").iloc[0]
    assert row["judged"] == 0 and pd.isna(row["on_time_share"])
    assert row["overdue"] == 0 and pd.isna(row["oldest_overdue_days"]) and pd.isna(row["oldest_overdue"])


def test_empty_register_and_rollup():
    empty = register(RECS.iloc[0:0], PROJECTS, AS_OF, SETTINGS)
    assert empty.empty and list(empty.columns)[:3] == ["project_id", "project_code", "project_title"]
    assert rollup(empty, "managing_country").empty


# ---- which recommendations are open (the Project page's list and the flag): one row per status ----------
@pytest.mark.parametrize(
    ("status", "is_open"),
    [("open", True), ("in_progress", True), ("implemented", False), ("closed", False)],
)
def test_each_status(status, is_open):
    recs = pd.DataFrame({"recommendation_code": ["R1"], "status": [status]})
    assert len(open_recommendations(recs)) == (1 if is_open else 0)


def test_every_status_of_the_vocabulary_is_decided():
    assert set(OPEN_STATUSES) <= set(RECOMMENDATION_STATUSES)
    assert set(RECOMMENDATION_STATUSES) - set(OPEN_STATUSES) == {"implemented", "closed"}


def test_order_and_rows_are_kept():
    recs = pd.DataFrame(
        {"recommendation_code": ["R3", "R1", "R2", "R4"], "status": ["in_progress", "closed", "open", "implemented"]}
    )
    assert open_recommendations(recs)["recommendation_code"].tolist() == ["R3", "R2"]


def test_no_recommendation():
    assert open_recommendations(pd.DataFrame({"status": pd.Series([], dtype=object)})).empty


def test_implemented_after_the_as_of_date_is_still_open():
    open_on_d = open_recommendations(RECS, AS_OF)["recommendation_code"].tolist()
    assert "G" in open_on_d and "E" not in open_on_d
    assert "G" not in open_recommendations(RECS)["recommendation_code"].tolist()  # today's stored status
