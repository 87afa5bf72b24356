"""Who may see what: a verified email and the ``people`` table → one :class:`Scope`.

Sign-in (``components.identity``) hands over the email the identity provider verified; this module
turns it into the person's scope, the union of their active rows (docs/sign-in.md):

* ``leadership``: the whole organisation (the scope of any other row adds nothing);
* ``regional_director``: the regional office codes of ``scope``;
* ``chief_of_mission``: the ISO3 codes of ``scope``;
* ``programme_manager``: the project codes of ``scope`` plus every project whose ``manager`` is the
  person's name or email (so a new project naming them is theirs without an access change).

An email with no active row resolves to ``None``: the caller shows "no access yet", never a default
scope. Emails are compared lower-case (providers differ in the case they return).

Leadership's "view as" is recorded here too (``view_as_events``): who looked as whom, and when.

Each row also carries how often the person wants the alerts digest (``digest``: daily, weekly,
off). The person sets it for all their rows at once (:func:`digest_rows`, the sidebar's "Email
alerts"), so their rows agree; when a file made them disagree, :func:`frequency_of` takes the most
frequent choice among the active rows: a person is never silenced by one row's "off" that another
row of theirs contradicts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, Engine, or_, select
from sqlalchemy import exc as sa_exc

from data_access import history, queries
from data_access import models as m
from data_access.errors import translate_db_error
from data_access.scope import Scope
from reference.vocabulary import DIGEST_FREQUENCIES

Bind = Engine | Connection

ROLE_WORDS = {
    "leadership": "Leadership",
    "regional_director": "Regional director",
    "chief_of_mission": "Chief of mission",
    "programme_manager": "Programme manager",
}


@contextmanager
def connected(bind: Bind) -> Iterator[Connection]:
    """``bind`` itself when it is a connection, else a connection of it; database errors translated."""
    if isinstance(bind, Connection):
        yield bind
        return
    try:
        with bind.connect() as connection:
            yield connection
    except sa_exc.SQLAlchemyError as error:
        raise translate_db_error(error) from error


@dataclass(frozen=True)
class Access:
    """One row of ``people``."""

    email: str
    name: str
    role: str
    codes: tuple[str, ...]
    active: bool
    digest: str = "weekly"


def _codes(text: str | None) -> tuple[str, ...]:
    return tuple(c.strip() for c in (text or "").split(";") if c.strip())


def accesses(bind: Bind, email: str | None = None) -> list[Access]:
    """Every row of ``people`` (or those of ``email``), by email and role."""
    return accesses_of(bind, None if email is None else [email])


def accesses_of(bind: Bind, emails: list[str] | None) -> list[Access]:
    """The rows of ``people`` of ``emails`` (every row when None), by email and role."""
    stmt = select(m.Person).order_by(m.Person.email, m.Person.role)
    if emails is not None:
        stmt = stmt.where(m.Person.email.in_([e.strip().lower() for e in emails]))
    return _read_accesses(bind, stmt)


def _read_accesses(bind: Bind, stmt) -> list[Access]:
    with connected(bind) as connection:
        rows = connection.execute(stmt).mappings().all()
    return [Access(r["email"], r["name"], r["role"], _codes(r["scope"]), bool(r["active"]), r["digest"]) for r in rows]


def frequency_of(rows: list[Access]) -> str:
    """How often the person of ``rows`` receives the digest: the most frequent choice among the
    active rows (see the module docstring), ``off`` when none is active."""
    chosen = {r.digest for r in rows if r.active}
    return next((f for f in DIGEST_FREQUENCIES if f in chosen), "off")


def digest_rows(bind: Bind, email: str, frequency: str) -> list[dict]:
    """The ``people`` rows that set ``email``'s digest to ``frequency``: every row of the person, with
    the stored name (a required column) and the new digest only (what a person may change about
    themselves: ``importers.write_scope``). Empty when the email has no row."""
    return [{"email": r.email, "name": r.name, "role": r.role, "digest": frequency} for r in accesses(bind, email)]


def holder_of(bind: Bind, role: str, code: str | None) -> str | None:
    """The email of the active person who holds ``role`` for ``code`` (a region code, an ISO3 code, a
    manager's name; none for leadership), the first by email when several do: whom the demo's
    stand-in for that role is, so the demo's "Email alerts" changes a real row of ``people``.

    Asked on every first view of the demo: the rows are narrowed in SQL (the role's active rows
    that name ``code``), then checked exactly; at 100,000 projects ``people`` has ~28,000 rows,
    all of which were read (0.3-0.5 s)."""
    stmt = (
        select(m.Person).where(m.Person.role == role, m.Person.active.is_(True)).order_by(m.Person.email, m.Person.role)
    )
    if role != "leadership":
        stmt = stmt.where(or_(m.Person.name == code, m.Person.scope.contains(code or "", autoescape=True)))
    for row in _read_accesses(bind, stmt):
        if role == "leadership" or code in row.codes or (role == "programme_manager" and code == row.name):
            return row.email
    return None


def scope_of(rows: list[Access], names: Mapping[str, str] | None = None) -> Scope | None:
    """The union of the active ``rows`` of one person, or ``None`` when none is active.

    Its label names the places with ``names`` (code → name, :func:`place_names_of`): "Chief of
    mission (Uganda)", as packs and snapshots name a view; a code without a name stays a code."""
    active = [r for r in rows if r.active]
    if not active:
        return None
    names = names or {}
    email, name = active[0].email, active[0].name
    roles = " + ".join(
        f"{ROLE_WORDS[r.role]}"
        + (f" ({', '.join(names.get(c, c) for c in r.codes)})" if r.codes and r.role != "programme_manager" else "")
        for r in active
    )
    label = f"{name} · {roles}"
    if any(r.role == "leadership" for r in active):
        return Scope.whole_organisation(email, label=label)
    pick = {role: tuple(c for r in active if r.role == role for c in r.codes) for role in ROLE_WORDS}
    managers = (name, email) if any(r.role == "programme_manager" for r in active) else ()
    return Scope(
        email,
        regions=pick["regional_director"],
        countries=pick["chief_of_mission"],
        projects=pick["programme_manager"],
        managers=managers,
        label=label,
    )


def resolve(bind: Bind, email: str | None) -> Scope | None:
    """The scope of the person signed in with ``email`` (verified by the identity provider), or
    ``None`` when they have no active access (unknown or deactivated)."""
    if not email or not email.strip():
        return None
    rows = accesses(bind, email)
    return scope_of(rows, place_names_of(bind, rows))


def place_names_of(bind: Bind, rows: list[Access]) -> dict[str, str]:
    """Code → stored name of the regions and countries ``rows`` give access to (``queries.place_names``)."""
    regions = tuple(c for r in rows if r.role == "regional_director" for c in r.codes)
    countries = tuple(c for r in rows if r.role == "chief_of_mission" for c in r.codes)
    if not (regions or countries):
        return {}
    return queries.place_names(bind, Scope("names", regions=regions, countries=countries))


def people_frame(bind: Bind) -> pd.DataFrame:
    """The ``people`` table as the Access page lists it: email, name, role, scope, active, digest."""
    rows = accesses(bind)
    return pd.DataFrame(
        [
            {
                "email": r.email,
                "name": r.name,
                "role": r.role,
                "scope": ";".join(r.codes),
                "active": r.active,
                "digest": r.digest,
            }
            for r in rows
        ],
        columns=["email", "name", "role", "scope", "active", "digest"],
    )


def labelled(rows: list[Access], names: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """(email, scope label) of each person of ``rows`` with an active row: how "View as" names them
    (places by ``names``, :func:`place_names_of`)."""
    by_email: dict[str, list[Access]] = {}
    for row in rows:
        by_email.setdefault(row.email, []).append(row)
    scopes = ((email, scope_of(rows, names)) for email, rows in by_email.items())
    return [(email, scope.label) for email, scope in scopes if scope is not None]


def record_view_as(bind: Engine, viewer: str, viewed: str, at: dt.datetime | None = None) -> None:
    """Log that ``viewer`` (leadership) started viewing the dashboard as ``viewed``."""
    at = at or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    try:
        with bind.begin() as connection:
            connection.execute(m.ViewAsEvent.__table__.insert().values(at=at, viewer=viewer, viewed=viewed))
    except sa_exc.SQLAlchemyError as error:
        raise translate_db_error(error) from error


def view_as_log(bind: Bind, limit: int = 200) -> pd.DataFrame:
    """The latest "view as" events, newest first."""
    stmt = select(m.ViewAsEvent.at, m.ViewAsEvent.viewer, m.ViewAsEvent.viewed).order_by(m.ViewAsEvent.id.desc())
    with connected(bind) as connection:
        rows = connection.execute(stmt.limit(limit)).all()
    return pd.DataFrame(rows, columns=["When (UTC)", "Who", "Viewed as"])


ACCESS_HISTORY_COLUMNS = ["When (UTC)", "Changed by", "Person", "Role", "Change", "Before", "After", "Import"]


def access_history(bind: Bind, limit: int = 500) -> pd.DataFrame:
    """Who changed whose access, and when, newest first: the ``people`` rows of ``row_history``
    (every access change is an import batch, from the Access page or a file)."""
    h, b = m.RowHistory, m.ImportBatch
    stmt = (
        select(h.action, h.row_id, h.row_ids, h.field, h.old_value, h.new_value, b.id, b.started_at, b.user_name)
        .join(b, h.import_batch_id == b.id)
        .where(h.table_name == "people")
        .order_by(b.id.desc(), h.id)
        .limit(limit)
    )
    with connected(bind) as connection:
        changes = connection.execute(stmt).all()
        who = {
            row.id: (row.email, row.role)
            for row in connection.execute(select(m.Person.id, m.Person.email, m.Person.role))
        }
    rows = []
    for action, row_id, row_ids, field, old, new, batch, when, by in changes:
        ids = [row_id] if action == "update" else history.run_ids(row_ids)
        for person_id in ids:
            email, role = who.get(person_id, ("(unknown)", ""))
            change = "Access added" if action == "insert" else field
            rows.append([when, by, email, ROLE_WORDS.get(role, role), change, old or "", new or "", batch])
    return pd.DataFrame(rows, columns=ACCESS_HISTORY_COLUMNS)
