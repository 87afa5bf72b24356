"""``changes --since SNAPSHOT_ID``: what changed since a review snapshot, each change with its cause.

``python -m data_access changes --since ID [--until ID | --as-of DATE] [--as EMAIL | --scope SCOPE]
[--format csv|table]``
compares the snapshot with a later snapshot (``--until``) or with the data of today as of a date
(``--as-of``, default today), in the snapshot's scope, and prints one row per change: kind,
project_code, indicator_code, flag_code, item (the KPI or group total), before, after, cause.
How causes are found: ``monitoring.changes`` and docs/review.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from data_access import db
from data_access.changes import changes_since
from data_access.commands.report import add_identity_arguments, identity_argument, render, settings
from data_access.errors import InvalidInput

HELP = "list what changed since a review snapshot (to now or a later snapshot), each change with its cause"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", type=int, required=True, metavar="SNAPSHOT_ID", help="the earlier snapshot")
    parser.add_argument("--until", type=int, metavar="SNAPSHOT_ID", help="a later snapshot (default: now)")
    parser.add_argument(
        "--as-of", type=dt.date.fromisoformat, help="without --until: the date now is evaluated at (default today)"
    )
    add_identity_arguments(parser)
    parser.add_argument("--format", choices=("csv", "table"), default="csv", help="csv (default) or a table")
    parser.add_argument("--output", "-o", help="write to this file instead of standard output")


def run(args: argparse.Namespace) -> int:
    if args.until is not None and args.as_of is not None:
        raise InvalidInput("give --until SNAPSHOT_ID or --as-of DATE, not both (a snapshot has its own date)")
    engine = db.get_engine()
    asker = identity_argument(args, engine)
    table = changes_since(engine, args.since, asker, settings(), until_id=args.until, as_of=args.as_of)
    text = render(table, args.format)
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as out:
            out.write(text)
    else:
        sys.stdout.write(text)
    return 0
