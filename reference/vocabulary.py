"""Code lists: every code the database stores, in one place.

The database models turn these tuples into CHECK constraints, the importers into validation and
template dropdowns, ``components.labels`` gives each code a person's words (a test checks every
code has one; the few that ``monitoring`` writes into messages are here, as it may not import
components), ``monitoring`` reads them in its rules and the sample generator draws from them.
Adding a code is a change here plus a migration of the constraint that names its list.
"""

from __future__ import annotations

PROJECT_STATUSES = ("pipeline", "active", "closed")
RESULT_LEVELS = ("objective", "outcome", "output", "activity")
MEASURES = ("number", "percentage", "yes_no", "qualitative")
DIRECTIONS = ("increase", "decrease")
ACCUMULATIONS = ("incremental", "cumulative", "level")
DISAGGREGATIONS = ("none", "sex", "sex_age")
EVIDENCE_SOURCES = ("project_monitoring", "monitoring_visit", "evaluation", "self_reported")
BUDGET_CATEGORIES = (
    "staff",
    "office",
    "operational",
    "implementing_partners",
    "monitoring_evaluation",
    "overhead",
)
REVISION_KINDS = ("original", "reallocation", "no_cost_extension", "additional_funding")
FUND_KINDS = ("incoming_funds", "commitment")
EARMARKING = ("earmarked", "softly_earmarked", "unearmarked")
RISK_CATEGORIES = (
    "operational",
    "strategic",
    "political",
    "reputational",
    "fiduciary",
    "safety_security",
)
RISK_STATUSES = ("open", "closed")
VISIT_TYPES = ("on_site", "remote", "third_party")
FOLLOW_UP_STATUSES = ("none_needed", "open", "in_progress", "done")
# The five IASC commitments on accountability to affected people, in the IASC's order.
AAP_COMMITMENTS = ("leadership", "information", "feedback", "participation", "design_monitoring")
# Their names in people's words, here rather than in components.labels (which shows them) because
# the AAP_GAPS flag's message names them too, and monitoring may not import components.
AAP_COMMITMENT_LABELS = {
    "leadership": "Leadership and governance",
    "information": "Transparency and information sharing",
    "feedback": "Feedback and complaints",
    "participation": "Participation",
    "design_monitoring": "Design, monitoring and evaluation",
}
AAP_RATINGS = ("met", "partly", "not_met")
MANAGEMENT_RESPONSES = ("accepted", "partially", "rejected")
RECOMMENDATION_SOURCES = ("evaluation", "audit")
RECOMMENDATION_STATUSES = ("open", "in_progress", "implemented", "closed")
EVALUATION_TYPES = ("internal", "external", "joint", "real_time", "audit")
# Marker schemes (DOMAIN.md section 6) and the codes each allows.
MARKER_SCHEMES = {
    "IOM_GM": ("0", "1", "2a", "2b", "NA"),
    "IASC_GAM": ("0", "1", "2", "3", "4", "4M", "4T", "3M", "3T", "2M", "2T", "1M", "1T"),
    "DAC_GENDER": ("0", "1", "2"),
    "DAC_ENVIRONMENT": ("0", "1", "2"),
    "DAC_CLIMATE_MITIGATION": ("0", "1", "2"),
    "DAC_CLIMATE_ADAPTATION": ("0", "1", "2"),
    "DAC_DISABILITY": ("0", "1", "2"),
    "DAC_DRR": ("0", "1", "2"),
    "PROTECTION": ("0", "1", "2"),
    "RIGHTS_BASED": ("0", "1", "2"),
}
# The schemes that code a project's gender marker, in order of preference (IOM's own first): a
# project row has one gender marker column, and GENDER_MARKER_MISSING looks for a code in any of them.
GENDER_SCHEMES = ("IOM_GM", "IASC_GAM", "DAC_GENDER")
TAG_SCHEMES = ("MIGOF", "SDG", "GCM", "SRF")
IMPORT_OUTCOMES = ("imported", "rejected", "unchanged")
HISTORY_ACTIONS = ("insert", "update")
# who may see what (the ``people`` table, docs/sign-in.md); a person may hold several rows
PERSON_ROLES = ("leadership", "regional_director", "chief_of_mission", "programme_manager")
# how often a person receives the alerts digest (``people.digest``, docs/follow-up.md); weekly by default
DIGEST_FREQUENCIES = ("daily", "weekly", "off")

# What a reader sees beside a value for its evidence source (DOMAIN.md 8); a value without a source
# says so rather than passing for project monitoring.
EVIDENCE_LABELS = {
    "project_monitoring": "Project monitoring",
    "monitoring_visit": "Verified in a monitoring visit",
    "evaluation": "Evaluation",
    "self_reported": "Self-reported",
}
UNKNOWN_EVIDENCE = "Source not stated"
