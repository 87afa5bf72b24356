"""Factories for valid rows with sensible defaults: ``make_project(session, **overrides)``.

Each factory adds one row (creating the parents it needs when they are not given), flushes so
that ids exist, and returns the ORM object. Codes come from a process-wide counter so that rows made
in the same test never collide on a unique key. Override any column by keyword; parents are passed
as objects (``project=...``, ``indicator=...``) rather than ids.

Defaults describe an ordinary active USD project of 2024-2026 with a level indicator from 0 to 100:
tests state only what matters to them.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from data_access import models as m

T = TypeVar("T", bound=m.Base)

_counter = itertools.count(1)


def next_number() -> int:
    """A number never handed out before in this process: the suffix of generated codes."""
    return next(_counter)


def _letters(n: int, width: int = 3) -> str:
    """``n`` as upper-case letters (base 26), for ISO3-like codes: 1 → 'AAB'."""
    out = ""
    for _ in range(width):
        n, r = divmod(n, 26)
        out = chr(ord("A") + r) + out
    return out


def _add(session: Session, model: type[T], defaults: dict[str, Any], overrides: dict[str, Any]) -> T:
    row = model(**{**defaults, **overrides})
    session.add(row)
    session.flush()
    return row


def make_region(session: Session, **overrides: Any) -> m.Region:
    n = next_number()
    return _add(session, m.Region, {"code": f"R{n:03d}", "name": f"Region {n}"}, overrides)


def make_country(session: Session, region: m.Region | None = None, **overrides: Any) -> m.Country:
    region = region or make_region(session)
    n = next_number()
    # "Q" prefix: ISO 3166 reserves QM-QZ for user assignment, so no clash with real countries
    iso3 = "Q" + _letters(n, 2)
    return _add(session, m.Country, {"iso3": iso3, "name": f"Country {iso3}", "region_id": region.id}, overrides)


def make_country_office(session: Session, country: m.Country | None = None, **overrides: Any) -> m.CountryOffice:
    country = country or make_country(session)
    defaults = {"country_id": country.id, "name": f"{country.name} office", "chief_of_mission": "A. Chief"}
    return _add(session, m.CountryOffice, defaults, overrides)


def make_donor(session: Session, **overrides: Any) -> m.Donor:
    n = next_number()
    return _add(session, m.Donor, {"name": f"Donor {n}", "donor_type": "government"}, overrides)


def make_project(
    session: Session,
    office: m.CountryOffice | None = None,
    donors: tuple[m.Donor, ...] = (),
    **overrides: Any,
) -> m.Project:
    """An active USD project 2024-01-01 → 2026-12-31 managed by ``office`` (a new one by default)."""
    office = office or make_country_office(session)
    n = next_number()
    defaults = {
        "code": f"PX.{n:05d}",
        "title": f"Project {n}",
        "managing_office_id": office.id,
        "thematic_area": "Migration health",
        "start_date": dt.date(2024, 1, 1),
        "end_date": dt.date(2026, 12, 31),
        "status": "active",
        "currency": "USD",
        "manager": "P. Manager",
        "high_risk_context": False,
    }
    project = _add(session, m.Project, defaults, overrides)
    for donor in donors:
        session.add(m.ProjectDonor(project_id=project.id, donor_id=donor.id))
    session.flush()
    return project


def make_project_country(
    session: Session, project: m.Project, country: m.Country, **overrides: Any
) -> m.ProjectCountry:
    defaults = {"project_id": project.id, "country_id": country.id, "percentage": None}
    return _add(session, m.ProjectCountry, defaults, overrides)


def make_result(
    session: Session, project: m.Project | None = None, parent: m.Result | None = None, **overrides: Any
) -> m.Result:
    project = project or make_project(session)
    n = next_number()
    defaults = {
        "project_id": project.id,
        "code": f"OC{n}",
        "level": "outcome",
        "parent_id": parent.id if parent else None,
        "statement": f"Outcome {n} is achieved",
    }
    return _add(session, m.Result, defaults, overrides)


def make_indicator(
    session: Session, project: m.Project | None = None, result: m.Result | None = None, **overrides: Any
) -> m.Indicator:
    """A level ``number`` indicator, baseline 0 (2024-01-01), end target 100."""
    if project is None:
        project = session.get(m.Project, result.project_id) if result else make_project(session)
    n = next_number()
    defaults = {
        "project_id": project.id,
        "result_id": result.id if result else None,
        "code": f"IND{n}",
        "name": f"Indicator {n}",
        "unit": "people",
        "measure": "number",
        "direction": "increase",
        "accumulation": "level",
        "baseline": 0.0,
        "baseline_date": dt.date(2024, 1, 1),
        "end_target": 100.0,
        "disaggregation": "none",
    }
    return _add(session, m.Indicator, defaults, overrides)


def make_target(session: Session, indicator: m.Indicator | None = None, **overrides: Any) -> m.Target:
    indicator = indicator or make_indicator(session)
    defaults = {
        "indicator_id": indicator.id,
        "period_start": dt.date(2024, 1, 1),
        "period_end": dt.date(2024, 12, 31),
        "target": 50.0,
    }
    return _add(session, m.Target, defaults, overrides)


def make_actual(session: Session, indicator: m.Indicator | None = None, **overrides: Any) -> m.Actual:
    """A current version-1 actual of 40 for Q1 2024."""
    indicator = indicator or make_indicator(session)
    defaults = {
        "indicator_id": indicator.id,
        "period_start": dt.date(2024, 1, 1),
        "period_end": dt.date(2024, 3, 31),
        "value": 40.0,
        "reported_on": dt.date(2024, 4, 15),
        "source": "project_monitoring",
        "version": 1,
        "is_current": True,
    }
    return _add(session, m.Actual, defaults, overrides)


def make_actual_breakdown(session: Session, actual: m.Actual, **overrides: Any) -> m.ActualBreakdown:
    defaults = {"actual_id": actual.id, "dimension": "age", "category": "18-59", "value": 10.0}
    return _add(session, m.ActualBreakdown, defaults, overrides)


def make_budget_line(
    session: Session,
    project: m.Project | None = None,
    original_amount: float | None = 10_000.0,
    **overrides: Any,
) -> m.BudgetLine:
    """A budget line in the project's currency with its original revision (skip with ``None``)."""
    project = project or make_project(session)
    n = next_number()
    defaults = {
        "project_id": project.id,
        "line_code": f"BL{n}",
        "category": "operational",
        "currency": project.currency,
    }
    line = _add(session, m.BudgetLine, defaults, overrides)
    if original_amount is not None:
        make_budget_revision(session, line, kind="original", revision_date=None, amount=original_amount)
    return line


def make_budget_revision(session: Session, line: m.BudgetLine, **overrides: Any) -> m.BudgetRevision:
    """By default a reallocation dated 2025-01-01 to 12,000."""
    defaults = {
        "budget_line_id": line.id,
        "kind": "reallocation",
        "revision_date": dt.date(2025, 1, 1),
        "amount": 12_000.0,
    }
    return _add(session, m.BudgetRevision, defaults, overrides)


def make_expenditure(session: Session, line: m.BudgetLine, **overrides: Any) -> m.Expenditure:
    defaults = {"budget_line_id": line.id, "month": dt.date(2024, 1, 1), "amount": 500.0, "currency": line.currency}
    return _add(session, m.Expenditure, defaults, overrides)


def make_spending_plan(session: Session, project: m.Project, **overrides: Any) -> m.SpendingPlan:
    defaults = {"project_id": project.id, "month": dt.date(2024, 1, 1), "amount": 1_000.0}
    return _add(session, m.SpendingPlan, defaults, overrides)


def make_incoming_fund(session: Session, project: m.Project, **overrides: Any) -> m.IncomingFund:
    defaults = {
        "project_id": project.id,
        "kind": "incoming_funds",
        "date": dt.date(2024, 2, 1),
        "amount": 5_000.0,
        "currency": project.currency,
    }
    return _add(session, m.IncomingFund, defaults, overrides)


def make_funding_agreement(
    session: Session, project: m.Project, donor: m.Donor | None = None, **overrides: Any
) -> m.FundingAgreement:
    donor = donor or make_donor(session)
    n = next_number()
    defaults = {
        "project_id": project.id,
        "donor_id": donor.id,
        "reference": f"FA-{n}",
        "amount": 100_000.0,
        "currency": project.currency,
        "earmarking": "earmarked",
    }
    return _add(session, m.FundingAgreement, defaults, overrides)


def make_fx_rate(session: Session, **overrides: Any) -> m.FxRate:
    defaults = {"currency": "EUR", "rate_date": dt.date(2024, 1, 1), "usd_rate": 1.1}
    return _add(session, m.FxRate, defaults, overrides)


def make_risk(session: Session, project: m.Project | None = None, **overrides: Any) -> m.Risk:
    project = project or make_project(session)
    n = next_number()
    defaults = {
        "project_id": project.id,
        "code": f"RK{n}",
        "description": "Access to sites is restricted",
        "category": "operational",
        "likelihood": 3,
        "impact": 4,
        "mitigation": "Remote monitoring",
        "owner": "P. Manager",
        "status": "open",
        "last_reviewed": dt.date(2024, 6, 1),
    }
    return _add(session, m.Risk, defaults, overrides)


def make_visit(session: Session, project: m.Project | None = None, **overrides: Any) -> m.MonitoringVisit:
    project = project or make_project(session)
    defaults = {
        "project_id": project.id,
        "visit_date": dt.date(2024, 5, 10),
        "visit_type": "on_site",
        "findings": "Distribution observed",
        "follow_up_status": "none_needed",
    }
    return _add(session, m.MonitoringVisit, defaults, overrides)


def make_evaluation(session: Session, projects: tuple[m.Project, ...] = (), **overrides: Any) -> m.Evaluation:
    n = next_number()
    defaults = {
        "code": f"EV{n}",
        "title": f"Evaluation {n}",
        "evaluation_type": "external",
        "evaluation_date": dt.date(2024, 9, 1),
    }
    evaluation = _add(session, m.Evaluation, defaults, overrides)
    for project in projects:
        session.add(m.EvaluationProject(evaluation_id=evaluation.id, project_id=project.id))
    session.flush()
    return evaluation


def make_recommendation(
    session: Session, project: m.Project | None = None, evaluation: m.Evaluation | None = None, **overrides: Any
) -> m.Recommendation:
    project = project or make_project(session)
    n = next_number()
    defaults = {
        "project_id": project.id,
        "evaluation_id": evaluation.id if evaluation else None,
        "code": f"REC{n}",
        "source": "evaluation",
        "text": "Strengthen the feedback mechanism",
        "issued_on": dt.date(2024, 9, 15),
        "management_response": "accepted",
        "due_date": dt.date(2025, 3, 31),
        "status": "open",
    }
    return _add(session, m.Recommendation, defaults, overrides)


def make_marker(session: Session, project: m.Project, **overrides: Any) -> m.ProjectMarker:
    defaults = {"project_id": project.id, "scheme": "IOM_GM", "code": "2a"}
    return _add(session, m.ProjectMarker, defaults, overrides)


def make_aap(session: Session, project: m.Project, **overrides: Any) -> m.AapAssessment:
    defaults = {"project_id": project.id, "commitment": "feedback", "rating": "met"}
    return _add(session, m.AapAssessment, defaults, overrides)


def make_tag(session: Session, project: m.Project, **overrides: Any) -> m.ProjectTag:
    defaults = {"project_id": project.id, "scheme": "GCM", "code": "7"}
    return _add(session, m.ProjectTag, defaults, overrides)


def make_import_batch(session: Session, **overrides: Any) -> m.ImportBatch:
    n = next_number()
    defaults = {
        "started_at": dt.datetime(2024, 4, 1, 9, 0, 0),
        "finished_at": dt.datetime(2024, 4, 1, 9, 0, 5),
        "user_name": "m.officer",
        "file_name": f"upload-{n}.xlsx",
        "file_sha256": f"{n:064x}",
        "file_format": "excel",
        "outcome": "imported",
        "counts_json": '{"actuals": 3}',
    }
    return _add(session, m.ImportBatch, defaults, overrides)
