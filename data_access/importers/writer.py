"""All or nothing: validate every file, then write everything in one transaction, or nothing.

The audit log (``import_batches``) gets one row per attempt, whatever happens:

* ``imported``: something was added or changed; the batch row is written in the same
  transaction as the data (so a batch never claims data that is not there).
* ``unchanged``: the files were valid and everything in them was already stored exactly so
  (re-importing a file is harmless, and visible in the history).
* ``rejected``: validation errors or a conflict with stored data (e.g. an overwritten original
  budget). The data transaction (a savepoint) is rolled back first, then the rejected batch row is
  committed on its own, so the log shows failed attempts without any of their data.

One batch row covers all the files imported together (``projects.csv`` + ``results.csv`` are one
attempt): ``file_name`` lists them, ``file_sha256`` is the SHA-256 of their sorted hashes, and
``counts_json`` holds new/changed/unchanged per table.

:func:`preview` makes the same plan as the import (``store.Apply``: per table, what is new, changed,
unchanged or to delete, and the conflicts and warnings) and applies none of it, so the Data page
can show exactly what an import would do before the user confirms. It only reads: no write lock on
SQLite (other writers are not held up while a page previews), none of the write's work.

A successful import also refreshes the stored evaluations of what it touched
(``data_access.evalstore.refresh``) in the same transaction, so the first page view after it reads
stored figures that already include it; one that concerned many projects also refreshes
PostgreSQL's planner statistics of the tables it wrote (:func:`refresh_statistics`).

Both take the asker's :class:`~data_access.scope.Scope`: rows outside what it may write are
validation errors (``write_scope``), so a chief of mission's file cannot change another office's
projects. The scope is a required argument: the Data page passes the signed-in person's, the command
line the administrator's (the whole organisation) unless ``import --as EMAIL`` names a person.
``user`` is recorded in the batch: callers pass ``scope.person`` (the verified email), never a
display label, so the log says who, and the history they see is theirs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Connection, func, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from data_access import evalstore
from data_access.db import analyze_written, bulk_write_cache
from data_access.errors import describe_integrity_error
from data_access.history import Touched, check_changes
from data_access.importers.driver_insert import insert_rows
from data_access.importers.gc_pause import gc_paused
from data_access.importers.report import Problem, ValidationReport
from data_access.importers.store import Store, StoreConflict, load_known, named_evaluations, named_projects
from data_access.importers.tables import ParsedImport
from data_access.importers.validate import Validated, validate_imports
from data_access.importers.write_scope import check_write_scope
from data_access.models import ImportBatch, Project, RowHistory
from data_access.scope import Scope

Progress = Callable[[float, str], None]

# When an import is big enough to refresh the planner statistics: PostgreSQL's own rule for a table
# (autovacuum analyzes it once more than 50 rows + 10% of it changed: autovacuum_analyze_threshold
# and autovacuum_analyze_scale_factor), counted in projects, whose rows every table's belong to.
ANALYZE_MIN_PROJECTS = 50
ANALYZE_SHARE = 0.1


@dataclass(frozen=True)
class ImportResult:
    outcome: str  # imported / unchanged / rejected
    batch_id: int
    report: ValidationReport
    # the projects and stored tables the import added to or changed (nothing when rejected): what a
    # cache of evaluated figures refreshes
    touched: Touched = field(default_factory=Touched)

    @property
    def ok(self) -> bool:
        return self.outcome != "rejected"


def combined_sha256(imports: list[ParsedImport]) -> str:
    """One hash for files imported together: order-independent, changes when any file does."""
    if len(imports) == 1:
        return imports[0].sha256
    joined = "".join(sorted(p.sha256 for p in imports))
    return hashlib.sha256(joined.encode()).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _validate(
    session: Session, imports: list[ParsedImport], scope: Scope, as_of: dt.date, consume: bool = False
) -> Validated:
    # before validation consumes the rows
    known = load_known(session, named_projects(imports), named_evaluations(imports))
    validated = validate_imports(imports, known, as_of=as_of, consume=consume)
    check_write_scope(session, validated, scope)
    return validated


def _store(
    session: Session, validated: Validated, batch_id: int | None, progress: Progress | None, release: bool = False
) -> Touched:
    """Plan and write into the current (nested) transaction (``batch_id`` None: a preview, plan
    only, nothing written); raises ``StoreConflict`` on conflicts.

    The history of what changed (``data_access.history``) is checked first (warnings about values an
    older file would set back) and then written with the batch."""
    execute = batch_id is not None
    try:
        store = Store(session, validated, validated.report, batch_id, _now(), execute=execute, release=release)
        store.write_all(progress)
        check_changes(session.connection(), store.history, validated.report)
        if execute:
            insert_rows(session.connection(), RowHistory.__table__, store.history.rows(batch_id))
        session.flush()
        return store.history.touched()
    except sa_exc.IntegrityError as error:
        # a rule only the database checks (should not happen after validation: a bug or a race)
        raise StoreConflict(
            [Problem(", ".join(validated.report.files), None, None, None, None, describe_integrity_error(error))]
        ) from error


def preview(session: Session, imports: list[ParsedImport], *, scope: Scope, as_of: dt.date) -> ValidationReport:
    """Validate and compute what would be written (new / changed / unchanged per table) under
    ``scope`` for an import made on ``as_of``; read only: nothing is written, not even undone."""
    with gc_paused(), bulk_write_cache(session):
        validated = _validate(session, imports, scope, as_of)
        if validated.report.ok:
            try:
                _store(session, validated, None, None)
            except StoreConflict as conflict:
                validated.report.errors.extend(conflict.problems)
        session.rollback()
    return validated.report


def import_files(
    session: Session,
    imports: list[ParsedImport],
    *,
    user: str,
    scope: Scope,
    as_of: dt.date,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate ``imports`` and write them all or not at all; log the attempt; commit.

    ``scope`` is who is importing (required: there is no safe default): a row outside what it may
    write rejects the whole attempt. ``as_of`` is the day the import is made (the plausibility
    warnings judge dates against it; the caller reads the clock, so a test can fix the day).

    ``session`` may be fresh (the command line, the page) or joined to an outer transaction (tests).
    The parsed tables of ``imports`` are consumed (emptied) to keep memory low on large imports.
    """
    with gc_paused(), bulk_write_cache(session):
        return _import(session, imports, user, scope, as_of, progress)


def _import(
    session: Session, imports: list[ParsedImport], user: str, scope: Scope, as_of: dt.date, progress: Progress | None
) -> ImportResult:
    started = _now()
    validated = _validate(session, imports, scope, as_of, consume=True)
    report = validated.report
    if report.ok:
        savepoint = session.begin_nested()
        batch = _batch(imports, user, started, "imported")
        session.add(batch)
        session.flush()
        try:
            touched = _store(session, validated, batch.id, progress, release=True)
        except StoreConflict as conflict:
            savepoint.rollback()
            report.errors.extend(conflict.problems)
        else:
            # the stored evaluations of what changed, in the same transaction as the change
            evalstore.refresh(session.connection(), touched, as_of)
            refresh_statistics(session.connection(), touched)
            batch.outcome = "imported" if report.changes else "unchanged"
            batch.counts_json = _counts_json(report)
            batch.finished_at = _now()
            batch.message = _summary(report)
            savepoint.commit()
            session.commit()
            return ImportResult(batch.outcome, batch.id, report, touched)
    rejected = _batch(imports, user, started, "rejected")
    rejected.finished_at = _now()
    rejected.counts_json = json.dumps({"errors": len(report.errors), "rows_read": report.rows_read})
    rejected.message = "; ".join(p.describe() for p in report.errors[:5])[:2000]
    session.add(rejected)
    session.commit()
    return ImportResult("rejected", rejected.id, report)


def refresh_statistics(connection: Connection, touched: Touched) -> None:
    """``ANALYZE`` the tables an import wrote (``db.analyze_written``: with its history and the stored
    evaluations it refreshed) when it concerned at least :data:`ANALYZE_MIN_PROJECTS` projects and a
    tenth of the portfolio (PostgreSQL only).

    Why: a whole-portfolio import (an IATI file, another system's CSV export, a first load) changes
    most rows of most tables, and where autovacuum is off or has not run yet the next page views plan
    their reads on statistics of the tables before it: sequential scans of every project's rows to
    read one project's. Why not after every import: one office's file of a few projects (the Data
    page's usual import) moves the statistics too little to matter, and ANALYZE samples up to
    30,000 rows of each table, seconds at 100,000 projects that such an import should not wait for."""
    if len(touched.project_ids) < ANALYZE_MIN_PROJECTS or connection.dialect.name != "postgresql":
        return
    stored = connection.execute(select(func.count()).select_from(Project)).scalar_one()
    if len(touched.project_ids) < ANALYZE_SHARE * stored:
        return
    analyze_written(connection)


def log_refused(session: Session, file_name: str, sha256: str, file_format: str, user: str, message: str) -> int:
    """Log an attempt refused before parsing (too big, wrong type, hostile XML)."""
    now = _now()
    batch = ImportBatch(
        started_at=now,
        finished_at=now,
        user_name=user,
        file_name=file_name[:500],
        file_sha256=sha256,
        file_format=file_format[:32],
        outcome="rejected",
        counts_json=None,
        message=message[:2000],
    )
    session.add(batch)
    session.commit()
    return batch.id


def _batch(imports: list[ParsedImport], user: str, started: dt.datetime, outcome: str) -> ImportBatch:
    names = ", ".join(p.file_name for p in imports)
    formats = sorted({p.format for p in imports})
    return ImportBatch(
        started_at=started,
        user_name=user[:200],
        file_name=names[:500],
        file_sha256=combined_sha256(imports),
        file_format="+".join(formats)[:32],
        outcome=outcome,
    )


def _counts_json(report: ValidationReport) -> str:
    return json.dumps({name: c.as_dict() for name, c in report.planned.items()}, sort_keys=True)


def _summary(report: ValidationReport) -> str:
    parts = [f"{name}: +{c.new} new, {c.changed} changed" for name, c in report.planned.items() if c.new or c.changed]
    extra = f"; {len(report.warnings)} warning(s)" if report.warnings else ""
    return ("; ".join(parts) or "nothing new") + extra


def import_history(session: Session, scope: Scope, limit: int = 100) -> list[ImportBatch]:
    """The latest import attempts the asker may see, newest first (the Data page's history).

    Leadership (the organisation scope) sees every attempt, from the page and the command line.
    Anyone else sees only the attempts they made themselves (``user_name`` equal to their person id,
    the verified email the page records), because a rejected attempt's message quotes the file's
    project codes and values: another office's attempts are not a chief of mission's to read.
    Command-line imports are recorded under ``--as EMAIL`` (then that person sees them too) or as
    the administrator.
    """
    stmt = select(ImportBatch).order_by(ImportBatch.id.desc()).limit(limit)
    if not scope.organisation:
        # the log keeps the first 200 characters of the name (``_batch``): compare the same
        stmt = stmt.where(ImportBatch.user_name == scope.person[: ImportBatch.user_name.type.length])
    return list(session.scalars(stmt))


def history_frame(session: Session, scope: Scope, limit: int = 100) -> pd.DataFrame:
    """The import history the asker may see (:func:`import_history`) as a table, newest first: when,
    which files, outcome, rows written and the message, then who and the file format. The message
    comes before who because a 1280-pixel screen shows about 700 pixels of table, and the message
    (what was written, or why it was refused) is what a reader came for."""
    rows = []
    for batch in import_history(session, scope, limit):
        counts = json.loads(batch.counts_json) if batch.counts_json else {}
        changed = sum(c.get("new", 0) + c.get("changed", 0) for c in counts.values() if isinstance(c, dict))
        rows.append(
            {
                "Batch": batch.id,
                "Started (UTC)": batch.started_at,
                "Imported by": batch.user_name,
                "Files": batch.file_name,
                "Format": batch.file_format,
                "Outcome": batch.outcome.capitalize(),
                "Rows added or changed": changed,
                "Message": batch.message or "",
            }
        )
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS)


HISTORY_COLUMNS = [
    "Batch",
    "Started (UTC)",
    "Files",
    "Outcome",
    "Rows added or changed",
    "Message",
    "Imported by",
    "Format",
]
