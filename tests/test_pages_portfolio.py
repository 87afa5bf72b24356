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
    # short labels (whole at 1280 px); what each counts is the line under the card and its help
    assert metrics(at) == {
        "Active projects": "4",
        "Budget (USD)": "16.0k",
        "Delivery": "42%",
        "On track": "75%",
        "Flagged high": "1",
    }
    assert "indicators on track or achieved, of 4 assessable" in texts(at)
    assert "all projects in full" in texts(at)


@pytest.mark.parametrize(
    ("query", "budget", "delivery", "attributed"),
    [
        # Alpha manages A1 (1,000; spent 500) and A2 (2,000; spent 200): 3,000, 700 / 3,000 = 23%
        ({"as": "country:QAA"}, "3.0k", "23%", "attributed to Alpha"),
        # region RA = Alpha + Beta: 3,000 + 4,000 = 7,000; (700 + 1,000) / 7,000 = 24%
        ({"region": "RA"}, "7.0k", "24%", "attributed to Alpha and Beta"),
    ],
)
def test_cards_count_the_money_of_the_countries_in_view(query, budget, delivery, attributed):
    at = app(as_of=AS_OF, **query).run()
    assert not at.exception
    shown = metrics(at)
    assert (shown["Budget (USD)"], shown["Delivery"]) == (budget, delivery)
    assert attributed in texts(at)


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
    at = app(as_of=AS_OF, measure=measure, tab="Map").run()
    assert not at.exception
    spec, config = map_figure(at)
    trace = spec["data"][0]
    assert dict(zip(values(trace["locations"]), values(trace["z"]), strict=True)) == pytest.approx(expected)
    assert config["topojsonURL"] == "app/static/"
    if measure != "off_track_share":
        assert at.query_params["measure"] == measure


def test_map_is_drawn_only_when_its_tab_is_open():
    at = app(as_of=AS_OF).run()
    assert not [c for c in at.get("plotly_chart") if "choropleth" in c.proto.spec]


def test_map_measure_selected_by_key_goes_to_the_url():
    at = app(as_of=AS_OF, tab="Map").run()
    at.segmented_control(key="map_measure").set_value("delivery").run()
    assert not at.exception
    assert at.query_params["measure"] == "delivery"
    spec, _ = map_figure(at)
    assert spec["layout"]["title"]["text"] == "Lowest delivery (spent ÷ budget): Alpha (23%)"


def test_map_title_counts_projects_off_track():
    at = app(as_of=AS_OF, tab="Map").run()
    spec, _ = map_figure(at)
    # Alpha: A2 off track of A1, A2
    assert spec["layout"]["title"]["text"] == "Highest share of projects off track: Alpha, 1 of 2 projects (50%)"


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
    tab_labels = [t.label for t in at.tabs]
    if level_title is None:
        assert "By region" not in tab_labels and "By country" not in tab_labels
        return
    assert level_title in tab_labels
    at = app(as_of=AS_OF, tab=level_title, **query).run()
    summary = table_with(at, "Delivery")
    assert sorted(summary["Name"]) == names


def test_region_summary_counts():
    at = app(as_of=AS_OF, tab="By region").run()
    summary = table_with(at, "Delivery").set_index("Name")
    assert summary.loc["Region A", "Projects"] == 3
    assert summary.loc["Region A", "✖ Off track"] == 1
    assert summary.loc["Region A", "● On track"] == 2
    assert summary.loc["Region B", "– Not assessable"] == 1  # PX.C2 has no indicator
    # shown in percent (whole percent on screen, like the Delivery card)
    assert summary.loc["Region A", "Delivery"] == pytest.approx(1700 / 7000 * 100)
    # the rows add up to the Budget card (16.0k)
    assert summary["Budget (USD)"].sum() == pytest.approx(16_000)


def test_status_matrix_puts_the_worst_first_with_icon_and_text():
    at = app(as_of=AS_OF).run()
    matrix = table_with(at, "Results")
    assert matrix["Project"].iloc[0] == "PX.A2"
    # the decisive columns first: on screen at 1280 px without scrolling
    assert list(matrix.columns)[:9] == [
        "Project",
        "Results",
        "Finance",
        "Burn",
        "Elapsed",
        "Forecast",
        "Risk",
        "High flags",
        "Flags",
    ]
    first = matrix.iloc[0]
    assert (first["Results"], first["Finance"], first["Risk"]) == ("✖ Off track", "▼ Underspending", "✖ High")
    # PX.C2 has no risk recorded at all: a gap (NO_RISK_REGISTER), not a green "none"
    assert matrix.set_index("Project").loc["PX.C2", "Risk"] == "∅ No register"


def test_top_flags_lists_high_severity_first():
    at = app(as_of=AS_OF).run()
    flags = table_with(at, "What fired")
    assert flags.iloc[0][["Severity", "Project", "Flag"]].tolist() == ["✖ High", "PX.A2", "Results off track"]
    assert "How this is computed: early-warning signals checked on every active project that has started" in texts(at)
