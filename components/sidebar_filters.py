"""The sidebar filters: what a person narrowed the view to, always inside their scope.

Widget keys (tests drive them by key): ``f_regions``, ``f_countries``, ``f_donors``, ``f_themes``,
``f_statuses``, ``f_as_of``; URL parameters ``region``, ``country``, ``donor``, ``theme``, ``status``
(repeatable), ``as_of`` (``YYYY-MM-DD``). A filter from the URL is intersected with what the scope
can see: a chief of mission of Kenya given ``country=UGA`` sees Kenya with a note that Uganda is
outside the view, and ``data_access.queries`` enforces the scope again underneath
(``readable_projects``).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from components.plain_text import literal
from components.url_state import parse_date, url_bound, write_url
from data_access.queries import FilterOptions
from data_access.scope import PortfolioFilter, Scope
from reference.vocabulary import PROJECT_STATUSES

FILTER_PARAMS: tuple[tuple[str, str], ...] = (
    # (widget key, URL parameter)
    ("f_regions", "region"),
    ("f_countries", "country"),
    ("f_donors", "donor"),
    ("f_themes", "theme"),
    ("f_statuses", "status"),
)


def country_choices(scope: Scope, visible: FilterOptions) -> tuple[tuple[str, str], ...]:
    """The countries the Country filter offers inside ``scope``.

    A chief of mission sees the projects managed from or implemented in their country, and those
    projects also work in other countries; filtering on one of those would swap the view to the
    other country's share of the money (their own project "managed elsewhere", its budget
    "attributed to Ethiopia") without a word. So inside a countries-only scope the filter offers only
    the scope's own country(ies); any other country in a link is dropped with the same "Outside this
    view ... ignored" warning as every other out-of-scope filter.
    """
    if not scope.countries_only:
        return visible.countries
    return tuple((iso, name) for iso, name in visible.countries if iso in scope.countries)


def sidebar_filters(scope: Scope, visible: FilterOptions) -> PortfolioFilter:
    """Sidebar filters limited to what ``scope`` can see; values outside it are dropped, and said."""
    url_bound("f_as_of", "as_of", parse_date)
    for key, param in FILTER_PARAMS:
        url_bound(key, param)
    options = {
        "f_regions": dict(visible.regions),
        "f_countries": dict(sorted(country_choices(scope, visible), key=lambda kv: kv[1])),
        "f_donors": {d: d for d in visible.donors},
        "f_themes": {t: t for t in visible.themes},
        "f_statuses": {s: s.capitalize() for s in PROJECT_STATUSES},
    }
    labels = {
        "f_regions": "Region",
        "f_countries": "Country",
        "f_donors": "Donor",
        "f_themes": "Thematic area",
        "f_statuses": "Project status",
    }
    dropped: list[str] = []
    for key, opts in options.items():
        chosen = st.session_state.get(key) or []
        kept = [v for v in chosen if v in opts]
        dropped += [f"{labels[key].lower()} {v}" for v in chosen if v not in opts]
        st.session_state[key] = kept
    if not isinstance(st.session_state.get("f_as_of"), dt.date):
        st.session_state["f_as_of"] = dt.date.today()

    sb = st.sidebar
    sb.markdown("**Filters**")
    as_of = sb.date_input(
        "As of",
        key="f_as_of",
        format="YYYY-MM-DD",
        help=(
            "Every status is computed as of this date, from the figures reported for periods started by then: "
            "pick a past date to see the portfolio as it stood then."
        ),
    )
    chosen: dict[str, list[str]] = {}
    for key, param in FILTER_PARAMS:
        opts = options[key]
        chosen[key] = sb.multiselect(
            labels[key], list(opts), format_func=lambda v, o=opts: o.get(v, v), key=key, placeholder="All"
        )
        write_url(param, chosen[key])
    write_url("as_of", None if as_of == dt.date.today() else as_of.isoformat())
    if dropped:
        # at the top of the page, not the foot of the sidebar: whoever opened a link must see at once
        # that part of what it asked for is not shown (as the Project page does for a project)
        st.warning(
            f"Outside this view ({literal(scope.label)}) and ignored: {literal(', '.join(sorted(dropped)))}. "
            "The figures below leave it out.",
            icon=":material/visibility_off:",
        )
    return PortfolioFilter(
        as_of=as_of,
        regions=tuple(chosen["f_regions"]),
        countries=tuple(chosen["f_countries"]),
        donors=tuple(chosen["f_donors"]),
        themes=tuple(chosen["f_themes"]),
        statuses=tuple(chosen["f_statuses"]),
    )
