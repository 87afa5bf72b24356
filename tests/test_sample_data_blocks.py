"""The sample portfolio generated in blocks of projects (``generate_blocks``): what a 100,000-project
seed relies on, checked on 120 projects in 3 blocks of 40, as frames and seeded on SQLite and
PostgreSQL (whose constraints then check the foreign keys and unique codes too).

A portfolio of one block is the portfolio as it was before blocks existed: its fingerprint (a hash
of every table) is pinned, so that no change to the generator alters the documented sample silently.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
import pytest
from sqlalchemy import Connection, delete, func, select

from data_access.models import Base
from data_access.seed import seed_database
from sample_data.generator import BLOCK_REFERENCES, BLOCK_TABLES, TABLE_ORDER, generate, generate_blocks

TODAY = dt.date(2026, 11, 22)
BLOCKED = {"projects": 120, "seed": 3, "today": TODAY, "block_projects": 40}


@pytest.fixture(scope="module")
def blocked() -> dict[str, pd.DataFrame]:
    return generate(**BLOCKED)


def fingerprint(frames: dict[str, pd.DataFrame]) -> str:
    digest = hashlib.sha256()
    for name, frame in frames.items():
        digest.update(f"{name}{list(frame.dtypes.astype(str))}".encode())
        digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return digest.hexdigest()


def test_a_portfolio_of_one_block_is_unchanged() -> None:
    """The 300-project sample of the docs and tests, as generated before blocks (pinned hash)."""
    frames = generate(projects=300, seed=7, today=TODAY)
    assert fingerprint(frames) == "f5e6373daa7edb6e08083347748e2c9d18b17259aedc1944b958be025d27bc2f"


def test_blocks_are_the_whole_portfolio_in_parts() -> None:
    parts = list(generate_blocks(**BLOCKED))
    assert len(parts) == 1 + 3
    assert all(set(part) == set(BLOCK_TABLES) for part in parts[1:])
    assert [name for part in parts for name in part if name in BLOCK_TABLES][: len(BLOCK_TABLES)] == [
        name for name in TABLE_ORDER if name in BLOCK_TABLES
    ]
    projects = [part["budget_lines"]["project_id"] for part in parts[1:]]  # every project has lines
    assert [(p.min(), p.max()) for p in projects] == [(1, 40), (41, 80), (81, 120)]


def test_ids_are_contiguous_across_blocks(blocked: dict[str, pd.DataFrame]) -> None:
    for name, frame in blocked.items():
        if "id" in frame and len(frame):
            assert frame["id"].tolist() == list(range(1, len(frame) + 1)), name


def test_references_across_blocks_are_valid(blocked: dict[str, pd.DataFrame]) -> None:
    for name in BLOCK_TABLES:
        for column, table in BLOCK_REFERENCES.items():
            if column in blocked[name]:
                values = blocked[name][column].dropna()
                assert values.isin(blocked[table]["id"]).all(), (name, column)
    # a wrong shift would point a row at another block's row, whose project differs
    results = blocked["results"].set_index("id")["project_id"]
    indicators = blocked["indicators"]
    assert (results.loc[indicators["result_id"]].to_numpy() == indicators["project_id"].to_numpy()).all()
    children = blocked["results"].dropna(subset=["parent_id"])
    assert (results.loc[children["parent_id"]].to_numpy() == children["project_id"].to_numpy()).all()
    links = set(blocked["evaluation_projects"].itertuples(index=False, name=None))
    recommendations = blocked["recommendations"].dropna(subset=["evaluation_id"])
    assert set(zip(recommendations["evaluation_id"], recommendations["project_id"], strict=True)) <= links


def test_no_duplicate_codes_across_blocks(blocked: dict[str, pd.DataFrame]) -> None:
    assert blocked["evaluations"]["code"].is_unique
    assert blocked["projects"]["code"].is_unique
    for name in ("results", "indicators", "risks", "recommendations", "budget_lines"):
        key = "line_code" if name == "budget_lines" else "code"
        assert not blocked[name].duplicated(["project_id", key]).any(), name


def test_seeding_in_blocks_writes_the_same_rows(connection: Connection) -> None:
    """On SQLite and PostgreSQL: every block written, foreign keys and unique constraints hold."""
    for table in reversed(Base.metadata.sorted_tables):
        connection.execute(delete(table))
    counts = seed_database(connection, **BLOCKED)
    frames = generate(**BLOCKED)
    for name in TABLE_ORDER:
        table = Base.metadata.tables[name]
        assert (
            counts[name]
            == len(frames[name])
            == connection.execute(select(func.count()).select_from(table)).scalar_one()
        ), name
    codes = connection.execute(select(Base.metadata.tables["evaluations"].c.code)).scalars().all()
    assert sorted(codes) == sorted(frames["evaluations"]["code"])
