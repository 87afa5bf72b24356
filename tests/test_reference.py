"""The one table of countries and regional offices, and the code lists: hand-written expectations."""

from __future__ import annotations

import json

import pytest

from reference.places import BY_ISO2, BY_ISO3, COUNTRIES, REGION_NAMES, REGIONS
from reference.vocabulary import (
    AAP_COMMITMENTS,
    EVIDENCE_LABELS,
    EVIDENCE_SOURCES,
    GENDER_SCHEMES,
    MARKER_SCHEMES,
)
from sample_data.reference import COUNTRIES as SAMPLE_COUNTRIES
from tests.environment import SHARED_IATI, needs_shared_iati

COUNTRY_CODELIST = SHARED_IATI / "codelists" / "json" / "Country.json"


def test_nine_regional_offices_in_the_generator_order():
    assert [code for code, _ in REGIONS] == [
        "ROAP",
        "RO-EEA",
        "RO-SA",
        "RO-MENA",
        "RO-WCA",
        "RO-EHoA",
        "RO-SAF",
        "RO-CANAC",
        "RO-SEEECA",
    ]
    assert REGION_NAMES["RO-SAF"] == "Regional Office for Southern Africa (Pretoria)"


@pytest.mark.parametrize(
    ("iso2", "iso3", "name", "region"),
    [
        # the organisation's placements, which differ from the UN's geographic regions
        ("CD", "COD", "Democratic Republic of the Congo", "RO-SAF"),
        ("SD", "SDN", "Sudan", "RO-MENA"),
        ("SS", "SSD", "South Sudan", "RO-EHoA"),
        ("IR", "IRN", "Iran (Islamic Republic of)", "ROAP"),
        ("TR", "TUR", "Türkiye", "RO-SEEECA"),
        ("CG", "COG", "Congo", "RO-WCA"),
        ("MX", "MEX", "Mexico", "RO-CANAC"),
        ("US", "USA", "United States of America", "RO-CANAC"),
        ("GB", "GBR", "United Kingdom of Great Britain and Northern Ireland", "RO-EEA"),
        ("TZ", "TZA", "United Republic of Tanzania", "RO-EHoA"),
        ("KP", "PRK", "Democratic People's Republic of Korea", "ROAP"),
        ("PS", "PSE", "State of Palestine", "RO-MENA"),
        ("CI", "CIV", "Côte d'Ivoire", "RO-WCA"),
        ("XK", "XKX", "Kosovo", "RO-SEEECA"),
        ("AQ", "ATA", "Antarctica", None),
    ],
)
def test_country_codes_names_and_offices(iso2, iso3, name, region):
    country = BY_ISO2[iso2]
    assert (country.iso3, country.name, country.region) == (iso3, name, region)
    assert BY_ISO3[iso3] is country


def test_codes_are_unique_and_only_antarctica_has_no_office():
    assert len(COUNTRIES) == len(BY_ISO2) == len(BY_ISO3) == 250
    assert [c.iso3 for c in COUNTRIES if c.region is None] == ["ATA"]
    assert {c.region for c in COUNTRIES} - set(REGION_NAMES) == {None}
    assert [c.name for c in COUNTRIES if "(the" in c.name or ", the " in c.name] == []


@needs_shared_iati
def test_every_iati_country_code_is_in_the_table():
    codes = {item["code"] for item in json.loads(COUNTRY_CODELIST.read_text(encoding="utf-8"))["items"]}
    assert codes - set(BY_ISO2) == {"AN"}  # the Netherlands Antilles, dissolved in 2010
    assert set(BY_ISO2) - codes == set()


def test_the_sample_countries_are_placed_by_the_one_table():
    placed = {c.iso3: (c.name, c.region) for c in SAMPLE_COUNTRIES}
    assert len(placed) == 67
    assert placed["COD"] == ("Democratic Republic of the Congo", "RO-SAF")
    assert placed["SDN"] == ("Sudan", "RO-MENA")
    assert placed["SEN"] == ("Senegal", "RO-WCA")


def test_code_lists_that_other_lists_refer_to():
    assert GENDER_SCHEMES == ("IOM_GM", "IASC_GAM", "DAC_GENDER")
    assert set(GENDER_SCHEMES) <= set(MARKER_SCHEMES)
    assert tuple(EVIDENCE_LABELS) == EVIDENCE_SOURCES
    assert AAP_COMMITMENTS == ("leadership", "information", "feedback", "participation", "design_monitoring")
