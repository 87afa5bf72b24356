"""The Portfolio page's tables: projects by results / finance / risk, and the drill-down summary.

Pure functions over ``monitoring.evaluate.PortfolioEvaluation.projects`` (no computation of a
status here, only selection, labels and ordering), so tests can check rows and order. Every status
is shown as symbol + words (:mod:`components.badges`), never colour alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from components.badges import RESULTS_ORDER, label, labels
from monitoring.rollup import budget_shares, project_status_counts

RISK_COLUMN_HELP = "Highest level among the project's open risks (score = likelihood × impact, DOMAIN.md 4)."


def risk_level_of(max_score: pd.Series, high_min: int, medium_min: int) -> pd.Series:
    """high / medium / low of the highest open risk score; ``none`` without open risks."""
    level = np.select([max_score.isna(), max_score >= high_min, max_score >= medium_min],
                      ["none", "high", "medium"], default="low")
    return pd.Series(level, index=max_score.index, dtype=object)


def status_matrix(projects: pd.DataFrame, *, high_min: int, medium_min: int) -> pd.DataFrame:
    """One row per project, worst results status first, then most high flags, then code."""
    order = {s: i for i, s in enumerate(RESULTS_ORDER)}
    rank = projects["results_status"].map(order).fillna(len(order))
    table = pd.DataFrame({
        "Project": projects["project_code"],
        "Title": projects["title"],
        "Country": projects["managing_country_name"],
        "Results": labels(projects["results_status"]),
        "Results progress": projects["results_progress"],
        "Finance": labels(projects["burn_status"]),
        "Burn": projects["burn"],
        "Time elapsed": projects["elapsed"],
        "Forecast": labels(projects["forecast_status"]),
        "Risk": labels(risk_level_of(projects["max_risk_score"], high_min, medium_min)),
        "High flags": projects["n_flags_high"].fillna(0).astype(int),
        "Flags": projects["flags"].fillna(""),
        "_rank": rank.to_numpy(),
    })
    table = table.sort_values(["_rank", "High flags", "Project"], ascending=[True, False, True], kind="stable")
    return table.drop(columns="_rank").reset_index(drop=True)


def group_summary(projects: pd.DataFrame, project_countries: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per region or managing country: projects by results status, delivery in USD, high flags.

    Counts follow ``monitoring.rollup`` (a project counted once, under its managing country);
    delivery shares multi-country money by ``budget_shares`` (DOMAIN.md 1).
    """
    code_col, name_col = ("region", "region_name") if by == "region" else ("managing_country", "managing_country_name")
    counts = project_status_counts(projects, by).rename(columns={by: "code"})
    names = projects.drop_duplicates(code_col).set_index(code_col)[name_col]
    known = projects.loc[projects["budget_usd"].notna() & projects["spent_usd"].notna()]
    shares = budget_shares(known, by, project_countries).merge(known[["project_id", "budget_usd", "spent_usd"]], on="project_id")
    money = (shares.assign(b=shares["budget_usd"] * shares["share"], s=shares["spent_usd"] * shares["share"])
             .groupby("group")[["b", "s"]].sum())
    high = projects.groupby(code_col)["n_flags_high"].sum()
    table = pd.DataFrame({
        "code": counts["code"],
        "Name": counts["code"].map(names).fillna(counts["code"]),
        "Projects": counts["n_projects"],
        label("off_track"): counts["n_off_track"],
        label("at_risk"): counts["n_at_risk"],
        label("on_track"): counts["n_on_track"],
        label("not_assessable"): counts["n_not_assessable"],
        "Budget (USD)": counts["code"].map(money["b"]),
        "Delivery": counts["code"].map(money["s"] / money["b"].where(money["b"] > 0)),
        "High flags": counts["code"].map(high).fillna(0).astype(int),
    })
    return table.sort_values(label("off_track"), ascending=False, kind="stable").reset_index(drop=True)


def top_flags(flags: pd.DataFrame, projects: pd.DataFrame, limit: int | None = None) -> pd.DataFrame:
    """Flags, high severity first, with the project's country; ``limit`` rows when given."""
    severity_rank = flags["severity"].map({"high": 0, "medium": 1, "low": 2}).fillna(3)
    merged = flags.assign(_rank=severity_rank.to_numpy()).merge(
        projects[["project_id", "managing_country_name"]], on="project_id", how="left")
    merged = merged.sort_values(["_rank", "project_code", "code"], kind="stable")
    table = pd.DataFrame({
        "Severity": labels(merged["severity"]),
        "Project": merged["project_code"],
        "Country": merged["managing_country_name"],
        "Flag": merged["code"],
        "What fired": merged["message"],
        "Rule": merged["rule"],
    }).reset_index(drop=True)
    return table.head(limit) if limit else table
