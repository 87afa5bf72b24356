"""Every registered page opens in a real browser on the sample and on an empty database, shows no
error element, and leaves a screenshot in artifacts/screenshots/ for a person to look at."""

from __future__ import annotations

import pytest

from components.navigation import existing_pages, url_path_of
from tests.e2e.pages import error_texts, wait_until_idle

pytestmark = pytest.mark.e2e

PAGES = existing_pages()


def _visit(browser, base_url: str, url_path: str, screenshot):
    # tall enough for the whole page: Streamlit scrolls inside its main block, not the document
    context = browser.new_context(viewport={"width": 1440, "height": 3200})
    page = context.new_page()
    try:
        page.goto(f"{base_url}/{url_path}", wait_until="domcontentloaded")
        wait_until_idle(page)
        page.screenshot(path=str(screenshot), full_page=True)
        return error_texts(page), page.locator('[data-testid="stMain"]').inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("spec", PAGES, ids=[p.stem for p in PAGES])
def test_page_on_sample_portfolio(browser, sample_server, screenshots, spec):
    errors, text = _visit(browser, sample_server.url, url_path_of(spec.stem), screenshots / f"sample-{spec.stem}.png")
    assert errors == []
    assert text.strip()


@pytest.mark.parametrize("spec", PAGES, ids=[p.stem for p in PAGES])
def test_page_on_empty_database(browser, empty_server, screenshots, spec):
    errors, text = _visit(browser, empty_server.url, url_path_of(spec.stem), screenshots / f"empty-{spec.stem}.png")
    assert errors == []
    assert text.strip()


@pytest.mark.parametrize(("width", "height"), [(1440, 900), (1280, 800)])
@pytest.mark.parametrize("stem", ["portfolio", "project"])
def test_screen_sizes_for_people_to_check(browser, sample_server, screenshots, stem, width, height):
    """Screenshots at common laptop sizes: a person checks that the decisive columns of the status
    matrix and the results matrix are on screen without scrolling (the table is drawn on a canvas,
    so its visible columns cannot be read from the page)."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        page.goto(f"{sample_server.url}/{url_path_of(stem)}", wait_until="domcontentloaded")
        wait_until_idle(page)
        # the table itself, scrolled into view inside Streamlit's main block
        page.locator('[data-testid="stDataFrame"]').first.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshots / f"w{width}-{stem}.png"))
        assert error_texts(page) == []
    finally:
        context.close()
