"""The Portfolio map draws its countries with the network blocked: the topology is served by the
app itself (static/world_110m.json), never fetched from plotly's CDN."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from components.navigation import url_path_of
from tests.e2e.pages import error_texts, wait_until_idle

pytestmark = pytest.mark.e2e


def test_map_renders_with_no_internet(browser, sample_server, screenshots):
    context = browser.new_context(viewport={"width": 1440, "height": 1400})
    blocked: list[str] = []
    served: list[tuple[str, int]] = []

    def only_the_app(route):
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", only_the_app)
    page = context.new_page()
    page.on("response", lambda r: served.append((r.url, r.status)) if "world_110m" in r.url else None)
    try:
        # the map is the Portfolio's Map tab (run only when open): a link opens it with tab=Map
        page.goto(f"{sample_server.url}/{url_path_of('portfolio')}?tab=Map", wait_until="domcontentloaded")
        wait_until_idle(page)
        page.wait_for_selector("path.choroplethlocation", timeout=20_000)
        countries = page.locator("path.choroplethlocation").count()
        page.screenshot(path=str(screenshots / "offline-portfolio-map.png"), full_page=True)
        assert error_texts(page) == []
    finally:
        context.close()
    assert countries >= 5
    assert [status for url, status in served if url.endswith("/app/static/world_110m.json")] == [200]
    assert not [url for url in blocked if "topojson" in url or "world_110m" in url]
