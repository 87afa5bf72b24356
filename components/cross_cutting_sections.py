"""The Cross-cutting page's tabs, one function each: the projects to act on (no gender marker, an
AAP gap, people counted without a sex breakdown, on track overall but off track for women), then the
marker, AAP and disaggregation coverage by region or country, charts and tables.

Only the open tab runs (``components.lazy_tabs``): the first view is the lists, built from the rows
they list only (``components.cross_cutting_data.to_act_on``); the charts' JavaScript, the
per-project summary and the marker and AAP tables wait for their tab.
The break-down choice is shown on each coverage tab with the same key and kept in the URL
(``?by=managing_country``), so it holds from one tab to the next. Captions are written for the
people reading the page: no rule codes, no file names.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import charts_markers, marker_tables
from components.charts_common import count
from components.cross_cutting_data import FirstRows, aap_commitments, every_to_act_on, marker_coverage, to_act_on
from components.cross_cutting_view import BREAKDOWNS, pick_aap_weight, pick_breakdown, pick_scheme, show_shares
from components.frame import data_errors, show_chart
from components.tables import SHOWN_ROWS
from components.view_groups import PlacesInView, place_names
from monitoring.evaluate import portfolio_kpis
from monitoring.markers import disaggregation_coverage

HOW_GROUPS = (
    "projects are counted under their managing country (and its region); the budget of a project working in "
    "several countries is shared among them by their percentages, in USD"
)
HOW_FLAGGED = "active projects that have started"


def _breakdown(ctx, projects: pd.DataFrame, project_countries: pd.DataFrame) -> tuple[str, str, dict[str, str]]:
    """The break-down choice (region or country), its column header and the groups' names."""
    by = pick_breakdown(ctx.scope)
    if by == "region":
        names = dict(zip(projects["region"], projects["region_name"], strict=True))
    else:
        names = place_names(projects, project_countries)
    return by, BREAKDOWNS[by], names


def _project_list(
    title: str, name: str, first: FirstRows, every, *, nobody: str, key: str, file_stem: str, how: str
) -> None:
    """One list of projects to act on (its first rows; ``every()`` gives every list, for the
    downloads), or the sentence saying there is none, and its rule in words."""
    st.subheader(title)
    table, n = getattr(first.lists, name), first.counts[name]
    if not n:
        st.caption(nobody)
    else:
        st.caption(f"{count(n, 'projects')}.")
        if n > len(table):
            st.caption(f"The first {len(table):,} of {n:,} rows are shown; the downloads hold all {n:,}.")
        show_shares(table, key=key, file_stem=file_stem, download=lambda: getattr(every(), name))
    st.caption(f"How this is computed: {how}")


def show_to_act_on(ctx) -> None:
    """The projects a programme manager or chief of mission can act on, one list per gap."""
    with data_errors():
        first = to_act_on(ctx.data, ctx.scope, ctx.flt, ctx.settings, SHOWN_ROWS)

    def every():
        with data_errors():
            return every_to_act_on(ctx.data, ctx.scope, ctx.flt, ctx.settings)

    lists = (first, every)
    _project_list(
        "No gender marker",
        "no_marker",
        *lists,
        nobody="Every active project that has started has a gender marker.",
        key="cc_no_gender_marker",
        file_stem="no-gender-marker",
        how=f"{HOW_FLAGGED} with no code in any gender scheme (IOM Gender Marker, IASC Gender with Age Marker or "
        "OECD-DAC gender equality policy marker).",
    )
    _project_list(
        "Accountability to affected populations: commitments not met or not assessed",
        "aap_gaps",
        *lists,
        nobody="Every active project that has started rated the five commitments, none as not met.",
        key="cc_aap_gaps",
        file_stem="aap-gaps",
        how=f"{HOW_FLAGGED} with any of the five IASC commitments rated not met, or not rated at all; partly met "
        "is progress, not a gap.",
    )
    _project_list(
        "People counted without a sex breakdown",
        "no_sex_breakdown",
        *lists,
        nobody="Every indicator that counts people and has reported is broken down by sex.",
        key="cc_no_sex_breakdown",
        file_stem="no-sex-breakdown",
        how="indicators that count people (their unit names people, or a sex or age breakdown is declared) and "
        "have reported at least once; one is broken down by sex when every period reported gives the number of "
        "women or of men, by age when every period has an age breakdown. Every project in view.",
    )
    _project_list(
        "On track overall but off track for women",
        "women",
        *lists,
        nobody="No project is on track overall while off track for women and girls.",
        key="cc_women",
        file_stem="on-track-but-not-for-women",
        how="the project's results status computed once on all its indicators and once on their figures for "
        "women and girls; a count's target is split equally between women and men when no sex-specific target "
        "exists. Read it with the project's gender marker: a project designed for one sex shows the other "
        "behind by design.",
    )


def show_markers(ctx, evaluation, project_countries: pd.DataFrame, in_view: PlacesInView) -> None:
    """Projects and budget by code of one marker scheme, for the whole view and per group."""
    by, group_label, names = _breakdown(ctx, evaluation.projects, project_countries)
    scheme = pick_scheme()
    with data_errors():
        overall, by_group = marker_coverage(ctx.data, ctx.scope, ctx.flt, ctx.settings, scheme, by, in_view.countries)
    by_group = in_view.keep(by_group, by, by)
    groups = {"by": by, "group_label": group_label}
    how = (
        f"projects and USD budget by {charts_markers.scheme_name(scheme)} code; projects without a code are "
        f"shown as 'not set'; {HOW_GROUPS}."
    )
    show_chart(charts_markers.marker_distribution_chart(overall, scheme), key="cc_marker", how=how)
    show_chart(
        charts_markers.marker_by_group_chart(by_group, group_names=names, scheme=scheme, **groups),
        key="cc_marker_groups",
        how=how,
    )
    show_shares(
        marker_tables.marker_table(by_group, names=names, scheme=scheme, **groups),
        key="cc_marker_table",
        file_stem=f"markers-{scheme}-by-{group_label.lower()}",
    )
    if in_view.countries is None:
        return
    kpis = portfolio_kpis(evaluation, countries=in_view.countries, project_countries=project_countries)
    if elsewhere := kpis.projects_managed_elsewhere:
        verb = "works" if elsewhere == 1 else "work"
        st.caption(
            f"Managed elsewhere: {count(elsewhere, 'projects')} managed from another country also {verb} here. "
            "Their share of budget in the countries in view is in the budget bars; they are counted "
            "as projects by their managing country, not here."
        )


def show_aap(ctx, evaluation, project_countries: pd.DataFrame, in_view: PlacesInView) -> None:
    """How many projects (or how much budget) meet each of the five AAP commitments."""
    by, group_label, names = _breakdown(ctx, evaluation.projects, project_countries)
    weight = pick_aap_weight()
    with data_errors():
        overall, by_group = aap_commitments(ctx.data, ctx.scope, ctx.flt, ctx.settings, by, in_view.countries)
    show_chart(
        charts_markers.aap_coverage_chart(overall, weight=weight),
        key="cc_aap",
        how="share of projects (or of USD budget) rating each of the five IASC commitments met, partly met or not "
        f"met; a commitment nobody rated is 'not assessed'; {HOW_GROUPS}.",
    )
    show_shares(
        marker_tables.aap_table(in_view.keep(by_group, by, by), by=by, group_label=group_label, names=names),
        key="cc_aap_table",
        file_stem=f"aap-by-{group_label.lower()}",
    )


def show_disaggregation(ctx, evaluation, project_countries: pd.DataFrame, in_view: PlacesInView) -> None:
    """The share of indicators counting people that are broken down by sex, and by age."""
    projects = evaluation.projects
    by, group_label, names = _breakdown(ctx, projects, project_countries)
    total = disaggregation_coverage(projects, None).iloc[0]
    per_group = in_view.keep(disaggregation_coverage(projects, by, projects=projects), by, by)
    show_chart(
        charts_markers.disaggregation_chart(per_group, total, by=by, group_names=names, group_label=group_label),
        key="cc_disaggregation",
        how="share of the indicators that count people (their unit names people, or a sex or age breakdown is "
        "declared) whose every reported period is broken down by sex (the number of women or of men given), and "
        "by age; indicators that never reported are not counted; indicators under their project's managing "
        "country.",
    )
    show_shares(
        marker_tables.disaggregation_table(per_group, by=by, group_label=group_label, names=names),
        key="cc_disaggregation_table",
        file_stem=f"disaggregation-by-{group_label.lower()}",
    )
