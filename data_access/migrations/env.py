"""Alembic environment: runs migrations on the connection ``data_access.db.upgrade`` hands over.

When run from the ``alembic`` command line (developers: ``alembic -c data_access/alembic.ini
revision --autogenerate -m "..."``) there is no connection attribute, so the engine of
``DATABASE_URL`` (or the embedded SQLite file) is used instead.

``render_as_batch`` lets future ALTERs work on SQLite (which rebuilds the table); ``compare_type``
makes autogenerate notice type changes, not only new columns.
"""

from alembic import context

from data_access.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from data_access.db import get_engine

    with get_engine().begin() as own_connection:
        _run(own_connection)


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; run `python -m data_access init`.")
run_migrations_online()
