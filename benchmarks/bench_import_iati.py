"""Benchmark: import all of ../shared/iati/real into an empty SQLite database, against lxml alone.

    .venv/bin/python -m benchmarks.bench_import_iati [--repeat 3] [--folder ../shared/iati/real]

Both figures are taken in the same run, on the same bytes already in memory:

* **lxml alone**: ``lxml.etree.fromstring`` of every file (what any reader pays at least);
* **import**: what ``python -m data_access import real/*.xml`` does: the hardened parse and
  ``parse_iati`` of every file, then ``import_files`` of all of them together (validation of every
  row and the cross-row rules, one transaction, the import batch row) into a freshly migrated
  SQLite database, new for every repetition.

The median of ``--repeat`` repetitions is reported for each, with the read / write split of the
import and the ratio the issue sets a target for (at most 5x), in wall time and in this process's
CPU time (steadier when other work shares the machine). A script, not a test: timings are
never asserted.

It also measures the parts no importer built on this stack can skip, each alone, as multiples of
lxml: **walk** (visit every element of the parsed trees once from Python: tag, attributes, text),
**validate** (pydantic's validator of every canonical row the reader produced, nothing around it)
and **insert** (the exact INSERT statements and rows the import sent, replayed with the ``sqlite3``
module into a new database, foreign keys on). Their sum with lxml is a floor for the import:
what is left between it and the target is all the budget for the reading rules, the cross-row
checks and the versioned upsert.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from lxml import etree
from sqlalchemy import event
from sqlalchemy.orm import Session

from data_access.db import dispose_engine, get_engine, upgrade
from data_access.importers.gc_pause import allow_pause, gc_paused
from data_access.importers.iati import parse_iati
from data_access.importers.schemas import ROW_MODELS
from data_access.importers.writer import import_files
from data_access.scope import ADMINISTRATOR, Scope

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = ROOT.parent / "shared" / "iati" / "real"


class Clock:
    """Wall time and this process's CPU time of a block (CPU time is steadier on a shared machine)."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def lxml_only(files: list[tuple[str, bytes]]) -> Clock:
    with Clock() as clock:
        for _, data in files:
            etree.fromstring(data)
    return clock


def walk_only(files: list[tuple[str, bytes]]) -> Clock:
    """Visit every element once from Python (tag, attributes, text) over trees parsed beforehand."""
    trees = [etree.fromstring(data) for _, data in files]
    with gc_paused(), Clock() as clock:  # as the reader and the writer run
        for tree in trees:
            for element in tree.iter():
                element.tag, element.attrib.items(), element.text
    return clock


def validate_only(files: list[tuple[str, bytes]]) -> Clock:
    """pydantic's validator alone over every canonical row the reader produces."""
    work = [
        (ROW_MODELS[name].__pydantic_validator__.validate_python, [row.values for row in rows])
        for parsed in (parse_iati(data, name) for name, data in files)
        for name, rows in parsed.tables.items()
    ]
    with gc_paused(), Clock() as clock:
        for validate, rows in work:
            for values in rows:
                validate(values)
    return clock


def insert_only(statements: list[tuple[str, object, bool]], database: Path) -> Clock:
    """The import's INSERT statements and rows replayed with ``sqlite3`` into a new database."""
    engine = get_engine(f"sqlite:///{database}")
    upgrade(engine)
    dispose_engine(engine)
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA journal_mode = WAL")
    try:
        with Clock() as clock:
            for sql, parameters, many in statements:
                (connection.executemany if many else connection.execute)(sql, parameters)
            connection.commit()
    finally:
        connection.close()
    return clock


def import_all(
    files: list[tuple[str, bytes]], database: Path
) -> tuple[Clock, Clock, str, dict[str, int], list[tuple[str, object, bool]]]:
    """(read clock, validate + write clock, outcome, rows read per table, INSERTs sent) into a new database."""
    engine = get_engine(f"sqlite:///{database}")
    upgrade(engine)
    inserts: list[tuple[str, object, bool]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _record(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("INSERT"):
            inserts.append((statement, parameters, executemany))

    try:
        with Clock() as read:
            parsed = [parse_iati(data, name) for name, data in files]
        rows: dict[str, int] = {}  # counted before the import: validation consumes the rows it reads
        for p in parsed:
            for table, count in p.row_counts().items():
                rows[table] = rows.get(table, 0) + count
        with Session(engine) as session, Clock() as write:
            result = import_files(
                session, parsed, user="benchmark", scope=Scope.whole_organisation(ADMINISTRATOR), as_of=dt.date.today()
            )
    finally:
        dispose_engine(engine)
    return read, write, result.outcome, rows, inserts


def main() -> int:
    allow_pause()  # as the command line does: this process runs one import at a time
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER)
    args = parser.parse_args()
    paths = sorted(args.folder.glob("*.xml"))
    files = [(p.name, p.read_bytes()) for p in paths]
    size_mb = sum(len(d) for _, d in files) / 1024 / 1024
    lxml_runs, reads, writes, walks, validations, replays = [], [], [], [], [], []
    outcome, rows = "", {}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.repeat):
            lxml_runs.append(lxml_only(files))
            read, write, outcome, rows, inserts = import_all(files, Path(tmp) / f"empty_{run}.db")
            reads.append(read)
            writes.append(write)
            walks.append(walk_only(files))
            validations.append(validate_only(files))
            replays.append(insert_only(inserts, Path(tmp) / f"replay_{run}.db"))
    print(f"{len(files)} files, {size_mb:.1f} MB; outcome {outcome}; rows {rows}")
    for label in ("wall", "cpu"):

        def median(clocks: list[Clock], field: str = label) -> float:
            return statistics.median(getattr(c, field) for c in clocks)

        lxml_s, read_s, write_s = median(lxml_runs), median(reads), median(writes)
        total = statistics.median(getattr(r, label) + getattr(w, label) for r, w in zip(reads, writes, strict=True))
        print(
            f"[{label}] lxml alone {lxml_s:.3f} s; import {total:.3f} s = read {read_s:.3f} s (parse_iati) "
            f"+ validate/write {write_s:.3f} s; ratio {total / lxml_s:.1f}x (read alone {read_s / lxml_s:.1f}x); "
            "target <= 5x"
        )
        parts = {"walk": median(walks), "validate": median(validations), "insert": median(replays)}
        floor = lxml_s + sum(parts.values())
        print(
            f"[{label}] floor: lxml 1.0x + "
            + " + ".join(f"{k} {v / lxml_s:.2f}x" for k, v in parts.items())
            + f" = {floor / lxml_s:.2f}x ({floor:.3f} s); left for the reading rules, checks and upsert "
            f"under 5x: {5 * lxml_s - floor:.3f} s, used now: {total - floor:.3f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
