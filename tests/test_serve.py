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
