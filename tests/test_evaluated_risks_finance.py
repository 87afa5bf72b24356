"""The Risks and Finance pages' first views read a few stored columns and rows (``components.loaders``:
``risk_counts``, ``risks_to_act_on``, ``finance_overview``, ``flagged_projects``); what they show
equals what the whole stored summary and risks frame gave before (``evaluated.read`` of every
column), for every kind of scope, two dates and other thresholds, on SQLite and PostgreSQL.

Same sample as tests/test_evalstore.py (40 generated projects, inside the rolled-back transaction).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from components import finance_sections, loaders, risk_tables
from components.finance_tables import flagged_projects
from components.view_groups import country_regions, places_in_view
from data_access import evaluated, queries
from data_access import models as m
from data_access.scope import PortfolioFilter
from monitoring.evaluate import portfolio_kpis
from monitoring.finance import burn_status_counts
from monitoring.risk_attention import unmitigated_high_risks
from monitoring.risks import is_open
from tests.test_evalstore import DATES, SETTINGS, _scopes, sample  # noqa: F401 (the sample fixture)

KEYS = [(as_of, settings) for as_of in DATES[:2] for settings in (SETTINGS,)] + [
    (DATES[0], dataclasses.replace(SETTINGS, risk_high_min=9, risk_medium_min=4, risk_review_max_days=30))
]
FLAG_CODES = (finance_sections.ENDING_SOON, finance_sections.NOT_REPORTED, finance_sections.AHEAD)
# mitigations of recently reviewed open high risks: blank for Python's str.strip() (nothing, tabs,
# no-break and ideographic spaces) or not (a dash, Arabic words): the database's pick must agree
MITIGATIONS = {"": True, " \t": True, "\u00a0": True, "\u3000\u2003 ": True, "-": False, "خطة الطوارئ": False}


@pytest.fixture
def tricky(sample: Session) -> dict[tuple[int, str], bool]:  # noqa: F811 (the fixture imported above)
    """Give the first open high risks the :data:`MITIGATIONS` and a review five days before the first
    date; their (project id, code) → whether the rule must list them (blank)."""
    connection = sample.connection()
    high = m.Risk.likelihood * m.Risk.impact >= SETTINGS.risk_high_min
    rows = connection.execute(
        select(m.Risk.id, m.Risk.project_id, m.Risk.code)
        .where(high, m.Risk.status == "open")
        .order_by(m.Risk.id)
        .limit(len(MITIGATIONS))
    ).all()
    assert len(rows) == len(MITIGATIONS)
    reviewed = DATES[0] - dt.timedelta(days=5)
    for (risk_id, _, _), mitigation in zip(rows, MITIGATIONS, strict=True):
        values = {"mitigation": mitigation, "last_reviewed": reviewed}
        connection.execute(update(m.Risk).where(m.Risk.id == risk_id).values(**values))
    return {(project, code): blank for (_, project, code), blank in zip(rows, MITIGATIONS.values(), strict=True)}


@pytest.fixture
def views(sample: Session, tricky):  # noqa: F811 (the fixture imported above)
    """(connection, scope, filter, settings, the whole stored summary and risks) of every key."""
    connection = sample.connection()
    out = []
    for as_of, settings in KEYS:
        flt = PortfolioFilter(as_of=as_of)
        for scope in _scopes(connection):
            whole = evaluated.read(connection, scope, flt, settings, loaders.SUMMARY_COLUMNS)
            risks = evaluated.read(connection, scope, flt, settings, loaders.RISK_COLUMNS).risks
            out.append((connection, scope, flt, settings, whole, risks))
    return out


def test_the_risk_cards_counted_in_sql_equal_the_counts_of_the_rows(views) -> None:
    for connection, scope, flt, settings, whole, risks in views:
        open_risks = risks.loc[is_open(risks)]
        assert evaluated.risk_counts(connection, scope, flt, settings) == evaluated.RiskCounts(
            projects=len(whole.projects),
            flags=len(whole.flags),
            flagged_projects=whole.flags["project_id"].nunique(),
            high_flags=int((whole.flags["severity"] == "high").sum()),
            projects_with_high_flag=int((whole.projects["n_flags_high"] > 0).sum()),
            open_risks=len(open_risks),
            open_high_risks=int((open_risks["level"] == "high").sum()),
            projects_with_register=risks["project_id"].nunique(),
        ), f"{scope} {flt} {settings}"


def test_the_risks_to_act_on_read_alone_equal_those_of_every_risk(views, tricky) -> None:
    listed = picked = open_high = 0
    for connection, scope, flt, settings, whole, risks in views:
        want = unmitigated_high_risks(risks, whole.projects, flt.as_of, settings)
        if scope.organisation and flt.as_of == DATES[0] and settings == SETTINGS:  # the tricky ones were tried
            listed_keys = set(zip(want["project_id"], want["risk_code"], strict=True))
            assert {key: key in listed_keys for key in tricky} == tricky
        high, projects = evaluated.risks_to_act_on(connection, scope, flt, settings, loaders.RISK_PROJECT_COLUMNS)
        picked += len(high)
        open_high += int((is_open(risks) & (risks["level"] == "high")).sum())
        assert set(projects["project_id"]) == set(high["project_id"])  # their projects, no other
        got = unmitigated_high_risks(high, projects, flt.as_of, settings)
        pd.testing.assert_frame_equal(got, want, obj=f"{scope} {flt}")
        pd.testing.assert_frame_equal(
            risk_tables.unmitigated_display(got, projects), risk_tables.unmitigated_display(want, whole.projects)
        )
        listed += len(got)
    assert listed  # the sample has unmitigated high risks: the comparison is not vacuous
    assert picked < open_high  # and mitigated, recently reviewed ones, which are not read


def test_the_finance_cards_from_their_columns_equal_those_of_the_whole_summary(views) -> None:
    for connection, scope, flt, settings, whole, _ in views:
        narrow = evaluated.read(connection, scope, flt, settings, loaders.FINANCE_COLUMNS)
        shares = queries.project_countries(connection, scope, flt)
        countries = places_in_view(scope, flt, country_regions(narrow.projects, shares)).countries
        assert countries == places_in_view(scope, flt, country_regions(whole.projects, shares)).countries
        want = portfolio_kpis(whole, countries=countries, project_countries=shares)
        got = portfolio_kpis(
            narrow, countries=countries, project_countries=shares, indicator_statuses=pd.Series(dtype="int64")
        )
        # the cards show no indicator or flag figure: those are not read
        shown = dataclasses.replace(
            got,
            flags=want.flags,
            assessable_indicators=want.assessable_indicators,
            indicators_on_track_or_achieved=want.indicators_on_track_or_achieved,
            indicators_on_track_or_achieved_share=want.indicators_on_track_or_achieved_share,
        )
        assert shown == want, f"{scope} {flt}"
        assert burn_status_counts(narrow.projects["burn_status"]) == burn_status_counts(whole.projects["burn_status"])
        # the later tabs: every project column, no flag
        every = dataclasses.replace(loaders.SUMMARY_COLUMNS, projects=loaders.EVERY_PROJECT_COLUMN, flags=())
        pd.testing.assert_frame_equal(evaluated.read(connection, scope, flt, settings, every).projects, whole.projects)


def test_the_flagged_projects_read_alone_equal_those_of_every_flag(views) -> None:
    listed = 0
    for connection, scope, flt, settings, whole, _ in views:
        flagged = evaluated.flags_with_codes(
            connection, scope, flt, settings, FLAG_CODES, loaders.FLAGGED_COLUMNS, loaders.FLAGGED_PROJECT_COLUMNS
        )
        assert set(flagged[1]["project_id"]) == set(flagged[0]["project_id"])
        for code in FLAG_CODES:
            got = flagged_projects(*flagged, code)
            pd.testing.assert_frame_equal(got, flagged_projects(whole.flags, whole.projects, code), obj=code)
            listed += len(got)
    assert listed


def test_the_flag_tabs_from_a_few_project_columns_equal_those_of_the_whole_summary(views) -> None:
    for connection, scope, flt, settings, whole, _ in views:
        narrow = evaluated.read(connection, scope, flt, settings, loaders.RISK_FLAG_COLUMNS)
        pd.testing.assert_frame_equal(
            risk_tables.flag_list(narrow.flags, narrow.projects), risk_tables.flag_list(whole.flags, whole.projects)
        )
        for severities in ((), ("high",)):
            pd.testing.assert_frame_equal(
                risk_tables.flags_in_view(narrow.flags, narrow.projects, severities=severities),
                risk_tables.flags_in_view(whole.flags, whole.projects, severities=severities),
            )
        shares = queries.project_countries(connection, scope, flt)
        assert country_regions(narrow.projects, shares) == country_regions(whole.projects, shares)
        assert len(narrow.projects) == len(whole.projects)
