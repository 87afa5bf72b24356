"""IATI activity XML (versions 2.01-2.03) -> the canonical import tables.

``parse_iati(data, file_name)`` reads a file with the hardened parser of ``safety`` (no entities,
no DTD, no network) and returns a :class:`ParsedImport` that the shared validation and
all-or-nothing writer store like any workbook. It takes what it can: an activity that cannot be
stored is skipped with the reason, and every convention applied is a note. Results, budgets and
transactions are read by :mod:`iati_results` and :mod:`iati_money`, dimensions by
:mod:`iati_dimensions`, numbers by :mod:`iati_values`; this module reads the activity itself.

Activity-level conventions (also in docs/iati.md):

* **Project code**: ``iati-identifier``. Title and description: the English narrative when there
  is one, else the first (description type 1 "general" preferred).
* **Managing country** (the data model needs one country office per project):
  1. the recipient country with the largest ``@percentage`` (the first listed on a tie; the only
     one when there is one);
  2. else, when the activity names exactly one IOM country office among its locations
     (``IOM Country Office - KG``), that country;
  3. else, when the person importing has named one (``managing_country`` of :func:`parse_iati`:
     ``import --iati-managing-country KEN``, or the Data page's choice), that country, with a
     note per activity: the importer never picks one itself, since attaching a regional or global
     programme to one country puts all its money in that country's totals, but someone who
     knows which office manages the file's regional programmes can say so once for the file;
  4. else the activity is **not imported** and the note names its recipient regions.
  ``countries`` lists every recipient country, ``country_percentages`` their percentages.
* **Dates**: start = actual start (type 2), else planned start (1); end = planned end (3), else
  actual end (4); when both end dates exist and differ, the actual end is the revised end date,
  so elapsed time uses when the activity really ended. An activity without a start or end date,
  or ending before it starts, is skipped (every time-based figure needs both).
* **Status** (ActivityStatus): 1 pipeline -> pipeline; 2 implementation -> active; 3
  finalisation, 4 closed, 5 cancelled -> closed (no more results are expected); 6 suspended ->
  active, with a note, so it stays visible to monitoring; missing -> closed when an actual end
  date is published, else active.
* **Donors**: participating organisations with role 1 (funding). **Thematic area**: the sector with
  the largest percentage, preferring IOM's thematic vocabulary 98, then DAC 5-digit (1) and
  3-digit (2) codes named by their DAC category, then any sector with a narrative.
* **Markers**: DAC policy markers (vocabulary 1; 1 gender, 2 environment, 6/7 climate
  mitigation/adaptation, 10 DRR, 11 disability) with significance 0/1/2 as published and 3/4 (both
  "principal objective" variants) as 2; IOM's vocabulary 99 (reporting org XM-DAC-47066) is the
  IOM Gender Marker, codes 0, 1, 2A, 2B, NA -> 0, 1, 2a, 2b, NA. The gender marker column takes
  the IOM marker when there is one, else the DAC gender marker; the others go to ``markers``.
* **Tags**: SDG targets from ``tag`` vocabulary 3 and ``sector`` vocabulary 8.
* **Currency**: ``@default-currency``, else the currency of most budget values, else of most
  transactions. When every budget and transaction value names one currency other than
  ``@default-currency`` (publishers do this), that currency: the money needs no conversion, and
  keeping the default would leave the budget unknown wherever the default has no exchange rate.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter

from lxml import etree

from data_access.errors import InvalidInput
from data_access.importers import iati_extension as ext
from data_access.importers.gc_pause import gc_paused
from data_access.importers.iati_dimensions import MappingLog
from data_access.importers.iati_money import read_budgets, read_spending_plan, read_transactions
from data_access.importers.iati_reference import (
    DAC_MARKER_SCHEMES,
    IOM_ORG_REF,
    SECTOR_CATEGORIES,
    policy_marker_label,
    region_label,
)
from data_access.importers.iati_results import read_results
from data_access.importers.iati_xml import (
    XML_LANG,
    ActivityContext,
    code_of,
    currency_code,
    first_child,
    group_children,
    iso_date,
    narrative,
)
from data_access.importers.safety import UnsafeFile, safe_parse_xml
from data_access.importers.tables import ParsedImport, Source
from monitoring.settings import load_settings
from reference.organisations import ORGANISATIONS
from reference.places import BY_ISO2, BY_ISO3

STATUS = {"1": "pipeline", "2": "active", "3": "closed", "4": "closed", "5": "closed", "6": "active"}
IOM_GENDER_CODES = {"0": "0", "1": "1", "2A": "2a", "2B": "2b", "NA": "NA"}
_OFFICE = re.compile(r"IOM Country Office\s*-\s*([A-Z]{2})\b")
_SDG_TARGET = re.compile(r"\d{1,2}\.[0-9a-z]{1,2}")
# Counted in the file summary: such a project shows 0 spent, which the file does not say.
_NO_SPENDING = "no spending"


class NotIatiActivities(UnsafeFile):
    """The XML is well-formed but not an IATI activity file (refused like any unreadable file)."""


def parse_iati(data: bytes, file_name: str, *, managing_country: str | None = None) -> ParsedImport:
    """Read an IATI activity file into canonical tables, with notes on everything not taken as is.

    ``managing_country`` (ISO3): the country office that manages the activities naming no
    recipient country (rule 3 above); ``None`` skips them. An unknown code is ``InvalidInput``.

    An IATI *organisation* file (``iati-organisations``) holds no activities: it parses to an empty
    import with a note saying so. Any other root element raises :class:`NotIatiActivities`.
    """
    if managing_country is not None:
        managing_country = managing_country.strip().upper()
        country = BY_ISO3.get(managing_country)
        if country is None or country.region is None:
            raise InvalidInput(
                f"managing country {managing_country!r} for IATI activities without a recipient "
                "country: not an ISO3 code of a country with a regional office"
            )
    with gc_paused():
        return _parse(data, file_name, managing_country)


def _parse(data: bytes, file_name: str, fallback_country: str | None = None) -> ParsedImport:
    tree = safe_parse_xml(data, file_name)
    root = tree.getroot()
    parsed = ParsedImport(file_name=file_name, format="iati", sha256=hashlib.sha256(data).hexdigest())
    if root.tag == "iati-organisations":
        parsed.note(
            "info",
            "an IATI organisation file: it describes organisations (their total "
            "budgets), not activities, so there is nothing to import as projects",
            Source(file_name),  # the whole file: the Data page says it where a workbook is told to fill its sheets
        )
        return parsed
    if root.tag != "iati-activities":
        raise NotIatiActivities(
            f"{file_name}: the root element is <{root.tag}>, not <iati-activities>; this is not an IATI activity file."
        )
    file_version = root.get("version") or "?"
    if not file_version.startswith("2."):
        parsed.note(
            "info",
            f"IATI version {file_version}: read with the 2.01-2.03 rules; the 1.x words for "
            "activity-date, transaction and result types are translated to their 2.0x codes, anything "
            "else that changed in 2.01 is reported where it stops an activity",
            Source(file_name, line=root.sourceline),
        )
    log = MappingLog()
    skipped: Counter = Counter()
    imported = 0
    children_of: dict[str, list[str]] = {}
    seen: set[str] = set()
    activities = [child for child in root if child.tag == "iati-activity"]
    for activity in activities:
        ctx = _context(activity, parsed, file_name, root)
        if ctx is None:
            skipped["activity without an iati-identifier"] += 1
            continue
        if ctx.code in seen:
            ctx.skip(
                "activity repeated in the file", "activity repeated in the file: only the first is imported", activity
            )
        elif _read_activity(activity, ctx, fallback_country):
            seen.add(ctx.code)
            children_of[ctx.code] = [
                (r.get("ref") or "").strip()
                for r in ctx.all("related-activity")
                if (r.get("type") or "").strip() == "2"
            ]
            read_results(activity, ctx, log)
            imported += 1
        skipped.update(ctx.skipped)
    _report_hierarchy(parsed, file_name, children_of)
    for line, how in log.readings:
        parsed.note("convention", how, Source(file_name, line=line))
    for line, text, why in log.texts:
        parsed.note(
            "skipped",
            f"value {text[:80]!r} kept as text, not read as a number: {why}",
            Source(file_name, line=line),
            value=text,
        )
    if log.texts:
        skipped["value kept as text (not a number)"] += len(log.texts)
    for sentence in log.summary():
        parsed.note("mapping", sentence, Source(file_name))
    _summary(parsed, file_name, file_version, len(activities), imported, skipped)
    return parsed


def _context(
    activity: etree._Element, parsed: ParsedImport, file_name: str, root: etree._Element
) -> ActivityContext | None:
    elements = group_children(activity)
    identifier = elements.get("iati-identifier", (None,))[0]
    code = " ".join(((identifier.text if identifier is not None else None) or "").split())
    if not code:
        parsed.note(
            "skipped",
            "activity without an iati-identifier skipped",
            Source(file_name, line=activity.sourceline, xpath="iati-activity"),
        )
        return None
    code = ext.get(activity, "code") or code  # the dashboard's own export: its project code
    lang = activity.get(XML_LANG) or root.get(XML_LANG) or ""
    raw = (activity.get("default-currency") or root.get("default-currency") or "").strip()
    ctx = ActivityContext(
        parsed, file_name, code, activity.sourceline, lang.lower(), currency_code(raw), elements=elements
    )
    if raw and ctx.currency is None:
        ctx.note(
            "skipped",
            f"default-currency {raw!r} is not a currency code: ignored (amounts without "
            "their own currency are skipped)",
            activity,
            value=raw,
        )
    return ctx


def _read_activity(activity: etree._Element, ctx: ActivityContext, fallback_country: str | None) -> bool:
    """Add the project row, budgets and transactions; False (with a note) when it cannot be stored."""
    if len(ctx.code) > 100:
        ctx.skip(
            "identifier longer than 100 characters",
            "the identifier is longer than the 100 characters a project code may have: activity skipped",
            activity,
        )
        return False
    countries, percentages = _countries(activity, ctx)
    managing = _managing_country(activity, ctx, countries, percentages, fallback_country)
    if managing is None:
        return False
    dates = _dates(activity, ctx)
    if dates is None:
        return False
    start, end, revised_end = dates
    reporting = ctx.first("reporting-org")
    reporting_ref = (reporting.get("ref") or "").strip() if reporting is not None else ""
    markers = _markers(activity, ctx, reporting_ref)
    gender_scheme = "IOM_GM" if "IOM_GM" in markers else "DAC_GENDER" if "DAC_GENDER" in markers else None
    row = {
        "project_code": ctx.code,
        "title": _title(activity, ctx),
        "description": _description(activity, ctx),
        "managing_country": managing,
        "region": BY_ISO3[managing].region,
        "countries": countries,
        "country_percentages": ";".join(f"{c}:{p:g}" for c, p in percentages.items()) or None,
        "donors": _donors(activity, ctx),
        "thematic_area": _thematic_area(activity, ctx),
        "start_date": start,
        "end_date": end,
        "revised_end_date": revised_end,
        "status": _status(activity, ctx, revised_end is not None or _has_actual_end(ctx)),
        "currency": _currency(activity, ctx),
        "gender_marker_scheme": gender_scheme,
        "gender_marker_code": markers.get(gender_scheme) if gender_scheme else None,
        "markers": ";".join(f"{s}:{c}" for s, c in markers.items() if s != gender_scheme) or None,
        "tags": _tags(activity),
        "reporting_org": _org_name(reporting, ctx),
    }
    ctx.add("projects", row, ctx.source(activity))
    _extension_fields(activity, row)
    lines = read_budgets(activity, ctx)
    read_spending_plan(ctx)
    if not read_transactions(activity, ctx, lines):
        ctx.skipped[_NO_SPENDING] += 1
    return True


def _extension_fields(activity: etree._Element, row: dict) -> None:
    """What the dashboard's own export adds in its extension (``iati_extension``): the fields IATI
    has no element for, which replace the conventions' guesses when present."""
    for column, name in (
        ("manager", "manager"),
        ("high_risk_context", "high-risk-context"),
        ("thematic_area", "thematic-area"),
        ("tags", "tags"),
    ):
        if ext.has(activity, name):
            row[column] = ext.get(activity, name)
    extra = ext.get(activity, "markers")
    if extra:
        row["markers"] = ";".join(filter(None, [row["markers"], extra]))
    for pair in (ext.get(activity, "aap") or "").split(";"):
        if ":" in pair:
            commitment, rating = pair.split(":", 1)
            row[f"aap_{commitment}"] = rating


# ---- countries and the managing office ------------------------------------------------------
def _countries(activity: etree._Element, ctx: ActivityContext) -> tuple[list[str], dict[str, float]]:
    countries: list[str] = []
    percentages: dict[str, float] = {}
    for element in ctx.all("recipient-country"):
        code = (element.get("code") or "").strip().upper()
        if code not in BY_ISO2:
            ctx.skip(
                "unknown recipient country",
                f"recipient-country {code!r} is not an ISO 3166 code: skipped",
                element,
                "recipient-country",
                value=code,
            )
            continue
        iso3 = BY_ISO2[code].iso3
        if iso3 in countries:
            continue
        countries.append(iso3)
        raw = (element.get("percentage") or "").strip()
        try:
            percentage = float(raw) if raw else None
        except ValueError:
            percentage = None
        if percentage is not None and 0 <= percentage <= 100:
            percentages[iso3] = percentage
        elif raw:
            ctx.note(
                "skipped",
                f"recipient-country {code} percentage {raw!r} is not between 0 and 100: kept without a percentage",
                element,
                "recipient-country",
                value=raw,
            )
    return countries, percentages


def _managing_country(
    activity: etree._Element,
    ctx: ActivityContext,
    countries: list[str],
    percentages: dict[str, float],
    fallback: str | None,
) -> str | None:
    own = ext.get(activity, "managing-country")  # the dashboard's own export names it
    if own in countries:
        return own
    if countries:
        if len(countries) > 1:
            best = max(countries, key=lambda c: (percentages.get(c, -1.0), -countries.index(c)))
            ctx.note(
                "convention",
                f"managing country {best}: the recipient country with the largest "
                f"percentage among {', '.join(countries)}",
                activity,
            )
        else:
            best = countries[0]
        if BY_ISO3[best].region is None:
            ctx.skip(
                "managing country without a regional office",
                f"managing country {best} has no regional office: activity skipped",
                activity,
            )
            return None
        return best
    offices = sorted({m.group(1) for name in _location_names(activity, ctx) if (m := _OFFICE.search(name))})
    if len(offices) == 1 and offices[0] in BY_ISO2 and BY_ISO2[offices[0]].region:
        iso3 = BY_ISO2[offices[0]].iso3
        ctx.note(
            "convention",
            f"no recipient country: managing country {iso3} from the only IOM country "
            "office among the activity's locations",
            activity,
        )
        return iso3
    regions = [
        region_label((r.get("code") or "").strip(), (r.get("vocabulary") or "1").strip())
        for r in ctx.all("recipient-region")
    ]
    where = f"only recipient region(s) {', '.join(regions)}" if regions else "no recipient country or region"
    office_text = f" and locations of {len(offices)} IOM country offices" if len(offices) > 1 else ""
    if fallback is not None:
        ctx.note(
            "convention",
            f"managing country {fallback} as chosen at import for activities without a "
            f"recipient country ({where}{office_text}): all its money counts in {fallback}",
            activity,
        )
        return fallback
    ctx.skip(
        "no managing country",
        f"activity not imported: {where}{office_text}, so no single country office "
        "can be said to manage it; name the office that manages it when importing (the Data page's choice "
        "for such activities, or import --iati-managing-country ISO3)",
        activity,
    )
    return None


def _location_names(activity: etree._Element, ctx: ActivityContext) -> list[str]:
    names = []
    for location in ctx.all("location"):
        name = narrative(first_child(location, "name"), ctx.lang)
        if name:
            names.append(name)
    return names


# ---- dates and status -----------------------------------------------------------------------
def _dates(activity: etree._Element, ctx: ActivityContext) -> tuple[dt.date, dt.date, dt.date | None] | None:
    found = {}
    for element in ctx.all("activity-date"):
        kind = code_of(element, "type")
        date = iso_date(element)
        if kind in ("1", "2", "3", "4") and date is not None and kind not in found:
            found[kind] = date
    start = found.get("2") or found.get("1")
    end = found.get("3") or found.get("4")
    revised = found.get("4") if found.get("3") and found.get("4") and found["4"] != found["3"] else None
    if start is None or end is None:
        missing = "start" if start is None else "end"
        ctx.skip(
            "no start or end date",
            f"activity not imported: no {missing} date (planned or actual); progress and burn need both",
            activity,
        )
        return None
    if end <= start or (revised is not None and revised <= start):
        ctx.skip(
            "ends before it starts",
            f"activity not imported: it ends ({revised or end}) on or before it starts ({start})",
            activity,
        )
        return None
    if revised is not None:
        ctx.note(
            "convention", f"planned end {end}, actual end {revised}: the actual end is the revised end date", activity
        )
    return start, end, revised


def _has_actual_end(ctx: ActivityContext) -> bool:
    return any(code_of(e, "type") == "4" for e in ctx.all("activity-date"))


def _status(activity: etree._Element, ctx: ActivityContext, ended: bool) -> str:
    element = ctx.first("activity-status")
    code = (element.get("code") or "").strip() if element is not None else ""
    if code in STATUS:
        if code == "6":
            ctx.note("convention", "status 6 (suspended) stored as active so it stays visible to monitoring", element)
        elif code == "5":
            ctx.note("convention", "status 5 (cancelled) stored as closed", element)
        return STATUS[code]
    status = "closed" if ended else "active"
    ctx.note(
        "convention",
        f"activity-status {code or 'missing'}: stored as {status} "
        f"({'an actual end date is published' if ended else 'no actual end date'})",
        activity,
    )
    return status


# ---- texts, organisations, sectors ----------------------------------------------------------
def _title(activity: etree._Element, ctx: ActivityContext) -> str:
    title = narrative(ctx.first("title"), ctx.lang) or ctx.code
    if len(title) > 1000:
        ctx.note("info", "title longer than 1000 characters shortened", activity, "title")
        title = title[:997] + "..."
    return title


def _description(activity: etree._Element, ctx: ActivityContext) -> str | None:
    descriptions = ctx.all("description")
    general = [d for d in descriptions if (d.get("type") or "1") == "1"]
    for element in general + descriptions:
        text = narrative(element, ctx.lang)
        if text:
            return text
    return None


def _org_name(element: etree._Element | None, ctx: ActivityContext) -> str | None:
    if element is None:
        return None
    name = narrative(element, ctx.lang)
    ref = (element.get("ref") or "").strip()
    if name and ref:
        return f"{name} ({ref})"
    return name or ref or None


def _donors(activity: etree._Element, ctx: ActivityContext) -> list[str]:
    donors: list[str] = []
    for org in ctx.all("participating-org"):
        if (org.get("role") or "").strip() != "1":
            continue
        ref = (org.get("ref") or "").strip()
        # a donor named only by its identifier takes the reference name where one is known
        name = narrative(org, ctx.lang) or ORGANISATIONS.get(ref, ref)
        name = " ".join(name.replace(";", ",").split())[:300]
        if name and name not in donors:
            donors.append(name)
    return donors


_VOCABULARY_PREFERENCE = {"98": 0, "1": 1, "2": 2}


def _thematic_area(activity: etree._Element, ctx: ActivityContext) -> str | None:
    candidates = []
    for position, sector in enumerate(ctx.all("sector")):
        vocabulary = (sector.get("vocabulary") or "1").strip()
        code = (sector.get("code") or "").strip()
        name = narrative(sector, ctx.lang)
        if vocabulary in ("1", "2") and code[:3] in SECTOR_CATEGORIES:
            name = SECTOR_CATEGORIES[code[:3]]
        if not name:
            continue
        try:
            percentage = float(sector.get("percentage") or 100)
        except ValueError:
            percentage = 0.0
        candidates.append((_VOCABULARY_PREFERENCE.get(vocabulary, 3), -percentage, position, name))
    return min(candidates)[3][:200] if candidates else None


def _money_currencies(ctx: ActivityContext) -> tuple[set[str], bool]:
    """The explicit ``value/@currency`` codes of the activity's budgets and transactions, and whether
    any of their values has none (it is then in ``@default-currency``)."""
    codes: set[str] = set()
    bare = False
    for tag in ("budget", "transaction"):
        for element in ctx.all(tag):
            value = first_child(element, "value")
            code = currency_code(value.get("currency")) if value is not None else None
            if code:
                codes.add(code)
            elif value is not None:
                bare = True
    return codes, bare


def _currency(activity: etree._Element, ctx: ActivityContext) -> str:
    if ctx.currency:
        codes, bare = _money_currencies(ctx)
        if not bare and len(codes) == 1 and ctx.currency not in codes:
            (code,) = codes
            ctx.note(
                "convention",
                f"every budget and transaction value is in {code}, none in the default-currency "
                f"{ctx.currency}: project currency {code} (no conversion needed)",
                activity,
            )
            return code
        return ctx.currency
    for tag in ("budget", "transaction"):
        found = Counter()
        for element in ctx.all(tag):
            value = first_child(element, "value")
            code = currency_code(value.get("currency")) if value is not None else None
            if code:
                found[code] += 1
        if found:
            currency = found.most_common(1)[0][0]
            ctx.note(
                "convention",
                f"no default-currency: project currency {currency}, the currency of most {tag} values",
                activity,
            )
            return currency
    ctx.note(
        "convention",
        "no currency anywhere in the activity: project currency USD (no amount "
        "was imported, so nothing is counted in it)",
        activity,
    )
    return "USD"


# ---- markers and tags -----------------------------------------------------------------------
def _markers(activity: etree._Element, ctx: ActivityContext, reporting_ref: str) -> dict[str, str]:
    markers: dict[str, str] = {}
    for index, element in enumerate(ctx.all("policy-marker"), start=1):
        path = f"policy-marker[{index}]"
        vocabulary = (element.get("vocabulary") or "1").strip()
        code = (element.get("code") or "").strip()
        significance = (element.get("significance") or "").strip()
        if vocabulary == "99" and reporting_ref == IOM_ORG_REF:
            scheme, value = "IOM_GM", IOM_GENDER_CODES.get(code.upper())
            if value is None:
                ctx.skip(
                    "policy marker not recognised",
                    f"IOM gender marker code {code!r} is not one of 0, 1, 2A, 2B, NA: skipped",
                    element,
                    path,
                    value=code,
                )
                continue
        elif vocabulary == "1" and code in DAC_MARKER_SCHEMES:
            scheme = DAC_MARKER_SCHEMES[code]
            if significance in ("0", "1", "2"):
                value = significance
            elif significance in ("3", "4"):
                value = "2"
                ctx.note(
                    "convention",
                    f"{scheme} significance {significance} (a principal-objective variant) stored as 2",
                    element,
                    path,
                )
            else:
                ctx.skip(
                    "policy marker without significance",
                    f"DAC {policy_marker_label(code, vocabulary)} "
                    f"has no valid significance ({significance or 'none'}): skipped",
                    element,
                    path,
                )
                continue
        else:
            ctx.skipped[f"{policy_marker_label(code, vocabulary)} (no scheme in the dashboard)"] += 1
            continue
        if scheme in markers:
            ctx.note(
                "skipped",
                f"second {scheme} marker ({value}) skipped: the first ({markers[scheme]}) is kept",
                element,
                path,
            )
            continue
        markers[scheme] = value
    return markers


def _tags(activity: etree._Element) -> str | None:
    codes = []
    for element in activity:
        if element.tag not in ("tag", "sector"):
            continue
        vocabulary = (element.get("vocabulary") or "").strip()
        if (element.tag, vocabulary) in (("tag", "3"), ("sector", "8")):
            code = (element.get("code") or "").strip().lower()
            if _SDG_TARGET.fullmatch(code) and f"SDG:{code}" not in codes:
                codes.append(f"SDG:{code}")
    return ";".join(codes) or None


# ---- the file summary -----------------------------------------------------------------------
def _report_hierarchy(parsed: ParsedImport, file_name: str, children_of: dict[str, list[str]]) -> None:
    """A parent activity and its child both imported are two projects; say that money may repeat.

    IATI lets a programme (parent) and its projects (children) each publish budgets and
    transactions; whether the parent's figures include the children's is not stated, so both are
    kept as published and the pair is reported rather than guessed away.
    """
    for parent, kids in children_of.items():
        both = [kid for kid in kids if kid in children_of]
        if both:
            parsed.note(
                "info",
                f"{parent} is the parent activity of {', '.join(both)}: all are imported as "
                "separate projects; if the parent's budget includes its children's, portfolio totals "
                "count that money twice",
                Source(file_name, xpath=f"iati-activity[iati-identifier='{parent}']"),
            )


def _report_past_end(parsed: ParsedImport, file_name: str, imported: int) -> None:
    """Say how many imported activities are "active" although they ended (DOMAIN.md 5 PAST_END_DATE
    as of today, the date the pages open on): a real file's stale statuses (58 of 109 "active" IOM
    activities ended before 2022) should not be news to the person on the first page they open."""
    grace = load_settings().past_end_grace_days
    limit = dt.date.today() - dt.timedelta(days=grace)
    past = sum(
        1
        for r in parsed.rows("projects")
        if r.values.get("status") == "active"
        and (r.values.get("revised_end_date") or r.values.get("end_date") or limit) < limit
    )
    if past:
        parsed.note(
            "info",
            f'{past} of {imported} imported activities are "active" although their (revised) end date passed more '
            f"than {grace} days ago: the pages flag them PAST_END_DATE (past its end date, still active) until "
            "they are closed or an extension is recorded",
            Source(file_name),
        )


def _summary(parsed: ParsedImport, file_name: str, version: str, total: int, imported: int, skipped: Counter) -> None:
    counts = parsed.row_counts()
    parsed.note(
        "info",
        f"IATI {version}: {imported} of {total} activities imported; rows: "
        + ", ".join(f"{name} {count}" for name, count in counts.items()),
        Source(file_name),
    )
    no_spending = skipped.pop(_NO_SPENDING, 0)
    if no_spending:
        parsed.note(
            "info",
            f"{no_spending} of {imported} imported activities publish no disbursement or "
            'expenditure: their spending is unknown, and the dashboard shows it as "not reported" (never 0), '
            "their budgets apart from delivery",
            Source(file_name),
        )
    _report_past_end(parsed, file_name, imported)
    if skipped:
        parsed.note(
            "info",
            "skipped: "
            + "; ".join(
                f"{reason} x{count}" for reason, count in sorted(skipped.items(), key=lambda kv: (-kv[1], kv[0]))
            ),
            Source(file_name),
        )
