"""The comment shown beside an indicator's status reason (issue 16, part 4).

A programme manager explains a figure in the ``comment`` of a reported period ("the distribution was
delayed by floods"); the Project and Off-track pages show the latest such comment next to the status
reason, so a reader sees the explanation where the status is explained.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

LATEST_COMMENT_COLUMNS = ("indicator_id", "comment", "comment_period_start", "comment_period_end")


def latest_comments(actuals: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Per indicator, the comment of its latest reported period up to ``as_of`` that has one.

    ``actuals``: current versions of reported actuals with ``indicator_id``, ``period_start``,
    ``period_end`` and ``comment`` (other columns are ignored). Returns one row per indicator that has
    a comment (columns :data:`LATEST_COMMENT_COLUMNS`); an indicator without one is absent.

    Decisions:

    * Only periods that ended on or before ``as_of`` count: a comment on a period still running (or
      reported ahead for a later one) does not explain the status judged as of that date.
    * A blank comment (missing, empty or only spaces) is no comment: the latest period *with words*
      wins, so a later period reported without a comment does not hide the explanation given before.
      The text is shown stripped of surrounding spaces, otherwise as written.
    * Latest = latest period end; two periods ending the same day (a quarter and the month closing it)
      are ordered by the later start, i.e. the shorter, more recent period wins. Only current versions
      are given, so one period has one comment.
    """
    empty = pd.DataFrame(columns=list(LATEST_COMMENT_COLUMNS))
    if actuals.empty:
        return empty
    text = actuals["comment"].astype(object).where(actuals["comment"].notna(), "").astype(str).str.strip()
    ends = pd.to_datetime(actuals["period_end"]).dt.date
    keep = (text != "") & (ends <= as_of)
    if not keep.any():
        return empty
    rows = actuals.loc[keep, ["indicator_id", "period_start", "period_end"]].assign(comment=text[keep])
    rows = rows.sort_values(["indicator_id", "period_end", "period_start"], kind="stable")
    latest = rows.drop_duplicates("indicator_id", keep="last")
    return (
        latest.rename(columns={"period_start": "comment_period_start", "period_end": "comment_period_end"})[
            list(LATEST_COMMENT_COLUMNS)
        ]
        .sort_values("indicator_id")
        .reset_index(drop=True)
    )


def comment_by_indicator(actuals: pd.DataFrame, as_of: dt.date) -> pd.Series:
    """:func:`latest_comments` as a Series of comment texts indexed by indicator id (for lookups)."""
    latest = latest_comments(actuals, as_of)
    return pd.Series(latest["comment"].to_numpy(dtype=object), index=latest["indicator_id"].to_numpy(), dtype=object)
