"""What the suite needs from the machine, and what it says when something is missing.

The suite runs every database test on SQLite and on PostgreSQL, and reads the real IATI files kept
beside the repository (``../shared/iati``). Without one of them it must not shrink quietly: under CI
(``CI=true``) the run stops before the first test with the reason (``conftest.pytest_sessionstart``);
elsewhere each test that needs the missing part is skipped with that reason (a line each in the
``-ra`` summary), and the header and the end of the run say what did not run.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parent.parent
CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}

SHARED_IATI = REPO.parent / "shared" / "iati"
SHARED_IATI_MISSING = f"../shared/iati is not beside the repository ({SHARED_IATI}): the real IATI files were not read"
needs_shared_iati = pytest.mark.skipif(not SHARED_IATI.is_dir(), reason=SHARED_IATI_MISSING)

PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PG_HOST = make_url(PG_ADMIN_URL).host or "127.0.0.1"
PG_PORT = make_url(PG_ADMIN_URL).port or 5432


def postgres_answers(host: str = PG_HOST, port: int = PG_PORT, timeout: float = 0.5) -> bool:
    """True when something listens on the PostgreSQL port (asked once, at collection)."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


POSTGRES_UP = postgres_answers()
POSTGRES_MISSING = f"PostgreSQL does not answer at {PG_HOST}:{PG_PORT}: the database tests ran on SQLite only"


def missing() -> list[str]:
    """Why the suite is smaller than it should be (empty when everything is there)."""
    return [
        reason
        for ok, reason in ((POSTGRES_UP, POSTGRES_MISSING), (SHARED_IATI.is_dir(), SHARED_IATI_MISSING))
        if not ok
    ]
