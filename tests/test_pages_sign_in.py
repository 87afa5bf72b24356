"""Sign-in (components/identity.py) with AppTest's ``at.user``: every page, run on its own as on a
cold deep link, shows each signed-in role only its scope; an unknown and an inactive email see the
"no access yet" page and nothing else; leadership's "view as" is labelled and logged.

The database is a small generated sample portfolio with its sample people (sample_data/people.py).
What each person may see is read with ``readable_projects`` (the query every page builds on, tested
on its own by tests/test_data_access_queries.py); here the pages must not show any project code
outside it, in any text or table.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from components import people_picker
from components.navigation import existing_pages
from data_access import models as m
from data_access import people
from data_access.db import dispose_engine, get_engine
from data_access.queries import readable_projects
from tests import page_portfolio as pp
from tests.pages_apptest import app, signed_in, texts

TODAY = dt.date(2026, 1, 15)
CODE = re.compile(r"\b[A-Z]{2}\.\d{4}\b")


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> str:
    return pp.create_sample(tmp_path_factory.mktemp("sign_in") / "sample.db", projects=24, seed=7, today=TODAY)


@pytest.fixture
def on_sample_db(sample_db, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", sample_db)
    return sample_db


def _people(url: str) -> dict[str, str]:
    """One email per role of the sample people (the first of each), plus the union and the inactive one."""
    engine = get_engine(url)
    try:
        rows = people.accesses(engine)
    finally:
        dispose_engine(engine)
    first = {}
    for row in rows:
        if row.active:
            first.setdefault(row.role, row.email)
    by_email: dict[str, list] = {}
    for row in rows:
        by_email.setdefault(row.email, []).append(row)
    first["union"] = next(e for e, rs in by_email.items() if len({r.role for r in rs if r.active}) > 1)
    first["inactive"] = next(r.email for r in rows if not r.active)
    return first


def _visible_codes(url: str, email: str) -> tuple[set[str], set[str]]:
    """(codes the person may read, every stored code)."""
    engine = get_engine(url)
    try:
        scope = people.resolve(engine, email)
        with engine.connect() as connection:
            every = set(connection.scalars(select(m.Project.code)))
            mine = set(connection.scalars(select(m.Project.code).where(m.Project.id.in_(readable_projects(scope)))))
    finally:
        dispose_engine(engine)
    return mine, every


def _shown_codes(at) -> set[str]:
    shown = set(CODE.findall(texts(at)))
    for frame in at.dataframe:
        shown |= set(CODE.findall(frame.value.to_csv()))
    for box in [*at.selectbox, *at.multiselect]:
        shown |= set(CODE.findall(" ".join(map(str, box.options))))
    return shown


ROLES = ["leadership", "regional_director", "chief_of_mission", "programme_manager", "union"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", [spec.file for spec in existing_pages()])
def test_every_page_shows_each_role_only_its_scope(on_sample_db, role, page):
    email = _people(on_sample_db)[role]
    mine, every = _visible_codes(on_sample_db, email)
    assert mine and (role == "leadership") == (mine == every)
    at = signed_in(page, email).run()
    assert not at.exception, at.exception
    assert "No access yet" not in texts(at)
    shown = _shown_codes(at)
    assert shown <= mine, f"{role} {email} sees {sorted(shown - mine)} outside their scope on {page}"
    if page in ("pages/portfolio.py", "pages/project.py"):  # pages listing projects: the check has teeth
        assert shown
    assert any(b.label == "Sign out" for b in at.button)


@pytest.mark.parametrize("who", ["unknown", "inactive"])
@pytest.mark.parametrize("page", ["app.py", *(spec.file for spec in existing_pages())])
def test_unknown_and_inactive_people_see_no_figure_name_or_code(on_sample_db, who, page):
    email = "stranger@example.org" if who == "unknown" else _people(on_sample_db)["inactive"]
    at = signed_in(page, email).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["No access yet"]
    assert not at.metric and not at.dataframe and not at.selectbox and not at.multiselect
    assert not CODE.findall(texts(at))
    assert email in texts(at)


def test_an_email_the_provider_did_not_verify_has_no_access(on_sample_db):
    at = signed_in("app.py", _people(on_sample_db)["leadership"])
    at.user["email_verified"] = False
    at.run()
    assert [t.value for t in at.title] == ["No access yet"]


def test_signed_out_visitors_are_asked_to_sign_in(on_sample_db):
    at = signed_in("pages/finance.py", None).run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.metric and not at.dataframe and not CODE.findall(texts(at))


def test_a_link_naming_another_view_is_ignored_with_a_message(on_sample_db):
    email = _people(on_sample_db)["chief_of_mission"]
    mine, _every = _visible_codes(on_sample_db, email)
    at = signed_in("app.py", email, **{"as": "org"}).run()
    assert not at.exception
    assert "The link named a view (org); it is ignored: you see what your access allows." in texts(at)
    assert "as" not in at.query_params
    assert _shown_codes(at) <= mine


def test_leadership_views_as_another_person_labelled_and_logged(on_sample_db):
    choice = _people(on_sample_db)
    leader, chief = choice["leadership"], choice["chief_of_mission"]
    mine, _every = _visible_codes(on_sample_db, chief)
    at = signed_in("app.py", leader).run()
    at.selectbox(key="view_as_person").set_value(chief).run()
    assert not at.exception
    assert any(w.value.startswith("Viewing as ") and "This is logged." in w.value for w in at.warning)
    assert _shown_codes(at) <= mine
    at.run()  # another run of the same view is not another event
    engine = get_engine(on_sample_db)
    try:
        log = people.view_as_log(engine)
    finally:
        dispose_engine(engine)
    assert log[["Who", "Viewed as"]].values.tolist()[:1] == [[leader, chief]]
    assert (log["Viewed as"] == chief).sum() == 1


def _labels(url: str) -> dict[str, str]:
    """Email → "View as" label of every person with active access, in the order of the list (by label)."""
    engine = get_engine(url)
    try:
        rows = people.accesses(engine)  # places by their names: "Chief of mission (Mexico)"
        listed = people.labelled(rows, people.place_names_of(engine, rows))
        return dict(sorted(listed, key=lambda pair: pair[1].lower()))
    finally:
        dispose_engine(engine)


def _viewed(url: str) -> list[str]:
    engine = get_engine(url)
    try:
        return people.view_as_log(engine)["Viewed as"].tolist()
    finally:
        dispose_engine(engine)


def test_a_few_people_are_one_selectbox_of_them_all(on_sample_db):
    leader = _people(on_sample_db)["leadership"]
    labels = _labels(on_sample_db)
    at = signed_in("app.py", leader).run()
    box = at.selectbox(key="view_as_person")
    assert box.options == [f"Myself ({labels.pop(leader)})", *labels.values()]
    assert box.value == leader
    assert not at.text_input


def test_many_people_are_searched_and_the_viewed_person_stays_across_searches(on_sample_db, monkeypatch):
    monkeypatch.setattr(people_picker, "PLAIN_UP_TO", 3)
    monkeypatch.setattr(people_picker, "MATCHES_SHOWN", 2)
    choice, labels = _people(on_sample_db), _labels(on_sample_db)
    leader, chief, director = choice["leadership"], choice["chief_of_mission"], choice["regional_director"]
    before = len(_viewed(on_sample_db))
    at = signed_in("app.py", leader).run()
    assert len(at.selectbox(key="view_as_person").options) <= 3  # Myself and the first two by name
    assert f"{len(labels)} people with access: the list shows the first 2 by name; search to find any other." in [
        c.value for c in at.caption
    ]
    at.text_input(key="view_as_person_find").set_value(chief).run()
    assert at.selectbox(key="view_as_person").options == [f"Myself ({labels[leader]})", labels[chief]]
    assert any(c.value.startswith(f"1 of {len(labels)} people with access match") for c in at.caption)
    at.selectbox(key="view_as_person").set_value(chief).run()
    for text in (director, "no such person", ""):  # a new search lists others, and keeps who is viewed
        at.text_input(key="view_as_person_find").set_value(text).run()
        assert not at.exception
        assert at.selectbox(key="view_as_person").value == chief
        assert labels[chief] in at.selectbox(key="view_as_person").options
        assert any(w.value.startswith(f"Viewing as {labels[chief]}") for w in at.warning)
    at.text_input(key="view_as_person_find").set_value(director).run()
    at.selectbox(key="view_as_person").set_value(director).run()
    at.text_input(key="view_as_person_find").set_value("").run()
    assert at.selectbox(key="view_as_person").value == director
    at.selectbox(key="view_as_person").set_value(leader).run()
    assert not at.warning
    assert _viewed(on_sample_db)[: len(_viewed(on_sample_db)) - before] == [director, chief]  # each switch once


def test_nobody_else_has_view_as(on_sample_db):
    at = signed_in("app.py", _people(on_sample_db)["regional_director"]).run()
    assert "view_as_person" not in [s.key for s in at.selectbox]
    assert "view_role" not in [s.key for s in at.selectbox]


def test_a_server_that_requires_sign_in_refuses_the_demo(on_sample_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_REQUIRE_SIGN_IN", "1")
    at = app("pages/portfolio.py").run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Sign-in is required on this server but is not set up yet: please ask the administrator to set it "
        "up (for them: DASHBOARD_REQUIRE_SIGN_IN=1 and no [auth] section is configured)."
    ]
    assert not at.metric and not at.dataframe


@pytest.mark.parametrize("page", ["app.py", "pages/finance.py", "pages/data.py"])
def test_the_demo_says_so_on_every_page(on_sample_db, page):
    at = app(page).run()
    assert not at.exception
    assert any(i.value.startswith("**Demo**: no sign-in is configured") for i in at.info)
    assert at.selectbox(key="view_role").label == "Demo: choose who you are"


def _save(at) -> None:
    next(b for b in at.button if b.label == "Save access").click().run()


def test_leadership_adds_changes_and_withdraws_access_on_the_access_page(on_sample_db):
    leader = _people(on_sample_db)["leadership"]
    at = signed_in("pages/access.py", leader).run()
    assert not at.exception
    at.text_input(key="access_email").input("New.Chief@Example.org")
    at.text_input(key="access_name").input("New Chief")
    at.selectbox(key="access_role").set_value("chief_of_mission")
    at.text_input(key="access_scope").input("XYZ")
    _save(at)
    assert any("Nothing was changed" in e.value for e in at.error)
    assert [t.value for t in at.text] == ["scope: XYZ - no country with this ISO3 code in the database or this import"]
    engine = get_engine(on_sample_db)
    try:
        assert people.resolve(engine, "new.chief@example.org") is None  # nothing written
        country = people.resolve(engine, _people(on_sample_db)["chief_of_mission"]).countries[0]
    finally:
        dispose_engine(engine)
    at.text_input(key="access_scope").input(country)
    _save(at)
    assert any(s.value.startswith("Access of new.chief@example.org saved") for s in at.success)
    engine = get_engine(on_sample_db)
    try:
        assert people.resolve(engine, "new.chief@example.org").countries == (country,)
    finally:
        dispose_engine(engine)
    at = signed_in("pages/access.py", leader).run()
    box = at.selectbox(key="access_deactivate")
    box.select_index(next(i for i, o in enumerate(box.options) if "new.chief@example.org" in o)).run()
    at.button(key="access_deactivate_button").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error] + [t.value for t in at.text]
    assert any(s.value.startswith("Access of new.chief@example.org as chief of mission withdrawn") for s in at.success)
    engine = get_engine(on_sample_db)
    try:
        assert people.resolve(engine, "new.chief@example.org") is None
        history = people.access_history(engine)
        assert history[["Changed by", "Person", "Role", "Change", "Before", "After"]].values.tolist() == [
            [leader, "new.chief@example.org", "Chief of mission", "active", "yes", "no"],
            [leader, "new.chief@example.org", "Chief of mission", "Access added", "", ""],
        ]
        with engine.connect() as connection:
            batches = connection.execute(select(m.ImportBatch.user_name, m.ImportBatch.file_format)).all()
        assert batches.count((leader, "form")) == 3  # refused, added, withdrawn: each a batch by the leader
    finally:
        dispose_engine(engine)
    at = signed_in("pages/access.py", _people(on_sample_db)["chief_of_mission"]).run()
    assert "Only leadership manages access. Ask leadership to add or change yours." in [i.value for i in at.info]
    assert not at.dataframe
