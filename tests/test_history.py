"""Row history (``data_access.history``) on both databases: every changed field is kept with the value
before and after and its import batch; created rows per table and project; actuals from their
versions; the warnings about an older file re-imported; the registry covers every table.

Expected values are read off ``importers_support.BASE_FILES`` by hand (project PX.0001: title "Safe
migration", active, donors ECHO;USAID, AAP leadership met / information partly / participation
not_met / design_monitoring met, I1 Q1 actual 90, expenditure L1 2024-01 100 USD).
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access import models as m
from data_access.db import dispose_engine, get_engine, upgrade
from data_access.errors import NotFound
from data_access.history import SET_TABLES, TRACKED_BY_TABLE, UNTRACKED, encode, project_history, run_ids, runs
from data_access.importers.writer import preview
from data_access.scope import Scope
from tests.importers_support import BASE_FILES, IMPORT_DAY, do_import, parse, with_changes
from tests.pages_apptest import app, table_with

ROOT = Path(__file__).resolve().parent.parent
HEADER = BASE_FILES["projects.csv"].splitlines()[0]
BASE_ROW = BASE_FILES["projects.csv"].splitlines()[1]
# the same project a year later: new title, closed, one donor, AAP information now met
NEWER_ROW = (
    "PX.0001,Safe migration routes,KEN,KEN;UGA,RONE,ECHO,Labour mobility,2024-01-01,2026-12-31,,closed,USD,"
    "A. Manager,yes,IOM_GM,2A,met,met,,not_met,met,SDG:10.7;GCM:1"
)


def projects(row: str) -> str:
    return f"{HEADER}\n{row}\n"


def changes(session: Session) -> list[tuple]:
    h = m.RowHistory
    stmt = select(h.table_name, h.field, h.old_value, h.new_value).where(h.action == "update").order_by(h.id)
    return [tuple(r) for r in session.execute(stmt)]


def test_every_table_is_tracked_a_set_of_a_tracked_row_or_the_audit_trail() -> None:
    """A new table (e.g. ``people``) must be registered in history.TRACKED (one line) or listed here."""
    tables = set(m.Base.metadata.tables)
    assert tables == set(TRACKED_BY_TABLE) | set(SET_TABLES) | set(UNTRACKED)
    assert all(owner in TRACKED_BY_TABLE for owner, _field in SET_TABLES.values())


@pytest.mark.parametrize(
    ("ids", "text"),
    [([], ""), ([5], "5"), ([1, 2, 3, 7], "1-3,7"), ([9, 8, 10, 2], "2,8-10"), ([4, 4, 5], "4-5")],
)
def test_runs_of_created_ids(ids: list[int], text: str) -> None:
    assert runs(ids) == text
    assert run_ids(text) == sorted(set(ids))


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, None),
        (90.0, "90"),
        (0.53, "0.53"),
        (np.float64(48.7), "48.7"),
        (True, "yes"),
        (False, "no"),
        ("KEN", "KEN"),
        (3, "3"),
    ],
)
def test_values_are_kept_as_text(value, text) -> None:
    assert encode(value) == text


def test_a_changed_project_keeps_every_field_before_and_after_with_its_batch(session: Session) -> None:
    do_import(session, BASE_FILES, user="ana")
    second = do_import(session, {"projects.csv": projects(NEWER_ROW)}, user="ben")
    assert second.outcome == "imported"
    assert sorted(changes(session)) == sorted(
        [
            ("projects", "title", "Safe migration", "Safe migration routes"),
            ("projects", "status", "active", "closed"),
            ("projects", "donors", "ECHO;USAID", "ECHO"),
            ("projects", "aap_information", "partly", "met"),
        ]
    )
    batches = set(session.scalars(select(m.RowHistory.import_batch_id).where(m.RowHistory.action == "update")))
    assert batches == {second.batch_id}
    project_id = session.scalar(select(m.Project.id))
    assert second.touched.project_ids == {project_id}
    assert second.touched.tables == {"projects"}


def test_created_rows_are_kept_per_table_and_project(session: Session) -> None:
    first = do_import(session, BASE_FILES)
    h = m.RowHistory
    created = {
        table: len(run_ids(ids))
        for table, ids in session.execute(select(h.table_name, h.row_ids).where(h.action == "insert"))
    }
    # actuals keep their versions (import_batch_id) instead
    assert created == {
        "regions": 1,
        "countries": 2,
        "country_offices": 1,
        "donors": 2,
        "projects": 1,
        "results": 3,
        "indicators": 2,
        "targets": 3,
        "budget_lines": 2,
        "budget_revisions": 3,
        "expenditures": 2,
    }
    project_id = session.scalar(select(m.Project.id))
    assert set(session.scalars(select(h.project_id).where(h.table_name == "results"))) == {project_id}
    assert first.touched.project_ids == {project_id}
    assert {"projects", "actuals", "expenditures", "donors"} <= first.touched.tables


def test_an_unchanged_reimport_records_nothing(session: Session) -> None:
    do_import(session, BASE_FILES)
    before = session.scalar(select(m.RowHistory.id).order_by(m.RowHistory.id.desc()).limit(1))
    again = do_import(session, BASE_FILES)
    assert again.outcome == "unchanged"
    assert session.scalar(select(m.RowHistory.id).order_by(m.RowHistory.id.desc()).limit(1)) == before
    assert again.touched.project_ids == frozenset()


def test_an_older_file_reimported_is_warned_about_naming_fields_and_the_import(session: Session) -> None:
    do_import(session, BASE_FILES, user="ana")
    newer = do_import(session, {"projects.csv": projects(NEWER_ROW)}, user="ben")
    report = preview(
        session,
        parse({"projects.csv": projects(BASE_ROW)}),
        scope=Scope.whole_organisation("administrator"),
        as_of=IMPORT_DAY,
    )
    assert report.ok
    warnings = {(w.row, w.column): w.reason for w in report.warnings}
    revert = warnings[(2, "title, status, donors, aap_information")]
    assert f"would set back to the values that import {newer.batch_id} (ben, " in revert
    assert "is this an older file?" in revert
    assert warnings[(2, "status")] == "the project is closed; this file makes it active again"


def test_a_closed_project_made_active_is_warned_about_without_earlier_history(session: Session) -> None:
    closed = BASE_FILES["projects.csv"].replace(",active,", ",closed,")
    do_import(session, with_changes(projects=closed))
    report = preview(
        session,
        parse({"projects.csv": BASE_FILES["projects.csv"]}),
        scope=Scope.whole_organisation("administrator"),
        as_of=IMPORT_DAY,
    )
    assert [(w.column, w.reason) for w in report.warnings] == [
        ("status", "the project is closed; this file makes it active again")
    ]


RISKS = (
    "project_code,risk_code,description,category,likelihood,impact,mitigation,owner,status,last_reviewed\n"
    "PX.0001,R1,Border closure,political,{likelihood},4,Monitor,CoM,open,{reviewed}\n"
)


def test_a_risk_review_moved_back_in_time_and_its_older_score_are_warned_about(session: Session) -> None:
    do_import(session, {**BASE_FILES, "risks.csv": RISKS.format(likelihood=2, reviewed="2025-01-10")})
    later = do_import(session, {"risks.csv": RISKS.format(likelihood=4, reviewed="2025-06-30")}, user="carla")
    assert ("risks", "likelihood", "2", "4") in changes(session)
    report = preview(
        session,
        parse({"risks.csv": RISKS.format(likelihood=2, reviewed="2025-01-10")}),
        scope=Scope.whole_organisation("administrator"),
        as_of=IMPORT_DAY,
    )
    reasons = {w.column: w.reason for w in report.warnings}
    assert reasons["last_reviewed"] == "would move last_reviewed back in time, from 2025-06-30 to 2025-01-10"
    assert f"import {later.batch_id} (carla" in reasons["likelihood, last_reviewed"]


def test_expenditure_corrections_are_kept_and_an_old_amount_back_is_warned_about(session: Session) -> None:
    do_import(session, BASE_FILES)
    corrected = BASE_FILES["expenditure.csv"].replace("2024-01,100,USD", "2024-01,130,USD")
    do_import(session, {"expenditure.csv": corrected})
    assert changes(session) == [("expenditures", "amount", "100", "130")]
    report = preview(
        session,
        parse({"expenditure.csv": BASE_FILES["expenditure.csv"]}),
        scope=Scope.whole_organisation("administrator"),
        as_of=IMPORT_DAY,
    )
    assert [w.column for w in report.warnings] == ["amount"]


def test_an_actual_set_back_to_an_earlier_version_is_warned_about(session: Session) -> None:
    do_import(session, BASE_FILES)
    corrected = BASE_FILES["periods.csv"].replace(",100,90,50,40,0,", ",100,95,50,45,0,")
    newer = do_import(session, {"periods.csv": corrected}, user="dina")
    report = preview(
        session,
        parse({"periods.csv": BASE_FILES["periods.csv"]}),
        scope=Scope.whole_organisation("administrator"),
        as_of=IMPORT_DAY,
    )
    assert [(w.row, w.column) for w in report.warnings] == [(2, "actual")]
    assert f"import {newer.batch_id} (dina" in report.warnings[0].reason
    # a third value is a correction, not a revert
    third = BASE_FILES["periods.csv"].replace(",100,90,50,40,0,", ",100,97,50,47,0,")
    assert (
        preview(
            session, parse({"periods.csv": third}), scope=Scope.whole_organisation("administrator"), as_of=IMPORT_DAY
        ).warnings
        == []
    )


def test_project_history_lists_changes_created_rows_and_actual_versions(session: Session) -> None:
    first = do_import(session, BASE_FILES, user="ana")
    corrected = BASE_FILES["periods.csv"].replace(",100,90,50,40,0,", ",100,95,50,45,0,")
    second = do_import(session, {"projects.csv": projects(NEWER_ROW), "periods.csv": corrected}, user="ben")
    history = project_history(session.connection(), Scope.whole_organisation("administrator"), "PX.0001")
    newest = history[history["Import"] == second.batch_id]
    assert sorted(
        zip(newest["What"], newest["Row"], newest["Field"], newest["Before"], newest["After"], strict=True)
    ) == [
        ("Actual", "I1 2024-01-01 2024-03-31", "male", "40", "45"),
        ("Actual", "I1 2024-01-01 2024-03-31", "value", "90", "95"),
        ("Project", "PX.0001", "aap_information", "partly", "met"),
        ("Project", "PX.0001", "donors", "ECHO;USAID", "ECHO"),
        ("Project", "PX.0001", "status", "active", "closed"),
        ("Project", "PX.0001", "title", "Safe migration", "Safe migration routes"),
    ]
    assert set(newest["By"]) == {"ben"}
    created = history[history["Import"] == first.batch_id]
    assert set(created["Field"]) == {"(row created)"}
    assert sorted(created.loc[created["What"] == "Expenditure", "Row"]) == ["L1 2024-01-01", "L2 2024-02-01"]
    assert (created["What"] == "Actual").sum() == 2
    only_title = project_history(session.connection(), Scope.whole_organisation("administrator"), "PX.0001", "title")
    assert list(only_title.loc[only_title["Field"] == "title", "After"]) == ["Safe migration routes"]


def test_project_history_is_scoped(session: Session) -> None:
    do_import(session, BASE_FILES)
    with pytest.raises(NotFound):
        project_history(session.connection(), Scope.bounded_by_place("test", countries=("SEN",)), "PX.0001")
    assert len(project_history(session.connection(), Scope.bounded_by_place("test", countries=("KEN",)), "PX.0001"))


EVALUATIONS = "evaluation_code,title,type,date,project_codes,ratings\nEV1,Mid-term,external,2025-03-01,PX.0001,{r}\n"


def test_evaluation_sets_are_fields_of_the_evaluation_and_shown_with_its_projects(session: Session) -> None:
    do_import(session, {**BASE_FILES, "evaluations.csv": EVALUATIONS.format(r="relevance:3")})
    do_import(session, {"evaluations.csv": EVALUATIONS.format(r="relevance:2;effectiveness:3")})
    assert changes(session) == [("evaluations", "ratings", "relevance:3", "effectiveness:3;relevance:2")]
    history = project_history(session.connection(), Scope.whole_organisation("administrator"), "PX.0001")
    assert ("Evaluation", "EV1", "ratings") in set(zip(history["What"], history["Row"], history["Field"], strict=True))


def cli(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "data_access", "--database-url", url, *args],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "USER": "ops"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_report_history_on_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'history.db'}"
    assert cli(url, "init").returncode == 0
    for name, text in BASE_FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert cli(url, "import", *(str(tmp_path / n) for n in BASE_FILES)).returncode == 0
    newer = tmp_path / "newer" / "projects.csv"
    newer.parent.mkdir()
    newer.write_text(projects(NEWER_ROW), encoding="utf-8")
    assert cli(url, "import", str(newer)).returncode == 0
    done = cli(url, "report", "history", "--project", "PX.0001", "--field", "title")
    assert done.returncode == 0, done.stderr
    table = list(csv.DictReader(io.StringIO(done.stdout)))
    changed = [r for r in table if r["Field"] == "title"]
    assert [(r["Import"], r["By"], r["Before"], r["After"]) for r in changed] == [
        ("2", "administrator", "Safe migration", "Safe migration routes")
    ]
    assert {r["Field"] for r in table} == {"title", "(row created)"}
    missing = cli(url, "report", "history")
    assert missing.returncode == 1
    assert missing.stderr.strip() == "error: report history needs --project CODE (the project whose changes are listed)"
    hidden = cli(url, "report", "history", "--project", "PX.0001", "--scope", "country:UGA")
    assert hidden.returncode == 0 and "PX.0001" in hidden.stdout  # implemented in Uganda: readable


def test_the_project_page_history_tab_shows_any_fields_history(tmp_path: Path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'page.db'}"
    engine = get_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        do_import(session, BASE_FILES, user="ana")
        do_import(session, {"projects.csv": projects(NEWER_ROW)}, user="ben")
    dispose_engine(engine)
    monkeypatch.setenv("DATABASE_URL", url)
    at = app("pages/project.py", project="PX.0001", as_of="2025-01-01", tab="History").run()
    assert not at.exception
    history = table_with(at, "What")  # the History tab (only the open tab runs)
    title = history[history["Field"] == "title"]
    assert title[["By", "What", "Row", "Before", "After"]].values.tolist() == [
        ["ben", "Project", "PX.0001", "Safe migration", "Safe migration routes"]
    ]
    field = at.selectbox(key="history_field")
    assert field.options[:3] == ["Every table and field", "Project · aap_information", "Project · donors"]
    at = field.select("Project · status").run()
    shown = table_with(at, "What")
    assert sorted(zip(shown["Field"], shown["Before"].fillna(""), shown["After"].fillna(""), strict=True)) == [
        ("(row created)", "", ""),
        ("status", "active", "closed"),
    ]
