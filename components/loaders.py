"""Cached reads for the pages: every cached function is keyed by ALL it depends on.

ARCHITECTURE.md practice 6: the arguments of each ``st.cache_data`` function are the
:class:`DataKey` (the database URL and the version of its content, ``queries.data_version``), the
:class:`~data_access.scope.Scope`, the :class:`~data_access.scope.PortfolioFilter` (which holds the
as-of date) and the :class:`~monitoring.settings.Settings` (all frozen, hashable). Nothing inside
reads the session, the URL or a secret, so one user's cached result can never be served to another
user with a different scope. ``st.cache_resource`` is used only for the engine. Figures and ORM
objects are never cached: only DataFrames and plain dataclasses of DataFrames.

Freshness comes from the key, not from a timer: every page run reads the data version (one small
query) and an import anywhere changes it, so the next run reads the new data, while an unchanged
database is served from the cache (a cold organisation-wide read costs seconds at 10,000 projects).
``ttl`` only frees entries nobody asks for; ``max_entries`` bounds memory at that scale (a
portfolio's frames are a few hundred MB there, hence only a handful of entries);
:func:`clear_caches` (the Data page, after an import) frees the entries the new version made stale.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components import off_track_table
from components import status_matrix as matrices
from data_access import db, evaluated, history, models, people, people_search, project_search, queries
from data_access.importers import write_scope
from data_access.scope import PortfolioFilter, Scope
from monitoring import evaluate, off_track, risk_attention
from monitoring.comments import comment_by_indicator
from monitoring.frames import COLUMNS, PortfolioFrames
from monitoring.settings import Settings
from reference.vocabulary import RESULT_LEVELS

PORTFOLIO_TTL_S = 6 * 3600
PORTFOLIO_MAX_ENTRIES = 6
DETAIL_MAX_ENTRIES = 32
SUMMARY_COLUMNS = evaluated.Columns(indicators=(), risks=(), quality=())
# the Off-track page's list: the indicators off track, at risk or without data (overall or per sex),
# and the facts of their projects it shows (one read: each read first checks the date's run)
ATTENTION_COLUMNS = evaluated.Columns(
    projects=off_track_table.PROJECT_COLUMNS,
    indicators=off_track.INDICATOR_COLUMNS,
    flags=(),
    risks=(),
    quality=(),
    indicator_statuses=off_track.ATTENTION_STATUSES,
)
# the Portfolio's first view (cards, drill level, the order of its projects table): 19 of the
# projects' 62 stored columns, no flag (the top flags are chosen and counted in SQL). At 100,000
# projects reading every column took ~2 s more, ordering every flag 0.6 s.
OVERVIEW_COLUMNS = evaluated.Columns(
    projects=(
        "project_id", "project_code", "status", "start_date", "end_date", "currency", "budget", "budget_usd",
        "spent", "spent_usd", "expenditure_reported", "missing_rates", "managing_country",
        "managing_country_name", "region", "region_name", "results_status", "at_stake_usd", "n_flags_high",
    ),
    indicators=(),
    flags=(),
    risks=(),
    quality=(),
)  # fmt: skip
# every column of the rows shown in the Portfolio's projects table
MATRIX_COLUMNS = evaluated.Columns(indicators=(), flags=(), risks=(), quality=())
RISK_COLUMNS = evaluated.Columns(projects=(), indicators=(), flags=(), quality=())

# the Risks page's list to act on: what the rule reads of a risk's project (status, start) and what
# the list shows (code, title, country)
RISK_PROJECT_COLUMNS = ("project_id", "project_code", "title", "status", "start_date", "managing_country_name")
# the Risks page's flag tabs: every flag, and what the list and charts show of its project (country,
# money at stake for the order), not the 62 columns
RISK_FLAG_COLUMNS = evaluated.Columns(
    projects=("project_id", "managing_country", "managing_country_name", "region", "at_stake_usd"),
    indicators=(),
    risks=(),
    quality=(),
)
# the Finance page's cards (``portfolio_kpis``, the burn statuses) and its countries in view; the
# cards show no flag or indicator figure, so neither is read
FINANCE_COLUMNS = evaluated.Columns(
    projects=(
        "project_id", "status", "start_date", "budget", "budget_usd", "spent", "spent_usd", "expenditure_reported",
        "missing_rates", "managing_country", "region", "n_flags_high", "burn_status",
    ),
    indicators=(),
    flags=(),
    risks=(),
    quality=(),
)  # fmt: skip
# every stored figure of a project: the Finance tabs after the first (no flag: ``portfolio_summary``
# also reads ~280,000 flags with their texts at 100,000 projects)
EVERY_PROJECT_COLUMN = tuple(models.EVALUATION_COLUMNS["projects"])
# the Finance page's lists to act on (``finance_tables.flagged_projects``): the flag's text, and the
# facts shown of its project
FLAGGED_COLUMNS = ("project_id", "code", "message")
FLAGGED_PROJECT_COLUMNS = (
    "project_id", "project_code", "title", "managing_country_name", "end_date", "revised_end_date", "burn",
    "results_progress", "results_status", "forecast_delivery",
)  # fmt: skip


@dataclass(frozen=True)
class DataKey:
    """Which data a cached read is of: the database and the version of its content."""

    url: str
    version: str


@st.cache_resource(show_spinner=False)
def engine_for(database_url: str) -> db.Engine:
    """The process-wide engine (a connection pool) for ``database_url``."""
    return db.get_engine(database_url)


def current_data(database_url: str) -> DataKey:
    """The database and its content's version now (read on every page run, never cached)."""
    return DataKey(database_url, queries.data_version(engine_for(database_url)))


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner="Loading the portfolio…")
def portfolio_frames(data: DataKey, scope: Scope, flt: PortfolioFilter) -> PortfolioFrames:
    """``data_access.queries.load_portfolio`` for this scope and filter."""
    return queries.load_portfolio(engine_for(data.url), scope, flt)


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner="Reading the figures…")
def portfolio_evaluation(data: DataKey, scope: Scope, flt: PortfolioFilter, settings: Settings):
    """``monitoring.evaluate.evaluate_portfolio`` as of the filter's date, read from the stored
    evaluations (``data_access.evaluated``: projects not stored yet are evaluated first)."""
    return evaluated.read(engine_for(data.url), scope, flt, settings)


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner="Reading the figures…")
def portfolio_summary(
    data: DataKey, scope: Scope, flt: PortfolioFilter, settings: Settings
) -> evaluate.PortfolioEvaluation:
    """The evaluation above with only what the portfolio-level views read: the per-project table
    and the flags (no indicator rows: their statuses are :func:`indicator_status_counts`).

    Same numbers, same code path; only these stored rows are read (the full evaluation carries
    ~200k indicator rows with every figure at 10,000 projects).
    """
    return evaluated.read(engine_for(data.url), scope, flt, settings, SUMMARY_COLUMNS)


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner="Reading the figures…")
def evaluated_projects(
    data: DataKey, scope: Scope, flt: PortfolioFilter, settings: Settings, columns: tuple[str, ...]
) -> pd.DataFrame:
    """Only ``columns`` of the view's stored per-project figures, no flags: for a page that shows
    per-project figures without flags (Finance's later tabs), not :func:`portfolio_summary`'s 62
    columns and every flag (~280,000 with their texts at 100,000 projects)."""
    only = evaluated.Columns(projects=columns, indicators=(), flags=(), risks=(), quality=())
    return evaluated.read(engine_for(data.url), scope, flt, settings, only).projects


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner=False)
def indicator_status_counts(data: DataKey, scope: Scope, flt: PortfolioFilter, settings: Settings) -> pd.Series:
    """Indicators per status in view, counted in SQL: ``portfolio_kpis(indicator_statuses=...)``."""
    return evaluated.indicator_status_counts(engine_for(data.url), scope, flt, settings)


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner="Reading the figures…")
def portfolio_overview(
    data: DataKey, scope: Scope, flt: PortfolioFilter, settings: Settings
) -> evaluate.PortfolioEvaluation:
    """:func:`portfolio_summary` with only the columns the Portfolio's first view reads
    (:data:`OVERVIEW_COLUMNS`: the cards, the drill level, the order of the projects table and of
    the flags). Same rows, same numbers; the tabs and downloads that show every column read
    :func:`portfolio_summary` when opened or clicked."""
    return evaluated.read(engine_for(data.url), scope, flt, settings, OVERVIEW_COLUMNS)


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner=False)
def status_matrix(
    data: DataKey,
    scope: Scope,
    flt: PortfolioFilter,
    settings: Settings,
    countries: tuple[str, ...] | None,
    rows: int,
) -> tuple[pd.DataFrame, int]:
    """The first ``rows`` of the Portfolio's projects table (``components.status_matrix.status_matrix``
    of the view's projects, "Country" as seen from ``countries``, the page's countries in view) and
    how many projects it has in all.

    The order (``status_matrix.matrix_order``) is taken over :func:`portfolio_overview`; only the
    first ``rows`` projects are then read whole (the filter narrowed to their codes: still the same
    scope) and labelled. ``status_matrix`` of them equals the first rows of ``status_matrix`` of every
    project, since the order is total and each row depends only on its project
    (tests/test_components_portfolio_cache.py). At 100,000 projects this reads 300 rows of 62
    columns instead of 100,000; the downloads build the whole table when a button is clicked.
    """
    overview = portfolio_overview(data, scope, flt, settings).projects
    codes = overview["project_code"].iloc[matrices.matrix_order(overview)[:rows]]
    shown = evaluated.read(
        engine_for(data.url), scope, dataclasses.replace(flt, project_codes=tuple(codes)), settings, MATRIX_COLUMNS
    ).projects
    first = matrices.status_matrix(
        shown,
        high_min=settings.risk_high_min,
        medium_min=settings.risk_medium_min,
        project_countries=None if countries is None else project_countries(data, scope, flt),
        countries=countries,
        rows=rows,
    )
    return first, len(overview)


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner=False)
def top_flags(
    data: DataKey, scope: Scope, flt: PortfolioFilter, settings: Settings, rows: int
) -> tuple[pd.DataFrame, int]:
    """The first ``rows`` flags of ``components.status_matrix.top_flags`` of the view and how many
    flags in all.

    The first flags are chosen and counted in SQL (``evaluated.first_flags``, the same order) and
    labelled with their projects from :func:`portfolio_overview`. Equal to the first rows of
    ``top_flags`` of every flag (tests/test_components_portfolio_cache.py): labelling ~36,000 flags
    took ~0.15 s of every run at 10,000 projects; reading ~280,000 flags to order them 0.6 s at 100,000.
    """
    flags, count = evaluated.first_flags(engine_for(data.url), scope, flt, settings, rows)
    return matrices.top_flags(flags, portfolio_overview(data, scope, flt, settings).projects, rows), count


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=DETAIL_MAX_ENTRIES, show_spinner=False)
def digest_choice(data: DataKey, email: str) -> str:
    """How often ``email`` gets the digest (``people.frequency_of``): the sidebar's "Email alerts"
    label on every run of every page, read once per data version (a change is an import)."""
    return people.frequency_of(people.accesses(engine_for(data.url), email))


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=DETAIL_MAX_ENTRIES, show_spinner=False)
def role_holder(data: DataKey, role: str, code: str | None) -> str | None:
    """``people.holder_of``: whose digest the demo's stand-in for ``role`` (and ``code``) changes."""
    return people.holder_of(engine_for(data.url), role, code)


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner=False)
def quality_counts(data: DataKey, scope: Scope, flt: PortfolioFilter, settings: Settings) -> evaluated.QualityCounts:
    """The Data page's quality summary, counted in SQL over the stored issues (no row is read)."""
    return evaluated.quality_counts(engine_for(data.url), scope, flt, settings)


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner=False)
def frame_columns(
    data: DataKey, scope: Scope, flt: PortfolioFilter, columns: tuple[tuple[str, tuple[str, ...]], ...]
) -> dict[str, pd.DataFrame]:
    """``queries.frame_columns``: only some columns of some raw frames ((frame, columns) pairs)."""
    return queries.frame_columns(engine_for(data.url), scope, flt, dict(columns))


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner="Reading the figures…")
def project_totals(data: DataKey, scope: Scope, flt: PortfolioFilter, settings: Settings) -> tuple[int, int, int]:
    """The view's projects, their indicators and those with a report overdue, counted in SQL
    (``evaluated.project_totals``)."""
    return evaluated.project_totals(engine_for(data.url), scope, flt, settings)


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner="Reading the figures…")
def result_levels(data: DataKey, scope: Scope, flt: PortfolioFilter) -> tuple[str, ...]:
    """The result levels the view's results have, in the vocabulary's order (the Off-track page's choices)."""
    found = evaluated.result_levels(engine_for(data.url), scope, flt, RESULT_LEVELS)
    return tuple(level for level in RESULT_LEVELS if level in found)


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner="Reading the figures…")
def attention_keys(
    data: DataKey, scope: Scope, flt: PortfolioFilter, settings: Settings, sex: str | None, levels: bool
) -> pd.DataFrame:
    """The narrow rows the Off-track list is chosen and ordered from, for ``sex`` (None: everyone):
    every indicator off track, at risk or without data, with the levels of their results when
    ``levels`` (``evaluated.attention_keys``)."""
    engine = engine_for(data.url)
    return evaluated.attention_keys(engine, scope, flt, settings, off_track.ATTENTION_STATUSES, sex, levels)


def attention_rows(
    data: DataKey,
    scope: Scope,
    flt: PortfolioFilter,
    settings: Settings,
    choice: off_track_table.Choice,
    indicator_ids: tuple[int, ...] | None = None,
) -> tuple[pd.DataFrame, pd.Series]:
    """The Off-track list of the view whole (``monitoring.off_track.indicators_needing_attention``)
    and the latest comment of each indicator: read when a download is clicked (~440,000 indicators
    with their texts at 100,000 projects), and for the rows shown, ``indicator_ids`` of their few
    projects (:func:`attention_list`). Not cached: the whole list is large, and a click is rare."""
    engine = engine_for(data.url)
    columns = dataclasses.replace(ATTENTION_COLUMNS, indicator_ids=indicator_ids)
    listed = evaluated.read(engine, scope, flt, settings, columns)
    results = queries.frame_columns(engine, scope, flt, {"results": off_track_table.RESULT_COLUMNS})["results"]
    rows = off_track.indicators_needing_attention(
        listed.indicators, results, listed.projects, statuses=choice.statuses, levels=choice.levels, sex=choice.sex
    )
    return rows, comment_by_indicator(queries.actual_comments(engine, scope, flt), flt.as_of)


@dataclass(frozen=True)
class AttentionList:
    """The Off-track page's first view: the first rows of its list, every column, with their latest
    comments; the indicators per status and the projects concerned over the whole list, and its length."""

    first: pd.DataFrame
    comments: pd.Series
    counts: dict[str, int]
    projects: int
    total: int


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner="Reading the figures…")
def attention_list(
    data: DataKey, scope: Scope, flt: PortfolioFilter, settings: Settings, choice: off_track_table.Choice, rows: int
) -> AttentionList:
    """The first ``rows`` of the Off-track list (statuses, levels and sex of ``choice``) and its counts.

    The database counts the list (``evaluated.attention_counts``) and picks the few rows that can be
    among its first ``rows`` (``evaluated.attention_candidates``), which the list's own function
    orders (``off_track_table.first_rows``); then only the first ``rows`` are read whole (their
    indicators, in the view narrowed to their projects' codes: the same scope, a subset of the view)
    and listed: equal to the whole list's first ``rows``, since the order is the same function's and
    a subset keeps the input order (the evaluation's) (tests/test_components_off_track_cache.py).
    At 100,000 projects this reads a few thousand narrow indicator rows instead of ~440,000, and
    the texts, places, results and comments of ≤ ``rows`` indicators and their projects.
    """
    engine, wanted = engine_for(data.url), (choice.statuses, choice.levels, choice.sex)
    candidates = evaluated.attention_candidates(engine, scope, flt, settings, rows, *wanted)
    shown_rows = off_track_table.first_rows(candidates, choice, rows)
    codes = tuple(shown_rows["project_code"].unique())
    if codes:  # never an empty tuple: that would be no filter, the whole view
        shown = dataclasses.replace(flt, project_codes=codes)
        ids = tuple(int(i) for i in shown_rows["indicator_id"])
        first, comments = attention_rows(data, scope, shown, settings, choice, ids)
    else:
        first, comments = pd.DataFrame(columns=list(off_track.COLUMNS)), pd.Series(dtype=object)
    counted = evaluated.attention_counts(engine, scope, flt, settings, *wanted)
    return AttentionList(first, comments, counted.counts, counted.projects, counted.total)


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner="Reading the figures…")
def evaluated_risks(data: DataKey, scope: Scope, flt: PortfolioFilter, settings: Settings) -> pd.DataFrame:
    """The evaluation's risks frame alone (scores and levels of every risk register entry)."""
    return evaluated.read(engine_for(data.url), scope, flt, settings, RISK_COLUMNS).risks


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner=False)
def risk_counts(data: DataKey, scope: Scope, flt: PortfolioFilter, settings: Settings) -> evaluated.RiskCounts:
    """The Risks page's cards, counted in SQL (``evaluated.risk_counts``): no row is read."""
    return evaluated.risk_counts(engine_for(data.url), scope, flt, settings)


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner="Reading the figures…")
def risks_to_act_on(
    data: DataKey, scope: Scope, flt: PortfolioFilter, settings: Settings
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Risks page's first view: ``monitoring.risk_attention.unmitigated_high_risks`` of the view
    and :data:`RISK_PROJECT_COLUMNS` of the projects they are on.

    Only the open high risks the rule can take and their projects are read
    (``evaluated.risks_to_act_on``): the rule looks at no other risk, and the list shows no other
    project. Equal to the rule over every risk and project of the view
    (tests/test_evaluated_risks_finance.py)."""
    risks, projects = evaluated.risks_to_act_on(engine_for(data.url), scope, flt, settings, RISK_PROJECT_COLUMNS)
    return risk_attention.unmitigated_high_risks(risks, projects, flt.as_of, settings), projects


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner="Reading the figures…")
def risk_flags(data: DataKey, scope: Scope, flt: PortfolioFilter, settings: Settings) -> evaluate.PortfolioEvaluation:
    """The Risks page's flag tabs: every flag of the view and :data:`RISK_FLAG_COLUMNS` of the projects."""
    return evaluated.read(engine_for(data.url), scope, flt, settings, RISK_FLAG_COLUMNS)


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner="Reading the figures…")
def finance_overview(
    data: DataKey, scope: Scope, flt: PortfolioFilter, settings: Settings
) -> evaluate.PortfolioEvaluation:
    """The Finance page's cards: :data:`FINANCE_COLUMNS` of the view's projects, no flag (13 of the
    62 stored columns; the tabs showing every column read :func:`portfolio_summary` when opened)."""
    return evaluated.read(engine_for(data.url), scope, flt, settings, FINANCE_COLUMNS)


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner="Reading the figures…")
def flagged_projects(
    data: DataKey, scope: Scope, flt: PortfolioFilter, settings: Settings, codes: tuple[str, ...]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The view's flags of ``codes`` (what ``finance_tables.flagged_projects`` reads of them) and
    :data:`FLAGGED_PROJECT_COLUMNS` of their projects (``evaluated.flags_with_codes``): the Finance
    page's lists to act on, without the view's other flags and projects."""
    return evaluated.flags_with_codes(
        engine_for(data.url), scope, flt, settings, codes, FLAGGED_COLUMNS, FLAGGED_PROJECT_COLUMNS
    )


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner=False)
def project_countries(data: DataKey, scope: Scope, flt: PortfolioFilter) -> pd.DataFrame:
    """``frames.project_countries`` alone: the money shares the country roll-ups need."""
    return queries.project_countries(engine_for(data.url), scope, flt)


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner=False)
def project_list(data: DataKey, scope: Scope, flt: PortfolioFilter) -> pd.DataFrame:
    """Code and title of every project in scope and filter, sorted by code (pickers)."""
    return queries.project_list(engine_for(data.url), scope, flt)


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner=False)
def projects_in_view(data: DataKey, scope: Scope, flt: PortfolioFilter) -> int:
    """How many projects are in scope and filter (``project_search.count_in_view``): may a picker list them all?"""
    return project_search.count_in_view(engine_for(data.url), scope, flt)


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=DETAIL_MAX_ENTRIES, show_spinner=False)
def find_projects(
    data: DataKey, scope: Scope, flt: PortfolioFilter, text: str, limit: int, keep: str | None
) -> project_search.ProjectMatches:
    """The best ``limit`` matches of ``text`` in scope and filter, and ``keep`` when in view
    (``project_search.find_projects``): what a picker of a large scope lists."""
    return project_search.find_projects(engine_for(data.url), scope, flt, text, limit=limit, keep=keep)


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner=False)
def follow_up_frames(data: DataKey, scope: Scope, flt: PortfolioFilter) -> PortfolioFrames:
    """The frames the follow-up pages read (projects, visits, recommendations, risks) and nothing else:
    the other frames are left empty, so the cached value costs little to unpickle."""
    frames = portfolio_frames(data, scope, flt)
    keep = ("projects", "visits", "recommendations", "risks")
    return PortfolioFrames(
        **{name: getattr(frames, name) if name in keep else getattr(frames, name).iloc[0:0] for name in COLUMNS}
    )


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner=False)
def database_is_empty(data: DataKey) -> bool:
    """No project is stored at all: the empty state then says to import the first files."""
    return db.is_empty(engine_for(data.url))


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner=False)
def people_count(data: DataKey) -> int:
    """How many people have active access (``people_search.count_people``): may "View as" list them all?"""
    return people_search.count_people(engine_for(data.url))


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=DETAIL_MAX_ENTRIES, show_spinner=False)
def find_people(data: DataKey, text: str, limit: int, keep: str | None) -> people_search.PeopleMatches:
    """(email, label) of the best ``limit`` people with active access matching ``text``, and ``keep``
    (``people_search.find_people``): whom leadership may view as."""
    return people_search.find_people(engine_for(data.url), text, limit=limit, keep=keep)


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner=False)
def manager_count(data: DataKey) -> int:
    """How many names manage projects (``people_search.count_managers``): may the demo list them all?"""
    return people_search.count_managers(engine_for(data.url))


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=DETAIL_MAX_ENTRIES, show_spinner=False)
def find_managers(data: DataKey, text: str, limit: int, keep: str | None) -> people_search.PeopleMatches:
    """(name, number of projects) of the best ``limit`` managers matching ``text``, and ``keep``
    (``people_search.find_managers``): whom the demo may be."""
    return people_search.find_managers(engine_for(data.url), text, limit=limit, keep=keep)


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=PORTFOLIO_MAX_ENTRIES, show_spinner=False)
def filter_options(data: DataKey, scope: Scope) -> queries.FilterOptions:
    """What ``scope`` can filter on: the options of the sidebar."""
    return queries.filter_options(engine_for(data.url), scope)


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=DETAIL_MAX_ENTRIES, show_spinner="Loading the project…")
def project_view(
    data: DataKey, scope: Scope, project_code: str, as_of: dt.date, settings: Settings
) -> tuple[queries.ProjectDetail, evaluate.PortfolioEvaluation]:
    """One project in full (``queries.project_detail``, ``NotFound`` outside the scope) and its
    evaluation by the same ``evaluate_portfolio`` as the portfolio pages."""
    detail = queries.project_detail(engine_for(data.url), scope, project_code, as_of)
    return detail, evaluate.evaluate_portfolio(detail.portfolio, as_of, settings)


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=DETAIL_MAX_ENTRIES, show_spinner=False)
def project_history(data: DataKey, scope: Scope, project_code: str) -> pd.DataFrame:
    """``data_access.history.project_history``: every recorded change of one project in ``scope``."""
    with engine_for(data.url).connect() as connection:
        return history.project_history(connection, scope, project_code)


@st.cache_data(ttl=PORTFOLIO_TTL_S, max_entries=DETAIL_MAX_ENTRIES, show_spinner=False)
def write_refusal(data: DataKey, scope: Scope, project_code: str) -> str | None:
    """Why ``scope`` may not change the project (``write_scope.refusal``; None: it may)."""
    with db.session_scope(engine_for(data.url)) as session:
        return write_scope.refusal(session, scope, project_code)


def clear_caches() -> None:
    """Forget every cached read, keeping the engine: after an import the new data version already
    keeps them from being served; this frees their memory at once."""
    for cached in (
        portfolio_frames,
        frame_columns,
        portfolio_evaluation,
        project_totals,
        result_levels,
        attention_keys,
        attention_list,
        evaluated_risks,
        risk_counts,
        risks_to_act_on,
        risk_flags,
        finance_overview,
        flagged_projects,
        portfolio_summary,
        portfolio_overview,
        evaluated_projects,
        indicator_status_counts,
        status_matrix,
        top_flags,
        digest_choice,
        role_holder,
        quality_counts,
        project_countries,
        project_list,
        projects_in_view,
        find_projects,
        follow_up_frames,
        database_is_empty,
        people_count,
        find_people,
        manager_count,
        find_managers,
        filter_options,
        project_view,
        project_history,
        write_refusal,
    ):
        cached.clear()
