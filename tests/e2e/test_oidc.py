"""Sign-in end to end: a real OpenID provider, ``st.login``, Debian's chromium, a chief of mission.

The test starts a local OpenID provider (npm ``oidc-provider``, pinned in tests/package.json,
installed by ``make node``; tests/e2e/oidc_provider.mjs) with the sample people as test users,
starts ``streamlit run app.py`` with an ``[auth]`` section pointing at it (a secrets file outside
the repository, passed with ``--secrets.files``), and drives chromium through the provider's login
form as a chief of mission. Signed in, it opens every page and every tab, opens a project from the
Portfolio table, follows a link carrying ``as=org``, downloads every table, and asserts that no
project code or country outside the chief's scope appears in any page text or downloaded file and
that the Portfolio's project count is theirs; then it signs out and is asked to sign in again.
Screenshots go to artifacts/screenshots/oidc-*.png.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select

from components.navigation import existing_pages, url_path_of
from data_access import models as m
from data_access import people
from data_access.db import dispose_engine, get_engine
from data_access.queries import readable_projects
from tests.e2e.conftest import REPO, Server, free_port, seeded_sqlite, stop_server
from tests.e2e.pages import error_texts, wait_until_idle
from tests.environment import CI

pytestmark = pytest.mark.e2e

NODE_MODULES = REPO / "tests" / "node_modules" / "oidc-provider"
PROVIDER = REPO / "tests" / "e2e" / "oidc_provider.mjs"
CLIENT_SECRET = "e2e-only-not-a-secret"
CODE = re.compile(r"\b[A-Z]{2}\.\d{4}\b")
PROJECTS = 60


def _need(condition: bool, reason: str) -> None:
    if not condition:
        if CI:
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)


def _wait_for(url: str, process: subprocess.Popen, log: Path, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout_s} s: {log.read_text()[-2000:]}")


class World:
    """The seeded database, the chief of mission signing in and what they may see."""

    def __init__(self, url: str):
        engine = get_engine(url)
        try:
            rows = [r for r in people.accesses(engine) if r.active]
            chiefs = [r.email for r in rows if r.role == "chief_of_mission"]
            with engine.connect() as connection:
                every = set(connection.scalars(select(m.Project.code)))
                best = None
                for email in chiefs:  # the chief of the office reading the most projects, but not all
                    scope = people.resolve(engine, email)
                    ids = readable_projects(scope)
                    codes = set(connection.scalars(select(m.Project.code).where(m.Project.id.in_(ids))))
                    if len(people.accesses(engine, email)) == 1 and (best is None or len(codes) > len(best[1])):
                        best = (email, codes, scope)
                self.email, self.codes, self.scope = best
                ids = readable_projects(self.scope)
                self.active = set(
                    connection.scalars(
                        select(m.Project.code).where(m.Project.id.in_(ids), m.Project.status == "active")
                    )
                )
                managing = select(m.CountryOffice.country_id).join(
                    m.Project, m.Project.managing_office_id == m.CountryOffice.id
                )
                implementing = select(m.ProjectCountry.country_id)
                visible_ids = set(connection.scalars(managing.where(m.Project.id.in_(ids))))
                visible_ids |= set(connection.scalars(implementing.where(m.ProjectCountry.project_id.in_(ids))))
                names = dict(connection.execute(select(m.Country.id, m.Country.name)).all())
                used = set(connection.scalars(managing)) | set(connection.scalars(implementing))
        finally:
            dispose_engine(engine)
        self.users = {r.email: r.name for r in rows}
        self.outside_codes = every - self.codes
        self.allowed_countries = sorted((names[i] for i in visible_ids), key=len, reverse=True)
        self.outside_countries = sorted(names[i] for i in used - visible_ids)
        assert self.outside_codes and self.outside_countries

    def leaks(self, text: str) -> list[str]:
        """Project codes and country names outside the scope found in ``text``."""
        found = sorted(set(CODE.findall(text)) & self.outside_codes)
        for name in self.allowed_countries:  # "Guinea" inside an allowed "Guinea-Bissau" is no leak
            text = text.replace(name, "")
        found += [name for name in self.outside_countries if re.search(rf"\b{re.escape(name)}\b", text)]
        return found


@contextmanager
def oidc_app(folder: Path, projects: int = PROJECTS, extra_users: dict | None = None) -> Iterator[tuple[Server, World]]:
    """A seeded database, the provider (users: the sample people and ``extra_users``, email -> name)
    and the app signing in through it; both stopped on exit."""
    node = shutil.which("node")
    world = World(seeded_sqlite(folder / "sample.db", projects=projects))
    database = f"sqlite:///{folder / 'sample.db'}"
    provider_port, app_port = free_port(), free_port()
    redirect = f"http://127.0.0.1:{app_port}/oauth2callback"
    provider_log = folder / "provider.log"
    provider = subprocess.Popen(
        [node, str(PROVIDER)],
        cwd=REPO / "tests",
        env={
            **os.environ,
            "OIDC_PORT": str(provider_port),
            "OIDC_REDIRECT_URI": redirect,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_USERS": json.dumps({**world.users, **(extra_users or {})}),
        },
        stdout=provider_log.open("w"),
        stderr=subprocess.STDOUT,
    )
    metadata = f"http://127.0.0.1:{provider_port}/.well-known/openid-configuration"
    app_log = folder / "streamlit.log"
    app = None
    try:
        _wait_for(metadata, provider, provider_log)
        secrets = folder / "secrets.toml"
        secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "{redirect}"\n'
            f'cookie_secret = "{CLIENT_SECRET}-cookie"\n'
            'client_id = "dashboard"\n'
            f'client_secret = "{CLIENT_SECRET}"\n'
            f'server_metadata_url = "{metadata}"\n'
            'client_kwargs = { prompt = "login" }\n',
            encoding="utf-8",
        )
        app = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(app_port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
                "--secrets.files",
                str(secrets),
            ],
            cwd=REPO,
            env={**os.environ, "DATABASE_URL": database, "DASHBOARD_REQUIRE_SIGN_IN": "1"},
            stdout=app_log.open("w"),
            stderr=subprocess.STDOUT,
        )
        _wait_for(f"http://127.0.0.1:{app_port}/_stcore/health", app, app_log)
        yield Server(f"http://127.0.0.1:{app_port}", app, app_log), world
    finally:
        if app is not None:
            stop_server(Server("", app, app_log))
        provider.terminate()
        provider.wait(timeout=10)


@pytest.fixture(scope="module")
def signed_in_server(tmp_path_factory, browser) -> Iterator[tuple[Server, World]]:
    _need(shutil.which("node") is not None, "node missing: run `make node` (apt-get install nodejs npm)")
    _need(NODE_MODULES.exists(), "tests/node_modules missing: run `make node` (npm ci in tests/)")
    with oidc_app(tmp_path_factory.mktemp("e2e_oidc")) as served:
        yield served


def _sign_in(page, base_url: str, email: str) -> None:
    page.goto(base_url + "/", wait_until="domcontentloaded")
    wait_until_idle(page, timeout_s=120)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector('input[name="login"]', timeout=60_000)  # the provider's login form
    page.fill('input[name="login"]', email)
    page.fill('input[name="password"]', "any password: the development form checks none")
    page.click('button[type="submit"]')
    consent = page.locator('button[type="submit"]:has-text("Continue")')
    consent.wait_for(timeout=30_000)
    consent.click()
    page.wait_for_url(re.compile(rf"^{re.escape(base_url)}/?(\?.*)?$"), timeout=60_000)
    wait_until_idle(page, timeout_s=180)


def _text(page) -> str:
    return (
        page.locator('[data-testid="stMain"]').inner_text()
        + "\n"
        + page.locator('[data-testid="stSidebar"]').inner_text()
    )


def _downloads(page, folder: Path) -> dict[str, str]:
    """Click every download button of the page; the text of each file (CSV as is, Excel cell by cell)."""
    from openpyxl import load_workbook

    files = {}
    for button in page.locator('[data-testid="stDownloadButton"] button').all():
        inert = button.evaluate(
            "e => { const a = e.closest('[inert]'); return a ? (a.getAttribute('data-testid') || a.tagName) : null }"
        )
        if inert:  # in a tab not open now: downloaded when the test opens that tab
            continue
        if not button.is_visible():
            continue
        with page.expect_download(timeout=60_000) as info:
            button.click()
        download = info.value
        path = folder / download.suggested_filename
        download.save_as(path)
        if path.suffix == ".xlsx":
            book = load_workbook(io.BytesIO(path.read_bytes()), read_only=True)
            files[path.name] = "\n".join(
                " ".join("" if v is None else str(v) for v in row)
                for sheet in book
                for row in sheet.iter_rows(values_only=True)
            )
        else:
            files[path.name] = path.read_text(encoding="utf-8", errors="replace")
    return files


def test_a_chief_of_mission_signed_in_sees_only_their_scope(signed_in_server, browser, screenshots, tmp_path):
    server, world = signed_in_server
    context = browser.new_context(viewport={"width": 1440, "height": 2400}, accept_downloads=True)
    page = context.new_page()
    leaks: dict[str, list[str]] = {}
    downloaded = 0
    try:
        _sign_in(page, server.url, world.email)
        assert "No access yet" not in _text(page)
        assert world.email in _text(page)
        for spec in existing_pages():
            page.goto(f"{server.url}/{url_path_of(spec.stem)}", wait_until="domcontentloaded")
            wait_until_idle(page, timeout_s=180)
            assert error_texts(page) == [], spec.stem
            texts = [_text(page)]
            tabs = page.locator('[data-baseweb="tab"]').all()
            for tab in tabs:
                tab.click()
                wait_until_idle(page, timeout_s=120)
                texts.append(_text(page))
                files = _downloads(page, tmp_path)
                downloaded += len(files)
                leaks.update({f"{spec.stem}: {name}": world.leaks(body) for name, body in files.items()})
            if not tabs:
                files = _downloads(page, tmp_path)
                downloaded += len(files)
                leaks.update({f"{spec.stem}: {name}": world.leaks(body) for name, body in files.items()})
            leaks[f"{spec.stem} page"] = world.leaks("\n".join(texts))
            page.screenshot(path=str(screenshots / f"oidc-{spec.stem}.png"), full_page=True)
            if spec.stem == "portfolio":
                # the figures are theirs: active projects managed in the country + those managed elsewhere
                kpi = page.locator('[data-testid="stMetric"]').filter(has_text="Active projects").first
                elsewhere = re.search(r"(\d+) more managed elsewhere", texts[0])
                shown = int(kpi.inner_text().split()[-1]) + (int(elsewhere.group(1)) if elsewhere else 0)
                assert shown == len(world.active)

        # a project opened from the Portfolio table (first row's selection box of the status matrix)
        page.goto(f"{server.url}/", wait_until="domcontentloaded")
        wait_until_idle(page, timeout_s=180)
        grid = page.locator('[data-testid="stDataFrame"]').first
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 14, box["y"] + 35 + 17)
        page.wait_for_url(re.compile(r"/project-detail\?"), timeout=60_000)
        wait_until_idle(page, timeout_s=180)
        opened = re.search(r"project=([^&]+)", page.url).group(1)
        assert opened in world.codes
        leaks["project opened from the table"] = world.leaks(_text(page))
        page.screenshot(path=str(screenshots / "oidc-project-from-table.png"), full_page=True)

        # a link naming leadership's view is ignored
        page.goto(f"{server.url}/finances?as=org", wait_until="domcontentloaded")
        wait_until_idle(page, timeout_s=180)
        assert "The link named a view (org); it is ignored" in _text(page)
        assert "as=org" not in page.url
        leaks["finance with as=org"] = world.leaks(_text(page))
        page.screenshot(path=str(screenshots / "oidc-as-org-ignored.png"), full_page=True)

        assert downloaded >= 10
        assert {where: found for where, found in leaks.items() if found} == {}

        # signing out (here and at the provider, which asks to confirm) asks to sign in again
        page.get_by_role("button", name="Sign out").click()
        page.get_by_role("button", name="Yes, sign me out").click(timeout=60_000)
        page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
        assert not CODE.findall(_text(page))
        page.screenshot(path=str(screenshots / "oidc-signed-out.png"), full_page=True)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_selector('input[name="login"]', timeout=60_000)
    finally:
        context.close()
