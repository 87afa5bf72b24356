"""Review meetings on the pages (AppTest): the Snapshots page freezes and lists snapshots; the
Portfolio, Off-track, Finance and Risks pages show the changes since a chosen snapshot, the same rows
(restricted to what each page is about) as ``data_access.changes.changes_since``; the Portfolio page
offers the review pack."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from components.review_view import for_page
from data_access.changes import changes_since
from data_access.db import dispose_engine, get_engine
from data_access.scope import Scope
from data_access.snapshots import create_snapshot, list_snapshots
from monitoring.settings import load_settings
from tests import page_portfolio as pp
from tests.pages_apptest import app, table_with, texts

TODAY = dt.date(2026, 11, 22)
FROZEN = dt.date(2026, 6, 30)
LATER = dt.date(2026, 10, 31)


@pytest.fixture(scope="module")
def review_db(tmp_path_factory) -> tuple[str, int]:
    url = pp.create_sample(tmp_path_factory.mktemp("pages_review") / "sample.db", projects=20, seed=5, today=TODAY)
    engine = get_engine(url)
    snapshot_id = create_snapshot(
        engine,
        name="Q2 review",
        scope=Scope.whole_organisation("administrator"),
        as_of=FROZEN,
        created_by="lead",
        settings=load_settings(),
    )
    dispose_engine(engine)
    return url, snapshot_id


@pytest.fixture
def on_review(review_db, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", review_db[0])
    return review_db


@pytest.mark.parametrize("page", ["portfolio", "off_track", "finance", "risks"])
def test_each_page_shows_the_changes_since_a_snapshot(on_review, page) -> None:
    url, snapshot_id = on_review
    at = app("app.py", as_of=LATER.isoformat()).run()
    if page != "portfolio":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    box = at.selectbox(key=f"changes_since_{page}")
    label = next(option for option in box.options if option.startswith(f"{snapshot_id} · Q2 review"))
    at = box.set_value(label).run()
    assert not at.exception, at.exception
    engine = get_engine(url)
    expected = for_page(
        changes_since(engine, snapshot_id, Scope.whole_organisation("administrator"), load_settings(), as_of=LATER),
        page,
    )
    dispose_engine(engine)
    assert len(expected) > 0
    shown = table_with(at, "cause")
    assert len(shown) == len(expected)
    assert shown["cause"].tolist() == expected["cause"].tolist()
    assert shown["kind"].tolist() == expected["kind"].tolist()
    assert f"{len(expected):,} changes" in texts(at)


def test_the_snapshots_page_freezes_and_lists_and_the_portfolio_offers_the_pack(on_review) -> None:
    url, _ = on_review
    at = app("app.py", as_of=LATER.isoformat()).run()
    assert [b.label for b in at.get("download_button")][:2] == ["Review pack (PDF)", "Review pack (PowerPoint)"]
    at.switch_page("pages/snapshots.py").run()
    assert not at.exception, at.exception
    assert at.text_input[0].placeholder == "Q4 2026 review"  # the example names the as-of quarter
    at.text_input[0].input("Q3 review")
    at = at.button[0].click().run()
    assert not at.exception, at.exception
    assert "Froze snapshot" in "\n".join(s.value for s in at.success)
    engine = get_engine(url)
    listed = list_snapshots(engine)
    dispose_engine(engine)
    newest = listed.iloc[0]
    # who froze it is the signed-in (demo) person, never a typed name
    assert (newest["name"], newest["frozen_by"], newest["as_of"]) == ("Q3 review", "demo:org", LATER)
    assert "Q3 review" in table_with(at, "frozen_by")["name"].tolist()


def test_a_chief_of_mission_sees_only_the_snapshots_of_their_country(on_review) -> None:
    url, _ = on_review
    engine = get_engine(url)
    country = pd.read_sql(
        "SELECT c.iso3 FROM countries c JOIN country_offices o ON o.country_id = c.id "
        "JOIN projects p ON p.managing_office_id = o.id ORDER BY c.iso3",
        engine,
    )["iso3"].iloc[0]
    dispose_engine(engine)
    at = app("app.py", **{"as": f"country:{country}"}).run()
    assert not at.exception, at.exception
    assert "Chief of mission" in texts(at)
    assert "No snapshot of this view yet" in texts(at)  # leadership's Q2 snapshot is not theirs
