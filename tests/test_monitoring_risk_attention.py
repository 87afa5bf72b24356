"""High risks without mitigation or review: which risks, why, in which order (hand-computed)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from monitoring.risk_attention import unmitigated_high_risks
from monitoring.risks import score_risks
from monitoring.settings import Settings

AS_OF = dt.date(2024, 6, 30)
RISKS = pd.DataFrame(
    [
        # project, code, L, I, mitigation, status, last reviewed            -> expected
        (1, "R1", 5, 4, "plan B", "open", dt.date(2024, 6, 1)),  # 20, mitigated, 29 days: no
        (1, "R2", 4, 4, None, "open", dt.date(2024, 6, 1)),  # 16, no mitigation
        (1, "R3", 3, 5, "  ", "open", None),  # 15, blank and never reviewed (started 2024-01-01: 181 days)
        (2, "R1", 5, 5, "plan", "open", dt.date(2024, 4, 1)),  # 25, reviewed 90 days ago: no
        (2, "R2", 5, 5, "plan", "open", dt.date(2024, 3, 31)),  # 25, 91 days ago: yes
        (2, "R3", 5, 5, None, "closed", None),  # closed: no
        (3, "R1", 2, 7, None, "open", None),  # impact out of range: no score
        (3, "R2", 2, 7, None, None, None),  # idem
        (3, "R3", 2, 3, None, "open", None),  # 6, low: no
    ],
    columns=["project_id", "risk_code", "likelihood", "impact", "mitigation", "status", "last_reviewed"],
).assign(description="a risk", category="operational", owner="someone")
PROJECTS = pd.DataFrame(
    {
        "project_id": [1, 2, 3],
        "status": ["active", "pipeline", "active"],
        "start_date": [dt.date(2024, 1, 1), dt.date(2024, 9, 1), dt.date(2024, 1, 1)],
    }
)


def test_lists_open_high_risks_without_mitigation_or_recent_review_highest_first():
    table = unmitigated_high_risks(score_risks(RISKS), PROJECTS, AS_OF)
    assert list(zip(table["project_id"], table["risk_code"], table["score"], strict=True)) == [
        (2, "R2", 25.0),
        (1, "R2", 16.0),
        (1, "R3", 15.0),
    ]
    assert table["why"].tolist() == [
        "last reviewed 31 Mar 2024 (91 days ago)",
        "no mitigation",
        "no mitigation and never reviewed since the start 1 Jan 2024 (181 days ago)",
    ]
    # project 2 is in the pipeline: listed, but the flag (active, started projects) does not cover it
    assert table["eligible_for_flag"].tolist() == [False, True, True]


def test_review_limit_and_high_band_follow_settings():
    # 60 days: project 2's R1 (reviewed 90 days ago) is now stale too; high from 20: 16 and 15 are not
    settings = Settings(risk_review_max_days=60, risk_high_min=20)
    table = unmitigated_high_risks(score_risks(RISKS, settings), PROJECTS, AS_OF, settings)
    assert list(zip(table["project_id"], table["risk_code"], strict=True)) == [(2, "R1"), (2, "R2")]


def test_no_risks_gives_an_empty_table():
    assert unmitigated_high_risks(score_risks(RISKS.iloc[0:0]), PROJECTS, AS_OF).empty
