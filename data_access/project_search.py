"""Find a project by code or title among those in view, in SQL: the pickers of large scopes.

At 100,000 projects a selectbox of every project sends megabytes to the browser; the pickers instead
ask here for a bounded list of the best matches. Every statement starts from
``queries.filtered_projects(scope, flt)`` (ARCHITECTURE.md practice 5), so a search, its count and the
project kept in the list (``keep``, the URL's ``?project=CODE``) never reach beyond the scope and the
sidebar filters: a code outside them is simply not found, like a code that does not exist.

Ranking (best first, then by code): the exact code, a code starting with the text, then projects whose
code or title contains every word of the text (case-insensitive; ``%`` and ``_`` are matched literally).
Apart from ``queries`` because that module is hashed into the stored-evaluation key.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import and_, case, func, literal, or_, select, true

from data_access import models as m
from data_access import queries
from data_access.scope import PortfolioFilter, Scope


@dataclass(frozen=True)
class ProjectMatches:
    """``listed``: project_code and title of the first matches, best first, then ``keep`` when it is in
    view and not among them; ``matched``: how many projects in view match (``keep`` aside)."""

    listed: pd.DataFrame
    matched: int


def count_in_view(engine: queries.Bind, scope: Scope, flt: PortfolioFilter) -> int:
    """How many projects of ``scope`` ``flt`` keeps (whether a picker can list them all)."""
    stmt = select(func.count()).select_from(queries.filtered_projects(scope, flt).subquery())
    with queries.connected(engine) as connection:
        return int(connection.execute(stmt).scalar_one())


def find_projects(
    engine: queries.Bind, scope: Scope, flt: PortfolioFilter, text: str, *, limit: int, keep: str | None = None
) -> ProjectMatches:
    """The first ``limit`` projects in view matching ``text`` (by code when it is blank), plus project
    ``keep`` when it is in view and not among them."""
    p = m.Project
    in_view = p.id.in_(queries.filtered_projects(scope, flt))
    text = " ".join(text.split())
    every_word = and_(
        true(),
        *(or_(p.code.icontains(w, autoescape=True), p.title.icontains(w, autoescape=True)) for w in text.split()),
    )
    exact = func.upper(p.code) == text.upper()
    prefix = p.code.istartswith(text, autoescape=True)
    matches = and_(in_view, or_(exact, prefix, every_word)) if text else in_view
    rank = case((exact, 0), (prefix, 1), else_=2) if text else literal(0)
    shown = select(p.code.label("project_code"), p.title, rank.label("rank")).where(matches)
    with queries.connected(engine) as connection:
        listed = queries.read_frame(connection, shown.order_by(rank, p.code).limit(limit))
        matched = int(connection.execute(select(func.count()).select_from(p).where(matches)).scalar_one())
        if keep is not None and keep not in set(listed["project_code"]):
            kept = select(p.code.label("project_code"), p.title, literal(3).label("rank"))
            listed = pd.concat([listed, queries.read_frame(connection, kept.where(in_view, p.code == keep))])
    # the same order on both databases (a PostgreSQL collation may order codes differently)
    listed = listed.sort_values(["rank", "project_code"], kind="stable").drop(columns="rank")
    return ProjectMatches(listed=listed.reset_index(drop=True), matched=matched)
