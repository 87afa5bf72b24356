"""IATI 2.03 activities out: results, budgets, transactions and policy markers (issue 14 part 4).

``python -m data_access export-iati --output FILE.xml [--scope ...]`` writes one ``iati-activity``
per project in scope, built from the canonical tables of ``importers.export.Exporter`` (the CSV
export's rows, so the two exports can never disagree). The file validates against the official
2.03 activity schema kept in ``data_access/iati_schema/`` (:func:`validate`), and importing it
into an empty database reproduces the figures of ``report`` (tests/test_iati_export.py).

How each part is written (docs/follow-up.md has the table):

* identifier ``<org-ref>-<project code>`` (the code alone when it already starts with the prefix);
  reporting organisation IOM (``XM-DAC-47066``, type 40) unless ``--org-ref``/``--org-name`` say
  otherwise; donors as participating organisations of role 1 (funding), the organisation itself as
  role 4 (implementing); status pipeline 1, active 2, closed 4; dates planned start (1), planned end
  (3) and the revised end date as the actual end (4), as the importer reads them.
* recipient countries (ISO 3166 alpha-2) with their percentages when stored, the managing country
  first; SDG targets as ``tag`` vocabulary 3.
* policy markers: the IOM Gender Marker in IOM's vocabulary 99 (codes 0, 1, 2A, 2B, NA), the DAC
  markers in vocabulary 1 with their significance; schemes IATI has no code for (IASC GAM,
  protection, rights-based) in the extension.
* budgets: one ``budget`` per budget line and revision (type 1 original, type 2 revised, dated
  with the revision date), over the project's dates; spending as expenditure transactions (type 4)
  per line and month; incoming funds as type 1 (incoming funds) or 2 (commitment) transactions;
  the spending plan as planned disbursements.
* results: one ``result`` per result that has indicators (type 1 output, 2 outcome, 3 impact for
  an objective; IATI requires at least one indicator per result, so results without any travel in
  the extension); indicators with measure (1 unit, 2 percentage, 5 qualitative; yes/no as 1 with
  the extension saying yes/no), ``ascending``, baseline (year and date), and one ``period`` per
  reporting period with the milestone target and the current actual: its total without a dimension,
  the sex values as ``sex`` dimensions (female, male, other) and the other breakdowns (age...) as
  dimensions named as stored; text values as they are (2.03 values are text).
* What IATI cannot say is in the dashboard's extension attributes
  (:mod:`data_access.importers.iati_extension`), which IATI tools ignore.

Numbers are written in plain decimal notation (never ``1e-05``, which the importer keeps as text).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access import models as m
from data_access.errors import InvalidInput
from data_access.importers.export import Exporter
from data_access.importers.iati_extension import NS, PREFIX, md
from data_access.importers.iati_reference import DAC_MARKER_SCHEMES, IOM_ORG_REF
from data_access.queries import readable_projects
from data_access.scope import Scope
from reference.places import BY_ISO3

SCHEMA_DIR = Path(__file__).resolve().parent / "iati_schema"
ACTIVITY_SCHEMA = SCHEMA_DIR / "iati-activities-schema.xsd"
IOM_NAME = "International Organization for Migration"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

STATUS_CODES = {"pipeline": "1", "active": "2", "closed": "4"}
RESULT_TYPES = {"output": "1", "outcome": "2", "objective": "3"}
MEASURE_CODES = {"number": "1", "percentage": "2", "yes_no": "1", "qualitative": "5"}
DAC_CODES = {scheme: code for code, scheme in DAC_MARKER_SCHEMES.items()}
IOM_GM_CODES = {"0": "0", "1": "1", "2a": "2A", "2b": "2B", "NA": "NA"}
SEX_COLUMNS = {"actual_female": "female", "actual_male": "male", "actual_other": "other"}
TABLES = (
    "projects",
    "results",
    "indicators",
    "periods",
    "breakdowns",
    "budget",
    "expenditure",
    "spending_plan",
    "incoming_funds",
)


def number(value: float) -> str:
    """A float in plain decimal notation that reads back to the same float (``12``, ``0.00001``)."""
    return np.format_float_positional(float(value), trim="-")


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: Any) -> etree._Element:
    element = etree.SubElement(parent, tag)
    for name, value in attrs.items():
        set_attr(element, name.replace("_", "-"), value)
    if text is not None:
        element.text = text
    return element


def set_attr(element: etree._Element, name: str, value: Any) -> None:
    """Set an attribute when the value is known (``md:`` names go in the extension namespace)."""
    text = _text(value)
    if text is None:
        return
    element.set(md(name[3:]) if name.startswith("md:") else name, text)


def _narrative(parent: etree._Element, tag: str, text: str | None, **attrs: Any) -> etree._Element:
    element = _sub(parent, tag, **attrs)
    _sub(element, "narrative", text or "")
    return element


def _dated(parent: etree._Element, tag: str, day: dt.date) -> None:
    _sub(parent, tag, iso_date=day.isoformat())


def _value(parent: etree._Element, amount: float, currency: str, day: dt.date) -> None:
    _sub(parent, "value", number(amount), currency=currency, value_date=day.isoformat())


class IatiWriter:
    """Builds the ``iati-activities`` document of the projects in scope, table by table."""

    def __init__(self, session: Session, scope: Scope, org_ref: str, org_name: str):
        self.org_ref, self.org_name = org_ref, org_name
        codes = set(session.scalars(select(m.Project.code).where(m.Project.id.in_(readable_projects(scope)))))
        exporter = Exporter(session)
        self.rows: dict[str, dict[str, list[dict]]] = {}
        for name in TABLES:
            grouped: dict[str, list[dict]] = defaultdict(list)
            for row in getattr(exporter, name)():
                if row.get("project_code") in codes:
                    grouped[row["project_code"]].append(row)
            self.rows[name] = grouped
        self.projects = [rows[0] for rows in self.rows["projects"].values()]

    def document(self, generated: dt.datetime) -> etree._ElementTree:
        root = etree.Element("iati-activities", nsmap={PREFIX: NS})
        root.set("version", "2.03")
        root.set("generated-datetime", generated.replace(microsecond=0).isoformat())
        for project in sorted(self.projects, key=lambda p: p["project_code"]):
            self._activity(root, project, generated)
        return etree.ElementTree(root)

    def identifier(self, code: str) -> str:
        return code if code.startswith(f"{self.org_ref}-") else f"{self.org_ref}-{code}"

    # ---- one activity -------------------------------------------------------------------------
    def _activity(self, root: etree._Element, p: dict, generated: dt.datetime) -> None:
        code = p["project_code"]
        a = _sub(root, "iati-activity", default_currency=p["currency"], hierarchy="1")
        a.set("last-updated-datetime", generated.replace(microsecond=0).isoformat())
        a.set(XML_LANG, "en")
        markers = _pairs(p["markers"])
        if p["gender_marker_scheme"]:
            markers[p["gender_marker_scheme"]] = p["gender_marker_code"]
        extra_markers = {s: c for s, c in markers.items() if s != "IOM_GM" and s not in DAC_CODES}
        for name, value in (
            ("md:code", code),
            ("md:managing-country", p["managing_country"]),
            ("md:manager", p["manager"]),
            ("md:high-risk-context", p["high_risk_context"]),
            ("md:thematic-area", p["thematic_area"]),
            ("md:tags", p["tags"]),
            ("md:markers", ";".join(f"{s}:{c}" for s, c in sorted(extra_markers.items()))),
            ("md:aap", ";".join(f"{k[4:]}:{v}" for k, v in sorted(p.items()) if k.startswith("aap_") and v)),
        ):
            set_attr(a, name, value or None)
        _sub(a, "iati-identifier", self.identifier(code))
        _narrative(a, "reporting-org", self.org_name, ref=self.org_ref, type="40")
        _narrative(a, "title", p["title"])
        _narrative(a, "description", p["description"] or p["title"], type="1")
        for donor in _list(p["donors"]):
            _narrative(a, "participating-org", donor, role="1")
        _narrative(a, "participating-org", self.org_name, role="4", ref=self.org_ref)
        _sub(a, "activity-status", code=STATUS_CODES[p["status"]])
        _sub(a, "activity-date", type="1", iso_date=p["start_date"].isoformat())
        _sub(a, "activity-date", type="3", iso_date=p["end_date"].isoformat())
        if p["revised_end_date"]:
            _sub(a, "activity-date", type="4", iso_date=p["revised_end_date"].isoformat())
        self._countries(a, p)
        for scheme, tag in (t.split(":", 1) for t in _list(p["tags"])):
            if scheme == "SDG":
                _narrative(a, "tag", f"SDG target {tag}", vocabulary="3", code=tag)
        if "IOM_GM" in markers:
            _sub(a, "policy-marker", vocabulary="99", code=IOM_GM_CODES[markers["IOM_GM"]])
        for scheme, value in sorted(markers.items()):
            if scheme in DAC_CODES:
                _sub(a, "policy-marker", vocabulary="1", code=DAC_CODES[scheme], significance=value)
        self._budgets(a, p)
        self._transactions(a, p)
        self._results(a, code)

    def _countries(self, a: etree._Element, p: dict) -> None:
        percentages = _pairs(p["country_percentages"])
        order = [p["managing_country"]] + [c for c in _list(p["countries"]) if c != p["managing_country"]]
        for iso3 in order:
            country = BY_ISO3.get(iso3)
            if country is None:
                continue
            _sub(a, "recipient-country", code=country.iso2, percentage=percentages.get(iso3))

    # ---- money --------------------------------------------------------------------------------
    def _budgets(self, a: etree._Element, p: dict) -> None:
        code, start = p["project_code"], p["start_date"]
        end = p["revised_end_date"] or p["end_date"]
        for row in self.rows["budget"].get(code, []):
            revised = row["revision_date"] is not None
            budget = _sub(a, "budget", type="2" if revised else "1", status="2")
            for name in ("line", "category", "kind", "description", "note"):
                set_attr(budget, f"md:{name}", row["line_code" if name == "line" else name])
            _dated(budget, "period-start", start)
            _dated(budget, "period-end", end)
            _value(budget, row["amount"], row["currency"], row["revision_date"] or start)
        for row in self.rows["spending_plan"].get(code, []):
            month = dt.date.fromisoformat(f"{row['month']}-01")
            plan = _sub(a, "planned-disbursement", type="1")
            set_attr(plan, "md:plan", "yes")
            _dated(plan, "period-start", month)
            _dated(plan, "period-end", _month_end(month))
            _value(plan, row["amount"], p["currency"], month)

    def _transactions(self, a: etree._Element, p: dict) -> None:
        code = p["project_code"]
        for row in self.rows["expenditure"].get(code, []):
            month = dt.date.fromisoformat(f"{row['month']}-01")
            t = _sub(a, "transaction")
            set_attr(t, "md:line", row["line_code"])
            _sub(t, "transaction-type", code="4")
            _dated(t, "transaction-date", month)
            _value(t, row["amount"], row["currency"], month)
        for row in self.rows["incoming_funds"].get(code, []):
            t = _sub(a, "transaction", ref=row["reference"])
            _sub(t, "transaction-type", code="1" if row["kind"] == "incoming_funds" else "2")
            _dated(t, "transaction-date", row["date"])
            _value(t, row["amount"], row["currency"], row["date"])
            if row["donor"]:
                _narrative(t, "provider-org", row["donor"])

    # ---- results ------------------------------------------------------------------------------
    def _results(self, a: etree._Element, code: str) -> None:
        indicators: dict[str | None, list[dict]] = defaultdict(list)
        for row in self.rows["indicators"].get(code, []):
            indicators[row["result_code"]].append(row)
        periods: dict[str, list[dict]] = defaultdict(list)
        for row in self.rows["periods"].get(code, []):
            periods[row["indicator_code"]].append(row)
        breakdowns: dict[tuple, list[dict]] = defaultdict(list)
        for row in self.rows["breakdowns"].get(code, []):
            breakdowns[(row["indicator_code"], row["period_start"], row["period_end"])].append(row)
        bare = []
        for res in self.rows["results"].get(code, []):
            if not indicators.get(res["result_code"]):
                bare.append({k: res[k] for k in ("result_code", "level", "parent_code", "statement")})
                continue
            r = _sub(a, "result", type=RESULT_TYPES.get(res["level"], "9"))
            for name, key in (("md:code", "result_code"), ("md:level", "level"), ("md:parent", "parent_code")):
                set_attr(r, name, res[key])
            _narrative(r, "title", res["statement"])
            for ind in indicators[res["result_code"]]:
                self._indicator(r, ind, periods.get(ind["indicator_code"], []), breakdowns)
        if indicators.get(None):
            raise InvalidInput(
                f"project {code}: indicators {', '.join(i['indicator_code'] for i in indicators[None])} belong to "
                "no result; IATI publishes indicators inside results only. Attach them to a result first."
            )
        if bare:
            set_attr(a, "md:results", json.dumps(bare, ensure_ascii=False, separators=(",", ":")))

    def _indicator(self, r: etree._Element, ind: dict, periods: list[dict], breakdowns: dict) -> None:
        measure = ind["measure"] or "number"
        i = _sub(
            r,
            "indicator",
            measure=MEASURE_CODES[measure],
            ascending="0" if ind["direction"] == "decrease" else "1",
        )
        for name, key in (
            ("md:code", "indicator_code"),
            ("md:unit", "unit"),
            ("md:measure", "measure"),
            ("md:accumulation", "accumulation"),
            ("md:disaggregation", "disaggregation"),
            ("md:end-target", "end_target"),
            ("md:end-target-text", "end_target_text"),
            ("md:baseline-text", "baseline_text"),
            ("md:data-source", "data_source"),
            ("md:collection-method", "collection_method"),
            ("md:frequency", "frequency"),
            ("md:responsible", "responsible"),
        ):
            set_attr(i, name, ind[key])
        _narrative(i, "title", ind["name"])
        value = ind["baseline"] if ind["baseline"] is not None else ind["baseline_text"]
        if value is not None or ind["baseline_date"] is not None:
            day = ind["baseline_date"]
            b = _sub(i, "baseline", year=str((day or dt.date(1900, 1, 1)).year))
            set_attr(b, "iso-date", day)
            set_attr(b, "value", value)
            set_attr(b, "md:no-date", "yes" if day is None else None)
        for row in periods:
            self._period(i, row, breakdowns.get((row["indicator_code"], row["period_start"], row["period_end"]), []))

    def _period(self, i: etree._Element, row: dict, breakdowns: list[dict]) -> None:
        period = _sub(i, "period")
        set_attr(period, "md:reported-on", row.get("reported_on"))
        set_attr(period, "md:source", row.get("source"))
        _dated(period, "period-start", row.get("period_start"))
        _dated(period, "period-end", row.get("period_end"))
        target = row.get("target") if row.get("target") is not None else row.get("target_text")
        if target is not None:
            _sub(period, "target", value=target)
        actual = row.get("actual") if row.get("actual") is not None else row.get("actual_text")
        if actual is not None or row.get("comment"):
            element = _sub(period, "actual", value=actual)
            if row.get("comment"):
                _narrative(element, "comment", row.get("comment"))
        for column, sex in SEX_COLUMNS.items():
            if row.get(column) is not None:
                element = _sub(period, "actual", value=row.get(column))
                _sub(element, "dimension", name="sex", value=sex)
        for b in breakdowns:
            value = b["value"] if b["value"] is not None else b["value_text"]
            element = _sub(period, "actual", value=value)
            _sub(element, "dimension", name=b["dimension"], value=b["category"])


def _list(text: str | None) -> list[str]:
    return [v for v in (text or "").split(";") if v]


def _pairs(text: str | None) -> dict[str, str]:
    return dict(v.split(":", 1) for v in _list(text))


def _month_end(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def write_iati(
    session: Session,
    scope: Scope,
    output: Path,
    *,
    org_ref: str = IOM_ORG_REF,
    org_name: str = IOM_NAME,
    generated: dt.datetime | None = None,
) -> int:
    """Write the projects of ``scope`` as an IATI 2.03 activity file; return the activities written."""
    writer = IatiWriter(session, scope, org_ref, org_name)
    tree = writer.document(generated or dt.datetime.now(dt.UTC).replace(tzinfo=None))
    output.parent.mkdir(parents=True, exist_ok=True)
    tree.write(str(output), xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return len(writer.projects)


def validate(path: Path) -> list[str]:
    """Errors of ``path`` against the official IATI 2.03 activity schema (empty when valid)."""
    schema = etree.XMLSchema(etree.parse(str(ACTIVITY_SCHEMA)))
    document = etree.parse(str(path))
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def activities(path: Path) -> Iterable[etree._Element]:
    """The ``iati-activity`` elements of a written file (tests, summaries)."""
    return etree.parse(str(path)).getroot().iterfind("iati-activity")
