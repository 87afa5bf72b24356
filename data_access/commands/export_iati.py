"""``export-iati --output FILE.xml [--scope ...]``: the projects in scope as IATI 2.03 activities.

Results (indicators with measure, direction, baseline, periods with targets and actuals by sex and
age), budgets, transactions and policy markers; see ``data_access/iati_export.py`` and
docs/follow-up.md. The file is checked against the official 2.03 schema before the command says
it is done (``--no-validate`` skips the check).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy.orm import Session

from data_access import db
from data_access.commands.report import scope_argument
from data_access.errors import InvalidInput
from data_access.iati_export import IOM_NAME, validate, write_iati
from data_access.importers.iati_reference import IOM_ORG_REF

HELP = "write the projects in scope as an IATI 2.03 activity file (results, budgets, transactions, markers)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", "-o", type=Path, required=True, metavar="FILE.xml", help="the file to write")
    parser.add_argument(
        "--scope",
        default="organisation",
        help="organisation (default), region:CODES, country:ISO3S or projects:CODES (codes separated by commas)",
    )
    parser.add_argument("--org-ref", default=IOM_ORG_REF, help=f"reporting organisation identifier ({IOM_ORG_REF})")
    parser.add_argument("--org-name", default=IOM_NAME, help="reporting organisation name")
    parser.add_argument("--no-validate", action="store_true", help="do not check the file against the 2.03 schema")


def run(args: argparse.Namespace) -> int:
    engine = db.get_engine()
    scope = scope_argument(args.scope, engine)
    with Session(engine) as session:
        written = write_iati(session, scope, args.output, org_ref=args.org_ref, org_name=args.org_name)
    if not args.no_validate:
        errors = validate(args.output)
        if errors:
            raise InvalidInput(f"{args.output}: {len(errors)} schema error(s) against IATI 2.03, first: {errors[0]}")
    print(f"Wrote {written} activities to {args.output}" + ("" if args.no_validate else " (valid IATI 2.03)"))
    return 0
