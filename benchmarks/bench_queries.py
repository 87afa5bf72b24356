"""Benchmark of the scoped reads that every page waits for, on the 10,000-project sample portfolio.

    .venv/bin/python -m benchmarks.bench_queries [--projects 10000] [--repeat 3] [--database PATH]

Seeds (or reuses) the same SQLite file as ``benchmarks/bench_monitoring.py`` (same seed, same
reference date), then times, as the median of ``--repeat`` runs:

* ``load_portfolio`` for the whole organisation, for the busiest region, for the busiest country
  and for one programme manager's projects (the four kinds of scope);
* ``filter_options`` and ``project_detail`` (the project page) for the organisation.

A script, not a test: timings are never asserted. The figures go in docs/speed.md (Database reads).
"""

from __future__ import annotations

import os
import resource
import statistics
import time
from collections.abc import Callable

from sqlalchemy import func, select

from benchmarks.bench_monitoring import TODAY, _database, database_path, seeded_database_arguments
from data_access import models as m
from data_access import queries
from data_access.scope import ADMINISTRATOR, PortfolioFilter, Scope


def _median_seconds(action: Callable[[], object], repeat: int) -> tuple[str, object]:
    """Median wall-clock and CPU seconds of ``repeat`` runs (CPU time is what a shared, busy machine
    distorts least), formatted, with the last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return f"{statistics.median(walls):6.2f} s wall {statistics.median(cpus):6.2f} s CPU", result


def _busiest(engine, column) -> str:
    """The code (region or ISO3) managing the most projects."""
    stmt = (
        select(column, func.count(m.Project.id))
        .select_from(m.Project)
        .join(m.CountryOffice, m.Project.managing_office_id == m.CountryOffice.id)
        .join(m.Country, m.CountryOffice.country_id == m.Country.id)
        .join(m.Region, m.Country.region_id == m.Region.id)
        .group_by(column)
        .order_by(func.count(m.Project.id).desc(), column)
        .limit(1)
    )
    with engine.connect() as connection:
        return connection.execute(stmt).first()[0]


def _first_manager(engine) -> tuple[str, int, str]:
    """The first programme manager by name, how many projects name them, and the first such project."""
    stmt = (
        select(m.Project.manager, func.count(), func.min(m.Project.code))
        .where(m.Project.manager.is_not(None))
        .group_by(m.Project.manager)
        .order_by(m.Project.manager)
        .limit(1)
    )
    with engine.connect() as connection:
        name, count, first = connection.execute(stmt).one()
    return name, int(count), first


def main() -> int:
    parser = seeded_database_arguments(__doc__.splitlines()[0])
    args = parser.parse_args()
    path = database_path(args)
    engine, seeding = _database(path, args.projects)
    flt = PortfolioFilter(as_of=TODAY)

    manager, n_projects, code = _first_manager(engine)
    scopes = {
        "organisation": Scope.whole_organisation(ADMINISTRATOR),
        f"region {_busiest(engine, m.Region.code)}": Scope.bounded_by_place(
            ADMINISTRATOR, regions=(_busiest(engine, m.Region.code),)
        ),
        f"country {_busiest(engine, m.Country.iso3)}": Scope.bounded_by_place(
            ADMINISTRATOR, countries=(_busiest(engine, m.Country.iso3),)
        ),
        f"manager {manager} ({n_projects} projects)": Scope.by_project(ADMINISTRATOR, managers=(manager,)),
    }
    print(f"database        {path} ({f'seeded in {seeding:.1f} s' if seeding else 'reused'}), as of {TODAY}")
    for label, scope in scopes.items():
        seconds, frames = _median_seconds(lambda scope=scope: queries.load_portfolio(engine, scope, flt), args.repeat)
        rows = sum(len(getattr(frames, name)) for name in frames.__dataclass_fields__)
        print(f"load_portfolio  {label:<34} {seconds}  {len(frames.projects):>6,} projects, {rows:>10,} rows")
    seconds, _ = _median_seconds(
        lambda: queries.filter_options(engine, Scope.whole_organisation(ADMINISTRATOR)), args.repeat
    )
    print(f"filter_options  {'organisation':<34} {seconds}")
    seconds, _ = _median_seconds(
        lambda: queries.project_detail(engine, Scope.whole_organisation(ADMINISTRATOR), code, TODAY), args.repeat
    )
    print(f"project_detail  {code:<34} {seconds}")
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(
        f"peak memory     process max RSS {max_rss / 2**20:,.0f} MiB; load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
