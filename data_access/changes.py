"""What changed since a snapshot, and why: reading the stored versions between two data versions
and handing them, with the two sets of figures, to :func:`monitoring.changes.changes`.

* **The stored changes** (:func:`change_events`) are the row history (``row_history``: every
  changed field and every created row, per import batch; ``data_access.history``) and the versions
  of actuals (a version 1 is a new actual, a later version a correction), of the import batches
  after the earlier data version and up to the later one. Seeded data have no history, which is
  right: a snapshot of seeded data compares with the imports made after it.
* **Now or a later snapshot** (:func:`changes_since`): against a later snapshot, its stored
  figures; against now, the figures computed for the snapshot's scope as of the date asked,
  with the settings in force, and, when those differ from the snapshot's, once more with the
  snapshot's settings (``middle``), which is what tells a change made by the data from one made
  by the settings.
* **In a writing transaction**: today's figures come from the stored evaluations, and the projects
  not stored yet for that date are evaluated and stored on the way (``data_access.evalstore``);
  a read-only connection would roll that work back and the next reader would pay it again.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Connection, select

from data_access import models as m
from data_access.scope import Scope
from data_access.snapshots import (
    Bind,
    SnapshotInfo,
    _connected,
    current_figures,
    load_snapshot,
    same_reach,
    stored_scope,
)
from monitoring.changes import changes
from monitoring.review import ReviewFigures
from monitoring.settings import Settings

EVENT_COLUMNS = ["project_code", "table", "field", "action", "new"]


def _batch_range(column, after: int | None, until: int | None):
    conditions = [column.is_not(None)]
    if after is not None:
        conditions.append(column > after)
    if until is not None:
        conditions.append(column <= until)
    return conditions


def change_events(connection: Connection, after: int | None, until: int | None) -> pd.DataFrame:
    """The stored changes of the import batches ``after`` < id <= ``until`` (``None``: no bound):
    project_code (None for organisation-wide rows), table, field, action, new value."""
    h, p = m.RowHistory, m.Project
    history = (
        select(p.code, h.table_name, h.field, h.action, h.new_value)
        .select_from(h)
        .outerjoin(p, p.id == h.project_id)
        .where(*_batch_range(h.import_batch_id, after, until))
    )
    rows = [tuple(r) for r in connection.execute(history)]
    a, i = m.Actual, m.Indicator
    versions = (
        select(p.code, a.version)
        .select_from(a)
        .join(i, i.id == a.indicator_id)
        .join(p, p.id == i.project_id)
        .where(*_batch_range(a.import_batch_id, after, until))
    )
    rows += [
        (code, "actuals", "value", "new" if version == 1 else "corrected", None)
        for code, version in connection.execute(versions)
    ]
    return pd.DataFrame(rows, columns=EVENT_COLUMNS)


def _compare(
    connection: Connection,
    since: SnapshotInfo,
    before: ReviewFigures,
    settings: Settings,
    *,
    until: tuple[SnapshotInfo, ReviewFigures] | None,
    as_of: dt.date | None,
    after: ReviewFigures | None = None,
) -> pd.DataFrame:
    """The changes from ``since`` (its figures ``before``) to the snapshot ``until`` or to today's
    data as of ``as_of``; ``after``: today's figures of the snapshot's scope when already computed."""
    if until is not None:
        info, later = until
        events = change_events(connection, since.data_version, info.data_version)
        return changes(before, later, events, settings_changed=since.settings != info.settings)
    as_of = as_of or dt.date.today()
    if after is None or after.as_of != as_of:
        after = current_figures(connection, since.scope, as_of, settings)
    # the snapshot's earlier thresholds: evaluated from the raw rows, not stored (current_figures)
    middle = (
        None
        if settings == since.settings
        else current_figures(connection, since.scope, as_of, since.settings, stored=False)
    )
    events = change_events(connection, since.data_version, None)
    return changes(before, after, events, settings_changed=settings != since.settings, middle=middle)


def changes_since(
    bind: Bind,
    since_id: int,
    asker: Scope,
    settings: Settings,
    *,
    until_id: int | None = None,
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """The changes from snapshot ``since_id`` to snapshot ``until_id`` or to the data of today as
    of ``as_of`` (default today), in the earlier snapshot's scope (``NotFound`` when ``asker`` may
    not read a snapshot). Columns: :data:`monitoring.changes.CHANGE_COLUMNS`."""
    with _connected(bind, write=True) as connection:
        since, before = load_snapshot(connection, since_id, asker)
        until = load_snapshot(connection, until_id, asker) if until_id is not None else None
        return _compare(connection, since, before, settings, until=until, as_of=as_of)


def previous_snapshot(connection: Connection, scope: Scope, *, before_id: int | None, as_of: dt.date) -> int | None:
    """The latest snapshot of exactly ``scope``, as of ``as_of`` or earlier (and older than
    ``before_id`` when given): what a pack compares with by default."""
    s = m.Snapshot
    kind, codes = stored_scope(connection, scope)
    stmt = select(s.id).where(s.scope_kind == kind, s.scope_codes == ";".join(codes), s.as_of <= as_of)
    if before_id is not None:
        stmt = stmt.where(s.id < before_id)
    return connection.scalar(stmt.order_by(s.as_of.desc(), s.id.desc()).limit(1))


def review_inputs(
    bind: Bind,
    asker: Scope,
    settings: Settings,
    *,
    snapshot_id: int | None = None,
    as_of: dt.date | None = None,
    since_id: int | None = None,
) -> dict:
    """What a review pack is made of, for ``asker``: the figures (of snapshot ``snapshot_id``, or of
    today's data in ``asker``'s scope as of ``as_of``), the changes since ``since_id`` (default: the
    previous snapshot of the same scope; ``None`` when there is none), and the words describing
    the scope, the snapshot and the one compared with. Keys: figures, changes, scope_label,
    snapshot, since."""
    with _connected(bind, write=True) as connection:
        pack_snapshot = load_snapshot(connection, snapshot_id, asker) if snapshot_id is not None else None
        if pack_snapshot is not None:
            info, figures = pack_snapshot
            scope, label = info.scope, info.title()
        else:
            scope, label = asker, None
            figures = current_figures(connection, scope, as_of or dt.date.today(), settings)
        since_id = since_id or previous_snapshot(connection, scope, before_id=snapshot_id, as_of=figures.as_of)
        changes_table = since_text = None
        if since_id is not None:
            since, before = load_snapshot(connection, since_id, asker)
            since_text = since.describe()
            # today's figures are those of the pack when the snapshot compared with reads its
            # projects (whoever froze it: not Scope equality, which also compares the person)
            reuse = figures if pack_snapshot is None and same_reach(since.scope, scope) else None
            changes_table = _compare(
                connection, since, before, settings, until=pack_snapshot, as_of=figures.as_of, after=reuse
            )
    return {
        "figures": figures,
        "changes": changes_table,
        "scope_label": scope.label,
        "snapshot": label,
        "since": since_text,
    }
