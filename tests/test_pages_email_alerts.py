"""The sidebar's "Email alerts" (components/digest_control.py): a person sets their own digest
frequency, signed in or as the demo's person, and the change is an import batch recorded with who
made it; leadership sets anyone's on the Access page.

A small generated sample portfolio with its sample people (everyone weekly), its own file: the
changes made here would otherwise show in other tests' access history.
"""

from __future__ import annotations

import datetime as dt

import pytest

from data_access import people
from data_access.db import dispose_engine, get_engine
from tests import page_portfolio as pp
from tests.pages_apptest import app
from tests.test_pages_sign_in import _people, signed_in

TODAY = dt.date(2026, 1, 15)


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> str:
    return pp.create_sample(tmp_path_factory.mktemp("alerts") / "sample.db", projects=24, seed=7, today=TODAY)


@pytest.fixture
def on_sample_db(sample_db, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", sample_db)
    return sample_db


def _stored(url: str, email: str) -> tuple[str, list]:
    engine = get_engine(url)
    try:
        return people.frequency_of(people.accesses(engine, email)), people.access_history(engine)
    finally:
        dispose_engine(engine)


def _choose(at, email: str, frequency: str):
    at.radio(key=f"email_alerts_choice:{email}").set_value(frequency)
    return at.button(key="email_alerts_save").click().run()


def test_a_signed_in_person_sets_their_own_frequency(on_sample_db):
    chief = _people(on_sample_db)["union"]  # two rows (chief of mission and programme manager): both change
    at = signed_in("app.py", chief).run()
    assert not at.exception
    assert at.radio(key=f"email_alerts_choice:{chief}").value == "weekly"
    at = _choose(at, chief, "daily")
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["Email alerts: daily (saved)."]
    frequency, history = _stored(on_sample_db, chief)
    assert frequency == "daily"
    mine = history.loc[history["Person"] == chief, ["Changed by", "Change", "Before", "After"]]
    assert mine.values.tolist() == [[chief, "digest", "weekly", "daily"]] * 2


def test_leadership_viewing_as_someone_sets_only_their_own(on_sample_db):
    choice = _people(on_sample_db)
    leader, director = choice["leadership"], choice["regional_director"]
    at = signed_in("app.py", leader).run()
    at.selectbox(key="view_as_person").set_value(director).run()
    at = _choose(at, leader, "off")
    assert not at.exception and not at.error
    assert _stored(on_sample_db, leader)[0] == "off"
    assert _stored(on_sample_db, director)[0] == "weekly"


def test_the_demo_person_sets_the_frequency_of_the_person_holding_that_role(on_sample_db):
    at = app("app.py", **{"as": "region"}).run()
    assert not at.exception
    region = at.selectbox(key="view_who").value
    email = f"rd.{region.lower()}@example.org"  # sample_data/people.py
    at = _choose(at, email, "daily")
    assert not at.exception and not at.error
    frequency, history = _stored(on_sample_db, email)
    assert frequency == "daily"
    assert history.loc[history["Person"] == email, "Changed by"].tolist() == [f"demo:region:{region}"]


def test_leadership_sets_a_persons_frequency_on_the_access_page(on_sample_db):
    choice = _people(on_sample_db)
    leader, manager = choice["leadership"], choice["programme_manager"]
    engine = get_engine(on_sample_db)
    try:
        (row,) = people.accesses(engine, manager)
    finally:
        dispose_engine(engine)
    at = signed_in("pages/access.py", leader).run()
    at.text_input(key="access_email").input(manager)
    at.text_input(key="access_name").input(row.name)
    at.selectbox(key="access_role").set_value("programme_manager")
    at.selectbox(key="access_digest").set_value("off")
    next(b for b in at.button if b.label == "Save access").click().run()
    assert not at.exception and not at.error
    assert _stored(on_sample_db, manager)[0] == "off"
    assert "Email alerts" in at.dataframe[0].value.columns
