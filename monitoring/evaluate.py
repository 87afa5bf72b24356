"""The whole portfolio evaluated as of a date: THE one code path behind every page and ``report``.

:func:`evaluate_portfolio` takes the frames of :mod:`monitoring.frames` (whatever scope and filter
produced them) and returns a :class:`PortfolioEvaluation` of plain DataFrames:

* ``indicators`` — one row per indicator: the evaluation of :mod:`monitoring.indicators` joined with
  the indicator's code, name, direction, baseline, result and project code;
* ``projects`` — one row per project: identity (``frames.projects``), results
  (:mod:`monitoring.results`), money (:mod:`monitoring.finance`; ``at_stake_usd``, the money at stake
  that orders every list of problems after severity), results-versus-spend, risk summary,
  data-quality completeness, disaggregation counts (``monitoring.markers.disaggregation_by_project``:
  people-counting indicators, reported, broken down by sex and by age in every reported period), and
  ``flags`` (codes sorted, joined by ';') with ``n_flags_high``;
* ``flags`` — one record per flag (:mod:`monitoring.flags`);
* ``risks`` — the risk register with score and level;
* ``quality`` — data-quality issues (:mod:`monitoring.quality`), one row per indicator or project
  issue with its ``level``; each project's ``completeness`` and ``n_indicators_with_issues`` are in
  ``projects``.

Pages and the command line never recompute a figure: they read these frames, so the number a
country director sees is the number ``python -m data_access report`` prints for the same date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

import pandas as pd

from monitoring.finance import money_at_stake, project_finance, results_vs_spend
from monitoring.flags import eligible, flag_summary, project_flags
from monitoring.frames import COLUMNS, PortfolioFrames
from monitoring.indicators import ASSESSABLE_STATUSES, evaluate_indicators
from monitoring.markers import disaggregation_by_project
from monitoring.money_rollup import started, usd_inclusion
from monitoring.quality import completeness, indicator_quality, project_quality
from monitoring.results import project_results
from monitoring.risks import project_risk_summary, score_risks
from monitoring.rollup import budget_shares
from monitoring.settings import Settings, load_settings

# what an indicator is (its definition): the first columns of every indicator listing
INDICATOR_DEFINITION = (
    "indicator_code",
    "name",
    "unit",
    "measure",
    "direction",
    "accumulation",
    "baseline",
    "end_target",
)
# indicator attributes joined onto the evaluation (those it does not already carry)
INDICATOR_ATTRIBUTES = (*INDICATOR_DEFINITION, "result_id")


@dataclass(frozen=True, eq=False)
class PortfolioEvaluation:
    """Every figure of a portfolio as of one date (see the module docstring for each frame)."""

    as_of: dt.date
    indicators: pd.DataFrame
    projects: pd.DataFrame
    flags: pd.DataFrame
    risks: pd.DataFrame
    quality: pd.DataFrame


def _indicator_table(evaluation: pd.DataFrame, frames: PortfolioFrames) -> pd.DataFrame:
    meta = frames.indicators[["indicator_id", *INDICATOR_ATTRIBUTES]]
    meta = meta[["indicator_id", *[c for c in INDICATOR_ATTRIBUTES if c not in evaluation.columns]]]
    codes = frames.projects[["project_id", "project_code"]]
    table = evaluation.merge(meta, on="indicator_id", how="left").merge(codes, on="project_id", how="left")
    first = ["indicator_id", "project_id", "project_code", *INDICATOR_ATTRIBUTES]
    return table[first + [c for c in table.columns if c not in first]]


def _quality_table(indicator_issues: pd.DataFrame, project_issues: pd.DataFrame) -> pd.DataFrame:
    """Indicator and project data-quality issues in one table: level, project_id, indicator_id, issue, message."""
    parts = [
        indicator_issues.assign(level="indicator", indicator_id=indicator_issues["indicator_id"].astype("Int64")),
        project_issues.assign(
            level="project", indicator_id=pd.Series(pd.NA, index=project_issues.index, dtype="Int64")
        ),
    ]
    table = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else None
    columns = ["level", "project_id", "indicator_id", "issue", "message"]
    return pd.DataFrame(columns=columns) if table is None else table[columns]


def _project_table(
    frames: PortfolioFrames,
    results: pd.DataFrame,
    finance: pd.DataFrame,
    risk_summary: pd.DataFrame,
    quality_scores: pd.DataFrame,
    disaggregation: pd.DataFrame,
    settings: Settings,
) -> pd.DataFrame:
    identity = frames.projects[list(COLUMNS["projects"])].drop_duplicates("project_id")
    table = (
        identity.merge(results, on="project_id", how="left")
        .merge(finance.drop(columns="currency"), on="project_id", how="left")
        .merge(risk_summary, on="project_id", how="left")
        .merge(quality_scores, on="project_id", how="left")
        .merge(disaggregation, on="project_id", how="left")
    )
    counts = [c for c in table.columns if c.startswith("n_") and c != "n_flags_high"]
    table[counts] = table[counts].fillna(0).astype("int64")
    table["results_vs_spend"] = results_vs_spend(table["burn"], table["results_progress"], settings)
    table["at_stake_usd"] = money_at_stake(table["budget_usd"], table["spent_usd"], table["expenditure_reported"])
    return table


def evaluate_portfolio(
    frames: PortfolioFrames, as_of: dt.date, settings: Settings | None = None
) -> PortfolioEvaluation:
    """Indicators, projects, flags, risks and quality of the portfolio as of ``as_of``.

    ``settings`` defaults to :func:`monitoring.settings.load_settings` (``settings.toml`` applied),
    so a page and the command line read the same thresholds.
    """
    settings = settings or load_settings()
    frames.check_columns()
    evaluation = evaluate_indicators(
        frames.indicators, frames.targets, frames.actuals, frames.projects, as_of, settings
    )
    issues = indicator_quality(frames.indicators, frames.targets, frames.actuals, as_of)
    quality = _quality_table(issues, project_quality(frames.projects, evaluation, frames.visits, as_of, settings))
    scores = completeness(frames.indicators, issues, frames.projects)
    scores = scores.drop(columns="n_indicators").rename(columns={"n_with_issues": "n_indicators_with_issues"})
    results = project_results(evaluation, frames.projects, settings)
    finance = project_finance(
        frames.projects,
        frames.budget_lines,
        frames.expenditures,
        frames.spending_plans,
        frames.fx_rates,
        as_of,
        settings,
    )
    risks = score_risks(frames.risks, settings)
    disaggregation = disaggregation_by_project(
        frames.indicators, frames.actuals, as_of=as_of, breakdowns=frames.actual_breakdowns
    )
    projects = _project_table(
        frames,
        results,
        finance,
        project_risk_summary(risks, frames.projects["project_id"]),
        scores,
        disaggregation,
        settings,
    )
    flags = project_flags(projects, frames, risks, as_of, settings)
    projects = projects.merge(flag_summary(flags, projects["project_id"]), on="project_id", how="left")
    return PortfolioEvaluation(
        as_of=as_of,
        indicators=_indicator_table(evaluation, frames),
        projects=projects,
        flags=flags,
        risks=risks,
        quality=quality,
    )


def _money_shares_in_view(
    projects: pd.DataFrame, countries: Collection[str] | None, project_countries: pd.DataFrame | None
) -> tuple[pd.Series, pd.Series]:
    """(share, in_view) aligned with ``projects``: the fraction of each project's money attributed to
    the countries in view, and whether the project is attributed to them at all (even at 0%).

    The attribution is :func:`monitoring.rollup.budget_shares` by country, the rule behind the
    by-country rows of ``monitoring.money_rollup.usd_totals_by_place``, so the card and the rows of
    the countries in view add up to the same amount. ``countries=None`` is the whole organisation:
    every project counts in full.
    """
    if countries is None:
        ones = pd.Series(1.0, index=projects.index)
        return ones, ones > 0
    if project_countries is None:
        raise ValueError(
            "portfolio_kpis(countries=...) needs project_countries to share multi-country "
            "projects among their countries"
        )
    membership = budget_shares(projects, "managing_country", project_countries)
    here = membership.loc[membership["group"].isin(list(countries))].groupby("project_id")["share"].sum()
    ids = projects["project_id"]
    return ids.map(here).fillna(0.0).astype(float), ids.isin(here.index)


@dataclass(frozen=True)
class PortfolioKpis:
    """The headline numbers of a portfolio page (:func:`portfolio_kpis` says what each one counts).

    Money is in USD. "Here" is the countries in view (every project when the view has no country
    boundary); "elsewhere" is projects implemented here but managed from another country.
    """

    projects: int  # every project of the evaluation, whatever the view
    projects_managed_here: int
    projects_managed_elsewhere: int
    active_projects: int  # active and started, managed here
    active_projects_managed_elsewhere: int
    budget_usd: float  # started projects that reported expenditure, attributed to the view
    spent_usd: float
    delivery_rate: float | None  # spent ÷ budget; None without budget
    n_not_started: int
    n_not_started_managed_elsewhere: int
    budget_not_started_usd: float
    spent_not_started_usd: float  # spending booked before the start (normally 0)
    n_not_reported: int  # started, no expenditure row up to the as-of date
    n_not_reported_managed_elsewhere: int
    budget_not_reported_usd: float
    assessable_indicators: int
    indicators_on_track_or_achieved: int
    indicators_on_track_or_achieved_share: float | None  # None when nothing is assessable
    projects_with_high_flag: int
    flags: int
    projects_in_usd: int  # summed in USD
    projects_excluded_from_usd: int  # a known budget left out for a missing exchange rate
    missing_currencies: tuple[str, ...]
    projects_without_budget: int


def portfolio_kpis(
    evaluation: PortfolioEvaluation,
    *,
    countries: Collection[str] | None = None,
    project_countries: pd.DataFrame | None = None,
    indicator_statuses: pd.Series | None = None,
    flag_count: int | None = None,
) -> PortfolioKpis:
    """The headline numbers of a portfolio page, for the whole organisation or for some countries.

    ``indicator_statuses`` (status → number of indicators) stands for ``evaluation.indicators``
    when the caller counted them apart (the pages count the stored statuses in SQL instead of
    reading ~200,000 indicator rows at 10,000 projects); by default they are counted here.
    ``flag_count`` likewise stands for ``len(evaluation.flags)`` (the Portfolio counts the stored
    flags in SQL: ~280,000 rows at 100,000 projects).

    **Whose money** (DOMAIN.md 1). ``countries=None`` (leadership, a programme manager's projects)
    adds every project of ``evaluation`` in full. With ``countries`` (the ISO3 codes in view: a chief
    of mission's country, a regional director's countries, narrowed by the sidebar) and
    ``project_countries`` (``frames.project_countries``), a multi-country project counts with its
    share of budget and spending in those countries (IATI percentages, normalised per project;
    wholly the managing country's without percentages), exactly as the by-country rows of
    ``monitoring.money_rollup.usd_totals_by_place``: the card equals the sum of the rows of the
    countries in view. Project counts use the managing country: ``active_projects`` and
    ``n_not_started`` count the projects managed in the countries in view;
    ``active_projects_managed_elsewhere`` and ``n_not_started_managed_elsewhere`` those implemented
    there but managed from another country (``projects_managed_here`` /
    ``projects_managed_elsewhere`` all of them); ``projects`` is every project in the evaluation.

    **Which projects** (DOMAIN.md 3, 5). Budget, spent and ``delivery_rate`` (spent ÷ budget, USD)
    count only projects that have started (``monitoring.money_rollup.started``: status active or
    closed and start ≤ as-of; a pipeline project has not started whatever its planned start date
    says, an unknown start date counts as not started): a pipeline budget is not under delivery, and
    adding it would make a country whose active projects are all on pace look like it has spent a
    fifth of its money.
    ``budget_not_started_usd`` (and ``spent_not_started_usd``, spending booked before the start,
    normally 0) report that money separately, with ``n_not_started``. ``active_projects`` counts
    active projects that have started (the projects flags are raised for).
    Of the started projects, those without any expenditure row up to the as-of date
    (``expenditure_reported`` False: spending unknown, not 0) are left out of budget, spent and
    ``delivery_rate`` too, so a gap in the data never reads as money left unspent; their budget is
    ``budget_not_reported_usd``, counted by ``n_not_reported`` (managed in the countries in view)
    and ``n_not_reported_managed_elsewhere``, so a page can say "3 projects have not reported
    expenditure: USD 1.2M of budget not in delivery".

    **Currencies** (DOMAIN.md 3). Money is summed in USD over the projects whose budget and
    spending both convert (``monitoring.money_rollup.usd_inclusion``, the rule of the by-country
    rows): a missing rate excludes a project rather than counting it as 0.
    ``projects_excluded_from_usd`` counts the projects with a known budget left out that way (with
    ``missing_currencies``); ``projects_without_budget`` those without any budget line (nothing to
    add, whatever the rates); ``projects_in_usd`` those summed. The three count the projects with
    money in view: attributed to the countries in view (even at 0%), all of them for the organisation.

    **Indicators and flags** are per project, not shared: they cover every project of
    ``evaluation`` (a chief of mission answers for everything delivered in the country).
    ``indicators_on_track_or_achieved_share`` is (on track + achieved) ÷ assessable (``None`` when
    nothing is assessable).
    """
    projects = evaluation.projects
    share, in_view = _money_shares_in_view(projects, countries, project_countries)
    managed_here = (
        pd.Series(True, index=projects.index)
        if countries is None
        else projects["managing_country"].isin(list(countries))
    )
    managed_elsewhere = in_view & ~managed_here
    begun = started(projects, evaluation.as_of)
    unreported = begun & ~projects["expenditure_reported"].astype(bool)
    delivering = begun & ~unreported
    active = eligible(projects, evaluation.as_of)
    included = usd_inclusion(projects)[0] & in_view
    # a known budget left out of the sums can only be a missing rate (of the budget or of spending)
    excluded = in_view & projects["budget"].notna() & ~included
    budget = projects["budget_usd"].where(included) * share
    spent = projects["spent_usd"].where(included) * share
    budget_usd, spent_usd = float(budget[delivering].sum()), float(spent[delivering].sum())
    if indicator_statuses is None:
        indicator_statuses = evaluation.indicators["status"].value_counts()
    assessable = int(indicator_statuses.reindex(list(ASSESSABLE_STATUSES), fill_value=0).sum())
    good = int(indicator_statuses.reindex(["on_track", "achieved"], fill_value=0).sum())
    good_share = good / assessable if assessable else None
    missing = projects.loc[excluded, "missing_rates"]
    return PortfolioKpis(
        projects=len(projects),
        projects_managed_here=int(managed_here.sum()),
        projects_managed_elsewhere=int(managed_elsewhere.sum()),
        active_projects=int((active & managed_here).sum()),
        active_projects_managed_elsewhere=int((active & managed_elsewhere).sum()),
        budget_usd=budget_usd,
        spent_usd=spent_usd,
        delivery_rate=spent_usd / budget_usd if budget_usd > 0 else None,
        n_not_started=int((~begun & managed_here).sum()),
        n_not_started_managed_elsewhere=int((~begun & managed_elsewhere).sum()),
        budget_not_started_usd=float(budget[~begun].sum()),
        spent_not_started_usd=float(spent[~begun].sum()),
        n_not_reported=int((unreported & managed_here).sum()),
        n_not_reported_managed_elsewhere=int((unreported & managed_elsewhere).sum()),
        budget_not_reported_usd=float(budget[unreported].sum()),
        assessable_indicators=assessable,
        indicators_on_track_or_achieved=good,
        indicators_on_track_or_achieved_share=good_share,
        projects_with_high_flag=int((projects["n_flags_high"] > 0).sum()),
        flags=len(evaluation.flags) if flag_count is None else flag_count,
        projects_in_usd=int(included.sum()),
        projects_excluded_from_usd=int(excluded.sum()),
        missing_currencies=tuple(sorted({c for cs in missing.dropna() for c in str(cs).split(";") if c})),
        projects_without_budget=int((projects["budget"].isna() & in_view).sum()),
    )
