"""The results matrix tree: order objective → outcome → output with each result's indicators."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from components.results_matrix import INDENT, display_rows, format_value, matrix_rows

TREE = pd.DataFrame(
    {
        "result_id": [1, 2, 3, 4],
        "result_code": ["O1", "OC1.1", "OP1.1.1", "OC1.2"],
        "level": ["objective", "outcome", "output", "outcome"],
        "parent_id": [None, 1, 2, 1],
        "statement": ["Safe migration", "Returnees reintegrate", "Returnees trained", "Communities cope"],
        "depth": [0, 1, 2, 1],
    }
)
INDICATORS = pd.DataFrame(
    {
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
    }
)
EVAL = pd.DataFrame(
    {
        "indicator_id": [10, 11, 12, 13],
        "b": [0.0, 10.0, np.nan, 5.0],
        "actual_to_date": [120.0, 20.0, np.nan, np.nan],
        "milestone_to_date": [200.0, 35.0, np.nan, np.nan],
        "progress": [0.4, 0.2, np.nan, np.nan],
        "expected_progress": [0.6667, 0.5, np.nan, 0.3],
        "status": ["at_risk", "off_track", "not_assessable", "no_data"],
        "reason": ["r10", "r11", "qualitative", "r13"],
    }
)


def test_rows_follow_the_tree_with_indicators_under_their_result():
    rows = matrix_rows(TREE, INDICATORS, EVAL)
    assert rows["code"].tolist() == ["O1", "OC1.1", "I1", "I2", "OP1.1.1", "I3", "OC1.2", "", "I9"]
    assert rows["kind"].tolist() == [
        "result",
        "result",
        "indicator",
        "indicator",
        "result",
        "indicator",
        "result",
        "result",
        "indicator",
    ]
    assert rows.loc[4, "row"] == f"{INDENT * 2}Output OP1.1.1: Returnees trained"
    assert rows.loc[5, "row"] == f"{INDENT * 3}◦ I3 People trained"


def test_indicator_numbers_and_status_words():
    rows = matrix_rows(TREE, INDICATORS, EVAL).set_index("code")
    assert rows.loc["I3", ["baseline", "target_to_date", "end_target", "actual", "progress"]].tolist() == [
        0.0,
        200.0,
        300.0,
        120.0,
        0.4,
    ]
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
    ("value", "measure", "unit", "whole", "text"),
    [
        (None, "number", "people", False, ""),
        (float("nan"), "number", None, False, ""),
        (87.0, "number", "people", False, "87 people"),
        (87.05, "number", "people", True, "87 people"),  # a computed count: whole
        (87.05, "number", "people", False, "87.05 people"),  # a reported value keeps its decimals
        (1234567.0, "number", None, False, "1,234,567"),
        (46.63, "percentage", "%", False, "46.6%"),
        (50.0, "percentage", None, True, "50.0%"),
        (1.0, "yes_no", None, False, "Yes"),
        (0.0, "yes_no", None, False, "No"),
        (31.9224, None, None, False, "31.92"),
        (11346.3, None, None, False, "11,346"),
        (-0.001, None, None, False, "0"),
        ("low", "qualitative", None, False, "low"),
    ],
)
def test_values_are_formatted_by_measure(value, measure, unit, whole, text):
    assert format_value(value, measure, unit, whole=whole) == text


def test_display_puts_the_decisive_columns_first_and_leaves_result_rows_blank():
    shown = display_rows(matrix_rows(TREE, INDICATORS, EVAL))
    assert list(shown.columns)[:5] == ["Result / indicator", "Status", "Progress", "Expected", "Why"]
    result_row = shown.iloc[0]  # Objective O1
    assert result_row[["Status", "Expected", "Why", "Actual to date", "Due by now", "End target"]].tolist() == [""] * 6
    i3 = shown.loc[shown["Code"] == "I3"].iloc[0]
    # milestone 200 of 300 people; expected 0.6667 -> 67%
    assert i3[["Expected", "Actual to date", "Due by now", "End target", "Baseline"]].tolist() == [
        "67%",
        "120 people",
        "200 people",
        "300 people",
        "0 people",
    ]
    i2 = shown.loc[shown["Code"] == "I2"].iloc[0]
    assert i2[["Actual to date", "End target"]].tolist() == ["20.0%", "60.0%"]
    i9 = shown.loc[shown["Code"] == "I9"].iloc[0]
    assert i9["Due by now"] == "19 cases"  # 5 + 0.3 x 45 = 18.5 on the linear path, a count: rounded half up


def test_a_number_indicator_that_cannot_be_assessed_shows_no_expected_progress():
    """I9 counts cases but has no end target: time has elapsed (0.3), yet nothing is "expected"."""
    unassessable = EVAL.assign(status=["at_risk", "off_track", "not_assessable", "not_assessable"])
    rows = matrix_rows(TREE, INDICATORS.assign(end_target=[300.0, 60.0, np.nan, np.nan]), unassessable)
    rows = rows.set_index("code")
    assert pd.isna(rows.loc["I9", "expected_progress"])
    assert rows.loc["I3", "expected_progress"] == 0.6667  # assessable indicators keep theirs
