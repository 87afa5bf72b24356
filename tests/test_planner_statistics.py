"""After a bulk load (``seed``, ``evaluate``) PostgreSQL has planner statistics of what was loaded
(``db.analyze``): without them, and with autovacuum off or not yet run, the planner read one
project's targets by scanning every project's, and importing one project's file at 100,000 projects
spent seconds in such scans. SQLite is left as it is (its planner uses the indexes without them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, delete, inspect, text

from data_access.cli import main
from data_access.db import dispose_engine, get_engine
from data_access.models import Base
from data_access.seed import seed_database
from tests.conftest import DATABASES, sample_database

TODAY = dt.date(2026, 11, 22)


def _analysed_columns(connection: Connection, table: str) -> set[str]:
    """The columns of ``table`` the planner has statistics of (PostgreSQL)."""
    rows = connection.execute(
        text("SELECT attname FROM pg_stats WHERE schemaname = current_schema() AND tablename = :t"), {"t": table}
    )
    return set(rows.scalars())


def test_seeding_leaves_statistics_of_every_loaded_table(connection: Connection) -> None:
    for table in reversed(Base.metadata.sorted_tables):
        connection.execute(delete(table))
    seed_database(connection, projects=6, seed=2, today=TODAY)
    if connection.dialect.name == "sqlite":
        assert not inspect(connection).has_table("sqlite_stat1")  # nothing run on SQLite
        return
    for table in ("projects", "indicators", "targets", "actuals", "budget_lines", "expenditures"):
        assert {"id", *(["project_id"] if table in ("indicators", "budget_lines") else [])} <= _analysed_columns(
            connection, table
        ), table


@pytest.fixture(params=DATABASES)
def seeded_url(request, tmp_path, monkeypatch) -> Iterator[str]:
    with sample_database(request.param, tmp_path, projects=6, seed=2, today=TODAY) as url:
        monkeypatch.setenv("DATABASE_URL", url)
        yield url
        dispose_engine(get_engine(url))


def test_the_evaluate_command_leaves_statistics_of_the_stored_evaluations(seeded_url: str) -> None:
    assert main(["evaluate", "--as-of", "2026-11-22"]) == 0
    with get_engine(seeded_url).connect() as connection:
        if connection.dialect.name == "sqlite":
            assert not inspect(connection).has_table("sqlite_stat1")
            return
        for table in ("evaluation_runs", "evaluated_projects", "evaluated_indicators", "evaluated_flags"):
            assert {"run_id"} <= _analysed_columns(connection, table) or table == "evaluation_runs", table
        assert "id" in _analysed_columns(connection, "evaluation_runs")
