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
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Connection, select

from data_access import models as m
from data_access.scope import Scope
from data_access.snapshots import Bind, _connected, current_figures, load_snapshot
from monitoring.changes import changes
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
    with _connected(bind) as connection:
        since, before = load_snapshot(connection, since_id, asker)
        if until_id is not None:
            until, after = load_snapshot(connection, until_id, asker)
            events = change_events(connection, since.data_version, until.data_version)
            return changes(before, after, events, settings_changed=since.settings != until.settings)
        as_of = as_of or dt.date.today()
        after = current_figures(connection, since.scope, as_of, settings)
        middle = None if settings == since.settings else current_figures(connection, since.scope, as_of, since.settings)
        events = change_events(connection, since.data_version, None)
        return changes(before, after, events, settings_changed=settings != since.settings, middle=middle)
