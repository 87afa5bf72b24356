"""Reference data of the sample portfolio: real regions, countries, donors and currencies.

Everything here is public and real (the countries of :mod:`reference.places` the sample works in,
donor names, ISO 4217 currencies, MiGOF, the GCM objectives) except the people: managers and chiefs of
mission are fictional names composed from ``FIRST_NAMES`` and ``LAST_NAMES``.

``fragile`` marks countries on the World Bank FY2025 list of fragile and conflict-affected
situations (or with an active humanitarian response plan); their projects get
``high_risk_context = True`` and, in the generator, a lower performance on average.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reference.places import BY_ISO3


@dataclass(frozen=True)
class CountryRef:
    """A country of the sample: its name and regional office come from :mod:`reference.places`."""

    iso3: str
    fragile: bool = False
    weight: float = 1.0  # relative size of the country's portfolio

    @property
    def name(self) -> str:
        return BY_ISO3[self.iso3].name

    @property
    def region(self) -> str:
        region = BY_ISO3[self.iso3].region
        assert region is not None, self.iso3
        return region


# The order is the generator's draw order (weights, office ids): append, never reorder. Grouped by
# the region each country was first listed under; the Democratic Republic of the Congo (Southern
# Africa office) and Sudan (Middle East and North Africa office) keep their first places.
COUNTRIES: tuple[CountryRef, ...] = (
    # Asia and the Pacific
    CountryRef("AFG", True, 2.5),
    CountryRef("BGD", False, 2.5),
    CountryRef("MMR", True, 1.2),
    CountryRef("PAK", False, 1.5),
    CountryRef("PHL", False, 1.0),
    CountryRef("IDN", False, 0.8),
    CountryRef("THA", False, 0.7),
    CountryRef("VNM", False, 0.6),
    CountryRef("NPL", False, 0.6),
    CountryRef("PNG", True, 0.4),
    # European Economic Area
    CountryRef("BEL", False, 0.4),
    CountryRef("DEU", False, 0.6),
    CountryRef("GRC", False, 0.9),
    CountryRef("ITA", False, 0.7),
    CountryRef("ESP", False, 0.4),
    # South America
    CountryRef("COL", False, 2.0),
    CountryRef("PER", False, 1.0),
    CountryRef("ECU", False, 0.9),
    CountryRef("BRA", False, 1.0),
    CountryRef("CHL", False, 0.5),
    CountryRef("VEN", True, 0.8),
    # Middle East and North Africa
    CountryRef("EGY", False, 0.8),
    CountryRef("IRQ", True, 2.0),
    CountryRef("JOR", False, 0.8),
    CountryRef("LBN", True, 1.0),
    CountryRef("LBY", True, 1.2),
    CountryRef("MAR", False, 0.6),
    CountryRef("SYR", True, 1.5),
    CountryRef("TUN", False, 0.6),
    CountryRef("YEM", True, 1.5),
    # West and Central Africa
    CountryRef("BFA", True, 1.0),
    CountryRef("CMR", True, 0.8),
    CountryRef("TCD", True, 1.0),
    CountryRef("MLI", True, 1.0),
    CountryRef("NER", True, 1.2),
    CountryRef("NGA", True, 2.0),
    CountryRef("SEN", False, 0.7),
    CountryRef("GHA", False, 0.5),
    CountryRef("CAF", True, 0.6),
    CountryRef("COD", True, 1.5),  # Southern Africa office
    # East and Horn of Africa
    CountryRef("ETH", True, 2.0),
    CountryRef("KEN", False, 1.0),
    CountryRef("SOM", True, 1.8),
    CountryRef("SSD", True, 1.5),
    CountryRef("SDN", True, 1.5),  # Middle East and North Africa office
    CountryRef("UGA", False, 0.7),
    CountryRef("DJI", False, 0.5),
    # Southern Africa
    CountryRef("ZAF", False, 0.7),
    CountryRef("MOZ", True, 1.2),
    CountryRef("ZWE", True, 0.6),
    CountryRef("MWI", False, 0.5),
    CountryRef("ZMB", False, 0.4),
    CountryRef("MDG", False, 0.4),
    # Central America, North America and the Caribbean
    CountryRef("GTM", False, 0.9),
    CountryRef("HND", False, 0.8),
    CountryRef("SLV", False, 0.6),
    CountryRef("MEX", False, 1.0),
    CountryRef("HTI", True, 1.3),
    CountryRef("CRI", False, 0.4),
    CountryRef("PAN", False, 0.5),
    # South-Eastern Europe, Eastern Europe and Central Asia
    CountryRef("UKR", True, 2.5),
    CountryRef("MDA", False, 0.6),
    CountryRef("TUR", False, 1.5),
    CountryRef("BIH", False, 0.5),
    CountryRef("KGZ", False, 0.4),
    CountryRef("TJK", False, 0.4),
    CountryRef("GEO", False, 0.4),
)


@dataclass(frozen=True)
class DonorRef:
    name: str
    donor_type: str  # government, multilateral, pooled_fund, private
    currency: str  # the currency its agreements are usually signed in
    weight: float


DONORS: tuple[DonorRef, ...] = (
    DonorRef("United States Agency for International Development (USAID)", "government", "USD", 9.0),
    DonorRef("U.S. Department of State, Bureau of Population, Refugees and Migration (PRM)", "government", "USD", 8.0),
    DonorRef("European Commission, Humanitarian Aid and Civil Protection (ECHO)", "multilateral", "EUR", 6.0),
    DonorRef(
        "European Union, Directorate-General for International Partnerships (DG INTPA)", "multilateral", "EUR", 5.0
    ),
    DonorRef(
        "European Union, Directorate-General for Neighbourhood and Enlargement Negotiations (DG NEAR)",
        "multilateral",
        "EUR",
        2.5,
    ),
    DonorRef("Foreign, Commonwealth & Development Office (FCDO), United Kingdom", "government", "GBP", 4.0),
    DonorRef("German Federal Foreign Office (GFFO)", "government", "EUR", 5.0),
    DonorRef("Federal Ministry for Economic Cooperation and Development (BMZ), Germany", "government", "EUR", 2.0),
    DonorRef("Government of Japan", "government", "JPY", 3.5),
    DonorRef("Global Affairs Canada", "government", "CAD", 2.0),
    DonorRef("Swedish International Development Cooperation Agency (Sida)", "government", "SEK", 1.5),
    DonorRef("Ministry of Foreign Affairs of the Netherlands", "government", "EUR", 2.0),
    DonorRef("Norwegian Ministry of Foreign Affairs", "government", "NOK", 1.5),
    DonorRef("Swiss Agency for Development and Cooperation (SDC)", "government", "CHF", 1.5),
    DonorRef("State Secretariat for Migration (SEM), Switzerland", "government", "CHF", 0.8),
    DonorRef("Danish Ministry of Foreign Affairs (Danida)", "government", "DKK", 1.0),
    DonorRef("Department of Foreign Affairs and Trade (DFAT), Australia", "government", "AUD", 1.2),
    DonorRef("Italian Ministry of Foreign Affairs and International Cooperation", "government", "EUR", 1.2),
    DonorRef("Korea International Cooperation Agency (KOICA)", "government", "USD", 0.8),
    DonorRef("Central Emergency Response Fund (CERF)", "pooled_fund", "USD", 3.0),
    DonorRef("Country-Based Pooled Funds (OCHA)", "pooled_fund", "USD", 1.5),
    DonorRef("UN Migration Multi-Partner Trust Fund", "pooled_fund", "USD", 0.8),
    DonorRef("Peacebuilding Fund", "pooled_fund", "USD", 0.8),
    DonorRef("World Bank", "multilateral", "USD", 1.5),
    DonorRef("Global Fund to Fight AIDS, Tuberculosis and Malaria", "multilateral", "USD", 0.8),
    DonorRef("IOM Development Fund", "multilateral", "USD", 0.7),
    DonorRef("Government of Colombia", "government", "USD", 0.3),
    DonorRef("Bill & Melinda Gates Foundation", "private", "USD", 0.3),
)

# USD value of one unit at the start of the rate table, and the monthly volatility of its log.
CURRENCIES: dict[str, tuple[float, float]] = {
    "USD": (1.0, 0.0),
    "EUR": (1.08, 0.018),
    "GBP": (1.27, 0.018),
    "CHF": (1.12, 0.016),
    "JPY": (0.0068, 0.022),
    "SEK": (0.095, 0.022),
    "NOK": (0.094, 0.022),
    "DKK": (0.145, 0.018),
    "CAD": (0.74, 0.014),
    "AUD": (0.66, 0.020),
}

# Migration Governance Framework: three principles and three objectives.
MIGOF: tuple[tuple[str, str], ...] = (
    ("P1", "Adherence to international standards and fulfilment of migrants' rights"),
    ("P2", "Formulating policy using evidence and a whole-of-government approach"),
    ("P3", "Engagement with partners to address migration and related issues"),
    ("O1", "Advancing the socioeconomic well-being of migrants and society"),
    ("O2", "Effectively addressing the mobility dimensions of crises"),
    ("O3", "Ensuring that migration takes place in a safe, orderly and dignified manner"),
)

# Global Compact for Safe, Orderly and Regular Migration: objectives 1-23 (short titles).
GCM_OBJECTIVES: tuple[str, ...] = (
    "Collect and utilize accurate and disaggregated data",
    "Minimize the adverse drivers of migration",
    "Provide accurate and timely information at all stages of migration",
    "Ensure that all migrants have proof of legal identity",
    "Enhance availability and flexibility of pathways for regular migration",
    "Facilitate fair and ethical recruitment and decent work",
    "Address and reduce vulnerabilities in migration",
    "Save lives and establish coordinated efforts on missing migrants",
    "Strengthen the transnational response to smuggling of migrants",
    "Prevent, combat and eradicate trafficking in persons",
    "Manage borders in an integrated, secure and coordinated manner",
    "Strengthen certainty and predictability in migration procedures",
    "Use immigration detention only as a measure of last resort",
    "Enhance consular protection, assistance and cooperation",
    "Provide access to basic services for migrants",
    "Empower migrants and societies to realize full inclusion and social cohesion",
    "Eliminate discrimination and promote evidence-based public discourse",
    "Invest in skills development and facilitate mutual recognition of skills",
    "Create conditions for migrants and diasporas to contribute to sustainable development",
    "Promote faster, safer and cheaper transfer of remittances",
    "Cooperate in facilitating safe and dignified return, readmission and reintegration",
    "Establish mechanisms for the portability of social security entitlements",
    "Strengthen international cooperation and global partnerships",
)

# IOM Strategic Plan 2024-2028 objectives (the organisation's strategic results framework).
SRF_OBJECTIVES: tuple[tuple[str, str], ...] = (
    ("1", "Saving lives and protecting people on the move"),
    ("2", "Driving solutions to displacement"),
    ("3", "Facilitating pathways for regular migration"),
)

SDG_TARGETS_JSON = Path(__file__).resolve().parents[2] / "shared/iati/codelists/json/UNSDG-Targets.json"


@cache
def sdg_target_codes(path: Path = SDG_TARGETS_JSON) -> frozenset[str]:
    """Codes of the IATI UNSDG-Targets codelist, to check that every SDG tag the themes use is real.

    Only tests read it: the generator's SDG tags are fixed per theme (``sample_data.themes``) so
    that the data never depends on whether the codelist is present on the machine.
    """
    items = json.loads(path.read_text(encoding="utf-8"))["items"]
    return frozenset(item["code"] for item in items)


FIRST_NAMES: tuple[str, ...] = (
    "Amina",
    "Tomás",
    "Leila",
    "Kofi",
    "Mei",
    "Rahul",
    "Sofia",
    "Daniel",
    "Fatou",
    "Olena",
    "Carlos",
    "Nadia",
    "Samuel",
    "Hana",
    "Ibrahim",
    "Lucía",
    "Jonas",
    "Aisha",
    "Mateo",
    "Ingrid",
    "Yusuf",
    "Marta",
    "Kenji",
    "Zainab",
    "Pierre",
    "Grace",
    "Arjun",
    "Elif",
    "Joseph",
    "Camila",
    "Hassan",
    "Anna",
    "Tendai",
    "Laura",
    "Omar",
    "Priya",
    "Nikolai",
    "Chiara",
    "Abdi",
    "Rosa",
    "Dmitri",
    "Esther",
    "Farid",
    "Julia",
    "Moses",
    "Sara",
    "Ahmed",
    "Claire",
    "Emeka",
    "Noor",
    "Diego",
    "Helena",
    "Musa",
    "Yuki",
    "Marie",
    "Kwame",
    "Ana",
    "Bilal",
    "Ewa",
    "Thabo",
    "Lina",
    "Rafael",
    "Selam",
    "Miguel",
    "Asha",
    "Viktor",
    "Beatriz",
    "Khalid",
    "Agnes",
    "Rania",
)
LAST_NAMES: tuple[str, ...] = (
    "Okafor",
    "García",
    "Haddad",
    "Mensah",
    "Chen",
    "Sharma",
    "Rossi",
    "Müller",
    "Diallo",
    "Kovalenko",
    "Rodríguez",
    "Rahman",
    "Kariuki",
    "Tanaka",
    "Yilmaz",
    "Fernández",
    "Lindqvist",
    "Abdullahi",
    "Moreno",
    "Hansen",
    "Nasser",
    "Silva",
    "Banda",
    "Petrov",
    "Dubois",
    "Achieng",
    "Nguyen",
    "Kaya",
    "Mwangi",
    "López",
    "Said",
    "Novak",
    "Moyo",
    "Bianchi",
    "Hussein",
    "Patel",
    "Ivanova",
    "Esposito",
    "Warsame",
    "Castillo",
    "Sokolov",
    "Owusu",
    "Karimi",
    "Schmidt",
    "Tesfaye",
    "Lund",
    "Mahmoud",
    "Lefebvre",
    "Adeyemi",
    "Qureshi",
    "Vargas",
    "Jansen",
    "Phiri",
    "Sato",
    "Martin",
    "Asante",
    "Pereira",
    "Aziz",
    "Kowalska",
    "Dlamini",
    "Farah",
    "Herrera",
    "Gebre",
    "Ortega",
    "Odhiambo",
    "Popescu",
    "Santos",
    "Al-Amin",
    "Wanjiru",
    "Nilsson",
)
