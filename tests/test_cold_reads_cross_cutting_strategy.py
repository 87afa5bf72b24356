"""The Cross-cutting and Strategy pages' first views read only what they show, and show what the
whole stored summary gave: the lists to act on from the rows picked in SQL
(``evaluated.projects_to_act_on``) equal the lists of every project, flag and AAP rating; the
roll-up by tag from the projects' stored status counts (``strategy_rollup.tag_rollup_of_counts``)
equals ``tag_rollup`` of every indicator's status. Several dates, every kind of scope and a
filter, on SQLite and PostgreSQL, inside the rolled-back test transaction.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy.orm import Session

from components import cross_cutting_data as ccd
from components import strategy_rollup
from data_access import evaluated, queries
from data_access.scope import PortfolioFilter, Scope
from monitoring.frames import COLUMNS
from monitoring.settings import Settings
from monitoring.strategy import tag_rollup
from tests import test_evalstore
from tests.importers_support import IMPORT_DAY

DATES = (IMPORT_DAY, dt.date(2026, 6, 30))
SETTINGS = Settings()
SUMMARY = evaluated.Columns(indicators=(), risks=(), quality=())
STATUSES = evaluated.Columns(projects=(), indicators=("project_id", "status"), flags=(), risks=(), quality=())
SCHEMES = ("MIGOF", "SDG", "GCM", "SRF")
sample = test_evalstore.sample  # the fixture: 40 generated projects, the tables emptied first


def _views(connection) -> list[tuple[Scope, PortfolioFilter]]:
    """Every kind of scope on each date, and the whole organisation narrowed by a filter."""
    org = Scope.whole_organisation("administrator")
    projects = queries.load_portfolio(connection, org, PortfolioFilter(as_of=IMPORT_DAY)).projects
    region, country = projects["region"].iloc[0], projects["managing_country"].iloc[-1]
    scopes = [
        org,
        Scope.bounded_by_place("test", regions=(region,)),
        Scope.bounded_by_place("test", countries=(country,)),
        Scope.by_project("test", codes=projects["project_code"].iloc[:5]),
    ]
    views = [(scope, PortfolioFilter(as_of=as_of)) for as_of in DATES for scope in scopes]
    themed = PortfolioFilter(as_of=IMPORT_DAY, themes=(projects["thematic_area"].iloc[0],), statuses=("active",))
    return [*views, (org, themed)]


def test_the_lists_to_act_on_equal_the_lists_of_the_whole_summary(sample: Session) -> None:
    connection = sample.connection()
    listed, in_view = 0, 0
    for scope, flt in _views(connection):
        summary = evaluated.read(connection, scope, flt, SETTINGS, SUMMARY)
        aap = queries.frame_columns(connection, scope, flt, {"aap": COLUMNS["aap"]})["aap"]
        want = ccd.to_act_on_tables(summary.projects, summary.flags, aap)
        every = evaluated.projects_to_act_on(
            connection, scope, flt, SETTINGS, ccd.TO_ACT_ON_COLUMNS, (ccd.NO_MARKER, ccd.AAP_GAPS), ccd.AAP_GAPS
        )
        got = ccd.to_act_on_tables(every.projects, every.flags, every.aap)  # the downloads: every row
        firsts = {rows: ccd.first_rows(every, rows) for rows in (3, 1_000)}  # the first view: the first rows
        for name in ("no_marker", "aap_gaps", "no_sex_breakdown", "women"):
            got_list, want_list = getattr(got, name), getattr(want, name)
            for rows, first in firsts.items():
                assert first.counts[name] == len(want_list), f"{name} {scope} {flt}"
                if not want_list.empty:
                    shown = getattr(first.lists, name)
                    pd.testing.assert_frame_equal(shown, want_list.head(rows), obj=f"{name} {rows}")
            if want_list.empty:  # the page then says there is none (an empty AAP list has the projects' columns)
                assert got_list.empty, f"{name} {scope} {flt}"
                continue
            pd.testing.assert_frame_equal(got_list, want_list, obj=f"{name} {scope} {flt}")
            listed += 1 + (len(want_list) > 3)
        in_view += len(summary.projects)
        assert len(every.projects) <= len(summary.projects)
        assert set(every.aap["project_id"]) <= set(every.flags["project_id"])
    assert listed >= 20  # every list has rows (more than 3) in some views: the comparison is not vacuous
    assert in_view > 0


def test_the_roll_up_by_tag_from_stored_counts_equals_the_roll_up_of_every_indicator(sample: Session) -> None:
    connection = sample.connection()
    tagged = 0
    for scope, flt in _views(connection):
        projects = evaluated.read(connection, scope, flt, SETTINGS, SUMMARY).projects
        statuses = evaluated.read(connection, scope, flt, SETTINGS, STATUSES).indicators
        tags = queries.load_portfolio(connection, scope, flt, frames=("tags",)).tags
        for scheme in SCHEMES:
            want = tag_rollup(tags, projects, statuses, scheme)
            read_tags, counted = evaluated.tagged_projects(
                connection, scope, flt, SETTINGS, scheme, strategy_rollup.PROJECT_COLUMNS
            )
            of_scheme = tags.loc[tags["scheme"] == scheme].reset_index(drop=True)
            pd.testing.assert_frame_equal(read_tags, of_scheme, obj=f"tags {scheme} {scope} {flt}")
            assert set(counted["project_id"]) == set(read_tags["project_id"])
            got = strategy_rollup.tag_rollup_of_counts(read_tags, counted, scheme)
            pd.testing.assert_frame_equal(got, want, obj=f"{scheme} {scope} {flt}")
            tagged += int(want["n_indicators"].gt(0).sum())
    assert tagged > 20
