"""The follow-up pages and reports (Recommendations, Visits) on a hand-built portfolio, the sample
portfolio and an empty database.

Hand portfolio: ``tests/page_portfolio.py`` plus, as of 2025-06-30:

=======  ==========================  ===================================================================
project  recommendation              expected
=======  ==========================  ===================================================================
PX.C2    REC-A (closed project)      due 2025-03-31, open → overdue 91 days, not on time
PX.A1    REC-B                       due 2025-06-30 (the as-of day), in progress → falling due
PX.A1    REC-C (audit, no due date)  issued 2024-06-01 → due 2025-06-01 by the 365-day rule → overdue 29
PX.B1    REC-D                       due 2025-03-01, implemented 2025-02-01 → on time
=======  ==========================  ===================================================================

KPIs: 4 recommendations (1 on a closed project), 3 open, 2 overdue (oldest 91 days), implemented on
time 1 of 3 judged (A and C missed, D on time) = 33%.

Visits (policy: a visit at least every 183 days for high-risk projects): PX.A1 (QAA) in a high-risk
context, visited on-site 2024-12-31, 181 days before 2025-06-30: due soon (2025-07-02), its follow-up
open; PX.B1 (QBB) high-risk, visited remotely 2024-12-28, 184 days: overdue; the other projects are
not high-risk (their one high risk closed here; PX.C2 is a closed project).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access import models as m
from data_access.db import dispose_engine, get_engine, upgrade
from data_access.digest import AlertSource
from monitoring.settings import Settings
from tests import factories as f
from tests import page_portfolio as pp
from tests.pages_apptest import app, metrics, table_with, texts

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2025-06-30"
D = dt.date


def _add_follow_up(session: Session) -> None:
    project = {p.code: p for p in session.scalars(select(m.Project))}
    final = f.make_evaluation(
        session, (project["PX.C2"],), code="EV-C2", title="Final evaluation of PX.C2", evaluation_date=D(2024, 12, 1)
    )
    audit = f.make_evaluation(
        session, (project["PX.A1"],), code="AU-A1", title="Audit of PX.A1", evaluation_type="audit"
    )
    f.make_recommendation(session, project["PX.C2"], final, code="REC-A", due_date=D(2025, 3, 31))
    f.make_recommendation(session, project["PX.A1"], code="REC-B", due_date=D(2025, 6, 30), status="in_progress")
    f.make_recommendation(
        session, project["PX.A1"], audit, code="REC-C", source="audit", issued_on=D(2024, 6, 1), due_date=None
    )
    f.make_recommendation(
        session,
        project["PX.B1"],
        code="REC-D",
        due_date=D(2025, 3, 1),
        status="implemented",
        implemented_on=D(2025, 2, 1),
    )
    for code in ("PX.A1", "PX.B1"):
        project[code].high_risk_context = True
    for risk in session.scalars(
        select(m.Risk).where(m.Risk.project_id.in_([project["PX.A2"].id, project["PX.C1"].id]))
    ):
        risk.status = "closed"  # the portfolio's 3 x 5 risks would make every project high-risk
    f.make_visit(session, project["PX.A1"], visit_date=D(2024, 12, 31), follow_up_status="open", findings="Lists gaps")
    f.make_visit(session, project["PX.B1"], visit_date=D(2024, 12, 28), visit_type="remote")


@pytest.fixture(scope="module")
def hand_db(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('followup') / 'hand.db'}"
    engine = get_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        pp.build(session)
        session.flush()
        _add_follow_up(session)
        session.commit()
    dispose_engine(engine)
    return url


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> str:
    # seed 12: a small sample whose closed projects carry overdue recommendations (6 of them), as the
    # default 300-project sample does (12); the register must show them (issue 14)
    return pp.create_sample(
        tmp_path_factory.mktemp("followup_sample") / "sample.db", projects=120, seed=12, today=D(2025, 6, 30)
    )


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory) -> str:
    return pp.create_empty(tmp_path_factory.mktemp("followup_empty") / "empty.db")


def open_page(page: str, url: str, monkeypatch, **query):
    monkeypatch.setenv("DATABASE_URL", url)
    at = app("app.py", **query).run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def report(url: str, *args: str) -> list[dict[str, str]]:
    done = subprocess.run(
        [sys.executable, "-m", "data_access", "--database-url", url, "report", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DASHBOARD_SETTINGS": str(ROOT / "no-settings.toml")},
    )
    return list(csv.DictReader(io.StringIO(done.stdout)))


# ---- recommendations ----------------------------------------------------------------------------------
def test_recommendations_page_kpis_and_register(hand_db, monkeypatch):
    at = open_page("recommendations", hand_db, monkeypatch, as_of=AS_OF)
    shown = metrics(at)
    assert shown["Recommendations"] == "4"
    assert shown["Open"] == "3"
    assert shown["Overdue"] == "2"
    assert shown["Implemented on time"] == "33%"
    register = table_with(at, "Days overdue")
    assert register["Recommendation"].tolist() == ["REC-A", "REC-C", "REC-B", "REC-D"]
    assert register["Days overdue"].tolist()[:2] == [91, 29]
    assert register["Status"].tolist() == ["Overdue", "Overdue", "Falling due", "Implemented"]
    assert register["Source"].iloc[0] == "Evaluation: Final evaluation of PX.C2 (1 Dec 2024)"
    assert register["Project status"].iloc[0] == "Closed"


def test_recommendations_page_filters_are_in_the_url(hand_db, monkeypatch):
    at = open_page("recommendations", hand_db, monkeypatch, as_of=AS_OF, source="audit")
    assert table_with(at, "Days overdue")["Recommendation"].tolist() == ["REC-C"]
    at = open_page("recommendations", hand_db, monkeypatch, as_of=AS_OF, overdue="1", office="QCC")
    assert table_with(at, "Days overdue")["Recommendation"].tolist() == ["REC-A"]


def test_recommendations_rollup_by_country(hand_db, monkeypatch):
    # print=1: the sidebar's "Tables on paper", which writes the tables' print copies
    at = open_page("recommendations", hand_db, monkeypatch, as_of=AS_OF, print="1")
    by_country = table_with(at, "Country").set_index("Country")
    assert by_country.loc["Alpha", "Overdue"] == 1 and by_country.loc["Alpha", "Falling due"] == 1
    assert by_country.loc["Gamma", "Oldest overdue"] == "PX.C2 REC-A"
    assert by_country.loc["Beta", "Implemented on time"] == 100.0  # percentage points, shown as on the card
    printed = next(h.proto.body for h in at.html if "Implemented on time" in h.proto.body)
    assert "<td>100%</td>" in printed and "100.0" not in printed  # whole percent, as the card's 33%


def test_chief_of_mission_sees_only_their_country(hand_db, monkeypatch):
    at = open_page("recommendations", hand_db, monkeypatch, as_of=AS_OF, **{"as": "country:QAA"})
    assert sorted(table_with(at, "Days overdue")["Recommendation"]) == ["REC-B", "REC-C"]
    assert "REC-A" not in str(at.dataframe)


def test_recommendations_report_equals_the_page(hand_db):
    rows = report(hand_db, "recommendations", "--as-of", AS_OF)
    assert [(r["project_code"], r["recommendation_code"], r["state"], r["days_overdue"]) for r in rows] == [
        ("PX.C2", "REC-A", "overdue", "91"),
        ("PX.A1", "REC-C", "overdue", "29"),
        ("PX.A1", "REC-B", "due_soon", ""),
        ("PX.B1", "REC-D", "implemented", ""),
    ]
    assert rows[1]["due"].startswith("2025-06-01") and rows[1]["due_by_audit_rule"] == "True"
    scoped = report(hand_db, "recommendations", "--as-of", AS_OF, "--scope", "country:QCC")
    assert [r["recommendation_code"] for r in scoped] == ["REC-A"]


def test_recommendations_page_on_the_sample_portfolio(sample_db, monkeypatch):
    at = open_page("recommendations", sample_db, monkeypatch, as_of=AS_OF)
    rows = report(sample_db, "recommendations", "--as-of", AS_OF)
    assert metrics(at)["Recommendations"] == f"{len(rows):,}"
    assert metrics(at)["Overdue"] == str(sum(r["state"] == "overdue" for r in rows))
    closed_overdue = [r for r in rows if r["project_status"] == "closed" and r["state"] == "overdue"]
    assert closed_overdue, "the sample has overdue recommendations on closed projects (issue 14)"


def test_recommendations_page_on_an_empty_database(empty_db, monkeypatch):
    at = open_page("recommendations", empty_db, monkeypatch)
    assert "No projects in the database yet" in texts(at)


# ---- visits -----------------------------------------------------------------------------------------
def test_visits_page_kpis_and_projects(hand_db, monkeypatch):
    at = open_page("visits", hand_db, monkeypatch, as_of=AS_OF)
    shown = metrics(at)
    assert shown["High-risk projects"] == "2"
    assert shown["Visit overdue"] == "1"
    assert shown["Visits, last 183 days"] == "1"  # PX.A1's; PX.B1's is 184 days back
    assert shown["Open follow-ups"] == "1"
    projects = table_with(at, "Next visit due")
    assert projects["Project"].tolist()[:2] == ["PX.B1", "PX.A1"]
    assert projects["Against the policy"].tolist()[:2] == ["Visit overdue", "Visit due soon"]
    assert projects["Days since last visit"].tolist()[:2] == [184, 181]
    assert projects["Next visit due"].iloc[1] == D(2025, 7, 2)
    follow = table_with(at, "Findings")
    assert follow["Project"].tolist() == ["PX.A1"] and follow["Findings"].tolist() == ["Lists gaps"]


def test_visits_page_filters_and_scope(hand_db, monkeypatch):
    at = open_page("visits", hand_db, monkeypatch, as_of=AS_OF, visit="overdue")
    assert table_with(at, "Next visit due")["Project"].tolist() == ["PX.B1"]
    at = open_page("visits", hand_db, monkeypatch, as_of=AS_OF, **{"as": "country:QAA"})
    assert sorted(table_with(at, "Next visit due")["Project"]) == ["PX.A1", "PX.A2"]


def test_visits_report_agrees_with_the_flag_on_the_sample(sample_db):
    rows = report(sample_db, "visits", "--as-of", AS_OF)
    flags = report(sample_db, "flags", "--as-of", AS_OF)
    overdue = {r["project_code"] for r in rows if r["policy_state"] == "overdue"}
    flagged = {r["project_code"] for r in flags if r["code"] == "NO_RECENT_MONITORING_VISIT"}
    assert overdue and overdue == flagged


def test_visits_page_on_the_sample_and_an_empty_database(sample_db, empty_db, monkeypatch):
    at = open_page("visits", sample_db, monkeypatch, as_of=AS_OF)
    rows = report(sample_db, "visits", "--as-of", AS_OF)
    assert metrics(at)["Visit overdue"] == str(sum(r["policy_state"] == "overdue" for r in rows))
    at = open_page("visits", empty_db, monkeypatch)
    assert "No projects in the database yet" in texts(at)


# ---- forms: a one-row import through the writer ----------------------------------------------------------
@pytest.fixture
def writable_db(hand_db, tmp_path) -> str:
    copy = tmp_path / "writable.db"
    shutil.copy(hand_db.removeprefix("sqlite:///"), copy)
    return f"sqlite:///{copy}"


def _widget(at, kind: str, label: str):
    return next(w for w in getattr(at, kind) if w.label == label)


def _stored(url: str, model, **where):
    engine = get_engine(url)
    with Session(engine) as session:
        rows = session.scalars(select(model).filter_by(**where)).all()
        session.expunge_all()
    dispose_engine(engine)
    return rows


def test_recommendation_update_is_validated_and_versioned(writable_db, monkeypatch):
    at = open_page("recommendations", writable_db, monkeypatch, as_of=AS_OF)
    picker = at.selectbox(key="rec_form_pick")
    picker.select_index(_index_of(picker, "REC-B")).run()
    _widget(at, "selectbox", "Status").set_value("implemented")
    _widget(at, "date_input", "Implemented on").set_value(D(2025, 6, 15))
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.exception, at.exception
    assert "The recommendation saved" in texts(at) or any("saved" in s.value for s in at.success)
    (rec,) = _stored(writable_db, m.Recommendation, code="REC-B")
    assert rec.status == "implemented" and rec.implemented_on == D(2025, 6, 15)
    changes = {(h.field, h.old_value, h.new_value) for h in _stored(writable_db, m.RowHistory, row_id=rec.id)}
    assert ("status", "in_progress", "implemented") in changes
    assert ("implemented_on", None, "2025-06-15") in changes
    (batch,) = _stored(writable_db, m.ImportBatch)
    assert batch.user_name == "demo:org" and batch.file_format == "form"
    assert batch.outcome == "imported"


def test_recommendation_update_refuses_bad_input_and_writes_nothing(writable_db, monkeypatch):
    at = open_page("recommendations", writable_db, monkeypatch, as_of=AS_OF)
    picker = at.selectbox(key="rec_form_pick")
    picker.select_index(_index_of(picker, "REC-B")).run()
    _widget(at, "selectbox", "Status").set_value("implemented")
    _widget(at, "date_input", "Implemented on").set_value(D(2020, 1, 1))  # before the issue date
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.exception, at.exception
    assert any("Not saved" in e.value for e in at.error)
    problems = table_with(at, "Problem")
    assert "implemented_on" in problems["Problem"].iloc[0] and "2020-01-01" in problems["Problem"].iloc[0]
    (rec,) = _stored(writable_db, m.Recommendation, code="REC-B")
    assert rec.status == "in_progress" and rec.implemented_on is None
    assert [b.outcome for b in _stored(writable_db, m.ImportBatch)] == ["rejected"]
    assert _stored(writable_db, m.RowHistory) == []


def test_a_visit_recorded_on_the_page(writable_db, monkeypatch):
    at = open_page("visits", writable_db, monkeypatch, as_of=AS_OF)
    at.selectbox(key="vis_form_project").set_value("PX.B1").run()
    _widget(at, "date_input", "Visit date").set_value(D(2025, 6, 20))
    _widget(at, "selectbox", "Type").set_value("third_party")
    _widget(at, "text_area", "Findings").set_value("Registers checked")
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.exception, at.exception
    visits = _stored(writable_db, m.MonitoringVisit, visit_date=D(2025, 6, 20))
    assert [(v.visit_type, v.findings) for v in visits] == [("third_party", "Registers checked")]
    at = open_page("visits", writable_db, monkeypatch, as_of=AS_OF, visit="overdue")
    assert "No project matches this selection." in texts(at)  # PX.B1 was visited 10 days ago now


def test_the_visit_form_searches_a_large_scope(writable_db, monkeypatch):
    from components import project_picker

    monkeypatch.setattr(project_picker, "PLAIN_UP_TO", 2)  # five projects count as many
    at = open_page("visits", writable_db, monkeypatch, as_of=AS_OF)
    at.text_input(key="vis_form_project_find").input("B1").run()
    assert at.selectbox(key="vis_form_project").options == ["PX.B1 · Project PX.B1", "PX.A1 · Project PX.A1"]
    at.selectbox(key="vis_form_project").set_value("PX.B1").run()
    assert not at.exception and _widget(at, "date_input", "Visit date")


def test_the_recommendation_form_searches_a_long_register(writable_db, monkeypatch):
    from components import project_picker

    monkeypatch.setattr(project_picker, "PLAIN_UP_TO", 2)  # four recommendations count as many
    monkeypatch.setattr(project_picker, "MATCHES_SHOWN", 1)
    at = open_page("recommendations", writable_db, monkeypatch, as_of=AS_OF)
    first = at.selectbox(key="rec_form_pick").value
    assert len(at.selectbox(key="rec_form_pick").options) == 1
    assert "4 recommendations in view: the list shows the first 1 most urgent first" in texts(at)
    at.text_input(key="rec_form_pick_find").input("px.a1").run()
    assert "2 recommendations match “px.a1”: the list shows the first 1" in texts(at)
    at.text_input(key="rec_form_pick_find").input("rec-d").run()
    picker = at.selectbox(key="rec_form_pick")
    assert [o.split(" · ")[0] for o in picker.options] == ["PX.B1 REC-D", " ".join(first)]
    picker.select_index(0).run()
    assert not at.exception and at.selectbox(key="rec_form_pick").value == ("PX.B1", "REC-D")


def _index_of(selectbox, text: str) -> int:
    """The index of the first option of ``selectbox`` whose label contains ``text``."""
    return next(i for i, label in enumerate(selectbox.options) if text in label)


# ---- alerts: the hand-built cases reach the digest on the day they turn ---------------------------------
@pytest.mark.parametrize(
    ("since", "as_of", "expected"),
    [
        # the closed project's recommendation turns overdue the day after its due date
        (D(2025, 3, 31), D(2025, 4, 1), {("recommendation", "PX.C2", "REC-A:overdue:2025-03-31")}),
        # the audit recommendation without a due date: due 365 days after issue, overdue the day after
        (D(2025, 6, 1), D(2025, 6, 2), {("recommendation", "PX.A1", "REC-C:overdue:2025-06-01")}),
        # PX.B1 (visited 2024-12-28) reaches 184 days: the visit flag; PX.A1 (181 days) is not due yet;
        # the recommendation due today is falling due since May, nothing new about it
        (D(2025, 6, 29), D(2025, 6, 30), {("flag", "PX.B1", "NO_RECENT_MONITORING_VISIT")}),
        # the one due today turns overdue tomorrow
        (D(2025, 6, 30), D(2025, 7, 1), {("recommendation", "PX.A1", "REC-B:overdue:2025-06-30")}),
        # PX.A1 (visited 2024-12-31) reaches 184 days three days later
        (D(2025, 7, 2), D(2025, 7, 3), {("flag", "PX.A1", "NO_RECENT_MONITORING_VISIT")}),
    ],
)
def test_the_hand_built_cases_alert_on_the_day_they_turn(hand_db, since, as_of, expected):
    engine = get_engine(hand_db)
    try:
        alerts = AlertSource(engine, Settings()).alerts(since, as_of)
    finally:
        dispose_engine(engine)
    follow_up = alerts.loc[(alerts["kind"] == "recommendation") | (alerts["subject"] == "NO_RECENT_MONITORING_VISIT")]
    assert set(zip(follow_up["kind"], follow_up["project_code"], follow_up["subject"], strict=True)) == expected
