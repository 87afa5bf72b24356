"""The results matrix tree: order objective → outcome → output with each result's indicators."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from components.results_matrix import INDENT, _cell, matrix_rows

TREE = pd.DataFrame({
    "result_id": [1, 2, 3, 4],
    "result_code": ["O1", "OC1.1", "OP1.1.1", "OC1.2"],
    "level": ["objective", "outcome", "output", "outcome"],
    "parent_id": [None, 1, 2, 1],
    "statement": ["Safe migration", "Returnees reintegrate", "Returnees trained", "Communities cope"],
    "depth": [0, 1, 2, 1],
})
INDICATORS = pd.DataFrame({
    "indicator_id": [10, 11, 12, 13],
    "project_id": [7, 7, 7, 7],
    "result_id": [3, 2, 2, None],
    "indicator_code": ["I3", "I2", "I1", "I9"],
    "name": ["People trained", "% employed", "Satisfaction", "Orphan"],
    "unit": ["people", "%", None, "cases"],
    "measure": ["number", "percentage", "qualitative", "number"],
    "baseline": [0.0, 10.0, np.nan, 5.0],
    "baseline_text": [None, None, "low", None],
    "end_target": [300.0, 60.0, np.nan, 50.0],
    "end_target_text": [None, None, "high", None],
})
EVAL = pd.DataFrame({
    "indicator_id": [10, 11, 12, 13],
    "b": [0.0, 10.0, np.nan, 5.0],
    "actual_to_date": [120.0, 20.0, np.nan, np.nan],
    "milestone_to_date": [200.0, 35.0, np.nan, np.nan],
    "progress": [0.4, 0.2, np.nan, np.nan],
    "expected_progress": [0.6667, 0.5, np.nan, 0.3],
    "status": ["at_risk", "off_track", "not_assessable", "no_data"],
    "reason": ["r10", "r11", "qualitative", "r13"],
})


def test_rows_follow_the_tree_with_indicators_under_their_result():
    rows = matrix_rows(TREE, INDICATORS, EVAL)
    assert rows["code"].tolist() == ["O1", "OC1.1", "I1", "I2", "OP1.1.1", "I3", "OC1.2", "", "I9"]
    assert rows["kind"].tolist() == ["result", "result", "indicator", "indicator", "result", "indicator",
                                     "result", "result", "indicator"]
    assert rows.loc[4, "row"] == f"{INDENT * 2}Output OP1.1.1: Returnees trained"
    assert rows.loc[5, "row"] == f"{INDENT * 3}◦ I3 People trained"


def test_indicator_numbers_and_status_words():
    rows = matrix_rows(TREE, INDICATORS, EVAL).set_index("code")
    assert rows.loc["I3", ["baseline", "target_to_date", "end_target", "actual", "progress"]].tolist() == [0.0, 200.0, 300.0, 120.0, 0.4]
    assert rows.loc["I3", "status"] == "▲ At risk"
    assert rows.loc["I2", "status"] == "✖ Off track"


def test_qualitative_indicator_shows_text_and_no_progress():
    rows = matrix_rows(TREE, INDICATORS, EVAL).set_index("code")
    assert rows.loc["I1", "baseline"] == "low"
    assert rows.loc["I1", "end_target"] == "high"
    assert pd.isna(rows.loc["I1", "progress"])
    assert rows.loc["I1", "status"] == "– Not assessable"


def test_no_results_no_indicators_gives_no_rows():
    assert matrix_rows(TREE.iloc[0:0], INDICATORS.iloc[0:0], EVAL.iloc[0:0]).empty


def test_linear_path_target_to_date_is_the_value_expected_by_now():
    rows = matrix_rows(TREE, INDICATORS, EVAL).set_index("code")
    # I9: no milestone; b = 5, end target 50, expected progress 0.3 -> 5 + 0.3 * 45 = 18.5
    assert rows.loc["I9", "target_to_date"] == 18.5


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (float("nan"), ""), (0.0, "0"), (31.9224, "31.92"), (20.0, "20"), (0.5, "0.5"),
     (11346.3, "11,346"), (-0.001, "0"), ("low", "low")],
)
def test_cells_are_readable(value, text):
    assert _cell(value) == text
