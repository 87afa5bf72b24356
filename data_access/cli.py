"""The command line: ``python -m data_access [--database-url URL] COMMAND ...``.

Why it is built this way:

* Commands are modules in ``data_access/commands`` (see its ``__init__``) so that each can be
  written and tested on its own; this file only wires them and translates errors.
* A user error (bad file, bad code, unreachable database, schema missing) is one clear line on
  stderr and exit code 1 — never a traceback. Anything else is a bug and is allowed to surface.
* A known command whose module does not exist yet answers in one line with exit code 2 (the
  argparse convention for "cannot do that"), rather than failing on import.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from sqlalchemy import exc as sa_exc

from data_access.errors import DataAccessError, translate_db_error

PROG = "python -m data_access"
COMMANDS: tuple[str, ...] = ("init", "seed", "import", "export", "template", "report", "check")
EXIT_OK, EXIT_ERROR, EXIT_UNAVAILABLE = 0, 1, 2
# Command names that are Python keywords live in a module with a trailing underscore.
MODULES: dict[str, str] = {"import": "import_"}


def _load(name: str) -> ModuleType | None:
    """The module of command ``name``, or None when it is not there (only that; other import errors
    are bugs and propagate)."""
    module_name = f"data_access.commands.{MODULES.get(name, name)}"
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name == module_name:
            return None
        raise


def _unavailable(name: str):  # type: ignore[no-untyped-def]
    def run(_args: argparse.Namespace) -> int:
        print(f"{PROG}: the '{name}' command is not available in this version yet.", file=sys.stderr)
        return EXIT_UNAVAILABLE

    return run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="Set up, fill, check and report on the monitoring database."
    )
    parser.add_argument(
        "--database-url",
        help="SQLAlchemy URL of the database (default: $DATABASE_URL, else var/dashboard.db)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        module = _load(name)
        if module is None:
            sub = subparsers.add_parser(name, help="(not available yet)")
            sub.set_defaults(run=_unavailable(name), ignores_arguments=True)
            continue
        sub = subparsers.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def _one_line(message: object) -> str:
    return " ".join(str(message).split())


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv``, run the command, and return its exit code (errors as one stderr line)."""
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown and not getattr(args, "ignores_arguments", False):
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    try:
        return int(args.run(args))
    except DataAccessError as error:
        print(f"error: {_one_line(error)}", file=sys.stderr)
    except sa_exc.SQLAlchemyError as error:
        print(f"error: {_one_line(translate_db_error(error))}", file=sys.stderr)
    except FileNotFoundError as error:
        print(f"error: no such file: {error.filename}", file=sys.stderr)
    except IsADirectoryError as error:
        print(f"error: {error.filename} is a folder, not a file", file=sys.stderr)
    except PermissionError as error:
        print(f"error: permission denied: {error.filename}", file=sys.stderr)
    except OSError as error:
        where = f": {error.filename}" if error.filename else ""
        print(f"error: {_one_line(error.strerror or error)}{where}", file=sys.stderr)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    return EXIT_ERROR
