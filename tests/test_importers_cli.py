"""``python -m data_access import | export | template`` as a user runs them (subprocess): exit codes,
report on stdout or stderr, nothing written on failure, the log row either way.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.db import dispose_engine, get_engine, upgrade
from data_access.models import ImportBatch, Project
from tests.environment import SHARED_IATI, needs_shared_iati
from tests.importers_support import BASE_FILES

REPO = Path(__file__).resolve().parent.parent


def run_cli(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "data_access", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=180
    )


@pytest.fixture
def db_url(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    upgrade(get_engine(url))
    yield url
    dispose_engine(get_engine(url))


def _write(folder: Path, files: dict[str, str]) -> list[str]:
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [str(folder / name) for name in files]


def _count(url: str, model, *where) -> int:
    with Session(get_engine(url)) as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def test_import_then_reimport(db_url: str, tmp_path: Path) -> None:
    paths = _write(tmp_path / "csv", BASE_FILES)
    first = run_cli("import", *paths, database_url=db_url)
    assert first.returncode == 0, first.stderr
    assert "Import imported (batch 1)." in first.stdout
    assert "projects +1 new" in first.stdout
    second = run_cli("import", *paths, database_url=db_url)
    assert second.returncode == 0, second.stderr
    assert "Import unchanged (batch 2)." in second.stdout
    assert _count(db_url, Project) == 1
    # without --as the command line is the server's administrator, and the log says so
    assert _count(db_url, ImportBatch, ImportBatch.user_name == "administrator") == 2


def test_invalid_files_exit_1_with_the_report_on_stderr_and_nothing_written(db_url: str, tmp_path: Path) -> None:
    files = dict(BASE_FILES)
    files["periods.csv"] += "PX.0001,I9,2024-07-01,2024-09-30,1,1,,,,,,\n"
    result = run_cli("import", *_write(tmp_path / "csv", files), database_url=db_url)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "1 error(s); nothing was written:" in result.stderr
    assert (
        "ERROR periods.csv, sheet periods, row 5, column indicator_code (value 'I9'): no such indicator for this "
        "project; add it to the indicators sheet"
    ) in result.stderr
    assert _count(db_url, Project) == 0
    assert _count(db_url, ImportBatch, ImportBatch.outcome == "rejected") == 1


def test_refused_file_is_logged_and_nothing_written(db_url: str, tmp_path: Path) -> None:
    (tmp_path / "matrix.xlsx").write_bytes(b"%PDF-1.4 not a workbook")
    paths = [*_write(tmp_path / "csv", BASE_FILES), str(tmp_path / "matrix.xlsx")]
    result = run_cli("import", *paths, database_url=db_url)
    assert result.returncode == 1
    assert "ERROR matrix.xlsx: not an Excel workbook (.xlsx). It is a PDF document." in result.stderr
    assert "Nothing was written" in result.stderr
    assert _count(db_url, Project) == 0
    assert _count(db_url, ImportBatch, ImportBatch.outcome == "rejected") == 1


def test_check_validates_without_writing_or_logging(db_url: str, tmp_path: Path) -> None:
    result = run_cli("import", "--check", *_write(tmp_path / "csv", BASE_FILES), database_url=db_url)
    assert result.returncode == 0, result.stderr
    assert "projects +1 new" in result.stdout
    assert _count(db_url, Project) == 0 and _count(db_url, ImportBatch) == 0


def test_export_writes_every_table_and_template_writes_a_workbook(db_url: str, tmp_path: Path) -> None:
    assert run_cli("import", *_write(tmp_path / "csv", BASE_FILES), database_url=db_url).returncode == 0
    exported = run_cli("export", str(tmp_path / "out"), database_url=db_url)
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "out" / "projects.csv").read_text().splitlines()[1].startswith("PX.0001,Safe migration,KEN")
    assert (tmp_path / "out" / "periods.csv").read_text().count("\n") == 4  # header + 3 periods
    template = run_cli("template", str(tmp_path / "t.xlsx"), database_url=db_url)
    assert template.returncode == 0, template.stderr
    sheets = openpyxl.load_workbook(tmp_path / "t.xlsx", read_only=True).sheetnames
    assert sheets[:5] == ["instructions", "projects", "results", "indicators", "periods"]


RETITLED = {"projects.csv": BASE_FILES["projects.csv"].replace("Safe migration,", "Safer migration,")}


@pytest.mark.parametrize(
    ("scope", "exit_code", "stored_title", "message"),
    [
        (
            "country:UGA",
            1,
            "Safe migration",
            "ERROR projects.csv, sheet projects, row 2, column project_code (value 'PX.0001'): PX.0001 is "
            "managed by Kenya; "
            "as chief of mission of Uganda you can import only projects managed by Uganda",
        ),
        (
            "projects:PX.0009",
            1,
            "Safe migration",
            "--scope 'projects:PX.0009': no project PX.0009 in the database; check the code",
        ),
        ("country:XYZ", 1, "Safe migration", "--scope 'country:XYZ': no country XYZ in the database; check the code"),
        ("country:KEN", 0, "Safer migration", "Import imported (batch 2)."),
        ("organisation", 0, "Safer migration", "Import imported (batch 2)."),
    ],
)
def test_scope_limits_what_an_import_may_change(
    db_url: str, tmp_path: Path, scope: str, exit_code: int, stored_title: str, message: str
) -> None:
    assert run_cli("import", *_write(tmp_path / "base", BASE_FILES), database_url=db_url).returncode == 0
    result = run_cli("import", "--scope", scope, *_write(tmp_path / "change", RETITLED), database_url=db_url)
    assert result.returncode == exit_code
    assert message in (result.stdout if exit_code == 0 else result.stderr)
    assert _count(db_url, Project, Project.title == stored_title) == 1


def test_an_unreadable_scope_is_refused_before_anything_is_read(db_url: str, tmp_path: Path) -> None:
    result = run_cli("import", "--scope", "country", *_write(tmp_path / "csv", BASE_FILES), database_url=db_url)
    assert result.returncode != 0
    assert "--scope 'country': use organisation, region:CODES, country:ISO3S or projects:CODES" in result.stderr
    assert _count(db_url, ImportBatch) == 0


DUTCH = SHARED_IATI / "real" / "dutch_ngos_results_2021.xml"


@needs_shared_iati
def test_the_report_of_a_real_iati_file_shows_its_summary_and_every_mapping(db_url: str) -> None:
    """The reviewer's repro: the ~2,000 per-indicator notes used to push the dimension mappings and
    the closing summary out of the printed report. 82 activities (``grep -c '<iati-activity'``),
    8 of them regional or undated."""
    from data_access.importers.iati import parse_iati

    result = run_cli("import", "--check", str(DUTCH), database_url=db_url)
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    parsed = parse_iati(DUTCH.read_bytes(), DUTCH.name)
    mappings = [f"  {DUTCH.name}: {n.message}" for n in parsed.notes if n.kind == "mapping"]
    assert mappings and f"Dimension mappings: {len(mappings)}" in out
    assert [line for line in out if line in mappings] == mappings
    assert any("dimension 'sex' mapped to sex: 'female' -> female" in line for line in mappings)
    summary = [line for line in out if line.startswith(f"  {DUTCH.name}: ")]
    assert any(": 74 of 82 activities imported; rows: projects 74" in line for line in summary)
    assert any("imported activities publish no disbursement or expenditure" in line for line in summary)
    assert any(line.startswith(f"  {DUTCH.name}: skipped: ") for line in summary)
    assert "8 of 82 IATI activities skipped (not imported):" in out
    assert sum(line.startswith("  SKIPPED ") for line in out) == 8
    # the per-indicator conventions are counted, three shown, and the way to see them all is named
    conventions = sum(n.kind == "convention" for n in parsed.notes)
    assert sum(line.startswith("  convention: ") for line in out) == 3
    assert f"  ... and {conventions - 3} more convention note(s)" in out
    assert "--notes all" in result.stdout

    everything = run_cli("import", "--check", "--notes", "all", str(DUTCH), database_url=db_url)
    assert everything.returncode == 0, everything.stderr
    assert sum(line.startswith("  convention: ") for line in everything.stdout.splitlines()) == conventions


def test_a_template_reports_its_example_rows_in_one_line(db_url: str, tmp_path: Path) -> None:
    """An untouched template has one example row in each of its 16 table sheets."""
    assert run_cli("template", str(tmp_path / "t.xlsx"), database_url=db_url).returncode == 0
    result = run_cli("import", "--check", str(tmp_path / "t.xlsx"), database_url=db_url)
    assert result.returncode == 0, result.stderr
    assert "  t.xlsx: 16 example row(s) skipped in 16 sheet(s) (first cell starts with EXAMPLE)" in result.stdout
    assert "example row(s) skipped" not in result.stdout.replace("16 example row(s) skipped in 16", "")
    assert "info" not in result.stdout


def test_check_with_errors_shows_no_changes(db_url: str, tmp_path: Path) -> None:
    """A changed original budget is refused while the rows are written in the rolled-back dry run,
    after the other tables have been counted: those counts are not what would happen."""
    assert run_cli("import", *_write(tmp_path / "base", BASE_FILES), database_url=db_url).returncode == 0
    changed = {"budget.csv": BASE_FILES["budget.csv"].replace("M&E,100,USD,", "M&E,130,USD,")}
    result = run_cli("import", "--check", *_write(tmp_path / "changed", changed), database_url=db_url)
    assert result.returncode == 1
    assert "the original budget of line L2 is stored as 100; budgets are revised, never overwritten" in result.stderr
    assert "Changes:" not in result.stderr


IOM = SHARED_IATI / "real" / "iom_XM-DAC-47066_2021.xml"


@needs_shared_iati
def test_regional_iati_activities_import_under_a_managing_country_named_at_import(db_url: str) -> None:
    """IOM's file: 257 activities, 42 regional or global ones name no single country (docs/iati.md,
    tests/test_importers_iati.py FILES). Named once for the file, they import under that office;
    an unknown code is one clear line and nothing is read."""
    skipped = run_cli("import", str(IOM), database_url=db_url)
    assert skipped.returncode == 0, skipped.stderr
    assert _count(db_url, Project) == 215
    assert _count(db_url, Project, Project.code == "XM-DAC-47066-CD.0033") == 0

    bad = run_cli("import", "--iati-managing-country", "XYZ", str(IOM), database_url=db_url)
    assert bad.returncode != 0
    assert "managing country 'XYZ' for IATI activities without a recipient country" in bad.stderr
    assert _count(db_url, ImportBatch) == 1

    named = run_cli("import", "--iati-managing-country", "ken", str(IOM), database_url=db_url)
    assert named.returncode == 0, named.stderr
    assert _count(db_url, Project) == 257
    assert _count(db_url, Project, Project.code == "XM-DAC-47066-CD.0033") == 1
