"""Portfolio (chiefs of mission, leadership): how is my portfolio doing, where, and what is flagged?

KPI row → map by country → drill-down (region → country → project) → status matrix of projects
(results / finance / risk) → top flags. Every number comes from ``monitoring.evaluate`` through the
cached loaders of the frame; selecting a project opens it on the Project page.
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

ctx = page_context()
st.title("Portfolio")
st.caption(f"{ctx.scope.label} · as of {ctx.as_of:%d %B %Y}")

with data_errors():
    evaluation = ctx.portfolio_summary()
    ctx.stop_if_empty(evaluation)
    project_countries = ctx.project_countries()
projects = evaluation.projects

# ---- KPI row ----------------------------------------------------------------------------------
kpis.kpi_row(kpis.portfolio_cards(portfolio_kpis(evaluation)))

# ---- map --------------------------------------------------------------------------------------
url_bound("map_measure", "measure", lambda raw: raw[-1] if raw[-1] in charts_portfolio.MAP_MEASURES else None)
st.session_state.setdefault("map_measure", "off_track_share")
measure_key = st.segmented_control(
    "Colour countries by", list(charts_portfolio.MAP_MEASURES),
    format_func=lambda k: charts_portfolio.MAP_MEASURES[k].label, key="map_measure",
) or "off_track_share"
write_url("measure", None if measure_key == "off_track_share" else measure_key)
measure = charts_portfolio.MAP_MEASURES[measure_key]
by_country = charts_portfolio.country_values(projects, evaluation.flags, project_countries, measure_key)
show_chart(charts_portfolio.country_map(by_country, measure), how=measure.how, key="portfolio_map")

# ---- drill-down: region → country → project ------------------------------------------------------
flt = ctx.flt
if len(projects["region"].unique()) > 1 and not flt.regions and not flt.countries:
    level, key, title = "region", "f_regions", "By region"
elif len(projects["managing_country"].unique()) > 1 and not flt.countries:
    level, key, title = "managing_country", "f_countries", "By country"
else:
    level = None

if level:
    st.subheader(title)
    summary = status_matrix.group_summary(projects, project_countries, level)

    def _drill_down(table=summary, filter_key=key) -> None:
        rows = st.session_state[f"drill_{filter_key}_table"].selection.rows
        if rows:
            st.session_state[filter_key] = [table.iloc[rows[0]]["code"]]

    st.caption("Select a row to narrow the whole dashboard to it (the sidebar filter changes with it).")
    st.dataframe(
        summary.drop(columns="code"), width="stretch", hide_index=True, key=f"drill_{key}_table",
        on_select=_drill_down, selection_mode="single-row",
        column_config={"Delivery": st.column_config.ProgressColumn(format="percent", min_value=0.0, max_value=1.0),
                       "Budget (USD)": st.column_config.NumberColumn(format="compact")},
    )
    tables.download_buttons(summary, key=f"drill_{key}", file_stem=f"portfolio-{title.lower().replace(' ', '-')}")
    st.caption("How this is computed: projects counted once under their managing country (DOMAIN.md 1) by "
               "results status (DOMAIN.md 2.1); delivery = spent ÷ budget in USD with multi-country money "
               "shared by country percentages (DOMAIN.md 1, 3); high flags per DOMAIN.md 5.")

# ---- status matrix ------------------------------------------------------------------------------
st.subheader("Projects by results, finance and risk")
matrix = status_matrix.status_matrix(projects, high_min=ctx.settings.risk_high_min,
                                     medium_min=ctx.settings.risk_medium_min)
shown = matrix.head(MATRIX_ROWS)
st.caption("Worst results status first. Select a project to open it on the Project page."
           + (f" Showing the first {MATRIX_ROWS:,} of {len(matrix):,} projects: narrow with the filters or the "
              "drill-down above, or download them all." if len(matrix) > MATRIX_ROWS else ""))
event = tables.show_table(
    shown, key="status_matrix", file_stem="portfolio-projects", selectable=True, download=matrix,
    column_config={
        "Results progress": st.column_config.ProgressColumn(format="percent", min_value=0.0, max_value=1.0),
        "Burn": st.column_config.NumberColumn(format="percent", help="Spent ÷ current budget (DOMAIN.md 3)."),
        "Time elapsed": st.column_config.NumberColumn(format="percent"),
        "Risk": st.column_config.TextColumn(help=status_matrix.RISK_COLUMN_HELP),
    },
)
st.caption("How this is computed: results status from the share of assessable indicators off track / on track "
           "(DOMAIN.md 2.1); finance = burn against planned burn (DOMAIN.md 3: underspending below −15 pp, "
           "overspending above +10 pp); risk = the highest open risk's level (DOMAIN.md 4).")
if event is not None and event.selection.rows:
    code = shown.iloc[event.selection.rows[0]]["Project"]
    project_page = next(spec for spec in PAGES if spec.stem == "project")
    st.switch_page(project_page.file, query_params={"project": code})

# ---- top flags ----------------------------------------------------------------------------------
st.subheader("Top flags")
flags = status_matrix.top_flags(evaluation.flags, projects)
if flags.empty:
    st.caption("No early-warning flag is raised for this view.")
else:
    st.caption(f"{len(flags):,} flags; the first {min(TOP_FLAGS, len(flags))} by severity below, all in the downloads.")
    st.dataframe(flags.head(TOP_FLAGS), width="stretch", hide_index=True, key="top_flags_table",
                 column_config={"What fired": st.column_config.TextColumn(width="large")})
    tables.download_buttons(flags, key="top_flags", file_stem="portfolio-flags")
    st.caption("How this is computed: the early-warning rules of DOMAIN.md 5, for active projects that have started.")
