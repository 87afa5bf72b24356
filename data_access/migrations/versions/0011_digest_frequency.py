"""How often each person receives the alerts digest: ``people.digest`` (daily, weekly, off).

Every existing row gets ``weekly``, the default (docs/follow-up.md says why): nobody who had access
before this migration stops receiving alerts, and nobody is switched to a daily email they did not
ask for. Self-contained (one column with a default on ``people``).

Revision ID: 0011_digest_frequency
Revises: 0010_people
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_digest_frequency"
down_revision: str | Sequence[str] | None = "0010_people"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("digest", sa.String(length=8), server_default="weekly", nullable=False))
        batch.create_check_constraint("digest", "digest IN ('daily', 'weekly', 'off')")


def downgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.drop_constraint(op.f("ck_people_digest"), type_="check")
        batch.drop_column("digest")
