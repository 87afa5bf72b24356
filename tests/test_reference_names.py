"""``init`` names the regions, countries, offices and donors older imports stored under bare codes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import insert, select

from data_access import models as m
from data_access.reference_names import name_reference_rows
from tests.test_data_access_cli import run_cli


def _store_bare_codes(connection) -> None:
    """What an import made before the IATI importer named reference rows: codes as names."""
    region = connection.execute(insert(m.Region).values(code="RO-CANAC", name="RO-CANAC").returning(m.Region.id))
    rid = region.scalar_one()
    kept = connection.execute(insert(m.Region).values(code="RO-SA", name="South America office").returning(m.Region.id))
    connection.execute(
        insert(m.Country),
        [
            {"iso3": "MHL", "name": "MHL", "region_id": rid},
            {"iso3": "XYZ", "name": "XYZ", "region_id": rid},  # not in the reference: stays
            {"iso3": "BRA", "name": "Brasil", "region_id": kept.scalar_one()},  # a person's name: stays
        ],
    )
    mhl = connection.execute(select(m.Country.id).where(m.Country.iso3 == "MHL")).scalar_one()
    connection.execute(insert(m.CountryOffice).values(country_id=mhl, name="MHL country office"))
    connection.execute(
        insert(m.Donor),
        [
            {"name": "XM-DAC-41122"},  # UNICEF by its IATI identifier
            {"name": "XM-OCHA-CERF"},  # its name is stored as well: cannot be renamed onto it
            {"name": "Central Emergency Response Fund (CERF)"},
            {"name": "XI-IATI-UNPF"},  # several pooled funds: no single name, stays
        ],
    )


def _names(connection) -> dict[str, set[str]]:
    return {
        "regions": set(connection.execute(select(m.Region.name)).scalars()),
        "countries": set(connection.execute(select(m.Country.name)).scalars()),
        "offices": set(connection.execute(select(m.CountryOffice.name)).scalars()),
        "donors": set(connection.execute(select(m.Donor.name)).scalars()),
    }


def test_bare_codes_get_reference_names_and_nothing_else_changes(connection) -> None:
    _store_bare_codes(connection)
    run = connection.execute(
        insert(m.EvaluationRun)
        .values(as_of=dt.date(2026, 1, 31), settings_key="k", created_at=dt.datetime(2026, 2, 1))
        .returning(m.EvaluationRun.id)
    ).scalar_one()
    stored = m.EVALUATION_TABLES["projects"]  # a stored figure that still says "RO-CANAC"
    connection.execute(insert(stored).values(run_id=run, project_id=1, position=0, region_name="RO-CANAC"))

    lines = name_reference_rows(connection)

    assert _names(connection) == {
        "regions": {
            "Regional Office for Central America, North America and the Caribbean (San José)",
            "South America office",
        },
        "countries": {"Marshall Islands", "XYZ", "Brasil"},
        "offices": {"Marshall Islands country office"},
        "donors": {
            "United Nations Children's Fund (UNICEF)",
            "XM-OCHA-CERF",
            "Central Emergency Response Fund (CERF)",
            "XI-IATI-UNPF",
        },
    }
    assert lines == [
        "region RO-CANAC: Regional Office for Central America, North America and the Caribbean (San José)",
        "country MHL: Marshall Islands",
        "office MHL country office: Marshall Islands country office",
        "donor XM-DAC-41122: United Nations Children's Fund (UNICEF)",
        "donor XM-OCHA-CERF: left as it is, a donor 'Central Emergency Response Fund (CERF)' exists already",
    ]
    assert connection.execute(select(stored)).first() is None
    assert name_reference_rows(connection) == [
        "donor XM-OCHA-CERF: left as it is, a donor 'Central Emergency Response Fund (CERF)' exists already"
    ]  # a second run renames nothing


def test_init_command_renames_and_says_so(tmp_path: Path) -> None:
    from data_access import db

    url = f"sqlite:///{tmp_path / 'old.db'}"
    assert run_cli("init", database_url=url).returncode == 0
    engine = db.get_engine(url)
    try:
        with engine.begin() as connection:
            _store_bare_codes(connection)
        result = run_cli("init", database_url=url)
        assert result.returncode == 0, result.stderr
        assert "Reference rows stored under bare codes by older imports" in result.stdout
        assert "  country MHL: Marshall Islands" in result.stdout
        with engine.connect() as connection:
            assert "Marshall Islands" in _names(connection)["countries"]
    finally:
        db.dispose_engine(engine)
