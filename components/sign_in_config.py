"""Whether this server must sign people in: read before Streamlit starts (no streamlit import here).

``DASHBOARD_REQUIRE_SIGN_IN=1`` (set it on every real deployment) refuses the demo: ``make run`` runs
``python -m components.sign_in_config`` first, which exits with the reason when the variable is
set and ``.streamlit/secrets.toml`` has no ``[auth]`` section; the app refuses to serve likewise
(``components.identity``).
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

REQUIRE_SIGN_IN = "DASHBOARD_REQUIRE_SIGN_IN"
SECRETS = Path(".streamlit/secrets.toml")


def sign_in_required() -> bool:
    return os.environ.get(REQUIRE_SIGN_IN, "").strip().lower() in ("1", "true", "yes")


def startup_problem(secrets: Path = SECRETS) -> str | None:
    """Why the server must not start, or ``None``."""
    if not sign_in_required():
        return None
    try:
        configured = "auth" in tomllib.loads(secrets.read_text(encoding="utf-8"))
    except (FileNotFoundError, tomllib.TOMLDecodeError):
        configured = False
    if configured:
        return None
    return (
        f"{REQUIRE_SIGN_IN}=1 but {secrets} has no [auth] section: copy it from secrets.toml.example "
        "beside it and fill in your identity provider's registration of the dashboard, or unset the "
        "variable to serve the demo."
    )


if __name__ == "__main__":
    problem = startup_problem()
    if problem:
        sys.exit(problem)
