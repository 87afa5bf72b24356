"""The browser-cost benchmark waits for each page's content, not only for quiet: Recommendations and
Visits read their data without a spinner, and a visit that ended at their heading measured ~12 kB."""

from __future__ import annotations

from benchmarks.bench_browser_cost import content_of
from benchmarks.bench_cold_views import CONTENT, KPI, TABLE
from components.navigation import PAGES


def test_every_content_selector_names_a_page():
    assert set(CONTENT) <= {spec.stem for spec in PAGES}


def test_a_path_finds_its_page_content():
    assert content_of("/") == KPI
    assert content_of("/?as=country:KEN") == KPI
    assert content_of("/recommendation-register") == TABLE
    assert content_of("/monitoring-visits?as=region:RO-NAI") == TABLE
    assert content_of("/data-import") is None
