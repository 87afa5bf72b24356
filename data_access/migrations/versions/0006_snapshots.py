"""Review snapshots: frozen figures (``snapshots``, ``snapshot_figures``) that the database refuses
to update or delete.

Self-contained: creates only its two tables and their triggers, so the lead can chain it after any
other migration. Immutability is enforced where the database allows it: on PostgreSQL a trigger
function raises on UPDATE, DELETE and TRUNCATE; on SQLite ``BEFORE UPDATE`` / ``BEFORE DELETE``
triggers ``RAISE(ABORT)``. ``data_access.snapshots`` has no update or delete path either.

Revision ID: 0006_snapshots
Revises: 0003_row_history
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_snapshots"
down_revision: str | Sequence[str] | None = "0003_row_history"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("snapshots", "snapshot_figures")
MESSAGE = "snapshots never change: a snapshot cannot be updated or deleted"


def _create_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION snapshot_immutable() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{MESSAGE} (% on %)', TG_OP, TG_TABLE_NAME; END; $$"
        )
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION snapshot_immutable()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION snapshot_immutable()"
            )
        return
    for table in TABLES:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )


def _drop_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute("DROP FUNCTION IF EXISTS snapshot_immutable()")
        return
    for table in TABLES:
        for event in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{event}")


def upgrade() -> None:
    op.create_table(
        "snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("scope_kind", sa.String(length=16), nullable=False),
        sa.Column("scope_codes", sa.Text(), nullable=False),
        sa.Column("scope_label", sa.String(length=300), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("data_version", sa.Integer(), nullable=True),
        sa.Column("settings_json", sa.Text(), nullable=False),
        sa.Column("columns_json", sa.Text(), nullable=False),
        sa.Column("n_figures", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "scope_kind IN ('organisation', 'region', 'country', 'projects')", name=op.f("ck_snapshots_scope_kind")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_snapshots")),
    )
    op.create_table(
        "snapshot_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("project_code", sa.String(length=100), nullable=True),
        sa.Column("indicator_code", sa.String(length=100), nullable=True),
        sa.Column("flag_code", sa.String(length=64), nullable=True),
        sa.Column("item", sa.String(length=300), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=True),
        sa.Column("values_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["snapshot_id"], ["snapshots.id"], name=op.f("fk_snapshot_figures_snapshot_id_snapshots")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_snapshot_figures")),
    )
    op.create_index("ix_snapshot_figures_snapshot_kind", "snapshot_figures", ["snapshot_id", "kind"], unique=False)
    _create_triggers()


def downgrade() -> None:
    _drop_triggers()
    op.drop_index("ix_snapshot_figures_snapshot_kind", table_name="snapshot_figures")
    op.drop_table("snapshot_figures")
    op.drop_table("snapshots")
