"""Round trips: the sample portfolio through export → import → export, and the template filled in by
hand through import → the portfolio figures (the numbers the ``report`` command prints).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy.orm import Session

from data_access.db import dispose_engine, get_engine, upgrade
from data_access.importers.export import export_tables
from data_access.importers.tables import TABLE_NAMES
from data_access.importers.template import template_bytes
from data_access.importers.workbook import read_file
from data_access.importers.writer import import_files
from data_access.queries import load_portfolio
from data_access.scope import PortfolioFilter, Scope
from data_access.seed import seed_database
from monitoring.evaluate import evaluate_portfolio
from monitoring.settings import Settings
from tests.importers_support import IMPORT_DAY


@pytest.fixture(scope="module")
def seeded_export(tmp_path_factory) -> Path:
    """The CSV export of a 12-project sample portfolio (seeded into its own SQLite file)."""
    folder = tmp_path_factory.mktemp("roundtrip")
    url = f"sqlite:///{folder / 'seeded.db'}"
    engine = get_engine(url)
    upgrade(engine)
    seed_database(engine, projects=12, seed=11, today=dt.date(2025, 6, 30))
    with Session(engine) as session:
        export_tables(session, folder / "first")
    dispose_engine(engine)
    return folder / "first"


def _read_folder(folder: Path) -> list:
    return [read_file(path.read_bytes(), path.name) for path in sorted(folder.glob("*.csv"))]


def test_export_import_export_gives_identical_files(session: Session, seeded_export: Path, tmp_path: Path) -> None:
    assert sorted(p.stem for p in seeded_export.glob("*.csv")) == sorted(TABLE_NAMES)
    result = import_files(
        session,
        _read_folder(seeded_export),
        user="roundtrip",
        scope=Scope.whole_organisation("administrator"),
        as_of=IMPORT_DAY,
    )
    assert result.outcome == "imported", result.report.to_text()[:2000]
    export_tables(session, tmp_path / "second")
    for name in TABLE_NAMES:
        first = (seeded_export / f"{name}.csv").read_text(encoding="utf-8")
        second = (tmp_path / "second" / f"{name}.csv").read_text(encoding="utf-8")
        assert second == first, name
    assert len((seeded_export / "projects.csv").read_text().splitlines()) == 13  # header + 12 projects
    again = import_files(
        session,
        _read_folder(seeded_export),
        user="roundtrip",
        scope=Scope.whole_organisation("administrator"),
        as_of=IMPORT_DAY,
    )
    assert again.outcome == "unchanged"


# ---- the template, filled in as a programme manager would ---------------------------------------
FILLED: dict[str, list[list[object]]] = {
    "projects": [
        [
            "PX.T1",
            "Template project",
            "KEN",
            "KEN",
            "RONE",
            "ECHO",
            "Labour mobility",
            dt.datetime(2024, 1, 1),
            dt.datetime(2025, 12, 31),
            None,
            "active",
            "USD",
            "A. Manager",
            "no",
            "IOM_GM",
            "2a",
            "met",
            "met",
            "partly",
            "met",
            "not_met",
            "SDG:10.7",
        ]
    ],
    "results": [
        ["PX.T1", "O1", "objective", None, "Objective"],
        ["PX.T1", "OC1", "outcome", "O1", "Outcome"],
        ["PX.T1", "OP1", "output", "OC1", "Output"],
    ],
    "indicators": [
        [
            "PX.T1",
            "I1",
            "OP1",
            "People trained",
            "people",
            "number",
            "increase",
            "incremental",
            0,
            dt.datetime(2024, 1, 1),
            1000,
            "sex",
            "lists",
            "semi-annual",
            "M&E",
        ]
    ],
    "periods": [
        ["PX.T1", "I1", dt.datetime(2024, 1, 1), dt.datetime(2024, 6, 30), 250, 200, 120, 80, 0],
        ["PX.T1", "I1", dt.datetime(2024, 7, 1), dt.datetime(2024, 12, 31), 250, 300, 150, 150, 0],
    ],
    "budget": [
        ["PX.T1", "L1", "staff", "Staff", 8000, "USD"],
        ["PX.T1", "L2", "monitoring_evaluation", "M&E", 2000, "USD"],
    ],
    "expenditure": [["PX.T1", "L1", "2024-01", 3000, "USD"], ["PX.T1", "L2", "2024-06", 2000, "USD"]],
    "risks": [
        [
            "PX.T1",
            "R1",
            "Partner drops out",
            "operational",
            4,
            4,
            "Second partner",
            "PM",
            "open",
            dt.datetime(2024, 11, 1),
        ]
    ],
}


def _filled_template() -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes()))
    for sheet, rows in FILLED.items():
        for offset, row in enumerate(rows):
            for column, value in enumerate(row, start=1):
                wb[sheet].cell(row=3 + offset, column=column, value=value)  # row 2 is the example
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_template_round_trip_gives_the_expected_figures(session: Session) -> None:
    parsed = read_file(_filled_template(), "matrix.xlsx")
    result = import_files(
        session, [parsed], user="pm", scope=Scope.whole_organisation("administrator"), as_of=IMPORT_DAY
    )
    assert result.outcome == "imported", result.report.to_text()
    assert result.report.errors == [] and result.report.warnings == []
    assert {n: c.new for n, c in result.report.planned.items()} == {
        "projects": 1,
        "results": 3,
        "indicators": 1,
        "targets": 2,
        "actuals": 2,
        "budget_lines": 2,
        "budget": 2,
        "expenditure": 2,
        "risks": 1,
    }
    as_of = dt.date(2024, 12, 31)
    frames = load_portfolio(
        session.connection(), Scope.whole_organisation("administrator"), PortfolioFilter(as_of=as_of)
    )
    evaluation = evaluate_portfolio(frames, as_of, Settings())
    indicator = evaluation.indicators.set_index("indicator_code").loc["I1"]
    # incremental: 200 + 300 = 500 of 1000 from 0; milestones to date 250 + 250 = 500 -> ratio 1
    assert (indicator["actual_to_date"], indicator["progress"], indicator["expected_progress"]) == (500, 0.5, 0.5)
    assert indicator["status"] == "on_track"
    assert (indicator["actual_female"], indicator["actual_male"]) == (270, 230)
    project = evaluation.projects.set_index("project_code").loc["PX.T1"]
    # budget 8000 + 2000, spent 3000 + 2000 -> burn 0.5; M&E 2000 / 10000 = 0.2; risk 4 x 4 = 16
    assert (project["budget"], project["spent"], project["burn"], project["me_share"]) == (10000, 5000, 0.5, 0.2)
    assert project["max_risk_score"] == 16
