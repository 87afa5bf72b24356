"""IATI results out (``export-iati``): schema-valid 2.03, and a round trip that keeps the figures.

The sample portfolio (60 projects) is exported with the command line, checked against the official
2.03 activity schema kept in ``data_access/iati_schema`` (lxml ``XMLSchema``), imported into an
empty database (with the exchange rates of the CSV export: IATI has no rate table), and then:

* ``report indicators`` and ``report markers`` are equal, cell for cell;
* ``report projects`` is equal on every column IATI carries (results, money, dates, countries) up
  to float rounding (the sum of a month's spending over lines is added in another order); the
  risk-register and follow-up columns are not IATI content (``NOT_IATI``) and are left out;
* the canonical CSV tables the export is built from (results, indicators, periods, breakdowns,
  budget, expenditure, spending plan) are byte-identical, but for the importer's note column.

A hand-built project checks the parts one by one in the XML (XPath), including the edges: a
result without indicators, a yes/no indicator, a text actual, sex and age values, a budget
revision, a refund (negative spending) and an indicator without a baseline date.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree
from sqlalchemy.orm import Session

from data_access.db import dispose_engine, get_engine
from data_access.errors import InvalidInput
from data_access.iati_export import ACTIVITY_SCHEMA, validate, write_iati
from data_access.importers.iati_extension import NS
from data_access.scope import Scope
from tests import factories as f
from tests import page_portfolio as pp

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2025-06-30"
D = dt.date
NOT_IATI = ("n_risks", "max_risk_score", "n_high_open", "completeness", "flags", "n_flags_high")
EXACT_TABLES = ("results", "indicators", "periods", "breakdowns", "budget", "expenditure", "spending_plan")
MD = {"md": NS}


def cli(url: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "data_access", "--database-url", url, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DASHBOARD_SETTINGS": str(ROOT / "no-settings.toml")},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory) -> dict[str, Path | str]:
    tmp = tmp_path_factory.mktemp("iati_export")
    before = pp.create_sample(tmp / "before.db", projects=60, seed=11, today=D(2025, 6, 30))
    xml = tmp / "portfolio.xml"
    out = cli(before, "export-iati", "--output", str(xml))
    assert "Wrote 60 activities" in out and "valid IATI 2.03" in out
    cli(before, "export", str(tmp / "csv_before"))
    after = pp.create_empty(tmp / "after.db")
    cli(after, "import", str(xml), str(tmp / "csv_before" / "fx_rates.csv"))
    cli(after, "export", str(tmp / "csv_after"))
    return {"before": before, "after": after, "xml": xml, "tmp": tmp}


def _report(url: str, name: str, *, numbers: bool = False) -> pd.DataFrame:
    """A report as text cells (exact comparison), or with numbers read as floats (``numbers``)."""
    text = StringIO(cli(url, "report", name, "--as-of", AS_OF))
    return pd.read_csv(text) if numbers else pd.read_csv(text, keep_default_na=False)


def test_the_kept_schema_is_the_official_2_03(round_trip):
    schema = etree.parse(str(ACTIVITY_SCHEMA)).getroot()
    assert schema.get("version") == "2.03"
    assert validate(round_trip["xml"]) == []


def test_export_has_results_budgets_transactions_and_markers(round_trip):
    root = etree.parse(str(round_trip["xml"])).getroot()
    assert root.get("version") == "2.03" and len(root.findall("iati-activity")) == 60
    assert root.xpath("count(//result/indicator/period/actual)") > 0
    assert root.xpath("count(//result/indicator/baseline)") > 0
    assert root.xpath("count(//actual/dimension[@name='sex'])") > 0
    assert root.xpath("count(//budget)") > 0 and root.xpath("count(//transaction[transaction-type/@code='4'])") > 0
    assert root.xpath("count(//policy-marker[@vocabulary='99'])") > 0  # IOM Gender Marker, IOM's vocabulary
    assert root.xpath("//reporting-org/@ref")[0] == "XM-DAC-47066"
    assert all(i.startswith("XM-DAC-47066-") for i in root.xpath("//iati-identifier/text()"))


def test_round_trip_reproduces_indicator_and_marker_reports(round_trip):
    for name in ("indicators", "markers"):
        before, after = _report(round_trip["before"], name), _report(round_trip["after"], name)
        pd.testing.assert_frame_equal(before, after, check_dtype=False)


def test_round_trip_reproduces_project_figures(round_trip):
    before = _report(round_trip["before"], "projects", numbers=True).drop(columns=list(NOT_IATI))
    after = _report(round_trip["after"], "projects", numbers=True).drop(columns=list(NOT_IATI))
    assert len(before) == 60
    pd.testing.assert_frame_equal(before, after, check_dtype=False, rtol=1e-9)


@pytest.mark.parametrize("table", EXACT_TABLES)
def test_round_trip_keeps_the_canonical_tables(round_trip, table):
    def rows(side: str) -> list[dict]:
        with (round_trip["tmp"] / f"csv_{side}" / f"{table}.csv").open(encoding="utf-8") as fh:
            return [{k: v for k, v in r.items() if k != "import_note"} for r in csv.DictReader(fh)]

    before, after = rows("before"), rows("after")
    assert before and before == after


# ---- hand-built ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hand(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("iati_hand")
    url = pp.create_empty(tmp / "hand.db")
    engine = get_engine(url)
    with Session(engine) as session:
        kenya = f.make_country(session, f.make_region(session, code="RO-EHoA"), iso3="KEN", name="Kenya")
        project = f.make_project(session, f.make_country_office(session, kenya), code="PX.0001", currency="EUR")
        f.make_project_country(session, project, kenya)
        f.make_marker(session, project, scheme="IOM_GM", code="2a")
        f.make_marker(session, project, scheme="DAC_DRR", code="1")
        objective = f.make_result(session, project, code="O1", level="objective", statement="Safer migration")
        outcome = f.make_result(session, project, objective, code="OC1", level="outcome", statement="Services")
        people = f.make_indicator(session, project, outcome, code="OC1.a", accumulation="incremental", end_target=100.0)
        f.make_target(session, people, period_start=D(2024, 1, 1), period_end=D(2024, 6, 30), target=40.0)
        actual = f.make_actual(
            session, people, period_start=D(2024, 1, 1), period_end=D(2024, 6, 30), value=30.0, female=12.0, male=18.0
        )
        f.make_actual_breakdown(session, actual, dimension="age", category="0-17", value=5.0)
        policy = f.make_indicator(
            session, project, outcome, code="OC1.b", measure="yes_no", baseline=None, baseline_date=None, end_target=1.0
        )
        f.make_actual(
            session,
            policy,
            period_start=D(2024, 1, 1),
            period_end=D(2024, 12, 31),
            value=None,
            value_text="draft adopted",
        )
        line = f.make_budget_line(session, project, original_amount=1000.0, line_code="BL1", currency="EUR")
        f.make_budget_revision(session, line, revision_date=D(2024, 6, 1), amount=1200.0, kind="additional_funding")
        f.make_expenditure(session, line, month=D(2024, 3, 1), amount=300.0, currency="EUR")
        f.make_expenditure(session, line, month=D(2024, 4, 1), amount=-50.0, currency="EUR")
        session.commit()
        xml = tmp / "hand.xml"
        assert (
            write_iati(session, Scope.whole_organisation("administrator"), xml, generated=dt.datetime(2025, 1, 1)) == 1
        )
    dispose_engine(engine)
    return {"url": url, "xml": xml, "root": etree.parse(str(xml)).getroot(), "tmp": tmp}


def test_hand_built_activity_in_iati_terms(hand):
    root = hand["root"]
    assert validate(hand["xml"]) == []
    a = root.find("iati-activity")
    assert a.findtext("iati-identifier") == "XM-DAC-47066-PX.0001"
    assert a.get(f"{{{NS}}}code") == "PX.0001" and a.get("default-currency") == "EUR"
    assert root.xpath("//recipient-country/@code") == ["KE"]
    assert root.xpath("//policy-marker[@vocabulary='99']/@code") == ["2A"]
    assert root.xpath("//policy-marker[@vocabulary='1']/@code") == ["10"]
    assert root.xpath("//policy-marker[@vocabulary='1']/@significance") == ["1"]
    # the objective has no indicator: IATI cannot publish it as a result, the extension keeps it
    assert root.xpath("//result/@type") == ["2"] and '"result_code":"O1"' in a.get(f"{{{NS}}}results")
    people = root.xpath("//indicator[@md:code='OC1.a']", namespaces=MD)[0]
    assert people.get("measure") == "1" and people.get("ascending") == "1"
    period = people.find("period")
    assert period.find("target").get("value") == "40"
    values = [(x.get("value"), x.xpath("string(dimension/@value)")) for x in period.findall("actual")]
    assert values == [("30", ""), ("12", "female"), ("18", "male"), ("5", "0-17")]
    policy = root.xpath("//indicator[@md:code='OC1.b']", namespaces=MD)[0]
    assert policy.get(f"{{{NS}}}measure") == "yes_no" and policy.find("baseline") is None
    assert policy.find("period/actual").get("value") == "draft adopted"
    assert root.xpath("//budget/@type") == ["1", "2"]
    assert root.xpath("//budget[@type='2']/value/@value-date") == ["2024-06-01"]
    assert root.xpath("//transaction[transaction-type/@code='4']/value/text()") == ["300", "-50"]


def test_hand_built_round_trip(hand):
    after = pp.create_empty(hand["tmp"] / "after.db")
    cli(after, "import", str(hand["xml"]))
    for name in ("indicators", "markers"):
        pd.testing.assert_frame_equal(_report(hand["url"], name), _report(after, name), check_dtype=False)
    cli(hand["url"], "export", str(hand["tmp"] / "a"))
    cli(after, "export", str(hand["tmp"] / "b"))
    for table in EXACT_TABLES:
        a = (hand["tmp"] / "a" / f"{table}.csv").read_text().splitlines()
        b = (hand["tmp"] / "b" / f"{table}.csv").read_text().splitlines()
        if table == "indicators":
            a, b = ([",".join(r[:-1]) for r in csv.reader(x)] for x in (a, b))
        assert a == b, table


def test_scope_limits_the_export(round_trip, tmp_path):
    country = _report(round_trip["before"], "projects")["managing_country"].iloc[0]
    xml = tmp_path / "one.xml"
    cli(round_trip["before"], "export-iati", "--output", str(xml), "--scope", f"country:{country}")
    codes = etree.parse(str(xml)).getroot().xpath("//iati-activity/@md:code", namespaces=MD)
    expected = _report(round_trip["before"], "projects")
    assert codes and set(codes) <= set(expected["project_code"])
    assert len(codes) < len(expected)


def test_a_chief_of_missions_export_holds_only_their_projects_and_validates(round_trip, tmp_path):
    """``--as`` a chief of mission of the sample people: every activity, identifier and project code
    anywhere in the file is one of the projects they read (``report projects --as``, the pages'
    scope), none of the others appears anywhere, and the file still validates."""
    every = set(_report(round_trip["before"], "projects")["project_code"])
    country = _report(round_trip["before"], "projects")["managing_country"].iloc[0]
    chief = f"com.{country.lower()}@example.org"  # sample_data/people.py
    theirs = set(pd.read_csv(StringIO(cli(round_trip["before"], "report", "projects", "--as", chief)))["project_code"])
    assert theirs and theirs < every
    xml = tmp_path / "chief.xml"
    out = cli(round_trip["before"], "export-iati", "--output", str(xml), "--as", chief)
    assert f"Wrote {len(theirs)} activities" in out and "valid IATI 2.03" in out
    assert validate(xml) == []
    root = etree.parse(str(xml)).getroot()
    assert set(root.xpath("//iati-activity/@md:code", namespaces=MD)) == theirs
    assert set(root.xpath("//iati-identifier/text()")) == {f"XM-DAC-47066-{code}" for code in theirs}
    text = xml.read_text()
    assert set(re.findall(r"\b[A-Z]{2}\.\d{4}\b", text)) == theirs
    assert [code for code in every - theirs if code in text] == []


def test_an_indicator_outside_any_result_is_refused(tmp_path):
    url = pp.create_empty(tmp_path / "orphan.db")
    engine = get_engine(url)
    with Session(engine) as session:
        project = f.make_project(session, code="PX.0009")
        f.make_indicator(session, project, None, code="I1")
        session.commit()
        with pytest.raises(InvalidInput, match="I1 belong to no result"):
            write_iati(session, Scope.whole_organisation("administrator"), tmp_path / "x.xml")
    dispose_engine(engine)
