"""Dates as day numbers, and the share of a project's time elapsed (DOMAIN.md 2.1, 3).

Every date the logic compares becomes a number of days since 1970-01-01 (a float, ``NaN`` when
missing), whatever shape it arrived in: ``datetime.date``, ``datetime``, ``pandas.Timestamp``,
``numpy.datetime64`` of any unit, object columns of dates (``None`` for missing), ``datetime64``
columns (``NaT`` for missing), or day numbers already. Converting at the door keeps the formulas
plain arithmetic, and one conversion means one answer: a ``datetime64[ns]`` array read as floats
counts nanoseconds, not days, which is why no formula casts dates with ``np.asarray(..., float)``.

:func:`elapsed_share` is the one elapsed-time formula: indicators' linear expected progress and
the finance module's planned burn without a spending plan both use it.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

_EPOCH = dt.date(1970, 1, 1)


def as_day(value) -> int:
    """One date (``datetime.date``, ``datetime``, ``Timestamp`` or ``datetime64``) as days since 1970-01-01."""
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        value = pd.Timestamp(value).date()
    if isinstance(value, dt.datetime):
        value = value.date()
    return (value - _EPOCH).days


def day_numbers(values) -> np.ndarray | float:
    """Days since 1970-01-01 as floats (NaN when missing): of one date, or of a column or array of them.

    Accepts every form listed in the module docstring; numbers are taken as day numbers already.
    A scalar gives a float, anything else a float64 array.
    """
    if values is None or values is pd.NaT:
        return float("nan")
    if isinstance(values, (dt.date, np.datetime64, pd.Timestamp)):
        return float("nan") if pd.isna(values) else float(as_day(values))
    if isinstance(values, (int, float, np.integer, np.floating)):
        return float(values)
    array = values.to_numpy() if isinstance(values, (pd.Series, pd.Index)) else np.asarray(values)
    if array.dtype.kind in "iuf":
        return array.astype("float64")
    if array.dtype.kind != "M":  # objects: dates, datetimes, strings, None
        array = pd.to_datetime(pd.Series(array, dtype=object), errors="coerce").to_numpy(dtype="datetime64[ns]")
    days = array.astype("datetime64[D]")
    out = days.view("int64").astype("float64")
    out[np.isnat(days)] = np.nan
    return out


def _scalar_or_array(values: np.ndarray):
    """A 0-d result as a Python float, so a call on scalars returns a scalar."""
    return values.item() if values.ndim == 0 else values


def elapsed_share(as_of, start, end):
    """Share of a project's duration elapsed at ``as_of``: (D − start) ÷ (end − start) in days, in [0, 1].

    Pass the revised end date when there is one. Each argument may be a date in any form of the
    module docstring, or an array or column of them (broadcast together). An unknown start or end
    gives ``NaN`` (nothing can be said about what is due). A project whose end is not after its
    start (a one-day project) has elapsed 0 before its end date and 1 from it.
    """
    d, s, e = (np.asarray(day_numbers(x), dtype="float64") for x in (as_of, start, end))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(e > s, (d - s) / (e - s), np.where(d >= e, 1.0, 0.0))
    share = np.where(np.isnan(s) | np.isnan(e) | np.isnan(d), np.nan, share)
    return _scalar_or_array(np.clip(share, 0.0, 1.0))


def date_text(value) -> str:
    """A date as people read it in a sentence, "30 Apr 2026": every reason, flag message and alert
    says dates so (ISO ``2026-04-30`` stays in files, URLs and codes). Takes any form
    ``pd.Timestamp`` reads (``datetime.date``, ``datetime64``...)."""
    day = pd.Timestamp(value)
    return f"{day.day} {day:%b %Y}"


def date_texts(values: pd.Series) -> pd.Series:
    """:func:`date_text` of a column of dates, vectorised (one strftime per row, no Python loop)."""
    days = pd.to_datetime(values)
    return days.dt.day.astype(str) + " " + days.dt.strftime("%b %Y")


def urgent_first(
    rows: pd.DataFrame, state: pd.Series, states: tuple[str, ...], late_by: pd.Series, keys: list[str]
) -> pd.DataFrame:
    """``rows`` in the order a reader acts on them: by ``state`` in the order of ``states``; among the
    overdue and the due soon, the most late first (``late_by``: days past the due date, negative when
    not yet due); then by ``keys``. The one ordering of the recommendations register and the visit
    policy, whose states share the words "overdue" and "due_soon"."""
    order = state.map({s: i for i, s in enumerate(states)})
    urgency = (-late_by.astype(float)).where(state.isin(("overdue", "due_soon")))
    ordered = rows.assign(_order=order, _urgency=urgency).sort_values(
        ["_order", "_urgency", *keys], kind="stable", na_position="last"
    )
    return ordered.drop(columns=["_order", "_urgency"])


def current_end(end_date, revised_end_date):
    """A project's end date in force: the revised end date when one is recorded (an extension or an
    early close), else the original one (DOMAIN.md 3, "(revised) end date")."""
    return revised_end_date if pd.notna(revised_end_date) else end_date
