"""The sample portfolio generator: deterministic, shaped like the tables, internally consistent.

The realism of the mix (shares of statuses, spending, gaps) is in ``test_sample_data_mix.py``;
seeding a database in ``test_sample_data_seed.py``.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import ForeignKeyConstraint, UniqueConstraint

from data_access.models import DERIVED_TABLES, MARKER_SCHEMES, Base
from reference.places import REGIONS
from sample_data.generator import TABLE_COLUMNS, TABLE_ORDER, generate
from sample_data.reference import COUNTRIES, sdg_target_codes
from tests.environment import needs_shared_iati

# the tables people's data lives in (the stored evaluations are computed from them)
DATA_TABLES = {t.name: t for t in Base.metadata.sorted_tables if t.name not in DERIVED_TABLES}

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def small() -> dict[str, pd.DataFrame]:
    return generate(projects=60, seed=11, today=TODAY)


@pytest.fixture(scope="module")
def demo() -> dict[str, pd.DataFrame]:
    return generate(projects=300, seed=7, today=TODAY)


# ---- determinism ------------------------------------------------------------------------------
def test_same_seed_and_date_give_identical_frames(small) -> None:
    again = generate(projects=60, seed=11, today=TODAY)
    assert list(again) == list(small)
    for name in small:
        pd.testing.assert_frame_equal(again[name], small[name], obj=name)


@pytest.mark.parametrize(
    ("change", "table"),
    [
        ({"seed": 12}, "projects"),
        ({"seed": 12}, "actuals"),
        ({"today": dt.date(2025, 3, 15)}, "projects"),
    ],
)
def test_a_different_seed_or_date_gives_different_data(small, change, table) -> None:
    other = generate(**{"projects": 60, "seed": 11, "today": TODAY, **change})
    assert not other[table].equals(small[table])


def test_today_defaults_to_the_current_date() -> None:
    before = dt.date.today()
    frames = generate(projects=5, seed=1)
    if dt.date.today() == before:  # not across midnight
        pd.testing.assert_frame_equal(frames["projects"], generate(projects=5, seed=1, today=before)["projects"])


def test_fewer_than_one_project_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        generate(projects=0)


def test_sample_data_never_imports_sqlalchemy() -> None:
    """sample_data is pure (ARCHITECTURE.md): only data_access talks to the database."""
    code = (
        "import sys, sample_data.generator; generate = sample_data.generator.generate; "
        "generate(3, 1); print('sqlalchemy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


# ---- shape: the frames are the tables -----------------------------------------------------------
def test_every_table_has_a_frame_with_exactly_its_columns(small) -> None:
    assert set(small) == set(Base.metadata.tables) - set(DERIVED_TABLES)
    for name, table in DATA_TABLES.items():
        assert list(small[name].columns) == [c.name for c in table.columns], name
        assert TABLE_COLUMNS[name] == tuple(c.name for c in table.columns), name


def test_table_order_puts_every_referenced_table_first() -> None:
    position = {name: k for k, name in enumerate(TABLE_ORDER)}
    for name, table in DATA_TABLES.items():
        for fk in table.foreign_keys:
            target = fk.column.table.name
            assert target == name or position[target] < position[name], (name, target)


def test_ids_are_explicit_consecutive_integers(small) -> None:
    for name, frame in small.items():
        if "id" in frame.columns and len(frame):
            assert frame["id"].tolist() == list(range(1, len(frame) + 1)), name


def _foreign_keys():
    for table in DATA_TABLES.values():
        for constraint in table.constraints:
            if isinstance(constraint, ForeignKeyConstraint):
                (column,) = constraint.column_keys
                (element,) = constraint.elements
                yield table.name, column, element.column.table.name, element.column.name


@pytest.mark.parametrize(("table", "column", "target", "target_column"), list(_foreign_keys()))
def test_referential_integrity(demo, table, column, target, target_column) -> None:
    values = demo[table][column].dropna()
    missing = set(values) - set(demo[target][target_column])
    assert not missing, f"{table}.{column} refers to missing {target}.{target_column}: {sorted(missing)[:5]}"


def _unique_keys():
    for table in DATA_TABLES.values():
        for constraint in table.constraints:
            if isinstance(constraint, UniqueConstraint):
                yield table.name, tuple(c.name for c in constraint.columns)
        for column in table.columns:
            if column.unique:
                yield table.name, (column.name,)
        yield table.name, tuple(c.name for c in table.primary_key.columns)


@pytest.mark.parametrize(("table", "columns"), list(_unique_keys()))
def test_unique_keys_hold(demo, table, columns) -> None:
    frame = demo[table]
    assert not frame.duplicated(list(columns)).any(), (table, columns)


def test_one_current_actual_per_indicator_and_period(demo) -> None:
    current = demo["actuals"][demo["actuals"]["is_current"]]
    assert not current.duplicated(["indicator_id", "period_start", "period_end"]).any()


def test_results_parents_come_before_children_and_follow_the_tree(demo) -> None:
    results = demo["results"]
    by_id = results.set_index("id")
    children = results[results["parent_id"].notna()]
    assert (children["parent_id"].astype(int) < children["id"]).all()
    parent_level = by_id.loc[children["parent_id"].astype(int), "level"].to_numpy()
    expected = children["level"].map({"outcome": "objective", "output": "outcome"}).to_numpy()
    assert (parent_level == expected).all()
    assert (results.loc[results["parent_id"].isna(), "level"] == "objective").all()


# ---- reference data --------------------------------------------------------------------------
def test_nine_regions_and_about_sixty_real_countries(demo) -> None:
    assert len(demo["regions"]) == 9 == len(REGIONS)
    assert 55 <= len(demo["countries"]) <= 70
    assert demo["countries"]["iso3"].str.fullmatch(r"[A-Z]{3}").all()
    per_region = demo["countries"].groupby("region_id").size()
    assert len(per_region) == 9 and per_region.min() >= 4
    offices = demo["country_offices"]
    assert offices["country_id"].is_unique and offices["chief_of_mission"].notna().all()


@pytest.mark.parametrize(
    "donor",
    [
        "USAID",
        "PRM",
        "ECHO",
        "DG INTPA",
        "FCDO",
        "GFFO",
        "Japan",
        "Canada",
        "Sida",
        "Netherlands",
        "Norwegian",
        "SDC",
        "CERF",
        "World Bank",
    ],
)
def test_real_donors_are_listed(demo, donor) -> None:
    assert demo["donors"]["name"].str.contains(donor, regex=False).any()


def test_project_codes_look_like_iom_codes(demo) -> None:
    codes = demo["projects"]["code"]
    assert codes.is_unique
    assert codes.map(lambda c: bool(re.fullmatch(r"[A-Z]{2}\.\d{4}", c))).all()


def test_high_risk_context_marks_fragile_countries(demo) -> None:
    fragile_iso3 = {c.iso3 for c in COUNTRIES if c.fragile}
    projects = demo["projects"].merge(
        demo["countries"][["id", "iso3"]], left_on="managing_office_id", right_on="id", suffixes=("", "_c")
    )
    assert (projects["high_risk_context"] == projects["iso3"].isin(fragile_iso3)).all()
    assert 0.2 <= projects["high_risk_context"].mean() <= 0.8


def test_managers_are_fictional_people_with_a_few_projects_each(demo) -> None:
    per_manager = demo["projects"].groupby("manager").size()
    assert 2.0 <= per_manager.mean() <= 5.0
    chiefs = set(demo["country_offices"]["chief_of_mission"])
    assert not chiefs & set(per_manager.index)


@needs_shared_iati
def test_tags_use_real_codes(demo) -> None:
    tags = demo["project_tags"]
    sdg = tags.loc[tags["scheme"] == "SDG", "code"]
    assert set(sdg) <= sdg_target_codes()
    assert (sdg == "10.7").sum() >= 0.5 * len(demo["projects"])  # the migration target
    gcm = tags.loc[tags["scheme"] == "GCM", "code"].astype(int)
    assert gcm.between(1, 23).all()
    assert set(tags.loc[tags["scheme"] == "MIGOF", "code"]) <= {"P1", "P2", "P3", "O1", "O2", "O3"}
    assert set(tags.groupby("project_id")["scheme"].nunique()) == {4}


def test_marker_codes_belong_to_their_scheme(demo) -> None:
    markers = demo["project_markers"]
    for scheme, codes in markers.groupby("scheme")["code"]:
        assert set(codes) <= set(MARKER_SCHEMES[scheme]), scheme


def test_fx_rates_cover_every_currency_every_month_until_today(demo) -> None:
    rates = demo["fx_rates"]
    projects = demo["projects"]
    assert set(projects["currency"]) <= set(rates["currency"])
    first_start = projects["start_date"].min().to_period("M")
    for currency, dates in rates.groupby("currency")["rate_date"]:
        months = dates.dt.to_period("M")
        assert months.min() <= first_start and months.max() == pd.Period(TODAY, "M"), currency
        assert months.is_monotonic_increasing and (months.diff().dropna() == months.iloc[1] - months.iloc[0]).all()
    assert (rates.loc[rates["currency"] == "USD", "usd_rate"] == 1.0).all()


# ---- money consistency ---------------------------------------------------------------------------
def _original_budget(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    revisions = frames["budget_revisions"]
    original = revisions[revisions["kind"] == "original"].merge(
        frames["budget_lines"], left_on="budget_line_id", right_on="id", suffixes=("", "_line")
    )
    return original.pivot_table(index="project_id", columns="category", values="amount", aggfunc="sum", fill_value=0)


def test_overhead_is_seven_percent_of_direct_costs(demo) -> None:
    budget = _original_budget(demo)
    direct = budget.drop(columns="overhead").sum(axis=1)
    assert np.allclose(budget["overhead"], 0.07 * direct, rtol=0.002, atol=2)


def test_revisions_keep_the_original_and_date_every_change(demo) -> None:
    revisions = demo["budget_revisions"]
    assert (revisions.groupby("budget_line_id")["kind"].apply(lambda k: (k == "original").sum()) == 1).all()
    assert set(revisions["kind"]) == {"original", "reallocation", "no_cost_extension", "additional_funding"}
    dated = revisions[revisions["kind"] != "original"]
    assert dated["revision_date"].notna().all() and (dated["revision_date"] <= pd.Timestamp(TODAY)).all()
    assert revisions.loc[revisions["kind"] == "original", "revision_date"].isna().all()


def test_reallocations_keep_the_project_total(demo) -> None:
    revisions = demo["budget_revisions"].merge(
        demo["budget_lines"][["id", "project_id"]], left_on="budget_line_id", right_on="id", suffixes=("", "_l")
    )
    realloc_projects = set(revisions.loc[revisions["kind"] == "reallocation", "project_id"])
    changed = set(revisions.loc[revisions["kind"].isin(["additional_funding"]), "project_id"])
    for project in sorted(realloc_projects - changed)[:20]:
        rows = revisions[revisions["project_id"] == project].sort_values("revision_date", na_position="first")
        latest = rows.groupby("budget_line_id").tail(1)["amount"].sum()
        original = rows.loc[rows["kind"] == "original", "amount"].sum()
        assert latest == pytest.approx(original), project


def test_no_cost_extensions_set_the_revised_end_date(demo) -> None:
    projects = demo["projects"]
    extended = projects[projects["revised_end_date"].notna()]
    assert len(extended) >= 10
    assert (extended["revised_end_date"] > extended["end_date"]).all()
    lines = demo["budget_lines"].merge(
        demo["budget_revisions"][demo["budget_revisions"]["kind"] == "no_cost_extension"],
        left_on="id",
        right_on="budget_line_id",
    )
    assert set(lines["project_id"]) == set(extended["id"])


def test_spending_plans_add_up_to_the_current_budget(demo) -> None:
    revisions = demo["budget_revisions"].sort_values(["budget_line_id", "revision_date"], na_position="first")
    current = (
        revisions.groupby("budget_line_id")
        .tail(1)
        .merge(demo["budget_lines"][["id", "project_id"]], left_on="budget_line_id", right_on="id", suffixes=("", "_l"))
        .groupby("project_id")["amount"]
        .sum()
    )
    planned = demo["spending_plans"].groupby("project_id")["amount"].sum()
    assert np.allclose(planned, current.loc[planned.index], rtol=1e-6, atol=1)


def test_money_is_in_the_project_currency(demo) -> None:
    currency = demo["projects"].set_index("id")["currency"]
    lines = demo["budget_lines"].set_index("id")
    assert (lines["currency"] == currency.loc[lines["project_id"]].to_numpy()).all()
    spent = demo["expenditures"]
    assert (spent["currency"].to_numpy() == lines.loc[spent["budget_line_id"], "currency"].to_numpy()).all()
    funds = demo["incoming_funds"]
    assert (funds["currency"].to_numpy() == currency.loc[funds["project_id"]].to_numpy()).all()


def test_nothing_happens_after_today(demo) -> None:
    today = pd.Timestamp(TODAY)
    assert (demo["expenditures"]["month"] <= today).all()
    assert (demo["actuals"]["reported_on"] <= today).all()
    assert (demo["actuals"]["period_end"] < today).all()
    assert (demo["incoming_funds"]["date"] <= today).all()
    assert (demo["monitoring_visits"]["visit_date"] <= today).all()
    assert (demo["evaluations"]["evaluation_date"] <= today).all()


def test_no_expenditure_before_the_start_month(demo) -> None:
    spent = demo["expenditures"].merge(
        demo["budget_lines"][["id", "project_id"]], left_on="budget_line_id", right_on="id", suffixes=("", "_l")
    )
    start = demo["projects"].set_index("id")["start_date"]
    assert (spent["month"].to_numpy() >= start.loc[spent["project_id"]].to_numpy()).all()


# ---- results consistency ----------------------------------------------------------------------
def test_corrections_keep_the_superseded_version(demo) -> None:
    actuals = demo["actuals"]
    old = actuals[~actuals["is_current"]]
    assert len(old) > 0
    assert (old["version"] == 1).all() and old["superseded_at"].notna().all()
    key = ["indicator_id", "period_start", "period_end"]
    current = actuals[actuals["is_current"]].set_index(key)
    replaced = current.loc[pd.MultiIndex.from_frame(old[key])]
    assert (replaced["version"] == 2).all()
    assert (replaced["reported_on"].to_numpy() > old["reported_on"].to_numpy()).all()


def test_sex_breakdowns_only_on_people_indicators_and_mostly_add_up(demo) -> None:
    actuals = demo["actuals"].merge(
        demo["indicators"][["id", "disaggregation"]], left_on="indicator_id", right_on="id", suffixes=("", "_i")
    )
    with_sex = actuals[actuals["female"].notna()]
    assert (with_sex["disaggregation"] != "none").all()
    adds_up = (with_sex["female"] + with_sex["male"] + with_sex["other_sex"] == with_sex["value"]).mean()
    assert 0.95 <= adds_up < 1.0  # ~1% planted inconsistencies for the data-quality checks


def test_age_breakdowns_sum_to_the_value(demo) -> None:
    breakdowns = demo["actual_breakdowns"]
    assert set(breakdowns["category"]) == {"0-17", "18-59", "60+"}
    totals = breakdowns.groupby("actual_id")["value"].sum()
    values = demo["actuals"].set_index("id").loc[totals.index, "value"]
    assert np.allclose(totals, values)


@pytest.mark.parametrize("months", [3, 6, 12])
def test_reporting_periods_are_quarters_half_years_or_years(demo, months) -> None:
    targets = demo["targets"]
    length = (targets["period_end"].dt.to_period("M") - targets["period_start"].dt.to_period("M")).map(
        lambda d: d.n + 1
    )
    assert (length <= 12).all()
    assert (length == months).any()


def test_incremental_milestones_sum_to_the_end_target(demo) -> None:
    indicators = demo["indicators"].set_index("id")
    targets = demo["targets"]
    incremental = indicators[(indicators["accumulation"] == "incremental") & indicators["end_target"].notna()]
    sums = targets[targets["indicator_id"].isin(incremental.index)].groupby("indicator_id")["target"].sum()
    assert np.allclose(sums, incremental.loc[sums.index, "end_target"])


# ---- any size, seed and date -----------------------------------------------------------------------
def _integrity_problems(frames: dict[str, pd.DataFrame]) -> list[str]:
    problems = []
    for table, column, target, target_column in _foreign_keys():
        missing = set(frames[table][column].dropna()) - set(frames[target][target_column])
        if missing:
            problems.append(f"{table}.{column} -> {target}: {sorted(missing)[:3]}")
    for table, columns in _unique_keys():
        if frames[table].duplicated(list(columns)).any():
            problems.append(f"{table} duplicates {columns}")
    return problems


@given(
    projects=st.integers(min_value=1, max_value=12),
    seed=st.integers(min_value=0, max_value=2**31),
    today=st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2040, 12, 31)),
)
@settings(max_examples=20, deadline=None)
def test_small_portfolios_are_consistent_for_any_seed_and_date(projects, seed, today) -> None:
    frames = generate(projects=projects, seed=seed, today=today)
    assert len(frames["projects"]) == projects
    assert _integrity_problems(frames) == []
    assert (frames["actuals"]["reported_on"] <= pd.Timestamp(today)).all()
