"""The Portfolio page's tables: projects by results / finance / risk, and the drill-down summary.

Pure functions over ``monitoring.evaluate.PortfolioEvaluation.projects`` (no computation of a
status here, only selection, labels and ordering), so tests can check rows and order. Every status
is shown as symbol + words (:mod:`components.badges`), never colour alone.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from components.badges import RESULTS_ORDER, label, labels
from components.labels import flag_label
from monitoring.money_rollup import usd_totals_by_place
from monitoring.rollup import UNKNOWN as UNKNOWN_GROUP
from monitoring.rollup import budget_shares, project_status_counts

RISK_COLUMN_HELP = (
    "Highest level among the project's open risks (score = likelihood × impact); "
    "“No register” when no risk was ever recorded, “No open risks” when all are closed."
)


def risk_level_of(max_score: pd.Series, high_min: int, medium_min: int, n_risks: pd.Series | None = None) -> pd.Series:
    """high / medium / low of the highest open risk score; without an open risk, ``no_register``
    when the project has no risk recorded at all (``n_risks`` 0: the NO_RISK_REGISTER flag, a gap,
    never a green "none") and ``no_open`` when its register holds only closed risks.

    Without ``n_risks`` (a caller that does not know the register) a missing score reads ``no_open``.
    """
    empty = (
        pd.Series(False, index=max_score.index)
        if n_risks is None
        else pd.to_numeric(n_risks, errors="coerce").fillna(0).to_numpy() == 0
    )
    level = np.select(
        [max_score.isna() & empty, max_score.isna(), max_score >= high_min, max_score >= medium_min],
        ["no_register", "no_open", "high", "medium"],
        default="low",
    )
    return pd.Series(level, index=max_score.index, dtype=object)


def _flag_words(codes: pd.Series) -> pd.Series:
    """``"RESULTS_OFF_TRACK;OVER_BUDGET"`` → ``"Results off track; Over budget"`` (each distinct
    combination labelled once: the column repeats a few combinations over thousands of projects)."""
    values = codes.fillna("").astype(object)
    words = {v: "; ".join(flag_label(c) for c in v.split(";") if c) for v in pd.unique(values)}
    return values.map(words).astype(object)


def where_managed(
    projects: pd.DataFrame, project_countries: pd.DataFrame, countries: tuple[str, ...] | None
) -> pd.Series:
    """The Country column: the managing country, or for a project managed outside the countries in
    view, ``"managed by Nigeria; 12% here"`` (its money share in the countries in view, DOMAIN.md 1).

    A chief of mission of Senegal sees Nigeria-managed projects implemented partly in Senegal: the
    row must say the project is not theirs to manage and how much of it counts in their figures.
    ``countries`` is ``None`` for a view without a country boundary (organisation, a manager's list).
    """
    names = projects["managing_country_name"].astype(object)
    if countries is None or projects.empty:
        return names.reset_index(drop=True)
    shares = budget_shares(projects, "managing_country", project_countries)
    here = shares.loc[shares["group"].isin(countries)].groupby("project_id")["share"].sum()
    share = projects["project_id"].map(here).fillna(0.0)
    text = (
        "managed by "
        + names.fillna("another country").astype(str)
        + "; "
        + share.map(lambda x: "<1%" if 0 < x < 0.005 else f"{x:.0%}")
        + " here"
    )
    managed_here = projects["managing_country"].isin(countries)
    return names.where(managed_here, text).reset_index(drop=True)


# decisive columns first (status of results, money, risk and flags), so they are on screen at 1280 px;
# the title, country and progress follow. Widths in pixels, used by the page's column_config.
MATRIX_WIDTHS = {
    "Project": 80,
    "Results": 105,
    "Finance": 125,
    "Burn": 55,
    "Elapsed": 65,
    "Forecast": 110,
    "Risk": 90,
    "High flags": 75,
    "Flags": 220,
    "Title": 300,
    "Country": 160,
    "Progress": 100,
    "At stake (USD)": 110,
}


def code_width(codes: pd.Series, minimum: int = 80) -> int:
    """Pixel width that shows every code whole: IATI identifiers ("XM-DAC-47066-CC.0036") all share
    their publisher's prefix, so a column cut at 80 px reads "XM-DAC-470…" on every row."""
    longest = int(codes.astype(str).str.len().max()) if len(codes) else 0
    return max(minimum, 8 * longest + 16)


def _rank(values: pd.Series, order) -> np.ndarray:
    """Each value's position in ``order`` (after them all when it is not there: unknown last).

    Through categorical codes: ``Series.map`` of a dict over pandas' Arrow-backed strings took
    0.36 s for the 283,000 flags of the 100,000-project portfolio, this 0.04 s."""
    codes = pd.Categorical(values, categories=list(order)).codes
    return np.where(codes < 0, len(order), codes)


def matrix_order(projects: pd.DataFrame) -> np.ndarray:
    """Positions of ``projects`` in :func:`status_matrix`'s order: closed projects last (a browser
    review found a project closed seven months earlier at the top of leadership's list: its results
    are final, nothing is left to act on), then worst results status first, most money at stake in
    whole USD, code (unique, so the order is total)."""
    keys = pd.DataFrame(
        {
            "closed": (projects["status"] == "closed").to_numpy(),
            "rank": _rank(projects["results_status"], RESULTS_ORDER),
            "stake": _at_stake(projects).round(0).to_numpy(),
            "code": projects["project_code"].to_numpy(),
        }
    )
    ordered = keys.sort_values(
        ["closed", "rank", "stake", "code"], ascending=[True, True, False, True], kind="stable", na_position="last"
    )
    return ordered.index.to_numpy()


def status_matrix(
    projects: pd.DataFrame,
    *,
    high_min: int,
    medium_min: int,
    project_countries: pd.DataFrame | None = None,
    countries: tuple[str, ...] | None = None,
    rows: int | None = None,
) -> pd.DataFrame:
    """One row per project, worst results status first, then most money at stake (``at_stake_usd``:
    the USD budget not yet spent, or the budget when spending is unknown), then code
    (:func:`matrix_order`); only the first ``rows`` when given, the others never labelled (the page
    shows 300 of 10,000 projects: labelling all cost ~0.15 s of its cold run).

    Columns in :data:`MATRIX_WIDTHS` order; flags in words (:mod:`components.labels`); "Forecast"
    drops the word "forecast" the column title already says. With ``countries`` (the countries in
    view) and ``project_countries``, projects managed elsewhere say so in "Country" (:func:`where_managed`:
    per project, so the first rows read the same as in the whole table).
    """
    projects = projects.iloc[matrix_order(projects)[:rows]]
    country = (
        where_managed(projects, project_countries, countries)
        if project_countries is not None
        else projects["managing_country_name"].reset_index(drop=True)
    )
    return pd.DataFrame(
        {
            "Project": projects["project_code"].to_numpy(),
            "Results": labels(projects["results_status"]).to_numpy(),
            "Finance": labels(projects["burn_status"]).to_numpy(),
            "Burn": projects["burn"].to_numpy(),
            "Elapsed": projects["elapsed"].to_numpy(),
            "Forecast": labels(projects["forecast_status"])
            .str.replace(r"Forecast (\w)", lambda m: m.group(1).upper(), regex=True)
            .to_numpy(),
            "Risk": labels(
                risk_level_of(projects["max_risk_score"], high_min, medium_min, projects.get("n_risks"))
            ).to_numpy(),
            "High flags": projects["n_flags_high"].fillna(0).astype(int).to_numpy(),
            "Flags": _flag_words(projects["flags"]).to_numpy(),
            "Title": projects["title"].to_numpy(),
            "Country": country.to_numpy(),
            "Progress": projects["results_progress"].to_numpy(),
            "At stake (USD)": _at_stake(projects).round(0).to_numpy(),
        }
    )


OUTSIDE_VIEW = "Managed from outside this view"


def group_summary(
    projects: pd.DataFrame,
    project_countries: pd.DataFrame,
    by: str,
    as_of: dt.date,
    countries: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Per region or country: projects by results status, budget and delivery in USD, high flags,
    and the shares that compare places of different size beside the counts: "On track %" and
    "Off track %" of the projects with a results status (not assessable left out), "Burn vs plan (pp)"
    (delivery − budget-weighted planned burn, percentage points) and "At stake (USD)" (money at stake
    of the active projects, ``monitoring.money_rollup``). Most projects off track first, then most
    money at stake.

    Counts follow ``monitoring.rollup`` (a project counted once, under its managing country or its
    region); money is ``monitoring.money_rollup.usd_totals_by_place`` (multi-country money shared by
    country percentages, started projects only), the rule of ``portfolio_kpis``, so with the same
    ``countries`` the rows add up to the KPI cards. With ``countries`` (the countries in view) only
    their rows are listed, and projects managed from another country are counted in one
    :data:`OUTSIDE_VIEW` row without money (their share here is in the rows of the countries in view).
    ``code`` is the filter value a selected row applies (empty for the outside row).
    """
    code_col, name_col = ("region", "region_name") if by == "region" else ("managing_country", "managing_country_name")
    counts = project_status_counts(projects, by).rename(columns={by: "code"}).set_index("code")
    money = usd_totals_by_place(projects, project_countries, by, as_of).set_index("group")
    names = projects.drop_duplicates(code_col).set_index(code_col)[name_col].to_dict()
    pc_col, pc_name = ("region", "region") if by == "region" else ("country", "country_name")
    names = {**dict(zip(project_countries[pc_col], project_countries[pc_name], strict=True)), **names}
    codes = list(counts.index) + [c for c in money.index if c not in counts.index]
    high = projects.groupby(code_col)["n_flags_high"].sum()
    status_columns = {
        "off_track": "n_off_track",
        "at_risk": "n_at_risk",
        "on_track": "n_on_track",
        "not_assessable": "n_not_assessable",
    }
    table = pd.DataFrame({"code": codes})
    table["Name"] = table["code"].map({**names, UNKNOWN_GROUP: "Not recorded"}).fillna(table["code"])
    table["Projects"] = table["code"].map(counts["n_projects"]).fillna(0).astype(int)
    for status, column in status_columns.items():
        table[label(status)] = table["code"].map(counts[column]).fillna(0).astype(int)
    # the Budget card's rule (components.kpis.nothing_reported): when no started project reported
    # spending while budgets are known (an IATI file of budgets only), the rows show those budgets,
    # never a column of USD 0 under a card of USD 402.3M; delivery stays unknown
    nothing_reported = not money["budget_usd"].sum() and bool(money["budget_not_reported_usd"].sum())
    budget = money["budget_not_reported_usd" if nothing_reported else "budget_usd"]
    table["Budget (USD)"] = table["code"].map(budget).astype(float)
    table["Delivery"] = table["code"].map(money["delivery"]).astype(float)
    table["High flags"] = table["code"].map(high).fillna(0).astype(int)
    assessed = sum(table[label(s)] for s in ("on_track", "at_risk", "off_track"))
    table["On track %"] = (table[label("on_track")] / assessed.where(assessed > 0) * 100).round(0)
    table["Off track %"] = (table[label("off_track")] / assessed.where(assessed > 0) * 100).round(0)
    table["Burn vs plan (pp)"] = (
        (table["Delivery"] - table["code"].map(money["planned_delivery"]).astype(float)) * 100
    ).round(1)
    table["At stake (USD)"] = table["code"].map(money["at_stake_usd"]).astype(float).round(0)
    if countries is not None and by == "managing_country":
        inside = table["code"].isin(countries)
        outside = table.loc[~inside]
        table = table.loc[inside]
        if outside["Projects"].sum():
            row = {
                "code": "",
                "Name": OUTSIDE_VIEW,
                "Projects": int(outside["Projects"].sum()),
                **{label(s): int(outside[label(s)].sum()) for s in status_columns},
                "Budget (USD)": np.nan,
                "Delivery": np.nan,
                "High flags": int(outside["High flags"].sum()),
                "At stake (USD)": np.nan,
            }
            table = pd.concat([table, pd.DataFrame([row])], ignore_index=True)
    outside_last = (table["code"] == "").to_numpy()
    table = table.assign(_last=outside_last).sort_values(
        ["_last", label("off_track"), "At stake (USD)"],
        ascending=[True, False, False],
        kind="stable",
        na_position="last",
    )
    return table.drop(columns="_last").reset_index(drop=True)


def _at_stake(projects: pd.DataFrame) -> pd.Series:
    """``at_stake_usd`` (``monitoring.finance.money_at_stake``), unknown when the frame lacks it."""
    if "at_stake_usd" in projects.columns:
        return pd.to_numeric(projects["at_stake_usd"], errors="coerce").reset_index(drop=True)
    return pd.Series(np.nan, index=range(len(projects)))


def flag_order(flags: pd.DataFrame, projects: pd.DataFrame) -> np.ndarray:
    """Positions of ``flags`` in :func:`top_flags`' order: high severity first, then the project with
    the most money at stake, then project code and flag code (a project raises a flag code once, so
    the order is total). Needs only the flags' project, code and severity: the Portfolio orders the
    organisation's flags without reading their messages."""
    stake = pd.Series(_at_stake(projects).to_numpy(), index=projects["project_id"].to_numpy())
    keys = pd.DataFrame(
        {
            "rank": _rank(flags["severity"], ("high", "medium", "low")),
            "stake": flags["project_id"].map(stake).to_numpy(dtype="float64"),
            "project_code": flags["project_code"].to_numpy(),
            "code": flags["code"].to_numpy(),
        }
    )
    ordered = keys.sort_values(
        ["rank", "stake", "project_code", "code"],
        ascending=[True, False, True, True],
        kind="stable",
        na_position="last",
    )
    return ordered.index.to_numpy()


def top_flags(
    flags: pd.DataFrame, projects: pd.DataFrame, limit: int | None = None, *, with_code: bool = False
) -> pd.DataFrame:
    """Flags in :func:`flag_order` (high severity first, then the project with the most money at
    stake: USD budget not yet spent, or the budget when spending is unknown, shown as "At stake
    (USD)"), with the project's country; ``limit`` rows when given, the others never labelled.

    "Flag" is the flag's label; ``with_code`` adds the code itself as a last "Code" column (the
    Risks page's list, and what ``report flags`` prints), so both pages label a flag one way.
    """
    order = flag_order(flags, projects)
    chosen = flags.iloc[order[:limit] if limit else order]
    by_project = projects.set_index("project_id")
    stake = pd.Series(_at_stake(projects).to_numpy(), index=by_project.index)
    table = pd.DataFrame(
        {
            "Severity": labels(chosen["severity"]).reset_index(drop=True),
            "Project": chosen["project_code"].to_numpy(),
            "Country": chosen["project_id"].map(by_project["managing_country_name"]).to_numpy(),
            "Flag": chosen["code"].map({c: flag_label(c) for c in pd.unique(chosen["code"])}).to_numpy(),
            "What fired": chosen["message"].to_numpy(),
            "At stake (USD)": chosen["project_id"].map(stake).to_numpy(dtype="float64").round(0),
            "Rule": chosen["rule"].to_numpy(),
        }
    )
    if with_code:
        table["Code"] = chosen["code"].to_numpy()
    return table
