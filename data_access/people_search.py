"""Find a person to be or view as, in SQL: the sidebar's people pickers when the people are many.

Two lists of people sit in the sidebar of every page: leadership's "View as" (every person with an
active row of ``people``) and the demo's "Manager" (every name in ``projects.manager``). At 100,000
projects they hold ~28,000 people each: a megabyte of options on every page, and seconds to build
cold (every person's scope was resolved in Python to label them). Above a size the pickers
instead ask here for a bounded list of the best matches of a search, and only those are labelled.

A search only lists people: whom leadership then sees as is still ``people.resolve`` of the chosen
email, and a demo manager's scope is still their projects. ``keep`` (the person already chosen) is
listed whatever the search, but only when they are still someone of the list (an active person, a
manager with projects), so a stale choice is never kept alive here.

Ranking (best first, then by name): the exact email (or manager name), an email or name starting with
the text, then people matching every word of the text (case-insensitive; ``%`` and ``_`` literal) in
their email, name, role, office codes or the names of those offices (countries, regional offices).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, and_, case, func, literal, or_, select, true

from data_access import models as m
from data_access import people
from data_access.people import Bind


@dataclass(frozen=True)
class PeopleMatches:
    """``listed``: the first matches, best first, then ``keep`` when it is someone of the list and not
    among them: (email, label) of people, (name, number of projects) of managers; ``matched``: how many
    match (``keep`` aside)."""

    listed: tuple[tuple[str, str | int], ...]
    matched: int


# ---- people with active access (leadership's "View as") -------------------------------------------
def _any_row(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """True for a person (rows grouped by email) when one of their active rows meets ``condition``."""
    return func.max(case((condition, 1), else_=0)) == 1


def _offices_named(connection: Connection, word: str) -> list[str]:
    """The codes of the countries and regional offices whose name contains ``word``."""
    countries = select(m.Country.iso3).where(m.Country.name.icontains(word, autoescape=True))
    regions = select(m.Region.code).where(m.Region.name.icontains(word, autoescape=True))
    return [*connection.execute(countries).scalars(), *connection.execute(regions).scalars()]


def _roles_named(word: str) -> list[str]:
    """The roles one of whose words (as ``people.ROLE_WORDS`` spells them) starts with ``word``."""
    word = word.lower()
    return [role for role, words in people.ROLE_WORDS.items() if any(w.startswith(word) for w in words.lower().split())]


def _person_has(connection: Connection, word: str) -> ColumnElement[bool]:
    """The row's email, name or codes contain ``word``, its role is named by it, or one of its offices."""
    p = m.Person
    codes = ";" + func.replace(func.coalesce(p.scope, ""), " ", "") + ";"
    return or_(
        p.email.icontains(word, autoescape=True),
        p.name.icontains(word, autoescape=True),
        p.scope.icontains(word, autoescape=True),
        p.role.in_(_roles_named(word)),
        *(codes.contains(f";{code};", autoescape=True) for code in _offices_named(connection, word)),
    )


def count_people(bind: Bind) -> int:
    """How many people have an active row: whether "View as" can list them all."""
    stmt = select(func.count(func.distinct(m.Person.email))).where(m.Person.active)
    with people.connected(bind) as connection:
        return int(connection.execute(stmt).scalar_one())


def find_people(bind: Bind, text: str, *, limit: int, keep: str | None = None) -> PeopleMatches:
    """The first ``limit`` people with active access matching ``text`` (by name when it is blank),
    labelled with their scope's label (``people.labelled``), plus ``keep`` when they still have access."""
    p = m.Person
    text = " ".join(text.split())
    exact = _any_row(p.email == text.lower())
    prefix = _any_row(or_(p.email.istartswith(text, autoescape=True), p.name.istartswith(text, autoescape=True)))
    rank = case((exact, 0), (prefix, 1), else_=2) if text else literal(0)
    grouped = select(p.email).where(p.active).group_by(p.email)
    with people.connected(bind) as connection:
        if text:
            every_word = and_(true(), *(_any_row(_person_has(connection, w)) for w in text.split()))
            grouped = grouped.having(or_(exact, prefix, every_word))
        shown = grouped.add_columns(rank.label("rank"), func.min(p.name).label("name"))
        first = connection.execute(shown.order_by(rank, func.lower(func.min(p.name)), p.email).limit(limit)).all()
        matched = int(connection.execute(select(func.count()).select_from(grouped.subquery())).scalar_one())
        ranks = {row.email: row.rank for row in first}
        if keep is not None and keep not in ranks:
            ranks[keep] = 3
        rows = people.accesses_of(connection, list(ranks))
        labelled = people.labelled(rows, people.place_names_of(connection, rows))
    # the same order on both databases (a PostgreSQL collation may order names differently)
    listed = sorted(labelled, key=lambda pair: (ranks[pair[0]], pair[1].lower(), pair[0]))
    return PeopleMatches(listed=tuple(listed), matched=matched)


# ---- programme managers of projects (the demo's "Manager") ------------------------------------------
def _managers():
    name = func.trim(m.Project.manager)
    stmt = select(name.label("name"), func.count().label("projects"))
    return name, stmt.where(m.Project.manager.is_not(None), name != "").group_by(name)


def count_managers(bind: Bind) -> int:
    """How many names manage projects: whether the demo's "Manager" list can hold them all."""
    _name, managers = _managers()
    with people.connected(bind) as connection:
        return int(connection.execute(select(func.count()).select_from(managers.subquery())).scalar_one())


def find_managers(bind: Bind, text: str, *, limit: int, keep: str | None = None) -> PeopleMatches:
    """The first ``limit`` managers (name, number of projects) whose name matches ``text`` (by name
    when it is blank), plus ``keep`` when it is the name of a manager with projects."""
    name, managers = _managers()
    text = " ".join(text.split())
    exact = func.lower(name) == text.lower()
    prefix = name.istartswith(text, autoescape=True)
    every_word = and_(true(), *(name.icontains(w, autoescape=True) for w in text.split()))
    rank = case((exact, 0), (prefix, 1), else_=2) if text else literal(0)
    matches = managers.having(or_(exact, prefix, every_word)) if text else managers
    with people.connected(bind) as connection:
        first = connection.execute(matches.add_columns(rank.label("rank")).order_by(rank, name).limit(limit)).all()
        matched = int(connection.execute(select(func.count()).select_from(matches.subquery())).scalar_one())
        listed = [(row.name, row.projects, row.rank) for row in first]
        if keep is not None and keep not in {row.name for row in first}:
            listed += [(row.name, row.projects, 3) for row in connection.execute(managers.having(name == keep))]
    listed.sort(key=lambda row: (row[2], row[0]))
    return PeopleMatches(listed=tuple((who, n) for who, n, _rank in listed), matched=matched)
