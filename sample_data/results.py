"""Results matrices of the sample portfolio: results tree, indicators, milestone targets, actuals.

How the numbers are made (all vectorised; the 10,000-project portfolio has ~200k indicators and
~2M period rows):

* Tree: one objective ``O1``, 2-4 outcomes ``OC1.k``, 2-4 outputs ``OP1.k.j`` per outcome; about
  20 indicators per project (0-1 on the objective, 1-3 per outcome and per output).
* Each indicator has a hidden true baseline and end target; the *published* ones are missing for
  some (missing baseline ~9%, missing end target ~2%, target equal to baseline ~0.5%): the
  data-quality checks of DOMAIN.md section 8 need something to find.
* Reporting periods follow the project's frequency (quarterly or semi-annual; some outcome
  indicators semi-annual or annual) from the start date to the (revised) end date. 80% of the
  numeric indicators have milestone targets following a slow-start curve ``tf ** gamma``.
* Actual progress at the end of a period is that same curve times the indicator's performance
  (the project's latent performance times indicator noise) times period noise, so the status of
  an indicator is mostly stable over time and its project's indicators are correlated.
* A period's actual is reported 5-35 days after it ends; periods reported after ``today`` do not
  exist yet, and 10% of active projects (stale reporting) stopped reporting 100-260 days ago.
* People-counting indicators carry female/male/other on their actuals (age bands too for
  ``sex_age`` indicators, in ``actual_breakdowns``), except ~13% of them that are never broken
  down; ~2% of numeric actuals were corrected (a superseded version 1 is kept, ``is_current =
  False``).
* Data-quality gaps cluster in the 18% of projects with weak M&E capacity (``Plan.weak_data``):
  30% of their indicators lack a baseline (5% elsewhere), half their people-counting indicators
  have no sex breakdown (5% elsewhere) and 10-30% of their due actuals are missing (0.5%).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from reference.breakdowns import AGE_BANDS
from sample_data.arrays import (
    expand,
    group_cummax,
    group_shift,
    month_last_day,
    stream,
    to_timestamps,
)
from sample_data.projects import Plan
from sample_data.reference import COUNTRIES
from sample_data.themes import COMMON_INDICATORS, REPEAT_QUALIFIERS, THEMES
from sample_data.vocabulary import (
    ACTUAL_COMMENTS,
    CORRECTION_COMMENTS,
    QUALITATIVE_BASELINE,
    QUALITATIVE_TARGET,
    QUALITATIVE_VALUES,
)

EVIDENCE = np.array(["project_monitoring", "self_reported", "monitoring_visit", "evaluation"], dtype=object)
EVIDENCE_SHARES = (0.70, 0.16, 0.10, 0.04)
FREQUENCY_NAMES = {3: "quarterly", 6: "semi-annual", 12: "annual"}
DATA_SOURCES = {
    "number": "Beneficiary registration database and attendance lists",
    "percentage": "Household survey / post-training test",
    "yes_no": "Official government records",
    "qualitative": "Key informant interviews and focus group discussions",
}
COLLECTION_METHODS = {
    "number": "Routine monitoring by project staff and partners",
    "percentage": "Sample survey",
    "yes_no": "Document review",
    "qualitative": "Semi-structured interviews",
}


@dataclass(frozen=True)
class _Templates:
    """Every indicator template (theme-specific first, then common) as parallel arrays."""

    name: np.ndarray
    unit: np.ndarray
    measure: np.ndarray
    direction: np.ndarray
    accumulation: np.ndarray
    people: np.ndarray
    scale: np.ndarray  # number with a scalable target: target of a USD 1M project; else NaN
    base0: np.ndarray  # (baseline, target) pairs: typical baseline; else NaN
    target0: np.ndarray
    pools: dict[tuple[int, str], np.ndarray]  # (theme, "outcome"/"output") -> template indices


def _templates() -> _Templates:
    rows: list[tuple] = []
    pools: dict[tuple[int, str], list[int]] = {}
    common_start = sum(len(t.indicators) for t in THEMES)
    for t, theme in enumerate(THEMES):
        for level in ("outcome", "output"):
            own = [len(rows) + i for i, tpl in enumerate(theme.indicators) if tpl[7] == level]
            common = [common_start + i for i, tpl in enumerate(COMMON_INDICATORS) if tpl[7] == level]
            pools[(t, level)] = own + common
        rows.extend(theme.indicators)
    rows.extend(COMMON_INDICATORS)

    def col(i, dtype=object):
        return np.array([r[i] for r in rows], dtype=dtype)

    scale = np.array([r[6] if isinstance(r[6], (int, float)) and r[6] is not None else np.nan for r in rows], float)
    base0 = np.array([r[6][0] if isinstance(r[6], tuple) else np.nan for r in rows], float)
    target0 = np.array([r[6][1] if isinstance(r[6], tuple) else np.nan for r in rows], float)
    return _Templates(
        name=col(0),
        unit=col(1),
        measure=col(2),
        direction=col(3),
        accumulation=col(4),
        people=col(5, bool),
        scale=scale,
        base0=base0,
        target0=target0,
        pools={k: np.array(v) for k, v in pools.items()},
    )


def build_results(seed: int, plan: Plan, block: int = 0) -> dict[str, pd.DataFrame]:
    """The ``results``, ``indicators``, ``targets``, ``actuals`` and ``actual_breakdowns`` frames."""
    rng = stream(seed, "results", block)
    results, result_project, result_level, result_code = _results_tree(rng, plan)
    ind = _indicators(rng, plan, result_project, result_level, result_code)
    periods = _periods(rng, plan, ind)
    targets = _targets(periods, ind)
    actuals, breakdowns = _actuals(stream(seed, "actuals", block), plan, ind, periods)
    return {
        "results": results,
        "indicators": ind["frame"],
        "targets": targets,
        "actuals": actuals,
        "actual_breakdowns": breakdowns,
    }


def _results_tree(rng: np.random.Generator, plan: Plan):
    """Objective, outcome and output rows; parents get lower ids than children (insert order)."""
    projects = np.flatnonzero(plan.has_framework)
    n_outcomes = rng.integers(2, 5, len(projects))
    oc_owner, oc_pos = expand(n_outcomes)  # owner: index into `projects`
    n_outputs = rng.integers(2, 5, len(oc_owner))
    op_outcome, op_pos = expand(n_outputs)  # owner: outcome row
    n_obj, n_oc, n_op = len(projects), len(oc_owner), len(op_outcome)

    obj_id = np.arange(1, n_obj + 1)
    oc_id = n_obj + np.arange(1, n_oc + 1)
    project = np.concatenate([projects, projects[oc_owner], projects[oc_owner[op_outcome]]])
    parent = np.concatenate([np.full(n_obj, np.nan), obj_id[oc_owner], oc_id[op_outcome]])
    level = np.concatenate(
        [np.full(n_obj, "objective", object), np.full(n_oc, "outcome", object), np.full(n_op, "output", object)]
    )
    codes = (
        ["O1"] * n_obj
        + [f"OC1.{k + 1}" for k in oc_pos]
        + [f"OP1.{oc_pos[o] + 1}.{j + 1}" for o, j in zip(op_outcome, op_pos, strict=False)]
    )
    offset = rng.integers(0, 100, plan.n)
    statements = np.empty(n_obj + n_oc + n_op, dtype=object)
    theme = plan.theme[project]
    ordinal = np.concatenate([np.zeros(n_obj, int), oc_pos, np.arange(n_op)])
    for t, spec in enumerate(THEMES):
        mask = theme == t
        for lvl, options in (("outcome", spec.outcomes), ("output", spec.outputs)):
            m = mask & (level == lvl)
            statements[m] = np.array(options, dtype=object)[(offset[project[m]] + ordinal[m]) % len(options)]
        m = mask & (level == "objective")
        statements[m] = [
            f"To contribute to {spec.name.lower()} outcomes for migrants and communities in {COUNTRIES[c].name}"
            for c in plan.country[project[m]]
        ]
    frame = pd.DataFrame(
        {
            "id": np.arange(1, len(project) + 1),
            "project_id": project + 1,
            "code": codes,
            "level": level,
            "parent_id": pd.array(parent, dtype="Int64"),
            "statement": statements,
        }
    )
    return frame, project, level, np.array(codes, dtype=object)


def _indicators(rng: np.random.Generator, plan: Plan, result_project, result_level, result_code) -> dict:
    """Indicator rows plus the hidden arrays the periods need (true baseline, true target...)."""
    tpl = _templates()
    n_res = len(result_project)
    counts = np.select(
        [result_level == "objective", result_level == "outcome"],
        [rng.random(n_res) < 0.3, rng.choice([1, 2, 3], n_res, p=[0.35, 0.45, 0.20])],
        rng.choice([1, 2, 3], n_res, p=[0.45, 0.40, 0.15]),
    ).astype(int)
    owner, pos = expand(counts)  # owner: result row
    n = len(owner)
    project = result_project[owner]
    pool_level = np.where(result_level[owner] == "output", "output", "outcome")
    # ordinal of the indicator among its project's indicators of the same pool level
    key = pd.Series(project * 2 + (pool_level == "output"))
    ordinal = key.groupby(key).cumcount().to_numpy()
    offset = rng.integers(0, 1000, plan.n)[project]
    template = np.empty(n, dtype=int)
    theme = plan.theme[project]
    repeat = np.zeros(n, dtype=int)  # how many times the project already used this template
    for (t, lvl), pool in tpl.pools.items():
        m = (theme == t) & (pool_level == lvl)
        template[m] = pool[(offset[m] + ordinal[m]) % len(pool)]
        repeat[m] = np.minimum(ordinal[m] // len(pool), len(REPEAT_QUALIFIERS))

    measure = tpl.measure[template]
    accumulation = tpl.accumulation[template]
    direction = tpl.direction[template]
    people = tpl.people[template]
    is_number, is_pct = measure == "number", measure == "percentage"
    is_yes, is_qual = measure == "yes_no", measure == "qualitative"

    # hidden true baseline and end target
    budget_factor = plan.budget_usd[project] / 1e6
    scale = tpl.scale[template]
    exponent = np.where(scale >= 100, 0.7, 0.3)
    scaled_target = np.maximum(1, np.round(scale * budget_factor**exponent * np.exp(rng.normal(0, 0.4, n))))
    paired = ~np.isnan(tpl.base0[template])
    b_pair = tpl.base0[template] * np.exp(rng.normal(0, 0.15, n))
    t_pair = tpl.target0[template] * np.exp(rng.normal(0, 0.10, n))
    b_true = np.where(
        paired, b_pair, np.where(accumulation == "incremental", 0.0, np.round(scaled_target * rng.uniform(0, 0.2, n)))
    )
    t_true = np.where(paired, t_pair, scaled_target)
    # percentages: keep within 0-100 and at least 5 points of change in the right direction
    b_true = np.where(is_pct, np.clip(b_true, 0, 95), b_true)
    up = direction == "increase"
    t_true = np.where(is_pct & up, np.minimum(100, np.maximum(t_true, b_true + 5)), t_true)
    t_true = np.where(is_pct & ~up, np.maximum(0, np.minimum(t_true, b_true - 5)), t_true)
    whole = paired & (tpl.base0[template] >= 20) & is_number
    b_true = np.where(is_pct | (paired & ~whole), np.round(b_true, 1), np.round(b_true))
    t_true = np.where(is_pct | (paired & ~whole), np.round(t_true, 1), np.round(t_true))
    b_true = np.where(is_yes, 0.0, b_true)
    t_true = np.where(is_yes, 1.0, t_true)
    b_true[is_qual] = np.nan
    t_true[is_qual] = np.nan

    # published values with realistic gaps
    weak = plan.weak_data[project]
    missing_baseline = rng.random(n) < np.where(weak, 0.30, 0.05)
    baseline = np.where(missing_baseline, np.nan, b_true)
    end_target = np.where(rng.random(n) < 0.02, np.nan, t_true)
    equal = (~is_qual) & (~is_yes) & (accumulation != "incremental") & (rng.random(n) < 0.005)
    end_target = np.where(equal & ~np.isnan(baseline), baseline, end_target)
    baseline_text = np.where(is_qual & ~missing_baseline, QUALITATIVE_BASELINE, None)
    end_target_text = np.where(is_qual, QUALITATIVE_TARGET, None)
    start = plan.start[project]
    baseline_date = np.where(
        np.isnan(baseline) & (baseline_text == None),  # noqa: E711 - elementwise on an object array
        np.datetime64("NaT", "D"),
        start - rng.integers(0, 60, n).astype("timedelta64[D]"),
    )
    disaggregation = np.where(
        people, np.where(rng.random(n) < 0.40, "sex_age", np.where(rng.random(n) < 0.95, "sex", "none")), "none"
    ).astype(object)

    frequency = plan.reporting_months[project].copy()
    slower = (pool_level == "outcome") & ~is_number & (rng.random(n) < 0.4)
    frequency[slower] = np.where((plan.months[project[slower]] >= 24) & (frequency[slower] == 6), 12, 6)
    responsible = np.where(rng.random(n) < 0.6, "M&E Officer", plan.manager[project]).astype(object)
    res_code = result_code[owner]
    codes = [f"{c}-{chr(97 + k)}" for c, k in zip(res_code, pos, strict=False)]
    ids = np.arange(1, n + 1)
    frame = pd.DataFrame(
        {
            "id": ids,
            "project_id": project + 1,
            "result_id": owner + 1,
            "code": codes,
            "name": tpl.name[template] + np.array(("", *REPEAT_QUALIFIERS), dtype=object)[repeat],
            "unit": tpl.unit[template],
            "measure": measure,
            "direction": direction,
            "accumulation": accumulation,
            "baseline": baseline,
            "baseline_text": baseline_text,
            "baseline_date": to_timestamps(baseline_date),
            "end_target": end_target,
            "end_target_text": end_target_text,
            "disaggregation": disaggregation,
            "data_source": np.vectorize(DATA_SOURCES.get, otypes=[object])(measure),
            "collection_method": np.vectorize(COLLECTION_METHODS.get, otypes=[object])(measure),
            "frequency": np.vectorize(FREQUENCY_NAMES.get, otypes=[object])(frequency),
            "responsible": responsible,
            "import_note": None,
        }
    )
    # milestones: never for qualitative or without an end target; always for yes/no
    milestones = np.where(is_yes, True, (rng.random(n) < 0.80) & ~is_qual & ~np.isnan(end_target))
    female_share = np.array([t.female_share for t in THEMES])[theme] + rng.normal(0, 0.07, n)
    women_lag = rng.random(plan.n) < 0.10  # projects that reach fewer women than planned
    female_share = np.clip(np.where(women_lag[project], female_share * 0.65, female_share), 0.05, 0.95)
    # people indicators whose actuals are never broken down by sex, mostly in weak-data projects
    undisaggregated = rng.random(n) < np.where(weak, 0.5, 0.05)
    return {
        "frame": frame,
        "project": project,
        "measure": measure,
        "accumulation": accumulation,
        "people": people & (disaggregation != "none") & ~undisaggregated,
        "age": disaggregation == "sex_age",
        "b_true": b_true,
        "t_true": t_true,
        "frequency": frequency,
        "milestones": milestones,
        "female_share": female_share,
        "performance": plan.performance[project] * np.exp(rng.normal(0, 0.18, n)),
        "due": rng.uniform(0.35, 0.9, n),
        # the plan's slow start (milestones) or, without milestones, a slightly front-loaded path:
        # those are judged against linear elapsed time while their last report lags by a period
        "gamma": np.where(
            milestones, rng.uniform(1.0, 1.35, plan.n)[project] + np.where(accumulation == "level", 0.3, 0.0), 0.85
        ),
    }


def _periods(rng: np.random.Generator, plan: Plan, ind: dict) -> dict:
    """Every reporting period of every indicator (targets and actuals are subsets of these rows)."""
    project, freq = ind["project"], ind["frequency"]
    months = plan.months[project]
    n_periods = np.ceil(months / freq).astype(int)
    owner, k = expand(n_periods)
    p = project[owner]
    f = freq[owner]
    total = months[owner]
    first_month = plan.start_month[p] + (k * f).astype("timedelta64[M]")
    last_month_offset = np.minimum((k + 1) * f, total) - 1
    period_end = month_last_day(plan.start_month[p] + last_month_offset.astype("timedelta64[M]"))
    tf_end = np.minimum((k + 1) * f, total) / total
    gamma = ind["gamma"][owner]
    return {
        "owner": owner,
        "k": k,
        "project": p,
        "start": first_month.astype("datetime64[D]"),
        "end": period_end,
        "curve": tf_end**gamma,
        "tf_end": tf_end,
        "noise": np.exp(rng.normal(0, 0.08, len(owner))),
    }


def _round_like(values: np.ndarray, measure: np.ndarray, b: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Counts to whole numbers, percentages and small measures (days, minutes) to one decimal."""
    small = (measure == "percentage") | ((np.abs(b) < 20) & (np.abs(t) < 20) & (b != 0))
    return np.where(small, np.round(values, 1), np.round(values))


def _values(ind: dict, periods: dict, share: np.ndarray) -> np.ndarray:
    """Period values when ``share`` of the distance baseline → target is travelled by each period end.

    Incremental indicators report each period's new units (the difference of cumulative shares),
    cumulative and level ones the position reached; yes/no is 1 once its due share is reached.
    """
    o = periods["owner"]
    b, t = ind["b_true"][o], ind["t_true"][o]
    acc, measure = ind["accumulation"][o], ind["measure"][o]
    position = b + (t - b) * share
    cumulative_units = np.round(t * share)
    new_units = cumulative_units - group_shift(cumulative_units, periods["k"])
    values = np.where(acc == "incremental", new_units, _round_like(position, measure, b, t))
    values = np.where(measure == "percentage", np.clip(values, 0, 100), values)
    return np.where(measure == "yes_no", (share >= ind["due"][o]).astype(float), values)


def _targets(periods: dict, ind: dict) -> pd.DataFrame:
    with_target = ind["milestones"][periods["owner"]]
    values = _values(ind, periods, periods["curve"])[with_target]
    frame = pd.DataFrame(
        {
            "indicator_id": periods["owner"][with_target] + 1,
            "period_start": to_timestamps(periods["start"][with_target]),
            "period_end": to_timestamps(periods["end"][with_target]),
            "target": values,
            "target_text": None,
        }
    )
    frame.insert(0, "id", np.arange(1, len(frame) + 1))
    return frame


def _actuals(rng: np.random.Generator, plan: Plan, ind: dict, periods: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    o, p = periods["owner"], periods["project"]
    measure = ind["measure"][o]
    share = periods["curve"] * ind["performance"][o] * periods["noise"]
    share = np.minimum(share, 1.35)
    share = np.where(ind["accumulation"][o] == "level", share, group_cummax(share, o))
    values = _values(ind, periods, share)
    values = np.where(measure == "qualitative", np.nan, values)

    lag = rng.integers(5, 36, len(o)).astype("timedelta64[D]")
    reported_on = periods["end"] + lag
    stale_after = plan.stale_after[p]
    keep = (reported_on <= plan.today) & (plan.status[p] != "pipeline")
    keep &= np.isnat(stale_after) | (reported_on <= stale_after)
    keep &= rng.random(len(o)) >= plan.missing_rate[p]
    idx = np.flatnonzero(keep)
    n = len(idx)
    values = values[idx]
    io = o[idx]
    m = measure[idx]

    value_text = np.where(
        m == "qualitative",
        np.array(QUALITATIVE_VALUES, dtype=object)[rng.integers(0, len(QUALITATIVE_VALUES), n)],
        None,
    )
    not_a_number = (m == "number") & (rng.random(n) < 0.003)
    values = np.where(not_a_number, np.nan, values)
    value_text = np.where(not_a_number, np.where(rng.random(n) < 0.5, "N/A", "TBD"), value_text).astype(object)

    female, male, other = _sex_breakdown(rng, ind, io, values)
    comment = np.where(
        rng.random(n) < 0.08, np.array(ACTUAL_COMMENTS, dtype=object)[rng.integers(0, len(ACTUAL_COMMENTS), n)], None
    )
    source = EVIDENCE[rng.choice(len(EVIDENCE), n, p=EVIDENCE_SHARES)]
    current = pd.DataFrame(
        {
            "indicator_id": io + 1,
            "period_start": to_timestamps(periods["start"][idx]),
            "period_end": to_timestamps(periods["end"][idx]),
            "value": values,
            "value_text": value_text,
            "female": female,
            "male": male,
            "other_sex": other,
            "comment": comment,
            "reported_on": to_timestamps(reported_on[idx]),
            "source": source,
            "version": 1,
            "is_current": True,
            "superseded_at": pd.NaT,
            "import_batch_id": pd.array([pd.NA] * n, dtype="Int64"),
        }
    )
    # ~2% of numeric actuals were corrected: the first report stays as a superseded version 1
    corrected = np.flatnonzero(~np.isnan(values) & (m != "yes_no") & (rng.random(n) < 0.02))
    old = current.iloc[corrected].copy()
    old["value"] = np.round(values[corrected] * rng.uniform(1.05, 1.4, len(corrected)))
    old["female"] = np.nan
    old["male"] = np.nan
    old["other_sex"] = np.nan
    first_report = reported_on[idx][corrected] - rng.integers(20, 60, len(corrected)).astype("timedelta64[D]")
    old["reported_on"] = to_timestamps(first_report)
    old["is_current"] = False
    old["superseded_at"] = to_timestamps(reported_on[idx][corrected]).astype("datetime64[ns]") + np.timedelta64(9, "h")
    current.loc[current.index[corrected], "version"] = 2
    current.loc[current.index[corrected], "comment"] = np.array(CORRECTION_COMMENTS, dtype=object)[
        rng.integers(0, len(CORRECTION_COMMENTS), len(corrected))
    ]
    frame = (
        pd.concat([current, old], ignore_index=True)
        .sort_values(["indicator_id", "period_start", "version"], kind="stable")
        .reset_index(drop=True)
    )
    frame.insert(0, "id", np.arange(1, len(frame) + 1))
    breakdowns = _age_breakdowns(rng, ind, frame)
    return frame, breakdowns


def _sex_breakdown(rng: np.random.Generator, ind: dict, io: np.ndarray, values: np.ndarray):
    """Female/male/other on people-counting actuals (1% forgotten); 1% deliberately do not add up."""
    n = len(io)
    has = ind["people"][io] & ~np.isnan(values) & (rng.random(n) >= 0.01)
    female = np.round(values * np.clip(ind["female_share"][io] * np.exp(rng.normal(0, 0.05, n)), 0, 1))
    other = np.where(rng.random(n) < 0.1, np.round(values * 0.01), 0.0)
    male = np.maximum(values - female - other, 0)
    female = np.where(rng.random(n) < 0.01, female + np.round(values * 0.1) + 1, female)
    nan = np.full(n, np.nan)
    return np.where(has, female, nan), np.where(has, male, nan), np.where(has, other, nan)


def _age_breakdowns(rng: np.random.Generator, ind: dict, actuals: pd.DataFrame) -> pd.DataFrame:
    """Age bands (0-17, 18-59, 60+) summing to the value, for current sex-and-age actuals."""
    io = actuals["indicator_id"].to_numpy() - 1
    value = actuals["value"].to_numpy()
    eligible = np.flatnonzero(ind["age"][io] & actuals["is_current"].to_numpy() & actuals["female"].notna().to_numpy())
    shares = rng.dirichlet([2.0, 6.0, 1.0], len(eligible))
    v = value[eligible]
    young, old = np.floor(v * shares[:, 0]), np.floor(v * shares[:, 2])
    adult = v - young - old
    frame = pd.DataFrame(
        {
            "actual_id": np.repeat(actuals["id"].to_numpy()[eligible], 3),
            "dimension": "age",
            "category": np.tile(np.array(AGE_BANDS, dtype=object), len(eligible)),
            "value": np.column_stack([young, adult, old]).ravel(),
            "value_text": None,
        }
    )
    frame.insert(0, "id", np.arange(1, len(frame) + 1))
    return frame
