"""Shared fixtures: one test suite, two databases (ARCHITECTURE.md practice 11).

* ``engine`` is parametrised: ``sqlite`` (a temporary file, so WAL and foreign keys behave as in
  production) and ``postgresql`` (127.0.0.1:5432); when PostgreSQL does not answer, its half is
  skipped with the reason, and under CI the run stops (``tests/environment.py``). Both schemas are
  created by the Alembic migrations, never by ``metadata.create_all``, so tests exercise what
  production runs.
* PostgreSQL gets a throw-away database per test session, ``dash_test_<random>``, dropped at the
  end: several engineers run the suite at once on the same server, so a fixed name would collide.
  ``TEST_POSTGRES_ADMIN_URL`` overrides the maintenance connection (default: user ``postgres`` on
  127.0.0.1:5432, database ``postgres``).
* ``session`` is a Session inside an outer transaction that is rolled back after each test
  (SQLAlchemy 2 ``join_transaction_mode="create_savepoint"``): the code under test may commit,
  flush or roll back, and nothing leaks into the next test.

Select one database with ``-k sqlite`` or ``-k postgresql``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from data_access.db import dispose_engine, get_engine, upgrade
from tests.environment import CI, PG_ADMIN_URL, POSTGRES_MISSING, POSTGRES_UP, SHARED_IATI, missing
from tests.page_portfolio import create_sample


def pytest_sessionstart(session: pytest.Session) -> None:
    """Under CI the whole suite must run: a missing database or IATI folder stops the run at once."""
    if CI and missing():
        raise pytest.UsageError("CI=true but " + "; ".join(missing()))


def pytest_report_header(config: pytest.Config) -> list[str]:
    databases = "SQLite and PostgreSQL" if POSTGRES_UP else f"SQLite ONLY ({POSTGRES_MISSING})"
    iati = str(SHARED_IATI) if SHARED_IATI.is_dir() else "MISSING"
    return [f"databases: {databases}", f"real IATI files: {iati}"]


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    for reason in missing():
        terminalreporter.write_sep("!", f"NOT RUN: {reason}", red=True, bold=True)


# PostgreSQL is always a parameter: when it does not answer, its half of every database test is a
# skip with the reason (never a test that silently is not there).
DATABASES = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=[pytest.mark.postgres, *([] if POSTGRES_UP else [pytest.mark.skip(reason=POSTGRES_MISSING)])],
    ),
]


def _admin_execute(statement: str) -> None:
    """Run one statement (CREATE/DROP DATABASE cannot run in a transaction) on the maintenance DB."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(statement))
    finally:
        admin.dispose()


def _create_postgres_database() -> str:
    """Create ``dash_test_<random>`` and return its URL."""
    name = f"dash_test_{secrets.token_hex(6)}"
    _admin_execute(f'CREATE DATABASE "{name}"')
    return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(url: str) -> None:
    _admin_execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a freshly migrated, empty database of the requested kind, for the whole session."""
    kind = request.param
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        engine = get_engine(url)
        upgrade(engine)
        yield url
        dispose_engine(engine)
        return
    url = _create_postgres_database()
    try:
        engine = get_engine(url)
        upgrade(engine)
        yield url
        dispose_engine(engine)
    finally:
        _drop_postgres_database(url)


@contextmanager
def sample_database(kind: str, folder: Path, *, projects: int, seed: int, today: dt.date) -> Iterator[str]:
    """The URL of a fresh generated sample portfolio (with its people), committed: a SQLite file in
    ``folder``, or a throw-away PostgreSQL database dropped on exit. For tests whose code commits
    (a digest records what it sent, a page form imports), where the rolled-back ``session`` cannot serve."""
    from data_access.seed import seed_database  # the generator is heavy: only for tests that need it

    if kind == "sqlite":
        yield create_sample(folder / "sample.db", projects=projects, seed=seed, today=today)
        return
    url = _create_postgres_database()
    try:
        engine = get_engine(url)
        upgrade(engine)
        seed_database(engine, projects=projects, seed=seed, today=today)
        dispose_engine(engine)
        yield url
    finally:
        _drop_postgres_database(url)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrise every test that (indirectly) uses ``database_url`` over the available databases."""
    if "database_url" in metafunc.fixturenames:
        metafunc.parametrize("database_url", DATABASES, indirect=True, scope="session")


@pytest.fixture
def engine(database_url: str) -> Engine:
    """The engine of the session's migrated test database (``sqlite`` or ``postgresql``)."""
    return get_engine(database_url)


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside an outer transaction rolled back after the test."""
    with engine.connect() as conn:
        outer = conn.begin()
        try:
            yield conn
        finally:
            if outer.is_active:
                outer.rollback()


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    """A Session whose commits become savepoints of the rolled-back outer transaction.

    Query functions that take an engine also accept ``session.connection()``, so they see the rows
    a test created without anything being committed.
    """
    with Session(bind=connection, join_transaction_mode="create_savepoint") as sess:
        yield sess
