"""Project results progress and status from its indicators' statuses (DOMAIN.md 2.1).

* results progress = mean progress of the project's **assessable** indicators (achieved, on track,
  at risk, off track), each clipped to [0, 1]: one over-achieved indicator cannot hide a late one,
  and an indicator gone backwards counts as 0, not as a negative.
* results status = ``off_track`` when at least ``project_off_track_share`` of the assessable
  indicators are off track; else ``on_track`` when at least ``project_on_track_share`` are on track or
  achieved; else ``at_risk``; ``not_assessable`` when none is assessable (including a project with no
  indicators at all — the NO_RESULTS_FRAMEWORK flag and the data-quality check say why).
* The same rule on the per-sex statuses gives ``results_status_female`` / ``_male``; indicators with
  no per-sex status (no breakdown, or a measure that has none) simply do not take part.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from monitoring.indicators import ASSESSABLE_STATUSES, STATUSES, TOLERANCE
from monitoring.settings import Settings

COUNT_COLUMNS = tuple(f"n_{s}" for s in STATUSES)


def results_status_from(n_assessable, n_off_track, n_on_track_or_achieved, settings: Settings):
    """The project rule on counts (scalars or arrays): off_track, on_track, at_risk or not_assessable."""
    n = np.asarray(n_assessable, dtype="float64")
    off = np.asarray(n_off_track, dtype="float64")
    good = np.asarray(n_on_track_or_achieved, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        off_share, good_share = off / n, good / n
    out = np.select(
        [
            n <= 0,
            off_share >= settings.project_off_track_share - TOLERANCE,
            good_share >= settings.project_on_track_share - TOLERANCE,
        ],
        ["not_assessable", "off_track", "on_track"],
        "at_risk",
    ).astype(object)
    return out.item() if out.ndim == 0 else out


def _status_counts(project_ids: pd.Series, status: pd.Series, index: pd.Index) -> pd.DataFrame:
    """Indicators per project and status (a column per status, zeros included), on ``index``.

    ``bincount`` over (project position, status code) instead of ``crosstab``: 20 times faster
    on 200k indicators.
    """
    pos = index.get_indexer(project_ids)
    code = pd.Index(STATUSES).get_indexer(status)
    ok = (pos >= 0) & (code >= 0)
    flat = np.bincount(pos[ok] * len(STATUSES) + code[ok], minlength=len(index) * len(STATUSES))
    return pd.DataFrame(flat.reshape(len(index), len(STATUSES)), index=index, columns=list(STATUSES))


def project_results(indicator_eval: pd.DataFrame, projects: pd.DataFrame | None, settings: Settings) -> pd.DataFrame:
    """One row per project (every project of ``projects``, plus any other with indicators).

    Columns: project_id, results_progress, results_status, n_indicators, n_assessable and
    n_<status> for each status, results_status_female, results_status_male, and n_reports_overdue:
    the indicators with at least one report overdue (``reports_overdue > 0``, whatever their status:
    an on-track indicator can miss a report too), which the Off-track page's card sums per view
    instead of counting the stored indicators (2 million at 100,000 projects).
    """
    ids = indicator_eval["project_id"]
    known = pd.Index(projects["project_id"]) if projects is not None else pd.Index([], dtype="int64")
    index = known.append(pd.Index(ids.unique()).difference(known)) if len(ids) else known
    index = index.rename("project_id")

    counts = _status_counts(ids, indicator_eval["status"], index)
    out = pd.DataFrame(index=index)
    assessable = indicator_eval["status"].isin(ASSESSABLE_STATUSES)
    clipped = indicator_eval["progress"].where(assessable).clip(0.0, 1.0)
    out["results_progress"] = clipped.groupby(ids).mean().reindex(index)
    out["n_indicators"] = counts.sum(axis=1)
    out["n_assessable"] = counts[list(ASSESSABLE_STATUSES)].sum(axis=1)
    for status in STATUSES:
        out[f"n_{status}"] = counts[status]
    overdue = indicator_eval["reports_overdue"].to_numpy() > 0
    out["n_reports_overdue"] = np.bincount(index.get_indexer(ids[overdue]), minlength=len(index)).astype("int64")
    out["results_status"] = results_status_from(
        out["n_assessable"].to_numpy(),
        out["n_off_track"].to_numpy(),
        (out["n_on_track"] + out["n_achieved"]).to_numpy(),
        settings,
    )
    for sex in ("female", "male"):
        sex_status = indicator_eval[f"status_{sex}"]
        has = sex_status.notna()
        sex_counts = _status_counts(ids[has], sex_status[has], index)
        out[f"results_status_{sex}"] = results_status_from(
            sex_counts[list(ASSESSABLE_STATUSES)].sum(axis=1).to_numpy(),
            sex_counts["off_track"].to_numpy(),
            (sex_counts["on_track"] + sex_counts["achieved"]).to_numpy(),
            settings,
        )
    return out.reset_index()
