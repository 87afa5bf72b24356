"""Small readers shared by the IATI importer modules: narratives, dates, and the per-activity
context that knows where a row or a note came from.

Element access uses direct child iteration rather than XPath: the importer must stay within a few
times the cost of parsing the file (see benchmarks/bench_import_iati.py).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree

from data_access.importers.tables import TABLES_BY_NAME, NoteKind, ParsedImport, ParsedRow, Source

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# IATI 1.x spelled some codes as words; files mixing versions still carry them. Each maps to its
# 2.0x code, so a 1.x activity is read by the same rules.
V1_CODES = {
    "activity-date": {"start-planned": "1", "start-actual": "2", "end-planned": "3", "end-actual": "4"},
    "transaction-type": {
        "IF": "1",
        "C": "2",
        "D": "3",
        "E": "4",
        "IR": "5",
        "LR": "6",
        "R": "7",
        "QP": "8",
        "QS": "9",
        "CG": "10",
    },
    "result": {"output": "1", "outcome": "2", "impact": "3"},
}


def code_of(element: etree._Element | None, attribute: str) -> str:
    """A coded attribute in its 2.0x form (a 1.x word such as ``start-planned`` becomes ``1``)."""
    if element is None:
        return ""
    raw = (element.get(attribute) or "").strip()
    return V1_CODES.get(element.tag, {}).get(raw, raw)


_ENGLISH = {"en", "eng", "en-gb", "en-us"}


def children(element: etree._Element, tag: str) -> list[etree._Element]:
    """Direct children with this tag (comments and other namespaces skipped)."""
    return [child for child in element if child.tag == tag]


def group_children(element: etree._Element) -> dict[object, list[etree._Element]]:
    """An element's children by tag, in document order, from one pass over them.

    An activity has hundreds of children (results, transactions, budgets) and a dozen readers
    each want one tag: grouping once spares each of them a pass over all the others.
    """
    groups: dict[object, list[etree._Element]] = {}
    for child in element:
        found = groups.get(child.tag)
        if found is None:
            groups[child.tag] = [child]
        else:
            found.append(child)
    return groups


def first_child(element: etree._Element, tag: str) -> etree._Element | None:
    for child in element:
        if child.tag == tag:
            return child
    return None


def narrative(element: etree._Element | None, default_lang: str = "") -> str | None:
    """The text of an element's narratives: the English one when there is one, else the first.

    A narrative without ``xml:lang`` is in the activity's language (``default_lang``). Leading and
    trailing space is removed; an element without narratives gives its own text (IATI 1.x style).
    """
    if element is None:
        return None
    texts = []
    for child in element:
        if child.tag == "narrative":
            text = (child.text or "").strip()
            if text:
                lang = (child.get(XML_LANG) or default_lang).lower()
                texts.append((lang in _ENGLISH, text))
    if not texts:
        own = (element.text or "").strip()
        return own or None
    for english, text in texts:
        if english:
            return text
    return texts[0][1]


def iso_date(element: etree._Element | None) -> dt.date | None:
    """``@iso-date`` of an element as a date; None when absent or not a date."""
    if element is None:
        return None
    return date_of(element.get("iso-date"))


def currency_code(raw: str | None) -> str | None:
    """An ISO 4217-shaped code (three letters, upper-cased), or None."""
    code = (raw or "").strip().upper()
    return code if len(code) == 3 and code.isascii() and code.isalpha() else None


def period_dates(element: etree._Element) -> tuple[dt.date, dt.date] | None:
    """(start, end) of an element with ``period-start`` and ``period-end`` children (a budget, a
    result period); None when a date is missing or invalid, or the period ends before it starts."""
    start = iso_date(first_child(element, "period-start"))
    end = iso_date(first_child(element, "period-end"))
    if start is None or end is None or end < start:
        return None
    return start, end


@lru_cache(maxsize=8192)
def date_of(raw: str | None) -> dt.date | None:
    """An ISO date (a datetime's date part is accepted); None when absent or not a date."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw[:10])
    except ValueError:
        return None


@dataclass
class ActivityContext:
    """One activity being read: its identity, defaults and a way to report about it."""

    parsed: ParsedImport
    file: str
    code: str
    line: int | None
    lang: str = ""
    currency: str | None = None  # the activity's default currency
    skipped: Counter = field(default_factory=Counter)  # reason -> count, for the summary
    # the activity's child elements by tag, in document order (see ``group_children``)
    elements: dict[object, list[etree._Element]] = field(default_factory=dict)
    # where every row and note of the activity points: made once, not once per row
    xpath: str = field(init=False)

    def __post_init__(self) -> None:
        self.xpath = f"iati-activity[iati-identifier='{self.code}']"

    def source(self, element: etree._Element | None = None, path: str = "", line: int | None = None) -> Source:
        if line is None:
            line = element.sourceline if element is not None else self.line
        return Source(self.file, None, None, line, f"{self.xpath}/{path}" if path else self.xpath)

    def all(self, tag: str) -> list[etree._Element]:
        """The activity's children with this tag (what ``children(activity, tag)`` gives)."""
        return self.elements.get(tag, [])

    def first(self, tag: str) -> etree._Element | None:
        """The activity's first child with this tag (what ``first_child(activity, tag)`` gives)."""
        found = self.elements.get(tag)
        return found[0] if found else None

    def add(self, table_name: str, values: dict[str, object], source: Source) -> None:
        """Append a row the reader has just built (``ParsedImport.add`` without its defensive copy:
        nothing else holds ``values``). The name is still checked: a typo is a bug, not data."""
        if table_name not in TABLES_BY_NAME:
            raise KeyError(f"unknown table {table_name!r}")
        tables = self.parsed.tables
        rows = tables.get(table_name)
        if rows is None:
            rows = tables[table_name] = []
        rows.append(ParsedRow(values, source))

    def note(
        self,
        kind: NoteKind,
        message: str,
        element: etree._Element | None = None,
        path: str = "",
        *,
        column: str | None = None,
        value: object = None,
    ) -> None:
        self.parsed.note(kind, f"{self.code}: {message}", self.source(element, path), column=column, value=value)

    def skip(
        self, reason: str, message: str, element: etree._Element | None = None, path: str = "", *, value: object = None
    ) -> None:
        """Report something not imported, and count it under ``reason`` for the file summary."""
        self.skipped[reason] += 1
        self.note("skipped", message, element, path, value=value)
