"""``pack``: the review pack of a scope, as PowerPoint or PDF.

``python -m data_access pack --format pdf|pptx --output FILE [--snapshot ID | --as-of DATE]
[--since ID] [--scope SCOPE]`` writes the pack (title, key figures, what changed and why, problems
ranked by money at stake, off-track indicators, money, risks, overdue recommendations, data quality,
gender and AAP coverage: ``packs.content``) of a snapshot, or of today's data as of a date, for the
reader's scope. "What changed" compares with ``--since``, by default the previous snapshot of the
same scope. Nothing outside the scope is read, so nothing outside it can appear.
"""

from __future__ import annotations

import argparse
import datetime as dt

from data_access import db
from data_access.changes import review_inputs
from data_access.commands.report import scope_argument, settings
from data_access.errors import InvalidInput
from packs import FORMATS, write_pack
from packs.content import build_pack

HELP = "write the review pack (PowerPoint or PDF) of a snapshot or of today's data, for a scope"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, required=True, help="pdf or pptx")
    parser.add_argument("--output", "-o", required=True, help="the file to write")
    parser.add_argument("--snapshot", type=int, metavar="ID", help="the snapshot whose figures the pack shows")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, help="without --snapshot: today's data as of DATE")
    parser.add_argument(
        "--since", type=int, metavar="ID", help="compare with this snapshot (default: the previous one)"
    )
    parser.add_argument(
        "--scope",
        default="organisation",
        help="who the pack is for: organisation (default), region:CODES, country:ISO3S or projects:CODES",
    )


def run(args: argparse.Namespace) -> int:
    if args.snapshot is not None and args.as_of is not None:
        raise InvalidInput("give --snapshot ID or --as-of DATE, not both (a snapshot has its own date)")
    engine = db.get_engine(create=False)
    asker = scope_argument(args.scope, engine)
    inputs = review_inputs(engine, asker, settings(), snapshot_id=args.snapshot, as_of=args.as_of, since_id=args.since)
    figures = inputs.pop("figures")
    changes = inputs.pop("changes")
    pack = build_pack(figures, changes, **inputs)
    write_pack(pack, args.format, args.output)
    print(f"Wrote the {args.format.upper()} review pack of {inputs['scope_label']} to {args.output}")
    return 0
