"""Who may write what: an import under a scope may create or change only projects inside it.

Reading and writing are deliberately different. A chief of mission *reads* every project managed
by their office and every multi-country project implemented in their country
(``data_access.queries.readable_projects``), but *writes* only projects their office manages: the
managing office owns a project's results matrix, budget and reporting, so an office that only
implements part of it must not overwrite what the managing office submitted. The rules:

* **organisation** (leadership, the administrator: the command line without ``--as``): anything.
* **countries** / **regions**: a stored project must be readable by the scope *and* managed by one
  of the scope's countries; a new project must name a ``managing_country`` inside the scope; a
  project row may not hand a stored project to an office outside the scope.
* **projects** / **managers** (a programme manager): only their own projects (the codes listed and
  those naming them as manager), and no new projects (creating a project is the managing office's
  decision).
* A scope that is a union (a chief of mission who also manages a project elsewhere) may write what
  any of its parts may.
* Organisation-wide data is leadership's: new countries and donors and other countries' shares of a
  project (``write_reference``), ``fx_rates`` (every USD figure depends on them) and
  ``people`` (who may see what) cannot be imported under a narrower scope. An evaluation may be imported only if every
  project it is, or would be, linked to is writable, and it names at least one project.
* One exception for ``people``: a person may change **their own** email-alert frequency
  (``digest``) and nothing else. A ``people`` row under a narrower scope is accepted only when its
  email is the scope's person, its (email, role) row is already stored (nobody grants themselves a
  role) and every other column it carries (name, scope, active) holds the stored value: those stay
  leadership's. The sidebar's "Email alerts" control sends such rows (``people.digest_rows``).

Every row that touches a project outside the write scope is refused, so nothing is written. The
error is reported once per project and reason, located at the first such row (file, sheet, row,
column, value) and naming how many rows of which sheets share it ("... (75 rows in 6 tables:
projects row 3, results rows 3-8, ...)"): a refused project fills every sheet of its workbook, and
75 identical errors would hide any other.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access import models as m
from data_access.importers.report import ValidationReport
from data_access.importers.tables import TABLE_NAMES, Source, table
from data_access.importers.validate import Validated, ValidRow
from data_access.importers.write_reference import check_reference_and_shares
from data_access.queries import readable_projects
from data_access.scope import Scope
from reference.places import COUNTRIES

ORGANISATION_ONLY_TABLES = ("fx_rates", "people")


def _join(names: list[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``: the countries a scope may write."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


@dataclass
class WriteScope:
    """What ``scope`` may write, loaded once per import (stored projects and their managing country).

    A scope is a union (data_access/scope.py): a project is writable when any part allows it.
    """

    scope: Scope
    country_names: dict[str, str] = field(default_factory=dict)  # ISO3 -> name, every stored country
    countries: frozenset[str] = frozenset()  # ISO3 of the countries the scope's places cover
    managed_by: dict[str, str] = field(default_factory=dict)  # stored project code -> managing ISO3
    readable: frozenset[str] = frozenset()  # stored project codes the scope may read
    own: frozenset[str] = frozenset()  # project codes the scope names or manages (programme manager)

    @classmethod
    def load(cls, session: Session, scope: Scope) -> WriteScope:
        names = dict(session.execute(select(m.Country.iso3, m.Country.name)).all())
        managed = dict(
            session.execute(
                select(m.Project.code, m.Country.iso3)
                .join(m.CountryOffice, m.Project.managing_office_id == m.CountryOffice.id)
                .join(m.Country, m.CountryOffice.country_id == m.Country.id)
            ).all()
        )
        readable = frozenset(session.scalars(select(m.Project.code).where(m.Project.id.in_(readable_projects(scope)))))
        countries = set(scope.countries)
        if scope.regions:
            countries |= set(
                session.scalars(
                    select(m.Country.iso3)
                    .join(m.Region, m.Country.region_id == m.Region.id)
                    .where(m.Region.code.in_(scope.regions))
                )
            )
        own = set(scope.projects)
        if scope.managers:
            own |= set(
                session.scalars(
                    select(m.Project.code).where(func.lower(func.trim(m.Project.manager)).in_(scope.managers))
                )
            )
        return cls(scope, names, frozenset(countries), managed, readable, frozenset(own))

    # ---- how the scope is named in reasons ----------------------------------------------------
    def country(self, iso3: str) -> str:
        return self.country_names.get(iso3, iso3)

    @property
    def who(self) -> str:
        parts = []
        if self.scope.countries:
            parts.append(f"chief of mission of {_join([self.country(c) for c in self.scope.countries])}")
        if self.scope.regions:
            parts.append(f"regional director of {_join(list(self.scope.regions))}")
        if self.own or self.scope.managers:
            parts.append(f"programme manager of {', '.join(sorted(self.own)) or ', '.join(self.scope.managers)}")
        return " and ".join(parts) or "someone with no access"

    @property
    def places_allowed(self) -> str:
        """The projects the scope's places may write and create."""
        parts = []
        if self.scope.countries:
            parts.append(f"projects managed by {_join([self.country(c) for c in self.scope.countries])}")
        if self.scope.regions:
            parts.append(f"projects managed by a country of {_join(list(self.scope.regions))}")
        return " or ".join(parts)

    @property
    def allowed(self) -> str:
        parts = [self.places_allowed] if self.places_allowed else []
        if self.own:
            parts.append(f"your projects ({', '.join(sorted(self.own))})")
        return " or ".join(parts) or "nothing"

    # ---- the rules ----------------------------------------------------------------------------
    def refuse_stored(self, code: str) -> str | None:
        """Why a stored project may not be changed under this scope (None: it may)."""
        if self.scope.organisation or code in self.own:
            return None
        manager = self.managed_by.get(code)
        if code in self.readable and manager in self.countries:
            return None
        if not self.places_allowed:
            return f"{code} is not one of your projects; as {self.who} you can import only {self.allowed}"
        managed = f"is managed by {self.country(manager)}" if manager else "has no managing office"
        return f"{code} {managed}; as {self.who} you can import only {self.allowed}"

    def refuse_new(self, code: str, managing_country: str | None) -> str | None:
        """Why a project not yet stored may not be created under this scope (None: it may)."""
        if self.scope.organisation or managing_country in self.countries:
            return None
        if not self.places_allowed:
            return (
                f"{code} is a new project; as {self.who} you can change {self.allowed} but not "
                "create projects: the managing office creates them"
            )
        return (
            f"{code} would be a new project managed by {self.country(managing_country or '?')}; "
            f"as {self.who} you can create only {self.places_allowed}"
        )

    def refuse_handover(self, code: str, managing_country: str) -> str | None:
        """Why a stored, writable project may not get this managing country (None: it may)."""
        if self.scope.organisation or managing_country in self.countries or code in self.own:
            return None
        return (
            f"{code} would be handed to {self.country(managing_country)}; as {self.who} you can import "
            f"only {self.allowed}: the receiving office or leadership makes the handover"
        )


def refusal(session: Session, scope: Scope, project_code: str) -> str | None:
    """Why ``scope`` may not change the stored project ``project_code`` (None: it may).

    The rule every import applies, for a page deciding whether to offer a form at all (the Project
    page's actual entry): the import under that scope checks it again, so a form offered by mistake
    or a crafted submission is still refused.
    """
    return WriteScope.load(session, scope).refuse_stored(project_code)


def _numbers(numbers: list[int], word: str) -> str:
    """``row 3``, ``rows 3-8``, or ``rows 3-40 (12 rows)`` when they are not consecutive."""
    numbers = sorted(set(numbers))
    if len(numbers) == 1:
        return f"{word} {numbers[0]}"
    span = f"{word}s {numbers[0]}-{numbers[-1]}"
    return span if numbers[-1] - numbers[0] + 1 == len(numbers) else f"{span} ({len(numbers)} {word}s)"


class _Refusals:
    """The refused rows, grouped by what the error says (column, value, reason) in the order found."""

    def __init__(self) -> None:
        self.found: dict[tuple[str | None, str | None, str], list[tuple[str, Source]]] = defaultdict(list)

    def add(self, table_name: str, source: Source, column: str | None, value: str | None, reason: str) -> None:
        self.found[(column, value, reason)].append((table_name, source))

    def report_to(self, report: ValidationReport) -> None:
        """One error per group at its first row; the others are counted and placed by sheet."""
        for (column, value, reason), places in self.found.items():
            if len(places) > 1:
                reason = f"{reason} ({self._where(places)})"
            report.error(places[0][1], column, value, reason)

    @staticmethod
    def _where(places: list[tuple[str, Source]]) -> str:
        by_sheet: dict[tuple[str, str], list[int]] = defaultdict(list)  # (file, sheet) -> rows or XML lines
        word = {}
        for name, source in places:
            key = (source.file, source.sheet or name)
            by_sheet[key].append(source.row if source.row is not None else source.line or 0)
            word[key] = "row" if source.row is not None else "line"
        sheets = [sheet for _, sheet in by_sheet]
        spans = ", ".join(
            f"{sheet if sheets.count(sheet) == 1 else f'{sheet} of {file}'} {_numbers(numbers, word[file, sheet])}"
            for (file, sheet), numbers in by_sheet.items()
        )
        if len(by_sheet) == 1:
            return spans
        return f"{len(places)} rows in {len(by_sheet)} tables: {spans}"


def check_write_scope(session: Session, validated: Validated, scope: Scope) -> None:
    """Add an error to ``validated.report`` for the rows outside what ``scope`` may write (one per
    project and reason, see the module docstring)."""
    if scope.organisation:
        return
    rules = WriteScope.load(session, scope)
    refused = _Refusals()
    new_managers = {
        r.model.project_code: r.model.managing_country
        for r in validated.rows("projects")
        if r.model.project_code not in rules.managed_by
    }

    def refusal(code: str) -> str | None:
        if code in rules.managed_by:
            return rules.refuse_stored(code)
        if code in new_managers:
            return rules.refuse_new(code, new_managers[code])
        return None  # neither stored nor in the files: already an error ("no such project")

    own_rows = _own_people_rows(session, validated, scope)
    for name in TABLE_NAMES:
        if name in ORGANISATION_ONLY_TABLES:
            for r in validated.rows(name):
                if name == "people" and id(r) in own_rows:
                    continue
                refused.add(
                    name,
                    r.source,
                    None,
                    None,
                    f"{name} are organisation-wide; as {rules.who} you cannot import them: leadership imports them",
                )
            continue
        if "project_code" not in table(name).column_names:
            continue
        for r in validated.rows(name):
            reason = refusal(r.model.project_code)
            if reason:
                refused.add(name, r.source, "project_code", r.model.project_code, reason)
            elif name == "projects" and r.model.project_code in rules.managed_by and r.has("managing_country"):
                handover = rules.refuse_handover(r.model.project_code, r.model.managing_country)
                if handover:
                    refused.add(name, r.source, "managing_country", r.model.managing_country, handover)
    _check_evaluations(session, validated, rules, refusal, refused)
    check_reference_and_shares(session, validated, rules, refused)  # write_reference: leadership's values
    refused.report_to(validated.report)


def _own_people_rows(session: Session, validated: Validated, scope: Scope) -> set[int]:
    """The ``people`` rows (by ``id``) a person may import themselves: their own stored rows,
    changing nothing but ``digest`` (module docstring). Every other ``people`` row stays leadership's."""
    email = scope.person.strip().lower()
    rows = [r for r in validated.rows("people") if r.model.email == email]
    if not rows:
        return set()
    stored = {
        (p.email, p.role): {"name": p.name, "scope": p.scope or None, "active": p.active}
        for p in session.scalars(select(m.Person).where(m.Person.email == email))
    }

    def unchanged(r: ValidRow) -> bool:
        before = stored.get((r.model.email, r.model.role))
        if before is None:
            return False
        after = {
            "name": r.model.name,
            "scope": ";".join(r.model.scope or ()) or None,
            "active": r.model.active is not False,  # empty means yes
        }
        return all(after[c] == before[c] for c in before if r.has(c))

    return {id(r) for r in rows if unchanged(r)}


def _check_evaluations(session: Session, validated: Validated, rules: WriteScope, refusal, refused: _Refusals) -> None:
    """An evaluation is shared by its projects: every project it is or would be linked to must be writable."""
    rows: list[ValidRow] = validated.rows("evaluations")
    if not rows:
        return
    stored_links: dict[str, set[str]] = {}
    for evaluation, project in session.execute(
        select(m.Evaluation.code, m.Project.code)
        .join(m.EvaluationProject, m.EvaluationProject.evaluation_id == m.Evaluation.id)
        .join(m.Project, m.EvaluationProject.project_id == m.Project.id)
        .where(m.Evaluation.code.in_(sorted({r.model.evaluation_code for r in rows})))
    ):
        stored_links.setdefault(evaluation, set()).add(project)
    for r in rows:
        named = list(r.model.project_codes or ()) if r.has("project_codes") else []
        for code in named:
            reason = refusal(code)
            if reason:
                refused.add("evaluations", r.source, "project_codes", code, reason)
        for code in sorted(stored_links.get(r.model.evaluation_code, set()) - set(named)):
            reason = refusal(code)
            if reason:
                refused.add(
                    "evaluations",
                    r.source,
                    "evaluation_code",
                    r.model.evaluation_code,
                    f"evaluation {r.model.evaluation_code} is linked to a project outside your scope: {reason}",
                )
        if not named and not stored_links.get(r.model.evaluation_code):
            refused.add(
                "evaluations",
                r.source,
                "project_codes",
                None,
                f"as {rules.who} an evaluation must name at least one of {rules.allowed}",
            )


def iati_office_choices(scope: Scope) -> list[str]:
    """ISO3 codes ``scope`` may name as the office managing IATI activities that give no recipient
    country (``parse_iati(iati_managing_country=...)``), sorted: a new project must be managed inside
    the write scope. Any country with a regional office for leadership, the scope's own countries for a
    chief of mission, its region's countries for a regional director; none for a programme manager
    (who cannot create projects)."""
    known = sorted((c.iso3, c.region) for c in COUNTRIES if c.region)
    if scope.organisation:
        return [iso3 for iso3, _ in known]
    return [iso3 for iso3, region in known if iso3 in scope.countries or region in scope.regions]
