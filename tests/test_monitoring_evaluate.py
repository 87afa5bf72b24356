"""evaluate_portfolio: the one code path, checked on a small hand-built portfolio as of 2024-07-01.

PX.1 (USD, 2024-01-01 → 2025-01-01, 366 days; 182 elapsed): one level indicator 0 → 100 with 30
reported for Q1, so progress 0.30 against 152/366 expected at the reporting cut-off 2024-06-01 (D − 30
days, the Q1 report being older; DOMAIN.md 2.1): ratio 0.722, at risk; budget 950 staff + 50
M&E = 1,000, spent 600 → burn 0.60, variance +10.27 pp (overspending); a 5 × 4 risk without
mitigation. PX.2 (EUR at 1.10): budget 2,000 EUR, nothing spent (a row of 0 EUR reported), no
indicators, no risks. PX.3 (XOF, no rate): budget 5,000 XOF, no expenditure reported, excluded from
USD totals. PX.4: pipeline, never flagged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import pandas as pd
import pytest

from monitoring.evaluate import PortfolioEvaluation, evaluate_portfolio, portfolio_kpis
from monitoring.frames import PortfolioFrames, frame
from monitoring.money_rollup import usd_totals_by_place
from monitoring.settings import Settings

D = dt.date
AS_OF = D(2024, 7, 1)


def _project(pid, code, currency, status="active"):
    return {
        "project_id": pid,
        "project_code": code,
        "title": f"Project {code}",
        "status": status,
        "start_date": D(2024, 1, 1),
        "end_date": D(2025, 1, 1),
        "revised_end_date": None,
        "currency": currency,
        "high_risk_context": False,
        "managing_country": "KEN",
        "region": "EHoA",
    }


def _line(pid, line_id, category, currency, amount):
    return {
        "project_id": pid,
        "budget_line_id": line_id,
        "line_code": f"L{line_id}",
        "category": category,
        "currency": currency,
        "amount": amount,
        "original_amount": amount,
    }


def portfolio() -> PortfolioFrames:
    return dataclasses.replace(
        PortfolioFrames.empty(),
        projects=frame(
            "projects",
            [
                _project(1, "PX.1", "USD"),
                _project(2, "PX.2", "EUR"),
                _project(3, "PX.3", "XOF"),
                _project(4, "PX.4", "USD", "pipeline"),
            ],
        ),
        indicators=frame(
            "indicators",
            [
                {
                    "indicator_id": 10,
                    "project_id": 1,
                    "result_id": 100,
                    "indicator_code": "OP1.1",
                    "name": "People trained",
                    "unit": "people",
                    "measure": "number",
                    "direction": "increase",
                    "accumulation": "level",
                    "baseline": 0.0,
                    "end_target": 100.0,
                    "disaggregation": "none",
                }
            ],
        ),
        actuals=frame(
            "actuals",
            [
                {
                    "indicator_id": 10,
                    "period_start": D(2024, 1, 1),
                    "period_end": D(2024, 3, 31),
                    "value": 30.0,
                    "reported_on": D(2024, 4, 10),
                    "source": "project_monitoring",
                }
            ],
        ),
        budget_lines=frame(
            "budget_lines",
            [
                _line(1, 1, "staff", "USD", 950.0),
                _line(1, 2, "monitoring_evaluation", "USD", 50.0),
                _line(2, 3, "staff", "EUR", 2000.0),
                _line(3, 4, "staff", "XOF", 5000.0),
                _line(4, 5, "staff", "USD", 10.0),
            ],
        ),
        expenditures=frame(
            "expenditures",
            [
                {"project_id": 1, "month": D(2024, 2, 1), "amount": 600.0, "currency": "USD"},
                {"project_id": 2, "month": D(2024, 2, 1), "amount": 0.0, "currency": "EUR"},
            ],
        ),
        fx_rates=frame("fx_rates", [{"currency": "EUR", "rate_date": D(2024, 1, 1), "usd_rate": 1.10}]),
        risks=frame(
            "risks",
            [
                {
                    "project_id": 1,
                    "risk_code": "R1",
                    "description": "floods",
                    "category": "operational",
                    "likelihood": 5,
                    "impact": 4,
                    "mitigation": None,
                    "status": "open",
                    "last_reviewed": D(2024, 6, 1),
                }
            ],
        ),
    )


@pytest.fixture(scope="module")
def evaluation() -> PortfolioEvaluation:
    return evaluate_portfolio(portfolio(), AS_OF, Settings())


def test_indicator_rows_carry_codes_and_figures(evaluation):
    row = evaluation.indicators.set_index("indicator_code").loc["OP1.1"]
    assert row["project_code"] == "PX.1" and row["name"] == "People trained"
    assert row["result_id"] == 100 and row["direction"] == "increase" and row["baseline"] == 0.0
    assert row["actual_to_date"] == 30.0
    assert row["progress"] == pytest.approx(0.30)
    assert row["cutoff"] == D(2024, 6, 1)
    assert row["expected_progress"] == pytest.approx(152 / 366)
    assert row["ratio"] == pytest.approx(0.30 / (152 / 366))
    assert row["status"] == "at_risk"


def test_project_rows_join_results_money_risks_and_flags(evaluation):
    p = evaluation.projects.set_index("project_code")
    assert list(p.index) == ["PX.1", "PX.2", "PX.3", "PX.4"]
    one = p.loc["PX.1"]
    assert one["results_progress"] == pytest.approx(0.30) and one["results_status"] == "at_risk"
    assert one["burn"] == pytest.approx(0.6)
    assert one["burn_variance_pp"] == pytest.approx((0.6 - 182 / 366) * 100)
    assert one["burn_status"] == "overspending"
    assert one["me_share"] == pytest.approx(0.05)
    assert one["max_risk_score"] == 20.0 and one["n_high_open"] == 1
    assert one["flags"].split(";") == sorted(one["flags"].split(";"))


def test_results_vs_spend_on_the_project_row(evaluation):
    one = evaluation.projects.set_index("project_code").loc["PX.1"]
    assert one["results_vs_spend"] == "spend_ahead_of_results"


def test_flags_per_project(evaluation):
    flags = evaluation.projects.set_index("project_code")["flags"]
    assert set(flags["PX.1"].split(";")) >= {"OVERSPENDING", "HIGH_RISK_UNMITIGATED", "SPEND_AHEAD_OF_RESULTS"}
    assert "NO_RISK_REGISTER" not in flags["PX.1"]
    assert set(flags["PX.2"].split(";")) >= {"NO_RESULTS_FRAMEWORK", "NO_RISK_REGISTER", "UNDERSPENDING"}
    assert "EXPENDITURE_NOT_REPORTED" not in flags["PX.2"]  # 0 reported is a report
    assert "EXPENDITURE_NOT_REPORTED" in flags["PX.3"] and "UNDERSPENDING" not in flags["PX.3"]
    assert flags["PX.4"] == ""  # pipeline
    records = evaluation.flags
    assert set(records["project_code"]) == {"PX.1", "PX.2", "PX.3"}
    assert evaluation.projects.set_index("project_code").loc["PX.1", "n_flags_high"] == int(
        ((records["project_code"] == "PX.1") & (records["severity"] == "high")).sum()
    )


def test_money_in_usd_only_with_a_rate(evaluation):
    p = evaluation.projects.set_index("project_code")
    assert p.loc["PX.2", "budget"] == 2000.0 and p.loc["PX.2", "budget_usd"] == pytest.approx(2200.0)
    assert p.loc["PX.3", "budget"] == 5000.0 and math.isnan(p.loc["PX.3", "budget_usd"])
    assert p.loc["PX.3", "missing_rates"] == "XOF"


def test_risks_are_scored(evaluation):
    assert evaluation.risks.loc[0, "score"] == 20.0 and evaluation.risks.loc[0, "level"] == "high"


def test_quality_table_has_both_levels(evaluation):
    assert set(evaluation.quality.columns) == {"level", "project_id", "indicator_id", "issue", "message"}
    assert "results_framework_missing" in set(evaluation.quality.loc[evaluation.quality["project_id"] == 2, "issue"])
    assert str(evaluation.quality["indicator_id"].dtype) == "Int64"  # project rows have none, ids stay integers


def test_kpis(evaluation):
    kpis = portfolio_kpis(evaluation)
    assert kpis.projects == 4 and kpis.active_projects == 3
    # PX.3 excluded (no XOF rate); PX.4 (pipeline, USD 10) has not started: reported apart
    assert kpis.budget_usd == pytest.approx(1000 + 2200)
    assert kpis.spent_usd == pytest.approx(600.0)
    assert kpis.delivery_rate == pytest.approx(600 / 3200)
    assert kpis.budget_not_started_usd == pytest.approx(10.0) and kpis.n_not_started == 1
    assert kpis.projects_excluded_from_usd == 1 and kpis.missing_currencies == ("XOF",)
    assert kpis.projects_in_usd == 3  # PX.1, PX.2 and PX.4
    assert kpis.assessable_indicators == 1 and kpis.indicators_on_track_or_achieved_share == 0.0
    assert kpis.projects_with_high_flag == 1  # PX.1 (PX.2 and PX.3 have medium/low flags only)


def test_empty_portfolio():
    evaluation = evaluate_portfolio(PortfolioFrames.empty(), AS_OF, Settings())
    assert evaluation.projects.empty and evaluation.flags.empty and evaluation.indicators.empty
    kpis = portfolio_kpis(evaluation)
    assert kpis.budget_usd == 0.0 and kpis.delivery_rate is None
    assert kpis.indicators_on_track_or_achieved_share is None
    in_country = portfolio_kpis(
        evaluation, countries=["SEN"], project_countries=PortfolioFrames.empty().project_countries
    )
    assert in_country.budget_usd == 0.0 and in_country.projects_managed_here == 0


def test_settings_default_to_the_settings_file(tmp_path, monkeypatch):
    path = tmp_path / "settings.toml"
    path.write_text("overspending_above_pp = 20\n", encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_SETTINGS", str(path))
    moved = evaluate_portfolio(portfolio(), AS_OF)
    assert moved.projects.set_index("project_code").loc["PX.1", "burn_status"] == "on_pace"


# ---- KPIs of a country or region view (DOMAIN.md 1) and of started projects only (DOMAIN.md 3, 5) --------------
# As of 2024-07-01. NGA and SEN in region WCA, GHA too. Money in USD except PX.GH (XOF, no rate).
#
# id  code     managed  status    start       countries (share)   budget  spent (0: a row of 0, reported)
#  1  PX.NG2   NGA      active    2024-01-01  NGA 0.6, SEN 0.4    10,000  4,000
#  2  PX.SN    SEN      active    2024-01-01  SEN 1.0              2,000  1,500
#  3  PX.SNP   SEN      pipeline  2025-01-01  SEN 1.0              5,000      0   not started
#  4  PX.NG1   NGA      active    2024-01-01  NGA 1.0, SEN 0.0     1,000    500   (no percentages: managing)
#  5  PX.GH    GHA      active    2024-01-01  GHA 1.0          XOF 9,000      0   excluded: no XOF rate
#  6  PX.SNL   SEN      active    2024-09-01  SEN 1.0                800      0   not started (starts after D)
#  7  PX.NGC   NGA      closed    2023-01-01  NGA 1.0              3,000  2,700
PORTFOLIO_WCA = {  # id: (code, managing country, status, start, end, currency, budget, spent, ((country, share), ...))
    1: (
        "PX.NG2",
        "NGA",
        "active",
        D(2024, 1, 1),
        D(2025, 12, 31),
        "USD",
        10000.0,
        4000.0,
        (("NGA", 0.6), ("SEN", 0.4)),
    ),
    2: ("PX.SN", "SEN", "active", D(2024, 1, 1), D(2025, 12, 31), "USD", 2000.0, 1500.0, (("SEN", 1.0),)),
    3: ("PX.SNP", "SEN", "pipeline", D(2025, 1, 1), D(2026, 1, 1), "USD", 5000.0, 0.0, (("SEN", 1.0),)),
    4: ("PX.NG1", "NGA", "active", D(2024, 1, 1), D(2025, 12, 31), "USD", 1000.0, 500.0, (("NGA", 1.0), ("SEN", 0.0))),
    5: ("PX.GH", "GHA", "active", D(2024, 1, 1), D(2025, 12, 31), "XOF", 9000.0, 0.0, (("GHA", 1.0),)),
    6: ("PX.SNL", "SEN", "active", D(2024, 9, 1), D(2025, 9, 1), "USD", 800.0, 0.0, (("SEN", 1.0),)),
    7: ("PX.NGC", "NGA", "closed", D(2023, 1, 1), D(2024, 1, 1), "USD", 3000.0, 2700.0, (("NGA", 1.0),)),
}


def country_portfolio() -> PortfolioFrames:
    projects, lines, spending, shares = [], [], [], []
    for pid, (code, iso, status, start, end, currency, budget, spent, countries) in PORTFOLIO_WCA.items():
        projects.append(
            {
                **_project(pid, code, currency, status),
                "managing_country": iso,
                "region": "WCA",
                "start_date": start,
                "end_date": end,
            }
        )
        lines.append(_line(pid, pid, "staff", currency, budget))
        spending.append({"project_id": pid, "month": start, "amount": spent, "currency": currency})
        shares += [{"project_id": pid, "country": c, "region": "WCA", "share": s} for c, s in countries]
    return dataclasses.replace(
        PortfolioFrames.empty(),
        projects=frame("projects", projects),
        budget_lines=frame("budget_lines", lines),
        expenditures=frame("expenditures", spending),
        project_countries=frame("project_countries", shares),
        fx_rates=frame("fx_rates", [{"currency": "USD", "rate_date": D(2020, 1, 1), "usd_rate": 1.0}]),
    )


@pytest.fixture(scope="module")
def country_frames() -> PortfolioFrames:
    return country_portfolio()


@pytest.fixture(scope="module")
def country_evaluation(country_frames) -> PortfolioEvaluation:
    return evaluate_portfolio(country_frames, AS_OF, Settings())


VIEW_KEYS = (
    "budget_usd",
    "spent_usd",
    "delivery_rate",
    "budget_not_started_usd",
    "n_not_started",
    "active_projects",
    "active_projects_managed_elsewhere",
    "projects_managed_here",
    "projects_managed_elsewhere",
    "projects_in_usd",
    "projects_excluded_from_usd",
)


@pytest.mark.parametrize(
    ("countries", "expected"),
    [
        # the organisation: every started project in full, 10,000 + 2,000 + 1,000 + 3,000; PX.SNP and PX.SNL
        # (5,000 + 800) apart; active = NG2, SN, NG1, GH (SNL has not started); GH excluded (no XOF rate)
        (None, (16000.0, 8700.0, 8700 / 16000, 5800.0, 2, 4, 0, 7, 0, 6, 1, ("XOF",))),
        # Senegal: 40% of NG2 (4,000 / 1,600) + SN (2,000 / 1,500) = 6,000 / 3,100; NG1 has 0% there but
        # is implemented there; managed here SN, SNP, SNL; elsewhere NG2, NG1 (both active)
        (["SEN"], (6000.0, 3100.0, 3100 / 6000, 5800.0, 2, 1, 2, 3, 2, 5, 0, ())),
        # Nigeria: 60% of NG2 (6,000 / 2,400) + NG1 (1,000 / 500) + NGC (3,000 / 2,700) = 10,000 / 5,600
        (["NGA"], (10000.0, 5600.0, 0.56, 0.0, 0, 2, 0, 3, 0, 3, 0, ())),
        # Ghana: only the XOF project, left out of the sums
        (["GHA"], (0.0, 0.0, None, 0.0, 0, 1, 0, 1, 0, 0, 1, ("XOF",))),
        # a regional director of Nigeria and Senegal: NG2 whole again (60% + 40%), 16,000 / 8,700
        (["NGA", "SEN"], (16000.0, 8700.0, 8700 / 16000, 5800.0, 2, 3, 0, 6, 0, 6, 0, ())),
    ],
)
def test_kpis_of_a_view_share_multi_country_money_and_leave_out_projects_not_started(
    country_evaluation, country_frames, countries, expected
):
    kpis = portfolio_kpis(country_evaluation, countries=countries, project_countries=country_frames.project_countries)
    *numbers, missing = expected
    assert tuple(getattr(kpis, k) for k in VIEW_KEYS) == pytest.approx(tuple(numbers))
    assert kpis.missing_currencies == missing
    assert kpis.projects == 7  # every project of the evaluation, whatever the view


def test_country_view_before_a_pipeline_start_counts_it_apart(country_frames):
    # as of 2025-02-01 PX.SNP (pipeline, start 2025-01-01) has still not started: a status, not a date
    later = evaluate_portfolio(country_frames, D(2025, 2, 1), Settings())
    kpis = portfolio_kpis(later, countries=["SEN"], project_countries=country_frames.project_countries)
    assert kpis.budget_not_started_usd == pytest.approx(5000.0) and kpis.n_not_started == 1
    assert kpis.budget_usd == pytest.approx(6000.0 + 800.0)  # PX.SNL started on 2024-09-01


@pytest.mark.parametrize("countries", [["SEN"], ["NGA"], ["GHA"], ["NGA", "SEN"]])
def test_kpi_card_equals_the_by_country_rows_in_view(country_evaluation, country_frames, countries):
    # the Finance page's rows (monitoring.money_rollup) of the countries in view add up to the card
    rows = usd_totals_by_place(country_evaluation.projects, country_frames.project_countries, "managing_country", AS_OF)
    rows = rows[rows["group"].isin(countries)]
    kpis = portfolio_kpis(country_evaluation, countries=countries, project_countries=country_frames.project_countries)
    for key in ("budget_usd", "spent_usd", "budget_not_started_usd", "n_not_started"):
        assert getattr(kpis, key) == pytest.approx(float(rows[key].sum())), key


def test_a_country_view_needs_the_country_shares(country_evaluation):
    with pytest.raises(ValueError, match="project_countries"):
        portfolio_kpis(country_evaluation, countries=["SEN"])


@pytest.mark.parametrize(
    ("status", "start", "budget_usd", "budget_not_started_usd", "active"),
    [
        ("active", D(2024, 7, 1), 1000.0, 0.0, 1),  # starts on the as-of date
        ("active", D(2024, 7, 2), 0.0, 1000.0, 0),  # starts the day after
        ("closed", D(2023, 1, 1), 1000.0, 0.0, 0),
        ("pipeline", D(2024, 1, 1), 0.0, 1000.0, 0),  # start date passed, not approved: not under delivery
    ],
)
def test_only_started_projects_count_in_budget_and_delivery(status, start, budget_usd, budget_not_started_usd, active):
    one = dataclasses.replace(
        PortfolioFrames.empty(),
        projects=frame("projects", [{**_project(1, "PX.1", "USD", status), "start_date": start}]),
        budget_lines=frame("budget_lines", [_line(1, 1, "staff", "USD", 1000.0)]),
        expenditures=frame("expenditures", [{"project_id": 1, "month": start, "amount": 0.0, "currency": "USD"}]),
        fx_rates=frame("fx_rates", [{"currency": "USD", "rate_date": D(2020, 1, 1), "usd_rate": 1.0}]),
    )
    kpis = portfolio_kpis(evaluate_portfolio(one, AS_OF, Settings()))
    assert (kpis.budget_usd, kpis.budget_not_started_usd, kpis.active_projects) == (
        budget_usd,
        budget_not_started_usd,
        active,
    )
    assert kpis.n_not_started == (1 if budget_not_started_usd else 0)


@pytest.mark.parametrize(
    ("statuses", "good", "assessable", "share"),
    [
        (["on_track", "achieved", "at_risk", "off_track"], 2, 4, 0.5),
        (["achieved", "achieved", "at_risk"], 2, 3, 2 / 3),
        # not assessable, not due and no data are outside the denominator
        (["on_track", "no_data", "not_due", "not_assessable"], 1, 1, 1.0),
        (["no_data", "not_due"], 0, 0, None),
    ],
)
def test_indicators_on_track_or_achieved(country_evaluation, statuses, good, assessable, share):
    evaluation = dataclasses.replace(country_evaluation, indicators=pd.DataFrame({"status": statuses}))
    kpis = portfolio_kpis(evaluation)
    assert kpis.indicators_on_track_or_achieved == good and kpis.assessable_indicators == assessable
    assert kpis.indicators_on_track_or_achieved_share == pytest.approx(share)


# ---- projects that have not reported expenditure (DOMAIN.md 3: spending unknown, never 0) ------------------
# As of 2024-07-01, all USD, all started 2024-01-01 and managed in KEN except PX.U3 (UGA):
#   PX.R1  budget 1,000, spent 400 (reported)
#   PX.R0  budget 1,000, a row of 0 (reported: nothing spent, in delivery)
#   PX.U1  budget 3,000, no expenditure row: not reported
#   PX.U2  closed (ended 2024-06-30), budget 500, no expenditure row: not reported, no flag
#   PX.U3  budget 2,000, no expenditure row, managed in UGA, 50% in KEN
# Organisation: delivery = 400 / 2,000 = 20% (not 400 / 7,500 = 5.3%); not reported 3,000 + 500 + 2,000 = 5,500.
# Kenya: the same 400 / 2,000; not reported 3,000 + 500 + 50% of 2,000 = 4,500, 2 managed here, 1 elsewhere.
def unreported_portfolio() -> PortfolioFrames:
    rows = {
        1: ("PX.R1", "KEN", "active", 1000.0, 400.0),
        2: ("PX.R0", "KEN", "active", 1000.0, 0.0),
        3: ("PX.U1", "KEN", "active", 3000.0, None),
        4: ("PX.U2", "KEN", "closed", 500.0, None),
        5: ("PX.U3", "UGA", "active", 2000.0, None),
    }
    shares = [
        {"project_id": 5, "country": "UGA", "region": "EHoA", "share": 0.5},
        {"project_id": 5, "country": "KEN", "region": "EHoA", "share": 0.5},
    ]
    return dataclasses.replace(
        PortfolioFrames.empty(),
        projects=frame(
            "projects",
            [
                {
                    **_project(pid, code, "USD", status),
                    "managing_country": iso,
                    **({"end_date": D(2024, 6, 30)} if status == "closed" else {}),
                }
                for pid, (code, iso, status, _, _) in rows.items()
            ],
        ),
        budget_lines=frame(
            "budget_lines", [_line(pid, pid, "staff", "USD", b) for pid, (_, _, _, b, _) in rows.items()]
        ),
        expenditures=frame(
            "expenditures",
            [
                {"project_id": pid, "month": D(2024, 3, 1), "amount": x, "currency": "USD"}
                for pid, (_, _, _, _, x) in rows.items()
                if x is not None
            ],
        ),
        project_countries=frame("project_countries", shares),
        fx_rates=frame("fx_rates", [{"currency": "USD", "rate_date": D(2020, 1, 1), "usd_rate": 1.0}]),
    )


@pytest.mark.parametrize(
    ("countries", "expected"),
    [
        (None, (2000.0, 400.0, 0.2, 5500.0, 3, 0)),
        (["KEN"], (2000.0, 400.0, 0.2, 4500.0, 2, 1)),
        (["UGA"], (0.0, 0.0, None, 1000.0, 1, 0)),
    ],
)
def test_projects_without_expenditure_are_out_of_delivery_and_counted_apart(countries, expected):
    frames = unreported_portfolio()
    evaluation = evaluate_portfolio(frames, AS_OF, Settings())
    kpis = portfolio_kpis(evaluation, countries=countries, project_countries=frames.project_countries)
    keys = (
        "budget_usd",
        "spent_usd",
        "delivery_rate",
        "budget_not_reported_usd",
        "n_not_reported",
        "n_not_reported_managed_elsewhere",
    )
    assert tuple(getattr(kpis, k) for k in keys) == pytest.approx(expected)
    assert kpis.projects_excluded_from_usd == 0  # unknown spending is not a missing exchange rate
    p = evaluation.projects.set_index("project_code")
    assert p.loc["PX.R0", "burn_status"] == "underspending" and p.loc["PX.R0", "spent"] == 0.0
    assert set(p.loc[["PX.U1", "PX.U2", "PX.U3"], "burn_status"]) == {"not_reported"}
    assert p.loc[["PX.U1", "PX.U2", "PX.U3"], ["spent", "burn", "forecast_delivery"]].isna().all().all()
    flagged = evaluation.flags.groupby("code")["project_code"].agg(sorted)
    assert flagged["EXPENDITURE_NOT_REPORTED"] == ["PX.U1", "PX.U3"]  # PX.U2 is closed
    assert "PX.U1" not in flagged.get("UNDERSPENDING", []) and "PX.U1" not in flagged.get("FORECAST_UNDERSPEND", [])
    # the by-country rows agree with the card
    rows = usd_totals_by_place(evaluation.projects, frames.project_countries, "managing_country", AS_OF)
    if countries:
        mine = rows[rows["group"].isin(countries)]
        assert float(mine["budget_not_reported_usd"].sum()) == pytest.approx(expected[3])
        assert int(mine["n_not_reported"].sum()) == expected[4]
