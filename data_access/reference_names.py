"""Reference names for organisation-wide rows stored under bare codes (run by ``init``).

Older imports (before the IATI importer named regions, countries and donors) stored a region
"RO-CANAC", a country "MHL", its office "MHL country office" and a donor "XM-DAC-41122" under their
codes, and the pages showed codes. :func:`name_reference_rows` gives such rows the name of
``reference.places`` / ``reference.organisations``, so every ``init`` (``make run`` runs it at each
start) brings an older database to what a fresh import writes. Only a row whose name *is* its code
(or the office name built from the code) is renamed: a name a person gave is never overwritten. A
donor is left as it is when a donor of that name exists already (two rows cannot share a name, and
merging donors changes projects' funding: that is a person's decision), and the command says so.

No history row is written: the change is the reference's, not a person's, and ``row_history``
entries belong to an import batch (data_access/history.py); the command prints every rename
instead. Stored evaluations carry country and region names, so they are emptied when anything was
renamed (rebuilt as they are read, as after an exchange rate).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, select, update

from data_access import evalstore
from data_access import models as m
from data_access.history import Touched
from reference.organisations import ORGANISATIONS
from reference.places import BY_ISO3, REGION_NAMES


def name_reference_rows(connection: Connection) -> list[str]:
    """Rename the rows stored under bare codes; one line per rename (or refusal), in table order."""
    done: list[str] = []
    renamed_tables: set[str] = set()
    for code, name in connection.execute(select(m.Region.code, m.Region.name)).all():
        if name == code and code in REGION_NAMES:
            connection.execute(update(m.Region).where(m.Region.code == code).values(name=REGION_NAMES[code]))
            done.append(f"region {code}: {REGION_NAMES[code]}")
            renamed_tables.add("regions")
    for cid, iso3, name in connection.execute(select(m.Country.id, m.Country.iso3, m.Country.name)).all():
        if iso3 not in BY_ISO3:
            continue
        proper = BY_ISO3[iso3].name
        if name == iso3:
            connection.execute(update(m.Country).where(m.Country.id == cid).values(name=proper))
            done.append(f"country {iso3}: {proper}")
            renamed_tables.add("countries")
        office = f"{iso3} country office"
        renamed = connection.execute(
            update(m.CountryOffice)
            .where(m.CountryOffice.country_id == cid, m.CountryOffice.name == office)
            .values(name=f"{proper} country office")
        )
        if renamed.rowcount:
            done.append(f"office {office}: {proper} country office")
            renamed_tables.add("country_offices")
    names = set(connection.execute(select(m.Donor.name)).scalars())
    for name in sorted(names & set(ORGANISATIONS)):
        proper = ORGANISATIONS[name]
        if proper in names:
            done.append(f"donor {name}: left as it is, a donor {proper!r} exists already")
            continue
        connection.execute(update(m.Donor).where(m.Donor.name == name).values(name=proper))
        names.add(proper)
        done.append(f"donor {name}: {proper}")
        renamed_tables.add("donors")
    if renamed_tables:  # organisation-wide rows changed: every stored evaluation is emptied
        tables = frozenset(renamed_tables)
        evalstore.refresh(connection, Touched(tables=tables, updated_tables=tables), dt.date.today())
    return done
