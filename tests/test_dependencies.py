"""The lock files pin what the ranges allow, and each range starts at the version the suite runs on.

``make run`` and ``make test`` install ``requirements.lock`` / ``requirements-test.lock`` (exact
versions); people who install by hand read the ranges of ``requirements*.txt``. The ranges' lower
bounds are the locked versions, so the lowest version a range allows is the one tested (the decision
is in docs/dependencies.md). A dependency added to a ``.txt`` without ``make lock`` fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent


def requirements(name: str) -> list[Requirement]:
    """The requirements of ``name`` and of the files it includes with ``-r``."""
    found: list[Requirement] = []
    for line in (REPO / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            found += requirements(line[3:].strip())
        elif line:
            found.append(Requirement(line))
    return found


def pins(name: str) -> dict[str, str]:
    """Package -> version of a lock file (``name==version`` lines)."""
    found = {}
    for line in (REPO / name).read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith((" ", "#")):
            package, version = line.split("==")
            found[canonicalize_name(package)] = version.strip()
    return found


CASES = [
    (txt, lock, requirement)
    for txt, lock in (("requirements.txt", "requirements.lock"), ("requirements-test.txt", "requirements-test.lock"))
    for requirement in requirements(txt)
]


@pytest.mark.parametrize(("txt", "lock", "requirement"), CASES, ids=[f"{c[1]}:{c[2].name}" for c in CASES])
def test_every_range_is_pinned_at_its_lower_bound(txt, lock, requirement):
    pinned = pins(lock).get(canonicalize_name(requirement.name))
    assert pinned is not None, f"{requirement.name} ({txt}) is not in {lock}: run `make lock`"
    assert requirement.specifier.contains(pinned), f"{lock} pins {requirement.name}=={pinned}, outside {requirement}"
    lower = [s.version for s in requirement.specifier if s.operator == ">="]
    assert lower == [pinned], f"{txt}: the lower bound of {requirement.name} must be the tested version {pinned}"


def test_the_test_lock_pins_the_runtime_versions():
    runtime, test = pins("requirements.lock"), pins("requirements-test.lock")
    assert {name: test.get(name) for name in runtime} == runtime


def test_the_locks_pin_the_packages_the_ranges_name():
    assert {"streamlit", "sqlalchemy", "pandas", "psycopg", "psycopg-binary"} <= set(pins("requirements.lock"))
    assert {"pytest", "hypothesis", "playwright", "ruff"} <= set(pins("requirements-test.lock")) - set(
        pins("requirements.lock")
    )
