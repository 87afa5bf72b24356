"""Review snapshots: freezing the figures of a scope as of a date, listing them, reading them back.

How and why:

* **One code path.** A snapshot stores :func:`monitoring.review.review_figures` of
  :func:`monitoring.evaluate.evaluate_portfolio`, exactly what the pages and ``report`` compute,
  never a second implementation (ARCHITECTURE.md practice 15), read from the stored evaluations
  (``data_access.evalstore``, that function's cached output) like the pages read them.
  :func:`current_figures` computes the same figures without freezing them, so a comparison or a
  pack "as of now" and one "as of a snapshot" go through the same code.
* **Rows that survive new columns.** One ``snapshot_figures`` row per entity: typed keys
  (``project_code``, ``indicator_code``, ``flag_code``; ``item`` for KPIs, groups, risks, quality and
  markers), the status it had, and every value of the row as a JSON object keyed by column position
  whose column names are stored once per snapshot (``snapshots.columns_json``). A figure another
  part of the code adds to the evaluation is frozen too, with no schema change; an older snapshot
  simply lacks it.
* **Frozen.** This module has no update or delete path, and the database refuses both (triggers of
  migration ``0006_snapshots``; ``tests/test_snapshots.py`` tries on both databases).
* **What it was frozen against**: the settings in force (``settings_json``), the data version (the
  latest import batch id: what "what changed" compares from), who (``created_by``) and when (UTC).
* **Who may read one** (:func:`load_snapshot`): leadership, the scope it was frozen for, and for
  a snapshot of named projects anyone who reads all of them. A region's or a country's snapshot
  is not opened by a narrower or another scope (the region can hold projects, now or later, that
  the reader may not see), so a chief of mission cannot open leadership's snapshot, and neither a
  pack nor "what changed" ever shows a project outside its reader's scope.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, func, select

from data_access import evaluated
from data_access import models as m
from data_access.errors import InvalidInput, NotFound
from data_access.importers.driver_insert import insert_rows
from data_access.queries import LIGHT_FRAMES, actual_comments, load_portfolio, readable_projects
from data_access.scope import PortfolioFilter, Scope
from monitoring.comments import latest_comments
from monitoring.dates import date_text
from monitoring.evaluate import evaluate_portfolio
from monitoring.frames import PortfolioFrames
from monitoring.review import DEFINITION, KEYS, KINDS, ReviewFigures, countries_in_scope, review_figures
from monitoring.settings import Settings

Bind = Engine | Connection
# the stored columns the review figures use: not the indicators' definitions (data, not figures)
# nor each data-quality issue's message (counted per level and issue); at 10,000 projects these
# are a third of what reading the stored evaluation costs
REVIEW_COLUMNS = evaluated.Columns(
    indicators=tuple(c for c in m.EVALUATION_COLUMNS["indicators"] if c not in DEFINITION),
    quality=("level", "project_id", "issue"),
)
NOT_FOUND = "No snapshot {id} in your scope; `python -m data_access snapshot list` shows the snapshots"
# the typed columns of a stored row, by kind: (project_code, indicator_code, flag_code, item, status)
_STATUS = {"project": "results_status", "indicator": "status", "flag": "severity", "risk": "level"}


@dataclass(frozen=True)
class SnapshotInfo:
    """A stored snapshot's description (everything but its figures)."""

    id: int
    name: str
    as_of: dt.date
    scope: Scope
    created_by: str
    created_at: dt.datetime
    data_version: int | None
    settings: Settings
    n_figures: int

    def title(self) -> str:
        """The snapshot by its id and name (a pack's subtitle, beside its own scope and date)."""
        return f"snapshot {self.id} “{self.name}”"

    def describe(self) -> str:
        return f"{self.title()} ({self.scope.label}, as of {date_text(self.as_of)})"


@contextmanager
def _connected(bind: Bind, write: bool = False) -> Iterator[Connection]:
    if isinstance(bind, Connection):
        if write:
            with bind.begin_nested():
                yield bind
        else:
            yield bind
    elif write:
        with bind.begin() as connection:
            yield connection
    else:
        with bind.connect() as connection:
            yield connection


def data_version(connection: Connection) -> int | None:
    """The latest import batch id: the version of the data (None before any import)."""
    return connection.execute(select(func.max(m.ImportBatch.id))).scalar_one()


def _money_countries(scope: Scope, frames: PortfolioFrames) -> tuple[str, ...] | None:
    """The countries whose share of the money a scope's totals count (``countries_in_scope``): only
    for a scope of places; a union with projects counts every project in full."""
    if not scope.place_bound:
        return None
    found = set(countries_in_scope("country", scope.countries, frames.projects, frames.project_countries) or ())
    if scope.regions:
        found |= set(countries_in_scope("region", scope.regions, frames.projects, frames.project_countries) or ())
    return tuple(sorted(found))


def stored_scope(connection: Connection, scope: Scope) -> tuple[str, tuple[str, ...]]:
    """``(scope_kind, codes)`` a snapshot stores: the organisation, countries only, regions only, or
    else (a programme manager's, a union) the codes of the projects the scope read when frozen."""
    if scope.organisation:
        return "organisation", ()
    if scope.countries_only:
        return "country", scope.countries
    if scope.place_bound and not scope.countries:
        return "region", scope.regions
    ids = readable_projects(scope)
    return "projects", tuple(sorted(connection.scalars(select(m.Project.code).where(m.Project.id.in_(ids)))))


def current_figures(
    bind: Bind, scope: Scope, as_of: dt.date, settings: Settings, *, stored: bool = True
) -> ReviewFigures:
    """:func:`monitoring.review.review_figures` of the data of today as of ``as_of`` (nothing frozen).

    ``stored`` (the default): the evaluation is read from the stored evaluations
    (:mod:`data_access.evalstore`, the cache of ``evaluate_portfolio``'s output that every import
    keeps fresh; projects not stored yet for this date and these settings are evaluated and
    stored first), and only the light frames (projects, countries, markers, AAP) are read raw: at
    10,000 projects reading every reported figure and money line took 19 s of a 32 s leadership
    snapshot. ``stored=False`` evaluates the raw rows and stores nothing: for thresholds not in
    force (a snapshot's earlier settings, in "what changed"), whose run no import would keep
    fresh and no page would read. Both give the same figures (``tests/test_snapshots.py``).

    What the store does not hold, read beside it: the latest comment of each indicator (free text,
    ``monitoring.comments``), frozen with the reason it explains; and each risk's last review on or
    before ``as_of`` (:func:`reviews_by`)."""
    flt = PortfolioFilter(as_of=as_of)
    if stored:
        frames = load_portfolio(bind, scope, flt, frames=LIGHT_FRAMES)
        evaluation = evaluated.read(bind, scope, flt, settings, REVIEW_COLUMNS)
    else:
        frames = load_portfolio(bind, scope, flt)
        evaluation = evaluate_portfolio(frames, as_of, settings)
    comments = latest_comments(actual_comments(bind, scope, flt), as_of)
    figures = review_figures(frames, evaluation, _money_countries(scope, frames), comments)
    return dataclasses.replace(figures, risks=reviews_by(bind, figures.risks, as_of))


def reviews_by(bind: Bind, risks: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """``risks`` (``project_code``, ``risk_code``, ``last_reviewed``) with each risk's last review on or
    before ``as_of``: what a review as of that date could know.

    The register keeps one ``last_reviewed`` per risk, today's; a pack or snapshot of an earlier date
    listed reviews made after it. The dates a risk had before are the values its updates replaced
    (``row_history``, field ``last_reviewed``, kept for every import and form: ``data_access.history``),
    so the latest of today's date and those that is on or before ``as_of`` is the one shown. A risk
    reviewed only after ``as_of`` as far as the data says (a seeded register, rows imported before
    history was kept, a first review recorded later) has none: missing, shown "–".

    Only the date is put back: the score, level and status stay today's, as the evaluation read them
    (``data_access.queries`` reads the register as it stands; the HIGH_RISK_UNMITIGATED flag of an
    earlier date counts from these same later reviews)."""
    reviewed = pd.to_datetime(risks["last_reviewed"])
    later = reviewed > pd.Timestamp(as_of)
    if not later.any():
        return risks
    with _connected(bind) as connection:
        earlier = pd.DataFrame(
            connection.execute(
                select(m.Project.code, m.Risk.code, m.RowHistory.old_value, m.RowHistory.new_value)
                .join(m.Risk, m.Risk.project_id == m.Project.id)
                .join(m.RowHistory, m.RowHistory.row_id == m.Risk.id)
                .where(m.RowHistory.table_name == m.Risk.__tablename__, m.RowHistory.field == "last_reviewed")
            ).all(),
            columns=["project_code", "risk_code", "old", "new"],
        )
    dates = earlier.melt(["project_code", "risk_code"], ["old", "new"], value_name="day")
    dates = dates.assign(day=pd.to_datetime(dates["day"], errors="coerce"))
    known = dates[dates["day"] <= pd.Timestamp(as_of)].groupby(["project_code", "risk_code"])["day"].max()
    keys = pd.MultiIndex.from_frame(risks[["project_code", "risk_code"]].astype(str))
    before = pd.Series(known.reindex(keys).to_numpy(), index=risks.index)
    return risks.assign(last_reviewed=reviewed.where(~later, pd.to_datetime(before)))


# ---- encoding ----------------------------------------------------------------------------------
def _scalar(value):
    """One value as JSON-ready Python: None for missing, ISO dates, plain numbers."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, np.generic):
        return _scalar(value.item())
    if isinstance(value, dt.datetime | dt.date | pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _plain_dates(column: pd.Series) -> pd.Series:
    """Dates as ISO days (text); every other column as it is."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return column.dt.strftime("%Y-%m-%d")
    if column.dtype == object:
        first = column.dropna().head(1).tolist()
        if first and isinstance(first[0], dt.date):
            return pd.to_datetime(column).dt.strftime("%Y-%m-%d")
        if first and not isinstance(first[0], str | bool | int | float):
            return column.map(_scalar, na_action="ignore")
    return column


def _values_json(table: pd.DataFrame) -> list[str]:
    """Every row of ``table`` as a JSON object keyed by column position ("0", "1"...: the names
    are the snapshot's ``columns_json``), in one call of pandas' C encoder: at 10,000 projects
    encoding a value at a time took a quarter of a snapshot. Missing values are null, dates ISO
    days, floats 15 significant digits."""
    plain = pd.DataFrame({str(i): _plain_dates(table[c]) for i, c in enumerate(table.columns)})
    text = plain.reset_index(drop=True).to_json(orient="records", lines=True, double_precision=15)
    return text.split("\n")[: len(table)]


def _key_text(value) -> str | None:
    return None if value is None else str(value)


def _rows(snapshot_id: int, kind: str, table: pd.DataFrame) -> list[dict]:
    """The ``snapshot_figures`` rows of one kind's table."""
    if table.empty:
        return []
    values = _values_json(table)
    keys = [table[c].astype(object).where(table[c].notna(), None).tolist() for c in KEYS[kind]]
    status_column = _STATUS.get(kind)
    status = (
        table[status_column].astype(object).where(table[status_column].notna(), None).tolist()
        if status_column
        else None
    )
    rows = []
    for i, value in enumerate(values):
        key = [k[i] for k in keys]
        row = {"snapshot_id": snapshot_id, "kind": kind, "values_json": value, "status": status[i] if status else None}
        row["project_code"] = key[0] if kind in ("project", "indicator", "flag", "risk") else None
        row["indicator_code"] = key[1] if kind == "indicator" else None
        row["flag_code"] = key[1] if kind == "flag" else None
        row["item"] = (
            _key_text(key[0])
            if kind == "kpi"
            else _key_text(key[1])
            if kind == "risk"
            else f"{key[0]}:{key[1]}"
            if kind in ("group", "quality", "marker")
            else None
        )
        rows.append(row)
    return rows


def _kpi_table(figures: ReviewFigures) -> pd.DataFrame:
    table = figures.table("kpi")
    return table.assign(value=[_scalar(v) for v in table["value"]]).astype({"value": object})


# ---- writing -----------------------------------------------------------------------------------
def create_snapshot(
    bind: Bind,
    *,
    name: str,
    scope: Scope,
    as_of: dt.date,
    created_by: str,
    settings: Settings,
    now: dt.datetime | None = None,
) -> int:
    """Freeze the figures of ``scope`` as of ``as_of``; return the new snapshot's id.

    Everything is read and written in one transaction, so the data version stored is the one the
    figures were computed from."""
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput("a snapshot needs a name (e.g. “Q3 2026 review”)")
    if len(name) > 200:
        raise InvalidInput(f"a snapshot name has at most 200 characters ({len(name)} given)")
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    with _connected(bind, write=True) as connection:
        version = data_version(connection)
        figures = current_figures(connection, scope, as_of, settings)
        tables = {kind: (_kpi_table(figures) if kind == "kpi" else figures.table(kind)) for kind in KINDS}
        stored_kind, stored_codes = stored_scope(connection, scope)
        columns = {kind: list(table.columns) for kind, table in tables.items()}
        n_figures = sum(len(t) for t in tables.values())
        snapshot_id = connection.execute(
            m.Snapshot.__table__.insert()
            .values(
                name=name,
                as_of=as_of,
                scope_kind=stored_kind,
                scope_codes=";".join(stored_codes),
                scope_label=scope.label,
                created_by=created_by,
                created_at=now,
                data_version=version,
                settings_json=json.dumps(dataclasses.asdict(settings), sort_keys=True),
                columns_json=json.dumps(columns),
                n_figures=n_figures,
            )
            .returning(m.Snapshot.id)
        ).scalar_one()
        table = m.SnapshotFigure.__table__
        for kind, frame in tables.items():
            insert_rows(connection, table, _rows(snapshot_id, kind, frame))
    return snapshot_id


# ---- reading -----------------------------------------------------------------------------------
def _scope_of(kind: str, codes: str, label: str, person: str) -> Scope:
    values = tuple(c for c in codes.split(";") if c)
    if kind == "organisation":
        return Scope.whole_organisation(person, label=label)
    part = {"region": "regions", "country": "countries", "projects": "projects"}[kind]
    return Scope(person, **{part: values}, label=label)


def _info(row) -> SnapshotInfo:
    return SnapshotInfo(
        id=row.id,
        name=row.name,
        as_of=row.as_of,
        scope=_scope_of(row.scope_kind, row.scope_codes, row.scope_label, row.created_by),
        created_by=row.created_by,
        created_at=row.created_at,
        data_version=row.data_version,
        settings=Settings(**json.loads(row.settings_json)),
        n_figures=row.n_figures,
    )


def list_snapshots(bind: Bind) -> pd.DataFrame:
    """Every snapshot, newest first: id, name, as of, scope, frozen by, frozen at (UTC), data version, figures."""
    s = m.Snapshot
    stmt = select(
        s.id, s.name, s.as_of, s.scope_label, s.created_by, s.created_at, s.data_version, s.n_figures
    ).order_by(s.id.desc())
    with _connected(bind) as connection:
        rows = connection.execute(stmt).all()
    columns = ["id", "name", "as_of", "scope", "frozen_by", "frozen_at_utc", "data_version", "figures"]
    return pd.DataFrame([tuple(r) for r in rows], columns=columns)


def readable_snapshots(bind: Bind, asker: Scope) -> pd.DataFrame:
    """:func:`list_snapshots` that ``asker`` may open: every one for leadership, else those frozen
    for exactly ``asker``'s scope (the rule of :func:`load_snapshot`, without reading figures)."""
    s = m.Snapshot
    listed = list_snapshots(bind)
    if asker.organisation:
        return listed
    with _connected(bind) as connection:
        kind, codes = stored_scope(connection, asker)
        mine = set(connection.scalars(select(s.id).where(s.scope_kind == kind, s.scope_codes == ";".join(codes))))
    return listed[listed["id"].isin(mine)].reset_index(drop=True)


def snapshot_info(connection: Connection, snapshot_id: int) -> SnapshotInfo:
    row = connection.execute(select(m.Snapshot.__table__).where(m.Snapshot.id == snapshot_id)).first()
    if row is None:
        raise NotFound(NOT_FOUND.format(id=snapshot_id))
    return _info(row)


def _table(connection: Connection, snapshot_id: int, kind: str, columns: list[str]) -> pd.DataFrame:
    stmt = (
        select(m.SnapshotFigure.values_json)
        .where(m.SnapshotFigure.snapshot_id == snapshot_id, m.SnapshotFigure.kind == kind)
        .order_by(m.SnapshotFigure.id)
    )
    lines = list(connection.scalars(stmt))
    if not lines:
        return pd.DataFrame(columns=columns)
    if lines[0].startswith("["):  # the first stored form: one JSON array per row
        return pd.DataFrame(json.loads("[" + ",".join(lines) + "]"), columns=columns)
    table = pd.read_json(  # one parse by pandas' C decoder, not one per row
        io.StringIO("\n".join(lines)),
        orient="records",
        lines=True,
        dtype=False,  # the column names are positions, so no name reads as a date either
        precise_float=True,
    )
    table.columns = [columns[int(i)] for i in table.columns]
    return table


def same_reach(a: Scope, b: Scope) -> bool:
    """Whether two scopes read the same projects, whoever holds them (a snapshot is frozen by one
    person, read by another; ``Scope`` equality also compares the person)."""
    return _reach(a) == _reach(b)


def _reach(scope: Scope) -> tuple:
    return (scope.organisation, scope.regions, scope.countries, scope.projects, scope.managers)


def _check_readable(connection: Connection, info: SnapshotInfo, projects: pd.Series, asker: Scope) -> None:
    """``NotFound`` (the message of a snapshot that does not exist) unless ``asker`` reads every
    project the snapshot holds: a snapshot never shows what its reader's scope does not."""
    if asker.organisation or same_reach(info.scope, asker):
        return
    if info.scope.organisation or info.scope.place_bound:  # a region or country can grow past what the asker reads
        raise NotFound(NOT_FOUND.format(id=info.id))
    codes = sorted(set(projects.dropna()))
    readable: set[str] = set()
    for start in range(0, len(codes), 500):
        chunk = codes[start : start + 500]
        stmt = select(m.Project.code).where(m.Project.code.in_(chunk), m.Project.id.in_(readable_projects(asker)))
        readable.update(connection.scalars(stmt))
    if set(codes) - readable:
        raise NotFound(NOT_FOUND.format(id=info.id))


def load_snapshot(bind: Bind, snapshot_id: int, asker: Scope) -> tuple[SnapshotInfo, ReviewFigures]:
    """A snapshot's description and its figures, as :class:`ReviewFigures` (``NotFound`` when it does
    not exist or holds a project ``asker`` may not read)."""
    with _connected(bind) as connection:
        info = snapshot_info(connection, snapshot_id)
        columns = json.loads(connection.scalar(select(m.Snapshot.columns_json).where(m.Snapshot.id == snapshot_id)))
        tables = {kind: _table(connection, snapshot_id, kind, columns.get(kind, list(KEYS[kind]))) for kind in KINDS}
        _check_readable(connection, info, tables["project"].get("project_code", pd.Series(dtype=object)), asker)
    for kind in ("project",):
        for column in ("start_date", "end_date", "revised_end_date"):
            if column in tables[kind].columns:
                tables[kind][column] = pd.to_datetime(tables[kind][column])
    return info, ReviewFigures.from_tables(info.as_of, tables)


def stored_size(bind: Bind, snapshot_id: int) -> int:
    """Bytes of text a snapshot's figures hold (values and keys): its size, give or take indexes."""
    f = m.SnapshotFigure
    columns = (f.values_json, f.project_code, f.indicator_code, f.flag_code, f.item, f.status)
    total = sum(func.coalesce(func.length(c), 0) for c in columns)
    with _connected(bind) as connection:
        return int(connection.scalar(select(func.sum(total)).where(f.snapshot_id == snapshot_id)) or 0)
