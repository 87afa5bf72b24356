"""``template OUT.xlsx [--as EMAIL | --scope SCOPE] [--as-of DATE]``: write a workbook to fill and import.

Without ``--as`` or ``--scope``: the blank results-matrix template, the one the Data page offers
(``data_access.importers.template``). With one of them: the **pre-filled workbook** of that person's
(or that scope's) reports due or overdue as of ``--as-of`` (default today), the one the Data and
Project pages offer (``data_access.importers.prefilled``): their projects' results and indicators and
one row per report to fill, for the projects they may write. ``--as-of`` alone is refused rather than
silently ignored: a date only means something for somebody's reports.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from data_access import db
from data_access.commands.report import add_identity_arguments, identity_argument, settings
from data_access.importers.prefilled import due_workbook
from data_access.importers.template import write_template
from data_access.scope import PortfolioFilter

HELP = (
    "write the results-matrix workbook template (instructions, one sheet per table, dropdowns), or with "
    "--as/--scope the workbook pre-filled with that person's reports due or overdue"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("output", type=Path, metavar="OUT.xlsx", help="where to write the workbook")
    add_identity_arguments(parser, without="the blank template, no one's reports")
    parser.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        default=None,
        help="with --as or --scope: the date the reports are due or overdue at (YYYY-MM-DD, default today)",
    )


def run(args: argparse.Namespace) -> int:
    if args.output.suffix.lower() != ".xlsx":
        print("error: the template is an Excel workbook; give a file name ending in .xlsx", file=sys.stderr)
        return 1
    if not (args.as_email or args.scope):
        if args.as_of is not None:
            print(
                "error: --as-of dates the pre-filled workbook of someone's reports; add --as EMAIL or --scope "
                "(without them the blank template is written, which has no date)",
                file=sys.stderr,
            )
            return 1
        write_template(args.output)
        print(f"Wrote the results-matrix template to {args.output}.")
        return 0
    engine = db.get_engine(create=False)
    scope = identity_argument(args, engine)
    as_of = args.as_of or dt.date.today()
    workbook = due_workbook(engine, scope, PortfolioFilter(as_of=as_of), settings().reporting_grace_days)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(workbook.data)
    projects = f" for {len(workbook.projects)} project(s): {', '.join(workbook.projects)}" if workbook.reports else ""
    print(
        f"Wrote {workbook.reports:,} report(s) due or overdue as of {as_of.isoformat()} "
        f"({workbook.overdue:,} overdue){projects}, for {scope.label}, to {args.output}."
    )
    return 0
