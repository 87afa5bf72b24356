"""An index of the stored indicators by run and gap (expected progress − progress).

The Off-track page's first view lists the indicators of largest gap first; the database found them
by reading every stored indicator of the run (2 million rows at 100,000 projects, twice: 1.6 s on
PostgreSQL). With this index it reads the few thousand rows at the top of the list
(``data_access.evaluated.attention_candidates``). Nothing stored changes.

Revision ID: 0014_off_track_gap_index
Revises: 0013_overdue_reports_count
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_off_track_gap_index"
down_revision: str | Sequence[str] | None = "0013_overdue_reports_count"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_evaluated_indicators_run_gap"


def upgrade() -> None:
    op.create_index(INDEX, "evaluated_indicators", ["run_id", sa.text("(expected_progress - progress)")])


def downgrade() -> None:
    op.drop_index(INDEX, table_name="evaluated_indicators")
