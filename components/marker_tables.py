"""The Cross-cutting page's tables (pure: labels, names and order over ``monitoring.markers`` output).

Rows are sorted by the group's name (what people scan for), shortened as on the charts
(:func:`components.charts_common.short_place`: "Asia and the Pacific (Bangkok)"), so a chart and its
table list the groups in the same order. Shares stay 0-1 and budgets unrounded USD (the page
formats them for the screen), so a download holds the numbers as computed.
"""

from __future__ import annotations

import pandas as pd

from components.badges import labels
from components.charts_common import short_place
from components.charts_markers import NOT_SET
from components.labels import AAP_COMMITMENT_LABELS, AAP_RATING_LABELS, marker_code_label

PROJECT_SHARE, BUDGET_SHARE = "% of projects", "% of budget"


def _names(codes: pd.Series, names: dict[str, str]) -> pd.Series:
    return codes.map(lambda c: short_place(names.get(c, c))).astype(object)


def marker_table(dist: pd.DataFrame, *, by: str, group_label: str, names: dict[str, str], scheme: str) -> pd.DataFrame:
    """``marker_distribution(by=...)`` pivoted: one row per group, one column per code.

    Columns: the group, its projects and USD budget, then for each code (as on the chart, "not set"
    last) the share of the group's projects, then the share of its budget; a code a group does not
    use is 0%. Headers read "2a · % of projects".
    """
    data = dist.assign(_group=_names(dist[by], names), _code=dist["code"].astype(str))
    codes = sorted(data["_code"].unique(), key=lambda c: (c == NOT_SET, c))
    groups = sorted(data["_group"].unique())
    totals = data.groupby("_group")[["n_projects", "budget_usd", "n_budget_unknown"]].sum().reindex(groups)
    table = pd.DataFrame(
        {
            group_label: groups,
            "Projects": totals["n_projects"].to_numpy(),
            "Budget (USD)": totals["budget_usd"].to_numpy(),
        }
    )
    for value, suffix in (("share_projects", PROJECT_SHARE), ("share_budget", BUDGET_SHARE)):
        wide = data.pivot_table(index="_group", columns="_code", values=value, aggfunc="sum").reindex(
            index=groups, columns=codes
        )
        for code in codes:
            table[f"{marker_code_label(scheme, code)} · {suffix}"] = wide[code].fillna(0.0).to_numpy()
    table["Projects without a USD budget"] = totals["n_budget_unknown"].to_numpy()
    return table


def share_columns(table: pd.DataFrame) -> list[str]:
    """The columns of :func:`marker_table` (and the other tables here) that hold 0-1 shares."""
    return [
        c
        for c in table.columns
        if c.endswith((PROJECT_SHARE, BUDGET_SHARE)) or c.startswith("Share ") or c == "Results progress"
    ]


def aap_table(coverage: pd.DataFrame, *, by: str, group_label: str, names: dict[str, str]) -> pd.DataFrame:
    """``aap_coverage(by=...)``: one row per group, commitment and rating."""
    return (
        pd.DataFrame(
            {
                group_label: _names(coverage[by], names),
                "Commitment": coverage["commitment"].map(AAP_COMMITMENT_LABELS),
                "Rating": coverage["rating"].map(lambda r: AAP_RATING_LABELS.get(r, r)),
                "Projects": coverage["n_projects"],
                "Share of projects": coverage["share_projects"],
                "Budget (USD)": coverage["budget_usd"],
                "Share of budget": coverage["share_budget"],
            }
        )
        .sort_values(group_label, kind="stable")
        .reset_index(drop=True)
    )


def disaggregation_table(coverage: pd.DataFrame, *, by: str, group_label: str, names: dict[str, str]) -> pd.DataFrame:
    """``disaggregation_coverage(by=...)``: one row per group."""
    return (
        pd.DataFrame(
            {
                group_label: _names(coverage[by], names),
                "People-counting indicators": coverage["n_people_indicators"],
                "Reported at least once": coverage["n_reported"],
                "Broken down by sex": coverage["n_sex"],
                "Share by sex": coverage["share_sex"],
                "Broken down by age": coverage["n_age"],
                "Share by age": coverage["share_age"],
            }
        )
        .sort_values(group_label, kind="stable")
        .reset_index(drop=True)
    )


def women_gap_table(projects: pd.DataFrame) -> pd.DataFrame:
    """``off_track_for_women`` rows: the projects on track overall but off track for women."""
    return (
        pd.DataFrame(
            {
                "Project": projects["project_code"],
                "Title": projects["title"],
                "Country": projects["managing_country_name"],
                "Overall": labels(projects["results_status"]),
                "Women and girls": labels(projects["results_status_female"]),
                "Men and boys": labels(projects["results_status_male"]),
                "Results progress": projects["results_progress"],
            }
        )
        .sort_values("Project", kind="stable")
        .reset_index(drop=True)
    )
