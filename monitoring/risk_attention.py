"""High risks that nobody is managing, for the Risks page: the rule's rows, ordered, and whether the
flag covers them (DOMAIN.md 4 and 5).

Which risks qualify is :func:`monitoring.risks.unattended_high_risks` — the HIGH_RISK_UNMITIGATED
rule risk by risk, the same function the flag uses. This module adds what a list needs:

* every project in view is kept, not only the active projects that have started (every flag is
  limited to those): a pipeline project's unmitigated high risk is exactly what should be fixed
  before it starts; ``eligible_for_flag`` says which rows the flag covers;
* highest score first, then project and risk code.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from monitoring.flags import eligible
from monitoring.risks import unattended_high_risks
from monitoring.settings import Settings

COLUMNS = (
    "project_id",
    "risk_code",
    "description",
    "category",
    "likelihood",
    "impact",
    "score",
    "owner",
    "mitigation",
    "last_reviewed",
    "days_since_review",
    "no_mitigation",
    "why",
    "eligible_for_flag",
)


def unmitigated_high_risks(
    scored: pd.DataFrame, projects: pd.DataFrame, as_of: dt.date, settings: Settings | None = None
) -> pd.DataFrame:
    """Open high risks without mitigation or review, highest score first (columns :data:`COLUMNS`).

    ``scored`` is ``PortfolioEvaluation.risks`` (score and level); ``projects`` the per-project
    table (project_id, status, start_date) for ``eligible_for_flag``.
    """
    start_dates = projects.set_index("project_id")["start_date"]
    hit = unattended_high_risks(scored, start_dates, as_of, settings or Settings())
    flagged = projects.loc[eligible(projects, as_of), "project_id"]
    hit = hit.assign(eligible_for_flag=hit["project_id"].isin(flagged))
    hit = hit.sort_values(["score", "project_id", "risk_code"], ascending=[False, True, True], kind="stable")
    return hit[list(COLUMNS)].reset_index(drop=True)
