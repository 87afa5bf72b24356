"""Subcommands of ``python -m data_access``: one module per command.

Each module exposes ``HELP: str`` (one line for ``--help``), ``add_arguments(parser)`` (argparse)
and ``run(args) -> int`` (the exit code). ``data_access/cli.py`` discovers them by name from
``cli.COMMANDS``, turns every :class:`~data_access.errors.DataAccessError` and file error into one
line on stderr with exit code 1, and says so in one line (exit 2) when a known command's module is
not installed yet. The database is ``DATABASE_URL`` (``--database-url`` sets it for the run), so a
command calls ``data_access.db.get_engine()`` (``create=False`` when it only reads or adds to an
existing database: a mistyped SQLite path is then an error, not a new empty file).
"""
