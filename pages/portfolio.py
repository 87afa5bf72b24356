"""Portfolio (chiefs of mission, leadership): how is my portfolio doing, where, and what is flagged?

KPI row → tabs (projects by results / finance / risk, the drill-down by region or country, the map)
→ top flags. Every number comes from ``monitoring.evaluate`` through the cached loaders of the
frame; selecting a project opens it on the Project page.

Whose money: the cards and the drill-down rows count the money attributed to the countries in view
(``PageContext.countries_in_view``: a chief of mission's country, a region's countries, the sidebar's
country filter; all projects in full for leadership and programme managers), so the Budget card is
the sum of the by-country rows. Projects managed from another country but implemented here are listed
with "managed by Nigeria; 12% here".

Speed: the tabs run lazily (``st.tabs(..., bind="query-params")``): only the open tab's content runs
and reaches the browser, so the map's plotly code (megabytes of JavaScript) loads only when someone
opens the Map tab, and the page shows its cards and projects table in about the time of a bare page.
The open tab is in the URL (``tab=Map``), so a link opens the same view.
"""

from __future__ import annotations

import streamlit as st

from components import charts_portfolio, kpis, status_matrix, tables
from components.frame import data_errors, page_context, show_chart, url_bound, write_url
from components.navigation import PAGES
from monitoring.evaluate import portfolio_kpis

TOP_FLAGS = 25
# rows of the status matrix sent to the browser: the worst first; at 10,000 projects the whole
# table is megabytes the browser must receive and lay out before the page is usable. The downloads
# hold every row, and the drill-down and filters narrow the view.
MATRIX_ROWS = 300
TAB_PROJECTS, TAB_MAP = "Projects", "Map"

ctx = page_context()
ctx.heading("Portfolio")

with data_errors():
    evaluation = ctx.portfolio_summary()
    ctx.stop_if_empty(evaluation)
    project_countries = ctx.project_countries()
projects = evaluation.projects
countries = ctx.countries_in_view(projects, project_countries)


def _place_name(codes: tuple[str, ...] | None) -> str | None:
    """How the cards name the countries the money is attributed to."""
    if codes is None:
        return None
    names = dict(zip(project_countries["country"], project_countries["country_name"], strict=True))
    names.update(zip(projects["managing_country"], projects["managing_country_name"], strict=True))
    if len(codes) <= 2:
        return " and ".join(str(names.get(c, c)) for c in codes) or "no country"
    return f"{len(codes)} countries in view"


# ---- KPI row ----------------------------------------------------------------------------------
kpis.kpi_row(
    kpis.portfolio_cards(
        portfolio_kpis(evaluation, countries=countries, project_countries=project_countries), _place_name(countries)
    )
)

# ---- drill-down level: region → country → project --------------------------------------------------
flt = ctx.flt
if countries is None:
    if len(projects["region"].unique()) > 1 and not flt.regions and not flt.countries:
        level, filter_key, drill_title = "region", "f_regions", "By region"
    elif len(projects["managing_country"].unique()) > 1 and not flt.countries:
        level, filter_key, drill_title = "managing_country", "f_countries", "By country"
    else:
        level = None
elif len(countries) > 1:
    level, filter_key, drill_title = "managing_country", "f_countries", "By country"
else:
    level = None

tab_names = [TAB_PROJECTS] + ([drill_title] if level else []) + [TAB_MAP]
tabs = dict(zip(tab_names, st.tabs(tab_names, key="tab", bind="query-params"), strict=True))

# ---- status matrix ------------------------------------------------------------------------------
with tabs[TAB_PROJECTS]:
    if tabs[TAB_PROJECTS].open is not False:
        matrix = status_matrix.status_matrix(
            projects,
            high_min=ctx.settings.risk_high_min,
            medium_min=ctx.settings.risk_medium_min,
            project_countries=project_countries,
            countries=countries,
        )
        # burn and time elapsed in whole percents on screen (the downloads keep the shares)
        shown = matrix.head(MATRIX_ROWS).assign(Burn=lambda d: d["Burn"] * 100, Elapsed=lambda d: d["Elapsed"] * 100)
        st.caption(
            "Worst results status first. Select a project to open it on the Project page."
            + (
                f" Showing the first {MATRIX_ROWS:,} of {len(matrix):,} projects: narrow with the filters or "
                "the drill-down, or download them all."
                if len(matrix) > MATRIX_ROWS
                else ""
            )
        )
        widths = status_matrix.MATRIX_WIDTHS
        event = tables.show_table(
            shown,
            key="status_matrix",
            file_stem="portfolio-projects",
            selectable=True,
            download=matrix,
            column_config={
                "Project": st.column_config.TextColumn(
                    width=status_matrix.code_width(matrix["Project"]), pinned=True, help="Project code, whole."
                ),
                "Results": st.column_config.TextColumn(width=widths["Results"], help="Results status (DOMAIN.md 2.1)."),
                "Finance": st.column_config.TextColumn(
                    width=widths["Finance"], help="Burn against planned burn (DOMAIN.md 3)."
                ),
                "Burn": st.column_config.NumberColumn(
                    format="%.0f%%", width=widths["Burn"], help="Spent ÷ current budget (DOMAIN.md 3)."
                ),
                "Elapsed": st.column_config.NumberColumn(
                    format="%.0f%%", width=widths["Elapsed"], help="Share of the project's time elapsed."
                ),
                "Forecast": st.column_config.TextColumn(
                    width=widths["Forecast"], help="Forecast spending at close against the budget (DOMAIN.md 3)."
                ),
                "Risk": st.column_config.TextColumn(width=widths["Risk"], help=status_matrix.RISK_COLUMN_HELP),
                "High flags": st.column_config.NumberColumn(
                    width=widths["High flags"], help="High-severity early-warning flags (DOMAIN.md 5)."
                ),
                "Flags": st.column_config.TextColumn(width=widths["Flags"], help="Every flag raised (DOMAIN.md 5)."),
                "Title": st.column_config.TextColumn(width=widths["Title"]),
                "Country": st.column_config.TextColumn(
                    width=widths["Country"],
                    help="Managing country; a project managed from a country outside "
                    "this view shows its share of money here.",
                ),
                "Progress": st.column_config.ProgressColumn(
                    format="percent",
                    min_value=0.0,
                    max_value=1.0,
                    width=widths["Progress"],
                    help="Results progress (DOMAIN.md 2.1).",
                ),
            },
        )
        st.caption(
            "How this is computed: results status from the share of assessable indicators off track / on "
            "track (DOMAIN.md 2.1); finance = burn against planned burn (DOMAIN.md 3: underspending below "
            "−15 pp, overspending above +10 pp); risk = the highest open risk's level (DOMAIN.md 4)."
        )
        if event is not None and event.selection.rows:
            code = shown.iloc[event.selection.rows[0]]["Project"]
            project_page = next(spec for spec in PAGES if spec.stem == "project")
            st.switch_page(project_page.file, query_params={"project": code})

# ---- drill-down ------------------------------------------------------------------------------------
if level:
    with tabs[drill_title]:
        if tabs[drill_title].open is not False:
            summary = status_matrix.group_summary(projects, project_countries, level, ctx.as_of, countries)

            def _drill_down(table=summary, key=filter_key) -> None:
                rows = st.session_state[f"drill_{key}_table"].selection.rows
                if rows and table.iloc[rows[0]]["code"]:
                    st.session_state[key] = [table.iloc[rows[0]]["code"]]

            st.caption("Select a row to narrow the whole dashboard to it (the sidebar filter changes with it).")
            # one format per column, as on the cards: delivery in whole percent (a "percent" format
            # shows 52.06% next to 74.1%), budgets in whole US dollars with separators ("compact"
            # rounds 12M and 4.8M to different precisions, so rows cannot be compared or added up)
            shown_summary = summary.drop(columns="code").assign(
                Delivery=summary["Delivery"] * 100, **{"Budget (USD)": summary["Budget (USD)"].round(0)}
            )
            st.dataframe(
                shown_summary,
                width="stretch",
                hide_index=True,
                key=f"drill_{filter_key}_table",
                on_select=_drill_down,
                selection_mode="single-row",
                column_config={
                    "Delivery": st.column_config.ProgressColumn(
                        format="%.0f%%", min_value=0.0, max_value=100.0, help="Spent ÷ budget of started projects, USD."
                    ),
                    "Budget (USD)": st.column_config.NumberColumn(
                        format="localized", help="Budget of started projects attributed here (DOMAIN.md 1, 3)."
                    ),
                    "Projects": st.column_config.NumberColumn(help="Projects managed here (counted once)."),
                },
            )
            tables.download_buttons(
                summary, key=f"drill_{filter_key}", file_stem=f"portfolio-{drill_title.lower().replace(' ', '-')}"
            )
            st.caption(
                "How this is computed: projects counted once under their managing country (DOMAIN.md 1) by "
                "results status (DOMAIN.md 2.1); budget and delivery = spent ÷ budget in USD of started "
                "projects, multi-country money shared by country percentages (DOMAIN.md 1, 3), so the rows "
                "add up to the Budget card; high flags per DOMAIN.md 5."
                + (
                    f" “{status_matrix.OUTSIDE_VIEW}” counts projects implemented here but managed from "
                    "another country; their money here is in the rows above."
                    if countries
                    else ""
                )
            )

# ---- map (lazy: its JavaScript loads only when the tab is opened) ----------------------------------
with tabs[TAB_MAP]:
    if tabs[TAB_MAP].open:
        url_bound("map_measure", "measure", lambda raw: raw[-1] if raw[-1] in charts_portfolio.MAP_MEASURES else None)
        st.session_state.setdefault("map_measure", "off_track_share")
        measure_key = (
            st.segmented_control(
                "Colour countries by",
                list(charts_portfolio.MAP_MEASURES),
                format_func=lambda k: charts_portfolio.MAP_MEASURES[k].label,
                key="map_measure",
            )
            or "off_track_share"
        )
        write_url("measure", None if measure_key == "off_track_share" else measure_key)
        measure = charts_portfolio.MAP_MEASURES[measure_key]
        by_country = charts_portfolio.country_values(
            projects, evaluation.flags, project_countries, measure_key, ctx.as_of, countries
        )
        show_chart(charts_portfolio.country_map(by_country, measure), how=measure.how, key="portfolio_map")

# ---- top flags ----------------------------------------------------------------------------------
st.subheader("Top flags")
flags = status_matrix.top_flags(evaluation.flags, projects)
if flags.empty:
    st.caption("No early-warning flag is raised for this view.")
else:
    st.caption(f"{len(flags):,} flags; the first {min(TOP_FLAGS, len(flags))} by severity below, all in the downloads.")
    st.dataframe(
        flags.head(TOP_FLAGS),
        width="stretch",
        hide_index=True,
        key="top_flags_table",
        column_config={
            "Severity": st.column_config.TextColumn(width=95),
            "Project": st.column_config.TextColumn(width=status_matrix.code_width(flags["Project"])),
            "Flag": st.column_config.TextColumn(width=190),
            "What fired": st.column_config.TextColumn(width="large"),
            "Rule": st.column_config.TextColumn(width="medium"),
        },
    )
    tables.download_buttons(flags, key="top_flags", file_stem="portfolio-flags")
    st.caption("How this is computed: the early-warning rules of DOMAIN.md 5, for active projects that have started.")
