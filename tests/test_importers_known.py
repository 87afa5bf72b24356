"""The stored keys an import is validated against (``store.load_known``) are read for the projects
(and evaluations) the files name only: at 100,000 projects reading every project's results,
indicators and lines made validating one project's file take longer than the whole 5-second target,
and every project code was still read and spelled out twice (docs/speed.md).
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access import models as m
from data_access.importers import store
from data_access.importers.store import load_known, named_evaluations, named_projects
from data_access.seed import seed_database
from tests.importers_support import BASE_FILES, do_import, parse


@pytest.fixture
def seeded(session: Session) -> list[str]:
    seed_database(session.connection(), projects=12, seed=4, today=dt.date(2026, 11, 22))
    return sorted(session.scalars(select(m.Project.code)))


def test_keys_inside_projects_are_read_for_the_named_projects_only(session: Session, seeded: list[str]) -> None:
    everything = load_known(session)
    one = load_known(session, {seeded[3].lower(), "NOT.STORED"})  # any letter case names the stored project
    assert everything.projects == set(seeded)
    assert one.projects == {seeded[3]}  # stored spelling
    for name in ("results", "indicators", "budget_lines", "risks", "recommendations"):
        keys = getattr(everything, name)
        assert set(getattr(one, name)) == {k for k in keys if k[0] == seeded[3]}, name
    assert set(one.facts.projects) == {seeded[3]}
    nothing = load_known(session, set(), set())
    assert (nothing.projects, nothing.results, nothing.evaluations) == (set(), {}, set())


def test_many_named_projects_read_every_project(
    session: Session, seeded: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "NAMED_PROJECTS_MAX", 1)
    every = load_known(session, set(seeded[:2]), {"EV1", "EV2"})
    assert every.indicators == load_known(session).indicators
    assert every.projects == set(seeded)
    assert every.evaluations == load_known(session).evaluations


def test_the_evaluations_read_are_those_named(session: Session, seeded: list[str]) -> None:
    stored = load_known(session).evaluations
    assert len(stored) > 1
    first = sorted(stored)[0]
    assert load_known(session, set(), {first.lower()}).evaluations == {first}


def test_named_projects_are_the_project_code_cells() -> None:
    assert named_projects(parse(BASE_FILES)) == {"PX.0001"}


EVALUATIONS = "evaluation_code,title,type,date,project_codes\n"
NAMING_IN_LISTS = {
    "evaluations.csv": EVALUATIONS + "EV9,Final,external,2025-03-01, px.0001 ;PX.0002\n",
    "recommendations.csv": "project_code,recommendation_code,evaluation_code,text,issued_on,due_date,status\n"
    "PX.0001,REC1,ev8,Train more workers,2025-03-15,2025-12-31,open\n",
    "people.csv": "email,name,role,scope,active\na@example.org,A,programme_manager,PX.0003;px.0001,yes\n",
}


def test_codes_in_lists_are_named_too() -> None:
    """An evaluation's projects and a programme manager's scope are checked against stored projects:
    they are read with the others."""
    parsed = parse(NAMING_IN_LISTS)
    assert named_projects(parsed) == {"px.0001", "PX.0001", "PX.0002", "PX.0003"}
    assert named_evaluations(parsed) == {"EV9", "ev8"}


def test_stored_projects_and_evaluations_named_in_lists_are_found(session: Session, seeded: list[str]) -> None:
    evaluation = "EVAL.KEEP"
    evaluations = EVALUATIONS + f"{evaluation},Mid-term,external,2025-03-01,\n"
    assert do_import(session, {**BASE_FILES, "evaluations.csv": evaluations}).outcome == "imported"
    other = seeded[0]
    files = {
        "evaluations.csv": EVALUATIONS + f"EV9,Final,external,2025-03-01,{other};px.0001\n",
        "recommendations.csv": "project_code,recommendation_code,evaluation_code,text,issued_on,due_date,status\n"
        f"PX.0001,REC1,{evaluation.lower()},Train more workers,2025-03-15,2025-12-31,open\n",
        "people.csv": f"email,name,role,scope,active\na@example.org,A,programme_manager,{other};PX.0001,yes\n",
    }
    result = do_import(session, files)
    assert result.outcome == "imported", [p.describe() for p in result.report.errors]
    typo = {"evaluations.csv": EVALUATIONS + "EV10,Final,external,2025-03-01,PX.0009\n"}
    result = do_import(session, typo)
    assert [(p.column, p.value) for p in result.report.errors] == [("project_codes", "PX.0009")]


def test_a_file_naming_a_stored_project_in_another_case_finds_its_stored_rows(session: Session) -> None:
    assert do_import(session, BASE_FILES).outcome == "imported"
    results = "project_code,result_code,level,parent_code,statement\npx.0001,OP1.2,output,OC1,Officials trained\n"
    outcome = do_import(session, {"results.csv": results})
    assert outcome.outcome == "imported", [p.describe() for p in outcome.report.errors]
