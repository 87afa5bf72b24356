"""Reference data the IATI importer needs and the standard does not carry.

Countries (IATI's alpha-2 codes, the alpha-3 codes of the data model, the regional office of each)
are the organisation-wide table of :mod:`reference.places`.

* ``SECTOR_CATEGORIES``: the OECD-DAC sector categories (IATI SectorCategory codelist), so a
  5-digit DAC purpose code without a narrative can still be named as a thematic area.
* ``DAC_MARKER_SCHEMES``: the IATI PolicyMarker codes (vocabulary 1) that have a scheme in
  ``reference.vocabulary.MARKER_SCHEMES``.
* ``DAC_REGIONS`` and ``POLICY_MARKERS``: names for the codes the import report quotes (an activity
  with only recipient regions is skipped; a policy marker without a scheme is counted as skipped),
  so a user reads "South America (region 489, OECD DAC)" and "policy marker 9 RMNCH", not bare
  codes. Taken from the IATI codelists Region (vocabulary 1, OECD DAC; ", regional" dropped) and
  PolicyMarker (vocabulary 1) as kept in ``../shared/iati/codelists/json`` (2.03); the long
  PolicyMarker names of the Rio conventions are cut to their subject ("Aid Targeting the Objectives
  of the Convention on Biological Diversity" -> "Biodiversity"), RMNCH to its acronym, and the
  missing space of "Disaster Risk Reduction(DRR)" is restored. Copied here because the application
  never reads ``../shared`` at run time.
* ``M49_REGIONS``: the UN M49 geographic regions (vocabulary 2), whose names the IATI codelists do
  not carry: the regions and sub-regions of the UN Statistics Division's standard (IOM publishes
  "1", "419", "202"...; codes are compared as numbers, so "001" and "1" are both World). Codes not
  listed (a publisher's own vocabulary 99) are quoted as published, with the vocabulary named from
  the RegionVocabulary codelist (``REGION_VOCABULARIES``).
"""

from __future__ import annotations

# OECD-DAC sector category (first three digits of a DAC 5-digit purpose code) -> name.
SECTOR_CATEGORIES: dict[str, str] = {
    "111": "Education, Level Unspecified",
    "112": "Basic Education",
    "113": "Secondary Education",
    "114": "Post-Secondary Education",
    "121": "Health, General",
    "122": "Basic Health",
    "123": "Non-communicable diseases (NCDs)",
    "130": "Population Policies/Programmes & Reproductive Health",
    "140": "Water Supply & Sanitation",
    "151": "Government & Civil Society-general",
    "152": "Conflict, Peace & Security",
    "160": "Other Social Infrastructure & Services",
    "210": "Transport & Storage",
    "220": "Communications",
    "230": "ENERGY GENERATION AND SUPPLY",
    "231": "Energy Policy",
    "232": "Energy generation, renewable sources",
    "233": "Energy generation, non-renewable sources",
    "234": "Hybrid energy plants",
    "235": "Nuclear energy plants",
    "236": "Energy distribution",
    "240": "Banking & Financial Services",
    "250": "Business & Other Services",
    "311": "Agriculture",
    "312": "Forestry",
    "313": "Fishing",
    "321": "Industry",
    "322": "Mineral Resources & Mining",
    "323": "Construction",
    "331": "Trade Policies & Regulations",
    "332": "Tourism",
    "410": "General Environment Protection",
    "430": "Other Multisector",
    "510": "General Budget Support",
    "520": "Development Food Assistance",
    "530": "Other Commodity Assistance",
    "600": "Action Relating to Debt",
    "720": "Emergency Response",
    "730": "Reconstruction Relief & Rehabilitation",
    "740": "Disaster Prevention & Preparedness",
    "910": "Administrative Costs of Donors",
    "920": "SUPPORT TO NON- GOVERNMENTAL ORGANISATIONS (NGOs)",
    "930": "Refugees in Donor Countries",
    "998": "Unallocated / Unspecified",
}

# IATI PolicyMarker code (vocabulary 1, OECD-DAC) -> marker scheme of the data model. The other
# DAC markers (3 governance, 4 trade, 5 biodiversity, 8 desertification, 9 RMNCH, 12 nutrition)
# have no scheme in the dashboard and are reported as skipped.
DAC_MARKER_SCHEMES: dict[str, str] = {
    "1": "DAC_GENDER",
    "2": "DAC_ENVIRONMENT",
    "6": "DAC_CLIMATE_MITIGATION",
    "7": "DAC_CLIMATE_ADAPTATION",
    "10": "DAC_DRR",
    "11": "DAC_DISABILITY",
}

# The organisation identifier of IOM in IATI: its policy-marker vocabulary 99 is the IOM Gender
# Marker (codes 0, 1, 2A, 2B, NA).
IOM_ORG_REF = "XM-DAC-47066"

# IATI Region codelist, vocabulary 1 (OECD DAC) -> name; 380 West Indies is withdrawn but may still
# be published.
DAC_REGIONS: dict[str, str] = {
    "88": "States Ex-Yugoslavia unspecified",
    "89": "Europe",
    "189": "North of Sahara",
    "289": "South of Sahara",
    "298": "Africa",
    "380": "West Indies",
    "389": "Caribbean & Central America",
    "489": "South America",
    "498": "America",
    "589": "Middle East",
    "619": "Central Asia",
    "679": "South Asia",
    "689": "South & Central Asia",
    "789": "Far East Asia",
    "798": "Asia",
    "889": "Oceania",
    "998": "Developing countries, unspecified",
    "1027": "Eastern Africa",
    "1028": "Middle Africa",
    "1029": "Southern Africa",
    "1030": "Western Africa",
    "1031": "Caribbean",
    "1032": "Central America",
    "1033": "Melanesia",
    "1034": "Micronesia",
    "1035": "Polynesia",
}

# IATI PolicyMarker codelist (vocabulary 1, OECD DAC CRS) -> name.
POLICY_MARKERS: dict[str, str] = {
    "1": "Gender Equality",
    "2": "Aid to Environment",
    "3": "Participatory Development/Good Governance",
    "4": "Trade Development",
    "5": "Biodiversity",
    "6": "Climate Change Mitigation",
    "7": "Climate Change Adaptation",
    "8": "Desertification",
    "9": "RMNCH",
    "10": "Disaster Risk Reduction (DRR)",
    "11": "Disability",
    "12": "Nutrition",
}


# UN M49 (unstats.un.org/unsd/methodology/m49): region and sub-region code (as a number) -> name.
M49_REGIONS: dict[int, str] = {
    1: "World",
    2: "Africa",
    15: "Northern Africa",
    202: "Sub-Saharan Africa",
    14: "Eastern Africa",
    17: "Middle Africa",
    18: "Southern Africa",
    11: "Western Africa",
    19: "Americas",
    419: "Latin America and the Caribbean",
    29: "Caribbean",
    13: "Central America",
    5: "South America",
    21: "Northern America",
    142: "Asia",
    143: "Central Asia",
    30: "Eastern Asia",
    35: "South-eastern Asia",
    34: "Southern Asia",
    145: "Western Asia",
    150: "Europe",
    151: "Eastern Europe",
    154: "Northern Europe",
    39: "Southern Europe",
    155: "Western Europe",
    9: "Oceania",
    53: "Australia and New Zealand",
    54: "Melanesia",
    57: "Micronesia",
    61: "Polynesia",
}


# IATI RegionVocabulary codelist: the vocabularies a recipient region may use.
REGION_VOCABULARIES: dict[str, str] = {"1": "OECD DAC", "2": "UN M49", "99": "the publisher's own"}


def region_label(code: str, vocabulary: str) -> str:
    """``South America (region 489, OECD DAC)``, ``Latin America and the Caribbean (region 419, UN
    M49)``; a code without a name as published, with its vocabulary named when it is a known one:
    ``R1 (vocabulary 99, the publisher's own)``."""
    if vocabulary == "1" and code in DAC_REGIONS:
        return f"{DAC_REGIONS[code]} (region {code}, OECD DAC)"
    if vocabulary == "2" and code.isdigit() and int(code) in M49_REGIONS:
        return f"{M49_REGIONS[int(code)]} (region {code}, UN M49)"
    known = f", {REGION_VOCABULARIES[vocabulary]}" if vocabulary in REGION_VOCABULARIES else ""
    return f"{code} (vocabulary {vocabulary}{known})"


def policy_marker_label(code: str, vocabulary: str) -> str:
    """``policy marker 9 RMNCH``; a code without a name as published: ``policy marker vocabulary 99 code A1``."""
    if vocabulary == "1" and code in POLICY_MARKERS:
        return f"policy marker {code} {POLICY_MARKERS[code]}"
    return f"policy marker vocabulary {vocabulary} code {code}"
