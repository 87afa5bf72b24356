"""The Off-track, Finance, Risks, Project and Cross-cutting pages run only the open tab
(``components.lazy_tabs``): their first view sends no chart (a chart's JavaScript costs a fresh
browser about a second), each tab shows its content when clicked, with its name in the URL, and a
link with ``?tab=`` opens that tab.
Each tab leaves a screenshot in artifacts/screenshots/ for a person to look at."""

from __future__ import annotations

import urllib.parse

import pytest

from components.navigation import url_path_of
from tests.e2e.pages import error_texts, wait_until_idle

pytestmark = pytest.mark.e2e

CHART = '[data-testid="stPlotlyChart"]'
# the tabs that draw a chart on the sample portfolio (the others hold tables, lists and forms)
CHART_TABS = {
    "off_track": {"By country"},
    "finance": {"Burn against time", "Forecast at close", "By donor", "By country"},
    "risks": {"Flags by severity, country and flag", "Risk heatmap"},
    "project": {"Indicator charts", "Financials", "Risks"},
    "cross_cutting": {
        "Gender and other markers",
        "Accountability to affected populations",
        "Sex and age disaggregation",
    },
}


def _tab_in(url: str) -> str | None:
    return next(iter(urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).get("tab", [])), None)


@pytest.mark.parametrize("stem", list(CHART_TABS))
def test_each_tab_runs_when_clicked(browser, sample_server, screenshots, stem):
    context = browser.new_context(viewport={"width": 1440, "height": 2400})
    page = context.new_page()
    try:
        page.goto(f"{sample_server.url}/{url_path_of(stem)}", wait_until="domcontentloaded")
        wait_until_idle(page)
        assert page.locator(CHART).count() == 0  # the first view: cards and what to act on
        names = page.get_by_role("tab").all_inner_texts()
        assert CHART_TABS[stem] <= set(names)
        for i, name in enumerate(names):
            if i:
                page.get_by_role("tab", name=name, exact=True).click()
                page.wait_for_url(lambda url, name=name: _tab_in(url) == name)
                wait_until_idle(page)
            assert error_texts(page) == [], name
            assert (page.locator(CHART).count() > 0) == (name in CHART_TABS[stem]), name
            page.screenshot(path=str(screenshots / f"tabs-{stem}-{i}-{name.split(',')[0].replace(' ', '-')}.png"))
    finally:
        context.close()


def test_a_link_opens_its_tab(browser, sample_server):
    context = browser.new_context(viewport={"width": 1440, "height": 1200})
    page = context.new_page()
    try:
        query = urllib.parse.urlencode({"tab": "Risk heatmap"})
        page.goto(f"{sample_server.url}/{url_path_of('risks')}?{query}", wait_until="domcontentloaded")
        wait_until_idle(page)
        assert error_texts(page) == []
        assert page.get_by_role("tab", name="Risk heatmap", exact=True).get_attribute("aria-selected") == "true"
        assert page.locator(CHART).count() == 1
    finally:
        context.close()
