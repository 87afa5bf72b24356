"""Every code of every code list has a person's label; a few labels typed in by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from components import labels
from monitoring.flags import FLAG_CODES
from monitoring.quality import INDICATOR_ISSUES, PROJECT_ISSUES
from reference import vocabulary

MODEL_LISTS = [
    name
    for name in dir(vocabulary)
    if name.isupper()
    and isinstance(getattr(vocabulary, name), tuple)
    and all(isinstance(c, str) for c in getattr(vocabulary, name))
]

CODE_LISTS = {
    **{name: getattr(vocabulary, name) for name in MODEL_LISTS},
    "MARKER_SCHEMES": tuple(vocabulary.MARKER_SCHEMES),
    "FLAG_CODES": FLAG_CODES,
    "QUALITY_ISSUES": (*INDICATOR_ISSUES, *PROJECT_ISSUES),
}


def test_the_model_lists_are_found():
    # guards the discovery above: if it found nothing, the next test would check nothing
    assert {"PROJECT_STATUSES", "RISK_CATEGORIES", "BUDGET_CATEGORIES", "AAP_COMMITMENTS"} <= set(MODEL_LISTS)


@pytest.mark.parametrize("kind", sorted(CODE_LISTS))
def test_every_code_of_every_list_has_a_label(kind):
    assert kind in labels.CODE_LABELS
    missing = [c for c in CODE_LISTS[kind] if not labels.CODE_LABELS[kind].get(c)]
    assert missing == []
    # no label is the raw code (except one-word codes whose label is the same word capitalised)
    assert all(labels.code_label(kind, c) != c for c in CODE_LISTS[kind])


def test_aap_rating_labels_cover_the_computed_not_assessed_rating():
    assert {"met", "partly", "not_met", "not_assessed"} == set(labels.AAP_RATING_LABELS)


@pytest.mark.parametrize(
    ("kind", "code", "expected"),
    [
        ("FLAG_CODES", "RESULTS_OFF_TRACK", "Results off track"),
        ("FLAG_CODES", "SPEND_AHEAD_OF_RESULTS", "Spending ahead of results"),
        ("RISK_CATEGORIES", "safety_security", "Safety and security"),
        ("RISK_CATEGORIES", "fiduciary", "Fiduciary and fraud"),
        ("BUDGET_CATEGORIES", "monitoring_evaluation", "Monitoring & evaluation"),
        ("MARKER_SCHEMES", "IOM_GM", "IOM Gender Marker"),
        ("MARKER_SCHEMES", "IASC_GAM", "IASC Gender with Age Marker"),
        ("MARKER_SCHEMES", "DAC_DRR", "DAC disaster risk reduction marker"),
        ("AAP_COMMITMENTS", "design_monitoring", "Design, monitoring and evaluation"),
        ("AAP_RATINGS", "partly", "◐ Partly met"),
        ("QUALITY_ISSUES", "no_sex_breakdown", "People counted without a sex breakdown"),
        ("PROJECT_STATUSES", "pipeline", "Pipeline (not started)"),
        ("RISK_CATEGORIES", "new_category", "New category"),  # unlisted: de-snake-cased, never hidden
        ("RISK_CATEGORIES", None, "Not recorded"),
    ],
)
def test_code_label(kind, code, expected):
    assert labels.code_label(kind, code) == expected


@pytest.mark.parametrize(
    ("scheme", "code", "expected"),
    [
        ("IOM_GM", "2a", "2a"),
        ("IOM_GM", "NA", "NA – not applicable"),
        ("IASC_GAM", "4M", "4M"),
        ("DAC_GENDER", "2", "2 – principal objective"),
        ("DAC_ENVIRONMENT", "0", "0 – not targeted"),
        ("IOM_GM", "not set", "No code (not set)"),
        ("IOM_GM", None, "No code (not set)"),
    ],
)
def test_marker_code_label(scheme, code, expected):
    assert labels.marker_code_label(scheme, code) == expected


def test_code_labels_keeps_the_index():
    out = labels.code_labels("FLAG_CODES", pd.Series(["AAP_GAPS", None], index=[7, 9]))
    assert out.to_dict() == {7: "AAP gaps", 9: "Not recorded"}
