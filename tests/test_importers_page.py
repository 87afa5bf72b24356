"""The Data page with AppTest: template download, upload → validation report → confirm → history.

Each test runs ``pages/data.py`` on its own (the page guard renders the sidebar) against a fresh
migrated SQLite file, uploading the hand-checked files of ``importers_support``.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.db import dispose_engine, get_engine, upgrade
from data_access.importers.writer import history_frame
from data_access.models import ImportBatch, Project
from data_access.scope import Scope
from tests.environment import SHARED_IATI, needs_shared_iati
from tests.importers_support import BASE_FILES, do_import
from tests.pages_apptest import REPO, app, matrix_codes
from tests.pages_apptest import texts as _texts

CSV = "text/csv"
# a real file beside the repository (../shared/iati): 7 activities, 3 skipped for want of a managing country
OCHA = SHARED_IATI / "real" / "ocha_fixture_foodsecurity_dportal_2021.xml"


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
    assert next(b.label for b in at.get("download_button")) == "Download the results-matrix template"
    shown = texts(at)
    assert "Upload one or more files to see the validation report" in shown
    assert "No import yet." in shown
    assert "No project in view yet" in shown


def test_upload_shows_the_report_and_writes_only_after_confirm(database):
    at = _upload(app("pages/data.py").run(), BASE_FILES)
    assert not at.exception
    # 1 project, 3 results, 2 indicators, 3 targets, 2 actuals, 2 budget lines, 3 budget amounts, 2 months
    assert "The files are valid: 18 row(s) would be added or changed. Nothing has been written yet." in texts(at)
    counts = _table(at, "In the files").set_index("Table")
    assert (
        counts.loc["Projects", "New"] == "1" and counts.loc["Actuals (made from the reporting periods)", "New"] == "2"
    )
    assert counts.loc["Actuals (made from the reporting periods)", "In the files"] == "—"
    # the periods are written as targets and actuals: "—" rather than 0 new beside 3 in the files
    assert counts.loc["Reporting periods (targets and actuals)"].tolist() == ["3", "—", "—", "—"]
    assert counts.loc["Targets (made from the reporting periods)"].tolist() == ["—", "3", "0", "0"]
    assert "Reporting periods are stored as targets and actuals: their rows say what is new or changed." in texts(at)
    assert _stored(database, Project) == 0
    at.button(key="data_confirm").click().run()
    assert not at.exception
    assert "Imported (import batch 1)." in texts(at)
    assert _stored(database, Project) == 1
    history = _table(at, "Outcome")
    assert history["Outcome"].tolist() == ["Imported"]
    assert history["Rows added or changed"].tolist() == [18]


def test_errors_are_listed_and_confirm_is_disabled(database):
    bad = dict(BASE_FILES)
    bad["periods.csv"] += "PX.0001,I9,2024-07-01,2024-09-30,1,1,,,,,,\n"
    at = _upload(app("pages/data.py").run(), bad)
    assert not at.exception
    assert "1 error(s): nothing can be imported until they are corrected." in texts(at)
    problems = _table(at, "Reason")
    assert problems[["File", "Row or line", "Column", "Value"]].values.tolist() == [
        ["periods.csv", 5, "indicator_code", "I9"]
    ]
    assert at.button(key="data_confirm").disabled
    assert _stored(database, ImportBatch) == 0


def test_a_refused_file_is_explained_and_nothing_is_written(database):
    at = _upload(app("pages/data.py").run(), {"projects.csv": "café".encode("cp1252")})
    assert not at.exception
    shown = texts(at)
    assert "1 file(s) cannot be read" in shown
    assert "projects.csv: not UTF-8 text (byte 0xE9 on line 1)" in shown
    assert _stored(database, Project) == 0
    # issue 10 item 11: a failed attempt is logged, once per upload (not on every rerun)
    at.run()
    with Session(get_engine(database)) as session:
        batches = session.scalars(select(ImportBatch)).all()
    assert [(b.outcome, b.file_name) for b in batches] == [("rejected", "projects.csv")]
    assert batches[0].user_name  # the signed-in person (components.frame: ctx.person)
    assert batches[0].message.startswith("projects.csv: not UTF-8 text")


def test_data_quality_summary_after_import(database):
    at = _upload(app("pages/data.py").run(), BASE_FILES)
    at.button(key="data_confirm").click().run()
    at = app("pages/data.py").run()
    assert not at.exception
    summary = _table(at, "Issue")
    assert list(summary.columns) == ["Level", "Issue", "Count", "Share"]
    assert set(summary["Level"]) == {"Indicator", "Project"}
    assert summary["Count"].sum() >= 0


def test_the_page_opens_from_the_app_menu(database):
    at = app().run()
    at.switch_page("pages/data.py").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Data"]


def _stored_portfolio(url: str) -> None:
    """PX.0001 managed by Kenya, implemented in Kenya and Uganda; PX.0002 managed by Uganda."""
    with Session(get_engine(url)) as session:
        assert do_import(session, BASE_FILES).outcome == "imported"
        assert do_import(session, {"projects.csv": "\n".join([PROJECTS_HEADER, PX2]) + "\n"}).outcome == "imported"


PROJECTS_HEADER = BASE_FILES["projects.csv"].splitlines()[0]
PX2 = (
    "PX.0002,Border management,UGA,UGA,RONE,ECHO,Labour mobility,2024-01-01,2026-12-31,,active,USD,B. Manager,no"
    + "," * 8
)
RETITLED_PX1 = {"projects.csv": BASE_FILES["projects.csv"].replace("Safe migration,", "Safer migration,")}


def test_a_chief_of_mission_cannot_change_another_offices_project(database):
    """The reviewer's case: Uganda's chief of mission reads PX.0001 (implemented in Uganda) but Kenya
    manages it; the page shows the error and offers no confirm."""
    _stored_portfolio(database)
    at = _upload(app("pages/data.py", **{"as": "country:UGA"}).run(), RETITLED_PX1)
    assert not at.exception
    assert "Importing as Chief of mission, Uganda" in texts(at)
    assert (
        "1 error(s): nothing can be imported until they are corrected. Each row of the problems table says "
        "where and why:\n- projects.csv, sheet projects, row 2, column project\\_code (value 'PX.0001'): PX.0001 is "
        "managed by Kenya; as chief of mission of Uganda you can import only projects managed by Uganda"
    ) in texts(at)
    problems = _table(at, "Reason")
    assert problems[["File", "Row or line", "Column", "Value", "Reason"]].values.tolist() == [
        [
            "projects.csv",
            2,
            "project_code",
            "PX.0001",
            "PX.0001 is managed by Kenya; as chief of mission of Uganda you can import only projects managed by Uganda",
        ]
    ]
    assert at.button(key="data_confirm").disabled
    assert _stored(database, ImportBatch) == 2


def test_the_managing_chief_of_mission_can_change_it(database):
    _stored_portfolio(database)
    at = _upload(app("pages/data.py", **{"as": "country:KEN"}).run(), RETITLED_PX1)
    assert not at.exception
    assert "The files are valid: 1 row(s) would be added or changed." in texts(at)
    assert not at.button(key="data_confirm").disabled


def test_nothing_to_import_disables_confirm(database):
    _stored_portfolio(database)
    at = _upload(app("pages/data.py").run(), BASE_FILES)
    assert not at.exception
    assert "Nothing to import: everything in these files is already stored." in texts(at)
    assert "The files are valid" not in texts(at)
    assert at.button(key="data_confirm").disabled


def test_an_unfilled_template_says_it_has_no_data_rows(database):
    from data_access.importers.template import template_bytes

    at = _upload(app("pages/data.py").run(), {"template.xlsx": template_bytes()})
    assert not at.exception
    assert "The files contain no data rows (example rows, whose first cell starts with EXAMPLE, are ignored)" in texts(
        at
    )
    assert "Nothing to import: everything in these files is already stored." not in texts(at)
    assert at.button(key="data_confirm").disabled


def test_an_iati_organisation_file_says_why_it_has_nothing_to_import(database):
    """A browser review: an organisation file was told "fill in the sheets" (the workbook's words),
    the reason being hidden in the collapsed notes."""
    org = b'<iati-organisations version="2.03"><iati-organisation/></iati-organisations>'
    at = _upload(app("pages/data.py").run(), {"org_2021.xml": org})
    assert not at.exception
    shown = texts(at)
    assert "No IATI activity to import in these files: org\\_2021.xml" in shown
    assert "an IATI organisation file" in shown and "nothing to import as projects" in shown
    assert "fill in the sheets" not in shown
    assert at.button(key="data_confirm").disabled


@needs_shared_iati
def test_skipped_iati_activities_are_a_warning_above_the_summary(database):
    data = OCHA.read_bytes()
    at = app("pages/data.py").run()
    at = at.file_uploader(key="data_files").set_value([(OCHA.name, data, "text/xml")]).run()
    assert not at.exception
    warning = at.warning[0].value
    assert warning.startswith("3 of 7 IATI activities in the files are skipped and will not be imported:")
    assert (
        "- US-EIN-06-1597-668-PU1-GL: only recipient region(s) Caribbean & Central America (region 389, "
        "OECD DAC), so no single country office" in warning
    )
    assert at.success[0].value.startswith("The files are valid")
    skipped = _table(at, "Why it is skipped")
    assert skipped["Activity (iati-identifier)"].tolist() == [
        "NL-KVK-30214009-C380",
        "NL-KVK-41155305-GLA2-Coord",
        "US-EIN-06-1597-668-PU1-GL",
    ]
    counts = _table(at, "In the files").set_index("Table")
    assert counts.loc["Budget amounts (originals and revisions)", ["In the files", "New"]].tolist() == ["7", "7"]
    assert counts.loc["Budget lines (made from the budget amounts)", "New"] == "7"
    # no reporting period in this file, so no "stored as targets and actuals" line
    assert "Reporting periods are stored" not in texts(at)
    # 3 activities skipped, 5 conventions, 4 notes for information (one: "active" activities past their
    # end date, which the pages flag PAST_END_DATE): skipped before the bulk
    notes = at.expander[0]
    assert notes.label == "Notes (12): 3 skipped or kept as text, 4 for information, 5 convention(s) applied"
    assert at.multiselect(key="data_preview_note_kinds").options == ["Skipped (3)", "Info (4)", "Convention (5)"]


def test_an_import_by_another_process_shows_on_the_next_page_run(database, tmp_path):
    """The cached portfolio is keyed by the data version: a command-line import (another process,
    so no ``clear_caches`` in this one) is seen on the very next run, not after the cache expires."""
    with Session(get_engine(database)) as session:
        do_import(session, BASE_FILES)
    at = app("app.py").run()
    assert not at.exception
    assert matrix_codes(at) == ["PX.0001"]

    new_project = tmp_path / "projects.csv"
    new_project.write_text(
        BASE_FILES["projects.csv"].replace("PX.0001,Safe migration", "PX.0002,Safe return"), encoding="utf-8"
    )
    cli = subprocess.run(
        [sys.executable, "-m", "data_access", "import", str(new_project)],
        cwd=REPO,
        env={**os.environ, "DATABASE_URL": database},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cli.returncode == 0, cli.stderr

    at.run()
    assert not at.exception
    assert matrix_codes(at) == ["PX.0001", "PX.0002"]


def _with_many_outputs(count: int) -> dict[str, str]:
    """BASE_FILES with ``count`` more outputs under OC1 (OP2 ... OP<count+1>)."""
    extra = "".join(f"PX.0001,OP{n},output,OC1,Output {n}\n" for n in range(2, count + 2))
    return {**BASE_FILES, "results.csv": BASE_FILES["results.csv"] + extra}


def test_counts_have_thousands_separators(database):
    """Counts in every column carry thousands separators ("1,003", never "1003" beside "1,003")."""
    at = _upload(app("pages/data.py").run(), _with_many_outputs(1000))
    assert not at.exception
    counts = _table(at, "In the files").set_index("Table")
    assert counts.loc["Results (objectives, outcomes, outputs, activities)"].tolist() == ["1,003", "1,003", "0", "0"]
    assert "The files are valid: 1,018 row(s) would be added or changed." in texts(at)


def _with_notes() -> dict[str, str | bytes]:
    """BASE_FILES with a column the importer ignores, and the unfilled template (16 example rows)."""
    from data_access.importers.template import template_bytes

    projects = BASE_FILES["projects.csv"].replace("tags\n", "tags,colour\n", 1).replace("GCM:1\n", "GCM:1,blue\n")
    return {**BASE_FILES, "projects.csv": projects, "template.xlsx": template_bytes()}


def test_notes_are_labelled_by_kind_note_first_and_filterable(database):
    """The Note column comes first (long Where texts must not push it off screen), the expander names
    the kinds of notes it holds, and a kind filter narrows a long list."""
    at = _upload(app("pages/data.py").run(), _with_notes())
    assert not at.exception
    assert at.expander[0].label == "Notes (17): 1 ignored column(s), 16 for information"
    notes = _table(at, "Note")
    # no note names a column or a value here: those two columns are left out rather than shown blank
    assert list(notes.columns) == ["Kind", "Note", "Where"]
    assert notes["Kind"].tolist() == ["Unknown column"] + ["Info"] * 16
    assert notes.iloc[0].tolist() == [
        "Unknown column",
        "columns ignored (not part of projects): colour",
        "projects.csv, sheet projects, row 1",
    ]
    kinds = at.multiselect(key="data_preview_note_kinds")
    assert kinds.options == ["Unknown column (1)", "Info (16)"]
    at = kinds.set_value(["Unknown column"]).run()
    assert not at.exception
    assert _table(at, "Note")["Note"].tolist() == ["columns ignored (not part of projects): colour"]


def test_the_uploader_limit_is_the_import_limit(database, monkeypatch):
    """The widget states the import's own limit (50 MB), not Streamlit's default of 200 MB."""
    at = app("pages/data.py").run()
    assert at.file_uploader(key="data_files").proto.max_upload_size_mb == 50
    monkeypatch.setenv("DASHBOARD_IMPORT_MAX_MB", "2.5")  # whole megabytes only: rounded up, safety refuses the rest
    at = app("pages/data.py").run()
    assert at.file_uploader(key="data_files").proto.max_upload_size_mb == 3


AFG, KEN = "com.afg@example.org", "com.ken@example.org"


def _batch(session: Session, user: str, outcome: str, message: str = "") -> None:
    now = dt.datetime(2026, 11, 22, 8, 0)
    session.add(
        ImportBatch(
            started_at=now,
            finished_at=now,
            user_name=user,
            file_name=f"{user}.xlsx",
            file_sha256="0" * 64,
            file_format="xlsx",
            outcome=outcome,
            message=message,
        )
    )
    session.flush()


def test_history_shows_leadership_everything_and_others_their_own(session):
    """Afghanistan's chief of mission must not see Leadership's imports, nor a rejected attempt's
    message quoting Kenya's project codes. Same query on SQLite and PostgreSQL."""
    _batch(session, "leadership@example.org", "imported")
    _batch(session, KEN, "rejected", "matrix.xlsx, row 2: PX.7001 budget 120000 overwritten")
    _batch(session, "administrator", "unchanged")  # the command line without --as
    _batch(session, AFG, "imported")
    _batch(session, "x" * 200, "rejected")  # the log keeps the first 200 characters of a longer name
    everything = history_frame(session, Scope.whole_organisation("administrator"))
    assert everything["Imported by"].tolist() == ["x" * 200, AFG, "administrator", KEN, "leadership@example.org"]
    assert history_frame(session, Scope.bounded_by_place(AFG, countries=("AFG",)))["Imported by"].tolist() == [AFG]
    kenya = history_frame(session, Scope.bounded_by_place(KEN, countries=("KEN",)))
    assert kenya[["Imported by", "Outcome", "Message"]].values.tolist() == [
        [KEN, "Rejected", "matrix.xlsx, row 2: PX.7001 budget 120000 overwritten"]
    ]
    assert history_frame(session, Scope.bounded_by_place("x" * 250, regions=("RONE",)))["Imported by"].tolist() == [
        "x" * 200
    ]
    assert history_frame(session, Scope.bounded_by_place("com.uga@example.org", countries=("UGA",))).empty


def test_the_history_tab_is_scoped_to_the_asker(database):
    """On the page: Kenya's chief of mission imports; Kenya sees that attempt only, Uganda none,
    leadership all three (two earlier imports by "tester")."""
    _stored_portfolio(database)
    at = _upload(app("pages/data.py", **{"as": "country:KEN"}).run(), RETITLED_PX1)
    at.button(key="data_confirm").click().run()
    assert not at.exception
    at = app("pages/data.py", **{"as": "country:KEN"}).run()
    assert "Imports made as Chief of mission, Kenya; leadership sees every office's imports." in texts(at)
    history = _table(at, "Outcome")
    assert history[["Batch", "Imported by", "Outcome", "Rows added or changed"]].values.tolist() == [
        [3, "demo:country:KEN", "Imported", 1]
    ]
    at = app("pages/data.py", **{"as": "country:UGA"}).run()
    assert "No import made as Chief of mission, Uganda yet." in texts(at)
    at = app("pages/data.py").run()
    assert "Every office's import attempts, from this page and the command line, newest first." in texts(at)
    assert _table(at, "Outcome")["Imported by"].tolist() == ["demo:country:KEN", "tester", "tester"]


def test_regional_iati_activities_can_be_given_a_managing_office(database):
    """The OCHA file's 3 regional activities are skipped unless the asker names the office that
    manages them; a chief of mission may name only their own country."""
    data = OCHA.read_bytes()
    at = app("pages/data.py").run()
    at = at.file_uploader(key="data_files").set_value([(OCHA.name, data, "text/xml")]).run()
    choice = at.selectbox(key="data_iati_country")
    assert choice.value is None and choice.options[0] == "Skip them (listed in the report)"
    assert "Managed by Kenya (KEN)" in choice.options and len(choice.options) > 100
    at = choice.set_value("KEN").run()
    assert not at.exception
    assert not any("IATI activities in the files are skipped" in w.value for w in at.warning)
    counts = _table(at, "In the files").set_index("Table")
    assert counts.loc["Projects", ["In the files", "New"]].tolist() == ["7", "7"]
    at.button(key="data_confirm").click().run()
    assert _stored(database, Project) == 7

    chief = app("pages/data.py", **{"as": "country:KEN"}).run()
    chief = chief.file_uploader(key="data_files").set_value([(OCHA.name, data, "text/xml")]).run()
    assert chief.selectbox(key="data_iati_country").options == [
        "Skip them (listed in the report)",
        "Managed by Kenya (KEN)",
    ]


def test_no_managing_office_choice_without_an_iati_file(database):
    at = app("pages/data.py").run()
    at = _upload(at, BASE_FILES)
    assert not any(s.key == "data_iati_country" for s in at.selectbox)


def test_the_files_are_read_and_validated_once_per_upload_not_on_every_rerun(database, monkeypatch):
    """Issue 12: every click (the notes filter, a tab) re-read, re-validated and previewed the files.
    The report is kept per upload (content hash), data version, scope and day."""
    from data_access.importers import writer

    calls = []
    real = writer.preview
    monkeypatch.setattr(writer, "preview", lambda *a, **k: calls.append(1) or real(*a, **k))
    at = _upload(app("pages/data.py").run(), BASE_FILES)
    assert not at.exception and len(calls) == 1
    at.run()  # a rerun with the same files: from the cache
    at.run()
    assert len(calls) == 1
    changed = dict(BASE_FILES, **{"projects.csv": BASE_FILES["projects.csv"].replace("Safe migration", "Other")})
    _upload(at, changed)
    assert len(calls) == 2  # another content: validated again
