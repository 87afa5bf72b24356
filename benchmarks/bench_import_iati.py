"""Benchmark: import all of ../shared/iati/real into an empty SQLite database, against lxml alone.

    .venv/bin/python -m benchmarks.bench_import_iati [--repeat 3] [--folder ../shared/iati/real]

Both figures are taken in the same run, on the same bytes already in memory:

* **lxml alone**: ``lxml.etree.fromstring`` of every file (what any reader pays at least);
* **import**: what ``python -m data_access import real/*.xml`` does: the hardened parse and
  ``parse_iati`` of every file, then ``import_files`` of all of them together (validation of every
  row and the cross-row rules, one transaction, the import batch row) into a freshly migrated
  SQLite database, new for every repetition.

The median of ``--repeat`` repetitions is reported for each, with the read / write split of the
import and the ratio the issue sets a target for (at most 5x). A script, not a test: timings are
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


def lxml_only(files: list[tuple[str, bytes]]) -> float:
    started = time.perf_counter()
    for _, data in files:
        etree.fromstring(data)
    return time.perf_counter() - started


def import_all(files: list[tuple[str, bytes]], database: Path) -> tuple[float, float, str, dict[str, int]]:
    """(read seconds, validate + write seconds, outcome, rows read per table) into a new database."""
    engine = get_engine(f"sqlite:///{database}")
    upgrade(engine)
    try:
        started = time.perf_counter()
        parsed = [parse_iati(data, name) for name, data in files]
        read_s = time.perf_counter() - started
        with Session(engine) as session:
            started = time.perf_counter()
            result = import_files(session, parsed, user="benchmark")
            write_s = time.perf_counter() - started
    finally:
        dispose_engine(engine)
    rows: dict[str, int] = {}
    for p in parsed:
        for table, count in p.row_counts().items():
            rows[table] = rows.get(table, 0) + count
    return read_s, write_s, result.outcome, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER)
    args = parser.parse_args()
    paths = sorted(args.folder.glob("*.xml"))
    files = [(p.name, p.read_bytes()) for p in paths]
    size_mb = sum(len(d) for _, d in files) / 1024 / 1024
    lxml_times, reads, writes = [], [], []
    outcome, rows = "", {}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.repeat):
            lxml_times.append(lxml_only(files))
            read_s, write_s, outcome, rows = import_all(files, Path(tmp) / f"empty_{run}.db")
            reads.append(read_s)
            writes.append(write_s)
    lxml_s = statistics.median(lxml_times)
    read_s, write_s = statistics.median(reads), statistics.median(writes)
    total = statistics.median(r + w for r, w in zip(reads, writes, strict=True))
    print(f"{len(files)} files, {size_mb:.1f} MB; outcome {outcome}; rows {rows}")
    print(f"lxml alone:          {lxml_s:.3f} s")
    print(f"import (read+write): {total:.3f} s  = read {read_s:.3f} s (parse_iati) + validate/write {write_s:.3f} s")
    print(f"ratio import / lxml: {total / lxml_s:.1f}x (read alone {read_s / lxml_s:.1f}x); target <= 5x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
