"""``monitoring.changes``: which figures changed and the cause of each, on hand-built figures whose
every expected row is written out by hand (kind, project, indicator, flag, item, before, after, cause)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from monitoring import changes as c
from monitoring.review import ReviewFigures

D = dt.date(2026, 9, 30)
EMPTY = pd.DataFrame()


def project(code: str, **values) -> dict:
    row = {
        "project_code": code,
        "status": "active",
        "start_date": pd.Timestamp("2025-01-01"),
        "region": "R1",
        "managing_country": "KEN",
        "results_status": "on_track",
        "burn_status": "on_pace",
        "budget": 100.0,
        "budget_usd": 100.0,
        "spent_usd": 50.0,
        "expenditure_reported": True,
        "flags": "",
        "n_flags_high": 0,
        "n_assessable": 2,
        "n_on_track": 1,
        "n_achieved": 0,
    }
    return {**row, **values}


def figures(projects, indicators, flags=(), kpis=None, as_of=D) -> ReviewFigures:
    return ReviewFigures(
        as_of=as_of,
        kpis=kpis or {},
        groups=pd.DataFrame(columns=["group_kind", "group", "n_projects", "budget_usd", "spent_usd", "delivery"]),
        projects=pd.DataFrame(projects),
        indicators=pd.DataFrame(indicators, columns=["project_code", "indicator_code", "status", "milestone_to_date"]),
        flags=pd.DataFrame(list(flags), columns=["project_code", "code", "severity"]),
        risks=EMPTY,
        quality=EMPTY,
        markers=EMPTY,
    )


def events(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=["project_code", "table", "field", "action", "new"])


def rows(table: pd.DataFrame) -> list[tuple]:
    return [tuple(None if pd.isna(v) else v for v in r) for r in table.itertuples(index=False)]


@pytest.mark.parametrize(
    ("table", "field", "action", "new", "cause"),
    [
        ("actuals", "value", "new", None, c.NEW_ACTUAL),
        ("actuals", "value", "corrected", None, c.ACTUAL_CORRECTED),
        ("targets", "target", "update", "120", c.TARGET_CHANGED),
        ("targets", None, "insert", None, c.TARGET_CHANGED),
        ("indicators", "end_target", "update", "500", c.TARGET_CHANGED),
        ("indicators", "baseline", "update", "3", c.TARGET_CHANGED),
        ("indicators", "name", "update", "x", c.FRAMEWORK_CHANGED),
        ("budget_revisions", None, "insert", None, c.BUDGET_REVISED),
        ("budget_revisions", "amount", "update", "10", c.BUDGET_REVISED),
        ("expenditures", None, "insert", None, c.SPENDING_REPORTED),
        ("expenditures", "amount", "update", "10", c.SPENDING_REPORTED),
        ("projects", "status", "update", "active", c.PROJECT_STARTED),
        ("projects", "status", "update", "closed", c.PROJECT_CLOSED),
        ("projects", "status", "update", "pipeline", c.PROJECT_DETAILS),
        ("projects", "revised_end_date", "update", "2028-12-31", c.PROJECT_EXTENDED),
        ("projects", "end_date", "update", "2028-12-31", c.PROJECT_EXTENDED),
        ("projects", None, "insert", None, c.ENTERED_SCOPE),
        ("projects", "title", "update", "New title", c.PROJECT_DETAILS),
        ("risks", "mitigation", "update", "Hotline", c.RISKS_UPDATED),
        ("fx_rates", None, "insert", None, c.FX_CHANGED),
    ],
)
def test_each_stored_change_names_its_cause(table, field, action, new, cause) -> None:
    assert c.cause_of_event(table, field, action, new) == cause


def test_the_same_figures_have_no_change() -> None:
    same = figures([project("P1")], [("P1", "I1", "on_track", 10.0)])
    assert c.changes(same, same, events(), settings_changed=False).empty


def test_data_changes_carry_the_causes_of_their_project_and_family() -> None:
    before = figures(
        [project("P1", n_on_track=0), project("P2")],
        [("P1", "I1", "at_risk", 10.0), ("P2", "I1", "on_track", 10.0)],
        kpis={"indicators_on_track_or_achieved": 1, "spent_usd": 100.0},
    )
    after = figures(
        [project("P1"), project("P2", burn_status="overspending", spent_usd=90.0, flags="OVERSPENDING")],
        [("P1", "I1", "on_track", 10.0), ("P2", "I1", "on_track", 10.0)],
        flags=[("P2", "OVERSPENDING", "medium")],
        kpis={"indicators_on_track_or_achieved": 2, "spent_usd": 140.0},
    )
    found = c.changes(
        before,
        after,
        events(("P1", "actuals", "value", "new", None), ("P2", "expenditures", None, "insert", None)),
        settings_changed=False,
    )
    assert rows(found) == [
        ("KPI moved", None, None, None, "indicators_on_track_or_achieved", "1", "2", c.NEW_ACTUAL),
        ("KPI moved", None, None, None, "spent_usd", "100.0", "140.0", c.SPENDING_REPORTED),
        ("burn status changed", "P2", None, None, None, "on_pace", "overspending", c.SPENDING_REPORTED),
        ("flag raised", "P2", None, "OVERSPENDING", None, None, "medium", c.SPENDING_REPORTED),
        ("indicator recovered", "P1", "I1", None, None, "at_risk", "on_track", c.NEW_ACTUAL),
    ]


def test_time_alone_names_the_milestone_that_fell_due_or_time_passed() -> None:
    before = figures([project("P1")], [("P1", "I1", "on_track", 10.0), ("P1", "I2", "on_track", None)])
    after = figures(
        [project("P1")],
        [("P1", "I1", "off_track", 40.0), ("P1", "I2", "at_risk", None)],
        as_of=dt.date(2026, 12, 31),
    )
    found = c.changes(before, after, events(), settings_changed=False)
    assert rows(found) == [
        ("indicator status changed", "P1", "I2", None, None, "on_track", "at_risk", c.TIME_PASSED),
        ("indicator turned off track", "P1", "I1", None, None, "on_track", "off_track", c.MILESTONE_DUE),
    ]


def test_a_project_entering_the_scope_is_one_row() -> None:
    before = figures([project("P1")], [("P1", "I1", "on_track", None)])
    after = figures(
        [project("P1"), project("P3")],
        [("P1", "I1", "on_track", None), ("P3", "I1", "off_track", None)],
        flags=[("P3", "STALE_DATA", "medium")],
    )
    found = c.changes(before, after, events(("P3", "projects", None, "insert", None)), settings_changed=False)
    assert rows(found) == [("project entered the scope", "P3", None, None, None, None, "in scope", c.ENTERED_SCOPE)]


def test_settings_and_data_are_told_apart_with_the_middle_figures() -> None:
    before = figures([project("P1")], [("P1", "I1", "at_risk", None), ("P1", "I2", "on_track", None)])
    # the new data with the old settings: I1 recovered (a new actual)
    middle = figures([project("P1")], [("P1", "I1", "on_track", None), ("P1", "I2", "on_track", None)])
    # the new settings: I2 now at risk, I1 too
    after = figures([project("P1")], [("P1", "I1", "at_risk", None), ("P1", "I2", "at_risk", None)])
    found = c.changes(
        before, after, events(("P1", "actuals", "value", "new", None)), settings_changed=True, middle=middle
    )
    # I1: at_risk -> on_track (data) -> at_risk (settings): no net change, no row
    assert rows(found) == [
        ("indicator status changed", "P1", "I2", None, None, "on_track", "at_risk", c.SETTINGS_CHANGED),
    ]
    both = figures([project("P1")], [("P1", "I1", "off_track", None), ("P1", "I2", "on_track", None)])
    found = c.changes(
        before, both, events(("P1", "actuals", "value", "new", None)), settings_changed=True, middle=middle
    )
    assert rows(found) == [
        (
            "indicator turned off track",
            "P1",
            "I1",
            None,
            None,
            "at_risk",
            "off_track",
            f"{c.NEW_ACTUAL}; {c.SETTINGS_CHANGED}",
        ),
    ]


def test_between_two_snapshots_different_settings_are_named_on_every_change() -> None:
    before = figures([project("P1")], [("P1", "I1", "at_risk", None)])
    after = figures([project("P1")], [("P1", "I1", "on_track", None)])
    found = c.changes(before, after, events(("P1", "actuals", "value", "corrected", None)), settings_changed=True)
    assert found["cause"].tolist() == [f"{c.ACTUAL_CORRECTED}; {c.SETTINGS_CHANGED}"]


@pytest.mark.parametrize(
    ("item", "kind"),
    [
        ("budget_usd", "budget"),
        ("spent_usd", "spent"),
        ("delivery_rate", "delivery"),
        ("region:R1 delivery", "delivery"),
        ("country:KEN budget_usd", "budget"),
        ("indicators_on_track_or_achieved_share", "indicators"),
        ("projects_with_high_flag", "flags"),
        ("active_projects", "projects"),
        ("missing_currencies", "budget"),
    ],
)
def test_what_a_kpi_or_group_total_counts(item, kind) -> None:
    assert c.figure_kind(item) == kind


def test_a_flag_takes_the_causes_that_can_raise_it_and_time_otherwise() -> None:
    before = figures([project("P1")], [("P1", "I1", "on_track", None)])
    after = figures(
        [project("P1", flags="HIGH_RISK_UNMITIGATED;UNDERSPENDING")],
        [("P1", "I1", "on_track", None)],
        flags=[("P1", "HIGH_RISK_UNMITIGATED", "high"), ("P1", "UNDERSPENDING", "medium")],
        as_of=dt.date(2026, 12, 31),
    )
    found = c.changes(before, after, events(("P1", "expenditures", None, "insert", None)), settings_changed=False)
    # the risk flag is not raised by spending: its review fell overdue with time
    assert rows(found) == [
        ("flag raised", "P1", None, "HIGH_RISK_UNMITIGATED", None, None, "high", c.TIME_PASSED),
        ("flag raised", "P1", None, "UNDERSPENDING", None, None, "medium", c.SPENDING_REPORTED),
    ]
    same_day = figures(
        [project("P1", flags="HIGH_RISK_UNMITIGATED")],
        [("P1", "I1", "on_track", None)],
        flags=[("P1", "HIGH_RISK_UNMITIGATED", "high")],
    )
    found = c.changes(before, same_day, events(("P1", "risks", "mitigation", "update", None)), settings_changed=False)
    assert found["cause"].tolist() == [c.RISKS_UPDATED]


@pytest.mark.parametrize(
    ("flag", "family"),
    [
        ("RESULTS_OFF_TRACK", "results"),
        ("OVER_BUDGET", "money"),
        ("NO_RECENT_MONITORING_VISIT", "risks"),
        ("RECOMMENDATIONS_OVERDUE", "recommendations"),
        ("AAP_GAPS", "details"),
        ("ENDING_SOON_LOW_DELIVERY", "any"),
        ("SPEND_AHEAD_OF_RESULTS", "any"),
    ],
)
def test_the_family_of_each_flag(flag, family) -> None:
    assert c.FLAG_FAMILY.get(flag, "any") == family


def test_every_flag_rule_has_a_family() -> None:
    from monitoring.flags import FLAG_CODES

    assert set(FLAG_CODES) == set(c.FLAG_FAMILY)
