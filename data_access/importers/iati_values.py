"""Reading a number out of an IATI ``@value`` without ever guessing one.

IATI declares result values as ``xsd:decimal`` (``1234.5``), but real files carry whatever the
publisher typed: ``N/A``, ``TBD``, ``<15``, ``2020:2160``, ``80%``, ``740,000``, ``23,14``. The rule
is that a value becomes a number only when there is exactly one way to read it; everything else is
kept verbatim as text (the ``*_text`` columns) and counted in the import notes.

Accepted as numbers:

* a plain decimal: ``12``, ``-3.5``, ``1037.00``, ``.5`` (the form the schema asks for);
* thousands grouped in threes with a different decimal mark, or with several groups, which
  cannot be read two ways: ``1,234,567``, ``1,234.5``, ``1.234.567``, ``1.234,5``, ``1 234 567``;
* a decimal comma followed by anything but exactly three digits: ``23,14`` -> 23.14, ``0,2`` -> 0.2
  (a thousands group always has three digits, so these cannot be thousands);
* ``80%`` or ``80 %`` only when the indicator's measure is a percentage (the sign then says what
  the measure already says); for a count, ``80%`` is a different unit and stays text.

Kept as text: one comma followed by exactly three digits (``1,234`` and ``740,000`` are
thousands in English and decimals in most of Europe: a coin toss, so never a number), ranges,
comparisons (``<15``), ratios (``2020:2160``), words (``N/A``, ``TBD``).
A single ``.`` is always the decimal point, as in the schema (``1.234`` is 1.234).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_GROUPED_COMMA = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3}){2,})(?:\.(\d+))?")  # 1,234,567(.89)
_COMMA_THEN_POINT = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+)\.(\d+)")  # 1,234.5
_GROUPED_POINT = re.compile(r"([+-]?)(\d{1,3}(?:\.\d{3}){2,})(?:,(\d+))?")  # 1.234.567(,89)
_POINT_THEN_COMMA = re.compile(r"([+-]?)(\d{1,3}(?:\.\d{3})+),(\d+)")  # 1.234,5
_GROUPED_SPACE = re.compile(r"([+-]?)(\d{1,3}(?:[ \u00a0\u202f]\d{3})+)(?:[.,](\d+))?")  # 1 234 567
_DECIMAL_COMMA = re.compile(r"([+-]?)(\d+),(\d{1,2}|\d{4,})")  # 23,14  0,2  (never 3 digits)
_PERCENT = re.compile(r"(.+?)\s*%")


@dataclass(frozen=True)
class Reading:
    """The outcome of reading one value: a number, or the text kept as it was, and why."""

    number: float | None
    text: str | None
    how: str | None = None  # how a non-plain number was read, or why the text is not a number


@lru_cache(maxsize=65536)
def read_value(raw: str | None, percentage: bool = False) -> Reading:
    """Read an IATI value; ``percentage`` says the indicator's measure is a percentage.

    Cached: real files repeat the same few values (``0``, ``1``, ``N/A``) thousands of times.
    """
    if raw is None:
        return Reading(None, None)
    value = raw.strip()
    if not value:
        return Reading(None, None)
    if _PLAIN.fullmatch(value):
        return Reading(float(value), None)
    if percentage:
        match = _PERCENT.fullmatch(value)
        if match:
            inner = read_value(match.group(1))
            if inner.number is not None:
                return Reading(inner.number, None, f"read {value!r} as {inner.number:.15g} (percentage sign)")
    grouped = _grouped(value)
    if grouped is not None:
        return Reading(grouped, None, f"read {value!r} as {grouped:.15g} (thousands separators)")
    match = _DECIMAL_COMMA.fullmatch(value)
    if match:
        number = float(f"{match.group(1)}{match.group(2)}.{match.group(3)}")
        return Reading(number, None, f"read {value!r} as {number:.15g} (decimal comma)")
    return Reading(None, value, _why_text(value))


def _grouped(value: str) -> float | None:
    for pattern, group_sep in (
        (_GROUPED_COMMA, ","),
        (_COMMA_THEN_POINT, ","),
        (_GROUPED_POINT, "."),
        (_POINT_THEN_COMMA, "."),
        (_GROUPED_SPACE, None),
    ):
        match = pattern.fullmatch(value)
        if match:
            sign, whole, fraction = match.group(1), match.group(2), match.group(3)
            digits = re.sub(r"\D", "", whole) if group_sep is None else whole.replace(group_sep, "")
            return float(f"{sign}{digits}.{fraction}" if fraction else f"{sign}{digits}")
    return None


def _why_text(value: str) -> str:
    if re.fullmatch(r"[+-]?\d{1,3},\d{3}", value):
        return "one comma followed by three digits: thousands or decimals cannot be told apart"
    if value.endswith("%"):
        return "a percentage sign on an indicator that is not measured in percent"
    if re.match(r"[<>≤≥~]", value):
        return "a comparison, not a value"
    if re.fullmatch(r"[\d.,\s]+[:/-][\d.,\s]+", value):
        return "two numbers (a range or a ratio), not one value"
    return "not a number"
