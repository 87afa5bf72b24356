"""The all-or-nothing writer on both databases: upsert by natural key, versions, revisions, the log.

Expected counts are read off ``importers_support.BASE_FILES`` by hand: 1 project, 3 results,
2 indicators, 3 targets (I1 Q1, I1 Q2, I2 year), 2 actuals (I1 Q1 = 90, I2 = 25; I1 Q2 has no
actual), 2 budget lines with 3 amounts (L1 original 1000 and revision 1200, L2 original 100),
2 expenditure months.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access import models as m
from data_access.scope import Scope
from tests.importers_support import BASE_FILES, IMPORT_DAY, count, do_import, fingerprint, with_changes

FIRST_IMPORT = {
    "projects": {"new": 1, "changed": 0, "unchanged": 0},
    "results": {"new": 3, "changed": 0, "unchanged": 0},
    "indicators": {"new": 2, "changed": 0, "unchanged": 0},
    "targets": {"new": 3, "changed": 0, "unchanged": 0},
    "actuals": {"new": 2, "changed": 0, "unchanged": 0},
    "budget_lines": {"new": 2, "changed": 0, "unchanged": 0},
    "budget": {"new": 3, "changed": 0, "unchanged": 0},
    "expenditure": {"new": 2, "changed": 0, "unchanged": 0},
}


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        (m.Project, 1),
        (m.Result, 3),
        (m.Indicator, 2),
        (m.Target, 3),
        (m.Actual, 2),
        (m.BudgetLine, 2),
        (m.BudgetRevision, 3),
        (m.Expenditure, 2),
        (m.ProjectCountry, 2),
        (m.ProjectDonor, 2),
        (m.ProjectTag, 2),
        (m.ProjectMarker, 1),
        (m.AapAssessment, 4),
        (m.Country, 2),
        (m.Region, 1),
        (m.CountryOffice, 1),
        (m.Donor, 2),
    ],
)
def test_first_import_stores_every_row(session: Session, model, expected: int) -> None:
    result = do_import(session, BASE_FILES)
    assert result.outcome == "imported"
    assert count(session, model) == expected


def test_first_import_counts_and_batch_row(session: Session) -> None:
    result = do_import(session, BASE_FILES, user="maria")
    batch = session.get(m.ImportBatch, result.batch_id)
    assert (batch.outcome, batch.user_name, batch.file_format) == ("imported", "maria", "csv")
    assert batch.file_name == ", ".join(BASE_FILES)
    assert len(batch.file_sha256) == 64
    assert json.loads(batch.counts_json) == FIRST_IMPORT
    assert batch.finished_at is not None


def test_values_are_stored_as_typed(session: Session) -> None:
    do_import(session, BASE_FILES)
    project = session.scalars(select(m.Project)).one()
    assert (project.code, project.start_date, project.high_risk_context, project.manager) == (
        "PX.0001",
        dt.date(2024, 1, 1),
        True,
        "A. Manager",
    )
    marker = session.scalars(select(m.ProjectMarker)).one()
    assert (marker.scheme, marker.code) == ("IOM_GM", "2a")  # "2A" in the file, canonical spelling stored
    tags = set(session.execute(select(m.ProjectTag.scheme, m.ProjectTag.code)).all())
    assert tags == {("SDG", "10.7"), ("GCM", "1")}
    output = session.scalars(select(m.Result).where(m.Result.code == "OP1.1")).one()
    parent = session.get(m.Result, output.parent_id)
    assert parent.code == "OC1"
    actual = session.scalars(select(m.Actual).where(m.Actual.value == 90)).one()
    assert (actual.female, actual.male, actual.other_sex, actual.version, actual.is_current) == (50, 40, 0, 1, True)
    kinds = sorted((r.kind, r.amount) for r in session.scalars(select(m.BudgetRevision)))
    assert kinds == [("original", 100.0), ("original", 1000.0), ("reallocation", 1200.0)]
    month = session.scalars(select(m.Expenditure.month).order_by(m.Expenditure.month)).first()
    assert month == dt.date(2024, 1, 1)


def test_reimport_changes_nothing_and_is_logged_unchanged(session: Session) -> None:
    do_import(session, BASE_FILES)
    before = fingerprint(session)
    result = do_import(session, BASE_FILES)
    assert result.outcome == "unchanged"
    assert fingerprint(session) == before
    assert {name: c.new + c.changed for name, c in result.report.planned.items()} == dict.fromkeys(FIRST_IMPORT, 0)
    assert [b.outcome for b in session.scalars(select(m.ImportBatch).order_by(m.ImportBatch.id))] == [
        "imported",
        "unchanged",
    ]


def test_corrected_actual_is_a_new_version_and_the_old_one_is_kept(session: Session) -> None:
    do_import(session, BASE_FILES)
    corrected = BASE_FILES["periods.csv"].replace(",90,50,40,0,", ",95,55,40,0,")
    result = do_import(session, with_changes(periods=corrected))
    assert result.outcome == "imported"
    assert result.report.planned["actuals"].as_dict() == {"new": 0, "changed": 1, "unchanged": 1}
    rows = session.execute(
        select(m.Actual.version, m.Actual.value, m.Actual.female, m.Actual.is_current, m.Actual.import_batch_id)
        .where(m.Actual.period_end == dt.date(2024, 3, 31))
        .order_by(m.Actual.version)
    ).all()
    assert [(v, val, f, cur) for v, val, f, cur, _ in rows] == [(1, 90.0, 50.0, False), (2, 95.0, 55.0, True)]
    assert rows[1][4] == result.batch_id
    old = session.scalars(select(m.Actual).where(m.Actual.version == 1, m.Actual.value == 90)).one()
    assert old.superseded_at is not None


def test_empty_actual_never_withdraws_a_reported_value(session: Session) -> None:
    do_import(session, BASE_FILES)
    emptied = BASE_FILES["periods.csv"].replace(",90,50,40,0,,2024-04-10,project_monitoring", ",,,,,,,")
    result = do_import(session, with_changes(periods=emptied))
    assert result.outcome == "unchanged"
    assert count(session, m.Actual, m.Actual.value == 90, m.Actual.is_current) == 1


def test_budget_revision_is_added_never_overwritten(session: Session) -> None:
    do_import(session, BASE_FILES)
    revised = BASE_FILES["budget.csv"] + "PX.0001,L2,monitoring_evaluation,M&E,150,USD,2025-06-01\n"
    result = do_import(session, with_changes(budget=revised))
    assert result.outcome == "imported"
    assert result.report.planned["budget"].as_dict() == {"new": 1, "changed": 0, "unchanged": 3}
    amounts = session.execute(
        select(m.BudgetRevision.revision_date, m.BudgetRevision.amount)
        .join(m.BudgetLine)
        .where(m.BudgetLine.line_code == "L2")
        .order_by(m.BudgetRevision.id)
    ).all()
    assert amounts == [(None, 100.0), (dt.date(2025, 6, 1), 150.0)]


def test_changed_original_budget_is_refused_and_nothing_is_written(session: Session) -> None:
    do_import(session, BASE_FILES)
    before = fingerprint(session)
    changed = BASE_FILES["budget.csv"].replace(
        "PX.0001,L2,monitoring_evaluation,M&E,100,USD,", "PX.0001,L2,monitoring_evaluation,M&E,130,USD,"
    )
    # a new project in the same import must not survive the rollback either
    projects = BASE_FILES["projects.csv"] + ("PX.0002,Second,KEN,,,,,2024-01-01,2025-12-31,,active,USD,,no,,,,,,,,\n")
    result = do_import(session, with_changes(budget=changed, projects=projects))
    assert result.outcome == "rejected"
    assert [p.describe() for p in result.report.errors] == [
        "budget.csv, sheet budget, row 4, column amount (value '130'): the original budget of line L2 is "
        "stored as 100; budgets are revised, never overwritten: add a row with a new revision_date"
    ]
    assert fingerprint(session) == before
    batch = session.get(m.ImportBatch, result.batch_id)
    assert (batch.outcome, json.loads(batch.counts_json)["errors"]) == ("rejected", 1)


def test_one_bad_row_writes_nothing(session: Session) -> None:
    before = fingerprint(session)
    bad = BASE_FILES["periods.csv"] + "PX.0001,I9,2024-01-01,2024-03-31,1,1,,,,,,\n"
    result = do_import(session, with_changes(periods=bad))
    assert result.outcome == "rejected"
    assert [(p.sheet, p.row, p.column, p.reason) for p in result.report.errors] == [
        ("periods", 5, "indicator_code", "no such indicator for this project; add it to the indicators sheet")
    ]
    assert fingerprint(session) == before
    assert [b.outcome for b in session.scalars(select(m.ImportBatch))] == ["rejected"]


def test_absent_column_keeps_stored_value_and_empty_cell_clears_it(session: Session) -> None:
    do_import(session, BASE_FILES)
    header, row = BASE_FILES["projects.csv"].splitlines()
    without_manager = ",".join(c for c in header.split(",") if c != "manager")
    cells = row.split(",")
    del cells[header.split(",").index("manager")]
    result = do_import(session, {"projects.csv": f"{without_manager}\n{','.join(cells)}\n"})
    assert result.outcome == "unchanged"
    assert session.scalars(select(m.Project.manager)).one() == "A. Manager"
    cleared = BASE_FILES["projects.csv"].replace(",A. Manager,", ",,")
    assert do_import(session, {"projects.csv": cleared}).outcome == "imported"
    assert session.scalars(select(m.Project.manager)).one() is None


def test_sets_in_a_project_row_are_replaced(session: Session) -> None:
    do_import(session, BASE_FILES)
    changed = BASE_FILES["projects.csv"].replace("KEN;UGA", "KEN;TZA").replace("SDG:10.7;GCM:1", "GCM:2")
    result = do_import(session, {"projects.csv": changed})
    assert result.report.planned["projects"].as_dict() == {"new": 0, "changed": 1, "unchanged": 0}
    countries = set(session.scalars(select(m.Country.iso3).join(m.ProjectCountry)))
    assert countries == {"KEN", "TZA"}
    assert set(session.execute(select(m.ProjectTag.scheme, m.ProjectTag.code)).all()) == {("GCM", "2")}


def test_incoming_funds_repeat_rows_are_transactions_and_reimport_adds_none(session: Session) -> None:
    funds = (
        "project_code,kind,date,amount,currency,donor,reference\n"
        + "PX.0001,incoming_funds,2024-02-01,500,USD,ECHO,T1\n" * 2
        + "PX.0001,commitment,2024-01-15,900,USD,,\n"
    )
    files = {**BASE_FILES, "incoming_funds.csv": funds}
    first = do_import(session, files)
    assert first.report.planned["incoming_funds"].as_dict() == {"new": 3, "changed": 0, "unchanged": 0}
    second = do_import(session, files)
    assert second.outcome == "unchanged"
    assert count(session, m.IncomingFund) == 3


def test_preview_reports_changes_and_writes_nothing(session: Session) -> None:
    from data_access.importers.writer import preview
    from tests.importers_support import parse

    before = fingerprint(session, skip=())
    report = preview(session, parse(BASE_FILES), scope=Scope.whole_organisation("administrator"), as_of=IMPORT_DAY)
    assert report.ok
    assert {k: v.as_dict() for k, v in report.planned.items()} == FIRST_IMPORT
    assert fingerprint(session, skip=()) == before


def test_a_finance_file_alone_updates_stored_projects(session: Session) -> None:
    do_import(session, BASE_FILES)
    spending = BASE_FILES["expenditure.csv"] + "PX.0001,L1,2024-03,250,USD\n"
    corrected = spending.replace("PX.0001,L2,2024-02,10,USD", "PX.0001,L2,2024-02,12,USD")
    result = do_import(session, {"expenditure.csv": corrected})
    assert result.outcome == "imported"
    assert {k: v.as_dict() for k, v in result.report.planned.items()} == {
        "expenditure": {"new": 1, "changed": 1, "unchanged": 1}
    }
    assert sorted(session.scalars(select(m.Expenditure.amount))) == [12.0, 100.0, 250.0]
