"""``seed``: fill an empty database with the deterministic sample portfolio.

Runs the migrations first (a fresh SQLite file needs no separate ``init``). ``--if-empty`` makes
seeding a no-op on a database that already holds projects: ``make run`` calls it at every start, so
the demo appears on first run and real or imported data is never touched afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt

from data_access import db
from data_access.seed import seed_database
from sample_data.generator import DEFAULT_PROJECTS, DEFAULT_SEED

HELP = "fill an empty database with the sample portfolio (--projects N, --seed S, --today DATE)"


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {value!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--projects", type=_positive, default=DEFAULT_PROJECTS, help=f"number of projects (default {DEFAULT_PROJECTS})"
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help=f"random seed: the same seed and date give the same data (default {DEFAULT_SEED})",
    )
    parser.add_argument(
        "--today",
        type=_date,
        default=None,
        help="reference date YYYY-MM-DD the portfolio is anchored on (default: today)",
    )
    parser.add_argument(
        "--if-empty", action="store_true", help="do nothing, successfully, when the database already holds projects"
    )


def run(args: argparse.Namespace) -> int:
    engine = db.get_engine()
    db.upgrade(engine)
    if args.if_empty and not db.is_empty(engine):
        return 0
    counts = seed_database(engine, projects=args.projects, seed=args.seed, today=args.today)
    total = sum(counts.values())
    print(
        f"Seeded {counts['projects']:,} projects ({total:,} rows: {counts['indicators']:,} indicators, "
        f"{counts['actuals']:,} actuals, {counts['expenditures']:,} expenditure months) "
        f"in {db.describe(engine)}."
    )
    return 0
