"""Page speed at the benchmark scale (10,000 projects): server-side runs and time to content.

Run: ``.venv/bin/python -m benchmarks.bench_pages [--db var/bench_pages_10000.db] [--runs 5]``

1. **Server-side run, warm** (AppTest): for every registered page, app.py is run once to fill the
   caches, then the page is run ``--runs`` times; the median wall time is reported (target < 2 s).
   "Warm" means the cached loaders (``components.loaders``) hold the portfolio: what every user
   after the first gets within the cache's ttl.
2. **Time to content in headless chromium**: ``streamlit run app.py`` on the same database and a
   bare one-line Streamlit page (``st.write``) in the same run; each is opened ``--runs`` times in a
   fresh browser context (a new session) after one warm-up visit, timing from navigation start
   until the content is visible and no script run is in progress. For the Portfolio page the content
   is the KPI row, the map's countries and the projects table (target: within 2 × the bare page).

The database is created with ``python -m data_access seed --projects 10000`` when the file does not
exist (a few minutes). Results are printed as a markdown table for the README.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from components.navigation import existing_pages  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server, warm_up  # noqa: E402
from tests.e2e.pages import wait_until_idle  # noqa: E402

BARE_PAGE = 'import streamlit as st\nst.write("Hello from a bare page")\n'


def ensure_database(path: Path, projects: int) -> str:
    url = f"sqlite:///{path.resolve()}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        print(f"seeding {projects:,} projects into {path} ...", flush=True)
        subprocess.run([sys.executable, "-m", "data_access", "seed", "--projects", str(projects)],
                       cwd=REPO, env={**os.environ, "DATABASE_URL": url}, check=True)
    return url


def server_side(url: str, runs: int) -> dict[str, tuple[float, float]]:
    """Page stem → (first run seconds, warm median seconds)."""
    from streamlit.testing.v1 import AppTest

    os.environ["DATABASE_URL"] = url
    results = {}
    for spec in existing_pages():
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=900)
        started = time.perf_counter()
        at.run()
        if spec is not existing_pages()[0]:
            at.switch_page(spec.file).run()
        first = time.perf_counter() - started
        if at.exception:
            raise RuntimeError(f"{spec.stem}: {at.exception[0].message}")
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - started)
        if at.exception:
            raise RuntimeError(f"{spec.stem}: {at.exception[0].message}")
        results[spec.stem] = (first, statistics.median(times))
        print(f"  {spec.stem:14s} first {first:6.2f} s   warm median {statistics.median(times):5.2f} s", flush=True)
    return results


def time_to_content(browser, base_url: str, ready_selectors: list[str], runs: int) -> float:
    """Median seconds from navigation start to ready (selectors visible, no run in progress)."""
    times = []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1440, "height": 1000})
        page = context.new_page()
        started = time.perf_counter()
        page.goto(base_url + "/", wait_until="commit")
        for selector in ready_selectors:
            page.wait_for_selector(selector, state="visible", timeout=300_000)
        wait_until_idle(page, timeout_s=300)
        # the idle check waits 0.6 s of quiet before returning: not part of the time to content
        times.append(time.perf_counter() - started - 0.6)
        context.close()
    return statistics.median(times)


def browser_times(url: str, runs: int) -> tuple[float, float]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        bare_script = Path(folder) / "bare.py"
        bare_script.write_text(BARE_PAGE)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        app = start_server(url, Path(folder) / "app.log")
        bare = start_server(url, Path(folder) / "bare.log", script=str(bare_script))
        try:
            warm_up(app, browser)
            warm_up(bare, browser)
            portfolio = time_to_content(
                browser, app.url,
                ['[data-testid="stMetric"]', "path.choroplethlocation", '[data-testid="stDataFrame"]'], runs)
            one_line = time_to_content(browser, bare.url, ['text="Hello from a bare page"'], runs)
        finally:
            stop_server(app)
            stop_server(bare)
            browser.close()
    return portfolio, one_line


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=REPO / "var" / "bench_pages_10000.db")
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-browser", action="store_true")
    args = parser.parse_args()
    url = ensure_database(args.db, args.projects)
    print("server-side runs (AppTest):", flush=True)
    pages = server_side(url, args.runs)
    print("\n| page | first run (cold caches) | warm run, median of "
          f"{args.runs} | under 2 s |\n|---|---|---|---|")
    for stem, (first, warm) in pages.items():
        print(f"| {stem} | {first:.2f} s | {warm:.2f} s | {'yes' if warm < 2 else 'NO'} |")
    if not args.skip_browser:
        portfolio, bare = browser_times(url, args.runs)
        print(f"\ntime to content, headless chromium, median of {args.runs}: Portfolio {portfolio:.2f} s, "
              f"bare one-line page {bare:.2f} s, ratio {portfolio / bare:.2f} (target ≤ 2)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
