"""``evaluate``: build the stored evaluations ahead of readers (``data_access.evalstore``).

Evaluates every project not yet stored for today and for the last ``--month-ends`` month-ends (or
for the ``--as-of`` dates given), so that nobody waits for a first read: after a seed, after an
exchange-rate import (which empties every stored evaluation), or nightly (a new day is a new
as-of date). Safe to repeat: projects already stored are skipped. The stored tables' planner
statistics are refreshed after storing (``db.analyze``): they hold millions of rows a page reads by
scope and project.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from data_access import db, evalstore
from data_access import models as m

HELP = "store every project's evaluated figures for today and past month-ends (--as-of DATE..., --month-ends N)"


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {value!r}") from None


def _count(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return number


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-of", type=_date, nargs="+", default=None, help="dates YYYY-MM-DD to evaluate (default: today)"
    )
    parser.add_argument(
        "--month-ends",
        type=_count,
        default=3,
        help="also the last N month-ends before today, when --as-of is not given (default 3)",
    )


def run(args: argparse.Namespace) -> int:
    engine = db.get_engine()
    db.upgrade(engine)
    today = dt.date.today()
    dates = args.as_of or [today, *evalstore.month_ends(today, args.month_ends)]
    stored = 0
    for as_of in dates:
        started = time.perf_counter()
        done = evalstore.build(engine, [as_of])[as_of]
        stored += done
        print(f"{as_of}: {done:,} projects evaluated and stored in {time.perf_counter() - started:.1f} s")
    if stored:
        with engine.begin() as connection:
            db.analyze(connection, [m.EvaluationRun.__table__, *m.EVALUATION_TABLES.values()])
    return 0
