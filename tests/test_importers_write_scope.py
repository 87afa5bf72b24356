"""Imports under a scope, on SQLite and PostgreSQL: only projects inside the asker's write scope.

The stored portfolio (imported as the organisation): PX.0001 managed by Kenya and implemented in
Kenya and Uganda (``BASE_FILES``), PX.0002 managed by Uganda, both in region RONE. Uganda's chief
of mission therefore *reads* PX.0001 but may not *write* it (the managing-office rule). Every
refused attempt leaves the database exactly as it was (the fingerprint of every table but the log).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access import models as m
from data_access.importers.writer import import_files, preview
from data_access.scope import Scope
from tests.importers_support import BASE_FILES, IMPORT_DAY, do_import, fingerprint, parse

HEADER = BASE_FILES["projects.csv"].splitlines()[0]
PX1 = BASE_FILES["projects.csv"].splitlines()[1]
PX2 = (
    "PX.0002,Border management,UGA,UGA,RONE,ECHO,Labour mobility,2024-01-01,2026-12-31,,active,USD,B. Manager,no"
    + "," * 8
)
PX3_KEN = PX2.replace("PX.0002,Border management,UGA,UGA", "PX.0003,New shelter project,KEN,KEN")


def projects(*rows: str) -> dict[str, str]:
    return {"projects.csv": "\n".join([HEADER, *rows]) + "\n"}


RETITLED_PX1 = projects(PX1.replace("Safe migration,", "Safer migration,"))
RETITLED_PX2 = projects(PX2.replace("Border management", "Border management and health"))
NEW_PX3 = projects(PX3_KEN)
PX1_TO_UGANDA = projects(PX1.replace("PX.0001,Safe migration,KEN,", "PX.0001,Safe migration,UGA,"))
PX1_PERIOD = {"periods.csv": BASE_FILES["periods.csv"].replace("survey round 1", "survey round one")}
FX = {"fx_rates.csv": "date,currency,usd_rate\n2024-01-01,KES,0.0075\n"}
EVALUATION_OF_PX1 = {
    "evaluations.csv": "evaluation_code,title,type,date,project_codes\nEV1,Midterm,external,2025-06-30,PX.0001\n"
}

UGA_ON_PX1 = "PX.0001 is managed by Kenya; as chief of mission of Uganda you can import only projects managed by Uganda"

REFUSED = [
    # (scope, files, [(file, row, column, value, reason)]) - every reason written out by hand
    (
        Scope.bounded_by_place("test", countries=("UGA",)),
        RETITLED_PX1,
        [("projects.csv", 2, "project_code", "PX.0001", UGA_ON_PX1)],
    ),
    (
        Scope.bounded_by_place("test", countries=("UGA",)),
        PX1_PERIOD,
        [("periods.csv", 2, "project_code", "PX.0001", f"{UGA_ON_PX1} (periods rows 2-4)")],
    ),
    # every table of the project: one error at its first row, the 14 rows counted by hand
    (
        Scope.bounded_by_place("test", countries=("UGA",)),
        BASE_FILES,
        [
            (
                "projects.csv",
                2,
                "project_code",
                "PX.0001",
                f"{UGA_ON_PX1} (14 rows in 6 tables: projects row 2, results rows 2-4, "
                "indicators rows 2-3, periods rows 2-4, budget rows 2-4, expenditure "
                "rows 2-3)",
            )
        ],
    ),
    (
        Scope.bounded_by_place("test", countries=("UGA",)),
        NEW_PX3,
        [
            (
                "projects.csv",
                2,
                "project_code",
                "PX.0003",
                "PX.0003 would be a new project managed by Kenya; as chief of mission of Uganda "
                "you can create only projects managed by Uganda",
            )
        ],
    ),
    (
        Scope.bounded_by_place("test", countries=("KEN",)),
        RETITLED_PX2,
        [
            (
                "projects.csv",
                2,
                "project_code",
                "PX.0002",
                "PX.0002 is managed by Uganda; as chief of mission of Kenya you can import only projects "
                "managed by Kenya",
            )
        ],
    ),
    (
        Scope.bounded_by_place("test", countries=("KEN",)),
        PX1_TO_UGANDA,
        [
            (
                "projects.csv",
                2,
                "managing_country",
                "UGA",
                "PX.0001 would be handed to Uganda; as chief of mission of Kenya you can "
                "import only projects managed by Kenya: the receiving office or "
                "leadership makes the handover",
            )
        ],
    ),
    (
        Scope.bounded_by_place("test", countries=("KEN",)),
        FX,
        [
            (
                "fx_rates.csv",
                2,
                None,
                None,
                "fx_rates are organisation-wide; as chief of "
                "mission of Kenya you cannot import them: leadership "
                "imports them",
            )
        ],
    ),
    (
        Scope.bounded_by_place("test", countries=("UGA",)),
        EVALUATION_OF_PX1,
        [("evaluations.csv", 2, "project_codes", "PX.0001", UGA_ON_PX1)],
    ),
    (
        Scope.by_project("test", codes=("PX.0001",)),
        RETITLED_PX2,
        [
            (
                "projects.csv",
                2,
                "project_code",
                "PX.0002",
                "PX.0002 is not one of your projects; as programme manager of "
                "PX.0001 you can import only your projects (PX.0001)",
            )
        ],
    ),
    (
        Scope.by_project("test", codes=("PX.0001", "PX.0003")),
        NEW_PX3,
        [
            (
                "projects.csv",
                2,
                "project_code",
                "PX.0003",
                "PX.0003 is a new project; as programme manager of PX.0001, "
                "PX.0003 you can change your projects (PX.0001, PX.0003) but "
                "not create projects: the managing office creates them",
            )
        ],
    ),
    (
        Scope.bounded_by_place("test", regions=("ROAP",)),
        RETITLED_PX2,
        [
            (
                "projects.csv",
                2,
                "project_code",
                "PX.0002",
                "PX.0002 is managed by Uganda; as regional director of ROAP you can "
                "import only projects managed by a country of ROAP",
            )
        ],
    ),
]

ALLOWED = [
    # (scope, files, table, expected new/changed/unchanged of that table)
    (Scope.whole_organisation("administrator"), RETITLED_PX2, "projects", {"new": 0, "changed": 1, "unchanged": 0}),
    (Scope.whole_organisation("administrator"), FX, "fx_rates", {"new": 1, "changed": 0, "unchanged": 0}),
    (
        Scope.bounded_by_place("test", countries=("KEN",)),
        RETITLED_PX1,
        "projects",
        {"new": 0, "changed": 1, "unchanged": 0},
    ),
    (Scope.bounded_by_place("test", countries=("KEN",)), NEW_PX3, "projects", {"new": 1, "changed": 0, "unchanged": 0}),
    (
        Scope.bounded_by_place("test", countries=("UGA",)),
        RETITLED_PX2,
        "projects",
        {"new": 0, "changed": 1, "unchanged": 0},
    ),
    (
        Scope.bounded_by_place("test", countries=("KEN",)),
        PX1_PERIOD,
        "actuals",
        {"new": 0, "changed": 1, "unchanged": 1},
    ),
    (
        Scope.bounded_by_place("test", regions=("RONE",)),
        RETITLED_PX2,
        "projects",
        {"new": 0, "changed": 1, "unchanged": 0},
    ),
    (Scope.by_project("test", codes=("PX.0001",)), RETITLED_PX1, "projects", {"new": 0, "changed": 1, "unchanged": 0}),
    (
        Scope.by_project("test", codes=("PX.0001",)),
        EVALUATION_OF_PX1,
        "evaluations",
        {"new": 1, "changed": 0, "unchanged": 0},
    ),
]


@pytest.fixture
def portfolio(session: Session) -> Session:
    assert do_import(session, BASE_FILES).outcome == "imported"
    assert do_import(session, projects(PX2)).outcome == "imported"
    return session


@pytest.mark.parametrize(("scope", "files", "expected"), REFUSED)
def test_rows_outside_the_write_scope_are_errors_and_nothing_is_written(
    portfolio: Session, scope, files, expected
) -> None:
    before = fingerprint(portfolio)
    report = preview(portfolio, parse(files), scope=scope, as_of=IMPORT_DAY)
    located = [(p.file, p.row, p.column, p.value, p.reason) for p in report.errors]
    assert located == expected
    result = import_files(portfolio, parse(files), user="tester", scope=scope, as_of=IMPORT_DAY)
    assert result.outcome == "rejected"
    assert [(p.file, p.row, p.column, p.value, p.reason) for p in result.report.errors] == expected
    assert fingerprint(portfolio) == before
    batch = portfolio.get(m.ImportBatch, result.batch_id)
    assert batch.outcome == "rejected"


@pytest.mark.parametrize(("scope", "files", "name", "counts"), ALLOWED)
def test_rows_inside_the_write_scope_are_imported(portfolio: Session, scope, files, name, counts) -> None:
    result = import_files(portfolio, parse(files), user="tester", scope=scope, as_of=IMPORT_DAY)
    assert result.report.errors == []
    assert result.outcome == "imported"
    assert result.report.planned[name].as_dict() == counts


def test_a_chief_of_mission_reads_a_project_they_cannot_write(portfolio: Session) -> None:
    """The reviewer's case: PX.0001 is implemented in Uganda (readable) but managed by Kenya."""
    from data_access.queries import readable_projects

    readable = set(
        portfolio.scalars(
            select(m.Project.code).where(
                m.Project.id.in_(readable_projects(Scope.bounded_by_place("test", countries=("UGA",))))
            )
        )
    )
    assert readable == {"PX.0001", "PX.0002"}
    report = preview(
        portfolio, parse(RETITLED_PX1), scope=Scope.bounded_by_place("test", countries=("UGA",)), as_of=IMPORT_DAY
    )
    assert report.planned == {} and len(report.errors) == 1
    title = portfolio.scalar(select(m.Project.title).where(m.Project.code == "PX.0001"))
    assert title == "Safe migration"


@pytest.mark.parametrize(
    ("numbers", "word", "shown"),
    [
        ([7], "row", "row 7"),
        ([4, 3, 5, 3], "row", "rows 3-5"),  # in any order, a row named twice counted once
        ([3, 9, 40], "line", "lines 3-40 (3 lines)"),  # not consecutive: the count says how many
    ],
)
def test_refused_rows_are_named_by_their_span(numbers: list[int], word: str, shown: str) -> None:
    from data_access.importers.write_scope import _numbers

    assert _numbers(numbers, word) == shown


SOUTHERN_AFRICA = [
    "AGO",
    "ATF",
    "BVT",
    "BWA",
    "COD",
    "COM",
    "LSO",
    "MDG",
    "MOZ",
    "MUS",
    "MWI",
    "MYT",
    "NAM",
    "REU",
    "SHN",
    "SWZ",
    "SYC",
    "ZAF",
    "ZMB",
    "ZWE",
]


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (Scope.bounded_by_place("test", countries=("KEN",)), ["KEN"]),
        (Scope.bounded_by_place("test", countries=("SEN", "MLI")), ["MLI", "SEN"]),
        (
            Scope.bounded_by_place("test", countries=("ATA",)),
            [],
        ),  # Antarctica has no regional office: no office to manage from
        (
            Scope.bounded_by_place("test", regions=("RO-SAF",)),
            SOUTHERN_AFRICA,
        ),  # the DRC is under Southern Africa (reference.places)
        (Scope.by_project("test", codes=("P-001",)), []),  # a programme manager creates no project
    ],
)
def test_iati_office_choices(scope: Scope, expected: list[str]) -> None:
    from data_access.importers.write_scope import iati_office_choices

    assert iati_office_choices(scope) == expected


def test_leadership_may_name_every_country_with_a_regional_office() -> None:
    from data_access.importers.write_scope import iati_office_choices

    choices = iati_office_choices(Scope.whole_organisation("administrator"))
    assert len(choices) == 249 and "ATA" not in choices  # 250 countries, Antarctica without an office
    assert choices[:3] == ["ABW", "AFG", "AGO"] and choices == sorted(choices)
