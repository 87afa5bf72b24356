"""The history of every row people change: who, when, which import, the value before and after.

ARCHITECTURE.md practice 16 and the team's shared decision 2: this is the one history mechanism,
for every table a person can change. How it works, and why:

* **Who and when come from the import batch.** Every change, a file import or a form on a page,
  runs as an import batch through ``data_access.importers.writer`` (shared decision 1); the batch
  row (``import_batches``) records who, when and which files, and every history row points at it.
* **Field level.** ``row_history`` holds one row per changed field of an updated row: the table,
  the row's id, its project, the field, and the value before and after as text (:func:`encode`:
  ISO dates, whole numbers without ``.0``, yes/no). Nothing else is kept per change: the
  current value is the row itself, and any earlier value is the ``old_value`` of the change that
  replaced it.
* **Created rows are kept per table and project, as id runs** (``"120-184,190"``): the
  10,000-project portfolio imported into an empty database creates 2.6 million rows, and one history
  row each cost 15 s and 210 MB in a measurement on this machine, against a few thousand rows here.
  Which import created a row is the insert entry whose runs hold its id.
* **Sets a row describes are fields of that row**, named like the import columns: a project's
  ``countries`` (with percentages, ``KEN:60;UGA:40``), ``donors``, ``tags``, ``markers`` and
  ``aap_<commitment>``; an evaluation's ``project_codes`` and ``ratings``. "Donors ECHO;USAID ->
  ECHO" is what a person changed, whatever rows of ``project_donors`` that took.
* **Actuals keep their versions** (``actuals.version``, ``is_current``, ``import_batch_id``) as
  before: a correction is a new version, so their history is read from the versions
  (:func:`_actual_changes`), never written twice. Breakdowns belong to their version.
* **Rows written before history existed** (a seeded portfolio, imports made before this table)
  have no entries; the reader shows what it has, never a guess.
* **Registering a table** is one line in :data:`TRACKED` (the stored table, the words people call
  it by, how to name one of its rows, how to find its project). The writer records every ``Sync``
  of a registered model by itself; ``tests/test_history.py`` fails when a table of the schema is
  neither registered, nor a set of a registered row (:data:`SET_TABLES`), nor audit data
  (:data:`UNTRACKED`). The ``people`` table, for example, is
  ``Tracked(m.Person, "Access", (m.Person.email, m.Person.role))`` (no project: people are
  organisation-wide), and its write step uses ``store.Sync`` like the others.

Before anything is written (the Data page's preview and every import), :func:`check_changes` warns
about changes that look like an older file re-imported: a field set back to a value an earlier
import replaced (naming the fields, the import, who and when), a closed project made active again,
and a date that only moves forward (a risk's last review) moved back.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Select, and_, or_, select
from sqlalchemy.orm import aliased

from data_access import models as m
from data_access.errors import NotFound
from data_access.queries import NOT_FOUND_MESSAGE, readable_projects
from data_access.scope import Scope

_indicator = aliased(m.Indicator)
_line = aliased(m.BudgetLine)


@dataclass(frozen=True)
class Tracked:
    """A table whose changes are kept: the stored ``model``, what people call one of its rows, the
    SQL expressions naming a row to people (``key``, e.g. an indicator's code and a period) and the
    joins they need. ``forward_only``: date fields that only move forward in real life (a warning
    when an import moves one back). ``versioned``: the table keeps its own versions (actuals)."""

    model: type[m.Base]
    label: str
    key: tuple[Any, ...]
    joins: tuple[tuple[Any, Any], ...] = ()
    forward_only: tuple[str, ...] = ()
    versioned: bool = False

    @property
    def table(self) -> str:
        return self.model.__tablename__

    def rows(self, ids: Iterable[int]) -> Select:
        """``(id, *key)`` of the rows ``ids``."""
        stmt = select(self.model.id, *self.key).select_from(self.model)
        for target, onclause in self.joins:
            stmt = stmt.join(target, onclause)
        return stmt.where(self.model.id.in_(sorted(set(ids))))


def _by_line(model: type[m.Base]) -> tuple[tuple[Any, Any], ...]:
    return ((_line, _line.id == model.budget_line_id),)


def _by_indicator(model: type[m.Base]) -> tuple[tuple[Any, Any], ...]:
    return ((_indicator, _indicator.id == model.indicator_id),)


def _period(model: type[m.Base]) -> tuple[Any, ...]:
    return (_indicator.code, model.period_start, model.period_end)


TRACKED: tuple[Tracked, ...] = (
    Tracked(m.Project, "Project", (m.Project.code,)),
    Tracked(m.Result, "Result", (m.Result.code,)),
    Tracked(m.Indicator, "Indicator", (m.Indicator.code,)),
    Tracked(m.Target, "Target", _period(m.Target), _by_indicator(m.Target)),
    Tracked(m.Actual, "Actual", _period(m.Actual), _by_indicator(m.Actual), versioned=True),
    Tracked(m.BudgetLine, "Budget line", (m.BudgetLine.line_code,)),
    Tracked(
        m.BudgetRevision, "Budget amount", (_line.line_code, m.BudgetRevision.revision_date), _by_line(m.BudgetRevision)
    ),
    Tracked(m.Expenditure, "Expenditure", (_line.line_code, m.Expenditure.month), _by_line(m.Expenditure)),
    Tracked(m.SpendingPlan, "Spending plan", (m.SpendingPlan.month,)),
    Tracked(m.FundingAgreement, "Funding agreement", (m.FundingAgreement.reference,)),
    Tracked(
        m.IncomingFund,
        "Incoming funds",
        (m.IncomingFund.kind, m.IncomingFund.date, m.IncomingFund.amount, m.IncomingFund.currency),
    ),
    Tracked(m.Risk, "Risk", (m.Risk.code,), forward_only=("last_reviewed",)),
    Tracked(m.MonitoringVisit, "Monitoring visit", (m.MonitoringVisit.visit_date, m.MonitoringVisit.visit_type)),
    Tracked(m.Recommendation, "Recommendation", (m.Recommendation.code,)),
    # organisation-wide rows (no project of their own; an evaluation is read through its projects)
    Tracked(m.Evaluation, "Evaluation", (m.Evaluation.code,)),
    Tracked(m.FxRate, "Exchange rate", (m.FxRate.currency, m.FxRate.rate_date)),
    Tracked(m.Donor, "Donor", (m.Donor.name,)),
    Tracked(m.Region, "Region", (m.Region.code,)),
    Tracked(m.Country, "Country", (m.Country.iso3,)),
    Tracked(m.CountryOffice, "Country office", (m.CountryOffice.name,)),
    # who may see what: each access change is versioned like any data (the Access page lists it)
    Tracked(m.Person, "Access", (m.Person.email, m.Person.role)),
)
TRACKED_BY_TABLE: dict[str, Tracked] = {t.table: t for t in TRACKED}

# tables whose rows are a set described by a field of another row: (owner table, field)
SET_TABLES: dict[str, tuple[str, str]] = {
    "project_countries": ("projects", "countries"),
    "project_donors": ("projects", "donors"),
    "project_tags": ("projects", "tags"),
    "project_markers": ("projects", "markers"),
    "aap_assessments": ("projects", "aap_<commitment>"),
    "evaluation_projects": ("evaluations", "project_codes"),
    "evaluation_ratings": ("evaluations", "ratings"),
    "actual_breakdowns": ("actuals", "a version's breakdown"),
}
# the audit trails (imports, row history, leadership's "view as"), frozen snapshots, what the alerts
# digest sent, and the stored evaluations (computed from tracked rows: data_access.evalstore)
UNTRACKED = (
    "import_batches",
    "row_history",
    "view_as_events",
    "snapshots",
    "snapshot_figures",
    "sent_digests",
    "sent_alerts",
    *m.DERIVED_TABLES,
)


def tracked(model: type[m.Base]) -> Tracked | None:
    return TRACKED_BY_TABLE.get(model.__tablename__)


def encode(value: Any) -> str | None:
    """A stored value as history text: the same value always gives the same text (reverts are
    found by comparing texts), readable as it is (ISO dates, 90 rather than 90.0, yes/no)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        # float(): a numpy float (a value read through pandas) would otherwise print as np.float64(48.7)
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(float(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def runs(ids: Iterable[int]) -> str:
    """``[1, 2, 3, 7]`` -> ``"1-3,7"``: the ids of created rows, compact (bulk inserts are contiguous)."""
    out: list[str] = []
    ordered = sorted(set(ids))
    start = previous = None
    for i in ordered:
        if previous is not None and i == previous + 1:
            previous = i
            continue
        if start is not None:
            out.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = i
    if start is not None:
        out.append(str(start) if start == previous else f"{start}-{previous}")
    return ",".join(out)


def run_ids(text: str | None) -> list[int]:
    """The inverse of :func:`runs`."""
    ids: list[int] = []
    for part in (text or "").split(","):
        if not part:
            continue
        first, _, last = part.partition("-")
        ids.extend(range(int(first), int(last or first) + 1))
    return ids


# ---- recording ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldChange:
    """One field of one stored row an import changes (planned, or being written)."""

    table: str
    row_id: int
    project_id: int | None
    field: str
    old: str | None
    new: str | None
    source: Any = None  # the file row that asks for it (``tables.Source``), for warnings


@dataclass(frozen=True)
class VersionChange:
    """A new version of a versioned row (an actual): its period and the values it will hold."""

    indicator_id: int
    period_start: dt.date
    period_end: dt.date
    values: dict[str, Any]
    project_id: int
    current_version: int  # the version stored now (the new one will be the next)
    source: Any = None


@dataclass(frozen=True)
class Touched:
    """What an import added to or changed: the ids of the projects concerned and the stored tables
    (an exchange rate concerns every project in its currency: ``"fx_rates" in tables``)."""

    project_ids: frozenset[int] = frozenset()
    tables: frozenset[str] = frozenset()
    # the tables whose stored rows it changed (``tables`` minus those it only added rows to)
    updated_tables: frozenset[str] = frozenset()


@dataclass
class HistoryRecorder:
    """What one import changes, collected while the writer works out each table, then written
    with the batch (:meth:`rows`) or only checked (a preview).

    ``projects`` and ``tables``: every project and stored table the import adds to or changes
    (``ImportResult.touched``: what a cache of evaluated figures must refresh)."""

    changes: list[FieldChange] = field(default_factory=list)
    created: dict[tuple[str, int | None], list[int]] = field(default_factory=lambda: defaultdict(list))
    versions: list[VersionChange] = field(default_factory=list)
    projects: set[int] = field(default_factory=set)
    tables: set[str] = field(default_factory=set)

    def inserted(self, table: str, rows: Iterable[tuple[int | None, int]]) -> None:
        """Rows of ``table`` just created, as ``(project id or None, row id)`` (millions on a large
        import: one append per row, the sets are updated once)."""
        created = self.created
        before = len(created)
        added = 0
        for project_id, row_id in rows:
            created[(table, project_id)].append(row_id)
            added += 1
        if added:
            self.tables.add(table)
            if len(created) > before:
                self.projects.update(p for t, p in created if t == table and p is not None)

    def updated(
        self,
        table: str,
        row_id: int,
        project_id: int | None,
        before: dict[str, Any],
        after: dict[str, Any],
        source: Any = None,
    ) -> None:
        """A stored row's fields going from ``before`` to ``after`` (only differing ones are kept)."""
        for name, value in after.items():
            old, new = encode(before.get(name)), encode(value)
            if old != new:
                self.changes.append(FieldChange(table, row_id, project_id, name, old, new, source))
                self.tables.add(table)
                if project_id is not None:
                    self.projects.add(project_id)

    def versioned(self, change: VersionChange) -> None:
        """A new version of a versioned row (kept by the table itself; checked for reverts)."""
        self.versions.append(change)
        self.touch("actuals", change.project_id)

    def touch(self, table: str, project_id: int | None) -> None:
        """A change the versions of a table keep (new actuals and their breakdowns)."""
        self.tables.add(table)
        if project_id is not None:
            self.projects.add(project_id)

    def touched(self) -> Touched:
        return Touched(
            frozenset(self.projects), frozenset(self.tables), frozenset(change.table for change in self.changes)
        )

    def rows(self, batch_id: int) -> list[dict[str, Any]]:
        """The ``row_history`` rows of this import."""
        out = [
            {
                "import_batch_id": batch_id,
                "table_name": c.table,
                "action": "update",
                "project_id": c.project_id,
                "row_id": c.row_id,
                "field": c.field,
                "old_value": c.old,
                "new_value": c.new,
                "row_ids": None,
            }
            for c in self.changes
        ]
        out += [
            {
                "import_batch_id": batch_id,
                "table_name": table,
                "action": "insert",
                "project_id": project_id,
                "row_id": None,
                "field": None,
                "old_value": None,
                "new_value": None,
                "row_ids": runs(ids),
            }
            for (table, project_id), ids in self.created.items()
            if ids
        ]
        return out


# ---- warnings before writing --------------------------------------------------------------------
@dataclass(frozen=True)
class Replaced:
    """An earlier import that replaced a value: which batch, who, when."""

    batch_id: int
    user: str
    when: dt.datetime

    def describe(self) -> str:
        return f"import {self.batch_id} ({self.user}, {self.when:%Y-%m-%d %H:%M} UTC)"


def _batches(connection: Connection, ids: Iterable[int]) -> dict[int, Replaced]:
    stmt = select(m.ImportBatch.id, m.ImportBatch.user_name, m.ImportBatch.started_at).where(
        m.ImportBatch.id.in_(sorted(set(ids)))
    )
    return {i: Replaced(i, user, when) for i, user, when in connection.execute(stmt)}


def _chunks(items: list, size: int = 500) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def replaced_values(connection: Connection, changes: list[FieldChange]) -> dict[tuple[str, int, str], dict]:
    """(table, row id, field) -> {old value: the batch that replaced it} from the stored history of
    the rows ``changes`` touch."""
    wanted = {(c.table, c.row_id) for c in changes}
    by_table: dict[str, set[int]] = defaultdict(set)
    for table, row_id in wanted:
        by_table[table].add(row_id)
    found: dict[tuple[str, int, str], dict[str | None, int]] = defaultdict(dict)
    h = m.RowHistory
    for table, ids in by_table.items():
        for batch in _chunks(sorted(ids)):
            stmt = select(h.row_id, h.field, h.old_value, h.new_value, h.import_batch_id).where(
                h.table_name == table, h.action == "update", h.row_id.in_(batch)
            )
            for row_id, name, old, new, batch_id in connection.execute(stmt):
                if old != new:
                    found[(table, row_id, name)][old] = max(batch_id, found[(table, row_id, name)].get(old, 0))
    return found


class _Warnings:
    """Warnings grouped per (table, project, kind): the first row's place, the fields, a row count."""

    def __init__(self) -> None:
        self.first: dict[tuple, tuple[Any, list[str], str]] = {}
        self.count: dict[tuple, set] = defaultdict(set)

    def add(self, key: tuple, source: Any, row: Any, fields: list[str], reason: str) -> None:
        if key not in self.first:
            self.first[key] = (source, list(fields), reason)
        else:
            known = self.first[key][1]
            known += [f for f in fields if f not in known]
        self.count[key].add(row)

    def report_to(self, report, reason_of) -> None:
        for key, (source, fields, reason) in self.first.items():
            n = len(self.count[key])
            text = reason_of(key, fields, reason)
            if n > 1:
                text += f" ({n} rows like this one)"
            report.warning(source, ", ".join(fields), None, text)


def check_changes(connection: Connection, recorder: HistoryRecorder, report) -> None:
    """Add to ``report`` (a ``ValidationReport``) the warnings about what this import would set back
    (see the module docstring). Runs before the history of this import is written."""
    warnings = _Warnings()
    replaced = replaced_values(connection, recorder.changes) if recorder.changes else {}
    batch_ids = {b for values in replaced.values() for b in values.values()}
    for c in recorder.changes:
        batch = replaced.get((c.table, c.row_id, c.field), {}).get(c.new)
        if batch is not None and c.source is not None:
            warnings.add(
                ("revert", c.table, c.project_id, batch),
                c.source,
                (c.table, c.row_id),
                [c.field],
                f"would set back to the value{{s}} that {{batch}} replaced: is this an older file? "
                f"Stored now: {c.field} {c.old!r}",
            )
        if c.table == "projects" and c.field == "status" and c.old == "closed" and c.source is not None:
            warnings.add(
                ("reopen", c.row_id),
                c.source,
                c.row_id,
                ["status"],
                f"the project is closed; this file makes it {c.new} again",
            )
        spec = TRACKED_BY_TABLE.get(c.table)
        if spec and c.field in spec.forward_only and c.old and c.new and c.new < c.old and c.source is not None:
            warnings.add(
                ("back", c.table, c.project_id),
                c.source,
                (c.table, c.row_id),
                [c.field],
                f"would move {c.field} back in time, from {c.old} to {c.new}",
            )
    for v, batch in _reverted_versions(connection, recorder.versions):
        batch_ids.add(batch)
        warnings.add(
            ("revert", "actuals", v.project_id, batch),
            v.source,
            (v.indicator_id, v.period_start),
            ["actual"],
            "would set back to the value{s} that {batch} replaced: is this an older file? The actual becomes "
            "a new version equal to an earlier one",
        )
    batches = _batches(connection, batch_ids) if batch_ids else {}

    def reason_of(key: tuple, fields: list[str], reason: str) -> str:
        if key[0] != "revert":
            return reason
        who = batches.get(key[3])
        plural = "s" if len(fields) > 1 else ""
        return reason.format(s=plural, batch=who.describe() if who else f"import {key[3]}")

    warnings.report_to(report, reason_of)


VERSION_FIELDS = ("value", "value_text", "female", "male", "other_sex")


def _reverted_versions(connection: Connection, versions: list[VersionChange]) -> list[tuple[VersionChange, int]]:
    """New actual versions whose numbers equal a superseded version's (and so not the current one's):
    with the batch of the version that replaced that earlier value."""
    if not versions:
        return []
    a = m.Actual
    by_period: dict[tuple, list[tuple[int, tuple, int | None]]] = defaultdict(list)
    indicator_ids = sorted({v.indicator_id for v in versions})
    for batch in _chunks(indicator_ids):
        stmt = select(
            a.indicator_id,
            a.period_start,
            a.period_end,
            a.version,
            a.import_batch_id,
            *(getattr(a, f) for f in VERSION_FIELDS),
        ).where(a.indicator_id.in_(batch))
        for row in connection.execute(stmt):
            by_period[(row[0], row[1], row[2])].append((row[3], tuple(encode(x) for x in row[5:]), row[4]))
    out = []
    for v in versions:
        stored = sorted(
            s for s in by_period.get((v.indicator_id, v.period_start, v.period_end), []) if s[0] <= v.current_version
        )
        if len(stored) < 2:
            continue
        wanted = tuple(encode(v.values.get(f)) for f in VERSION_FIELDS)
        if wanted == stored[-1][1]:
            continue
        for (_version, numbers, _batch), (_next, next_numbers, next_batch) in pairwise(stored):
            if numbers == wanted and next_numbers != wanted and next_batch is not None:
                out.append((v, next_batch))
                break
    return out


# ---- reading ------------------------------------------------------------------------------------
HISTORY_COLUMNS = ["When (UTC)", "Import", "By", "Files", "What", "Row", "Field", "Before", "After"]
CREATED = "(row created)"


def _label(parts: tuple) -> str:
    return " ".join(encode(p) or "" for p in parts).strip()


def _project_id(connection: Connection, scope: Scope, project_code: str) -> int:
    stmt = select(m.Project.id).where(m.Project.code == project_code, m.Project.id.in_(readable_projects(scope)))
    project_id = connection.execute(stmt).scalar_one_or_none()
    if project_id is None:
        raise NotFound(NOT_FOUND_MESSAGE.format(code=project_code))
    return project_id


def project_history(
    connection: Connection, scope: Scope, project_code: str, field_name: str | None = None
) -> pd.DataFrame:
    """Every recorded change of one project (its own rows, its evaluations, its actuals' versions),
    newest first, one row per changed field or created row: when, which import, who, which files,
    what (the table in words), which row, the field, before and after. ``NotFound`` outside
    ``scope`` (same message as a project that does not exist)."""
    project_id = _project_id(connection, scope, project_code)
    evaluations = set(
        connection.scalars(
            select(m.EvaluationProject.evaluation_id).where(m.EvaluationProject.project_id == project_id)
        )
    )
    h = m.RowHistory
    stmt = select(h.import_batch_id, h.table_name, h.action, h.row_id, h.field, h.old_value, h.new_value, h.row_ids)
    condition = h.project_id == project_id
    if evaluations:
        condition = or_(condition, and_(h.table_name == "evaluations", h.project_id.is_(None)))
    events: list[tuple] = []
    for batch_id, table, action, row_id, name, old, new, ids in connection.execute(stmt.where(condition)):
        if action == "insert":
            events += [
                (batch_id, table, i, CREATED, None, None)
                for i in run_ids(ids)
                if table != "evaluations" or i in evaluations
            ]
        elif table != "evaluations" or row_id in evaluations:
            events.append((batch_id, table, row_id, name, old, new))
    events += _actual_changes(connection, project_id)
    if field_name:
        events = [e for e in events if e[3] in (field_name, CREATED)]
    return _history_frame(connection, events)


def _actual_changes(connection: Connection, project_id: int) -> list[tuple]:
    """The versions of the project's actuals as history events: the first version made by an import
    is a created row, each later one the fields that differ from the version before."""
    a = m.Actual
    fields = (*VERSION_FIELDS, "comment", "reported_on", "source")
    stmt = (
        select(a.id, a.indicator_id, a.period_start, a.period_end, a.import_batch_id, *(getattr(a, f) for f in fields))
        .join(m.Indicator, m.Indicator.id == a.indicator_id)
        .where(m.Indicator.project_id == project_id)
        .order_by(a.indicator_id, a.period_start, a.period_end, a.version)
    )
    events: list[tuple] = []
    first_id, previous_key, previous = 0, None, {}
    for row in connection.execute(stmt):
        key, batch_id = row[1:4], row[4]
        values = dict(zip(fields, (encode(x) for x in row[5:]), strict=True))
        if key != previous_key:
            first_id = row[0]  # every version of a period is labelled by its first
            if batch_id is not None:
                events.append((batch_id, "actuals", first_id, CREATED, None, None))
        elif batch_id is not None:
            events += [
                (batch_id, "actuals", first_id, name, previous[name], value)
                for name, value in values.items()
                if previous[name] != value
            ]
        previous_key, previous = key, values
    return events


def _history_frame(connection: Connection, events: list[tuple]) -> pd.DataFrame:
    """Events ``(batch, table, row id, field, before, after)`` with their batch and row labels."""
    if not events:
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    batches = {
        i: (when, user, files)
        for i, when, user, files in connection.execute(
            select(m.ImportBatch.id, m.ImportBatch.started_at, m.ImportBatch.user_name, m.ImportBatch.file_name).where(
                m.ImportBatch.id.in_(sorted({e[0] for e in events}))
            )
        )
    }
    labels: dict[tuple[str, int], str] = {}
    ids_by_table: dict[str, set[int]] = defaultdict(set)
    for _batch, table, row_id, *_rest in events:
        ids_by_table[table].add(row_id)
    for table, ids in ids_by_table.items():
        spec = TRACKED_BY_TABLE.get(table)
        if spec is None:
            continue
        for batch in _chunks(sorted(ids)):
            for row in connection.execute(spec.rows(batch)):
                labels[(table, row[0])] = _label(tuple(row[1:]))
    rows = []
    for batch_id, table, row_id, name, old, new in events:
        when, user, files = batches.get(batch_id, (None, "", ""))
        spec = TRACKED_BY_TABLE.get(table)
        rows.append(
            {
                "When (UTC)": when,
                "Import": batch_id,
                "By": user,
                "Files": files,
                "What": spec.label if spec else table,
                "Row": labels.get((table, row_id), f"#{row_id}"),
                "Field": name,
                "Before": old,
                "After": new,
            }
        )
    frame = pd.DataFrame(rows, columns=HISTORY_COLUMNS)
    order = {spec.label: i for i, spec in enumerate(TRACKED)}
    frame["_order"] = frame["What"].map(order)
    frame = frame.sort_values(["Import", "_order", "Row", "Field"], ascending=[False, True, True, True], kind="stable")
    return frame.drop(columns="_order").reset_index(drop=True)
