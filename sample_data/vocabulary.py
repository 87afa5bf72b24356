"""Sentences the sample portfolio uses for risks, visits, evaluations and reporting comments.

Kept apart from the generator so that the numbers (generator) and the words (here) can be read and
changed separately. Risk entries are ``(category, description, mitigation)`` so that a risk and its
mitigation always make sense together.
"""

from __future__ import annotations

RISKS: tuple[tuple[str, str, str], ...] = (
    (
        "safety_security",
        "Deterioration of the security situation restricts access to project locations",
        "Security risk assessment updated monthly; remote monitoring through partners and third-party monitors",
    ),
    (
        "safety_security",
        "Staff or partner personnel exposed to violence during field activities",
        "Movement restrictions, UNDSS clearance and security training for all field staff",
    ),
    (
        "political",
        "Change of government delays the adoption of policy frameworks",
        "Engagement with technical-level counterparts and parliamentary committees",
    ),
    (
        "political",
        "Government counterparts withdraw from the steering committee",
        "Quarterly high-level dialogue led by the chief of mission",
    ),
    (
        "operational",
        "Delays in procurement of goods and services",
        "Framework agreements with pre-qualified suppliers; procurement plan reviewed monthly",
    ),
    (
        "operational",
        "Implementing partner lacks capacity to deliver at scale",
        "Partner capacity assessment and quarterly joint monitoring",
    ),
    (
        "operational",
        "High staff turnover in government counterparts erodes trained capacity",
        "Training of trainers and institutionalisation of curricula",
    ),
    (
        "operational",
        "Access to beneficiaries limited by seasonal flooding",
        "Pre-positioning of supplies before the rainy season",
    ),
    (
        "strategic",
        "Donor priorities shift and follow-on funding is not secured",
        "Diversified resource mobilisation plan and early donor briefings",
    ),
    (
        "strategic",
        "Beneficiary needs change due to new displacement",
        "Needs assessments repeated every six months; flexible activity design",
    ),
    (
        "fiduciary",
        "Misuse of cash assistance by intermediaries",
        "Digital transfers, post-distribution monitoring and spot checks",
    ),
    (
        "fiduciary",
        "Currency depreciation reduces the value of the budget in local terms",
        "Budget held in hard currency; local costs reviewed quarterly",
    ),
    ("fiduciary", "Fraud in beneficiary registration", "Biometric registration and complaints hotline"),
    (
        "reputational",
        "Sexual exploitation and abuse by staff or partners",
        "PSEA training, code of conduct signed by all partners, community feedback mechanism",
    ),
    (
        "reputational",
        "Negative media coverage of returns or border operations",
        "Communication plan and human rights due diligence",
    ),
    (
        "operational",
        "Beneficiary data breach or loss of personal data",
        "Data protection impact assessment and role-based access to case files",
    ),
)

VISIT_FINDINGS: tuple[str, ...] = (
    "Activities on schedule; beneficiary feedback positive.",
    "Distribution records incomplete at two sites; follow-up with partner agreed.",
    "Training attendance lower than planned; women's participation below target.",
    "Complaints box not checked for several weeks; focal point reassigned.",
    "Construction works delayed by supplier; revised timeline requested.",
    "Data collection tools not harmonised between partners.",
    "Good coordination with local authorities; referral pathways functional.",
    "Stock discrepancies found in warehouse; reconciliation requested.",
    "Beneficiary selection criteria not consistently applied.",
    "Verification of reported figures: sample matched partner records.",
)

EVALUATION_CRITERIA: tuple[str, ...] = (
    "relevance",
    "coherence",
    "effectiveness",
    "efficiency",
    "impact",
    "sustainability",
)

RECOMMENDATIONS: tuple[str, ...] = (
    "Revise the results matrix so that outcome indicators have baselines and realistic targets.",
    "Strengthen the complaints and feedback mechanism and report on its use.",
    "Introduce sex- and age-disaggregated data collection across all activities.",
    "Develop an exit strategy with government counterparts before project closure.",
    "Increase the frequency of monitoring visits to remote locations.",
    "Align partner reporting templates with the project's indicator definitions.",
    "Budget for a final evaluation and a lessons-learned workshop.",
    "Reinforce financial controls over partner advances.",
    "Document and share good practices on community-based reintegration.",
    "Include persons with disabilities in beneficiary selection criteria.",
    "Reduce the time between data collection and reporting to the donor.",
    "Clarify roles and responsibilities in the inter-agency referral mechanism.",
)

ACTIONS: tuple[str, ...] = (
    "Results matrix revision submitted to the donor.",
    "Terms of reference for the feedback mechanism drafted.",
    "Data collection tools updated and partners trained.",
    "Exit strategy workshop scheduled with the ministry.",
    "Monitoring plan revised with quarterly field visits.",
    "Partner agreements amended.",
)

ACTUAL_COMMENTS: tuple[str, ...] = (
    "Activities delayed by insecurity in the reporting period.",
    "Figures from partner reports, pending verification.",
    "Higher than planned due to additional caseload.",
    "Data collection postponed to next quarter.",
    "Includes beneficiaries reached through the mobile teams.",
    "Partner reported late; figure provisional.",
)

CORRECTION_COMMENTS: tuple[str, ...] = (
    "Corrected after data verification: duplicates removed.",
    "Corrected: partner figures reconciled with attendance lists.",
    "Corrected after monitoring visit.",
)

QUALITATIVE_VALUES: tuple[str, ...] = (
    "Partners report improved coordination; procedures not yet formalised.",
    "Ministry adopted two of the recommended practices.",
    "Limited change observed; counterparts await policy approval.",
    "Practices institutionalised in the national training curriculum.",
    "Early signs of change in referral practices at district level.",
)
QUALITATIVE_TARGET = "Government partners apply the new procedures routinely"
QUALITATIVE_BASELINE = "No formal procedures in place"

EVALUATION_TITLES: dict[str, str] = {
    "internal": "Internal mid-term review of {code}",
    "external": "Final external evaluation of {code}",
    "joint": "Joint evaluation of {code} with government partners",
    "real_time": "Real-time evaluation of the {theme} response ({code})",
    "audit": "Internal audit of {code}",
}
