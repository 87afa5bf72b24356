"""Cross-cutting markers (DOMAIN.md section 6): gender and other markers, AAP, disaggregation coverage.

Every marker is reported as counts of projects **and** budget (USD) by code, per scope. Counts use the
managing country; budget is shared among a project's countries when ``project_countries`` is given
(``monitoring.rollup.budget_shares``), so neither ever double counts. A project without a code for a
scheme is reported as ``"not set"`` (and an AAP commitment without a rating as ``"not_assessed"``):
coverage is the point, so the gaps are rows, not omissions. A project whose USD budget is unknown (no
exchange rate) is counted in ``n_projects`` and in ``n_budget_unknown``, never as a budget of 0.

People-counting indicators (``monitoring.indicators.people_counting``): an indicator counts people when its
disaggregation is declared (``sex`` or ``sex_age``) or when it is a number whose unit names people
(people, persons, individuals, beneficiaries, migrants, returnees, refugees, IDPs, displaced,
children, women, men, girls, boys, participants, trainees, students, survivors, victims, workers,
staff, officials). Households, families and communities are not people: their breakdown is by head
of household, not by sex of the people counted. Percentages are people-counting only when their
disaggregation is declared (a unit of "%" says nothing about who is counted).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

import numpy as np
import pandas as pd

from monitoring.dates import as_day, day_numbers
from monitoring.indicators import people_counting
from monitoring.rollup import UNKNOWN, budget_shares, project_groups
from reference.vocabulary import AAP_COMMITMENTS

NOT_SET = "not set"
NOT_ASSESSED = "not_assessed"


def budget_series(budget_usd_by_project) -> pd.Series:
    """USD budget per project id from a Series (indexed by project id) or a frame (project_id, budget_usd)."""
    if budget_usd_by_project is None:
        return pd.Series(dtype="float64")
    if isinstance(budget_usd_by_project, pd.DataFrame):
        return pd.to_numeric(budget_usd_by_project.set_index("project_id")["budget_usd"], errors="coerce")
    return pd.to_numeric(budget_usd_by_project, errors="coerce")


def _distribution(
    projects: pd.DataFrame,
    category: pd.Series,
    budget_usd,
    by: str | None,
    project_countries: pd.DataFrame | None,
    name: str,
) -> pd.DataFrame:
    """Projects and budget per group and category (``category`` indexed by project id).

    Counts go to the managing group, money to ``budget_shares``; both are summed with one
    ``bincount`` over (group, category) codes — pandas group-bys and merges cost ~100 ms even on a
    handful of projects, and a markers page asks for a dozen of these tables.
    """
    groups = project_groups(projects, by)
    shares = budget_shares(projects, by, project_countries)
    cat = category.reindex(groups.index).astype(object).to_numpy()
    money_cat = category.reindex(shares["project_id"]).astype(object).to_numpy()
    budget = budget_series(budget_usd).reindex(shares["project_id"]).to_numpy(dtype="float64")
    unknown = np.isnan(budget)
    n_counted, n_money = len(groups), len(shares)
    group_codes, group_labels = pd.factorize(
        np.concatenate([groups.to_numpy(dtype=object), shares["group"].to_numpy(dtype=object)])
    )
    cat_codes, cat_labels = pd.factorize(np.concatenate([cat, money_cat]))
    pair = group_codes * max(len(cat_labels), 1) + cat_codes
    keys, inverse = np.unique(pair, return_inverse=True)

    def total(weights: np.ndarray) -> np.ndarray:
        return np.bincount(inverse, weights=weights, minlength=len(keys))

    zeros_money, zeros_counted = np.zeros(n_money), np.zeros(n_counted)
    n_projects = total(np.concatenate([np.ones(n_counted), zeros_money])).astype("int64")
    money = total(np.concatenate([zeros_counted, np.where(unknown, 0.0, budget * shares["share"].to_numpy())]))
    n_unknown = total(np.concatenate([zeros_counted, unknown.astype("float64")])).astype("int64")
    key_group = keys // max(len(cat_labels), 1)
    group_projects = np.bincount(key_group, weights=n_projects, minlength=len(group_labels))[key_group]
    group_money = np.bincount(key_group, weights=money, minlength=len(group_labels))[key_group]
    with np.errstate(divide="ignore", invalid="ignore"):
        table = pd.DataFrame(
            {
                "group": np.asarray(group_labels, dtype=object)[key_group],
                name: np.asarray(cat_labels, dtype=object)[keys % max(len(cat_labels), 1)],
                "n_projects": n_projects,
                "share_projects": np.where(group_projects > 0, n_projects / group_projects, 0.0),
                "budget_usd": money,
                "share_budget": np.where(group_money > 0, money / group_money, np.nan),
                "n_budget_unknown": n_unknown,
            }
        )
    return table.sort_values(["group", name], kind="stable").reset_index(drop=True)


def _within_countries(table: pd.DataFrame, countries: Collection[str], keys: list[str]) -> pd.DataFrame:
    """The by-country rows of ``countries`` added into one view, shares recomputed within it.

    ``table`` is a ``_distribution`` by ``managing_country`` (counts under the managing country,
    money shared by ``budget_shares``), so the sum over the countries in view counts the projects
    managed there and attributes to them their share of every project's money (DOMAIN.md 1): the
    rule of ``portfolio_kpis(countries=...)``, whose Budget card it therefore matches.
    """
    rows = table.loc[table["group"].isin(list(countries))]
    summed = rows.groupby(keys, as_index=False, sort=True)[["n_projects", "budget_usd", "n_budget_unknown"]].sum()
    within = summed.groupby(keys[:-1]) if len(keys) > 1 else summed.groupby(np.zeros(len(summed)))
    whole = within[["n_projects", "budget_usd"]].transform("sum")
    with np.errstate(divide="ignore", invalid="ignore"):
        summed["share_projects"] = np.where(whole["n_projects"] > 0, summed["n_projects"] / whole["n_projects"], 0.0)
        summed["share_budget"] = np.where(whole["budget_usd"] > 0, summed["budget_usd"] / whole["budget_usd"], np.nan)
    summed["n_projects"] = summed["n_projects"].astype("int64")
    summed["n_budget_unknown"] = summed["n_budget_unknown"].astype("int64")
    return summed[[*keys, "n_projects", "share_projects", "budget_usd", "share_budget", "n_budget_unknown"]]


def _finish(table: pd.DataFrame, by: str | None) -> pd.DataFrame:
    table = table.reset_index(drop=True)
    return table.drop(columns="group") if by is None else table.rename(columns={"group": by})


def _table(
    projects: pd.DataFrame,
    category: pd.Series,
    budget_usd,
    by: str | None,
    project_countries: pd.DataFrame | None,
    countries: Collection[str] | None,
    name: str,
) -> pd.DataFrame:
    """``_distribution`` finished for ``by``, or (``by=None`` with ``countries``) for the countries in view."""
    if countries is None:
        return _finish(_distribution(projects, category, budget_usd, by, project_countries, name), by)
    if by is not None:
        raise ValueError("countries= applies to the whole view (by=None); filter the by-group rows instead")
    if project_countries is None:
        raise ValueError("countries= needs project_countries to share multi-country projects")
    table = _distribution(projects, category, budget_usd, "managing_country", project_countries, name)
    return _within_countries(table, countries, [name]).reset_index(drop=True)


def marker_distribution(
    markers: pd.DataFrame,
    projects: pd.DataFrame,
    budget_usd_by_project,
    scheme: str,
    by: str | None,
    *,
    project_countries: pd.DataFrame | None = None,
    countries: Collection[str] | None = None,
) -> pd.DataFrame:
    """Projects and USD budget by code of one marker scheme (e.g. ``IOM_GM``), "not set" included.

    Columns: [by], code, n_projects, share_projects, budget_usd, share_budget, n_budget_unknown.
    Shares are within the group. A project with two codes for one scheme (a data error) keeps the
    last one listed. With ``countries`` (the ISO3 codes in view; ``by=None`` only) the view is those
    countries: projects managed there, and every project's money share there (``_within_countries``).
    """
    rows = markers[markers["scheme"] == scheme].drop_duplicates("project_id", keep="last")
    codes = pd.Series(rows["code"].astype(object).to_numpy(), index=rows["project_id"].to_numpy())
    category = codes.reindex(projects["project_id"].to_numpy()).fillna(NOT_SET)
    return _table(projects, category, budget_usd_by_project, by, project_countries, countries, "code")


def aap_coverage(
    aap: pd.DataFrame,
    projects: pd.DataFrame,
    budget_usd_by_project,
    by: str | None,
    *,
    project_countries: pd.DataFrame | None = None,
    countries: Collection[str] | None = None,
) -> pd.DataFrame:
    """Per AAP commitment: share of projects and of budget rated met / partly / not met / not assessed.

    Columns: [by], commitment, rating, n_projects, share_projects, budget_usd, share_budget,
    n_budget_unknown. Every commitment appears for every group, even when nobody rated it.
    ``countries`` as in :func:`marker_distribution`.
    """
    ids = projects["project_id"].to_numpy()
    parts = []
    for commitment in AAP_COMMITMENTS:
        rows = aap[aap["commitment"] == commitment].drop_duplicates("project_id", keep="last")
        ratings = pd.Series(rows["rating"].astype(object).to_numpy(), index=rows["project_id"].to_numpy())
        category = ratings.reindex(ids).fillna(NOT_ASSESSED)
        table = _table(projects, category, budget_usd_by_project, by, project_countries, countries, "rating")
        table.insert(0 if by is None else 1, "commitment", commitment)
        parts.append(table)
    return pd.concat(parts, ignore_index=True)


def _periods_reported(indicators: pd.DataFrame, actuals: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Numeric actuals of periods started on or before ``as_of``, for the given indicators."""
    day = as_day(as_of)
    value = pd.to_numeric(actuals["value"], errors="coerce")
    started = day_numbers(actuals["period_start"]) <= day if len(actuals) else np.zeros(0, dtype=bool)
    keep = actuals["indicator_id"].isin(indicators["indicator_id"]).to_numpy() & started & value.notna().to_numpy()
    return actuals[keep]


def sex_breakdown_by_indicator(indicators: pd.DataFrame, actuals: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Per indicator with a reported actual: n_periods reported and n_with_sex (female or male given)."""
    reported = _periods_reported(indicators, actuals, as_of)
    with_sex = (
        pd.to_numeric(reported["female"], errors="coerce").notna()
        | pd.to_numeric(reported["male"], errors="coerce").notna()
    )
    return (
        pd.DataFrame({"indicator_id": reported["indicator_id"].to_numpy(), "with_sex": with_sex.to_numpy()})
        .groupby("indicator_id")
        .agg(n_periods=("with_sex", "size"), n_with_sex=("with_sex", "sum"))
    )


# per project, the counts behind disaggregation coverage: ``evaluate_portfolio`` keeps them in its
# projects frame (so the stored evaluation carries them and a page sums ~10,000 rows instead of walking
# ~800,000 actuals at 10,000 projects)
DISAGGREGATION_COUNTS = ("n_people_indicators", "n_people_reported", "n_sex_disaggregated", "n_age_disaggregated")


def disaggregation_by_project(
    indicators: pd.DataFrame, actuals: pd.DataFrame, *, as_of: dt.date, breakdowns: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per project with a people-counting indicator: project_id and :data:`DISAGGREGATION_COUNTS`.

    ``n_people_indicators`` counts its people-counting indicators; ``n_people_reported`` those with
    a numeric actual for a period started on or before ``as_of``; ``n_sex_disaggregated`` those
    whose **every** such period gives ``female`` or ``male``; ``n_age_disaggregated`` those whose
    every such period has a row of ``breakdowns`` (the ``actual_breakdowns`` frame) whose dimension
    mentions age. Each indicator counts once, under its own project, so the counts of any set of
    projects add up to those of its indicators (:func:`disaggregation_coverage`).
    """
    people = indicators[people_counting(indicators).to_numpy()]
    ids = people["indicator_id"]
    sex = sex_breakdown_by_indicator(people, actuals, as_of)
    has_sex = (sex["n_with_sex"] == sex["n_periods"]).reindex(ids, fill_value=False)
    has_age = _age_covered(people, actuals, breakdowns, as_of).reindex(ids, fill_value=False)
    per = pd.DataFrame(
        {
            "project_id": people["project_id"].to_numpy(),
            "n_people_indicators": np.ones(len(people), dtype="int64"),
            "n_people_reported": ids.isin(sex.index).to_numpy(dtype="int64"),
            "n_sex_disaggregated": has_sex.to_numpy(dtype=bool).astype("int64"),
            "n_age_disaggregated": has_age.to_numpy(dtype=bool).astype("int64"),
        }
    )
    return per.groupby("project_id", as_index=False, sort=True)[list(DISAGGREGATION_COUNTS)].sum()


def disaggregation_coverage(
    counts: pd.DataFrame, by: str | None, *, projects: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Share of people-counting indicators whose actuals are broken down by sex, and by age.

    ``counts`` has project_id and :data:`DISAGGREGATION_COUNTS` per project
    (:func:`disaggregation_by_project`, or the stored evaluation's projects frame, which carries
    them); ``projects`` gives each project's group for ``by`` (a project missing there is
    ``unknown``). Shares are of the people-counting indicators that have reported at least once (an
    indicator that never reported cannot be broken down; it is counted in n_people_indicators only);
    a group without people-counting indicators has no row. Columns: [by], n_people_indicators,
    n_reported, n_sex, share_sex, n_age, share_age.
    """
    counts = counts.loc[counts["n_people_indicators"].to_numpy() > 0]
    if by is None:
        group = np.full(len(counts), "organisation", dtype=object)
    else:
        if projects is None:
            raise ValueError(f"disaggregation_coverage by {by!r} needs the projects frame")
        group = counts["project_id"].map(project_groups(projects, by)).fillna(UNKNOWN).to_numpy(dtype=object)
    table = (
        counts[list(DISAGGREGATION_COUNTS)]
        .set_axis(["n_people_indicators", "n_reported", "n_sex", "n_age"], axis=1)
        .astype("int64")
        .groupby(group, sort=True)
        .sum()
        .rename_axis("group")
        .reset_index()
    )
    if by is None and not len(table):
        table = pd.DataFrame(
            {"group": ["organisation"], "n_people_indicators": [0], "n_reported": [0], "n_sex": [0], "n_age": [0]}
        )
    reported = table["n_reported"].where(table["n_reported"] > 0)
    table["share_sex"] = table["n_sex"] / reported
    table["share_age"] = table["n_age"] / reported
    table = table[["group", "n_people_indicators", "n_reported", "n_sex", "share_sex", "n_age", "share_age"]]
    return _finish(table, by)


def _age_covered(
    people: pd.DataFrame, actuals: pd.DataFrame, breakdowns: pd.DataFrame | None, as_of: dt.date
) -> pd.Series:
    """Per indicator id: True when every reported period has an age breakdown row."""
    reported = _periods_reported(people, actuals, as_of)
    if breakdowns is None or not len(breakdowns) or not len(reported):
        return pd.Series(False, index=pd.Index(reported["indicator_id"].unique()), dtype=bool)
    age = breakdowns[breakdowns["dimension"].astype(str).str.contains("age", case=False, na=False)]
    key = ["indicator_id", "period_start", "period_end"]
    age_periods = pd.DataFrame(
        {
            "indicator_id": age["indicator_id"].to_numpy(),
            "period_start": day_numbers(age["period_start"]),
            "period_end": day_numbers(age["period_end"]),
        }
    ).drop_duplicates()
    age_periods["age"] = True
    periods = pd.DataFrame(
        {
            "indicator_id": reported["indicator_id"].to_numpy(),
            "period_start": day_numbers(reported["period_start"]),
            "period_end": day_numbers(reported["period_end"]),
        }
    )
    periods = periods.merge(age_periods, on=key, how="left")
    return periods["age"].fillna(False).astype(bool).groupby(periods["indicator_id"]).all()


def off_track_for_women(project_results: pd.DataFrame) -> pd.DataFrame:
    """Projects on track overall but off track for women (DOMAIN.md 2.1): the rows of ``project_results``."""
    hit = (project_results["results_status"] == "on_track") & (project_results["results_status_female"] == "off_track")
    return project_results[hit.to_numpy()].reset_index(drop=True)
