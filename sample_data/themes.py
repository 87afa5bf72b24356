"""Thematic areas of the sample portfolio: what a project of each theme says and measures.

Each theme carries the IOM-style project code prefix, title patterns, result statements, the
indicators a results matrix of that theme typically holds, the share of women among the people it
reaches, and its strategic tags (SDG targets from the IATI UNSDG-Targets codelist, GCM objectives,
MiGOF elements, strategic-plan objectives). The generator draws from these tables; nothing else in
the sample data is theme-specific.

An indicator template is ``(name, unit, measure, direction, accumulation, people, scale, level)``:

* ``people``: the indicator counts people, so its actuals carry a female/male/other breakdown;
* ``scale``: for ``number`` the end target of a USD 1 million project (scaled with the budget);
  for ``percentage`` the typical ``(baseline, end target)``; ignored for yes/no and qualitative;
* ``level``: ``outcome`` or ``output``, where in the tree the indicator belongs.
"""

from __future__ import annotations

from dataclasses import dataclass

IndicatorTemplate = tuple[str, str | None, str, str, str, bool, object, str]


@dataclass(frozen=True)
class Theme:
    name: str
    prefix: str
    weight: float
    female_share: float
    titles: tuple[str, ...]
    outcomes: tuple[str, ...]
    outputs: tuple[str, ...]
    indicators: tuple[IndicatorTemplate, ...]
    sdg: tuple[str, ...]
    gcm: tuple[int, ...]
    migof: tuple[str, ...]
    srf: str
    humanitarian: bool = False


# Indicators any project may carry whatever its theme (capacity building, AAP, coordination).
COMMON_INDICATORS: tuple[IndicatorTemplate, ...] = (
    ("Number of government officials trained", "people", "number", "increase", "incremental", True, 120, "output"),
    ("Percentage of trained officials demonstrating increased knowledge in post-training tests", "%", "percentage", "increase", "level", False, (45, 80), "outcome"),
    ("Complaints and feedback mechanism established and functional", None, "yes_no", "increase", "level", False, None, "output"),
    ("Number of awareness-raising sessions held in target communities", "sessions", "number", "increase", "incremental", False, 40, "output"),
    ("Changes in institutional practice reported by government partners", None, "qualitative", "increase", "level", False, None, "outcome"),
    ("Percentage of assisted people satisfied with the assistance received", "%", "percentage", "increase", "level", False, (60, 85), "outcome"),
    ("Number of standard operating procedures developed or updated", "SOPs", "number", "increase", "cumulative", False, 4, "output"),
    ("Number of coordination meetings chaired or co-chaired", "meetings", "number", "increase", "incremental", False, 24, "output"),
    ("Percentage of assisted people reporting a protection incident in the last three months", "%", "percentage", "decrease", "level", False, (25, 12), "outcome"),
    ("Number of people referred to specialised services", "people", "number", "increase", "incremental", True, 300, "output"),
    ("Number of staff of implementing partners trained", "people", "number", "increase", "incremental", True, 60, "output"),
    ("Number of community consultations held with affected people", "consultations", "number", "increase", "incremental", False, 20, "output"),
    ("Number of knowledge products published", "products", "number", "increase", "cumulative", False, 5, "output"),
    ("Number of people reached by information campaigns", "people", "number", "increase", "incremental", True, 20000, "output"),
    ("Percentage of complaints and feedback closed within 30 days", "%", "percentage", "increase", "level", False, (40, 80), "outcome"),
    ("Number of local authorities with an action plan adopted", "authorities", "number", "increase", "cumulative", False, 6, "outcome"),
)

# Added to an indicator name when a project uses the same template again under another result.
REPEAT_QUALIFIERS: tuple[str, ...] = (" (district level)", " (community level)", " (cross-border areas)",
                                      " (second target area)")

THEMES: tuple[Theme, ...] = (
    Theme(
        "Migration health", "MH", 1.2, 0.56,
        ("Strengthening migration health systems in {country}",
         "Health assessments and TB screening for migrants in {country}",
         "Community health and mobility along migration corridors in {country}"),
        ("Migrants and host communities have improved access to essential health services",
         "National health authorities integrate migrants into public health programmes",
         "Health risks along mobility corridors are monitored and addressed",
         "Public health emergency preparedness at points of entry is strengthened"),
        ("Health personnel are trained on migrant-sensitive service delivery",
         "Mobile clinics deliver primary health care to migrants and host communities",
         "Points of entry are equipped for disease surveillance",
         "Health assessments are conducted for departing migrants",
         "Mental health and psychosocial support is provided to people on the move",
         "Community health workers conduct outreach in mobility hubs"),
        (("Number of people receiving primary health care consultations", "people", "number", "increase", "incremental", True, 9000, "output"),
         ("Number of migrants screened for tuberculosis", "people", "number", "increase", "incremental", True, 4000, "output"),
         ("Number of people receiving mental health and psychosocial support", "people", "number", "increase", "incremental", True, 1500, "output"),
         ("Percentage of points of entry with functional disease surveillance", "%", "percentage", "increase", "level", False, (20, 80), "outcome"),
         ("Percentage of migrants with access to public health insurance", "%", "percentage", "increase", "level", False, (15, 40), "outcome"),
         ("Average waiting time for a health assessment appointment (days)", "days", "number", "decrease", "level", False, (21, 7), "outcome"),
         ("Number of health workers trained on migrant-sensitive care", "people", "number", "increase", "cumulative", True, 250, "output")),
        ("3.8", "3.3", "10.7", "3.d"), (15, 7), ("O1", "P1"), "1",
    ),
    Theme(
        "Counter-trafficking", "CT", 1.0, 0.68,
        ("Protection and assistance to victims of trafficking in {country}",
         "Strengthening the national response to trafficking in persons in {country}",
         "Preventing trafficking and exploitation of migrants in {country}"),
        ("Victims of trafficking receive comprehensive, survivor-centred assistance",
         "The criminal justice response to trafficking in persons is strengthened",
         "At-risk communities are less vulnerable to trafficking and exploitation"),
        ("Victims of trafficking are identified and referred to assistance",
         "Shelters provide safe accommodation and case management",
         "Law enforcement and judicial officials are trained on trafficking cases",
         "National referral mechanism procedures are developed and adopted",
         "Prevention campaigns reach at-risk communities"),
        (("Number of victims of trafficking identified and assisted", "people", "number", "increase", "incremental", True, 220, "output"),
         ("Number of victims of trafficking receiving reintegration assistance", "people", "number", "increase", "incremental", True, 120, "output"),
         ("Number of trafficking cases investigated", "cases", "number", "increase", "incremental", False, 45, "outcome"),
         ("National referral mechanism adopted by government", None, "yes_no", "increase", "level", False, None, "outcome"),
         ("Percentage of assisted survivors reporting improved well-being after 6 months", "%", "percentage", "increase", "level", False, (30, 70), "outcome"),
         ("Number of people reached by prevention campaigns", "people", "number", "increase", "incremental", True, 30000, "output")),
        ("16.2", "5.2", "8.7", "10.7"), (10, 9, 7), ("P1", "O3"), "1",
    ),
    Theme(
        "Labour mobility", "LM", 1.0, 0.38,
        ("Fair and ethical recruitment of migrant workers from {country}",
         "Labour mobility and skills partnerships for {country}",
         "Protecting migrant workers' rights along the {country} corridor"),
        ("Migrant workers are recruited fairly and ethically",
         "Labour migration governance is strengthened",
         "Migrant workers and their families benefit from skills and remittances"),
        ("Recruitment agencies are trained on ethical recruitment standards",
         "Pre-departure orientation is delivered to prospective migrant workers",
         "Skills recognition agreements are drafted with destination countries",
         "Migrant resource centres provide information and counselling",
         "Labour attachés are trained on worker protection"),
        (("Number of prospective migrant workers receiving pre-departure orientation", "people", "number", "increase", "incremental", True, 2500, "output"),
         ("Number of recruitment agencies certified under ethical recruitment standards", "agencies", "number", "increase", "cumulative", False, 25, "output"),
         ("Average recruitment fees paid by migrant workers (USD)", "USD", "number", "decrease", "level", False, (1800, 600), "outcome"),
         ("Percentage of returning migrant workers reporting decent working conditions", "%", "percentage", "increase", "level", False, (40, 65), "outcome"),
         ("Number of people counselled at migrant resource centres", "people", "number", "increase", "incremental", True, 5000, "output"),
         ("Bilateral labour agreement signed", None, "yes_no", "increase", "level", False, None, "outcome")),
        ("8.8", "8.7", "10.7", "10.c"), (6, 5, 18, 20), ("O1", "P2"), "3",
    ),
    Theme(
        "Displacement tracking", "DT", 0.9, 0.52,
        ("Displacement Tracking Matrix in {country}",
         "Mobility tracking and needs assessments of displaced populations in {country}"),
        ("Humanitarian actors use timely data on displacement to plan their response",
         "National authorities manage displacement data",
         "Mobility flows and needs of displaced people are monitored"),
        ("Site assessments are conducted in displacement sites",
         "Flow monitoring points are operational at key transit locations",
         "Enumerators are trained on data collection and protection principles",
         "Displacement reports and dashboards are published",
         "Government counterparts are trained on displacement data management"),
        (("Number of displacement site assessments completed", "assessments", "number", "increase", "incremental", False, 600, "output"),
         ("Number of DTM reports and dashboards published", "products", "number", "increase", "incremental", False, 36, "output"),
         ("Number of flow monitoring points operational", "points", "number", "increase", "level", False, 12, "output"),
         ("Percentage of humanitarian partners using DTM data for planning", "%", "percentage", "increase", "level", False, (50, 85), "outcome"),
         ("Average days between data collection and publication", "days", "number", "decrease", "level", False, (30, 10), "outcome"),
         ("Number of enumerators trained", "people", "number", "increase", "cumulative", True, 120, "output")),
        ("17.18", "10.7", "11.5"), (1, 2), ("P2", "O2"), "2", True,
    ),
    Theme(
        "Return and reintegration", "RT", 1.1, 0.35,
        ("Assisted voluntary return and sustainable reintegration of migrants in {country}",
         "Sustainable reintegration of returnees in {country}",
         "Community-based reintegration in areas of high return in {country}"),
        ("Returnees achieve sustainable economic, social and psychosocial reintegration",
         "Communities of return are able to absorb returnees",
         "Government capacity to manage return and reintegration is strengthened"),
        ("Returnees receive reception and post-arrival assistance",
         "Returnees receive individual reintegration packages",
         "Community-based reintegration projects are implemented",
         "Case workers are trained on reintegration counselling",
         "Returnees receive psychosocial counselling"),
        (("Number of migrants assisted to return voluntarily", "people", "number", "increase", "incremental", True, 700, "output"),
         ("Number of returnees receiving reintegration assistance", "people", "number", "increase", "incremental", True, 500, "output"),
         ("Percentage of returnees with a reintegration sustainability score of 0.5 or more", "%", "percentage", "increase", "level", False, (35, 70), "outcome"),
         ("Number of community-based reintegration projects completed", "projects", "number", "increase", "cumulative", False, 10, "output"),
         ("Percentage of returnees reporting intention to re-migrate irregularly", "%", "percentage", "decrease", "level", False, (45, 25), "outcome"),
         ("Number of returnees receiving psychosocial counselling", "people", "number", "increase", "incremental", True, 300, "output")),
        ("10.7", "8.5", "1.3"), (21, 2), ("O1", "O3"), "2",
    ),
    Theme(
        "Resettlement", "RS", 0.6, 0.49,
        ("Resettlement and humanitarian admission processing in {country}",
         "Safe movement of refugees from {country} to resettlement countries"),
        ("Refugees travel safely to resettlement countries",
         "Refugees are prepared for life in their new country"),
        ("Health assessments are completed before departure",
         "Cultural orientation sessions are delivered to departing refugees",
         "Movement operations are organised with escorts",
         "Case processing is completed for referred refugees"),
        (("Number of refugees resettled", "people", "number", "increase", "incremental", True, 900, "outcome"),
         ("Number of pre-departure health assessments completed", "people", "number", "increase", "incremental", True, 1000, "output"),
         ("Number of refugees attending cultural orientation", "people", "number", "increase", "incremental", True, 800, "output"),
         ("Average days from case referral to departure", "days", "number", "decrease", "level", False, (240, 150), "outcome"),
         ("Percentage of movements completed without a safety incident", "%", "percentage", "increase", "level", False, (95, 99), "outcome")),
        ("10.7", "16.9"), (5, 23), ("O3", "P3"), "3",
    ),
    Theme(
        "Climate and migration", "CM", 0.8, 0.51,
        ("Climate resilience and mobility in disaster-prone areas of {country}",
         "Addressing drivers of climate-induced displacement in {country}",
         "Disaster risk reduction for mobile populations in {country}"),
        ("Communities at risk of climate displacement are more resilient",
         "Climate and environmental mobility is integrated in national policies",
         "Disaster preparedness of displacement-prone areas is improved"),
        ("Community adaptation projects are implemented",
         "Early warning systems are installed in at-risk communities",
         "Local authorities are trained on disaster risk management",
         "Policy recommendations on climate mobility are drafted"),
        (("Number of households benefiting from climate adaptation projects", "households", "number", "increase", "cumulative", False, 1500, "output"),
         ("Number of people trained on disaster risk reduction", "people", "number", "increase", "incremental", True, 800, "output"),
         ("Number of communities with a functional early warning system", "communities", "number", "increase", "cumulative", False, 15, "output"),
         ("National adaptation plan references human mobility", None, "yes_no", "increase", "level", False, None, "outcome"),
         ("Percentage of households reporting reduced losses after extreme weather events", "%", "percentage", "increase", "level", False, (20, 50), "outcome"),
         ("Hectares of degraded land rehabilitated", "hectares", "number", "increase", "cumulative", False, 300, "output")),
        ("13.1", "11.5", "1.5", "10.7"), (2, 7), ("O2", "P2"), "2",
    ),
    Theme(
        "Border management", "IB", 0.9, 0.30,
        ("Integrated border management and migration information systems in {country}",
         "Strengthening humanitarian border management in {country}",
         "Identity management and travel document security in {country}"),
        ("Border agencies manage borders in an integrated, rights-based manner",
         "Migration data systems support evidence-based decisions",
         "Cross-border cooperation between neighbouring countries is strengthened"),
        ("Border posts are equipped with migration information systems",
         "Border officials are trained on humanitarian border management",
         "Standard operating procedures for border agencies are adopted",
         "Cross-border coordination meetings are held"),
        (("Number of border posts equipped with MIDAS", "border posts", "number", "increase", "cumulative", False, 8, "output"),
         ("Number of border officials trained", "people", "number", "increase", "incremental", True, 300, "output"),
         ("Average processing time per traveller at supported border posts (minutes)", "minutes", "number", "decrease", "level", False, (12, 5), "outcome"),
         ("Percentage of border crossings recorded electronically", "%", "percentage", "increase", "level", False, (30, 90), "outcome"),
         ("Integrated border management strategy adopted", None, "yes_no", "increase", "level", False, None, "outcome")),
        ("16.9", "10.7", "16.a"), (11, 4, 12), ("P2", "O3"), "3",
    ),
    Theme(
        "Migration governance", "PX", 0.9, 0.50,
        ("Supporting evidence-based migration governance in {country}",
         "Implementing the Global Compact for Migration in {country}",
         "Migration data and policy coherence in {country}"),
        ("National migration policy frameworks are evidence-based and whole-of-government",
         "Migration data are collected, analysed and used",
         "Diaspora engagement contributes to national development"),
        ("Migration governance indicators assessment is completed",
         "Inter-ministerial coordination mechanism is established",
         "National statistics staff are trained on migration data",
         "Diaspora mapping is completed"),
        (("National migration policy adopted", None, "yes_no", "increase", "level", False, None, "outcome"),
         ("Number of policy documents integrating migration", "documents", "number", "increase", "cumulative", False, 6, "outcome"),
         ("Number of officials trained on migration data", "people", "number", "increase", "incremental", True, 100, "output"),
         ("Percentage of line ministries participating in the coordination mechanism", "%", "percentage", "increase", "level", False, (25, 75), "outcome"),
         ("Number of diaspora members engaged in development initiatives", "people", "number", "increase", "cumulative", True, 400, "output")),
        ("10.7", "17.18", "17.14"), (1, 23, 19), ("P2", "P3"), "3",
    ),
    Theme(
        "Camp coordination and shelter", "CC", 1.2, 0.53,
        ("Emergency shelter and camp coordination for displaced people in {country}",
         "Multi-sectoral humanitarian assistance to displaced populations in {country}",
         "Site management and shelter assistance in {country}"),
        ("Displaced people live in safe and dignified conditions",
         "Displacement sites are managed according to minimum standards",
         "Displaced people access basic services"),
        ("Emergency shelter kits are distributed",
         "Sites are improved and maintained",
         "Water, sanitation and hygiene facilities are constructed or rehabilitated",
         "Non-food items are distributed to displaced households",
         "Site management committees are established"),
        (("Number of households receiving emergency shelter assistance", "households", "number", "increase", "incremental", False, 1800, "output"),
         ("Number of people receiving non-food items", "people", "number", "increase", "incremental", True, 12000, "output"),
         ("Number of latrines constructed or rehabilitated", "latrines", "number", "increase", "cumulative", False, 250, "output"),
         ("Percentage of sites meeting minimum site management standards", "%", "percentage", "increase", "level", False, (30, 75), "outcome"),
         ("Percentage of displaced people reporting feeling safe in their site", "%", "percentage", "increase", "level", False, (50, 80), "outcome"),
         ("Number of people per functioning latrine", "people per latrine", "number", "decrease", "level", False, (60, 20), "outcome")),
        ("11.1", "11.5", "1.5", "6.2"), (7, 15), ("O2", "P1"), "1", True,
    ),
)
