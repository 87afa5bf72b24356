"""serve.py imports every module the pages import through, before the server listens."""

from __future__ import annotations

import subprocess
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


def test_preloading_prints_no_warning() -> None:
    """Each st.cache_data declared before the runtime exists warned "No runtime found" (43 lines on
    every ``make run``, before the server's own address); a fresh process imports them quietly, and
    the filter that quiets them is gone afterwards."""
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import logging, serve; serve.preload(); "
            "print(len(logging.getLogger('streamlit.runtime.caching.cache_data_api').filters))",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "No runtime found" not in run.stderr
    assert run.stdout.strip() == "0"


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


def test_the_configured_database_engine_exists_before_the_first_session(monkeypatch, tmp_path) -> None:
    """The first visitor does not wait for the database driver's import (0.37 s for PostgreSQL's):
    the engine the pages use (``db.get_engine`` of the configured URL) is created before the server
    starts, without a connection (nothing is read)."""
    from streamlit.web import cli

    from data_access import db

    url = f"sqlite:///{tmp_path / 'served.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr(serve, "preload", list)
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    seen = {}

    before = set(db._engines)

    def streamlit_main() -> int:
        seen["created"] = set(db._engines) - before  # when the server starts, before any session
        engine = db.get_engine(url)
        seen["connections"] = engine.pool.checkedin() + engine.pool.checkedout()
        return 0

    monkeypatch.setattr(cli, "main", streamlit_main)
    assert serve.main([]) == 0
    assert seen == {"created": {db.normalise_url(url).render_as_string(hide_password=False)}, "connections": 0}
