"""Money of the sample portfolio: budget lines and revisions, spending plans, expenditure, funding.

Decisions a finance officer would recognise:

* Budgets are in the project currency (USD for ~73% of projects; otherwise the lead donor's EUR,
  GBP, CHF, JPY, SEK, NOK, DKK, CAD or AUD), converted from a log-normal USD amount at the rate of
  the start month.
* Lines: staff (1-2), office, operational (1-3), implementing partners (half the projects),
  monitoring & evaluation (96%), and overhead at 7% of direct costs (the IOM indirect support
  rate, so 6.54% of the total). The M&E line is 3-6% of the budget for ~80% of projects, below 3%
  for the rest (the DOMAIN.md ``ME_BUDGET_LOW`` flag).
* Revisions, each dated: reallocations between direct lines (20% of started projects), a
  no-cost-extension revision on every line when the end date was extended (amounts unchanged), and
  additional funding (10%) that raises every line by the same factor (overhead stays at 7%) and
  comes with its own funding agreement amendment.
* Expenditure per line and month from the start month to the current month (the current month
  pro rata of its elapsed days, as booked so far), so that burn ≈ ``spend_pace`` × planned burn,
  where planned burn follows the spending plan when the project has one (35%) and elapsed time
  otherwise. About 3% of well-advanced projects are driven over budget on purpose; 0.3% of the
  months are refunds (negative amounts).
* Funding: each agreement has a ``commitment`` at signature and 1-4 ``incoming_funds`` tranches
  over the project's life, some paid late; pipeline projects are half signed, half unsigned.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sample_data.arrays import DAY, expand, month_first_day, stream, to_timestamps
from sample_data.organisation import FxTable
from sample_data.projects import Plan
from sample_data.reference import DONORS

CATEGORIES = ("staff", "office", "operational", "implementing_partners", "monitoring_evaluation", "overhead")
LINE_PREFIX = ("STF", "OFF", "OPS", "IP", "ME", "OH")
LINE_DESCRIPTIONS = (
    "Staff salaries and entitlements",
    "Office rent, utilities and equipment",
    "Activities, goods and services",
    "Grants to implementing partners",
    "Monitoring, evaluation and data collection",
    "Indirect support costs (7%)",
)
CATEGORY_WEIGHT = np.array([0.30, 0.08, 0.40, 0.22, 0.0, 0.0])
OVERHEAD_RATE = 0.07


def build_finance(seed: int, plan: Plan, fx: FxTable, block: int = 0) -> dict[str, pd.DataFrame]:
    """``budget_lines``, ``budget_revisions``, ``spending_plans``, ``expenditures``, funding tables."""
    rng = stream(seed, "finance", block)
    original_total = np.round(plan.budget_usd / fx.at(plan.currency, plan.start_month), -2)
    lines = _budget_lines(rng, plan, original_total)
    revisions, current, additions = _revisions(rng, plan, lines)
    has_plan = rng.random(plan.n) < 0.35
    shape = np.where(has_plan, rng.uniform(1.0, 1.25, plan.n), rng.uniform(0.9, 1.15, plan.n))
    project_current = np.bincount(lines["project"], weights=current, minlength=plan.n)
    plans = _spending_plans(plan, has_plan, shape, project_current)
    expenditures = _expenditures(stream(seed, "expenditures", block), plan, lines, current, has_plan, shape)
    agreements, donors, funds = _funding(stream(seed, "funding", block), plan, original_total, additions)
    line_frame = pd.DataFrame(
        {
            "id": lines["id"],
            "project_id": lines["project"] + 1,
            "line_code": lines["code"],
            "category": np.array(CATEGORIES, dtype=object)[lines["category"]],
            "description": np.array(LINE_DESCRIPTIONS, dtype=object)[lines["category"]],
            "currency": plan.currency[lines["project"]],
        }
    )
    return {
        "funding_agreements": agreements,
        "project_donors": donors,
        "budget_lines": line_frame,
        "budget_revisions": revisions,
        "expenditures": expenditures,
        "spending_plans": plans,
        "incoming_funds": funds,
    }


def _budget_lines(rng: np.random.Generator, plan: Plan, total: np.ndarray) -> dict:
    n = plan.n
    counts = np.column_stack(
        [
            rng.integers(1, 3, n),
            np.ones(n, int),
            rng.integers(1, 4, n),
            (rng.random(n) < 0.5).astype(int),
            (rng.random(n) < 0.96).astype(int),
            np.ones(n, int),
        ]
    )
    owner, pos = expand(counts.ravel())  # owner = project * 6 + category
    project, category = owner // 6, owner % 6
    me_share = np.where(rng.random(n) < 0.83, rng.uniform(0.03, 0.06, n), rng.uniform(0.008, 0.029, n))
    me_share = np.where(counts[:, 4] > 0, me_share, 0.0)
    overhead = total * OVERHEAD_RATE / (1 + OVERHEAD_RATE)
    other = total - overhead - me_share * total
    weight = CATEGORY_WEIGHT[category] / counts.ravel()[owner] * rng.uniform(0.7, 1.3, len(owner))
    weight_sum = np.bincount(project, weights=weight, minlength=n)
    amount = np.select(
        [category == 5, category == 4],
        [overhead[project], (me_share * total)[project]],
        other[project] * weight / np.where(weight_sum[project] > 0, weight_sum[project], 1),
    )
    amount = np.round(amount)
    codes = [f"{LINE_PREFIX[c]}-{k + 1}" if c != 5 else "OH" for c, k in zip(category, pos, strict=False)]
    return {
        "id": np.arange(1, len(owner) + 1),
        "project": project,
        "category": category,
        "code": np.array(codes, dtype=object),
        "amount": amount,
    }


def _revisions(rng: np.random.Generator, plan: Plan, lines: dict):
    """Original rows plus dated revisions applied in date order; returns current amounts too."""
    project, category, amount = lines["project"], lines["category"], lines["amount"].copy()
    n_lines = len(project)
    rows_line = [np.arange(n_lines)]
    rows_kind = [np.full(n_lines, "original", dtype=object)]
    rows_date = [np.full(n_lines, np.datetime64("NaT", "D"))]
    rows_amount = [amount.copy()]
    rows_note = [np.full(n_lines, None, dtype=object)]
    additions: list[tuple[int, np.datetime64, float]] = []

    started_days = (plan.today - plan.start).astype(int)
    last_day = np.minimum(plan.today - 7 * DAY, plan.effective_end)
    realloc = (plan.status != "pipeline") & (started_days > 120) & (rng.random(plan.n) < 0.20)
    extra = (plan.status != "pipeline") & (plan.elapsed > 0.3) & (rng.random(plan.n) < 0.10)
    extended = ~np.isnat(plan.extension_date)
    first_line = np.searchsorted(project, np.arange(plan.n))
    last_line = np.searchsorted(project, np.arange(plan.n), side="right")
    for i in np.flatnonzero(realloc | extra | extended):
        window = max(int((last_day[i] - plan.start[i]).astype(int)) - 60, 1)
        events = []
        if realloc[i]:
            events.append((plan.start[i] + (60 + rng.integers(0, window)) * DAY, "reallocation"))
        if extra[i]:
            events.append((plan.start[i] + (60 + rng.integers(0, window)) * DAY, "additional_funding"))
        if extended[i]:
            events.append((plan.extension_date[i], "no_cost_extension"))
        events.sort()
        for e in range(1, len(events)):  # one revision per line and date
            if events[e][0] <= events[e - 1][0]:
                events[e] = (events[e - 1][0] + DAY, events[e][1])
        span = np.arange(first_line[i], last_line[i])
        direct = span[category[span] < 4]
        for when, kind in events:
            if kind == "reallocation" and len(direct) >= 2:
                src, dst = rng.choice(direct, 2, replace=False)
                moved = np.round(amount[src] * rng.uniform(0.05, 0.15))
                amount[src] -= moved
                amount[dst] += moved
                changed = np.array([src, dst])
                note = f"Reallocation of {moved:,.0f} from {lines['code'][src]} to {lines['code'][dst]}"
            elif kind == "additional_funding":
                before = amount[span].sum()
                amount[span] = np.round(amount[span] * rng.uniform(1.1, 1.5))
                additions.append((i, when, float(amount[span].sum() - before)))
                changed = span
                note = "Additional funding from the donor"
            elif kind == "no_cost_extension":
                changed = span
                note = f"No-cost extension to {plan.revised_end[i]}"
            else:  # a reallocation needs two direct lines; this project has only one
                continue
            rows_line.append(changed)
            rows_kind.append(np.full(len(changed), kind, dtype=object))
            rows_date.append(np.full(len(changed), when))
            rows_amount.append(amount[changed].copy())
            rows_note.append(np.full(len(changed), note, dtype=object))
    line = np.concatenate(rows_line)
    order = np.lexsort((np.concatenate(rows_date).astype("datetime64[D]").astype(np.int64), line))
    frame = pd.DataFrame(
        {
            "budget_line_id": line[order] + 1,
            "kind": np.concatenate(rows_kind)[order],
            "revision_date": to_timestamps(np.concatenate(rows_date)[order]),
            "amount": np.concatenate(rows_amount)[order],
            "note": np.concatenate(rows_note)[order],
        }
    )
    frame.insert(0, "id", np.arange(1, len(frame) + 1))
    return frame, amount, additions


def _curve(x: np.ndarray, shape: np.ndarray) -> np.ndarray:
    """Cumulative share of a budget spent (or planned) after a share ``x`` of the months."""
    return np.clip(x, 0.0, 1.0) ** shape


def _spending_plans(plan: Plan, has_plan: np.ndarray, shape: np.ndarray, budget: np.ndarray) -> pd.DataFrame:
    projects = np.flatnonzero(has_plan)
    owner, j = expand(plan.months[projects])
    p = projects[owner]
    months = plan.months[p]
    amount = budget[p] * (_curve((j + 1) / months, shape[p]) - _curve(j / months, shape[p]))
    frame = pd.DataFrame(
        {
            "project_id": p + 1,
            "month": to_timestamps(month_first_day(plan.start_month[p] + j.astype("timedelta64[M]"))),
            "amount": np.round(amount, 2),
        }
    )
    frame.insert(0, "id", np.arange(1, len(frame) + 1))
    return frame


def _expenditures(rng, plan: Plan, lines: dict, current: np.ndarray, has_plan, shape) -> pd.DataFrame:
    """Monthly spending per line; burn at ``today`` ≈ spend_pace × planned burn (module doc)."""
    today_month = plan.today.astype("datetime64[M]")
    day_fraction = ((plan.today - month_first_day(today_month)).astype(int) + 1) / (
        (month_first_day(today_month + 1) - month_first_day(today_month)).astype(int)
    )
    months_done = (
        np.minimum(today_month, plan.start_month + (plan.months - 1).astype("timedelta64[M]")) - plan.start_month
    ).astype(int) + 1
    months_done = np.where(plan.started, np.maximum(months_done, 0), 0)
    ended = plan.effective_end < plan.today
    # share of the life of the project reached today, by months (current month pro rata)
    reached = np.where(ended, 1.0, (months_done - 1 + day_fraction) / plan.months)
    planned_share = np.where(has_plan, _curve(reached, shape), reached)
    actual_shape = shape  # spending follows the plan's curve; without a plan, its own pace
    # only overspenders (pace > 1) may pass 97% of the budget, and only the few projects picked
    # here are driven over budget: at least two, about 3.5% of the active projects past 60% of time
    target_burn = plan.spend_pace * planned_share
    target_burn = np.where(plan.spend_pace > 1, target_burn, np.minimum(target_burn, 0.97))
    eligible = np.flatnonzero((plan.status == "active") & (plan.elapsed > 0.6))
    over = rng.choice(eligible, size=min(len(eligible), max(2, round(0.035 * len(eligible)))), replace=False)
    target_burn[over] = rng.uniform(1.03, 1.2, len(over))
    multiplier = np.divide(target_burn, _curve(reached, actual_shape), out=np.zeros(plan.n), where=reached > 0)

    line_project = lines["project"]
    owner, j = expand(months_done[line_project])
    p = line_project[owner]
    months = plan.months[p]
    is_current = (plan.start_month[p] + j.astype("timedelta64[M]")) == today_month
    x_end = np.where(is_current, (j + day_fraction) / months, (j + 1) / months)
    delta = _curve(x_end, actual_shape[p]) - _curve(j / months, actual_shape[p])
    sigma = 0.25
    noise = np.exp(rng.normal(-(sigma**2) / 2, sigma, len(owner)))
    amount = current[owner] * multiplier[p] * delta * noise
    refund = rng.random(len(owner)) < 0.003
    amount = np.where(refund, -current[owner] * rng.uniform(0.002, 0.01, len(owner)), amount)
    frame = pd.DataFrame(
        {
            "budget_line_id": owner + 1,
            "month": to_timestamps(month_first_day(plan.start_month[p] + j.astype("timedelta64[M]"))),
            "amount": np.round(amount, 2),
            "currency": plan.currency[p],
        }
    )
    frame.insert(0, "id", np.arange(1, len(frame) + 1))
    return frame


def _funding(rng: np.random.Generator, plan: Plan, total: np.ndarray, additions) -> tuple[pd.DataFrame, ...]:
    """Funding agreements (1-3 donors per project, plus amendments), project donors, incoming funds."""
    n_donors = rng.choice([1, 2, 3], plan.n, p=[0.70, 0.22, 0.08])
    weights = np.array([d.weight for d in DONORS])
    earmark = np.array(["earmarked", "softly_earmarked", "unearmarked"], dtype=object)
    rows: list[tuple] = []  # (project, donor, reference, amount, earmarking, signed_on)
    signed = np.where(
        plan.status == "pipeline",
        np.where(rng.random(plan.n) < 0.5, plan.today - rng.integers(1, 60, plan.n) * DAY, np.datetime64("NaT", "D")),
        plan.start - rng.integers(10, 90, plan.n) * DAY,
    )
    year = plan.start.astype("datetime64[Y]").astype(int) + 1970
    for i in range(plan.n):
        others = [
            d for d in rng.choice(len(DONORS), 4, replace=False, p=weights / weights.sum()) if d != plan.lead_donor[i]
        ]
        donors = [plan.lead_donor[i], *others[: n_donors[i] - 1]]
        shares = rng.dirichlet([4.0] + [1.5] * (len(donors) - 1)) if len(donors) > 1 else np.ones(1)
        amounts = np.round(total[i] * shares, -2)
        amounts[0] += total[i] - amounts.sum()
        kind = earmark[rng.choice(3, p=[0.97, 0.02, 0.01])]
        for k, (d, a) in enumerate(zip(donors, amounts, strict=False)):
            rows.append((i, d, f"{plan.code[i]}/{year[i]}/{k + 1:02d}", a, kind, signed[i]))
    for i, when, amount in additions:
        rows.append(
            (
                i,
                plan.lead_donor[i],
                f"{plan.code[i]}/AMD/{str(when)[:7]}",
                np.round(amount, -2),
                "earmarked",
                when - 10 * DAY,
            )
        )
    rows.sort(key=lambda r: (r[0], r[5] if not np.isnat(r[5]) else plan.today))
    project = np.array([r[0] for r in rows])
    agreements = pd.DataFrame(
        {
            "id": np.arange(1, len(rows) + 1),
            "project_id": project + 1,
            "donor_id": np.array([r[1] for r in rows]) + 1,
            "reference": [r[2] for r in rows],
            "amount": np.array([r[3] for r in rows], float),
            "currency": plan.currency[project],
            "earmarking": [r[4] for r in rows],
            "signed_on": to_timestamps(np.array([r[5] for r in rows], dtype="datetime64[D]")),
        }
    )
    donors = agreements[["project_id", "donor_id"]].drop_duplicates().reset_index(drop=True)
    funds = _incoming(rng, plan, agreements)
    return agreements, donors, funds


def _incoming(rng: np.random.Generator, plan: Plan, agreements: pd.DataFrame) -> pd.DataFrame:
    """A commitment at signature, then 1-4 tranches over the project's life (only those received)."""
    signed = agreements["signed_on"].to_numpy().astype("datetime64[D]")
    p = agreements["project_id"].to_numpy() - 1
    ok = ~np.isnat(signed)
    a_idx = np.flatnonzero(ok)
    tranches = np.clip(plan.months[p[a_idx]] // 12 + 1, 1, 4)
    owner, k = expand(tranches)
    agreement = a_idx[owner]
    pp = p[agreement]
    spacing = (plan.months[pp] * 30.4 / tranches[owner]).astype(int)
    delay = np.where(rng.random(len(owner)) < 0.2, rng.integers(30, 120, len(owner)), rng.integers(0, 20, len(owner)))
    when = np.maximum(signed[agreement], plan.start[pp] - 10 * DAY) + (k * spacing + delay) * DAY
    first_share = np.where(tranches[owner] == 1, 1.0, 0.4)
    share = np.where(k == 0, first_share, (1 - first_share) / np.maximum(tranches[owner] - 1, 1))
    amount = np.round(agreements["amount"].to_numpy()[agreement] * share, 2)
    received = when <= plan.today
    commitment = pd.DataFrame(
        {
            "project_id": p[a_idx] + 1,
            "donor_id": agreements["donor_id"].to_numpy()[a_idx],
            "kind": "commitment",
            "date": signed[a_idx],
            "amount": agreements["amount"].to_numpy()[a_idx],
            "currency": agreements["currency"].to_numpy()[a_idx],
            "reference": agreements["reference"].to_numpy()[a_idx],
        }
    )
    incoming = pd.DataFrame(
        {
            "project_id": pp[received] + 1,
            "donor_id": agreements["donor_id"].to_numpy()[agreement][received],
            "kind": "incoming_funds",
            "date": when[received],
            "amount": amount[received],
            "currency": agreements["currency"].to_numpy()[agreement][received],
            "reference": agreements["reference"].to_numpy()[agreement][received],
        }
    )
    frame = pd.concat([commitment, incoming], ignore_index=True).sort_values(["project_id", "date"], kind="stable")
    frame["date"] = to_timestamps(frame["date"].to_numpy())
    frame = frame.reset_index(drop=True)
    frame.insert(0, "id", np.arange(1, len(frame) + 1))
    return frame
