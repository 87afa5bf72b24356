"""Names of the donors' IATI organisation identifiers, for a donor an IATI file names only by ``ref``.

IATI's ``participating-org`` carries an organisation identifier (``ref``, e.g. ``XM-DAC-41122``)
and usually a narrative name; a file without the narrative would otherwise store the bare code as
the donor's name. ``ORGANISATIONS`` maps the identifiers of the donors in the real IATI files the
team reads (``../shared/iati/real``: IOM, Cordaid, the Dutch NGOs, OCHA) to the name their
publishers give them, in the publishers' most common spelling (capitals lowered: "UNITED NATIONS
CHILDREN'S FUND" → "United Nations Children's Fund (UNICEF)"). The IATI codelists in
``../shared/iati/codelists`` carry no organisation names, hence this table; it is copied here because
the application never reads ``../shared`` at run time.

Left out on purpose: identifiers that name no single organisation (``XI-IATI-UNPF``, the UN pooled
funds, is the Afghanistan, Central African Republic and Bangladesh funds at once; ``XM-DAC-41141``
is several MPTF Office funds; ``BD-GOV``-style country codes name a whole government), so a file
naming only those keeps its code rather than a name that might be the wrong fund.
"""

from __future__ import annotations

ORGANISATIONS: dict[str, str] = {
    "41119": "United Nations Population Fund (UNFPA)",
    "41120": "United Nations Human Settlements Programme (UN-Habitat)",
    "44000": "World Bank",
    "47045": "The Global Fund to Fight AIDS, Tuberculosis and Malaria",
    "AU-5": "Australia - Department of Foreign Affairs and Trade",
    "CA-3": "Canada - Global Affairs Canada",
    "CA-GOV-050": "Canada - Immigration, Refugees and Citizenship Canada",
    "CH-4": "Switzerland - Swiss Agency for Development and Cooperation (SDC)",
    "DE-1": "Germany - Federal Ministry for Economic Cooperation and Development (BMZ)",
    "FR-6": "France - Ministry for Europe and Foreign Affairs",
    "GB-GOV-1": "UK - Foreign, Commonwealth and Development Office (FCDO)",
    "GB-GOV-3": "UK - Foreign & Commonwealth Office",
    "KR-GOV-021": "Republic of Korea - International Cooperation Agency (KOICA)",
    "NZ-1": "New Zealand - Ministry of Foreign Affairs and Trade",
    "SE-0": "Swedish International Development Cooperation Agency (Sida)",
    "US-GOV-1": "United States Agency for International Development (USAID)",
    "XI-IATI-EC_DEVCO": "European Commission - EuropeAid",
    "XI-IATI-EC_ECHO": "European Commission - Humanitarian Aid & Civil Protection",
    "XI-IATI-EC_FPI": "European Commission - Service for Foreign Policy Instruments",
    "XI-IATI-EC_INTPA": "European Commission - Directorate-General for International Partnerships (INTPA)",
    "XI-IATI-EC_NEAR": "European Commission - Neighbourhood and Enlargement Negotiations",
    "XM-DAC-10-2": "Sweden - Ministry of Foreign Affairs",
    "XM-DAC-11-6": "Switzerland - Federal Department of Foreign Affairs",
    "XM-DAC-11-8": "Switzerland - State Secretariat for Migration (SEM)",
    "XM-DAC-21-1": "Ireland - Department of Foreign Affairs and Trade",
    "XM-DAC-22-2": "Luxembourg - Directorate for Development Cooperation and Humanitarian Affairs",
    "XM-DAC-3-1": "Denmark - Ministry of Foreign Affairs",
    "XM-DAC-41114": "United Nations Development Programme (UNDP)",
    "XM-DAC-41121": "United Nations High Commissioner for Refugees (UNHCR)",
    "XM-DAC-41122": "United Nations Children's Fund (UNICEF)",
    "XM-DAC-41140": "World Food Programme",
    "XM-DAC-41302": "International Labour Organization",
    "XM-DAC-41310": "United Nations Interim Security Force for Abyei",
    "XM-DAC-47066": "IOM Development Fund",
    "XM-DAC-5-7": "Germany - Federal Foreign Office",
    "XM-DAC-6-4": "Italy - Italian Agency for Development Cooperation (AICS)",
    "XM-DAC-68-5": "Czech Republic - Ministry of the Interior",
    "XM-DAC-7": "Netherlands - Ministry of Foreign Affairs",
    "XM-DAC-7-6": "Netherlands - Ministry of Justice and Security",
    "XM-DAC-701-2": "Japan - Ministry of Foreign Affairs",
    "XM-DAC-8-4": "Norway - Ministry of Foreign Affairs",
    "XM-DAC-801-5": "Australia - Department of Home Affairs",
    "XM-DAC-928": "World Health Organization",
    "XM-OCHA-CBPF": "OCHA - Country-Based Pooled Funds",
    "XM-OCHA-CERF": "Central Emergency Response Fund (CERF)",
}
