"""Seeding a database with the sample portfolio, on SQLite and PostgreSQL, and the ``seed`` command.

The shared ``connection`` fixture is an outer transaction rolled back after each test; the test
first empties the tables inside it, so the seed starts from an empty database whatever other tests
committed, and nothing it writes survives the test. (PostgreSQL sequences are not transactional:
the seed only ever moves them forward, so other tests are not affected.)
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Connection, delete, func, select, text

from data_access.cli import main
from data_access.db import dispose_engine, get_engine
from data_access.errors import Conflict
from data_access.models import Actual, Base, Project
from data_access.seed import seed_database
from sample_data.generator import TABLE_ORDER, generate

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def empty(connection: Connection) -> Connection:
    for table in reversed(Base.metadata.sorted_tables):
        connection.execute(delete(table))
    return connection


def test_seed_inserts_every_frame_row_for_row(empty: Connection) -> None:
    frames = generate(projects=40, seed=3, today=TODAY)
    counts = seed_database(empty, projects=40, seed=3, today=TODAY)
    assert list(counts) == list(TABLE_ORDER)
    for name, frame in frames.items():
        assert counts[name] == len(frame), name
        table = Base.metadata.tables[name]
        assert empty.execute(select(func.count()).select_from(table)).scalar_one() == len(frame), name


def test_seeded_values_round_trip(empty: Connection) -> None:
    frames = generate(projects=15, seed=5, today=TODAY)
    seed_database(empty, projects=15, seed=5, today=TODAY)
    first = frames["projects"].iloc[0]
    row = empty.execute(select(Project).where(Project.id == int(first["id"]))).mappings().one()
    assert row["code"] == first["code"]
    assert row["start_date"] == first["start_date"].date()
    assert row["high_risk_context"] == bool(first["high_risk_context"])
    superseded = frames["actuals"][~frames["actuals"]["is_current"]]
    if len(superseded):
        old = superseded.iloc[0]
        stored = empty.execute(select(Actual.superseded_at, Actual.is_current).where(Actual.id == int(old["id"]))).one()
        assert stored.is_current is False
        assert stored.superseded_at == old["superseded_at"].to_pydatetime()


def _comparable(value):
    """A stored or generated value in one form: missing as None, dates as dates, numbers as float."""
    if value is None or value is pd.NaT or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime) and value == dt.datetime.combine(value.date(), dt.time()):
        return value.date()
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    return value


def test_every_table_reads_back_exactly_as_generated(empty: Connection) -> None:
    """Every value of every table survives the write (COPY on PostgreSQL, executemany on SQLite)."""
    frames = generate(projects=25, seed=6, today=TODAY)
    seed_database(empty, projects=25, seed=6, today=TODAY)
    for name, frame in frames.items():
        table = Base.metadata.tables[name]
        order = [table.columns[c] for c in frame.columns if table.columns[c].primary_key] or [
            table.columns[c] for c in frame.columns
        ]
        stored = empty.execute(select(*(table.columns[c] for c in frame.columns)).order_by(*order)).all()
        expected = frame.sort_values([c.name for c in order]).itertuples(index=False)
        for got, want in zip(stored, expected, strict=True):
            assert [_comparable(v) for v in got] == [_comparable(v) for v in want], name


def test_a_non_empty_database_is_refused(empty: Connection) -> None:
    seed_database(empty, projects=5, seed=1, today=TODAY)
    with pytest.raises(Conflict, match="already holds projects"):
        seed_database(empty, projects=5, seed=2, today=TODAY)
    assert empty.execute(select(func.count()).select_from(Project)).scalar_one() == 5


def test_postgresql_sequences_continue_after_the_seeded_ids(empty: Connection) -> None:
    if empty.dialect.name != "postgresql":
        pytest.skip("SQLite allocates ids from the table itself")
    counts = seed_database(empty, projects=5, seed=1, today=TODAY)
    next_id = empty.execute(text("SELECT nextval(pg_get_serial_sequence('projects', 'id'))")).scalar_one()
    assert next_id > counts["projects"]


@pytest.fixture
def sqlite_url(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    yield url
    dispose_engine(get_engine(url))


def _projects(url: str) -> int:
    with get_engine(url).connect() as connection:
        return connection.execute(select(func.count()).select_from(Project)).scalar_one()


def test_seed_command_migrates_and_seeds_a_new_file(sqlite_url, capsys) -> None:
    assert main(["seed", "--projects", "12", "--seed", "4", "--today", "2026-11-22"]) == 0
    assert "Seeded 12 projects" in capsys.readouterr().out
    assert _projects(sqlite_url) == 12


def test_seed_command_refuses_a_seeded_database_in_one_line(sqlite_url, capsys) -> None:
    assert main(["seed", "--projects", "3", "--today", "2026-11-22"]) == 0
    capsys.readouterr()
    assert main(["seed", "--projects", "3"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: The database already holds projects") and err.count("\n") == 1
    assert _projects(sqlite_url) == 3


def test_seed_if_empty_does_nothing_on_a_seeded_database(sqlite_url, capsys) -> None:
    assert main(["seed", "--projects", "3", "--today", "2026-11-22"]) == 0
    assert main(["seed", "--if-empty", "--projects", "9"]) == 0
    assert _projects(sqlite_url) == 3


@pytest.mark.parametrize("argument", [["--projects", "0"], ["--today", "22/11/2026"], ["--seed", "x"]])
def test_seed_command_rejects_bad_options(sqlite_url, argument) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["seed", *argument])
    assert caught.value.code == 2
