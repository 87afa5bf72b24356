"""``export DIR``: write the stored data as the canonical CSV tables (the importer's own format).

``python -m data_access export out/`` then ``python -m data_access import out/*.csv`` into an empty
database reproduces the data (see ``data_access/importers/export.py`` for what is and is not kept).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy.orm import Session

from data_access import db
from data_access.importers.export import export_tables

HELP = "write the stored data as CSV tables (projects.csv, results.csv, ...) into DIR"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", type=Path, metavar="DIR", help="folder to write the CSV files into (created)")


def run(args: argparse.Namespace) -> int:
    with Session(db.get_engine(create=False)) as session:
        counts = export_tables(session, args.directory)
    print(f"Wrote {len(counts)} tables to {args.directory}: " + ", ".join(f"{name} {n}" for name, n in counts.items()))
    return 0
