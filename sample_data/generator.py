"""The deterministic sample portfolio: one DataFrame per table, ready to bulk-insert.

``generate(projects, seed, today)`` is the single source of sample data for the demo database
(``python -m data_access seed``), the tests and the benchmarks (ARCHITECTURE.md practice 7);
``generate_blocks`` hands out the same portfolio in parts, one block of projects at a time.

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
from collections.abc import Iterator

import numpy as np
import pandas as pd

from sample_data.arrays import stream
from sample_data.finance import build_finance
from sample_data.markers import build_markers
from sample_data.organisation import build_fx_rates, build_organisation
from sample_data.oversight import build_oversight, evaluation_code
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
# Projects per block: the heavy tables are built, handed over and released one block at a time, so
# memory stays about one block's (~1 GB) however large the portfolio (docs/speed.md).
BLOCK_PROJECTS = 10_000
# Tables built per block; every other table is built once for the whole portfolio.
BLOCK_TABLES: tuple[str, ...] = (
    "funding_agreements",
    "project_donors",
    "project_tags",
    "project_markers",
    "aap_assessments",
    "results",
    "indicators",
    "targets",
    "actuals",
    "actual_breakdowns",
    "budget_lines",
    "budget_revisions",
    "expenditures",
    "spending_plans",
    "incoming_funds",
    "risks",
    "monitoring_visits",
    "evaluations",
    "evaluation_projects",
    "evaluation_ratings",
    "recommendations",
)
# Id columns a block's builders number from 1, and the table whose earlier blocks' rows shift them.
BLOCK_REFERENCES: dict[str, str] = {
    "project_id": "projects",
    "budget_line_id": "budget_lines",
    "result_id": "results",
    "parent_id": "results",
    "indicator_id": "indicators",
    "actual_id": "actuals",
    "evaluation_id": "evaluations",
}


def generate(
    projects: int = DEFAULT_PROJECTS,
    seed: int = DEFAULT_SEED,
    today: dt.date | None = None,
    block_projects: int = BLOCK_PROJECTS,
) -> dict[str, pd.DataFrame]:
    """The sample portfolio of ``projects`` projects as ``{table name: DataFrame}`` in foreign-key order."""
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLE_COLUMNS}
    for frames in generate_blocks(projects, seed, today, block_projects):
        for name, frame in frames.items():
            parts[name].append(frame)
    return {
        name: frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True) for name, frames in parts.items()
    }


def generate_blocks(
    projects: int = DEFAULT_PROJECTS,
    seed: int = DEFAULT_SEED,
    today: dt.date | None = None,
    block_projects: int = BLOCK_PROJECTS,
) -> Iterator[dict[str, pd.DataFrame]]:
    """The sample portfolio in parts, each ``{table name: DataFrame}`` in foreign-key order.

    First the tables built for the whole portfolio (reference data, projects, people...), then the
    :data:`BLOCK_TABLES` of each block of ``block_projects`` projects, ids continuing from the block
    before. The plan (dates, statuses, codes, managers) is drawn for the whole portfolio at once, so
    blocks only change the draws of the per-block tables, and a portfolio of one block is exactly
    what it was before blocks existed. A consumer that writes and drops each part holds one block.
    """
    if projects < 1:
        raise ValueError("projects must be at least 1")
    if block_projects < 1:
        raise ValueError("block_projects must be at least 1")
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
        "view_as_events",
    ):
        frames[bookkeeping] = pd.DataFrame(columns=list(TABLE_COLUMNS[bookkeeping]))
    frames["projects"] = projects_frame(stream(seed, "titles"), plan)
    frames["project_countries"] = project_countries_frame(stream(seed, "project_countries"), plan)
    frames["people"] = build_people(frames)
    yield _ordered(frames, [name for name in TABLE_COLUMNS if name not in BLOCK_TABLES])
    del frames
    rows_before = {name: 0 for name in (*BLOCK_TABLES, "projects")}
    for block, start in enumerate(range(0, projects, block_projects)):
        part = plan.block(start, min(start + block_projects, projects))
        frames = {
            **build_finance(seed, part, fx, block),
            **build_markers(seed, part, block),
            **build_results(seed, part, block),
            **build_oversight(seed, part, block),
        }
        rows_before["projects"] = start
        _renumber(frames, rows_before)
        for name in BLOCK_TABLES:
            rows_before[name] += len(frames[name])
        yield _ordered(frames, BLOCK_TABLES)
        del frames


def _renumber(frames: dict[str, pd.DataFrame], rows_before: dict[str, int]) -> None:
    """Shift a block's ids and references past the rows of the blocks before it (in place)."""
    for name, frame in frames.items():
        if "id" in frame and rows_before[name]:
            frame["id"] += rows_before[name]
        for column, table in BLOCK_REFERENCES.items():
            if column in frame and rows_before[table]:
                frame[column] += rows_before[table]
    evaluations = frames["evaluations"]
    if rows_before["evaluations"]:
        dates = evaluations["evaluation_date"].to_numpy().astype("datetime64[D]")
        evaluations["code"] = [evaluation_code(d, k) for d, k in zip(dates, evaluations["id"], strict=True)]


def _ordered(frames: dict[str, pd.DataFrame], names) -> dict[str, pd.DataFrame]:
    """``frames`` in foreign-key order, each with exactly its table's columns."""
    order = [name for name in TABLE_COLUMNS if name in names]
    return {name: frames[name].loc[:, list(TABLE_COLUMNS[name])] for name in order}
