"""Project results progress and status (DOMAIN.md 2.1): hand-computed from indicator statuses."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest

from monitoring.frames import frame
from monitoring.results import project_results, results_status_from
from monitoring.settings import Settings

SETTINGS = Settings()
NAN = float("nan")


@pytest.mark.parametrize(
    ("n_assessable", "n_off", "n_good", "status"),
    [
        (0, 0, 0, "not_assessable"),
        (4, 1, 3, "off_track"),  # 1/4 = 25% off track: off track wins over 75% on track
        (5, 1, 4, "on_track"),  # 20% off, 80% good
        (4, 0, 3, "on_track"),  # exactly 75%
        (3, 0, 2, "at_risk"),  # 67% good, none off
        (10, 2, 7, "at_risk"),  # 20% off, 70% good
        (1, 1, 0, "off_track"),
        (1, 0, 1, "on_track"),
    ],
)
def test_results_status_from(n_assessable, n_off, n_good, status):
    assert results_status_from(n_assessable, n_off, n_good, SETTINGS) == status


def test_results_status_thresholds_come_from_settings():
    strict = replace(SETTINGS, project_off_track_share=0.1, project_on_track_share=0.9)
    assert results_status_from(10, 1, 9, strict) == "off_track"
    assert results_status_from(10, 0, 8, strict) == "at_risk"


def ev_row(project_id, status, progress, status_female=None, status_male=None, reports_overdue=0):
    return dict(
        project_id=project_id,
        status=status,
        progress=progress,
        status_female=status_female,
        status_male=status_male,
        reports_overdue=reports_overdue,
    )


INDICATOR_EVAL = pd.DataFrame(
    [
        # project 1: 4 assessable (on, achieved over 1, off, on) + no_data + qualitative
        ev_row(1, "on_track", 0.5, "off_track", "on_track", reports_overdue=2),
        ev_row(1, "achieved", 1.4, "achieved", "achieved"),
        ev_row(1, "off_track", -0.2, None, None),
        ev_row(1, "on_track", 0.6, "on_track", "on_track"),
        ev_row(1, "no_data", NAN, "no_data", "no_data", reports_overdue=1),
        ev_row(1, "not_assessable", NAN),
        # project 2: 3 on track, 1 at risk → 75% good, 0 off → on track
        ev_row(2, "on_track", 0.5),
        ev_row(2, "on_track", 0.7),
        ev_row(2, "on_track", 0.9, reports_overdue=3),
        ev_row(2, "at_risk", 0.3),
        # project 3: nothing due
        ev_row(3, "not_due", 0.1),
    ]
)
PROJECTS = frame("projects", [dict(project_id=p) for p in (1, 2, 3, 4)])

# project: (results_progress, results_status, n_indicators, n_assessable, female, male)
EXPECTED = {
    # mean of clipped progress: (0.5 + 1.0 + 0.0 + 0.6) / 4; 1 of 4 off track = 25%
    # women: off, achieved, on → 1 of 3 off track; men: on, achieved, on
    1: ((0.5 + 1.0 + 0.0 + 0.6) / 4, "off_track", 6, 4, "off_track", "on_track"),
    2: ((0.5 + 0.7 + 0.9 + 0.3) / 4, "on_track", 4, 4, "not_assessable", "not_assessable"),
    3: (NAN, "not_assessable", 1, 0, "not_assessable", "not_assessable"),
    4: (NAN, "not_assessable", 0, 0, "not_assessable", "not_assessable"),  # no indicators
}


@pytest.mark.parametrize("project_id", sorted(EXPECTED))
def test_project_results(project_id):
    table = project_results(INDICATOR_EVAL, PROJECTS, SETTINGS).set_index("project_id")
    row = table.loc[project_id]
    prog, status, n, n_assessable, female, male = EXPECTED[project_id]
    assert math.isnan(row["results_progress"]) if math.isnan(prog) else row["results_progress"] == pytest.approx(prog)
    assert row["results_status"] == status
    assert row["n_indicators"] == n
    assert row["n_assessable"] == n_assessable
    assert row["results_status_female"] == female
    assert row["results_status_male"] == male


def test_status_counts_per_project():
    table = project_results(INDICATOR_EVAL, PROJECTS, SETTINGS).set_index("project_id")
    counts = table.loc[
        1, ["n_achieved", "n_on_track", "n_at_risk", "n_off_track", "n_no_data", "n_not_due", "n_not_assessable"]
    ].tolist()
    assert counts == [1, 2, 0, 1, 1, 0, 1]


def test_indicators_with_a_report_overdue_per_project():
    # project 1: an on-track indicator 2 reports behind and a no-data one 1 behind → 2 indicators
    # (indicators, not reports); project 2: one on track 3 behind; 3: none overdue; 4: no indicator
    table = project_results(INDICATOR_EVAL, PROJECTS, SETTINGS).set_index("project_id")
    assert table["n_reports_overdue"].to_dict() == {1: 2, 2: 1, 3: 0, 4: 0}
    assert table["n_reports_overdue"].dtype == "int64"


def test_projects_with_indicators_but_not_in_projects_still_get_a_row():
    table = project_results(INDICATOR_EVAL, None, SETTINGS)
    assert sorted(table["project_id"]) == [1, 2, 3]


def test_no_indicators_at_all():
    empty = pd.DataFrame(
        columns=["project_id", "status", "progress", "status_female", "status_male", "reports_overdue"]
    )
    table = project_results(empty, PROJECTS, SETTINGS)
    assert list(table["results_status"]) == ["not_assessable"] * 4
    assert list(table["n_indicators"]) == [0] * 4
    assert list(table["n_reports_overdue"]) == [0] * 4
