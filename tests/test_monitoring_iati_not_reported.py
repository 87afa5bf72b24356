"""The real IOM IATI file: budgets published, spending never. Spending must read "not reported", not 0.

``iom_XM-DAC-47066_2021.xml`` publishes budgets for its 215 storable activities (hand count, see
tests/test_importers_iati.py) and not one disbursement (3) or expenditure (4) transaction: checked
here with XPath on the file itself, so the test notices if the file ever changes. Imported through
the importer and evaluated as of 2021-12-31 (every activity has started by 2021-04-01), each project
must have unknown spending (status ``not_reported``, no burn, no forecast), no spending flag
(a spent of 0 would flag all 109 active ones UNDERSPENDING and FORECAST_UNDERSPEND and 28
ENDING_SOON_LOW_DELIVERY on a burn of 0%), EXPENDITURE_NOT_REPORTED on the active ones, and no
delivery rate made of budgets divided into nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access import models as m
from data_access.importers.iati import parse_iati
from data_access.importers.writer import import_files
from data_access.queries import load_portfolio
from data_access.scope import PortfolioFilter, Scope
from monitoring.evaluate import evaluate_portfolio, portfolio_kpis
from monitoring.settings import Settings
from tests.environment import SHARED_IATI, needs_shared_iati
from tests.importers_support import IMPORT_DAY

IOM = SHARED_IATI / "real" / "iom_XM-DAC-47066_2021.xml"
AS_OF = dt.date(2021, 12, 31)
STORED = 215  # activities stored from the file (counted by hand: tests/test_importers_iati.py)
SPENDING_FLAGS = {
    "UNDERSPENDING",
    "OVERSPENDING",
    "OVER_BUDGET",
    "FORECAST_UNDERSPEND",
    "FORECAST_OVERSPEND",
    "SPEND_AHEAD_OF_RESULTS",
    "ENDING_SOON_LOW_DELIVERY",
}
pytestmark = needs_shared_iati


def test_the_file_publishes_budgets_and_no_spending():
    root = etree.parse(str(IOM)).getroot()
    assert root.xpath("count(//iati-activity/budget)") > 0
    assert root.xpath("count(//transaction[transaction-type/@code='3' or transaction-type/@code='4'])") == 0


@pytest.fixture
def evaluated(session: Session):
    result = import_files(
        session,
        [parse_iati(IOM.read_bytes(), IOM.name)],
        user="test",
        scope=Scope.whole_organisation("administrator"),
        as_of=IMPORT_DAY,
    )
    assert result.ok, [p.describe() for p in result.report.errors[:5]]
    session.flush()
    frames = load_portfolio(
        session.connection(), Scope.whole_organisation("administrator"), PortfolioFilter(as_of=AS_OF)
    )
    active = set(
        session.scalars(select(m.Project.code).where(m.Project.status == "active", m.Project.start_date <= AS_OF))
    )
    return evaluate_portfolio(frames, AS_OF, Settings()), active


def test_iom_activities_have_spending_not_reported_and_no_spending_flag(evaluated):
    evaluation, active = evaluated
    projects = evaluation.projects.set_index("project_code")
    assert len(projects) == STORED and len(active) == 109
    assert not projects["expenditure_reported"].any()
    assert set(projects["burn_status"]) == {"not_reported"} and set(projects["forecast_status"]) == {"not_reported"}
    assert (
        projects[["spent", "spent_usd", "burn", "burn_variance_pp", "forecast", "forecast_delivery"]].isna().all().all()
    )
    assert projects["budget"].notna().all()  # the budget is known: only the spending is not
    flags = evaluation.flags
    assert not SPENDING_FLAGS & set(flags["code"])
    silent = flags.loc[flags["code"] == "EXPENDITURE_NOT_REPORTED"]
    assert set(silent["project_code"]) == active and silent["severity"].eq("medium").all()
    assert (
        silent["message"]
        .str.match(
            r"no expenditure reported in the \d+ full months since the start "
            r"\d{1,2} [A-Z][a-z]{2} \d{4}; budget [\d,]+ [A-Z]{3}$"
        )
        .all()
    )


def test_iom_budgets_are_left_out_of_delivery_and_counted_apart(evaluated):
    evaluation, _ = evaluated
    kpis = portfolio_kpis(evaluation)
    assert kpis.delivery_rate is None and kpis.budget_usd == 0.0 and kpis.spent_usd == 0.0
    assert kpis.n_not_reported == STORED  # closed ones too: their delivery is unknown as well
    assert kpis.budget_not_reported_usd == pytest.approx(float(evaluation.projects["budget_usd"].sum()))
    assert kpis.budget_not_reported_usd > 0
