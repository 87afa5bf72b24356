"""Entry on the page in a real browser: a programme manager reports an actual on the Project page.

Its own server on its own small sample database (the session's sample server is shared by tests
that only read). Screenshots of the form, the saved value with its history, a refused text and a
read-only view go to artifacts/screenshots/ (``entry-*.png``) for a person to look at.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access import models as m
from data_access.db import dispose_engine, get_engine
from tests.e2e.conftest import Server, _served, seeded_sqlite
from tests.e2e.pages import error_texts, wait_until_idle
from tests.test_pages_actual_entry import SEEDED, Period, _read_only_project, _reported_periods, _versions

pytestmark = pytest.mark.e2e
IDLE_S = 240  # a shared two-core machine under load takes minutes for a first project view


@pytest.fixture(scope="module")
def entry_server(tmp_path_factory, browser) -> Iterator[Server]:
    yield from _served(tmp_path_factory, browser, "entry", lambda path: seeded_sqlite(path, projects=24, today=SEEDED))


def _database_url(server: Server) -> str:
    return f"sqlite:///{server.log.parent / 'entry.db'}"


def _manager(url: str, code: str) -> str:
    engine = get_engine(url)
    try:
        with Session(engine) as session:
            return session.scalar(select(m.Project.manager).where(m.Project.code == code))
    finally:
        dispose_engine(engine)


def _choose(page, label: str, option_start: str) -> None:
    """Pick the option of the visible selectbox ``label`` whose text starts with ``option_start``."""
    page.get_by_label(label).locator("visible=true").first.click()
    page.get_by_role("option").filter(has_text=option_start).first.click()
    wait_until_idle(page, timeout_s=IDLE_S)


def _open_entry(browser, server: Server, period: Period, manager: str):
    context = browser.new_context(viewport={"width": 1440, "height": 2600})
    page = context.new_page()
    query = urllib.parse.urlencode({"as": f"manager:{manager}", "project": period.project})
    page.goto(f"{server.url}/project-detail?{query}", wait_until="domcontentloaded")
    wait_until_idle(page, timeout_s=IDLE_S)
    page.get_by_role("tab", name="Report an actual").click()
    wait_until_idle(page, timeout_s=IDLE_S)
    _choose(page, "Indicator to report", f"{period.indicator} ·")
    _choose(page, "Reporting period", f"{period.start} – {period.end} ·")
    return context, page


def _save(page, value: str, outcome: str) -> None:
    """Type ``value`` as the actual, save, and wait for the message starting with ``outcome``."""
    field = page.locator('[data-testid="stTextInput"]').filter(has_text="Actual").locator("input").first
    field.fill(value)
    page.get_by_role("button", name="Save the actual").click()
    page.locator('[data-testid="stAlert"]').filter(has_text=outcome).first.wait_for(timeout=IDLE_S * 1000)
    wait_until_idle(page, timeout_s=IDLE_S)


def test_a_programme_manager_reports_and_corrects_an_actual(browser, entry_server, screenshots):
    url = _database_url(entry_server)
    # a sex-and-age indicator: the screenshots show every field the form can have
    period = next(p for p in _reported_periods(url) if p.disaggregation == "sex_age")
    context, page = _open_entry(browser, entry_server, period, _manager(url, period.project))
    try:
        page.screenshot(path=str(screenshots / "entry-form.png"), full_page=True)
        _save(page, "twelve", "Not saved: nothing was written")
        assert any("Not saved: nothing was written" in text for text in error_texts(page))
        page.screenshot(path=str(screenshots / "entry-refused.png"), full_page=True)
        assert len(_versions(url, period)) == 1
        new = int(period.value) + 5
        _save(page, str(new), f"The actual of {period.indicator} for ")
        main = page.locator('[data-testid="stMain"]').inner_text()
        assert f"The actual of {period.indicator} for {period.start} – {period.end} saved" in main
        assert error_texts(page) == []
        page.screenshot(path=str(screenshots / "entry-saved.png"), full_page=True)
        assert [v[1:3] for v in _versions(url, period)] == [(period.value, False), (new, True)]
        assert f"Reported now: {new} " in page.locator('[data-testid="stMain"]').inner_text()
    finally:
        context.close()


def test_a_chief_of_mission_reading_another_office_project_sees_no_form(browser, entry_server, screenshots):
    url = _database_url(entry_server)
    email, code = _read_only_project(url)
    country = email.split("@")[0].removeprefix("com.").upper()  # com.<iso3>@example.org (sample_data/people.py)
    context = browser.new_context(viewport={"width": 1440, "height": 1200})
    page = context.new_page()
    try:
        query = urllib.parse.urlencode({"as": f"country:{country}", "project": code})
        page.goto(f"{entry_server.url}/project-detail?{query}", wait_until="domcontentloaded")
        wait_until_idle(page, timeout_s=IDLE_S)
        page.get_by_role("tab", name="Report an actual").click()
        wait_until_idle(page, timeout_s=IDLE_S)
        assert page.get_by_role("button", name="Save the actual").count() == 0
        assert "not report its actuals" in page.locator('[data-testid="stMain"]').inner_text()
        page.screenshot(path=str(screenshots / "entry-read-only.png"), full_page=True)
    finally:
        context.close()
