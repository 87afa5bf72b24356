"""``snapshot create`` / ``snapshot list``: freeze the figures of a scope for a review, and list them.

``python -m data_access snapshot create --name NAME [--as-of DATE] [--as EMAIL | --scope SCOPE]``
evaluates the scope as of the date (default today) through the pages' one code path and stores every
figure with the settings in force, the data version, who and when (``data_access.snapshots``); the
new snapshot's id is the last line printed. ``snapshot list [--scope SCOPE]`` prints the snapshots that
scope may open (every one for the organisation), newest first.
A snapshot never changes: there is no command to edit or delete one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from data_access import db
from data_access.commands.report import add_identity_arguments, identity_argument, render
from data_access.commands.report import settings as load_checked_settings
from data_access.snapshots import create_snapshot, readable_snapshots, stored_size

HELP = "freeze the figures of a scope as of a date for a review (create), or list the snapshots (list)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("create", "list"), help="create a snapshot, or list them")
    parser.add_argument("--name", help="create: the snapshot's name, e.g. 'Q3 2026 review'")
    parser.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        default=dt.date.today(),
        help="create: the date the figures are computed at (YYYY-MM-DD, default today)",
    )
    # create: whose figures, and who freezes them; list: whose snapshots (those that scope may open)
    add_identity_arguments(parser)
    parser.add_argument("--format", choices=("csv", "table"), default="table", help="list: table (default) or csv")


def run(args: argparse.Namespace) -> int:
    engine = db.get_engine()
    scope = identity_argument(args, engine)
    if args.action == "list":
        sys.stdout.write(render(readable_snapshots(engine, scope), args.format))
        return 0
    snapshot_id = create_snapshot(
        engine,
        name=args.name or "",
        scope=scope,
        as_of=args.as_of,
        created_by=scope.person,
        settings=load_checked_settings(),
    )
    size = stored_size(engine, snapshot_id)
    print(f"Froze {scope.label} as of {args.as_of.isoformat()} ({size / 1e6:.1f} MB of figures). Snapshot id:")
    print(snapshot_id)
    return 0
