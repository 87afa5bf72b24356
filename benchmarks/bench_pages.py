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
   is the KPI row and the projects table (target: within 2 × the bare page); the map, in its own
   tab, is timed apart by opening ``/?tab=Map``.

The database is created with ``python -m data_access seed --projects 10000`` when the file does not
exist (a few minutes). Results are printed as a markdown table for docs/speed.md.
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
        subprocess.run(
            [sys.executable, "-m", "data_access", "seed", "--projects", str(projects)],
            cwd=REPO,
            env={**os.environ, "DATABASE_URL": url},
            check=True,
        )
    return url


def server_side(url: str, runs: int, only: set[str] | None = None) -> dict[str, tuple[float, float]]:
    """Page stem → (first run seconds, warm median seconds)."""
    from streamlit.testing.v1 import AppTest

    os.environ["DATABASE_URL"] = url
    results = {}
    for spec in existing_pages():
        if only and spec.stem not in only:
            continue
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


def time_to_content(
    browser, base_url: str, stages: list[tuple[str, str]], runs: int, *, browser_cache: bool, path: str = "/"
) -> dict[str, float]:
    """Median seconds from navigation start to each stage (its selector visible), and to ``idle``
    (every stage visible and no run, placeholder or spinner left), over ``runs`` new Streamlit
    sessions. ``browser_cache``: every visit in one browser context after a first visit (a returning
    user: the app's JavaScript, e.g. the plotly chunk, is cached), else a fresh context each time
    (a first-time visitor)."""
    times: dict[str, list[float]] = {name: [] for name, _ in stages} | {"idle": []}
    shared = browser.new_context(viewport={"width": 1440, "height": 1000}) if browser_cache else None
    if shared is not None:
        first = shared.new_page()
        first.goto(base_url + "/", wait_until="commit")
        wait_until_idle(first, timeout_s=300)
        first.close()
    for _ in range(runs):
        context = shared or browser.new_context(viewport={"width": 1440, "height": 1000})
        page = context.new_page()
        started = time.perf_counter()
        page.goto(base_url + path, wait_until="commit")
        for name, selector in stages:
            page.wait_for_selector(selector, state="visible", timeout=300_000)
            times[name].append(time.perf_counter() - started)
        wait_until_idle(page, timeout_s=300)
        # the idle check waits 0.6 s of quiet before returning: not part of the time to content
        times["idle"].append(time.perf_counter() - started - 0.6)
        page.close()
        if shared is None:
            context.close()
    if shared is not None:
        shared.close()
    return {name: statistics.median(values) for name, values in times.items()}


# the Portfolio opens on its projects tab; the map is its own tab, loaded when opened (?tab=Map)
PORTFOLIO_STAGES = [("KPI row", '[data-testid="stMetric"]'), ("projects table", '[data-testid="stDataFrame"]')]
MAP_TAB_STAGES = [("KPI row", '[data-testid="stMetric"]'), ("map", "path.choroplethlocation")]
BARE_STAGES = [("text", 'text="Hello from a bare page"')]


def browser_times(url: str, runs: int) -> dict[str, dict[str, dict[str, float]]]:
    """{"first visit" | "returning visitor": {"portfolio": stages, "bare": stages}}."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        bare_script = Path(folder) / "bare.py"
        bare_script.write_text(BARE_PAGE)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        app = start_server(url, Path(folder) / "app.log", script="app.py")
        bare = start_server(url, Path(folder) / "bare.log", script=str(bare_script))
        try:
            warm_up(app, browser, timeout_s=600)
            warm_up(bare, browser, timeout_s=600)
            results = {
                label: {
                    "portfolio": time_to_content(browser, app.url, PORTFOLIO_STAGES, runs, browser_cache=cache),
                    "portfolio map tab": time_to_content(
                        browser, app.url, MAP_TAB_STAGES, runs, browser_cache=cache, path="/?tab=Map"
                    ),
                    "bare": time_to_content(browser, bare.url, BARE_STAGES, runs, browser_cache=cache),
                }
                for label, cache in (
                    ("first visit (empty browser cache)", False),
                    ("returning visitor (browser cache)", True),
                )
            }
        finally:
            stop_server(app)
            stop_server(bare)
            browser.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=REPO / "var" / "bench_pages_10000.db")
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--skip-server-side", action="store_true")
    parser.add_argument("--pages", nargs="*", help="page stems to run server-side (default: all)")
    args = parser.parse_args()
    url = ensure_database(args.db, args.projects)
    if not args.skip_server_side:
        print("server-side runs (AppTest):", flush=True)
        pages = server_side(url, args.runs, set(args.pages or ()))
        print(f"\n| page | first run (cold caches) | warm run, median of {args.runs} | under 2 s |\n|---|---|---|---|")
        for stem, (first, warm) in pages.items():
            print(f"| {stem} | {first:.2f} s | {warm:.2f} s | {'yes' if warm < 2 else 'NO'} |")
    if not args.skip_browser:
        results = browser_times(url, args.runs)
        print(
            f"\ntime to content in headless chromium, median of {args.runs} new sessions "
            f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs):"
        )
        print("| visit | page, stage | seconds | × bare page |\n|---|---|---|---|")
        for label, pages in results.items():
            base = pages["bare"]["idle"]
            print(f"| {label} | bare one-line page | {base:.2f} s | 1.00 |")
            for title, key in (("Portfolio", "portfolio"), ("Portfolio ?tab=Map", "portfolio map tab")):
                for name, seconds in pages[key].items():
                    print(f"| {label} | {title}, {name} | {seconds:.2f} s | {seconds / base:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
