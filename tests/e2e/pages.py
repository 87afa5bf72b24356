"""Helpers shared by the browser tests and benchmarks/bench_pages.py: open a page, wait for it."""

from __future__ import annotations

import time

ERROR_SELECTORS = ('[data-testid="stException"]', '[data-testid="stAlertContentError"]')


def wait_until_idle(page, timeout_s: float = 60.0) -> None:
    """Wait until the main area shows something and no script run (status widget), placeholder
    (skeleton) or cache spinner has been seen for 0.6 s."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_s * 1000)
    page.wait_for_selector('[data-testid="stMain"]', timeout=timeout_s * 1000)
    deadline = time.monotonic() + timeout_s
    quiet_since = None
    main = page.locator('[data-testid="stMain"]')
    while time.monotonic() < deadline:
        running = (
            any(
                page.locator(f'[data-testid="{test_id}"]').count() > 0
                for test_id in ("stStatusWidget", "stSkeleton", "stSpinner")
            )
            or not main.inner_text().strip()
        )
        if running:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > 0.6:
            return
        time.sleep(0.1)
    raise TimeoutError(f"page {page.url} still running after {timeout_s} s")


def error_texts(page) -> list[str]:
    """Text of every exception or error alert on the page."""
    texts = []
    for selector in ERROR_SELECTORS:
        for element in page.locator(selector).all():
            texts.append(element.inner_text()[:500])
    return texts
