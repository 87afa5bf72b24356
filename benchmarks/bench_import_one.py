"""Benchmark: the Data page's preview and import of one project's tables in a large portfolio.

    cp var/bench_cold_10000.db /tmp/one.db
    .venv/bin/python -m benchmarks.bench_import_one --database /tmp/one.db [--runs 3]

WRITES to ``--database`` (give it a copy). One project's tables
(``bench_cold_views.one_project_files``) are previewed and imported as a new project (PX.9001),
then the tests' PX.0001 (stored in the sample) is previewed and imported ``--runs`` times with one
actual changed each time: what a country office uploading a corrected workbook costs. Each step
prints its CPU time (the machine is shared: wall time mostly measures waiting for a core) and the
statements SQLite ran, by kind (the driver's executemany rows included), so "the preview writes
nothing" shows as ``INSERT 0 UPDATE 0 DELETE 0``. A script, not a test: timings are never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

from benchmarks.bench_cold_views import one_project_files
from data_access.db import dispose_engine, get_engine
from data_access.importers.workbook import read_file
from data_access.importers.writer import import_files, preview
from data_access.scope import Scope

NEW_CODE = "PX.9001"  # not in the sample portfolio (bench_cold_views imports PX.0001 into it)
KINDS = ("SELECT", "INSERT", "UPDATE", "DELETE")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="a copy of a seeded SQLite file (written to)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    engine = get_engine(f"sqlite:///{args.database}")
    sent: Counter[str] = Counter()

    @event.listens_for(engine, "connect")
    def _trace(dbapi_connection, _record) -> None:
        # SQLite's own trace: every statement it runs, the driver's executemany rows included
        dbapi_connection.set_trace_callback(lambda sql: sent.update([sql.lstrip().split(None, 1)[0].upper()]))

    engine.dispose()  # connections opened from now on are traced

    scope, today = Scope.whole_organisation("administrator"), dt.date.today()
    with tempfile.TemporaryDirectory() as folder:

        def step(name: str, actual: str, write: bool, code: str = "PX.0001") -> None:
            paths = one_project_files(Path(folder) / name, actual)
            for path in paths:  # the project under another code: a new project
                path.write_text(path.read_text().replace("PX.0001", code))
            parsed = [read_file(p.read_bytes(), p.name) for p in paths]
            sent.clear()
            cpu = time.process_time()
            with Session(engine) as session:
                if write:
                    outcome = import_files(session, parsed, user="bench", scope=scope, as_of=today).outcome
                else:
                    outcome = "ok" if preview(session, parsed, scope=scope, as_of=today).ok else "errors"
            statements = " ".join(f"{k} {sent[k]}" for k in KINDS)
            print(f"{name:<24} {time.process_time() - cpu:6.2f} s CPU  {outcome:<9} {statements}", flush=True)

        step("preview (new project)", "160", write=False, code=NEW_CODE)
        step("import (new project)", "160", write=True, code=NEW_CODE)
        for run in range(args.runs):
            step(f"preview (one change) {run + 1}", str(170 + run), write=False)
        for run in range(args.runs):
            step(f"import (one change) {run + 1}", str(170 + run), write=True)
    dispose_engine(engine)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
