"""The frame: "view as" sets the scope, filters narrow it, the URL reproduces the view, and a page
run on its own (or a URL edited by hand) never shows more than the scope.

Runs app.py and the page files with AppTest on the hand-built portfolio of tests/page_portfolio.py,
whose numbers are computed by hand in its docstring.
"""

from __future__ import annotations

import datetime as dt

import pytest

from components import people_picker
from components.identity import unknown_who_message
from components.navigation import existing_pages
from components.sidebar_filters import country_choices
from data_access.queries import FilterOptions
from data_access.scope import Scope
from tests import page_portfolio as pp
from tests.pages_apptest import app, matrix_codes, metrics, texts

AS_OF = pp.AS_OF.isoformat()


@pytest.fixture(scope="module")
def hand_db(tmp_path_factory) -> str:
    return pp.create(tmp_path_factory.mktemp("pages_frame") / "hand.db")


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory) -> str:
    return pp.create_empty(tmp_path_factory.mktemp("pages_frame_empty") / "empty.db")


@pytest.fixture
def on_hand_db(hand_db, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", hand_db)


@pytest.fixture
def on_empty_db(empty_db, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", empty_db)


def test_leadership_sees_every_project_and_the_url_says_so(on_hand_db):
    at = app(as_of=AS_OF).run()
    assert not at.exception
    assert metrics(at)["Active projects"] == "4"
    assert matrix_codes(at) == ["PX.A1", "PX.A2", "PX.B1", "PX.C1", "PX.C2"]
    assert at.query_params["as"] == "org"
    assert at.query_params["as_of"] == AS_OF


@pytest.mark.parametrize(
    ("region", "active", "codes"),
    [("RA", "3", ["PX.A1", "PX.A2", "PX.B1"]), ("RB", "1", ["PX.C1", "PX.C2"])],
)
def test_region_filter_shows_only_its_projects(on_hand_db, region, active, codes):
    at = app(as_of=AS_OF).run()
    at.multiselect(key="f_regions").select(region).run()
    assert not at.exception
    assert metrics(at)["Active projects"] == active
    assert matrix_codes(at) == codes == pp.expected_codes(region=region)
    assert at.query_params["region"] == region


@pytest.mark.parametrize(
    ("as_of", "on_track", "flagged_high", "a2_results"),
    [
        # 2025-01-01: A2 off track (ratio 0.199), three on track -> 3 of 4 assessable, A2 flagged high
        (pp.AS_OF, "75%", "1", "✖ Off track"),
        # 2024-06-01: no period has started, nothing assessable, no results status; but June's
        # spending counts (the month starts on D): A1 and C1 burn 50% with 152/730 = 20.8% of time
        # elapsed, +29 pp > +10 pp -> OVERSPENDING (high) on two projects
        (pp.BEFORE_ANY_ACTUAL, "–", "2", "– Not assessable"),
    ],
)
def test_as_of_date_drives_the_statuses(on_hand_db, as_of, on_track, flagged_high, a2_results):
    at = app(as_of=AS_OF).run()
    at.date_input(key="f_as_of").set_value(as_of).run()
    assert not at.exception
    assert metrics(at)["On track"] == on_track
    assert metrics(at)["Flagged high"] == flagged_high
    from tests.pages_apptest import table_with

    matrix = table_with(at, "Results").set_index("Project")
    assert matrix.loc["PX.A2", "Results"] == a2_results
    assert at.query_params["as_of"] == as_of.isoformat()


def test_view_as_chief_of_mission_sees_only_the_country(on_hand_db):
    at = app(as_of=AS_OF).run()
    at.selectbox(key="view_role").select("country").run()
    at.selectbox(key="view_who").select("QAA").run()
    assert not at.exception
    assert matrix_codes(at) == pp.expected_codes(country="QAA") == ["PX.A1", "PX.A2"]
    assert at.multiselect(key="f_countries").options == ["Alpha"]
    assert at.query_params["as"] == "country:QAA"


@pytest.mark.parametrize("script", ["app.py", "pages/portfolio.py"])
def test_edited_url_cannot_widen_a_chief_of_mission(on_hand_db, script):
    at = app(script, **{"as": "country:QAA", "country": "QCC", "region": "RB", "as_of": AS_OF}).run()
    assert not at.exception
    assert matrix_codes(at) == ["PX.A1", "PX.A2"]
    # at the top of the page as a warning, not a caption at the foot of the sidebar
    assert [w.value for w in at.warning] == [
        "Outside this view (Chief of mission, Alpha) and ignored: country QCC, region RB. "
        "The figures below leave it out."
    ]
    assert "Gamma" not in texts(at)


def test_page_run_directly_establishes_the_scope_itself(on_hand_db):
    at = app("pages/portfolio.py", **{"as": "manager:Ann", "as_of": AS_OF}).run()
    assert not at.exception
    assert matrix_codes(at) == ["PX.A1", "PX.B1"]
    assert at.selectbox(key="view_role").value == "manager"


def test_project_page_refuses_a_project_outside_the_scope(on_hand_db):
    at = app("pages/project.py", **{"as": "country:QAA", "project": "PX.C1", "as_of": AS_OF}).run()
    assert not at.exception
    assert "Project PX.C1 is not in this view" in texts(at)
    assert at.selectbox(key="project_pick").options == ["PX.A1 · Project PX.A1", "PX.A2 · Project PX.A2"]
    assert "PX.C1 · Project PX.C1" not in texts(at)


@pytest.mark.parametrize(
    ("view", "message"),
    [
        ("manager:Nobody", "Nobody is not a programme manager with projects; choose who you are in the sidebar"),
        ("country:XXX", "XXX is not a country with projects; choose who you are in the sidebar"),
        ("region:RZ", "RZ is not a region with projects; choose who you are in the sidebar"),
    ],
)
def test_unknown_person_in_url_sees_nothing(on_hand_db, view, message):
    at = app(**{"as": view, "as_of": AS_OF}).run()
    assert not at.exception
    # neither the first person of the list nor leadership: a message, no figures, the link kept
    assert [e.value for e in at.error] == [message + " (Demo: choose who you are). No figures are shown until then."]
    assert at.selectbox(key="view_who").value is None
    assert not at.metric and not at.dataframe
    assert at.query_params["as"] == view


@pytest.mark.parametrize("view", ["regional:RA", "foo", "Manager:Ann"])
def test_a_link_to_a_view_the_demo_does_not_know_says_it_shows_leadership(on_hand_db, view):
    """A browser review: a mistyped link (``as=regional:ROAP``) opened leadership's figures without a
    word. Anyone may be leadership in the demo, so they are shown, with the reason."""
    at = app(**{"as": view, "as_of": AS_OF}).run()
    assert not at.exception
    (warning,) = [w.value for w in at.warning if "does not know" in w.value]
    # the view as typed (markdown-safe: a word joiner after ":" keeps ":Ann" from reading as an icon)
    assert warning.replace("\u2060", "") == (
        f"The link names a view the demo does not know ({view}): showing Leadership (whole "
        "organisation). Choose who you are in the sidebar."
    )
    assert at.selectbox(key="view_role").value == "org"
    assert at.query_params["as"] == "org"
    assert not [w for w in app(**{"as": "org", "as_of": AS_OF}).run().warning if "does not know" in w.value]


def test_choosing_someone_after_an_unknown_link_shows_their_view(on_hand_db):
    at = app(**{"as": "country:XXX", "as_of": AS_OF}).run()
    at.selectbox(key="view_who").select("QAA").run()
    assert not at.exception and not at.error
    assert matrix_codes(at) == ["PX.A1", "PX.A2"]
    assert at.query_params["as"] == "country:QAA"


def test_many_managers_are_searched_and_a_link_still_opens_one(on_hand_db, monkeypatch):
    monkeypatch.setattr(people_picker, "PLAIN_UP_TO", 2)  # Ann, Bob and Cid count as many
    monkeypatch.setattr(people_picker, "MATCHES_SHOWN", 1)
    at = app(**{"as": "manager:Cid", "as_of": AS_OF}).run()
    assert not at.exception
    assert at.selectbox(key="view_who").value == "Cid"
    assert at.selectbox(key="view_who").options == ["Ann (2 projects)", "Cid (2 projects)"]  # the first, and Cid
    assert "3 managers: the list shows the first 1 by name; search to find any other." in [c.value for c in at.caption]
    assert matrix_codes(at) == ["PX.C1", "PX.C2"]
    at.text_input(key="view_who_find").set_value("bo").run()
    assert at.selectbox(key="view_who").options == ["Bob (1 project)", "Cid (2 projects)"]
    assert at.selectbox(key="view_who").value == "Cid"
    assert matrix_codes(at) == ["PX.C1", "PX.C2"]
    at.selectbox(key="view_who").set_value("Bob").run()
    assert matrix_codes(at) == ["PX.A2"]
    assert at.query_params["as"] == "manager:Bob"


@pytest.mark.parametrize("view", ["manager:Nobody", "manager:cid"])
def test_many_managers_and_a_link_to_nobody_of_them(on_hand_db, monkeypatch, view):
    monkeypatch.setattr(people_picker, "PLAIN_UP_TO", 2)
    at = app(**{"as": view, "as_of": AS_OF}).run()
    assert not at.exception
    assert [e.value for e in at.error] == [unknown_who_message("manager", view.partition(":")[2])]
    assert at.selectbox(key="view_who").value is None
    assert not at.metric and not at.dataframe


def test_country_filter_of_a_chief_of_mission_offers_only_their_country():
    visible = FilterOptions(
        regions=(), countries=(("ETH", "Ethiopia"), ("SSD", "South Sudan")), donors=(), themes=(), statuses=()
    )
    assert country_choices(Scope.bounded_by_place("com.ssd@example.org", countries=("SSD",)), visible) == (
        ("SSD", "South Sudan"),
    )
    assert country_choices(Scope.whole_organisation("administrator"), visible) == visible.countries


def test_filters_persist_when_moving_between_pages(on_hand_db):
    at = app(as_of=AS_OF).run()
    at.multiselect(key="f_regions").select("RB").run()
    at.switch_page("pages/project.py").run()
    assert not at.exception
    assert at.multiselect(key="f_regions").value == ["RB"]
    assert at.selectbox(key="project_pick").options == ["PX.C1 · Project PX.C1", "PX.C2 · Project PX.C2"]
    assert at.query_params["region"] == "RB"


def test_filters_excluding_everything_say_so(on_hand_db):
    at = app(as_of=AS_OF).run()
    at.multiselect(key="f_statuses").select("pipeline").run()
    assert not at.exception
    assert "No project matches these filters" in texts(at)


@pytest.mark.parametrize("spec", existing_pages(), ids=[p.stem for p in existing_pages()])
def test_every_registered_page_runs_under_app_on_the_hand_portfolio(on_hand_db, spec):
    at = app(as_of=AS_OF).run()
    at.switch_page(spec.file).run()
    assert not at.exception, at.exception


@pytest.mark.parametrize("spec", existing_pages(), ids=[p.stem for p in existing_pages()])
def test_every_registered_page_runs_on_an_empty_database(on_empty_db, spec):
    at = app().run()
    at.switch_page(spec.file).run()
    assert not at.exception, at.exception
    assert not at.error


def test_empty_database_says_what_to_import_and_where(on_empty_db):
    at = app().run()
    assert not at.exception
    assert "No projects in the database yet" in texts(at)
    assert "[Data page](/data-import)" in texts(at)
    assert at.query_params["as"] == "org"
    assert dt.date.today().isoformat() not in at.query_params.get("as_of", "")


# ---- the seeded sample portfolio ----------------------------------------------------------------------
SAMPLE_TODAY = dt.date(2025, 6, 30)


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> str:
    return pp.create_sample(
        tmp_path_factory.mktemp("pages_frame_sample") / "sample.db", projects=120, seed=5, today=SAMPLE_TODAY
    )


def _codes_in_country(url: str, iso3: str) -> set[str]:
    """Projects managed by or implemented in ``iso3``, straight from the tables (not via queries.py)."""
    from sqlalchemy import select

    from data_access.db import get_engine

    p, co, c, pc = pp.m.Project, pp.m.CountryOffice, pp.m.Country, pp.m.ProjectCountry
    managed = (
        select(p.code).join(co, p.managing_office_id == co.id).join(c, co.country_id == c.id).where(c.iso3 == iso3)
    )
    implemented = select(p.code).join(pc, pc.project_id == p.id).join(c, pc.country_id == c.id).where(c.iso3 == iso3)
    with get_engine(url).connect() as connection:
        return set(connection.execute(managed).scalars()) | set(connection.execute(implemented).scalars())


@pytest.mark.parametrize("spec", existing_pages(), ids=[p.stem for p in existing_pages()])
def test_every_registered_page_runs_on_the_sample_portfolio(sample_db, monkeypatch, spec):
    monkeypatch.setenv("DATABASE_URL", sample_db)
    at = app(as_of=SAMPLE_TODAY.isoformat()).run()
    at.switch_page(spec.file).run()
    assert not at.exception, at.exception
    assert not at.error


def test_sample_chief_of_mission_sees_exactly_the_country_projects(sample_db, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sample_db)
    at = app(as_of=SAMPLE_TODAY.isoformat()).run()
    at.selectbox(key="view_role").select("country").run()
    countries = at.selectbox(key="view_who").options
    assert len(countries) > 10
    for iso3 in ("KEN", "COL", "UKR"):
        at.selectbox(key="view_who").select(iso3).run()
        assert not at.exception
        assert set(matrix_codes(at)) == _codes_in_country(sample_db, iso3)
