"""A link pasted in an email opens that page and view, with no "Page not found" dialog, in a new
browser session: as the very first requests of a freshly started server (several at once) and on a
server that already served others; and the view stays when moving to another page.

The server is started as ``make run`` starts it (``serve.py``, which switches off Streamlit's legacy
``pages/`` discovery before serving: ``components.navigation.ignore_pages_folder``, docs/pages.md).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import pytest

from components.navigation import url_path_of
from tests.e2e.conftest import seeded_sqlite, start_server, stop_server
from tests.e2e.pages import error_texts, wait_until_idle

pytestmark = pytest.mark.e2e

KENYA = "Chief of mission, Kenya"


@dataclass(frozen=True)
class Link:
    path: str  # URL path and query string
    title: str  # the page's heading
    shows: str  # text of the main area that says the view (who, date, project)
    tab: str | None = None  # the open tab a ``tab=`` names


@pytest.fixture
def fresh_server(tmp_path):
    database = tmp_path / "sample.db"
    server = start_server(seeded_sqlite(database, projects=40), tmp_path / "streamlit.log")
    with sqlite3.connect(database) as connection:  # a project a Kenya link may open
        (kenya_project,) = connection.execute(
            "SELECT p.code FROM projects p JOIN country_offices o ON o.id = p.managing_office_id "
            "JOIN countries c ON c.id = o.country_id WHERE c.iso3 = 'KEN' ORDER BY p.code"
        ).fetchone()
    yield server, kenya_project
    stop_server(server)


def deep_links(kenya_project: str) -> list[Link]:
    return [
        Link(f"{url_path_of('off_track')}?as=country:KEN", "Off-track indicators", KENYA),
        Link(f"{url_path_of('project')}?as=country:KEN&project={kenya_project}", "Project", kenya_project),
        Link(f"{url_path_of('finance')}?as=org&as_of=2026-01-31", "Finance", "as of 31 Jan 2026"),
        Link(f"{url_path_of('portfolio')}?as=country:KEN&tab=Map", "Portfolio", KENYA, tab="Map"),
    ]


def check_opened(page, link: Link) -> None:
    """The page and view the link names, the link kept in the address bar, no dialog or error."""
    wait_until_idle(page, timeout_s=180)
    assert "Page not found" not in page.locator("body").inner_text(), link.path
    assert page.locator('[role="dialog"]').count() == 0, link.path
    assert page.locator("h1").first.inner_text() == link.title, link.path
    assert link.shows in page.locator('[data-testid="stMain"]').inner_text(), link.path
    if link.tab:
        assert page.locator('[role="tab"][aria-selected="true"]').first.inner_text() == link.tab
    kept = set(parse_qsl(urlsplit(page.url).query))
    assert set(parse_qsl(urlsplit(link.path).query)) <= kept, (link.path, page.url)
    assert error_texts(page) == [], link.path


def test_deep_links_open_their_page_and_view_without_a_dialog(browser, fresh_server, screenshots):
    server, kenya_project = fresh_server
    links = deep_links(kenya_project)
    # the server's very first requests, at once: every session starts while no run has reached
    # app.py yet (the window where Streamlit's pages/ discovery said "Page not found"). Links of
    # today's view only: two first readers of two dates not yet evaluated on one SQLite file wait on
    # each other's write (docs/pages.md); the dated link comes with the second round.
    first = [link for link in links if "as_of=" not in link.path]
    contexts = [browser.new_context(viewport={"width": 1440, "height": 1200}) for _ in first]
    try:
        pages = [context.new_page() for context in contexts]
        for page, link in zip(pages, first, strict=True):
            page.goto(f"{server.url}/{link.path}", wait_until="commit")
        for page, link in zip(pages, first, strict=True):
            check_opened(page, link)
        pages[0].screenshot(path=str(screenshots / "deep-link-first-request.png"), full_page=True)

        # the view stays when moving to another page from the menu (the first session of the server)
        pages[0].locator('[data-testid="stSidebarNavLink"]', has_text="Finance").click()
        pages[0].wait_for_url(f"**/{url_path_of('finance')}**")
        check_opened(pages[0], Link(f"{url_path_of('finance')}?as=country:KEN", "Finance", KENYA))
        assert f"Viewing as {KENYA}" in pages[0].locator('[data-testid="stSidebar"]').inner_text()
    finally:
        for context in contexts:
            context.close()

    # the same links, each in a new session of a server that has served others
    for link in links:
        context = browser.new_context(viewport={"width": 1440, "height": 1200})
        try:
            page = context.new_page()
            page.goto(f"{server.url}/{link.path}", wait_until="domcontentloaded")
            check_opened(page, link)
        finally:
            context.close()
