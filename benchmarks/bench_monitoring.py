"""Benchmark of ``monitoring.evaluate.evaluate_portfolio`` on the 10,000-project sample portfolio.

    .venv/bin/python -m benchmarks.bench_monitoring [--projects 10000] [--repeat 3] [--database PATH]

Seeds a SQLite file with ``data_access.seed.seed_database`` the first time (reused afterwards: the
same seed and date give the same portfolio), loads the frames once with
``data_access.queries.load_portfolio`` for the whole organisation, then times every indicator and
project figure and every flag (``evaluate_portfolio``) ``--repeat`` times and reports the median.
Peak memory is measured twice: Python allocations during one evaluation (``tracemalloc``, run
separately so it does not slow the timed runs) and the process's maximum resident set (frames +
evaluation + interpreter). Wall and CPU time are both printed: on a shared machine wall time
includes waiting for a core, CPU time does not. One core: the computation is single-threaded
(BLAS/OpenMP threads limited to 1); ``--pin`` also pins the process to one CPU.
Targets (issue 3): under 5 s, under 2 GB. A script, not a test: timings are never asserted.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402 - the thread limits must be set before numpy is imported
import datetime as dt  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from pathlib import Path  # noqa: E402

from sqlalchemy import func, select  # noqa: E402

from data_access.db import dispose_engine, get_engine, upgrade  # noqa: E402
from data_access.models import Actual, Indicator, Project  # noqa: E402
from data_access.queries import load_portfolio  # noqa: E402
from data_access.scope import ADMINISTRATOR, PortfolioFilter, Scope  # noqa: E402
from data_access.seed import seed_database  # noqa: E402
from monitoring.evaluate import evaluate_portfolio, portfolio_kpis  # noqa: E402
from monitoring.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# A fixed "today" so that the seeded portfolio and the as-of date are the same on every run.
TODAY = dt.date(2026, 6, 30)


def _single_threaded_arrow() -> None:
    """pandas' Arrow-backed strings compute on pyarrow's own thread pool: limit it to one thread."""
    try:
        import pyarrow
    except ImportError:
        return
    pyarrow.set_cpu_count(1)


def _pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity)"


def _database(path: Path, projects: int) -> tuple[object, float | None]:
    """The engine of a seeded database, seeding (and timing it) only when the file is new.

    Seeding writes a side file renamed into place at the end, so a second benchmark started
    meanwhile (``bench_queries`` reuses this) never reads a half-seeded portfolio.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    seeding = None
    if not path.exists():
        partial = path.with_name(path.name + f".seeding-{os.getpid()}")
        engine = get_engine(f"sqlite:///{partial}")
        upgrade(engine)
        started = time.perf_counter()
        seed_database(engine, projects=projects, today=TODAY)
        seeding = time.perf_counter() - started
        with engine.connect() as connection:  # fold the WAL into the file before it is renamed
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        dispose_engine(engine)
        os.replace(partial, path)
    return get_engine(f"sqlite:///{path}"), seeding


def _counts(engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            name: connection.execute(select(func.count()).select_from(model)).scalar_one()
            for name, model in (("projects", Project), ("indicators", Indicator), ("actuals", Actual))
        }


def seeded_database_arguments(description: str) -> argparse.ArgumentParser:
    """The options every benchmark over a seeded SQLite portfolio takes (size, repeats, file), so
    bench_monitoring and bench_queries seed and reuse the same ``var/bench_<projects>.db``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--database", type=Path, default=None, help="SQLite file to seed or reuse (default var/bench_<projects>.db)"
    )
    return parser


def database_path(args: argparse.Namespace) -> Path:
    """``--database``, else ``var/bench_<projects>.db`` (seeded on first use, reused after)."""
    return args.database or ROOT / "var" / f"bench_{args.projects}.db"


def main() -> int:
    parser = seeded_database_arguments(__doc__.splitlines()[0])
    parser.add_argument(
        "--pin",
        action="store_true",
        help="pin the process to one CPU (on a busy shared machine this only adds waiting)",
    )
    args = parser.parse_args()
    _single_threaded_arrow()
    pinned = _pin_to_one_core() if args.pin else "single-threaded, not pinned"
    path = database_path(args)

    engine, seeding = _database(path, args.projects)
    counts = _counts(engine)
    started = time.perf_counter()
    frames = load_portfolio(engine, Scope.whole_organisation(ADMINISTRATOR), PortfolioFilter(as_of=TODAY))
    loading = time.perf_counter() - started

    settings = Settings()
    timings, cpu = [], []
    for _ in range(args.repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        evaluation = evaluate_portfolio(frames, TODAY, settings)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)

    tracemalloc.start()
    evaluate_portfolio(frames, TODAY, settings)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux

    kpis = portfolio_kpis(evaluation)
    print(f"database            {path} ({f'seeded in {seeding:.1f} s' if seeding else 'reused'})")
    print(
        f"portfolio           {counts['projects']:,} projects, {counts['indicators']:,} indicators, "
        f"{counts['actuals']:,} actuals; frame rows: "
        f"{sum(len(getattr(frames, n)) for n in frames.__dataclass_fields__):,}"
    )
    print(f"as of               {TODAY} ({pinned})")
    print(f"load_portfolio      {loading:.2f} s (once)")
    print(
        f"evaluate_portfolio  median {statistics.median(timings):.2f} s of {args.repeat} "
        f"({', '.join(f'{t:.2f}' for t in timings)}); CPU time median {statistics.median(cpu):.2f} s "
        f"(wall time grows when other processes share the core, CPU time much less)"
    )
    print(
        f"peak memory         {traced_peak / 2**20:,.0f} MiB traced during one evaluation; "
        f"process max RSS {max_rss / 2**20:,.0f} MiB"
    )
    print(
        f"output              {len(evaluation.indicators):,} indicator rows, {len(evaluation.projects):,} "
        f"project rows, {len(evaluation.flags):,} flags, {kpis.projects_with_high_flag:,} projects "
        f"with a high flag"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
