"""Serve the dashboard: ``streamlit run app.py`` with the application already imported.

Why: Streamlit imports a page's modules when the first session runs it, so the first visitor after
every start (a deployment, a restart, a new server process behind the proxy) waited for pandas,
SQLAlchemy, plotly and this application's packages to be imported: about 3 s of CPU at 10,000
projects, more than the page's own reading and drawing (docs/speed.md). Imported here, before the
server listens, they are in ``sys.modules`` when app.py and the pages run, and the first visitor
pays only for their data. The configured database's engine is created here too (its driver and
dialect are imported then: 0.37 s for PostgreSQL's), without connecting. Nothing is read from the
database here, and no cache is filled: what a person may see is decided per session, as always
(``components.identity``).

Run: ``python serve.py [streamlit run options]`` (``make run`` does), e.g. ``--server.port 8501``.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import sys
from pathlib import Path

from components.navigation import ignore_pages_folder
from data_access import db

PRELOADED = ("components", "monitoring")  # every page's imports go through these packages


def _no_runtime_yet(record: logging.LogRecord) -> bool:
    """False for st.cache_data's warning that it was declared before the server's runtime exists."""
    return "No runtime found" not in record.getMessage()


def preload() -> list[str]:
    """Import every module of :data:`PRELOADED` (and so what they import); their names."""
    names = []
    # st.cache_data checks its arguments when a module is imported and warns that no runtime exists
    # yet (43 lines on every start); the cache itself is created at the first call, inside the runtime
    # started below. A filter, not a level: Streamlit resets its loggers' levels when it first reads
    # its configuration, which one of these imports does.
    cache_logger = logging.getLogger("streamlit.runtime.caching.cache_data_api")
    cache_logger.addFilter(_no_runtime_yet)
    try:
        for package in PRELOADED:
            module = importlib.import_module(package)
            for info in pkgutil.iter_modules(module.__path__):
                names.append(f"{package}.{info.name}")
                importlib.import_module(names[-1])
    finally:
        cache_logger.removeFilter(_no_runtime_yet)
    return names


def main(argv: list[str]) -> int:
    preload()
    db.get_engine()  # the pages' engine (``loaders.engine_for`` of the same URL): created, not connected
    ignore_pages_folder()  # deep links open without a "Page not found" dialog (components/navigation.py)
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(Path(__file__).resolve().parent / "app.py"), *argv]
    return cli.main()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
