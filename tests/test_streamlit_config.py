"""The settings of .streamlit/config.toml that hardening relies on (issue 10, docs/hardening.md)."""

from __future__ import annotations

import tomllib

from tests.pages_apptest import REPO

CONFIG = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())


def test_the_tables_own_toolbar_cannot_export_unneutralised_formulas() -> None:
    """Item 8: Streamlit's table toolbar exported ``=HYPERLINK(...)`` verbatim; the app's own
    download buttons neutralise it, so the toolbar's export is off."""
    assert CONFIG["client"]["disableDataExport"] is True
