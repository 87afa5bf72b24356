"""Chart builders of the analysis pages (Off-track, Finance, Risks, Cross-cutting, Strategy), tested on
their figure data with hand-built frames: expected values are typed in, never recomputed."""

from __future__ import annotations

import pandas as pd
import pytest

from components import (
    charts_common,
    charts_finance,
    charts_markers,
    charts_off_track,
    charts_risks,
    charts_strategy,
    view_groups,
)
from data_access.scope import PortfolioFilter, Scope
from monitoring.settings import Settings

SETTINGS = Settings()
NAN = float("nan")


def title(fig) -> str:
    """The title as one sentence (long titles are wrapped with <br> in place of a space)."""
    return fig.layout.title.text.replace("<br>", " ")


def trace(fig, name):
    """The trace whose legend name is ``name`` (legend names carry the words of the status)."""
    matches = [t for t in fig.data if t.name == name]
    assert len(matches) == 1, [t.name for t in fig.data]
    return matches[0]


# ---- finance --------------------------------------------------------------------------------------
AS_OF = pd.Timestamp("2025-01-01").date()
FINANCE = pd.DataFrame(
    {
        "project_code": ["P1", "P2", "P3", "P4", "P5", "P6"],
        "status": ["active", "active", "closed", "active", "active", "active"],
        "start_date": [pd.Timestamp("2024-01-01").date()] * 6,
        "burn": [0.20, 0.50, 0.75, 1.10, float("nan"), 0.10],
        "planned_burn": [0.50, 0.55, 0.60, 0.90, 0.40, 0.40],
        "planned_basis": ["elapsed", "plan", "elapsed", "elapsed", "elapsed", "elapsed"],
        "burn_variance_pp": [-30.0, -5.0, 15.0, 20.0, float("nan"), -30.0],
        "burn_status": ["underspending", "on_pace", "overspending", "over_budget", "undefined", "underspending"],
        "forecast_delivery": [0.40, 0.95, 1.30, 2.50, float("nan"), 0.84],
        "forecast_status": ["underspend", "on_target", "overspend", "overspend", "undefined", "underspend"],
    }
)


def test_burn_scatter_places_each_project_in_its_status_trace_in_percent():
    fig = charts_finance.burn_scatter(FINANCE, SETTINGS, AS_OF)
    under = trace(fig, "Underspending")
    assert list(under.x) == [50.0, 40.0] and list(under.y) == [20.0, 10.0]
    assert list(trace(fig, "On pace").y) == [50.0]
    assert list(trace(fig, "Overspending").x) == pytest.approx([60.0])
    assert list(trace(fig, "Over budget").y) == pytest.approx([110.0])
    # marker shapes differ per status: never colour alone
    assert under.marker.symbol == "triangle-down"
    assert trace(fig, "Over budget").marker.symbol == "x"


def test_burn_scatter_draws_the_settings_bands_and_states_the_finding():
    fig = charts_finance.burn_scatter(FINANCE, SETTINGS, AS_OF)
    assert list(trace(fig, "Overspending line (+10 pp)").y) == [10.0, 110.0]
    assert list(trace(fig, "Underspending line (-15 pp)").y) == [-15.0, 85.0]
    # P5 has no burn and is left out: 5 projects drawn, 2 underspending, 2 over
    assert title(fig) == ("2 of 5 projects are underspending by more than 15 points; 2 overspending or over budget")
    assert "% of budget" in fig.layout.xaxis.title.text and "% of budget" in fig.layout.yaxis.title.text


def test_burn_scatter_bands_follow_settings():
    fig = charts_finance.burn_scatter(FINANCE, Settings(underspending_below_pp=-20, overspending_above_pp=5), AS_OF)
    assert list(trace(fig, "Underspending line (-20 pp)").y) == [-20.0, 80.0]
    assert "more than 20 points" in title(fig)


def test_burn_scatter_leaves_out_projects_not_started_and_says_how_many():
    # a pipeline project with a budget and nothing spent, and an active one starting next month:
    # both would sit at (0, 0); neither is drawn, the title states the finding only and
    # not_started_count gives the page the number for its how-computed note
    waiting = pd.DataFrame(
        {
            "project_code": ["PIPE", "LATE"],
            "status": ["pipeline", "active"],
            "start_date": [pd.Timestamp("2024-01-01").date(), pd.Timestamp("2025-02-01").date()],
            "burn": [0.0, 0.0],
            "planned_burn": [0.0, 0.0],
            "planned_basis": ["elapsed", "elapsed"],
            "burn_variance_pp": [0.0, 0.0],
            "burn_status": ["on_pace", "on_pace"],
            "forecast_delivery": [NAN, NAN],
            "forecast_status": ["undefined", "undefined"],
        }
    )
    fig = charts_finance.burn_scatter(pd.concat([FINANCE, waiting], ignore_index=True), SETTINGS, AS_OF)
    assert list(trace(fig, "On pace").customdata[:, 0]) == ["P2"]
    assert title(fig) == "2 of 5 projects are underspending by more than 15 points; 2 overspending or over budget"
    assert charts_finance.not_started_count(pd.concat([FINANCE, waiting], ignore_index=True), AS_OF) == 2


def test_burn_scatter_without_any_known_burn_is_a_message_not_empty_axes():
    fig = charts_finance.burn_scatter(FINANCE.iloc[[4]], SETTINGS, AS_OF)
    assert len(fig.data) == 0
    assert fig.layout.annotations[0].text.startswith("No project in this view has started with a budget")


def test_burn_scatter_leaves_out_projects_that_reported_no_expenditure_and_counts_them():
    silent = FINANCE.iloc[[0]].assign(project_code="SILENT", burn=NAN, burn_variance_pp=NAN, burn_status="not_reported")
    assert charts_finance.not_reported_count(pd.concat([FINANCE, silent], ignore_index=True)) == 1
    fig = charts_finance.burn_scatter(silent, SETTINGS, AS_OF)
    assert len(fig.data) == 0
    assert fig.layout.annotations[0].text.endswith("(0 not started yet, 1 with no expenditure reported).")


def test_forecast_histogram_caps_the_tail_and_counts_statuses():
    fig = charts_finance.forecast_histogram(FINANCE, SETTINGS)
    (hist,) = fig.data
    assert list(hist.x) == pytest.approx([40.0, 95.0, 130.0, 197.5, 84.0])  # 250% drawn in the last bin
    # 5-point bins: 85 and 100 are bin edges (84% and 95% fall in different bars than 85% and 100%)
    assert (hist.xbins.start, hist.xbins.size, hist.xbins.end) == (0, 5.0, 200)
    assert title(fig) == (
        "2 of 5 projects are forecast to spend less than 85% of their budget by the end; 2 more than 100%"
    )


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [(0.85, 1.00, 5.0), (0.80, 1.00, 10.0), (0.90, 1.10, 10.0), (0.875, 1.00, 1.0), (0.83, 1.00, 1.0)],
)
def test_forecast_bins_put_both_limits_on_bin_edges(low, high, expected):
    assert charts_finance.forecast_bin_pp(Settings(forecast_low_below=low, forecast_high_above=high)) == expected


TOTALS = pd.DataFrame(
    {
        "group": ["ECHO", "USAID", "Japan", "Nobody"],
        "budget_usd": [1_000_000.0, 4_000_000.0, 500_000.0, 0.0],
        "spent_usd": [600_000.0, 1_000_000.0, 450_000.0, 0.0],
    }
)


def test_delivery_by_group_orders_by_budget_labels_delivery_and_names_the_lowest():
    fig = charts_finance.delivery_by_group(TOTALS, group_label="Donor", noun="donors")
    budget, spent = fig.data
    assert list(budget.y) == ["Japan", "ECHO", "USAID"]  # largest at the top; zero budget left out
    assert list(spent.x) == [450_000.0, 600_000.0, 1_000_000.0]
    assert list(spent.text) == ["90%", "60%", "25%"]
    assert title(fig) == ("3 donors have spent 37% of USD 5.5M; lowest delivery: USAID (25%)")
    assert fig.layout.xaxis.title.text == "Amount (USD)"


def test_delivery_by_group_says_when_only_the_largest_are_shown():
    fig = charts_finance.delivery_by_group(TOTALS, group_label="Donor", noun="donors", top=2)
    assert list(fig.data[0].y) == ["ECHO", "USAID"]
    assert title(fig).startswith("The 2 largest of 3 donors have spent 32% of USD 5.0M")


def test_delivery_by_group_of_one_country_reads_in_the_singular():
    fig = charts_finance.delivery_by_group(TOTALS.iloc[[0]], group_label="Country", noun="countries")
    assert title(fig) == "1 country has spent 60% of USD 1.0M; lowest delivery: ECHO (60%)"


@pytest.mark.parametrize(
    ("not_reported", "expected"),
    [
        (2_000_000.0, "Budget and spending by donor: no expenditure reported yet"),
        (0.0, "Budget and spending by donor: nothing in USD yet"),
    ],
)
def test_delivery_by_group_without_reported_spending_says_so(not_reported, expected):
    silent = pd.DataFrame(
        {"group": ["IOM donor"], "budget_usd": [0.0], "spent_usd": [0.0], "budget_not_reported_usd": [not_reported]}
    )
    assert title(charts_finance.delivery_by_group(silent, group_label="Donor", noun="donors")) == expected


def test_delivery_by_group_never_totals_overlapping_rows():
    fig = charts_finance.delivery_by_group(TOTALS, group_label="Donor", noun="donors", overlapping=True)
    assert title(fig) == "3 donors: lowest delivery USAID (25%), highest Japan (90%)"


# ---- flags and risks --------------------------------------------------------------------------------
FLAGS = pd.DataFrame(
    {
        "project_id": [1, 1, 2, 3, 3, 3],
        "code": [
            "UNDERSPENDING",
            "RESULTS_OFF_TRACK",
            "RESULTS_OFF_TRACK",
            "ME_BUDGET_LOW",
            "NO_RISK_REGISTER",
            "OVER_BUDGET",
        ],
        "severity": ["medium", "high", "high", "low", "medium", "high"],
        "country_name": ["Kenya", "Kenya", "Chad", "Chad", "Chad", "Chad"],
    }
)


def test_flags_by_severity_counts_flags_and_projects():
    fig = charts_risks.flags_by_severity(FLAGS, n_projects=10)
    flags, projects = fig.data
    assert list(flags.x) == ["✖ High", "▲ Medium", "● Low"]
    assert list(flags.y) == [3, 2, 1]
    assert list(projects.y) == [3, 2, 1]
    # no one-colour legend for bars of three colours: each bar's text says what it counts
    assert list(flags.text) == ["3 flags", "2 flags", "1 flag"]
    assert list(projects.text) == ["3 projects", "2 projects", "1 project"]
    assert fig.layout.showlegend is False
    assert title(fig) == "3 high-severity flags on 3 of 10 projects; 6 flags in all"


@pytest.mark.parametrize(
    ("by", "expected_groups", "expected_high", "expected_title"),
    [
        (
            "code",
            ["UNDERSPENDING", "NO_RISK_REGISTER", "ME_BUDGET_LOW", "OVER_BUDGET", "RESULTS_OFF_TRACK"],
            [0, 0, 0, 1, 2],
            "RESULTS_OFF_TRACK has the most high-severity flags: 2 of the 3 high-severity flags "
            "in this chart (6 flags in all)",
        ),
        (
            "country_name",
            ["Kenya", "Chad"],
            [1, 2],
            "Chad has the most high-severity flags: 2 of the 3 high-severity flags in this chart (6 flags in all)",
        ),
    ],
)
def test_flags_by_group_sorts_worst_on_top(by, expected_groups, expected_high, expected_title):
    fig = charts_risks.flags_by_group(FLAGS, by=by, group_label="Group")
    high = trace(fig, "✖ High")
    assert list(high.y) == expected_groups
    assert list(high.x) == expected_high
    assert title(fig) == expected_title


def test_flags_by_group_without_high_flags_says_so():
    fig = charts_risks.flags_by_group(FLAGS.loc[FLAGS["severity"] != "high"], by="country_name", group_label="Country")
    assert title(fig) == "Chad has the most flags: 2 of 3, none of high severity"


def test_flags_by_group_sums_the_groups_past_top_into_one_other_bar():
    # RESULTS_OFF_TRACK and OVER_BUDGET kept; ME_BUDGET_LOW (low), NO_RISK_REGISTER and UNDERSPENDING
    # (medium) summed: every flag is still drawn
    fig = charts_risks.flags_by_group(FLAGS, by="code", group_label="Flag", top=3, noun="flag codes")
    assert list(trace(fig, "✖ High").y) == ["Other 3 flag codes", "OVER_BUDGET", "RESULTS_OFF_TRACK"]
    assert list(trace(fig, "✖ High").x) == [0, 1, 2]
    assert list(trace(fig, "▲ Medium").x) == [2, 0, 0]
    assert list(trace(fig, "● Low").x) == [1, 0, 0]


def test_flags_by_group_without_top_draws_every_group():
    fig = charts_risks.flags_by_group(FLAGS, by="code", group_label="Flag", top=None)
    assert len(trace(fig, "✖ High").y) == 5


def test_flag_charts_on_no_flags_show_a_sentence():
    empty = FLAGS.iloc[0:0]
    assert charts_risks.flags_by_severity(empty, n_projects=4).layout.title.text == (
        "No early-warning flag is raised in this view"
    )
    assert len(charts_risks.flags_by_group(empty, by="code", group_label="Flag").data) == 0


# ---- cross-cutting markers -------------------------------------------------------------------------
MARKERS_ORG = pd.DataFrame(
    {
        "code": ["0", "2a", "not set", "1"],
        "n_projects": [2, 5, 3, 10],
        "share_projects": [0.10, 0.25, 0.15, 0.50],
        "budget_usd": [100_000.0, 2_500_000.0, 400_000.0, 2_000_000.0],
        "share_budget": [0.02, 0.50, 0.08, 0.40],
        "n_budget_unknown": [0, 0, 1, 0],
    }
)


def test_marker_distribution_title_is_singular_for_one_project_without_a_code():
    one = MARKERS_ORG.assign(n_projects=[2, 5, 1, 10])  # codes 0, 2a, not set, 1: 1 of 18 has no code
    assert title(charts_markers.marker_distribution_chart(one, "IOM_GM")).endswith("1 of 18 projects has no code")


def test_marker_distribution_title_says_every_project_has_a_code_when_none_lacks_one():
    coded = MARKERS_ORG.loc[MARKERS_ORG["code"] != "not set"]  # an IATI file: every activity has its marker
    assert title(charts_markers.marker_distribution_chart(coded, "IOM_GM")).endswith("; every project has a code")


def test_marker_distribution_shows_projects_and_budget_with_not_set_last():
    fig = charts_markers.marker_distribution_chart(MARKERS_ORG, "IOM_GM")
    projects, budget = fig.data
    assert list(projects.y) == ["0", "2a", "1", "No code (not set)"]  # IOM codes as published
    assert list(projects.x) == pytest.approx([10.0, 25.0, 50.0, 15.0])
    assert list(budget.x) == pytest.approx([2.0, 50.0, 40.0, 8.0])
    assert list(budget.text) == ["USD 100.0k", "USD 2.5M", "USD 2.0M", "USD 400.0k"]
    assert title(fig) == (
        "IOM Gender Marker: most common is code 1 (50% of projects, 40% of budget); 3 of 20 projects have no code"
    )


MARKERS_BY_REGION = pd.DataFrame(
    {
        "region": ["RO_A", "RO_A", "RO_B", "RO_B"],
        "code": ["1", "not set", "1", "not set"],
        "n_projects": [3, 1, 1, 1],
        "share_projects": [0.75, 0.25, 0.5, 0.5],
    }
)


def test_marker_by_group_names_the_group_with_most_projects_without_a_code():
    fig = charts_markers.marker_by_group_chart(
        MARKERS_BY_REGION,
        by="region",
        scheme="IOM_GM",
        group_names={"RO_A": "Asia", "RO_B": "Africa"},
        group_label="Region",
    )
    coded = trace(fig, "1")
    assert list(coded.y) == ["Asia", "Africa"]
    assert list(coded.x) == pytest.approx([75.0, 50.0])
    assert list(trace(fig, "No code (not set)").x) == pytest.approx([25.0, 50.0])
    assert title(fig) == "Africa has the largest share of projects with no IOM Gender Marker code (50%)"


def _aap_rows():
    rows = []
    met = {"leadership": 0.6, "information": 0.5, "feedback": 0.2, "participation": 0.4, "design_monitoring": 0.7}
    for commitment, share in met.items():
        rows += [
            (commitment, "met", share, share / 2),
            (commitment, "partly", 0.1, 0.1),
            (commitment, "not_met", 0.9 - share, 0.9 - share),
            (commitment, "not_assessed", 0.0, 0.0),
        ]
    table = pd.DataFrame(rows, columns=["commitment", "rating", "share_projects", "share_budget"])
    return table.assign(n_projects=(table["share_projects"] * 10).round().astype(int))


@pytest.mark.parametrize(
    ("weight", "expected_feedback_met", "expected_title"),
    [
        (
            "projects",
            20.0,
            "Feedback and complaints is the least met AAP commitment: 20% of projects meet it "
            "(best: Design, monitoring and evaluation, 70%)",
        ),
        (
            "budget",
            10.0,
            "Feedback and complaints is the least met AAP commitment: 10% of budget meet it "
            "(best: Design, monitoring and evaluation, 35%)",
        ),
    ],
)
def test_aap_coverage_stacks_ratings_per_commitment(weight, expected_feedback_met, expected_title):
    fig = charts_markers.aap_coverage_chart(_aap_rows(), weight=weight)
    met = trace(fig, "✔ Met")
    assert list(met.y) == [
        "Design, monitoring and evaluation",
        "Participation",
        "Feedback and complaints",
        "Transparency and information sharing",
        "Leadership and governance",
    ]
    assert met.x[2] == pytest.approx(expected_feedback_met)
    assert [t.name for t in fig.data] == ["✔ Met", "◐ Partly met", "✖ Not met", "? Not assessed"]
    assert title(fig) == expected_title


def test_aap_title_never_names_a_least_met_commitment_when_nothing_is_assessed():
    """The IOM IATI file: every commitment "not assessed"; the title must not say one is least met at 0%."""
    rows = [
        (c, r, 1.0 if r == "not_assessed" else 0.0, 0.0)
        for c in ("leadership", "feedback")
        for r in ("met", "partly", "not_met", "not_assessed")
    ]
    table = pd.DataFrame(rows, columns=["commitment", "rating", "share_projects", "share_budget"]).assign(n_projects=5)
    assert (
        title(charts_markers.aap_coverage_chart(table))
        == "No AAP commitment is assessed for any of the projects in view"
    )
    rated = table.assign(share_projects=[0, 0, 1.0, 0] * 2)  # all assessed, none met
    assert title(charts_markers.aap_coverage_chart(rated)) == (
        "None of the projects in view meets an AAP commitment where one is assessed"
    )


DISAGG = pd.DataFrame(
    {
        "region": ["RO_A", "RO_B", "RO_C"],
        "n_people_indicators": [10, 4, 3],
        "n_reported": [8, 4, 0],
        "n_sex": [6, 1, 0],
        "share_sex": [0.75, 0.25, float("nan")],
        "n_age": [2, 0, 0],
        "share_age": [0.25, 0.0, float("nan")],
    }
)


def test_disaggregation_chart_leaves_out_groups_without_reports_and_states_the_overall_shares():
    overall = pd.Series({"n_reported": 12, "share_sex": 7 / 12, "share_age": 2 / 12})
    fig = charts_markers.disaggregation_chart(
        DISAGG, overall, by="region", group_label="Region", group_names={"RO_A": "Asia", "RO_B": "Africa"}
    )
    sex, age = fig.data
    assert list(sex.y) == ["Asia", "Africa"]
    assert list(sex.x) == pytest.approx([75.0, 25.0])
    assert list(age.x) == pytest.approx([25.0, 0.0])
    assert title(fig) == ("58% of 12 reporting people-counting indicators are broken down by sex, 17% by age")


# ---- strategy ----------------------------------------------------------------------------------------
def _rollup():
    rows = {
        "code": ["O1", "O2", "P1"],
        "n_projects": [5, 2, 5],
        "budget_usd": [3_000_000.0, 500_000.0, 1_000_000.0],
        "n_budget_unknown": [1, 0, 0],
        "n_indicators": [10, 4, 0],
        "n_assessable": [8, 4, 0],
    }
    counts = {
        "achieved": [1, 0, 0],
        "on_track": [4, 1, 0],
        "at_risk": [1, 1, 0],
        "off_track": [2, 2, 0],
        "no_data": [1, 0, 0],
        "not_due": [1, 0, 0],
        "not_assessable": [0, 0, 0],
    }
    table = pd.DataFrame(rows)
    for status, n in counts.items():
        table[f"n_{status}"] = n
        table[f"share_{status}"] = [c / t if t else float("nan") for c, t in zip(n, rows["n_indicators"], strict=False)]
    return table


def test_tag_portfolio_chart_orders_tags_and_names_the_largest():
    fig = charts_strategy.tag_portfolio_chart(_rollup(), "MIGOF", names={"O1": "Advancing well-being"})
    projects, budget = fig.data
    assert list(projects.y) == ["MiGOF O2", "MiGOF P1", "MiGOF O1 · Advancing well-being"]
    assert list(projects.x) == [2, 5, 5]
    assert list(budget.x) == [500_000.0, 1_000_000.0, 3_000_000.0]
    assert title(fig) == ("MiGOF O1 is served by the most projects (5, USD 3.0M); 3 MiGOF elements tagged")


def test_tag_status_chart_stacks_statuses_worst_first_and_skips_tags_without_indicators():
    fig = charts_strategy.tag_status_chart(_rollup(), "MIGOF")
    assert [t.name for t in fig.data] == [
        "✖ Off track",
        "▲ At risk",
        "? No data",
        "● On track",
        "★ Achieved",
        "◷ Too early to judge",
    ]
    off = fig.data[0]
    assert list(off.y) == ["MiGOF O2", "MiGOF O1"]
    assert list(off.x) == pytest.approx([50.0, 20.0])
    assert list(off.customdata) == [2, 2]
    assert title(fig) == "MiGOF O2 has the largest share of indicators off track: 2 of 4 (50%)"


def test_tag_status_chart_never_tells_statuses_apart_by_colour_alone():
    fig = charts_strategy.tag_status_chart(_rollup(), "MIGOF")
    colours = [t.marker.color for t in fig.data]
    assert len(set(colours)) == len(colours)  # every status its own colour
    by_name = {t.name: t for t in fig.data}
    # on track and achieved were both green: now a different shade and a pattern
    assert (by_name["● On track"].marker.color, by_name["★ Achieved"].marker.color) == ("#8BC34A", "#1B5E20")
    assert by_name["★ Achieved"].marker.pattern.shape == "/"
    assert by_name["? No data"].marker.pattern.shape == "x"
    # the status word is in the hover, not only the legend
    assert "★ Achieved: %{customdata} indicator(s)" in by_name["★ Achieved"].hovertemplate


def test_strategy_charts_on_an_untagged_portfolio_say_what_to_add():
    empty = _rollup().iloc[0:0]
    assert charts_strategy.tag_portfolio_chart(empty, "SDG").layout.title.text == (
        "No SDG target tag on any project in view"
    )
    assert len(charts_strategy.tag_status_chart(empty, "GCM").data) == 0


# ---- rows a page may list for a scope ---------------------------------------------------------------
REGION_OF = {"KEN": "RO_E", "UGA": "RO_E", "TCD": "RO_W", "NER": "RO_W"}


@pytest.mark.parametrize(
    ("scope", "flt", "countries", "regions"),
    [
        (Scope.whole_organisation("administrator"), PortfolioFilter(), None, None),
        (Scope.by_project("test", codes=("PX.1",)), PortfolioFilter(), None, None),
        (Scope.bounded_by_place("test", countries=("KEN",)), PortfolioFilter(), {"KEN"}, {"RO_E"}),
        (Scope.bounded_by_place("test", regions=("RO_W",)), PortfolioFilter(), {"TCD", "NER"}, {"RO_W"}),
        (Scope.whole_organisation("administrator"), PortfolioFilter(regions=("RO_E",)), {"KEN", "UGA"}, {"RO_E"}),
        (
            Scope.bounded_by_place("test", regions=("RO_E",)),
            PortfolioFilter(countries=("UGA", "TCD")),
            {"UGA"},
            {"RO_E"},
        ),
        (Scope.bounded_by_place("test", countries=("KEN",)), PortfolioFilter(countries=("UGA",)), set(), set()),
    ],
)
def test_places_in_view_follow_scope_then_filters(scope, flt, countries, regions):
    places = view_groups.places_in_view(scope, flt, REGION_OF)
    assert places.countries == (None if countries is None else frozenset(countries))
    assert places.regions == (None if regions is None else frozenset(regions))


def test_keep_drops_rows_of_other_places_only_when_limited():
    table = pd.DataFrame({"managing_country": ["KEN", "UGA", "TCD"], "n": [1, 2, 3]})
    limited = view_groups.places_in_view(
        Scope.bounded_by_place("test", countries=("KEN",)), PortfolioFilter(), REGION_OF
    )
    assert limited.keep(table, "managing_country", "managing_country")["n"].tolist() == [1]
    everything = view_groups.places_in_view(Scope.whole_organisation("administrator"), PortfolioFilter(), REGION_OF)
    assert everything.keep(table, "managing_country", "managing_country")["n"].tolist() == [1, 2, 3]


# ---- off-track ----------------------------------------------------------------------------------------
ATTENTION = pd.DataFrame(
    {
        "managing_country_name": ["Chad", "Chad", "Chad", "Kenya", "Kenya", None],
        "status": ["off_track", "no_data", "at_risk", "off_track", "off_track", "at_risk"],
    }
)


def test_attention_by_country_stacks_statuses_and_names_the_worst():
    fig = charts_off_track.attention_by_country(ATTENTION)
    off = trace(fig, "✖ Off track")
    assert list(off.y) == ["unknown", "Chad", "Kenya"]
    assert list(off.x) == [0, 1, 2]
    assert list(trace(fig, "? No data").x) == [0, 1, 0]
    assert title(fig) == "Kenya has the most indicators off track (2 of 2 needing attention)"


def test_attention_by_country_prints_no_count_on_a_narrow_segment():
    # longest bar 40 → a segment narrower than 6% of it (2.4) gets no text; plotly hides what still
    # would not fit
    rows = pd.DataFrame(
        {
            "managing_country_name": ["Chad"] * 38 + ["Chad", "Chad", "Kenya", "Kenya", "Kenya"],
            "status": ["off_track"] * 38 + ["at_risk", "at_risk", "off_track", "off_track", "off_track"],
        }
    )
    fig = charts_off_track.attention_by_country(rows)
    texts_by_country = dict(zip(trace(fig, "✖ Off track").y, trace(fig, "✖ Off track").text, strict=True))
    assert texts_by_country == {"Chad": "38", "Kenya": "3"}
    assert list(trace(fig, "▲ At risk").text) == ["", ""]  # Kenya 0, Chad 2 < 2.4: no "NaN", no tiny text
    assert fig.layout.uniformtext.mode == "hide"


def test_attention_by_country_says_when_only_the_top_are_shown():
    fig = charts_off_track.attention_by_country(ATTENTION, top=1)
    assert title(fig).endswith("needing attention); top 1 of 3 countries shown")


# ---- shared layout helpers ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("short title", 95, "short title"),
        ("aaaa bbbb; cccc dddd", 12, "aaaa bbbb;<br>cccc dddd"),
        ("aa: bb, cc; dd", 9, "aa:<br>bb, cc;<br>dd"),
        # never at a comma as such (place names hold commas): at the last space that fits
        ("North, South and West, East, and more", 20, "North, South and<br>West, East, and more"),
        ("no clause boundary in this long sentence", 12, "no clause<br>boundary in<br>this long<br>sentence"),
        # a clause boundary too early in the line loses to the last space
        ("ab: cdefgh ijklmnop qrst", 16, "ab: cdefgh<br>ijklmnop qrst"),
        ("unbreakablewordlongerthanwidth end", 10, "unbreakablewordlongerthanwidth<br>end"),
        (
            "European Economic Area, the EU and NATO (Brussels) has the largest share of projects with no IOM "
            "Gender Marker code (32%)",
            95,
            # 96 characters up to "IOM": the line breaks before it
            "European Economic Area, the EU and NATO (Brussels) has the largest share of projects with no<br>"
            "IOM Gender Marker code (32%)",
        ),
    ],
)
def test_wrap_title_breaks_at_clause_boundaries_or_spaces_never_inside_a_word(text, width, expected):
    assert charts_common.wrap_title(text, width) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Regional Office for Asia and the Pacific (Bangkok)", "Asia and the Pacific (Bangkok)"),
        (
            "Regional Office for the European Economic Area, the EU and NATO (Brussels)",
            "European Economic Area, the EU and NATO (Brussels)",
        ),
        ("Kenya", "Kenya"),
    ],
)
def test_short_place_drops_the_regional_office_prefix(name, expected):
    assert charts_common.short_place(name) == expected
