"""When a report is due: the reporting cut-off and the reports overdue (DOMAIN.md 2.1).

Actuals arrive after their period ends. Judging an indicator on the day a quarter ends against a
milestone of that day would count every report not yet written as a shortfall, so what was *due* is
judged at the **reporting cut-off** ``C = max(D − reporting_grace_days, end of the latest period with a
reported actual)``, never after D (:func:`reporting_cutoff`). Once the grace has passed, a missing report
counts against the indicator, and the reason sentence names the reports overdue
(:func:`overdue_reports`: "2 of 5 quarterly reports overdue").

Decisions where DOMAIN.md is silent (also in docs/monitoring.md):

* **An indicator's reporting periods** are its target periods (periods with a target value) when it has
  any; otherwise the periods of its ``frequency`` (monthly, quarterly, semi-annual, annual; other words
  name no periods) counted in calendar months from the month of the project's start to its (revised)
  end date, the first clipped to the start date and the last to the end date. An indicator without
  target periods and without a known frequency has no reporting periods: nothing is counted overdue,
  the cut-off still applies.
* **A report is overdue** once its period ended ``reporting_grace_days`` or more before D, i.e. on or
  before ``D − grace``: the very day its milestone enters the expectation at C, so the sentence never
  holds an indicator to a milestone whose missing report it does not name. (The INDICATORS_NO_DATA
  flag keeps DOMAIN.md's "more than 30 days" and fires the day after.)
* **A report is in** when a current actual (a number, or a value kept as text) overlaps the period:
  IATI publishes one target for the whole project against quarterly actuals, so equal periods are not
  required. Overdue = due and not in.
* **Which periods count for the cut-off**: the latest end among periods with a reported actual (number
  or text) that started on or before D, capped at D: a report for the period still running (C = D) says
  the indicator is up to date.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from monitoring.dates import day_numbers

# Words of the ``frequency`` column → months per period. Other words name no periods.
FREQUENCY_MONTHS = {
    "monthly": 1,
    "quarterly": 3,
    "semi-annual": 6,
    "semi-annually": 6,
    "semiannual": 6,
    "biannual": 6,
    "half-yearly": 6,
    "six-monthly": 6,
    "annual": 12,
    "annually": 12,
    "yearly": 12,
}
FREQUENCY_WORDS = {1: "monthly", 3: "quarterly", 6: "semi-annual", 12: "annual"}
# A period of these lengths in days reads as that frequency (calendar months vary by a few days).
_LENGTH_MONTHS = ((27, 32, 1), (88, 93, 3), (180, 185, 6), (363, 367, 12))
PERIOD_COLUMNS = ("indicator_id", "period_start", "period_end")


def reporting_cutoff(day, last_reported_end, grace_days: int):
    """``C`` as a day number: the later of ``day − grace_days`` and the latest reported period end,
    never after ``day``. ``last_reported_end`` is a day number (NaN when nothing was reported); scalars
    or arrays."""
    d = np.asarray(day, dtype="float64")
    last = np.minimum(np.asarray(last_reported_end, dtype="float64"), d)
    out = np.fmax(d - grace_days, last)  # fmax ignores NaN: nothing reported → D − grace
    return out.item() if out.ndim == 0 else out


def frequency_months(frequency) -> np.ndarray:
    """Months per period of each ``frequency`` word (0 when unknown), case and spaces ignored."""
    words = pd.Series(np.asarray(frequency, dtype=object)).astype("string").str.strip().str.lower()
    return words.map(FREQUENCY_MONTHS).fillna(0).astype("int64").to_numpy()


def frequency_of_lengths(days: np.ndarray) -> int:
    """The frequency (months) that periods of these lengths in days share, 0 when they differ or
    match none (a period of 28-31 days is monthly, 88-92 quarterly, 180-184 semi-annual, 364-366 annual)."""
    found = set()
    for length in np.asarray(days, dtype="float64"):
        months = next((m for lo, hi, m in _LENGTH_MONTHS if lo <= length <= hi), 0)
        found.add(months)
    return found.pop() if len(found) == 1 else 0


def reporting_periods(indicators: pd.DataFrame, targets: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """Every reporting period of every indicator (columns ``indicator_id``, ``period_start``,
    ``period_end`` as day numbers), by the rule of the module docstring."""
    with_target = targets.loc[pd.to_numeric(targets["target"], errors="coerce").notna()]
    from_targets = pd.DataFrame(
        {
            "indicator_id": with_target["indicator_id"].to_numpy(),
            "period_start": day_numbers(with_target["period_start"]) if len(with_target) else np.empty(0),
            "period_end": day_numbers(with_target["period_end"]) if len(with_target) else np.empty(0),
        }
    )
    frequency = (
        indicators["frequency"] if "frequency" in indicators.columns else pd.Series(None, index=indicators.index)
    )
    months = frequency_months(frequency)
    chosen = (months > 0) & ~indicators["indicator_id"].isin(from_targets["indicator_id"]).to_numpy()
    own = indicators.loc[chosen, ["indicator_id", "project_id"]]
    step = months[chosen]
    dates = projects.drop_duplicates("project_id").set_index("project_id")
    # reindex, not Series.map: map with an empty datetime mapper raises in pandas (an empty database)
    ids = own["project_id"].to_numpy()
    start = pd.to_datetime(dates["start_date"].reindex(ids)).to_numpy(dtype="datetime64[D]")
    end_col = pd.to_datetime(dates["revised_end_date"].reindex(ids)).fillna(
        pd.to_datetime(dates["end_date"].reindex(ids))
    )
    end = end_col.to_numpy(dtype="datetime64[D]")
    known = ~np.isnat(start) & ~np.isnat(end) & (end >= start)
    own, step, start, end = own.loc[known], step[known], start[known], end[known]
    first_month = start.astype("datetime64[M]")
    total = (end.astype("datetime64[M]") - first_month).astype("int64") + 1
    count = -(-total // step) if len(step) else np.empty(0, dtype="int64")
    owner = np.repeat(np.arange(len(own)), count)
    k = np.arange(len(owner)) - np.repeat(np.cumsum(count) - count, count)
    month_start = first_month[owner] + (k * step[owner]).astype("timedelta64[M]")
    month_after = month_start + step[owner].astype("timedelta64[M]")
    p_start = np.maximum(month_start.astype("datetime64[D]"), start[owner])
    p_end = np.minimum(month_after.astype("datetime64[D]") - np.timedelta64(1, "D"), end[owner])
    from_frequency = pd.DataFrame(
        {
            "indicator_id": own["indicator_id"].to_numpy()[owner],
            "period_start": p_start.astype("int64").astype("float64"),
            "period_end": p_end.astype("int64").astype("float64"),
        }
    )
    parts = [p for p in (from_targets, from_frequency) if len(p)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in PERIOD_COLUMNS})
    return pd.concat(parts, ignore_index=True)


def reports_in(periods: pd.DataFrame, actuals: pd.DataFrame) -> np.ndarray:
    """For each period: whether a current actual (number or text) of its indicator overlaps it."""
    if periods.empty:
        return np.zeros(0, dtype=bool)
    reported = actuals.loc[pd.to_numeric(actuals["value"], errors="coerce").notna() | actuals["value_text"].notna()]
    a = pd.DataFrame(
        {
            "indicator_id": reported["indicator_id"].to_numpy(),
            "a_start": day_numbers(reported["period_start"]) if len(reported) else np.empty(0),
            "a_end": day_numbers(reported["period_end"]) if len(reported) else np.empty(0),
        }
    ).dropna(subset=["a_start"])
    if a.empty:
        return np.zeros(len(periods), dtype=bool)
    a["indicator_id"] = a["indicator_id"].astype(periods["indicator_id"].dtype)  # merge_asof needs one dtype
    a["a_end"] = a["a_end"].fillna(a["a_start"])
    a = a.sort_values(["indicator_id", "a_start"], kind="stable")
    # latest end among the actuals starting on or before each period's end: overlap iff >= its start
    a["reach"] = a.groupby("indicator_id")["a_end"].cummax()
    left = periods.reset_index(drop=True).assign(_row=np.arange(len(periods)))
    matched = pd.merge_asof(
        left.sort_values("period_end").astype({"period_end": "float64"}),
        a.sort_values("a_start")[["indicator_id", "a_start", "reach"]].astype({"a_start": "float64"}),
        left_on="period_end",
        right_on="a_start",
        by="indicator_id",
        direction="backward",
    )
    out = np.zeros(len(periods), dtype=bool)
    out[matched["_row"].to_numpy()] = (matched["reach"] >= matched["period_start"]).to_numpy()
    return out


def overdue_reports(periods: pd.DataFrame, actuals: pd.DataFrame, day: int, grace_days: int) -> pd.DataFrame:
    """Per indicator with a due report: ``reports_due``, ``reports_overdue`` and ``report_frequency``
    (the word shared by its due periods' lengths, '' when they differ). Indexed by ``indicator_id``."""
    due = periods.loc[periods["period_end"] <= day - grace_days]
    columns = {"reports_due": "int64", "reports_overdue": "int64", "report_frequency": object}
    if due.empty:
        return pd.DataFrame(
            {c: pd.Series(dtype=t) for c, t in columns.items()}, index=pd.Index([], name="indicator_id")
        )
    missing = ~reports_in(due, actuals)
    lengths = (due["period_end"] - due["period_start"] + 1).to_numpy()
    grouped = pd.DataFrame({"indicator_id": due["indicator_id"].to_numpy(), "missing": missing, "length": lengths})
    out = grouped.groupby("indicator_id").agg(reports_due=("missing", "size"), reports_overdue=("missing", "sum"))
    # the frequency word from the median length of the due periods (a first or last period clipped
    # to the project's dates is shorter), only where something is overdue (the sentence needs it)
    median = grouped.loc[grouped["indicator_id"].isin(out.index[out["reports_overdue"] > 0])]
    median = median.groupby("indicator_id")["length"].median()
    words = pd.Series("", index=out.index, dtype=object)
    words[median.index] = [FREQUENCY_WORDS.get(frequency_of_lengths(np.array([x])), "") for x in median]
    out["report_frequency"] = words
    return out.astype({"reports_due": "int64", "reports_overdue": "int64"})


def overdue_phrase(overdue: int, due: int, frequency: str) -> str:
    """ "2 of 5 quarterly reports overdue", "1 of 1 report overdue"; '' when none is overdue."""
    if not overdue:
        return ""
    kind = f"{frequency} " if frequency else ""
    return f"{overdue} of {due} {kind}report{'s' if due != 1 else ''} overdue"


DUE_COLUMNS = (
    "project_id",
    "project_code",
    "indicator_id",
    "indicator_code",
    "name",
    "period_start",
    "period_end",
    "due_date",
    "state",
    "days_overdue",
)


def reports_due(
    indicators: pd.DataFrame,
    targets: pd.DataFrame,
    actuals: pd.DataFrame,
    projects: pd.DataFrame,
    as_of: dt.date,
    grace_days: int,
) -> pd.DataFrame:
    """The reporting periods whose report is due soon or overdue as of ``as_of`` (a to-do list).

    Periods are :func:`reporting_periods`; a period whose report is in (:func:`reports_in`, also one
    reported before its period ended) is never listed. For the others:

    * **due date** = period end + ``grace_days`` − 1: the last day before the report counts as overdue
      under :func:`overdue_reports` (overdue once the period ended ``grace_days`` or more before D), so
      this list and the "n of m reports overdue" of the status reason always agree.
    * ``state`` ``"due"`` when the period has ended (period end ≤ as_of) and as_of ≤ due date (a period
      ending today is due; a period still running is not listed); ``"overdue"`` when as_of > due date.
    * ``days_overdue`` = as_of − due date for an overdue report (1 the day after the due date), 0 for a
      due one.
    * A project that has ended keeps the missing reports of its periods (they are still owed); it has
      no periods after its (revised) end date, so nothing new falls due.

    Columns :data:`DUE_COLUMNS` (dates as ``datetime.date``), most overdue first, then project and
    indicator code and period start.
    """
    periods = reporting_periods(indicators, targets, projects)
    day = day_numbers(as_of)
    ended = periods.loc[periods["period_end"] <= day]
    if len(ended):
        ended = ended.loc[~reports_in(ended, actuals)]
    if ended.empty:
        return pd.DataFrame(columns=list(DUE_COLUMNS))
    due_day = ended["period_end"].to_numpy() + grace_days - 1
    late = (day - due_day).astype("int64")
    meta = indicators[["indicator_id", "project_id", "indicator_code", "name"]].merge(
        projects[["project_id", "project_code"]].drop_duplicates("project_id"), on="project_id", how="left"
    )
    epoch = np.datetime64("1970-01-01", "D")

    def to_dates(days) -> list[dt.date]:
        return [d.item() for d in epoch + np.asarray(days).astype("int64").astype("timedelta64[D]")]

    out = pd.DataFrame(
        {
            "indicator_id": ended["indicator_id"].to_numpy(),
            "period_start": to_dates(ended["period_start"]),
            "period_end": to_dates(ended["period_end"]),
            "due_date": to_dates(due_day),
            "state": np.where(late > 0, "overdue", "due"),
            "days_overdue": np.maximum(late, 0),
        }
    ).merge(meta, on="indicator_id", how="left")
    out = out.sort_values(
        ["days_overdue", "project_code", "indicator_code", "period_start"],
        ascending=[False, True, True, True],
        kind="stable",
    )
    return out[list(DUE_COLUMNS)].reset_index(drop=True)


FILL_COLUMNS = (
    *DUE_COLUMNS,
    "unit",
    "measure",
    "disaggregation",
    "target",
    "latest_value",
    "latest_period_start",
    "latest_period_end",
)


def reports_to_fill(
    indicators: pd.DataFrame,
    targets: pd.DataFrame,
    actuals: pd.DataFrame,
    projects: pd.DataFrame,
    as_of: dt.date,
    grace_days: int,
) -> pd.DataFrame:
    """:func:`reports_due` with what the person filling each report needs beside it (the pre-filled
    workbook's rows), ordered as a form is read: by project, indicator code and period start.

    * ``unit``, ``measure`` and ``disaggregation`` of the indicator: which cells to fill (a number or a
      text; the sex breakdown only where the indicator asks for it).
    * ``target``: the milestone target of exactly that period, empty for a period of the reporting
      frequency that has no target of its own.
    * ``latest_value`` (a number, or the text of a qualitative report) and its period: the indicator's
      latest current report up to ``as_of`` (latest period end, then start, as
      :func:`monitoring.comments.latest_comments` orders them), whichever period it covers, empty when
      nothing was ever reported. For a cumulative indicator it is the running total the next report
      continues from.

    Columns :data:`FILL_COLUMNS`; the rows are exactly those of :func:`reports_due`, the one rule
    of what is due (the Reports due page and ``report due`` use it too).
    """
    due = reports_due(indicators, targets, actuals, projects, as_of, grace_days)
    if due.empty:
        return pd.DataFrame(columns=list(FILL_COLUMNS))
    meta = indicators[["indicator_id", "unit", "measure", "disaggregation"]]
    out = due.merge(meta, on="indicator_id", how="left")
    keyed = targets.assign(
        period_start=pd.to_datetime(targets["period_start"]).dt.date,
        period_end=pd.to_datetime(targets["period_end"]).dt.date,
        target=pd.to_numeric(targets["target"], errors="coerce"),
    ).drop_duplicates(["indicator_id", "period_start", "period_end"])
    out = out.merge(
        keyed[["indicator_id", "period_start", "period_end", "target"]],
        on=["indicator_id", "period_start", "period_end"],
        how="left",
    )
    out = out.merge(_latest_reports(actuals, as_of), on="indicator_id", how="left")
    out = out.sort_values(["project_code", "indicator_code", "period_start"], kind="stable")
    return out[list(FILL_COLUMNS)].reset_index(drop=True)


def _latest_reports(actuals: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Per indicator with a report up to ``as_of`` (period started on or before it): its latest."""
    columns = ["indicator_id", "latest_value", "latest_period_start", "latest_period_end"]
    number = pd.to_numeric(actuals["value"], errors="coerce")
    value = number.astype(object).where(number.notna(), actuals["value_text"])
    starts = pd.to_datetime(actuals["period_start"]).dt.date
    reported = actuals.assign(
        latest_value=value,
        latest_period_start=starts,
        latest_period_end=pd.to_datetime(actuals["period_end"]).dt.date.fillna(starts),
    ).loc[value.notna() & (starts <= as_of)]
    if reported.empty:
        return pd.DataFrame(columns=columns)
    latest = reported.sort_values(["indicator_id", "latest_period_end", "latest_period_start"], kind="stable")
    return latest.drop_duplicates("indicator_id", keep="last")[columns]
