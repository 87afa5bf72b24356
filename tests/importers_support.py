"""Helpers shared by the importer tests: a small valid set of CSV tables, reading them, attempting
an import the way the command line does, and a fingerprint of the whole database.

The base files describe one project (PX.0001, Kenya and Uganda) with an objective, an outcome and an
output, two indicators, three periods, two budget lines (one revised) and two months of spending:
small enough that every expected count in the tests is computed by hand.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.importers import safety
from data_access.importers.tables import ParsedImport
from data_access.importers.workbook import read_file
from data_access.importers.writer import ImportResult, import_files, log_refused
from data_access.models import Base
from data_access.scope import Scope

# The day every test import is made: the plausibility warnings judge dates against it (never the clock).
IMPORT_DAY = dt.date(2026, 11, 22)

BASE_FILES: dict[str, str] = {
    "projects.csv": (
        "project_code,title,managing_country,countries,region,donors,thematic_area,start_date,end_date,"
        "revised_end_date,status,currency,manager,high_risk_context,gender_marker_scheme,gender_marker_code,"
        "aap_leadership,aap_information,aap_feedback,aap_participation,aap_design_monitoring,tags\n"
        "PX.0001,Safe migration,KEN,KEN;UGA,RONE,ECHO;USAID,Labour mobility,2024-01-01,2026-12-31,,active,USD,"
        "A. Manager,yes,IOM_GM,2A,met,partly,,not_met,met,SDG:10.7;GCM:1\n"
    ),
    "results.csv": (
        "project_code,result_code,level,parent_code,statement\n"
        "PX.0001,O1,objective,,Safe migration\n"
        "PX.0001,OC1,outcome,O1,Workers use safe channels\n"
        "PX.0001,OP1.1,output,OC1,Workers trained\n"
    ),
    "indicators.csv": (
        "project_code,indicator_code,result_code,name,unit,measure,direction,accumulation,baseline,"
        "baseline_date,end_target,disaggregation,data_source,frequency,responsible\n"
        "PX.0001,I1,OP1.1,Workers trained,people,number,increase,incremental,0,2024-01-01,1000,sex,lists,"
        "quarterly,M&E\n"
        "PX.0001,I2,OC1,Share using safe channels,%,percentage,increase,level,20,2024-01-01,60,none,survey,"
        "annual,M&E\n"
    ),
    "periods.csv": (
        "project_code,indicator_code,period_start,period_end,target,actual,actual_female,actual_male,"
        "actual_other,comment,reported_on,source\n"
        "PX.0001,I1,2024-01-01,2024-03-31,100,90,50,40,0,,2024-04-10,project_monitoring\n"
        "PX.0001,I1,2024-04-01,2024-06-30,150,,,,,,,\n"
        "PX.0001,I2,2024-01-01,2024-12-31,30,25,,,,survey round 1,2025-01-15,evaluation\n"
    ),
    "budget.csv": (
        "project_code,line_code,category,description,amount,currency,revision_date\n"
        "PX.0001,L1,staff,Staff,1000,USD,\n"
        "PX.0001,L1,staff,Staff,1200,USD,2025-01-01\n"
        "PX.0001,L2,monitoring_evaluation,M&E,100,USD,\n"
    ),
    "expenditure.csv": (
        "project_code,line_code,month,amount,currency\nPX.0001,L1,2024-01,100,USD\nPX.0001,L2,2024-02,10,USD\n"
    ),
}


def parse(files: dict[str, str | bytes]) -> list[ParsedImport]:
    return [read_file(v if isinstance(v, bytes) else v.encode(), k) for k, v in files.items()]


def with_changes(**replacements: str) -> dict[str, str]:
    """BASE_FILES with some files replaced (keyword = file stem, e.g. ``periods=...``)."""
    files = dict(BASE_FILES)
    for stem, text in replacements.items():
        files[f"{stem}.csv"] = text
    return files


def do_import(session: Session, files: dict[str, str | bytes], user: str = "tester") -> ImportResult:
    return import_files(
        session, parse(files), user=user, scope=Scope.whole_organisation("administrator"), as_of=IMPORT_DAY
    )


def attempt(session: Session, files: dict[str, str | bytes]) -> tuple[str, list[str]]:
    """Read and import like the command line: refused files are logged; returns (outcome, messages)."""
    parsed = []
    for name, data in files.items():
        raw = data if isinstance(data, bytes) else data.encode()
        try:
            parsed.append(read_file(raw, name))
        except safety.UnsafeFile as error:
            log_refused(session, name, hashlib.sha256(raw).hexdigest(), "unknown", "tester", str(error))
            return "refused", [str(error)]
    result = import_files(
        session, parsed, user="tester", scope=Scope.whole_organisation("administrator"), as_of=IMPORT_DAY
    )
    return result.outcome, [p.describe() for p in result.report.errors]


def fingerprint(session: Session, skip: tuple[str, ...] = ("import_batches",)) -> dict[str, tuple[int, str]]:
    """Row count and a SHA-256 of every row, per table (ordered by all columns)."""
    out = {}
    for table in Base.metadata.sorted_tables:
        if table.name in skip:
            continue
        rows = session.execute(select(table).order_by(*table.columns)).all()
        digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
        out[table.name] = (len(rows), digest)
    return out


def count(session: Session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))
