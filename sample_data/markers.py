"""Cross-cutting markers, AAP assessments and strategic tags of the sample portfolio.

* IOM Gender Marker (``IOM_GM``: 0, 1, 2a, 2b, NA) on ~90% of projects, with a code distribution
  per region (:data:`GENDER_MARKER_BY_REGION`) so that regional comparisons show real differences;
  the rest have none (the ``GENDER_MARKER_MISSING`` flag). The OECD-DAC gender marker follows the
  IOM code where both exist; IASC GAM is on humanitarian projects; environment, climate, DRR,
  disability, protection and rights-based markers on the themes where they apply.
* The five AAP commitments rated met / partly / not met, with a regional level of practice and
  commitments that are harder to meet (feedback and participation, design and monitoring);
  8-25% of projects per region were never assessed (no rows), as are pipeline projects.
* Tags: the theme's MiGOF elements, SDG targets (codes of the IATI UNSDG-Targets codelist), GCM
  objectives and the strategic plan objective.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reference.places import REGIONS
from reference.vocabulary import AAP_COMMITMENTS
from sample_data.arrays import DAY, expand, row_choice, stream, to_timestamps
from sample_data.projects import Plan
from sample_data.themes import THEMES

GENDER_CODES = np.array(["0", "1", "2a", "2b", "NA"], dtype=object)
# probabilities of 0, 1, 2a, 2b, NA per region, in the order of reference.places.REGIONS
GENDER_MARKER_BY_REGION = np.array(
    [
        [0.10, 0.45, 0.30, 0.08, 0.07],  # ROAP
        [0.18, 0.50, 0.17, 0.04, 0.11],  # EEA
        [0.05, 0.33, 0.42, 0.13, 0.07],  # South America
        [0.22, 0.46, 0.18, 0.04, 0.10],  # MENA
        [0.12, 0.40, 0.33, 0.08, 0.07],  # WCA
        [0.09, 0.36, 0.38, 0.12, 0.05],  # EHoA
        [0.07, 0.33, 0.40, 0.15, 0.05],  # Southern Africa
        [0.05, 0.32, 0.43, 0.14, 0.06],  # CANAC
        [0.15, 0.50, 0.24, 0.04, 0.07],  # SEEECA
    ]
)
GENDER_MARKER_MISSING_BY_REGION = np.array([0.08, 0.15, 0.06, 0.14, 0.10, 0.08, 0.12, 0.06, 0.10])
DAC_FROM_IOM = {"0": "0", "1": "1", "2a": "1", "2b": "2", "NA": "0"}

AAP_DIFFICULTY = np.array([0.10, 0.05, -0.10, -0.10, -0.15])
AAP_PRACTICE_BY_REGION = np.array([0.55, 0.65, 0.60, 0.40, 0.45, 0.50, 0.45, 0.62, 0.55])
AAP_NOT_ASSESSED_BY_REGION = np.array([0.10, 0.20, 0.12, 0.25, 0.15, 0.10, 0.18, 0.08, 0.14])

assert GENDER_MARKER_BY_REGION.shape == (len(REGIONS), len(GENDER_CODES))

# (scheme, codes, probabilities, share of projects carrying it: (humanitarian/climate themes, others))
_OTHER_MARKERS = (
    (
        "IASC_GAM",
        ("2", "3", "4", "2M", "3M", "4M", "4T"),
        (0.15, 0.2, 0.1, 0.15, 0.2, 0.12, 0.08),
        "humanitarian",
        (0.75, 0.0),
    ),
    ("DAC_ENVIRONMENT", ("0", "1", "2"), (0.5, 0.4, 0.1), "climate", (0.95, 0.25)),
    ("DAC_CLIMATE_ADAPTATION", ("0", "1", "2"), (0.3, 0.4, 0.3), "climate", (0.95, 0.10)),
    ("DAC_DRR", ("0", "1", "2"), (0.3, 0.5, 0.2), "climate", (0.80, 0.08)),
    ("DAC_DISABILITY", ("0", "1", "2"), (0.5, 0.4, 0.1), "any", (0.35, 0.35)),
    ("PROTECTION", ("0", "1", "2"), (0.2, 0.5, 0.3), "humanitarian", (0.70, 0.30)),
    ("RIGHTS_BASED", ("0", "1", "2"), (0.3, 0.6, 0.1), "any", (0.20, 0.20)),
)


def build_markers(seed: int, plan: Plan, block: int = 0) -> dict[str, pd.DataFrame]:
    rng = stream(seed, "markers", block)
    return {
        "project_tags": _tags(rng, plan),
        "project_markers": _markers(rng, plan),
        "aap_assessments": _aap(rng, plan),
    }


def _markers(rng: np.random.Generator, plan: Plan) -> pd.DataFrame:
    n = plan.n
    parts = []
    has_gm = rng.random(n) >= GENDER_MARKER_MISSING_BY_REGION[plan.region]
    gm = GENDER_CODES[row_choice(rng, GENDER_MARKER_BY_REGION[plan.region])]
    idx = np.flatnonzero(has_gm)
    parts.append(pd.DataFrame({"project_id": idx + 1, "scheme": "IOM_GM", "code": gm[idx]}))
    dac = has_gm & (rng.random(n) < 0.45)
    idx = np.flatnonzero(dac)
    parts.append(
        pd.DataFrame({"project_id": idx + 1, "scheme": "DAC_GENDER", "code": [DAC_FROM_IOM[c] for c in gm[idx]]})
    )
    humanitarian = np.array([t.humanitarian for t in THEMES])[plan.theme]
    climate = np.array([t.prefix == "CM" for t in THEMES])[plan.theme]
    for scheme, codes, probs, applies, (share_in, share_out) in _OTHER_MARKERS:
        focus = {"humanitarian": humanitarian, "climate": climate, "any": np.zeros(n, bool)}[applies]
        carry = rng.random(n) < np.where(focus, share_in, share_out)
        idx = np.flatnonzero(carry)
        code = np.array(codes, dtype=object)[rng.choice(len(codes), len(idx), p=probs)]
        parts.append(pd.DataFrame({"project_id": idx + 1, "scheme": scheme, "code": code}))
    frame = pd.concat(parts, ignore_index=True).sort_values(["project_id", "scheme"], kind="stable")
    frame = frame.reset_index(drop=True)
    frame.insert(0, "id", np.arange(1, len(frame) + 1))
    return frame


def _aap(rng: np.random.Generator, plan: Plan) -> pd.DataFrame:
    months_running = (plan.today - plan.start).astype(int) / 30.4
    assessed = (plan.status != "pipeline") & (months_running >= 2)
    assessed &= rng.random(plan.n) >= AAP_NOT_ASSESSED_BY_REGION[plan.region]
    projects = np.flatnonzero(assessed)
    owner, c = expand(np.full(len(projects), len(AAP_COMMITMENTS)))
    p = projects[owner]
    # a project's own AAP practice varies around its region's
    practice = np.clip(AAP_PRACTICE_BY_REGION[plan.region[p]] + rng.normal(0, 0.15, len(projects))[owner], 0.05, 0.95)
    met = np.clip(practice + AAP_DIFFICULTY[c], 0.02, 0.98)
    u = rng.random(len(p))
    rating = np.where(u < met, "met", np.where(u < met + (1 - met) * 0.75, "partly", "not_met")).astype(object)
    span = np.maximum((np.minimum(plan.today, plan.effective_end) - plan.start).astype(int) - 45, 1)
    assessed_on = plan.start + (45 + rng.integers(0, 10**6, plan.n) % span) * DAY
    frame = pd.DataFrame(
        {
            "project_id": p + 1,
            "commitment": np.array(AAP_COMMITMENTS, dtype=object)[c],
            "rating": rating,
            "assessed_on": to_timestamps(assessed_on[p]),
        }
    )
    frame.insert(0, "id", np.arange(1, len(frame) + 1))
    return frame


def _tags(rng: np.random.Generator, plan: Plan) -> pd.DataFrame:
    project, scheme, code = [], [], []
    for i in range(plan.n):
        theme = THEMES[plan.theme[i]]
        picks = (
            ("MIGOF", rng.choice(theme.migof, rng.integers(1, len(theme.migof) + 1), replace=False)),
            # the first SDG target of a theme is its main one and is always tagged
            ("SDG", [theme.sdg[0], *rng.choice(theme.sdg[1:], rng.integers(0, len(theme.sdg)), replace=False)]),
            ("GCM", rng.choice(theme.gcm, rng.integers(1, len(theme.gcm) + 1), replace=False)),
            ("SRF", [theme.srf]),
        )
        for name, codes in picks:
            for c in codes:
                project.append(i + 1)
                scheme.append(name)
                code.append(str(c))
    return pd.DataFrame({"id": np.arange(1, len(project) + 1), "project_id": project, "scheme": scheme, "code": code})
