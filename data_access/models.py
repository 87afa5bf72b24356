"""Typed SQLAlchemy 2 models: everything ../shared/DOMAIN.md defines, as tables.

Design choices worth knowing before changing anything here:

* Surrogate integer ids for joins, plus the natural keys people use (project code, result and
  indicator codes *within* a project, ISO3 country codes) as unique constraints, so an importer
  can upsert by natural key and the database itself refuses duplicates.
* Coded columns (status, measure, direction...) are plain strings guarded by CHECK constraints
  rather than database enums: the same DDL works on SQLite and PostgreSQL and a new code is a
  migration that only touches a constraint.
* Reported actuals are versioned: a correction is a new row, the old one gets
  ``is_current = False`` and stays readable. A partial unique index allows only one current row
  per indicator and period, on both databases.
* Money is stored in its original currency next to the amount (budget lines, expenditure,
  incoming funds); conversion to USD happens in monitoring/ with the ``fx_rates`` table and is
  never done by adding amounts of different currencies.
* Budgets keep the original amount and every dated revision per line; the current approved
  budget of a line is its latest revision (``budget_revisions``), never an overwrite.
* Every other change a person makes is kept in ``row_history`` (``data_access.history``): per
  changed field the value before and after, pointing at the import batch that made it (who, when,
  which files). The tables people change register there by a list (``history.TRACKED``).
"""

from __future__ import annotations

import datetime as dt
from typing import get_args

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# The code lists behind the CHECK constraints (importers and dropdowns read the same tuples).
from data_access.scope import ScopeKind
from reference.vocabulary import (
    AAP_COMMITMENTS,
    AAP_RATINGS,
    ACCUMULATIONS,
    BUDGET_CATEGORIES,
    DIGEST_FREQUENCIES,
    DIRECTIONS,
    DISAGGREGATIONS,
    EARMARKING,
    EVALUATION_TYPES,
    EVIDENCE_SOURCES,
    FOLLOW_UP_STATUSES,
    FUND_KINDS,
    HISTORY_ACTIONS,
    IMPORT_OUTCOMES,
    MANAGEMENT_RESPONSES,
    MARKER_SCHEMES,
    MEASURES,
    PERSON_ROLES,
    PROJECT_STATUSES,
    RECOMMENDATION_SOURCES,
    RECOMMENDATION_STATUSES,
    RESULT_LEVELS,
    REVISION_KINDS,
    RISK_CATEGORIES,
    RISK_STATUSES,
    TAG_SCHEMES,
    VISIT_TYPES,
)

# Deterministic constraint names: Alembic migrations and the schema comparison test rely on them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# ---- organisation ---------------------------------------------------------------------------
class Region(Base):
    """One of the regional offices (e.g. ``ROAP`` Bangkok)."""

    __tablename__ = "regions"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class Country(Base):
    __tablename__ = "countries"
    id: Mapped[int] = mapped_column(primary_key=True)
    iso3: Mapped[str] = mapped_column(String(3), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    __table_args__ = (CheckConstraint("length(iso3) = 3", name="iso3_length"),)


class CountryOffice(Base):
    """One per country, led by a chief of mission; manages projects."""

    __tablename__ = "country_offices"
    id: Mapped[int] = mapped_column(primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    chief_of_mission: Mapped[str | None] = mapped_column(String(200))


class Donor(Base):
    __tablename__ = "donors"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    donor_type: Mapped[str | None] = mapped_column(String(50))


# ---- projects -------------------------------------------------------------------------------
class Project(Base):
    __tablename__ = "projects"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(1000))
    managing_office_id: Mapped[int] = mapped_column(ForeignKey("country_offices.id"), index=True)
    thematic_area: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    revised_end_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    manager: Mapped[str | None] = mapped_column(String(200))
    high_risk_context: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str | None] = mapped_column(Text)

    countries: Mapped[list[ProjectCountry]] = relationship(back_populates="project", cascade="all, delete-orphan")

    __table_args__ = (
        CheckConstraint(_in("status", PROJECT_STATUSES), name="status"),
        CheckConstraint("end_date > start_date", name="end_after_start"),
        CheckConstraint("revised_end_date IS NULL OR revised_end_date > start_date", name="revised_after_start"),
        CheckConstraint("length(currency) = 3", name="currency_length"),
    )


class ProjectCountry(Base):
    """Countries a project covers, with the IATI ``recipient-country/@percentage`` when given."""

    __tablename__ = "project_countries"
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"), primary_key=True)
    percentage: Mapped[float | None] = mapped_column(Float)
    project: Mapped[Project] = relationship(back_populates="countries")
    __table_args__ = (
        CheckConstraint("percentage IS NULL OR (percentage >= 0 AND percentage <= 100)", name="percentage"),
    )


class ProjectDonor(Base):
    __tablename__ = "project_donors"
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    donor_id: Mapped[int] = mapped_column(ForeignKey("donors.id"), primary_key=True)


class FundingAgreement(Base):
    __tablename__ = "funding_agreements"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    donor_id: Mapped[int] = mapped_column(ForeignKey("donors.id"), index=True)
    reference: Mapped[str] = mapped_column(String(200))
    amount: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))
    earmarking: Mapped[str] = mapped_column(String(20), default="earmarked")
    signed_on: Mapped[dt.date | None] = mapped_column(Date)
    __table_args__ = (
        UniqueConstraint("project_id", "reference"),
        CheckConstraint("amount >= 0", name="amount_non_negative"),
        CheckConstraint(_in("earmarking", EARMARKING), name="earmarking"),
    )


class ProjectTag(Base):
    """Strategic alignment: MiGOF element, SDG target, GCM objective, SRF result."""

    __tablename__ = "project_tags"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    scheme: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(50))
    __table_args__ = (
        UniqueConstraint("project_id", "scheme", "code"),
        CheckConstraint(_in("scheme", TAG_SCHEMES), name="scheme"),
    )


class ProjectMarker(Base):
    """A cross-cutting marker as (scheme, code), one per scheme per project."""

    __tablename__ = "project_markers"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    scheme: Mapped[str] = mapped_column(String(32))
    code: Mapped[str] = mapped_column(String(8))
    __table_args__ = (
        UniqueConstraint("project_id", "scheme"),
        CheckConstraint(_in("scheme", tuple(MARKER_SCHEMES)), name="scheme"),
    )


class AapAssessment(Base):
    """One of the five IASC AAP commitments rated met / partly / not met for a project."""

    __tablename__ = "aap_assessments"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    commitment: Mapped[str] = mapped_column(String(32))
    rating: Mapped[str] = mapped_column(String(16))
    assessed_on: Mapped[dt.date | None] = mapped_column(Date)
    __table_args__ = (
        UniqueConstraint("project_id", "commitment"),
        CheckConstraint(_in("commitment", AAP_COMMITMENTS), name="commitment"),
        CheckConstraint(_in("rating", AAP_RATINGS), name="rating"),
    )


# ---- results matrix -------------------------------------------------------------------------
class Result(Base):
    """A node of the results tree: objective → outcome → output (→ activity)."""

    __tablename__ = "results"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("results.id", ondelete="CASCADE"), index=True)
    statement: Mapped[str] = mapped_column(Text)
    __table_args__ = (
        UniqueConstraint("project_id", "code"),
        CheckConstraint(_in("level", RESULT_LEVELS), name="level"),
    )


class Indicator(Base):
    __tablename__ = "indicators"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    result_id: Mapped[int | None] = mapped_column(ForeignKey("results.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(100))
    measure: Mapped[str] = mapped_column(String(16), default="number")
    direction: Mapped[str] = mapped_column(String(16), default="increase")
    accumulation: Mapped[str] = mapped_column(String(16), default="level")
    baseline: Mapped[float | None] = mapped_column(Float)
    baseline_text: Mapped[str | None] = mapped_column(String(500))
    baseline_date: Mapped[dt.date | None] = mapped_column(Date)
    end_target: Mapped[float | None] = mapped_column(Float)
    end_target_text: Mapped[str | None] = mapped_column(String(500))
    disaggregation: Mapped[str] = mapped_column(String(16), default="none")
    data_source: Mapped[str | None] = mapped_column(Text)
    collection_method: Mapped[str | None] = mapped_column(Text)
    frequency: Mapped[str | None] = mapped_column(String(50))
    responsible: Mapped[str | None] = mapped_column(String(200))
    # How the importer filled gaps (DOMAIN.md section 10), e.g. "accumulation=incremental: one target
    # period spanning the activity"; shown to the user so a convention can be corrected.
    import_note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        UniqueConstraint("project_id", "code"),
        CheckConstraint(_in("measure", MEASURES), name="measure"),
        CheckConstraint(_in("direction", DIRECTIONS), name="direction"),
        CheckConstraint(_in("accumulation", ACCUMULATIONS), name="accumulation"),
        CheckConstraint(_in("disaggregation", DISAGGREGATIONS), name="disaggregation"),
    )


class Target(Base):
    """A milestone target for one reporting period of an indicator."""

    __tablename__ = "targets"
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    target: Mapped[float | None] = mapped_column(Float)
    target_text: Mapped[str | None] = mapped_column(String(500))
    __table_args__ = (
        UniqueConstraint("indicator_id", "period_start", "period_end"),
        CheckConstraint("period_end >= period_start", name="period_order"),
    )


class Actual(Base):
    """A reported value for one period. Versioned: corrections add rows, never overwrite."""

    __tablename__ = "actuals"
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[float | None] = mapped_column(Float)
    # A reported value that is not a number ("N/A", "<15", "2020:2160") is kept as text, never parsed.
    value_text: Mapped[str | None] = mapped_column(String(500))
    female: Mapped[float | None] = mapped_column(Float)
    male: Mapped[float | None] = mapped_column(Float)
    other_sex: Mapped[float | None] = mapped_column(Float)
    comment: Mapped[str | None] = mapped_column(Text)
    reported_on: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(24), default="project_monitoring")
    version: Mapped[int] = mapped_column(Integer, default=1)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    superseded_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)
    __table_args__ = (
        UniqueConstraint("indicator_id", "period_start", "period_end", "version"),
        CheckConstraint("period_end >= period_start", name="period_order"),
        CheckConstraint(_in("source", EVIDENCE_SOURCES), name="source"),
        CheckConstraint("version >= 1", name="version_positive"),
        Index(
            "uq_actuals_one_current",
            "indicator_id",
            "period_start",
            "period_end",
            unique=True,
            sqlite_where=text("is_current"),
            postgresql_where=text("is_current"),
        ),
    )


class ActualBreakdown(Base):
    """Breakdowns of an actual beyond the sex columns: age bands, disability, unmapped IATI dimensions."""

    __tablename__ = "actual_breakdowns"
    id: Mapped[int] = mapped_column(primary_key=True)
    actual_id: Mapped[int] = mapped_column(ForeignKey("actuals.id", ondelete="CASCADE"), index=True)
    dimension: Mapped[str] = mapped_column(String(200))  # "age", "disability", or the name as published
    category: Mapped[str] = mapped_column(String(200))  # "0-17", "18-59", "60+", "female|0-17"...
    value: Mapped[float | None] = mapped_column(Float)
    value_text: Mapped[str | None] = mapped_column(String(500))
    __table_args__ = (UniqueConstraint("actual_id", "dimension", "category"),)


# ---- money ----------------------------------------------------------------------------------
class BudgetLine(Base):
    __tablename__ = "budget_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    line_code: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(32))
    description: Mapped[str | None] = mapped_column(Text)
    currency: Mapped[str] = mapped_column(String(3))
    __table_args__ = (
        UniqueConstraint("project_id", "line_code"),
        CheckConstraint(_in("category", BUDGET_CATEGORIES), name="category"),
    )


class BudgetRevision(Base):
    """The approved amount of a line from a date on. ``kind='original'`` has no revision date.

    The current approved budget of a line as of D is the amount of its latest revision dated on or
    before D (or the original when none is).
    """

    __tablename__ = "budget_revisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    budget_line_id: Mapped[int] = mapped_column(ForeignKey("budget_lines.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(24), default="original")
    revision_date: Mapped[dt.date | None] = mapped_column(Date)
    amount: Mapped[float] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        UniqueConstraint("budget_line_id", "revision_date"),
        CheckConstraint("amount >= 0", name="amount_non_negative"),
        CheckConstraint(_in("kind", REVISION_KINDS), name="kind"),
        CheckConstraint(
            "(kind = 'original' AND revision_date IS NULL) OR (kind <> 'original' AND revision_date IS NOT NULL)",
            name="original_has_no_date",
        ),
        Index(
            "uq_budget_revisions_one_original",
            "budget_line_id",
            unique=True,
            sqlite_where=text("kind = 'original'"),
            postgresql_where=text("kind = 'original'"),
        ),
    )


class Expenditure(Base):
    """Actual spending on a budget line in a calendar month (``month`` is its first day)."""

    __tablename__ = "expenditures"
    id: Mapped[int] = mapped_column(primary_key=True)
    budget_line_id: Mapped[int] = mapped_column(ForeignKey("budget_lines.id", ondelete="CASCADE"), index=True)
    month: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[float] = mapped_column(Float)  # negative allowed: refunds and reversals
    currency: Mapped[str] = mapped_column(String(3))
    __table_args__ = (UniqueConstraint("budget_line_id", "month"),)


class SpendingPlan(Base):
    """Planned expenditure per month for a project (project currency); drives planned burn."""

    __tablename__ = "spending_plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    month: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[float] = mapped_column(Float)
    __table_args__ = (
        UniqueConstraint("project_id", "month"),
        CheckConstraint("amount >= 0", name="amount_non_negative"),
    )


class IncomingFund(Base):
    """Donor payments received (incoming funds) and commitments, kept apart from expenditure."""

    __tablename__ = "incoming_funds"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    donor_id: Mapped[int | None] = mapped_column(ForeignKey("donors.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    date: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))
    reference: Mapped[str | None] = mapped_column(String(200))
    __table_args__ = (CheckConstraint(_in("kind", FUND_KINDS), name="kind"),)


class FxRate(Base):
    """USD value of one unit of ``currency`` from ``rate_date`` on."""

    __tablename__ = "fx_rates"
    id: Mapped[int] = mapped_column(primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))
    rate_date: Mapped[dt.date] = mapped_column(Date)
    usd_rate: Mapped[float] = mapped_column(Float)
    __table_args__ = (
        UniqueConstraint("currency", "rate_date"),
        CheckConstraint("usd_rate > 0", name="rate_positive"),
    )


# ---- risks, visits, learning ----------------------------------------------------------------
class Risk(Base):
    __tablename__ = "risks"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(50))
    description: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(24))
    likelihood: Mapped[int] = mapped_column(Integer)
    impact: Mapped[int] = mapped_column(Integer)
    mitigation: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="open")
    last_reviewed: Mapped[dt.date | None] = mapped_column(Date)
    __table_args__ = (
        UniqueConstraint("project_id", "code"),
        CheckConstraint("likelihood BETWEEN 1 AND 5", name="likelihood_range"),
        CheckConstraint("impact BETWEEN 1 AND 5", name="impact_range"),
        CheckConstraint(_in("category", RISK_CATEGORIES), name="category"),
        CheckConstraint(_in("status", RISK_STATUSES), name="status"),
    )


class MonitoringVisit(Base):
    __tablename__ = "monitoring_visits"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    visit_date: Mapped[dt.date] = mapped_column(Date)
    visit_type: Mapped[str] = mapped_column(String(16))
    findings: Mapped[str | None] = mapped_column(Text)
    follow_up_status: Mapped[str] = mapped_column(String(16), default="none_needed")
    __table_args__ = (
        UniqueConstraint("project_id", "visit_date", "visit_type"),
        CheckConstraint(_in("visit_type", VISIT_TYPES), name="visit_type"),
        CheckConstraint(_in("follow_up_status", FOLLOW_UP_STATUSES), name="follow_up_status"),
    )


class Evaluation(Base):
    __tablename__ = "evaluations"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(1000))
    evaluation_type: Mapped[str] = mapped_column(String(16))
    evaluation_date: Mapped[dt.date] = mapped_column(Date)
    __table_args__ = (CheckConstraint(_in("evaluation_type", EVALUATION_TYPES), name="type"),)


class EvaluationProject(Base):
    __tablename__ = "evaluation_projects"
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"), primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)


class EvaluationRating(Base):
    """A rating per criterion (relevance, coherence, effectiveness, efficiency, impact, sustainability)."""

    __tablename__ = "evaluation_ratings"
    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"), index=True)
    criterion: Mapped[str] = mapped_column(String(50))
    rating: Mapped[int] = mapped_column(Integer)
    __table_args__ = (
        UniqueConstraint("evaluation_id", "criterion"),
        CheckConstraint("rating BETWEEN 1 AND 4", name="rating_range"),
    )


class Recommendation(Base):
    """An evaluation or audit recommendation with its management response and follow-up."""

    __tablename__ = "recommendations"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("evaluations.id", ondelete="SET NULL"), index=True)
    code: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(16), default="evaluation")
    text: Mapped[str] = mapped_column(Text)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    management_response: Mapped[str | None] = mapped_column(String(16))
    action: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(200))
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")
    # the day the action was completed: "implemented on time" compares it with the due date
    implemented_on: Mapped[dt.date | None] = mapped_column(Date)
    __table_args__ = (
        UniqueConstraint("project_id", "code"),
        CheckConstraint(_in("source", RECOMMENDATION_SOURCES), name="source"),
        CheckConstraint(_in("status", RECOMMENDATION_STATUSES), name="status"),
        CheckConstraint(
            "management_response IS NULL OR " + _in("management_response", MANAGEMENT_RESPONSES),
            name="management_response",
        ),
    )


# ---- imports --------------------------------------------------------------------------------
class ImportBatch(Base):
    """The audit log of every import attempt, successful or not."""

    __tablename__ = "import_batches"
    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    user_name: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(500))
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    file_format: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(16))
    counts_json: Mapped[str | None] = mapped_column(Text)  # {"projects": 3, "actuals": 120, ...}
    message: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (CheckConstraint(_in("outcome", IMPORT_OUTCOMES), name="outcome"),)


class RowHistory(Base):
    """One change made by an import batch (``data_access.history`` explains what is kept and why).

    ``action='update'``: one row per changed field of one row (``row_id`` of ``table_name``), with the
    value before and after as text. ``action='insert'``: the rows of one table and project an import
    created, as id runs in ``row_ids`` (``"12-75,80"``). ``project_id`` is the project the row belongs
    to (NULL for organisation-wide rows: exchange rates, donors, countries, evaluations); it has no
    foreign key on purpose: history is an audit trail and outlives what it describes.
    """

    __tablename__ = "row_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    import_batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"), index=True)
    table_name: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(8))
    project_id: Mapped[int | None] = mapped_column(Integer, index=True)
    row_id: Mapped[int | None] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    row_ids: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        CheckConstraint(_in("action", HISTORY_ACTIONS), name="action"),
        Index("ix_row_history_table_row", "table_name", "row_id"),
    )


# ---- who may see what -----------------------------------------------------------------------
class Person(Base):
    """One access of one person (docs/sign-in.md): a role and the codes it covers.

    ``email`` is the verified email the identity provider vouches for, stored lower-case; a person may
    hold several rows (one per role), and sees the union. ``scope`` is the codes as imported,
    separated by ``;``: regional office codes, ISO3 country codes or project codes (empty for
    leadership). Rows are never deleted: ``active = False`` withdraws the access and keeps its history.
    ``digest`` is how often the person receives the alerts digest (daily, weekly, off; weekly by
    default, docs/follow-up.md); the person sets it themselves for all their rows at once.
    """

    __tablename__ = "people"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    scope: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    digest: Mapped[str] = mapped_column(String(8), default="weekly", server_default="weekly")
    __table_args__ = (
        UniqueConstraint("email", "role"),
        CheckConstraint(_in("role", PERSON_ROLES), name="role"),
        CheckConstraint(_in("digest", DIGEST_FREQUENCIES), name="digest"),
    )


class ViewAsEvent(Base):
    """Leadership looked at the dashboard as another person ("view as"): who, as whom, when (UTC)."""

    __tablename__ = "view_as_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    viewer: Mapped[str] = mapped_column(String(320))
    viewed: Mapped[str] = mapped_column(String(320))


# ---- stored evaluations (data_access.evalstore) -----------------------------------------------
# The output of monitoring.evaluate.evaluate_portfolio kept per as-of date, so that a page reads
# small scoped results instead of re-reading millions of raw rows. One table per frame of
# PortfolioEvaluation with exactly its columns; ``kind`` says how each column is stored and how
# evalstore gives it back its pandas type: int, nullable_int, float, bool, str (pandas string
# dtype), text (object column of str or None), date (datetime64 column), date_object (object
# column of datetime.date or None). A column evaluate_portfolio adds must be added here and in a
# migration: tests/test_evalstore.py fails naming it until it is.
EVALUATION_COLUMNS: dict[str, dict[str, str]] = {
    "projects": {
        "project_id": "int", "project_code": "str", "title": "str", "status": "str", "start_date": "date",
        "end_date": "date", "revised_end_date": "date", "currency": "str", "manager": "str",
        "high_risk_context": "bool", "thematic_area": "str", "managing_country": "str",
        "managing_country_name": "str", "region": "str", "region_name": "str", "donors": "str",
        "results_progress": "float", "n_indicators": "int", "n_assessable": "int", "n_achieved": "int",
        "n_on_track": "int", "n_at_risk": "int", "n_off_track": "int", "n_no_data": "int", "n_not_due": "int",
        "n_not_assessable": "int", "n_reports_overdue": "int", "results_status": "str", "results_status_female": "str",
        "results_status_male": "str", "budget": "float", "expenditure_reported": "bool", "spent": "float",
        "budget_usd": "float", "spent_usd": "float", "burn": "float", "elapsed": "float", "planned_burn": "float",
        "planned_basis": "text", "burn_variance_pp": "float", "burn_status": "text", "avg_monthly_spend": "float",
        "months_remaining": "float", "forecast": "float", "forecast_delivery": "float", "forecast_status": "text",
        "me_share": "float", "missing_rates": "text", "finance_note": "text", "n_risks": "int",
        "n_open_risks": "int", "max_risk_score": "float", "n_high_open": "int", "n_indicators_with_issues": "int",
        "completeness": "float", "n_people_indicators": "int", "n_people_reported": "int",
        "n_sex_disaggregated": "int", "n_age_disaggregated": "int", "results_vs_spend": "text",
        "at_stake_usd": "float", "flags": "text", "n_flags_high": "int",
    },
    "indicators": {
        "indicator_id": "int", "project_id": "int", "project_code": "str", "indicator_code": "str", "name": "str",
        "unit": "str", "measure": "str", "direction": "str", "accumulation": "str", "baseline": "float",
        "end_target": "float", "result_id": "int", "b": "float", "actual_to_date": "float", "has_actual": "bool",
        "last_period_end": "date_object", "last_reported": "date_object", "cutoff": "date_object",
        "milestone_to_date": "float",
        "progress": "float", "expected_progress": "float", "ratio": "float", "status": "str",
        "over_achieved": "bool", "reports_due": "int", "reports_overdue": "int",
        "report_frequency": "str", "reason": "str", "actual_female": "float", "progress_female": "float",
        "status_female": "str", "actual_male": "float", "progress_male": "float", "status_male": "str",
    },
    "flags": {
        "project_id": "int", "project_code": "str", "code": "str", "severity": "str", "message": "str", "rule": "str",
    },
    "risks": {
        "project_id": "int", "risk_code": "str", "description": "str", "category": "str", "likelihood": "int",
        "impact": "int", "mitigation": "str", "owner": "str", "status": "str", "last_reviewed": "date",
        "score": "float", "level": "text",
    },
    "quality": {"level": "str", "project_id": "int", "indicator_id": "nullable_int", "issue": "str", "message": "str"},
}  # fmt: skip
_EVALUATION_TYPES = {
    "int": Integer,
    "nullable_int": Integer,
    "float": Float,
    "bool": Boolean,
    "str": Text,
    "text": Text,
    "date": Date,
    "date_object": Date,
}


class EvaluationRun(Base):
    """One stored evaluation: an as-of date under one set of thresholds (``settings_key``, a hash
    of ``monitoring.settings.Settings``). Its rows are in the ``evaluated_*`` tables; a project has
    been evaluated in the run when it has its row in ``evaluated_projects``."""

    __tablename__ = "evaluation_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    as_of: Mapped[dt.date] = mapped_column(Date)
    settings_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    __table_args__ = (UniqueConstraint("as_of", "settings_key"),)


def _evaluation_table(frame: str, columns: dict[str, str]) -> Table:
    """``evaluated_<frame>``: the run, the frame's columns, and ``position``, the row's place among
    its project's rows in the evaluation (0 for ``evaluated_projects``); the key is (run, project,
    position), so a project has one row per run in ``evaluated_projects``."""
    return Table(
        f"evaluated_{frame}",
        Base.metadata,
        Column("run_id", Integer, ForeignKey("evaluation_runs.id", ondelete="CASCADE"), primary_key=True),
        Column("project_id", Integer, primary_key=True, autoincrement=False),
        Column("position", Integer, primary_key=True, autoincrement=False),
        *(Column(c, _EVALUATION_TYPES[kind]) for c, kind in columns.items() if c != "project_id"),
    )


EVALUATION_TABLES: dict[str, Table] = {
    frame: _evaluation_table(frame, cols) for frame, cols in EVALUATION_COLUMNS.items()
}
# the Off-track list starts with the indicators of largest gap (expected − progress): the database
# finds them through this index instead of reading a run's every indicator (2 million rows, 1.6 GB
# at 100,000 projects: 0.8 s on PostgreSQL per pass; ``data_access.evaluated.attention_candidates``)
_INDICATORS = EVALUATION_TABLES["indicators"]
Index("ix_evaluated_indicators_run_gap", _INDICATORS.c.run_id, _INDICATORS.c.expected_progress - _INDICATORS.c.progress)
# computed from the tables above, never changed by a person: no history, no sample frames
DERIVED_TABLES: tuple[str, ...] = (EvaluationRun.__tablename__, *(t.name for t in EVALUATION_TABLES.values()))


# ---- review snapshots ---------------------------------------------------------------------------
class Snapshot(Base):
    """A review snapshot: the figures of a scope as of a date, frozen (``data_access.snapshots``).

    Never changes: no code path updates or deletes it, and the database refuses to (triggers of
    migration ``0006_snapshots``). ``data_version`` is the latest import batch id when it was taken
    (NULL when nothing was ever imported: the seeded data); ``settings_json`` the settings in force;
    ``columns_json`` the columns of each kind's stored values.
    """

    __tablename__ = "snapshots"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    as_of: Mapped[dt.date] = mapped_column(Date)
    scope_kind: Mapped[str] = mapped_column(String(16))
    scope_codes: Mapped[str] = mapped_column(Text, default="")
    scope_label: Mapped[str] = mapped_column(String(300))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    data_version: Mapped[int | None] = mapped_column(Integer)
    settings_json: Mapped[str] = mapped_column(Text)
    columns_json: Mapped[str] = mapped_column(Text)
    n_figures: Mapped[int] = mapped_column(Integer)
    __table_args__ = (CheckConstraint(_in("scope_kind", get_args(ScopeKind)), name="scope_kind"),)


class SnapshotFigure(Base):
    """One frozen figure row of a snapshot: the kind (``monitoring.review.KINDS``), typed keys
    (project, indicator and flag codes; ``item`` for the other kinds' keys), the status it had,
    and every value of the row as a JSON object keyed by column position (names in the snapshot's
    ``columns_json``)."""

    __tablename__ = "snapshot_figures"
    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("snapshots.id"))
    kind: Mapped[str] = mapped_column(String(16))
    project_code: Mapped[str | None] = mapped_column(String(100))
    indicator_code: Mapped[str | None] = mapped_column(String(100))
    flag_code: Mapped[str | None] = mapped_column(String(64))
    item: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str | None] = mapped_column(String(32))
    values_json: Mapped[str] = mapped_column(Text)
    __table_args__ = (Index("ix_snapshot_figures_snapshot_kind", "snapshot_id", "kind"),)


# ---- alerts digest ------------------------------------------------------------------------------
class SentDigest(Base):
    """One digest email the SMTP server accepted (``data_access.digest``): to whom, when, which window."""

    __tablename__ = "sent_digests"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime)
    as_of: Mapped[dt.date] = mapped_column(Date)
    since: Mapped[dt.date] = mapped_column(Date)
    n_alerts: Mapped[int] = mapped_column(Integer)


class SentAlert(Base):
    """One alert of a sent digest, by its key (``monitoring.alerts``): what makes an alert sent once."""

    __tablename__ = "sent_alerts"
    id: Mapped[int] = mapped_column(primary_key=True)
    digest_id: Mapped[int] = mapped_column(ForeignKey("sent_digests.id", ondelete="CASCADE"), index=True)
    alert_key: Mapped[str] = mapped_column(String(500))
    project_id: Mapped[int | None] = mapped_column(Integer)  # no foreign key: an audit trail outlives its project
