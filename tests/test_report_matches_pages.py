"""`python -m data_access report` and the pages show the same numbers (issue 3: one code path).

The report is run as a user runs it (a subprocess on the database file) and compared with what the
Off-track page lists for every indicator that needs attention and what the Finance page lists for
every project, on the seeded sample portfolio and on a real IATI file imported through the CLI.
Nothing is recomputed here: both sides are read as a person would read them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys

import pytest

from components.badges import label
from components.tables import SHOWN_ROWS
from tests import page_portfolio as pp
from tests.environment import SHARED_IATI, SHARED_IATI_MISSING
from tests.pages_apptest import REPO, app, table_with

DUTCH_NGOS = SHARED_IATI / "real" / "dutch_ngos_results_2021.xml"
IOM = SHARED_IATI / "real" / "iom_XM-DAC-47066_2021.xml"  # budgets, no spending at all
SAMPLE_AS_OF = dt.date(2025, 6, 30)
IATI_AS_OF = dt.date(2020, 12, 31)
PAGE_STATUS = {"✖ Off track": "off_track", "▲ At risk": "at_risk", "? No data": "no_data"}
# statuses are compared as the page words them: the report's code through the app's one label function


def cli(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, "-m", "data_access", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    return done


def report(url: str, which: str, as_of: dt.date) -> list[dict[str, str]]:
    out = cli(url, "report", which, "--as-of", as_of.isoformat(), "--format", "csv").stdout
    return list(csv.DictReader(io.StringIO(out)))


def number(text: str) -> float | None:
    return float(text) if text not in ("", None) else None


def assert_same(shown, reported: float | None, scale: float, where) -> None:
    """A page cell equals the report's value (scaled for display); an empty report cell is empty."""
    if reported is None:
        assert shown is None or shown != shown, where  # None or NaN
    else:
        assert shown == pytest.approx(reported * scale, rel=1e-9, abs=1e-9), where


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory) -> str:
    return pp.create_sample(
        tmp_path_factory.mktemp("report_pages") / "sample.db", projects=60, seed=3, today=SAMPLE_AS_OF
    )


def imported(tmp_path_factory, path) -> str:
    """A SQLite file with ``path`` imported through the command line, as a user would."""
    if not path.exists():
        pytest.skip(SHARED_IATI_MISSING)
    url = f"sqlite:///{tmp_path_factory.mktemp('report_pages') / 'iati.db'}"
    cli(url, "init")
    cli(url, "import", str(path))
    return url


@pytest.fixture(scope="module")
def iati_url(tmp_path_factory) -> str:
    return imported(tmp_path_factory, DUTCH_NGOS)


@pytest.fixture(scope="module")
def iom_url(tmp_path_factory) -> str:
    return imported(tmp_path_factory, IOM)


@pytest.fixture(params=["sample", "iati"])
def database(request, monkeypatch) -> tuple[str, dt.date]:
    url, as_of = (
        (request.getfixturevalue("sample_url"), SAMPLE_AS_OF)
        if request.param == "sample"
        else (request.getfixturevalue("iati_url"), IATI_AS_OF)
    )
    monkeypatch.setenv("DATABASE_URL", url)
    return url, as_of


def open_page(page: str, as_of: dt.date, tab: str | None = None):
    """``page`` as of ``as_of``; ``tab="Flags"`` opens that tab as a link does (only the open tab runs)."""
    at = app("app.py", as_of=as_of.isoformat()).run()
    at.switch_page(f"pages/{page}.py").run()
    if tab is not None:
        at.query_params["tab"] = tab
        at.run()
    assert not at.exception, at.exception
    return at


def test_off_track_page_lists_exactly_the_reported_statuses_and_numbers(database):
    url, as_of = database
    rows = report(url, "indicators", as_of)
    expected = {(r["project_code"], r["indicator_code"]): r for r in rows if r["status"] in PAGE_STATUS.values()}
    assert expected, "the portfolio should have indicators needing attention on this date"

    table = table_with(open_page("off_track", as_of), "Gap (pp)")
    shown = {}
    for rec in table.to_dict("records"):
        shown[(rec["Project"], rec["Indicator"].split(" · ", 1)[0])] = rec
    assert set(shown) == set(expected)
    for key, rec in shown.items():
        want = expected[key]
        assert PAGE_STATUS[rec["Status"]] == want["status"], key
        # the page shows shares as percentage points (x 100); the report keeps 0-1 shares
        for page_col, report_col, scale in (
            ("Actual to date", "actual_to_date", 1),
            ("Progress", "progress", 100),
            ("Expected", "expected_progress", 100),
            ("Reports overdue", "reports_overdue", 1),
        ):
            assert_same(rec[page_col], number(want[report_col]), scale, (key, page_col))
        # the date the expectation is for (DOMAIN.md 2.1's reporting cut-off) and the sentence naming it
        assert str(rec["Judged at"])[:10] == want["cutoff"], key
        assert rec["Why"] == want["reason"], key
    overdue = sum(1 for r in rows if int(r["reports_overdue"]) > 0)
    assert metrics_of(open_page("off_track", as_of))["With reports overdue"] == f"{overdue:,}"


def metrics_of(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_finance_page_shows_the_reported_burn_and_statuses(database):
    finance_page_matches_report(*database)


def test_finance_page_and_report_agree_that_iom_spending_is_not_reported(iom_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", iom_url)
    shown = finance_page_matches_report(iom_url, dt.date(2021, 12, 31))  # every activity started by then
    assert set(shown["Finance"]) == {label("not_reported")}


def finance_page_matches_report(url: str, as_of: dt.date):
    """Every project row of the Finance page equals the report's row; returns the page's table."""
    expected = {r["project_code"]: r for r in report(url, "projects", as_of)}
    table = table_with(open_page("finance", as_of, tab="Every project"), "Variance (pp)")
    assert set(table["Project"]) == set(expected)
    for rec in table.to_dict("records"):
        want = expected[rec["Project"]]
        assert rec["Currency"] == want["currency"]
        for page_col, report_col, scale in (
            ("Budget", "budget", 1),
            ("Spent", "spent", 1),
            ("Burn", "burn", 100),
            ("Planned burn", "planned_burn", 100),
            ("Variance (pp)", "burn_variance_pp", 1),
        ):
            assert_same(rec[page_col], number(want[report_col]), scale, (rec["Project"], page_col))
        assert rec["Finance"] == label(want["burn_status"]), rec["Project"]
    return table


SEVERITY_RANK = {label(s): rank for rank, s in enumerate(("high", "medium", "low"))}


def test_risks_page_flags_and_money_at_stake_match_the_report_on_the_iom_file(iom_url, monkeypatch):
    """The IOM file's stale "active" activities carry PAST_END_DATE on the page as in the report, and
    the page's flag list is ordered by severity, then by the money at stake the report prints."""
    monkeypatch.setenv("DATABASE_URL", iom_url)
    as_of = dt.date(2021, 12, 31)
    flags = report(iom_url, "flags", as_of)
    projects = {r["project_code"]: r for r in report(iom_url, "projects", as_of)}
    past_end = {r["project_code"] for r in flags if r["code"] == "PAST_END_DATE"}
    # every one is active and ended more than the 30-day grace before the date, and only those
    stale = {
        code
        for code, r in projects.items()
        if r["status"] == "active"
        and dt.date.fromisoformat(r["revised_end_date"] or r["end_date"]) < dt.date(2021, 12, 1)
    }
    assert past_end == stale and len(stale) >= 50

    captions = [c.value for c in open_page("risks", as_of).caption]  # the first tab: risks to act on
    assert "No open high risk is recorded in view." in captions  # no register: not "every one is managed"
    at = open_page("risks", as_of, tab="Flags")
    assert any(c.value.startswith(f"{len(flags):,} flags, high severity first.") for c in at.caption)
    table = table_with(at, "Code")
    reported = {(r["project_code"], r["code"], r["message"]) for r in flags}
    shown = list(zip(table["Project"], table["Code"], table["What fired"], strict=True))
    assert set(shown) <= reported and len(shown) == min(len(reported), SHOWN_ROWS)
    assert "PAST_END_DATE" in set(table["Code"])
    for rec in table.to_dict("records"):
        assert rec["At stake (USD)"] == pytest.approx(round(float(projects[rec["Project"]]["at_stake_usd"])))
    ranks = [(SEVERITY_RANK[s], -stake) for s, stake in zip(table["Severity"], table["At stake (USD)"], strict=True)]
    assert ranks == sorted(ranks)
