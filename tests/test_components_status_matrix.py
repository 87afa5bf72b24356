"""Portfolio tables: the risk column's level bands and the order of the status matrix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from components.status_matrix import risk_level_of, status_matrix


@pytest.mark.parametrize(
    ("score", "level"),
    [(np.nan, "none"), (1.0, "low"), (7.0, "low"), (8.0, "medium"), (14.0, "medium"), (15.0, "high"), (25.0, "high")],
)
def test_risk_level_bands(score, level):
    assert risk_level_of(pd.Series([score]), high_min=15, medium_min=8).tolist() == [level]


def test_matrix_orders_worst_status_then_high_flags_then_code():
    projects = pd.DataFrame({
        "project_code": ["P1", "P2", "P3", "P4"],
        "title": ["a", "b", "c", "d"],
        "managing_country_name": ["X", "X", "Y", "Y"],
        "results_status": ["on_track", "off_track", "off_track", "at_risk"],
        "results_progress": [0.9, 0.1, 0.2, 0.5],
        "burn_status": ["on_pace", "underspending", "on_pace", "over_budget"],
        "burn": [0.5, 0.1, 0.3, 1.2],
        "elapsed": [0.5, 0.5, 0.5, 0.5],
        "forecast_status": ["on_target", "underspend", "on_target", "overspend"],
        "max_risk_score": [np.nan, 20.0, 9.0, 4.0],
        "n_flags_high": [0, 1, 2, 1],
        "flags": ["", "RESULTS_OFF_TRACK", "RESULTS_OFF_TRACK;OVER_BUDGET", "OVER_BUDGET"],
    })
    table = status_matrix(projects, high_min=15, medium_min=8)
    assert table["Project"].tolist() == ["P3", "P2", "P4", "P1"]
    assert table.loc[0, ["Results", "Finance", "Risk"]].tolist() == ["✖ Off track", "● On pace", "▲ Medium"]
    assert table.loc[3, "Risk"] == "○ None"
