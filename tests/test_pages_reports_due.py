"""The Reports due page, and the pre-filled workbook's buttons on the Project and Data pages, on the
hand-built portfolio (tests/page_portfolio.py) with PX.B1's indicator reported semi-annually: its
halves 2024-01..06 (not reported) and 2024-07..12 (reported)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from data_access import models as m
from data_access.db import dispose_engine, get_engine
from tests import page_portfolio as pp
from tests.pages_apptest import app, metrics, table_with

AS_OF = pp.AS_OF.isoformat()


@pytest.fixture(scope="module")
def due_db(tmp_path_factory) -> str:
    url = pp.create(tmp_path_factory.mktemp("pages_reports_due") / "hand.db")
    engine = get_engine(url)
    with Session(engine) as session:
        b1 = session.scalars(select(m.Project).where(m.Project.code == "PX.B1")).one()
        session.execute(update(m.Indicator).where(m.Indicator.project_id == b1.id).values(frequency="semi-annual"))
        session.commit()
    dispose_engine(engine)
    return url


@pytest.fixture(autouse=True)
def on_due_db(due_db, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", due_db)


def test_reports_due_lists_the_missing_half_year():
    at = app("app.py", as_of=AS_OF).run()
    at.switch_page("pages/reports_due.py").run()
    assert not at.exception, at.exception
    # H1 2024 ended 2024-06-30, due by 2024-07-29; on 2025-01-01 overdue by 2 (Jul 30-31) + 153 (Aug-Dec) + 1
    shown = metrics(at)
    assert (shown["Reports overdue"], shown["Reports due soon"], shown["Projects concerned"]) == ("1", "0", "1")
    table = table_with(at, "Days overdue")
    assert table[["State", "Project", "Days overdue"]].values.tolist() == [["Overdue", "PX.B1", 156]]
    assert str(table["Due by"].iloc[0])[:10] == "2024-07-29"


def test_nothing_due_before_any_period_ended():
    at = app("pages/reports_due.py", as_of=pp.BEFORE_ANY_ACTUAL.isoformat()).run()
    assert not at.exception, at.exception
    assert "No report is due" in at.success[0].value


def test_project_page_counts_the_reports_due_and_offers_them_pre_filled():
    at = app("pages/project.py", project="PX.B1", as_of=AS_OF).run()
    assert not at.exception, at.exception
    captions = [c.value for c in at.caption]
    assert "1 report(s) of this project due or overdue as of 1 Jan 2025 (1 overdue)." in captions
    assert "Download this project's reports due, pre-filled" in [b.label for b in at.get("download_button")]


def test_project_page_with_nothing_due_offers_no_workbook():
    at = app("pages/project.py", project="PX.B1", as_of=pp.BEFORE_ANY_ACTUAL.isoformat()).run()
    assert not at.exception, at.exception
    assert any(c.value.startswith("No report of this project is due or overdue") for c in at.caption)
    assert "Download this project's reports due, pre-filled" not in [b.label for b in at.get("download_button")]


def test_data_page_offers_the_blank_and_the_pre_filled_workbook():
    at = app("pages/data.py", as_of=AS_OF).run()
    assert not at.exception, at.exception
    assert [b.label for b in at.get("download_button")][:2] == [
        "Download the results-matrix template",
        "Download your reports due, pre-filled",
    ]
