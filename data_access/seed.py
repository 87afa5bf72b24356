"""Fill an empty database with the sample portfolio of ``sample_data.generator``.

Why it is written this way:

* Table by table in foreign-key order (``sample_data.generator.TABLE_ORDER``) within each block,
  all in one transaction: the 10,000-project portfolio has millions of rows, far too many for ORM objects, and
  a failure leaves the database as it was. On PostgreSQL the rows go through ``COPY ... FROM STDIN``
  (CSV written by pandas in chunks of :data:`COPY_ROWS`), PostgreSQL's bulk path, rather than one
  parameter set per row: 100,000 projects are ~45 million rows (figures in docs/speed.md).
  SQLite has no COPY; it gets Core ``insert()`` executemany in chunks of :data:`CHUNK_ROWS`.
* The portfolio arrives in blocks of projects (``sample_data.generator.generate_blocks``), each
  frame released once written, so memory holds about one block (~1 GB for 10,000 projects)
  whatever the portfolio's size, not the 8.8 GB of 100,000 projects generated at once.
* The frames carry explicit ids; PostgreSQL sequences do not see explicit ids, so each table's
  sequence is moved past its highest id afterwards, otherwise the first import would collide.
  SQLite needs nothing (its rowid allocation looks at the table).
* The loaded tables' planner statistics are refreshed at the end (``db.analyze``, PostgreSQL):
  without them one project's rows were read by scanning every project's.
* A non-empty database is refused (:class:`~data_access.errors.Conflict`): seeding is for a new
  database, never a way to mix fictional rows into real ones.
* ``bind`` may be an Engine (its own transaction, committed at the end) or a Connection (the
  caller's transaction; a savepoint keeps a failed seed from leaving half a portfolio) so that
  tests can seed inside a transaction they roll back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd
from sqlalchemy import Connection, DateTime, Engine, Table, func, insert, select, text
from sqlalchemy import exc as sa_exc

from data_access.db import analyze
from data_access.errors import Conflict, translate_db_error
from data_access.models import Base, Project
from sample_data.generator import BLOCK_PROJECTS, DEFAULT_PROJECTS, DEFAULT_SEED, TABLE_ORDER, generate_blocks

CHUNK_ROWS = 5_000
COPY_ROWS = 200_000


def seed_database(
    bind: Engine | Connection,
    *,
    projects: int = DEFAULT_PROJECTS,
    seed: int = DEFAULT_SEED,
    today: dt.date | None = None,
    block_projects: int = BLOCK_PROJECTS,
) -> dict[str, int]:
    """Insert the sample portfolio; return ``{table name: rows inserted}`` (every table, FK order).

    Raises :class:`Conflict` when the database already holds projects, and translates driver
    errors into :class:`~data_access.errors.DataAccessError` subclasses.
    """
    return insert_blocks(bind, generate_blocks(projects, seed, today, block_projects))


def insert_blocks(bind: Engine | Connection, blocks: Iterable[dict[str, pd.DataFrame]]) -> dict[str, int]:
    """Bulk-insert each part of ``blocks`` (table name → DataFrame with the table's columns, FK order)
    in one transaction, dropping each frame from its part once written (memory: one part at a time)."""
    counts = {name: 0 for name in TABLE_ORDER}
    try:
        with _transaction(bind) as connection:
            if connection.execute(select(func.count()).select_from(Project.__table__)).scalar_one():
                raise Conflict(
                    "The database already holds projects; seed only an empty database "
                    "(use a new DATABASE_URL or delete the SQLite file)."
                )
            for frames in blocks:
                for name in list(frames):
                    table = Base.metadata.tables[name]
                    frame = frames.pop(name)
                    if connection.dialect.name == "postgresql":
                        counts[name] += copy_frame(connection, table, frame)
                    else:
                        counts[name] += _insert_table(connection, table, frame)
                    del frame
            if connection.dialect.name == "postgresql":
                _reset_sequences(connection)
            analyze(connection, [Base.metadata.tables[name] for name in TABLE_ORDER])
    except sa_exc.SQLAlchemyError as error:
        raise translate_db_error(error) from error
    return counts


@contextmanager
def _transaction(bind: Engine | Connection) -> Iterator[Connection]:
    if isinstance(bind, Connection):
        with bind.begin_nested():
            yield bind
    else:
        with bind.begin() as connection:
            yield connection


def _insert_table(connection: Connection, table: Table, frame: pd.DataFrame) -> int:
    if frame.empty:
        return 0
    statement = insert(table)
    datetimes = {c.name for c in table.columns if isinstance(c.type, DateTime)}
    for start in range(0, len(frame), CHUNK_ROWS):
        connection.execute(statement, records(frame.iloc[start : start + CHUNK_ROWS], datetimes))
    return len(frame)


def copy_frame(connection: Connection, table: Table, frame: pd.DataFrame) -> int:
    """``COPY table FROM STDIN`` in CSV, on the connection's own transaction (PostgreSQL).

    pandas writes the CSV (floats in their shortest exact form, dates as ISO, booleans as
    True/False, missing values as ``\\N``, COPY's NULL here, so an empty string stays one).
    Also used by ``data_access.evalstore`` to store evaluations.
    """
    if frame.empty:
        return 0
    names = list(frame.columns)
    preparer = connection.dialect.identifier_preparer
    sql = (
        f"COPY {preparer.format_table(table)} ({', '.join(preparer.quote(n) for n in names)}) "
        "FROM STDIN WITH (FORMAT csv, NULL '\\N')"
    )
    datetimes = {c.name for c in table.columns if isinstance(c.type, DateTime)}
    cursor = connection.connection.driver_connection.cursor()
    try:
        with cursor.copy(sql) as copy:
            for start in range(0, len(frame), COPY_ROWS):
                chunk = frame.iloc[start : start + COPY_ROWS]
                dates = {
                    n: chunk[n].dt.strftime("%Y-%m-%d")
                    for n in names
                    if pd.api.types.is_datetime64_any_dtype(chunk[n]) and n not in datetimes
                }
                if dates:
                    chunk = chunk.assign(**dates)
                copy.write(chunk.to_csv(index=False, header=False, na_rep="\\N"))
    finally:
        cursor.close()
    return len(frame)


def records(chunk: pd.DataFrame, datetime_columns: set[str]) -> list[dict]:
    """Rows as plain Python values: dates for date columns, None for every missing value.

    Dates arrive as ``datetime64`` (midnight) and leave as ``datetime.date`` except for DateTime
    columns (``superseded_at``, ``started_at``...), which keep their time. A portfolio has few
    distinct dates (months, periods), so each is converted once and shared.
    """
    columns: dict[str, list] = {}
    for name in chunk.columns:
        series = chunk[name]
        if pd.api.types.is_datetime64_any_dtype(series) and name not in datetime_columns:
            columns[name] = _dates(series)
        elif pd.api.types.is_datetime64_any_dtype(series):
            values = np.array(series.dt.to_pydatetime(), dtype=object)
            values[series.isna().to_numpy()] = None
            columns[name] = values.tolist()
        else:  # numbers, booleans and strings come out as Python objects, NaN/NA as None
            columns[name] = series.to_numpy(dtype=object, na_value=None).tolist()
    names = list(columns)
    return [dict(zip(names, row, strict=False)) for row in zip(*columns.values(), strict=False)]


def _dates(series: pd.Series) -> list[dt.date | None]:
    days = series.to_numpy(dtype="datetime64[D]")
    missing = np.isnat(days)
    unique, position = np.unique(days[~missing], return_inverse=True)
    as_dates = np.array([d.item() for d in unique] + [None], dtype=object)
    index = np.full(len(days), len(unique))
    index[~missing] = position
    return as_dates[index].tolist()


def _reset_sequences(connection: Connection) -> None:
    """Move each serial ``id`` sequence past the highest explicit id (PostgreSQL only)."""
    for table in Base.metadata.sorted_tables:
        if "id" not in table.columns or not table.columns["id"].primary_key:
            continue
        sequence = connection.execute(
            text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table.name}
        ).scalar_one()
        if sequence is None:
            continue
        highest = connection.execute(select(func.max(table.columns["id"]))).scalar_one()
        if highest is None:
            continue
        # never move a sequence backwards (setval is not transactional: a rolled-back seed keeps it)
        last = connection.execute(
            text(
                "SELECT last_value FROM pg_sequences WHERE CAST(schemaname || '.' || sequencename AS text) "
                "= CAST(:sequence AS text)"
            ),
            {"sequence": sequence},
        ).scalar()
        connection.execute(
            text("SELECT setval(CAST(:sequence AS regclass), :value)"),
            {"sequence": sequence, "value": max(highest, last or 0)},
        )
