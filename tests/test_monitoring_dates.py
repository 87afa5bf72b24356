"""Dates as day numbers and the one elapsed-time formula (DOMAIN.md 2.1, 3): hand-computed cases.

Calendar: a project runs 2025-01-01 → 2025-12-31 (364 days); on 2025-07-02, 182 days have elapsed,
so exactly half of it. 2025-01-01 is day 20089 since 1970-01-01 (55 years of 365 days plus 14 leap
days: 20075 + 14).
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from monitoring.dates import as_day, date_text, date_texts, day_numbers, elapsed_share

d = dt.date
NAN = float("nan")
START, END = d(2025, 1, 1), d(2025, 12, 31)


def same(a, b) -> bool:
    if isinstance(b, float) and math.isnan(b):
        return isinstance(a, float) and math.isnan(a)
    return isinstance(a, float) and a == pytest.approx(b, abs=1e-12)


@pytest.mark.parametrize(
    ("as_of", "start", "end", "expected"),
    [
        (d(2024, 12, 31), START, END, 0.0),  # not started
        (d(2025, 1, 1), START, END, 0.0),  # first day
        (d(2025, 7, 2), START, END, 0.5),  # 182 / 364
        (d(2025, 12, 31), START, END, 1.0),  # last day
        (d(2026, 3, 1), START, END, 1.0),  # ended
        (d(2025, 12, 31), START, d(2026, 12, 31), 364 / 729),  # extended to 2026-12-31
        (d(2025, 7, 1), d(2025, 7, 1), d(2025, 7, 1), 1.0),  # one-day project, on its day (no division by 0)
        (d(2025, 6, 30), d(2025, 7, 1), d(2025, 7, 1), 0.0),  # one-day project, the day before
        # the forms a date arrives in: the same answer from each
        (dt.datetime(2025, 7, 2, 18, 30), START, END, 0.5),  # a datetime counts its day
        (pd.Timestamp("2025-07-02"), pd.Timestamp("2025-01-01"), pd.Timestamp("2025-12-31"), 0.5),
        (np.datetime64("2025-07-02"), np.datetime64("2025-01-01"), np.datetime64("2025-12-31"), 0.5),
        (np.datetime64("2025-07-02T00:00:00.000000000"), START, np.datetime64("2025-12-31", "s"), 0.5),
        (20089 + 182, 20089, 20089 + 364, 0.5),  # day numbers already
        # unknown dates: nothing can be said (not 0, as finance's copy answered for a missing end)
        (d(2025, 7, 2), START, None, NAN),
        (d(2025, 7, 2), START, pd.NaT, NAN),
        (d(2025, 7, 2), None, END, NAN),
        (d(2025, 7, 2), START, np.datetime64("NaT"), NAN),
        (d(2025, 7, 2), START, NAN, NAN),
    ],
)
def test_elapsed_share(as_of, start, end, expected):
    assert same(elapsed_share(as_of, start, end), expected)


# Three projects as columns: the middle one as above, one that ends on 2025-07-02 and one whose end is unknown.
STARTS = ["2025-01-01", "2025-01-01", "2025-01-01"]
ENDS = ["2025-12-31", "2025-07-02", None]
EXPECTED = [0.5, 1.0, NAN]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        # datetime64[ns] arrays handed directly: read as floats they counted nanoseconds
        (np.array(STARTS, dtype="datetime64[ns]"), np.array(ENDS, dtype="datetime64[ns]")),
        (np.array(STARTS, dtype="datetime64[D]"), np.array(ENDS, dtype="datetime64[D]")),
        (pd.Series(pd.to_datetime(STARTS)), pd.Series(pd.to_datetime(ENDS))),  # NaT for the unknown end
        (
            pd.Series([d(2025, 1, 1)] * 3, dtype=object),
            pd.Series([d(2025, 12, 31), d(2025, 7, 2), None], dtype=object),
        ),
        (np.array([20089.0] * 3), np.array([20089.0 + 364, 20089.0 + 182, NAN])),
    ],
    ids=["datetime64[ns]", "datetime64[D]", "series", "object dates", "day numbers"],
)
def test_elapsed_share_of_columns(start, end):
    share = elapsed_share(d(2025, 7, 2), start, end)
    assert isinstance(share, np.ndarray)
    np.testing.assert_allclose(share, EXPECTED, equal_nan=True)


def test_elapsed_share_with_a_column_of_as_of_dates():
    as_of = np.array(["2024-12-31", "2025-07-02", "2026-01-01"], dtype="datetime64[ns]")
    np.testing.assert_allclose(elapsed_share(as_of, START, END), [0.0, 0.5, 1.0])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (d(1970, 1, 1), 0),
        (d(2025, 1, 1), 20089),
        (dt.datetime(2025, 1, 1, 23, 59), 20089),
        (pd.Timestamp("2025-01-01 12:00"), 20089),
        (np.datetime64("2025-01-01T12:00"), 20089),
        (d(1969, 12, 31), -1),
    ],
)
def test_as_day(value, expected):
    assert as_day(value) == expected


def test_day_numbers_of_a_column_keep_missing_dates_missing():
    values = pd.Series([d(2025, 1, 1), None, d(1969, 12, 31)], dtype=object)
    np.testing.assert_array_equal(day_numbers(values), [20089.0, NAN, -1.0])
    assert math.isnan(day_numbers(None)) and math.isnan(day_numbers(pd.NaT))


@pytest.mark.parametrize(
    ("end", "revised", "expected"),
    [
        (END, None, END),  # no revision
        (END, d(2026, 6, 30), d(2026, 6, 30)),  # extended
        (END, d(2025, 9, 30), d(2025, 9, 30)),  # closed early
        (END, pd.NaT, END),  # a missing revision read from a frame
        (pd.Timestamp(END), NAN, pd.Timestamp(END)),
    ],
)
def test_current_end(end, revised, expected):
    from monitoring.dates import current_end

    assert current_end(end, revised) == expected


def test_reasons_say_dates_as_people_read_them():
    """One helper for every reason, flag message and alert: "30 Apr 2026", never 2026-04-30."""
    for value in (dt.date(2026, 4, 30), pd.Timestamp("2026-04-30"), np.datetime64("2026-04-30"), "2026-04-30"):
        assert date_text(value) == "30 Apr 2026"
    assert date_text(dt.date(2026, 5, 1)) == "1 May 2026"  # no leading zero
    column = pd.Series([dt.date(2026, 4, 30), dt.date(2025, 1, 2)])
    assert date_texts(column).tolist() == ["30 Apr 2026", "2 Jan 2025"]
