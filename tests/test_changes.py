"""``changes --since``: freeze the sample portfolio, import one change of each cause, and the
comparison lists exactly the changes those imports made, each with its cause, and nothing else;
then a settings change on top, which the comparison tells apart from the data's changes.

The projects and rows changed are picked from the seeded data by rule (an incremental indicator
not achieved, a project with spending...), and the expected cause of each is written out by hand.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy.orm import Session

from data_access.changes import changes_since
from data_access.importers.export import export_tables
from data_access.importers.workbook import read_file
from data_access.importers.writer import import_files
from data_access.scope import Scope
from data_access.seed import seed_database
from data_access.snapshots import create_snapshot, load_snapshot
from monitoring import changes as c
from monitoring.settings import Settings

TODAY = dt.date(2026, 11, 22)
ORG = Scope.whole_organisation("administrator")


def _read(directory: Path, name: str) -> list[dict]:
    with open(directory / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _import(session: Session, name: str, rows: list[dict]) -> None:
    result = import_files(session, [read_file(_csv(rows).encode(), name)], user="ana", scope=ORG, as_of=TODAY)
    assert result.outcome == "imported", [p.describe() for p in result.report.errors]


def _picks(session: Session, tmp_path: Path, figures) -> dict[str, object]:
    """One project per cause, all different, chosen by rule from the frozen figures and the export."""
    export_tables(session, tmp_path)
    indicators = {(r["project_code"], r["indicator_code"]): r for r in _read(tmp_path, "indicators.csv")}
    periods = _read(tmp_path, "periods.csv")
    status = {
        (p, i): s
        for p, i, s in figures.indicators[["project_code", "indicator_code", "status"]].itertuples(index=False)
    }
    projects = figures.projects.set_index("project_code")
    active = [
        code
        for code in projects.index
        if projects.at[code, "status"] == "active" and projects.at[code, "start_date"] <= pd.Timestamp(TODAY)
    ]
    used: set[str] = set()

    def incremental_not_achieved(row: dict) -> bool:
        key = (row["project_code"], row["indicator_code"])
        definition = indicators[key]
        return (
            row["project_code"] in active
            and row["project_code"] not in used
            and definition["measure"] == "number"
            and definition["direction"] == "increase"
            and definition["accumulation"] == "incremental"
            and status.get(key) in ("on_track", "at_risk", "off_track")
            and row["period_start"] <= TODAY.isoformat()
        )

    new = next(r for r in periods if incremental_not_achieved(r) and r["actual"] == "")
    used.add(new["project_code"])
    corrected = next(r for r in periods if incremental_not_achieved(r) and r["actual"] != "")
    used.add(corrected["project_code"])
    spending = _read(tmp_path, "expenditure.csv")
    budget = _read(tmp_path, "budget.csv")
    with_money = [p for p in active if p not in used and projects.at[p, "expenditure_reported"]]
    ending = [p for p in with_money if any(f in str(projects.at[p, "flags"]) for f in ("ENDING_SOON", "PAST_END"))]
    extended = ending[0]  # an extension clears its flag
    revised, spent = [p for p in with_money if p != extended][:2]
    project_rows = {r["project_code"]: r for r in _read(tmp_path, "projects.csv")}
    return {
        "new": (new, indicators[(new["project_code"], new["indicator_code"])]),
        "corrected": (corrected, indicators[(corrected["project_code"], corrected["indicator_code"])]),
        "budget": [r for r in budget if r["project_code"] == revised],
        "spending": [r for r in spending if r["project_code"] == spent],
        "extension": project_rows[extended],
    }


def test_changes_since_a_snapshot_name_each_imported_change_and_nothing_else(session: Session, tmp_path: Path) -> None:
    connection = session.connection()
    seed_database(connection, projects=30, seed=5, today=TODAY)
    since = create_snapshot(connection, name="Q3", scope=ORG, as_of=TODAY, created_by="lead", settings=Settings())
    assert changes_since(connection, since, ORG, Settings(), as_of=TODAY).empty  # nothing imported yet
    picks = _picks(session, tmp_path, load_snapshot(connection, since, ORG)[1])

    new, definition = picks["new"]
    _import(
        session,
        "periods.csv",
        [
            {
                **new,
                "actual": str(2 * float(definition["end_target"])),
                "actual_female": "",
                "actual_male": "",
                "actual_other": "",
            }
        ],
    )
    corrected, definition = picks["corrected"]
    _import(
        session,
        "periods.csv",
        [
            {
                **corrected,
                "actual": str(2 * float(definition["end_target"])),
                "actual_female": "",
                "actual_male": "",
                "actual_other": "",
            }
        ],
    )
    lines = {r["line_code"]: r for r in picks["budget"] if r["kind"] == "original"}
    cut = [
        {**r, "amount": str(round(float(r["amount"]) / 20, 2)), "revision_date": "2026-11-01", "kind": "reallocation"}
        for r in lines.values()
    ]
    _import(session, "budget.csv", picks["budget"] + cut)
    _import(
        session, "expenditure.csv", [{**r, "amount": str(round(float(r["amount"]) * 20, 2))} for r in picks["spending"]]
    )
    extension = picks["extension"]
    _import(session, "projects.csv", [{**extension, "revised_end_date": "2031-12-31"}])

    expected = {
        new["project_code"]: c.NEW_ACTUAL,
        corrected["project_code"]: c.ACTUAL_CORRECTED,
        picks["budget"][0]["project_code"]: c.BUDGET_REVISED,
        picks["spending"][0]["project_code"]: c.SPENDING_REPORTED,
        extension["project_code"]: c.PROJECT_EXTENDED,
    }
    found = changes_since(connection, since, ORG, Settings(), as_of=TODAY)
    by_project = found.dropna(subset=["project_code"])
    # every project changed has changes, each with its own cause, and no other project moved
    assert set(by_project["project_code"]) == set(expected), (expected, found.to_string())
    assert {(p, cause) for p, cause in zip(by_project["project_code"], by_project["cause"], strict=True)} == set(
        expected.items()
    )
    # the change each import must make
    rows = set(zip(found["kind"], found["project_code"], found["indicator_code"], strict=True))
    assert ("indicator achieved", new["project_code"], new["indicator_code"]) in rows
    assert ("indicator achieved", corrected["project_code"], corrected["indicator_code"]) in rows
    kinds = set(zip(found["kind"], found["project_code"], strict=True))
    assert ("burn status changed", picks["budget"][0]["project_code"]) in kinds
    assert ("burn status changed", picks["spending"][0]["project_code"]) in kinds
    # KPIs and group totals name only causes of the imports
    overall = found[found["project_code"].isna()]
    assert len(overall) > 0
    assert set("; ".join(overall["cause"]).split("; ")) <= set(expected.values()), overall.to_string()

    # the settings change too: the data's changes keep their causes, the settings' say so
    strict = Settings(on_track_min=0.95, off_track_below=0.8)
    both = changes_since(connection, since, ORG, strict, as_of=TODAY)
    per_row = dict(
        zip(
            zip(
                both["kind"], both["project_code"], both["indicator_code"], both["flag_code"], both["item"], strict=True
            ),
            both["cause"],
            strict=True,
        )
    )
    assert len(both) > len(found)
    for key, cause in per_row.items():
        causes = set(cause.split("; "))
        project = key[1]
        assert causes <= {c.SETTINGS_CHANGED, *expected.values()}, (key, cause)
        if pd.notna(project) and project not in expected:
            assert causes == {c.SETTINGS_CHANGED}, (key, cause)
    assert any(cause == c.SETTINGS_CHANGED for cause in per_row.values())


def test_a_later_snapshot_compares_with_its_stored_figures(session: Session) -> None:
    connection = session.connection()
    seed_database(connection, projects=8, seed=2, today=TODAY)
    first = create_snapshot(connection, name="Q3", scope=ORG, as_of=TODAY, created_by="lead", settings=Settings())
    later = create_snapshot(
        connection, name="Q4", scope=ORG, as_of=dt.date(2027, 2, 28), created_by="lead", settings=Settings()
    )
    found = changes_since(connection, first, ORG, Settings(), until_id=later)
    assert len(found) > 0
    assert set(found["cause"]) <= {c.TIME_PASSED, c.MILESTONE_DUE, c.PROJECT_STARTED}
    same = changes_since(connection, first, ORG, Settings(), until_id=first)
    assert same.empty
    with pytest.raises(Exception, match="No snapshot"):
        changes_since(connection, first, Scope.bounded_by_place("test", countries=("KEN",)), Settings(), until_id=later)
