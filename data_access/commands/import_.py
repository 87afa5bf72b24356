"""``import FILE...``: validate files and import them all or nothing (CLI name ``import``).

The same path as the Data page: every file is sniffed and read (workbook, CSV tables, IATI XML),
everything is validated together, and only a clean set is written, in one transaction. Exit 0 when
imported (or already stored: outcome ``unchanged``); otherwise exit 1 with the report on stderr and
nothing written. Each attempt, refused or not, is logged in ``import_batches``. Progress goes to
stderr when it is a terminal. ``--check`` validates and shows what would change without writing
(and logs nothing).

Who imports: the command line is an administrator's tool. Without ``--as`` it acts as the server's
administrator (the whole organisation, recorded as ``administrator`` in the import log): that is how
the first people are loaded (a ``people`` sheet or ``people.csv``). ``--as EMAIL`` imports as a
person of ``people``: their scope applies (rows outside what they may write are errors, see
``data_access.importers.write_scope``) and the batch records their email. ``--scope`` (``report``'s
syntax: ``country:SEN``, ``region:ROAP``, ``projects:PX.1,PX.2``) narrows the administrator's write
scope, recorded as the administrator.

The report prints the file summaries, skipped activities, dimension mappings and ignored columns in
full; the notes that repeat per row or IATI element (conventions applied, values skipped: about
2,000 for a real IATI file) as a count per kind with the first three. ``--notes all`` prints every
note.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from sqlalchemy.orm import Session

from data_access import db
from data_access.commands.report import add_identity_arguments, identity_argument
from data_access.importers import safety
from data_access.importers.uploads import Refused, read_uploads
from data_access.importers.writer import import_files, log_refused, preview

HELP = "validate files (.xlsx, .csv, IATI .xml) and import them all or nothing"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="results-matrix workbook, CSV tables named after their sheet, or IATI activity XML",
    )
    parser.add_argument("--check", action="store_true", help="validate and show what would change; write nothing")
    add_identity_arguments(parser)
    parser.add_argument(
        "--iati-managing-country",
        default=None,
        metavar="ISO3",
        help="the country office managing the IATI activities that name no recipient country "
        "(regional or global programmes); without it they are skipped and listed. All their "
        "money then counts in that country",
    )
    parser.add_argument(
        "--notes",
        choices=("summary", "all"),
        default="summary",
        help="summary (default): summaries, skipped activities, dimension mappings and ignored "
        "columns in full, the notes on single rows (conventions applied, values skipped) "
        "counted with the first 3 of each kind; all: every note",
    )


class TerminalProgress:
    """A one-line progress bar on stderr, only when stderr is a terminal (never in logs or pipes)."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()

    def __call__(self, fraction: float, what: str) -> None:
        if self.enabled:
            filled = int(fraction * 30)
            print(
                f"\r[{'#' * filled}{' ' * (30 - filled)}] {fraction:4.0%} {what:<30}",
                end="",
                file=sys.stderr,
                flush=True,
            )

    def done(self) -> None:
        if self.enabled:
            print(file=sys.stderr)


def _oversized(path: Path) -> Refused:
    """Refused without reading the file into memory."""
    size, limit = path.stat().st_size, safety.max_file_bytes()
    return Refused(
        path.name,
        "",
        f"{path.name}: the file is {size / safety.MB:.1f} MB, above the "
        f"{limit / safety.MB:g} MB limit; split it or ask an administrator to raise "
        "DASHBOARD_IMPORT_MAX_MB.",
    )


def run(args: argparse.Namespace) -> int:
    scope = identity_argument(args, db.get_engine())
    user = scope.person
    today = dt.date.today()  # the day of the import: read here, at the edge, never inside the checks
    progress = TerminalProgress()
    limit = safety.max_file_bytes()
    small = [p for p in args.files if p.stat().st_size <= limit]
    uploads = read_uploads(
        ((p.name, p.read_bytes()) for p in small),
        progress,
        len(args.files),
        iati_managing_country=args.iati_managing_country,
    )
    uploads.refused += [_oversized(p) for p in args.files if p not in small]
    with Session(db.get_engine()) as session:
        if uploads.refused:
            progress.done()
            for refused in uploads.refused:
                if not args.check:
                    log_refused(
                        session,
                        refused.file_name,
                        refused.sha256,
                        Path(refused.file_name).suffix.lstrip("."),
                        user,
                        refused.message,
                    )
                print(f"ERROR {refused.message}", file=sys.stderr)
            print("Nothing was written: correct the file(s) above and import them again.", file=sys.stderr)
            return 1
        if args.check:
            report = preview(session, uploads.parsed, scope=scope, as_of=today)
            progress.done()
            print(report.to_text(notes=args.notes), file=sys.stdout if report.ok else sys.stderr)
            return 0 if report.ok else 1
        result = import_files(session, uploads.parsed, user=user, scope=scope, as_of=today, progress=progress)
    progress.done()
    if not result.ok:
        print(result.report.to_text(notes=args.notes), file=sys.stderr)
        return 1
    print(result.report.to_text(notes=args.notes))
    print(f"Import {result.outcome} (batch {result.batch_id}).")
    return 0
