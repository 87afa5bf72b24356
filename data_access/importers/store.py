"""Mapping validated canonical rows onto the stored tables: upsert by natural key, in bulk.

Called by ``writer`` inside one transaction; everything here may raise :class:`StoreConflict`
(a problem only the database can reveal, e.g. a changed original budget) and the writer then
rolls the whole import back.

How each table is written (the rules a user relies on):

* Upsert by natural key; a row whose stored values already equal the file's is *unchanged*, one
  that differs is *changed* (updated in place), a new key is *new*. Nothing is ever deleted,
  except the sets a project row describes (countries, donors, tags, markers, AAP ratings,
  evaluation links and ratings), which become what the row says when their column is present.
* Columns absent from a file leave stored values alone; new rows get the model defaults.
* Actuals are versioned: a different value, breakdown, comment, date or source for a period adds
  version n+1 and marks the previous one ``is_current = False`` (kept). An empty actual never
  withdraws a reported value, and neither does a breakdown published without a total
  (``tables.NO_TOTAL``): the new version keeps the reported total with the new breakdown.
* Budgets: a line's original amount and each dated revision are written once. A file that gives
  a *different* amount for a stored original or revision is refused ("add a revision with a new
  date"): budgets are revised, never overwritten.
* Incoming funds have no identifier: a file row repeated n times is n transactions; the writer
  adds the ones not yet stored and never removes any.
* Work is done set-wise (one SELECT of what is stored per table, bulk INSERT and UPDATE), so a
  10,000-project portfolio imports in minutes, not hours.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from sqlalchemy import ColumnElement, Connection, Select, and_, delete, func, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from data_access import models as m
from data_access.history import HistoryRecorder, VersionChange, encode, tracked
from data_access.importers.driver_insert import insert_rows
from data_access.importers.plausibility import StoredFacts
from data_access.importers.report import Problem, TableCounts, ValidationReport
from data_access.importers.schemas import canonical_marker_code, code_list
from data_access.importers.tables import NO_TOTAL, ParsedImport, Source, table
from data_access.importers.validate import LEVEL_RANK, UNASSIGNED_REGION, KnownKeys, Validated, ValidRow
from reference.places import BY_ISO3, REGION_NAMES
from reference.text_rules import code_identity
from reference.vocabulary import GENDER_SCHEMES

CHUNK = 2000
NAMED_PROJECTS_MAX = 2000  # above this, load_known reads every project's keys (one scan, no long IN list)
AAP_COLUMNS = {f"aap_{c}": c for c in m.AAP_COMMITMENTS}
# canonical tables a write step has finished with (default: the table named like the step);
# projects stay until the end because every step looks up project ids through them
RELEASED_AFTER = {"projects": (), "periods": ("periods", "breakdowns")}


class StoreConflict(Exception):
    """Problems found while writing; the writer rolls back and reports them."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} conflict(s) with stored data")
        self.problems = problems


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def named_projects(imports: Iterable[ParsedImport]) -> set[str]:
    """The project codes the parsed files name, as written: ``project_code`` cells, and the lists
    of an evaluation's ``project_codes`` and a person's ``scope`` (a programme manager's projects;
    the region or country codes of other roles only widen the read)."""
    return _named(imports, "project_code", "project_codes", "scope")


def named_evaluations(imports: Iterable[ParsedImport]) -> set[str]:
    """The evaluation codes the parsed files name (``evaluation_code`` cells), as written."""
    return _named(imports, "evaluation_code")


def _named(imports: Iterable[ParsedImport], *columns: str) -> set[str]:
    """The codes in the cells of ``columns``, each read as a ``;``-separated list (a single code is
    a list of one; a cell holding ';' is refused as a code, so splitting it only widens the read)."""
    return {
        code
        for parsed in imports
        for rows in parsed.tables.values()
        for row in rows
        for column in columns
        for code in code_list(row.values.get(column)) or ()
    }


def load_known(
    session: Session, named: Collection[str] | None = None, evaluations: Collection[str] | None = None
) -> KnownKeys:
    """The natural keys stored in the database that files may refer to.

    ``named``: the project codes the files name (``named_projects``, any letter case). The projects
    and the rows inside them (results, indicators, lines...) are then read for those projects only:
    every check looks a code up under the codes the files name, and reading all of them made
    validating one project's file at 100,000 projects read millions of keys (then the 100,000
    project codes, twice spelled out in Python). ``None``, or more than :data:`NAMED_PROJECTS_MAX`
    codes (an IATI file of a whole portfolio): every project's. ``evaluations`` likewise for the
    evaluation codes (``named_evaluations``).
    """
    known = KnownKeys()
    db = session.connection()  # Core reads: no ORM result processing per row
    known.projects = _stored_codes(db, m.Project.code, named)
    wanted = None if _every(named) else list(known.projects)

    def scoped(query: Select) -> Select:
        return query if wanted is None else query.where(m.Project.code.in_(wanted))

    known.countries = set(db.scalars(select(m.Country.iso3)))
    known.evaluations = _stored_codes(db, m.Evaluation.code, evaluations)
    p = m.Project.code
    known.results = {
        (pc, rc): lvl
        for pc, rc, lvl in db.execute(
            scoped(select(p, m.Result.code, m.Result.level).join(m.Project, m.Result.project_id == m.Project.id))
        )
    }
    known.indicators = {
        (pc, ic)
        for pc, ic in db.execute(
            scoped(select(p, m.Indicator.code).join(m.Project, m.Indicator.project_id == m.Project.id))
        )
    }
    known.budget_lines = {
        (pc, lc): (cat, cur)
        for pc, lc, cat, cur in db.execute(
            scoped(
                select(p, m.BudgetLine.line_code, m.BudgetLine.category, m.BudgetLine.currency).join(
                    m.Project, m.BudgetLine.project_id == m.Project.id
                )
            )
        )
    }
    known.risks = {
        (pc, rc)
        for pc, rc in db.execute(scoped(select(p, m.Risk.code).join(m.Project, m.Risk.project_id == m.Project.id)))
    }
    known.recommendations = {
        (pc, rc)
        for pc, rc in db.execute(
            scoped(select(p, m.Recommendation.code).join(m.Project, m.Recommendation.project_id == m.Project.id))
        )
    }
    i = m.Indicator
    known.facts = StoredFacts(
        percentage_indicators={
            (pc, ic): (base, end)
            for pc, ic, base, end in db.execute(
                scoped(
                    select(p, i.code, i.baseline, i.end_target)
                    .join(m.Project, i.project_id == m.Project.id)
                    .where(i.measure == "percentage")
                )
            )
        },
        projects={
            row[0]: tuple(row[1:])
            for row in db.execute(
                scoped(
                    select(p, m.Project.currency, m.Project.start_date, m.Project.end_date, m.Project.revised_end_date)
                )
            )
        },
        rate_currencies=set(db.scalars(select(m.FxRate.currency).distinct())),
        country_regions=dict(
            db.execute(select(m.Country.iso3, m.Region.code).join(m.Region, m.Country.region_id == m.Region.id)).all()
        ),
    )
    return known


def _every(named: Collection[str] | None) -> bool:
    return named is None or len(named) > NAMED_PROJECTS_MAX


def _stored_codes(db: Connection, column: InstrumentedAttribute[str], named: Collection[str] | None) -> set[str]:
    """The stored codes of ``column`` that ``named`` names in any letter case (every one when
    :func:`_every`). Codes are ASCII (``reference.text_rules.code_problem``), where SQL ``lower``
    is ``code_identity``; the comparison in Python keeps the rule in one place."""
    if _every(named):
        return set(db.scalars(select(column)))
    identities = {code_identity(c) for c in named}
    if not identities:
        return set()
    found = db.scalars(select(column).where(func.lower(column).in_(sorted(identities))))
    return {c for c in found if code_identity(c) in identities}


ProjectOf = Callable[[tuple, int], "int | None"]


@dataclass
class Sync:
    """One upsert of a stored table: rows keyed by natural key, values to store, where each came from.

    When ``history`` is given and the model is registered in ``data_access.history.TRACKED``, every
    created row and every changed field is recorded there; ``project_of(key, row id)`` says which
    project a row belongs to (None: organisation-wide rows)."""

    model: type[m.Base]
    key: tuple[str, ...]
    counts: TableCounts
    history: HistoryRecorder | None = None
    project_of: ProjectOf | None = None
    rows: dict[tuple, dict[str, Any]] = field(default_factory=dict)
    sources: dict[tuple, Source] = field(default_factory=dict)
    touched: set[tuple] = field(default_factory=set)  # keys inserted or updated
    new: set[tuple] = field(default_factory=set)  # keys inserted

    def add(self, values: dict[str, Any], source: Source | None = None) -> None:
        k = tuple([values[c] for c in self.key])
        self.rows[k] = values
        if source is not None:
            self.sources[k] = source

    def run(self, apply: Apply, scope: ColumnElement[bool] | None) -> dict[tuple, int]:
        """Plan (new keys, changed ones) and apply; return key -> id for every key of the scope."""
        columns = sorted(set().union(*self.rows.values()) - set(self.key))
        stored = _load(apply.session, self.model, self.key, columns, scope)
        history = self.history if self.history is not None and tracked(self.model) else None
        table = self.model.__tablename__
        inserts, updates = [], []
        for k, values in self.rows.items():
            existing = stored.get(k)
            if existing is None:
                inserts.append(values)
                self.counts.new += 1
                self.touched.add(k)
                self.new.add(k)
                continue
            changes = {c: v for c, v in values.items() if c not in self.key and existing[c] != v}
            if changes:
                updates.append({"id": existing["id"], **changes})
                self.counts.changed += 1
                self.touched.add(k)
                if history is not None:
                    history.updated(
                        table, existing["id"], self.project(k, existing["id"]), existing, changes, self.sources.get(k)
                    )
            else:
                self.counts.unchanged += 1
        apply.write(self.model, inserts, updates)
        ids = {k: row["id"] for k, row in stored.items()}
        if inserts:
            ids.update(apply.new_ids(self.model, self.key, scope, self.new))
            if history is not None:
                history.inserted(table, ((self.project(k, ids[k]), ids[k]) for k in self.new))
        return ids

    def project(self, key: tuple, row_id: int) -> int | None:
        return None if self.project_of is None else self.project_of(key, row_id)


def first_is_project(key: tuple, _row_id: int) -> int:
    """``project_of`` of the tables keyed by (project_id, ...)."""
    return key[0]


def bulk_write(session: Session, model: type[m.Base], inserts: list[dict], updates: list[dict]) -> None:
    """INSERT ``inserts`` through the driver's executemany (``driver_insert``: rows may carry
    different columns, each is completed with the model's defaults), UPDATE ``updates`` by primary key.
    """
    insert_rows(session.connection(), model.__table__, inserts)
    for batch in chunks(updates, 5000):
        session.execute(update(model), list(batch))


class Apply:
    """Executes each table's plan (the import), or only plans (the preview).

    The Store plans one table at a time, in dependency order: it reads the stored rows and decides
    what is new, changed, unchanged or to delete, and which conflicts arise, without writing. A
    later table's plan needs the ids of an earlier table's new rows (an indicator's result, an
    actual's indicator), so the import applies each plan before the next table is planned. The
    preview applies nothing and gives new rows placeholder ids (negative: no stored row has one, so
    every lookup by them finds nothing stored, as it would after the write): it only reads, takes
    no write lock and does none of the write's work, and its counts, conflicts and warnings are
    those the import finds.
    """

    def __init__(self, session: Session, execute: bool):
        self.session = session
        self.execute = execute
        self._placeholder = 0

    def write(self, model: type[m.Base], inserts: list[dict], updates: Sequence[dict] = ()) -> None:
        if self.execute:
            bulk_write(self.session, model, inserts, list(updates))

    def statement(self, statement) -> None:
        """A DELETE or UPDATE of the plan."""
        if self.execute:
            self.session.connection().execute(statement)

    def new_ids(
        self, model: type[m.Base], key: tuple[str, ...], scope: ColumnElement[bool] | None, new: Iterable[tuple]
    ) -> dict[tuple, int]:
        """Natural key -> id of the rows of ``scope`` once the ``new`` keys are inserted: read back
        after the write, or placeholders for the ``new`` keys when nothing was written."""
        if self.execute:
            return load_ids(self.session, model, key, scope)
        return {k: self.placeholder() for k in new}

    def placeholder(self) -> int:
        self._placeholder -= 1
        return self._placeholder


def _load(
    session: Session, model: type[m.Base], key: tuple[str, ...], columns: list[str], scope: ColumnElement[bool] | None
) -> dict[tuple, dict[str, Any]]:
    names = ["id", *key, *columns]
    stmt = select(*(getattr(model, n) for n in names))
    if scope is not None:
        stmt = stmt.where(scope)
    out = {}
    for row in streamed(session.connection(), stmt):
        record = dict(zip(names, row, strict=True))
        out[tuple(record[c] for c in key)] = record
    return out


def streamed(connection, stmt) -> Iterable:
    """The rows of ``stmt`` fetched a batch at a time: a large import reads back millions of rows,
    and holding them all at once (``.all()``) would double its peak memory."""
    for batch in connection.execute(stmt).partitions(10_000):
        yield from batch


def load_ids(
    session: Session, model: type[m.Base], key: tuple[str, ...], scope: ColumnElement[bool] | None
) -> dict[tuple, int]:
    """Natural key -> id of the stored rows of ``scope`` (how the ids of new rows are found)."""
    stmt = select(model.id, *(getattr(model, c) for c in key))
    if scope is not None:
        stmt = stmt.where(scope)
    return {tuple(row[1:]): row[0] for row in streamed(session.connection(), stmt)}


def in_ids(column, ids: Iterable[int]) -> ColumnElement[bool]:
    """``column IN (...)``; the empty set matches nothing (and stays valid SQL on both databases)."""
    return column.in_(sorted(set(ids)))


class Present:
    """Stored column -> value for the file columns a row had (``mapping``: file -> stored name).

    ``defaults``: the stored value for an empty cell of a coded column that cannot be empty
    (an empty measure means number, as the template says). Rows with the same columns share one
    ``present`` set, so which columns to copy (and from which field of the row's record) is worked
    out once per set, not once per row: this runs for every row of an import.
    """

    def __init__(self, mapping: dict[str, str], defaults: dict[str, Any] | None = None):
        self.mapping = mapping
        self.defaults = defaults or {}
        self._plans: dict[frozenset, tuple[list[tuple[str, int]], list[tuple[str, Any]]]] = {}

    def __call__(self, row: ValidRow) -> dict[str, Any]:
        plan = self._plans.get(row.present)
        if plan is None:
            plan = self._plans[row.present] = self._plan(row)
        fields, defaults = plan
        model = row.model
        out = {stored: model[index] for stored, index in fields}
        for stored, default in defaults:
            if out[stored] is None:
                out[stored] = default
        return out

    def _plan(self, row: ValidRow) -> tuple[list[tuple[str, int]], list[tuple[str, Any]]]:
        names = type(row.model)._fields
        fields = [(stored, names.index(col)) for col, stored in self.mapping.items() if row.has(col)]
        defaults = [
            (self.mapping[col], value) for col, value in self.defaults.items() if row.has(col) and col in self.mapping
        ]
        return fields, defaults


def same(*names: str) -> dict[str, str]:
    """A file -> stored mapping for columns stored under their own name."""
    return {n: n for n in names}


def _joined(items: Iterable[str]) -> str | None:
    """A set as the import column writes it (``KEN:60;UGA:40``), sorted; None when empty."""
    return ";".join(sorted(items)) or None


class SetFields:
    """The sets a project row describes, as the fields history keeps for them: named and written
    like the import columns (``countries``, ``donors``, ``tags``, ``markers``, ``aap_<commitment>``)."""

    def __init__(self, countries: dict[str, int], donors: dict[str, int]):
        self.iso3 = {cid: iso3 for iso3, cid in countries.items()}
        self.donor = {did: name for name, did in donors.items()}

    def of(self, model: type[m.Base]) -> Callable[[dict], dict[str, str | None]]:
        return {
            m.ProjectCountry: self.countries,
            m.ProjectDonor: self.donors,
            m.ProjectTag: self.tags,
            m.ProjectMarker: self.markers,
            m.AapAssessment: self.aap,
        }[model]

    def countries(self, rows: dict) -> dict[str, str | None]:
        return {
            "countries": _joined(
                self.iso3[cid] if pct is None else f"{self.iso3[cid]}:{encode(pct)}" for (cid,), (pct,) in rows.items()
            )
        }

    def donors(self, rows: dict) -> dict[str, str | None]:
        return {"donors": _joined(self.donor[did] for (did,) in rows)}

    def tags(self, rows: dict) -> dict[str, str | None]:
        return {"tags": _joined(f"{scheme}:{code}" for scheme, code in rows)}

    def markers(self, rows: dict) -> dict[str, str | None]:
        return {"markers": _joined(f"{scheme}:{code}" for (scheme,), (code,) in rows.items())}

    def aap(self, rows: dict) -> dict[str, str | None]:
        return {f"aap_{c}": rows.get((c,), (None,))[0] for c in m.AAP_COMMITMENTS}


# ---- the tables, in dependency order ------------------------------------------------------------
class Store:
    """Plans one validated import table by table and applies each plan (``execute``; without it,
    a preview: see :class:`Apply`); keeps the id maps that later tables need."""

    def __init__(
        self,
        session: Session,
        validated: Validated,
        report: ValidationReport,
        batch_id: int | None,
        now: dt.datetime,
        *,
        execute: bool,
        release: bool = False,
    ):
        self.s = session
        self.apply = Apply(session, execute)
        self.c = session.connection()  # reads go through Core: no ORM result processing per row
        self.v = validated
        self.report = report
        self.batch_id = batch_id
        self.now = now
        self.release = release  # drop each table's rows once written (the import owns them)
        self.problems: list[Problem] = []
        self.history = HistoryRecorder()  # every row created and field changed (data_access.history)
        self.project_ids: dict[str, int] = {}
        self.new_project_ids: set[int] = set()
        self.new_keys: dict[str, set[tuple]] = {}  # canonical table -> natural keys created (``simple``)
        self.donor_ids: dict[str, int] = {}
        self.office_ids: dict[int, int] = {}
        self._country_lookup: dict[str, int] = {}

    def conflict(self, source: Source, column: str, value: object, reason: str) -> None:
        self.problems.append(Problem.at(source, column, value, reason))

    def write_all(self, progress=None) -> None:
        """Plan every table (and apply each plan when executing); raise ``StoreConflict`` at the end."""
        steps = [
            self.projects,
            self.results,
            self.indicators,
            self.periods,
            self.budget,
            self.expenditure,
            self.spending_plan,
            self.risks,
            self.visits,
            self.fx_rates,
            self.funding_agreements,
            self.incoming_funds,
            self.evaluations,
            self.recommendations,
            self.people,
        ]
        for number, step in enumerate(steps, start=1):
            step()
            if self.release:
                for name in RELEASED_AFTER.get(step.__name__, (step.__name__,)):
                    self.v.tables.pop(name, None)  # written: free the memory of a large import
            if progress is not None:
                progress(number / len(steps), step.__name__)
        if self.problems:
            raise StoreConflict(self.problems)

    # -- organisation --
    def _countries(self) -> dict[str, int]:
        """Country id by ISO3, adding the countries (with a region and an office) the file needs,
        named from ``reference.places`` (an IATI file names neither: "Afghanistan" and "Regional Office
        for Asia and the Pacific (Bangkok)", never "AFG" and "ROAP"); a code the reference does not know
        keeps the code as its name."""
        regions = dict(self.c.execute(select(m.Region.code, m.Region.id)).all())
        countries = dict(self.c.execute(select(m.Country.iso3, m.Country.id)).all())
        offices = dict(self.c.execute(select(m.CountryOffice.country_id, m.CountryOffice.id)).all())
        wanted: dict[str, str] = {}
        for r in self.v.rows("projects"):
            p = r.model
            region = p.region or UNASSIGNED_REGION
            for iso3 in {p.managing_country, *(c.upper() for c in p.countries or ())}:
                wanted.setdefault(iso3, region)
        new_regions = sorted({reg for iso3, reg in wanted.items() if iso3 not in countries} - set(regions))
        if new_regions:
            self.apply.write(
                m.Region,
                [
                    {"code": c, "name": "Region not given" if c == UNASSIGNED_REGION else REGION_NAMES.get(c, c)}
                    for c in new_regions
                ],
            )
            regions.update(self._new_ids(m.Region, "code", new_regions))
            self.history.inserted("regions", ((None, regions[c]) for c in new_regions))
        new_countries = [
            {"iso3": i, "name": BY_ISO3[i].name if i in BY_ISO3 else i, "region_id": regions[reg]}
            for i, reg in sorted(wanted.items())
            if i not in countries
        ]
        if new_countries:
            self.apply.write(m.Country, new_countries)
            countries.update(self._new_ids(m.Country, "iso3", [c["iso3"] for c in new_countries]))
            self.history.inserted("countries", ((None, countries[c["iso3"]]) for c in new_countries))
        managing = {countries[r.model.managing_country] for r in self.v.rows("projects")}
        new_offices = [
            {"country_id": cid, "name": f"{BY_ISO3[iso3].name if iso3 in BY_ISO3 else iso3} country office"}
            for iso3, cid in countries.items()
            if cid in managing and cid not in offices
        ]
        self.apply.write(m.CountryOffice, new_offices)
        self.office_ids = offices | self._new_ids(m.CountryOffice, "country_id", [o["country_id"] for o in new_offices])
        self.history.inserted("country_offices", ((None, self.office_ids[o["country_id"]]) for o in new_offices))
        return countries

    def _donors(self) -> None:
        names = {d for r in self.v.rows("projects") for d in (r.model.donors or ())}
        names |= {
            r.model.donor for t in ("incoming_funds", "funding_agreements") for r in self.v.rows(t) if r.model.donor
        }
        stored = dict(self.c.execute(select(m.Donor.name, m.Donor.id)).all())
        new = sorted(names - set(stored))
        self.apply.write(m.Donor, [{"name": n} for n in new])
        self.donor_ids = stored | self._new_ids(m.Donor, "name", new)
        self.history.inserted("donors", ((None, self.donor_ids[n]) for n in new))

    def _new_ids(self, model: type[m.Base], key: str, new: Iterable[Any]) -> dict[Any, int]:
        """Id by ``key`` of the new rows of an organisation-wide table (all of them when executing)."""
        if not new:
            return {}
        return {k[0]: i for k, i in self.apply.new_ids(model, (key,), None, [(n,) for n in new]).items()}

    def _all_project_ids(self) -> None:
        codes = {
            r.model.project_code for rows in self.v.tables.values() for r in rows if hasattr(r.model, "project_code")
        }
        codes |= {c for r in self.v.rows("evaluations") for c in (r.model.project_codes or ())}
        self.project_ids = {}
        for batch in chunks(sorted(codes)):
            self.project_ids.update(
                self.c.execute(select(m.Project.code, m.Project.id).where(m.Project.code.in_(batch))).all()
            )

    # -- projects and the sets they describe --
    def projects(self) -> None:
        rows = self.v.rows("projects")
        self._donors()
        if not rows:  # e.g. a finance file for stored projects
            self._all_project_ids()
            return
        countries = self._countries()
        sync = Sync(m.Project, ("code",), self.report.count("projects"), self.history, lambda _key, row_id: row_id)
        fields = Present(
            same(
                "title",
                "thematic_area",
                "start_date",
                "end_date",
                "revised_end_date",
                "status",
                "currency",
                "manager",
                "description",
            )
        )
        for r in rows:
            p = r.model
            values = {
                "code": p.project_code,
                **fields(r),
                "managing_office_id": self.office_ids[countries[p.managing_country]],
            }
            if r.has("high_risk_context"):
                values["high_risk_context"] = bool(p.high_risk_context)
            sync.add(values, r.source)
        scope = m.Project.code.in_([r.model.project_code for r in rows]) if len(rows) < CHUNK else None
        ids = sync.run(self.apply, scope)
        self._all_project_ids()
        self.project_ids.update((k[0], ids[k]) for k in sync.new)  # stored when executing; else placeholders
        self.new_project_ids = {self.project_ids[k[0]] for k in sync.new}
        # a project whose own fields are equal but whose sets changed counts as changed
        extra = self._project_sets(rows, countries) - {k[0] for k in sync.touched}
        sync.counts.changed += len(extra)
        sync.counts.unchanged -= len(extra)

    def _project_sets(self, rows: list[ValidRow], countries: dict[str, int]) -> set[str]:
        """Replace countries, donors, tags, markers and AAP ratings where the row gives them;
        return the codes of projects whose sets changed."""
        ids = [self.project_ids[r.model.project_code] for r in rows]
        changed: set[str] = set()
        specs = [
            (m.ProjectCountry, ("country_id",), ("percentage",), self._country_set),
            (m.ProjectDonor, ("donor_id",), (), self._donor_set),
            (m.ProjectTag, ("scheme", "code"), (), self._tag_set),
            (m.ProjectMarker, ("scheme",), ("code",), self._marker_set),
            (m.AapAssessment, ("commitment",), ("rating",), self._aap_set),
        ]
        self._country_lookup = countries
        fields_of = SetFields(countries, self.donor_ids)
        for model, key, extra, wanted_of in specs:
            stored: dict[int, dict[tuple, tuple]] = defaultdict(dict)
            cols = [model.project_id, *(getattr(model, c) for c in key + extra)]
            for batch in chunks(ids):
                for row in self.c.execute(select(*cols).where(in_ids(model.project_id, batch))):
                    stored[row[0]][tuple(row[1 : 1 + len(key)])] = tuple(row[1 + len(key) :])
            inserts, deletes, updates = [], [], []
            for r in rows:
                pid = self.project_ids[r.model.project_code]
                wanted = wanted_of(r, stored[pid])
                if wanted is None:
                    continue
                managed, desired = wanted
                have = {k: v for k, v in stored[pid].items() if managed is None or k[0] in managed}
                if have == desired:
                    continue
                changed.add(r.model.project_code)
                if pid not in self.new_project_ids:
                    after = {k: v for k, v in stored[pid].items() if k not in have} | desired
                    fields = fields_of.of(model)
                    self.history.updated("projects", pid, pid, fields(stored[pid]), fields(after), r.source)
                for k in have.keys() - desired.keys():
                    deletes.append((pid, k))
                for k, v in desired.items():
                    row = {"project_id": pid, **dict(zip(key, k, strict=True)), **dict(zip(extra, v, strict=True))}
                    if k not in have:
                        inserts.append(row)
                    elif have[k] != v:
                        updates.append(row)
            for pid, k in deletes:
                cond = [model.project_id == pid, *(getattr(model, c) == v for c, v in zip(key, k, strict=True))]
                self.apply.statement(delete(model).where(*cond))
            for row in updates:
                cond = [model.project_id == row["project_id"], *(getattr(model, c) == row[c] for c in key)]
                self.apply.statement(update(model).where(*cond).values({c: row[c] for c in extra}))
            self.apply.write(model, inserts)
        return changed

    def _country_set(self, r: ValidRow, stored: dict) -> tuple | None:
        p = r.model
        if not (r.has("countries") or r.has("country_percentages")) and stored:
            return None
        codes = [c.upper() for c in (p.countries or ())] or [p.managing_country]
        pct = {c.upper(): float(v) for c, v in (p.country_percentages or ())}
        desired = {}
        for code in codes:
            cid = self._country_lookup[code]
            keep = stored.get((cid,), (None,))[0] if not r.has("country_percentages") else None
            desired[(cid,)] = (pct.get(code, keep),)
        return None, desired

    def _donor_set(self, r: ValidRow, stored: dict) -> tuple | None:
        if not r.has("donors"):
            return None
        return None, {(self.donor_ids[d],): () for d in (r.model.donors or ())}

    def _tag_set(self, r: ValidRow, stored: dict) -> tuple | None:
        if not r.has("tags"):
            return None
        return None, {(s.upper(), c): () for s, c in (r.model.tags or ())}

    def _marker_set(self, r: ValidRow, stored: dict) -> tuple | None:
        p = r.model
        gender = r.has("gender_marker_scheme") or r.has("gender_marker_code")
        if not (gender or r.has("markers")):
            return None
        managed = None if r.has("markers") else set(GENDER_SCHEMES)
        desired = {(s,): (canonical_marker_code(s, c),) for s, c in (p.markers or ())}
        if p.gender_marker_scheme:
            desired[(p.gender_marker_scheme,)] = (canonical_marker_code(p.gender_marker_scheme, p.gender_marker_code),)
        return managed, desired

    def _aap_set(self, r: ValidRow, stored: dict) -> tuple | None:
        columns = [c for c in AAP_COLUMNS if r.has(c)]
        if not columns:
            return None
        managed = {AAP_COLUMNS[c] for c in columns}
        desired = {(AAP_COLUMNS[c],): (getattr(r.model, c),) for c in columns if getattr(r.model, c)}
        return managed, desired

    # -- helpers for project-scoped tables --
    def stored_ids(self, model: type[m.Base], code: str) -> dict[tuple, int]:
        """(project id, code) -> id of the stored rows of ``model`` for the projects of this import."""
        return load_ids(self.s, model, ("project_id", code), self.project_scope(model.project_id))

    def pid(self, r: ValidRow) -> int:
        return self.project_ids[r.model.project_code]

    def project_scope(self, column) -> ColumnElement[bool] | None:
        """Stored rows of the projects in this import (all rows when the import is huge)."""
        ids = set(self.project_ids.values())
        return in_ids(column, ids) if len(ids) < 30_000 else None

    def indicator_scope(self, column) -> ColumnElement[bool] | None:
        projects = self.project_scope(m.Indicator.project_id)
        if projects is None:
            return None
        return column.in_(select(m.Indicator.id).where(projects))

    def line_scope(self, column) -> ColumnElement[bool] | None:
        projects = self.project_scope(m.BudgetLine.project_id)
        if projects is None:
            return None
        return column.in_(select(m.BudgetLine.id).where(projects))

    def simple(
        self,
        table: str,
        model: type[m.Base],
        key: dict[str, str],
        fields: dict[str, str],
        defaults: dict[str, Any] | None = None,
        scope_column: str | None = "project_id",
        extra: Any = None,
    ) -> dict[tuple, int]:
        """Upsert one canonical table onto one stored table keyed by project and ``key`` columns."""
        rows = self.v.rows(table)
        if not rows:
            return {}
        pick = Present(fields, defaults)
        sync = Sync(
            model,
            tuple(["project_id"] if scope_column else []) + tuple(key.values()),
            self.report.count(table),
            self.history,
            first_is_project if scope_column else None,
        )
        for r in rows:
            values = {"project_id": self.pid(r)} if scope_column else {}
            values.update({stored: getattr(r.model, col) for col, stored in key.items()})
            values.update(pick(r))
            if extra is not None:
                values.update(extra(r))
            sync.add(values, r.source)
        scope = self.project_scope(getattr(model, scope_column)) if scope_column else None
        ids = sync.run(self.apply, scope)
        self.new_keys[table] = sync.new
        return ids

    # -- results matrix --
    def results(self) -> None:
        rows = self.v.rows("results")
        if not rows:
            return
        counts = self.report.count("results")
        ids = self.stored_ids(m.Result, "code")
        statement = Present(same("statement"))
        for level in sorted(LEVEL_RANK, key=LEVEL_RANK.get):
            sync = Sync(m.Result, ("project_id", "code"), counts, self.history, first_is_project)
            for r in rows:
                if r.model.level != level:
                    continue
                values = {"project_id": self.pid(r), "code": r.model.result_code, "level": level, **statement(r)}
                if r.has("parent_code"):
                    parent = r.model.parent_code
                    values["parent_id"] = None if parent is None else ids[(self.pid(r), parent)]
                sync.add(values, r.source)
            if sync.rows:
                ids.update(sync.run(self.apply, self.project_scope(m.Result.project_id)))
        self.result_ids = ids

    def indicators(self) -> None:
        result_ids = getattr(self, "result_ids", None)
        if result_ids is None:
            result_ids = self.stored_ids(m.Result, "code")

        def result_id(r: ValidRow) -> dict[str, Any]:
            if not r.has("result_code"):
                return {}
            code = r.model.result_code
            return {"result_id": None if code is None else result_ids[(self.pid(r), code)]}

        fields = same(
            "name",
            "unit",
            "measure",
            "direction",
            "accumulation",
            "baseline",
            "baseline_date",
            "end_target",
            "disaggregation",
            "data_source",
            "frequency",
            "responsible",
            "collection_method",
            "baseline_text",
            "end_target_text",
            "import_note",
        )
        defaults = {"measure": "number", "direction": "increase", "accumulation": "level", "disaggregation": "none"}
        written = self.simple("indicators", m.Indicator, {"indicator_code": "code"}, fields, defaults, extra=result_id)
        self.indicator_ids = written or self.stored_ids(m.Indicator, "code")

    def _period_key(self, r: ValidRow) -> tuple:
        return (self.indicator_ids[(self.pid(r), r.model.indicator_code)], r.model.period_start, r.model.period_end)

    def periods(self) -> None:
        rows = self.v.rows("periods")
        if not rows:
            return
        if not hasattr(self, "indicator_ids"):
            self.indicator_ids = self.stored_ids(m.Indicator, "code")
        target_fields = Present(same("target", "target_text"))
        indicator_project = {iid: pid for (pid, _code), iid in self.indicator_ids.items()}
        targets = Sync(
            m.Target,
            ("indicator_id", "period_start", "period_end"),
            self.report.count("targets"),
            self.history,
            lambda key, _id: indicator_project[key[0]],
        )
        for r in rows:
            t = target_fields(r)
            if any(v is not None for v in t.values()):
                ind, start, end = self._period_key(r)
                targets.add({"indicator_id": ind, "period_start": start, "period_end": end, **t}, r.source)
        if targets.rows:
            targets.run(self.apply, self.indicator_scope(m.Target.indicator_id))
        self._actuals(rows, indicator_project)

    ACTUAL_FIELDS: ClassVar[dict[str, str]] = {
        "actual": "value",
        "actual_text": "value_text",
        "actual_female": "female",
        "actual_male": "male",
        "actual_other": "other_sex",
        "comment": "comment",
        "reported_on": "reported_on",
        "source": "source",
    }

    def _actuals(self, rows: list[ValidRow], indicator_project: dict[int, int]) -> None:
        counts = self.report.count("actuals")
        stored_fields = list(self.ACTUAL_FIELDS.values())
        scope = self.indicator_scope(m.Actual.indicator_id)
        where = [m.Actual.is_current] if scope is None else [m.Actual.is_current, scope]
        stmt = select(
            m.Actual.id,
            m.Actual.indicator_id,
            m.Actual.period_start,
            m.Actual.period_end,
            m.Actual.version,
            *(getattr(m.Actual, f) for f in stored_fields),
        ).where(*where)
        current = {(row[1], row[2], row[3]): row for row in streamed(self.c, stmt)}
        with_breakdowns = "breakdowns" in self.v.tables
        file_breakdowns: dict[tuple, dict[tuple, tuple]] = defaultdict(dict)
        for r in self.v.rows("breakdowns"):
            b = r.model
            key = (self.indicator_ids[(self.pid(r), b.indicator_code)], b.period_start, b.period_end)
            file_breakdowns[key][(b.dimension, b.category)] = (b.value, b.value_text)
        stored_breakdowns: dict[int, dict[tuple, tuple]] = defaultdict(dict)
        if current:
            bstmt = (
                select(
                    m.ActualBreakdown.actual_id,
                    m.ActualBreakdown.dimension,
                    m.ActualBreakdown.category,
                    m.ActualBreakdown.value,
                    m.ActualBreakdown.value_text,
                )
                .join(m.Actual, m.Actual.id == m.ActualBreakdown.actual_id)
                .where(m.Actual.is_current)
            )
            if scope is not None:
                bstmt = bstmt.where(scope)
            for aid, dim, cat, val, txt in streamed(self.c, bstmt):
                stored_breakdowns[aid][(dim, cat)] = (val, txt)
        actual_fields = Present(self.ACTUAL_FIELDS, {"source": "project_monitoring"})
        inserts, supersede, breakdowns_of = [], [], {}
        for r in rows:
            if r.model.actual is None and r.model.actual_text is None:
                continue  # an empty actual never withdraws a reported value
            key = self._period_key(r)
            old = current.get(key)
            old_values = dict(zip(stored_fields, old[5:], strict=True)) if old is not None else {}
            values = {f: old_values.get(f) for f in stored_fields}
            values.update(actual_fields(r))
            if values["source"] is None:
                values["source"] = "project_monitoring"
            if (
                values["value_text"] == NO_TOTAL
                and values["value"] is None
                and old is not None
                and old_values["value_text"] != NO_TOTAL
            ):
                values["value"], values["value_text"] = old_values["value"], old_values["value_text"]
            old_breakdowns = stored_breakdowns.get(old[0], {}) if old is not None else {}
            breakdowns = file_breakdowns.get(key, {}) if with_breakdowns else old_breakdowns
            if old is not None and values == old_values and breakdowns == old_breakdowns:
                counts.unchanged += 1
                continue
            if old is None:
                counts.new += 1
                version = 1
                self.history.touch("actuals", indicator_project[key[0]])
            else:
                counts.changed += 1
                version = old[4] + 1
                supersede.append({"id": old[0], "is_current": False, "superseded_at": self.now})
                self.history.versioned(
                    VersionChange(*key, values, indicator_project[key[0]], old[4], r.source)  # type: ignore[arg-type]
                )
            inserts.append(
                {
                    "indicator_id": key[0],
                    "period_start": key[1],
                    "period_end": key[2],
                    "version": version,
                    "is_current": True,
                    "import_batch_id": self.batch_id,
                    **values,
                }
            )
            if breakdowns:
                breakdowns_of[key] = breakdowns
        self.apply.write(m.Actual, [], supersede)
        self.apply.write(m.Actual, inserts)
        if breakdowns_of:
            key = ("indicator_id", "period_start", "period_end")
            ids = self.apply.new_ids(m.Actual, key, and_(*where), breakdowns_of)
            new_rows = [
                {"actual_id": ids[key], "dimension": d, "category": c, "value": v, "value_text": t}
                for key, items in breakdowns_of.items()
                for (d, c), (v, t) in items.items()
            ]
            self.apply.write(m.ActualBreakdown, new_rows)
            self.report.count("breakdowns").new += len(new_rows)

    # -- money --
    def budget(self) -> None:
        rows = self.v.rows("budget")
        if not rows:
            return
        description, note = Present(same("description")), Present(same("note"))
        lines = Sync(
            m.BudgetLine, ("project_id", "line_code"), self.report.count("budget_lines"), self.history, first_is_project
        )
        for r in sorted(rows, key=lambda r: r.model.revision_date is not None, reverse=True):
            # the original row (no revision date) comes last, so its description wins
            lines.add(
                {
                    "project_id": self.pid(r),
                    "line_code": r.model.line_code,
                    "category": r.model.category,
                    "currency": r.model.currency,
                    **description(r),
                },
                r.source,
            )
        line_ids = lines.run(self.apply, self.project_scope(m.BudgetLine.project_id))
        stmt = select(
            m.BudgetRevision.id,
            m.BudgetRevision.budget_line_id,
            m.BudgetRevision.revision_date,
            m.BudgetRevision.amount,
            m.BudgetRevision.kind,
            m.BudgetRevision.note,
        )
        scope = self.line_scope(m.BudgetRevision.budget_line_id)
        if scope is not None:
            stmt = stmt.where(scope)
        stored = {(row[1], row[2]): row for row in streamed(self.c, stmt)}
        counts = self.report.count("budget")
        inserts, updates = [], []
        for r in rows:
            b = r.model
            key = (line_ids[(self.pid(r), b.line_code)], b.revision_date)
            kind = "original" if b.revision_date is None else (b.kind or "reallocation")
            values = {"kind": kind, **note(r)}
            old = stored.get(key)
            if old is None:
                inserts.append(
                    {"budget_line_id": key[0], "revision_date": b.revision_date, "amount": b.amount, **values}
                )
                counts.new += 1
            elif old[3] != b.amount:
                when = "original budget" if b.revision_date is None else f"revision of {b.revision_date.isoformat()}"
                self.conflict(
                    r.source,
                    "amount",
                    b.amount,
                    f"the {when} of line {b.line_code} is stored as {old[3]:g}; budgets are revised, "
                    "never overwritten: add a row with a new revision_date",
                )
            elif (old[4], old[5]) != (values["kind"], values.get("note", old[5])):
                updates.append({"id": old[0], **values})
                counts.changed += 1
                before = {"kind": old[4], "note": old[5]}
                self.history.updated("budget_revisions", old[0], self.pid(r), before, values, r.source)
            else:
                counts.unchanged += 1
        self.apply.write(m.BudgetRevision, inserts, updates)
        self.line_ids = line_ids
        if inserts:
            line_project = {lid: pid for (pid, _code), lid in line_ids.items()}
            key = ("budget_line_id", "revision_date")
            created = self.apply.new_ids(m.BudgetRevision, key, scope, [tuple(i[k] for k in key) for i in inserts])
            self.history.inserted(
                "budget_revisions", ((line_project[k[0]], rid) for k, rid in created.items() if k not in stored)
            )

    def expenditure(self) -> None:
        rows = self.v.rows("expenditure")
        if not rows:
            return
        line_ids = getattr(self, "line_ids", None) or self.stored_ids(m.BudgetLine, "line_code")
        line_project = {lid: pid for (pid, _code), lid in line_ids.items()}
        sync = Sync(
            m.Expenditure,
            ("budget_line_id", "month"),
            self.report.count("expenditure"),
            self.history,
            lambda key, _id: line_project[key[0]],
        )
        for r in rows:
            e = r.model
            sync.add(
                {
                    "budget_line_id": line_ids[(self.pid(r), e.line_code)],
                    "month": e.month,
                    "amount": e.amount,
                    "currency": e.currency,
                },
                r.source,
            )
        sync.run(self.apply, self.line_scope(m.Expenditure.budget_line_id))

    def spending_plan(self) -> None:
        self.simple("spending_plan", m.SpendingPlan, same("month"), same("amount"))

    def fx_rates(self) -> None:
        self.simple(
            "fx_rates", m.FxRate, {"currency": "currency", "date": "rate_date"}, same("usd_rate"), scope_column=None
        )

    def people(self) -> None:
        """Access rows keyed by (email, role); the scope codes are stored as written, joined by ';'."""
        self.simple(
            "people",
            m.Person,
            same("email", "role"),
            same("name", "active", "digest"),
            {"active": True, "digest": "weekly"},
            scope_column=None,
            extra=lambda r: {"scope": ";".join(r.model.scope or ()) or None} if r.has("scope") else {},
        )

    def funding_agreements(self) -> None:
        self.simple(
            "funding_agreements",
            m.FundingAgreement,
            same("reference"),
            same("amount", "currency", "earmarking", "signed_on"),
            {"earmarking": "earmarked"},
            extra=lambda r: {"donor_id": self.donor_ids[r.model.donor]},
        )

    def incoming_funds(self) -> None:
        rows = self.v.rows("incoming_funds")
        if not rows:
            return
        cols = ("project_id", "kind", "date", "amount", "currency", "donor_id", "reference")
        stmt = select(m.IncomingFund.id, *(getattr(m.IncomingFund, c) for c in cols))
        scope = self.project_scope(m.IncomingFund.project_id)
        if scope is not None:
            stmt = stmt.where(scope)
        stored: Counter[tuple] = Counter()
        stored_ids = set()
        for row in streamed(self.c, stmt):
            stored[tuple(row[1:])] += 1
            stored_ids.add(row[0])
        wanted = Counter(
            (
                self.pid(r),
                r.model.kind,
                r.model.date,
                r.model.amount,
                r.model.currency,
                self.donor_ids.get(r.model.donor) if r.model.donor else None,
                r.model.reference,
            )
            for r in rows
        )
        counts = self.report.count("incoming_funds")
        inserts = []
        for key, n in wanted.items():
            missing = n - stored.get(key, 0)
            counts.unchanged += min(n, stored.get(key, 0))
            inserts += [dict(zip(cols, key, strict=True))] * max(missing, 0)
        counts.new += len(inserts)
        self.apply.write(m.IncomingFund, inserts)
        if inserts and self.apply.execute:  # no natural key: the new rows are the ids that were not there before
            ids = select(m.IncomingFund.project_id, m.IncomingFund.id)
            self.history.inserted(
                "incoming_funds",
                (
                    tuple(row)
                    for row in streamed(self.c, ids if scope is None else ids.where(scope))
                    if row[1] not in stored_ids
                ),
            )

    # -- risks, visits, learning --
    def risks(self) -> None:
        self.simple(
            "risks",
            m.Risk,
            {"risk_code": "code"},
            same("description", "category", "likelihood", "impact", "mitigation", "owner", "status", "last_reviewed"),
            {"status": "open"},
        )

    def visits(self) -> None:
        self.simple(
            "visits",
            m.MonitoringVisit,
            {"visit_date": "visit_date", "type": "visit_type"},
            same("findings", "follow_up_status"),
            {"follow_up_status": "none_needed"},
        )

    def evaluations(self) -> None:
        rows = self.v.rows("evaluations")
        if not rows:
            return
        ids = self.simple(
            "evaluations",
            m.Evaluation,
            {"evaluation_code": "code"},
            {"title": "title", "type": "evaluation_type", "date": "evaluation_date"},
            scope_column=None,
        )
        created = self.new_keys["evaluations"]
        self.evaluation_ids = {k[0]: i for k, i in ids.items()}  # every stored one, and the new ones
        for r in rows:
            eid = ids[(r.model.evaluation_code,)]
            stored = (r.model.evaluation_code,) not in created
            if r.has("project_codes"):
                wanted = {self.project_ids[c] for c in r.model.project_codes or ()}
                have = set(
                    self.c.scalars(
                        select(m.EvaluationProject.project_id).where(m.EvaluationProject.evaluation_id == eid)
                    )
                )
                if wanted != have and stored:
                    codes = {pid: code for code, pid in self.project_ids.items()}  # ``wanted``: maybe new
                    codes.update(
                        self.c.execute(
                            select(m.Project.id, m.Project.code).where(in_ids(m.Project.id, have - codes.keys()))
                        ).all()
                    )
                    self.history.updated(
                        "evaluations",
                        eid,
                        None,
                        {"project_codes": _joined(codes[p] for p in have)},
                        {"project_codes": _joined(codes[p] for p in wanted)},
                        r.source,
                    )
                    self.history.projects |= have | wanted
                if wanted != have:
                    self.apply.statement(
                        delete(m.EvaluationProject).where(
                            m.EvaluationProject.evaluation_id == eid,
                            m.EvaluationProject.project_id.in_(sorted(have - wanted)),
                        )
                    )
                    self.apply.write(
                        m.EvaluationProject, [{"evaluation_id": eid, "project_id": p} for p in sorted(wanted - have)]
                    )
            if r.has("ratings"):
                wanted_r = {c: int(float(v)) for c, v in r.model.ratings or ()}
                have_r = dict(
                    self.c.execute(
                        select(m.EvaluationRating.criterion, m.EvaluationRating.rating).where(
                            m.EvaluationRating.evaluation_id == eid
                        )
                    ).all()
                )
                if wanted_r != have_r and stored:
                    self.history.updated(
                        "evaluations",
                        eid,
                        None,
                        {"ratings": _joined(f"{c}:{v}" for c, v in have_r.items())},
                        {"ratings": _joined(f"{c}:{v}" for c, v in wanted_r.items())},
                        r.source,
                    )
                if wanted_r != have_r:
                    self.apply.statement(delete(m.EvaluationRating).where(m.EvaluationRating.evaluation_id == eid))
                    self.apply.write(
                        m.EvaluationRating,
                        [{"evaluation_id": eid, "criterion": c, "rating": v} for c, v in wanted_r.items()],
                    )

    def recommendations(self) -> None:
        if not self.v.rows("recommendations"):
            return
        evaluations = getattr(self, "evaluation_ids", None) or dict(
            self.c.execute(select(m.Evaluation.code, m.Evaluation.id)).all()
        )

        def evaluation(r: ValidRow) -> dict[str, Any]:
            if not r.has("evaluation_code"):
                return {}
            code = r.model.evaluation_code
            return {"evaluation_id": evaluations[code] if code else None}

        self.simple(
            "recommendations",
            m.Recommendation,
            {"recommendation_code": "code"},
            same(*table("recommendations").names_except("project_code", "recommendation_code", "evaluation_code")),
            {"source": "evaluation", "status": "open"},
            extra=evaluation,
        )
