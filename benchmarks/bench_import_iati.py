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
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from lxml import etree
from sqlalchemy.orm import Session

from data_access.db import dispose_engine, get_engine, upgrade
from data_access.importers.iati import parse_iati
from data_access.importers.writer import import_files

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


def import_all(files: list[tuple[str, bytes]], database: Path) -> tuple[Clock, Clock, str, dict[str, int]]:
    """(read clock, validate + write clock, outcome, rows read per table) into a new database."""
    engine = get_engine(f"sqlite:///{database}")
    upgrade(engine)
    try:
        with Clock() as read:
            parsed = [parse_iati(data, name) for name, data in files]
        rows: dict[str, int] = {}  # counted before the import: validation consumes the rows it reads
        for p in parsed:
            for table, count in p.row_counts().items():
                rows[table] = rows.get(table, 0) + count
        with Session(engine) as session, Clock() as write:
            result = import_files(session, parsed, user="benchmark")
    finally:
        dispose_engine(engine)
    return read, write, result.outcome, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER)
    args = parser.parse_args()
    paths = sorted(args.folder.glob("*.xml"))
    files = [(p.name, p.read_bytes()) for p in paths]
    size_mb = sum(len(d) for _, d in files) / 1024 / 1024
    lxml_runs, reads, writes = [], [], []
    outcome, rows = "", {}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.repeat):
            lxml_runs.append(lxml_only(files))
            read, write, outcome, rows = import_all(files, Path(tmp) / f"empty_{run}.db")
            reads.append(read)
            writes.append(write)
    print(f"{len(files)} files, {size_mb:.1f} MB; outcome {outcome}; rows {rows}")
    for label, field in (("wall", "wall"), ("cpu", "cpu")):
        lxml_s = statistics.median(getattr(c, field) for c in lxml_runs)
        read_s = statistics.median(getattr(c, field) for c in reads)
        write_s = statistics.median(getattr(c, field) for c in writes)
        total = statistics.median(getattr(r, field) + getattr(w, field) for r, w in zip(reads, writes, strict=True))
        print(f"[{label}] lxml alone {lxml_s:.3f} s; import {total:.3f} s = read {read_s:.3f} s (parse_iati) "
              f"+ validate/write {write_s:.3f} s; ratio {total / lxml_s:.1f}x (read alone {read_s / lxml_s:.1f}x); "
              "target <= 5x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
