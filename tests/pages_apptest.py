"""Helpers for the AppTest page tests: run a script against a database, read what it shows."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parent.parent
TIMEOUT_S = 120


def app(script: str = "app.py", **query: str | list[str]) -> AppTest:
    """An AppTest of ``script`` (relative to the repository) with ``query`` as the URL's parameters."""
    at = AppTest.from_file(str(REPO / script), default_timeout=TIMEOUT_S)
    for name, value in query.items():
        at.query_params[name] = value
    return at


# a sign-in configuration whose provider is never called: AppTest's ``at.user`` says who is signed in
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-only-not-a-secret",
    "client_id": "dashboard",
    "client_secret": "test-only-not-a-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def signed_in(script: str, email: str | None, **query: str) -> AppTest:
    """:func:`app` with sign-in configured and ``email`` signed in (None: signed out)."""
    at = app(script, **query)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": email is not None, "email": email or "", "name": "Tester", "email_verified": True}
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table_with(at: AppTest, column: str):
    """The first dataframe shown with ``column`` (e.g. the status matrix has "Results")."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with a {column!r} column; tables: {[list(f.value.columns) for f in at.dataframe]}")


def matrix_codes(at: AppTest) -> list[str]:
    return sorted(table_with(at, "Results")["Project"].tolist())


def texts(at: AppTest) -> str:
    """Everything written as markdown, captions, info, warnings and errors, joined."""
    parts = [
        e.value
        for kind in (at.markdown, at.caption, at.info, at.warning, at.error, at.title, at.subheader)
        for e in kind
    ]
    return "\n".join(str(p) for p in parts)
