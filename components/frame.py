"""The frame every page stands in: the page context (who is asking, what they filtered) and errors.

Who is asking is :mod:`components.identity` (sign-in, or the demo's choice), the filters are
:mod:`components.sidebar_filters`, the URL state :mod:`components.url_state`; this module puts them
together once per run (:func:`render_sidebar`) and hands pages the result.

Conventions for page authors (pages/<name>.py)
------------------------------------------------
1. The first statement of a page is ``ctx = page_context()``. Under ``app.py`` it returns the
   context the sidebar of app.py established for this run; when the page script runs on its own
   (Streamlit's pages/ auto-discovery on a deep link, or ``AppTest.from_file("pages/x.py")``) it
   renders the same sidebar itself. Either way the page only ever sees ``ctx.scope``: a page never
   builds a :class:`~data_access.scope.Scope` itself and never reads "view as" from the URL.
2. Data comes from ``ctx.evaluation()`` (``monitoring.evaluate.evaluate_portfolio`` as of
   ``ctx.flt.as_of``), ``ctx.portfolio_summary()`` (the same, without indicators, risks and
   quality), ``ctx.project_countries()``, ``ctx.project_list()`` (a picker of a large scope searches
   instead: ``ctx.projects_in_view()``, ``ctx.find_projects(text)``) and, only when raw rows
   are needed, ``ctx.frames()`` (``PortfolioFrames``), all cached in :mod:`components.loaders`
   keyed by (database URL, scope, filter, settings). A cached value is unpickled on every call, so
   take the smallest one that answers the page (the full frames cost ~0.5 s at 10,000 projects).
   No SQL, no formulas in pages.
3. Reads go inside ``with data_errors():``. It turns a
   :class:`~data_access.errors.DataAccessError` into ``st.error`` with the error's sentence (written
   to be acted on) and stops the page; any other exception is a bug and is left to surface.
4. Empty portfolio or empty scope: ``ctx.stop_if_empty(evaluation)`` shows the empty state of
   :mod:`components.empty_states` (what to import and where) and stops the page.
   ``summary = ctx.load_summary()`` does 2-4 for pages that need the per-project table and the
   flags (a cached read shared by Off-track and the later tabs of Finance, Risks and
   Cross-cutting; the Portfolio's first view reads the slimmer ``ctx.portfolio_overview()``,
   Finance's, Risks', Cross-cutting's and Strategy's theirs (``loaders.finance_overview``,
   ``risk_counts``, ``risks_to_act_on``, ``projects_to_act_on``, ``tagged_projects``...); the KPI
   cards take the indicators' statuses from ``ctx.indicator_status_counts()``);
   whatever else a page shows it reads apart, only those columns and rows (``loaders``:
   ``attention_list``, ``evaluated_risks``, ``frame_columns``...);
   ``ctx.heading(title)`` writes the title and the "whose view, as of when" caption.
5. Page-specific URL parameters (e.g. ``project=PX.0001``) go through :func:`url_bound` so a link
   opens the same selection; filter parameters are written by the frame.
6. Tables through :mod:`components.tables` (download buttons), charts are pure builders in
   ``components/charts_*.py`` shown with :func:`show_chart` (offline map topology, stretch width,
   "how this is computed" note).

Widget keys and URL parameters: see :mod:`components.identity` (who) and
:mod:`components.sidebar_filters` (filters). ``ctx.person`` is who is signed in (recorded on
imports); ``ctx.scope`` what they see (their own, or the person leadership is viewing as).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from components import loaders, tables
from components.digest_control import email_alerts
from components.identity import Identity, who_is_asking
from components.plain_text import literal, literal_figure
from components.sidebar_filters import sidebar_filters
from components.url_state import url_bound, write_url
from data_access import db
from data_access.errors import DataAccessError
from data_access.scope import PortfolioFilter, Scope
from monitoring.dates import date_text
from monitoring.settings import Settings, load_settings

__all__ = [
    "PageContext",
    "app_run",
    "data_errors",
    "page_context",
    "render_sidebar",
    "show_chart",
    "url_bound",  # pages bind their own parameters through the frame (components.url_state)
    "write_url",
]

_CONTEXT_KEY = "_frame_page_context"
PRINT_CSS = Path(__file__).resolve().parent.parent / "static" / "print.css"


@dataclass(frozen=True)
class PageContext:
    """Everything a page needs to know before it reads: who, what, as of when, from where."""

    scope: Scope
    flt: PortfolioFilter
    data: loaders.DataKey  # the database and its content's version: the first key of every cached read
    settings: Settings
    identity: Identity
    printing: bool = False  # the sidebar's "Tables on paper": tables carry their copy for the browser's print

    @property
    def person(self) -> str:
        """Who is signed in (the verified email; the demo's stand-in id): what imports record."""
        return self.identity.person

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
        """The evaluation slimmed to projects and flags (cached on its own):
        what KPI rows, maps and project tables read, at a fraction of the unpickling cost."""
        return loaders.portfolio_summary(self.data, self.scope, self.flt, self.settings)

    def portfolio_overview(self):
        """The evaluation slimmed further: the project columns of the Portfolio's first view (cards,
        drill level, table order), no flag (cached on its own; ``loaders.portfolio_overview``)."""
        return loaders.portfolio_overview(self.data, self.scope, self.flt, self.settings)

    def indicator_status_counts(self):
        """Indicators per status in view (cached on its own): the KPI cards' indicator figures."""
        return loaders.indicator_status_counts(self.data, self.scope, self.flt, self.settings)

    def project_countries(self):
        """``frames.project_countries`` only (money shares by country), cached on its own."""
        return loaders.project_countries(self.data, self.scope, self.flt)

    def project_list(self):
        """Code and title of the projects in view, sorted by code (cached on its own)."""
        return loaders.project_list(self.data, self.scope, self.flt)

    def projects_in_view(self) -> int:
        """How many projects are in view (cached): whether a picker lists them all or searches."""
        return loaders.projects_in_view(self.data, self.scope, self.flt)

    def find_projects(self, text: str, *, limit: int, keep: str | None = None):
        """The best ``limit`` projects in view matching ``text`` (code or title words), and project
        ``keep`` when it is in view (cached): a picker's options in a large scope."""
        return loaders.find_projects(self.data, self.scope, self.flt, text, limit, keep)

    def follow_up_frames(self):
        """The frames with only projects, visits, recommendations and risks filled (cached on its own):
        what the Recommendations and Visits pages read."""
        return loaders.follow_up_frames(self.data, self.scope, self.flt)

    def countries_in_view(self, projects: pd.DataFrame) -> tuple[str, ...] | None:
        """The ISO3 codes whose share of the money the page's totals count, or ``None`` for a view
        without a country boundary (leadership, a programme manager's projects: every project in full).

        A country filter, else a chief of mission's countries; a region filter or a regional
        director's regions add the countries of those regions (those any project in view works in or
        is managed from); both together keep the countries in both. Pass the result as
        ``portfolio_kpis(countries=...)`` so the cards equal the sum of the by-country rows. The
        countries projects work in (:meth:`project_countries`) are read only when a region is involved.
        """
        bound = self.scope.place_bound
        countries = set(self.flt.countries) or (set(self.scope.countries) if bound and self.scope.countries else None)
        regions = set(self.flt.regions) or (set(self.scope.regions) if bound else set())
        if regions:
            project_countries = self.project_countries()
            in_regions = set(project_countries.loc[project_countries["region"].isin(regions), "country"]) | set(
                projects.loc[projects["region"].isin(regions), "managing_country"]
            )
            countries = in_regions if countries is None else countries & in_regions
        return None if countries is None else tuple(sorted(countries))

    def heading(self, title: str) -> None:
        """The page's title and, under it, whose view it is and as of when (every analysis page)."""
        st.title(title)
        st.caption(f"{literal(self.scope.label)} · as of {date_text(self.as_of)}")

    def load_summary(self):
        """:meth:`portfolio_summary` read inside :func:`data_errors`, stopping on the empty state: for
        pages whose figures are per project and per flag (no raw rows, no indicator figures)."""
        with data_errors():
            summary = self.portfolio_summary()
            self.stop_if_empty(summary)
            return summary

    def load_projects(self, columns: tuple[str, ...]) -> pd.DataFrame:
        """Only ``columns`` of the stored per-project figures (``loaders.evaluated_projects``), read
        inside :func:`data_errors`, stopping on the empty state: for pages that show per-project
        figures without the flags (Finance's later tabs)."""
        with data_errors():
            projects = loaders.evaluated_projects(self.data, self.scope, self.flt, self.settings, columns)
            self.stop_if_empty(projects)
            return projects

    def stop_if_empty(self, frames) -> None:
        """Show the right empty state and stop the page when no project is in view.

        ``frames`` is anything with a ``projects`` frame (frames or evaluation), a DataFrame, or the
        number of projects in view (a page that counts in SQL).
        """
        from components import empty_states

        if isinstance(frames, int):
            if frames:
                return
        elif not (frames if isinstance(frames, pd.DataFrame) else frames.projects).empty:
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


def render_sidebar() -> PageContext:
    """Establish who is asking (sign-in or the demo's choice; stops the run when they may see
    nothing), render the filters in the sidebar and return the context they define.

    Called once per run by ``app.py`` (and by :func:`page_context` when a page runs alone). When the
    database cannot be read the error is shown and the run stops.
    """
    settings = load_settings()
    with data_errors():
        data = loaders.current_data(db.database_url())
        identity = who_is_asking(data)
        scope = identity.scope
        visible = loaders.filter_options(data, scope)
    flt = sidebar_filters(scope, visible)
    st.sidebar.caption(f"Viewing as **{scope.label}** · as of {date_text(flt.as_of)}")
    with data_errors():
        email_alerts(data, identity)
    return PageContext(scope=scope, flt=flt, data=data, settings=settings, identity=identity, printing=print_switch())


PRINT_KEY = "print_tables"


def print_switch() -> bool:
    """The sidebar's "Tables on paper" (URL ``print=1``): whether tables carry a plain copy for the
    browser's print (``components.tables.print_html``, which says why it is not always there)."""
    url_bound(PRINT_KEY, "print", lambda raw: raw[-1] == "1")
    on = st.sidebar.toggle(
        "Tables on paper",
        key=PRINT_KEY,
        help="Before printing (Ctrl+P): each table prints whole, its first rows, instead of the slice on screen.",
    )
    write_url("print", "1" if on else None)
    return on


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
    tables.print_copies(context.printing)
    st.html(PRINT_CSS)  # the browser's print keeps labels whole and tables uncut (style only: no space taken)
    return context


# ---- charts ---------------------------------------------------------------------------------
PLOTLY_CONFIG = {"topojsonURL": "app/static/", "displaylogo": False}


def show_chart(fig, *, how: str, key: str | None = None) -> None:
    """Show a figure at full width with the offline map topology and its "how computed" note."""
    st.plotly_chart(literal_figure(fig), width="stretch", config=PLOTLY_CONFIG, key=key)
    st.caption(f"How this is computed: {how}")
