"""People and their access (``people``) and the log of leadership's "view as" (``view_as_events``).

Self-contained: creates only these two tables (docs/sign-in.md), so the lead can chain it after any
other migration.

Revision ID: 0010_people
Revises: 0009_alerts
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_people"
down_revision: str | Sequence[str] | None = "0009_alerts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "role IN ('leadership', 'regional_director', 'chief_of_mission', 'programme_manager')",
            name=op.f("ck_people_role"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("email", "role", name=op.f("uq_people_email_role")),
    )
    op.create_table(
        "view_as_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("viewer", sa.String(length=320), nullable=False),
        sa.Column("viewed", sa.String(length=320), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_view_as_events")),
    )


def downgrade() -> None:
    op.drop_table("view_as_events")
    op.drop_table("people")
