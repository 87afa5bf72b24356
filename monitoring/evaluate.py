"""The whole portfolio evaluated as of a date: THE one code path behind every page and ``report``.

:func:`evaluate_portfolio` takes the frames of :mod:`monitoring.frames` (whatever scope and filter
produced them) and returns a :class:`PortfolioEvaluation` of plain DataFrames:

* ``indicators`` — one row per indicator: the evaluation of :mod:`monitoring.indicators` joined with
  the indicator's code, name, direction, baseline, result and project code;
* ``projects`` — one row per project: identity (``frames.projects``), results
  (:mod:`monitoring.results`), money (:mod:`monitoring.finance`), results-versus-spend, risk summary,
  data-quality completeness, and ``flags`` (codes sorted, joined by ';') with ``n_flags_high``;
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
from dataclasses import dataclass

import pandas as pd

from monitoring.finance import project_finance, results_vs_spend
from monitoring.flags import flag_summary, project_flags
from monitoring.frames import COLUMNS, PortfolioFrames
from monitoring.indicators import ASSESSABLE_STATUSES, evaluate_indicators
from monitoring.quality import completeness, indicator_quality, project_quality
from monitoring.results import project_results
from monitoring.risks import project_risk_summary, score_risks
from monitoring.settings import Settings, load_settings

# indicator attributes joined onto the evaluation (those it does not already carry)
INDICATOR_ATTRIBUTES = ("indicator_code", "name", "unit", "measure", "direction", "accumulation",
                        "baseline", "end_target", "result_id")


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
    parts = [indicator_issues.assign(level="indicator", indicator_id=indicator_issues["indicator_id"].astype("Int64")),
             project_issues.assign(level="project", indicator_id=pd.Series(pd.NA, index=project_issues.index,
                                                                           dtype="Int64"))]
    table = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else None
    columns = ["level", "project_id", "indicator_id", "issue", "message"]
    return pd.DataFrame(columns=columns) if table is None else table[columns]


def _project_table(frames: PortfolioFrames, results: pd.DataFrame, finance: pd.DataFrame,
                   risk_summary: pd.DataFrame, quality_scores: pd.DataFrame,
                   settings: Settings) -> pd.DataFrame:
    identity = frames.projects[list(COLUMNS["projects"])].drop_duplicates("project_id")
    table = (
        identity
        .merge(results, on="project_id", how="left")
        .merge(finance.drop(columns="currency"), on="project_id", how="left")
        .merge(risk_summary, on="project_id", how="left")
        .merge(quality_scores, on="project_id", how="left")
    )
    counts = [c for c in table.columns if c.startswith("n_") and c != "n_flags_high"]
    table[counts] = table[counts].fillna(0).astype("int64")
    table["results_vs_spend"] = results_vs_spend(table["burn"], table["results_progress"], settings)
    return table


def evaluate_portfolio(frames: PortfolioFrames, as_of: dt.date, settings: Settings | None = None
                       ) -> PortfolioEvaluation:
    """Indicators, projects, flags, risks and quality of the portfolio as of ``as_of``.

    ``settings`` defaults to :func:`monitoring.settings.load_settings` (``settings.toml`` applied),
    so a page and the command line read the same thresholds.
    """
    settings = settings or load_settings()
    frames.check_columns()
    evaluation = evaluate_indicators(frames.indicators, frames.targets, frames.actuals, frames.projects,
                                     as_of, settings)
    issues = indicator_quality(frames.indicators, frames.targets, frames.actuals, as_of)
    quality = _quality_table(issues, project_quality(frames.projects, evaluation, frames.visits, as_of, settings))
    scores = completeness(frames.indicators, issues, frames.projects)
    scores = scores.drop(columns="n_indicators").rename(columns={"n_with_issues": "n_indicators_with_issues"})
    results = project_results(evaluation, frames.projects, settings)
    finance = project_finance(frames.projects, frames.budget_lines, frames.expenditures,
                              frames.spending_plans, frames.fx_rates, as_of, settings)
    risks = score_risks(frames.risks, settings)
    projects = _project_table(frames, results, finance,
                              project_risk_summary(risks, frames.projects["project_id"]),
                              scores, settings)
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


def portfolio_kpis(evaluation: PortfolioEvaluation) -> dict[str, object]:
    """The headline numbers of a portfolio page.

    Money is summed in USD over the projects whose budget and spending both convert: a missing rate
    excludes a project rather than counting it as 0. ``projects_excluded_from_usd`` says how many
    were left out and ``missing_currencies`` which currencies lacked a rate; projects without any
    budget line are counted in ``projects_without_budget`` (they add nothing to either total).
    ``delivery_rate`` is spent ÷ budget over the included projects. ``indicators_on_track_share`` is
    on track or achieved ÷ assessable (``None`` when nothing is assessable).
    """
    projects = evaluation.projects
    excluded = projects["missing_rates"].notna()
    in_usd = projects["budget_usd"].notna() & projects["spent_usd"].notna() & ~excluded
    budget_usd = float(projects.loc[in_usd, "budget_usd"].sum())
    spent_usd = float(projects.loc[in_usd, "spent_usd"].sum())
    status = evaluation.indicators["status"]
    assessable = int(status.isin(ASSESSABLE_STATUSES).sum())
    good = int(status.isin(("on_track", "achieved")).sum())
    return {
        "projects": len(projects),
        "active_projects": int((projects["status"] == "active").sum()),
        "budget_usd": budget_usd,
        "spent_usd": spent_usd,
        "delivery_rate": spent_usd / budget_usd if budget_usd > 0 else None,
        "assessable_indicators": assessable,
        "indicators_on_track_share": good / assessable if assessable else None,
        "projects_with_high_flag": int((projects["n_flags_high"] > 0).sum()),
        "flags": len(evaluation.flags),
        "projects_excluded_from_usd": int(excluded.sum()),
        "missing_currencies": sorted({c for cs in projects.loc[excluded, "missing_rates"] for c in cs.split(";")}),
        "projects_without_budget": int(projects["budget"].isna().sum()),
    }

