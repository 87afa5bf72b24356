"""Writing the stored data back as the canonical CSV tables (``python -m data_access export DIR``).

The files are exactly what the importer reads (same names, same columns, UTF-8), so exporting a
database and importing the files into an empty one reproduces it; exporting that one again gives
byte-identical files (tested). Decisions:

* Only the current version of each actual is exported (the CSV has no version column); older
  versions stay in the database. Budgets are exported as the original row plus one row per dated
  revision, so revisions survive the round trip.
* Rows are sorted by their natural key, numbers are written so they read back to the same float
  (``1000`` not ``1000.0``; otherwise Python's shortest round-tripping form), dates in ISO form,
  yes/no for booleans, lists and pairs joined with ``;`` in sorted order.
* A table with no rows is still written (header only), so the set of files is always the same.
* Text that a spreadsheet would run as a formula (``=...``, ``+...``, ``-...``, ``@...``) is
  written with an apostrophe in front (``data_access.formula_text``); the importer removes it.
* What the CSV cannot hold is not exported: country and region names (countries created by an
  import are named by their ISO3 code), donor types, AAP assessment dates, the import log.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from data_access import models as m
from data_access.formula_text import neutralise
from data_access.importers.tables import TABLES, table
from reference.vocabulary import GENDER_SCHEMES


def fmt(value: Any) -> str:
    """One cell as the importer reads it back to the same value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralise(str(value))  # text a spreadsheet would run as a formula gets its apostrophe


def _month(value: dt.date | None) -> str:
    return value.strftime("%Y-%m") if value else ""


def _joined(values: Iterable[str]) -> str:
    return ";".join(sorted(values))


class Exporter:
    """One method per canonical table, each yielding rows (dicts by column name) in key order."""

    def __init__(self, session: Session):
        self.s = session

    def _rows(self, stmt: Select) -> Iterator[Any]:
        return iter(self.s.execute(stmt.execution_options(yield_per=10_000)))

    def _grouped(self, stmt: Select) -> dict[int, list[tuple]]:
        out: dict[int, list[tuple]] = defaultdict(list)
        for row in self.s.execute(stmt):
            out[row[0]].append(tuple(row[1:]))
        return out

    def projects(self) -> Iterator[dict]:
        p, c, r = m.Project, m.Country, m.Region
        countries = self._grouped(
            select(m.ProjectCountry.project_id, c.iso3, m.ProjectCountry.percentage).join(
                c, c.id == m.ProjectCountry.country_id
            )
        )
        donors = self._grouped(
            select(m.ProjectDonor.project_id, m.Donor.name).join(m.Donor, m.Donor.id == m.ProjectDonor.donor_id)
        )
        tags = self._grouped(select(m.ProjectTag.project_id, m.ProjectTag.scheme, m.ProjectTag.code))
        markers = self._grouped(select(m.ProjectMarker.project_id, m.ProjectMarker.scheme, m.ProjectMarker.code))
        aap = self._grouped(select(m.AapAssessment.project_id, m.AapAssessment.commitment, m.AapAssessment.rating))
        stmt = (
            select(p, c.iso3, r.code)
            .join(m.CountryOffice, m.CountryOffice.id == p.managing_office_id)
            .join(c, c.id == m.CountryOffice.country_id)
            .join(r, r.id == c.region_id)
            .order_by(p.code)
        )
        for project, managing, region in self.s.execute(stmt):
            own = dict(markers.get(project.id, []))
            gender = next((s for s in GENDER_SCHEMES if s in own), None)
            ratings = dict(aap.get(project.id, []))
            covered = countries.get(project.id, [])
            yield {
                "project_code": project.code,
                "title": project.title,
                "managing_country": managing,
                "countries": _joined(iso for iso, _ in covered),
                "region": region,
                "donors": _joined(name for (name,) in donors.get(project.id, [])),
                "thematic_area": project.thematic_area,
                "start_date": project.start_date,
                "end_date": project.end_date,
                "revised_end_date": project.revised_end_date,
                "status": project.status,
                "currency": project.currency,
                "manager": project.manager,
                "high_risk_context": project.high_risk_context,
                "gender_marker_scheme": gender,
                "gender_marker_code": own.get(gender) if gender else None,
                **{f"aap_{c}": ratings.get(c) for c in m.AAP_COMMITMENTS},
                "tags": _joined(f"{s}:{code}" for s, code in tags.get(project.id, [])),
                "description": project.description,
                "country_percentages": _joined(f"{iso}:{fmt(pct)}" for iso, pct in covered if pct is not None),
                "markers": _joined(f"{s}:{code}" for s, code in own.items() if s != gender),
                "reporting_org": None,
            }

    def results(self) -> Iterator[dict]:
        parent = aliased(m.Result)
        stmt = (
            select(m.Project.code, m.Result, parent.code)
            .join(m.Project, m.Project.id == m.Result.project_id)
            .outerjoin(parent, parent.id == m.Result.parent_id)
            .order_by(m.Project.code, m.Result.code)
        )
        for project, res, parent_code in self._rows(stmt):
            yield {
                "project_code": project,
                "result_code": res.code,
                "level": res.level,
                "parent_code": parent_code,
                "statement": res.statement,
            }

    def indicators(self) -> Iterator[dict]:
        stmt = (
            select(m.Project.code, m.Indicator, m.Result.code)
            .join(m.Project, m.Project.id == m.Indicator.project_id)
            .outerjoin(m.Result, m.Result.id == m.Indicator.result_id)
            .order_by(m.Project.code, m.Indicator.code)
        )
        names = [
            c for c in table("indicators").column_names if c not in ("project_code", "indicator_code", "result_code")
        ]
        for project, ind, result in self._rows(stmt):
            yield {
                "project_code": project,
                "indicator_code": ind.code,
                "result_code": result,
                **{n: getattr(ind, n) for n in names},
            }

    def _indicator_codes(self) -> dict[int, tuple[str, str]]:
        return {
            iid: (pc, ic)
            for iid, pc, ic in self.s.execute(
                select(m.Indicator.id, m.Project.code, m.Indicator.code).join(
                    m.Project, m.Project.id == m.Indicator.project_id
                )
            )
        }

    def periods(self) -> Iterator[dict]:
        codes = self._indicator_codes()
        rows: dict[tuple, dict] = {}
        for t in self.s.scalars(select(m.Target)):
            pc, ic = codes[t.indicator_id]
            rows[(pc, ic, t.period_start, t.period_end)] = {"target": t.target, "target_text": t.target_text}
        for a in self.s.scalars(select(m.Actual).where(m.Actual.is_current)):
            pc, ic = codes[a.indicator_id]
            rows.setdefault((pc, ic, a.period_start, a.period_end), {}).update(
                {
                    "actual": a.value,
                    "actual_text": a.value_text,
                    "actual_female": a.female,
                    "actual_male": a.male,
                    "actual_other": a.other_sex,
                    "comment": a.comment,
                    "reported_on": a.reported_on,
                    "source": a.source,
                }
            )
        for (pc, ic, start, end), values in sorted(rows.items()):
            yield {"project_code": pc, "indicator_code": ic, "period_start": start, "period_end": end, **values}

    def breakdowns(self) -> Iterator[dict]:
        codes = self._indicator_codes()
        stmt = (
            select(m.Actual.indicator_id, m.Actual.period_start, m.Actual.period_end, m.ActualBreakdown)
            .join(m.Actual, m.Actual.id == m.ActualBreakdown.actual_id)
            .where(m.Actual.is_current)
        )
        out = []
        for iid, start, end, b in self.s.execute(stmt):
            pc, ic = codes[iid]
            out.append(
                {
                    "project_code": pc,
                    "indicator_code": ic,
                    "period_start": start,
                    "period_end": end,
                    "dimension": b.dimension,
                    "category": b.category,
                    "value": b.value,
                    "value_text": b.value_text,
                }
            )
        yield from sorted(
            out,
            key=lambda r: (
                r["project_code"],
                r["indicator_code"],
                r["period_start"],
                r["period_end"],
                r["dimension"],
                r["category"],
            ),
        )

    def budget(self) -> Iterator[dict]:
        stmt = (
            select(m.Project.code, m.BudgetLine, m.BudgetRevision)
            .join(m.Project, m.Project.id == m.BudgetLine.project_id)
            .join(m.BudgetRevision, m.BudgetRevision.budget_line_id == m.BudgetLine.id)
        )
        rows = sorted(self.s.execute(stmt), key=lambda r: (r[0], r[1].line_code, r[2].revision_date or dt.date.min))
        for project, line, rev in rows:
            yield {
                "project_code": project,
                "line_code": line.line_code,
                "category": line.category,
                "description": line.description,
                "amount": rev.amount,
                "currency": line.currency,
                "revision_date": rev.revision_date,
                "kind": rev.kind,
                "note": rev.note,
            }

    def expenditure(self) -> Iterator[dict]:
        stmt = (
            select(
                m.Project.code,
                m.BudgetLine.line_code,
                m.Expenditure.month,
                m.Expenditure.amount,
                m.Expenditure.currency,
            )
            .join(m.BudgetLine, m.BudgetLine.id == m.Expenditure.budget_line_id)
            .join(m.Project, m.Project.id == m.BudgetLine.project_id)
            .order_by(m.Project.code, m.BudgetLine.line_code, m.Expenditure.month)
        )
        for project, line, month, amount, currency in self._rows(stmt):
            yield {
                "project_code": project,
                "line_code": line,
                "month": _month(month),
                "amount": amount,
                "currency": currency,
            }

    def _project_table(
        self, model: type[m.Base], order: tuple[str, ...], columns: dict[str, str | Callable]
    ) -> Iterator[dict]:
        stmt = (
            select(m.Project.code, model)
            .join(m.Project, m.Project.id == model.project_id)
            .order_by(m.Project.code, *(getattr(model, c) for c in order))
        )
        for project, row in self._rows(stmt):
            yield {
                "project_code": project,
                **{out: (src(row) if callable(src) else getattr(row, src)) for out, src in columns.items()},
            }

    def risks(self) -> Iterator[dict]:
        names = [c for c in table("risks").column_names if c not in ("project_code", "risk_code")]
        return self._project_table(m.Risk, ("code",), {"risk_code": "code", **{n: n for n in names}})

    def visits(self) -> Iterator[dict]:
        return self._project_table(
            m.MonitoringVisit,
            ("visit_date", "visit_type"),
            {
                "visit_date": "visit_date",
                "type": "visit_type",
                "findings": "findings",
                "follow_up_status": "follow_up_status",
            },
        )

    def spending_plan(self) -> Iterator[dict]:
        return self._project_table(m.SpendingPlan, ("month",), {"month": lambda r: _month(r.month), "amount": "amount"})

    def fx_rates(self) -> Iterator[dict]:
        for rate in self.s.scalars(select(m.FxRate).order_by(m.FxRate.currency, m.FxRate.rate_date)):
            yield {"date": rate.rate_date, "currency": rate.currency, "usd_rate": rate.usd_rate}

    def incoming_funds(self) -> Iterator[dict]:
        donors = dict(self.s.execute(select(m.Donor.id, m.Donor.name)).all())
        rows = [
            {
                "project_code": pc,
                "kind": f.kind,
                "date": f.date,
                "amount": f.amount,
                "currency": f.currency,
                "donor": donors.get(f.donor_id),
                "reference": f.reference,
            }
            for pc, f in self.s.execute(
                select(m.Project.code, m.IncomingFund).join(m.Project, m.Project.id == m.IncomingFund.project_id)
            )
        ]
        yield from sorted(rows, key=lambda r: tuple(fmt(v) for v in r.values()))

    def funding_agreements(self) -> Iterator[dict]:
        donors = dict(self.s.execute(select(m.Donor.id, m.Donor.name)).all())
        return self._project_table(
            m.FundingAgreement,
            ("reference",),
            {
                "donor": lambda f: donors[f.donor_id],
                "reference": "reference",
                "amount": "amount",
                "currency": "currency",
                "earmarking": "earmarking",
                "signed_on": "signed_on",
            },
        )

    def evaluations(self) -> Iterator[dict]:
        links = self._grouped(
            select(m.EvaluationProject.evaluation_id, m.Project.code).join(
                m.Project, m.Project.id == m.EvaluationProject.project_id
            )
        )
        ratings = self._grouped(
            select(m.EvaluationRating.evaluation_id, m.EvaluationRating.criterion, m.EvaluationRating.rating)
        )
        for e in self.s.scalars(select(m.Evaluation).order_by(m.Evaluation.code)):
            yield {
                "evaluation_code": e.code,
                "title": e.title,
                "type": e.evaluation_type,
                "date": e.evaluation_date,
                "project_codes": _joined(code for (code,) in links.get(e.id, [])),
                "ratings": _joined(f"{c}:{r}" for c, r in ratings.get(e.id, [])),
            }

    def recommendations(self) -> Iterator[dict]:
        evaluations = dict(self.s.execute(select(m.Evaluation.id, m.Evaluation.code)).all())
        names = table("recommendations").names_except("project_code", "recommendation_code", "evaluation_code")
        return self._project_table(
            m.Recommendation,
            ("code",),
            {
                "recommendation_code": "code",
                "evaluation_code": lambda r: evaluations.get(r.evaluation_id),
                **{n: n for n in names},
            },
        )

    def people(self) -> Iterator[dict]:
        for person in self.s.scalars(select(m.Person).order_by(m.Person.email, m.Person.role)):
            yield {
                "email": person.email,
                "name": person.name,
                "role": person.role,
                "scope": person.scope,
                "active": person.active,
            }


def export_tables(session: Session, directory: Path) -> dict[str, int]:
    """Write every canonical table as ``DIR/<table>.csv``; return rows written per table."""
    directory.mkdir(parents=True, exist_ok=True)
    exporter = Exporter(session)
    counts = {}
    for spec in TABLES:
        columns = spec.column_names
        with (directory / f"{spec.name}.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(columns)
            n = 0
            for row in getattr(exporter, spec.name)():
                writer.writerow([fmt(row.get(c)) for c in columns])
                n += 1
        counts[spec.name] = n
    return counts
