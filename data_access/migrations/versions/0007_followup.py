"""Follow-up: the day a recommendation was implemented (the register's "implemented on time").

``recommendations.implemented_on`` is the only new column: the management response, the planned
action (``action``), the owner and the due date were already stored. Self-contained (one nullable
column on an existing table), so the lead can chain it after any other migration.

Revision ID: 0007_followup
Revises: 0006_snapshots
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_followup"
down_revision: str | Sequence[str] | None = "0006_snapshots"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("recommendations") as batch:
        batch.add_column(sa.Column("implemented_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("recommendations") as batch:
        batch.drop_column("implemented_on")
