"""Engine, sessions and schema migrations: the one place that knows which database we talk to.

* ``DATABASE_URL`` (a SQLAlchemy URL) selects the database; without it the embedded SQLite file
  ``var/dashboard.db`` in the repository is used (created, with its folder, on first use).
  ``postgresql://`` and ``postgres://`` URLs are read as ``postgresql+psycopg://`` (psycopg 3 is
  the driver we ship), so the usual server URL works unchanged.
* One engine per URL for the life of the process (``get_engine``): engines own connection pools.
* SQLite gets ``foreign_keys=ON`` (off by default in SQLite, and our integrity depends on it), WAL
  (readers do not block the writer: the app reads while an import writes) and a busy timeout. The
  Python sqlite3 driver's "legacy transaction control" does not BEGIN before SAVEPOINT or DDL, which
  breaks nested transactions and transactional migrations; SQLAlchemy's documented fix is applied:
  the driver's own transaction handling is switched off and SQLAlchemy emits ``BEGIN`` itself.
* A SQLite database file and its ``-wal``/``-shm`` companions are made readable by their owner
  only (0600) on every connection; commands that only read (``report``, ``export``...) pass
  ``create=False`` so that a mistyped ``DATABASE_URL`` is an error, not a new empty database.
* The schema is only ever created by the Alembic migrations (``upgrade``), on both databases, so
  what tests run against is what production runs. Alembic is imported by the functions that use
  it: the commands that never migrate (``import``, ``report``...) start without it.
* After a bulk load (``seed``, ``evaluate``) PostgreSQL's planner statistics are refreshed at once
  (:func:`analyze`) rather than left to autovacuum.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, Table, create_engine, event, inspect, select, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session

from data_access.errors import DataAccessError, translate_db_error
from data_access.models import Base, Project

if TYPE_CHECKING:
    from alembic.config import Config

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = REPO_ROOT / "var" / "dashboard.db"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_S = 30

_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def database_url() -> str:
    """The configured database URL: ``DATABASE_URL`` or the embedded SQLite file (folder created)."""
    configured = os.environ.get("DATABASE_URL", "").strip()
    if configured:
        return configured
    DEFAULT_SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def normalise_url(url: str | URL) -> URL:
    """Parse ``url``; plain PostgreSQL URLs get the psycopg 3 driver. Raises ``InvalidInput``."""
    try:
        parsed = make_url(url)
    except sa_exc.ArgumentError as error:
        raise translate_db_error(error) from error
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


BULK_CACHE_KIB = 256 * 1024


@contextmanager
def bulk_write_cache(session: Session) -> Iterator[None]:
    """A 256 MB SQLite page cache on the session's connection for the length of a bulk write.

    SQLite's default cache is 2 MB: once the indexes of a large import outgrow it, every insert
    re-reads and re-writes index pages (the 10,000-project CSV import wrote 16% slower). The larger
    cache is set on the one connection doing the import and put back after, so the pool's reading
    connections keep the small default. Other databases manage their own buffers: a no-op there.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.dbapi_connection
    before = raw.execute("PRAGMA cache_size").fetchone()[0]
    raw.execute(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA cache_size = {before}")


def _configure_sqlite(engine: Engine) -> None:
    """Foreign keys, WAL, busy timeout, and SQLAlchemy-controlled BEGIN for a SQLite engine."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN (see module docstring)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA journal_mode = WAL")  # a no-op answer "memory" for :memory: DBs
        cursor.close()
        _private_sqlite_files(engine.url)

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        # a writing session takes the write lock at BEGIN, where the busy timeout applies (see writing)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if connection.get_execution_options().get(_WRITE) else "BEGIN")


def _sqlite_file(url: URL) -> Path | None:
    """The file of a SQLite URL (None for an in-memory or ``file:`` URI database)."""
    if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
        return Path(url.database).expanduser()
    return None


def _create_sqlite_folder(url: URL) -> None:
    """Create the folder of a SQLite file, so ``DATABASE_URL=sqlite:///data/x.db`` works first time."""
    path = _sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)


def _require_sqlite_file(url: URL) -> None:
    """Refuse a SQLite URL whose file does not exist: a mistyped path would otherwise create folders
    and an empty database for a command that only reads (``report``, ``export``...)."""
    path = _sqlite_file(url)
    if path is not None and not path.exists():
        raise DataAccessError(
            f"No database at {path}: check DATABASE_URL (nothing was created), or run "
            "`python -m data_access init` to create one there."
        )


def _private_sqlite_files(url: URL) -> None:
    """The database file and its WAL companions readable by their owner only (0600): it holds every
    office's figures and the import log, and SQLite creates files with the process umask (often
    world-readable)."""
    path = _sqlite_file(url)
    if path is None:
        return
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if file.exists() and file.stat().st_mode & 0o077 and file.stat().st_uid == os.getuid():
                file.chmod(0o600)
        except OSError:
            pass  # not ours to change (a shared volume): the administrator's permissions stand


_WRITE = "dashboard_sqlite_write"


def writing(engine: Engine) -> Engine:
    """``engine`` for a session that will write (an import): on SQLite its transactions begin with
    ``BEGIN IMMEDIATE``, taking the write lock at once and waiting up to the 30 s busy timeout for it.

    A plain (deferred) transaction that has read first and then writes cannot wait: if another
    writer committed in between, SQLite answers "database is locked" at once (waiting could not give
    it a consistent snapshot), which is how imports failed after a few seconds although the busy
    timeout is 30 s. PostgreSQL ignores the option."""
    return engine.execution_options(**{_WRITE: True})


# PostgreSQL sessions without JIT compilation of queries. The planner's cost estimates for the
# scoped reads (``project_id IN (readable projects)``, with correlated EXISTS for the money shares)
# run into the millions, above ``jit_above_cost`` (100,000 by default), so the server compiled each
# such query to machine code first: 0.6-1.2 s per query that then ran in 0.1-0.3 s (a regional
# director's money shares at 100,000 projects: 1.42 s with JIT, 0.28 s without). JIT pays off for
# queries of minutes over billions of rows, which this application never sends.
POSTGRESQL_SESSION = {"options": "-c jit=off"}


def get_engine(url: str | URL | None = None, *, create: bool = True) -> Engine:
    """The process-wide engine for ``url`` (default :func:`database_url`), created on first call.

    ``create=False`` (the commands that only read or add to an existing database) refuses a SQLite
    URL whose file does not exist instead of creating an empty one."""
    parsed = normalise_url(url if url is not None else database_url())
    if not create and parsed.get_backend_name() == "sqlite":
        _require_sqlite_file(parsed)
    key = parsed.render_as_string(hide_password=False)
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            try:
                if parsed.get_backend_name() == "sqlite":
                    _create_sqlite_folder(parsed)
                    engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
                    _configure_sqlite(engine)
                else:
                    engine = create_engine(parsed, pool_pre_ping=True, connect_args=POSTGRESQL_SESSION)
            except (sa_exc.ArgumentError, ImportError) as error:
                raise DataAccessError(f"Cannot use DATABASE_URL {parsed.render_as_string()}: {error}") from error
            _engines[key] = engine
    return engine


def dispose_engine(engine: Engine) -> None:
    """Close the pool of ``engine`` and forget it (tests dropping a throw-away database need this)."""
    with _engines_lock:
        for key, cached in list(_engines.items()):
            if cached is engine:
                del _engines[key]
    engine.dispose()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits when the block ends normally and rolls back on any exception.

    Driver errors (duplicate key, check constraint, unreachable server) are re-raised as
    :class:`~data_access.errors.DataAccessError` subclasses so callers need catch only those.
    """
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except sa_exc.SQLAlchemyError as error:
        session.rollback()
        raise translate_db_error(error) from error
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config() -> Config:
    """Alembic configured in code: the migrations live in ``data_access/migrations``.

    ``data_access/alembic.ini`` exists only so that ``alembic -c data_access/alembic.ini revision
    --autogenerate`` works for developers; the application never needs it.
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema of ``engine``'s database to ``revision`` with Alembic."""
    from alembic import command

    config = alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except sa_exc.SQLAlchemyError as error:
        raise translate_db_error(error) from error


def head_revision() -> str:
    """The newest migration of this version of the code."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "data_access/migrations/versions holds no revision"
    return head


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at (None: no schema yet)."""
    from alembic.migration import MigrationContext

    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except sa_exc.SQLAlchemyError as error:
        raise translate_db_error(error) from error


def require_current_schema(engine: Engine) -> None:
    """Raise a :class:`DataAccessError` telling the user to run ``init`` unless the schema is at head."""
    current, head = current_revision(engine), head_revision()
    if current is None:
        raise DataAccessError("The database has no tables yet; run `python -m data_access init` first.")
    if current != head:
        raise DataAccessError(
            f"The database schema is at revision {current} but this version needs {head}; "
            "run `python -m data_access init` to upgrade it."
        )


def analyze(connection: Connection, tables: Iterable[Table]) -> None:
    """Refresh PostgreSQL's planner statistics of ``tables`` (``ANALYZE``) after a bulk load of
    them; nothing on SQLite, whose planner needs none to use the indexes.

    Why not leave it to autovacuum: it runs some time after a load, and not at all where it is off
    (as on the benchmark server). Until then the planner estimates a table's rows from its pages and
    reads one project's 3 targets by a sequential scan of every project's 1.5 million (10,000
    projects; 10 times as many at 100,000): importing one project's file took seconds of such scans.
    Inside the caller's transaction (PostgreSQL allows it); ~30,000 sampled rows per table."""
    if connection.dialect.name != "postgresql":
        return
    preparer = connection.dialect.identifier_preparer
    names = ", ".join(preparer.format_table(t) for t in tables)
    if names:
        connection.exec_driver_sql(f"ANALYZE {names}")


def analyze_written(connection: Connection) -> None:
    """:func:`analyze` every table of the application the current transaction has written so far
    (PostgreSQL counts them in ``pg_stat_xact_user_tables``): after an import, the tables it loaded,
    the rows' companions (breakdowns, a project's countries and markers), its history and the stored
    evaluations it refreshed, without a list to keep in step with the writer. Nothing on SQLite."""
    if connection.dialect.name != "postgresql":
        return
    written = connection.execute(
        text(
            "SELECT relname FROM pg_stat_xact_user_tables WHERE schemaname = current_schema() "
            "AND n_tup_ins + n_tup_upd + n_tup_del > 0"
        )
    ).scalars()
    analyze(connection, [Base.metadata.tables[name] for name in sorted(written) if name in Base.metadata.tables])


def describe(engine: Engine) -> str:
    """The engine's URL with the password hidden, for messages."""
    return engine.url.render_as_string(hide_password=True)


def is_empty(engine: Engine) -> bool:
    """True when the database has no schema yet or no project: the cue for seeding a demo."""
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table(Project.__tablename__):
                return True
            return connection.execute(select(Project.id).limit(1)).first() is None
    except sa_exc.SQLAlchemyError as error:
        raise translate_db_error(error) from error
