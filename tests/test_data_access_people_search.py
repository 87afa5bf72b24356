"""Finding a person to view as (people with active access) or a demo manager (names of
``projects.manager``): best matches first, bounded, labelled as before, and the kept choice listed
only while it is still someone of the list."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from data_access import models as m
from data_access import people
from data_access.people_search import count_managers, count_people, find_managers, find_people
from tests import factories as f

# email: [(name, role, codes, active)]; Kenya is in region "East and Horn", code RO-EH
PEOPLE = {
    "lea@example.org": [("Lea Leader", "leadership", "", True)],
    "rd.eh@example.org": [("Rui Director", "regional_director", "RO-EH", True)],
    "com.ken@example.org": [
        ("Uma Chief", "chief_of_mission", "QKE", True),
        ("Uma Chief", "programme_manager", "", True),
    ],
    "ann@example.org": [("Ann Annan", "programme_manager", "PX.1; PX.2", True)],
    "annabel@example.org": [("Bel Ann", "programme_manager", "", True)],
    "pct@example.org": [("Fifty 50% Person", "programme_manager", "", True)],
    "gone@example.org": [("Ann Gone", "chief_of_mission", "QKE", False)],
}
# manager name: projects (spaces around a name are not part of it)
MANAGERS = {"Ann Annan": 2, " Bel Ann ": 1, "Cid": 3, "Annabel Rossi": 1}


@pytest.fixture
def world(session: Session) -> None:
    region = f.make_region(session, code="RO-EH", name="East and Horn")
    office = f.make_country_office(session, f.make_country(session, region, iso3="QKE", name="Kenya"))
    for email, rows in PEOPLE.items():
        for name, role, codes, active in rows:
            session.add(m.Person(email=email, name=name, role=role, scope=codes or None, active=active))
    for name, n in MANAGERS.items():
        for _ in range(n):
            f.make_project(session, office, manager=name)
    f.make_project(session, office, manager=None)
    session.flush()


def emails(session: Session, text: str, *, limit: int = 10, keep: str | None = None) -> tuple[list[str], int]:
    found = find_people(session.connection(), text, limit=limit, keep=keep)
    return [email for email, _label in found.listed], found.matched


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # blank: everyone with an active row, by name (the inactive person is nobody's choice)
        (
            "",
            [
                "ann@example.org",
                "annabel@example.org",
                "pct@example.org",
                "lea@example.org",
                "rd.eh@example.org",
                "com.ken@example.org",
            ],
        ),
        ("ANN@example.org", ["ann@example.org"]),  # the exact email, in any case
        ("ann", ["ann@example.org", "annabel@example.org"]),  # emails or names starting with it first
        ("kenya", ["com.ken@example.org"]),  # the name of an office of theirs
        ("east horn", ["rd.eh@example.org"]),  # a regional office's name, every word
        ("ro-eh", ["rd.eh@example.org"]),  # an office code
        ("px.2", ["ann@example.org"]),  # a project code of theirs
        ("chief", ["com.ken@example.org"]),  # a word of their role
        ("uma manager", ["com.ken@example.org"]),  # words of two rows of one person
        ("50%", ["pct@example.org"]),  # % and _ are matched literally
        ("5_%", []),
        ("gone", []),  # deactivated
    ],
)
def test_people_best_first(session: Session, world: None, text: str, expected: list[str]) -> None:
    assert emails(session, text) == (expected, len(expected))


def test_labels_are_the_scope_labels_of_view_as(session: Session, world: None) -> None:
    found = dict(find_people(session.connection(), "uma", limit=5).listed)
    assert found == {"com.ken@example.org": people.resolve(session.connection(), "com.ken@example.org").label}
    assert found["com.ken@example.org"] == "Uma Chief · Chief of mission (Kenya) + Programme manager"


def test_people_bounded_count_not_and_kept_only_while_active(session: Session, world: None) -> None:
    assert count_people(session.connection()) == 6
    assert emails(session, "", limit=2) == (["ann@example.org", "annabel@example.org"], 6)
    assert emails(session, "ann", limit=1, keep="lea@example.org") == (["ann@example.org", "lea@example.org"], 2)
    assert emails(session, "ann", limit=1, keep="gone@example.org") == (["ann@example.org"], 2)
    assert emails(session, "ann", limit=5, keep="ann@example.org") == (["ann@example.org", "annabel@example.org"], 2)


def managers(session: Session, text: str, *, limit: int = 10, keep: str | None = None) -> tuple[list, int]:
    found = find_managers(session.connection(), text, limit=limit, keep=keep)
    return list(found.listed), found.matched


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", [("Ann Annan", 2), ("Annabel Rossi", 1), ("Bel Ann", 1), ("Cid", 3)]),
        ("ann", [("Ann Annan", 2), ("Annabel Rossi", 1), ("Bel Ann", 1)]),
        ("annabel rossi", [("Annabel Rossi", 1)]),
        ("ann bel", [("Annabel Rossi", 1), ("Bel Ann", 1)]),
        ("cid", [("Cid", 3)]),
        ("Nobody", []),
    ],
)
def test_managers_best_first(session: Session, world: None, text: str, expected: list) -> None:
    assert managers(session, text) == (expected, len(expected))


def test_managers_bounded_and_kept_only_when_managing(session: Session, world: None) -> None:
    assert count_managers(session.connection()) == 4
    assert managers(session, "ann", limit=1, keep="Cid") == ([("Ann Annan", 2), ("Cid", 3)], 3)
    assert managers(session, "ann", limit=1, keep="Nobody") == ([("Ann Annan", 2)], 3)
    assert managers(session, "cid", limit=1, keep="cid") == ([("Cid", 3)], 1)  # names are exact
