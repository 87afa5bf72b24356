"""Every shared IATI file imported on both databases, checked against the XML itself.

The expected figures are computed here with lxml XPath straight from the files, independently of
``data_access.importers.iati``: which activities can be stored (a recipient country, or exactly one
IOM country office among the locations; a start and an end date, end after start), how many
indicators they hold, the periods whose target and actual are each one plain number without
dimensions, the current budget per activity and currency (revised where a period has one) and the
spending (disbursements + expenditure) per activity and currency. Periods stored with a numeric
target and actual beyond the plain ones must come from XML values that carry dimensions or
locations, repeat, or write a number another way. The activity counts are also
written out by hand (from reading the files) so a wrong rule in both places cannot pass unnoticed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access import models as m
from data_access.importers.iati import parse_iati
from data_access.importers.workbook import read_file
from data_access.importers.writer import import_files
from data_access.scope import Scope
from tests.environment import SHARED_IATI, needs_shared_iati
from tests.importers_support import IMPORT_DAY

SHARED = SHARED_IATI
REAL = SHARED / "real"
EXAMPLES = SHARED / "examples"
PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
OFFICE = re.compile(r"IOM Country Office - ([A-Z]{2})")

# file -> (activities in the file, activities stored): read off the files by hand. Dutch NGOs: 7
# activities have only a recipient region (or nothing) and 1 has no end date; IOM: 42 regional or
# global activities name several country offices or none; OCHA fixture: 3 regional activities.
FILES = [
    (REAL / "cordaid_NL-KVK-41160054_2021.xml", 84, 84),
    (REAL / "dutch_ngos_results_2021.xml", 82, 74),
    (REAL / "iom_XM-DAC-47066_2021.xml", 257, 215),
    (REAL / "ocha_fixture_foodsecurity_dportal_2021.xml", 7, 4),
    (EXAMPLES / "activity-standard-example-annotated-2.01.xml", 1, 1),
    (EXAMPLES / "activity-standard-example-annotated-2.02.xml", 1, 1),
    (EXAMPLES / "activity-standard-example-annotated-2.03.xml", 1, 1),
    (EXAMPLES / "activity-standard-example-annotated-2.03-dimension-branch.xml", 1, 1),
    (EXAMPLES / "organisation-standard-example-annotated-2.03.xml", 0, 0),
]
pytestmark = needs_shared_iati


# ---- what the XML says ----------------------------------------------------------------------
def storable(activity: etree._Element) -> bool:
    """A country to attach the activity to, and a start and end date in order."""
    offices = set(OFFICE.findall(" ".join(activity.xpath("location/name/narrative/text()"))))
    if not activity.xpath("recipient-country") and len(offices) != 1:
        return False
    dates: dict[str, str] = {}
    for date in activity.xpath("activity-date[@iso-date]"):
        dates.setdefault(date.get("type"), date.get("iso-date"))
    start = dates.get("2") or dates.get("1")
    end = dates.get("3") or dates.get("4")
    return bool(start and end and end > start and dates.get("4", end) > start)


def xml_activities(path: Path) -> dict[str, etree._Element]:
    root = etree.parse(str(path)).getroot()
    return {a.findtext("iati-identifier").strip(): a for a in root.xpath("iati-activity") if storable(a)}


def plain(element: etree._Element) -> float | None:
    """The value of an element without (valued) dimensions or location, when it is a plain number."""
    if element.xpath("dimension[normalize-space(@value) != ''] | location"):
        return None
    value = (element.get("value") or "").strip()
    return float(value) if PLAIN.fullmatch(value) else None


def xml_periods(activities: dict[str, etree._Element]) -> dict[tuple, tuple[list, list]]:
    """(project, indicator code, start, end) -> (target elements, actual elements) of the periods
    with valid dates, the ``<period>`` elements with the same dates taken together."""
    found: dict[tuple, tuple[list, list]] = {}
    for code, activity in activities.items():
        for r, result in enumerate(activity.xpath("result"), start=1):
            for i, indicator in enumerate(result.xpath("indicator"), start=1):
                merged: dict[tuple[str, str], tuple[list, list]] = defaultdict(lambda: ([], []))
                for period in indicator.xpath("period"):
                    start = period.xpath("string(period-start/@iso-date)")[:10]
                    end = period.xpath("string(period-end/@iso-date)")[:10]
                    if not start or not end or end < start:
                        continue
                    merged[(start, end)][0].extend(period.xpath("target"))
                    merged[(start, end)][1].extend(period.xpath("actual"))
                for (start, end), elements in merged.items():
                    found[(code, f"R{r}.I{i}", dt.date.fromisoformat(start), dt.date.fromisoformat(end))] = elements
    return found


def plain_pair(targets: list, actuals: list) -> tuple[float, float] | None:
    """(target, actual) when the period has one target and one actual element, both plain numbers."""
    if len(targets) == 1 and len(actuals) == 1:
        target, actual = plain(targets[0]), plain(actuals[0])
        if target is not None and actual is not None:
            return target, actual
    return None


def xml_budgets(activities: dict[str, etree._Element]) -> dict[tuple[str, str], float]:
    """(project, currency) -> current budget: per period, the revised budgets when any, else the originals."""
    per_period: dict[tuple, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for code, activity in activities.items():
        for budget in activity.xpath("budget"):
            start = budget.xpath("string(period-start/@iso-date)")
            end = budget.xpath("string(period-end/@iso-date)")
            if not start or not end or end < start:
                continue
            currency = budget.xpath("string(value/@currency)") or activity.get("default-currency")
            per_period[(code, currency, start, end)][budget.get("type") or "1"] += float(budget.findtext("value"))
    totals: dict[tuple[str, str], float] = defaultdict(float)
    for (code, currency, _, _), kinds in per_period.items():
        totals[(code, currency)] += kinds["2"] if "2" in kinds else kinds["1"]
    return dict(totals)


def xml_spent(activities: dict[str, etree._Element]) -> dict[tuple[str, str], float]:
    """(project, currency) -> disbursements (3) + expenditure (4)."""
    totals: dict[tuple[str, str], float] = defaultdict(float)
    for code, activity in activities.items():
        for transaction in activity.xpath("transaction[transaction-type/@code='3' or transaction-type/@code='4']"):
            currency = transaction.xpath("string(value/@currency)") or activity.get("default-currency")
            totals[(code, currency)] += float(transaction.findtext("value"))
    return dict(totals)


# ---- what the database holds ----------------------------------------------------------------
def import_file(session: Session, path: Path) -> None:
    result = import_files(
        session,
        [parse_iati(path.read_bytes(), path.name)],
        user="test",
        scope=Scope.whole_organisation("administrator"),
        as_of=IMPORT_DAY,
    )
    assert result.ok, [p.describe() for p in result.report.errors[:5]]


def stored_periods(session: Session, codes: set[str]) -> dict[tuple, tuple[float | None, float | None]]:
    stmt = (
        select(
            m.Project.code,
            m.Indicator.code,
            m.Target.period_start,
            m.Target.period_end,
            m.Target.target,
            m.Actual.value,
        )
        .join(m.Indicator, m.Indicator.project_id == m.Project.id)
        .join(m.Target, m.Target.indicator_id == m.Indicator.id)
        .join(
            m.Actual,
            (m.Actual.indicator_id == m.Indicator.id)
            & (m.Actual.period_start == m.Target.period_start)
            & (m.Actual.period_end == m.Target.period_end)
            & m.Actual.is_current,
        )
        .where(m.Project.code.in_(codes), m.Target.target.is_not(None), m.Actual.value.is_not(None))
    )
    return {(p, i, s, e): (t, a) for p, i, s, e, t, a in session.execute(stmt)}


def stored_budgets(session: Session, codes: set[str]) -> dict[tuple[str, str], float]:
    """Current budget per project and currency: each line's latest revision, else its original."""
    stmt = (
        select(
            m.Project.code,
            m.BudgetLine.id,
            m.BudgetLine.currency,
            m.BudgetRevision.revision_date,
            m.BudgetRevision.amount,
        )
        .join(m.BudgetLine, m.BudgetLine.project_id == m.Project.id)
        .join(m.BudgetRevision, m.BudgetRevision.budget_line_id == m.BudgetLine.id)
        .where(m.Project.code.in_(codes))
    )
    lines: dict[int, tuple[str, str, dt.date, float]] = {}
    for code, line_id, currency, revised_on, amount in session.execute(stmt):
        when = revised_on or dt.date.min
        if line_id not in lines or when > lines[line_id][2]:
            lines[line_id] = (code, currency, when, amount)
    totals: dict[tuple[str, str], float] = defaultdict(float)
    for code, currency, _, amount in lines.values():
        totals[(code, currency)] += amount
    return dict(totals)


def stored_spent(session: Session, codes: set[str]) -> dict[tuple[str, str], float]:
    stmt = (
        select(m.Project.code, m.Expenditure.currency, func.sum(m.Expenditure.amount))
        .join(m.BudgetLine, m.BudgetLine.project_id == m.Project.id)
        .join(m.Expenditure, m.Expenditure.budget_line_id == m.BudgetLine.id)
        .where(m.Project.code.in_(codes))
        .group_by(m.Project.code, m.Expenditure.currency)
    )
    return {(code, currency): total for code, currency, total in session.execute(stmt)}


def assert_amounts_equal(stored: dict, expected: dict) -> None:
    """Same non-zero totals per (project, currency) (a zero total may or may not have rows)."""
    assert {key for key, value in stored.items() if value} == {key for key, value in expected.items() if value}
    for key, value in expected.items():
        if value:
            assert stored[key] == pytest.approx(value, rel=1e-9), key


@pytest.mark.parametrize(("path", "in_file", "stored"), FILES, ids=[f[0].name for f in FILES])
def test_every_shared_file_imports_with_the_counts_of_its_xml(
    session: Session, path: Path, in_file: int, stored: int
) -> None:
    root = etree.parse(str(path)).getroot()
    assert len(root.xpath("iati-activity")) == in_file
    activities = xml_activities(path)
    assert len(activities) == stored
    import_file(session, path)
    codes = set(activities)

    assert set(session.scalars(select(m.Project.code).where(m.Project.code.in_(codes)))) == codes
    expected_indicators = sum(len(a.xpath("result/indicator")) for a in activities.values())
    stored_indicators = session.scalar(
        select(func.count(m.Indicator.id))
        .join(m.Project, m.Indicator.project_id == m.Project.id)
        .where(m.Project.code.in_(codes))
    )
    assert stored_indicators == expected_indicators

    periods = xml_periods(activities)
    plain_periods = {key: pair for key, elements in periods.items() if (pair := plain_pair(*elements))}
    numeric = stored_periods(session, codes)
    assert {key: numeric.get(key) for key in plain_periods} == plain_periods
    for key in set(numeric) - set(plain_periods):
        # any other numeric period comes from values with dimensions or locations, several values,
        # or a number written another way (``23,14``): never from nothing
        targets, actuals = periods[key]
        assert (
            len(targets) > 1
            or len(actuals) > 1
            or any(
                e.xpath("dimension | location") or not PLAIN.fullmatch((e.get("value") or "").strip())
                for e in targets + actuals
            )
        ), key

    assert_amounts_equal(stored_budgets(session, codes), xml_budgets(activities))
    assert_amounts_equal(stored_spent(session, codes), xml_spent(activities))


def test_reimporting_a_file_changes_nothing(session: Session) -> None:
    path = REAL / "ocha_fixture_foodsecurity_dportal_2021.xml"
    import_file(session, path)
    again = import_files(
        session,
        [parse_iati(path.read_bytes(), path.name)],
        user="test",
        scope=Scope.whole_organisation("administrator"),
        as_of=IMPORT_DAY,
    )
    assert again.outcome == "unchanged"


def _period(session: Session, project: str, indicator: str, start: str) -> m.Actual:
    return session.scalars(
        select(m.Actual)
        .join(m.Indicator, m.Actual.indicator_id == m.Indicator.id)
        .join(m.Project, m.Indicator.project_id == m.Project.id)
        .where(
            m.Project.code == project,
            m.Indicator.code == indicator,
            m.Actual.period_start == dt.date.fromisoformat(start),
            m.Actual.is_current,
        )
    ).one()


# Hand-computed from the XML (dutch_ngos_results_2021.xml):
# * NL-KVK-41149486-BKF-19.3-DRA, WSH-I1 (line 19599): four <period> elements with the same dates,
#   one per sex x age cell: female 18+ 10784, male 18+ 4853, female under 18 4044, male under 18
#   1348 -> female 14828, male 6201, total 21029 (a complete sex x age grid).
# * NL-KVK-41009723-ETH20143, ACC-I1 (line 3012): actual 101 with dimensions Boys 22, Girls 16,
#   Men 26, Women 37 (numbers published as dimension values) -> female 53, male 48, total 101.
# * NL-KVK-41009723-SYR2001, R8.I1 (line 4131): actual 11409 with Men 5284 and Women 6125.
@pytest.mark.parametrize(
    ("project", "indicator", "start", "total", "female", "male"),
    [
        ("NL-KVK-41149486-BKF-19.3-DRA", "R1.I1", "2019-12-01", 21029, 14828, 6201),
        ("NL-KVK-41009723-ETH20143", "R1.I1", "2020-04-22", 101, 53, 48),
        ("NL-KVK-41009723-SYR2001", "R8.I1", "2020-05-01", 11409, 6125, 5284),
    ],
)
def test_sex_dimensions_of_real_files_are_stored_in_the_sex_columns(
    session: Session, project: str, indicator: str, start: str, total: float, female: float, male: float
) -> None:
    import_file(session, REAL / "dutch_ngos_results_2021.xml")
    actual = _period(session, project, indicator, start)
    assert (actual.value, actual.female, actual.male, actual.other_sex) == (total, female, male, None)


def test_age_breakdowns_and_values_that_are_not_numbers_are_stored_as_published(session: Session) -> None:
    import_file(session, REAL / "dutch_ngos_results_2021.xml")
    actual = _period(session, "NL-KVK-41149486-BKF-19.3-DRA", "R1.I1", "2019-12-01")
    breakdowns = {
        (b.dimension, b.category): b.value
        for b in session.scalars(select(m.ActualBreakdown).where(m.ActualBreakdown.actual_id == actual.id))
    }
    assert breakdowns == {
        ("sex|age", "female|18+"): 10784,
        ("sex|age", "male|18+"): 4853,
        ("sex|age", "female|0-17"): 4044,
        ("sex|age", "male|0-17"): 1348,
    }
    # baseline "740,000" (line 24396): thousands or decimals cannot be told apart -> text
    indicator = session.scalars(
        select(m.Indicator)
        .join(m.Project, m.Indicator.project_id == m.Project.id)
        .where(m.Project.code == "NL-KVK-41150298-5141", m.Indicator.baseline_text.is_not(None))
    ).one()
    assert (indicator.baseline, indicator.baseline_text) == (None, "740,000")
    stored_na = session.scalar(select(func.count(m.Actual.id)).where(m.Actual.value_text == "N/A"))
    assert stored_na > 0
    assert (
        session.scalar(select(func.count(m.Actual.id)).where(m.Actual.value_text == "N/A", m.Actual.value.is_not(None)))
        == 0
    )


def test_iom_gender_marker_and_incoming_commitments_are_stored(session: Session) -> None:
    path = REAL / "iom_XM-DAC-47066_2021.xml"
    activities = xml_activities(path)
    import_file(session, path)
    expected = {"0": 0, "1": 0, "2a": 0, "2b": 0, "NA": 0}
    for activity in activities.values():
        for code in activity.xpath("policy-marker[@vocabulary='99']/@code")[:1]:
            expected[code.lower() if code.startswith("2") else code] += 1
    stored = dict(
        session.execute(
            select(m.ProjectMarker.code, func.count(m.ProjectMarker.id))
            .join(m.Project)
            .where(m.ProjectMarker.scheme == "IOM_GM", m.Project.code.in_(set(activities)))
            .group_by(m.ProjectMarker.code)
        ).all()
    )
    assert stored == {code: n for code, n in expected.items() if n}
    funds = session.scalar(
        select(func.sum(m.IncomingFund.amount))
        .join(m.Project)
        .where(m.Project.code.in_(set(activities)), m.IncomingFund.kind == "incoming_funds")
    )
    expected_funds = sum(
        float(value)
        for a in activities.values()
        for value in a.xpath("transaction[transaction-type/@code='11']/value/text()")
    )
    assert funds == pytest.approx(expected_funds)


@pytest.mark.parametrize("path", [f[0] for f in FILES], ids=[f[0].name for f in FILES])
def test_the_upload_path_recognises_every_shared_file_as_iati(path: Path) -> None:
    """The command line and the Data page sniff the file type; each shared file must reach parse_iati."""
    assert read_file(path.read_bytes(), path.name).format == "iati"


def test_a_breakdown_without_a_total_never_replaces_a_reported_total(session: Session):
    """The 2.01 example reports an actual of 11 for 2013; the 2.03 example of the same activity
    publishes that period's actual only as a breakdown (no total). The new version keeps 11 with
    the new breakdown: a placeholder never withdraws a reported number (store docstring)."""
    for name in ("activity-standard-example-annotated-2.01.xml", "activity-standard-example-annotated-2.03.xml"):
        path = EXAMPLES / name
        result = import_files(
            session,
            [parse_iati(path.read_bytes(), path.name)],
            user="test",
            scope=Scope.whole_organisation("administrator"),
            as_of=IMPORT_DAY,
        )
        assert result.outcome == "imported"
    actuals = session.execute(
        select(m.Actual.version, m.Actual.is_current, m.Actual.value, m.Actual.value_text)
        .where(m.Actual.period_start == dt.date(2013, 1, 1))
        .order_by(m.Actual.version)
    ).all()
    assert [tuple(a) for a in actuals] == [(1, False, 11.0, None), (2, True, 11.0, None)]
    current = session.scalars(
        select(m.Actual.id).where(m.Actual.is_current, m.Actual.period_start == dt.date(2013, 1, 1))
    ).one()
    assert (
        session.scalar(
            select(func.count()).select_from(m.ActualBreakdown).where(m.ActualBreakdown.actual_id == current)
        )
        > 0
    )
