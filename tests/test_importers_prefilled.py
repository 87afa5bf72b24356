"""The pre-filled workbook of reports due (``data_access.importers.prefilled``), on the sample portfolio.

For a programme manager (Thabo Sato: CC.8659 and PX.2117, Nepal) and a chief of mission (Guatemala:
IB.6251, which also works in Honduras and Mexico) as of 2026-02-15 (the portfolio generated on
2026-01-15, 24 projects, seed 7): the workbook holds exactly the reports ``report due`` lists for
them, nothing of another project; returned untouched it changes nothing; with two actuals filled it
imports through the writer every import uses, and ``report indicators`` shows the new values. A
chief of mission who reads a project managed by another office, with reports due, finds it on their
Reports due list and not in their workbook.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from data_access import models as m
from data_access import people
from data_access.commands.report import build_report, due_report
from data_access.importers.prefilled import DueWorkbook, due_workbook
from data_access.importers.workbook import read_file
from data_access.importers.write_scope import WriteScope
from data_access.importers.writer import import_files
from data_access.queries import load_portfolio
from data_access.scope import PortfolioFilter, Scope
from data_access.seed import seed_database
from monitoring.evaluate import evaluate_portfolio
from monitoring.settings import Settings
from tests import factories as f
from tests import page_portfolio as pp
from tests.importers_support import fingerprint
from tests.test_importers_cli import run_cli

TODAY = dt.date(2026, 1, 15)  # the day the sample portfolio is generated for
AS_OF = dt.date(2026, 2, 15)
IMPORT_DAY = dt.date(2026, 2, 16)
GRACE = Settings().reporting_grace_days
PROGRAMME_MANAGER = "thabo.sato@example.org"
CHIEF_OF_MISSION = "com.gtm@example.org"
KEY = ["project_code", "indicator_code", "period_start", "period_end"]


@pytest.fixture
def sample(session: Session) -> Session:
    """The sample portfolio in the test's rolled-back transaction."""
    for model in reversed(m.Base.metadata.sorted_tables):
        session.execute(delete(model))
    seed_database(session.connection(), projects=24, seed=7, today=TODAY)
    return session


def _sheet(data: bytes, name: str) -> pd.DataFrame:
    ws = openpyxl.load_workbook(io.BytesIO(data), read_only=True)[name]
    rows = list(ws.iter_rows(values_only=True))
    frame = pd.DataFrame(rows[1:], columns=rows[0])
    for column in ("period_start", "period_end"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column]).dt.date
    return frame


def _due(session: Session, email: str) -> pd.DataFrame:
    """What ``report due --as EMAIL`` lists (the Reports due page's rule)."""
    scope = people.resolve(session.connection(), email)
    frames = load_portfolio(session.connection(), scope, PortfolioFilter(as_of=AS_OF))
    return due_report(frames, AS_OF, Settings())


def _indicators_report(session: Session, email: str) -> pd.DataFrame:
    """``report indicators --as EMAIL`` as of the date, indexed by (project, indicator)."""
    scope = people.resolve(session.connection(), email)
    frames = load_portfolio(session.connection(), scope, PortfolioFilter(as_of=AS_OF))
    table = build_report("indicators", frames, evaluate_portfolio(frames, AS_OF, Settings()))
    return table.set_index(["project_code", "indicator_code"])


def _workbook(session: Session, email: str) -> DueWorkbook:
    scope = people.resolve(session.connection(), email)
    return due_workbook(session.connection(), scope, PortfolioFilter(as_of=AS_OF), GRACE)


def _import(session: Session, email: str, data: bytes):
    scope = people.resolve(session.connection(), email)
    return import_files(session, [read_file(data, "reports.xlsx")], user=email, scope=scope, as_of=IMPORT_DAY)


def _fill_two(data: bytes, periods: pd.DataFrame) -> tuple[bytes, list[tuple[str, str, dt.date, float]]]:
    """Type two actuals (the second with its sex breakdown when the indicator asks for one) into rows
    whose period is later than the indicator's latest report, so each becomes the latest."""
    latest = periods["latest reported period (read only)"].fillna("").str[-10:]
    open_rows = periods.index[
        periods["actual"].isna() & (latest < periods["period_start"].astype(str))
    ]  # every row's actual is empty: untouched
    chosen = [open_rows[0], open_rows[-1]]
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["periods"]
    column = {cell.value: cell.column for cell in ws[1]}
    filled = []
    for n, index in enumerate(chosen):
        row = int(index) + 2
        value = 40.0 + n
        assert not ws.cell(row, column["actual"]).protection.locked
        ws.cell(row, column["actual"], value)
        ws.cell(row, column["comment"], "distribution delayed by floods")
        ws.cell(row, column["reported_on"], IMPORT_DAY)
        if not ws.cell(row, column["actual_female"]).protection.locked:
            ws.cell(row, column["actual_female"], 25.0 + n)
            ws.cell(row, column["actual_male"], 15.0)
        p = periods.loc[index]
        filled.append((p["project_code"], p["indicator_code"], p["period_end"], value))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), filled


@pytest.mark.parametrize("email", [PROGRAMME_MANAGER, CHIEF_OF_MISSION])
def test_due_reports_round_trip(sample: Session, email: str) -> None:
    workbook = _workbook(sample, email)
    periods = _sheet(workbook.data, "periods")
    # exactly the reports due for them (all on projects they report on), most overdue or not
    due = _due(sample, email)
    assert len(due) >= 2 and workbook.reports == len(due) == len(periods)
    assert sorted(periods[KEY].itertuples(index=False)) == sorted(due[KEY].itertuples(index=False))
    assert workbook.overdue == int((due["state"] == "overdue").sum())
    assert periods["days overdue (read only)"].tolist() == [
        int(due.set_index(KEY).loc[tuple(k), "days_overdue"]) for k in periods[KEY].itertuples(index=False)
    ]
    # nothing outside their projects: the matrix sheets hold exactly those projects' stored rows
    codes = set(due["project_code"])
    assert set(workbook.projects) == codes
    for sheet, model in (("results", m.Result), ("indicators", m.Indicator)):
        rows = _sheet(workbook.data, sheet)
        assert set(rows["project_code"]) == codes
        stored = sample.scalar(select(func.count()).select_from(model).join(m.Project).where(m.Project.code.in_(codes)))
        assert len(rows) == stored, sheet

    # returned untouched: nothing changes (no new version, no changed value); only the attempt is logged
    before = fingerprint(sample)
    result = _import(sample, email, workbook.data)
    assert result.outcome == "unchanged", result.report.to_text()
    assert result.report.changes == 0 and fingerprint(sample) == before

    # two actuals filled in: imported as new versions, shown by report indicators, no longer due
    before_report = _indicators_report(sample, email)
    filled_data, filled = _fill_two(workbook.data, periods)
    result = _import(sample, email, filled_data)
    assert result.outcome == "imported", result.report.to_text()
    assert result.report.planned["actuals"].new == 2
    assert result.report.changes == 2
    after_report = _indicators_report(sample, email)
    for project, indicator, period_end, value in filled:
        row, old = after_report.loc[(project, indicator)], before_report.loc[(project, indicator)]
        assert row["last_period_end"] == period_end
        incremental = row["accumulation"] == "incremental"
        expected = (0.0 if pd.isna(old["actual_to_date"]) else old["actual_to_date"]) + value if incremental else value
        assert row["actual_to_date"] == pytest.approx(expected)
    still_due = _due(sample, email)
    assert len(still_due) == len(due) - 2
    gone = {(p, i, e) for p, i, e, _ in filled}
    assert not gone & set(still_due[["project_code", "indicator_code", "period_end"]].itertuples(index=False))


def _read_but_reported_elsewhere(session: Session) -> tuple[str, str]:
    """(email, project) of a chief of mission with reports due on a project another office manages."""
    for access in people.accesses(session.get_bind()):
        if access.role != "chief_of_mission" or not access.active:
            continue
        rules = WriteScope.load(session, people.resolve(session.get_bind(), access.email))
        due = set(_due(session, access.email)["project_code"])
        elsewhere = sorted(code for code in due if rules.refuse_stored(code))
        if elsewhere:
            return access.email, elsewhere[0]
    raise AssertionError("the sample has no chief of mission with reports due on a project managed elsewhere")


def test_a_project_read_but_managed_by_another_office_is_left_out(sample: Session) -> None:
    """A chief of mission reads a project another office manages (e.g. a multi-country project
    implemented in their country), whose reports are due: it is on their Reports due list but not in
    their workbook (its managing office reports it)."""
    email, code = _read_but_reported_elsewhere(sample)
    due = _due(sample, email)
    workbook = _workbook(sample, email)
    mine = due.loc[due["project_code"] != code]
    assert workbook.reports == len(mine) and code not in workbook.projects
    for sheet in ("results", "indicators", "periods"):
        assert code not in set(_sheet(workbook.data, sheet)["project_code"])


def test_cells_to_fill_follow_each_indicator(session: Session) -> None:
    """A project with four quarterly indicators, Q1 2025 due on 10 April: the sex breakdown is open
    only where the indicator asks for it, a qualitative indicator takes a text, a yes/no one 1 or 0,
    codes are locked, the period's own target is shown; text that looks like a formula is written as
    text and reads back unchanged."""
    project = f.make_project(session, start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 12, 31))
    result = f.make_result(session, project, code="OC1", statement="=1+1 is a statement, not a formula")
    quarterly = {"frequency": "quarterly", "result": result}
    f.make_indicator(session, project, code="I1", name='=HYPERLINK("http://x")', disaggregation="sex", **quarterly)
    f.make_indicator(session, project, code="I2", measure="qualitative", **quarterly)
    plain = f.make_indicator(session, project, code="I3", **quarterly)
    f.make_target(session, plain, period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 3, 31), target=10.0)
    f.make_indicator(session, project, code="I4", measure="yes_no", end_target=1.0, **quarterly)
    scope = Scope.by_project("pm@example.org", codes=(project.code,))
    workbook = due_workbook(session.connection(), scope, PortfolioFilter(as_of=dt.date(2025, 4, 10)), GRACE)
    assert (workbook.reports, workbook.overdue, workbook.projects) == (4, 0, (project.code,))

    wb = openpyxl.load_workbook(io.BytesIO(workbook.data))
    ws = wb["periods"]
    assert ws.protection.sheet
    header = [c.value for c in ws[1]]
    by_code = {ws.cell(r, 2).value: r for r in range(2, 6)}
    open_cells = {
        code: {name for name, cell in zip(header, ws[row], strict=True) if not cell.protection.locked}
        for code, row in by_code.items()
    }
    report = {"comment", "source", "reported_on"}
    assert open_cells == {
        "I1": report | {"actual", "actual_female", "actual_male", "actual_other"},
        "I2": report | {"actual_text"},
        "I3": report | {"actual"},
        "I4": report | {"actual"},
    }
    actual = openpyxl.utils.get_column_letter(header.index("actual") + 1)
    (yes_no,) = [v for v in ws.data_validations.dataValidation if v.type == "whole"]
    assert str(yes_no.sqref) == f"{actual}{by_code['I4']}" and (yes_no.formula1, yes_no.formula2) == ("0", "1")
    assert ws.cell(by_code["I3"], header.index("period target (read only)") + 1).value == 10
    assert ws.cell(by_code["I1"], header.index("indicator (read only)") + 1).data_type == "s"
    source = next(v for v in ws.data_validations.dataValidation if v.formula1.startswith('"project_monitoring'))
    letter = openpyxl.utils.get_column_letter(header.index("source") + 1)
    assert str(source.sqref) == f"{letter}2:{letter}5"
    indicators = wb["indicators"]
    assert indicators.cell(2, 4).value == '=HYPERLINK("http://x")' and indicators.cell(2, 4).data_type == "s"
    assert indicators.cell(2, 2).protection.locked and not indicators.cell(2, 4).protection.locked

    before = fingerprint(session)
    result = import_files(
        session, [read_file(workbook.data, "due.xlsx")], user=scope.person, scope=scope, as_of=dt.date(2025, 4, 11)
    )
    assert result.outcome == "unchanged", result.report.to_text()
    assert fingerprint(session) == before


def test_the_command_line_round_trip(tmp_path) -> None:
    """``template --as`` → fill two actuals → ``import --as`` → ``report indicators --as`` shows them;
    the pre-filled workbook returned untouched imports as unchanged. ``--as-of`` without anyone is
    refused (the blank template has no date)."""
    url = pp.create_sample(tmp_path / "sample.db", projects=24, seed=7, today=TODAY)
    out = tmp_path / "due.xlsx"
    made = run_cli("template", str(out), "--as", PROGRAMME_MANAGER, "--as-of", AS_OF.isoformat(), database_url=url)
    assert made.returncode == 0, made.stderr
    periods = _sheet(out.read_bytes(), "periods")
    assert made.stdout.startswith(f"Wrote {len(periods)} report(s) due or overdue as of 2026-02-15")
    untouched = run_cli("import", str(out), "--as", PROGRAMME_MANAGER, database_url=url)
    assert untouched.returncode == 0 and "Import unchanged" in untouched.stdout, untouched.stderr
    filled_data, filled = _fill_two(out.read_bytes(), periods)
    (tmp_path / "filled.xlsx").write_bytes(filled_data)
    imported = run_cli("import", str(tmp_path / "filled.xlsx"), "--as", PROGRAMME_MANAGER, database_url=url)
    assert imported.returncode == 0 and "Import imported" in imported.stdout, imported.stderr
    assert "actuals +2 new" in imported.stdout
    shown = run_cli("report", "indicators", "--as-of", AS_OF.isoformat(), "--as", PROGRAMME_MANAGER, database_url=url)
    rows = {(r["project_code"], r["indicator_code"]): r for r in csv.DictReader(io.StringIO(shown.stdout))}
    for project, indicator, period_end, _value in filled:
        assert rows[(project, indicator)]["last_period_end"] == period_end.isoformat()
    refused = run_cli("template", str(tmp_path / "blank.xlsx"), "--as-of", "2026-02-15", database_url=url)
    assert refused.returncode == 1 and "add --as EMAIL or --scope" in refused.stderr


def test_nothing_due_gives_a_workbook_that_says_so(session: Session) -> None:
    project = f.make_project(session, start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 12, 31))
    f.make_indicator(session, project, frequency="quarterly")
    scope = Scope.by_project("pm@example.org", codes=(project.code,))
    workbook = due_workbook(session.connection(), scope, PortfolioFilter(as_of=dt.date(2025, 3, 30)), GRACE)
    assert (workbook.reports, workbook.projects) == (0, ())
    wb = openpyxl.load_workbook(io.BytesIO(workbook.data))
    assert wb["instructions"]["A2"].value == (
        "No report is due or overdue as of 30 Mar 2025 for the projects you report on."
    )
    assert wb["periods"].max_row == 1  # the header only
