"""After a bulk load (``seed``, ``evaluate``, an import of many projects) PostgreSQL has planner
statistics of what was loaded (``db.analyze``): without them, and with autovacuum off or not yet
run, the planner read one project's targets by scanning every project's, and importing one
project's file at 100,000 projects spent seconds in such scans. SQLite is left as it is (its
planner uses the indexes without them).
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


def _projects_file(folder, first: int, n: int) -> str:
    """A projects.csv of ``n`` new active projects (codes PS.<first>...), managed by Kenya."""
    header = "project_code,title,managing_country,start_date,end_date,status,currency\n"
    rows = "".join(f"PS.{first + i:04d},Project {i},KEN,2025-01-01,2027-12-31,active,USD\n" for i in range(n))
    path = folder / str(first) / "projects.csv"
    path.parent.mkdir()
    path.write_text(header + rows, encoding="utf-8")
    return str(path)


def _last_analyze(url: str, table: str):
    with get_engine(url).connect() as connection:
        return connection.execute(
            text("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = :t"), {"t": table}
        ).scalar_one()


def test_an_import_of_many_projects_leaves_statistics_and_one_of_a_few_does_not(seeded_url: str, tmp_path) -> None:
    """The portfolio of 6 projects grows by 60 (more than writer.ANALYZE_MIN_PROJECTS and a tenth of
    the portfolio): the projects' statistics are refreshed; one more project leaves them alone."""
    if seeded_url.startswith("sqlite"):
        assert main(["import", _projects_file(tmp_path, 1000, 60)]) == 0
        with get_engine(seeded_url).connect() as connection:
            assert not inspect(connection).has_table("sqlite_stat1")
        return
    seeded = _last_analyze(seeded_url, "projects")
    assert main(["import", _projects_file(tmp_path, 1000, 60)]) == 0
    analysed = _last_analyze(seeded_url, "projects")
    assert analysed is not None and (seeded is None or analysed > seeded)
    assert main(["import", _projects_file(tmp_path, 2000, 1)]) == 0
    assert _last_analyze(seeded_url, "projects") == analysed
