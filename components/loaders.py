"""Cached reads for the pages: every cached function is keyed by ALL it depends on.

ARCHITECTURE.md practice 6: the arguments of each ``st.cache_data`` function are the database URL,
the :class:`~data_access.scope.Scope`, the :class:`~data_access.scope.PortfolioFilter` (which holds
the as-of date) and the :class:`~monitoring.settings.Settings` (all frozen, hashable). Nothing
inside reads the session, the URL or a secret, so one user's cached result can never be served to
another user with a different scope. ``st.cache_resource`` is used only for the engine. Figures and
ORM objects are never cached: only DataFrames and plain dataclasses of DataFrames.

Bounds: ``ttl`` keeps an import visible within minutes even without :func:`clear_caches` (which the
Data page calls after a successful import); ``max_entries`` bounds memory at the 10,000-project scale
(a portfolio's frames are a few hundred MB there, hence only a handful of entries).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from data_access import db, queries
from data_access.scope import PortfolioFilter, Scope
from monitoring import evaluate
from monitoring.frames import PortfolioFrames
from monitoring.settings import Settings

PORTFOLIO_TTL_S = 600
PORTFOLIO_MAX_ENTRIES = 6
DETAIL_MAX_ENTRIES = 32


@st.cache_resource(show_spinner=False)
def engine_for(database_url: str) -> Engine:
    """The process-wide engine (a connection pool) for ``database_url``."""
    return db.get_engine(database_url)


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner="Loading the portfolio…")
def portfolio_frames(database_url: str, scope: Scope, flt: PortfolioFilter) -> PortfolioFrames:
    """``data_access.queries.load_portfolio`` for this scope and filter."""
    return queries.load_portfolio(engine_for(database_url), scope, flt)


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner="Computing statuses…")
def portfolio_evaluation(database_url: str, scope: Scope, flt: PortfolioFilter, settings: Settings):
    """``monitoring.evaluate.evaluate_portfolio`` of the frames above, as of the filter's date."""
    frames = portfolio_frames(database_url, scope, flt)
    return evaluate.evaluate_portfolio(frames, flt.as_of, settings)


@dataclass(frozen=True)
class Directory:
    """Who can be "viewed as" and what can be filtered: codes with their display names.

    ``regions``: code → name; ``countries``: ISO3 → name; ``country_region``: ISO3 → region code;
    ``managers``: programme manager → the codes of the projects they manage; ``donors`` and
    ``themes``: sorted names.
    """

    regions: dict[str, str] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)
    country_region: dict[str, str] = field(default_factory=dict)
    managers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    donors: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.countries and not self.managers


def split_donors(value: object) -> list[str]:
    """The donors of a project row: the query gives a ``;``-joined string (or a list)."""
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    return [part.strip() for part in str(value).split(";") if part.strip()]


def directory_of(frames: PortfolioFrames) -> Directory:
    """The regions, countries, managers, donors and themes present in ``frames``."""
    projects, pcs = frames.projects, frames.project_countries
    regions = dict(zip(projects["region"], projects["region_name"], strict=True))
    countries = dict(zip(projects["managing_country"], projects["managing_country_name"], strict=True))
    countries.update(dict(zip(pcs["country"], pcs["country_name"], strict=True)))
    country_region = dict(zip(projects["managing_country"], projects["region"], strict=True))
    country_region.update(dict(zip(pcs["country"], pcs["region"], strict=True)))
    for code in set(pcs["region"].dropna()) - set(regions):
        regions[code] = code
    managers: dict[str, list[str]] = {}
    for manager, code in zip(projects["manager"], projects["project_code"], strict=True):
        if isinstance(manager, str) and manager.strip():
            managers.setdefault(manager.strip(), []).append(code)
    donors = sorted({d for value in projects["donors"] for d in split_donors(value)})
    themes = sorted({t for t in projects["thematic_area"].dropna() if str(t).strip()})
    return Directory(
        regions={k: str(v) for k, v in sorted(regions.items()) if isinstance(k, str)},
        countries={k: str(v) for k, v in sorted(countries.items()) if isinstance(k, str)},
        country_region={k: v for k, v in country_region.items() if isinstance(k, str)},
        managers={k: tuple(sorted(v)) for k, v in sorted(managers.items())},
        donors=tuple(donors),
        themes=tuple(themes),
    )


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner=False)
def directory(database_url: str, scope: Scope, as_of: dt.date) -> Directory:
    """What ``scope`` can see, unfiltered: the options of the sidebar (and of "view as" when the
    scope is the whole organisation)."""
    return directory_of(portfolio_frames(database_url, scope, PortfolioFilter(as_of=as_of)))


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=DETAIL_MAX_ENTRIES, show_spinner="Loading the project…")
def project_detail(database_url: str, scope: Scope, project_code: str, as_of: dt.date):
    """``data_access.queries.project_detail``: one project in full (raises ``NotFound`` outside scope)."""
    return queries.project_detail(engine_for(database_url), scope, project_code, as_of)


def clear_caches() -> None:
    """Forget every cached read (after an import), keeping the engine."""
    for cached in (portfolio_frames, portfolio_evaluation, directory, project_detail):
        cached.clear()
