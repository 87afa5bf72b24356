"""USD budget and spending totals by country, region and donor (Finance page; DOMAIN.md 1 and 3).

Inputs are the per-project rows of ``evaluate_portfolio(...).projects`` (budget, spent, their USD
conversions from :mod:`monitoring.finance`, ``missing_rates``). Rules:

* **Never mix currencies**: only USD amounts are added. A project whose budget and spending are
  known but cannot both be converted (no exchange rate on or before D) is *excluded* from the sums
  and counted in ``n_excluded`` with its currencies in ``missing_currencies`` — the same inclusion
  rule as ``monitoring.evaluate.portfolio_kpis``, so the page totals match the KPI row. A project
  without a budget at all is counted in ``n_no_budget``.
* **Delivery counts only projects that have started** (status active or closed and start date on
  or before D, :func:`started`): a pipeline project has spent nothing by design, so its budget in
  the denominator would make a country or donor look like it fails to deliver. ``budget_usd``,
  ``spent_usd`` and ``delivery`` are over started projects; the budget of the projects not started
  yet is shown apart in ``budget_not_started_usd`` (``n_not_started`` projects). Money a project
  not yet started may have booked is not counted in ``spent_usd`` either (decision: spent and
  budget always cover the same projects, so delivery is one ratio of two columns shown).
* **Delivery counts only projects that have reported expenditure** (``expenditure_reported`` of
  :mod:`monitoring.finance`: at least one expenditure row, even of 0, for a month up to D). A started
  project without any has unknown spending, not zero: counting its budget with nothing spent would
  pull the delivery rate down by a gap in the data (215 IATI activities of IOM publish budgets and no
  spending at all). Its budget is shown apart in ``budget_not_reported_usd`` (``n_not_reported``
  projects), as the not-started budget is; both are left out of ``budget_usd``.
* **Planned delivery** (``planned_delivery``) is the budget-weighted planned burn of the same projects
  as ``delivery`` (Σ planned burn × USD budget ÷ Σ USD budget), so ``delivery − planned_delivery`` is
  a place's burn against its planned burn (DOMAIN.md 3) and places of different size compare.
  **Money at stake** (``at_stake_usd``) sums ``monitoring.finance.money_at_stake`` of the active,
  started projects (the ones flags are raised for), by the same shares: what a place still has to
  deliver, or cannot show it delivered.
* **Countries and regions** share a multi-country project's money among its countries by their
  percentages (``monitoring.rollup.budget_shares``; the managing country when none is given), so
  the rows add up to the portfolio total and no project is counted twice. ``n_projects`` counts a
  project once, under its managing country (or that country's region) as DOMAIN.md 1 says;
  ``n_shared`` counts the projects managed elsewhere that have a share of their money here.
* **Donors** (decision; DOMAIN.md is silent and the frames carry no per-donor amounts): a donor's
  row is the whole budget of every project it funds, the way a donor reads its own portfolio.
  A co-funded project therefore appears under each of its donors (``n_cofunded`` says how many):
  donor rows overlap and must never be added up.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from monitoring.rollup import budget_shares, project_groups

TOTAL_COLUMNS = (
    "n_projects",
    "budget_usd",
    "spent_usd",
    "delivery",
    "planned_delivery",
    "at_stake_usd",
    "n_not_started",
    "budget_not_started_usd",
    "n_not_reported",
    "budget_not_reported_usd",
    "n_excluded",
    "n_no_budget",
    "missing_currencies",
)
STARTED_STATUSES = ("active", "closed")


def started(projects: pd.DataFrame, as_of: dt.date) -> pd.Series:
    """Projects that have started by ``as_of``: status active or closed and start date on or before it
    (a missing start date counts as not started: nothing says the money is due)."""
    start = pd.to_datetime(projects["start_date"], errors="coerce")
    return projects["status"].astype(object).isin(STARTED_STATUSES) & (start <= pd.Timestamp(as_of)).fillna(False)


def usd_inclusion(projects: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(included, excluded) masks: money known and convertible to USD, or known but not convertible.

    Spending that was never reported is not missing money: such a project is included on its budget
    alone (the callers keep it out of delivery and show its budget apart).
    """
    unreported = ~projects["expenditure_reported"].astype(bool)
    has_money = projects["budget"].notna() & (projects["spent"].notna() | unreported)
    included = has_money & projects["budget_usd"].notna() & (projects["spent_usd"].notna() | unreported)
    return included, has_money & ~included


def _missing(rows: pd.DataFrame) -> str:
    found: set[str] = set()
    for value, currency in zip(rows["missing_rates"], rows["currency"], strict=True):
        found.update(str(value).split(";") if isinstance(value, str) and value else [str(currency)])
    return ";".join(sorted(found))


def _totals(membership: pd.DataFrame, projects: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Sum per group of (project_id, group, share, counted) rows: USD money × share over the started
    projects that reported expenditure, the not-started and not-reported budgets apart, and counts
    (``counted``: the row counts in n_projects)."""
    included, excluded = usd_inclusion(projects)
    p = projects.set_index("project_id")
    ids = membership["project_id"]

    def per_row(values: pd.Series) -> object:
        return values.set_axis(p.index).reindex(ids).to_numpy()

    share = membership["share"].to_numpy()
    missing = pd.Series(float("nan"), index=projects.index)
    active = projects["status"].astype(object) == "active"
    rows = membership.assign(
        planned=per_row(projects.get("planned_burn", missing)) * per_row(projects["budget_usd"]) * share,
        stake=per_row(projects.get("at_stake_usd", missing)) * share,
        active=per_row(active).astype(bool),
        budget=per_row(projects["budget_usd"]) * share,
        spent=per_row(projects["spent_usd"]) * share,
        included=per_row(included).astype(bool),
        excluded=per_row(excluded).astype(bool),
        started=per_row(started(projects, as_of)).astype(bool),
        reported=per_row(projects["expenditure_reported"]).astype(bool),
        no_budget=per_row(projects["budget"].isna()).astype(bool),
    )
    unreported = rows["started"] & ~rows["reported"]
    live = (
        rows.loc[rows["included"] & rows["started"] & rows["reported"]]
        .groupby("group")[["budget", "spent", "planned"]]
        .sum(min_count=1)
    )
    stake = rows.loc[rows["started"] & rows["active"]].groupby("group")["stake"].sum(min_count=1)
    waiting = rows.loc[rows["included"] & ~rows["started"]].groupby("group")["budget"].sum()
    silent = rows.loc[rows["included"] & unreported].groupby("group")["budget"].sum()
    counts = rows.groupby("group").agg(n_excluded=("excluded", "sum"), n_no_budget=("no_budget", "sum"))
    counted = rows.loc[rows["counted"]]
    counts["n_projects"] = counted.groupby("group")["project_id"].nunique().reindex(counts.index, fill_value=0)
    for column, mask in (("n_not_started", ~counted["started"]), ("n_not_reported", unreported[rows["counted"]])):
        counts[column] = counted.loc[mask].groupby("group")["project_id"].nunique().reindex(counts.index, fill_value=0)
    out = counts.join(live.rename(columns={"budget": "budget_usd", "spent": "spent_usd"}), how="left")
    out["at_stake_usd"] = stake.reindex(out.index)
    out["budget_not_started_usd"] = waiting.reindex(out.index)
    out["budget_not_reported_usd"] = silent.reindex(out.index)
    money_columns = ["budget_usd", "spent_usd", "budget_not_started_usd", "budget_not_reported_usd"]
    out[money_columns] = out[money_columns].fillna(0.0)
    out["delivery"] = out["spent_usd"] / out["budget_usd"].where(out["budget_usd"] > 0)
    out["planned_delivery"] = out["planned"] / out["budget_usd"].where(out["budget_usd"] > 0)
    ex = rows.loc[rows["excluded"].astype(bool)]
    ex = ex.assign(
        missing_rates=p["missing_rates"].reindex(ex["project_id"]).to_numpy(),
        currency=p["currency"].reindex(ex["project_id"]).to_numpy(),
    )
    out["missing_currencies"] = (
        pd.Series({g: _missing(r) for g, r in ex.groupby("group")}, dtype=object).reindex(out.index).fillna("")
    )
    counts_columns = ["n_projects", "n_not_started", "n_not_reported", "n_excluded", "n_no_budget"]
    out[counts_columns] = out[counts_columns].astype("int64")
    return out.rename_axis("group").reset_index()[["group", *TOTAL_COLUMNS]]


def _empty(extra: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in ("group", *TOTAL_COLUMNS, *extra)})


def _largest_first(table: pd.DataFrame) -> pd.DataFrame:
    return table.sort_values(["budget_usd", "group"], ascending=[False, True], kind="stable").reset_index(drop=True)


def usd_totals_by_place(
    projects: pd.DataFrame, project_countries: pd.DataFrame, by: str, as_of: dt.date
) -> pd.DataFrame:
    """USD totals per country (``by="managing_country"``: each country a project works in, by its
    share) or per region (``by="region"``), as of ``as_of``.

    Columns: group, :data:`TOTAL_COLUMNS`, n_shared (projects managed from another group with a
    share here); largest started budget first.
    """
    membership = budget_shares(projects, by, project_countries)
    if membership.empty:
        return _empty(("n_shared",))
    managed_in = project_groups(projects, by).reindex(membership["project_id"]).to_numpy()
    membership = membership.assign(counted=managed_in == membership["group"].to_numpy())
    out = _totals(membership, projects, as_of)
    shared = membership.loc[~membership["counted"]].groupby("group")["project_id"].nunique()
    out["n_shared"] = out["group"].map(shared).fillna(0).astype("int64")
    return _largest_first(out)


def split_donors(value: object) -> list[str]:
    """The donors of a project row: the query joins them with ``;``."""
    if not isinstance(value, str):
        return []
    return [part.strip() for part in value.split(";") if part.strip()]


def usd_totals_by_donor(projects: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """USD totals per donor as of ``as_of``, each co-funded project in full under each donor (rows overlap).

    Columns: group (the donor), :data:`TOTAL_COLUMNS`, n_cofunded; largest budget first. Projects
    without a donor are grouped under ``"no donor recorded"``.
    """
    pairs = [
        (pid, donor, len(donors))
        for pid, value in zip(projects["project_id"], projects["donors"], strict=True)
        for donors in [split_donors(value) or ["no donor recorded"]]
        for donor in donors
    ]
    if not pairs:
        return _empty(("n_cofunded",))
    membership = pd.DataFrame(pairs, columns=["project_id", "group", "n_donors"]).drop_duplicates(
        ["project_id", "group"]
    )
    out = _totals(membership.assign(share=1.0, counted=True), projects, as_of)
    cofunded = membership.loc[membership["n_donors"] > 1].groupby("group")["project_id"].nunique()
    out["n_cofunded"] = out["group"].map(cofunded).fillna(0).astype("int64")
    return _largest_first(out)
