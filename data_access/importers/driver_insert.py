"""INSERT many rows through the database driver's own ``executemany``, skipping SQLAlchemy's
per-row parameter handling.

Why: an import writes tens of thousands of rows (the shared IATI files: 22,000) and SQLAlchemy
Core's executemany spends more time building each row's parameters (``construct_params``, the
dialect's per-value processing) than SQLite spends storing the row. Here the statement is written
once per table and every row becomes one tuple; the only per-value work left is the dialect's own
bind processors (SQLite stores dates as ISO text), applied to the columns that have one (and
memoised for dates: an import has few distinct ones). The
values stored are exactly those Core would store: the same processors, the same column defaults.

Used for plain inserts only (no RETURNING: the caller reads the new ids back by natural key), on
the caller's connection and inside its transaction, so all-or-nothing is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Boolean, Connection, Date, DateTime, Table

BATCH = 5000
_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts by column name; a missing key takes the column's scalar default, or
    NULL) into ``table``. Autoincrement primary keys are left to the database."""
    if not rows:
        return
    dialect = connection.dialect
    placeholder = _PLACEHOLDERS.get(dialect.paramstyle)
    if placeholder is None:  # SQLite (qmark) and psycopg (pyformat) are the databases supported
        raise NotImplementedError(f"driver_insert: parameter style {dialect.paramstyle!r} is not supported")
    columns = [c for c in table.columns if c is not table.autoincrement_column]
    names = [c.name for c in columns]
    quote = dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {dialect.identifier_preparer.format_table(table)} "
        f"({', '.join(quote(n) for n in names)}) VALUES ({', '.join([placeholder] * len(names))})"
    )
    defaults = {n: _default(c) for n, c in zip(names, columns, strict=True)}
    processors: list[tuple[int, Callable[[Any], Any]]] = []
    for index, column in enumerate(columns):
        process = dialect.type_descriptor(column.type).bind_processor(dialect)
        if process is not None:
            if isinstance(column.type, Date | DateTime | Boolean):  # few distinct values: format each once
                process = lru_cache(maxsize=4096)(process)
            processors.append((index, process))
    values_of = itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],))
    shapes: dict[tuple, bool] = {}  # the key sets seen: do they name every column?
    for start in range(0, len(rows), BATCH):
        params = []
        for row in rows[start : start + BATCH]:
            shape = tuple(row)
            complete = shapes.get(shape)
            if complete is None:
                complete = shapes[shape] = _check_shape(table, shape, defaults)
            values = values_of(row if complete else {**defaults, **row})
            if processors:
                values = list(values)
                for index, process in processors:
                    values[index] = process(values[index])
            params.append(tuple(values))
        connection.exec_driver_sql(sql, params)


def _check_shape(table: Table, keys: tuple, defaults: dict[str, Any]) -> bool:
    """Whether rows with these keys name every column; a key that is not a column is a bug."""
    unknown = set(keys) - set(defaults)
    if unknown:
        raise KeyError(f"{table.name} has no column {', '.join(sorted(unknown))}")
    return len(set(keys)) == len(defaults)


def _default(column) -> Any:
    default = column.default
    return default.arg if default is not None and default.is_scalar else None
