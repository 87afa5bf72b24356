"""Scoped reads: every query starts from :func:`readable_projects` and returns plain DataFrames.

One base statement decides who sees what (ARCHITECTURE.md practice 5); a :class:`PortfolioFilter`
can only narrow it (each filter is an extra ``AND``); every other query restricts its rows with
``project_id IN (<that statement>)`` — a subquery, never a list of ids pulled into Python.

Decisions a reader should know:

* **Scope** (see data_access/scope.py): the union of its parts. Countries read the projects their
  offices manage *and* those implemented in them (``project_countries``); regions the same over
  their countries; project codes exactly those; managers the projects naming them as manager.
* **Region and country filters** use the same rule as the scope (managed by or implemented in), so
  choosing a country shows what a chief of mission of that country would see.
* **Money shares** (``project_countries.share``): when any country of a project carries an IATI
  percentage, every listed country gets ``percentage / 100`` (a missing one 0); otherwise the
  managing country gets 1.0 — even if it is not listed — and other listed countries 0. Country and
  regional sums therefore never count a project twice (DOMAIN.md section 1).
* **Budget as of D**: a line's amount is its latest revision dated on or before ``flt.as_of``, else
  its original; a line with neither (only revisions after D) has a missing amount, not zero.
* **Expenditure** is summed in SQL by project, month and currency (never across currencies);
  line-months of one project come from :func:`project_detail`.
* **Actuals** (and their ``actual_breakdowns``): current versions only in the portfolio;
  :func:`project_detail` returns every version.
* **Dates** are returned as ``datetime64`` columns (``NaT`` when missing; pandas 3 picks the
  unit): vectorised for the 10,000-project portfolio, and accepted by ``monitoring`` (see
  monitoring/frames.py).
* A project outside the scope and a project that does not exist raise the same :class:`NotFound`
  message, so existence does not leak.
* The import history is the organisation-wide audit log (batches are not tied to projects): the
  Data page shows it to people who may import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    DateTime,
    Engine,
    Float,
    Integer,
    Select,
    and_,
    case,
    cast,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    union,
    union_all,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from data_access import models as m
from data_access.errors import NotFound, translate_db_error
from data_access.scope import PortfolioFilter, Scope
from monitoring.frames import COLUMNS, OPTIONAL_COLUMNS, PortfolioFrames

FRAME_COLUMNS = {**COLUMNS, **OPTIONAL_COLUMNS}

Bind = Engine | Connection

# ---- scope and filter --------------------------------------------------------------------------


def _projects_in_countries(countries: Select) -> list[Select]:
    """Two selects of the ids of projects managed by, or implemented in, any country whose id
    ``countries`` selects: their union is those projects (:func:`_union`)."""
    managed = select(m.Project.id).join(m.CountryOffice, m.Project.managing_office_id == m.CountryOffice.id)
    managed = managed.where(m.CountryOffice.country_id.in_(countries))
    implemented = select(m.ProjectCountry.project_id).where(m.ProjectCountry.country_id.in_(countries))
    return [managed, implemented]


def _union(parts: list[Select]) -> Select:
    """``SELECT id`` of the union of ``parts`` (each selecting project ids).

    A union, not ``projects.id IN (…) OR projects.id IN (…)``: the ``OR`` made PostgreSQL walk every
    project and probe each part for it (0.26 s for one region at 100,000 projects); the union reads
    only the ids each part finds (0.14 s).
    """
    if len(parts) == 1:
        return parts[0]
    ids = union(*parts).subquery()
    return select(ids.c[0])


def _country_ids_by_iso3(codes: tuple[str, ...]) -> Select:
    return select(m.Country.id).where(m.Country.iso3.in_(codes))


def _country_ids_by_region(codes: tuple[str, ...]) -> Select:
    return select(m.Country.id).join(m.Region, m.Country.region_id == m.Region.id).where(m.Region.code.in_(codes))


def readable_projects(scope: Scope) -> Select:
    """``SELECT projects.id`` of every project ``scope`` may read: the base of every query.

    The union of the scope's parts (see data_access/scope.py); a scope with no part reads nothing.
    """
    if scope.organisation:
        return select(m.Project.id)
    parts: list[Select] = []
    if scope.countries:
        parts += _projects_in_countries(_country_ids_by_iso3(scope.countries))
    if scope.regions:
        parts += _projects_in_countries(_country_ids_by_region(scope.regions))
    if scope.projects:
        parts.append(select(m.Project.id).where(m.Project.code.in_(scope.projects)))
    if scope.managers:
        parts.append(select(m.Project.id).where(func.lower(func.trim(m.Project.manager)).in_(scope.managers)))
    return _union(parts) if parts else select(m.Project.id).where(false())


def filtered_projects(scope: Scope, flt: PortfolioFilter) -> Select:
    """The readable projects narrowed by ``flt``: every non-empty filter adds an ``AND``."""
    readable = readable_projects(scope)
    if not flt.narrows:
        return readable
    stmt = select(m.Project.id).where(m.Project.id.in_(readable))
    if flt.regions:
        stmt = stmt.where(m.Project.id.in_(_union(_projects_in_countries(_country_ids_by_region(flt.regions)))))
    if flt.countries:
        stmt = stmt.where(m.Project.id.in_(_union(_projects_in_countries(_country_ids_by_iso3(flt.countries)))))
    if flt.donors:
        funded = (
            select(m.ProjectDonor.project_id)
            .join(m.Donor, m.ProjectDonor.donor_id == m.Donor.id)
            .where(m.Donor.name.in_(flt.donors))
        )
        stmt = stmt.where(m.Project.id.in_(funded))
    if flt.themes:
        stmt = stmt.where(m.Project.thematic_area.in_(flt.themes))
    if flt.statuses:
        stmt = stmt.where(m.Project.status.in_(flt.statuses))
    if flt.project_codes:
        stmt = stmt.where(m.Project.code.in_(flt.project_codes))
    return stmt


# ---- reading helpers -------------------------------------------------------------------------


@contextmanager
def _connected(bind: Bind) -> Iterator[Connection]:
    """Use ``bind`` if it is a connection (tests, a caller's transaction), else borrow one.

    A borrowed connection reads every frame in one transaction, so the frames of one call agree
    with each other even while an import commits: SQLite (WAL) reads one snapshot per transaction,
    and PostgreSQL is asked for REPEATABLE READ to do the same.
    """
    if isinstance(bind, Connection):
        yield bind
        return
    try:
        with bind.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                yield connection
    except sa_exc.SQLAlchemyError as error:
        raise translate_db_error(error) from error


class day_number(FunctionElement):
    """Days since 1970-01-01 of a DATE column, as an integer (NULL stays NULL).

    Reading dates as integers and converting whole columns with ``pd.to_datetime(unit="D")`` is
    about a third cheaper than letting the driver build a ``datetime.date`` per value: it matters
    for the ~2M target and actual rows of the 10,000-project portfolio.
    """

    type = Integer()
    inherit_cache = True


@compiles(day_number, "sqlite")
def _day_number_sqlite(element: day_number, compiler: SQLCompiler, **kw: object) -> str:
    return f"CAST(julianday({compiler.process(element.clauses, **kw)}) - 2440587.5 AS INTEGER)"


@compiles(day_number, "postgresql")
def _day_number_postgresql(element: day_number, compiler: SQLCompiler, **kw: object) -> str:
    return f"(({compiler.process(element.clauses, **kw)}) - DATE '1970-01-01')"


def read_frame(connection: Connection, stmt: Select) -> pd.DataFrame:
    """:func:`_read` for the other readers of this package (``data_access.evalstore``)."""
    return _read(connection, stmt)


def connected(bind: Bind):
    """:func:`_connected` for the other readers of this package: one consistent snapshot."""
    return _connected(bind)


def _read(connection: Connection, stmt: Select) -> pd.DataFrame:
    """Run ``stmt`` (bound parameters) into a DataFrame, converting whole columns at once.

    The rows are taken from the DBAPI cursor as plain tuples rather than SQLAlchemy ``Row``
    objects, and DATE columns arrive as day numbers (:class:`day_number`): together this halves
    the time to read the ~2M targets and actuals of the 10,000-project portfolio. Because the
    per-value result processors are skipped, the types they would fix are converted here per
    column: DATE → ``datetime64`` from day numbers, DATETIME → ``datetime64`` (SQLite returns
    ISO strings), BOOLEAN → ``bool`` (SQLite returns 0/1). No other column type we select needs one.

    Numbers that are not finite (an infinity stored before the importers bounded every number, or
    a sum that overflowed) are read as unknown (NaN): a figure is then shown as missing rather than
    as "USD infbn", and no page computes with an infinity.
    """
    columns = list(stmt.selected_columns)
    as_numbers = stmt.with_only_columns(
        *(day_number(c).label(c.key) if isinstance(c.type, Date) else c for c in columns),
        maintain_column_froms=True,
    )
    try:
        result = connection.execute(as_numbers)
        try:
            rows = result.cursor.fetchall()
        finally:
            result.close()
    except sa_exc.SQLAlchemyError as error:
        raise translate_db_error(error) from error
    frame = pd.DataFrame.from_records(rows, columns=[c.key for c in columns], coerce_float=True)
    for column in columns:
        key = column.key
        if isinstance(column.type, Date):  # one unit, also for a column of NULLs only (pandas gives seconds)
            frame[key] = pd.to_datetime(frame[key], unit="D").astype("datetime64[us]")
        elif isinstance(column.type, DateTime):
            frame[key] = pd.to_datetime(frame[key])
        elif isinstance(column.type, Boolean):
            frame[key] = frame[key].astype("boolean" if frame[key].isna().any() else bool)
        elif frame[key].dtype.kind == "f" and np.isinf(frame[key].to_numpy()).any():
            frame[key] = frame[key].where(np.isfinite(frame[key].to_numpy()))
    return frame


# ---- portfolio frames ------------------------------------------------------------------------


def _projects_frame(connection: Connection, ids: Select) -> pd.DataFrame:
    p, co, c, r = m.Project, m.CountryOffice, m.Country, m.Region
    stmt = (
        select(
            p.id.label("project_id"),
            p.code.label("project_code"),
            p.title,
            p.status,
            p.start_date,
            p.end_date,
            p.revised_end_date,
            p.currency,
            p.manager,
            p.high_risk_context,
            p.thematic_area,
            c.iso3.label("managing_country"),
            c.name.label("managing_country_name"),
            r.code.label("region"),
            r.name.label("region_name"),
        )
        .join(co, p.managing_office_id == co.id)
        .join(c, co.country_id == c.id)
        .join(r, c.region_id == r.id)
        .where(p.id.in_(ids))
        .order_by(p.code)
    )
    frame = _read(connection, stmt)
    donors = _read(
        connection,
        select(m.ProjectDonor.project_id, m.Donor.name)
        .join(m.Donor, m.ProjectDonor.donor_id == m.Donor.id)
        .where(m.ProjectDonor.project_id.in_(ids))
        .order_by(m.ProjectDonor.project_id, m.Donor.name),
    )
    joined = donors.groupby("project_id", sort=False)["name"].agg("; ".join)
    frame["donors"] = frame["project_id"].map(joined)
    return frame


def _project_countries_frame(connection: Connection, ids: Select) -> pd.DataFrame:
    pc, p, co, c, r = m.ProjectCountry, m.Project, m.CountryOffice, m.Country, m.Region
    pc_any = aliased(m.ProjectCountry)
    has_percentage = exists().where(pc_any.project_id == p.id, pc_any.percentage.is_not(None))
    listed = (
        select(
            pc.project_id.label("project_id"),
            c.iso3.label("country"),
            c.name.label("country_name"),
            r.code.label("region"),
            case(
                (has_percentage, func.coalesce(pc.percentage, 0.0) / 100.0),
                (pc.country_id == co.country_id, literal(1.0)),
                else_=literal(0.0),
            ).label("share"),
        )
        .join(p, pc.project_id == p.id)
        .join(co, p.managing_office_id == co.id)
        .join(c, pc.country_id == c.id)
        .join(r, c.region_id == r.id)
        .where(pc.project_id.in_(ids))
    )
    managing_listed = exists().where(pc_any.project_id == p.id, pc_any.country_id == co.country_id)
    managing_only = (
        select(
            p.id.label("project_id"),
            c.iso3.label("country"),
            c.name.label("country_name"),
            r.code.label("region"),
            cast(literal(1.0), Float).label("share"),
        )
        .join(co, p.managing_office_id == co.id)
        .join(c, co.country_id == c.id)
        .join(r, c.region_id == r.id)
        .where(p.id.in_(ids), ~managing_listed, ~has_percentage)
    )
    union = union_all(listed, managing_only).subquery()
    stmt = select(*union.c).order_by(union.c.project_id, union.c.country)
    frame = _read(connection, stmt)
    frame["share"] = frame["share"].astype(float)
    return frame


def _current_budget_lines_frame(connection: Connection, ids: Select, as_of: dt.date) -> pd.DataFrame:
    bl, rev = m.BudgetLine, m.BudgetRevision
    original = aliased(m.BudgetRevision)
    latest_date = (  # the lines of the projects only: not a GROUP BY over every project's revisions
        select(rev.budget_line_id, func.max(rev.revision_date).label("revision_date"))
        .where(
            rev.kind != "original",
            rev.revision_date <= as_of,
            rev.budget_line_id.in_(select(bl.id).where(bl.project_id.in_(ids))),
        )
        .group_by(rev.budget_line_id)
        .subquery()
    )
    latest = aliased(m.BudgetRevision)
    stmt = (
        select(
            bl.project_id,
            bl.id.label("budget_line_id"),
            bl.line_code,
            bl.category,
            bl.currency,
            func.coalesce(latest.amount, original.amount).label("amount"),
            original.amount.label("original_amount"),
        )
        .outerjoin(original, and_(original.budget_line_id == bl.id, original.kind == "original"))
        .outerjoin(latest_date, latest_date.c.budget_line_id == bl.id)
        .outerjoin(
            latest,
            and_(latest.budget_line_id == bl.id, latest.revision_date == latest_date.c.revision_date),
        )
        .where(bl.project_id.in_(ids))
        .order_by(bl.project_id, bl.line_code)
    )
    frame = _read(connection, stmt)
    return frame.astype({"amount": float, "original_amount": float})


def _expenditures_frame(connection: Connection, ids: Select) -> pd.DataFrame:
    bl, ex = m.BudgetLine, m.Expenditure
    stmt = (
        select(bl.project_id, ex.month, func.sum(ex.amount).label("amount"), ex.currency)
        .join(bl, ex.budget_line_id == bl.id)
        .where(bl.project_id.in_(ids))
        .group_by(bl.project_id, ex.month, ex.currency)
        .order_by(bl.project_id, ex.month, ex.currency)
    )
    frame = _read(connection, stmt)
    return frame.astype({"amount": float})


def _indicator_ids(ids: Select) -> Select:
    return select(m.Indicator.id).where(m.Indicator.project_id.in_(ids))


def _simple_frames(ids: Select) -> dict[str, Select]:
    """The frames that are one table (or one join) restricted to the projects: name → statement."""
    i, t, a = m.Indicator, m.Target, m.Actual
    indicator_ids = _indicator_ids(ids)
    return {
        "results": select(
            m.Result.id.label("result_id"),
            m.Result.project_id,
            m.Result.code.label("result_code"),
            m.Result.level,
            m.Result.parent_id,
            m.Result.statement,
        )
        .where(m.Result.project_id.in_(ids))
        .order_by(m.Result.project_id, m.Result.code),
        "indicators": select(
            i.id.label("indicator_id"),
            i.project_id,
            i.result_id,
            i.code.label("indicator_code"),
            i.name,
            i.unit,
            i.measure,
            i.direction,
            i.accumulation,
            i.baseline,
            i.baseline_text,
            i.baseline_date,
            i.end_target,
            i.end_target_text,
            i.disaggregation,
            i.frequency,
        )
        .where(i.project_id.in_(ids))
        .order_by(i.project_id, i.code),
        "targets": select(t.indicator_id, t.period_start, t.period_end, t.target)
        .where(t.indicator_id.in_(indicator_ids))
        .order_by(t.indicator_id, t.period_start, t.period_end),
        "actuals": select(
            a.indicator_id,
            a.period_start,
            a.period_end,
            a.value,
            a.value_text,
            a.female,
            a.male,
            a.other_sex,
            a.reported_on,
            a.source,
        )
        .where(a.indicator_id.in_(indicator_ids), a.is_current.is_(True))
        .order_by(a.indicator_id, a.period_start, a.period_end),
        "actual_breakdowns": select(
            a.indicator_id,
            a.period_start,
            a.period_end,
            m.ActualBreakdown.dimension,
            m.ActualBreakdown.category,
            m.ActualBreakdown.value,
        )
        .join(a, m.ActualBreakdown.actual_id == a.id)
        .where(a.indicator_id.in_(indicator_ids), a.is_current.is_(True))
        .order_by(a.indicator_id, a.period_start, m.ActualBreakdown.dimension, m.ActualBreakdown.category),
        "spending_plans": select(m.SpendingPlan.project_id, m.SpendingPlan.month, m.SpendingPlan.amount)
        .where(m.SpendingPlan.project_id.in_(ids))
        .order_by(m.SpendingPlan.project_id, m.SpendingPlan.month),
        "fx_rates": select(m.FxRate.currency, m.FxRate.rate_date, m.FxRate.usd_rate).order_by(
            m.FxRate.currency, m.FxRate.rate_date
        ),
        "risks": select(
            m.Risk.project_id,
            m.Risk.code.label("risk_code"),
            m.Risk.description,
            m.Risk.category,
            m.Risk.likelihood,
            m.Risk.impact,
            m.Risk.mitigation,
            m.Risk.owner,
            m.Risk.status,
            m.Risk.last_reviewed,
        )
        .where(m.Risk.project_id.in_(ids))
        .order_by(m.Risk.project_id, m.Risk.code),
        "visits": select(
            m.MonitoringVisit.project_id,
            m.MonitoringVisit.visit_date,
            m.MonitoringVisit.visit_type,
            m.MonitoringVisit.findings,
            m.MonitoringVisit.follow_up_status,
        )
        .where(m.MonitoringVisit.project_id.in_(ids))
        .order_by(m.MonitoringVisit.project_id, m.MonitoringVisit.visit_date),
        "recommendations": select(
            m.Recommendation.project_id,
            m.Recommendation.code.label("recommendation_code"),
            m.Recommendation.source,
            m.Recommendation.text,
            m.Recommendation.issued_on,
            m.Recommendation.management_response,
            m.Recommendation.due_date,
            m.Recommendation.status,
            m.Recommendation.action,
            m.Recommendation.owner,
            m.Recommendation.implemented_on,
            m.Evaluation.code.label("evaluation_code"),
            m.Evaluation.title.label("evaluation_title"),
            m.Evaluation.evaluation_date,
        )
        .outerjoin(m.Evaluation, m.Evaluation.id == m.Recommendation.evaluation_id)
        .where(m.Recommendation.project_id.in_(ids))
        .order_by(m.Recommendation.project_id, m.Recommendation.code),
        "markers": select(m.ProjectMarker.project_id, m.ProjectMarker.scheme, m.ProjectMarker.code)
        .where(m.ProjectMarker.project_id.in_(ids))
        .order_by(m.ProjectMarker.project_id, m.ProjectMarker.scheme),
        "aap": select(m.AapAssessment.project_id, m.AapAssessment.commitment, m.AapAssessment.rating)
        .where(m.AapAssessment.project_id.in_(ids))
        .order_by(m.AapAssessment.project_id, m.AapAssessment.commitment),
        "tags": select(m.ProjectTag.project_id, m.ProjectTag.scheme, m.ProjectTag.code)
        .where(m.ProjectTag.project_id.in_(ids))
        .order_by(m.ProjectTag.project_id, m.ProjectTag.scheme, m.ProjectTag.code),
    }


# the frames of reported figures and money lines: ~95% of a portfolio's rows (millions at 10,000
# projects), needed to evaluate it, not by pages that read the stored evaluation (data_access.evalstore)
HEAVY_FRAMES = (
    "indicators",
    "targets",
    "actuals",
    "actual_breakdowns",
    "budget_lines",
    "expenditures",
    "spending_plans",
    "fx_rates",
)
# the rest: projects, places, markers, AAP, risks, oversight (what a snapshot reads beside the store)
LIGHT_FRAMES = tuple(name for name in FRAME_COLUMNS if name not in HEAVY_FRAMES)


def _portfolio(
    connection: Connection, ids: Select, as_of: dt.date, wanted: Collection[str] | None = None
) -> PortfolioFrames:
    wanted = set(FRAME_COLUMNS if wanted is None else wanted) | {"projects", "project_countries"}
    frames = {name: _read(connection, stmt) for name, stmt in _simple_frames(ids).items() if name in wanted}
    frames |= {name: pd.DataFrame(columns=list(FRAME_COLUMNS[name])) for name in FRAME_COLUMNS if name not in wanted}
    frames["projects"] = _projects_frame(connection, ids)
    frames["project_countries"] = _project_countries_frame(connection, ids)
    if "budget_lines" in wanted:
        frames["budget_lines"] = _current_budget_lines_frame(connection, ids, as_of)
    if "expenditures" in wanted:
        frames["expenditures"] = _expenditures_frame(connection, ids)
    portfolio = PortfolioFrames(**{name: frames[name][list(cols)] for name, cols in FRAME_COLUMNS.items()})
    portfolio.check_columns()
    return portfolio


def portfolio_of(connection: Connection, ids: Select, as_of: dt.date) -> PortfolioFrames:
    """The frames of the projects ``ids`` selects (a ``SELECT projects.id``; no scope applied: the
    caller has already restricted ``ids``), on the caller's connection (``data_access.evalstore``)."""
    return _portfolio(connection, ids, as_of)


def load_portfolio(
    engine: Bind, scope: Scope, flt: PortfolioFilter, *, frames: Collection[str] | None = None
) -> PortfolioFrames:
    """Every frame the monitoring logic needs for the projects ``scope`` reads and ``flt`` keeps.

    ``engine`` may also be a Connection (a caller's or a test's transaction). All frames are read
    in one connection, so on PostgreSQL they come from consistent snapshots of one moment only
    if the caller passes a connection in a REPEATABLE READ transaction; the default is fine for a
    dashboard that reloads every few minutes. ``frames`` names the frames to read (``projects`` and
    ``project_countries`` always are); the others are empty with their columns. Pages whose figures
    come from the stored evaluation read a few frames, never the reported figures and money lines
    (:data:`HEAVY_FRAMES`: millions of rows at 10,000 projects).
    """
    with _connected(engine) as connection:
        return _portfolio(connection, filtered_projects(scope, flt), flt.as_of, frames)


def frame_columns(
    engine: Bind, scope: Scope, flt: PortfolioFilter, columns: Mapping[str, Collection[str]]
) -> dict[str, pd.DataFrame]:
    """Only ``columns`` of some one-table frames (frame name → its columns to read; the rows and
    their order as :func:`load_portfolio` gives them): for a computation that walks the actuals and
    breakdowns of the whole portfolio but needs a few of their columns (``monitoring.markers``)."""
    statements = _simple_frames(filtered_projects(scope, flt))
    with _connected(engine) as connection:
        return {
            name: _read(
                connection,
                statements[name].with_only_columns(
                    *(c for c in statements[name].selected_columns if c.key in wanted), maintain_column_froms=True
                ),
            )
            for name, wanted in columns.items()
        }


def project_countries(engine: Bind, scope: Scope, flt: PortfolioFilter) -> pd.DataFrame:
    """``PortfolioFrames.project_countries`` alone (the money shares of country roll-ups)."""
    with _connected(engine) as connection:
        return _project_countries_frame(connection, filtered_projects(scope, flt))


def project_list(engine: Bind, scope: Scope, flt: PortfolioFilter) -> pd.DataFrame:
    """Code and title of every project of ``scope`` kept by ``flt``, by code (pickers)."""
    stmt = (
        select(m.Project.code.label("project_code"), m.Project.title)
        .where(m.Project.id.in_(filtered_projects(scope, flt)))
        .order_by(m.Project.code)
    )
    with _connected(engine) as connection:
        listed = _read(connection, stmt)
    # the same order on both databases (a PostgreSQL collation may order codes differently)
    return listed.sort_values("project_code").reset_index(drop=True)


def actual_comments(engine: Bind, scope: Scope, flt: PortfolioFilter) -> pd.DataFrame:
    """The non-empty comments of current actuals of the projects of ``scope`` kept by ``flt``:
    indicator_id, period_start, period_end, comment (``monitoring.comments`` picks the one to show).

    Apart from the portfolio frames: comments are free text, wanted only beside status reasons, and
    the light frames the Off-track page reads carry no actuals.
    """
    a, i = m.Actual, m.Indicator
    stmt = (
        select(a.indicator_id, a.period_start, a.period_end, a.comment)
        .join(i, a.indicator_id == i.id)
        .where(
            i.project_id.in_(filtered_projects(scope, flt)),
            a.is_current.is_(True),
            a.comment.is_not(None),
            a.comment != "",
        )
        .order_by(a.indicator_id, a.period_start, a.period_end)
    )
    with _connected(engine) as connection:
        return _read(connection, stmt)


# ---- one project in full ---------------------------------------------------------------------

NOT_FOUND_MESSAGE = "Project {code!r} is not in the portfolio you can see; check the project code."


@dataclass(frozen=True, eq=False)
class ProjectDetail:
    """One project: its portfolio frames (for the monitoring logic) plus the line-level history.

    ``results_tree`` is the results frame in depth-first order (children by code) with a ``depth``
    column (0 for roots); ``actual_versions`` holds every reported version, superseded ones too.
    """

    portfolio: PortfolioFrames
    results_tree: pd.DataFrame
    actual_versions: pd.DataFrame
    actual_breakdowns: pd.DataFrame
    budget_revisions: pd.DataFrame
    line_expenditures: pd.DataFrame
    funding_agreements: pd.DataFrame
    incoming_funds: pd.DataFrame
    evaluations: pd.DataFrame
    evaluation_ratings: pd.DataFrame

    @property
    def project(self) -> pd.Series:
        """The project's row of ``portfolio.projects``."""
        return self.portfolio.projects.iloc[0]


def results_in_tree_order(results: pd.DataFrame) -> pd.DataFrame:
    """``results`` ordered depth-first from the roots, siblings by code, with a ``depth`` column.

    A result whose parent is missing (or belongs to a cycle) is treated as a root, so no row of a
    messy import is hidden.
    """
    if results.empty:
        return results.assign(depth=pd.Series(dtype="int64"))
    children: dict[object, list[int]] = {}
    known = set(results["result_id"])
    ordered = results.sort_values("result_code")
    for pos, (result_id, parent_id) in enumerate(zip(ordered["result_id"], ordered["parent_id"], strict=True)):
        parent = parent_id if parent_id in known and parent_id != result_id else None
        children.setdefault(parent, []).append(pos)
    order: list[int] = []
    depth: list[int] = []
    seen: set[int] = set()

    def visit(key: object, level: int) -> None:
        for pos in children.get(key, []):
            if pos in seen:
                continue
            seen.add(pos)
            order.append(pos)
            depth.append(level)
            visit(ordered["result_id"].iloc[pos], level + 1)

    visit(None, 0)
    for pos in range(len(ordered)):  # members of a parent cycle: never reached from a root
        if pos not in seen:
            seen.add(pos)
            order.append(pos)
            depth.append(0)
    return ordered.iloc[order].assign(depth=depth).reset_index(drop=True)


def _detail_statements(project_id: int) -> dict[str, Select]:
    a, i, bl, rev = m.Actual, m.Indicator, m.BudgetLine, m.BudgetRevision
    ab, ev = m.ActualBreakdown, m.Evaluation
    evaluation_ids = select(m.EvaluationProject.evaluation_id).where(m.EvaluationProject.project_id == project_id)
    return {
        "actual_versions": select(
            a.id.label("actual_id"),
            a.indicator_id,
            i.code.label("indicator_code"),
            a.period_start,
            a.period_end,
            a.version,
            a.is_current,
            a.value,
            a.value_text,
            a.female,
            a.male,
            a.other_sex,
            a.comment,
            a.reported_on,
            a.source,
            a.superseded_at,
            a.import_batch_id,
        )
        .join(i, a.indicator_id == i.id)
        .where(i.project_id == project_id)
        .order_by(i.code, a.period_start, a.period_end, a.version),
        "actual_breakdowns": select(
            ab.actual_id,
            a.indicator_id,
            i.code.label("indicator_code"),
            a.period_start,
            a.period_end,
            a.version,
            a.is_current,
            ab.dimension,
            ab.category,
            ab.value,
            ab.value_text,
        )
        .join(a, ab.actual_id == a.id)
        .join(i, a.indicator_id == i.id)
        .where(i.project_id == project_id)
        .order_by(i.code, a.period_start, a.version, ab.dimension, ab.category),
        "budget_revisions": select(
            rev.budget_line_id,
            bl.line_code,
            bl.category,
            bl.currency,
            rev.kind,
            rev.revision_date,
            rev.amount,
            rev.note,
        )
        .join(bl, rev.budget_line_id == bl.id)
        .where(bl.project_id == project_id)
        .order_by(bl.line_code, case((rev.kind == "original", 0), else_=1), rev.revision_date),
        "line_expenditures": select(
            m.Expenditure.budget_line_id,
            bl.line_code,
            bl.category,
            m.Expenditure.month,
            m.Expenditure.amount,
            m.Expenditure.currency,
        )
        .join(bl, m.Expenditure.budget_line_id == bl.id)
        .where(bl.project_id == project_id)
        .order_by(bl.line_code, m.Expenditure.month),
        "funding_agreements": select(
            m.Donor.name.label("donor"),
            m.FundingAgreement.reference,
            m.FundingAgreement.amount,
            m.FundingAgreement.currency,
            m.FundingAgreement.earmarking,
            m.FundingAgreement.signed_on,
        )
        .join(m.Donor, m.FundingAgreement.donor_id == m.Donor.id)
        .where(m.FundingAgreement.project_id == project_id)
        .order_by(m.Donor.name, m.FundingAgreement.reference),
        "incoming_funds": select(
            m.Donor.name.label("donor"),
            m.IncomingFund.kind,
            m.IncomingFund.date,
            m.IncomingFund.amount,
            m.IncomingFund.currency,
            m.IncomingFund.reference,
        )
        .outerjoin(m.Donor, m.IncomingFund.donor_id == m.Donor.id)
        .where(m.IncomingFund.project_id == project_id)
        .order_by(m.IncomingFund.date, m.IncomingFund.kind),
        "evaluations": select(
            ev.id.label("evaluation_id"),
            ev.code.label("evaluation_code"),
            ev.title,
            ev.evaluation_type,
            ev.evaluation_date,
        )
        .where(ev.id.in_(evaluation_ids))
        .order_by(ev.evaluation_date, ev.code),
        "evaluation_ratings": select(
            ev.code.label("evaluation_code"),
            m.EvaluationRating.criterion,
            m.EvaluationRating.rating,
        )
        .join(ev, m.EvaluationRating.evaluation_id == ev.id)
        .where(ev.id.in_(evaluation_ids))
        .order_by(ev.code, m.EvaluationRating.criterion),
    }


def project_detail(engine: Bind, scope: Scope, project_code: str, as_of: dt.date | None = None) -> ProjectDetail:
    """One project in full, if ``scope`` reads it; budgets as of ``as_of`` (default today).

    Raises :class:`NotFound` with the same message whether the project is missing or outside the
    scope, so a changed URL cannot probe which codes exist.
    """
    as_of = as_of or dt.date.today()
    readable = select(m.Project.id).where(m.Project.code == project_code, m.Project.id.in_(readable_projects(scope)))
    with _connected(engine) as connection:
        project_id = connection.execute(readable).scalar_one_or_none()
        if project_id is None:
            raise NotFound(NOT_FOUND_MESSAGE.format(code=project_code))
        portfolio = _portfolio(connection, select(m.Project.id).where(m.Project.id == project_id), as_of)
        detail = {name: _read(connection, stmt) for name, stmt in _detail_statements(project_id).items()}
    return ProjectDetail(portfolio=portfolio, results_tree=results_in_tree_order(portfolio.results), **detail)


# ---- choices for the sidebar and "view as" ---------------------------------------------------


@dataclass(frozen=True)
class FilterOptions:
    """What can be chosen inside a scope: (code, name) pairs and sorted names. Hashable."""

    regions: tuple[tuple[str, str], ...]
    countries: tuple[tuple[str, str], ...]
    donors: tuple[str, ...]
    themes: tuple[str, ...]
    statuses: tuple[str, ...]


def _countries_of(project_ids: Select) -> Select:
    """(iso3, name, region code, region name) of countries managing or implementing the projects."""
    managing = (
        select(m.CountryOffice.country_id)
        .join(m.Project, m.Project.managing_office_id == m.CountryOffice.id)
        .where(m.Project.id.in_(project_ids))
    )
    implementing = select(m.ProjectCountry.country_id).where(m.ProjectCountry.project_id.in_(project_ids))
    return (
        select(m.Country.iso3, m.Country.name, m.Region.code.label("region"), m.Region.name.label("region_name"))
        .join(m.Region, m.Country.region_id == m.Region.id)
        .where(or_(m.Country.id.in_(managing), m.Country.id.in_(implementing)))
        .order_by(m.Country.iso3)
    )


def _pairs(rows) -> tuple[tuple[str, str], ...]:
    return tuple(sorted({(str(code), str(name)) for code, name in rows}))


def filter_options(engine: Bind, scope: Scope) -> FilterOptions:
    """Regions, countries, donors, themes and statuses present among the projects ``scope`` reads.

    Read on every page's first run after an import (the sidebar), so written for 100,000 projects:
    a donor is listed when one of its projects is readable (``EXISTS``: at 100,000 projects the
    distinct names of every project's donors took 0.45 s, this 0.3 ms); themes and statuses come
    from one pass over the projects, without the organisation's "every project" condition.
    """
    ids = readable_projects(scope)
    donors = (
        select(m.Donor.name)
        .distinct()
        .where(exists().where(m.ProjectDonor.donor_id == m.Donor.id, m.ProjectDonor.project_id.in_(ids)))
        .order_by(m.Donor.name)
    )
    kinds = select(m.Project.status, m.Project.thematic_area).distinct()
    if not scope.organisation:
        kinds = kinds.where(m.Project.id.in_(ids))
    with _connected(engine) as connection:
        countries = connection.execute(_countries_of(ids)).all()
        present = connection.execute(kinds).all()
        return FilterOptions(
            regions=_pairs((row.region, row.region_name) for row in countries),
            countries=_pairs((row.iso3, row.name) for row in countries),
            donors=tuple(connection.execute(donors).scalars()),
            themes=tuple(sorted({theme for _, theme in present if theme is not None})),
            statuses=tuple(s for s in m.PROJECT_STATUSES if s in {status for status, _ in present}),
        )


def unknown_scope_codes(engine: Bind, scope: Scope) -> list[str]:
    """The codes of ``scope`` that name nothing stored (a typo in ``--scope country:XYZ``): such a
    scope would show and write nothing, which looks like an empty portfolio rather than a mistake."""
    parts = ((scope.regions, m.Region.code), (scope.countries, m.Country.iso3), (scope.projects, m.Project.code))
    unknown: list[str] = []
    with _connected(engine) as connection:
        for codes, column in parts:
            if codes:
                known = set(connection.execute(select(column).where(column.in_(codes))).scalars())
                unknown += [code for code in codes if code not in known]
    return unknown


def place_names(engine: Bind, scope: Scope) -> dict[str, str]:
    """Code → stored name of the regions and countries ``scope`` names (codes stored nowhere are left
    out): how the command line names a view of places as the app does ("Kenya", not "KEN")."""
    parts = ((scope.regions, m.Region.code, m.Region.name), (scope.countries, m.Country.iso3, m.Country.name))
    names: dict[str, str] = {}
    with _connected(engine) as connection:
        for codes, code, name in parts:
            if codes:
                names.update(dict(connection.execute(select(code, name).where(code.in_(codes))).all()))
    return names


def data_version(engine: Bind) -> str:
    """A token that changes whenever the stored portfolio may have: the last successful import and
    the highest project id (seeding writes projects without an import batch).

    Cached reads carry it in their key, so an import made anywhere (the Data page, the command line,
    another server process) is seen on the next page run, and an unchanged database is served from
    the cache for hours instead of being re-read every few minutes. Rejected and unchanged import
    attempts write no data, so they leave it alone. Nothing is ever deleted by the application, so
    these two numbers only grow with new data.
    """
    stmt = select(
        select(func.max(m.ImportBatch.id)).where(m.ImportBatch.outcome == "imported").scalar_subquery(),
        select(func.max(m.Project.id)).scalar_subquery(),
    )
    with _connected(engine) as connection:
        batch, project = connection.execute(stmt).one()
    return f"{batch or 0}:{project or 0}"
