"""IATI ``dimension`` elements: recognising sex and age, and never adding across variables.

IATI attaches ``<dimension name=".." value=".."/>`` to baselines, targets and actuals. Publishers
name them freely (``sex``, ``Gender - genre``, ``Age (-18/18+)``, ``Age_OPD``, ``Direct/ Indirect``)
and some misuse them: ``<dimension name="Boys" value="22"/>`` puts the *category* in the name and
the *number* in the value. This module turns every value element into observations, each a
:data:`Cell` (variable -> category) with a value, and resolves one period's observations into a
total, the female / male / other columns and the remaining breakdowns.

Recognised (and reported as a mapping):

* **sex**: a dimension named sex / gender / genre / sexe / geslacht / género (any spelling, any
  decoration such as ``Gender - genre``), whose values map to ``female`` (female, woman, girl,
  femme, féminin, mujer, vrouw, ...), ``male`` (male, man, boy, homme, masculin, hombre, ...) or
  ``other`` (other, unknown, inconnu, unspecified, non-binary, ...: the model's other-or-unknown).
* **age**: a dimension whose name contains the word age (``Age (-18/18+)``, ``Age_SRH``, ``edad``,
  ``leeftijd``); categories are normalised when their meaning is certain: ``under 18`` /
  ``Age < 18`` -> ``0-17``, ``18+`` / ``Age 18 >`` -> ``18+``, ``over 50`` -> ``51+``,
  ``15-24 yrs`` -> ``15-24``, ``Unknown`` -> ``unknown``; anything else is kept as published.
* **people categories**: ``Women`` / ``Men`` / ``Girls`` / ``Boys`` (and French, Spanish, Dutch
  equivalents) are a sex and an age group at once (``female`` + ``adult``, ``male`` + ``child``...).
* Every other dimension is kept as published (name and value, stripped) and reported as such.

A ``location`` on a value is not a dimension (DOMAIN.md section 10: a value without dimensions is
the total); values of the same cell published separately per location are summed for counts.

Totals (DOMAIN.md section 10): a value without dimensions is the total. When only breakdowns
exist, the total is their sum only when one group of cells (the same variables) forms a complete
grid that partitions the population: female + male (+ other); female/male x under 18/18+. A
variable constant across the cells describes who is counted and does not stop the sum
(female + male, all ``Direct beneficiaries`` -> the direct beneficiaries), except sex: cells that
are all female are the female subtotal, never the total (the men may simply not be reported).
Two groups (by sex, and separately by age) are never added together; if each gives a total and
they disagree, no total is derived. Sums are made only for counts (measure unit), never for
percentages or text. The female / male / other columns take a cell that has sex as its only
variable, or else the per-sex sums over the smallest complete grid that includes sex.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from lxml import etree

from data_access.importers.iati_values import Reading, read_value

SEX = "sex"
AGE = "age"
SEXES = ("female", "male", "other")
UNNAMED = "unnamed"  # a category published as a dimension name with the number as its value

Cell = tuple[tuple[str, str], ...]  # ((variable, category), ...) sex first, then age, then others

_SEX_NAMES = re.compile(r"\b(sex|sexe|gender|genre|geslacht|genero|sexo|geschlecht)\b")
_AGE_NAMES = re.compile(r"(^|[^a-z])(age|ages|edad|leeftijd|alter)([^a-z]|$)")
_FEMALE = {
    "female",
    "females",
    "f",
    "woman",
    "women",
    "feminin",
    "feminine",
    "femme",
    "femmes",
    "femenino",
    "mujer",
    "mujeres",
    "vrouw",
    "vrouwen",
    "vrouwelijk",
    "girl",
    "girls",
    "fille",
    "filles",
    "nina",
    "ninas",
    "meisje",
    "meisjes",
    "weiblich",
}
_MALE = {
    "male",
    "males",
    "m",
    "man",
    "men",
    "masculin",
    "masculine",
    "homme",
    "hommes",
    "masculino",
    "hombre",
    "hombres",
    "mannelijk",
    "mannen",
    "boy",
    "boys",
    "garcon",
    "garcons",
    "nino",
    "ninos",
    "jongen",
    "jongens",
    "mannlich",
}
_OTHER = {
    "other",
    "others",
    "unknown",
    "inconnu",
    "inconnue",
    "autre",
    "autres",
    "unspecified",
    "not specified",
    "non specifie",
    "nonbinary",
    "non-binary",
    "non binary",
    "x",
    "intersex",
    "otro",
    "otros",
    "desconocido",
    "onbekend",
    "anders",
    "prefer not to say",
}
# People categories that are a sex and an age group at once.
_PEOPLE = {
    **{w: ("female", "adult") for w in ("women", "woman", "femmes", "mujeres", "vrouwen")},
    **{w: ("male", "adult") for w in ("men", "man", "hommes", "hombres", "mannen")},
    **{w: ("female", "child") for w in ("girls", "girl", "filles", "ninas", "meisjes")},
    **{w: ("male", "child") for w in ("boys", "boy", "garcons", "ninos", "jongens")},
}
_YEARS = r"(?:\s*(?:yrs|years|ans|y))?"
_UNDER = re.compile(r"(?:age\s*)?(?:<|under|below|less than|younger than|moins de|-)\s*(\d+)" + _YEARS)
_AT_LEAST = re.compile(
    r"(?:age\s*)?(\d+)\s*(?:\+|>|and above|and over|or more|or older|yrs and above"
    r"|years and above|ans et plus)" + _YEARS
)
_OVER = re.compile(r"(?:age\s*)?(?:>|over|above|older than|plus de)\s*(\d+)" + _YEARS)
_BETWEEN = re.compile(r"(?:age\s*)?(?:between\s*)?(\d+)\s*(?:-|to|–|and)\s*(\d+)" + _YEARS)
_UNKNOWN_AGE = {"unknown", "inconnu", "unspecified", "not specified", "onbekend", "desconocido"}


@lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    """Lower case without accents or surrounding space: ``Féminin `` -> ``feminin``."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=4096)
def variable_of(name: str) -> str:
    """The variable a published dimension name stands for: ``sex``, ``age`` or the name itself."""
    folded = _fold(name)
    if _SEX_NAMES.search(folded):
        return SEX
    if _AGE_NAMES.search(folded.replace("_", " ")):
        return AGE
    return " ".join(name.split())


@lru_cache(maxsize=4096)
def sex_of(value: str) -> str | None:
    """``female`` / ``male`` / ``other`` for a recognisable value (``Female - feminin``), else None."""
    folded = _fold(value)
    if folded in _FEMALE:
        return "female"
    if folded in _MALE:
        return "male"
    if folded in _OTHER:
        return "other"
    found = set()
    for token in re.split(r"\s*[-/|,;()]\s*|\s+", folded):
        if token in _FEMALE:
            found.add("female")
        elif token in _MALE:
            found.add("male")
        elif token in _OTHER:
            found.add("other")
    return found.pop() if len(found) == 1 else None


@lru_cache(maxsize=4096)
def age_band(value: str) -> str:
    """A normalised age category when its meaning is certain, else the value as published."""
    folded = _fold(value)
    if folded in _UNKNOWN_AGE:
        return "unknown"
    if match := _UNDER.fullmatch(folded):
        return f"0-{int(match.group(1)) - 1}"
    if match := _AT_LEAST.fullmatch(folded):
        return f"{int(match.group(1))}+"
    if match := _OVER.fullmatch(folded):
        return f"{int(match.group(1)) + 1}+"
    if match := _BETWEEN.fullmatch(folded):
        return f"{int(match.group(1))}-{int(match.group(2))}"
    return " ".join(value.split())


def implied_cell(name: str) -> dict[str, str]:
    """The cell a category published as a dimension *name* stands for.

    ``Women`` -> female adult; ``Female under 18`` -> female 0-17; ``Female`` -> female; anything
    else -> ``{"unnamed": name}``.
    """
    folded = _fold(name)
    if folded in _PEOPLE:
        sex, age = _PEOPLE[folded]
        return {SEX: sex, AGE: age}
    first, _, rest = folded.partition(" ")
    sex = sex_of(first)
    if sex is not None and first not in {"x", "f", "m"}:
        return {SEX: sex, AGE: age_band(rest)} if rest else {SEX: sex}
    return {UNNAMED: " ".join(name.split())}


def make_cell(mapping: dict[str, str]) -> Cell:
    """The canonical (ordered) form of a cell: sex, then age, then the others by name."""
    if len(mapping) < 2:  # most cells: nothing to order
        return tuple(mapping.items())
    return tuple(sorted(mapping.items(), key=_cell_order))


_ORDER = {SEX: 0, AGE: 1}


def _cell_order(item: tuple[str, str]) -> tuple[int, str]:
    return _ORDER.get(item[0], 2), item[0]


def describe_cell(cell: Cell) -> tuple[str, str]:
    """(dimension, category) as stored in breakdowns: ``("sex|age", "female|0-17")``."""
    return "|".join(v for v, _ in cell), "|".join(c for _, c in cell)


# ---- observations ---------------------------------------------------------------------------
class Observation(NamedTuple):
    """One value of one cell, as read from a baseline, target or actual element (a tuple: cheap to
    make, and there is one per value element of the file)."""

    cell: Cell
    reading: Reading
    location: str = ""
    line: int | None = None


@dataclass
class MappingLog:
    """What every published dimension became, for the import report."""

    names: dict[str, str | None] = field(default_factory=dict)  # published name -> what it became (None: kept)
    values: Counter = field(default_factory=Counter)  # (name, value, category) -> count
    ignored: Counter = field(default_factory=Counter)  # dimension names without a value, ignored
    readings: list[tuple[int | None, str]] = field(default_factory=list)  # how a value was read
    texts: list[tuple[int | None, str, str]] = field(default_factory=list)  # (line, value, why) kept as text

    def summary(self) -> list[str]:
        """One sentence per published dimension name: what it was mapped to, with counts."""
        by_name: dict[str, list[str]] = defaultdict(list)
        for (name, value, category), count in sorted(self.values.items()):
            by_name[name].append(f"{value!r} -> {category} x{count}")
        lines = []
        for name, became in sorted(self.names.items()):
            how = "kept as published" if became is None else f"mapped to {became}"
            lines.append(f"dimension {name!r} {how}: " + "; ".join(by_name.get(name, [])))
        for name, count in sorted(self.ignored.items()):
            lines.append(f"dimension {name!r} without a value ignored x{count} (nothing to break down)")
        return lines


def observations(element: etree._Element, percentage: bool, log: MappingLog) -> list[Observation]:
    """The observations of one baseline / target / actual element.

    A standard element gives one observation (its dimensions are its cell). An element whose
    dimensions carry numbers (``name="Boys" value="22"``) gives one observation per dimension
    plus one for its own ``@value``: the female (male) subtotal when every part is female (male)
    and they add up to it (``Female under 18 + Female 18-50 + ...``), otherwise the total of the
    element (``Boys + Girls + Men + Women``). ``Women`` and ``Men`` without ``Girls`` or ``Boys``
    (or the reverse) are read as sex only: the age group would then add nothing.
    """
    reading = read_value(element.get("value"), percentage)
    if reading.how:
        if reading.number is not None:
            log.readings.append((element.sourceline, reading.how))
        else:
            log.texts.append((element.sourceline, reading.text or "", reading.how))
    if not len(element):  # the common case: a bare value, the total
        return [Observation((), reading, "", element.sourceline)]
    base: dict[str, str] = {}
    counted: list[tuple[str, dict[str, str], Reading]] = []  # (name, implied cell, value)
    locations = []
    for child in element:
        tag = child.tag
        if tag == "dimension":
            _add_dimension(child, base, counted, log, percentage)
        elif tag == "location":
            ref = (child.get("ref") or "").strip()
            if ref:
                locations.append(ref)
    location = ";".join(sorted(locations))
    line = element.sourceline
    if not counted:
        return [Observation(make_cell(base), reading, location, line)]
    people_ages = {implied.get(AGE) for _, implied, _ in counted if implied.get(AGE) in ("adult", "child")}
    if len(people_ages) == 1:
        # only Women/Men (or only Girls/Boys): the age group says nothing the sex does not
        counted = [(name, {k: v for k, v in implied.items() if k != AGE}, value) for name, implied, value in counted]
    for name, implied, _ in counted:
        log.values[(name, "(a number)", "|".join(implied.values()))] += 1
    result = [Observation(make_cell({**implied, **base}), value, location, line) for _, implied, value in counted]
    if reading.number is not None or reading.text is not None:
        parts = [v.number for _, _, v in counted]
        sexes = {implied.get(SEX) for _, implied, _ in counted}
        shared = {SEX: sexes.pop()} if len(sexes) == 1 and None not in sexes else {}
        adds_up = (
            reading.number is not None
            and None not in parts
            and math.isclose(sum(p for p in parts if p is not None), reading.number, rel_tol=1e-9, abs_tol=1e-9)
        )
        cell = {**shared, **base} if adds_up else dict(base)
        result.append(Observation(make_cell(cell), reading, location, line))
    return result


def _add_dimension(
    child: etree._Element,
    base: dict[str, str],
    counted: list[tuple[str, dict[str, str], Reading]],
    log: MappingLog,
    percentage: bool,
) -> None:
    name = (child.get("name") or "").strip()
    raw = child.get("value")
    value = (raw or "").strip()
    if not value:
        log.ignored[name or "(no name)"] += 1
        return
    variable = variable_of(name) if name else UNNAMED
    as_number = read_value(value, percentage)
    if variable not in (SEX, AGE) and as_number.number is not None:
        implied = implied_cell(name)
        counted.append((name, implied, as_number))
        log.names.setdefault(name, "the category it names, with the number as its value")
        return
    people = _PEOPLE.get(_fold(value))
    if people and variable not in (SEX, AGE):
        base[SEX] = people[0]
        base.setdefault(AGE, people[1])
        log.names.setdefault(name, "sex and age")
        log.values[(name, value, f"{people[0]}|{people[1]}")] += 1
        return
    if variable == SEX:
        category = sex_of(value) or " ".join(value.split())
    elif variable == AGE:
        category = age_band(value)
    else:
        category = " ".join(value.split())
    if variable in base and base[variable] != category:
        # the same variable twice on one value (``Age`` and ``Age_OPD``): keep both, by name
        variable = " ".join(name.split())
    base[variable] = category
    log.names.setdefault(name, variable if variable in (SEX, AGE) else None)
    log.values[(name, value, category)] += 1


# ---- resolving one period -------------------------------------------------------------------
@dataclass
class Resolved:
    """A period's value after applying the rules above."""

    number: float | None = None
    text: str | None = None
    sexes: dict[str, float] = field(default_factory=dict)
    breakdowns: list[tuple[str, str, float | None, str | None]] = field(default_factory=list)
    derived: str | None = None  # how the total was derived, when it was
    problems: list[str] = field(default_factory=list)  # what was skipped, and why


def resolve(obs: list[Observation], *, counts: bool) -> Resolved:
    """Total, sex columns and breakdowns of one period's observations (``counts``: measure unit)."""
    if not obs:
        return Resolved()
    if len(obs) == 1 and not obs[0].cell:  # the common case: one value without dimensions
        return Resolved(obs[0].reading.number, obs[0].reading.text)
    out = Resolved()
    cells = _merge_locations(obs, counts, out)
    total = cells.pop((), None)
    if total is not None:
        out.number, out.text = total.number, total.text
    for cell, reading in cells.items():
        if (
            len(cell) == 1
            and cell[0][0] == SEX
            and cell[0][1] in SEXES
            and reading.number is not None
            and reading.number >= 0
        ):
            out.sexes[cell[0][1]] = reading.number
        else:
            dimension, category = describe_cell(cell)
            out.breakdowns.append((dimension, category, reading.number, reading.text))
    if counts and cells:
        _derive(cells, out, total is None)
    return out


def _merge_locations(obs: list[Observation], counts: bool, out: Resolved) -> dict[Cell, Reading]:
    """One reading per cell: values of the same cell for distinct locations are summed (counts)."""
    grouped: dict[Cell, list[Observation]] = defaultdict(list)
    for o in obs:
        if o.reading.number is None and o.reading.text is None:
            continue
        grouped[o.cell].append(o)
    merged: dict[Cell, Reading] = {}
    for cell, items in grouped.items():
        first = items[0]
        locations = [o.location for o in items]
        numbers = [o.reading.number for o in items]
        if (
            len(items) > 1
            and counts
            and all(locations)
            and len(set(locations)) == len(locations)
            and None not in numbers
        ):
            total = sum(n for n in numbers if n is not None)
            merged[cell] = Reading(total, None)
            if not cell:
                out.derived = f"total = sum over locations {', '.join(locations)}"
                out.breakdowns.extend(("location", o.location, o.reading.number, None) for o in items)
            continue
        merged[cell] = first.reading
        others = {(o.reading.number, o.reading.text) for o in items[1:]} - {(first.reading.number, first.reading.text)}
        if others:
            label = describe_cell(cell)[1] or "without dimensions"
            kept = first.reading.text if first.reading.number is None else f"{first.reading.number:g}"
            out.problems.append(
                f"{len(items)} values {label} (line {first.line}): kept the first ({kept}), "
                f"skipped {', '.join(str(t if n is None else f'{n:g}') for n, t in sorted(others, key=str))}"
            )
    return merged


def _derive(cells: dict[Cell, Reading], out: Resolved, need_total: bool) -> None:
    """Sex columns and total from complete grids (see the module docstring)."""
    groups: dict[tuple[str, ...], dict[Cell, float]] = defaultdict(dict)
    for cell, reading in cells.items():
        if cell:
            groups[tuple(v for v, _ in cell)][cell] = math.nan if reading.number is None else reading.number
    totals: list[tuple[str, float]] = []
    exact_sexes = bool(out.sexes)
    for variables, group in sorted(groups.items(), key=lambda kv: len(kv[0])):
        if any(math.isnan(v) for v in group.values()):
            continue
        categories = [{cell[i][1] for cell in group} for i in range(len(variables))]
        if len(group) != math.prod(len(c) for c in categories) or all(len(c) == 1 for c in categories):
            continue  # not a complete grid, or a single cell: no partition
        sex_at = variables.index(SEX) if SEX in variables else None
        if sex_at is None or len(categories[sex_at]) > 1:
            constant = [f"{v} = {next(iter(c))}" for v, c in zip(variables, categories, strict=False) if len(c) == 1]
            label = "|".join(variables) + (f" (all {', '.join(constant)})" if constant else "")
            totals.append((label, sum(group.values())))
        if sex_at is not None and not exact_sexes:
            for sex in SEXES:
                part = [v for cell, v in group.items() if cell[sex_at][1] == sex]
                if part and sex not in out.sexes and sum(part) >= 0:
                    out.sexes[sex] = sum(part)
    if not need_total or not totals:
        return
    values = {round(t, 9) for _, t in totals}
    if len(values) == 1:
        out.number = totals[0][1]
        out.derived = f"total = sum of the breakdown by {' and by '.join(v for v, _ in totals)}"
    else:
        listed = ", ".join(f"by {v}: {t:g}" for v, t in totals)
        out.problems.append(f"breakdowns add up to different totals ({listed}): no total derived")
