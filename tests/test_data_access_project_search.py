"""Finding a project by code or title: best matches first, bounded, and never beyond the scope."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from data_access.project_search import count_in_view, find_projects
from data_access.scope import PortfolioFilter, Scope
from tests import factories as f

FLT = PortfolioFilter(as_of=dt.date(2025, 6, 30))
ORGANISATION = Scope.whole_organisation("leader")
TITLES = {
    "AB.10": "Water and sanitation in Sudan",
    "AB.100": "Shelter for returnees",
    "AB.2": "Return and reintegration (AB.10 follow-up)",
    "CD.1": "Water trucking, 50% co-funded",
    "CD.AB": "Camp management",
}


@pytest.fixture
def world(session: Session) -> None:
    for code, title in TITLES.items():
        f.make_project(session, code=code, title=title)
    session.flush()


def codes(session: Session, text: str, *, scope: Scope = ORGANISATION, limit: int = 10, keep: str | None = None):
    found = find_projects(session.connection(), scope, FLT, text, limit=limit, keep=keep)
    return list(found.listed["project_code"]), found.matched


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["AB.10", "AB.100", "AB.2", "CD.1", "CD.AB"]),  # blank: every project, by code
        # exact code, then codes starting with it, then code or title holding the text
        ("ab.10", ["AB.10", "AB.100", "AB.2"]),
        ("AB", ["AB.10", "AB.100", "AB.2", "CD.AB"]),
        ("  water   SUDAN ", ["AB.10"]),  # every word, in any case, spaces ignored
        ("water cd", ["CD.1"]),  # a word of the title and a word of the code
        ("50%", ["CD.1"]),  # % and _ are matched literally
        ("5_%", []),
        ("Nowhere", []),
    ],
)
def test_matches_best_first(session: Session, world: None, text: str, expected: list[str]) -> None:
    assert codes(session, text) == (expected, len(expected))


def test_the_list_is_bounded_and_the_count_is_not(session: Session, world: None) -> None:
    assert codes(session, "ab", limit=2) == (["AB.10", "AB.100"], 4)


def test_the_kept_project_is_listed_last_when_it_does_not_match(session: Session, world: None) -> None:
    assert codes(session, "ab", limit=2, keep="CD.1") == (["AB.10", "AB.100", "CD.1"], 4)
    assert codes(session, "ab", limit=2, keep="AB.100") == (["AB.10", "AB.100"], 4)


def test_the_search_and_the_kept_project_stay_within_the_scope(session: Session, world: None) -> None:
    mine = Scope.by_project("pm", codes=("AB.10", "CD.1"))
    assert count_in_view(session.connection(), mine, FLT) == 2
    assert count_in_view(session.connection(), ORGANISATION, FLT) == len(TITLES)
    assert codes(session, "ab", scope=mine, keep="AB.100") == (["AB.10"], 1)  # AB.100 is outside: not kept
    assert codes(session, "", scope=mine, keep="ZZ.9") == (["AB.10", "CD.1"], 2)
    narrowed = PortfolioFilter(as_of=FLT.as_of, project_codes=("CD.1",))
    found = find_projects(session.connection(), mine, narrowed, "", limit=10, keep="AB.10")
    assert list(found.listed["project_code"]) == ["CD.1"]
