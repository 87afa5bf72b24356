"""Roll-ups of indicator and project statuses to country, region and organisation (DOMAIN.md 1, 2, 7).

Rules (DOMAIN.md section 1): a project and its indicators are counted once, under the project's
**managing** country (and that country's region), so country rows add up to the region and region rows
to the organisation. Money is the exception: a multi-country project's budget is shared among its
countries by their percentages (:func:`budget_shares`). Raw indicator values are summed only within
one unit (:func:`sum_same_unit`); everywhere else statuses are rolled up, never values.

``by`` is ``"managing_country"``, ``"region"`` or ``None`` (the whole organisation, one row).
A project whose managing country or region is missing is counted under ``"unknown"`` rather than
dropped, so the parts always add up to the whole.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from monitoring.indicators import ASSESSABLE_STATUSES, STATUSES

BY_OPTIONS = ("managing_country", "region", None)
PROJECT_STATUSES = ("on_track", "at_risk", "off_track", "not_assessable")
UNKNOWN = "unknown"


def _check_by(by: str | None) -> None:
    if by not in BY_OPTIONS:
        raise ValueError(f"by must be one of {BY_OPTIONS}, not {by!r}")


def project_groups(projects: pd.DataFrame, by: str | None) -> pd.Series:
    """Project id → the group it is counted in (managing country, its region, or 'organisation')."""
    _check_by(by)
    ids = projects["project_id"]
    if by is None:
        return pd.Series("organisation", index=pd.Index(ids, name="project_id"), dtype=object)
    return pd.Series(
        projects[by].astype(object).where(projects[by].notna(), UNKNOWN).to_numpy(),
        index=pd.Index(ids, name="project_id"),
        dtype=object,
    )


def budget_shares(
    projects: pd.DataFrame, by: str | None, project_countries: pd.DataFrame | None = None
) -> pd.DataFrame:
    """(project_id, group, share): how a project's money is attributed to groups, shares summing to 1.

    With ``project_countries`` a project's money is split among its countries (or their regions) by
    their shares, normalised per project so that IATI percentages that do not add up to 100 neither
    lose nor invent money; a project without country rows goes wholly to its managing country.
    Without it, every project goes wholly to its managing country (as its count does).
    """
    groups = project_groups(projects, by)
    whole = pd.DataFrame({"project_id": groups.index, "group": groups.to_numpy(), "share": 1.0})
    if by is None or project_countries is None or not len(project_countries):
        return whole
    column = "country" if by == "managing_country" else "region"
    pc = project_countries[project_countries["project_id"].isin(groups.index)]
    share = pd.to_numeric(pc["share"], errors="coerce").fillna(0.0)
    total = share.groupby(pc["project_id"]).transform("sum")
    split = pd.DataFrame(
        {
            "project_id": pc["project_id"].to_numpy(),
            "group": pc[column].astype(object).where(pc[column].notna(), UNKNOWN).to_numpy(),
            "share": (share / total).to_numpy(),
        }
    )[(total > 0).to_numpy()]
    split = split.groupby(["project_id", "group"], as_index=False, sort=False)["share"].sum()
    rest = whole[~whole["project_id"].isin(split["project_id"])]
    return pd.concat([split, rest], ignore_index=True)


def counts_and_shares(
    groups: pd.Series, status: pd.Series, statuses: tuple[str, ...], total_name: str, labels: list | None = None
) -> pd.DataFrame:
    """Per group: the total, ``n_<status>`` for each status and ``share_<status>`` of the total.

    ``groups`` and ``status`` are aligned item by item (one item = one indicator or one project).
    Statuses outside ``statuses`` (or missing) count in the total only. ``labels`` forces rows for
    groups that may have no items (the organisation row of an empty portfolio).
    """
    g = pd.Series(groups.to_numpy(), dtype=object)
    s = pd.Series(status.to_numpy(), dtype=object)
    present = list(pd.unique(g)) if len(g) else []
    labels = pd.Index(list(labels or []) + [x for x in present if x not in set(labels or [])], dtype=object)
    pos = labels.get_indexer(g)
    code = pd.Index(statuses).get_indexer(s)
    total = np.bincount(pos, minlength=len(labels))
    ok = code >= 0
    flat = np.bincount(pos[ok] * len(statuses) + code[ok], minlength=len(labels) * len(statuses))
    counts = flat.reshape(len(labels), len(statuses))
    out = pd.DataFrame({"group": labels.to_numpy(), total_name: total})
    for i, name in enumerate(statuses):
        out[f"n_{name}"] = counts[:, i]
    with np.errstate(divide="ignore", invalid="ignore"):
        for i, name in enumerate(statuses):
            out[f"share_{name}"] = np.where(total > 0, counts[:, i] / np.maximum(total, 1), np.nan)
    return out.sort_values("group", kind="stable").reset_index(drop=True)


def _finish(table: pd.DataFrame, by: str | None) -> pd.DataFrame:
    """Name the group column after ``by``; the organisation roll-up is one row without one."""
    if by is None:
        return table.drop(columns="group")
    return table.rename(columns={"group": by})


def indicator_status_counts(
    indicator_eval: pd.DataFrame, frames_projects: pd.DataFrame, by: str | None
) -> pd.DataFrame:
    """Indicators by status per group: n_indicators, n_assessable, n_<status>, share_<status>.

    Shares are of all indicators in the group (they add up to 1 across the seven statuses).
    """
    groups = project_groups(frames_projects, by)
    item_groups = indicator_eval["project_id"].map(groups).fillna(UNKNOWN if by else "organisation")
    table = counts_and_shares(
        item_groups, indicator_eval["status"], STATUSES, "n_indicators", labels=["organisation"] if by is None else None
    )
    table.insert(2, "n_assessable", table[[f"n_{s}" for s in ASSESSABLE_STATUSES]].sum(axis=1))
    return _finish(table, by)


def project_status_counts(
    project_table: pd.DataFrame,
    by: str | None,
    *,
    projects: pd.DataFrame | None = None,
    status_column: str = "results_status",
) -> pd.DataFrame:
    """Projects by status per group (counted under their managing country): n_projects, n_/share_<status>.

    ``project_table`` needs ``project_id`` and ``status_column`` (e.g. the output of
    ``monitoring.results.project_results``, or ``results_status_female``); the ``by`` column comes
    from ``project_table`` itself or, when absent there, from ``projects``. For a status column
    other than the results statuses, the statuses are the values present, sorted.
    """
    _check_by(by)
    if by is not None and by not in project_table.columns:
        if projects is None:
            raise ValueError(f"project_status_counts by {by!r}: pass projects or a table with that column")
        groups = project_groups(projects, by)
        item_groups = project_table["project_id"].map(groups).fillna(UNKNOWN)
    elif by is None:
        item_groups = pd.Series("organisation", index=project_table.index, dtype=object)
    else:
        item_groups = project_table[by].astype(object).where(project_table[by].notna(), UNKNOWN)
    status = project_table[status_column]
    if status_column.startswith("results_status"):
        statuses = PROJECT_STATUSES
    else:
        statuses = tuple(sorted(str(s) for s in status.dropna().unique()))
    table = counts_and_shares(
        item_groups, status, statuses, "n_projects", labels=["organisation"] if by is None else None
    )
    return _finish(table, by)


def normalise_unit(unit: pd.Series) -> pd.Series:
    """Units compared as people write them: trimmed, case-folded, inner spaces collapsed."""
    return (
        unit.astype(object)
        .where(unit.notna(), None)
        .map(lambda u: " ".join(u.split()).casefold() if isinstance(u, str) and u.strip() else None)
    )


def sum_same_unit(
    indicator_eval: pd.DataFrame, indicators: pd.DataFrame, by: str | None, projects: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Totals of like indicators per group and unit: never a sum across units.

    Only **counts** are summed: measure ``number`` with incremental or cumulative accumulation.
    Percentages, yes/no and level indicators (averages, rates, states such as "average processing
    time") are not additive even within one unit, and qualitative ones have no value. Indicators are
    grouped by the normalised unit and the direction (a count that should rise is never netted with
    one that should fall). Columns: [by], unit, direction, n_indicators, n_reported, actual_to_date
    (sum over indicators with an actual), end_target (sum over all), b (sum of starting points).
    The ``by`` column comes from ``projects`` (required unless ``by`` is None).
    """
    _check_by(by)
    meta = indicators[["indicator_id", "unit", "measure", "accumulation", "direction"]].rename(
        columns={"unit": "unit_raw", "measure": "measure_raw", "accumulation": "accumulation_raw"}
    )
    ev = indicator_eval[["indicator_id", "project_id", "actual_to_date", "end_target", "b", "has_actual"]]
    merged = ev.merge(meta, on="indicator_id", how="inner")
    merged["unit"] = normalise_unit(merged["unit_raw"])
    additive = (
        (merged["measure_raw"] == "number")
        & merged["accumulation_raw"].isin(("incremental", "cumulative"))
        & merged["unit"].notna()
    )
    merged = merged[additive.to_numpy()].copy()
    merged["direction"] = merged["direction"].fillna("increase")
    if by is None:
        merged["group"] = "organisation"
    else:
        if projects is None:
            raise ValueError(f"sum_same_unit by {by!r} needs the projects frame")
        merged["group"] = merged["project_id"].map(project_groups(projects, by)).fillna(UNKNOWN)
    merged["reported"] = merged["has_actual"].astype(bool)
    merged["actual_reported"] = merged["actual_to_date"].where(merged["reported"])
    table = merged.groupby(["group", "unit", "direction"], as_index=False, sort=True).agg(
        n_indicators=("indicator_id", "size"),
        n_reported=("reported", "sum"),
        actual_to_date=("actual_reported", "sum"),
        end_target=("end_target", "sum"),
        b=("b", "sum"),
    )
    return _finish(table, by)


def drill_level(
    projects: pd.DataFrame,
    countries_in_view: tuple[str, ...] | None,
    *,
    regions_filtered: bool,
    countries_filtered: bool,
) -> str | None:
    """The level a portfolio view breaks down into next, region → managing country → none.

    ``"region"`` when the projects span more than one region and no region or country filter is
    set; ``"managing_country"`` when they span more than one managing country and no country filter
    is set, or when the view is bounded to more than one country (``countries_in_view``: a region's
    countries, a country filter of several); ``None`` when there is nothing to break down (one
    country, one project list). A missing region or country counts as one more value.
    """
    if countries_in_view is None:
        if len(projects["region"].unique()) > 1 and not regions_filtered and not countries_filtered:
            return "region"
        if len(projects["managing_country"].unique()) > 1 and not countries_filtered:
            return "managing_country"
        return None
    return "managing_country" if len(countries_in_view) > 1 else None
