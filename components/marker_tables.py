"""The Cross-cutting page's tables (pure: labels, names and order over ``monitoring.markers`` output,
and the lists of projects to act on: no gender marker, an AAP gap, people counted without a sex
breakdown, on track overall but off track for women).

Rows are sorted by the group's name (what people scan for), shortened as on the charts
(:func:`components.charts_common.short_place`: "Asia and the Pacific (Bangkok)"), so a chart and its
table list the groups in the same order. Shares stay 0-1 and budgets unrounded USD (the page
formats them for the screen), so a download holds the numbers as computed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from components.badges import labels
from components.charts_common import short_place
from components.charts_markers import NOT_SET
from components.labels import AAP_COMMITMENT_LABELS, AAP_RATING_LABELS, marker_code_label
from monitoring.markers import NOT_ASSESSED

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


def _listed(projects: pd.DataFrame, columns: dict[str, object]) -> pd.DataFrame:
    """A list of projects to act on: code and managing country, ``columns``, then the title (last, so
    that the decisive columns are on screen beside the code)."""
    return pd.DataFrame(
        {
            "Project": projects["project_code"].to_numpy(),
            "Country": projects["managing_country_name"].to_numpy(),
            **columns,
            "Title": projects["title"].to_numpy(),
        }
    )


def flagged_projects(flags: pd.DataFrame, projects: pd.DataFrame, code: str) -> pd.DataFrame:
    """The rows of ``projects`` the flag ``code`` fired for, by project code."""
    fired = projects.loc[projects["project_id"].isin(flags.loc[flags["code"] == code, "project_id"])]
    return fired.sort_values("project_code", kind="stable").reset_index(drop=True)


def gender_marker_missing_table(projects: pd.DataFrame) -> pd.DataFrame:
    """The projects without a gender marker (:func:`flagged_projects`), with their results status."""
    return _listed(projects, {"Results": labels(projects["results_status"]).to_numpy()})


def aap_ratings(project_ids: pd.Series, aap: pd.DataFrame) -> pd.DataFrame:
    """The rating of each commitment (columns) of each of ``project_ids`` (rows, in that order) from
    the raw ratings ``aap`` (project_id, commitment, rating); of two ratings of one commitment the
    last listed counts, as in the flag; a commitment not rated is ``not_assessed``."""
    return (
        aap.loc[aap["project_id"].isin(project_ids)]
        .drop_duplicates(["project_id", "commitment"], keep="last")
        .pivot(index="project_id", columns="commitment", values="rating")
        .reindex(index=project_ids, columns=list(AAP_COMMITMENT_LABELS))
        .astype(object)
        .fillna(NOT_ASSESSED)
    )


def aap_gap_counts(rated: pd.DataFrame) -> np.ndarray:
    """Per row of :func:`aap_ratings`: how many commitments are not met or not assessed (the AAP
    list's order, most first)."""
    return rated.isin(["not_met", NOT_ASSESSED]).sum(axis=1).to_numpy()


def aap_gaps_table(projects: pd.DataFrame, aap: pd.DataFrame) -> pd.DataFrame:
    """The projects with an AAP gap (:func:`flagged_projects`) and their rating of each commitment,
    those with the most commitments not met or not assessed first.

    ``aap`` is the raw ratings (project_id, commitment, rating); of two ratings of one commitment the
    last listed counts, as in the flag; a commitment not rated reads "? Not assessed".
    """
    rated = aap_ratings(projects["project_id"], aap)
    gaps = aap_gap_counts(rated)
    table = _listed(
        projects,
        {
            "Not met or not assessed": gaps,
            **{name: rated[code].map(AAP_RATING_LABELS).to_numpy() for code, name in AAP_COMMITMENT_LABELS.items()},
        },
    )
    return table.sort_values(
        ["Not met or not assessed", "Project"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


def sex_breakdown_gaps_table(projects: pd.DataFrame) -> pd.DataFrame:
    """The projects with a reported people-counting indicator not broken down by sex, most such first.

    The counts are the ones the disaggregation chart adds up (``disaggregation_coverage``):
    people-counting indicators that reported, and of those the ones broken down by sex and by age in
    every period reported.
    """
    reported = projects["n_people_reported"].fillna(0).astype("int64")
    by_sex = projects["n_sex_disaggregated"].fillna(0).astype("int64")
    by_age = projects["n_age_disaggregated"].fillna(0).astype("int64")
    table = _listed(
        projects,
        {
            "People-counting indicators reported": reported.to_numpy(),
            "Not broken down by sex": (reported - by_sex).to_numpy(),
            "Not broken down by age": (reported - by_age).to_numpy(),
        },
    )
    return (
        table.loc[(reported > by_sex).to_numpy()]
        .sort_values(["Not broken down by sex", "Project"], ascending=[False, True], kind="stable")
        .reset_index(drop=True)
    )


def women_gap_table(projects: pd.DataFrame) -> pd.DataFrame:
    """``off_track_for_women`` rows: the projects on track overall but off track for women."""
    return (
        _listed(
            projects,
            {
                "Overall": labels(projects["results_status"]).to_numpy(),
                "Women and girls": labels(projects["results_status_female"]).to_numpy(),
                "Men and boys": labels(projects["results_status_male"]).to_numpy(),
                "Results progress": projects["results_progress"].to_numpy(),
            },
        )
        .sort_values("Project", kind="stable")
        .reset_index(drop=True)
    )
