"""serve.py imports every module the pages import through, before the server listens."""

from __future__ import annotations

import sys
from pathlib import Path

import serve

REPO = Path(__file__).resolve().parent.parent


def test_preload_imports_every_module_of_the_packages_pages_use() -> None:
    names = serve.preload()
    expected = {
        f"{package}.{path.stem}"
        for package in serve.PRELOADED
        for path in (REPO / package).glob("*.py")
        if path.stem != "__init__"
    }
    assert set(names) == expected
    assert all(name in sys.modules for name in expected)
    # the heavy libraries a page needs are among what the first visitor no longer waits for
    assert {"pandas", "sqlalchemy", "plotly.graph_objects"} <= set(sys.modules)


def test_the_server_starts_with_the_pages_folder_discovery_off(monkeypatch) -> None:
    """Streamlit's legacy ``pages/`` discovery is off before the first session: a deep link's first
    run starts in app.py, never in a navigation that answers "Page not found" (docs/pages.md)."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)  # a process that served nobody
    monkeypatch.setattr(serve, "preload", list)
    monkeypatch.setattr(sys, "argv", list(sys.argv))  # serve.main sets streamlit's command line
    seen = {}

    def streamlit_main() -> int:
        seen["flag"] = PagesManager.uses_pages_directory
        return 0

    monkeypatch.setattr(cli, "main", streamlit_main)
    assert serve.main([]) == 0
    assert seen == {"flag": False}
    # the first session's pages manager (app.py beside pages/) keeps it off
    PagesManager(str(REPO / "app.py"))
    assert PagesManager.uses_pages_directory is False
