"""People and their access, on SQLite and PostgreSQL: the ``people`` table is imported like every
table (leadership only), validated with located errors, versioned in the history, and a verified
email resolves to the union of the person's active rows (data_access/people.py).

The stored portfolio is ``BASE_FILES`` (PX.0001: managed by Kenya, implemented in Kenya and Uganda,
region RONE, manager "A. Manager") plus PX.0002 (managed by Uganda, manager "B. Manager"). Every
expected scope below is written out by hand.
"""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from data_access import models as m
from data_access import people
from data_access.db import alembic_config, dispose_engine, get_engine, upgrade
from data_access.history import project_history
from data_access.importers.forms import submit_rows
from data_access.importers.writer import import_files
from data_access.queries import readable_projects
from data_access.scope import Scope
from tests.conftest import DATABASES, _create_postgres_database, _drop_postgres_database
from tests.importers_support import BASE_FILES, IMPORT_DAY, do_import, fingerprint, parse

HEADER = "email,name,role,scope,active\n"
PX2 = (
    BASE_FILES["projects.csv"].splitlines()[0]
    + "\nPX.0002,Border management,UGA,UGA,RONE,ECHO,Labour mobility,2024-01-01,2026-12-31,,active,USD,B. Manager,no"
    + "," * 8
    + "\n"
)
PEOPLE = HEADER + (
    "Leader@Example.org,Lea Leader,leadership,,yes\n"
    "rd.rone@example.org,Rui Director,regional_director,RONE,yes\n"
    "com.uga@example.org,Uma Chief,chief_of_mission,uga,yes\n"
    "com.uga@example.org,Uma Chief,programme_manager,PX.0001,yes\n"
    "b.manager@example.org,B. Manager,programme_manager,,yes\n"
    "gone@example.org,Gone Person,chief_of_mission,KEN,no\n"
)


@pytest.fixture
def stored(session: Session) -> Session:
    assert do_import(session, BASE_FILES).ok
    assert do_import(session, {"projects.csv": PX2}).ok
    result = import_files(session, parse({"people.csv": PEOPLE}), user="administrator", scope=ADMIN, as_of=IMPORT_DAY)
    assert result.outcome == "imported", result.report.to_text()
    return session


ADMIN = Scope.whole_organisation("administrator")


def _readable(session: Session, scope: Scope) -> set[str]:
    return set(session.scalars(select(m.Project.code).where(m.Project.id.in_(readable_projects(scope)))))


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("leader@example.org", {"PX.0001", "PX.0002"}),
        ("LEADER@example.org ", {"PX.0001", "PX.0002"}),  # providers differ in case; compared lower-case
        ("rd.rone@example.org", {"PX.0001", "PX.0002"}),
        # chief of mission of Uganda reads PX.0002 (managed) and PX.0001 (implemented in Uganda) ...
        ("com.uga@example.org", {"PX.0001", "PX.0002"}),
        # ... a manager only the projects naming them
        ("b.manager@example.org", {"PX.0002"}),
    ],
)
def test_a_verified_email_resolves_to_what_the_person_may_read(stored: Session, email, expected) -> None:
    scope = people.resolve(stored.connection(), email)
    assert scope is not None and scope.person == email.strip().lower()
    assert _readable(stored, scope) == expected


@pytest.mark.parametrize("email", ["gone@example.org", "nobody@example.org", "", None])
def test_an_unknown_or_inactive_email_has_no_scope(stored: Session, email) -> None:
    assert people.resolve(stored.connection(), email) is None


def test_several_rows_of_one_person_are_one_union_scope(stored: Session) -> None:
    scope = people.resolve(stored.connection(), "com.uga@example.org")
    assert (scope.countries, scope.projects, scope.managers) == (
        ("UGA",),
        ("PX.0001",),
        ("com.uga@example.org", "uma chief"),
    )
    assert scope.label == "Uma Chief · Chief of mission (Uganda) + Programme manager"  # the place by its name
    # one person is one value (one cache key), however the rows were ordered
    assert scope == people.resolve(stored.connection(), "COM.UGA@example.org")


def test_a_union_writes_what_any_part_may(stored: Session) -> None:
    """Uganda's chief may not write Kenya's PX.0001 as a chief, but may as its programme manager."""
    scope = people.resolve(stored.connection(), "com.uga@example.org")
    retitled = BASE_FILES["projects.csv"].replace("Safe migration,", "Safer migration,")
    result = import_files(stored, parse({"projects.csv": retitled}), user=scope.person, scope=scope, as_of=IMPORT_DAY)
    assert result.outcome == "imported", result.report.to_text()
    batch = stored.get(m.ImportBatch, result.batch_id)
    assert batch.user_name == "com.uga@example.org"


def test_only_leadership_imports_people(stored: Session) -> None:
    before = fingerprint(stored)
    chief = people.resolve(stored.connection(), "com.uga@example.org")
    rows = HEADER + "new@example.org,New Person,leadership,,yes\n"
    result = import_files(stored, parse({"people.csv": rows}), user=chief.person, scope=chief, as_of=IMPORT_DAY)
    assert result.outcome == "rejected"
    assert [(p.file, p.row, p.reason) for p in result.report.errors] == [
        (
            "people.csv",
            2,
            "people are organisation-wide; as chief of mission of Uganda and programme manager of PX.0001 you "
            "cannot import them: leadership imports them",
        )
    ]
    assert fingerprint(stored) == before


BAD = [
    ("not-an-email,X,leadership,,yes\n", "email", "not-an-email", "not an email address, e.g. name@example.org"),
    ("a@example.org,A,boss,,yes\n", "role", "boss", None),
    (
        "a@example.org,A,leadership,KEN,yes\n",
        "scope",
        None,
        "leadership sees the whole organisation: leave scope empty",
    ),
    (
        "a@example.org,A,chief_of_mission,,yes\n",
        "scope",
        None,
        "a chief of mission needs ISO3 country codes in scope, separated by ';'",
    ),
    (
        "a@example.org,A,chief_of_mission,Kenya,yes\n",
        "scope",
        None,
        "'Kenya' is not an ISO3 country code (three letters, e.g. KEN)",
    ),
    (
        "a@example.org,A,chief_of_mission,XYZ,yes\n",
        "scope",
        "XYZ",
        "no country with this ISO3 code in the database or this import",
    ),
    (
        "a@example.org,A,regional_director,RO-NOPE,yes\n",
        "scope",
        "RO-NOPE",
        "no such regional office code in the database or this import",
    ),
    (
        "a@example.org,A,programme_manager,PX.9999,yes\n",
        "scope",
        "PX.9999",
        "no such project in this import or in the database",
    ),
    ("a@example.org,A,leadership,,maybe\n", "active", "maybe", "write yes or no"),
]


@pytest.mark.parametrize(("row", "column", "value", "reason"), BAD)
def test_a_bad_people_row_is_located_and_nothing_is_written(stored: Session, row, column, value, reason) -> None:
    before = fingerprint(stored)
    result = import_files(
        stored, parse({"people.csv": HEADER + row}), user="administrator", scope=ADMIN, as_of=IMPORT_DAY
    )
    assert result.outcome == "rejected"
    (problem,) = result.report.errors
    assert (problem.file, problem.row, problem.column) == ("people.csv", 2, column)
    if value is not None:
        assert problem.value == value
    if reason is not None:
        assert problem.reason == reason
    assert fingerprint(stored) == before


def test_an_access_change_is_versioned_with_who_made_it(stored: Session) -> None:
    changed = PEOPLE.replace(
        "gone@example.org,Gone Person,chief_of_mission,KEN,no", "gone@example.org,Gone Person,chief_of_mission,KEN,yes"
    )
    result = import_files(
        stored, parse({"people.csv": changed}), user="leader@example.org", scope=ADMIN, as_of=IMPORT_DAY
    )
    assert result.outcome == "imported"
    assert people.resolve(stored.connection(), "gone@example.org").countries == ("KEN",)
    history = stored.scalars(
        select(m.RowHistory).where(m.RowHistory.table_name == "people", m.RowHistory.action == "update")
    ).all()
    assert [(h.field, h.old_value, h.new_value) for h in history] == [("active", "no", "yes")]
    assert stored.get(m.ImportBatch, history[0].import_batch_id).user_name == "leader@example.org"
    assert project_history  # the project history reader is unchanged: people rows belong to no project


def test_view_as_is_logged(engine) -> None:
    people.record_view_as(engine, viewer="leader@example.org", viewed="com.uga@example.org")
    log = people.view_as_log(engine)
    assert log.iloc[0][["Who", "Viewed as"]].tolist() == ["leader@example.org", "com.uga@example.org"]


def test_every_person_is_weekly_until_they_choose(stored: Session) -> None:
    rows = people.accesses(stored.connection())
    assert {r.digest for r in rows} == {"weekly"}
    assert people.frequency_of(people.accesses(stored.connection(), "gone@example.org")) == "off"  # no active row


def test_a_person_changes_their_own_digest_on_every_row_of_theirs(stored: Session) -> None:
    chief = people.resolve(stored.connection(), "com.uga@example.org")
    rows = people.digest_rows(stored.connection(), "com.uga@example.org", "daily")
    assert rows == [
        {"email": "com.uga@example.org", "name": "Uma Chief", "role": "chief_of_mission", "digest": "daily"},
        {"email": "com.uga@example.org", "name": "Uma Chief", "role": "programme_manager", "digest": "daily"},
    ]
    result = submit_rows(stored, "people", rows, scope=chief, person=chief.person, as_of=IMPORT_DAY)
    assert result.outcome == "imported", result.report.to_text()
    mine = people.accesses(stored.connection(), "com.uga@example.org")
    assert [r.digest for r in mine] == ["daily", "daily"] and people.frequency_of(mine) == "daily"
    assert people.resolve(stored.connection(), "com.uga@example.org") == chief  # access itself unchanged
    history = stored.scalars(
        select(m.RowHistory).where(m.RowHistory.table_name == "people", m.RowHistory.action == "update")
    ).all()
    assert [(h.field, h.old_value, h.new_value) for h in history] == [("digest", "weekly", "daily")] * 2
    assert stored.get(m.ImportBatch, history[0].import_batch_id).user_name == "com.uga@example.org"


UMA = {"email": "com.uga@example.org", "name": "Uma Chief", "role": "chief_of_mission", "digest": "daily"}


def test_a_person_may_send_their_whole_row_unchanged_but_the_digest(stored: Session) -> None:
    chief = people.resolve(stored.connection(), "com.uga@example.org")
    row = {**UMA, "scope": "UGA", "active": True}  # e.g. a people.csv of their own row, as exported
    assert submit_rows(stored, "people", [row], scope=chief, person=chief.person, as_of=IMPORT_DAY).ok


@pytest.mark.parametrize(
    "row",
    [
        # someone else's frequency
        {"email": "b.manager@example.org", "name": "B. Manager", "role": "programme_manager", "digest": "off"},
        # their own row, but more than the frequency: scope, active, name stay leadership's
        {**UMA, "scope": "UGA;KEN"},
        {**UMA, "active": False},
        {**UMA, "name": "Uma"},
        # a role they do not hold: nobody grants themselves access
        {**UMA, "role": "leadership"},
    ],
)
def test_a_person_changes_nothing_else_about_people(stored: Session, row: dict) -> None:
    before = fingerprint(stored)
    chief = people.resolve(stored.connection(), "com.uga@example.org")
    result = submit_rows(stored, "people", [row], scope=chief, person=chief.person, as_of=IMPORT_DAY)
    assert result.outcome == "rejected"
    (problem,) = result.report.errors
    assert problem.reason.startswith("people are organisation-wide; as chief of mission of Uganda")
    assert fingerprint(stored) == before


def test_leadership_sets_anyones_digest_and_a_bad_value_is_refused(stored: Session) -> None:
    leader = people.resolve(stored.connection(), "leader@example.org")
    row = {"email": "b.manager@example.org", "name": "B. Manager", "role": "programme_manager", "digest": "off"}
    assert submit_rows(stored, "people", [row], scope=leader, person=leader.person, as_of=IMPORT_DAY).ok
    assert people.frequency_of(people.accesses(stored.connection(), "b.manager@example.org")) == "off"
    bad = {**row, "digest": "hourly"}
    result = submit_rows(stored, "people", [bad], scope=leader, person=leader.person, as_of=IMPORT_DAY)
    assert result.outcome == "rejected" and result.report.errors[0].column == "digest"


def test_the_demo_stand_in_of_a_role_is_a_person_of_people(stored: Session) -> None:
    bind = stored.connection()
    assert people.holder_of(bind, "leadership", None) == "leader@example.org"
    assert people.holder_of(bind, "chief_of_mission", "UGA") == "com.uga@example.org"
    assert people.holder_of(bind, "chief_of_mission", "KEN") is None  # gone@ is inactive
    assert people.holder_of(bind, "regional_director", "RONE") == "rd.rone@example.org"
    assert people.holder_of(bind, "programme_manager", "B. Manager") == "b.manager@example.org"
    # narrowed in SQL by a text match, then exactly: a part of a code or a name is nobody's
    assert people.holder_of(bind, "chief_of_mission", "UG") is None
    assert people.holder_of(bind, "programme_manager", "B. Man") is None
    assert people.holder_of(bind, "programme_manager", "%") is None


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=DATABASES[1].marks)])
def test_the_digest_column_migrates_down_and_up_keeping_access(kind, tmp_path) -> None:
    """0011_digest_frequency on a database with people: down drops only the column, up gives
    everyone the weekly default back (the rows and their access are untouched)."""
    url = f"sqlite:///{tmp_path / 'm.db'}" if kind == "sqlite" else _create_postgres_database()
    engine = get_engine(url)
    try:
        upgrade(engine, "0010_people")
        with engine.begin() as connection:
            connection.execute(  # the table as 0010 made it (the model now has the digest column)
                text("INSERT INTO people (email, name, role, active) VALUES ('a@example.org', 'A', 'leadership', true)")
            )
        upgrade(engine)
        assert [(r.email, r.digest) for r in people.accesses(engine)] == [("a@example.org", "weekly")]
        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0010_people")
        assert "digest" not in {c["name"] for c in inspect(engine).get_columns("people")}
        upgrade(engine)
        assert people.resolve(engine, "a@example.org").organisation
    finally:
        dispose_engine(engine)
        if kind == "postgresql":
            _drop_postgres_database(url)
