"""The latest comment of an indicator's reported periods (hand-built cases)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from monitoring.comments import LATEST_COMMENT_COLUMNS, latest_comments

D = dt.date
AS_OF = D(2025, 6, 30)

# indicator_id, period_start, period_end, comment
ROWS = [
    # 1: two commented quarters -> the later one (Q2)
    (1, D(2025, 1, 1), D(2025, 3, 31), "Slow start"),
    (1, D(2025, 4, 1), D(2025, 6, 30), "  Delayed by floods "),
    # 2: the latest quarter has no comment, the one before has -> the one before
    (2, D(2025, 1, 1), D(2025, 3, 31), "Supplier late"),
    (2, D(2025, 4, 1), D(2025, 6, 30), None),
    # 3: the latest quarter's comment is blank spaces -> the earlier one
    (3, D(2025, 1, 1), D(2025, 3, 31), "On plan"),
    (3, D(2025, 4, 1), D(2025, 6, 30), "   "),
    # 4: a period ending after the as-of date is ignored
    (4, D(2025, 4, 1), D(2025, 6, 30), "Q2 note"),
    (4, D(2025, 7, 1), D(2025, 9, 30), "Q3 note, not yet due"),
    # 5: no comment at all -> absent
    (5, D(2025, 4, 1), D(2025, 6, 30), ""),
    # 6: the quarter and the month closing it end the same day -> the later start (the month)
    (6, D(2025, 4, 1), D(2025, 6, 30), "Quarter note"),
    (6, D(2025, 6, 1), D(2025, 6, 30), "June note"),
    # 7: only a future period has a comment -> absent
    (7, D(2025, 7, 1), D(2025, 7, 31), "July note"),
]

EXPECTED = {
    1: ("Delayed by floods", D(2025, 6, 30)),
    2: ("Supplier late", D(2025, 3, 31)),
    3: ("On plan", D(2025, 3, 31)),
    4: ("Q2 note", D(2025, 6, 30)),
    6: ("June note", D(2025, 6, 30)),
}


def _actuals(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["indicator_id", "period_start", "period_end", "comment"]).assign(value=1.0)


def test_latest_comment_per_indicator():
    got = latest_comments(_actuals(ROWS), AS_OF)
    assert list(got.columns) == list(LATEST_COMMENT_COLUMNS)
    assert {
        int(r.indicator_id): (r.comment, pd.Timestamp(r.comment_period_end).date()) for r in got.itertuples()
    } == EXPECTED


def test_as_of_before_every_period_gives_no_comment():
    assert latest_comments(_actuals(ROWS), D(2025, 3, 30)).empty


def test_as_of_on_the_period_end_counts_that_period():
    got = latest_comments(_actuals(ROWS), D(2025, 3, 31))
    assert dict(zip(got["indicator_id"], got["comment"], strict=True)) == {
        1: "Slow start",
        2: "Supplier late",
        3: "On plan",
    }


def test_no_actuals():
    got = latest_comments(_actuals([]), AS_OF)
    assert got.empty and list(got.columns) == list(LATEST_COMMENT_COLUMNS)
