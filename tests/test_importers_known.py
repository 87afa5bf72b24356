"""The stored keys an import is validated against (``store.load_known``) are read for the projects
the files name only: at 100,000 projects reading every project's results, indicators and lines made
validating one project's file take longer than the whole 5-second target (docs/speed.md).
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access import models as m
from data_access.importers import store
from data_access.importers.store import load_known, named_projects
from data_access.seed import seed_database
from tests.importers_support import BASE_FILES, do_import, parse


@pytest.fixture
def seeded(session: Session) -> list[str]:
    seed_database(session.connection(), projects=12, seed=4, today=dt.date(2026, 11, 22))
    return sorted(session.scalars(select(m.Project.code)))


def test_keys_inside_projects_are_read_for_the_named_projects_only(session: Session, seeded: list[str]) -> None:
    everything = load_known(session)
    one = load_known(session, {seeded[3].lower()})  # any letter case names the stored project
    assert one.projects == everything.projects == set(seeded)
    for name in ("results", "indicators", "budget_lines", "risks", "recommendations"):
        keys = getattr(everything, name)
        assert set(getattr(one, name)) == {k for k in keys if k[0] == seeded[3]}, name
    assert set(one.facts.projects) == {seeded[3]}
    assert load_known(session, set()).results == {}


def test_many_named_projects_read_every_project(
    session: Session, seeded: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "NAMED_PROJECTS_MAX", 1)
    assert load_known(session, set(seeded[:2])).indicators == load_known(session).indicators


def test_named_projects_are_the_project_code_cells() -> None:
    assert named_projects(parse(BASE_FILES)) == {"PX.0001"}


def test_a_file_naming_a_stored_project_in_another_case_finds_its_stored_rows(session: Session) -> None:
    assert do_import(session, BASE_FILES).outcome == "imported"
    results = "project_code,result_code,level,parent_code,statement\npx.0001,OP1.2,output,OC1,Officials trained\n"
    outcome = do_import(session, {"results.csv": results})
    assert outcome.outcome == "imported", [p.describe() for p in outcome.report.errors]
