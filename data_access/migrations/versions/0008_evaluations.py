"""Stored evaluations (data_access/evalstore.py): evaluate_portfolio's frames per as-of date.

Self-contained: creates only ``evaluation_runs`` and the ``evaluated_*`` tables (no change to any
other table), so the lead can chain it after any other migration. The column lists below are those
of ``data_access.models.EVALUATION_COLUMNS`` at this revision; a later column is a later migration.

Revision ID: 0008_evaluations
Revises: 0006_snapshots
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_evaluations"
down_revision: str | Sequence[str] | None = "0007_followup"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS: dict[str, dict[str, str]] = {
    "projects": {
        "project_id": "int",
        "project_code": "str",
        "title": "str",
        "status": "str",
        "start_date": "date",
        "end_date": "date",
        "revised_end_date": "date",
        "currency": "str",
        "manager": "str",
        "high_risk_context": "bool",
        "thematic_area": "str",
        "managing_country": "str",
        "managing_country_name": "str",
        "region": "str",
        "region_name": "str",
        "donors": "str",
        "results_progress": "float",
        "n_indicators": "int",
        "n_assessable": "int",
        "n_achieved": "int",
        "n_on_track": "int",
        "n_at_risk": "int",
        "n_off_track": "int",
        "n_no_data": "int",
        "n_not_due": "int",
        "n_not_assessable": "int",
        "results_status": "str",
        "results_status_female": "str",
        "results_status_male": "str",
        "budget": "float",
        "expenditure_reported": "bool",
        "spent": "float",
        "budget_usd": "float",
        "spent_usd": "float",
        "burn": "float",
        "elapsed": "float",
        "planned_burn": "float",
        "planned_basis": "text",
        "burn_variance_pp": "float",
        "burn_status": "text",
        "avg_monthly_spend": "float",
        "months_remaining": "float",
        "forecast": "float",
        "forecast_delivery": "float",
        "forecast_status": "text",
        "me_share": "float",
        "missing_rates": "text",
        "finance_note": "text",
        "n_risks": "int",
        "n_open_risks": "int",
        "max_risk_score": "float",
        "n_high_open": "int",
        "n_indicators_with_issues": "int",
        "completeness": "float",
        "results_vs_spend": "text",
        "at_stake_usd": "float",
        "flags": "text",
        "n_flags_high": "int",
    },
    "indicators": {
        "indicator_id": "int",
        "project_id": "int",
        "project_code": "str",
        "indicator_code": "str",
        "name": "str",
        "unit": "str",
        "measure": "str",
        "direction": "str",
        "accumulation": "str",
        "baseline": "float",
        "end_target": "float",
        "result_id": "int",
        "b": "float",
        "actual_to_date": "float",
        "has_actual": "bool",
        "last_period_end": "date_object",
        "last_reported": "date_object",
        "cutoff": "date_object",
        "milestone_to_date": "float",
        "progress": "float",
        "expected_progress": "float",
        "ratio": "float",
        "status": "str",
        "over_achieved": "bool",
        "reports_due": "int",
        "reports_overdue": "int",
        "report_frequency": "str",
        "reason": "str",
        "actual_female": "float",
        "progress_female": "float",
        "status_female": "str",
        "actual_male": "float",
        "progress_male": "float",
        "status_male": "str",
    },
    "flags": {
        "project_id": "int",
        "project_code": "str",
        "code": "str",
        "severity": "str",
        "message": "str",
        "rule": "str",
    },
    "risks": {
        "project_id": "int",
        "risk_code": "str",
        "description": "str",
        "category": "str",
        "likelihood": "int",
        "impact": "int",
        "mitigation": "str",
        "owner": "str",
        "status": "str",
        "last_reviewed": "date",
        "score": "float",
        "level": "text",
    },
    "quality": {"level": "str", "project_id": "int", "indicator_id": "nullable_int", "issue": "str", "message": "str"},
}
TYPES = {
    "int": sa.Integer,
    "nullable_int": sa.Integer,
    "float": sa.Float,
    "bool": sa.Boolean,
    "str": sa.Text,
    "text": sa.Text,
    "date": sa.Date,
    "date_object": sa.Date,
}


def upgrade() -> None:
    op.create_table(
        "evaluation_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("settings_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_runs")),
        sa.UniqueConstraint("as_of", "settings_key", name=op.f("uq_evaluation_runs_as_of_settings_key")),
    )
    for frame, columns in COLUMNS.items():
        name = f"evaluated_{frame}"
        op.create_table(
            name,
            sa.Column("run_id", sa.Integer(), nullable=False),
            sa.Column("project_id", sa.Integer(), nullable=False, autoincrement=False),
            sa.Column("position", sa.Integer(), nullable=False, autoincrement=False),
            *(sa.Column(c, TYPES[kind](), nullable=True) for c, kind in columns.items() if c != "project_id"),
            sa.ForeignKeyConstraint(
                ["run_id"],
                ["evaluation_runs.id"],
                name=op.f(f"fk_{name}_run_id_evaluation_runs"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("run_id", "project_id", "position", name=op.f(f"pk_{name}")),
        )


def downgrade() -> None:
    for frame in reversed(list(COLUMNS)):
        op.drop_table(f"evaluated_{frame}")
    op.drop_table("evaluation_runs")
