"""The indicators that need attention (Off-track page): off track, at risk or without data, by gap.

Built only from ``evaluate_portfolio(...).indicators`` (statuses, progress and reasons of
:mod:`monitoring.indicators`) joined with the result each indicator measures and its project, so
the list shows exactly the statuses of the Project page and of ``report indicators``.

Decisions where DOMAIN.md is silent (also in docs/pages.md):

* **Gap** = expected progress − progress, in percentage points of the distance from the starting
  point to the end target (DOMAIN.md 2.1): how far behind the path the indicator is. The list is
  sorted by gap, largest first. An indicator with **no data** has no progress, hence no gap; it
  is listed after the measured ones, most overdue first (largest expected progress), because a
  guessed 0 would rank missing reports as the worst performers and hide real shortfalls.
* **Per sex** (``sex="female"`` or ``"male"``): the status, progress and actual are the per-sex ones
  of :mod:`monitoring.indicators` (a count's target split equally between women and men when no
  sex-specific target exists); indicators without that breakdown have no per-sex status and are
  left out. The reason then states the per-sex numbers, followed by the overall reason.
* **Result level**: the level of the result an indicator is attached to (objective, outcome,
  output, activity); an indicator attached to no result has level ``None`` and is kept only when no
  level is chosen.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from monitoring.dates import date_texts

ATTENTION_STATUSES = ("off_track", "at_risk", "no_data")
SEXES = {"female": "women", "male": "men"}
# an indicator's figures, as the evaluation has them: what the table shows and what it reads
_FIGURES = (
    "indicator_code",
    "name",
    "unit",
    "b",
    "end_target",
    "actual_to_date",
    "progress",
    "expected_progress",
    "cutoff",
    "reports_due",
    "reports_overdue",
)
COLUMNS = (
    "project_id",
    "project_code",
    "title",
    "managing_country",
    "managing_country_name",
    "region",
    "result_code",
    "level",
    "statement",
    "indicator_id",
    *_FIGURES,
    "gap_pp",
    "status",
    "reason",
)


def _pct(share: float) -> str:
    return "?" if pd.isna(share) else f"{share * 100:.0f}%"


def _sex_reason(rows: pd.DataFrame, sex: str) -> pd.Series:
    if rows.empty:  # nothing to explain; joining the empty columns' texts fails on their mixed types
        return pd.Series([], index=rows.index, dtype=object)
    who = SEXES[sex]
    measured = (
        f"for {who}: "
        + rows[f"progress_{sex}"].map(_pct)
        + " of the way vs "
        + rows["expected_progress"].map(_pct)
        + " expected by "
        + date_texts(rows["cutoff"])
    )
    text = measured.where(rows[f"progress_{sex}"].notna(), f"for {who}: no breakdown reported")
    return (text + " (overall: " + rows["reason"].astype(str) + ")").astype(object)


# the columns of the evaluation's indicators this module reads: overall, and per sex below
_READ = ("indicator_id", "project_id", "project_code", "result_id", *_FIGURES, "status", "reason")
# every column :func:`indicators_needing_attention` may read, for any ``sex``: what a page asks the
# stored evaluation for (with the rows of :data:`ATTENTION_STATUSES` only)
INDICATOR_COLUMNS = _READ + tuple(f"{c}_{sex}" for sex in SEXES for c in ("status", "progress", "actual"))


def indicators_needing_attention(
    indicators: pd.DataFrame,
    results: pd.DataFrame,
    projects: pd.DataFrame,
    *,
    statuses: Sequence[str] = ATTENTION_STATUSES,
    levels: Sequence[str] = (),
    sex: str | None = None,
) -> pd.DataFrame:
    """Indicators whose status (overall, or for ``sex``) is in ``statuses``, sorted by gap.

    ``indicators`` is ``PortfolioEvaluation.indicators``; ``results`` the results frame (result_id,
    result_code, level, statement); ``projects`` the projects frame (project_id, title, managing
    country and region). ``levels`` empty means every level. Columns: :data:`COLUMNS`.
    """
    if sex is not None and sex not in SEXES:
        raise ValueError(f"sex must be one of {tuple(SEXES)} or None, not {sex!r}")
    status_col = f"status_{sex}" if sex else "status"
    wanted = list(_READ)
    if sex:
        wanted += [status_col, f"progress_{sex}", f"actual_{sex}"]
    # narrow the columns first: the evaluation is wide and its text columns are costly to copy
    chosen = indicators.loc[indicators[status_col].isin(list(statuses)), wanted]
    meta = results[["result_id", "result_code", "level", "statement"]].drop_duplicates("result_id")
    rows = chosen.merge(meta, on="result_id", how="left")
    if levels:
        rows = rows.loc[rows["level"].isin(list(levels))]
    if sex:
        rows = rows.assign(
            status=rows[status_col],
            progress=rows[f"progress_{sex}"],
            actual_to_date=rows[f"actual_{sex}"],
            reason=_sex_reason(rows, sex),
        )
    progress = pd.to_numeric(rows["progress"], errors="coerce").to_numpy(dtype=float)
    expected = pd.to_numeric(rows["expected_progress"], errors="coerce").to_numpy(dtype=float)
    gap = np.where(rows["status"].to_numpy() == "no_data", np.nan, (expected - progress) * 100.0)
    rows = rows.assign(gap_pp=gap)
    order = np.lexsort(
        (
            rows["indicator_code"].astype(str).to_numpy(),
            rows["project_code"].astype(str).to_numpy(),
            -np.nan_to_num(expected, nan=-np.inf),
            # rounded so that binary noise (70% − 60% = 9.999…) never reorders equal gaps
            -np.nan_to_num(np.round(gap, 9), nan=-np.inf),
        )
    )
    rows = rows.iloc[order]
    places = projects[["project_id", "title", "managing_country", "managing_country_name", "region"]]
    rows = rows.merge(places.drop_duplicates("project_id"), on="project_id", how="left", sort=False)
    return rows[list(COLUMNS)].reset_index(drop=True)
