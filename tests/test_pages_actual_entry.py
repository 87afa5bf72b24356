"""Entry on the page (issue 16, part 3): the Project page's "Report an actual" tab, with AppTest.

A programme manager of the sample portfolio signs in (``at.user``), enters a value, a text in the
number field and a correction; a chief of mission who reads a project another office manages sees
no form, and the same rows sent under their scope are refused. Each check reads the database
itself: what was stored, in which version, under whose import batch. SQLite and PostgreSQL: the
page runs against a sample portfolio seeded into a database of each kind, made for this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from components import actual_entry
from data_access import evaluated, people
from data_access import models as m
from data_access.db import dispose_engine, get_engine
from data_access.importers.write_scope import WriteScope
from data_access.scope import PortfolioFilter
from monitoring.settings import load_settings
from tests.conftest import DATABASES, sample_database
from tests.pages_apptest import signed_in, table_with, texts

SEEDED = dt.date(2026, 1, 15)
SAVE = "Save the actual"
ENTRY_TAB = "Report an actual"


@pytest.fixture(scope="module", params=DATABASES)
def entry_db(request, tmp_path_factory) -> Iterator[str]:
    """A sample portfolio (24 projects, with its people) in a fresh database of each kind."""
    with sample_database(request.param, tmp_path_factory.mktemp("entry"), projects=24, seed=7, today=SEEDED) as url:
        yield url


@pytest.fixture
def on_entry_db(entry_db, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", entry_db)
    return entry_db


@dataclass(frozen=True)
class Period:
    """A reported period of a numeric indicator the person may change."""

    email: str
    project: str
    indicator_id: int
    indicator: str
    start: dt.date
    end: dt.date
    value: float
    disaggregation: str


def _engine_do(url: str, work):
    engine = get_engine(url)
    try:
        with Session(engine) as session:
            return work(session)
    finally:
        dispose_engine(engine)


def _reported_periods(url: str) -> list[Period]:
    """Periods with a current number of the sample's first programme manager's projects, by code."""

    def work(session: Session) -> list[Period]:
        email = next(a.email for a in people.accesses(session.get_bind()) if a.role == "programme_manager" and a.active)
        scope = people.resolve(session.get_bind(), email)
        rules = WriteScope.load(session, scope)
        writable = sorted(code for code in rules.readable if rules.refuse_stored(code) is None)
        a, i, p = m.Actual, m.Indicator, m.Project
        rows = session.execute(
            select(p.code, i.id, i.code, a.period_start, a.period_end, a.value, i.disaggregation)
            .join(i, i.project_id == p.id)
            .join(a, a.indicator_id == i.id)
            .where(p.code.in_(writable), a.is_current, a.value.is_not(None), i.measure == "number")
            .order_by(p.code, i.code, a.period_start)
        ).all()
        return [Period(email, *row) for row in rows]

    return _engine_do(url, work)


def _versions(url: str, period: Period) -> list[tuple]:
    """(version, value, is current, user of the batch) of every stored version of the period."""
    a = m.Actual
    stmt = (
        select(a.version, a.value, a.is_current, m.ImportBatch.user_name)
        .outerjoin(m.ImportBatch, m.ImportBatch.id == a.import_batch_id)
        .where(a.indicator_id == period.indicator_id, a.period_start == period.start, a.period_end == period.end)
        .order_by(a.version)
    )
    return _engine_do(url, lambda session: [tuple(r) for r in session.execute(stmt)])


def _batches(url: str) -> list[tuple[str, str]]:
    stmt = select(m.ImportBatch.outcome, m.ImportBatch.user_name).order_by(m.ImportBatch.id)
    return _engine_do(url, lambda session: [tuple(r) for r in session.execute(stmt)])


def _on_tab(at, tab: str):
    """Open the Project page's tab ``tab`` (``?tab=``: only the open tab runs) and run again."""
    at.query_params["tab"] = tab
    at.run()
    assert not at.exception, at.exception
    return at


def _open(period: Period):
    """The Project page on the period's project, "Report an actual" on the period."""
    at = signed_in("pages/project.py", period.email, project=period.project, tab=ENTRY_TAB).run()
    assert not at.exception, at.exception
    at.selectbox(key="entry_indicator").set_value(period.indicator_id).run()
    at.selectbox(key=f"entry_period_{period.indicator_id}").set_value((period.start, period.end)).run()
    assert not at.exception, at.exception
    return at


def _enter(at, value: str):
    next(t for t in at.text_input if t.label.startswith("Actual")).input(value)
    next(b for b in at.button if b.label == SAVE).click().run()
    assert not at.exception, at.exception
    return at


def _reported_now(at, period: Period) -> str:
    """The line stating what is stored for the period chosen (it stays chosen after a save)."""
    assert at.selectbox(key=f"entry_period_{period.indicator_id}").value == (period.start, period.end)
    return next(t.value for t in at.text if t.value.startswith(("Reported now", "Not reported")))


def test_a_valid_value_is_saved_shown_and_its_figures_refreshed(on_entry_db):
    period = _reported_periods(on_entry_db)[0]
    engine = get_engine(on_entry_db)
    scope = people.resolve(engine, period.email)
    today = PortfolioFilter(as_of=dt.date.today())
    evaluated.read(engine, scope, today, load_settings())  # today's stored figures exist before the save
    new = period.value + 7
    at = _enter(_open(period), actual_entry._text(new))
    assert any(s.value.startswith(f"The actual of {period.indicator} for ") for s in at.success), texts(at)
    assert _reported_now(at, period).startswith(f"Reported now: {actual_entry._text(new)} ")
    assert f"(version 2, reported on {dt.date.today()}, project monitoring)" in _reported_now(at, period)
    # the new version is current, the seeded one kept; the batch is the person's
    assert _versions(on_entry_db, period) == [(1, period.value, False, None), (2, new, True, period.email)]
    assert _batches(on_entry_db)[-1] == ("imported", period.email)
    # the status line of the tab is the freshly computed one, and the stored figures agree with it
    stored = evaluated.read(engine, scope, today, load_settings()).indicators.set_index("indicator_id")
    dispose_engine(engine)
    reasons = [md.value for md in at.markdown if stored.at[period.indicator_id, "reason"] in md.value]
    assert reasons, f"the stored reason {stored.at[period.indicator_id, 'reason']!r} is not on the page"


def test_a_text_in_the_number_field_is_refused_and_nothing_is_stored(on_entry_db):
    period = _reported_periods(on_entry_db)[1]
    before, batches = _versions(on_entry_db, period), _batches(on_entry_db)
    at = _enter(_open(period), "twelve")
    assert any(e.value.startswith("Not saved: nothing was written") for e in at.error)
    problems = table_with(at, "Problem")
    assert problems[["Field", "Value"]].values.tolist() == [["Actual", "twelve"]]
    # the form's words: no column of a workbook the person never saw ("the *_text column")
    assert problems["Problem"].tolist() == ["not a number; use digits with '.' for decimals"]
    assert _versions(on_entry_db, period) == before
    assert _batches(on_entry_db) == [*batches, ("rejected", period.email)]


def _read_only_project(url: str) -> tuple[str, str]:
    """(email, project) of a chief of mission who reads a project another office manages."""

    def work(session: Session) -> tuple[str, str]:
        for access in people.accesses(session.get_bind()):
            if access.role != "chief_of_mission" or not access.active:
                continue
            rules = WriteScope.load(session, people.resolve(session.get_bind(), access.email))
            refused = sorted(c for c in rules.readable if rules.refuse_stored(c))
            if refused:
                return access.email, refused[0]
        raise AssertionError("the sample has no chief of mission reading a project managed elsewhere")

    return _engine_do(url, work)


def test_a_project_outside_the_write_scope_offers_no_form_and_refuses_a_crafted_entry(on_entry_db):
    email, code = _read_only_project(on_entry_db)
    at = signed_in("pages/project.py", email, project=code).run()
    assert not at.exception, at.exception
    assert code in texts(at)  # the person reads the project...
    # its reports are due, but the managing office reports them: no (empty) pre-filled workbook
    assert any("of this project due or overdue" in c.value for c in at.caption)
    assert "Download this project's reports due, pre-filled" not in [b.label for b in at.get("download_button")]
    _on_tab(at, ENTRY_TAB)
    assert SAVE not in [b.label for b in at.button]  # ...but is offered no form, and told why
    assert any("not report its actuals" in i.value and code in i.value for i in at.info)
    # the rows the form would send, sent anyway under that person's scope
    engine = get_engine(on_entry_db)
    scope = people.resolve(engine, email)
    indicator = _engine_do(
        on_entry_db,
        lambda s: s.scalar(select(m.Indicator.code).join(m.Project).where(m.Project.code == code).limit(1)),
    )
    count = select(func.count()).select_from(m.Actual)
    stored = _engine_do(on_entry_db, lambda s: s.scalar(count))
    rows = actual_entry.entry_tables(code, indicator, (dt.date(2025, 1, 1), dt.date(2025, 3, 31)), {"actual": "5"})
    result = actual_entry.save(SimpleNamespace(database_url=on_entry_db, scope=scope, person=email), rows)
    dispose_engine(engine)
    assert result.outcome == "rejected"
    assert [(p.column, p.value) for p in result.report.errors] == [("project_code", code)]
    assert "you can import only" in result.report.errors[0].reason
    assert _engine_do(on_entry_db, lambda s: s.scalar(count)) == stored


def test_a_correction_keeps_the_old_value_in_the_history(on_entry_db):
    period = _reported_periods(on_entry_db)[2]
    first, second = period.value + 1, period.value + 2
    at = _enter(_open(period), actual_entry._text(first))
    at = _enter(at, actual_entry._text(second))
    assert _reported_now(at, period).startswith(f"Reported now: {actual_entry._text(second)} ")
    history = table_with(at, "Before")  # the period's own history, under the form
    value_changes = history.loc[history["Field"] == "value", ["By", "Before", "After"]].values.tolist()
    assert value_changes == [  # newest first: who, the value before, the value after
        [period.email, actual_entry._text(first), actual_entry._text(second)],
        [period.email, actual_entry._text(period.value), actual_entry._text(first)],
    ]
    assert history["When (UTC)"].notna().all()
    assert [v[:3] for v in _versions(on_entry_db, period)] == [
        (1, period.value, False),
        (2, first, False),
        (3, second, True),
    ]


def _current_breakdown(url: str, period: Period) -> tuple[tuple, dict]:
    """(female, male, other) and {(dimension, category): value} of the period's current version."""
    a = m.Actual
    where = (a.indicator_id == period.indicator_id, a.period_start == period.start, a.is_current)

    def work(session: Session):
        actual = session.scalars(select(a).where(*where)).one()
        rows = session.execute(
            select(m.ActualBreakdown.dimension, m.ActualBreakdown.category, m.ActualBreakdown.value).where(
                m.ActualBreakdown.actual_id == actual.id
            )
        )
        return (actual.female, actual.male, actual.other_sex), {(d, c): v for d, c, v in rows}

    return _engine_do(url, work)


def test_a_sex_and_age_breakdown_is_saved_with_the_value(on_entry_db):
    period = next(p for p in _reported_periods(on_entry_db)[3:] if p.disaggregation == "sex_age")
    at = _open(period)
    typed = {"Female": "25", "Male": "30", "Other or unknown sex": "5", "Age 0-17": "10", "Age 18-59": "40"}
    typed["Age 60+"] = "10"
    for label, value in typed.items():
        next(t for t in at.text_input if t.label == label).input(value)
    at = _enter(at, "60")
    assert any(s.value.startswith(f"The actual of {period.indicator} for ") for s in at.success), texts(at)
    sexes, breakdown = _current_breakdown(on_entry_db, period)
    assert sexes == (25, 30, 5)
    assert {k: v for k, v in breakdown.items() if k[0] == "age"} == {
        ("age", "0-17"): 10,
        ("age", "18-59"): 40,
        ("age", "60+"): 10,
    }
    assert [v[:3] for v in _versions(on_entry_db, period)][-1] == (2, 60, True)
