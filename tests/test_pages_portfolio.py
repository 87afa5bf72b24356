"""The Portfolio page on the hand-built portfolio (numbers computed in tests/page_portfolio.py)."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

from tests import page_portfolio as pp
from tests.pages_apptest import app, metrics, table_with, texts

AS_OF = pp.AS_OF.isoformat()


@pytest.fixture(scope="module")
def hand_db(tmp_path_factory) -> str:
    return pp.create(tmp_path_factory.mktemp("pages_portfolio") / "hand.db")


@pytest.fixture(autouse=True)
def on_hand_db(hand_db, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", hand_db)


def values(data) -> list:
    """A plotly JSON array: a list, or a typed array ``{"dtype": "f8", "bdata": base64}``."""
    if isinstance(data, dict):
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


def map_figure(at) -> tuple[dict, dict]:
    (chart,) = [c for c in at.get("plotly_chart") if "choropleth" in c.proto.spec]
    return json.loads(chart.proto.spec), json.loads(chart.proto.config)


def test_kpis_of_the_whole_organisation():
    at = app(as_of=AS_OF).run()
    assert not at.exception
    # budget 1,000 + 2,000 + 4,000 + 8,000 + 1,000 = 16,000; spent 500 + 200 + 1,000 + 4,000 + 1,000 = 6,700
    assert metrics(at) == {
        "Active projects": "4",
        "Budget (USD)": "16.0k",
        "Delivery rate": "42%",
        "Indicators on track": "75%",
        "Projects flagged high": "1",
    }


@pytest.mark.parametrize(
    ("measure", "expected"),
    [
        # Alpha manages A1 (on track) and A2 (off track); Beta and Gamma none off track
        ("off_track_share", {"QAA": 0.5, "QBB": 0.0, "QCC": 0.0}),
        # spent / budget: Alpha 700 / 3,000; Beta 1,000 / 4,000; Gamma 5,000 / 9,000
        ("delivery", {"QAA": 700 / 3000, "QBB": 0.25, "QCC": 5000 / 9000}),
        # A2's RESULTS_OFF_TRACK is the only high flag
        ("high_flags", {"QAA": 1.0, "QBB": 0.0, "QCC": 0.0}),
    ],
)
def test_map_colours_countries_by_the_chosen_measure(measure, expected):
    at = app(as_of=AS_OF, measure=measure).run()
    assert not at.exception
    spec, config = map_figure(at)
    trace = spec["data"][0]
    assert dict(zip(values(trace["locations"]), values(trace["z"]), strict=True)) == pytest.approx(expected)
    assert config["topojsonURL"] == "app/static/"
    if measure != "off_track_share":
        assert at.query_params["measure"] == measure


def test_map_measure_selected_by_key_goes_to_the_url():
    at = app(as_of=AS_OF).run()
    at.segmented_control(key="map_measure").set_value("delivery").run()
    assert not at.exception
    assert at.query_params["measure"] == "delivery"
    spec, _ = map_figure(at)
    assert spec["layout"]["title"]["text"] == "Lowest delivery (spent ÷ budget): Alpha (23%)"


@pytest.mark.parametrize(
    ("query", "level_title", "names"),
    [
        ({}, "By region", ["Region A", "Region B"]),
        ({"region": "RA"}, "By country", ["Alpha", "Beta"]),
        ({"country": "QAA"}, None, None),
    ],
)
def test_drill_down_goes_region_then_country_then_projects(query, level_title, names):
    at = app(as_of=AS_OF, **query).run()
    assert not at.exception
    subheaders = [s.value for s in at.subheader]
    if level_title is None:
        assert "By region" not in subheaders and "By country" not in subheaders
        return
    assert level_title in subheaders
    summary = table_with(at, "Delivery")
    assert sorted(summary["Name"]) == names


def test_region_summary_counts():
    at = app(as_of=AS_OF).run()
    summary = table_with(at, "Delivery").set_index("Name")
    assert summary.loc["Region A", "Projects"] == 3
    assert summary.loc["Region A", "✖ Off track"] == 1
    assert summary.loc["Region A", "● On track"] == 2
    assert summary.loc["Region B", "– Not assessable"] == 1  # PX.C2 has no indicator
    assert summary.loc["Region A", "Delivery"] == pytest.approx(1700 / 7000)


def test_status_matrix_puts_the_worst_first_with_icon_and_text():
    at = app(as_of=AS_OF).run()
    matrix = table_with(at, "Results")
    assert matrix["Project"].iloc[0] == "PX.A2"
    first = matrix.iloc[0]
    assert (first["Results"], first["Finance"], first["Risk"]) == ("✖ Off track", "▼ Underspending", "✖ High")
    assert matrix.set_index("Project").loc["PX.C2", "Risk"] == "○ None"


def test_top_flags_lists_high_severity_first():
    at = app(as_of=AS_OF).run()
    flags = table_with(at, "What fired")
    assert flags.iloc[0][["Severity", "Project", "Flag"]].tolist() == ["✖ High", "PX.A2", "RESULTS_OFF_TRACK"]
    assert "How this is computed: the early-warning rules of DOMAIN.md 5" in texts(at)
