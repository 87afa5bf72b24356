"""The Data page's pre-filled workbook of reports due, downloaded in a real browser (issue 16).

The button builds the workbook only when clicked (a callable given to ``st.download_button``): the
test clicks it as a programme manager of the sample portfolio (the demo's ``as=manager:<name>``),
reads the file the browser receives and finds exactly the reports ``report due`` lists for that
person as of today. A screenshot of the page is kept (``artifacts/screenshots/data-reports-due.png``).
"""

from __future__ import annotations

import datetime as dt
import urllib.parse

import openpyxl
import pytest
from sqlalchemy import select

from data_access import models as m
from data_access.commands.report import due_report
from data_access.db import dispose_engine, get_engine
from data_access.queries import load_portfolio
from data_access.scope import PortfolioFilter, Scope
from monitoring.settings import Settings
from tests.e2e.pages import error_texts, wait_until_idle

pytestmark = pytest.mark.e2e


def _manager_with_reports_due(database_url: str) -> tuple[str, int]:
    """A programme manager of the sample with reports due today, and how many (``report due``)."""
    engine = get_engine(database_url)
    try:
        with engine.connect() as connection:
            managers = sorted(set(connection.scalars(select(m.Project.manager).where(m.Project.manager.is_not(None)))))
        today = dt.date.today()
        for name in managers:
            scope = Scope.by_project("e2e", managers=(name,))
            due = due_report(load_portfolio(engine, scope, PortfolioFilter(as_of=today)), today, Settings())
            if len(due) >= 2:
                return name, len(due)
    finally:
        dispose_engine(engine)
    raise AssertionError("no programme manager of the sample has reports due")


def test_the_data_page_downloads_the_reports_due_pre_filled(browser, sample_server, screenshots, tmp_path):
    name, due = _manager_with_reports_due(f"sqlite:///{sample_server.log.parent / 'sample.db'}")
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    try:
        page = context.new_page()
        page.goto(f"{sample_server.url}/data-import?as={urllib.parse.quote(f'manager:{name}')}")
        wait_until_idle(page)
        assert error_texts(page) == []
        button = page.locator('[data-testid="stDownloadButton"] button', has_text="reports due, pre-filled").first
        page.screenshot(path=str(screenshots / "data-reports-due.png"))
        with page.expect_download(timeout=120_000) as download:
            button.click()
        path = tmp_path / "due.xlsx"
        download.value.save_as(path)
    finally:
        context.close()
    assert download.value.suggested_filename == f"reports-due-{dt.date.today().isoformat()}.xlsx"
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames[:4] == ["instructions", "results", "indicators", "periods"]
    assert workbook["instructions"]["A1"].value.startswith(f"Reports due · Programme manager, {name} · as of ")
    assert workbook["periods"].max_row - 1 == due
