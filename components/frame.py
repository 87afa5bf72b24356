"""The frame every page stands in: who is asking, what they filtered, the URL that reproduces it.

Conventions for page authors (pages/<name>.py)
------------------------------------------------
1. The first statement of a page is ``ctx = page_context()``. Under ``app.py`` it returns the
   context the sidebar of app.py established for this run; when the page script runs on its own
   (Streamlit's pages/ auto-discovery on a deep link, or ``AppTest.from_file("pages/x.py")``) it
   renders the same sidebar itself. Either way the page only ever sees ``ctx.scope``: a page never
   builds a :class:`~data_access.scope.Scope` itself and never reads "view as" from the URL.
2. Data comes from ``ctx.evaluation()`` (``monitoring.evaluate.evaluate_portfolio`` as of
   ``ctx.flt.as_of``), ``ctx.portfolio_summary()`` (the same, without the indicator figures, risks
   and quality), ``ctx.project_countries()``, ``ctx.project_list()`` and, only when raw rows
   are needed, ``ctx.frames()`` (``PortfolioFrames``), all cached in :mod:`components.loaders`
   keyed by (database URL, scope, filter, settings). A cached value is unpickled on every call, so
   take the smallest one that answers the page (the full frames cost ~0.5 s at 10,000 projects).
   No SQL, no formulas in pages.
3. Reads go inside ``with data_errors():``. It turns a
   :class:`~data_access.errors.DataAccessError` into ``st.error`` with the error's sentence (written
   to be acted on) and stops the page; any other exception is a bug and is left to surface.
4. Empty portfolio or empty scope: ``ctx.stop_if_empty(evaluation)`` shows the empty state of
   :mod:`components.empty_states` (what to import and where) and stops the page.
   ``frames, evaluation = ctx.load_evaluation()`` does 2-4 in one call for the pages that read
   both; ``ctx.heading(title)`` writes the title and the "whose view, as of when" caption.
5. Page-specific URL parameters (e.g. ``project=PX.0001``) go through :func:`url_bound` so a link
   opens the same selection; filter parameters are written by the frame.
6. Tables through :mod:`components.tables` (download buttons), charts are pure builders in
   ``components/charts_*.py`` shown with :func:`show_chart` (offline map topology, stretch width,
   "how this is computed" note).

Widget keys owned by the frame (tests drive them by key): ``view_role``, ``view_who``,
``f_regions``, ``f_countries``, ``f_donors``, ``f_themes``, ``f_statuses``, ``f_as_of``.

URL parameters: ``as`` (``org``, ``region:RO_X``, ``country:KEN``, ``manager:<name>``), ``region``,
``country``, ``donor``, ``theme``, ``status`` (repeatable), ``as_of`` (``YYYY-MM-DD``).

"View as" is a stand-in for sign-in (a later issue): anyone may pick any identity, so it is in the
URL like a filter. A filter from the URL is intersected with what the chosen identity can see:
a chief of mission of Kenya given ``country=UGA`` sees Kenya with a note that Uganda is outside the
view, and ``data_access.queries`` enforces the scope again underneath (``readable_projects``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from components import loaders, tables
from components.plain_text import literal, literal_figure
from data_access import db
from data_access.errors import DataAccessError
from data_access.queries import FilterOptions, ScopeChoices
from data_access.scope import PortfolioFilter, Scope
from monitoring.settings import Settings, load_settings
from reference.vocabulary import PROJECT_STATUSES

_CONTEXT_KEY = "_frame_page_context"
PRINT_CSS = Path(__file__).resolve().parent.parent / "static" / "print.css"
_APPLIED_PREFIX = "_frame_url_applied_"

ROLES: dict[str, str] = {
    "org": "Leadership (whole organisation)",
    "region": "Regional director",
    "country": "Chief of mission",
    "manager": "Programme manager",
}

FILTER_PARAMS: tuple[tuple[str, str], ...] = (
    # (widget key, URL parameter)
    ("f_regions", "region"),
    ("f_countries", "country"),
    ("f_donors", "donor"),
    ("f_themes", "theme"),
    ("f_statuses", "status"),
)


@dataclass(frozen=True)
class PageContext:
    """Everything a page needs to know before it reads: who, what, as of when, from where."""

    scope: Scope
    flt: PortfolioFilter
    data: loaders.DataKey  # the database and its content's version: the first key of every cached read
    settings: Settings

    @property
    def as_of(self) -> dt.date:
        return self.flt.as_of

    @property
    def database_url(self) -> str:
        return self.data.url

    def frames(self):
        """The scoped, filtered ``PortfolioFrames`` (cached). At 10,000 projects a cached copy
        costs ~0.5 s to unpickle on every run: prefer :meth:`evaluation` and the slices below."""
        return loaders.portfolio_frames(self.data, self.scope, self.flt)

    def evaluation(self):
        """``evaluate_portfolio`` of :meth:`frames` as of the filter's date (cached)."""
        return loaders.portfolio_evaluation(self.data, self.scope, self.flt, self.settings)

    def portfolio_summary(self):
        """The evaluation slimmed to projects, flags and indicator statuses (cached on its own):
        what KPI rows, maps and project tables read, at a fraction of the unpickling cost."""
        return loaders.portfolio_summary(self.data, self.scope, self.flt, self.settings)

    def project_countries(self):
        """``frames.project_countries`` only (money shares by country), cached on its own."""
        return loaders.project_countries(self.data, self.scope, self.flt)

    def project_list(self):
        """Code and title of the projects in view, sorted by code (cached on its own)."""
        return loaders.project_list(self.data, self.scope, self.flt)

    def countries_in_view(self, projects: pd.DataFrame, project_countries: pd.DataFrame) -> tuple[str, ...] | None:
        """The ISO3 codes whose share of the money the page's totals count, or ``None`` for a view
        without a country boundary (leadership, a programme manager's projects: every project in full).

        A country filter, else a chief of mission's country; a region filter or a regional
        director's region adds the countries of that region (those any project in view works in or
        is managed from); both together keep the countries in both. Pass the result as
        ``portfolio_kpis(countries=...)`` so the cards equal the sum of the by-country rows.
        """
        countries = set(self.flt.countries) or (set(self.scope.codes) if self.scope.kind == "country" else None)
        regions = set(self.flt.regions) or (set(self.scope.codes) if self.scope.kind == "region" else set())
        if regions:
            in_regions = set(project_countries.loc[project_countries["region"].isin(regions), "country"]) | set(
                projects.loc[projects["region"].isin(regions), "managing_country"]
            )
            countries = in_regions if countries is None else countries & in_regions
        return None if countries is None else tuple(sorted(countries))

    def heading(self, title: str) -> None:
        """The page's title and, under it, whose view it is and as of when (every analysis page)."""
        st.title(title)
        st.caption(f"{literal(self.scope.label)} · as of {self.as_of:%d %B %Y}")

    def load_evaluation(self):
        """``(frames, evaluation)`` for a page that needs raw rows as well as the evaluation.

        Read inside :func:`data_errors`; when no project is in view the empty state is shown and
        the page stops here (before the evaluation is computed), so what follows never sees an
        empty portfolio.
        """
        with data_errors():
            frames = self.frames()
            self.stop_if_empty(frames)
            return frames, self.evaluation()

    def stop_if_empty(self, frames) -> None:
        """Show the right empty state and stop the page when no project is in view.

        ``frames`` is anything with a ``projects`` frame (frames or evaluation) or a DataFrame.
        """
        from components import empty_states

        projects = frames if isinstance(frames, pd.DataFrame) else frames.projects
        if not projects.empty:
            return
        empty_states.no_projects(self)
        st.stop()


# ---- errors ---------------------------------------------------------------------------------
@contextmanager
def data_errors() -> Iterator[None]:
    """Show a data-layer error as a sentence and stop the page; let every other error surface."""
    try:
        yield
    except DataAccessError as error:
        st.error(f"{literal(error)} If this persists, ask the dashboard administrator to check the database.")
        st.stop()


# ---- URL <-> session state ------------------------------------------------------------------
def _param_values(name: str) -> list[str]:
    return [v for v in st.query_params.get_all(name) if v != ""]


def url_bound(key: str, param: str, parse: Callable[[list[str]], Any] | None = None) -> None:
    """Apply URL parameter ``param`` to widget state ``key`` when the URL carries a new value.

    Absent parameters leave the state alone (moving between pages drops the query string; the
    frame writes it back). ``parse`` turns the raw values into the widget value (default: list).
    """
    raw = _param_values(param)
    if not raw:
        return
    applied_key = _APPLIED_PREFIX + param
    if st.session_state.get(applied_key) == raw:
        return
    st.session_state[applied_key] = raw
    value = parse(raw) if parse else raw
    if value is not None:
        st.session_state[key] = value


def write_url(param: str, values: Sequence[str] | str | None) -> None:
    """Mirror a selection in the URL (removing the parameter when the selection is empty)."""
    if isinstance(values, str):
        values = [values]
    values = [v for v in (values or []) if v]
    st.session_state[_APPLIED_PREFIX + param] = list(values)
    if values:
        if st.query_params.get_all(param) != list(values):
            st.query_params[param] = list(values) if len(values) > 1 else values[0]
    elif param in st.query_params:
        del st.query_params[param]


def _parse_date(raw: list[str]) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw[-1])
    except ValueError:
        return None


# ---- who is asking --------------------------------------------------------------------------
def scope_for(role: str, who: str | None, people: ScopeChoices) -> Scope | None:
    """The scope of "view as" ``role`` + ``who``: the whole organisation only for leadership.

    ``None`` when ``who`` is not one of the people of that role (e.g. a stale link to a manager who
    no longer has projects): the caller shows nothing rather than falling back to a wider scope.
    """
    if role == "org":
        return Scope.organisation()
    if role == "region" and who in (names := dict(people.regions)):
        return Scope("region", (who,), f"Regional director, {names[who]}")
    if role == "country" and who in (names := dict(people.countries)):
        return Scope("country", (who,), f"Chief of mission, {names[who]}")
    if role == "manager" and who in (codes := dict(people.managers)):
        return Scope("projects", codes[who], f"Programme manager, {who}")
    return None


def _who_options(role: str, people: ScopeChoices) -> dict[str, str]:
    if role == "region":
        return {code: f"{name} ({code})" for code, name in people.regions}
    if role == "country":
        return {iso: f"{name} ({iso})" for iso, name in sorted(people.countries, key=lambda kv: kv[1])}
    if role == "manager":
        return {name: f"{name} ({len(codes)} projects)" for name, codes in people.managers}
    return {}


def _parse_view(raw: list[str]) -> tuple[str, str | None]:
    role, _, who = raw[-1].partition(":")
    return (role, who or None) if role in ROLES else ("org", None)


_UNKNOWN_WHO_KEY = "_frame_unknown_who"

_NOBODY_OF: dict[str, str] = {
    "region": "a region with projects",
    "country": "a country with projects",
    "manager": "a programme manager with projects",
}


def unknown_who_message(role: str, who: str) -> str:
    """What a "view as" link naming nobody of ``role`` says instead of showing anyone's figures."""
    return (
        f"{who} is not {_NOBODY_OF[role]}; choose who you are in the sidebar "
        "(View as). No figures are shown until then."
    )


def _view_as(people: ScopeChoices) -> Scope:
    """The "view as" selector: role, then who. Returns the scope it sets.

    A link naming someone who is not among the people of its role (``as=country:XXX``, a typo or
    a manager who no longer has projects) shows nobody's figures and says so: falling back to the
    first person of the list would show a chief of mission of Afghanistan data they did not ask
    for, under a URL silently rewritten to match. The link stays as it was until the user picks
    someone in the sidebar.
    """
    raw = _param_values("as")
    if raw and st.session_state.get(_APPLIED_PREFIX + "as") != raw:
        st.session_state[_APPLIED_PREFIX + "as"] = raw
        role, who = _parse_view(raw)
        known = who in _who_options(role, people)
        st.session_state["view_role"] = role
        st.session_state["view_who"] = who if known else None
        st.session_state[_UNKNOWN_WHO_KEY] = None if known or who is None else (role, who)
    st.sidebar.markdown("**View as** · stand-in for sign-in")
    role = st.sidebar.selectbox(
        "View as (who is asking)",
        list(ROLES),
        format_func=ROLES.__getitem__,
        key="view_role",
        help="Until sign-in arrives, choose whose view to see: every figure is limited to what this person may see.",
    )
    who = None
    options = _who_options(role, people)

    unknown = st.session_state.get(_UNKNOWN_WHO_KEY)
    if unknown is not None and (unknown[0] != role or st.session_state.get("view_who") is not None):
        unknown = st.session_state[_UNKNOWN_WHO_KEY] = None  # the user chose another role or someone
    if role != "org":
        if unknown is None and st.session_state.get("view_who") not in options:
            st.session_state["view_who"] = next(iter(options), None)
        who = st.sidebar.selectbox(
            {"region": "Region", "country": "Country", "manager": "Manager"}[role],
            list(options),
            format_func=options.__getitem__,
            key="view_who",
            index=None,
            placeholder="Choose who you are",
        )
    if unknown is not None:
        st.error(unknown_who_message(*unknown), icon=":material/person_off:")
        st.stop()
    scope = scope_for(role, who, people)
    if scope is None:  # a role with nobody in it (e.g. an empty database): see nothing, not everything
        st.sidebar.caption(f"Nobody to view as {ROLES[role].lower()} yet.")
        scope = Scope("projects", ("\u2205 none",), f"{ROLES[role]} (nobody)")
    write_url("as", "org" if role == "org" else f"{role}:{who}" if who else role)
    return scope


# ---- what they filtered ---------------------------------------------------------------------
def country_choices(scope: Scope, visible: FilterOptions) -> tuple[tuple[str, str], ...]:
    """The countries the Country filter offers inside ``scope``.

    A chief of mission sees the projects managed from or implemented in their country, and those
    projects also work in other countries; filtering on one of those would swap the view to the
    other country's share of the money (their own project "managed elsewhere", its budget
    "attributed to Ethiopia") without a word. So inside a country scope the filter offers only the
    scope's own country(ies); any other country in a link is dropped with the same "Outside this
    view ... ignored" warning as every other out-of-scope filter.
    """
    if scope.kind != "country":
        return visible.countries
    return tuple((iso, name) for iso, name in visible.countries if iso in scope.codes)


def _filters(scope: Scope, visible: FilterOptions) -> PortfolioFilter:
    """Sidebar filters limited to what ``scope`` can see; values outside it are dropped, and said."""
    url_bound("f_as_of", "as_of", _parse_date)
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
            "Every status is computed as of this date (DOMAIN.md 2.1): pick a past date to see the "
            "portfolio as it stood then."
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


def render_sidebar() -> PageContext:
    """Render "view as" and the filters in the sidebar and return the context they define.

    Called once per run by ``app.py`` (and by :func:`page_context` when a page runs alone). When the
    database cannot be read the error is shown and the run stops.
    """
    settings = load_settings()
    with data_errors():
        data = loaders.current_data(db.database_url())
        people = loaders.scope_choices(data)
        scope = _view_as(people)
        visible = loaders.filter_options(data, scope)
    flt = _filters(scope, visible)
    st.sidebar.caption(f"Viewing as **{scope.label}** · as of {flt.as_of:%d %b %Y}")
    return PageContext(scope=scope, flt=flt, data=data, settings=settings)


@contextmanager
def app_run(context: PageContext) -> Iterator[None]:
    """Make ``context`` the one :func:`page_context` returns while ``app.py`` runs the page."""
    st.session_state[_CONTEXT_KEY] = context
    try:
        yield
    finally:
        st.session_state.pop(_CONTEXT_KEY, None)


def page_context() -> PageContext:
    """The guard every page calls first: the context app.py set for this run, or a fresh sidebar.

    The stored context only lives for the duration of ``app.py``'s ``pg.run()`` (see
    :func:`app_run`), so a page run on its own can never pick up a stale or wider scope.
    """
    context = st.session_state.get(_CONTEXT_KEY)
    if not isinstance(context, PageContext):
        context = render_sidebar()
    tables.describe_downloads(context.scope.label, context.flt)  # the title lines of this run's Excel files
    st.html(PRINT_CSS)  # the browser's print keeps labels whole and tables uncut (style only: no space taken)
    return context


# ---- charts ---------------------------------------------------------------------------------
PLOTLY_CONFIG = {"topojsonURL": "app/static/", "displaylogo": False}


def show_chart(fig, *, how: str, key: str | None = None) -> None:
    """Show a figure at full width with the offline map topology and its "how computed" note."""
    st.plotly_chart(literal_figure(fig), width="stretch", config=PLOTLY_CONFIG, key=key)
    st.caption(f"How this is computed: {how}")
