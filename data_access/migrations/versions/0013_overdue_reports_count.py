"""Indicators with a report overdue, per project, in the stored evaluations: one column of
``evaluated_projects``.

``evaluate_portfolio``'s projects frame now carries ``n_reports_overdue`` (the project's indicators
with at least one report overdue, ``monitoring.results.project_results``), so that the Off-track
page's card sums one row per project instead of counting the stored indicators (2 million rows at
100,000 projects: 0.9 s on PostgreSQL).

As in ``0012_disaggregation_coverage``: stored runs made before this revision lack the count, and a
NULL read back as 0 would be a wrong figure, so the upgrade **empties every stored run** (the rows of
the five ``evaluated_*`` tables; the runs stay, empty), refilled by their first reader or by
``python -m data_access evaluate``. The downgrade drops the column and keeps the rows.

Revision ID: 0013_overdue_reports_count
Revises: 0012_disaggregation_coverage
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_overdue_reports_count"
down_revision: str | Sequence[str] | None = "0012_disaggregation_coverage"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EVALUATED = ("evaluated_projects", "evaluated_indicators", "evaluated_flags", "evaluated_risks", "evaluated_quality")


def upgrade() -> None:
    for table in EVALUATED:
        op.execute(sa.text(f"DELETE FROM {table}"))
    with op.batch_alter_table("evaluated_projects") as batch:
        batch.add_column(sa.Column("n_reports_overdue", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("evaluated_projects") as batch:
        batch.drop_column("n_reports_overdue")
