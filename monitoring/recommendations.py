"""Evaluation and audit recommendations (DOMAIN.md 5 ``RECOMMENDATIONS_OVERDUE``, 7): which are open.

A recommendation is **open** while its status is ``open`` or ``in_progress``; ``implemented`` and
``closed`` ones are done. One rule for the Project page's "Open recommendations" list and the
overdue flag (:mod:`monitoring.flags`), so the list always holds every recommendation the flag can
fire for.
"""

from __future__ import annotations

import pandas as pd

OPEN_STATUSES = ("open", "in_progress")


def open_recommendations(recommendations: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``recommendations`` (a ``status`` column) that are still open, in their order."""
    return recommendations.loc[recommendations["status"].isin(OPEN_STATUSES)]
