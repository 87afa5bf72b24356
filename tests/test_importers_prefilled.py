"""The pre-filled workbook of reports due (``data_access.importers.prefilled``), on the sample portfolio.

For a programme manager (Thabo Sato: CC.8659 and PX.2117, Nepal) and a chief of mission (Guatemala:
IB.6251, which also works in Honduras and Mexico) as of 2026-02-15 (the portfolio generated on
2026-01-15, 24 projects, seed 7): the workbook holds exactly the reports ``report due`` lists for
them, nothing of another project; returned untouched it changes nothing; with two actuals filled it
imports through the writer every import uses, and ``report indicators`` shows the new values. The
chief of mission of Mexico reads IB.6251 (implemented in Mexico) but may not report on it: its
reports are due, and left out of Mexico's workbook.
"""

from __future__ import annotations

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
from data_access.importers.writer import import_files
from data_access.queries import load_portfolio
from data_access.scope import PortfolioFilter
from data_access.seed import seed_database
from monitoring.evaluate import evaluate_portfolio
from monitoring.settings import Settings
from tests.importers_support import fingerprint

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


def test_a_project_read_but_managed_by_another_office_is_left_out(sample: Session) -> None:
    """Mexico's chief of mission reads IB.6251 (Guatemala's, implemented in Mexico), whose reports are
    due: they are on Mexico's Reports due list but not in Mexico's workbook (Guatemala reports them)."""
    due = _due(sample, "com.mex@example.org")
    assert "IB.6251" in set(due["project_code"])
    workbook = _workbook(sample, "com.mex@example.org")
    mine = due.loc[due["project_code"] != "IB.6251"]
    assert workbook.reports == len(mine) >= 1 and "IB.6251" not in workbook.projects
    for sheet in ("results", "indicators", "periods"):
        assert "IB.6251" not in set(_sheet(workbook.data, sheet)["project_code"])
