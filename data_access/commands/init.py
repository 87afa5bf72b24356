"""``init``: create the database schema, or upgrade it to this version's latest migration.

Safe to run at every start (``make run`` does): on an up-to-date database it changes nothing. It
also names regions, countries, offices and donors that older imports stored under bare codes
(:mod:`data_access.reference_names`), printing each rename, so an older database shows names.
"""

from __future__ import annotations

import argparse

from data_access import db
from data_access.reference_names import name_reference_rows

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
    with db.writing(engine).begin() as connection:
        renamed = name_reference_rows(connection)
    if renamed:
        print("Reference rows stored under bare codes by older imports (named from the reference):")
        for line in renamed:
            print(f"  {line}")
    return 0
