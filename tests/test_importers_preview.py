"""The preview is the import's plan without the write, on both databases.

The Data page previews an upload on every rerun, so the preview must only read (on SQLite a write,
even one rolled back, takes the database's one write lock and holds up every other writer). The
proof cannot pass by accident: the preview runs on a connection the database itself refuses to
let write (PostgreSQL ``SET TRANSACTION READ ONLY``, SQLite ``PRAGMA query_only``; a control write
shows the refusal is live), and the database's fingerprint is unchanged after it. Then the import
of the same files reports exactly what the preview said: counts per table, warnings and conflicts.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import insert
from sqlalchemy.orm import Session

from data_access import models as m
from data_access.importers.writer import preview
from data_access.scope import Scope
from tests.importers_support import BASE_FILES, IMPORT_DAY, do_import, fingerprint, parse, with_changes

FOLLOW_UP = {
    "evaluations.csv": "evaluation_code,title,type,date,project_codes,ratings\n"
    "EV1,Mid-term,external,2025-03-01,PX.0001,relevance:3\n",
    "recommendations.csv": "project_code,recommendation_code,evaluation_code,text,issued_on,due_date,status\n"
    "PX.0001,REC1,EV1,Train more workers,2025-03-15,2025-12-31,open\n",
    "breakdowns.csv": "project_code,indicator_code,period_start,period_end,dimension,category,value\n"
    "PX.0001,I1,2024-01-01,2024-03-31,age,18-59,80\n",
    "incoming_funds.csv": "project_code,kind,date,amount,currency,donor,reference\n"
    + "PX.0001,incoming_funds,2024-02-01,500,USD,ECHO,T1\n" * 2,
}
CHANGED = with_changes(
    projects=BASE_FILES["projects.csv"].replace("Safe migration,KEN,KEN;UGA", "Safer migration,KEN,KEN;TZA"),
    results=BASE_FILES["results.csv"] + "PX.0001,OP1.2,output,OC1,Officials trained\n",
    indicators=BASE_FILES["indicators.csv"]
    + "PX.0001,I3,OP1.2,Officials trained,people,number,increase,incremental,0,2024-01-01,50,none,lists,"
    "quarterly,M&E\n",
    periods=BASE_FILES["periods.csv"].replace(",100,90,50,40,0,", ",100,95,50,45,0,")
    + "PX.0001,I3,2024-01-01,2024-12-31,50,20,,,,,2025-01-15,\n",
) | {**FOLLOW_UP, "evaluations.csv": FOLLOW_UP["evaluations.csv"].replace("relevance:3", "relevance:2")}
CONFLICT = with_changes(budget=BASE_FILES["budget.csv"].replace("M&E,100,USD", "M&E,150,USD"))

CASES = {
    # (stored before, previewed then imported)
    "everything new": ({}, BASE_FILES | FOLLOW_UP),
    "changes, new rows under stored ones, a new country": (BASE_FILES | FOLLOW_UP, CHANGED),
    "a conflict with a stored budget": (BASE_FILES, CONFLICT),
    "nothing new": (BASE_FILES | FOLLOW_UP, BASE_FILES | FOLLOW_UP),
}


@contextmanager
def database_refuses_writes(session: Session) -> Iterator[None]:
    """The session's connection may read but the database refuses it any write, until the end."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET TRANSACTION READ ONLY")  # until the session's savepoint ends
        yield
        return
    connection.exec_driver_sql("PRAGMA query_only = ON")
    try:
        yield
    finally:
        connection.exec_driver_sql("PRAGMA query_only = OFF")


def assert_writes_refused(session: Session) -> None:
    with pytest.raises(sa_exc.DBAPIError, match=r"(?i)read.?only"), session.begin_nested():
        session.execute(insert(m.Donor).values(name="control write"))


def outcome(report) -> tuple:
    return (
        {name: counts.as_dict() for name, counts in report.planned.items()},
        [w.describe() for w in report.warnings],
        [e.describe() for e in report.errors],
    )


@pytest.mark.parametrize("case", list(CASES))
def test_the_preview_only_reads_and_the_import_then_does_what_it_said(session: Session, case: str) -> None:
    stored, files = CASES[case]
    if stored:
        assert do_import(session, stored).ok
    before = fingerprint(session, skip=())
    with database_refuses_writes(session):
        assert_writes_refused(session)
        report = preview(session, parse(files), scope=Scope.whole_organisation("administrator"), as_of=IMPORT_DAY)
    assert fingerprint(session, skip=()) == before
    assert report.planned, "the preview planned nothing: the case tests nothing"
    assert (not report.errors) == (case != "a conflict with a stored budget"), report.errors
    imported = do_import(session, files)
    assert outcome(report) == outcome(imported.report)
    assert (
        imported.outcome
        == {
            "everything new": "imported",
            "changes, new rows under stored ones, a new country": "imported",
            "a conflict with a stored budget": "rejected",
            "nothing new": "unchanged",
        }[case]
    )
