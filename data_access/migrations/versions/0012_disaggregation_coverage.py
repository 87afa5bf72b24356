"""Disaggregation counts in the stored evaluations: four columns of ``evaluated_projects``.

``evaluate_portfolio``'s projects frame now carries, per project, its people-counting indicators,
those that reported, and those broken down by sex and by age in every reported period
(``monitoring.markers.disaggregation_by_project``), so that the Cross-cutting page sums them per
group instead of reading every actual of the portfolio.

Stored runs made before this revision lack the counts, and a NULL read back as 0 would be a wrong
figure. The store is a cache of ``evaluate_portfolio`` (ARCHITECTURE.md practice 15): computing the
counts in SQL here would be a second implementation, so the upgrade **empties every stored run
instead** (the rows of the five ``evaluated_*`` tables; the runs stay, empty). Each run is refilled
by its first reader, or ahead of them by ``python -m data_access evaluate``, exactly as after an
exchange-rate import. The downgrade drops the columns and keeps the rows: they are the earlier
revision's figures plus four columns it never read.

Revision ID: 0012_disaggregation_coverage
Revises: 0011_digest_frequency
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_disaggregation_coverage"
down_revision: str | Sequence[str] | None = "0011_digest_frequency"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("n_people_indicators", "n_people_reported", "n_sex_disaggregated", "n_age_disaggregated")
EVALUATED = ("evaluated_projects", "evaluated_indicators", "evaluated_flags", "evaluated_risks", "evaluated_quality")


def upgrade() -> None:
    for table in EVALUATED:
        op.execute(sa.text(f"DELETE FROM {table}"))
    with op.batch_alter_table("evaluated_projects") as batch:
        for column in COLUMNS:
            batch.add_column(sa.Column(column, sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("evaluated_projects") as batch:
        for column in reversed(COLUMNS):
            batch.drop_column(column)
