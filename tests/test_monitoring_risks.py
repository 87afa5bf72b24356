"""Risk score = likelihood × impact, levels by settings, heatmap and per-project summary."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from monitoring.risks import project_risk_summary, risk_heatmap, score_risks, unattended_high_risks
from monitoring.settings import Settings

COLUMNS = ["project_id", "risk_code", "likelihood", "impact", "mitigation", "status", "last_reviewed"]


def register(rows):
    return pd.DataFrame([dict(zip(COLUMNS, r, strict=True)) for r in rows], columns=COLUMNS)


@pytest.mark.parametrize(
    ("likelihood", "impact", "score", "level"),
    [
        (5, 5, 25.0, "high"),
        (3, 5, 15.0, "high"),  # 15 is high
        (3, 4, 12.0, "medium"),  # the highest medium score a 5x5 grid allows
        (2, 4, 8.0, "medium"),  # 8 is medium
        (2, 3, 6.0, "low"),  # the highest low score a 5x5 grid allows
        (1, 1, 1.0, "low"),
        (6, 2, math.nan, None),  # likelihood out of 1-5: no score, no level
        (0, 3, math.nan, None),
        (None, 3, math.nan, None),
    ],
)
def test_score_and_level(likelihood, impact, score, level):
    out = score_risks(register([(1, "R1", likelihood, impact, "m", "open", None)]), Settings())
    assert out.loc[0, "score"] == pytest.approx(score, nan_ok=True)
    assert out.loc[0, "level"] == level


@pytest.mark.parametrize(
    ("score_pair", "expected"),
    [((3, 4), "medium"), ((2, 3), "low"), ((4, 4), "high")],
)
def test_levels_follow_settings(score_pair, expected):
    moved = Settings(risk_high_min=16, risk_medium_min=12)
    out = score_risks(register([(1, "R1", *score_pair, "m", "open", None)]), moved)
    assert out.loc[0, "level"] == expected  # 12 medium, 6 low, 16 high with the moved bands


def test_heatmap_counts_open_risks_on_the_grid():
    scored = score_risks(
        register(
            [
                (1, "R1", 5, 4, "m", "open", None),
                (1, "R2", 5, 4, "m", "open", None),
                (2, "R1", 1, 1, "m", "open", None),
                (2, "R2", 3, 3, "m", "closed", None),
            ]
        ),
        Settings(),
    )
    grid = risk_heatmap(scored)
    assert grid.shape == (5, 5)
    assert list(grid.index) == [5, 4, 3, 2, 1] and list(grid.columns) == [1, 2, 3, 4, 5]
    assert grid.loc[5, 4] == 2 and grid.loc[1, 1] == 1 and grid.loc[3, 3] == 0
    assert int(grid.to_numpy().sum()) == 3
    assert risk_heatmap(scored, open_only=False).loc[3, 3] == 1


def test_project_summary():
    scored = score_risks(
        register(
            [
                (1, "R1", 5, 4, "m", "open", None),  # 20 high
                (1, "R2", 2, 2, "m", "open", None),  # 4 low
                (1, "R3", 5, 5, "m", "closed", None),  # closed: not exposure
                (2, "R1", 3, 3, "m", "closed", None),
            ]
        ),
        Settings(),
    )
    out = project_risk_summary(scored, pd.Series([1, 2, 3])).set_index("project_id")
    assert out.loc[1].to_dict() == {"n_risks": 3, "n_open_risks": 2, "max_risk_score": 20.0, "n_high_open": 1}
    assert out.loc[2, "n_risks"] == 1 and out.loc[2, "n_open_risks"] == 0
    assert math.isnan(out.loc[2, "max_risk_score"])
    assert out.loc[3, "n_risks"] == 0 and out.loc[3, "n_high_open"] == 0


def test_unattended_high_risks():
    day = dt.date(2024, 6, 30)
    scored = score_risks(
        register(
            [
                (1, "A", 5, 3, None, "open", dt.date(2024, 6, 1)),  # 15, no mitigation
                (1, "B", 5, 3, "plan", "open", dt.date(2024, 4, 1)),  # reviewed 90 days ago: managed
                (1, "C", 5, 4, " ", "open", dt.date(2024, 3, 31)),  # blank and 91 days
                (2, "D", 5, 5, "plan", "open", None),  # never reviewed
                (2, "E", 5, 5, None, "closed", None),  # closed
                (2, "F", 3, 4, None, "open", None),  # 12: medium
            ]
        ),
        Settings(),
    )
    starts = pd.Series({1: dt.date(2024, 1, 1), 2: dt.date(2024, 1, 1)})
    out = unattended_high_risks(scored, starts, day, Settings()).set_index("risk_code")
    assert sorted(out.index) == ["A", "C", "D"]
    assert out.loc["A", "why"] == "no mitigation"
    assert out.loc["C", "why"] == "no mitigation and last reviewed 31 Mar 2024 (91 days ago)"
    assert out.loc["D", "why"] == "never reviewed since the start 1 Jan 2024 (181 days ago)"
    assert math.isnan(out.loc["D", "days_since_review"])


def test_unattended_high_risks_of_an_empty_register():
    scored = score_risks(register([(1, "A", 1, 1, None, "closed", None)]), Settings()).iloc[0:0]
    scored = scored.astype({"project_id": "int64"})
    starts = pd.Series([], index=pd.Index([], dtype="int64"), dtype="datetime64[us]")  # no eligible project
    assert unattended_high_risks(scored, starts, dt.date(2024, 6, 30), Settings()).empty
