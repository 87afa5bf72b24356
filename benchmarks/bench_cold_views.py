"""Cold and warm first views in headless chromium, as ratios to a bare one-line Streamlit page.

Run (10,000 projects on SQLite, the default; a few minutes to seed the first time)::

    .venv/bin/python -m benchmarks.bench_cold_views [--runs 3]
    .venv/bin/python -m benchmarks.bench_cold_views --database-url postgresql+psycopg://postgres@127.0.0.1/bench_100k \\
        --projects 100000

Every figure is time to content: from navigation start in a fresh browser context (a new session)
until the page's content is visible and nothing runs any more (no status widget, skeleton or
spinner for 0.6 s, not counted), measured in the same run as a bare one-line ``st.write`` page
served by another ``streamlit run`` on the same machine; the ratio is what the targets of issue
12 judge. Views, each on a freshly started app server unless said:

* **leadership, cold**: the first visitor after the server starts (Portfolio, whole organisation);
  then **warm**: the median of ``--runs`` later visitors of the same view, each a first-time
  visitor (a fresh browser context: every JavaScript chunk downloaded and compiled again), and the
  same for **returning visitors** (one browser context whose HTTP cache holds the app's JavaScript,
  as anyone's browser does after the first day), against the bare page visited the same way;
* **another month-end**: the same server, first view as of the last month-end (``?as_of=``);
* **after an import touching one project**: the same server, first leadership view after
  ``python -m data_access import`` of one project's tables (six CSV files: a project, its results,
  indicators, periods, budget and spending; the import itself is timed too: validate + write +
  refresh of the stored evaluations);
* **a regional director** and **a chief of mission**: first view on a fresh server, the largest
  region and country;
* **every other page, cold**: a fresh server whose first session is a programme manager (the
  smallest view: a deep link needs one session to have run app.py first), then the page as
  leadership.

Memory: the app server's peak resident set (``VmHWM``) over the run. ``--app-dir`` serves another
checkout (e.g. the code before a change) on a database it has migrated itself. The load average
is printed with every table: the machine is shared, so compare ratios of one run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from components.navigation import url_path_of  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Server, free_port, stop_server  # noqa: E402
from tests.e2e.pages import wait_until_idle  # noqa: E402
from tests.importers_support import BASE_FILES  # noqa: E402

BARE_PAGE = 'import streamlit as st\nst.write("Hello from a bare page")\n'
KPI = '[data-testid="stMetric"]'
TABLE = '[data-testid="stDataFrame"]'
# What marks a page's content as shown, by its stem: its KPIs, or (the follow-up pages, whose KPIs
# come with the table) its first table, both drawn only once the page's data is read. Without one a
# visit may end at the heading: Recommendations and Visits read their data with no spinner or status
# widget to wait for, and were "idle" after ~12 kB, before any of it. Pages not listed: idle only.
CONTENT = {
    "portfolio": KPI,
    "off_track": KPI,
    "finance": KPI,
    "risks": KPI,
    "recommendations": TABLE,
    "visits": TABLE,
}
BARE_TEXT = 'text="Hello from a bare page"'
QUIET_S = 0.6  # wait_until_idle's quiet period, not part of the time to content
# every other page, by its URL path (components.navigation: the one source of the paths)
OTHER_PAGES = ("project", "off_track", "finance", "risks", "cross_cutting", "strategy", "data")


def load() -> str:
    return "load average {:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg())


def run_cli(app_dir: Path, url: str, *args: str) -> float:
    """``python -m data_access ARGS`` in ``app_dir`` on ``url``; returns its wall time."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "data_access", *args], cwd=app_dir, env={**os.environ, "DATABASE_URL": url}, check=True
    )
    return time.perf_counter() - started


def start(app_dir: Path, url: str, script: str, log: Path) -> Server:
    """``streamlit run`` (or ``serve.py``) in ``app_dir`` (tests.e2e.conftest.start_server, for any checkout)."""
    import urllib.request

    port = free_port()
    # the app as `make run` serves it: serve.py imports the application before listening (a checkout
    # without it, e.g. an older one given as --app-dir, is served by `streamlit run`)
    preloading = script == "app.py" and (app_dir / "serve.py").exists()
    command = [sys.executable, "serve.py"] if preloading else [sys.executable, "-m", "streamlit", "run", script]
    process = subprocess.Popen(
        [*command, "--server.port", str(port), "--server.address",
         "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=app_dir, env={**os.environ, "DATABASE_URL": url}, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    server = Server(f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=1) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    raise RuntimeError(f"streamlit did not answer: {log.read_text()[-2000:]}")


def peak_rss_mb(server: Server) -> float:
    for line in Path(f"/proc/{server.process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def visit(browser, url: str, selector: str | None = None) -> float:
    """Seconds to content of one visit in a fresh browser context."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        page = context.new_page()
        started = time.perf_counter()
        page.goto(url, wait_until="commit")
        if selector:
            page.wait_for_selector(selector, state="visible", timeout=900_000)
        wait_until_idle(page, timeout_s=900)
        seconds = time.perf_counter() - started - QUIET_S
        errors = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]').count()
        if errors:
            raise RuntimeError(f"{url} shows an error")
        return seconds
    finally:
        context.close()


def returning(browser, url: str, selector: str, runs: int) -> float:
    """Median seconds to content of ``runs`` returning visitors: one browser context, visited once
    first, so its HTTP cache holds the app's JavaScript as a person's browser does the day after;
    each later visit is a new page, so a new Streamlit session (the server's caches as they are)."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        first = context.new_page()
        first.goto(url, wait_until="commit")
        first.wait_for_selector(selector, state="visible", timeout=900_000)
        wait_until_idle(first, timeout_s=900)
        first.close()
        times = []
        for _ in range(runs):
            page = context.new_page()
            started = time.perf_counter()
            page.goto(url, wait_until="commit")
            page.wait_for_selector(selector, state="visible", timeout=900_000)
            wait_until_idle(page, timeout_s=900)
            times.append(time.perf_counter() - started - QUIET_S)
            page.close()
        return statistics.median(times)
    finally:
        context.close()


def people(url: str) -> tuple[str, str, str]:
    """The largest region and country and a programme manager, for the views."""
    from sqlalchemy import func, select

    from data_access import models as m
    from data_access.db import dispose_engine, get_engine

    engine = get_engine(url)
    try:
        with engine.connect() as connection:
            by_country = (
                select(m.Country.iso3, m.Region.code, func.count())
                .select_from(m.Project)
                .join(m.CountryOffice, m.Project.managing_office_id == m.CountryOffice.id)
                .join(m.Country, m.CountryOffice.country_id == m.Country.id)
                .join(m.Region, m.Country.region_id == m.Region.id)
                .group_by(m.Country.iso3, m.Region.code)
            )
            rows = connection.execute(by_country).all()
            manager = connection.execute(select(func.min(m.Project.manager))).scalar_one()
    finally:
        dispose_engine(engine)
    regions: dict[str, int] = {}
    for _iso, region, n in rows:
        regions[region] = regions.get(region, 0) + n
    country = max(rows, key=lambda r: r[2])[0]
    return max(regions, key=regions.get), country, manager


def one_project_files(folder: Path, actual: str) -> list[Path]:
    """One project's tables (tests/importers_support.BASE_FILES: PX.0001), one actual set to ``actual``."""
    files = dict(BASE_FILES)
    files["periods.csv"] = files["periods.csv"].replace(
        "2024-04-01,2024-06-30,150,,", f"2024-04-01,2024-06-30,150,{actual},"
    )
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in files.items():
        (folder / name).write_text(text)
        paths.append(folder / name)
    return paths


def measure(args: argparse.Namespace, url: str) -> None:
    from playwright.sync_api import sync_playwright

    region, country, manager = people(url)
    today = dt.date.today()
    month_end = today.replace(day=1) - dt.timedelta(days=1)
    results: list[tuple[str, float, float | None, str]] = []  # view, seconds, the bare page's, target
    memory: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        work = Path(folder)
        (work / "bare.py").write_text(BARE_PAGE)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        bare = start(args.app_dir, url, str(work / "bare.py"), work / "bare.log")
        try:
            visit(browser, bare.url + "/", BARE_TEXT)
            base = statistics.median(visit(browser, bare.url + "/", BARE_TEXT) for _ in range(args.runs))
            print(f"bare one-line page: {base:.2f} s ({load()})", flush=True)
            base_returning = returning(browser, bare.url + "/", BARE_TEXT, args.runs)
            print(f"bare one-line page, returning visitor: {base_returning:.2f} s ({load()})", flush=True)

            def app() -> Server:
                return start(args.app_dir, url, "app.py", work / f"app{len(memory)}.log")

            def keep(name: str, server: Server) -> None:
                memory[name] = peak_rss_mb(server)
                stop_server(server)

            def note(view: str, seconds: float, target: str, bare_s: float = base) -> None:
                results.append((view, seconds, bare_s, target))
                print(f"  {view}: {seconds:.2f} s = {seconds / bare_s:.2f}× bare ({load()})", flush=True)

            server = app()
            note("leadership, cold (first visitor after start)", visit(browser, server.url + "/", KPI), "2×")
            warm = statistics.median(visit(browser, server.url + "/", KPI) for _ in range(args.runs))
            note(f"leadership, warm (median of {args.runs})", warm, "1.3×")
            note(
                f"leadership, warm, returning visitor (median of {args.runs}; vs the bare page returning)",
                returning(browser, server.url + "/", KPI, args.runs),
                "1.3×",
                base_returning,
            )
            note(
                f"leadership, another month-end ({month_end})",
                visit(browser, f"{server.url}/?as_of={month_end}", KPI),
                "2×",
            )
            if not args.skip_import:
                files = one_project_files(work / "import", str(170 + int(time.time()) % 1000))
                seconds = run_cli(args.app_dir, url, "import", *map(str, files))
                print(f"  import of one project's tables (validate + write + refresh): {seconds:.2f} s", flush=True)
                results.append(("import of one project's 6 tables, command line (s)", seconds, None, "5 s"))
                note("leadership, after an import touching one project", visit(browser, server.url + "/", KPI), "2×")
            keep("leadership", server)
            directors = ((f"regional director ({region})", f"region:{region}"),)
            chiefs = ((f"chief of mission ({country})", f"country:{country}"),)
            for label, view in directors + chiefs:
                server = app()
                note(f"{label}, cold", visit(browser, f"{server.url}/?as={view}", KPI), "2×")
                keep(label, server)
            if not args.skip_pages:
                for stem in OTHER_PAGES:
                    server = app()
                    visit(browser, f"{server.url}/?as=manager:{manager}")
                    seconds = visit(browser, f"{server.url}/{url_path_of(stem)}", CONTENT.get(stem))
                    note(f"{stem} page, leadership, cold", seconds, "3×")
                    keep(stem, server)
        finally:
            stop_server(bare)
            browser.close()
    print(f"\n{args.projects:,} projects, {url.split(':')[0]}; bare page {base:.2f} s; {load()}")
    print("| view | seconds | × bare page | target |\n|---|---:|---:|---|")
    for view, seconds, bare_s, target in results:
        ratio = "" if bare_s is None else f"{seconds / bare_s:.2f}×"
        print(f"| {view} | {seconds:.2f} | {ratio} | {target} |")
    print("\n| app server | peak resident memory |\n|---|---:|")
    for name, mb in memory.items():
        print(f"| {name} | {mb:,.0f} MB |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="default: SQLite var/bench_cold_<projects>.db")
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--app-dir", type=Path, default=REPO, help="the checkout to serve (default: this one)")
    parser.add_argument("--skip-pages", action="store_true", help="only the Portfolio views")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--no-evaluate", action="store_true", help="do not run `evaluate` before measuring")
    args = parser.parse_args()
    args.app_dir = args.app_dir.resolve()
    url = args.database_url or f"sqlite:///{REPO / 'var' / f'bench_cold_{args.projects}.db'}"
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        print(f"seeding {args.projects:,} projects ({load()}) ...", flush=True)
        print(f"  {run_cli(args.app_dir, url, 'seed', '--projects', str(args.projects)):.1f} s", flush=True)
    if (args.app_dir / "data_access" / "commands" / "evaluate.py").exists() and not args.no_evaluate:
        print(f"python -m data_access evaluate (today and 3 month-ends; {load()}) ...", flush=True)
        print(f"  {run_cli(args.app_dir, url, 'evaluate'):.1f} s", flush=True)
    measure(args, url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
