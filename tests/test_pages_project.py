"""The Project page on the hand-built portfolio (numbers computed in tests/page_portfolio.py)."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest

from tests import page_portfolio as pp
from tests.environment import SHARED_IATI, SHARED_IATI_MISSING
from tests.pages_apptest import REPO, app, table_with, texts

AS_OF = pp.AS_OF.isoformat()


@pytest.fixture(scope="module")
def hand_db(tmp_path_factory) -> str:
    return pp.create(tmp_path_factory.mktemp("pages_project") / "hand.db")


@pytest.fixture(autouse=True)
def on_hand_db(hand_db, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", hand_db)


def project_page(**query):
    """The page with ``query`` in the URL; ``tab="Risks"`` opens that tab (only the open tab runs)."""
    return app("pages/project.py", **query).run()


@pytest.mark.parametrize(
    ("code", "as_of", "status", "actual", "progress", "expected", "target_to_date"),
    [
        # 2025-01-01: judged at the cut-off 2024-12-31 (the period reported): elapsed 365/730; linear
        # target to date = 100 x 0.5 = 50 people
        ("PX.A1", pp.AS_OF, "● On track", "50 people", 0.5, "50%", "50 people"),
        ("PX.A2", pp.AS_OF, "✖ Off track", "10 people", 0.1, "50%", "50 people"),
        # 2024-06-01: the only period starts 2024-07-01, so nothing is reported yet; judged at the cut-off
        # 2024-05-02 (D − 30): 100 x 122/730 = 16.71, a count computed by the dashboard: shown whole
        ("PX.A1", pp.BEFORE_ANY_ACTUAL, "? No data", "", None, "17%", "17 people"),
    ],
)
def test_results_matrix_numbers_and_status(code, as_of, status, actual, progress, expected, target_to_date):
    at = project_page(project=code, as_of=as_of.isoformat())
    assert not at.exception
    matrix = table_with(at, "Result / indicator").set_index("Code")
    assert matrix.index.tolist() == ["O1", "OC1", "I1"]  # objective, outcome, then its indicator
    row = matrix.loc["I1"]
    assert row["Status"] == status
    assert (row["Expected"], row["Due by now"], row["Actual to date"], row["Baseline"], row["End target"]) == (
        expected,
        target_to_date,
        actual,
        "0 people",
        "100 people",
    )
    # result rows are blank, never "None"
    assert matrix.loc["OC1", ["Status", "Expected", "Why", "Due by now"]].tolist() == ["", "", "", ""]
    if progress is None:
        assert pd.isna(row["Progress"])
    else:
        assert row["Progress"] == pytest.approx(progress * 100)  # shown in percent


def test_header_states_dates_budget_and_manager():
    at = project_page(project="PX.B1", as_of=AS_OF)
    shown = texts(at)
    assert "**Dates** 1 Jan 2024 → 31 Dec 2025" in shown
    assert "**Time elapsed** 50% as of 1 Jan 2025" in shown
    assert "**Budget** USD 4.0k · spent USD 1.0k (25%)" in shown
    assert "**Manager** Ann" in shown
    assert "**Donors** Donor One" in shown


@pytest.mark.parametrize(
    ("code", "completeness"),
    [
        # PX.B1's one indicator has unit, baseline, target and a sex breakdown: no issue
        ("PX.B1", "**Data completeness** 100% of indicators without a data-quality issue"),
        ("PX.C2", "**Data completeness** 0%: no indicator recorded"),
    ],
)
def test_header_shows_the_completeness_score(code, completeness):
    at = project_page(project=code, as_of=AS_OF)
    assert completeness in texts(at)


def test_picker_in_url_and_by_key():
    at = project_page(project="PX.A2", as_of=AS_OF)
    assert at.selectbox(key="project_pick").value == "PX.A2"
    at.selectbox(key="project_pick").select("PX.C1").run()
    assert not at.exception
    assert at.query_params["project"] == "PX.C1"
    assert "PX.C1 · Project PX.C1" in texts(at)


def test_project_without_indicators_says_what_to_import():
    at = project_page(project="PX.C2", as_of=AS_OF)
    assert not at.exception
    assert "This project has no indicators yet" in texts(at)
    with pytest.raises(AssertionError):
        table_with(at, "Result / indicator")


def test_first_view_is_the_results_matrix_without_a_chart():
    at = project_page(project="PX.A1", as_of=AS_OF)
    assert [t.label for t in at.tabs][:2] == ["Results", "Indicator charts"]
    assert table_with(at, "Result / indicator").index.size
    assert not at.get("plotly_chart")  # a chart's JavaScript loads when its tab is opened


def test_indicator_charts_tab_opens_on_the_worst_indicator():
    at = project_page(project="PX.A2", as_of=AS_OF, tab="Indicator charts")
    assert not at.exception
    assert at.selectbox(key="indicator_pick").options == ["I1 · People supported"]
    assert "Off track" in texts(at) and "Result / indicator" not in [c for t in at.dataframe for c in t.value.columns]
    assert at.get("plotly_chart")
    # the tab stays open when another project is picked
    at.selectbox(key="project_pick").select("PX.A1").run()
    assert at.query_params["tab"] == "Indicator charts" and at.get("plotly_chart")


def test_risk_register_and_budget_lines():
    at = project_page(project="PX.A1", as_of=AS_OF, tab="Risks")
    register = table_with(at, "Likelihood")
    assert register[["Risk", "Status", "Likelihood", "Impact", "Score", "Level"]].values.tolist() == [
        ["R1", "Open", 3, 5, 15.0, "✖ High"]
    ]
    lines = table_with(project_page(project="PX.A1", as_of=AS_OF, tab="Financials"), "Spent to date")
    assert lines[["Line", "Budget", "Spent to date"]].values.tolist() == [["BL1", 1000.0, 500.0]]


def test_aap_checklist_lists_all_five_commitments():
    at = project_page(project="PX.A1", as_of=AS_OF, tab="AAP and markers")
    aap = table_with(at, "Commitment (IASC AAP)")
    assert len(aap) == 5
    assert set(aap["Rating"]) == {"? Not assessed"}


def test_flags_of_the_project_only():
    at = project_page(project="PX.A2", as_of=AS_OF, tab="Flags")
    flags = table_with(at, "Rule")
    assert "Results off track" in flags["Flag"].tolist()  # people's words, not RESULTS_OFF_TRACK
    assert flags.iloc[0]["Severity"] == "✖ High"


@pytest.mark.parametrize(
    ("as_of", "spending", "amount"),
    [
        # every hand project starts 2024-01-01: a month earlier nothing is due, so no "on pace"
        ("2023-12-01", ":gray-badge[:material/hourglass_empty: Not started] spending", "no expenditure yet"),
        # on the start date nothing is booked yet (all spending is in June 2024): unknown, not "0%, on pace"
        ("2024-01-01", ":orange-badge[:material/help: Not reported] spending", "spending not reported"),
        # June booked: 500 of 1,000 with 152/730 of the time elapsed, +29 pp
        ("2024-06-01", ":orange-badge[:material/trending_up: Overspending] spending", "spent USD 500 (50%)"),
    ],
)
def test_header_says_not_started_before_the_start_date_and_not_reported_before_any_expenditure(as_of, spending, amount):
    at = project_page(project="PX.A1", as_of=as_of)
    assert not at.exception
    assert spending in texts(at)
    assert f"**Budget** USD 1.0k · {amount}" in texts(at)


def test_financials_without_expenditure_say_not_reported_never_zero():
    at = project_page(project="PX.A1", as_of="2024-01-01", tab="Financials")
    lines = table_with(at, "Spent to date")
    assert lines["Use"].tolist() == ["? Not reported"]
    assert lines["Spent to date"].isna().all() and lines["Burn"].isna().all()
    titles = [c.proto.spec for c in at.get("plotly_chart")]
    assert any("No expenditure reported; 0% of the time elapsed" in t for t in titles)
    assert any("Budget by line: no expenditure reported" in t for t in titles)


IOM = SHARED_IATI / "real" / "iom_XM-DAC-47066_2021.xml"


@pytest.fixture(scope="module")
def iom_db(tmp_path_factory) -> str:
    if not IOM.exists():
        pytest.skip(SHARED_IATI_MISSING)
    url = f"sqlite:///{tmp_path_factory.mktemp('pages_project_iom') / 'iom.db'}"
    for args in (("init",), ("import", str(IOM))):
        done = subprocess.run(
            [sys.executable, "-m", "data_access", *args],
            cwd=REPO,
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr
    return url


def test_real_iom_project_without_expenditure_reads_not_reported(iom_db, monkeypatch):
    # CS.1056 (USD 18.4M, 2020-01-13 → 2025-01-12) publishes budgets and no spending; its data-quality issues are
    # all project-level (no indicators), which once broke the Data quality tab
    monkeypatch.setenv("DATABASE_URL", iom_db)
    at = project_page(project="XM-DAC-47066-CS.1056", as_of="2021-12-31")
    assert not at.exception, at.exception
    shown = texts(at)
    assert ":orange-badge[:material/help: Not reported] spending" in shown
    assert "· spending not reported" in shown and "(0%)" not in shown
    at.query_params["tab"] = "Flags"
    assert "Expenditure not reported" in table_with(at.run(), "Rule")["Flag"].tolist()
    at.query_params["tab"] = "Data quality"
    assert set(table_with(at.run(), "Issue")["Indicator"]) == {"(project)"}


def picker_codes(at) -> list[str]:
    return [o.split(" · ")[0] for o in at.selectbox(key="project_pick").options]


def test_a_small_scope_lists_every_project_without_a_search():
    at = project_page(as_of=AS_OF)
    assert not at.text_input
    assert picker_codes(at) == ["PX.A1", "PX.A2", "PX.B1", "PX.C1", "PX.C2"]


@pytest.fixture
def large_scope(monkeypatch):
    """Five projects count as many: the picker searches and lists two matches."""
    from components import project_picker

    monkeypatch.setattr(project_picker, "PLAIN_UP_TO", 4)
    monkeypatch.setattr(project_picker, "MATCHES_SHOWN", 2)


def test_a_large_scope_is_searched_on_the_server(large_scope):
    at = project_page(as_of=AS_OF)
    assert picker_codes(at) == ["PX.A1", "PX.A2"]
    assert "5 projects in view: the list shows the first 2 by code" in texts(at)
    at.text_input(key="project_pick_find").input("px.c").run()
    assert not at.exception
    # the matches best first, bounded, and the project open (PX.A1) still listed
    assert picker_codes(at) == ["PX.C1", "PX.C2", "PX.A1"]
    at.text_input(key="project_pick_find").input("px.c2").run()
    assert picker_codes(at) == ["PX.C2", "PX.A1"] and "1 of 5 projects in view match “px.c2”." in texts(at)
    at.selectbox(key="project_pick").select("PX.C2").run()
    assert at.query_params["project"] == "PX.C2" and "PX.C2 · Project PX.C2" in texts(at)
    at.text_input(key="project_pick_find").input("B").run()
    assert picker_codes(at) == ["PX.B1", "PX.C2"]


def test_a_deep_link_opens_its_project_whatever_the_search(large_scope):
    at = project_page(project="PX.C2", as_of=AS_OF)
    assert at.selectbox(key="project_pick").value == "PX.C2"
    assert picker_codes(at) == ["PX.A1", "PX.A2", "PX.C2"]
    at.text_input(key="project_pick_find").input("PX.A2").run()
    assert at.selectbox(key="project_pick").value == "PX.C2" and at.query_params["project"] == "PX.C2"
    assert not at.warning


def test_a_large_scope_never_finds_nor_opens_a_project_outside_it(large_scope, monkeypatch):
    from components import project_picker

    monkeypatch.setattr(project_picker, "PLAIN_UP_TO", 1)  # country QAA reads PX.A1 and PX.A2
    at = project_page(**{"as": "country:QAA", "project": "PX.C1", "as_of": AS_OF})
    assert not at.exception
    assert "Project PX.C1 is not in this view" in texts(at)
    assert picker_codes(at) == ["PX.A1", "PX.A2"]
    at.text_input(key="project_pick_find").input("PX.C1").run()
    assert "0 of 2 projects in view match “PX.C1”." in texts(at)
    assert picker_codes(at) == ["PX.A1"] and "PX.C1 · Project PX.C1" not in texts(at)
