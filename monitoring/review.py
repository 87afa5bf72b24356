"""The figures of a review: what a snapshot freezes and what "what changed" and the review pack read.

:func:`review_figures` turns one :func:`monitoring.evaluate.evaluate_portfolio` result (the one code
path of every figure, ARCHITECTURE.md practice 15) into a :class:`ReviewFigures`: the KPIs, the group
totals by region and by country, and one table per kind of entity. A snapshot stores exactly these
tables (``data_access.snapshots``) and reads them back into the same class, so a pack or a
comparison built from a snapshot and one built from the data of today go through the same code.

What is kept, per kind (the key columns first; every other column of the evaluation comes along,
so a figure another part of the code adds to the evaluation is frozen too):

* ``kpi``: :class:`monitoring.evaluate.PortfolioKpis`, one value per field (``missing_currencies``
  joined by ";");
* ``group``: :func:`monitoring.money_rollup.usd_totals_by_place` by region and by country
  (``group_kind``, ``group``);
* ``project``: every column of ``evaluation.projects`` but the database id (results, money, flags,
  risk summary, completeness);
* ``indicator``: every evaluated column of ``evaluation.indicators`` (status, progress, expected
  progress, ratio, reason, the sex breakdowns...) with the indicator's name; the definition
  (unit, baseline, target...) is data, kept by the data tables and their history, not figures;
  and ``comment``, the latest comment reported for it (``monitoring.comments``), frozen beside the
  reason it explains (what the programme manager said then, not a later correction);
* ``flag``: every flag (code, severity, the message with its numbers, the rule);
* ``risk``: the scored risk register;
* ``quality``: data-quality issues counted per level and issue;
* ``marker``: the IOM gender marker and the five AAP commitments: projects and budget per code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

import pandas as pd

from monitoring.evaluate import INDICATOR_ATTRIBUTES, PortfolioEvaluation, portfolio_kpis
from monitoring.frames import PortfolioFrames
from monitoring.markers import aap_coverage, marker_distribution
from monitoring.money_rollup import usd_totals_by_place

GENDER_SCHEME = "IOM_GM"
KINDS = ("kpi", "group", "project", "indicator", "flag", "risk", "quality", "marker")
# the key columns of each kind's table, in order (what a stored row is found by)
KEYS: dict[str, tuple[str, ...]] = {
    "kpi": ("item",),
    "group": ("group_kind", "group"),
    "project": ("project_code",),
    "indicator": ("project_code", "indicator_code"),
    "flag": ("project_code", "code"),
    "risk": ("project_code", "risk_code"),
    "quality": ("level", "issue"),
    "marker": ("marker", "code"),
}
# indicator definition columns left out of the frozen figures (data, not figures), ids dropped everywhere
DEFINITION = (*(c for c in INDICATOR_ATTRIBUTES if c not in ("indicator_code", "name")), "b")
_IDS = ("project_id", "indicator_id", "result_id")


@dataclass(frozen=True, eq=False)
class ReviewFigures:
    """Every figure of a review as of one date, for one scope (see the module docstring)."""

    as_of: dt.date
    kpis: dict[str, object]
    groups: pd.DataFrame
    projects: pd.DataFrame
    indicators: pd.DataFrame
    flags: pd.DataFrame
    risks: pd.DataFrame
    quality: pd.DataFrame
    markers: pd.DataFrame

    def table(self, kind: str) -> pd.DataFrame:
        """The table of one kind (``kpi`` as a two-column table item, value)."""
        if kind == "kpi":
            return pd.DataFrame({"item": list(self.kpis), "value": list(self.kpis.values())})
        return getattr(self, TABLE_OF[kind])

    @classmethod
    def from_tables(cls, as_of: dt.date, tables: dict[str, pd.DataFrame]) -> ReviewFigures:
        """The inverse of :meth:`table` for every kind (what a stored snapshot reads back into)."""
        kpi = tables["kpi"]
        values = dict(zip(kpi["item"], kpi["value"], strict=True)) if len(kpi) else {}
        return cls(as_of, values, **{TABLE_OF[k]: tables[k].reset_index(drop=True) for k in KINDS if k != "kpi"})


TABLE_OF = {
    "group": "groups",
    "project": "projects",
    "indicator": "indicators",
    "flag": "flags",
    "risk": "risks",
    "quality": "quality",
    "marker": "markers",
}


def countries_in_scope(
    kind: str, codes: Collection[str], projects: pd.DataFrame, project_countries: pd.DataFrame
) -> tuple[str, ...] | None:
    """The ISO3 codes whose share of the money a scope's totals count (``None``: every project in
    full, for leadership and a programme manager's projects): a chief of mission's countries; a
    regional director's region, the countries any of its projects works in or is managed from.
    The rule of the pages' ``countries_in_view`` without a sidebar filter."""
    if kind == "country":
        return tuple(sorted(codes))
    if kind != "region":
        return None
    regions = set(codes)
    found = set(project_countries.loc[project_countries["region"].isin(regions), "country"]) | set(
        projects.loc[projects["region"].isin(regions), "managing_country"]
    )
    return tuple(sorted(found))


def _with_codes(table: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    codes = projects[["project_id", "project_code"]]
    if "project_code" not in table.columns:
        table = table.merge(codes, on="project_id", how="left")
    return table


def _first(table: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Key columns first, ids and definition columns dropped, sorted by the keys."""
    keys = list(KEYS[kind])
    drop = [c for c in table.columns if c in _IDS or (kind == "indicator" and c in DEFINITION)]
    table = table.drop(columns=drop)
    table = table[keys + [c for c in table.columns if c not in keys]]
    return table.sort_values(keys, kind="stable").reset_index(drop=True)


def _kpi_values(evaluation: PortfolioEvaluation, countries, project_countries) -> dict[str, object]:
    kpis = portfolio_kpis(evaluation, countries=countries, project_countries=project_countries)
    out = {}
    for name, value in dataclasses.asdict(kpis).items():
        out[name] = ";".join(value) if isinstance(value, tuple) else value
    return out


def _groups(evaluation: PortfolioEvaluation, project_countries: pd.DataFrame) -> pd.DataFrame:
    parts = []
    for group_kind, by in (("region", "region"), ("country", "managing_country")):
        table = usd_totals_by_place(evaluation.projects, project_countries, by, evaluation.as_of)
        parts.append(table.assign(group_kind=group_kind))
    return _first(pd.concat(parts, ignore_index=True), "group")


def _quality(evaluation: PortfolioEvaluation) -> pd.DataFrame:
    counts = evaluation.quality.groupby(["level", "issue"], as_index=False).agg(
        n=("project_id", "size"), n_projects=("project_id", "nunique")
    )
    return _first(counts, "quality")


def _markers(frames: PortfolioFrames, evaluation: PortfolioEvaluation, countries) -> pd.DataFrame:
    projects = evaluation.projects
    budget = projects[["project_id", "budget_usd"]]
    common = {"project_countries": frames.project_countries, "countries": countries}
    gender = marker_distribution(frames.markers, projects, budget, GENDER_SCHEME, None, **common)
    gender = gender.assign(marker=GENDER_SCHEME)
    aap = aap_coverage(frames.aap, projects, budget, None, **common)
    aap = aap.assign(marker="AAP:" + aap.pop("commitment"), code=aap.pop("rating"))
    return _first(pd.concat([gender, aap], ignore_index=True), "marker")


def review_figures(
    frames: PortfolioFrames,
    evaluation: PortfolioEvaluation,
    countries: Collection[str] | None,
    comments: pd.DataFrame,
) -> ReviewFigures:
    """The figures of ``evaluation`` (computed from ``frames``) for a review; ``countries`` as in
    :func:`monitoring.evaluate.portfolio_kpis` (:func:`countries_in_scope`); ``comments``: the
    latest comment per indicator (:func:`monitoring.comments.latest_comments`)."""
    projects = evaluation.projects
    said = dict(zip(comments["indicator_id"], comments["comment"], strict=True))
    indicators = evaluation.indicators
    indicators = indicators.assign(comment=pd.Series(indicators["indicator_id"].map(said), dtype=object))
    flags = _with_codes(evaluation.flags, projects)[["project_code", "code", "severity", "message", "rule"]]
    return ReviewFigures(
        as_of=evaluation.as_of,
        kpis=_kpi_values(evaluation, countries, frames.project_countries),
        groups=_groups(evaluation, frames.project_countries),
        projects=_first(projects, "project"),
        indicators=_first(indicators, "indicator"),
        flags=_first(flags, "flag"),
        risks=_first(_with_codes(evaluation.risks, projects), "risk"),
        quality=_quality(evaluation),
        markers=_markers(frames, evaluation, countries),
    )
