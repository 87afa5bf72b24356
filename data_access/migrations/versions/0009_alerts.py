"""Alerts digest: what was sent to whom (``sent_digests``, ``sent_alerts``; data_access/digest.py).

Self-contained: creates only these two tables, so the lead can chain it after any other migration.

Revision ID: 0009_alerts
Revises: 0008_evaluations
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_alerts"
down_revision: str | Sequence[str] | None = "0008_evaluations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sent_digests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("n_alerts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sent_digests")),
    )
    op.create_index(op.f("ix_sent_digests_email"), "sent_digests", ["email"], unique=False)
    op.create_table(
        "sent_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest_id", sa.Integer(), nullable=False),
        sa.Column("alert_key", sa.String(length=500), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["digest_id"], ["sent_digests.id"], name=op.f("fk_sent_alerts_digest_id_sent_digests"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sent_alerts")),
    )
    op.create_index(op.f("ix_sent_alerts_digest_id"), "sent_alerts", ["digest_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_sent_alerts_digest_id"), table_name="sent_alerts")
    op.drop_table("sent_alerts")
    op.drop_index(op.f("ix_sent_digests_email"), table_name="sent_digests")
    op.drop_table("sent_digests")
