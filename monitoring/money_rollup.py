"""USD budget and spending totals by country, region and donor (Finance page; DOMAIN.md 1 and 3).

Inputs are the per-project rows of ``evaluate_portfolio(...).projects`` (budget, spent, their USD
conversions from :mod:`monitoring.finance`, ``missing_rates``). Rules:

* **Never mix currencies**: only USD amounts are added. A project whose budget and spending are
  known but cannot both be converted (no exchange rate on or before D) is *excluded* from the sums
  and counted in ``n_excluded`` with its currencies in ``missing_currencies`` — the same inclusion
  rule as ``monitoring.evaluate.portfolio_kpis``, so the page totals match the KPI row. A project
  without a budget at all is counted in ``n_no_budget``.
* **Countries and regions** share a multi-country project's money among its countries by their
  percentages (``monitoring.rollup.budget_shares``), so the rows add up to the portfolio total and
  no project is counted twice; ``n_projects`` counts the projects with any share in the group.
* **Donors** (decision; DOMAIN.md is silent and the frames carry no per-donor amounts): a donor's
  row is the whole budget of every project it funds, the way a donor reads its own portfolio.
  A co-funded project therefore appears under each of its donors (``n_cofunded`` says how many):
  donor rows overlap and must never be added up.
"""

from __future__ import annotations

import pandas as pd

from monitoring.rollup import budget_shares

TOTAL_COLUMNS = ("n_projects", "budget_usd", "spent_usd", "delivery", "n_excluded", "n_no_budget",
                 "missing_currencies")


def usd_inclusion(projects: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(included, excluded) masks: money known and convertible to USD, or known but not convertible."""
    has_money = projects["budget"].notna() & projects["spent"].notna()
    included = has_money & projects["budget_usd"].notna() & projects["spent_usd"].notna()
    return included, has_money & ~included


def _missing(rows: pd.DataFrame) -> str:
    found: set[str] = set()
    for value, currency in zip(rows["missing_rates"], rows["currency"], strict=True):
        found.update(str(value).split(";") if isinstance(value, str) and value else [str(currency)])
    return ";".join(sorted(found))


def _totals(membership: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """Sum per group of (project_id, group, share) rows: USD money × share, counts of projects."""
    included, excluded = usd_inclusion(projects)
    p = projects.set_index("project_id")
    inc, exc = included.set_axis(p.index), excluded.set_axis(p.index)
    rows = membership.assign(
        budget=p["budget_usd"].reindex(membership["project_id"]).to_numpy() * membership["share"].to_numpy(),
        spent=p["spent_usd"].reindex(membership["project_id"]).to_numpy() * membership["share"].to_numpy(),
        included=inc.reindex(membership["project_id"]).to_numpy(),
        excluded=exc.reindex(membership["project_id"]).to_numpy(),
        no_budget=p["budget"].isna().reindex(membership["project_id"]).to_numpy(),
    )
    money = rows.loc[rows["included"]].groupby("group")[["budget", "spent"]].sum()
    counts = rows.groupby("group").agg(n_projects=("project_id", "nunique"), n_excluded=("excluded", "sum"),
                                       n_no_budget=("no_budget", "sum"))
    out = counts.join(money.rename(columns={"budget": "budget_usd", "spent": "spent_usd"}), how="left")
    out[["budget_usd", "spent_usd"]] = out[["budget_usd", "spent_usd"]].fillna(0.0)
    out["delivery"] = out["spent_usd"] / out["budget_usd"].where(out["budget_usd"] > 0)
    ex = rows.loc[rows["excluded"].astype(bool)]
    ex = ex.assign(missing_rates=p["missing_rates"].reindex(ex["project_id"]).to_numpy(),
                   currency=p["currency"].reindex(ex["project_id"]).to_numpy())
    out["missing_currencies"] = pd.Series({g: _missing(r) for g, r in ex.groupby("group")}, dtype=object
                                          ).reindex(out.index).fillna("")
    out[["n_excluded", "n_no_budget"]] = out[["n_excluded", "n_no_budget"]].astype("int64")
    return out.rename_axis("group").reset_index()[["group", *TOTAL_COLUMNS]]


def usd_totals_by_place(projects: pd.DataFrame, project_countries: pd.DataFrame, by: str) -> pd.DataFrame:
    """USD totals per country (``by="managing_country"``: each country a project works in, by its
    share) or per region (``by="region"``). Columns: group, :data:`TOTAL_COLUMNS`; largest budget first."""
    membership = budget_shares(projects, by, project_countries)
    if membership.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ("group", *TOTAL_COLUMNS)})
    return _totals(membership, projects).sort_values(["budget_usd", "group"], ascending=[False, True],
                                                     kind="stable").reset_index(drop=True)


def split_donors(value: object) -> list[str]:
    """The donors of a project row: the query joins them with ``;``."""
    if not isinstance(value, str):
        return []
    return [part.strip() for part in value.split(";") if part.strip()]


def usd_totals_by_donor(projects: pd.DataFrame) -> pd.DataFrame:
    """USD totals per donor, each co-funded project in full under each donor (rows overlap).

    Columns: group (the donor), :data:`TOTAL_COLUMNS`, n_cofunded; largest budget first. Projects
    without a donor are grouped under ``"no donor recorded"``.
    """
    pairs = [(pid, donor, len(donors)) for pid, value in zip(projects["project_id"], projects["donors"], strict=True)
             for donors in [split_donors(value) or ["no donor recorded"]] for donor in donors]
    if not pairs:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ("group", *TOTAL_COLUMNS, "n_cofunded")})
    membership = pd.DataFrame(pairs, columns=["project_id", "group", "n_donors"]).drop_duplicates(["project_id", "group"])
    out = _totals(membership.assign(share=1.0), projects)
    cofunded = membership.loc[membership["n_donors"] > 1].groupby("group")["project_id"].nunique()
    out["n_cofunded"] = out["group"].map(cofunded).fillna(0).astype("int64")
    return out.sort_values(["budget_usd", "group"], ascending=[False, True], kind="stable").reset_index(drop=True)
