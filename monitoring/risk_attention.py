"""High risks that nobody is managing (Risks page): one row per risk, with why (DOMAIN.md 4 and 5).

The same rule as the ``HIGH_RISK_UNMITIGATED`` flag of :mod:`monitoring.flags`, at the level of the
risk rather than the project: an **open** risk at level high (score ≥ ``risk_high_min``) with a
blank mitigation, never reviewed, or last reviewed more than ``risk_review_max_days`` before D.
A test checks that the projects listed here are exactly the projects that flag raises for.

Difference, by design: the flag is raised for active projects that have started only (every flag
is); this list keeps every project in view, because a pipeline project's unmitigated high risk
is exactly what should be fixed before it starts. ``eligible_for_flag`` says which rows the flag
covers.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from monitoring.flags import eligible
from monitoring.risks import is_open
from monitoring.settings import Settings

COLUMNS = ("project_id", "risk_code", "description", "category", "likelihood", "impact", "score", "owner",
           "mitigation", "last_reviewed", "days_since_review", "no_mitigation", "unreviewed", "why",
           "eligible_for_flag")


def _why(no_mitigation: bool, age: float, last_reviewed, limit: int) -> str:
    reasons = ["no mitigation"] if no_mitigation else []
    if pd.isna(age):
        reasons.append("never reviewed")
    elif age > limit:
        reasons.append(f"last reviewed {pd.Timestamp(last_reviewed).date().isoformat()} ({age:.0f} days ago)")
    return " and ".join(reasons)


def unmitigated_high_risks(scored: pd.DataFrame, projects: pd.DataFrame, as_of: dt.date,
                           settings: Settings | None = None) -> pd.DataFrame:
    """Open high risks without mitigation or review, highest score first (columns :data:`COLUMNS`).

    ``scored`` is ``PortfolioEvaluation.risks`` (score and level); ``projects`` the per-project
    table (project_id, status, start_date) for ``eligible_for_flag``.
    """
    settings = settings or Settings()
    risks = scored.loc[is_open(scored) & (scored["level"] == "high")]
    mitigation = risks["mitigation"].astype(object).fillna("").astype(str).str.strip()
    no_mitigation = mitigation == ""
    age = (pd.Timestamp(as_of) - pd.to_datetime(risks["last_reviewed"])).dt.days.astype(float)
    unreviewed = age.isna() | (age > settings.risk_review_max_days)
    hit = risks.assign(days_since_review=age, no_mitigation=no_mitigation, unreviewed=unreviewed
                       ).loc[no_mitigation | unreviewed]
    flagged = projects.loc[eligible(projects, as_of), "project_id"]
    hit = hit.assign(
        why=[_why(n, a, r, settings.risk_review_max_days)
             for n, a, r in zip(hit["no_mitigation"], hit["days_since_review"], hit["last_reviewed"], strict=True)],
        eligible_for_flag=hit["project_id"].isin(flagged),
    )
    hit = hit.sort_values(["score", "project_id", "risk_code"], ascending=[False, True, True], kind="stable")
    return hit[list(COLUMNS)].reset_index(drop=True)
