"""What a page costs the browser, beside the bare page, and A/B between checkouts in the same minute.

Run (10,000 projects on SQLite by default: the database ``bench_cold_views`` seeds, ``var/``)::

    .venv/bin/python -m benchmarks.bench_browser_cost [--path /] [--runs 6]
    .venv/bin/python -m benchmarks.bench_browser_cost --app-dir ../main --app-dir . --runs 6   # A/B

Time to content (``bench_cold_views``) mixes the server's run, the bytes sent and the browser's work,
and on the shared machine the load moves it by a second from one minute to the next. This script
splits it and counts what does not depend on the load: per visit (a fresh browser context, a warm
server: the first visit of each server is not counted) the first and last websocket message and the
time to idle after navigation start (once the page's content is shown: ``bench_cold_views.CONTENT``,
by the page of ``--path``), the websocket bytes received, chromium's own ``ScriptDuration``,
``LayoutDuration`` and ``RecalcStyleDuration`` (CDP ``Performance.getMetrics``), the DOM node count and
the page's Streamlit elements by ``data-testid`` (markdown, tooltips, multiselects...). Medians over
``--runs`` visits; the servers (a bare one-line page and each ``--app-dir``) are visited in turn in
every round, so an A/B is measured under the same load. The DOM counts are exact and the ones to
compare first; the seconds are upper bounds on a busy machine.
"""

from __future__ import annotations

import argparse
import collections
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.bench_cold_views import BARE_PAGE, BARE_TEXT, CONTENT, QUIET_S, load, start  # noqa: E402
from components.navigation import existing_pages  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, stop_server  # noqa: E402
from tests.e2e.pages import wait_until_idle  # noqa: E402

DEFAULT_URL = f"sqlite:///{REPO / 'var' / 'bench_cold_10000.db'}"
METRICS = ("ScriptDuration", "LayoutDuration", "RecalcStyleDuration", "Nodes")
COUNT_TESTIDS = """() => {
  const counts = {};
  for (const el of document.querySelectorAll('[data-testid]')) {
    const id = el.getAttribute('data-testid');
    counts[id] = (counts[id] || 0) + 1;
  }
  return counts;
}"""


def content_of(path: str) -> str | None:
    """The content selector of the page ``path`` opens ("/recommendation-register?as=..."; "/" the
    first page), ``None`` for a page without one (then the visit waits for idle only)."""
    url_path = path.partition("?")[0].strip("/")
    pages = existing_pages()
    stem = pages[0].stem if not url_path else next((p.stem for p in pages if p.url_path == url_path), None)
    return CONTENT.get(stem)


def visit(browser, url: str, content: str | None) -> dict:
    """One visit in a fresh browser context: timings from navigation start, bytes, chromium's metrics.
    ``content`` (a selector) is waited for before the page may count as idle."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        marks: dict = {"bytes": 0}
        started = time.perf_counter()

        def on_socket(socket) -> None:
            def received(payload) -> None:
                now = time.perf_counter() - started
                marks.setdefault("first message (s)", now)
                marks["last message (s)"] = now
                marks["bytes"] += len(payload)

            socket.on("framereceived", received)

        page.on("websocket", on_socket)
        page.goto(url, wait_until="commit")
        if content:
            page.wait_for_selector(content, state="visible", timeout=900_000)
        wait_until_idle(page, timeout_s=900)
        marks["idle (s)"] = time.perf_counter() - started - QUIET_S
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        marks.update({name: metrics[name] for name in METRICS})
        marks["elements"] = page.evaluate(COUNT_TESTIDS)
        return marks
    finally:
        context.close()


def summary(visits: list[dict]) -> dict:
    keys = ("first message (s)", "last message (s)", "idle (s)", "bytes", *METRICS)
    return {k: statistics.median(v[k] for v in visits) for k in keys}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--app-dir", action="append", type=Path, help="a checkout to serve (repeat for A/B)")
    parser.add_argument("--path", default="/", help="the page's URL path and query, e.g. '/?as=country:AFG'")
    parser.add_argument("--runs", type=int, default=6)
    args = parser.parse_args()
    app_dirs = [d.resolve() for d in (args.app_dir or [REPO])]

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        work = Path(folder)
        (work / "bare.py").write_text(BARE_PAGE)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        servers = {"bare page": (start(work, args.database_url, "bare.py", work / "bare.log"), "/", BARE_TEXT)}
        for i, app_dir in enumerate(app_dirs):
            name = f"{chr(65 + i)}: {app_dir}" if len(app_dirs) > 1 else str(app_dir)
            server = start(app_dir, args.database_url, "app.py", work / f"app{i}.log")
            servers[name] = (server, args.path, content_of(args.path))
        try:
            for server, path, content in servers.values():  # the first visit warms each server: not counted
                visit(browser, server.url + path, content)
            visits: dict[str, list[dict]] = collections.defaultdict(list)
            for _ in range(args.runs):
                for name, (server, path, content) in servers.items():
                    visits[name].append(visit(browser, server.url + path, content))
        finally:
            for server, _, _ in servers.values():
                stop_server(server)
            browser.close()

    shown = content_of(args.path) or "idle only (no content selector for this page)"
    print(f"{args.path}, {args.runs} visits each (medians), content: {shown}, {load()}")
    columns = list(summary(visits["bare page"]))
    print("| server | " + " | ".join(columns) + " |")
    print("|---|" + "---:|" * len(columns))
    for name, seen in visits.items():
        row = summary(seen)
        cells = (f"{row[c]:,.2f}" if c.endswith("(s)") or "Duration" in c else f"{row[c]:,.0f}" for c in columns)
        print(f"| {name} | " + " | ".join(cells) + " |")
    print("\nStreamlit elements by data-testid (last visit; those present more than twice on any server):")
    counts = {name: seen[-1]["elements"] for name, seen in visits.items()}
    testids = sorted({t for c in counts.values() for t, n in c.items() if n > 2})
    print("| data-testid | " + " | ".join(counts) + " |")
    print("|---|" + "---:|" * len(counts))
    for testid in testids:
        print(f"| {testid} | " + " | ".join(str(c.get(testid, 0)) for c in counts.values()) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
