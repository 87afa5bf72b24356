"""Row history: the value before and after of every field an import changes (data_access/history.py).

Self-contained: creates only ``row_history`` (no change to any other table), so the lead can chain
it after any other migration.

Revision ID: 0003_row_history
Revises: 0001_initial
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_row_history"
down_revision: str | Sequence[str] | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "row_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_batch_id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("row_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(length=64), nullable=True),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("row_ids", sa.Text(), nullable=True),
        sa.CheckConstraint("action IN ('insert', 'update')", name=op.f("ck_row_history_action")),
        sa.ForeignKeyConstraint(
            ["import_batch_id"], ["import_batches.id"], name=op.f("fk_row_history_import_batch_id_import_batches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_row_history")),
    )
    op.create_index(op.f("ix_row_history_import_batch_id"), "row_history", ["import_batch_id"], unique=False)
    op.create_index(op.f("ix_row_history_project_id"), "row_history", ["project_id"], unique=False)
    op.create_index("ix_row_history_table_row", "row_history", ["table_name", "row_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_row_history_table_row", table_name="row_history")
    op.drop_index(op.f("ix_row_history_project_id"), table_name="row_history")
    op.drop_index(op.f("ix_row_history_import_batch_id"), table_name="row_history")
    op.drop_table("row_history")
