"""``export-iati --output FILE.xml [--as EMAIL | --scope ...]``: the projects in scope as IATI 2.03 activities.

Who is asking as for ``report``: without ``--as`` the administrator (the whole organisation, or
``--scope`` narrowing it); ``--as EMAIL`` a person of ``people``, whose file then holds exactly the
projects they read on the pages (``queries.readable_projects``), nothing of any other project.

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
from data_access.commands.report import add_identity_arguments, identity_argument
from data_access.errors import InvalidInput
from data_access.iati_export import IOM_NAME, validate, write_iati
from data_access.importers.iati_reference import IOM_ORG_REF

HELP = "write the projects in scope as an IATI 2.03 activity file (results, budgets, transactions, markers)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", "-o", type=Path, required=True, metavar="FILE.xml", help="the file to write")
    add_identity_arguments(parser)
    parser.add_argument("--org-ref", default=IOM_ORG_REF, help=f"reporting organisation identifier ({IOM_ORG_REF})")
    parser.add_argument("--org-name", default=IOM_NAME, help="reporting organisation name")
    parser.add_argument("--no-validate", action="store_true", help="do not check the file against the 2.03 schema")


def run(args: argparse.Namespace) -> int:
    engine = db.get_engine()
    scope = identity_argument(args, engine)
    with Session(engine) as session:
        written = write_iati(session, scope, args.output, org_ref=args.org_ref, org_name=args.org_name)
    if not args.no_validate:
        errors = validate(args.output)
        if errors:
            raise InvalidInput(f"{args.output}: {len(errors)} schema error(s) against IATI 2.03, first: {errors[0]}")
    print(f"Wrote {written} activities to {args.output}" + ("" if args.no_validate else " (valid IATI 2.03)"))
    return 0
