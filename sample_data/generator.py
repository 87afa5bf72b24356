"""The deterministic sample portfolio: one DataFrame per table, ready to bulk-insert.

``generate(projects, seed, today)`` is the single source of sample data for the demo database
(``python -m data_access seed``), the tests and the benchmarks (ARCHITECTURE.md practice 7).

* Pure: numpy and pandas only, no database. Each frame has exactly the columns of its table in
  ``data_access/models.py`` (:data:`TABLE_COLUMNS`, checked against the models by a test) and
  explicit integer ids, so that ``data_access.seed`` inserts it as is.
* Deterministic: the same ``projects``, ``seed`` and ``today`` give identical frames; every
  component draws from its own random stream (``arrays.stream``), so changing how risks are drawn
  does not change the indicators.
* Anchored on ``today`` (default: the current date) so the demo is always mid-implementation.
* Dates are ``datetime64[ns]`` columns (midnight), missing values ``NaT``/``NaN``/``None``;
  nullable integer foreign keys are ``Int64``.

What is realistic about it, and why, is described in the docstring of each builder module:
``projects`` (dates, statuses, budgets, the latent performance and spending pace), ``results``,
``finance``, ``markers``, ``oversight``; reference data in ``reference`` and ``themes``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from sample_data.arrays import stream
from sample_data.finance import build_finance
from sample_data.markers import build_markers
from sample_data.organisation import build_fx_rates, build_organisation
from sample_data.oversight import build_oversight
from sample_data.people import build_people
from sample_data.projects import (
    assign_managers,
    build_plan,
    managers_needed,
    project_countries_frame,
    projects_frame,
)
from sample_data.reference import COUNTRIES
from sample_data.results import build_results

# Column names of every table, in foreign-key order (a table only refers to tables before it).
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "regions": ("id", "code", "name"),
    "countries": ("id", "iso3", "name", "region_id"),
    "country_offices": ("id", "country_id", "name", "chief_of_mission"),
    "donors": ("id", "name", "donor_type"),
    "fx_rates": ("id", "currency", "rate_date", "usd_rate"),
    "import_batches": (
        "id",
        "started_at",
        "finished_at",
        "user_name",
        "file_name",
        "file_sha256",
        "file_format",
        "outcome",
        "counts_json",
        "message",
    ),
    # the history of changed rows starts empty: seeding is the starting point, not a change
    "row_history": (
        "id",
        "import_batch_id",
        "table_name",
        "action",
        "project_id",
        "row_id",
        "field",
        "old_value",
        "new_value",
        "row_ids",
    ),
    # review snapshots start empty: frozen by people, never generated
    "snapshots": (
        "id",
        "name",
        "as_of",
        "scope_kind",
        "scope_codes",
        "scope_label",
        "created_by",
        "created_at",
        "data_version",
        "settings_json",
        "columns_json",
        "n_figures",
    ),
    "snapshot_figures": (
        "id",
        "snapshot_id",
        "kind",
        "project_code",
        "indicator_code",
        "flag_code",
        "item",
        "status",
        "values_json",
    ),
    # what the alerts digest sent: starts empty, never generated
    "sent_digests": ("id", "email", "sent_at", "as_of", "since", "n_alerts"),
    "sent_alerts": ("id", "digest_id", "alert_key", "project_id"),
    "projects": (
        "id",
        "code",
        "title",
        "managing_office_id",
        "thematic_area",
        "start_date",
        "end_date",
        "revised_end_date",
        "status",
        "currency",
        "manager",
        "high_risk_context",
        "description",
    ),
    "project_countries": ("project_id", "country_id", "percentage"),
    "funding_agreements": (
        "id",
        "project_id",
        "donor_id",
        "reference",
        "amount",
        "currency",
        "earmarking",
        "signed_on",
    ),
    "project_donors": ("project_id", "donor_id"),
    "project_tags": ("id", "project_id", "scheme", "code"),
    "project_markers": ("id", "project_id", "scheme", "code"),
    "aap_assessments": ("id", "project_id", "commitment", "rating", "assessed_on"),
    "results": ("id", "project_id", "code", "level", "parent_id", "statement"),
    "indicators": (
        "id",
        "project_id",
        "result_id",
        "code",
        "name",
        "unit",
        "measure",
        "direction",
        "accumulation",
        "baseline",
        "baseline_text",
        "baseline_date",
        "end_target",
        "end_target_text",
        "disaggregation",
        "data_source",
        "collection_method",
        "frequency",
        "responsible",
        "import_note",
    ),
    "targets": ("id", "indicator_id", "period_start", "period_end", "target", "target_text"),
    "actuals": (
        "id",
        "indicator_id",
        "period_start",
        "period_end",
        "value",
        "value_text",
        "female",
        "male",
        "other_sex",
        "comment",
        "reported_on",
        "source",
        "version",
        "is_current",
        "superseded_at",
        "import_batch_id",
    ),
    "actual_breakdowns": ("id", "actual_id", "dimension", "category", "value", "value_text"),
    "budget_lines": ("id", "project_id", "line_code", "category", "description", "currency"),
    "budget_revisions": ("id", "budget_line_id", "kind", "revision_date", "amount", "note"),
    "expenditures": ("id", "budget_line_id", "month", "amount", "currency"),
    "spending_plans": ("id", "project_id", "month", "amount"),
    "incoming_funds": ("id", "project_id", "donor_id", "kind", "date", "amount", "currency", "reference"),
    "risks": (
        "id",
        "project_id",
        "code",
        "description",
        "category",
        "likelihood",
        "impact",
        "mitigation",
        "owner",
        "status",
        "last_reviewed",
    ),
    "monitoring_visits": ("id", "project_id", "visit_date", "visit_type", "findings", "follow_up_status"),
    "evaluations": ("id", "code", "title", "evaluation_type", "evaluation_date"),
    "evaluation_projects": ("evaluation_id", "project_id"),
    "evaluation_ratings": ("id", "evaluation_id", "criterion", "rating"),
    "recommendations": (
        "id",
        "project_id",
        "evaluation_id",
        "code",
        "source",
        "text",
        "issued_on",
        "management_response",
        "action",
        "owner",
        "due_date",
        "status",
        "implemented_on",
    ),
    "people": ("id", "email", "name", "role", "scope", "active", "digest"),
    "view_as_events": ("id", "at", "viewer", "viewed"),
}
TABLE_ORDER: tuple[str, ...] = tuple(TABLE_COLUMNS)
DEFAULT_PROJECTS = 300
DEFAULT_SEED = 7


def generate(
    projects: int = DEFAULT_PROJECTS, seed: int = DEFAULT_SEED, today: dt.date | None = None
) -> dict[str, pd.DataFrame]:
    """The sample portfolio of ``projects`` projects as ``{table name: DataFrame}`` in foreign-key order."""
    if projects < 1:
        raise ValueError("projects must be at least 1")
    today = today or dt.date.today()
    today_d = np.datetime64(today, "D")
    plan = build_plan(seed, projects, today_d)
    offices = np.bincount(plan.country, minlength=len(COUNTRIES))
    people, frames = build_organisation(seed, int(sum(managers_needed(c) for c in offices if c)))
    assign_managers(stream(seed, "managers"), plan, people[len(COUNTRIES) :])
    # rates from the month before the earliest start (or before today if nothing has started yet)
    first_month = (min(plan.start_month.min(), today_d.astype("datetime64[M]")) - 1).astype("datetime64[M]")
    fx, frames["fx_rates"] = build_fx_rates(seed, first_month, today_d.astype("datetime64[M]"))
    for bookkeeping in (
        "import_batches",
        "row_history",
        "snapshots",
        "snapshot_figures",
        "sent_digests",
        "sent_alerts",
    ):
        frames[bookkeeping] = pd.DataFrame(columns=list(TABLE_COLUMNS[bookkeeping]))
    frames["projects"] = projects_frame(stream(seed, "titles"), plan)
    frames["project_countries"] = project_countries_frame(stream(seed, "project_countries"), plan)
    frames.update(build_finance(seed, plan, fx))
    frames.update(build_markers(seed, plan))
    frames.update(build_results(seed, plan))
    frames.update(build_oversight(seed, plan))
    frames["people"] = build_people(frames)
    frames["view_as_events"] = pd.DataFrame(columns=list(TABLE_COLUMNS["view_as_events"]))
    return {name: frames[name].loc[:, list(columns)] for name, columns in TABLE_COLUMNS.items()}
