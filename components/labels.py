"""People's words for every code the dashboard stores or computes (one wording everywhere).

Screens never show a stored code (``HIGH_RISK_UNMITIGATED``, ``safety_security``, ``IASC_GAM``): a
chief of mission reads "High risk not mitigated or reviewed", not a database constant. Every code
list of :mod:`reference.vocabulary` (the source of the CHECK constraints) and of :mod:`monitoring`
(flag codes, data-quality issues) has a dictionary here; ``tests/test_components_labels.py`` asserts
that every code of every list has a label, so a new code cannot reach a screen unlabelled.

Downloads keep the codes (a file is read by programs as well as by people); only displayed tables
and chart axes use these labels. Status badges (indicator status, burn status, severity) stay in
:mod:`components.badges`, which adds a shape symbol to the words.

Decisions:

* AAP ratings carry ONE symbol set, shape-distinct so colour is never needed: ✔ met, ◐ partly met,
  ✖ not met, ? not assessed.
* Marker codes are shown as published ("2a", "4M"); the DAC-style 0/1/2 significance codes add their
  meaning ("2 – principal"), because "2" alone says nothing to a reader.
* An unknown code (a list extended in the database before here) is shown de-snake-cased rather than
  hidden, and a missing value as "Not recorded".
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from monitoring.quality import INDICATOR_ISSUES, PROJECT_ISSUES
from reference.vocabulary import AAP_COMMITMENT_LABELS, EVIDENCE_LABELS

__all__ = [
    "AAP_COMMITMENT_LABELS",
    "AAP_RATING_LABELS",
    "BUDGET_CATEGORY_LABELS",
    "CODE_LABELS",
    "FLAG_LABELS",
    "MARKER_SCHEME_LABELS",
    "NOT_RECORDED",
    "QUALITY_ISSUE_LABELS",
    "RISK_CATEGORY_LABELS",
    "code_label",
    "code_labels",
    "flag_label",
    "marker_code_label",
]

NOT_RECORDED = "Not recorded"

FLAG_LABELS = {
    "RESULTS_OFF_TRACK": "Results off track",
    "INDICATORS_NO_DATA": "Indicators without data",
    "UNDERSPENDING": "Underspending",
    "OVERSPENDING": "Overspending",
    "OVER_BUDGET": "Over budget",
    "FORECAST_UNDERSPEND": "Forecast to underspend",
    "FORECAST_OVERSPEND": "Forecast to overspend",
    "EXPENDITURE_NOT_REPORTED": "Expenditure not reported",
    "SPEND_AHEAD_OF_RESULTS": "Spending ahead of results",
    "ENDING_SOON_LOW_DELIVERY": "Ending soon with low delivery",
    "HIGH_RISK_UNMITIGATED": "High risk not mitigated or reviewed",
    "NO_RISK_REGISTER": "No risk register",
    "ME_BUDGET_LOW": "M&E budget below minimum",
    "NO_RESULTS_FRAMEWORK": "No results framework",
    "NO_RECENT_MONITORING_VISIT": "No recent monitoring visit",
    "STALE_DATA": "Stale data",
    "PAST_END_DATE": "Past its end date, still active",
    "DATA_QUALITY": "Data-quality issues",
    "GENDER_MARKER_MISSING": "Gender marker missing",
    "AAP_GAPS": "AAP gaps",
    "RECOMMENDATIONS_OVERDUE": "Recommendations overdue",
}

MARKER_SCHEME_LABELS = {
    "IOM_GM": "IOM Gender Marker",
    "IASC_GAM": "IASC Gender with Age Marker",
    "DAC_GENDER": "DAC gender equality marker",
    "DAC_ENVIRONMENT": "DAC environment marker",
    "DAC_CLIMATE_MITIGATION": "DAC climate change mitigation marker",
    "DAC_CLIMATE_ADAPTATION": "DAC climate change adaptation marker",
    "DAC_DISABILITY": "DAC disability inclusion marker",
    "DAC_DRR": "DAC disaster risk reduction marker",
    "PROTECTION": "Protection mainstreaming marker",
    "RIGHTS_BASED": "Rights-based approach marker",
}
# the OECD-DAC policy-marker significance codes (IATI PolicySignificance codelist)
SIGNIFICANCE = {"0": "0 – not targeted", "1": "1 – significant objective", "2": "2 – principal objective"}
SIGNIFICANCE_SCHEMES = frozenset(s for s in MARKER_SCHEME_LABELS if s.startswith("DAC_")) | {
    "PROTECTION",
    "RIGHTS_BASED",
}
MARKER_NOT_SET = "No code (not set)"

AAP_RATING_LABELS = {
    "met": "✔ Met",
    "partly": "◐ Partly met",
    "not_met": "✖ Not met",
    "not_assessed": "? Not assessed",
}

QUALITY_ISSUE_LABELS = {**INDICATOR_ISSUES, **PROJECT_ISSUES}

RISK_CATEGORY_LABELS = {
    "operational": "Operational",
    "strategic": "Strategic",
    "political": "Political",
    "reputational": "Reputational",
    "fiduciary": "Fiduciary and fraud",
    "safety_security": "Safety and security",
}
BUDGET_CATEGORY_LABELS = {
    "staff": "Staff",
    "office": "Office",
    "operational": "Operational",
    "implementing_partners": "Implementing partners",
    "monitoring_evaluation": "Monitoring & evaluation",
    "overhead": "Overhead",
}

# every other code list of reference.vocabulary, by the name of its tuple there
CODE_LABELS: dict[str, Mapping[str, str]] = {
    "PROJECT_STATUSES": {"pipeline": "Pipeline (not started)", "active": "Active", "closed": "Closed"},
    "RESULT_LEVELS": {"objective": "Objective", "outcome": "Outcome", "output": "Output", "activity": "Activity"},
    "MEASURES": {"number": "Number", "percentage": "Percentage", "yes_no": "Yes/no", "qualitative": "Qualitative"},
    "DIRECTIONS": {"increase": "Increase", "decrease": "Decrease"},
    "ACCUMULATIONS": {
        "incremental": "Incremental (sum of periods)",
        "cumulative": "Cumulative (running total)",
        "level": "Level (latest value)",
    },
    "DISAGGREGATIONS": {"none": "None", "sex": "By sex", "sex_age": "By sex and age"},
    "EVIDENCE_SOURCES": EVIDENCE_LABELS,
    "BUDGET_CATEGORIES": BUDGET_CATEGORY_LABELS,
    "REVISION_KINDS": {
        "original": "Original budget",
        "reallocation": "Reallocation",
        "no_cost_extension": "No-cost extension",
        "additional_funding": "Additional funding",
    },
    "FUND_KINDS": {"incoming_funds": "Incoming funds", "commitment": "Commitment"},
    "EARMARKING": {"earmarked": "Earmarked", "softly_earmarked": "Softly earmarked", "unearmarked": "Unearmarked"},
    "RISK_CATEGORIES": RISK_CATEGORY_LABELS,
    "RISK_STATUSES": {"open": "Open", "closed": "Closed"},
    "VISIT_TYPES": {"on_site": "On-site", "remote": "Remote", "third_party": "Third-party"},
    "FOLLOW_UP_STATUSES": {"none_needed": "None needed", "open": "Open", "in_progress": "In progress", "done": "Done"},
    "AAP_COMMITMENTS": AAP_COMMITMENT_LABELS,
    "AAP_RATINGS": AAP_RATING_LABELS,
    "MANAGEMENT_RESPONSES": {"accepted": "Accepted", "partially": "Partially accepted", "rejected": "Rejected"},
    "RECOMMENDATION_SOURCES": {"evaluation": "Evaluation", "audit": "Audit"},
    "RECOMMENDATION_STATUSES": {
        "open": "Open",
        "in_progress": "In progress",
        "implemented": "Implemented",
        "closed": "Closed",
    },
    "EVALUATION_TYPES": {
        "internal": "Internal",
        "external": "External",
        "joint": "Joint",
        "real_time": "Real-time",
        "audit": "Audit",
    },
    "MARKER_SCHEMES": MARKER_SCHEME_LABELS,
    "GENDER_SCHEMES": MARKER_SCHEME_LABELS,
    "TAG_SCHEMES": {
        "MIGOF": "Migration Governance Framework (MiGOF)",
        "SDG": "Sustainable Development Goals",
        "GCM": "Global Compact for Migration",
        "SRF": "Strategic results framework",
    },
    "IMPORT_OUTCOMES": {"imported": "Imported", "rejected": "Rejected", "unchanged": "Unchanged"},
    "HISTORY_ACTIONS": {"insert": "Created", "update": "Changed"},
    "PERSON_ROLES": {
        "leadership": "Leadership",
        "regional_director": "Regional director",
        "chief_of_mission": "Chief of mission",
        "programme_manager": "Programme manager",
    },
    "DIGEST_FREQUENCIES": {"daily": "Daily", "weekly": "Weekly", "off": "Off"},
    "FLAG_CODES": FLAG_LABELS,
    "QUALITY_ISSUES": QUALITY_ISSUE_LABELS,
}


def _missing(code: object) -> bool:
    return code is None or (isinstance(code, float) and pd.isna(code)) or code is pd.NA


def code_label(kind: str, code: object) -> str:
    """The label of ``code`` in the list ``kind`` (a key of :data:`CODE_LABELS`)."""
    if _missing(code):
        return NOT_RECORDED
    text = str(code)
    return CODE_LABELS[kind].get(text) or text.replace("_", " ").capitalize()


def code_labels(kind: str, codes: pd.Series) -> pd.Series:
    """:func:`code_label` over a column (object dtype, same index)."""
    return pd.Series([code_label(kind, c) for c in codes], index=codes.index, dtype=object)


def flag_label(code: object) -> str:
    """``"HIGH_RISK_UNMITIGATED"`` → ``"High risk not mitigated or reviewed"``."""
    return code_label("FLAG_CODES", code)


# The IOM Gender Marker's codes (IOM's adaptation of the IASC Gender Marker): what each says, for
# readers of a review pack who do not know the scale by heart
IOM_GM_MEANINGS = {
    "0": "0 – gender not reflected",
    "1": "1 – limited contribution to gender equality",
    "2a": "2a – gender mainstreamed: significant contribution",
    "2b": "2b – targeted action: gender equality the principal purpose",
}


def marker_code_meaning(scheme: str, code: object) -> str:
    """A marker code with its meaning ("2a – gender mainstreamed: significant contribution") where a
    line of text has room for it (the review pack); tables and charts keep :func:`marker_code_label`."""
    if scheme == "IOM_GM" and str(code) in IOM_GM_MEANINGS:
        return IOM_GM_MEANINGS[str(code)]
    return marker_code_label(scheme, code)


def marker_code_label(scheme: str, code: object) -> str:
    """A marker code as published ("2a"), with its meaning for DAC-style significance codes."""
    if _missing(code) or code == "not set":
        return MARKER_NOT_SET
    text = str(code)
    if scheme in SIGNIFICANCE_SCHEMES:
        return SIGNIFICANCE.get(text, text)
    return "NA – not applicable" if text == "NA" else text
