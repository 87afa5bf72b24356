"""The latest comment of an indicator shows beside its status reason (issue 16, part 4): on the
Project page (results matrix, its download, and under the chosen indicator's reason) and in the
Off-track list, on the hand-built portfolio of tests/page_portfolio.py."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from data_access import models as m
from data_access.db import dispose_engine, get_engine
from tests import page_portfolio as pp
from tests.pages_apptest import app, table_with, texts

AS_OF = pp.AS_OF.isoformat()
FLOODS = "Distribution delayed by floods"


@pytest.fixture(scope="module")
def commented_db(tmp_path_factory) -> str:
    """The hand-built portfolio with a comment on PX.A2's only reported period (off track)."""
    url = pp.create(tmp_path_factory.mktemp("pages_comments") / "hand.db")
    engine = get_engine(url)
    with Session(engine) as session:
        a2 = session.scalars(select(m.Project).where(m.Project.code == "PX.A2")).one()
        ids = select(m.Indicator.id).where(m.Indicator.project_id == a2.id)
        session.execute(update(m.Actual).where(m.Actual.indicator_id.in_(ids)).values(comment=FLOODS))
        session.commit()
    dispose_engine(engine)
    return url


@pytest.fixture(autouse=True)
def on_commented_db(commented_db, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", commented_db)


def test_project_page_shows_the_comment_beside_the_reason():
    at = app("pages/project.py", project="PX.A2", as_of=AS_OF).run()
    assert not at.exception
    matrix = table_with(at, "Result / indicator").set_index("Code")
    assert matrix.loc["I1", "Latest comment"] == FLOODS
    assert matrix.loc["OC1", "Latest comment"] == ""  # result rows stay blank
    # the chosen indicator's comment, beside its chart (its own tab: only the open tab runs)
    at = app("pages/project.py", project="PX.A2", as_of=AS_OF, tab="Indicator charts").run()
    assert not at.exception
    assert f"**Latest comment:** {FLOODS}" in texts(at)


def test_project_page_without_comment_shows_none():
    at = app("pages/project.py", project="PX.A1", as_of=AS_OF).run()
    assert not at.exception
    assert table_with(at, "Result / indicator").set_index("Code").loc["I1", "Latest comment"] == ""
    at = app("pages/project.py", project="PX.A1", as_of=AS_OF, tab="Indicator charts").run()
    assert not at.exception and at.selectbox(key="indicator_pick").value is not None
    assert "Latest comment:" not in texts(at)


def test_off_track_list_shows_the_comment():
    at = app("app.py", as_of=AS_OF).run()
    at.switch_page("pages/off_track.py").run()
    assert not at.exception, at.exception
    table = table_with(at, "Gap (pp)")
    assert table.set_index("Project").loc["PX.A2", "Latest comment"] == FLOODS


def test_comment_before_its_period_ended_is_not_shown():
    # before PX.A2's period ended, its comment does not explain the status yet
    at = app("pages/project.py", project="PX.A2", as_of=pp.BEFORE_ANY_ACTUAL.isoformat()).run()
    assert not at.exception
    assert table_with(at, "Result / indicator").set_index("Code").loc["I1", "Latest comment"] == ""
