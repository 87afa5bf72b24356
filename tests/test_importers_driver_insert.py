"""``driver_insert.insert_rows`` stores exactly what SQLAlchemy Core would, on SQLite and PostgreSQL.

The importer sends its rows straight to the driver's executemany; these tests pin the three things
that shortcut must not change: the stored text of dates and datetimes (SQLite keeps them as text,
and every query compares them as text), the model's scalar defaults for absent keys, and the refusal
of a key that is not a column.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert, select, text

from data_access import models as m
from data_access.importers.driver_insert import insert_rows
from tests.factories import make_indicator


def _stored(session, where: str) -> list[tuple]:
    """The raw column values as the database holds them (text for SQLite dates), oldest first."""
    sql = (
        "SELECT CAST(period_start AS TEXT), CAST(period_end AS TEXT), CAST(superseded_at AS TEXT), "
        "value, source, version, is_current FROM actuals WHERE " + where + " ORDER BY id"
    )
    return [tuple(row) for row in session.connection().execute(text(sql))]


def test_rows_are_stored_as_core_stores_them(session):
    indicator = make_indicator(session)
    other = make_indicator(session)
    row = {
        "period_start": dt.date(2024, 1, 1),
        "period_end": dt.date(2024, 3, 31),
        "value": 12.5,
        "source": "evaluation",
        "version": 2,
        "is_current": False,
        "superseded_at": dt.datetime(2024, 5, 6, 7, 8, 9),
    }
    session.connection().execute(insert(m.Actual), [{"indicator_id": indicator.id, **row}])
    insert_rows(session.connection(), m.Actual.__table__, [{"indicator_id": other.id, **row}])

    via_core = _stored(session, f"indicator_id = {indicator.id}")
    via_driver = _stored(session, f"indicator_id = {other.id}")
    assert via_driver == via_core
    assert via_driver[0][3:6] == (12.5, "evaluation", 2)


def test_absent_keys_take_the_model_defaults(session):
    indicator = make_indicator(session)
    rows = [
        {"indicator_id": indicator.id, "period_start": dt.date(2024, 1, 1), "period_end": dt.date(2024, 3, 31)},
        {
            "indicator_id": indicator.id,
            "period_start": dt.date(2024, 4, 1),
            "period_end": dt.date(2024, 6, 30),
            "value": 3.0,
            "source": "self_reported",
            "version": 4,
            "is_current": False,
        },
    ]
    insert_rows(session.connection(), m.Actual.__table__, rows)

    stored = (
        session.connection()
        .execute(
            select(
                m.Actual.period_start,
                m.Actual.value,
                m.Actual.source,
                m.Actual.version,
                m.Actual.is_current,
                m.Actual.superseded_at,
            )
            .where(m.Actual.indicator_id == indicator.id)
            .order_by(m.Actual.period_start)
        )
        .all()
    )
    assert [tuple(r) for r in stored] == [
        (dt.date(2024, 1, 1), None, "project_monitoring", 1, True, None),  # defaults of models.Actual
        (dt.date(2024, 4, 1), 3.0, "self_reported", 4, False, None),
    ]


def test_new_rows_get_database_ids(session):
    indicator = make_indicator(session)
    insert_rows(session.connection(), m.ActualBreakdown.__table__, [])  # nothing to do, nothing sent
    insert_rows(
        session.connection(),
        m.Target.__table__,
        [
            {
                "indicator_id": indicator.id,
                "period_start": dt.date(2024, 1, 1),
                "period_end": dt.date(2024, 12, 31),
                "target": 10.0,
            },
            {
                "indicator_id": indicator.id,
                "period_start": dt.date(2025, 1, 1),
                "period_end": dt.date(2025, 12, 31),
                "target": 20.0,
            },
        ],
    )
    ids = (
        session.connection()
        .execute(select(m.Target.id).where(m.Target.indicator_id == indicator.id).order_by(m.Target.id))
        .scalars()
        .all()
    )
    assert len(ids) == 2 and ids[0] != ids[1] and all(isinstance(i, int) for i in ids)


def test_a_key_that_is_not_a_column_is_refused(session):
    indicator = make_indicator(session)
    with pytest.raises(KeyError, match="actuals has no column valeu"):
        insert_rows(
            session.connection(),
            m.Actual.__table__,
            [
                {
                    "indicator_id": indicator.id,
                    "period_start": dt.date(2024, 1, 1),
                    "period_end": dt.date(2024, 3, 31),
                    "valeu": 3.0,
                },
            ],
        )
