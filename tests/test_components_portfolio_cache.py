"""The Portfolio's cached tables (``components.loaders.status_matrix`` and ``top_flags``) are keyed by
everything they depend on: asked in turn for different scopes, filters, countries in view, row counts
and data versions, each answer equals a fresh computation for its own key, never another key's.

On the hand-built portfolio of tests/page_portfolio.py (its own SQLite file: the stored evaluations
are written on first read), outside a Streamlit run (``st.cache_data`` keeps entries in memory).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from components import loaders
from components import status_matrix as matrices
from data_access.scope import PortfolioFilter, Scope
from monitoring.settings import Settings
from tests import page_portfolio as pp

SETTINGS = Settings()
FLT = PortfolioFilter(as_of=pp.AS_OF)
ORG = Scope.whole_organisation("administrator")
ALPHA = Scope.bounded_by_place("test", countries=("QAA",))
REGION = Scope.bounded_by_place("test", regions=("RA",))


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> loaders.DataKey:
    url = pp.create(tmp_path_factory.mktemp("portfolio_cache") / "hand.db")
    loaders.clear_caches()
    return loaders.current_data(url)


def fresh_matrix(data, scope, flt, settings, countries) -> pd.DataFrame:
    summary = loaders.portfolio_summary(data, scope, flt, settings)
    return matrices.status_matrix(
        summary.projects,
        high_min=settings.risk_high_min,
        medium_min=settings.risk_medium_min,
        project_countries=loaders.project_countries(data, scope, flt),
        countries=countries,
    )


KEYS = [
    # (scope, filter, settings, countries in view)
    (ORG, FLT, SETTINGS, None),
    (ORG, FLT, SETTINGS, ("QAA",)),  # same scope, other countries in view: "Country" says "managed by"
    (ALPHA, FLT, SETTINGS, ("QAA",)),
    (REGION, FLT, SETTINGS, ("QAA", "QBB")),
    (ORG, dataclasses.replace(FLT, countries=("QBB",)), SETTINGS, ("QBB",)),
    (ORG, dataclasses.replace(FLT, as_of=pp.AS_OF - dt.timedelta(days=200)), SETTINGS, None),
    (ORG, FLT, dataclasses.replace(SETTINGS, risk_high_min=1, risk_medium_min=1), None),
]


def test_each_key_gets_its_own_projects_table(data):
    answers = []
    for scope, flt, settings, countries in KEYS * 2:  # the second round is served from the cache
        first, n = loaders.status_matrix(data, scope, flt, settings, countries, 2)
        want = fresh_matrix(data, scope, flt, settings, countries)
        pd.testing.assert_frame_equal(first, want.head(2), obj=f"{scope} {flt} {countries}")
        assert n == len(want)
        answers.append((first, n))
    distinct = {(tuple(map(tuple, a.astype(str).to_numpy())), n) for a, n in answers}
    assert len(distinct) > 4  # the keys above do give different tables: the comparison is not vacuous
    every, n = loaders.status_matrix(data, ORG, FLT, SETTINGS, None, 300)  # the row count is a key too
    assert len(every) == n > 2


def test_each_key_gets_its_own_flags(data):
    for scope, flt, settings, _ in KEYS * 2:
        summary = loaders.portfolio_summary(data, scope, flt, settings)
        want = matrices.top_flags(summary.flags, summary.projects)
        first, n = loaders.top_flags(data, scope, flt, settings, 3)
        pd.testing.assert_frame_equal(first, want.head(3), obj=f"{scope} {flt}")
        assert n == len(want)
    assert loaders.top_flags(data, ALPHA, FLT, SETTINGS, 3)[1] < loaders.top_flags(data, ORG, FLT, SETTINGS, 3)[1]


def test_another_data_version_is_read_again(data, monkeypatch):
    before = loaders.status_matrix(data, ORG, FLT, SETTINGS, None, 300)
    monkeypatch.setattr(matrices, "status_matrix", lambda *a, **k: pd.DataFrame({"Project": []}))
    pd.testing.assert_frame_equal(loaders.status_matrix(data, ORG, FLT, SETTINGS, None, 300)[0], before[0])  # cached
    newer = dataclasses.replace(data, version=data.version + "+1")
    assert loaders.status_matrix(newer, ORG, FLT, SETTINGS, None, 300)[0].empty  # new version: computed again
