"""Benchmark of the sample portfolio: ``generate(10000)`` time and peak memory, and seeding time.

    .venv/bin/python -m benchmarks.bench_generate [--projects 10000] [--seed 7] [--today 2026-11-22]
                                                  [--skip-seed] [--skip-tracemalloc]

Each measurement runs in a fresh subprocess so that one does not inherit the other's memory:

1. ``generate``: wall and CPU seconds, the peak resident set of the process
   (``resource.getrusage(...).ru_maxrss``: interpreter + pandas + the frames) and the frames' size;
2. ``tracemalloc``: the peak of Python-level allocations during ``generate`` (numpy arrays included),
   run separately because tracing slows it down;
3. ``seed``: ``data_access.seed.insert_blocks`` of the same frames into a new SQLite file (WAL,
   foreign keys on), timed apart from the generation, with the file size.

Targets (issue 2): ``generate(10000)`` under 2 minutes and 2 GB. Timings are never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _child_generate(projects: int, seed: int, today: dt.date) -> dict:
    from sample_data.generator import generate

    wall, cpu = time.perf_counter(), time.process_time()
    frames = generate(projects=projects, seed=seed, today=today)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    memory = sum(int(f.memory_usage(deep=True).sum()) for f in frames.values()) / 2**20
    return {
        "seconds": wall,
        "cpu_seconds": cpu,
        "maxrss_mb": _maxrss_mb(),
        "frames_mb": memory,
        "rows": {name: len(frame) for name, frame in frames.items()},
    }


def _child_tracemalloc(projects: int, seed: int, today: dt.date) -> dict:
    from sample_data.generator import generate

    tracemalloc.start()
    generate(projects=projects, seed=seed, today=today)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"tracemalloc_peak_mb": peak / 2**20}


def _child_seed(projects: int, seed: int, today: dt.date) -> dict:
    from data_access.db import dispose_engine, get_engine, upgrade
    from data_access.seed import insert_blocks
    from sample_data.generator import generate

    frames = generate(projects=projects, seed=seed, today=today)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        engine = get_engine(f"sqlite:///{path}")
        upgrade(engine)
        wall = time.perf_counter()
        counts = insert_blocks(engine, [frames])
        wall = time.perf_counter() - wall
        dispose_engine(engine)
        size = sum(p.stat().st_size for p in Path(folder).iterdir()) / 2**20
    return {
        "seed_seconds": wall,
        "rows_inserted": sum(counts.values()),
        "sqlite_mb": size,
        "seed_maxrss_mb": _maxrss_mb(),
    }


CHILDREN = {"generate": _child_generate, "tracemalloc": _child_tracemalloc, "seed": _child_seed}


def _run_child(kind: str, args: argparse.Namespace) -> dict:
    command = [
        sys.executable,
        "-m",
        "benchmarks.bench_generate",
        "--child",
        kind,
        "--projects",
        str(args.projects),
        "--seed",
        str(args.seed),
        "--today",
        args.today.isoformat(),
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date(2026, 11, 22))
    parser.add_argument("--skip-seed", action="store_true", help="do not time seeding into SQLite")
    parser.add_argument("--skip-tracemalloc", action="store_true", help="do not measure Python allocations")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(CHILDREN[args.child](args.projects, args.seed, args.today)))
        return 0

    result = _run_child("generate", args)
    if not args.skip_tracemalloc:
        result |= _run_child("tracemalloc", args)
    if not args.skip_seed:
        result |= _run_child("seed", args)
    rows = result.pop("rows")
    print(
        f"generate(projects={args.projects}, seed={args.seed}, today={args.today}) on {sys.platform}, "
        f"Python {sys.version.split()[0]}"
    )
    print(f"  time:   {result['seconds']:.1f} s wall, {result['cpu_seconds']:.1f} s CPU")
    print(
        f"  memory: peak RSS {result['maxrss_mb']:.0f} MB (whole process); frames {result['frames_mb']:.0f} MB"
        + (f"; tracemalloc peak {result['tracemalloc_peak_mb']:.0f} MB" if "tracemalloc_peak_mb" in result else "")
    )
    if "seed_seconds" in result:
        print(
            f"  seed into SQLite: {result['seed_seconds']:.1f} s for {result['rows_inserted']:,} rows "
            f"({result['sqlite_mb']:.0f} MB file, peak RSS {result['seed_maxrss_mb']:.0f} MB)"
        )
    print(f"  rows: {sum(rows.values()):,} in total")
    for name, count in sorted(rows.items(), key=lambda item: -item[1]):
        print(f"    {name:<22} {count:>10,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
