"""The dashboard's own IATI extension: what a results matrix holds that IATI 2.03 cannot say.

IATI lets a publisher add attributes of another XML namespace to ``iati-activity``, ``result``,
``indicator``, ``baseline``, ``period``, ``budget``, ``transaction`` and ``planned-disbursement``
(the 2.03 schema's ``anyAttribute namespace="##other"``); every IATI tool ignores them. The
dashboard's export (``data_access.iati_export``) writes the standard elements *and* these
attributes, and the importer reads them when present, so exporting a database and importing the
file into an empty one reproduces the figures; a file without them (every other publisher's) is
read by the stated conventions of docs/iati.md as before.

What the attributes carry (``md:`` = :data:`NS`):

* activity: ``md:code`` (the project code; the identifier adds the reporting organisation's prefix),
  ``md:managing-country`` (ISO3; the importer's convention takes the largest percentage),
  ``md:results`` (JSON: the results without indicators, which IATI cannot publish),
  ``md:manager``, ``md:high-risk-context`` (yes/no), ``md:thematic-area``, ``md:tags`` and
  ``md:markers`` (``SCHEME:CODE;...`` for the schemes IATI has no code for), ``md:aap``
  (``commitment:rating;...``);
* result: ``md:code``, ``md:level`` (objective, outcome, output, activity), ``md:parent``;
* indicator: ``md:code``, ``md:unit``, ``md:measure`` (yes/no has no IATI measure),
  ``md:accumulation``, ``md:disaggregation``, ``md:end-target`` and ``md:end-target-text`` (the
  end-of-project target is not a period's), ``md:baseline-text``, and the results monitoring
  framework's ``md:data-source``, ``md:collection-method``, ``md:frequency``, ``md:responsible``;
* baseline: ``md:no-date`` (IATI requires a year; the stored baseline had no date);
* period: ``md:reported-on``, ``md:source`` (the evidence of the actual);
* budget: ``md:line``, ``md:category``, ``md:kind``, ``md:description``, ``md:note`` (a budget line and
  one dated revision of it);
* transaction (expenditure): ``md:line`` (the budget line the month's spending is booked on);
* planned-disbursement: ``md:plan="yes"`` (a month of the spending plan).
"""

from __future__ import annotations

from lxml import etree

NS = "urn:x-results-monitoring-dashboard:iati:1"
PREFIX = "md"


def md(name: str) -> str:
    """The qualified attribute name ``{NS}name``."""
    return f"{{{NS}}}{name}"


def get(element: etree._Element | None, name: str) -> str | None:
    """The extension attribute ``name`` of ``element``, stripped; None when absent or empty."""
    if element is None:
        return None
    value = element.get(md(name))
    if value is None:
        return None
    value = value.strip()
    return value or None


def has(element: etree._Element | None, name: str) -> bool:
    """Whether ``element`` carries the extension attribute ``name`` (even empty: "no value")."""
    return element is not None and element.get(md(name)) is not None
