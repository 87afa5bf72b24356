"""The Off-track list: which indicators, in which order, with which gap (hand-computed)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from monitoring.off_track import indicators_needing_attention

NAN = float("nan")

# an evaluation as evaluate_portfolio(...).indicators gives it (only the columns the list reads)
INDICATORS = pd.DataFrame(
    {
        "indicator_id": [1, 2, 3, 4, 5, 6],
        "project_id": [10, 10, 20, 20, 20, 10],
        "project_code": ["PX.1", "PX.1", "PX.2", "PX.2", "PX.2", "PX.1"],
        "indicator_code": ["I1", "I2", "I1", "I2", "I3", "I3"],
        "name": ["People trained", "Shelters", "Returnees employed", "Cases referred", "Policy adopted", "Staff"],
        "unit": ["people", "shelters", "%", "cases", None, "people"],
        "result_id": [100, 101, 200, 201, None, 100],
        "b": [0.0, 0.0, 10.0, 0.0, 0.0, 0.0],
        "end_target": [100.0, 50.0, 60.0, 200.0, 1.0, 10.0],
        "actual_to_date": [20.0, 30.0, 25.0, NAN, 0.0, 9.0],
        "progress": [0.20, 0.60, 0.30, NAN, 0.0, 0.9],
        "expected_progress": [0.50, 0.70, 0.80, 0.40, 0.10, 0.5],
        "cutoff": [dt.date(2025, 5, 31)] * 6,
        "reports_due": [2, 2, 3, 3, 1, 2],
        "reports_overdue": [0, 1, 0, 3, 0, 0],
        "status": ["off_track", "at_risk", "off_track", "no_data", "off_track", "on_track"],
        "reason": ["r1", "r2", "r3", "r4", "r5", "r6"],
        "actual_female": [4.0, NAN, 10.0, NAN, NAN, 4.0],
        "progress_female": [0.08, NAN, 0.10, NAN, NAN, 0.8],
        "status_female": ["off_track", None, "off_track", "no_data", None, "on_track"],
        "actual_male": [16.0, NAN, 30.0, NAN, NAN, 5.0],
        "progress_male": [0.32, NAN, 0.50, NAN, NAN, 1.0],
        "status_male": ["at_risk", None, "on_track", "no_data", None, "achieved"],
    }
)
RESULTS = pd.DataFrame(
    {
        "result_id": [100, 101, 200, 201],
        "result_code": ["OC1", "OP1.1", "OC1", "OP1.1"],
        "level": ["outcome", "output", "outcome", "output"],
        "statement": ["Livelihoods improve", "Shelters built", "Returnees reintegrate", "Cases referred"],
    }
)
PROJECTS = pd.DataFrame(
    {
        "project_id": [10, 20],
        "title": ["Shelter", "Return"],
        "managing_country": ["KEN", "TCD"],
        "managing_country_name": ["Kenya", "Chad"],
        "region": ["RO_E", "RO_W"],
    }
)


def codes(table: pd.DataFrame) -> list[str]:
    return (table["project_code"] + "/" + table["indicator_code"]).tolist()


@pytest.mark.parametrize(
    ("kwargs", "expected_codes", "expected_gaps"),
    [
        # gaps: PX.2/I1 80-30=50, PX.1/I1 50-20=30, PX.2/I3 10-0=10, PX.1/I2 70-60=10; no data last
        ({}, ["PX.2/I1", "PX.1/I1", "PX.1/I2", "PX.2/I3", "PX.2/I2"], [50.0, 30.0, 10.0, 10.0, None]),
        ({"statuses": ("off_track",)}, ["PX.2/I1", "PX.1/I1", "PX.2/I3"], [50.0, 30.0, 10.0]),
        ({"statuses": ("no_data",)}, ["PX.2/I2"], [None]),
        ({"levels": ("output",)}, ["PX.1/I2", "PX.2/I2"], [10.0, None]),
        # the indicator without a result (PX.2/I3) has no level and drops out of any level filter
        ({"levels": ("outcome",), "statuses": ("off_track",)}, ["PX.2/I1", "PX.1/I1"], [50.0, 30.0]),
        # women: PX.2/I1 80-10=70, PX.1/I1 50-8=42, then no data for women (PX.2/I2)
        ({"sex": "female"}, ["PX.2/I1", "PX.1/I1", "PX.2/I2"], [70.0, 42.0, None]),
        # men: only PX.1/I1 is at risk (50-32=18), PX.2/I2 has no data
        ({"sex": "male"}, ["PX.1/I1", "PX.2/I2"], [18.0, None]),
    ],
)
def test_list_filters_and_sorts_by_gap(kwargs, expected_codes, expected_gaps):
    table = indicators_needing_attention(INDICATORS, RESULTS, PROJECTS, **kwargs)
    assert codes(table) == expected_codes
    gaps = [None if pd.isna(g) else round(g, 6) for g in table["gap_pp"]]
    assert gaps == expected_gaps


def test_rows_carry_result_project_and_the_per_sex_numbers():
    table = indicators_needing_attention(INDICATORS, RESULTS, PROJECTS, sex="female", statuses=("off_track",))
    first = table.iloc[0]
    assert (first["result_code"], first["level"], first["statement"]) == ("OC1", "outcome", "Returnees reintegrate")
    assert (first["title"], first["managing_country_name"]) == ("Return", "Chad")
    assert first["actual_to_date"] == 10.0 and first["status"] == "off_track"
    assert first["reason"] == "for women: 10% of the way vs 80% expected by 31 May 2025 (overall: r3)"


def test_no_data_indicators_are_ordered_by_how_much_was_expected():
    more = INDICATORS.assign(status="no_data", progress=NAN)
    table = indicators_needing_attention(more, RESULTS, PROJECTS, statuses=("no_data",))
    # expected: PX.2/I1 .8, PX.1/I2 .7, PX.1/I1 .5 and PX.1/I3 .5 (by code), PX.2/I2 .4, PX.2/I3 .1
    assert codes(table) == ["PX.2/I1", "PX.1/I2", "PX.1/I1", "PX.1/I3", "PX.2/I2", "PX.2/I3"]


def test_empty_evaluation_gives_an_empty_list_with_the_columns():
    table = indicators_needing_attention(INDICATORS.iloc[0:0], RESULTS.iloc[0:0], PROJECTS.iloc[0:0])
    assert table.empty and "gap_pp" in table.columns


def test_unknown_sex_is_refused():
    with pytest.raises(ValueError, match="sex must be one of"):
        indicators_needing_attention(INDICATORS, RESULTS, PROJECTS, sex="other")


@pytest.mark.parametrize("sex", ["female", "male"])
def test_a_list_for_women_or_men_with_nothing_in_it_is_empty_not_an_error(sex):
    """For women (or men), a level nothing of the chosen statuses measures: an empty list with the
    columns (the reasons of no row are not written), as for everyone."""
    table = indicators_needing_attention(
        INDICATORS, RESULTS, PROJECTS, sex=sex, statuses=("off_track",), levels=("no such level",)
    )
    assert table.empty and list(table.columns) == list(
        indicators_needing_attention(INDICATORS.iloc[0:0], RESULTS.iloc[0:0], PROJECTS.iloc[0:0]).columns
    )
