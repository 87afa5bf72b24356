"""Warnings for values that are valid but probably wrong: shown before the user confirms, never
blocking (the file may be right, and a donor's report is not refused for a doubt).

What a careful M&E officer checks in a results matrix or a finance export before trusting it:

* **Percentages** (indicators measured in percent) are written in percent points: 53 for 53%.
  A value above 100 or below 0 is outside the plausible range (DOMAIN.md 8). A period value
  between 0 and 1 (exclusive of 0) for an indicator whose baseline or end target is above 1 looks
  like a fraction typed the Excel way (0.53 for 53%): it would be read as 0.53%, and its
  progress would be wildly negative.
* **Currencies**: budget lines and spending in another currency than the project's are converted
  through the exchange-rate table. When a currency involved has no rate stored and none comes
  with the import, the project's budget or spending cannot be added up (burn, forecast and
  delivery become unknown) until a rate is imported.
* **Dates**: spending booked before the project's start month, or more than
  ``LIQUIDATION_MONTHS`` after its (revised) end (final invoices are paid after the end, not years
  later); a monitoring visit dated after the day of the import (``as_of``, given by the caller:
  the command line and the Data page pass the day the import is made, tests a fixed day, so
  nothing here reads the clock).
* **Regions**: a project row's ``region`` is used only to place a *new* country; for a country
  already stored under another region it changes nothing, which the user should know.

Each doubt is reported once per project and kind, on its first row, with the number of rows it
concerns: one wrong column in a 2,000-row export is one message, not 2,000.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from data_access.importers.tables import Source

if TYPE_CHECKING:  # validate imports this module
    from data_access.importers.report import ValidationReport
    from data_access.importers.validate import Validated

LIQUIDATION_MONTHS = 6
USD = "USD"


@dataclass
class StoredFacts:
    """What the database already holds that the checks need for rows referring to stored data."""

    # (project code, indicator code) -> (baseline, end target) of stored percentage indicators
    percentage_indicators: dict[tuple[str, str], tuple[float | None, float | None]] = field(default_factory=dict)
    # project code -> (currency, start, end, revised end) of stored projects
    projects: dict[str, tuple[str, dt.date, dt.date, dt.date | None]] = field(default_factory=dict)
    # currencies with at least one exchange rate stored
    rate_currencies: set[str] = field(default_factory=set)
    # ISO3 -> region code of stored countries
    country_regions: dict[str, str] = field(default_factory=dict)


class _Doubts:
    """Collects doubts per (project, kind): the first row's source and value, and a row count."""

    def __init__(self) -> None:
        self.first: dict[tuple, tuple[Source, str, object, str]] = {}
        self.count: dict[tuple, int] = defaultdict(int)

    def add(self, key: tuple, source: Source, column: str, value: object, reason: str) -> None:
        self.first.setdefault(key, (source, column, value, reason))
        self.count[key] += 1

    def report(self, report: ValidationReport) -> None:
        for key, (source, column, value, reason) in self.first.items():
            n = self.count[key]
            report.warning(source, column, value, reason if n == 1 else f"{reason} ({n} rows like this one)")


def check_plausibility(v: Validated, stored: StoredFacts, as_of: dt.date) -> None:
    """Add the warnings described above to ``v.report`` (``v``: a ``validate.Validated``) for an
    import made on ``as_of``."""
    doubts = _Doubts()
    projects = _project_facts(v, stored)
    _percentages(v, stored, doubts)
    _currencies(v, stored, projects, doubts)
    _dates(v, projects, as_of, doubts)
    _regions(v, stored, doubts)
    doubts.report(v.report)


def _percentages(v: Validated, stored: StoredFacts, doubts: _Doubts) -> None:
    scale = dict(stored.percentage_indicators)
    for r in v.rows("indicators"):
        m = r.model
        key = (m.project_code, m.indicator_code)
        if m.measure != "percentage":
            scale.pop(key, None)
            continue
        scale[key] = (m.baseline, m.end_target)
        for column in ("baseline", "end_target"):
            _out_of_range(doubts, key, r.source, column, getattr(m, column))
    for r in v.rows("periods"):
        m = r.model
        key = (m.project_code, m.indicator_code)
        if key not in scale:
            continue
        above_one = any(x is not None and abs(x) > 1 for x in scale[key])
        for column in ("target", "actual", "actual_female", "actual_male", "actual_other"):
            value = getattr(m, column)
            _out_of_range(doubts, key, r.source, column, value)
            if above_one and value is not None and 0 < value < 1:
                doubts.add(
                    (*key, "fraction"),
                    r.source,
                    column,
                    value,
                    f"{value:g} on a percentage indicator whose baseline or end target is above 1: "
                    f"percentages are written in percent points ({value * 100:g} for {value:.0%}); "
                    f"as it is, it reads {value:g}%",
                )


def _out_of_range(doubts: _Doubts, key: tuple, source: Source, column: str, value: float | None) -> None:
    if value is not None and not 0 <= value <= 100:
        doubts.add(
            (*key, "range"),
            source,
            column,
            value,
            "a percentage outside 0-100 is outside the plausible range: check the value, or "
            "whether the indicator is a count published as a percentage",
        )


def _project_facts(v: Validated, stored: StoredFacts) -> dict[str, tuple[str, dt.date, dt.date, dt.date | None]]:
    facts = dict(stored.projects)
    for r in v.rows("projects"):
        m = r.model
        facts[m.project_code] = (m.currency, m.start_date, m.end_date, m.revised_end_date)
    return facts


def _currencies(v: Validated, stored: StoredFacts, facts: dict[str, tuple], doubts: _Doubts) -> None:
    rated = stored.rate_currencies | {r.model.currency for r in v.rows("fx_rates")} | {USD}
    for table, what in (("budget", "budgeted"), ("expenditure", "spent")):
        for r in v.rows(table):
            m = r.model
            project = facts.get(m.project_code)
            if project is None or m.currency == project[0]:
                continue
            missing = sorted({m.currency, project[0]} - rated)
            if missing:
                doubts.add(
                    (m.project_code, table, m.currency),
                    r.source,
                    "currency",
                    m.currency,
                    f"{what} in {m.currency} on a project kept in {project[0]}, and no exchange rate for "
                    f"{', '.join(missing)} is stored or in this import: the project's "
                    f"{'budget' if table == 'budget' else 'spending'}, burn and forecast stay unknown until "
                    "an fx_rates row for it is imported",
                )


def _month_after(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _dates(v: Validated, facts: dict[str, tuple], as_of: dt.date, doubts: _Doubts) -> None:
    for r in v.rows("expenditure"):
        m = r.model
        project = facts.get(m.project_code)
        if project is None:
            continue
        start, end = project[1], project[3] or project[2]
        if m.month < start.replace(day=1):
            doubts.add(
                (m.project_code, "before start"),
                r.source,
                "month",
                f"{m.month:%Y-%m}",
                f"spending booked before the project starts ({start.isoformat()}); check the month",
            )
        elif m.month > _month_after(end, LIQUIDATION_MONTHS):
            doubts.add(
                (m.project_code, "after end"),
                r.source,
                "month",
                f"{m.month:%Y-%m}",
                f"spending booked more than {LIQUIDATION_MONTHS} months after the project ends "
                f"({end.isoformat()}); check the month",
            )
    for r in v.rows("visits"):
        if r.model.visit_date > as_of:
            doubts.add(
                (r.model.project_code, "future visit"),
                r.source,
                "visit_date",
                r.model.visit_date.isoformat(),
                f"a monitoring visit dated after the day of this import ({as_of.isoformat()}): "
                "visits are recorded once made",
            )


def _regions(v: Validated, stored: StoredFacts, doubts: _Doubts) -> None:
    for r in v.rows("projects"):
        m = r.model
        region = stored.country_regions.get(m.managing_country)
        if m.region and region and m.region != region:
            doubts.add(
                (m.managing_country, "region", m.region),
                r.source,
                "region",
                m.region,
                f"{m.managing_country} is stored under region {region}: the region column only places a "
                "new country, so this project stays in " + region,
            )
