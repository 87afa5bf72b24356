"""Reads of the stored evaluations (:mod:`data_access.evalstore`): the frames, columns and SQL counts
the pages, snapshots and reports take from them.

Apart from the store because the store's run key hashes the code that computes what it stores
(``evalstore.CODE_SOURCES``): how the rows are read back (which columns, a new count in SQL) does not
change a stored figure, so a change here must not discard the stored runs (at 100,000 projects
re-evaluating one date takes minutes). Every reader asks :func:`evalstore.stored_run` first, so
the projects of the view not yet stored are evaluated before anything is read.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, Table, and_, case, exists, false, func, literal, null, or_, select
from sqlalchemy import exc as sa_exc

from data_access import evalstore, queries
from data_access import models as m
from data_access.errors import translate_db_error
from data_access.scope import PortfolioFilter, Scope
from monitoring.evaluate import PortfolioEvaluation
from monitoring.indicators import STATUSES
from monitoring.off_track import ATTENTION_STATUSES
from monitoring.settings import Settings, load_settings

# the order evaluate_portfolio gives each frame: projects and flags by project code, the others by
# project id; within a project, the evaluation's own order (``position``)
_ORDER = {"projects": ("project_code",), "flags": ("project_code", "position")}


_RUN_LOCKS: dict[tuple, threading.Lock] = {}
_RUN_LOCKS_GUARD = threading.Lock()
# (database, as-of date, settings, scope, filter, data version) → the run found complete for them
_COMPLETE: OrderedDict[tuple, int] = OrderedDict()
_COMPLETE_KEPT = 1024


def _stored_run(bind: Engine | Connection, scope: Scope, flt: PortfolioFilter, settings: Settings) -> int:
    """:func:`evalstore.stored_run`, one session of this server at a time per (database, as-of date,
    settings), and once per version of the data.

    Why one at a time: the first visitors of a new date (a month-end, the morning after an import)
    each found the projects not yet stored and evaluated them all at once: on PostgreSQL each did
    the whole work and all but one threw it away (its rows were stored first); on SQLite the others
    waited for the first writer's lock, and when evaluating took longer than the busy timeout (30 s;
    a loaded machine at 10,000 projects) they saw "the database is busy". Now the others wait here
    and then find every project stored. Readers of other dates are not held up; other server
    processes still meet at the database (its unique keys and lock), as before.

    Why once per data version: checking that every project of the view is stored is an anti-join
    of the view's projects (0.12-0.18 s at 100,000 projects), and a page's first view asks it for
    each of its reads. Stored rows change only with the data (an import changes
    ``queries.data_version`` and refreshes the rows of what it touched), so a view found complete
    stays complete until the version moves, or until the run itself is deleted (a process with
    other thresholds or newer code started its own: :func:`evalstore.run_id`), which is checked.
    Only for an engine: a caller's connection may hold uncommitted changes that a rollback takes
    back.
    """
    memo = None
    if isinstance(bind, Engine):
        memo = (bind.url, flt.as_of, settings, scope, flt, queries.data_version(bind))
        with _RUN_LOCKS_GUARD:
            known = _COMPLETE.get(memo)
        if known is not None and _run_exists(bind, known):
            return known
    key = (bind.engine.url, flt.as_of, settings)
    with _RUN_LOCKS_GUARD:
        lock = _RUN_LOCKS.setdefault(key, threading.Lock())
    with lock:
        run = evalstore.stored_run(bind, scope, flt, settings)
    if memo is not None:
        with _RUN_LOCKS_GUARD:
            _COMPLETE[memo] = run
            while len(_COMPLETE) > _COMPLETE_KEPT:
                _COMPLETE.popitem(last=False)
    return run


def _run_exists(engine: Engine, run: int) -> bool:
    runs = m.EvaluationRun.__table__
    with engine.connect() as connection:
        return connection.execute(select(runs.c.id).where(runs.c.id == run)).first() is not None


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


def _rows_of(table: Table, run: int, scope: Scope, flt: PortfolioFilter) -> tuple:
    """The conditions for the rows of ``run`` in ``table`` that belong to the view's projects.

    The whole organisation without a filter needs none beyond the run: every stored row is one of
    its projects (a project is never deleted). At 100,000 projects on PostgreSQL the condition
    "one of every project" made the Portfolio's read of the projects join the 100,000 projects
    again (0.47 s; 0.26 s without, sorted in byte order).
    """
    if scope.organisation and not flt.narrows:
        return (table.c.run_id == run,)
    return (table.c.run_id == run, table.c.project_id.in_(queries.filtered_projects(scope, flt)))


def _bytewise(column, connection: Connection):
    """``column`` compared by code point, as Python compares strings (evaluate_portfolio's order):
    PostgreSQL otherwise compares by the database's collation, a locale's (and more slowly)."""
    return column.collate("C") if connection.dialect.name == "postgresql" else column


def _read_frame(
    connection: Connection, frame: str, rows: tuple, columns: Collection[str] | None, where=None
) -> pd.DataFrame:
    kinds = m.EVALUATION_COLUMNS[frame]
    names = [c for c in kinds if columns is None or c in columns]
    table = m.EVALUATION_TABLES[frame]
    order = [
        _bytewise(table.c[c], connection) if c == "project_code" else table.c[c]
        for c in _ORDER.get(frame, ("project_id", "position"))
    ]
    stmt = select(*(table.c[c] for c in names)).where(*rows)
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
    # rows: only these indicators (None: every indicator); the Off-track list's shown rows
    indicator_ids: tuple[int, ...] | None = None

    def where(self, frame: str):
        """The row condition of ``frame`` (None: every row)."""
        if frame != "indicators":
            return None
        table, conditions = m.EVALUATION_TABLES[frame], []
        if self.indicator_statuses is not None:
            statuses = list(self.indicator_statuses)
            conditions.append(or_(*(table.c[c].in_(statuses) for c in ("status", "status_female", "status_male"))))
        if self.indicator_ids is not None:
            conditions.append(table.c.indicator_id.in_(list(self.indicator_ids)))
        return and_(*conditions) if conditions else None


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
    try:
        run = _stored_run(bind, scope, flt, settings)
        frames = {}
        with queries.connected(bind) as connection:
            for frame in evalstore.FRAMES:
                wanted = getattr(columns, frame)
                if wanted == ():
                    frames[frame] = pd.DataFrame(columns=list(m.EVALUATION_COLUMNS[frame]))
                else:
                    rows = _rows_of(m.EVALUATION_TABLES[frame], run, scope, flt)
                    frames[frame] = _read_frame(connection, frame, rows, wanted, columns.where(frame))
    except sa_exc.SQLAlchemyError as error:
        raise translate_db_error(error) from error
    return PortfolioEvaluation(as_of=flt.as_of, **frames)


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
    where=None,
) -> pd.DataFrame:
    """The indicators of the view whose status (overall, or for ``sex``: ``"female"``, ``"male"``) is
    one of ``statuses``, with only what their list is chosen and ordered by: :data:`ATTENTION_KEYS`,
    ``status`` and ``progress`` (the ``sex`` ones under the overall names) and ``level``, the level of
    the result each measures (None when attached to none, and for every row when ``levels`` is
    false: a list of every level never reads it), in the evaluation's order; only those meeting
    ``where`` when given (a condition on them and, with ``levels``, on their result).

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
        ).where(*_rows_of(table, run, scope, flt), status.in_(list(statuses)))
        if where is not None:
            stmt = stmt.where(where)
        if levels:
            stmt = stmt.select_from(table.outerjoin(results, results.c.id == table.c.result_id))
        with queries.connected(bind) as connection:
            frame = queries.read_frame(connection, stmt)
    except sa_exc.SQLAlchemyError as error:
        raise translate_db_error(error) from error
    frame = frame.sort_values(["project_id", "position"], kind="stable", ignore_index=True)
    return _typed(frame.drop(columns="position"), kinds)


# how far below the n-th largest gap (percentage points) a row is still a candidate for the first n
# of the Off-track list: far more than the list's rounding of gaps to 9 decimals (and than a last
# bit the database's arithmetic might differ in), far less than any difference a person reads
GAP_MARGIN = 1e-6


@dataclass(frozen=True)
class AttentionCounts:
    """The Off-track list's counts over all its rows: indicators per status (every status of
    ``monitoring.off_track.ATTENTION_STATUSES``, 0 when none), the projects they are on, and how many."""

    counts: dict[str, int]
    projects: int
    total: int


def _attention_columns(sex: str | None, levels: Collection[str]):
    """The indicators' table, the status and progress of ``sex`` (None: the overall ones) and the
    conditions on the results joined when ``levels`` are chosen."""
    table, results = m.EVALUATION_TABLES["indicators"], m.Result.__table__
    suffix = f"_{sex}" if sex else ""
    on_level = (results.c.level.in_(list(levels)),) if levels else ()
    return table, table.c[f"status{suffix}"], table.c[f"progress{suffix}"], on_level


def _from_indicators(stmt, levels: Collection[str]):
    """``stmt`` over the indicators joined with the result each measures when a level is chosen
    (its project's own result: the importer finds it by project and code)."""
    if not levels:
        return stmt
    table, results = m.EVALUATION_TABLES["indicators"], m.Result.__table__
    return stmt.select_from(table.join(results, results.c.id == table.c.result_id))


def attention_counts(
    bind: Engine | Connection,
    scope: Scope,
    flt: PortfolioFilter,
    settings: Settings | None,
    statuses: Collection[str],
    levels: Collection[str] = (),
    sex: str | None = None,
) -> AttentionCounts:
    """The counts of the Off-track list of the view (indicators whose status, or ``sex``'s, is one
    of ``statuses``, their result's level one of ``levels`` when any), in SQL.

    Everyone's statuses at every level (the page's first view) are summed over the projects'
    stored ``n_<status>`` columns, counted by ``monitoring.results`` from the same statuses: one row
    per project instead of ~440,000 indicator rows at 100,000 projects (as
    :func:`indicator_status_counts`). A sex or a level is counted over the indicators' rows.
    Equal to the counts of the whole list (tests/test_components_off_track_cache.py).
    """
    settings = settings or load_settings()
    chosen = [s for s in ATTENTION_STATUSES if s in statuses]
    try:
        run = _stored_run(bind, scope, flt, settings)
        with queries.connected(bind) as connection:
            if not sex and not levels:
                projects = m.EVALUATION_TABLES["projects"]
                per_status = [func.coalesce(func.sum(projects.c[f"n_{s}"]), 0) for s in chosen]
                listed = sum((projects.c[f"n_{s}"] for s in chosen), literal(0))
                stmt = select(func.count().filter(listed > 0), *per_status)
                stmt = stmt.where(*_rows_of(projects, run, scope, flt))
            else:
                table, status, _, on_level = _attention_columns(sex, levels)
                per_status = [func.count().filter(status == s) for s in chosen]
                stmt = select(func.count(table.c.project_id.distinct()), *per_status)
                stmt = _from_indicators(stmt, levels).where(
                    *_rows_of(table, run, scope, flt), status.in_(chosen), *on_level
                )
            n_projects, *numbers = connection.execute(stmt).one()
    except sa_exc.SQLAlchemyError as error:
        raise translate_db_error(error) from error
    counts = dict.fromkeys(ATTENTION_STATUSES, 0) | {s: int(n) for s, n in zip(chosen, numbers, strict=True)}
    return AttentionCounts(counts, int(n_projects), sum(counts.values()))


def attention_candidates(
    bind: Engine | Connection,
    scope: Scope,
    flt: PortfolioFilter,
    settings: Settings | None,
    n: int,
    statuses: Collection[str],
    levels: Collection[str] = (),
    sex: str | None = None,
) -> pd.DataFrame:
    """The rows of the Off-track list (as :func:`attention_counts` chooses them) that can be among
    its first ``n``, as :func:`attention_keys` gives them: a few more than ``n`` rows whatever the
    view's size, for ``monitoring.off_track.indicators_needing_attention`` to order.

    The list is ordered by gap (expected − progress, in percentage points; none for no data, and
    those after every measured row), largest first, then by expected progress, largest first. So
    its first ``n`` are among the rows whose gap is at least the ``n``-th largest less
    :data:`GAP_MARGIN`; when fewer than ``n`` rows have a gap, every measured row and the rows
    without a gap whose expected progress is at least the one of the row that completes ``n``, less
    the margin (all of them when that row's expected progress is unknown: those come last). The
    database finds those thresholds and reads only the rows above them, through the index of the
    stored indicators by run and gap for everyone's statuses (migration 0014): at 100,000 projects
    the page read ~440,000 rows to order them in pandas (2.7 s of its 5.6 s), then two passes
    over the run's 2 million rows took 1.8 s. The gap is computed as the list computes it, less
    its factor of 100; the margin only adds rows (its ties, ~7,000 rows of gap 100 at 100,000).
    """
    settings = settings or load_settings()
    if n <= 0:
        return attention_keys(bind, scope, flt, settings, statuses, sex, bool(levels), where=false())
    table, status, progress, on_level = _attention_columns(sex, levels)
    expected = table.c.expected_progress
    # the gap without its factor of 100: the same order, and the expression of the index of
    # ``models`` (for everyone's statuses) that finds the largest without reading every row
    behind = expected - progress
    measured = and_(status != "no_data", behind.is_not(None))
    margin = GAP_MARGIN / 100
    try:
        run = _stored_run(bind, scope, flt, settings)
        chosen = (*_rows_of(table, run, scope, flt), status.in_(list(statuses)), *on_level)

        def nth(value, *where, offset: int):
            stmt = select(value).where(*chosen, *where).order_by(value.desc()).limit(1).offset(offset)
            return connection.execute(_from_indicators(stmt, levels)).scalar()

        with queries.connected(bind) as connection:
            last_behind = nth(behind, measured, offset=n - 1)
            if last_behind is not None:
                above = and_(measured, behind >= last_behind - margin)
            else:
                counted = select(func.count()).where(*chosen, measured)
                rest = n - connection.execute(_from_indicators(counted, levels)).scalar_one()
                last_expected = nth(expected, ~measured, expected.is_not(None), offset=rest - 1)
                above = None  # every row: the row completing n has no expected progress, and those come last
                if last_expected is not None:
                    above = or_(measured, expected >= last_expected - margin)
    except sa_exc.SQLAlchemyError as error:
        raise translate_db_error(error) from error
    conditions = [*(() if above is None else (above,)), *on_level]
    where = and_(*conditions) if conditions else None
    return attention_keys(bind, scope, flt, settings, statuses, sex, bool(levels), where=where)


def project_totals(
    bind: Engine | Connection, scope: Scope, flt: PortfolioFilter, settings: Settings | None = None
) -> tuple[int, int, int]:
    """How many projects the view has, how many indicators they have in all, and how many of those
    have a report overdue: what the Off-track page needs beside its list (its "of N in view",
    whether there is any indicator at all, the overdue card).

    Summed in SQL over the projects' stored rows (``n_indicators``, ``n_reports_overdue``, counted by
    ``monitoring.results.project_results`` from the same indicators): one row per project; counting
    the 2 million stored indicator rows took 0.9 s at 100,000 projects on PostgreSQL."""
    settings = settings or load_settings()
    table = m.EVALUATION_TABLES["projects"]
    try:
        run = _stored_run(bind, scope, flt, settings)
        sums = (func.coalesce(func.sum(table.c[c]), 0) for c in ("n_indicators", "n_reports_overdue"))
        stmt = select(func.count(), *sums).where(*_rows_of(table, run, scope, flt))
        with queries.connected(bind) as connection:
            projects, indicators, overdue = connection.execute(stmt).one()
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
            *_rows_of(table, run, scope, flt)
        )
        with queries.connected(bind) as connection:
            sums = connection.execute(stmt).one()
    except sa_exc.SQLAlchemyError as error:
        raise translate_db_error(error) from error
    counts = {status: int(n) for status, n in zip(STATUSES, sums, strict=True) if n}
    return pd.Series(counts, dtype="int64", name="count")


def first_flags(
    bind: Engine | Connection, scope: Scope, flt: PortfolioFilter, settings: Settings | None, rows: int
) -> tuple[pd.DataFrame, int]:
    """The first ``rows`` flags of the view in the top flags' order, with every column, and how many
    flags the view has: the Portfolio's "Top flags" without reading the others.

    The order is ``components.status_matrix.flag_order``'s, taken in SQL: high severity first, then
    the project with the most money at stake (``at_stake_usd``, unknown last), then project code and
    flag code, both compared by code point as Python compares them (a project raises a flag code
    once, so the order is total and the first rows are the same). At 100,000 projects the page read
    ~280,000 flags (their project, code and severity) to order them in pandas: 0.6 s of its first
    view. ``tests/test_components_portfolio_cache.py`` compares the two orders.
    """
    settings = settings or load_settings()
    flags, projects = (m.EVALUATION_TABLES[f] for f in ("flags", "projects"))
    try:
        run = _stored_run(bind, scope, flt, settings)
        in_view = _rows_of(flags, run, scope, flt)
        with queries.connected(bind) as connection:
            severity = case({"high": 0, "medium": 1, "low": 2}, value=flags.c.severity, else_=3)
            stake = projects.c.at_stake_usd
            first = (
                select(*(flags.c[c] for c in m.EVALUATION_COLUMNS["flags"]))
                .join(projects, (projects.c.run_id == flags.c.run_id) & (projects.c.project_id == flags.c.project_id))
                .where(*in_view)
                .order_by(
                    severity,
                    stake.is_(None),
                    stake.desc(),
                    _bytewise(flags.c.project_code, connection),
                    _bytewise(flags.c.code, connection),
                )
                .limit(rows)
            )
            shown = _typed(queries.read_frame(connection, first), m.EVALUATION_COLUMNS["flags"])
            count = int(connection.execute(select(func.count()).where(*in_view)).scalar_one())
    except sa_exc.SQLAlchemyError as error:
        raise translate_db_error(error) from error
    return shown.reset_index(drop=True), count


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

        def count(table, *where, of=None):
            counted = func.count() if of is None else func.coalesce(func.sum(of), 0)
            return select(counted).where(*_rows_of(table, run, scope, flt), *where)

        issues = (
            select(quality.c.level, quality.c.issue, func.count())
            .where(*_rows_of(quality, run, scope, flt))
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


@dataclass(frozen=True)
class ProjectsToActOn:
    """What the Cross-cutting page's lists to act on need of a view, and nothing else (see
    :func:`projects_to_act_on`)."""

    projects: pd.DataFrame  # the stored per-project rows (the columns asked for) of the projects listed
    flags: pd.DataFrame  # project_id and code of the view's flags of the codes asked for
    aap: pd.DataFrame  # the raw AAP ratings (project_id, commitment, rating) of the projects with an AAP gap


def projects_to_act_on(
    bind: Engine | Connection,
    scope: Scope,
    flt: PortfolioFilter,
    settings: Settings | None,
    columns: tuple[str, ...],
    flag_codes: tuple[str, ...],
    aap_flag: str,
) -> ProjectsToActOn:
    """The rows the Cross-cutting page's first view lists, picked in SQL: the projects a flag of
    ``flag_codes`` fired for, those with a reported people-counting indicator not broken down by sex
    (``n_people_reported > n_sex_disaggregated``) and those on track overall but off track for
    women, in the order and with the types :func:`read` gives; the flags of ``flag_codes``; the raw
    AAP ratings of the projects flagged ``aap_flag``, in the order of ``queries.load_portfolio``.

    Why: the lists are a few percent of the view, and reading the whole summary (62 columns and
    ~280,000 flags with their texts) and every AAP rating took most of the page's cold view at
    100,000 projects. The conditions are those of ``components.marker_tables`` (``flagged_projects``,
    ``sex_breakdown_gaps_table``) and ``monitoring.markers.off_track_for_women``; the lists built
    from these rows equal the lists built from the whole summary
    (tests/test_cold_reads_cross_cutting_strategy.py). One run check for all of it.
    """
    settings = settings or load_settings()
    projects, flags, aap = m.EVALUATION_TABLES["projects"], m.EVALUATION_TABLES["flags"], m.AapAssessment
    try:
        run = _stored_run(bind, scope, flt, settings)

        def flagged(codes: tuple[str, ...]):
            return select(flags.c.project_id).where(*_rows_of(flags, run, scope, flt), flags.c.code.in_(codes))

        listed = or_(
            projects.c.project_id.in_(flagged(flag_codes)),
            projects.c.n_people_reported > projects.c.n_sex_disaggregated,
            and_(projects.c.results_status == "on_track", projects.c.results_status_female == "off_track"),
        )
        ratings = (
            select(aap.project_id, aap.commitment, aap.rating)
            .where(aap.project_id.in_(flagged((aap_flag,))))
            .order_by(aap.project_id, aap.commitment)
        )
        with queries.connected(bind) as connection:
            return ProjectsToActOn(
                projects=_read_frame(connection, "projects", _rows_of(projects, run, scope, flt), columns, listed),
                flags=_read_frame(
                    connection,
                    "flags",
                    _rows_of(flags, run, scope, flt),
                    ("project_id", "code"),
                    flags.c.code.in_(flag_codes),
                ),
                aap=queries.read_frame(connection, ratings),
            )
    except sa_exc.SQLAlchemyError as error:
        raise translate_db_error(error) from error


def tagged_projects(
    bind: Engine | Connection,
    scope: Scope,
    flt: PortfolioFilter,
    settings: Settings | None,
    scheme: str,
    columns: tuple[str, ...],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tags of ``scheme`` on the view's projects (project_id, scheme, code, in the order of
    ``queries.load_portfolio``'s tags) and ``columns`` of the stored rows of the projects carrying
    one, as :func:`read` gives them: what a roll-up by tag of one scheme reads (the Strategy page).

    Why: a roll-up counts tagged projects only, and the other schemes' tags and the untagged
    projects were most of what it read (at 10,000 projects 64,000 tags of four schemes).
    """
    settings = settings or load_settings()
    tags, projects = m.ProjectTag, m.EVALUATION_TABLES["projects"]
    in_view = queries.filtered_projects(scope, flt)
    of_scheme = (tags.project_id.in_(in_view), tags.scheme == scheme)
    try:
        run = _stored_run(bind, scope, flt, settings)
        tag_rows = (
            select(tags.project_id, tags.scheme, tags.code)
            .where(*of_scheme)
            .order_by(tags.project_id, tags.scheme, tags.code)
        )
        tagged = projects.c.project_id.in_(select(tags.project_id).where(*of_scheme))
        with queries.connected(bind) as connection:
            return (
                queries.read_frame(connection, tag_rows),
                _read_frame(connection, "projects", _rows_of(projects, run, scope, flt), columns, tagged),
            )
    except sa_exc.SQLAlchemyError as error:
        raise translate_db_error(error) from error


def _open_risk(table) -> object:
    """``monitoring.risks.is_open`` in SQL: status ``open``, or none (nobody closed the risk)."""
    return or_(table.c.status.is_(None), table.c.status == "open")


@dataclass(frozen=True)
class RiskCounts:
    """The Risks page's cards, counted in SQL over the stored rows of a view: projects; flags, the
    projects they are on, high flags and the projects with one; open risks and the high ones; the
    projects with a risk register (a risk of any status)."""

    projects: int
    flags: int
    flagged_projects: int
    high_flags: int
    projects_with_high_flag: int
    open_risks: int
    open_high_risks: int
    projects_with_register: int  # with a risk of any status: "0 open risks" of no register at all is said so


def risk_counts(
    bind: Engine | Connection, scope: Scope, flt: PortfolioFilter, settings: Settings | None = None
) -> RiskCounts:
    """What the Risks page's cards count, without reading a row: at 100,000 projects its first view
    read every project (62 columns) and ~280,000 flags with their texts to count them.

    Two queries: the flags and high flags over the flags' rows; the rest over the projects' rows, from
    the per-project summaries the same evaluation counted from those flags and risks
    (``monitoring.flags.flag_summary``: ``flags``, the codes or '' for none, and ``n_flags_high``;
    ``monitoring.risks.project_risk_summary``: ``n_open_risks``, ``n_high_open``). Counting the
    risks' rows and the flags' distinct projects took 0.6 s more at 100,000 projects. Equal to the
    counts over ``read`` (tests/test_evaluated_risks_finance.py)."""
    settings = settings or load_settings()
    projects, flags = (m.EVALUATION_TABLES[f] for f in ("projects", "flags"))
    try:
        run = _stored_run(bind, scope, flt, settings)

        def counts(table, *counted):
            return select(*counted).where(*_rows_of(table, run, scope, flt))

        with queries.connected(bind) as connection:
            n_projects, flagged, with_high, open_risks, open_high, registers = connection.execute(
                counts(
                    projects,
                    func.count(),
                    func.count().filter(func.coalesce(projects.c.flags, "") != ""),
                    func.count().filter(projects.c.n_flags_high > 0),
                    func.coalesce(func.sum(projects.c.n_open_risks), 0),
                    func.coalesce(func.sum(projects.c.n_high_open), 0),
                    func.count().filter(projects.c.n_risks > 0),
                )
            ).one()
            n_flags, high = connection.execute(
                counts(flags, func.count(), func.count().filter(flags.c.severity == "high"))
            ).one()
    except sa_exc.SQLAlchemyError as error:
        raise translate_db_error(error) from error
    counted = (n_projects, n_flags, flagged, high, with_high, open_risks, open_high, registers)
    return RiskCounts(*(int(v) for v in counted))


def _rows_with_their_projects(
    bind: Engine | Connection,
    scope: Scope,
    flt: PortfolioFilter,
    settings: Settings | None,
    frame: str,
    where,
    columns: Collection[str] | None,
    project_columns: Collection[str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of ``frame`` that meet ``where`` (``columns`` of them, in ``read``'s order) and
    ``project_columns`` of their projects only: a page's list of some flags or risks, with the
    facts it shows of their projects, read without the view's other rows. The projects are those of
    the view (``filtered_projects``) with such a row: the scope is the same."""
    settings = settings or load_settings()
    table, project_table = m.EVALUATION_TABLES[frame], m.EVALUATION_TABLES["projects"]
    try:
        run = _stored_run(bind, scope, flt, settings)
        theirs = select(table.c.project_id).where(*_rows_of(table, run, scope, flt), where)
        with queries.connected(bind) as connection:
            rows = _read_frame(connection, frame, _rows_of(table, run, scope, flt), columns, where)
            of_projects = project_table.c.project_id.in_(theirs)
            projects = _read_frame(
                connection, "projects", _rows_of(project_table, run, scope, flt), project_columns, of_projects
            )
    except sa_exc.SQLAlchemyError as error:
        raise translate_db_error(error) from error
    return rows, projects


# every character Python's ``str.strip()`` removes (``str.isspace``): a mitigation made of these alone is blank
_WHITESPACE = "".join(chr(code) for code in range(0x110000) if chr(code).isspace())


def risks_to_act_on(
    bind: Engine | Connection,
    scope: Scope,
    flt: PortfolioFilter,
    settings: Settings | None,
    project_columns: Collection[str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The view's open risks scored high with a blank mitigation or no review in the last
    ``risk_review_max_days`` before the as-of date, or never reviewed (every column: what
    ``monitoring.risk_attention`` reads), and ``project_columns`` of their projects: what the Risks
    page's list to act on is chosen from, not every risk and every project of the view.

    The rule itself stays ``monitoring.risks.unattended_high_risks``'s (a never-reviewed risk is
    counted from its project's start there); this only leaves out the open high risks it cannot
    take: a mitigation with a character other than whitespace (``ltrim`` of every character
    ``str.strip`` removes: SQL's ``TRIM`` removes spaces only) reviewed within the limit. At 100,000
    projects that is ~18,000 rows of the ~80,000 open high risks the page read.
    """
    settings = settings or load_settings()
    risks = m.EVALUATION_TABLES["risks"]
    blank = or_(risks.c.mitigation.is_(None), func.ltrim(risks.c.mitigation, _WHITESPACE) == "")
    reviewed_since = flt.as_of - dt.timedelta(days=settings.risk_review_max_days)
    unreviewed = or_(risks.c.last_reviewed.is_(None), risks.c.last_reviewed < reviewed_since)
    where = and_(_open_risk(risks), risks.c.level == "high", or_(blank, unreviewed))
    return _rows_with_their_projects(bind, scope, flt, settings, "risks", where, None, project_columns)


def flags_with_codes(
    bind: Engine | Connection,
    scope: Scope,
    flt: PortfolioFilter,
    settings: Settings | None,
    codes: Collection[str],
    columns: Collection[str] | None,
    project_columns: Collection[str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The view's flags of ``codes`` (``columns`` of them) and ``project_columns`` of their projects:
    the Finance page's lists of the projects three flags fired for, not every flag of the view."""
    flags = m.EVALUATION_TABLES["flags"]
    where = flags.c.code.in_(list(codes))
    return _rows_with_their_projects(bind, scope, flt, settings, "flags", where, columns, project_columns)
