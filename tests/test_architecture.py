"""The layer rules of ../shared/ARCHITECTURE.md, checked on the source (imports read with ``ast``).

* ``sqlalchemy`` (and alembic) only in ``data_access``: every SQL statement lives in one layer.
* ``streamlit`` never in ``monitoring``, ``data_access``, ``reference`` or ``sample_data``: the logic
  and the data layer run without a server (tests, the command line, benchmarks).
* ``monitoring`` imports no other layer of the application but ``reference`` (pure functions over
  frames and plain values).
* ``reference`` imports nothing but the standard library (everything else may import it).
* ``packs`` (the review pack's content and its PowerPoint and PDF writers) import neither SQL, nor
  streamlit, nor ``data_access``: a pack is written from the figures it is given.
* ``pages`` import no database models: they go through ``data_access.queries``, ``monitoring`` and
  ``components``.
* A page is at most ``PAGE_MAX_LINES`` lines: it reads like a table of contents of what the user sees.
* A date people read is written by ``monitoring.dates.date_text`` ("3 Dec 2026"): no other module
  spells a month (``%b``, ``%B``), so a page, an email and a pack never say "03 December 2026".

Imports inside functions and under ``TYPE_CHECKING`` count as well. ``tests`` and ``benchmarks``
are tools around the application and are not checked. The checker runs on a folder, so the last
tests show it finding each kind of forbidden import in a small tree written for the purpose.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("app.py", "pages", "components", "monitoring", "data_access", "reference", "sample_data", "packs")
PAGE_MAX_LINES = 150

# (the modules whose code is checked, a top-level package they may not import, why)
FORBIDDEN = (
    (
        ("app", "pages", "components", "monitoring", "reference", "sample_data", "packs"),
        "sqlalchemy",
        "SQL only in data_access",
    ),
    (
        ("app", "pages", "components", "monitoring", "reference", "sample_data", "packs"),
        "alembic",
        "SQL only in data_access",
    ),
    (("monitoring", "data_access", "reference", "sample_data", "packs"), "streamlit", "no streamlit below components"),
    (("packs",), "data_access", "a pack is written from the figures it is given"),
    (("monitoring",), "data_access", "monitoring is pure logic"),
    (("monitoring",), "components", "monitoring is pure logic"),
    (("monitoring",), "pages", "monitoring is pure logic"),
    (("monitoring",), "sample_data", "monitoring is pure logic"),
    (("pages",), "data_access.models", "pages import no models"),
)
FIRST_PARTY = {"app", "pages", "components", "monitoring", "data_access", "reference", "sample_data", "packs", "tests"}


def _module_name(root: Path, path: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(root: Path, path: Path) -> set[str]:
    """Every name ``path`` imports, absolute (``from a import b`` gives ``a.b``; relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(root, path).rsplit(".", 1)[0] if path.name != "__init__.py" else _module_name(root, path)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.update(module if alias.name == "*" else f"{module}.{alias.name}" for alias in node.names)
    return found


def _files(root: Path) -> list[Path]:
    files: list[Path] = []
    for name in PACKAGES:
        path = root / name
        files.extend([path] if path.is_file() else sorted(path.rglob("*.py")) if path.is_dir() else [])
    return [f for f in files if "migrations" not in f.parts or f.name == "env.py"]


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def violations(root: Path) -> list[str]:
    """'file: imports X (why)' for every forbidden import under ``root``, sorted."""
    found = []
    for path in _files(root):
        module = _module_name(root, path)
        imported = imports_of(root, path)
        for layers, forbidden, why in FORBIDDEN:
            if any(_within(module, layer) for layer in layers):
                found += [f"{path.relative_to(root)}: imports {m} ({why})" for m in imported if _within(m, forbidden)]
        if _within(module, "reference"):
            foreign = {m.split(".")[0] for m in imported} - set(sys.stdlib_module_names) - {"__future__", "reference"}
            found += [f"{path.relative_to(root)}: imports {m} (reference: standard library only)" for m in foreign]
    return sorted(set(found))


def long_pages(root: Path, limit: int = PAGE_MAX_LINES) -> list[str]:
    """'pages/x.py: N lines' for every page longer than ``limit`` lines."""
    pages = sorted((root / "pages").glob("*.py"))
    lengths = {p: len(p.read_text(encoding="utf-8").splitlines()) for p in pages}
    return [f"pages/{p.name}: {n} lines" for p, n in lengths.items() if n > limit]


def test_the_application_keeps_its_layers():
    assert violations(REPO) == []


def test_every_page_is_at_most_150_lines():
    assert long_pages(REPO) == []


def test_only_monitoring_dates_spells_a_month():
    """The pack review found "02 Jan 2026" in the digest and "14 September 2026" in the pack."""
    spelled = [
        f"{path.relative_to(REPO)}:{n}"
        for path in _files(REPO)
        if path != REPO / "monitoring" / "dates.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "%b" in line or "%B" in line
    ]
    assert spelled == []


# the project's own documents, which the people reading a screen, a file or a command's output have not
DOCUMENT = re.compile(r"\b(DOMAIN|README|ARCHITECTURE|CONTRIBUTING)\b|docs/\w+\.md")


def document_citations(root: Path) -> list[str]:
    """'file:line' of every string of the application, docstrings aside, that cites one of the
    project's documents ("(DOMAIN.md section 8)", "(README, Deploying)", "see docs/sign-in.md"):
    a text people read says what to do in plain words, never where a developer would look it up."""
    found = []
    for path in _files(root):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        documented = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, documented) and node.body and isinstance(node.body[0], ast.Expr)
        }
        found += [
            f"{path.relative_to(root)}:{node.lineno}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and DOCUMENT.search(node.value)
        ]
    return sorted(found)


def test_no_text_people_read_cites_the_projects_documents():
    assert document_citations(REPO) == []


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


CLEAN = {
    "app.py": "import streamlit as st\nfrom components import view\n",
    "pages/portfolio.py": "from data_access import queries\nfrom monitoring.evaluate import evaluate_portfolio\n",
    "components/view.py": "import streamlit as st\nfrom data_access.scope import Scope\n",
    "monitoring/__init__.py": "",
    "monitoring/rules.py": "import numpy as np\nimport pandas as pd\nfrom reference.vocabulary import STATUSES\n",
    "data_access/__init__.py": "",
    "data_access/models.py": "from sqlalchemy.orm import DeclarativeBase\nfrom . import errors\n",
    "reference/__init__.py": "",
    "reference/vocabulary.py": "from __future__ import annotations\nimport datetime as dt\n",
}


def test_a_tree_that_keeps_the_rules_has_no_violation(tmp_path):
    assert violations(_tree(tmp_path, CLEAN)) == []


def test_every_forbidden_import_is_found(tmp_path):
    root = _tree(
        tmp_path,
        {
            **CLEAN,
            "components/chart.py": "def f():\n    from sqlalchemy import select\n",
            "monitoring/rules.py": "import streamlit as st\nfrom data_access.queries import load_portfolio\n",
            "data_access/cli.py": "from streamlit import cache_data\n",
            "pages/project.py": "from data_access.models import Project\n",
            "pages/finance.py": "from data_access import models\n",
            "reference/places.py": "import pandas as pd\nfrom monitoring import rules\n",
            "sample_data/gen.py": "import alembic\n",
        },
    )
    assert violations(root) == [
        "components/chart.py: imports sqlalchemy.select (SQL only in data_access)",
        "data_access/cli.py: imports streamlit.cache_data (no streamlit below components)",
        "monitoring/rules.py: imports data_access.queries.load_portfolio (monitoring is pure logic)",
        "monitoring/rules.py: imports streamlit (no streamlit below components)",
        "pages/finance.py: imports data_access.models (pages import no models)",
        "pages/project.py: imports data_access.models.Project (pages import no models)",
        "reference/places.py: imports monitoring (reference: standard library only)",
        "reference/places.py: imports pandas (reference: standard library only)",
        "sample_data/gen.py: imports alembic (SQL only in data_access)",
    ]


def test_a_relative_import_is_read_as_the_module_it_names(tmp_path):
    root = _tree(tmp_path, {"monitoring/__init__.py": "", "monitoring/rules.py": "from ..data_access import models\n"})
    assert "data_access.models" in imports_of(root, root / "monitoring/rules.py")


def test_a_long_page_is_found(tmp_path):
    root = _tree(tmp_path, {"pages/short.py": "x = 1\n" * 150, "pages/long.py": "x = 1\n" * 151})
    assert long_pages(root) == ["pages/long.py: 151 lines"]


def test_a_cited_document_is_found_but_not_in_a_docstring_or_comment(tmp_path):
    root = _tree(
        tmp_path,
        {
            "monitoring/rules.py": '''"""Rules (DOMAIN.md 5)."""\n# README, Deploying\n'''
            '''def f():\n    """docs/flags.md"""\n    return "as of (DOMAIN.md section 8):"\n''',
            "components/banner.py": """TEXT = "signs people in (README, Deploying)"\nOK = "a domain name"\n""",
        },
    )
    assert document_citations(root) == ["components/banner.py:1", "monitoring/rules.py:5"]
