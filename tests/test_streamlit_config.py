"""The settings of .streamlit/config.toml that hardening relies on (issue 10, docs/hardening.md)."""

from __future__ import annotations

import tomllib

from tests.pages_apptest import REPO

CONFIG = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())


def test_the_tables_own_toolbar_cannot_export_unneutralised_formulas() -> None:
    """Item 8: Streamlit's table toolbar exported ``=HYPERLINK(...)`` verbatim; the app's own
    download buttons neutralise it, so the toolbar's export is off."""
    assert CONFIG["client"]["disableDataExport"] is True


def test_the_server_refuses_uploads_above_the_import_limit() -> None:
    """Item 9: the uploader's limit was enforced only in the browser; a direct upload of 150 MB was
    accepted under Streamlit's 200 MB default. The server's limit is the import's default."""
    from data_access.importers.safety import DEFAULT_MAX_MB

    assert CONFIG["server"]["maxUploadSize"] == DEFAULT_MAX_MB
