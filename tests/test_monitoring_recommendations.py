"""Which recommendations are open (monitoring.recommendations): one row per status, hand-listed."""

from __future__ import annotations

import pandas as pd
import pytest

from monitoring.recommendations import OPEN_STATUSES, open_recommendations
from reference.vocabulary import RECOMMENDATION_STATUSES


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
