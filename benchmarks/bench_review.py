"""Benchmark of review meetings on the 10,000-project sample portfolio: a leadership snapshot, a
chief of mission's pack and leadership's pack.

    .venv/bin/python -m benchmarks.bench_review [--projects 10000] [--database PATH]

Uses the seeded ``var/bench_<projects>.db`` of ``bench_monitoring`` (seeded the first time). Steps,
each timed (wall and CPU): store the evaluations of the benchmark date ahead of readers, as
``python -m data_access evaluate`` does after a seed and nightly (``data_access.evalstore``; nothing
to do when the file's store already has them, and imports keep it fresh); freeze a leadership
snapshot as of the benchmark date (every figure of the organisation, read from that store; its
stored size is printed); freeze the snapshot of the chief of mission of the country with the most
projects; that chief of mission's PDF and PowerPoint packs of today's data, which compare with
their snapshot; leadership's PDF and PowerPoint packs, which compare with the leadership snapshot.
Every pack reads today's figures from the store and the earlier snapshot's from its rows.
Targets (issue 13): snapshot ≤ 30 s, chief of mission's pack ≤ 10 s, leadership's pack ≤ 30 s.
Snapshots never change and cannot be deleted: each run adds two to the benchmark database (about
the size printed). A script, not a test: timings are never asserted.
"""

from __future__ import annotations

import io
import os
import resource
import time
from collections.abc import Callable

from sqlalchemy import text

from benchmarks.bench_monitoring import TODAY, _database, database_path, seeded_database_arguments
from data_access import evalstore
from data_access.changes import review_inputs
from data_access.scope import ADMINISTRATOR, Scope
from data_access.snapshots import create_snapshot, stored_size
from monitoring.settings import Settings
from packs import write_pack
from packs.content import build_pack


def _timed(what: str, work: Callable[[], object]) -> object:
    started, started_cpu = time.perf_counter(), time.process_time()
    result = work()
    wall, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    print(f"{what:<44} {wall:6.1f} s wall, {cpu:6.1f} s CPU")
    return result


def _pack(engine, scope: Scope, fmt: str) -> int:
    inputs = review_inputs(engine, scope, Settings(), as_of=TODAY)
    figures, changes = inputs.pop("figures"), inputs.pop("changes")
    out = io.BytesIO()
    write_pack(build_pack(figures, changes, **inputs), fmt, out)
    return len(out.getvalue())


def main() -> int:
    parser = seeded_database_arguments(__doc__.splitlines()[0])
    args = parser.parse_args()
    path = database_path(args)
    engine, seeding = _database(path, args.projects)
    print(f"database   {path} ({f'seeded in {seeding:.1f} s' if seeding else 'reused'}), as of {TODAY}")
    with engine.connect() as connection:
        country = connection.execute(
            text(
                "SELECT c.iso3 FROM projects p JOIN country_offices o ON o.id = p.managing_office_id "
                "JOIN countries c ON c.id = o.country_id GROUP BY c.iso3 ORDER BY count(*) DESC LIMIT 1"
            )
        ).scalar_one()
    stored = _timed("stored evaluations of the date (evaluate)", lambda: evalstore.build(engine, [TODAY], Settings()))
    print(f"  {stored[TODAY]:,} projects evaluated and stored (0: the store already had them)")
    before = path.stat().st_size
    organisation, chief = (
        Scope.whole_organisation(ADMINISTRATOR),
        Scope.bounded_by_place(ADMINISTRATOR, countries=(country,)),
    )
    freeze = {"as_of": TODAY, "created_by": "benchmark", "settings": Settings()}
    snapshot = _timed(
        "leadership snapshot",
        lambda: create_snapshot(engine, name="benchmark", scope=organisation, **freeze),
    )
    size = stored_size(engine, snapshot)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    grown = path.stat().st_size - before
    print(f"  snapshot {snapshot}: {size / 1e6:,.0f} MB of stored text; database file grew {grown / 1e6:,.0f} MB")
    _timed(
        f"chief of mission snapshot ({country})",
        lambda: create_snapshot(engine, name="benchmark", scope=chief, **freeze),
    )
    for fmt in ("pdf", "pptx"):
        n = _timed(f"chief of mission pack, {fmt} ({country})", lambda fmt=fmt: _pack(engine, chief, fmt))
        print(f"  {n / 1e3:,.0f} kB")
    for fmt in ("pdf", "pptx"):
        n = _timed(f"leadership pack, {fmt}", lambda fmt=fmt: _pack(engine, organisation, fmt))
        print(f"  {n / 1e3:,.0f} kB")
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"process max RSS {max_rss / 2**20:,.0f} MiB; load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
