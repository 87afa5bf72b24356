"""Money as of a date (DOMAIN.md section 3): budget, spending, burn against plan, forecast at close.

Every figure is per project in **the project's own currency**; USD columns exist only for portfolio
totals (:mod:`monitoring.fx`, one rate per currency per as-of date). Decisions a reader should know:

* **Budget** is the sum of the project's current budget lines (the query already picked each line's
  latest revision on or before the as-of date). A line in another currency is converted through USD;
  when a rate is missing the budget is ``NaN`` and ``finance_note`` names the currency, never a
  partial sum. A project with no budget lines has an unknown (``NaN``) budget, not a zero one.
* **Spent to date** counts every month starting on or before D (the month of D counts in full, as
  booked so far). Negative amounts are refunds or reversals and are netted, not dropped.
* **Expenditure reported** (``expenditure_reported``) = the project has at least one expenditure row
  for a month starting on or before D, whatever its amount (a row of 0 is a report of nothing
  spent) or currency. Without one, spending is *not reported*, not zero: an IATI activity that
  publishes budgets but no disbursement or expenditure transaction says nothing about its spending.
  Spent (and its USD), burn, burn variance, average monthly spend, forecast and forecast delivery
  are then ``NaN`` and both statuses ``not_reported`` (after the start date; before it they stay
  ``not_started``, since nothing is due). Rows of later months do not count: they were not known on
  D, and the same window decides what is spent to date.
* **Burn** = spent ÷ budget. A zero or unknown budget makes burn ``NaN`` and the burn status
  ``undefined`` (a data-quality issue, never a division error).
* **Elapsed** = (D − start) ÷ (end − start) in days with the revised end date when there is one,
  clipped to [0, 1] (:func:`monitoring.dates.elapsed_share`, the formula of indicators' expected
  progress too).
* **Planned burn** is the cumulative share of the spending plan (plan months starting on or before D
  ÷ the whole plan) when the project has a plan with a positive total, else elapsed time. The plan
  gives the *shape* of spending; dividing by its own total (not by the budget) keeps it meaningful
  after a budget revision that did not re-phase the plan. Before the start date it is 0, after the
  (revised) end date 1, whatever the plan says. ``planned_basis`` says which was used.
* **Burn status** (:data:`BURN_STATUSES`): ``over_budget`` when burn > 100%, else ``not_started``
  before the start date (nothing is planned to be spent yet, so "on pace" would be a finding the
  data cannot make; spending above the whole budget is reported whatever the date), else
  ``not_reported`` without any expenditure row, else ``undefined`` without a usable budget,
  ``underspending`` below ``underspending_below_pp``, ``overspending`` above
  ``overspending_above_pp``, ``on_pace`` between.
* **Average monthly spend** = spending in the last ``forecast_months`` calendar months that start on
  or before D (the month of D included, as DOMAIN.md says), divided by the number of those months
  the project has run (its start month on; at least 1, at most ``forecast_months``), as DOMAIN.md 3
  states it: counting months before the start as zero spending would forecast every project in its
  first quarter to return a third or more of its funds, a false FORECAST_UNDERSPEND on nearly every
  new project, so a project one month old is averaged over that one month.
* **Months remaining** = days from D to the (revised) end date ÷ 30.4375 (the mean month), 0 once
  ended, so **forecast at close** = spent + average × months remaining equals spent after the end.
* **Forecast status** (:data:`FORECAST_STATUSES`) is ``not_started`` before the start date (no
  spending history to extrapolate: forecast and forecast delivery are then ``NaN``, not a forecast
  of 0), ``not_reported`` without any expenditure row, ``undefined`` for an unknown or zero budget;
  otherwise ``underspend`` below ``forecast_low_below``,
  ``overspend`` above ``forecast_high_above``, ``on_target`` between.
* ``missing_rates`` lists (';'-joined) every currency of the project that had no rate on or before
  D — of a budget line, of spending, or the project's own currency for the USD columns — so
  portfolio totals can say which projects they exclude and why.
* **Money at stake** (:func:`money_at_stake`, the order of every list of problems after severity) =
  the USD budget not yet spent (budget − spent, at least 0), or the whole USD budget when spending is
  not reported (unknown spending puts all of it at stake); unknown (``NaN``) without a USD budget.
* **M&E share** = ``monitoring_evaluation`` lines ÷ budget, ``None`` when every line of the budget
  has the same category (e.g. an IATI budget imported as totals per period): the share cannot be
  known, and reporting 0% would raise a false ME_BUDGET_LOW.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from monitoring.dates import date_text, elapsed_share
from monitoring.fx import convert, rates_as_of, to_usd
from monitoring.indicators import TOLERANCE
from monitoring.settings import Settings

DAYS_PER_MONTH = 30.4375
ME_CATEGORY = "monitoring_evaluation"

FINANCE_COLUMNS = (
    "project_id",
    "currency",
    "budget",
    "expenditure_reported",
    "spent",
    "budget_usd",
    "spent_usd",
    "burn",
    "elapsed",
    "planned_burn",
    "planned_basis",
    "burn_variance_pp",
    "burn_status",
    "avg_monthly_spend",
    "months_remaining",
    "forecast",
    "forecast_delivery",
    "forecast_status",
    "me_share",
    "missing_rates",
    "finance_note",
)
# every value of the burn_status and forecast_status columns (each has a badge in components.badges)
BURN_STATUSES = ("on_pace", "underspending", "overspending", "over_budget", "not_started", "not_reported", "undefined")
FORECAST_STATUSES = ("on_target", "underspend", "overspend", "not_started", "not_reported", "undefined")


def months_in(days: float) -> float:
    """``days`` as mean months of 30.4375 days (365.25 / 12), the unit of months remaining."""
    return days / DAYS_PER_MONTH


def burn_status_counts(burn_status: pd.Series) -> dict[str, int]:
    """How many projects have each burn status (every value of :data:`BURN_STATUSES`, 0 when none),
    plus ``over_plan_or_budget`` = overspending + over budget: the Finance page's cards."""
    counts = {status: int((burn_status == status).sum()) for status in BURN_STATUSES}
    return {**counts, "over_plan_or_budget": counts["overspending"] + counts["over_budget"]}


# ---- dates ------------------------------------------------------------------------------------
def project_dates(projects: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Start and effective end (revised end date when there is one) as timestamps."""
    start = pd.to_datetime(projects["start_date"])
    end = pd.to_datetime(projects["revised_end_date"]).fillna(pd.to_datetime(projects["end_date"]))
    return start, end


def month_start(values: pd.Series) -> pd.Series:
    """First day of the month of each date (expenditure and plan months)."""
    return pd.to_datetime(values).dt.to_period("M").dt.to_timestamp()


# ---- amounts in the project's currency ----------------------------------------------------------
def _in_project_currency(
    rows: pd.DataFrame, currency_of: pd.Series, fx_rates: pd.DataFrame, as_of: dt.date
) -> pd.DataFrame:
    """``rows`` (project_id, amount, currency) with ``amount_pc`` in the project's currency.

    ``missing`` holds the row's currency when it could not be converted (no rate), else ``None``.
    """
    target = rows["project_id"].map(currency_of).astype(object)
    source = rows["currency"].astype(object)
    amount_pc, _ = convert(rows["amount"], source, target, fx_rates, as_of)
    known = rates_as_of(fx_rates, as_of).index
    failed = amount_pc.isna() & rows["amount"].notna()
    missing = source.where(~source.isin(known), target).where(failed, None)
    return rows.assign(amount_pc=amount_pc, missing=missing)


def _missing_note(rows: pd.DataFrame, what: str, as_of: dt.date) -> pd.Series:
    """Per project: 'no exchange rate for XOF on or before D (budget)' when a conversion failed."""
    bad = rows.dropna(subset=["missing"])
    if bad.empty:
        return pd.Series(dtype=object)
    day = date_text(as_of)
    return bad.groupby("project_id")["missing"].agg(
        lambda cur: f"no exchange rate for {', '.join(sorted(set(cur)))} on or before {day} ({what})"
    )


def _sum_by_project(rows: pd.DataFrame, index: pd.Index) -> pd.Series:
    """Sum of ``amount_pc`` per project (0 without rows); ``NaN`` with any unconvertible row."""
    total = rows.groupby("project_id")["amount_pc"].sum().reindex(index, fill_value=0.0).astype(float)
    unconvertible = rows.loc[rows["missing"].notna(), "project_id"].unique()
    return total.where(~total.index.isin(unconvertible))


# ---- statuses ---------------------------------------------------------------------------------
def burn_status(
    burn: pd.Series, variance_pp: pd.Series, started: pd.Series, reported: pd.Series, settings: Settings
) -> pd.Series:
    """underspending / on_pace / overspending / over_budget, ``undefined`` when burn is unknown,
    ``not_started`` before the start date (``started`` False) unless already over budget,
    ``not_reported`` after it when the project has no expenditure row (``reported`` False).

    Thresholds allow ``TOLERANCE`` of binary rounding (as indicator statuses do): spending exactly
    the budget, summed in another order, must not read as over budget.
    """
    return pd.Series(
        np.select(
            [
                burn > 1.0 + TOLERANCE,
                ~started.to_numpy(dtype=bool),
                ~reported.to_numpy(dtype=bool),
                burn.isna(),
                variance_pp < settings.underspending_below_pp - TOLERANCE * 100,
                variance_pp > settings.overspending_above_pp + TOLERANCE * 100,
            ],
            ["over_budget", "not_started", "not_reported", "undefined", "underspending", "overspending"],
            default="on_pace",
        ),
        index=burn.index,
        dtype=object,
    )


def forecast_status(delivery: pd.Series, started: pd.Series, reported: pd.Series, settings: Settings) -> pd.Series:
    """underspend / on_target / overspend; ``not_started`` before the start, ``not_reported`` without
    any expenditure row, ``undefined`` without a budget."""
    return pd.Series(
        np.select(
            [
                ~started.to_numpy(dtype=bool),
                ~reported.to_numpy(dtype=bool),
                delivery.isna(),
                delivery < settings.forecast_low_below - TOLERANCE,
                delivery > settings.forecast_high_above + TOLERANCE,
            ],
            ["not_started", "not_reported", "undefined", "underspend", "overspend"],
            default="on_target",
        ),
        index=delivery.index,
        dtype=object,
    )


def results_vs_spend(burn: pd.Series, results_progress: pd.Series, settings: Settings) -> pd.Series:
    """spend_ahead_of_results / results_ahead_of_spend / balanced, ``None`` unless both are known.

    Burn and results progress are both shares in [0, 1]; the gap is compared in percentage points
    with ``results_vs_spend_gap_pp`` (strictly greater fires).
    """
    gap_pp = (burn.astype(float) - results_progress.astype(float)) * 100.0
    limit = settings.results_vs_spend_gap_pp
    out = np.select(
        [gap_pp.isna(), gap_pp > limit, gap_pp < -limit],
        [None, "spend_ahead_of_results", "results_ahead_of_spend"],
        default="balanced",
    )
    return pd.Series(out, index=burn.index, dtype=object)


# ---- the per-project table ----------------------------------------------------------------------
def _planned_burn(
    spending_plans: pd.DataFrame, index: pd.Index, elapsed: pd.Series, day: pd.Timestamp
) -> tuple[pd.Series, pd.Series]:
    """Cumulative plan share to date where a plan with a positive total exists, else elapsed."""
    plans = spending_plans.loc[spending_plans["project_id"].isin(index), ["project_id", "month", "amount"]]
    months = month_start(plans["month"])
    amount = plans["amount"].astype(float)
    total = amount.groupby(plans["project_id"]).sum()
    to_date = amount.where(months <= day, 0.0).groupby(plans["project_id"]).sum()
    share = (to_date / total.where(total > 0)).reindex(index)
    has_plan = share.notna()
    planned = share.where(has_plan, elapsed)
    basis = pd.Series(np.where(has_plan, "plan", "elapsed"), index=index, dtype=object)
    return planned, basis


def project_finance(
    projects: pd.DataFrame,
    budget_lines: pd.DataFrame,
    expenditures: pd.DataFrame,
    spending_plans: pd.DataFrame,
    fx_rates: pd.DataFrame,
    as_of: dt.date,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """One row per project with every money figure of DOMAIN.md section 3 (columns ``FINANCE_COLUMNS``)."""
    settings = settings or Settings()
    day = pd.Timestamp(as_of)
    p = projects.drop_duplicates("project_id").set_index("project_id")
    index = p.index
    currency_of = p["currency"].astype(object)
    start, end = project_dates(p)

    lines = _in_project_currency(budget_lines.loc[budget_lines["project_id"].isin(index)], currency_of, fx_rates, as_of)
    has_lines = pd.Series(index.isin(lines["project_id"]), index=index)
    budget = _sum_by_project(lines, index).where(has_lines)

    spend = expenditures.loc[expenditures["project_id"].isin(index)]
    spend = spend.assign(month=month_start(spend["month"]))
    spend = _in_project_currency(spend.loc[spend["month"] <= day], currency_of, fx_rates, as_of)
    reported = pd.Series(index.isin(spend["project_id"]), index=index)
    spent = _sum_by_project(spend, index).where(reported)
    window_start = day.to_period("M").to_timestamp() - pd.DateOffset(months=settings.forecast_months - 1)
    recent = _sum_by_project(spend.loc[spend["month"] >= window_start], index).where(spent.notna())

    valid_budget = budget.where(budget > 0)
    burn = spent / valid_budget
    elapsed = pd.Series(elapsed_share(as_of, start, end), index=index, dtype="float64")
    planned, basis = _planned_burn(spending_plans, index, elapsed, day)
    planned = planned.where(day >= start, 0.0).where(day <= end, 1.0)
    variance_pp = (burn - planned) * 100.0

    months_run = (day.year - start.dt.year) * 12 + (day.month - start.dt.month) + 1
    avg = recent / months_run.clip(lower=1, upper=settings.forecast_months)
    months_remaining = ((end - day).dt.days.clip(lower=0)).astype(float) / DAYS_PER_MONTH
    started = day >= start
    forecast = (spent + avg * months_remaining).where(started)
    delivery = forecast / valid_budget

    me = lines.loc[lines["category"] == ME_CATEGORY].groupby("project_id")["amount_pc"].sum()
    n_categories = lines.groupby("project_id")["category"].nunique().reindex(index).fillna(0)
    me_share = (me.reindex(index).fillna(0.0) / valid_budget).where(n_categories > 1)

    budget_usd, _ = to_usd(budget, currency_of, fx_rates, as_of)
    spent_usd, _ = to_usd(spent, currency_of, fx_rates, as_of)
    no_usd_rate = pd.Series(
        currency_of.where(~currency_of.isin(rates_as_of(fx_rates, as_of).index)), index=index
    ).dropna()
    missing_rates = (
        pd.concat([lines.set_index("project_id")["missing"], spend.set_index("project_id")["missing"], no_usd_rate])
        .dropna()
        .groupby(level=0)
        .agg(lambda cur: ";".join(sorted(set(cur))))
        .reindex(index)
    )

    notes = pd.concat(
        [
            _missing_note(lines, "budget", as_of),
            _missing_note(spend, "expenditure", as_of),
            pd.Series("no budget lines", index=index[~has_lines.to_numpy()], dtype=object),
            pd.Series("budget is 0", index=index[(budget == 0).to_numpy()], dtype=object),
        ]
    )
    note = (
        notes.groupby(level=0).agg("; ".join).reindex(index)
        if len(notes)
        else pd.Series(None, index=index, dtype=object)
    )

    out = pd.DataFrame(
        {
            "currency": currency_of,
            "budget": budget,
            "expenditure_reported": reported,
            "spent": spent,
            "budget_usd": budget_usd,
            "spent_usd": spent_usd,
            "burn": burn,
            "elapsed": elapsed,
            "planned_burn": planned,
            "planned_basis": basis,
            "burn_variance_pp": variance_pp,
            "burn_status": burn_status(burn, variance_pp, started, reported, settings),
            "avg_monthly_spend": avg,
            "months_remaining": months_remaining,
            "forecast": forecast,
            "forecast_delivery": delivery,
            "forecast_status": forecast_status(delivery, started, reported, settings),
            "me_share": me_share,
            "missing_rates": missing_rates.astype(object).where(missing_rates.notna(), None),
            "finance_note": note.astype(object).where(note.notna(), None),
        },
        index=index,
    )
    return out.rename_axis("project_id").reset_index()[list(FINANCE_COLUMNS)]


# ---- the S-curve of one project -----------------------------------------------------------------
def spending_curve(
    project_id: int,
    projects: pd.DataFrame,
    budget_lines: pd.DataFrame,
    expenditures: pd.DataFrame,
    spending_plans: pd.DataFrame,
    fx_rates: pd.DataFrame,
    as_of: dt.date,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """Monthly cumulative series for the project page's S-curve, in the project's currency.

    One row per calendar month from the start month to the (revised) end month; each value is as at
    the **end** of that month: ``actual`` (cumulative spending; only up to the month of D),
    ``plan`` (budget × cumulative plan share; ``NaN`` without a plan), ``time`` (budget × elapsed:
    the straight line), ``forecast`` (from the month of D to the end: spent + average monthly spend
    × months from D, reaching the forecast at close in the last month). Budget unknown → plan and
    time are ``NaN``; no expenditure reported → actual and forecast are ``NaN`` (unknown, not 0).
    """
    settings = settings or Settings()
    day = pd.Timestamp(as_of)
    mine = {
        name: frame.loc[frame["project_id"] == project_id]
        for name, frame in (
            ("projects", projects),
            ("budget_lines", budget_lines),
            ("expenditures", expenditures),
            ("spending_plans", spending_plans),
        )
    }
    if mine["projects"].empty:
        raise KeyError(f"project {project_id} is not in the frame")
    fin = project_finance(
        mine["projects"],
        mine["budget_lines"],
        mine["expenditures"],
        mine["spending_plans"],
        fx_rates,
        as_of,
        settings,
    ).iloc[0]
    start, end = (s.iloc[0] for s in project_dates(mine["projects"]))
    months = pd.date_range(start.to_period("M").to_timestamp(), end.to_period("M").to_timestamp(), freq="MS")
    month_end = months + pd.offsets.MonthEnd(0)
    # clip each month end to the project's dates so the first and last points are exact
    at = month_end.where(month_end <= end, end)

    spend = mine["expenditures"].assign(month=month_start(mine["expenditures"]["month"]))
    spend = _in_project_currency(spend, mine["projects"].set_index("project_id")["currency"], fx_rates, as_of)
    monthly = spend.groupby("month")["amount_pc"].sum().reindex(months, fill_value=0.0)
    # spending booked before the start month still counts in the first point
    early = spend.loc[spend["month"] < months[0], "amount_pc"].sum()
    actual = monthly.cumsum() + early
    # the future is not drawn, nor a line of zeros for spending never reported
    actual[(months > day) | (not fin["expenditure_reported"])] = np.nan

    plans = mine["spending_plans"]
    plan_months = month_start(plans["month"])
    plan_total = plans["amount"].astype(float).sum()
    if plan_total > 0:
        plan_share = np.array([plans["amount"].astype(float)[plan_months <= m].sum() for m in months]) / plan_total
        plan = fin["budget"] * pd.Series(plan_share, index=months)
    else:
        plan = pd.Series(np.nan, index=months)

    time_share = np.clip((at - start).days.to_numpy(dtype=float) / max((end - start).days, 1), 0.0, 1.0)
    time_line = fin["budget"] * pd.Series(time_share, index=months)

    from_day = ((at - day).days.to_numpy().clip(min=0)).astype(float) / DAYS_PER_MONTH
    forecast = pd.Series(fin["spent"] + fin["avg_monthly_spend"] * from_day, index=months)
    forecast[months < day.to_period("M").to_timestamp()] = np.nan

    return pd.DataFrame(
        {
            "month": months,
            "actual": actual.to_numpy(),
            "plan": plan.to_numpy(),
            "time": time_line.to_numpy(),
            "forecast": forecast.to_numpy(),
        }
    )


def money_at_stake(budget_usd, spent_usd, expenditure_reported):
    """The USD budget not yet spent (never below 0), or the whole budget when spending is not
    reported; NaN when the USD budget is unknown. Scalars or aligned columns."""
    budget = np.asarray(budget_usd, dtype="float64")
    spent = np.asarray(spent_usd, dtype="float64")
    reported = np.asarray(pd.Series(np.atleast_1d(expenditure_reported)).fillna(False).astype(bool)).reshape(
        np.shape(expenditure_reported)
    )
    known = reported & ~np.isnan(spent)  # spending in a currency without a rate is unknown too
    left = np.where(known, np.maximum(budget - np.where(known, spent, 0.0), 0.0), budget)
    out = np.where(np.isnan(budget), np.nan, left)
    return out.item() if out.ndim == 0 else out


# burn status, forecast status → how the pair reads without contradiction
_PAIR_WORDS = {
    ("on_pace", "underspend"): "on pace to date, but spending of the last {m} months, continued to the end, reaches "
    "only {f} of the budget",
    ("on_pace", "overspend"): "on pace to date, but spending of the last {m} months, continued to the end, would reach "
    "{f} of the budget",
    ("underspending", "overspend"): "behind plan to date, but spending of the last {m} months, continued to the end, "
    "would reach {f} of the budget",
    ("overspending", "underspend"): "ahead of plan to date, but spending of the last {m} months has slowed: continued "
    "to the end, it reaches only {f} of the budget",
}


def status_pair_reason(burn_status, forecast_status, forecast_delivery, forecast_months: int) -> list[str]:
    """Why a burn status and a forecast status that seem to contradict each other ("On pace" beside
    "Forecast to underspend") both hold: burn compares spending *to date* with the plan, the forecast
    extends the *recent* monthly average to the end date (DOMAIN.md 3). '' for pairs that need no
    words. Aligned lists or Series in, a list of sentences out."""
    out = []
    for burn, forecast, delivery in zip(burn_status, forecast_status, forecast_delivery, strict=True):
        words = _PAIR_WORDS.get((burn, forecast))
        ok = words is not None and delivery is not None and not pd.isna(delivery)
        out.append(words.format(m=forecast_months, f=f"{delivery * 100:.0f}%") if ok else "")
    return out
