"""The one error hierarchy of the data layer, and the translation of driver errors into it.

Pages and the command line catch only :class:`DataAccessError` (ARCHITECTURE.md practice 9): its
message is a sentence a person can act on ("a project with code PX.0001 already exists"), never a
driver dump. Anything else that escapes is a bug and must surface in tests.

:func:`translate_db_error` turns a SQLAlchemy/driver exception into the matching subclass; the
original stays attached as ``__cause__`` for logs.
"""

from __future__ import annotations

import re

from sqlalchemy import exc as sa_exc


class DataAccessError(Exception):
    """Base class: something about the data or the database that the user can act on."""


class NotFound(DataAccessError):
    """The thing asked for does not exist, or is outside the asker's scope (same message: no leak)."""


class InvalidInput(DataAccessError):
    """The request or file is malformed: a bad code, a wrong column, an unreadable file."""


class Conflict(DataAccessError):
    """The data breaks a rule of the database: duplicate key, check constraint, dangling reference."""


_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?P<cols>[\w., ]+)")
_SQLITE_CHECK = re.compile(r"CHECK constraint failed: (?P<name>\w+)")


def _diagnostic(error: sa_exc.DBAPIError, field: str) -> str | None:
    """A field of PostgreSQL's error diagnostics (psycopg ``diag``), when there is one."""
    diag = getattr(error.orig, "diag", None)
    return getattr(diag, field, None) if diag is not None else None


def describe_integrity_error(error: sa_exc.IntegrityError) -> str:
    """A sentence naming the rule a write broke, from SQLite's message or PostgreSQL's diagnostics."""
    raw = str(error.orig)
    name = _diagnostic(error, "constraint_name")
    detail = _diagnostic(error, "message_detail")  # PostgreSQL: "Key (code)=(PX.1) already exists."
    suffix = f" ({detail})" if detail else ""
    if (match := _SQLITE_UNIQUE.search(raw)) or "unique" in raw.lower() or "duplicate" in raw.lower():
        what = match.group("cols") if match else name or "a unique key"
        return f"A row with the same {what} already exists{suffix}; use a different code or update the existing row."
    if (match := _SQLITE_CHECK.search(raw)) or "check constraint" in raw.lower():
        what = match.group("name") if match else name or "a check constraint"
        return f"A value breaks the database rule {what}; correct the value and try again."
    if "foreign key" in raw.lower():
        return (
            f"A row refers to something that does not exist{suffix}; "
            "create the referenced project, indicator or code first."
        )
    if "not null" in raw.lower() or "null value" in raw.lower():
        return "A required value is missing; fill in every mandatory column."
    return "The data breaks a rule of the database and was not saved."


# SQLite's "database is locked" after the busy timeout (data_access.db.SQLITE_BUSY_TIMEOUT_S): the
# database is reachable and well configured, another process holds the write lock
BUSY_MESSAGE = (
    "The database is busy with another import or write and stayed so for 30 seconds; nothing was "
    "written. Try again in a minute."
)
MISSING_SCHEMA_MESSAGE = "The database has no tables yet, or an older schema; run `python -m data_access init`."


def _driver_reason(error: sa_exc.DBAPIError) -> str:
    """The first line of the driver's message, trimmed: 'database is locked', 'Connection refused'."""
    lines = str(error.orig).strip().splitlines() if error.orig is not None else []
    return " ".join(lines[0].split())[:200] if lines else type(error).__name__


def _missing_table(error: sa_exc.DBAPIError) -> bool:
    """SQLite says "no such table"; PostgreSQL raises UndefinedTable (SQLSTATE 42P01)."""
    return "no such table" in str(error.orig) or getattr(error.orig, "sqlstate", None) == "42P01"


def translate_db_error(error: Exception) -> DataAccessError:
    """Map a SQLAlchemy exception to :class:`DataAccessError` (caller raises it ``from error``)."""
    if isinstance(error, DataAccessError):
        return error
    if isinstance(error, sa_exc.IntegrityError):
        return Conflict(describe_integrity_error(error))
    if isinstance(error, sa_exc.DBAPIError) and _missing_table(error):
        return DataAccessError(MISSING_SCHEMA_MESSAGE)
    if isinstance(error, sa_exc.OperationalError) and _driver_reason(error) in (
        "database is locked",
        "database is busy",
    ):
        return DataAccessError(BUSY_MESSAGE)
    if isinstance(error, sa_exc.OperationalError):
        return DataAccessError(
            "The database cannot be reached or used; check DATABASE_URL and that the server is "
            f"running ({_driver_reason(error)})."
        )
    if isinstance(error, sa_exc.ArgumentError):
        return InvalidInput(f"DATABASE_URL is not a valid SQLAlchemy URL: {error}")
    return DataAccessError(f"Database error: {type(error).__name__}.")
