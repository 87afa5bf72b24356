"""Validation without a database: one row's cells, then the rules across rows and files.

Each case edits the base files (``importers_support.BASE_FILES``) by replacing one piece of text and
states the one problem a person should see: sheet, spreadsheet row, column, reason.
"""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.importers.schemas import ROW_MODELS, clean_text
from data_access.importers.tables import TABLES
from data_access.importers.validate import KnownKeys, validate_imports
from tests.importers_support import BASE_FILES, IMPORT_DAY, parse

P_ROW = BASE_FILES["projects.csv"].splitlines()[1]


def _edit(file: str, old: str, new: str) -> dict[str, str]:
    files = dict(BASE_FILES)
    assert old in files[file], old
    files[file] = files[file].replace(old, new, 1)
    return files


def _problems(files: dict[str, str], known: KnownKeys | None = None) -> list[tuple]:
    report = validate_imports(parse(files), known, as_of=IMPORT_DAY).report
    return [(p.sheet, p.row, p.column, p.value, p.reason) for p in report.errors]


def test_base_files_are_valid() -> None:
    report = validate_imports(parse(BASE_FILES), as_of=IMPORT_DAY).report
    assert report.errors == [] and report.warnings == []
    assert report.rows_read == {
        "projects": 1,
        "results": 3,
        "indicators": 2,
        "periods": 3,
        "budget": 3,
        "expenditure": 2,
    }


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "projects.csv",
            "2026-12-31",
            "2023-12-31",
            ("projects", 2, "end_date", "2023-12-31", "end_date must be after start_date"),
        ),
        (
            "projects.csv",
            ",active,",
            ",ongoing,",
            ("projects", 2, "status", "ongoing", "not one of: pipeline, active, closed"),
        ),
        (
            "projects.csv",
            ",USD,",
            ",US,",
            ("projects", 2, "currency", "US", "not a currency code: three letters expected, e.g. USD"),
        ),
        (
            "projects.csv",
            "2024-01-01",
            "01/01/2024",
            ("projects", 2, "start_date", "01/01/2024", "not a date; write it as YYYY-MM-DD, e.g. 2024-03-31"),
        ),
        ("projects.csv", ",yes,", ",maybe,", ("projects", 2, "high_risk_context", "maybe", "write yes or no")),
        (
            "projects.csv",
            "IOM_GM,2A",
            "IOM_GM,3",
            ("projects", 2, "gender_marker_code", "3", "'3' is not a code of IOM_GM (0, 1, 2a, 2b, NA)"),
        ),
        (
            "projects.csv",
            "SDG:10.7",
            "XYZ:1",
            ("projects", 2, "tags", "XYZ:1;GCM:1", "unknown tag scheme 'XYZ'; known: MIGOF, SDG, GCM, SRF"),
        ),
        ("projects.csv", "Safe migration,", ",", ("projects", 2, "title", None, "a value is required")),
        (
            "results.csv",
            "OP1.1,output,OC1",
            "OP1.1,output,OC9",
            ("results", 4, "parent_code", "OC9", "no such result in this project; check the code"),
        ),
        (
            "results.csv",
            "OC1,outcome,O1",
            "OC1,outcome,OP1.1",
            (
                "results",
                3,
                "parent_code",
                "OP1.1",
                "the parent is an output; a outcome must sit under a higher level (objective > outcome > "
                "output > activity)",
            ),
        ),
        (
            "results.csv",
            ",objective,",
            ",goal,",
            ("results", 2, "level", "goal", "not one of: objective, outcome, output, activity"),
        ),
        (
            "indicators.csv",
            "I2,OC1,",
            "I2,OC7,",
            ("indicators", 3, "result_code", "OC7", "no such result in this project; add it to the results sheet"),
        ),
        (
            "indicators.csv",
            ",1000,",
            ",1,000,",
            ("indicators", 2, "disaggregation", "000", "not one of: none, sex, sex_age"),
        ),
        (
            "periods.csv",
            "I2,2024-01-01",
            "I3,2024-01-01",
            (
                "periods",
                4,
                "indicator_code",
                "I3",
                "no such indicator for this project; add it to the indicators sheet",
            ),
        ),
        (
            "periods.csv",
            "2024-04-01,2024-06-30",
            "2024-04-01,2024-02-30",
            ("periods", 3, "period_end", "2024-02-30", "no such day in the calendar; check the day and month"),
        ),
        (
            "periods.csv",
            "2024-04-01,2024-06-30",
            "2024-04-01,2024-03-30",
            ("periods", 3, "period_end", "2024-03-30", "period_end must be on or after period_start"),
        ),
        (
            "periods.csv",
            ",90,",
            ",N/A,",
            (
                "periods",
                2,
                "actual",
                "N/A",
                "not a number; use digits with '.' for decimals (a value in words goes in the actual_text column)",
            ),
        ),
        ("periods.csv", ",50,40,", ",-5,40,", ("periods", 2, "actual_female", "-5", "must be at least 0")),
        (
            "periods.csv",
            ",evaluation",
            ",hearsay",
            (
                "periods",
                4,
                "source",
                "hearsay",
                "not one of: project_monitoring, monitoring_visit, evaluation, self_reported",
            ),
        ),
        ("budget.csv", "M&E,100,USD,", "M&E,-100,USD,", ("budget", 4, "amount", "-100", "must be at least 0")),
        (
            "budget.csv",
            "Staff,1200,USD",
            "Staff,1200,EUR",
            (
                "budget",
                3,
                "currency",
                "EUR",
                "other rows of line L1 say staff in USD; one line has one category and currency",
            ),
        ),
        (
            "budget.csv",
            "PX.0001,L2,monitoring_evaluation,M&E,100,USD,\n",
            "PX.0001,L2,monitoring_evaluation,M&E,100,USD,2025-01-01\n",
            (
                "budget",
                4,
                "revision_date",
                None,
                "line L2 is new but has no original budget (a row with revision_date empty)",
            ),
        ),
        (
            "expenditure.csv",
            "L2,2024-02",
            "L3,2024-02",
            ("expenditure", 3, "line_code", "L3", "no such budget line for this project; add it to the budget sheet"),
        ),
        (
            "expenditure.csv",
            "2024-02",
            "2024-13",
            ("expenditure", 3, "month", "2024-13", "not a month; write it as YYYY-MM, e.g. 2024-03"),
        ),
        (
            "expenditure.csv",
            ",100,USD",
            ",1,000,USD",
            ("expenditure", 2, "currency", "000", "not a currency code: three letters expected, e.g. USD"),
        ),
        (
            "results.csv",
            "Workers trained\n",
            "Workers trained\nPX.0009,X1,objective,,Other\n",
            (
                "results",
                5,
                "project_code",
                "PX.0009",
                "no such project in this import or in the database; add it to the projects sheet",
            ),
        ),
        (
            "results.csv",
            "Workers trained\n",
            "Workers trained\nPX.0001,OC1,outcome,O1,Again\n",
            (
                "results",
                5,
                "result_code",
                "OC1",
                "duplicate of results.csv row 3 (same project_code, result_code); keep one of the two",
            ),
        ),
        (
            "expenditure.csv",
            "PX.0001,L2,2024-02,10,USD\n",
            "PX.0001,L2,2024-02,10,USD\nPX.0001,L2,2024-02,300,USD\n",
            (
                "expenditure",
                4,
                "month",
                "2024-02",
                "duplicate of expenditure.csv row 3 (same project_code, line_code, month); a finance export lists "
                "transactions, the dashboard one total per budget line and month: add the two amounts up into one row",
            ),
        ),
    ],
)
def test_one_problem_per_case(file: str, old: str, new: str, expected: tuple) -> None:
    assert _problems(_edit(file, old, new)) == [expected]


@pytest.mark.parametrize(
    ("table_name", "column", "raw", "reason"),
    [
        ("risks", "likelihood", "6", "must be at most 5"),
        ("risks", "likelihood", "0", "must be at least 1"),
        ("risks", "impact", "2.5", "not a whole number"),
        (
            "risks",
            "likelihood",
            "high",
            "not a number; use digits with '.' for decimals",  # risks have no likelihood_text
        ),
        (
            "risks",
            "category",
            "fraud",
            "not one of: operational, strategic, political, reputational, fiduciary, safety_security",
        ),
    ],
)
def test_risk_cells(table_name: str, column: str, raw: str, reason: str) -> None:
    values = {
        "project_code": "PX.0001",
        "risk_code": "R1",
        "description": "d",
        "category": "operational",
        "likelihood": "3",
        "impact": "4",
        column: raw,
    }
    header = ",".join(values)
    files = {**BASE_FILES, "risks.csv": f"{header}\n{','.join(values.values())}\n"}
    assert _problems(files) == [("risks", 2, column, raw, reason)]


def test_every_error_is_collected_not_just_the_first() -> None:
    files = _edit("projects.csv", ",active,", ",ongoing,")
    files = {**files, "periods.csv": files["periods.csv"].replace(",90,", ",lots,").replace("I2,2024", "I3,2024")}
    # the rows of the project in error are not reported again as "no such project"
    assert [(p[0], p[1], p[2]) for p in _problems(files)] == [
        ("projects", 2, "status"),
        ("periods", 2, "actual"),
        ("periods", 4, "indicator_code"),
    ]


def test_stored_rows_satisfy_references() -> None:
    """A file of periods alone is valid when the project and indicators are already stored."""
    known = KnownKeys(projects={"PX.0001"}, indicators={("PX.0001", "I1"), ("PX.0001", "I2")})
    assert _problems({"periods.csv": BASE_FILES["periods.csv"]}, known) == []
    assert _problems({"periods.csv": BASE_FILES["periods.csv"]})[0][4].startswith("no such project")


def test_missing_required_column_is_one_error_for_the_sheet() -> None:
    files = {
        "projects.csv": "project_code,managing_country,start_date,end_date,status,currency\n"
        "PX.0001,KEN,2024-01-01,2025-01-01,active,USD\n"
    }
    assert _problems(files) == [
        ("projects", 1, "title", None, "required column title is missing; add a column with this header")
    ]


def test_unknown_and_absent_columns_are_notes() -> None:
    files = {"visits.csv": "project_code,visit_date,type,weather\nPX.0001,2024-05-01,on_site,sunny\n"}
    report = validate_imports(parse(files), KnownKeys(projects={"PX.0001"}), as_of=IMPORT_DAY).report
    assert report.errors == []
    assert [n.message for n in report.notes] == [
        "optional columns absent, stored values left as they are: findings, follow_up_status",
        "columns ignored (not part of visits): weather",
    ]


@pytest.mark.parametrize(
    ("old", "new", "warning"),
    [
        (",90,50,40,0,", ",90,60,40,0,", "female + male + other = 100 does not add up to the actual 90"),
        (",90,50,40,0,", ",80,50,40,,", "female + male + other = 90 does not add up to the actual 80"),
    ],
)
def test_sex_breakdown_not_adding_up_is_a_warning(old: str, new: str, warning: str) -> None:
    report = validate_imports(parse(_edit("periods.csv", old, new)), as_of=IMPORT_DAY).report
    assert report.ok
    assert [(w.row, w.column, w.reason) for w in report.warnings] == [(2, "actual", warning)]


@pytest.mark.parametrize(
    ("new", "column", "given"),
    [
        (",,,,,delayed by floods,,", "comment", "comment"),
        (",,12,,,,2024-07-20,evaluation", "actual_female", "actual_female, reported_on, source"),
    ],
)
def test_details_of_a_report_without_its_actual_are_a_warning(new: str, column: str, given: str) -> None:
    """The second period's row has a target and no actual: what it says of the report is not stored."""
    report = validate_imports(parse(_edit("periods.csv", ",150,,,,,,", f",150{new}")), as_of=IMPORT_DAY).report
    assert report.ok
    assert [(w.row, w.column, w.reason) for w in report.warnings] == [
        (
            3,
            column,
            f"{given} given without an actual: not stored (a report is stored with its actual); fill in actual, "
            "or actual_text for a value that is not a number",
        )
    ]


def test_breakdown_needs_a_reported_period() -> None:
    breakdowns = (
        "project_code,indicator_code,period_start,period_end,dimension,category,value\n"
        "PX.0001,I1,2024-01-01,2024-03-31,age,18-59,80\n"
        "PX.0001,I1,2024-04-01,2024-06-30,age,18-59,10\n"
    )
    assert _problems({**BASE_FILES, "breakdowns.csv": breakdowns}) == [
        (
            "breakdowns",
            3,
            "period_start",
            "2024-04-01",
            "a breakdown of a period with no reported actual in this "
            "import; add the period with its actual to the periods sheet",
        )
    ]


def test_new_country_without_region_is_a_warning() -> None:
    report = validate_imports(parse(_edit("projects.csv", ",RONE,", ",,")), as_of=IMPORT_DAY).report
    assert report.ok
    assert [w.reason for w in report.warnings] == [
        "new country KEN, UGA without a region: it is added under region UNASSIGNED; fill in region to place it"
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" text ", "text"),
        ("", None),
        ("   ", None),
        (1.0, "1"),
        (2.5, "2.5"),
        (7, "7"),
        (True, "yes"),
        (dt.datetime(2024, 3, 1), "2024-03-01"),
        (None, None),
    ],
)
def test_clean_text(raw, expected) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    ("column", "raw", "expected"),
    [
        ("period_start", dt.datetime(2024, 3, 31, 0, 0), dt.date(2024, 3, 31)),  # an Excel date cell
        ("period_start", "2024-03-31", dt.date(2024, 3, 31)),
        ("period_start", "2024-03-31T00:00:00", dt.date(2024, 3, 31)),
        ("actual", "1e3", 1000.0),
        ("actual", " 12.50 ", 12.5),
        ("actual", 7, 7.0),
        ("actual", None, None),  # readers turn empty cells into None
        ("source", "Evaluation", "evaluation"),
    ],
)
def test_cells_are_typed(column: str, raw, expected) -> None:
    values = {
        "project_code": "P",
        "indicator_code": "I",
        "period_start": "2024-01-01",
        "period_end": "2024-12-31",
        column: raw,
    }
    assert getattr(ROW_MODELS["periods"].model_validate(values), column) == expected


def test_models_and_table_specs_have_the_same_columns() -> None:
    for spec in TABLES:
        assert tuple(ROW_MODELS[spec.name].model_fields) == spec.column_names, spec.name


def _iati(*activities: str) -> bytes:
    return ('<iati-activities version="2.03">' + "".join(activities) + "</iati-activities>").encode()


_KENYA = '<recipient-country code="KE" percentage="100"/>'
_DATES = '<activity-date type="1" iso-date="2020-01-01"/><activity-date type="3" iso-date="2022-12-31"/>'


def _activity(ident: str, *, countries: str = _KENYA, dates: str = _DATES) -> str:
    return (
        f'<iati-activity default-currency="EUR"><iati-identifier>{ident}</iati-identifier>'
        '<reporting-org ref="XX-TEST"><narrative>Publisher</narrative></reporting-org>'
        f'<title><narrative>Title</narrative></title><activity-status code="2"/>{dates}{countries}</iati-activity>'
    )


def test_skipped_iati_activities_are_listed_with_their_reason() -> None:
    """Four activities: one imported (an unknown second recipient country is skipped, not the
    activity), one without dates, one with only a region, one without an identifier."""
    from data_access.importers.iati import parse_iati

    xml = _iati(
        _activity("XX-OK", countries=_KENYA + '<recipient-country code="QQ"/>'),
        _activity("XX-NODATES", dates=""),
        _activity("XX-REGION", countries='<recipient-region code="298"/>'),
        _activity(""),
    )
    report = validate_imports([parse_iati(xml, "t.xml")], as_of=IMPORT_DAY).report
    assert report.activities_read == 4
    skipped = [(s.file, s.code, s.reason.split(";")[0]) for s in report.skipped_activities]
    assert skipped == [
        ("t.xml", "XX-NODATES", "no start date (planned or actual)"),
        (
            "t.xml",
            "XX-REGION",
            "only recipient region(s) Africa (region 298, OECD DAC), so no single country office can be said to "
            "manage it",
        ),
        ("t.xml", "(no iati-identifier, line 1)", "activity without an iati-identifier skipped"),
    ]
    assert "3 of 4 IATI activities skipped (not imported):" in report.to_text()


def test_counts_table_reads_as_words_and_leaves_out_empty_sheets() -> None:
    from data_access.importers.report import TableCounts, ValidationReport

    report = ValidationReport(
        files=["f.xlsx"],
        rows_read={"projects": 1, "risks": 0, "budget": 2},
        planned={
            "projects": TableCounts(0, 1, 0),
            "budget": TableCounts(2, 0, 0),
            "budget_lines": TableCounts(1, 0, 0),
        },
    )
    frame = report.counts_frame()
    assert list(frame.columns) == ["Table", "In the files", "New", "Changed", "Unchanged"]
    assert frame.astype(object).where(frame.notna(), None).values.tolist() == [
        ["Projects", 1, 0, 1, 0],
        ["Budget amounts (originals and revisions)", 2, 2, 0, 0],
        ["Budget lines (made from the budget amounts)", None, 1, 0, 0],
    ]
