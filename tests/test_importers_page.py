"""The Data page with AppTest: template download, upload → validation report → confirm → history.

Each test runs ``pages/data.py`` on its own (the page guard renders the sidebar) against a fresh
migrated SQLite file, uploading the hand-checked files of ``importers_support``.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.db import dispose_engine, get_engine, upgrade
from data_access.models import ImportBatch, Project
from tests.importers_support import BASE_FILES
from tests.pages_apptest import app, texts as _texts

CSV = "text/csv"


@pytest.fixture
def database(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'data_page.db'}"
    upgrade(get_engine(url))
    monkeypatch.setenv("DATABASE_URL", url)
    yield url
    dispose_engine(get_engine(url))


def _stored(url: str, model) -> int:
    with Session(get_engine(url)) as session:
        return session.scalar(select(func.count()).select_from(model))


def _upload(at, files: dict[str, str | bytes]):
    payload = [(name, data if isinstance(data, bytes) else data.encode(), CSV) for name, data in files.items()]
    return at.file_uploader(key="data_files").set_value(payload).run()


def texts(at) -> str:
    """Everything the page wrote, success messages included."""
    return _texts(at) + "\n" + "\n".join(str(e.value) for e in at.success)


def _table(at, column: str):
    return next(df.value for df in at.dataframe if column in df.value.columns)


def test_empty_database_offers_template_and_says_what_to_do(database):
    at = app("pages/data.py").run()
    assert not at.exception
    assert [b.label for b in at.get("download_button")][0] == "Download the results-matrix template"
    shown = texts(at)
    assert "Upload one or more files to see the validation report" in shown
    assert "No import yet." in shown
    assert "No project in view yet" in shown


def test_upload_shows_the_report_and_writes_only_after_confirm(database):
    at = _upload(app("pages/data.py").run(), BASE_FILES)
    assert not at.exception
    # 1 project, 3 results, 2 indicators, 3 targets, 2 actuals, 2 budget lines, 3 budget amounts, 2 months
    assert "The files are valid: 18 row(s) would be added or changed. Nothing has been written yet." in texts(at)
    counts = _table(at, "rows read").set_index("table")
    assert counts.loc["projects", "new"] == 1 and counts.loc["actuals", "new"] == 2
    assert _stored(database, Project) == 0
    at.button(key="data_confirm").click().run()
    assert not at.exception
    assert "Imported (import batch 1)." in texts(at)
    assert _stored(database, Project) == 1
    history = _table(at, "outcome")
    assert history["outcome"].tolist() == ["imported"]
    assert history["rows added or changed"].tolist() == [18]


def test_errors_are_listed_and_confirm_is_disabled(database):
    bad = dict(BASE_FILES)
    bad["periods.csv"] += "PX.0001,I9,2024-07-01,2024-09-30,1,1,,,,,,\n"
    at = _upload(app("pages/data.py").run(), bad)
    assert not at.exception
    assert "1 error(s): nothing can be imported until they are corrected." in texts(at)
    problems = _table(at, "reason")
    assert problems[["file", "row", "column", "value"]].values.tolist() == [["periods.csv", 5, "indicator_code", "I9"]]
    assert at.button(key="data_confirm").disabled
    assert _stored(database, ImportBatch) == 0


def test_a_refused_file_is_explained_and_nothing_is_written(database):
    at = _upload(app("pages/data.py").run(), {"projects.csv": "café".encode("cp1252")})
    assert not at.exception
    shown = texts(at)
    assert "1 file(s) cannot be read" in shown
    assert "projects.csv: not UTF-8 text (byte 0xE9 on line 1)" in shown
    assert _stored(database, Project) == 0


def test_data_quality_summary_after_import(database):
    at = _upload(app("pages/data.py").run(), BASE_FILES)
    at.button(key="data_confirm").click().run()
    at = app("pages/data.py").run()
    assert not at.exception
    summary = _table(at, "label")
    assert set(summary["level"]) == {"indicator", "project"}
    assert summary["count"].sum() >= 0


def test_the_page_opens_from_the_app_menu(database):
    at = app().run()
    at.switch_page("pages/data.py").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Data"]
