"""``python -m data_access report``, run as a user would (a subprocess) on a seeded SQLite file.

Project A (EUR, 2024-01-01 → 2024-12-31, 365 days; as of 2024-07-01 182 have elapsed, 183 remain):
budget 9,000 operational (8,000 revised to 9,000 on 2024-03-01; a revision on 2024-09-01 is not
yet known) + 1,000 M&E = 10,000 EUR; spent 3,000 (Feb) + 1,000 (May) + 500 (Jul) = 4,500 (August
is after D); EUR at 1.10 → 11,000 and 4,950 USD. Burn 0.45, variance (0.45 − 182/365) × 100 pp
→ on pace. Average of May–July = 500 a month → forecast 4,500 + 500 × 183/30.4375 → 75% of budget.
One level indicator 0 → 100 with 40 reported for Q1: progress 0.40; the Q1 report is older than the
30-day grace, so expected progress is judged at the cut-off 2024-06-01 (D − 30): 152/365 = 0.416,
ratio 0.96, on track (DOMAIN.md 2.1).
Project B (XOF, no rate, from 2024-01-01): its USD cells are empty, never 0; it has no expenditure row, so
its spending is not reported: spent, burn and forecast empty, EXPENDITURE_NOT_REPORTED after six full months.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from data_access.db import dispose_engine, get_engine, upgrade
from tests import factories as f

ROOT = Path(__file__).resolve().parent.parent
D = dt.date
AS_OF = "2024-07-01"


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('report') / 'report.db'}"
    engine = get_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        a = f.make_project(session, code="PA.0001", currency="EUR", end_date=D(2024, 12, 31))
        line = f.make_budget_line(session, a, original_amount=8000.0, category="operational")
        f.make_budget_revision(session, line, revision_date=D(2024, 3, 1), amount=9000.0)
        f.make_budget_revision(session, line, revision_date=D(2024, 9, 1), amount=20000.0)
        f.make_budget_line(session, a, original_amount=1000.0, category="monitoring_evaluation")
        for month, amount in (
            (D(2024, 2, 1), 3000.0),
            (D(2024, 5, 1), 1000.0),
            (D(2024, 7, 1), 500.0),
            (D(2024, 8, 1), 9999.0),
        ):
            f.make_expenditure(session, line, month=month, amount=amount)
        f.make_fx_rate(session, currency="EUR", rate_date=D(2024, 1, 1), usd_rate=1.1)
        indicator = f.make_indicator(session, a, code="OP1.1")
        f.make_actual(session, indicator, value=40.0)
        b = f.make_project(session, code="PB.0002", currency="XOF")
        f.make_budget_line(session, b, original_amount=5000.0)
        session.commit()
    dispose_engine(engine)
    return url


def report(database: str, *args: str, tmp_path: Path | None = None) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "DASHBOARD_SETTINGS": str(ROOT / "tests" / "no-such-settings.toml")}
    return subprocess.run(
        [sys.executable, "-m", "data_access", "--database-url", database, "report", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def rows(output: str) -> dict[str, dict[str, str]]:
    table = list(csv.DictReader(io.StringIO(output)))
    key = "indicator_code" if table and "indicator_code" in table[0] else "project_code"
    return {r[key]: r for r in table}


def test_projects_report(database):
    done = report(database, "projects", "--as-of", AS_OF)
    assert done.returncode == 0, done.stderr
    header = done.stdout.splitlines()[0].split(",")
    for column in (
        "project_code",
        "results_progress",
        "results_status",
        "currency",
        "budget",
        "spent",
        "budget_usd",
        "spent_usd",
        "burn",
        "planned_burn",
        "burn_variance_pp",
        "burn_status",
        "forecast_delivery",
        "flags",
    ):
        assert column in header
    a = rows(done.stdout)["PA.0001"]
    assert a["currency"] == "EUR"
    assert float(a["budget"]) == 10000.0 and float(a["spent"]) == 4500.0
    assert float(a["budget_usd"]) == pytest.approx(11000.0) and float(a["spent_usd"]) == pytest.approx(4950.0)
    assert float(a["burn"]) == 0.45
    assert float(a["planned_burn"]) == 182 / 365  # unrounded: exactly the float
    assert float(a["burn_variance_pp"]) == pytest.approx((0.45 - 182 / 365) * 100, abs=1e-12)
    assert a["burn_status"] == "on_pace"
    assert float(a["forecast_delivery"]) == pytest.approx((4500 + 500 * 183 / 30.4375) / 10000, abs=1e-12)
    assert float(a["me_share"]) == 0.1
    assert float(a["results_progress"]) == pytest.approx(0.4) and a["results_status"] == "on_track"
    assert "FORECAST_UNDERSPEND" in a["flags"].split(";")
    assert a["flags"].split(";") == sorted(a["flags"].split(";"))
    b = rows(done.stdout)["PB.0002"]
    assert b["budget"] == "5000.0" and b["budget_usd"] == "" and b["spent_usd"] == ""
    assert (a["expenditure_reported"], b["expenditure_reported"]) == ("True", "False")
    assert (b["spent"], b["burn"], b["burn_variance_pp"], b["forecast"], b["forecast_delivery"]) == ("",) * 5
    assert (b["burn_status"], b["forecast_status"]) == ("not_reported", "not_reported")


def test_indicators_report(database):
    done = report(database, "indicators", "--as-of", AS_OF)
    assert done.returncode == 0, done.stderr
    row = rows(done.stdout)["OP1.1"]
    assert row["project_code"] == "PA.0001"
    assert float(row["actual_to_date"]) == 40.0
    assert float(row["progress"]) == 0.4
    assert row["cutoff"] == "2024-06-01"
    assert float(row["expected_progress"]) == pytest.approx(152 / 365, abs=1e-15)
    assert float(row["ratio"]) == pytest.approx(0.4 / (152 / 365))
    assert row["status"] == "on_track"
    assert "expected by 1 Jun 2024" in row["reason"]


def test_flags_report(database):
    done = report(database, "flags", "--as-of", AS_OF)
    assert done.returncode == 0, done.stderr
    table = list(csv.DictReader(io.StringIO(done.stdout)))
    assert list(table[0]) == ["project_code", "code", "severity", "message", "rule"]
    forecast = [r for r in table if r["project_code"] == "PA.0001" and r["code"] == "FORECAST_UNDERSPEND"]
    assert forecast and "75% of the 10,000 EUR budget" in forecast[0]["message"]
    silent = {r["code"]: r for r in table if r["project_code"] == "PB.0002"}
    assert silent["EXPENDITURE_NOT_REPORTED"]["severity"] == "medium"
    assert silent["EXPENDITURE_NOT_REPORTED"]["message"] == (
        "no expenditure reported in the 6 full months since the start 1 Jan 2024; budget 5,000 XOF"
    )
    assert not {"UNDERSPENDING", "FORECAST_UNDERSPEND"} & set(silent)


def test_markers_report(database):
    done = report(database, "markers", "--as-of", AS_OF)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("kind,item,value,n_projects")


def test_quality_report_names_projects_for_project_level_issues(database):
    done = report(database, "quality", "--as-of", AS_OF)
    assert done.returncode == 0, done.stderr
    table = list(csv.DictReader(io.StringIO(done.stdout)))
    assert list(table[0])[:5] == ["project_code", "indicator_code", "level", "issue", "message"]
    assert all(r["project_code"] for r in table)
    # PB.0002 has no indicators 182 days after its start: a project-level issue without indicator
    assert any(r["project_code"] == "PB.0002" and r["level"] == "project" and r["indicator_code"] == "" for r in table)


def test_table_format_and_scope(database):
    done = report(database, "projects", "--as-of", AS_OF, "--format", "table", "--scope", "projects:PB.0002")
    assert done.returncode == 0, done.stderr
    assert "PB.0002" in done.stdout and "PA.0001" not in done.stdout


def test_output_file(database, tmp_path):
    target = tmp_path / "flags.csv"
    done = report(database, "flags", "--as-of", AS_OF, "--output", str(target))
    assert done.returncode == 0 and done.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("project_code,code,severity,message,rule")


@pytest.mark.parametrize("scope", ["galaxy:X", "region:", "country", "country:XYZ", "region:NOPE"])
def test_bad_scope_is_one_line(database, scope):
    done = report(database, "projects", "--as-of", AS_OF, "--scope", scope)
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1 and "--scope" in done.stderr


@pytest.fixture(scope="module")
def due_database(tmp_path_factory) -> str:
    """PD.0001 (2024-01-01 → 2024-12-31), one quarterly indicator with Q1 reported; PD.0002 the same
    with nothing reported. Grace 30 days: Q2 (ends 2024-06-30) is due by 2024-07-29."""
    url = f"sqlite:///{tmp_path_factory.mktemp('report_due') / 'due.db'}"
    engine = get_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        for code in ("PD.0001", "PD.0002"):
            project = f.make_project(session, code=code, end_date=D(2024, 12, 31))
            indicator = f.make_indicator(session, project, code="OP1.1", frequency="quarterly")
            if code == "PD.0001":
                f.make_actual(session, indicator, value=40.0)  # Q1 2024
        session.commit()
    dispose_engine(engine)
    return url


def test_due_report_lists_due_and_overdue_periods(due_database):
    # 2024-07-31: PD.0001's Q2 overdue by 2 days (30 and 31 July); PD.0002's Q1 (due by 2024-04-29)
    # overdue by 1 (Apr 30) + 31 + 30 + 31 = 93 days, then its Q2 by 2
    done = report(due_database, "due", "--as-of", "2024-07-31")
    assert done.returncode == 0, done.stderr
    rows = [
        (r["project_code"], r["period_end"], r["due_date"], r["state"], r["days_overdue"])
        for r in csv.DictReader(io.StringIO(done.stdout))
    ]
    assert rows == [
        ("PD.0002", "2024-03-31", "2024-04-29", "overdue", "93"),
        ("PD.0001", "2024-06-30", "2024-07-29", "overdue", "2"),
        ("PD.0002", "2024-06-30", "2024-07-29", "overdue", "2"),
    ]
    # 2024-07-01, one project: Q2 ended the day before, due by 2024-07-29, not overdue
    done = report(due_database, "due", "--as-of", "2024-07-01", "--scope", "projects:PD.0001")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [(r["project_code"], r["indicator_code"], r["due_date"], r["state"], r["days_overdue"]) for r in rows] == [
        ("PD.0001", "OP1.1", "2024-07-29", "due", "0")
    ]
