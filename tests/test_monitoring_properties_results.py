"""Invariants of the results logic, checked on generated cases (hypothesis).

* progress rises with the actual for increasing indicators and falls for decreasing ones, and a
  better actual never gives a worse status;
* mirroring an indicator's direction (negating baseline, targets, milestones and actuals) changes
  neither its progress nor its status, overall or per sex;
* roll-up counts equal the sum of their parts (countries → regions → organisation);
* indicators evaluated together give what each gives alone (no leakage between groups).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from monitoring.frames import frame
from monitoring.indicators import evaluate_indicators, progress
from monitoring.markers import marker_distribution
from monitoring.results import project_results
from monitoring.rollup import indicator_status_counts, project_status_counts
from monitoring.settings import Settings

SETTINGS = Settings()
AS_OF = dt.date(2025, 7, 2)
PROJECT = frame("projects", [dict(project_id=1, start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 12, 31))])
QUARTERS = [
    (dt.date(2025, 1, 1), dt.date(2025, 3, 31)),
    (dt.date(2025, 4, 1), dt.date(2025, 6, 30)),
    (dt.date(2025, 7, 1), dt.date(2025, 9, 30)),
    (dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
]
RANK = {"off_track": 0, "at_risk": 1, "on_track": 2, "achieved": 3}

values = st.integers(min_value=-1000, max_value=1000).map(float)


@given(b=values, span=st.integers(1, 1000), a1=values, a2=values)
def test_progress_rises_with_the_actual_when_increasing(b, span, a1, a2):
    low, high = sorted((a1, a2))
    assert progress(low, b, b + span) <= progress(high, b, b + span)


@given(b=values, span=st.integers(1, 1000), a1=values, a2=values)
def test_progress_falls_with_the_actual_when_decreasing(b, span, a1, a2):
    low, high = sorted((a1, a2))
    assert progress(low, b, b - span) >= progress(high, b, b - span)


def _evaluate(baseline, target, accumulation, actual_rows, milestones=()):
    indicators = frame(
        "indicators",
        [
            dict(
                indicator_id=1,
                project_id=1,
                measure="number",
                unit="people",
                accumulation=accumulation,
                baseline=baseline,
                end_target=target,
            )
        ],
    )
    actuals = frame(
        "actuals",
        [
            dict(indicator_id=1, period_start=s, period_end=e, value=v, female=f, male=m)
            for (s, e), (v, f, m) in zip(QUARTERS, actual_rows, strict=False)
        ],
    )
    targets = frame(
        "targets",
        [
            dict(indicator_id=1, period_start=s, period_end=e, target=t)
            for (s, e), t in zip(QUARTERS, milestones, strict=False)
        ],
    )
    return evaluate_indicators(indicators, targets, actuals, PROJECT, AS_OF, SETTINGS).iloc[0]


@settings(max_examples=50, deadline=None)
@given(b=values, span=st.integers(1, 1000), a1=values, a2=values, accumulation=st.sampled_from(["level", "cumulative"]))
def test_a_better_actual_never_gives_a_worse_status(b, span, a1, a2, accumulation):
    low, high = sorted((a1, a2))
    worse = _evaluate(b, b + span, accumulation, [(low, None, None)])["status"]
    better = _evaluate(b, b + span, accumulation, [(high, None, None)])["status"]
    assert RANK[worse] <= RANK[better]


actual_row = st.tuples(values, st.one_of(st.none(), values), st.one_of(st.none(), values))


@settings(max_examples=80, deadline=None)
@given(
    baseline=st.one_of(st.none(), values),
    target=st.one_of(st.none(), values),
    accumulation=st.sampled_from(["incremental", "cumulative", "level"]),
    rows=st.lists(actual_row, max_size=4),
    milestones=st.lists(values, max_size=4),
)
def test_mirroring_the_direction_changes_no_status(baseline, target, accumulation, rows, milestones):
    def neg(x):
        return None if x is None else -x

    original = _evaluate(baseline, target, accumulation, rows, milestones)
    mirrored = _evaluate(
        neg(baseline), neg(target), accumulation, [tuple(neg(x) for x in row) for row in rows], [-m for m in milestones]
    )
    for column in ("status", "status_female", "status_male"):
        assert (original[column] == mirrored[column]) or (pd.isna(original[column]) and pd.isna(mirrored[column]))
    for column in ("progress", "expected_progress", "progress_female"):
        assert np.isclose(original[column], mirrored[column], equal_nan=True)


STATUSES = ["achieved", "on_track", "at_risk", "off_track", "no_data", "not_due", "not_assessable"]
COUNTRIES = {"KEN": "EHoA", "ETH": "EHoA", "THA": "AP", "PHL": "AP", None: None}


@settings(max_examples=30, deadline=None)
@given(countries=st.lists(st.sampled_from(sorted(COUNTRIES, key=str)), min_size=0, max_size=12), data=st.data())
def test_rollup_counts_equal_the_sum_of_their_parts(countries, data):
    projects = frame(
        "projects", [dict(project_id=i, managing_country=c, region=COUNTRIES[c]) for i, c in enumerate(countries)]
    )
    n_indicators = data.draw(st.integers(0, 40))
    ev = pd.DataFrame(
        {
            "indicator_id": range(n_indicators),
            "project_id": [data.draw(st.integers(0, max(len(countries) - 1, 0))) for _ in range(n_indicators)],
            "status": [data.draw(st.sampled_from(STATUSES)) for _ in range(n_indicators)],
            "progress": [data.draw(st.floats(-1, 2)) for _ in range(n_indicators)],
            "status_female": None,
            "status_male": None,
            "reports_overdue": [data.draw(st.integers(0, 3)) for _ in range(n_indicators)],
        }
    )
    if not countries:
        ev = ev.iloc[:0]
    count_columns = ["n_indicators", "n_assessable"] + [f"n_{s}" for s in STATUSES]
    by_country = indicator_status_counts(ev, projects, "managing_country")[count_columns].sum()
    by_region = indicator_status_counts(ev, projects, "region")[count_columns].sum()
    organisation = indicator_status_counts(ev, projects, None)[count_columns].iloc[0]
    assert by_country.tolist() == by_region.tolist() == organisation.tolist()
    assert organisation["n_indicators"] == len(ev)

    table = project_results(ev, projects, SETTINGS)
    project_columns = ["n_projects", "n_on_track", "n_at_risk", "n_off_track", "n_not_assessable"]
    per_country = project_status_counts(table, "managing_country", projects=projects)[project_columns].sum()
    per_region = project_status_counts(table, "region", projects=projects)[project_columns].sum()
    whole = project_status_counts(table, None)[project_columns].iloc[0]
    assert per_country.tolist() == per_region.tolist() == whole.tolist()
    assert whole["n_projects"] == len(projects)
    assert table["n_reports_overdue"].sum() == (ev["reports_overdue"] > 0).sum()  # per project, every indicator once

    markers = frame(
        "markers",
        [
            dict(project_id=i, scheme="IOM_GM", code=data.draw(st.sampled_from(["0", "1", "2a"])))
            for i in range(len(countries))
            if data.draw(st.booleans())
        ],
    )
    budget = pd.Series({i: float(data.draw(st.integers(0, 10_000))) for i in range(len(countries))}, dtype="float64")
    for by in ("managing_country", "region", None):
        dist = marker_distribution(markers, projects, budget, "IOM_GM", by)
        assert dist["n_projects"].sum() == len(projects)
        assert np.isclose(dist["budget_usd"].sum(), budget.sum())


indicator_case = st.fixed_dictionaries(
    {
        "baseline": st.one_of(st.none(), values),
        "target": st.one_of(st.none(), values),
        "accumulation": st.sampled_from(["incremental", "cumulative", "level"]),
        "rows": st.lists(actual_row, max_size=4),
        "milestones": st.lists(values, max_size=3),
    }
)


@settings(max_examples=30, deadline=None)
@given(cases=st.lists(indicator_case, min_size=2, max_size=6))
def test_indicators_evaluated_together_equal_each_evaluated_alone(cases):
    """The vectorised grouping (bincount, latest-per-group) never mixes one indicator's rows into another's."""
    alone = [_evaluate(c["baseline"], c["target"], c["accumulation"], c["rows"], c["milestones"]) for c in cases]
    indicators = frame(
        "indicators",
        [
            dict(
                indicator_id=i,
                project_id=1,
                measure="number",
                unit="people",
                accumulation=c["accumulation"],
                baseline=c["baseline"],
                end_target=c["target"],
            )
            for i, c in enumerate(cases)
        ],
    )
    actuals = frame(
        "actuals",
        [
            dict(indicator_id=i, period_start=s, period_end=e, value=v, female=f, male=m)
            for i, c in enumerate(cases)
            for (s, e), (v, f, m) in zip(QUARTERS, c["rows"], strict=False)
        ],
    )
    targets = frame(
        "targets",
        [
            dict(indicator_id=i, period_start=s, period_end=e, target=t)
            for i, c in enumerate(cases)
            for (s, e), t in zip(QUARTERS, c["milestones"], strict=False)
        ],
    )
    together = evaluate_indicators(indicators, targets, actuals, PROJECT, AS_OF, SETTINGS)
    for i, single in enumerate(alone):
        row = together.iloc[i]
        assert row["status"] == single["status"]
        assert (row["status_female"] == single["status_female"]) or (
            pd.isna(row["status_female"]) and pd.isna(single["status_female"])
        )
        for column in ("actual_to_date", "progress", "expected_progress", "milestone_to_date", "actual_female"):
            assert np.isclose(row[column], single[column], equal_nan=True)
        assert row["reason"] == single["reason"]
