"""The command line: ``python -m data_access [--database-url URL] COMMAND ...``.

Why it is built this way:

* Commands are modules in ``data_access/commands`` (see its ``__init__``) so that each can be
  written and tested on its own; this file only wires them and translates errors.
* Only the module of the command being run is imported: a command that is broken or whose
  dependencies are missing cannot stop ``init`` or ``seed`` (``make run`` needs those). ``--help``
  imports every module and marks the ones that cannot load.
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
COMMANDS: tuple[str, ...] = (
    "init",
    "seed",
    "evaluate",
    "import",
    "export",
    "export-iati",
    "digest",
    "template",
    "report",
    "check",
    "snapshot",
    "changes",
    "pack",
)
EXIT_OK, EXIT_ERROR, EXIT_UNAVAILABLE = 0, 1, 2
# A command whose name is a Python keyword lives in a module with a trailing underscore.
MODULES: dict[str, str] = {"import": "import_", "export-iati": "export_iati"}


def _load(name: str) -> ModuleType | None:
    """The module of command ``name``, or None when it does not exist (any other import error is a
    bug in that module and propagates)."""
    module_name = f"data_access.commands.{MODULES.get(name, name)}"
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name == module_name:
            return None
        raise


def _summary(name: str) -> str:
    """One line for ``--help``: the command's HELP, or why it cannot run."""
    try:
        module = _load(name)
    except ImportError as error:
        return f"(cannot load: {error})"
    return "(not available yet)" if module is None else module.HELP


class _HelpListingCommands(argparse.Action):
    """``-h``: the usual help plus one line per command (imports every command module, only here)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show this help message and exit")

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        listing = "\n".join(f"  {name:<10} {_summary(name)}" for name in COMMANDS)
        parser.epilog = f"commands:\n{listing}\n\n`{PROG} COMMAND --help` shows a command's options."
        parser.print_help()
        parser.exit()


def _top_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Set up, fill, check and report on the monitoring database.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=False,
    )
    parser.add_argument("-h", "--help", action=_HelpListingCommands)
    parser.add_argument(
        "--database-url",
        help="SQLAlchemy URL of the database (default: $DATABASE_URL, else var/dashboard.db)",
    )
    parser.add_argument("command", choices=COMMANDS, metavar="COMMAND", help=", ".join(COMMANDS))
    parser.add_argument("arguments", nargs=argparse.REMAINDER, metavar="...", help="the command's options")
    return parser


def _one_line(message: object) -> str:
    return " ".join(str(message).split())


def _run_command(args: argparse.Namespace) -> int:
    module = _load(args.command)
    if module is None:
        print(f"{PROG}: the '{args.command}' command is not available in this version yet.", file=sys.stderr)
        return EXIT_UNAVAILABLE
    parser = argparse.ArgumentParser(prog=f"{PROG} {args.command}", description=module.HELP)
    module.add_arguments(parser)
    command_args = parser.parse_args(args.arguments)
    command_args.command = args.command
    command_args.database_url = args.database_url
    return int(module.run(command_args))


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv``, run the command, and return its exit code (errors as one stderr line)."""
    args = _top_parser().parse_args(argv)
    from data_access.importers.gc_pause import allow_pause

    allow_pause()  # one command per process: pausing the collector during an import harms no one else
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    try:
        return _run_command(args)
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
