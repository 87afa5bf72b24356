"""The contract between the query layer and the monitoring logic: which DataFrames, which columns.

``data_access.queries.load_portfolio(engine, scope, portfolio_filter)`` returns a
:class:`PortfolioFrames`; every function in ``monitoring`` takes (parts of) it plus an explicit
``as_of`` date. Keeping the column lists here, beside the logic that reads them, means a query and
the formulas cannot silently drift apart: :func:`check_columns` fails loudly when they do.

Dates are ``datetime.date``-like (pandas ``datetime64[ns]`` columns are accepted too); missing
values are ``NaN``/``None``. Money columns are in the row's ``currency``; no frame ever adds two
currencies together.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import pandas as pd

COLUMNS: dict[str, tuple[str, ...]] = {
    # one row per project in scope (after filters)
    "projects": (
        "project_id",
        "project_code",
        "title",
        "status",
        "start_date",
        "end_date",
        "revised_end_date",
        "currency",
        "manager",
        "high_risk_context",
        "thematic_area",
        "managing_country",
        "managing_country_name",
        "region",
        "region_name",
        "donors",
    ),
    # project x country with the share of the project's money attributed to the country (0-1);
    # shares are IATI percentages / 100 when given, else 1.0 for the managing country.
    "project_countries": ("project_id", "country", "country_name", "region", "share"),
    "results": ("result_id", "project_id", "result_code", "level", "parent_id", "statement"),
    "indicators": (
        "indicator_id",
        "project_id",
        "result_id",
        "indicator_code",
        "name",
        "unit",
        "measure",
        "direction",
        "accumulation",
        "baseline",
        "baseline_text",
        "baseline_date",
        "end_target",
        "end_target_text",
        "disaggregation",
        "frequency",  # reporting frequency (monthly, quarterly...): monitoring.reporting's periods
    ),
    # milestone targets per period
    "targets": ("indicator_id", "period_start", "period_end", "target"),
    # current versions of reported actuals only
    "actuals": (
        "indicator_id",
        "period_start",
        "period_end",
        "value",
        "value_text",
        "female",
        "male",
        "other_sex",
        "reported_on",
        "source",
    ),
    # current approved budget of each line as of the filter's as-of date (latest revision <= as_of)
    "budget_lines": ("project_id", "budget_line_id", "line_code", "category", "currency", "amount", "original_amount"),
    # spending aggregated in SQL by project, month and currency (the 10,000-project portfolio has
    # ~2M line-months); line-level detail for one project comes from a separate query.
    "expenditures": ("project_id", "month", "amount", "currency"),
    "spending_plans": ("project_id", "month", "amount"),
    "fx_rates": ("currency", "rate_date", "usd_rate"),
    "risks": (
        "project_id",
        "risk_code",
        "description",
        "category",
        "likelihood",
        "impact",
        "mitigation",
        "owner",
        "status",
        "last_reviewed",
    ),
    "visits": ("project_id", "visit_date", "visit_type", "findings", "follow_up_status"),
    "recommendations": (
        "project_id",
        "recommendation_code",
        "source",
        "text",
        "issued_on",
        "management_response",
        "due_date",
        "status",
        "action",  # the planned action of the management response
        "owner",
        "implemented_on",
        # the evaluation (or audit) the recommendation comes from; empty when none is recorded
        "evaluation_code",
        "evaluation_title",
        "evaluation_date",
    ),
    "markers": ("project_id", "scheme", "code"),
    "aap": ("project_id", "commitment", "rating"),
    "tags": ("project_id", "scheme", "code"),
}

# Frames the query layer may not provide yet: a PortfolioFrames built without them gets an empty
# frame with these columns. Move an entry into COLUMNS once data_access.queries reads it.
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    # age (and other) breakdowns of current actuals, one row per actual x dimension x category;
    # the sex breakdown stays in actuals.female/male/other_sex.
    "actual_breakdowns": ("indicator_id", "period_start", "period_end", "dimension", "category", "value"),
}


def frame(name: str, rows=()) -> pd.DataFrame:
    """A frame of the contract from row dicts (tests, generators): every column, absent ones missing."""
    columns = {**COLUMNS, **OPTIONAL_COLUMNS}[name]
    unknown = sorted({key for row in rows for key in row} - set(columns))
    if unknown:
        raise ValueError(f"frame {name!r} has no columns {unknown}")
    return pd.DataFrame([{c: row.get(c) for c in columns} for row in rows], columns=list(columns))


@dataclass(frozen=True, eq=False)
class PortfolioFrames:
    """Everything the monitoring logic needs about a set of projects, as plain DataFrames."""

    projects: pd.DataFrame
    project_countries: pd.DataFrame
    results: pd.DataFrame
    indicators: pd.DataFrame
    targets: pd.DataFrame
    actuals: pd.DataFrame
    budget_lines: pd.DataFrame
    expenditures: pd.DataFrame
    spending_plans: pd.DataFrame
    fx_rates: pd.DataFrame
    risks: pd.DataFrame
    visits: pd.DataFrame
    recommendations: pd.DataFrame
    markers: pd.DataFrame
    aap: pd.DataFrame
    tags: pd.DataFrame
    actual_breakdowns: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(OPTIONAL_COLUMNS["actual_breakdowns"]))
    )

    @classmethod
    def empty(cls) -> PortfolioFrames:
        """A portfolio with no projects: every frame present with its columns and no rows."""
        return cls(**{name: pd.DataFrame(columns=list(cols)) for name, cols in COLUMNS.items()})

    def check_columns(self) -> None:
        """Raise ``ValueError`` naming the frame and the columns a query failed to provide."""
        for f in fields(self):
            frame = getattr(self, f.name)
            missing = [c for c in {**COLUMNS, **OPTIONAL_COLUMNS}[f.name] if c not in frame.columns]
            if missing:
                raise ValueError(f"frame {f.name!r} lacks columns {missing}")
