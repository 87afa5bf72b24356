"""Cross-cutting: are gender, accountability to affected people and disaggregation built in?

Break-down selector (region or country) → gender (and other) marker distribution by projects and
by budget, per scheme → the five AAP commitments → sex and age disaggregation coverage → projects on
track overall but off track for women. Every table is ``monitoring.markers`` output; budgets are the
USD budgets of ``evaluate_portfolio``.
"""

from __future__ import annotations

import streamlit as st

from components import charts_markers, marker_tables
from components.charts_common import count
from components.cross_cutting_data import cross_cutting_tables
from components.cross_cutting_view import BREAKDOWNS, pick_aap_weight, pick_breakdown, pick_scheme, show_shares
from components.frame import data_errors, page_context, show_chart
from components.view_groups import country_regions, place_names, places_in_view
from monitoring.evaluate import portfolio_kpis
from monitoring.markers import off_track_for_women

ctx = page_context()
ctx.heading("Cross-cutting")

evaluation = ctx.load_summary()  # per-project figures; markers and AAP ratings are read apart
with data_errors():
    pcs = ctx.project_countries()
projects = evaluation.projects

in_view = places_in_view(ctx.scope, ctx.flt, country_regions(projects, pcs))
by = pick_breakdown(ctx.scope)
group_label = BREAKDOWNS[by]
if by == "region":
    names = dict(zip(projects["region"], projects["region_name"], strict=True))
else:
    names = place_names(projects, pcs)
how_groups = (
    "projects are counted under their managing country (and its region); budget is shared among a "
    "project's countries by their percentages, in USD (DOMAIN.md 1)"
)

# ---- markers ----------------------------------------------------------------------------------------
st.subheader("Gender and other markers")
scheme = pick_scheme()
with data_errors():
    data = cross_cutting_tables(ctx.data, ctx.scope, ctx.flt, ctx.settings, scheme, by, in_view.countries)
overall = data.marker_overall
by_group = in_view.keep(data.marker_by, by, by)
how_marker = (
    f"projects and USD budget by {charts_markers.scheme_name(scheme)} code (DOMAIN.md 6); projects "
    "without a code are shown as 'not set'; " + how_groups + "."
)
show_chart(charts_markers.marker_distribution_chart(overall, scheme), key="cc_marker", how=how_marker)
show_chart(
    charts_markers.marker_by_group_chart(by_group, by=by, group_names=names, group_label=group_label, scheme=scheme),
    key="cc_marker_groups",
    how=how_marker,
)
show_shares(
    marker_tables.marker_table(by_group, by=by, group_label=group_label, names=names, scheme=scheme),
    key="cc_marker_table",
    file_stem=f"markers-{scheme}-by-{group_label.lower()}",
)
if in_view.countries is not None:
    elsewhere = portfolio_kpis(
        evaluation, countries=in_view.countries, project_countries=pcs
    ).projects_managed_elsewhere
    if elsewhere:
        verb = "works" if elsewhere == 1 else "work"
        st.caption(
            f"Managed elsewhere: {count(elsewhere, 'projects')} managed from another country also {verb} here. "
            "Their share of budget in the countries in view is in the budget bars; they are counted "
            "as projects by their managing country, not here."
        )

# ---- AAP --------------------------------------------------------------------------------------------
st.subheader("Accountability to affected populations")
weight = pick_aap_weight()
how_aap = (
    "share of projects (or of USD budget) rating each of the five IASC commitments met, partly met or not met "
    "(DOMAIN.md 6); a commitment nobody rated is 'not assessed'; " + how_groups + "."
)
show_chart(charts_markers.aap_coverage_chart(data.aap_overall, weight=weight), key="cc_aap", how=how_aap)
aap_by_group = in_view.keep(data.aap_by, by, by)
show_shares(
    marker_tables.aap_table(aap_by_group, by=by, group_label=group_label, names=names),
    key="cc_aap_table",
    file_stem=f"aap-by-{group_label.lower()}",
)

# ---- disaggregation -------------------------------------------------------------------------------------
st.subheader("Sex and age disaggregation")
total = data.disaggregation_overall.iloc[0]
per_group = in_view.keep(data.disaggregation_by, by, by)
show_chart(
    charts_markers.disaggregation_chart(per_group, total, by=by, group_names=names, group_label=group_label),
    key="cc_disaggregation",
    how=(
        "share of people-counting indicators (unit naming people, or a declared sex/age breakdown) whose every "
        "reported period is broken down by sex (female or male given), and by age (DOMAIN.md 6 and 8); "
        "indicators that never reported are not counted; indicators under their project's managing country."
    ),
)
show_shares(
    marker_tables.disaggregation_table(per_group, by=by, group_label=group_label, names=names),
    key="cc_disaggregation_table",
    file_stem=f"disaggregation-by-{group_label.lower()}",
)

# ---- on track overall, off track for women -----------------------------------------------------------------
st.subheader("On track overall but off track for women")
women = off_track_for_women(evaluation.projects)
if women.empty:
    st.caption("No project is on track overall while off track for women and girls.")
else:
    st.caption(f"{count(len(women), 'projects')}: the totals hide a gap for women and girls.")
    show_shares(marker_tables.women_gap_table(women), key="cc_women", file_stem="on-track-but-not-for-women")
st.caption(
    "How this is computed: the project results status (DOMAIN.md 2.1) computed once on all indicators and "
    "once on the female breakdowns; a count's target is split equally between women and men when no "
    "sex-specific target exists. Read it with the project's gender marker: a project designed for one sex "
    "shows the other behind by design."
)
