"""The Cross-cutting page's tables (pure: labels, names and order over ``monitoring.markers`` output).

Rows are sorted by the group's name (what people scan for). Shares stay 0-1 (shown as percentages by the column config) and budgets unrounded USD, so a download
holds the numbers as computed. Group codes (regions, ISO3) are shown with their names.
"""

from __future__ import annotations

import pandas as pd

from components.badges import labels
from components.charts_markers import AAP_NAMES, RATINGS, code_label


def _names(codes: pd.Series, names: dict[str, str]) -> pd.Series:
    return codes.map(lambda c: names.get(c, c)).astype(object)


def marker_table(dist: pd.DataFrame, *, by: str, group_label: str, names: dict[str, str]) -> pd.DataFrame:
    """``marker_distribution(by=...)``: one row per group and code."""
    return pd.DataFrame({
        group_label: _names(dist[by], names),
        "Code": dist["code"].map(code_label),
        "Projects": dist["n_projects"],
        "Share of projects": dist["share_projects"],
        "Budget (USD)": dist["budget_usd"],
        "Share of budget": dist["share_budget"],
        "Projects without a USD budget": dist["n_budget_unknown"],
    }).sort_values(group_label, kind="stable").reset_index(drop=True)


def aap_table(coverage: pd.DataFrame, *, by: str, group_label: str, names: dict[str, str]) -> pd.DataFrame:
    """``aap_coverage(by=...)``: one row per group, commitment and rating."""
    return pd.DataFrame({
        group_label: _names(coverage[by], names),
        "Commitment": coverage["commitment"].map(AAP_NAMES),
        "Rating": coverage["rating"].map(lambda r: RATINGS.get(r, (r, ""))[0]),
        "Projects": coverage["n_projects"],
        "Share of projects": coverage["share_projects"],
        "Budget (USD)": coverage["budget_usd"],
        "Share of budget": coverage["share_budget"],
    }).sort_values(group_label, kind="stable").reset_index(drop=True)


def disaggregation_table(coverage: pd.DataFrame, *, by: str, group_label: str,
                         names: dict[str, str]) -> pd.DataFrame:
    """``disaggregation_coverage(by=...)``: one row per group."""
    return pd.DataFrame({
        group_label: _names(coverage[by], names),
        "People-counting indicators": coverage["n_people_indicators"],
        "Reported at least once": coverage["n_reported"],
        "Broken down by sex": coverage["n_sex"],
        "Share by sex": coverage["share_sex"],
        "Broken down by age": coverage["n_age"],
        "Share by age": coverage["share_age"],
    }).sort_values(group_label, kind="stable").reset_index(drop=True)


def women_gap_table(projects: pd.DataFrame) -> pd.DataFrame:
    """``off_track_for_women`` rows: the projects on track overall but off track for women."""
    return pd.DataFrame({
        "Project": projects["project_code"],
        "Title": projects["title"],
        "Country": projects["managing_country_name"],
        "Overall": labels(projects["results_status"]),
        "Women and girls": labels(projects["results_status_female"]),
        "Men and boys": labels(projects["results_status_male"]),
        "Results progress": projects["results_progress"],
    }).sort_values("Project", kind="stable").reset_index(drop=True)
