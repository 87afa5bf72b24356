"""Stored evaluations: the output of ``monitoring.evaluate.evaluate_portfolio`` kept in tables.

Why: at 10,000 projects a page that evaluates on demand reads ~3 million raw rows into pandas and
computes every figure (15-17 s for the first leadership view after any import or for a new as-of
date). The figures of one project depend only on that project's rows (and the exchange rates), so
they are stored per (as-of date, project) and a page reads the few thousand rows of its scope.

ARCHITECTURE.md practice 15: the tables are a cache of ``evaluate_portfolio``'s output, never a
second implementation. Every stored row was computed by that one function, on the frames
``queries`` loads for a chunk of projects; ``tests/test_evalstore.py`` compares what is read back
with a fresh evaluation (SQLite and PostgreSQL, several as-of dates, after imports).

How it works:

* A **run** (``evaluation_runs``) is one as-of date under one set of thresholds and one version of
  the code that computes the figures (``settings_key``, a hash of
  :class:`~monitoring.settings.Settings` and of :data:`CODE_SOURCES`: a changed ``settings.toml``
  or a deployed change to a formula, a flag's rule or a reason's wording starts new runs, so stored
  rows never show what the code no longer computes). Creating a run deletes the runs of any other
  key: they are stale caches (the app and the command line read one ``settings.toml``).
  Its rows are in ``evaluated_projects``, ``evaluated_indicators``, ``evaluated_flags``,
  ``evaluated_risks`` and ``evaluated_quality``: one table per frame of
  :class:`~monitoring.evaluate.PortfolioEvaluation`, with exactly its columns
  (``models.EVALUATION_COLUMNS``), the project and the row's position among the project's rows.
* A project is **evaluated in a run** when it has its row in ``evaluated_projects``. Reading a
  scope (:func:`stored_run`, which every reader of :mod:`data_access.evaluated` calls first)
  evaluates the projects of the scope that are not (:func:`ensure`), in chunks of
  :data:`CHUNK_PROJECTS`, and stores them; then the reader reads with SQL, restricted to
  ``queries.filtered_projects(scope, flt)`` like every other query. So the first reader of a new
  date pays once, for the projects nobody has asked for yet, and every later reader of any scope
  reads stored rows.
* **Imports refresh** (:func:`refresh`, called by the writer inside the import's transaction):
  the touched projects' rows are deleted from every run, and re-evaluated at once in today's run
  (the date an import changes the figures people look at); other dates re-evaluate those projects
  when next read (a handful of projects, not the portfolio). An exchange rate (new or changed) or
  a changed organisation-wide row (a country's or donor's name) can change any project's figures:
  every run is emptied and rebuilt as it is read (``python -m data_access evaluate`` rebuilds
  ahead of readers).
* ``python -m data_access evaluate [--as-of DATE ...] [--month-ends N]`` builds runs ahead (today
  and past month-ends), e.g. nightly or after a seed, so that no person waits for the first read.

Frozen review snapshots can copy a run's rows as they are (every table is keyed by ``run_id``).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Collection, Iterable
from pathlib import Path

from sqlalchemy import Connection, Engine, Select, delete, insert, select
from sqlalchemy import exc as sa_exc

from data_access import models as m
from data_access import queries
from data_access.history import Touched
from data_access.importers.driver_insert import insert_rows
from data_access.scope import PortfolioFilter, Scope
from data_access.seed import copy_frame, records
from monitoring.evaluate import PortfolioEvaluation, evaluate_portfolio
from monitoring.settings import Settings, load_settings

FRAMES = tuple(m.EVALUATION_COLUMNS)
CHUNK_PROJECTS = 2_000
# tables whose rows belong to one project: an import touching only these changes only the touched
# projects' figures. A changed row of any other table (a country's or donor's name, an evaluation)
# and any exchange rate, new or changed, may change every project's figures; new countries, donors
# or offices change only the projects that now refer to them (which are touched themselves).
PROJECT_TABLES = frozenset(
    {
        "projects",
        "project_countries",
        "project_donors",
        "project_tags",
        "project_markers",
        "funding_agreements",
        "aap_assessments",
        "results",
        "indicators",
        "targets",
        "actuals",
        "actual_breakdowns",
        "budget_lines",
        "budget_revisions",
        "expenditures",
        "spending_plans",
        "incoming_funds",
        "risks",
        "monitoring_visits",
        "recommendations",
        "evaluation_projects",
    }
)


_REPO = Path(__file__).resolve().parent.parent
# what the stored figures are computed by: the formulas, the frames they read, the names in texts
CODE_SOURCES: tuple[str, ...] = ("monitoring", "reference", "data_access/queries.py", "data_access/evalstore.py")


@functools.cache
def code_fingerprint() -> str:
    """A hash of every source file of :data:`CODE_SOURCES` (names and bytes, in name order).

    Without it a stored run outlived the code that computed it: a reworded reason or a corrected
    rule showed in new evaluations and not in stored ones until someone emptied the tables. A
    comment change also starts new runs; that costs one re-evaluation per date after a deployment
    (``python -m data_access evaluate`` does it ahead of readers), never a wrong figure.
    """
    digest = hashlib.sha256()
    for source in CODE_SOURCES:
        path = _REPO / source
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.relative_to(_REPO).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def settings_key(settings: Settings) -> str:
    """A short stable fingerprint of the thresholds (the dataclass's repr names every field) and of
    the code (:func:`code_fingerprint`)."""
    return hashlib.sha256(f"{settings!r}\0{code_fingerprint()}".encode()).hexdigest()[:32]


def run_id(connection: Connection, as_of: dt.date, settings: Settings, *, create: bool = True) -> int | None:
    """The id of the run of ``as_of`` under ``settings`` (created when missing and ``create``)."""
    key = settings_key(settings)
    runs = m.EvaluationRun.__table__
    stmt = select(runs.c.id).where(runs.c.as_of == as_of, runs.c.settings_key == key)
    found = connection.execute(stmt).scalar()
    if found is not None or not create:
        return found
    try:
        with connection.begin_nested():
            connection.execute(insert(runs).values(as_of=as_of, settings_key=key, created_at=dt.datetime.now()))
    except sa_exc.IntegrityError:  # another process created it meanwhile
        pass
    _drop_stale_runs(connection, key)
    return connection.execute(stmt).scalar_one()


def _drop_stale_runs(connection: Connection, key: str) -> None:
    """Delete the runs (and their rows) stored under another key than ``key``: other thresholds or
    older code; nothing reads them any more and at 10,000 projects each holds ~100 MB."""
    runs = m.EvaluationRun.__table__
    stale = list(connection.execute(select(runs.c.id).where(runs.c.settings_key != key)).scalars())
    if stale:
        _delete(connection, stale, None)
        connection.execute(delete(runs).where(runs.c.id.in_(stale)))


def _missing(run: int, projects: Select) -> Select:
    """Ids of ``projects`` (a ``SELECT projects.id``) not yet evaluated in ``run``, in id order.

    ``NOT EXISTS``, not ``NOT IN``: PostgreSQL answers ``NOT IN (subquery)`` by hashing every
    project stored in the run (0.2 s at 100,000 projects, for a view of 300 projects too), and
    ``NOT EXISTS`` by looking each of the view's projects up in the run's key.
    """
    table = m.EVALUATION_TABLES["projects"]
    stored = select(table.c.project_id).where(table.c.run_id == run, table.c.project_id == m.Project.id)
    return select(m.Project.id).where(m.Project.id.in_(projects), ~stored.exists()).order_by(m.Project.id)


def _chunks(ids: list[int], size: int) -> Iterable[Select]:
    for start in range(0, len(ids), size):
        part = ids[start : start + size]
        yield select(m.Project.id).where(m.Project.id.between(part[0], part[-1]), m.Project.id.in_(part))


def evaluate_projects(
    connection: Connection, run: int, as_of: dt.date, settings: Settings, project_ids: Collection[int]
) -> int:
    """Evaluate ``project_ids`` as of ``as_of`` (chunk by chunk: memory stays that of one chunk)
    and store them in ``run``, replacing rows they had there. Returns the number of projects."""
    ids = sorted(project_ids)
    _delete(connection, [run], ids)
    for chunk in _chunks(ids, CHUNK_PROJECTS):
        frames = queries.portfolio_of(connection, chunk, as_of)
        store(connection, run, evaluate_portfolio(frames, as_of, settings))
    return len(ids)


def ensure(connection: Connection, run: int, as_of: dt.date, settings: Settings, projects: Select) -> int:
    """Evaluate and store the projects of ``projects`` that ``run`` lacks; the number evaluated."""
    missing = list(connection.execute(_missing(run, projects)).scalars())
    return evaluate_projects(connection, run, as_of, settings, missing) if missing else 0


def store(connection: Connection, run: int, evaluation: PortfolioEvaluation) -> None:
    """Insert every frame of ``evaluation`` into ``run`` (COPY on PostgreSQL)."""
    for frame in FRAMES:
        data = getattr(evaluation, frame)
        columns = list(m.EVALUATION_COLUMNS[frame])
        unknown = sorted(set(data.columns) - set(columns))
        if unknown:
            raise ValueError(
                f"evaluate_portfolio's {frame} has columns the store does not keep: {', '.join(unknown)} "
                "(add them to data_access.models.EVALUATION_COLUMNS and a migration)"
            )
        if data.empty:
            continue
        data = data[columns].assign(run_id=run, position=data.groupby("project_id", sort=False).cumcount().to_numpy())
        table = m.EVALUATION_TABLES[frame]
        if connection.dialect.name == "postgresql":
            copy_frame(connection, table, data)
        else:
            insert_rows(connection, table, records(data, set()))


def _delete(connection: Connection, runs: list[int] | None, project_ids: list[int] | None) -> None:
    """Delete the rows of ``project_ids`` (all when None) in ``runs`` (all when None)."""
    for frame in FRAMES:
        table = m.EVALUATION_TABLES[frame]
        stmt = delete(table)
        if runs is not None:
            stmt = stmt.where(table.c.run_id.in_(runs))
        if project_ids is None:
            connection.execute(stmt)
            continue
        for start in range(0, len(project_ids), 10_000):
            connection.execute(stmt.where(table.c.project_id.in_(project_ids[start : start + 10_000])))


def refresh(connection: Connection, touched: Touched, today: dt.date, settings: Settings | None = None) -> None:
    """Bring the store up to date after an import (``ImportResult.touched``), inside the import's
    transaction: see the module docstring."""
    if not touched.project_ids and not touched.tables:
        return
    organisation_wide = (set(touched.tables) & {"fx_rates"}) | (set(touched.updated_tables) - PROJECT_TABLES)
    if organisation_wide:
        _delete(connection, None, None)
        return
    settings = settings or load_settings()
    ids = sorted(touched.project_ids)
    # by run and project: the tables' key (run, project, position) finds the rows without a scan
    every_run = list(connection.execute(select(m.EvaluationRun.__table__.c.id)).scalars())
    _delete(connection, every_run, ids)
    run = run_id(connection, today, settings, create=False)
    if run is not None:
        evaluate_projects(connection, run, today, settings, ids)


def stored_run(bind: Engine | Connection, scope: Scope, flt: PortfolioFilter, settings: Settings) -> int:
    """The run of ``flt.as_of`` under ``settings``, with every project of the scope stored (those
    missing are evaluated first): what every reader of :mod:`data_access.evaluated` reads from."""

    def attempt() -> int:
        with _writing(bind) as connection:
            run = run_id(connection, flt.as_of, settings)
            ensure(connection, run, flt.as_of, settings, queries.filtered_projects(scope, flt))
        return run

    try:
        return attempt()
    except sa_exc.IntegrityError:  # another reader stored the same projects first: theirs stand
        return attempt()


def build(bind: Engine | Connection, dates: Iterable[dt.date], settings: Settings | None = None) -> dict[dt.date, int]:
    """Evaluate every project not yet stored for each of ``dates`` (``python -m data_access
    evaluate``); returns the number of projects evaluated per date."""
    settings = settings or load_settings()
    done = {}
    for as_of in dates:
        with _writing(bind) as connection:
            run = run_id(connection, as_of, settings)
            done[as_of] = ensure(connection, run, as_of, settings, select(m.Project.id))
    return done


def month_ends(today: dt.date, count: int) -> list[dt.date]:
    """The last ``count`` month-ends before ``today`` (most recent first)."""
    ends, first = [], today.replace(day=1)
    for _ in range(count):
        end = first - dt.timedelta(days=1)
        ends.append(end)
        first = end.replace(day=1)
    return ends


class _writing:
    """A connection in a transaction that commits (an Engine) or a savepoint (a caller's Connection)."""

    def __init__(self, bind: Engine | Connection) -> None:
        self.bind = bind

    def __enter__(self) -> Connection:
        if isinstance(self.bind, Connection):
            self._tx = self.bind.begin_nested()
            return self.bind
        self._connection = self.bind.connect()
        self._tx = self._connection.begin()
        return self._connection

    def __exit__(self, kind, value, traceback) -> None:
        try:
            if kind is None:
                self._tx.commit()
            else:
                self._tx.rollback()
        finally:
            if not isinstance(self.bind, Connection):
                self._connection.close()
