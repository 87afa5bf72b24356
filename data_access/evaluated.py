"""Reads of the stored evaluations (:mod:`data_access.evalstore`): the frames, columns and SQL counts
the pages, snapshots and reports take from them.

Apart from the store because the store's run key hashes the code that computes what it stores
(``evalstore.CODE_SOURCES``): how the rows are read back (which columns, a new count in SQL) does not
change a stored figure, so a change here must not discard the stored runs (at 100,000 projects
re-evaluating one date takes minutes). Every reader asks :func:`evalstore.stored_run` first, so
the projects of the view not yet stored are evaluated before anything is read.
"""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, Select, exists, func, null, or_, select
from sqlalchemy import exc as sa_exc

from data_access import evalstore, queries
from data_access import models as m
from data_access.errors import translate_db_error
from data_access.scope import PortfolioFilter, Scope
from monitoring.evaluate import PortfolioEvaluation
from monitoring.indicators import STATUSES
from monitoring.settings import Settings, load_settings

# the order evaluate_portfolio gives each frame: projects and flags by project code, the others by
# project id; within a project, the evaluation's own order (``position``)
_ORDER = {"projects": ("project_code",), "flags": ("project_code", "position")}


_RUN_LOCKS: dict[tuple, threading.Lock] = {}
_RUN_LOCKS_GUARD = threading.Lock()


def _stored_run(bind: Engine | Connection, scope: Scope, flt: PortfolioFilter, settings: Settings) -> int:
    """:func:`evalstore.stored_run`, one session of this server at a time per (database, as-of date,
    settings).

    Why: the first visitors of a new date (a month-end, the morning after an import) each found
    the projects not yet stored and evaluated them all at once: on PostgreSQL each did the whole
    work and all but one threw it away (its rows were stored first); on SQLite the others waited
    for the first writer's lock, and when evaluating took longer than the busy timeout (30 s; a
    loaded machine at 10,000 projects) they saw "the database is busy". Now the others wait here
    and then find every project stored. Readers of other dates are not held up; other server
    processes still meet at the database (its unique keys and lock), as before.
    """
    key = (bind.engine.url, flt.as_of, settings)
    with _RUN_LOCKS_GUARD:
        lock = _RUN_LOCKS.setdefault(key, threading.Lock())
    with lock:
        return evalstore.stored_run(bind, scope, flt, settings)


def _typed(frame: pd.DataFrame, kinds: dict[str, str]) -> pd.DataFrame:
    """Give every column read back the pandas type ``evaluate_portfolio`` gives it."""
    out = {}
    for column in frame.columns:
        series, kind = frame[column], kinds[column]
        if kind == "int":
            series = series.astype("int64")
        elif kind == "nullable_int":
            series = series.astype("Int64")
        elif kind == "float":
            series = series.astype("float64")
        elif kind == "bool":
            series = series.astype(bool)
        elif kind == "str":
            series = series.astype("str")
        elif kind == "text":
            series = series.astype(object).where(series.notna(), None)
        elif kind == "date_object":
            values = np.array(series.dt.date, dtype=object)
            values[series.isna().to_numpy()] = None
            series = pd.Series(values, index=series.index, dtype=object)
        out[column] = series
    return pd.DataFrame(out, index=frame.index)


def _read_frame(
    connection: Connection, run: int, frame: str, projects: Select, columns: Collection[str] | None, where=None
) -> pd.DataFrame:
    kinds = m.EVALUATION_COLUMNS[frame]
    names = [c for c in kinds if columns is None or c in columns]
    table = m.EVALUATION_TABLES[frame]
    order = [table.c[c] for c in _ORDER.get(frame, ("project_id", "position"))]
    stmt = select(*(table.c[c] for c in names)).where(table.c.run_id == run, table.c.project_id.in_(projects))
    if where is not None:
        stmt = stmt.where(where)
    return _typed(queries.read_frame(connection, stmt.order_by(*order)), kinds)


@dataclass(frozen=True)
class Columns:
    """Which columns of each frame to read (``None``: all; an empty tuple: none, an empty frame)."""

    projects: tuple[str, ...] | None = None
    indicators: tuple[str, ...] | None = None
    flags: tuple[str, ...] | None = None
    risks: tuple[str, ...] | None = None
    quality: tuple[str, ...] | None = None
    # rows, not columns: only the indicators whose status, female or male status is one of these
    # (None: every indicator). The Off-track page lists a fraction of the portfolio's indicators.
    indicator_statuses: tuple[str, ...] | None = None

    def where(self, frame: str):
        """The row condition of ``frame`` (None: every row)."""
        if frame != "indicators" or self.indicator_statuses is None:
            return None
        table, statuses = m.EVALUATION_TABLES[frame], list(self.indicator_statuses)
        return or_(*(table.c[c].in_(statuses) for c in ("status", "status_female", "status_male")))


def read(
    bind: Engine | Connection,
    scope: Scope,
    flt: PortfolioFilter,
    settings: Settings | None = None,
    columns: Columns = Columns(),
) -> PortfolioEvaluation:
    """The evaluation of ``scope`` narrowed by ``flt`` as of ``flt.as_of``: the same frames as
    ``evaluate_portfolio(load_portfolio(bind, scope, flt), flt.as_of, settings)``, from the store
    (projects not yet stored are evaluated and stored first), with the columns and indicator
    rows of ``columns``."""
    settings = settings or load_settings()
    projects = queries.filtered_projects(scope, flt)
    try:
        run = _stored_run(bind, scope, flt, settings)
        frames = {}
        with queries.connected(bind) as connection:
            for frame in evalstore.FRAMES:
                wanted = getattr(columns, frame)
                if wanted == ():
                    frames[frame] = pd.DataFrame(columns=list(m.EVALUATION_COLUMNS[frame]))
                else:
                    frames[frame] = _read_frame(connection, run, frame, projects, wanted, columns.where(frame))
    except sa_exc.SQLAlchemyError as error:
        raise translate_db_error(error) from error
    return PortfolioEvaluation(as_of=flt.as_of, **frames)


def indicators_with_overdue_reports(
    bind: Engine | Connection, scope: Scope, flt: PortfolioFilter, settings: Settings | None = None
) -> int:
    """How many indicators of the view have a report overdue (``reports_overdue > 0``), counted
    in SQL: the Off-track page's card, over every indicator, while it reads only those to list."""
    settings = settings or load_settings()
    try:
        run = _stored_run(bind, scope, flt, settings)
        with queries.connected(bind) as connection:
            return int(connection.execute(_overdue(run, queries.filtered_projects(scope, flt))).scalar_one())
    except sa_exc.SQLAlchemyError as error:
        raise translate_db_error(error) from error


def _overdue(run: int, in_view: Select) -> Select:
    table = m.EVALUATION_TABLES["indicators"]
    return select(func.count()).where(
        table.c.run_id == run, table.c.project_id.in_(in_view), table.c.reports_overdue > 0
    )


# what the Off-track list is chosen and ordered by (``monitoring.off_track.indicators_needing_attention``),
# besides the status and progress of the sex asked for: a narrow read of every indicator it may list
ATTENTION_KEYS = ("indicator_id", "project_id", "project_code", "result_id", "indicator_code", "expected_progress")


def attention_keys(
    bind: Engine | Connection,
    scope: Scope,
    flt: PortfolioFilter,
    settings: Settings | None,
    statuses: Collection[str],
    sex: str | None = None,
    levels: bool = True,
) -> pd.DataFrame:
    """The indicators of the view whose status (overall, or for ``sex``: ``"female"``, ``"male"``) is
    one of ``statuses``, with only what their list is chosen and ordered by: :data:`ATTENTION_KEYS`,
    ``status`` and ``progress`` (the ``sex`` ones under the overall names) and ``level``, the level of
    the result each measures (None when attached to none, and for every row when ``levels`` is
    false: a list of every level never reads it), in the evaluation's order.

    Why: the Off-track page read every such indicator with its 23 columns (names, reasons; ~440,000
    rows at 100,000 projects) and every result of the view with its statement (1.2 million) to show
    the first 2,000; it now orders these narrow rows and reads its shown rows whole. The level is
    joined here, not read from every result: an indicator's result is one of its own project's
    (the importer finds it by project and code), so the join finds exactly what the page's lookup
    in the results of the view found (joining the results took ~0.4 s of PostgreSQL's time at
    100,000 projects, hence only when a level is chosen). The rows are put in the evaluation's
    order here, not by the database: PostgreSQL sorted them on disk (~0.3 s).
    """
    settings = settings or load_settings()
    table, results = m.EVALUATION_TABLES["indicators"], m.Result.__table__
    suffix = f"_{sex}" if sex else ""
    status, progress = table.c[f"status{suffix}"], table.c[f"progress{suffix}"]
    kinds = {**m.EVALUATION_COLUMNS["indicators"], "level": "text"}
    level = results.c.level if levels else null().label("level")
    try:
        run = _stored_run(bind, scope, flt, settings)
        stmt = select(
            *(table.c[c] for c in ATTENTION_KEYS),
            status.label("status"),
            progress.label("progress"),
            level,
            table.c.position,
        ).where(
            table.c.run_id == run,
            table.c.project_id.in_(queries.filtered_projects(scope, flt)),
            status.in_(list(statuses)),
        )
        if levels:
            stmt = stmt.select_from(table.outerjoin(results, results.c.id == table.c.result_id))
        with queries.connected(bind) as connection:
            frame = queries.read_frame(connection, stmt)
    except sa_exc.SQLAlchemyError as error:
        raise translate_db_error(error) from error
    frame = frame.sort_values(["project_id", "position"], kind="stable", ignore_index=True)
    return _typed(frame.drop(columns="position"), kinds)


def project_totals(
    bind: Engine | Connection, scope: Scope, flt: PortfolioFilter, settings: Settings | None = None
) -> tuple[int, int, int]:
    """How many projects the view has, how many indicators they have in all, and how many of those
    have a report overdue (:func:`indicators_with_overdue_reports`), counted in SQL over the stored
    rows: what the Off-track page needs beside its list (its "of N in view", whether there is any
    indicator at all, the overdue card) without reading 100,000 rows, after one check of the run
    (~0.15 s each at 100,000 projects)."""
    settings = settings or load_settings()
    table = m.EVALUATION_TABLES["projects"]
    try:
        run = _stored_run(bind, scope, flt, settings)
        in_view = queries.filtered_projects(scope, flt)
        stmt = select(func.count(), func.coalesce(func.sum(table.c.n_indicators), 0)).where(
            table.c.run_id == run, table.c.project_id.in_(in_view)
        )
        with queries.connected(bind) as connection:
            projects, indicators = connection.execute(stmt).one()
            overdue = connection.execute(_overdue(run, in_view)).scalar_one()
    except sa_exc.SQLAlchemyError as error:
        raise translate_db_error(error) from error
    return int(projects), int(indicators), int(overdue)


def result_levels(bind: Engine | Connection, scope: Scope, flt: PortfolioFilter, levels: Collection[str]) -> set[str]:
    """Which of ``levels`` (objective, outcome...) some result of the view has: the Off-track page's
    level choices, asked one level at a time (``EXISTS`` stops at the first result found) instead of
    reading every result of the view (1.2 million at 100,000 projects)."""
    results = m.Result.__table__
    in_view = results.c.project_id.in_(queries.filtered_projects(scope, flt))
    try:
        with queries.connected(bind) as connection:
            return {
                level
                for level in levels
                if connection.execute(select(exists().where(in_view, results.c.level == level))).scalar_one()
            }
    except sa_exc.SQLAlchemyError as error:
        raise translate_db_error(error) from error


def indicator_status_counts(
    bind: Engine | Connection, scope: Scope, flt: PortfolioFilter, settings: Settings | None = None
) -> pd.Series:
    """How many indicators of the view have each status (status → number; a status no indicator has
    is left out): what the KPI cards need of the indicators (``portfolio_kpis(indicator_statuses=...)``).

    Summed in SQL over the projects' stored ``n_<status>`` columns, which ``monitoring.results``
    counts from the same indicators' statuses (one column per status of
    ``monitoring.indicators.STATUSES``): one row per project instead of one per indicator. At
    100,000 projects grouping the 2 million stored indicator rows took 1.5-7 s; the sums take
    0.3 s. ``tests/test_evalstore.py`` compares the two.
    """
    settings = settings or load_settings()
    table = m.EVALUATION_TABLES["projects"]
    try:
        run = _stored_run(bind, scope, flt, settings)
        stmt = select(*(func.coalesce(func.sum(table.c[f"n_{status}"]), 0) for status in STATUSES)).where(
            table.c.run_id == run, table.c.project_id.in_(queries.filtered_projects(scope, flt))
        )
        with queries.connected(bind) as connection:
            sums = connection.execute(stmt).one()
    except sa_exc.SQLAlchemyError as error:
        raise translate_db_error(error) from error
    counts = {status: int(n) for status, n in zip(STATUSES, sums, strict=True) if n}
    return pd.Series(counts, dtype="int64", name="count")


@dataclass(frozen=True)
class QualityCounts:
    """The data-quality summary's inputs, counted in SQL over the stored rows of a view: issues per
    (level, issue), indicators, active projects that have started, and projects."""

    issues: dict[tuple[str, str], int]
    indicators: int
    live_projects: int
    projects: int


def quality_counts(
    bind: Engine | Connection, scope: Scope, flt: PortfolioFilter, settings: Settings | None = None
) -> QualityCounts:
    """What ``monitoring.quality.summary_table`` needs for the view, without reading its rows: the
    Data page's quality summary equals ``quality_summary`` of the raw frames (tests/test_evalstore.py)."""
    settings = settings or load_settings()
    quality, projects = (m.EVALUATION_TABLES[f] for f in ("quality", "projects"))
    try:
        run = _stored_run(bind, scope, flt, settings)
        in_view = queries.filtered_projects(scope, flt)

        def count(table, *where, of=None):
            counted = func.count() if of is None else func.coalesce(func.sum(of), 0)
            return select(counted).where(table.c.run_id == run, table.c.project_id.in_(in_view), *where)

        issues = (
            select(quality.c.level, quality.c.issue, func.count())
            .where(quality.c.run_id == run, quality.c.project_id.in_(in_view))
            .group_by(quality.c.level, quality.c.issue)
        )
        live = (projects.c.status == "active", projects.c.start_date <= flt.as_of)
        with queries.connected(bind) as connection:
            return QualityCounts(
                issues={(level, issue): int(n) for level, issue, n in connection.execute(issues)},
                # the projects' indicator counts: one row per project, not per indicator
                indicators=int(connection.execute(count(projects, of=projects.c.n_indicators)).scalar_one()),
                live_projects=int(connection.execute(count(projects, *live)).scalar_one()),
                projects=int(connection.execute(count(projects)).scalar_one()),
            )
    except sa_exc.SQLAlchemyError as error:
        raise translate_db_error(error) from error
