"""Risk registers (DOMAIN.md section 4): score = likelihood × impact, level, portfolio heatmap.

Levels come from settings (``risk_high_min`` = 15, ``risk_medium_min`` = 8): high ≥ 15, medium 8–14,
low ≤ 7. A risk with a likelihood or impact outside 1–5 or missing has no score and no level (the
database refuses such rows; frames built by hand or by an importer might not).

Portfolio views (heatmap, per-project summary) count **open** risks only: a closed risk is history,
not exposure. The per-project summary also reports ``n_risks`` over every status, because "no risks
recorded at all" (NO_RISK_REGISTER) and "all risks closed" are different situations.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from monitoring.dates import date_text
from monitoring.settings import Settings

LEVELS = ("high", "medium", "low")
SCALE = (1, 2, 3, 4, 5)


def risk_level(score: pd.Series, settings: Settings) -> pd.Series:
    """high / medium / low by the settings' score bands; ``None`` where the score is unknown."""
    level = np.select(
        [score.isna(), score >= settings.risk_high_min, score >= settings.risk_medium_min],
        [None, "high", "medium"],
        default="low",
    )
    return pd.Series(level, index=score.index, dtype=object)


def score_risks(risks: pd.DataFrame, settings: Settings | None = None) -> pd.DataFrame:
    """The risk register with ``score`` (L × I, float with NaN when unknown) and ``level``."""
    settings = settings or Settings()
    likelihood = pd.to_numeric(risks["likelihood"], errors="coerce")
    impact = pd.to_numeric(risks["impact"], errors="coerce")
    valid = likelihood.between(1, 5) & impact.between(1, 5)
    score = (likelihood * impact).where(valid).astype(float)
    return risks.assign(score=score, level=risk_level(score, settings))


def is_open(risks: pd.DataFrame) -> pd.Series:
    """Open risks: status ``open`` (a missing status counts as open: nobody closed it)."""
    return risks["status"].isna() | (risks["status"].astype(object) == "open")


def risk_heatmap(scored: pd.DataFrame, open_only: bool = True) -> pd.DataFrame:
    """Counts of risks on the 5 × 5 grid: rows likelihood 5 → 1 (top is likely), columns impact 1 → 5."""
    rows = scored.loc[is_open(scored)] if open_only else scored
    rows = rows.loc[rows["score"].notna()]
    grid = pd.crosstab(
        pd.Categorical(rows["likelihood"].astype(int), categories=SCALE[::-1]),
        pd.Categorical(rows["impact"].astype(int), categories=SCALE),
        dropna=False,
    )
    grid.index = pd.Index(SCALE[::-1], name="likelihood")
    grid.columns = pd.Index(SCALE, name="impact")
    return grid.astype(int)


def project_risk_summary(scored: pd.DataFrame, project_ids: pd.Series) -> pd.DataFrame:
    """Per project: ``n_risks`` (any status), ``n_open``, ``max_risk_score`` and ``n_high_open``.

    ``max_risk_score`` is over open risks (NaN when none is open); projects without risks get zeros.
    """
    index = pd.Index(pd.unique(project_ids), name="project_id")
    open_rows = scored.loc[is_open(scored)]
    by_project = open_rows.groupby("project_id")
    summary = pd.DataFrame(
        {
            "n_risks": scored.groupby("project_id").size().reindex(index, fill_value=0),
            "n_open_risks": by_project.size().reindex(index, fill_value=0),
            "max_risk_score": by_project["score"].max().reindex(index),
            "n_high_open": (open_rows["level"] == "high")
            .groupby(open_rows["project_id"])
            .sum()
            .reindex(index, fill_value=0),
        },
        index=index,
    )
    return summary.astype({"n_risks": int, "n_open_risks": int, "n_high_open": int}).reset_index()


def unattended_high_risks(
    scored: pd.DataFrame, start_dates: pd.Series, as_of: dt.date, settings: Settings | None = None
) -> pd.DataFrame:
    """Open high risks nobody manages: blank mitigation, or not reviewed for more than
    ``risk_review_max_days`` before D (the HIGH_RISK_UNMITIGATED rule, risk by risk).

    ``start_dates`` is each project's start date (indexed by project id). DOMAIN.md 5 says "not
    reviewed for 90 days"; a risk never reviewed has been unreviewed since it was recorded, and the
    register keeps no recording date, so its clock runs from the project's **start**: the register is
    due from the first day, and a careful M&E officer gives it the same 90 days to see a first review
    that every later review gets (before, a never-reviewed high risk fired on the project's first day,
    and on a pipeline project). A project whose start is unknown is not given the grace: its risk
    counts as unreviewed. The same clock as the visit policy and STALE_DATA (from the start when
    nothing happened yet).

    The rows of ``scored`` that qualify, plus ``no_mitigation``, ``days_since_review`` (NaN when
    never reviewed) and ``why`` ("no mitigation and last reviewed 31 Mar 2024 (91 days ago)",
    "never reviewed since the start 1 Jan 2024 (182 days ago)").
    """
    settings = settings or Settings()
    day = pd.Timestamp(as_of)
    risks = scored.loc[is_open(scored) & (scored["level"] == "high")]
    no_mitigation = risks["mitigation"].astype(object).fillna("").astype(str).str.strip() == ""
    reviewed = pd.to_datetime(risks["last_reviewed"])
    starts = pd.to_datetime(start_dates).reindex(risks["project_id"].to_numpy())
    started = pd.Series(starts.to_numpy(), index=risks.index)
    age = (day - reviewed).dt.days.astype(float)
    unreviewed_for = (day - reviewed.fillna(started)).dt.days.astype(float)
    limit = settings.risk_review_max_days
    stale = unreviewed_for.isna() | (unreviewed_for > limit)
    hit = risks.assign(no_mitigation=no_mitigation, days_since_review=age, _start=started).loc[no_mitigation | stale]

    def why(no_mitigation: bool, age: float, reviewed, start) -> str:
        reasons = ["no mitigation"] if no_mitigation else []
        if pd.notna(age) and age > limit:
            reasons.append(f"last reviewed {date_text(reviewed)} ({age:.0f} days ago)")
        elif pd.isna(age) and pd.isna(start):
            reasons.append("never reviewed")
        elif pd.isna(age) and (day - start).days > limit:
            reasons.append(f"never reviewed since the start {date_text(start)} ({(day - start).days} days ago)")
        return " and ".join(reasons)

    reasons = [
        why(n, a, r, s)
        for n, a, r, s in zip(
            hit["no_mitigation"], hit["days_since_review"], hit["last_reviewed"], hit["_start"], strict=True
        )
    ]
    return hit.drop(columns="_start").assign(why=pd.Series(reasons, index=hit.index, dtype=object))
