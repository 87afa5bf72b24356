"""The projects of the sample portfolio and the hidden state that drives everything generated for them.

A :class:`Plan` holds one array entry per project: dates, status, budget, currency, manager, and
two latent factors the dashboard never sees but every other table is drawn from:

* ``performance``: how fast results come compared with plan (1.0 = exactly on plan). Indicator
  progress is this factor times indicator-level noise, so a project's indicators agree with each
  other more than with another project's, and the project results statuses come out mixed
  (on track, at risk, off track) rather than uniform. Fragile contexts perform lower on average.
* ``spend_pace``: how fast money is spent compared with plan. Correlated with ``performance``
  (slow delivery usually means slow spending) but not identical, so burn and results can diverge:
  the dashboard's spend-ahead-of-results check has something to find.

Dates are anchored on ``today`` so the demo is always mid-implementation: about 83% of projects are
active (started before today, ending after it, some on a no-cost extension), 12% closed within the
last 18 months, 5% pipeline (starting within six months). Projects start on the first of a month
and end on the last day of a month, as grant agreements usually do.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd

from reference.places import REGIONS
from sample_data.arrays import (
    DAY,
    expand,
    month_first_day,
    month_last_day,
    row_choice,
    stream,
    to_timestamps,
    weighted_choice,
)
from sample_data.reference import COUNTRIES, DONORS
from sample_data.themes import THEMES

STATUS_SHARES = {"active": 0.83, "closed": 0.12, "pipeline": 0.05}
# Latent performance: log-normal around a median a little above plan, lower in fragile contexts.
# Tuned so that monitoring.evaluate gives roughly 45% of assessable projects on track, 30% at risk
# and 20% off track (tests/test_sample_data_mix.py checks the ranges).
PERFORMANCE_LOG_MEAN = np.log(1.12)
PERFORMANCE_LOG_SD = 0.28
FRAGILE_PENALTY = 0.08
PROJECTS_PER_MANAGER = 3.5
DURATION_LOG_SD = 0.45
MIN_BUDGET_USD, MAX_BUDGET_USD = 50_000.0, 50_000_000.0
MEDIAN_BUDGET_USD = 700_000.0  # with sigma 1.25 the mean is ~1.5M: ~2 billion a year over 3,000 active projects
_HUMANITARIAN_DONORS = ("ECHO", "CERF", "Country-Based Pooled Funds", "PRM")
_NEIGHBOURHOOD_REGIONS = ("RO-SEEECA", "RO-MENA", "RO-EEA")


@dataclass
class Plan:
    """Per-project arrays (index i is project id i + 1)."""

    n: int
    today: np.datetime64  # datetime64[D]
    theme: np.ndarray
    country: np.ndarray  # managing country index (= office index)
    region: np.ndarray
    fragile: np.ndarray
    status: np.ndarray  # object: pipeline / active / closed
    start_month: np.ndarray  # datetime64[M]
    months: np.ndarray  # effective duration in months (with the no-cost extension)
    start: np.ndarray  # datetime64[D]
    end: np.ndarray
    revised_end: np.ndarray  # NaT when no extension
    effective_end: np.ndarray
    extension_date: np.ndarray  # date the no-cost extension was approved (NaT when none)
    elapsed: np.ndarray  # DOMAIN elapsed(today) in [0, 1]
    performance: np.ndarray
    spend_pace: np.ndarray
    lead_donor: np.ndarray
    currency: np.ndarray  # object
    budget_usd: np.ndarray
    code: np.ndarray  # object
    manager: np.ndarray  # object
    reporting_months: np.ndarray  # 3 (quarterly) or 6 (semi-annual)
    stale_after: np.ndarray  # datetime64[D]: nothing reported after this date (NaT: reporting is current)
    weak_data: np.ndarray  # bool: weak M&E discipline (missing baselines, breakdowns and reports)
    missing_rate: np.ndarray  # probability that a due actual is never reported
    has_framework: np.ndarray  # bool: a results matrix with indicators exists

    @property
    def ids(self) -> np.ndarray:
        return np.arange(1, self.n + 1)

    @property
    def started(self) -> np.ndarray:
        return self.start <= self.today

    def block(self, start: int, stop: int) -> Plan:
        """Projects ``start``..``stop - 1`` as a plan of their own (its project i is project start + i + 1).

        The builders of the other tables run on one block at a time (``generator.generate_blocks``)."""
        return replace(
            self,
            n=stop - start,
            **{f.name: getattr(self, f.name)[start:stop] for f in fields(self) if f.name not in ("n", "today")},
        )


def _draw_dates(rng: np.random.Generator, n: int, today_month: np.datetime64, status: np.ndarray):
    """Start month, original and effective duration, extension months, per status (see module doc)."""
    # Projects are approved with durations log-normal around 24 months. The ones active on a given
    # day are the length-biased sample of those (a 48-month project is active twice as long as a
    # 24-month one: log-normal with mu + sigma^2), each at a uniform point of its life. Drawing
    # active projects like new ones, late in life (beta(1.3, 1.1)), put 38% of the active sample
    # projects in their last six months instead of the ~22% of a steady portfolio.
    log_months = rng.normal(np.log(24), DURATION_LOG_SD, n) + np.where(status == "active", DURATION_LOG_SD**2, 0.0)
    original = np.clip(np.round(np.exp(log_months)), 6, 60).astype(int)
    extension = np.where(rng.random(n) < np.where(status == "active", 0.14, 0.10), rng.integers(3, 13, n), 0)
    extension[status == "pipeline"] = 0
    months = original + extension
    # months already elapsed (the current month counts as elapsed 0)
    elapsed = np.floor(rng.random(n) * original).astype(int)
    extended = extension > 0
    elapsed[extended] = rng.integers(np.ceil(original[extended] * 0.6).astype(int), months[extended])
    start_month = today_month - elapsed.astype("timedelta64[M]")
    closed = status == "closed"
    ended_ago = rng.integers(1, 19, n)  # the end month lies 1-18 months before this one
    start_month[closed] = (today_month - ended_ago[closed] - months[closed] + 1).astype("datetime64[M]")
    pipeline = status == "pipeline"
    start_month[pipeline] = today_month + rng.integers(1, 7, int(pipeline.sum())).astype("timedelta64[M]")
    return start_month, original, months, extension


def build_plan(seed: int, n: int, today: np.datetime64) -> Plan:
    """Draw the hidden state of ``n`` projects (deterministic for ``seed`` and ``today``)."""
    rng = stream(seed, "projects")
    today_month = today.astype("datetime64[M]")
    status = np.array(list(STATUS_SHARES), dtype=object)[weighted_choice(rng, list(STATUS_SHARES.values()), n)]
    country = weighted_choice(rng, [c.weight for c in COUNTRIES], n)
    region_codes = [c.region for c in COUNTRIES]
    region_index = {code: i for i, (code, _) in enumerate(REGIONS)}
    region = np.array([region_index[region_codes[c]] for c in country])
    fragile = np.array([c.fragile for c in COUNTRIES])[country]
    theme_weights = np.array([t.weight for t in THEMES])
    humanitarian = np.array([t.humanitarian for t in THEMES])
    # fragile contexts run more humanitarian programmes
    probs = np.where(fragile[:, None], theme_weights * np.where(humanitarian, 2.5, 1.0), theme_weights)
    theme = row_choice(rng, probs)

    start_month, original, months, extension = _draw_dates(rng, n, today_month, status)
    start = month_first_day(start_month)
    end = month_last_day(start_month + (original - 1).astype("timedelta64[M]"))
    effective_end = month_last_day(start_month + (months - 1).astype("timedelta64[M]"))
    extended = extension > 0
    revised_end = np.where(extended, effective_end, np.datetime64("NaT", "D"))
    lead = rng.integers(20, 91, n).astype("timedelta64[D]")
    extension_date = np.minimum(end - lead, today - 7 * DAY)
    extension_date = np.maximum(extension_date, start + 31 * DAY)
    extension_date = np.where(extended, extension_date, np.datetime64("NaT", "D"))
    span = (effective_end - start).astype(float)
    elapsed = np.clip((today - start).astype(float) / span, 0.0, 1.0)

    log_perf = rng.normal(PERFORMANCE_LOG_MEAN - FRAGILE_PENALTY * fragile, PERFORMANCE_LOG_SD)
    performance = np.exp(log_perf)
    # managers keep spending within the budget: the pace is capped just below plan except for the
    # 8% of projects that overspend on purpose (drives OVERSPENDING / FORECAST_OVERSPEND)
    spend_pace = np.exp(0.5 * (log_perf - PERFORMANCE_LOG_MEAN) + rng.normal(-0.02, 0.10, n))
    spend_pace = np.minimum(spend_pace, rng.uniform(0.95, 1.0, n))
    overspender = rng.random(n) < 0.08
    spend_pace[overspender] = rng.uniform(1.05, 1.35, int(overspender.sum()))
    closed = status == "closed"
    spend_pace[closed] = np.clip(rng.normal(0.94, 0.05, int(closed.sum())), 0.75, 1.02)

    lead_donor = _draw_lead_donor(rng, n, theme, region)
    donor_currency = np.array([d.currency for d in DONORS], dtype=object)[lead_donor]
    currency = np.where((donor_currency != "USD") & (rng.random(n) < 0.45), donor_currency, "USD").astype(object)
    budget_usd = np.exp(rng.normal(np.log(MEDIAN_BUDGET_USD), 1.25, n)) * (months / 24.0) ** 0.6
    budget_usd = np.clip(budget_usd, MIN_BUDGET_USD, MAX_BUDGET_USD)

    code = _project_codes(rng, theme)
    reporting_months = np.where(rng.random(n) < 0.80, 3, 6)
    started_months = ((today_month - start_month).astype(int)).clip(min=0)
    stale = (status == "active") & (started_months >= 7) & (rng.random(n) < 0.10)
    stale_after = np.where(stale, today - rng.integers(100, 260, n).astype("timedelta64[D]"), np.datetime64("NaT", "D"))
    # data-quality gaps cluster in the 18% of projects with weak M&E capacity, as they do in reality
    weak_data = rng.random(n) < 0.18
    missing_rate = np.where(weak_data, rng.uniform(0.10, 0.30, n), 0.005)
    # pipeline projects: half have a draft matrix; a few active projects have none (a flag to find)
    has_framework = np.where(status == "pipeline", rng.random(n) < 0.5, rng.random(n) >= 0.03)
    return Plan(
        n=n,
        today=today,
        theme=theme,
        country=country,
        region=region,
        fragile=fragile,
        status=status,
        start_month=start_month,
        months=months,
        start=start,
        end=end,
        revised_end=revised_end,
        effective_end=effective_end,
        extension_date=extension_date,
        elapsed=elapsed,
        performance=performance,
        spend_pace=spend_pace,
        lead_donor=lead_donor,
        currency=currency,
        budget_usd=budget_usd,
        code=code,
        manager=np.empty(n, dtype=object),
        reporting_months=reporting_months,
        stale_after=stale_after,
        weak_data=weak_data,
        missing_rate=missing_rate,
        has_framework=has_framework,
    )


def _draw_lead_donor(rng: np.random.Generator, n: int, theme: np.ndarray, region: np.ndarray) -> np.ndarray:
    """Lead donor per project: humanitarian donors fund humanitarian themes, DG NEAR its neighbourhood."""

    weights = np.tile(np.array([d.weight for d in DONORS]), (n, 1))
    humanitarian_theme = np.array([t.humanitarian for t in THEMES])[theme]
    humanitarian_donor = np.array([any(k in d.name for k in _HUMANITARIAN_DONORS) for d in DONORS])
    weights[np.ix_(humanitarian_theme, humanitarian_donor)] *= 3.0
    near = np.array(["DG NEAR" in d.name for d in DONORS])
    neighbourhood = np.isin(np.array([r[0] for r in REGIONS])[region], _NEIGHBOURHOOD_REGIONS)
    weights[np.ix_(~neighbourhood, near)] = 0.0
    return row_choice(rng, weights)


def _project_codes(rng: np.random.Generator, theme: np.ndarray) -> np.ndarray:
    """``PREFIX.NNNN`` codes, unique within the portfolio (numbers drawn without repeats per prefix).

    A theme with 10,000 projects or more (portfolios of ~100,000) gets five digits, ``PREFIX.NNNNN``;
    smaller portfolios draw exactly as before, so their codes do not change."""
    code = np.empty(len(theme), dtype=object)
    for t, spec in enumerate(THEMES):
        idx = np.flatnonzero(theme == t)
        top, width = (10_000, 4) if len(idx) < 10_000 else (100_000, 5)
        numbers = rng.choice(np.arange(1, top), size=len(idx), replace=False) if len(idx) else []
        code[idx] = [f"{spec.prefix}.{k:0{width}d}" for k in numbers]
    return code


def assign_managers(rng: np.random.Generator, plan: Plan, names: list[str]) -> None:
    """Give each country office a pool of managers (about 3.5 projects each) and assign projects."""
    offset = 0
    for office in range(len(COUNTRIES)):
        idx = np.flatnonzero(plan.country == office)
        if not len(idx):
            continue
        pool = names[offset : offset + managers_needed(len(idx))]
        offset += len(pool)
        plan.manager[idx] = np.array(pool, dtype=object)[rng.integers(0, len(pool), len(idx))]


def managers_needed(projects_in_office: int) -> int:
    return max(1, int(np.ceil(projects_in_office / PROJECTS_PER_MANAGER)))


def projects_frame(rng: np.random.Generator, plan: Plan) -> pd.DataFrame:
    """The ``projects`` table (office id = managing country index + 1)."""
    titles = np.empty(plan.n, dtype=object)
    pick = rng.integers(0, 1_000, plan.n)
    phase = rng.random(plan.n)
    for i in range(plan.n):
        spec = THEMES[plan.theme[i]]
        title = spec.titles[pick[i] % len(spec.titles)].format(country=COUNTRIES[plan.country[i]].name)
        titles[i] = title + (" (Phase II)" if phase[i] < 0.12 else " (Phase III)" if phase[i] < 0.15 else "")
    descriptions = np.array([f"{t.name} project. {t.outcomes[0]}." for t in THEMES], dtype=object)[plan.theme]
    return pd.DataFrame(
        {
            "id": plan.ids,
            "code": plan.code,
            "title": titles,
            "managing_office_id": plan.country + 1,
            "thematic_area": np.array([t.name for t in THEMES], dtype=object)[plan.theme],
            "start_date": to_timestamps(plan.start),
            "end_date": to_timestamps(plan.end),
            "revised_end_date": to_timestamps(plan.revised_end),
            "status": plan.status,
            "currency": plan.currency,
            "manager": plan.manager,
            "high_risk_context": plan.fragile.astype(bool),
            "description": descriptions,
        }
    )


def project_countries_frame(rng: np.random.Generator, plan: Plan) -> pd.DataFrame:
    """Managing country for every project; 18% also cover 1-3 neighbours in the same region.

    Half of the multi-country projects publish percentages (integers summing to 100); the others
    leave them empty, so their money is attributed to the managing country (DOMAIN.md section 1).
    """
    multi = rng.random(plan.n) < 0.18
    extra = np.where(multi, rng.integers(1, 4, plan.n), 0)
    owner, _ = expand(1 + extra)
    with_pct = rng.random(plan.n) < 0.5
    rows_country = np.empty(len(owner), dtype=int)
    rows_pct = np.full(len(owner), np.nan)
    region_of = np.array([c.region for c in COUNTRIES], dtype=object)
    cursor = 0
    for i in range(plan.n):
        k = 1 + extra[i]
        own = plan.country[i]
        if k == 1:
            rows_country[cursor] = own
        else:
            peers = np.flatnonzero((region_of == region_of[own]) & (np.arange(len(COUNTRIES)) != own))
            chosen = rng.choice(peers, size=k - 1, replace=False)  # every region has 4+ peers
            rows_country[cursor : cursor + k] = np.concatenate([[own], chosen])
            if with_pct[i]:
                shares = rng.dirichlet(np.r_[3.0, np.ones(k - 1)])
                pct = np.floor(shares * 100)
                pct[0] += 100 - pct.sum()
                rows_pct[cursor : cursor + k] = pct
        cursor += k
    return pd.DataFrame({"project_id": owner + 1, "country_id": rows_country + 1, "percentage": rows_pct})
