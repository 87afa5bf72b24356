"""evaluate_portfolio: the one code path, checked on a small hand-built portfolio as of 2024-07-01.

PX.1 (USD, 2024-01-01 → 2025-01-01, 366 days; 182 elapsed): one level indicator 0 → 100 with 30
reported, so progress 0.30 against 182/366 expected (ratio 0.603: at risk); budget 950 staff + 50
M&E = 1,000, spent 600 → burn 0.60, variance +10.27 pp (overspending); a 5 × 4 risk without
mitigation. PX.2 (EUR at 1.10): budget 2,000 EUR, nothing spent, no indicators, no risks.
PX.3 (XOF, no rate): budget 5,000 XOF, excluded from USD totals. PX.4: pipeline, never flagged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import pandas as pd
import pytest

from monitoring.evaluate import PortfolioEvaluation, evaluate_portfolio, portfolio_kpis
from monitoring.frames import PortfolioFrames, frame
from monitoring.settings import Settings

D = dt.date
AS_OF = D(2024, 7, 1)


def _project(pid, code, currency, status="active"):
    return {"project_id": pid, "project_code": code, "title": f"Project {code}", "status": status,
            "start_date": D(2024, 1, 1), "end_date": D(2025, 1, 1), "revised_end_date": None,
            "currency": currency, "high_risk_context": False, "managing_country": "KEN",
            "region": "EHoA"}


def _line(pid, line_id, category, currency, amount):
    return {"project_id": pid, "budget_line_id": line_id, "line_code": f"L{line_id}", "category": category,
            "currency": currency, "amount": amount, "original_amount": amount}


def portfolio() -> PortfolioFrames:
    return dataclasses.replace(
        PortfolioFrames.empty(),
        projects=frame("projects", [_project(1, "PX.1", "USD"), _project(2, "PX.2", "EUR"),
                                    _project(3, "PX.3", "XOF"), _project(4, "PX.4", "USD", "pipeline")]),
        indicators=frame("indicators", [{
            "indicator_id": 10, "project_id": 1, "result_id": 100, "indicator_code": "OP1.1",
            "name": "People trained", "unit": "people", "measure": "number", "direction": "increase",
            "accumulation": "level", "baseline": 0.0, "end_target": 100.0, "disaggregation": "none"}]),
        actuals=frame("actuals", [{
            "indicator_id": 10, "period_start": D(2024, 1, 1), "period_end": D(2024, 3, 31), "value": 30.0,
            "reported_on": D(2024, 4, 10), "source": "project_monitoring"}]),
        budget_lines=frame("budget_lines", [
            _line(1, 1, "staff", "USD", 950.0), _line(1, 2, "monitoring_evaluation", "USD", 50.0),
            _line(2, 3, "staff", "EUR", 2000.0), _line(3, 4, "staff", "XOF", 5000.0),
            _line(4, 5, "staff", "USD", 10.0)]),
        expenditures=frame("expenditures", [
            {"project_id": 1, "month": D(2024, 2, 1), "amount": 600.0, "currency": "USD"}]),
        fx_rates=frame("fx_rates", [{"currency": "EUR", "rate_date": D(2024, 1, 1), "usd_rate": 1.10}]),
        risks=frame("risks", [{"project_id": 1, "risk_code": "R1", "description": "floods",
                               "category": "operational", "likelihood": 5, "impact": 4, "mitigation": None,
                               "status": "open", "last_reviewed": D(2024, 6, 1)}]),
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
    assert row["expected_progress"] == pytest.approx(182 / 366)
    assert row["ratio"] == pytest.approx(0.30 / (182 / 366))
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
    assert flags["PX.4"] == ""  # pipeline
    records = evaluation.flags
    assert set(records["project_code"]) == {"PX.1", "PX.2", "PX.3"}
    assert (evaluation.projects.set_index("project_code").loc["PX.1", "n_flags_high"]
            == int(((records["project_code"] == "PX.1") & (records["severity"] == "high")).sum()))


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
    assert kpis["projects"] == 4 and kpis["active_projects"] == 3
    assert kpis["budget_usd"] == pytest.approx(1000 + 2200 + 10)  # PX.3 excluded (no XOF rate)
    assert kpis["spent_usd"] == pytest.approx(600.0)
    assert kpis["delivery_rate"] == pytest.approx(600 / 3210)
    assert kpis["projects_excluded_from_usd"] == 1 and kpis["missing_currencies"] == ["XOF"]
    assert kpis["assessable_indicators"] == 1 and kpis["indicators_on_track_share"] == 0.0
    assert kpis["projects_with_high_flag"] == 1  # PX.1 (PX.2 and PX.3 have medium/low flags only)


def test_empty_portfolio():
    evaluation = evaluate_portfolio(PortfolioFrames.empty(), AS_OF, Settings())
    assert evaluation.projects.empty and evaluation.flags.empty and evaluation.indicators.empty
    kpis = portfolio_kpis(evaluation)
    assert kpis["budget_usd"] == 0.0 and kpis["delivery_rate"] is None
    assert kpis["indicators_on_track_share"] is None


def test_settings_default_to_the_settings_file(tmp_path, monkeypatch):
    path = tmp_path / "settings.toml"
    path.write_text("overspending_above_pp = 20\n", encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_SETTINGS", str(path))
    moved = evaluate_portfolio(portfolio(), AS_OF)
    assert moved.projects.set_index("project_code").loc["PX.1", "burn_status"] == "on_pace"
