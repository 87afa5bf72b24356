"""The migrations create exactly the models' schema, and the same schema on SQLite and PostgreSQL.

If a test here fails after someone added a column to models.py, add a migration (see
docs/database.md: how to add a revision).
"""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from data_access import db
from data_access.models import Base
from tests.conftest import _create_postgres_database, _drop_postgres_database
from tests.environment import POSTGRES_MISSING, POSTGRES_UP

# SQLAlchemy cannot reflect an index on an expression from SQLite (it warns and leaves it out; alembic
# too): the one such index is checked by its definition in test_the_gap_index_is_on_both_databases
pytestmark = [
    pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index"),
    pytest.mark.filterwarnings(
        "ignore:autogenerate skipping metadata-specified expression-based index 'ix_evaluated_indicators_run_gap'"
    ),
]
EXPRESSION_INDEXES = {"evaluated_indicators": "ix_evaluated_indicators_run_gap"}


def test_migrated_schema_equals_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def _python_type(column_type: Any) -> str:
    """The Python type a column holds: dialect spellings differ (FLOAT / DOUBLE PRECISION)."""
    return column_type.python_type.__name__


def schema_signature(engine: Engine) -> dict[str, dict[str, Any]]:
    """Tables with their columns (name, Python type, nullable), PK, FKs, uniques, checks, indexes."""
    inspector = inspect(engine)
    signature: dict[str, dict[str, Any]] = {}
    for table in sorted(inspector.get_table_names()):
        if table == "alembic_version":
            continue
        signature[table] = {
            "columns": sorted(
                (c["name"], _python_type(c["type"]), c["nullable"]) for c in inspector.get_columns(table)
            ),
            "primary_key": inspector.get_pk_constraint(table)["constrained_columns"],
            "foreign_keys": sorted(
                (
                    fk["name"],
                    tuple(fk["constrained_columns"]),
                    fk["referred_table"],
                    (fk.get("options") or {}).get("ondelete"),
                )
                for fk in inspector.get_foreign_keys(table)
            ),
            "unique": sorted((u["name"], tuple(u["column_names"])) for u in inspector.get_unique_constraints(table)),
            "checks": sorted(c["name"] for c in inspector.get_check_constraints(table)),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes(table)
                if not i.get("duplicates_constraint")  # PostgreSQL lists a unique constraint's index too
                and i["name"] != EXPRESSION_INDEXES.get(table)  # reflected from PostgreSQL only
            ),
        }
    return signature


def test_every_constraint_is_named_by_the_convention(engine: Engine) -> None:
    """Unnamed constraints get driver-made names that differ between databases and break ALTERs."""
    for table, sig in schema_signature(engine).items():
        assert all(name for name, *_ in sig["foreign_keys"]), table
        assert all(name and name.startswith(f"uq_{table}") for name, _ in sig["unique"]), table
        assert all(name and name.startswith(f"ck_{table}_") for name in sig["checks"]), table


def test_partial_unique_indexes_exist(engine: Engine) -> None:
    indexes = {
        name: cols
        for table in ("actuals", "budget_revisions")
        for name, cols, unique in schema_signature(engine)[table]["indexes"]
        if unique
    }
    assert indexes == {
        "uq_actuals_one_current": ("indicator_id", "period_start", "period_end"),
        "uq_budget_revisions_one_original": ("budget_line_id",),
    }


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_UP, reason=POSTGRES_MISSING)
def test_sqlite_and_postgresql_schemas_match(tmp_path) -> None:
    sqlite_engine = db.get_engine(f"sqlite:///{tmp_path / 'compare.db'}")
    db.upgrade(sqlite_engine)
    pg_url = _create_postgres_database()
    try:
        pg_engine = db.get_engine(pg_url)
        db.upgrade(pg_engine)
        sqlite_sig, pg_sig = schema_signature(sqlite_engine), schema_signature(pg_engine)
        db.dispose_engine(pg_engine)
    finally:
        _drop_postgres_database(pg_url)
        db.dispose_engine(sqlite_engine)
    assert sorted(sqlite_sig) == sorted(pg_sig)
    assert len(sqlite_sig) == len(Base.metadata.tables)
    for table in sqlite_sig:
        assert sqlite_sig[table] == pg_sig[table], table


def _gap_index_definition(engine: Engine) -> str:
    sql = (
        "SELECT sql FROM sqlite_master WHERE name = :name"
        if engine.dialect.name == "sqlite"
        else "SELECT indexdef FROM pg_indexes WHERE indexname = :name"
    )
    with engine.connect() as connection:
        return connection.execute(text(sql), {"name": EXPRESSION_INDEXES["evaluated_indicators"]}).scalar_one()


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=[pytest.mark.postgres])])
def test_the_gap_index_is_on_both_databases(kind, tmp_path) -> None:
    """The migrations create the index of the stored indicators by run and gap that the Off-track
    list's first rows are found through, as models.py declares it, on both databases."""
    if kind == "postgresql" and not POSTGRES_UP:
        pytest.skip(POSTGRES_MISSING)
    url = f"sqlite:///{tmp_path / 'gap.db'}" if kind == "sqlite" else _create_postgres_database()
    engine = db.get_engine(url)
    try:
        db.upgrade(engine)
        definition = _gap_index_definition(engine).lower()
    finally:
        db.dispose_engine(engine)
        if kind == "postgresql":
            _drop_postgres_database(url)
    # "... ON evaluated_indicators (run_id, (expected_progress - progress))" on SQLite; PostgreSQL
    # writes "ON public.evaluated_indicators USING btree (run_id, ((expected_progress - progress)))"
    bare = "".join(c for c in definition.replace("public.", "").replace("using btree", "") if c not in ' "()')
    assert bare.endswith("onevaluated_indicatorsrun_id,expected_progress-progress"), definition
