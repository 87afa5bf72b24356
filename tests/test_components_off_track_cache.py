"""The Off-track page's first view (``components.loaders.attention_list``) equals the whole list the page
computed before: ordered over narrow rows, then only the shown rows' projects read whole.

Compared, for several scopes, filters, as-of dates, statuses, result levels and sexes, with the page's
former path (every listed indicator with its 23 columns, every result of the view with its words, the
projects' places and every comment of the view, then ``indicators_needing_attention``): the first rows
with every column and their latest comments, the counts per status, the projects concerned, the length,
the rows the chart by country counts, the projects and indicators in view and the result levels offered.
On a generated sample portfolio committed to SQLite and PostgreSQL (the stored evaluations are written
on first read), outside a Streamlit run.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pandas as pd
import pytest

from components import loaders, off_track_table
from components.off_track_table import Choice
from data_access import evaluated, queries
from data_access.scope import PortfolioFilter, Scope
from monitoring.comments import comment_by_indicator
from monitoring.off_track import ATTENTION_STATUSES, COLUMNS, indicators_needing_attention
from monitoring.settings import Settings
from reference.vocabulary import RESULT_LEVELS
from tests.conftest import DATABASES, sample_database

TODAY = dt.date(2026, 11, 15)
SETTINGS = Settings()
ORG = Scope.whole_organisation("administrator")
FORMER_PROJECTS = evaluated.Columns(
    projects=(*off_track_table.PROJECT_COLUMNS, "n_indicators"), indicators=(), flags=(), risks=(), quality=()
)


@pytest.fixture(scope="module", params=DATABASES)
def data(request, tmp_path_factory) -> Iterator[loaders.DataKey]:
    folder = tmp_path_factory.mktemp("off_track_cache")
    with sample_database(request.param, folder, projects=60, seed=5, today=TODAY) as url:
        loaders.clear_caches()
        yield loaders.current_data(url)
        loaders.clear_caches()
        loaders.engine_for.clear()


def former_list(data, scope, flt, statuses, levels, sex) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame, pd.DataFrame]:
    """What the page read and computed on every first view before: the whole list, the comments of
    the view, the projects (six columns) and the results (four)."""
    engine = loaders.engine_for(data.url)
    listed = evaluated.read(engine, scope, flt, SETTINGS, loaders.ATTENTION_COLUMNS).indicators
    results = queries.frame_columns(engine, scope, flt, {"results": off_track_table.RESULT_COLUMNS})["results"]
    projects = evaluated.read(engine, scope, flt, SETTINGS, FORMER_PROJECTS).projects
    try:
        rows = indicators_needing_attention(listed, results, projects, statuses=statuses, levels=levels, sex=sex)
    except TypeError:  # per sex, nothing chosen: the former page stopped with an error (its reason of no row)
        rows = pd.DataFrame(columns=list(COLUMNS))
    comments = comment_by_indicator(queries.actual_comments(engine, scope, flt), flt.as_of)
    return rows, comments, projects, results


def _views(data) -> list[tuple[Scope, PortfolioFilter]]:
    engine = loaders.engine_for(data.url)
    projects = queries.load_portfolio(engine, ORG, PortfolioFilter(as_of=TODAY)).projects
    region, country = projects["region"].iloc[0], projects["managing_country"].iloc[-1]
    flt = PortfolioFilter(as_of=TODAY)
    return [
        (ORG, flt),
        (ORG, dataclasses.replace(flt, as_of=dt.date(2026, 6, 30))),
        (Scope.bounded_by_place("test", regions=(region,)), flt),
        (ORG, dataclasses.replace(flt, countries=(country,))),
        # a filter that already names projects: the shown rows' codes narrow it further, never widen it
        (ORG, dataclasses.replace(flt, project_codes=tuple(projects["project_code"].iloc[::3]))),
    ]


CHOICES = [
    # (statuses, levels, sex)
    (ATTENTION_STATUSES, (), None),
    (("off_track",), (), None),
    (("at_risk", "no_data"), ("outcome", "output"), None),
    (ATTENTION_STATUSES, ("output",), None),
    (ATTENTION_STATUSES, (), "female"),
    (("off_track", "at_risk"), ("outcome",), "male"),
]


# 7 and 60: the first rows have gaps; 2,000: fewer rows than that have a gap in most views, so the
# rows without one are picked by expected progress; 100,000: every row of every view
@pytest.mark.parametrize("rows", [7, 60, 2_000, 100_000])
def test_first_view_equals_the_whole_list(data, rows):
    compared = 0
    for scope, flt in _views(data):
        for statuses, levels, sex in CHOICES:
            key = f"{scope} {flt} {statuses} {levels} {sex} {rows}"
            want, comments, _, _ = former_list(data, scope, flt, statuses, levels, sex)
            got = loaders.attention_list(data, scope, flt, SETTINGS, Choice(statuses, levels, sex), rows)
            assert got.counts == {s: int((want["status"] == s).sum()) for s in ATTENTION_STATUSES}, key
            assert (got.projects, got.total) == (want["project_id"].nunique(), len(want)), key
            if want.empty:  # nothing listed: no row is read, the page says so (the columns' types unknown)
                assert got.first.empty and list(got.first.columns) == list(want.columns), key
                continue
            pd.testing.assert_frame_equal(
                got.first.reset_index(drop=True), want.head(rows).reset_index(drop=True), obj=key
            )
            pd.testing.assert_frame_equal(
                off_track_table.off_track_display(got.first, got.comments),
                off_track_table.off_track_display(want.head(rows), comments),
                obj=key,
            )
            compared += len(got.first)
    assert compared > 100  # the sample has indicators to list: the comparison is not vacuous


def test_the_candidates_hold_the_first_rows_at_every_cut(data):
    """The database's pick (``evaluated.attention_candidates``) around each of its thresholds: within
    the measured rows, where they run out (the rows without a gap then chosen by expected progress),
    and at the end of the list; the list's function ordering the pick gives the whole list's head."""
    engine, ids = loaders.engine_for(data.url), ["project_id", "indicator_id"]
    picked_fewer = 0
    for scope, flt in _views(data)[:3]:
        for statuses, levels, sex in CHOICES:
            want = former_list(data, scope, flt, statuses, levels, sex)[0]
            measured = int(want["gap_pp"].notna().sum())
            cuts = {1, 2, measured - 1, measured, measured + 1, measured + 2, len(want) - 1, len(want), len(want) + 1}
            for n in sorted(c for c in cuts if c > 0):
                key = f"{scope} {flt} {statuses} {levels} {sex} n={n} of {len(want)} ({measured} measured)"
                picked = evaluated.attention_candidates(engine, scope, flt, SETTINGS, n, statuses, levels, sex)
                first = off_track_table.first_rows(picked, Choice(statuses, levels, sex), n)
                pd.testing.assert_frame_equal(
                    first[ids].reset_index(drop=True), want[ids].head(n).reset_index(drop=True), obj=key
                )
                picked_fewer += len(picked) < len(want)
    assert picked_fewer > 20  # the pick is a few rows, not the whole list: the thresholds were used


def test_the_whole_list_is_long_enough_to_be_cut(data):
    got = loaders.attention_list(data, ORG, PortfolioFilter(as_of=TODAY), SETTINGS, Choice(), 7)
    assert got.total > 50 and len(got.first) == 7 and got.first["project_id"].nunique() < got.projects
    assert got.comments.notna().any()  # some shown indicator has a comment: the comparison of comments is not vacuous
    female = loaders.attention_list(data, ORG, PortfolioFilter(as_of=TODAY), SETTINGS, Choice(sex="female"), 7)
    assert female.total and female.total != got.total


def test_chart_counts_and_choices_equal_the_former_ones(data):
    for scope, flt in _views(data):
        for statuses, levels, sex in CHOICES:
            want, _, projects, results = former_list(data, scope, flt, statuses, levels, sex)
            keys = loaders.attention_keys(data, scope, flt, SETTINGS, sex, bool(levels))
            rows = off_track_table.chosen(keys, Choice(statuses, levels, sex))
            places = loaders.evaluated_projects(data, scope, flt, SETTINGS, ("project_id", "managing_country_name"))
            chart_rows = off_track_table.with_countries(rows, places)
            columns = ["indicator_id", "status", "managing_country_name"]
            if want.empty:
                assert chart_rows.empty
                continue
            key = f"{scope} {flt} {statuses} {sex}"
            got = chart_rows[columns].sort_values("indicator_id").reset_index(drop=True)
            pd.testing.assert_frame_equal(
                got, want[columns].sort_values("indicator_id").reset_index(drop=True), obj=key
            )
        engine, overdue_column = loaders.engine_for(data.url), evaluated.Columns(indicators=("reports_overdue",))
        overdue = int(
            (evaluated.read(engine, scope, flt, SETTINGS, overdue_column).indicators["reports_overdue"] > 0).sum()
        )
        totals = (len(projects), projects["n_indicators"].sum(), overdue)
        assert loaders.project_totals(data, scope, flt, SETTINGS) == totals
        present = set(results["level"])
        assert loaders.result_levels(data, scope, flt) == tuple(lv for lv in RESULT_LEVELS if lv in present)


def test_an_empty_list_reads_nothing_whole(data, monkeypatch):
    def whole(*_args, **_kwargs):
        raise AssertionError("no row to show: nothing to read whole (an empty filter of codes is the whole view)")

    monkeypatch.setattr(loaders, "attention_rows", whole)
    flt = PortfolioFilter(as_of=dt.date(2020, 1, 31))  # before any project started: nothing due, nothing listed
    got = loaders.attention_list(data, ORG, flt, SETTINGS, Choice(), 7)
    assert (got.total, got.projects, got.counts) == (0, 0, {"off_track": 0, "at_risk": 0, "no_data": 0})
    assert got.first.empty and list(got.first.columns) == list(
        former_list(data, ORG, flt, ATTENTION_STATUSES, (), None)[0].columns
    )


def test_first_rows_cut_anywhere_equal_the_whole_order():
    # ties at the cut (equal gaps, a gap of 70% - 60% = 9.999... beside 10.0), rows without a gap after
    # the measured ones (no data, and off track without progress), codes deciding between equal gaps
    progress = [0.6, 0.5, 0.6, 0.7 - 0.1, 0.2, None, None, 0.1, 0.5]
    expected = [0.7, 0.6, 0.7, 0.7, 0.3, 0.4, 0.6, 0.9, 0.6]
    rows = pd.DataFrame(
        {
            "indicator_id": range(1, 10),
            "project_id": [3, 1, 2, 1, 2, 3, 1, 2, 1],
            "project_code": ["P3", "P1", "P2", "P1", "P2", "P3", "P1", "P2", "P1"],
            "result_id": [30, 10, 20, 10, 20, 30, 10, 20, 11],
            "indicator_code": ["I1", "I1", "I1", "I2", "I2", "I2", "I3", "I3", "I4"],
            "expected_progress": expected,
            "status": [
                "at_risk",
                "at_risk",
                "at_risk",
                "at_risk",
                "at_risk",
                "no_data",
                "off_track",
                "off_track",
                "at_risk",
            ],
            "progress": [float("nan") if p is None else p for p in progress],
            "level": ["outcome"] * 8 + ["output"],
        }
    )
    choice = Choice()
    whole = off_track_table.first_rows(rows, choice, len(rows))
    assert len(whole) == len(rows)
    for n in range(len(rows) + 1):
        pd.testing.assert_frame_equal(
            off_track_table.first_rows(rows, choice, n).reset_index(drop=True), whole.head(n).reset_index(drop=True)
        )
