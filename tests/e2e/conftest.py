"""Browser fixtures: the app as ``make run`` serves it (``python serve.py``, i.e. ``streamlit run app.py``
with the application preloaded) on a free port, driven by Debian's chromium.

Two servers per session: one on a seeded temporary SQLite database (the sample portfolio,
``data_access.seed.seed_database``), one on an empty migrated database. Each server is a separate
process with its own ``DATABASE_URL``; it is stopped (by its own process id) at the end.

Chromium is Debian's (``/usr/bin/chromium``, ``make chromium`` installs it), never a downloaded
build, launched headless with the background-networking features off so that the only requests
are the app's own. Screenshots go to ``artifacts/screenshots/`` (git-ignored).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.environment import CI

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SAMPLE_PROJECTS = 150
SAMPLE_SEED = 7


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path


def start_server(database_url: str, log: Path, script: str | None = None) -> Server:
    """The app as ``make run`` serves it (``serve.py``), or ``streamlit run script``, on a free port
    with ``DATABASE_URL``; waits until it answers."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url}
    handle = log.open("w")
    command = ["serve.py"] if script is None else ["-m", "streamlit", "run", script]
    process = subprocess.Popen(
        [
            sys.executable,
            *command,
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=REPO,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as answer:
                if answer.status == 200:
                    return Server(url, process, log)
        except OSError:
            time.sleep(0.3)
    stop_server(Server(url, process, log))
    raise RuntimeError(f"streamlit did not answer within 60 s: {log.read_text()[-2000:]}")


def warm_up(server: Server, browser, timeout_s: float = 120) -> None:
    """Open the app once at its root, as its first visitor would, so that the first test does not
    pay for the first run (its caches, Streamlit's own start-up) within its time limits."""
    from tests.e2e.pages import wait_until_idle

    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(server.url + "/", wait_until="domcontentloaded")
        wait_until_idle(page, timeout_s=timeout_s)
    finally:
        context.close()


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


def migrated_sqlite(path: Path) -> str:
    from data_access.db import dispose_engine, get_engine, upgrade

    url = f"sqlite:///{path}"
    engine = get_engine(url)
    upgrade(engine)
    dispose_engine(engine)
    return url


def seeded_sqlite(
    path: Path, projects: int = SAMPLE_PROJECTS, seed: int = SAMPLE_SEED, today: dt.date | None = None
) -> str:
    from data_access.db import dispose_engine, get_engine
    from data_access.seed import seed_database

    url = migrated_sqlite(path)
    engine = get_engine(url)
    seed_database(engine, projects=projects, seed=seed, today=today or dt.date.today())
    dispose_engine(engine)
    return url


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        reason = f"{CHROMIUM} missing: run `make chromium` (apt-get install chromium)"
        if CI:
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _served(tmp_path_factory: pytest.TempPathFactory, browser, name: str, make_db) -> Iterator[Server]:
    """A warmed-up server on a fresh database made by ``make_db(path)``, stopped after the session."""
    folder = tmp_path_factory.mktemp(f"e2e_{name}")
    server = start_server(make_db(folder / f"{name}.db"), folder / "streamlit.log")
    warm_up(server, browser)
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def sample_server(tmp_path_factory: pytest.TempPathFactory, browser) -> Iterator[Server]:
    yield from _served(tmp_path_factory, browser, "sample", seeded_sqlite)


@pytest.fixture(scope="session")
def empty_server(tmp_path_factory: pytest.TempPathFactory, browser) -> Iterator[Server]:
    yield from _served(tmp_path_factory, browser, "empty", migrated_sqlite)


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
