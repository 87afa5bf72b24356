"""``init``: create the database schema, or upgrade it to this version's latest migration.

Safe to run at every start (``make run`` does): on an up-to-date database it changes nothing.
"""

from __future__ import annotations

import argparse

from data_access import db

HELP = "create the database schema or upgrade it to the latest version (safe to repeat)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``init`` takes no options beyond the global ``--database-url``."""


def run(args: argparse.Namespace) -> int:
    engine = db.get_engine()
    before = db.current_revision(engine)
    db.upgrade(engine)
    after = db.current_revision(engine)
    if before == after:
        print(f"Schema already up to date (revision {after}) in {db.describe(engine)}.")
    elif before is None:
        print(f"Created the schema (revision {after}) in {db.describe(engine)}.")
    else:
        print(f"Upgraded the schema from revision {before} to {after} in {db.describe(engine)}.")
    return 0
