"""IATI ``result`` elements -> results, indicators, periods and breakdowns (DOMAIN.md section 10).

IATI says less than a results matrix; the gaps are filled by stated conventions, written into
each indicator's ``import_note`` (and the import notes) so a user can correct them in the template:

* result type 1 output -> ``output``, 2 outcome -> ``outcome``, 3 impact -> ``objective``; 9
  (other) or none -> ``output`` (the tree has no "other"; the note says so). Results are flat in
  IATI, so they have no parent. Codes follow document order: ``R1``, ``R1.I1``... (stable when
  the same file is imported again); the publisher's own indicator reference is in the note.
* measure 1 -> number, 2 -> percentage (unit ``%``), 3/4/5 -> qualitative, missing -> number;
  ``ascending="0"`` (or ``false``) -> decrease.
* baseline: the first baseline without dimensions or location; when baselines are published per
  location (as actuals are), their sum for counts, like the actuals; otherwise the total of the
  baselines' breakdowns under the rules of :mod:`iati_dimensions`. A location published at several
  dates counts with its earliest only (:func:`_earliest_per_location`). Its date is ``@iso-date``, or
  1 January of ``@year`` when only the year is given.
* ``<period>`` elements with the same start and end are one period (publishers repeat the period
  once per sex/age cell); periods without valid dates, or ending before they start, are skipped.
* end target: the target of the latest period (by end, then start) that has one.
* accumulation, for counts: one target period with at least two shorter actual periods ->
  incremental; two or more period targets that never fall and end higher than they start ->
  cumulative; otherwise level. Percentages and qualitative indicators are always level (a
  percentage is never summed).
* disaggregation: ``sex_age`` when the indicator's actuals carry sex values and age values,
  ``sex`` when they carry sex values only, else ``none``.
* breakdowns of targets and baselines have no column in the data model: they are counted in the
  notes, not stored; breakdowns of actuals go to ``periods`` (sex) and ``breakdowns`` (the rest).
  An actual published only as a breakdown that gives no total keeps the text
  ``no total published (breakdown only)`` as its value, so the breakdown is stored with it and
  the value is visibly not a number (never a guessed sum).
* text longer than the model allows (500 characters for a value kept as text) is shortened with
  ``...`` and the full text is kept in the period comment.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

from data_access.importers import iati_extension as ext
from data_access.importers.iati_dimensions import (
    AGE,
    SEX,
    MappingLog,
    Observation,
    Resolved,
    observations,
    resolve,
)
from data_access.importers.iati_xml import (
    ActivityContext,
    children,
    code_of,
    date_of,
    first_child,
    iso_date,
    narrative,
)
from data_access.importers.tables import NO_TOTAL

RESULT_LEVELS = {"1": "output", "2": "outcome", "3": "objective"}
MEASURES = {"1": "number", "2": "percentage", "3": "qualitative", "4": "qualitative", "5": "qualitative"}
TEXT_LIMIT = 500  # String(500) of the *_text columns


@dataclass
class Period:
    """All ``<period>`` elements of an indicator with the same dates, merged."""

    start: dt.date
    end: dt.date
    line: int | None
    reported_on: dt.date | None = None  # the dashboard's extension (md:reported-on), else unknown
    source: str | None = None  # the dashboard's extension (md:source), else project monitoring
    targets: list[Observation] = field(default_factory=list)
    actuals: list[Observation] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    target: Resolved | None = None
    actual: Resolved | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def read_results(activity: etree._Element, ctx: ActivityContext, log: MappingLog) -> None:
    """Add the activity's results, indicators, periods and breakdowns to ``ctx.parsed``."""
    for bare in json.loads(ext.get(activity, "results") or "[]"):  # the dashboard's own export
        ctx.add("results", {"project_code": ctx.code, **bare}, ctx.source(activity, "@md:results"))
    for r_index, result in enumerate(ctx.all("result"), start=1):
        result_code = ext.get(result, "code") or f"R{r_index}"
        path = f"result[{r_index}]"
        type_code = code_of(result, "type")
        level = ext.get(result, "level") or RESULT_LEVELS.get(type_code, "output")
        if type_code not in RESULT_LEVELS and not ext.has(result, "level"):
            ctx.note(
                "convention",
                f"result {result_code} has type {type_code or 'none'} (not output, "
                "outcome or impact): stored as an output",
                result,
                path,
            )
        statement = (
            narrative(first_child(result, "title"), ctx.lang)
            or narrative(first_child(result, "description"), ctx.lang)
            or f"Result {result_code} (no title published)"
        )
        ctx.add(
            "results",
            {
                "project_code": ctx.code,
                "result_code": result_code,
                "level": level,
                "parent_code": ext.get(result, "parent"),
                "statement": statement,
            },
            ctx.source(result, path),
        )
        for i_index, indicator in enumerate(children(result, "indicator"), start=1):
            _read_indicator(
                indicator, f"{result_code}.I{i_index}", result_code, f"{path}/indicator[{i_index}]", ctx, log
            )


def _read_indicator(
    indicator: etree._Element, code: str, result_code: str, path: str, ctx: ActivityContext, log: MappingLog
) -> None:
    code = ext.get(indicator, "code") or code
    measure_code = (indicator.get("measure") or "").strip()
    measure = MEASURES.get(measure_code, "number")
    percentage = measure == "percentage"
    counts = measure == "number"
    conventions = []
    if measure_code not in MEASURES:
        conventions.append(f"measure {measure_code or 'missing'} read as number")
    # one pass over the indicator's children (its periods are most of them)
    reference = title = description = None
    baselines: list[etree._Element] = []
    period_elements: list[etree._Element] = []
    for child in indicator:
        tag = child.tag
        if tag == "period":
            period_elements.append(child)
        elif tag == "baseline":
            baselines.append(child)
        elif tag == "title":
            title = child if title is None else title
        elif tag == "description":
            description = child if description is None else description
        elif tag == "reference":
            reference = child if reference is None else reference
    if reference is not None and reference.get("code"):
        conventions.append(f"IATI reference {reference.get('code')} (vocabulary {reference.get('vocabulary') or '?'})")
    name = narrative(title, ctx.lang) or narrative(description, ctx.lang)
    if not name:
        name = f"Indicator {code} (no title published)"
        conventions.append("no title published")

    baseline, baseline_date, baseline_note = _baseline(baselines, percentage, counts, log)
    if baseline_note:
        conventions.append(baseline_note)
    periods = _periods(period_elements, path, percentage, ctx, log)
    conventions.extend(_resolve_periods(periods, counts))
    accumulation, why = accumulation_convention(periods, measure)
    conventions.insert(0, f"accumulation={accumulation}: {why}")
    end = _end_target(periods)
    if end is not None:
        conventions.append(f"end target = target of the latest period ({end[0]} to {end[1]})")
    sexes = any(p.actual.sexes or any(SEX in b[0].split("|") for b in p.actual.breakdowns) for p in periods)
    ages = any(any(AGE in b[0].split("|") for b in p.actual.breakdowns) for p in periods)
    note = "; ".join(conventions)
    row = {
        "project_code": ctx.code,
        "indicator_code": code,
        "result_code": result_code,
        "name": name,
        "unit": "%" if percentage else None,
        "measure": measure,
        "direction": "decrease" if (indicator.get("ascending") or "").strip().lower() in ("0", "false") else "increase",
        "accumulation": accumulation,
        "baseline": baseline.number if baseline else None,
        "baseline_text": _short(baseline.text, ctx, "baseline", indicator, path) if baseline else None,
        "baseline_date": baseline_date,
        "end_target": end[2].number if end else None,
        "end_target_text": _short(end[2].text, ctx, "end target", indicator, path) if end else None,
        "disaggregation": "sex_age" if sexes and ages else "sex" if sexes else "none",
        "import_note": note,
    }
    if ext.has(indicator, "code"):
        _extension_indicator(indicator, baselines, row)
    ctx.add("indicators", row, ctx.source(indicator, path))
    ctx.note("convention", f"indicator {code}: {note}", indicator, path, column="accumulation", value=accumulation)
    for period in periods:
        _add_period(period, code, path, ctx)


def _extension_indicator(indicator: etree._Element, baselines: list[etree._Element], row: dict) -> None:
    """The dashboard's own export states what the conventions would guess (``iati_extension``)."""
    for column, name in (
        ("unit", "unit"),
        ("measure", "measure"),
        ("accumulation", "accumulation"),
        ("disaggregation", "disaggregation"),
        ("end_target_text", "end-target-text"),
        ("baseline_text", "baseline-text"),
        ("data_source", "data-source"),
        ("collection_method", "collection-method"),
        ("frequency", "frequency"),
        ("responsible", "responsible"),
    ):
        row[column] = ext.get(indicator, name)
    target = ext.get(indicator, "end-target")
    row["end_target"] = float(target) if target is not None else None
    first = baselines[0] if baselines else None
    row["baseline_date"] = None if first is None or ext.has(first, "no-date") else _baseline_date(first)
    row["import_note"] = "from the dashboard's IATI export (its extension states code, measure and accumulation)"


def _resolve_periods(periods: list[Period], counts: bool) -> list[str]:
    """Resolve every period's target and actual; say how totals were derived, per kind of derivation."""
    target_breakdowns = 0
    derived: Counter = Counter()
    for period in periods:
        period.target = resolve(period.targets, counts=counts)
        period.actual = resolve(period.actuals, counts=counts)
        target_breakdowns += len(period.target.breakdowns) + len(period.target.sexes)
        for what, resolved in (("target", period.target), ("actual", period.actual)):
            if resolved.derived:
                derived[f"{what} {resolved.derived}"] += 1
        actual = period.actual
        if actual.number is None and actual.text is None and (actual.sexes or actual.breakdowns):
            actual.text = NO_TOTAL
            derived[f"actual breakdown without a total: actual kept as the text {NO_TOTAL!r}"] += 1
    said = [f"{text} ({count} period{'s' if count > 1 else ''})" for text, count in sorted(derived.items())]
    if target_breakdowns:
        said.append(
            f"{target_breakdowns} target breakdown value(s) not stored (the model keeps breakdowns of actuals only)"
        )
    return said


def _baseline(
    baselines: list[etree._Element], percentage: bool, counts: bool, log: MappingLog
) -> tuple[Resolved | None, dt.date | None, str | None]:
    if not baselines:
        return None, None, None
    per_element = [(b, observations(b, percentage, log)) for b in baselines]
    for element, obs in per_element:
        plain = [o for o in obs if not o.cell and not o.location]
        if plain and (plain[0].reading.number is not None or plain[0].reading.text is not None):
            note = (
                None
                if len(baselines) == 1
                else (f"baseline = the first of {len(baselines)} baselines without dimensions")
            )
            return Resolved(plain[0].reading.number, plain[0].reading.text), _baseline_date(element), note
    kept, dropped, first_date = _earliest_per_location(per_element)
    resolved = resolve(kept, counts=counts)
    if resolved.number is None and resolved.text is None:
        return None, None, "baselines published only for breakdowns that do not add up to a total: no baseline"
    notes = [f"baseline: {resolved.derived}"] if resolved.derived else []
    if dropped:
        notes.append(
            f"baseline: published for the same location at several dates; the earliest of each location kept, "
            f"{dropped} later value(s) left out"
        )
    return resolved, first_date or _baseline_date(baselines[0]), "; ".join(notes) or None


def _earliest_per_location(per_element: list[tuple[etree._Element, list]]) -> tuple[list, int, dt.date | None]:
    """The baselines' observations to add up, how many were left out and the earliest date: for each location (or
    none), only those of the earliest date it has. Sites measured at different dates add up (each
    is its own starting point), but one site published at two dates is two measurements of the same
    thing: Cordaid's immunisation indicator gives, for the same two health centres, a baseline by
    "Unknown" sex dated 31 Dec 2018 and one by female and male dated 30 Jun 2019 (equal to the first
    half-year's actuals); adding both gave a baseline of 13,270 instead of 7,336. A baseline is the
    starting point, so the earliest is kept; an undated one only where its location has no dated one."""
    earliest: dict[str, dt.date] = {}
    dated = [(_baseline_date(element), obs) for element, obs in per_element]
    for date, obs in dated:
        for o in obs:
            if date is not None and (o.location not in earliest or date < earliest[o.location]):
                earliest[o.location] = date
    kept = [o for date, obs in dated for o in obs if earliest.get(o.location) in (None, date)]
    return kept, sum(len(obs) for _, obs in dated) - len(kept), min(earliest.values(), default=None)


def _baseline_date(element: etree._Element) -> dt.date | None:
    date = iso_date(element)
    if date is not None:
        return date
    year = (element.get("year") or "").strip()
    return dt.date(int(year), 1, 1) if year.isdigit() and 1900 <= int(year) <= 2200 else None


def _periods(
    elements: list[etree._Element], path: str, percentage: bool, ctx: ActivityContext, log: MappingLog
) -> list[Period]:
    merged: dict[tuple[dt.date, dt.date], Period] = {}
    for p_index, element in enumerate(elements, start=1):
        start = end = None
        values = []
        for child in element:  # one pass over the children: this loop runs for every period of the file
            tag = child.tag
            if tag == "period-start":
                start = date_of(child.get("iso-date"))
            elif tag == "period-end":
                end = date_of(child.get("iso-date"))
            elif tag == "target" or tag == "actual":
                values.append(child)
        if start is None or end is None or end < start:
            ctx.skip(
                "period without valid dates",
                f"period {p_index} of {path} skipped: it needs a start and an end date, the end not before the start",
                element,
                f"{path}/period[{p_index}]",
            )
            continue
        period = merged.get((start, end))
        if period is None:
            period = merged[(start, end)] = Period(start, end, element.sourceline)
            period.reported_on = date_of(ext.get(element, "reported-on"))
            period.source = ext.get(element, "source")
        for child in values:
            found = observations(child, percentage, log)
            if child.tag == "target":
                period.targets.extend(found)
                continue
            period.actuals.extend(found)
            if len(child):
                comment = narrative(first_child(child, "comment"), ctx.lang)
                if comment and comment not in period.comments:
                    period.comments.append(comment)
    return sorted(merged.values(), key=lambda p: (p.start, p.end))


def accumulation_convention(periods: list[Period], measure: str) -> tuple[str, str]:
    """The accumulation an indicator's periods suggest, and the reason in words (DOMAIN.md 10)."""
    if measure != "number":
        return "level", f"a {measure} indicator is never summed"
    targets = [p for p in periods if p.target is not None and p.target.number is not None]
    actuals = [p for p in periods if p.actual is not None and p.actual.number is not None]
    if len(targets) == 1 and len(actuals) >= 2 and all(a.days < targets[0].days for a in actuals):
        t = targets[0]
        return "incremental", (
            f"one target period ({t.start} to {t.end}) with {len(actuals)} shorter "
            "actual periods: actuals are summed against the whole target"
        )
    if len(targets) >= 2:
        ordered = sorted(targets, key=lambda p: (p.end, p.start))
        values = [p.target.number for p in ordered if p.target is not None]
        never_fall = all(b >= a for a, b in itertools.pairwise(values))
        if never_fall and values[-1] > values[0]:
            return "cumulative", (
                f"{len(values)} period targets never fall and end higher than they start "
                f"({values[0]:g} to {values[-1]:g})"
            )
        return "level", f"{len(values)} period targets that are not rising milestones"
    if not targets:
        return "level", "no numeric period target"
    return "level", "one target period without several shorter actual periods"


def _end_target(periods: list[Period]) -> tuple[dt.date, dt.date, Resolved] | None:
    with_target = [p for p in periods if p.target is not None and (p.target.number is not None or p.target.text)]
    if not with_target:
        return None
    latest = max(with_target, key=lambda p: (p.end, p.start))
    return latest.start, latest.end, latest.target


def _short(text: str | None, ctx: ActivityContext, what: str, element: etree._Element | None, path: str) -> str | None:
    if text is None or len(text) <= TEXT_LIMIT:
        return text
    ctx.note("info", f"{what} text of {len(text)} characters shortened to {TEXT_LIMIT}", element, path)
    return text[: TEXT_LIMIT - 3] + "..."


def _add_period(period: Period, code: str, path: str, ctx: ActivityContext) -> None:
    target, actual = period.target, period.actual
    assert target is not None and actual is not None
    if (
        target.number is None
        and not target.text
        and actual.number is None
        and not actual.text
        and not actual.sexes
        and not actual.breakdowns
    ):
        ctx.skipped["period without any value"] += 1
        return
    comments = list(period.comments)
    if actual.text and len(actual.text) > TEXT_LIMIT:
        comments.append(actual.text)
    for resolved, what in ((target, "target"), (actual, "actual")):
        for problem in resolved.problems:
            ctx.skip(
                f"conflicting {what} values",
                f"indicator {code}, period {period.start} to {period.end}, {what}: {problem}",
                None,
                path,
            )
    source = ctx.source(None, path, line=period.line)
    values = {
        "project_code": ctx.code,
        "indicator_code": code,
        "period_start": period.start,
        "period_end": period.end,
        "target": target.number,
        "target_text": _short(target.text, ctx, "target", None, path),
        "actual": actual.number,
        "actual_text": _short(actual.text, ctx, "actual", None, path),
        "actual_female": actual.sexes.get("female"),
        "actual_male": actual.sexes.get("male"),
        "actual_other": actual.sexes.get("other"),
        "comment": "\n\n".join(comments) or None,
    }
    if period.reported_on is not None:
        values["reported_on"] = period.reported_on
    if period.source is not None:
        values["source"] = period.source
    ctx.add("periods", values, source)
    seen = set()
    for dimension, category, number, text in actual.breakdowns:
        key = (dimension[:200], category[:200])
        if key in seen:
            continue
        seen.add(key)
        ctx.add(
            "breakdowns",
            {
                "project_code": ctx.code,
                "indicator_code": code,
                "period_start": period.start,
                "period_end": period.end,
                "dimension": key[0],
                "category": key[1],
                "value": number,
                "value_text": _short(text, ctx, "breakdown", None, path),
            },
            source,
        )
