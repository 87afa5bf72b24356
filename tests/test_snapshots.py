"""Review snapshots (``data_access.snapshots``, ``python -m data_access snapshot``) on both databases:
what is stored equals what the one code path computes, the database refuses every update and delete,
a snapshot is read only by someone whose scope holds all of it, and the command prints the id last.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest
from sqlalchemy import Connection, delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from data_access import models as m
from data_access.errors import InvalidInput, NotFound
from data_access.queries import load_portfolio
from data_access.scope import PortfolioFilter, Scope
from data_access.seed import seed_database
from data_access.snapshots import (
    _rows,
    create_snapshot,
    current_figures,
    list_snapshots,
    load_snapshot,
    snapshot_info,
)
from monitoring.evaluate import evaluate_portfolio
from monitoring.review import KINDS
from monitoring.settings import Settings

TODAY = dt.date(2026, 11, 22)
AS_OF = dt.date(2026, 10, 31)
FROZEN_AT = dt.datetime(2026, 11, 23, 9, 30)


@pytest.fixture
def seeded(connection: Connection) -> Connection:
    seed_database(connection, projects=25, seed=11, today=TODAY)
    return connection


def _freeze(connection: Connection, scope: Scope = Scope.whole_organisation("administrator"), **overrides) -> int:
    values = {
        "name": "Q3 2026 review",
        "scope": scope,
        "as_of": AS_OF,
        "created_by": "lead@example.org",
        "settings": Settings(),
        "now": FROZEN_AT,
    }
    return create_snapshot(connection, **{**values, **overrides})


def _encoded(figures, kind: str) -> list[tuple]:
    """The rows a snapshot stores for one kind: typed keys and status, then the values decoded."""
    table = figures.table(kind)
    if kind == "kpi":
        table = table.assign(value=table["value"].astype(object))
    return [
        (r["kind"], r["project_code"], r["indicator_code"], r["flag_code"], r["item"], r["status"], r["values_json"])
        for r in _rows(0, kind, table)
    ]


def assert_same_rows(got, want, kind: str, exact: bool) -> None:
    """Stored rows equal: exactly on SQLite; on PostgreSQL numbers to 12 significant digits (two
    fresh evaluations there already differ in the last bits: tests/test_evalstore.py)."""
    got, want = _encoded(got, kind), _encoded(want, kind)
    assert [r[:-1] for r in got] == [r[:-1] for r in want], kind
    for g, w in zip(got, want, strict=True):
        if exact:
            assert g[-1] == w[-1], (kind, g[:-1])
        else:
            g_values, w_values = json.loads(g[-1]), json.loads(w[-1])
            assert g_values.keys() == w_values.keys(), kind
            for column, value in g_values.items():
                if isinstance(value, float) and isinstance(w_values[column], float):
                    assert math.isclose(value, w_values[column], rel_tol=1e-12), (kind, g[:-1], column)
                else:
                    assert value == w_values[column], (kind, g[:-1], column)


@pytest.mark.parametrize("place", ["organisation", "country"])
def test_a_snapshot_from_the_stored_evaluations_equals_one_from_a_fresh_evaluation(
    seeded: Connection, place: str
) -> None:
    """Snapshots read ``data_access.evalstore`` (docs/review.md): what they freeze, and today's
    figures a pack or "what changed" reads, are those of a fresh ``evaluate_portfolio``."""
    leadership = Scope.whole_organisation("administrator")
    country = seeded.scalar(
        text(
            "SELECT c.iso3 FROM projects p JOIN country_offices o ON o.id = p.managing_office_id "
            "JOIN countries c ON c.id = o.country_id GROUP BY c.iso3 ORDER BY count(*) DESC, c.iso3 LIMIT 1"
        )
    )
    scope = leadership if place == "organisation" else Scope.bounded_by_place("administrator", countries=(country,))
    fresh = current_figures(seeded, scope, AS_OF, Settings(), stored=False)
    assert seeded.scalar(select(func.count()).select_from(m.EvaluationRun)) == 0  # fresh stores nothing
    today = current_figures(seeded, scope, AS_OF, Settings())
    _info, frozen = load_snapshot(seeded, _freeze(seeded, scope), leadership)
    exact = seeded.dialect.name == "sqlite"
    assert len(fresh.indicators) > 20 and fresh.indicators["comment"].notna().any()
    for kind in KINDS:
        assert_same_rows(today, fresh, kind, exact)
        assert_same_rows(frozen, fresh, kind, exact)
    stored = seeded.scalar(select(func.count()).select_from(m.EVALUATION_TABLES["projects"]))
    assert stored == len(fresh.projects)  # read from the store, which now holds the scope's projects


def test_a_snapshot_stores_every_figure_of_the_one_code_path(seeded: Connection) -> None:
    snapshot_id = _freeze(seeded)
    info, stored = load_snapshot(seeded, snapshot_id, Scope.whole_organisation("administrator"))
    fresh = current_figures(seeded, Scope.whole_organisation("administrator"), AS_OF, Settings())
    for kind in KINDS:
        assert _encoded(stored, kind) == _encoded(fresh, kind), kind
    # against report's rows (the same evaluation), read by key
    evaluation = evaluate_portfolio(
        load_portfolio(seeded, Scope.whole_organisation("administrator"), PortfolioFilter(as_of=AS_OF)),
        AS_OF,
        Settings(),
    )
    expected = evaluation.indicators.set_index(["project_code", "indicator_code"])
    got = stored.indicators.set_index(["project_code", "indicator_code"])
    assert len(got) == len(expected) > 100
    assert got["status"].tolist() == expected.loc[got.index, "status"].tolist()
    assert got["reason"].tolist() == expected.loc[got.index, "reason"].tolist()
    # numbers are stored to 15 significant digits (docs/review.md)
    assert got["ratio"].fillna(-1).tolist() == pytest.approx(
        expected.loc[got.index, "ratio"].fillna(-1).tolist(), rel=1e-13
    )
    assert stored.kpis["projects"] == 25
    assert info.name == "Q3 2026 review" and info.created_by == "lead@example.org" and info.created_at == FROZEN_AT
    assert (
        info.as_of == AS_OF
        and info.scope == Scope.whole_organisation("lead@example.org")
        and info.settings == Settings()
    )
    assert info.data_version is None  # seeded, never imported
    assert info.n_figures == sum(len(stored.table(k)) for k in KINDS)
    # stored as JSON objects keyed by the position of the snapshot's columns, typed keys beside them
    columns = json.loads(seeded.scalar(select(m.Snapshot.columns_json)))
    row = seeded.execute(
        select(m.SnapshotFigure.values_json, m.SnapshotFigure.project_code, m.SnapshotFigure.status)
        .where(m.SnapshotFigure.snapshot_id == snapshot_id, m.SnapshotFigure.kind == "project")
        .limit(1)
    ).one()
    values = {columns["project"][int(i)]: v for i, v in json.loads(row.values_json).items()}
    assert values["project_code"] == row.project_code and values["results_status"] == row.status


def test_the_settings_in_force_and_the_data_version_are_kept(seeded: Connection) -> None:
    seeded.execute(
        m.ImportBatch.__table__.insert().values(
            started_at=FROZEN_AT,
            user_name="ana",
            file_name="x.csv",
            file_sha256="0" * 64,
            file_format="csv",
            outcome="imported",
        )
    )
    batch = seeded.scalar(select(m.ImportBatch.id))
    strict = Settings(on_track_min=0.9)
    info = snapshot_info(seeded, _freeze(seeded, settings=strict))
    assert info.settings == strict and info.data_version == batch


@pytest.mark.parametrize("table", ["snapshots", "snapshot_figures"])
def test_the_database_refuses_to_update_or_delete_a_snapshot(seeded: Connection, table: str) -> None:
    snapshot_id = _freeze(seeded)
    model = m.Snapshot if table == "snapshots" else m.SnapshotFigure
    key = model.id if table == "snapshots" else model.snapshot_id
    changes = [
        update(model).where(key == snapshot_id).values(kind="kpi")
        if table == "snapshot_figures"
        else update(model).where(key == snapshot_id).values(name="edited"),
        delete(model).where(key == snapshot_id),
    ]
    for change in changes:
        with pytest.raises(DBAPIError, match="snapshots never change"), seeded.begin_nested():
            seeded.execute(change)
    assert snapshot_info(seeded, snapshot_id).name == "Q3 2026 review"
    assert seeded.scalar(text(f"SELECT count(*) FROM {table}")) > 0


def test_a_snapshot_is_read_only_within_a_scope_that_holds_it(seeded: Connection) -> None:
    codes = seeded.execute(text("SELECT code FROM projects ORDER BY code")).scalars().all()
    organisation = _freeze(seeded)
    mine = _freeze(seeded, Scope.by_project("test", codes=codes[:3]), name="PM review")
    manager = Scope.by_project("test", codes=codes[:3])
    with pytest.raises(NotFound, match=f"No snapshot {organisation} in your scope"):
        load_snapshot(seeded, organisation, manager)
    _info, figures = load_snapshot(seeded, mine, manager)
    assert sorted(figures.projects["project_code"]) == codes[:3]
    assert set(figures.flags["project_code"]) <= set(codes[:3])
    with pytest.raises(NotFound):
        load_snapshot(seeded, mine, Scope.by_project("test", codes=(codes[5],)))
    load_snapshot(seeded, mine, Scope.whole_organisation("administrator"))  # leadership reads every snapshot
    with pytest.raises(NotFound):
        load_snapshot(seeded, 999_999, Scope.whole_organisation("administrator"))
    listed = list_snapshots(seeded)
    assert listed["id"].tolist() == [mine, organisation]
    assert listed["name"].tolist() == ["PM review", "Q3 2026 review"]


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_a_snapshot_needs_a_name(seeded: Connection, name: str) -> None:
    with pytest.raises(InvalidInput, match="name"):
        _freeze(seeded, name=name)


def test_the_command_prints_the_new_id_last_and_lists_it(tmp_path, capsys, monkeypatch) -> None:
    from data_access import cli
    from data_access.db import dispose_engine, get_engine, upgrade

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = get_engine(url)
    upgrade(engine)
    seed_database(engine, projects=6, seed=3, today=TODAY)
    monkeypatch.setenv("DATABASE_URL", url)
    with engine.connect() as connection:
        code = connection.execute(text("SELECT min(code) FROM projects")).scalar_one()
    argv = ["snapshot", "create", "--name", "Q3 review", "--as-of", "2026-10-31", "--scope", "organisation"]
    assert cli.main(argv) == 0  # without --as: the administrator freezes it
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.isdigit()
    assert cli.main(["snapshot", "list", "--format", "csv"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[0].startswith("id,name,as_of,scope,frozen_by")
    assert listed[1].startswith(f"{last},Q3 review,2026-10-31,Leadership (whole organisation),administrator")
    assert cli.main(["snapshot", "list", "--format", "csv", "--scope", f"projects:{code}"]) == 0
    # leadership's snapshot is not a programme manager's: the header only
    assert capsys.readouterr().out.strip().splitlines() == [listed[0]]
    assert cli.main(["snapshot", "create", "--name", "x", "--scope", "country:XXX"]) == 1
    assert "no country XXX" in capsys.readouterr().err
    dispose_engine(engine)
