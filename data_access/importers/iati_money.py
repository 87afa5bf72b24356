"""IATI budgets and transactions -> budget lines, monthly expenditure and incoming funds.

Conventions (DOMAIN.md section 3; every one is reported in the import notes):

* **Currency**: each amount in its ``value/@currency``, else the activity's ``@default-currency``;
  an amount with neither is skipped (never assumed to be USD). Amounts are never converted or
  added across currencies.
* **Budget lines**: one line per budget period and currency, coded ``2019-01-01/2019-12-31``
  (``... EUR`` appended when a period has budgets in several currencies). IATI budgets carry no
  cost category, so every line is stored as ``operational`` (the M&E share of an IATI project is
  therefore unknown, not zero: see docs/iati.md).
* **Original and revised** (BudgetType 1 and 2): the line's original amount is the sum of the
  type-1 budgets of the period; when type-2 budgets exist for the same period, their sum is a
  revision dated with their latest ``value-date`` (the period start when absent), so the current
  budget of the period is the revised one and the original is kept. A period with only a revised
  budget stores it as the line's amount (there is nothing to revise). A budget without a type is
  an original, as the standard's default. Several budgets of one type for the same period are
  added (publishers split a period by funding source) and the note says so; overlapping periods
  of different lengths are kept and reported, since which one is right cannot be known.
* **Spent** = disbursements (3) + expenditure (4), summed per calendar month of the transaction
  date, on the budget line whose period contains that date (the one starting last when periods
  overlap) in the same currency; spending outside every budget period of its currency goes to a
  line ``outside budget periods CUR`` whose budget is 0, so it is counted and visible.
* **Incoming funds**: types 1 (incoming funds) and 11 (incoming commitment) -> ``incoming_funds``,
  as issue 4 specifies (the reference says which IATI type it was, so the two stay apart); type
  2 (outgoing commitment) -> ``commitment``. The donor is the provider organisation's name.
* Other transaction types (reimbursements, loans, equity, pledges...) are counted and skipped.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict

from lxml import etree

from data_access.importers import iati_extension as ext
from data_access.importers.iati_values import read_value
from data_access.importers.iati_xml import (
    ActivityContext,
    code_of,
    currency_code,
    date_of,
    first_child,
    iso_date,
    narrative,
    period_dates,
)

CATEGORY = "operational"
SPENT_TYPES = {"3": "disbursement", "4": "expenditure"}
FUND_TYPES = {
    "1": ("incoming_funds", "incoming funds"),
    "11": ("incoming_funds", "incoming commitment"),
    "2": ("commitment", "outgoing commitment"),
}

Line = tuple[str, dt.date, dt.date, str]  # (line_code, start, end, currency)


def _amount(element: etree._Element, ctx: ActivityContext, what: str, path: str) -> tuple[float, str] | None:
    """(amount, currency) of a ``<value>``, or None after reporting why it was skipped."""
    value = first_child(element, "value")
    if value is None:
        ctx.skip(f"{what} without a value", f"{what} without a value skipped", element, path)
        return None
    reading = read_value(value.text)
    if reading.number is None:
        ctx.skip(
            f"{what} amount not a number",
            f"{what} amount {value.text!r} is not a number: skipped",
            element,
            path,
            value=value.text,
        )
        return None
    raw_currency = (value.get("currency") or "").strip()
    if raw_currency and currency_code(raw_currency) is None:
        ctx.skip(
            f"{what} currency not a code",
            f"{what} of {reading.number:g} in {raw_currency!r}, which is "
            "not a currency code: skipped (never read as another currency)",
            element,
            path,
            value=raw_currency,
        )
        return None
    currency = currency_code(raw_currency) or ctx.currency
    if currency is None:
        ctx.skip(
            f"{what} without a currency",
            f"{what} of {reading.number:g} has no currency and the activity no default-currency: skipped",
            element,
            path,
        )
        return None
    return reading.number, currency


def read_budgets(activity: etree._Element, ctx: ActivityContext) -> list[Line]:
    """Add the budget rows of an activity; return its lines for placing expenditure."""
    groups: dict[tuple[dt.date, dt.date, str], dict[str, list[tuple[float, dt.date | None]]]] = defaultdict(
        lambda: {"1": [], "2": []}
    )
    for index, budget in enumerate(ctx.all("budget"), start=1):
        path = f"budget[{index}]"
        if ext.has(budget, "line"):
            _extension_budget(budget, ctx, path)
            continue
        dates = period_dates(budget)
        if dates is None:
            ctx.skip(
                "budget without valid period",
                f"budget {index} skipped: its period needs a start and an end date, the end not before the start",
                budget,
                path,
            )
            continue
        start, end = dates
        amount = _amount(budget, ctx, "budget", path)
        if amount is None:
            continue
        kind = (budget.get("type") or "1").strip()
        if kind not in ("1", "2"):
            ctx.note("convention", f"budget {index} has type {kind!r}: read as original", budget, path)
            kind = "1"
        value_date = iso_date_attr(first_child(budget, "value"), "value-date")
        groups[(start, end, amount[1])][kind].append((amount[0], value_date))
    currencies_per_period: dict[tuple[dt.date, dt.date], int] = defaultdict(int)
    for start, end, _ in groups:
        currencies_per_period[(start, end)] += 1
    lines: list[Line] = []
    for (start, end, currency), kinds in sorted(groups.items()):
        code = f"{start}/{end}" + (f" {currency}" if currencies_per_period[(start, end)] > 1 else "")
        if _add_line(ctx, code, start, currency, kinds["1"], kinds["2"]):
            lines.append((code, start, end, currency))
    _report_overlaps(lines, ctx)
    return lines


def _extension_budget(budget: etree._Element, ctx: ActivityContext, path: str) -> None:
    """A budget of the dashboard's own export: one line (``md:line``, ``md:category``) and one of its
    amounts, the original (type 1) or a revision dated with its value-date (type 2, ``md:kind``)."""
    amount = _amount(budget, ctx, "budget", path)
    if amount is None:
        return
    revised = (budget.get("type") or "1").strip() == "2"
    ctx.add(
        "budget",
        {
            "project_code": ctx.code,
            "line_code": ext.get(budget, "line"),
            "category": ext.get(budget, "category") or CATEGORY,
            "description": ext.get(budget, "description"),
            "amount": amount[0],
            "currency": amount[1],
            "revision_date": iso_date_attr(first_child(budget, "value"), "value-date") if revised else None,
            "kind": ext.get(budget, "kind") or ("reallocation" if revised else "original"),
            "note": ext.get(budget, "note"),
        },
        ctx.source(budget, path),
    )


def read_spending_plan(ctx: ActivityContext) -> None:
    """Planned disbursements of the dashboard's own export (``md:plan``): the monthly spending plan."""
    for index, planned in enumerate(ctx.all("planned-disbursement"), start=1):
        if not ext.has(planned, "plan"):
            continue
        path = f"planned-disbursement[{index}]"
        start = iso_date(first_child(planned, "period-start"))
        amount = _amount(planned, ctx, "planned disbursement", path)
        if start is None or amount is None:
            continue
        ctx.add(
            "spending_plan",
            {"project_code": ctx.code, "month": start.replace(day=1), "amount": amount[0]},
            ctx.source(planned, path),
        )


def iso_date_attr(element: etree._Element | None, attribute: str) -> dt.date | None:
    return None if element is None else date_of(element.get(attribute))


def _add_line(
    ctx: ActivityContext,
    code: str,
    start: dt.date,
    currency: str,
    originals: list[tuple[float, dt.date | None]],
    revised: list[tuple[float, dt.date | None]],
) -> bool:
    """Add the rows of one budget line; False (reported) when it cannot be stored."""
    source = ctx.source(None, "budget")
    for kind_name, items in (("original", originals), ("revised", revised)):
        if items and sum(a for a, _ in items) < 0:
            ctx.skip(
                "negative budget",
                f"budget line {code}: the {kind_name} budget adds up to "
                f"{sum(a for a, _ in items):g}, below zero: the line is skipped",
                None,
                "budget",
            )
            return False
        if len(items) > 1:
            ctx.note(
                "convention",
                f"budget line {code}: {len(items)} {kind_name} budgets for the same "
                f"period added ({' + '.join(f'{a:g}' for a, _ in items)})",
                None,
                "budget",
            )
    row = {"project_code": ctx.code, "line_code": code, "category": CATEGORY, "currency": currency}
    if originals:
        ctx.add(
            "budget",
            {
                **row,
                "amount": sum(a for a, _ in originals),
                "revision_date": None,
                "kind": "original",
                "description": f"IATI budget {code}",
            },
            source,
        )
        if revised:
            dates = [d for _, d in revised if d is not None]
            ctx.add(
                "budget",
                {
                    **row,
                    "amount": sum(a for a, _ in revised),
                    "revision_date": max(dates) if dates else start,
                    "description": f"IATI budget {code}",
                    "note": "IATI revised budget (type 2): the current budget of the period",
                },
                source,
            )
    else:
        ctx.note(
            "convention",
            f"budget line {code}: only a revised budget published, stored as the line's amount",
            None,
            "budget",
        )
        ctx.add(
            "budget",
            {
                **row,
                "amount": sum(a for a, _ in revised),
                "revision_date": None,
                "kind": "original",
                "description": f"IATI budget {code} (revised)",
                "note": "IATI revised budget (type 2) without an original",
            },
            source,
        )
    return True


def _report_overlaps(lines: list[Line], ctx: ActivityContext) -> None:
    ordered = sorted(lines, key=lambda line: (line[3], line[1], line[2]))
    for a, b in itertools.pairwise(ordered):
        if a[3] == b[3] and b[1] <= a[2]:
            ctx.note(
                "info",
                f"budget periods {a[0]} and {b[0]} overlap: both kept (the file does not "
                "say which one is right; the total may count some money twice)",
                None,
                "budget",
            )


def read_transactions(activity: etree._Element, ctx: ActivityContext, lines: list[Line]) -> int:
    """Add expenditure (per line and month) and incoming funds / commitments; return the number of
    spending months stored (0: the activity publishes no spending, which is unknown, not zero)."""
    spent: dict[tuple[str, dt.date, str], float] = defaultdict(float)
    extra_lines: set[str] = set()
    for index, transaction in enumerate(ctx.all("transaction"), start=1):
        path = f"transaction[{index}]"
        type_el = first_child(transaction, "transaction-type")
        code = code_of(type_el, "code")
        if code not in SPENT_TYPES and code not in FUND_TYPES:
            ctx.skipped[f"transaction type {code or 'missing'} (not budget, spending or funding)"] += 1
            continue
        date = iso_date(first_child(transaction, "transaction-date")) or iso_date_attr(
            first_child(transaction, "value"), "value-date"
        )
        if date is None:
            ctx.skip(
                "transaction without a date",
                f"transaction {index} (type {code}) has no date: skipped",
                transaction,
                path,
            )
            continue
        amount = _amount(transaction, ctx, "transaction", path)
        if amount is None:
            continue
        if code in SPENT_TYPES:
            line = ext.get(transaction, "line") or _line_for(lines, date, amount[1])
            if line is None:
                line = f"outside budget periods {amount[1]}"
                extra_lines.add(line)
            spent[(line, date.replace(day=1), amount[1])] += amount[0]
            continue
        kind, label = FUND_TYPES[code]
        provider = first_child(transaction, "provider-org")
        donor = narrative(provider, ctx.lang) or (provider.get("ref") if provider is not None else None)
        donor = " ".join(donor.split())[:300] if donor else None
        reference = f"IATI {label}" + (f" {transaction.get('ref').strip()}" if transaction.get("ref") else "")
        ctx.add(
            "incoming_funds",
            {
                "project_code": ctx.code,
                "kind": kind,
                "date": date,
                "amount": amount[0],
                "currency": amount[1],
                "donor": donor,
                "reference": reference[:200],
            },
            ctx.source(transaction, path),
        )
    source = ctx.source(None, "transaction")
    for line in sorted(extra_lines):
        currency = line.rsplit(" ", 1)[1]
        ctx.note(
            "convention",
            f"spending outside every budget period in {currency}: placed on line {line!r} with a budget of 0",
            None,
            "transaction",
        )
        ctx.add(
            "budget",
            {
                "project_code": ctx.code,
                "line_code": line,
                "category": CATEGORY,
                "currency": currency,
                "amount": 0.0,
                "revision_date": None,
                "kind": "original",
                "description": "IATI spending outside budget periods",
            },
            source,
        )
    for (line, month, currency), total in sorted(spent.items()):
        ctx.add(
            "expenditure",
            {"project_code": ctx.code, "line_code": line, "month": month, "amount": total, "currency": currency},
            source,
        )
    return len(spent)


def _line_for(lines: list[Line], date: dt.date, currency: str) -> str | None:
    containing = [line for line in lines if line[3] == currency and line[1] <= date <= line[2]]
    if not containing:
        return None
    return max(containing, key=lambda line: (line[1], -(line[2] - line[1]).days))[0]
