"""Early-warning flags (DOMAIN.md section 5): one record per project and signal, with the numbers.

A flag is ``(project_id, project_code, code, severity, message, rule)``: ``message`` is a sentence
with the numbers that fired it ("spent 34% of budget with 71% of time elapsed"), ``rule`` the rule
with the thresholds of the settings in force, so a reader can check it by hand.

Flags are raised only for **active projects that have started** (status ``active``, start ≤ D).

Decisions where DOMAIN.md is silent (also in docs/flags.md):

* Every "for N days" threshold means *more than* N days: a 90-day rule fires on day 91. One reading
  for every flag, the same as INDICATORS_NO_DATA's "more than 30 days".
* ``INDICATORS_NO_DATA``: a target period (non-empty target) ending more than ``no_data_grace_days``
  before D with no current actual (number or text) whose period overlaps it. Overlap, not equal
  periods, because IATI publishes one target for the whole project against quarterly actuals.
* ``FORECAST_OVERSPEND`` (medium) is raised beside ``FORECAST_UNDERSPEND``: DOMAIN.md section 3
  flags forecast delivery above 100% too, although its flag table lists only the low side.
* ``ENDING_SOON_LOW_DELIVERY``: 0 ≤ days to the (revised) end ≤ ``ending_soon_days``, and burn
  or results progress below ``ending_soon_min_delivery``, as DOMAIN.md 5 writes it (other checks
  rely on that rule). It fires on projects that are on pace and on track too: a one-year project
  with six months left has a planned burn near 50%. That is DOMAIN's to change, not this module's
  (the case, with the sample portfolio's numbers, is in docs/flags.md). An unknown burn or results
  progress does not count as low (other flags report unknowns): a project whose spending is not
  reported fires on its results alone, and the message says "burn not reported".
* ``EXPENDITURE_NOT_REPORTED`` (medium): no expenditure row for any month starting on or before D
  (``expenditure_reported`` of :mod:`monitoring.finance`; a row of 0 is a report) once the first
  full calendar month after the start has ended, i.e. from the 1st of the month after the first
  month that starts on or after the start date (start 2024-01-01: from 2024-02-01; start
  2024-01-15: from 2024-03-01). One month of bookings is the least a finance system owes; before
  that an empty ledger is normal. Spending-based flags (UNDERSPENDING, OVERSPENDING, OVER_BUDGET,
  FORECAST_*, SPEND_AHEAD_OF_RESULTS, the burn half of ENDING_SOON_LOW_DELIVERY) never fire for such
  a project: its burn and forecast are unknown, not 0.
* ``HIGH_RISK_UNMITIGATED``: an **open** risk at level high with a blank mitigation, or not reviewed
  for more than ``risk_review_max_days`` before D; a risk never reviewed counts from the project's
  start (the register keeps no recording date), so a new project has 90 days to review it
  (:func:`monitoring.risks.unattended_high_risks`).
* ``NO_RECENT_MONITORING_VISIT``: a project is high-risk when it is in a high-risk context **or**
  has an open high risk. The clock starts at the later of the start date and the last visit on or
  before D, so a project is not flagged in its first ``monitoring_visit_max_days``. Both are
  :mod:`monitoring.visits`' (the Visits page uses the same).
* ``STALE_DATA``: the latest ``reported_on`` (the period end when the date of reporting is unknown)
  of any actual known on D; the clock starts at the start date when nothing was ever reported. Only
  for projects that have indicators: without any, NO_RESULTS_FRAMEWORK is the real message.
* ``PAST_END_DATE``: D more than ``past_end_grace_days`` after the revised end date (the end date
  when never revised). The other rules still run for such a project: it is active by its status,
  and the flag says the status, not the project, is what is wrong.
* ``GENDER_MARKER_MISSING``: no code in any gender scheme (IOM Gender Marker, IASC GAM, DAC gender).
* ``AAP_GAPS``: any of the five IASC commitments rated ``not_met`` or not assessed at all. ``partly``
  is progress, not a gap; it shows on the markers page.
* ``RECOMMENDATIONS_OVERDUE``: open or in progress on D (implemented only after D counts as open),
  and past its due date; an audit recommendation without a due date is due
  ``audit_recommendation_max_days`` after issue; an evaluation recommendation without a due date is
  never overdue (there is nothing to be past). The due date and "open on D" are
  :mod:`monitoring.recommendations`' (the register uses the same).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

import numpy as np
import pandas as pd

from monitoring.dates import date_text, date_texts
from monitoring.frames import PortfolioFrames
from monitoring.recommendations import due_dates, open_as_of
from monitoring.risks import unattended_high_risks
from monitoring.settings import Settings
from monitoring.visits import high_risk_reason, visit_clock
from reference.vocabulary import AAP_COMMITMENT_LABELS, AAP_COMMITMENTS, GENDER_SCHEMES

FLAG_COLUMNS = ("project_id", "project_code", "code", "severity", "message", "rule")
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
# columns of the per-project table (evaluate_portfolio's ``projects`` before flags) read here
PROJECT_COLUMNS = (
    "project_id",
    "project_code",
    "status",
    "start_date",
    "end_date",
    "revised_end_date",
    "high_risk_context",
    "currency",
    "budget",
    "spent",
    "burn",
    "elapsed",
    "planned_burn",
    "planned_basis",
    "burn_variance_pp",
    "burn_status",
    "expenditure_reported",
    "forecast",
    "forecast_delivery",
    "forecast_status",
    "me_share",
    "results_progress",
    "results_status",
    "results_vs_spend",
    "n_indicators",
    "n_assessable",
    "n_off_track",
    "n_indicators_with_issues",
    "n_risks",
    "n_high_open",
)


@dataclass(frozen=True)
class FlagContext:
    """What the rules read: eligible projects (indexed by project_id) and the raw frames."""

    projects: pd.DataFrame
    frames: PortfolioFrames
    scored_risks: pd.DataFrame
    day: pd.Timestamp
    settings: Settings

    def days_since(self, dates: pd.Series) -> pd.Series:
        return (self.day - pd.to_datetime(dates)).dt.days

    def mine(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Rows of a frame that belong to eligible projects."""
        return frame.loc[frame["project_id"].isin(self.projects.index)]


@dataclass(frozen=True)
class FlagRule:
    code: str
    severity: str
    rule: str  # formatted with the settings' fields
    fire: Callable[[FlagContext], pd.Series]  # project_id -> message, for the projects that fire


# ---- formatting ---------------------------------------------------------------------------------
def pct(share: float) -> str:
    return f"{share * 100:.0f}%"


def money(amount: float, currency: str) -> str:
    return f"{amount:,.0f} {currency}"


def _messages(rows: pd.DataFrame, make: Callable[[tuple], str]) -> pd.Series:
    """One message per row, ``make`` reading a named tuple (``r.burn``).

    Columns are added before rows are filtered everywhere in this module: ``assign`` on an *empty*
    frame adopts the assigned Series' index and would resurrect rows.
    """
    return pd.Series([make(r) for r in rows.itertuples()], index=rows.index, dtype=object)


def _listing(items: list[str], limit: int = 3) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _joined_by_project(project_ids, texts) -> dict:
    """project id → its texts in order; a plain loop over rows already sorted by project (a pandas
    groupby with a Python aggregate costs ~0.1 ms per group: seconds for 10,000 projects)."""
    return {
        pid: [t for _, t in group] for pid, group in groupby(zip(project_ids, texts, strict=False), key=itemgetter(0))
    }


def _per_project(rows: pd.DataFrame, item: Callable[[tuple], str] | pd.Series, lead: Callable[[int], str]) -> pd.Series:
    """One message per project: ``lead(n)`` then a short listing of its items (rows sorted by project).

    ``item`` makes each row's text, or is those texts already (a Series aligned on ``rows``).
    """
    if rows.empty:
        return pd.Series(dtype=object)
    texts = [item(r) for r in rows.itertuples()] if callable(item) else item.tolist()
    grouped = _joined_by_project(rows["project_id"].tolist(), texts)
    return pd.Series({pid: f"{lead(len(t))}: {_listing(t)}" for pid, t in grouped.items()}, dtype=object)


# ---- the rules ----------------------------------------------------------------------------------
def _results_off_track(ctx: FlagContext) -> pd.Series:
    return _messages(
        ctx.projects.loc[ctx.projects["results_status"] == "off_track"],
        lambda r: (
            f"{r.n_off_track:.0f} of {r.n_assessable:.0f} assessable indicators off track "
            f"({pct(r.n_off_track / r.n_assessable)}); results progress {pct(r.results_progress)}"
        ),
    )


def _overdue_target_periods(ctx: FlagContext) -> pd.DataFrame:
    """Target periods ended more than the grace period ago with no overlapping actual."""
    indicators = ctx.mine(ctx.frames.indicators)[["indicator_id", "project_id", "indicator_code"]]
    targets = ctx.frames.targets
    targets = targets.loc[targets["indicator_id"].isin(indicators["indicator_id"]) & targets["target"].notna()]
    # one resolution on both sides: merge_asof refuses keys of different datetime units
    targets = targets.assign(
        period_start=pd.to_datetime(targets["period_start"]).astype("datetime64[ns]"),
        period_end=pd.to_datetime(targets["period_end"]).astype("datetime64[ns]"),
    )
    targets = targets.loc[ctx.days_since(targets["period_end"]) > ctx.settings.no_data_grace_days]
    if targets.empty:
        return targets.assign(project_id=[], indicator_code=[])
    actuals = ctx.frames.actuals
    actuals = actuals.loc[
        actuals["indicator_id"].isin(targets["indicator_id"])
        & (actuals["value"].notna() | actuals["value_text"].notna())
    ]
    actuals = pd.DataFrame(
        {
            # the type of the targets' ids even with no actual (an empty read is an object column)
            "indicator_id": actuals["indicator_id"].to_numpy(dtype=targets["indicator_id"].dtype),
            "a_start": pd.to_datetime(actuals["period_start"]).to_numpy(dtype="datetime64[ns]"),
            "a_end": pd.to_datetime(actuals["period_end"]).to_numpy(dtype="datetime64[ns]"),
        }
    ).sort_values(["indicator_id", "a_start"])
    # latest end among actuals that start on or before each target's end: overlap iff >= its start
    actuals["reach"] = actuals.groupby("indicator_id")["a_end"].cummax()
    matched = pd.merge_asof(
        targets.sort_values("period_end"),
        actuals.sort_values("a_start")[["indicator_id", "a_start", "reach"]],
        left_on="period_end",
        right_on="a_start",
        by="indicator_id",
        direction="backward",
    )
    gaps = matched.loc[~(matched["reach"] >= matched["period_start"])]
    return gaps.merge(indicators, on="indicator_id").sort_values(["project_id", "indicator_code", "period_end"])


def _indicators_no_data(ctx: FlagContext) -> pd.Series:
    gaps = _overdue_target_periods(ctx).drop_duplicates("indicator_id", keep="last")  # sorted by project
    grace = ctx.settings.no_data_grace_days
    items = gaps["indicator_code"].astype(object) + " (period ending " + date_texts(gaps["period_end"]) + ")"
    return _per_project(
        gaps,
        items,
        lambda n: f"{n} indicator{'s' if n > 1 else ''} with no actual for a target period ended over {grace} days ago",
    )


def _planned_phrase(r: pd.Series) -> str:
    basis = "planned by the spending plan" if r.planned_basis == "plan" else "of time elapsed"
    return f"spent {pct(r.burn)} of budget with {pct(r.planned_burn)} {basis} ({r.burn_variance_pp:+.1f} pp)"


def _burn_status_rule(status: str) -> Callable[[FlagContext], pd.Series]:
    def fire(ctx: FlagContext) -> pd.Series:
        return _messages(ctx.projects.loc[ctx.projects["burn_status"] == status], _planned_phrase)

    return fire


def _over_budget(ctx: FlagContext) -> pd.Series:
    return _messages(
        ctx.projects.loc[ctx.projects["burn_status"] == "over_budget"],
        lambda r: f"spent {pct(r.burn)} of budget ({money(r.spent, r.currency)} of {money(r.budget, r.currency)})",
    )


def _forecast_rule(status: str, consequence: str) -> Callable[[FlagContext], pd.Series]:
    def fire(ctx: FlagContext) -> pd.Series:
        return _messages(
            ctx.projects.loc[ctx.projects["forecast_status"] == status],
            lambda r: (
                f"forecast at close {money(r.forecast, r.currency)} = {pct(r.forecast_delivery)} "
                f"of the {money(r.budget, r.currency)} budget: {consequence}"
            ),
        )

    return fire


def _spend_ahead_of_results(ctx: FlagContext) -> pd.Series:
    return _messages(
        ctx.projects.loc[ctx.projects["results_vs_spend"] == "spend_ahead_of_results"],
        lambda r: (
            f"spent {pct(r.burn)} of budget but results progress is {pct(r.results_progress)} "
            f"(gap {(r.burn - r.results_progress) * 100:.0f} pp)"
        ),
    )


def _ending_soon(ctx: FlagContext) -> pd.Series:
    p = ctx.projects
    end = pd.to_datetime(p["revised_end_date"]).fillna(pd.to_datetime(p["end_date"]))
    days_left = (end - ctx.day).dt.days
    low = ctx.settings.ending_soon_min_delivery
    # NaN compares False: an unknown burn or results progress is not "low" (docstring)
    fires = days_left.between(0, ctx.settings.ending_soon_days) & ((p["burn"] < low) | (p["results_progress"] < low))

    def text(share: float) -> str:
        return pct(share) if pd.notna(share) else "unknown"

    return _messages(
        p.assign(end=end, days_left=days_left).loc[fires],
        lambda r: (
            f"ends {date_text(r.end)} (in {r.days_left} days) with burn "
            f"{text(r.burn) if r.expenditure_reported else 'not reported'} "
            f"and results progress {text(r.results_progress)}"
        ),
    )


def _past_end_date(ctx: FlagContext) -> pd.Series:
    p = ctx.projects
    end = pd.to_datetime(p["revised_end_date"]).fillna(pd.to_datetime(p["end_date"]))
    days_past = (ctx.day - end).dt.days
    hit = p.assign(end=end, days_past=days_past).loc[days_past > ctx.settings.past_end_grace_days]
    return _messages(
        hit,
        lambda r: (
            f"{'revised ' if pd.notna(r.revised_end_date) else ''}end date {date_text(r.end)} "
            f"passed {r.days_past:,} days "
            "ago and the status is still active: close the project or record the extension"
        ),
    )


def _full_months_since_start(start: pd.Series, day: pd.Timestamp) -> pd.Series:
    """Calendar months that started on or after the start date and ended before D (the first is
    the start month itself when the project starts on the 1st)."""
    start = pd.to_datetime(start)
    first = start.dt.to_period("M").dt.to_timestamp()
    first = first.where(start == first, first + pd.DateOffset(months=1))
    return (day.year - first.dt.year) * 12 + (day.month - first.dt.month)


def _expenditure_not_reported(ctx: FlagContext) -> pd.Series:
    p = ctx.projects
    months = _full_months_since_start(p["start_date"], ctx.day)
    hit = p.assign(months=months).loc[~p["expenditure_reported"].astype(bool) & (months >= 1)]
    return _messages(
        hit,
        lambda r: (
            f"no expenditure reported in the {r.months} full month{'s' if r.months > 1 else ''} since the "
            f"start {date_text(r.start_date)}; budget "
            + (money(r.budget, r.currency) if pd.notna(r.budget) else "unknown")
        ),
    )


def _high_risk_unmitigated(ctx: FlagContext) -> pd.Series:
    hit = unattended_high_risks(ctx.mine(ctx.scored_risks), ctx.projects["start_date"], ctx.day, ctx.settings)
    return _per_project(
        hit.sort_values(["project_id", "score"], ascending=[True, False]),
        lambda r: f"{r.risk_code} (score {r.score:.0f}): {r.why}",
        lambda n: f"{n} high risk{'s' if n > 1 else ''} unmitigated or unreviewed",
    )


def _no_risk_register(ctx: FlagContext) -> pd.Series:
    hit = ctx.projects.loc[ctx.projects["n_risks"] == 0]
    return pd.Series("no risks recorded in the risk register", index=hit.index, dtype=object)


def _me_budget_low(ctx: FlagContext) -> pd.Series:
    minimum = ctx.settings.me_budget_min_share
    return _messages(
        ctx.projects.loc[ctx.projects["me_share"] < minimum],
        lambda r: (
            f"monitoring & evaluation lines are {r.me_share * 100:.1f}% of the budget (minimum {minimum * 100:g}%)"
        ),
    )


def _no_results_framework(ctx: FlagContext) -> pd.Series:
    p = ctx.projects
    age = ctx.days_since(p["start_date"])
    due = ctx.settings.results_framework_due_days
    hit = p.assign(age=age).loc[(p["n_indicators"] == 0) & (age > due)]
    return _messages(
        hit,
        lambda r: (
            f"no indicators {r.age} days after the start {date_text(r.start_date)} "
            f"(results monitoring framework due within {due} days)"
        ),
    )


def _no_recent_visit(ctx: FlagContext) -> pd.Series:
    p = ctx.projects
    why = high_risk_reason(p)
    clock = visit_clock(p, ctx.mine(ctx.frames.visits), ctx.day)
    limit = ctx.settings.monitoring_visit_max_days
    hit = p.assign(last_visit=clock["last_visit"], age=clock["days_since"], why=why).loc[
        why.notna() & (clock["days_since"] > limit)
    ]
    return _messages(
        hit,
        lambda r: (
            f"high-risk project ({r.why}) with no monitoring visit "
            + (
                f"since {date_text(r.last_visit)}"
                if pd.notna(r.last_visit)
                else f"since the start {date_text(r.start_date)}"
            )
            + f" ({r.age} days; at most {limit})"
        ),
    )


def _stale_data(ctx: FlagContext) -> pd.Series:
    p = ctx.projects.loc[ctx.projects["n_indicators"] > 0]
    indicators = ctx.mine(ctx.frames.indicators)[["indicator_id", "project_id"]]
    actuals = ctx.frames.actuals
    actuals = actuals.loc[actuals["indicator_id"].isin(indicators["indicator_id"])]
    when = pd.to_datetime(actuals["reported_on"]).fillna(pd.to_datetime(actuals["period_end"]))
    project_of = actuals["indicator_id"].map(indicators.set_index("indicator_id")["project_id"])
    last = when.loc[when <= ctx.day].groupby(project_of).max().reindex(p.index)
    age = ctx.days_since(last.fillna(pd.to_datetime(p["start_date"])))
    limit = ctx.settings.stale_data_days
    hit = p.assign(last=last, age=age).loc[age > limit]
    return _messages(
        hit,
        lambda r: (
            (
                f"nothing reported since {date_text(r.last)}"
                if pd.notna(r.last)
                else f"nothing ever reported since the start {date_text(r.start_date)}"
            )
            + f" ({r.age} days; at most {limit})"
        ),
    )


def _data_quality(ctx: FlagContext) -> pd.Series:
    p = ctx.projects
    share = p["n_indicators_with_issues"] / p["n_indicators"].where(p["n_indicators"] > 0)
    limit = ctx.settings.data_quality_max_share
    return _messages(
        p.assign(share=share).loc[share > limit],
        lambda r: (
            f"data-quality issues on {r.n_indicators_with_issues:.0f} of {r.n_indicators:.0f} "
            f"indicators ({pct(r.share)}; at most {pct(limit)})"
        ),
    )


def _gender_marker_missing(ctx: FlagContext) -> pd.Series:
    markers = ctx.mine(ctx.frames.markers)
    coded = markers.loc[markers["scheme"].isin(GENDER_SCHEMES) & markers["code"].notna(), "project_id"]
    hit = ctx.projects.index[~ctx.projects.index.isin(coded)]
    return pd.Series(
        "no gender marker recorded (IOM Gender Marker, IASC GAM or OECD-DAC gender)", index=hit, dtype=object
    )


def _names(mask: pd.DataFrame) -> pd.Series:
    """Per row, the names of the AAP commitments whose cell is True, in the IASC order, joined by
    '; ' (one name, "Design, monitoring and evaluation", has a comma of its own)."""
    out = pd.Series("", index=mask.index, dtype=object)
    for commitment in AAP_COMMITMENTS:
        hit, name = mask[commitment].to_numpy(), AAP_COMMITMENT_LABELS[commitment]
        out = out.where(~hit, np.where(out == "", name, out + "; " + name))
    return out


def _aap_gaps(ctx: FlagContext) -> pd.Series:
    aap = ctx.mine(ctx.frames.aap)
    rated = aap.drop_duplicates(["project_id", "commitment"], keep="last").pivot(
        index="project_id", columns="commitment", values="rating"
    )
    rated = rated.reindex(index=ctx.projects.index, columns=list(AAP_COMMITMENTS))
    not_met, missing = _names(rated.eq("not_met")), _names(rated.isna())
    parts = pd.DataFrame({"not met: ": not_met, "not assessed: ": missing})
    text = pd.Series("", index=rated.index, dtype=object)
    for label, names in parts.items():
        text = text.where(names == "", np.where(text == "", label + names, text + ". " + label.capitalize() + names))
    hit = text != ""
    return ("AAP commitments " + text[hit]).astype(object)


def _recommendations_overdue(ctx: FlagContext) -> pd.Series:
    recs = ctx.mine(ctx.frames.recommendations)
    recs = recs.loc[open_as_of(recs, ctx.day)]
    due = due_dates(recs, ctx.settings)
    hit = recs.assign(due=due["due"], implicit=due["by_audit_rule"]).loc[due["due"] < ctx.day]
    return _per_project(
        hit.sort_values(["project_id", "due"]),
        lambda r: (
            f"{r.recommendation_code} ("
            + (f"audit issued {date_text(r.issued_on)}, no due date" if r.implicit else f"due {date_text(r.due)}")
            + ")"
        ),
        lambda n: f"{n} recommendation{'s' if n > 1 else ''} open past the due date",
    )


RULES: tuple[FlagRule, ...] = (
    FlagRule(
        "RESULTS_OFF_TRACK",
        "high",
        "at least {project_off_track_share:.0%} of the assessable indicators off track",
        _results_off_track,
    ),
    FlagRule(
        "INDICATORS_NO_DATA",
        "medium",
        "a target period ended more than {no_data_grace_days} days before the as-of date with no actual",
        _indicators_no_data,
    ),
    FlagRule(
        "UNDERSPENDING",
        "medium",
        "burn − planned burn < {underspending_below_pp:g} pp",
        _burn_status_rule("underspending"),
    ),
    FlagRule(
        "OVERSPENDING", "high", "burn − planned burn > {overspending_above_pp:g} pp", _burn_status_rule("overspending")
    ),
    FlagRule("OVER_BUDGET", "high", "expenditure to date > 100% of the current budget", _over_budget),
    FlagRule(
        "FORECAST_UNDERSPEND",
        "medium",
        "forecast at close < {forecast_low_below:.0%} of budget",
        _forecast_rule("underspend", "funds likely returned to the donor"),
    ),
    FlagRule(
        "FORECAST_OVERSPEND",
        "medium",
        "forecast at close > {forecast_high_above:.0%} of budget",
        _forecast_rule("overspend", "the budget will not cover the spending at this pace"),
    ),
    FlagRule(
        "EXPENDITURE_NOT_REPORTED",
        "medium",
        "no expenditure recorded for any month up to the as-of date once the first full calendar month "
        "after the start has ended",
        _expenditure_not_reported,
    ),
    FlagRule(
        "SPEND_AHEAD_OF_RESULTS",
        "high",
        "burn − results progress > {results_vs_spend_gap_pp:g} pp",
        _spend_ahead_of_results,
    ),
    FlagRule(
        "ENDING_SOON_LOW_DELIVERY",
        "high",
        "(revised) end within {ending_soon_days} days and burn or results progress < {ending_soon_min_delivery:.0%}",
        _ending_soon,
    ),
    FlagRule(
        "HIGH_RISK_UNMITIGATED",
        "high",
        "an open risk scored ≥ {risk_high_min} with no mitigation or not reviewed for more than "
        "{risk_review_max_days} days (never reviewed: since the start)",
        _high_risk_unmitigated,
    ),
    FlagRule("NO_RISK_REGISTER", "medium", "no risks recorded", _no_risk_register),
    FlagRule("ME_BUDGET_LOW", "low", "M&E budget lines < {me_budget_min_share:.0%} of the budget", _me_budget_low),
    FlagRule(
        "NO_RESULTS_FRAMEWORK",
        "medium",
        "no indicators more than {results_framework_due_days} days after the start",
        _no_results_framework,
    ),
    FlagRule(
        "NO_RECENT_MONITORING_VISIT",
        "medium",
        "high-risk project (high-risk context or open high risk) with no monitoring visit for more "
        "than {monitoring_visit_max_days} days",
        _no_recent_visit,
    ),
    FlagRule(
        "PAST_END_DATE",
        "medium",
        "status still active more than {past_end_grace_days} days after the (revised) end date",
        _past_end_date,
    ),
    FlagRule("STALE_DATA", "medium", "no actual reported for more than {stale_data_days} days", _stale_data),
    FlagRule(
        "DATA_QUALITY",
        "low",
        "data-quality issues on more than {data_quality_max_share:.0%} of the indicators",
        _data_quality,
    ),
    FlagRule("GENDER_MARKER_MISSING", "low", "no gender marker in any scheme", _gender_marker_missing),
    FlagRule("AAP_GAPS", "low", "an AAP commitment rated not met or not assessed", _aap_gaps),
    FlagRule(
        "RECOMMENDATIONS_OVERDUE",
        "medium",
        "an evaluation or audit recommendation open past its due date (audit without a due date: "
        "{audit_recommendation_max_days} days after issue)",
        _recommendations_overdue,
    ),
)
FLAG_CODES = tuple(rule.code for rule in RULES)


def _plain_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as Python objects: messages read rows one by one, and iterating pandas' Arrow
    strings element by element is an order of magnitude slower than plain objects."""
    text = [c for c in frame.columns if pd.api.types.is_string_dtype(frame[c].dtype)]
    return frame.astype({c: object for c in text}) if text else frame


def eligible(projects: pd.DataFrame, as_of: dt.date) -> pd.Series:
    """Active projects that have started on or before the as-of date."""
    started = pd.to_datetime(projects["start_date"]) <= pd.Timestamp(as_of)
    return (projects["status"].astype(object) == "active") & started


def project_flags(
    projects: pd.DataFrame,
    frames: PortfolioFrames,
    scored_risks: pd.DataFrame,
    as_of: dt.date,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """Every flag raised on D, sorted by project code, severity and code (columns ``FLAG_COLUMNS``).

    ``projects`` is the per-project table (columns ``PROJECT_COLUMNS``: identity, finance, results
    counts), ``frames`` the raw rows the rules look into (targets, actuals, visits, markers...),
    ``scored_risks`` the register with score and level (:func:`monitoring.risks.score_risks`).
    """
    settings = settings or Settings()
    missing = [c for c in PROJECT_COLUMNS if c not in projects.columns]
    if missing:
        raise ValueError(f"project table lacks columns {missing}")
    ctx = FlagContext(
        projects=_plain_strings(projects.loc[eligible(projects, as_of), list(PROJECT_COLUMNS)]).set_index("project_id"),
        frames=frames,
        scored_risks=scored_risks,
        day=pd.Timestamp(as_of),
        settings=settings,
    )
    parts = []
    for rule in RULES:
        messages = rule.fire(ctx)
        if len(messages):
            parts.append(
                pd.DataFrame(
                    {
                        "project_id": messages.index.to_numpy(),
                        "code": rule.code,
                        "severity": rule.severity,
                        "message": messages.to_numpy(),
                        "rule": rule.rule.format(**vars(settings)),
                    }
                )
            )
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in FLAG_COLUMNS})
    flags = pd.concat(parts, ignore_index=True)
    flags["project_code"] = flags["project_id"].map(ctx.projects["project_code"])
    flags["_sev"] = flags["severity"].map(SEVERITY_ORDER)
    flags = flags.sort_values(["project_code", "_sev", "code"], kind="stable").drop(columns="_sev")
    return flags[list(FLAG_COLUMNS)].reset_index(drop=True)


def flag_summary(flags: pd.DataFrame, project_ids: pd.Series) -> pd.DataFrame:
    """Per project: ``flags`` (codes sorted, joined by ';', '' when none) and ``n_flags_high``."""
    index = pd.Index(pd.unique(project_ids), name="project_id")
    ordered = flags.sort_values(["project_id", "code"], kind="stable")
    grouped = _joined_by_project(ordered["project_id"].tolist(), ordered["code"].tolist())
    codes = pd.Series({pid: ";".join(c) for pid, c in grouped.items()}, dtype=object)
    high = (flags["severity"] == "high").groupby(flags["project_id"]).sum()
    return pd.DataFrame(
        {
            "flags": codes.reindex(index, fill_value="").astype(object),
            "n_flags_high": high.reindex(index, fill_value=0).astype(int),
        },
        index=index,
    ).reset_index()
