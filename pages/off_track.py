"""Off-track (programme managers, M&E officers): which indicators need attention, and why?

Counts → filters (status, result level, sex) → tabs: every indicator off track, at risk or without data,
largest gap first (``monitoring.off_track.indicators_needing_attention``), then the same by country (a chart,
whose JavaScript loads only when the tab is opened, ``?tab=By country``) → what changed since a snapshot.
"""

from __future__ import annotations

import streamlit as st

from components import charts_off_track, kpis, loaders, off_track_table, review_view
from components.badges import label
from components.frame import data_errors, page_context, show_chart, url_bound, write_url
from components.labels import code_label
from components.lazy_tabs import open_tab
from components.off_track_table import SEX_BUTTONS, SEX_OPTIONS, off_track_display
from components.tables import SHOWN_ROWS, show_table
from monitoring.off_track import ATTENTION_STATUSES
from reference.vocabulary import RESULT_LEVELS

TAB_LIST, TAB_CHART = "Indicators to act on", "By country"

ctx = page_context()
ctx.heading("Off-track indicators")

with data_errors():  # counts in SQL: the list below reads only the rows it shows
    n_projects, n_indicators, n_overdue = loaders.project_totals(ctx.data, ctx.scope, ctx.flt, ctx.settings)
ctx.stop_if_empty(n_projects)
if not n_indicators:
    st.info(
        "**No indicator in this view yet.** Results frameworks (sheets `results`, `indicators` and "
        "`periods` of the results-matrix workbook) are uploaded on the [Data page](/data-import).",
        icon=":material/account_tree:",
    )
    st.stop()
with data_errors():
    levels_present = list(loaders.result_levels(ctx.data, ctx.scope, ctx.flt))

# ---- filters (kept in the URL so a link opens the same list) -------------------------------------
url_bound("ot_status", "ind_status", lambda raw: [s for s in raw if s in ATTENTION_STATUSES] or None)
url_bound("ot_level", "level", lambda raw: [v for v in raw if v in RESULT_LEVELS])
url_bound("ot_sex", "sex", lambda raw: raw[-1] if raw[-1] in SEX_OPTIONS else None)
st.session_state.setdefault("ot_status", list(ATTENTION_STATUSES))
st.session_state.setdefault("ot_sex", "all")
st.session_state["ot_level"] = [lv for lv in st.session_state.get("ot_level", []) if lv in levels_present]

left, middle, right = st.columns([3, 3, 2])
statuses = left.pills(
    "Status",
    list(ATTENTION_STATUSES),
    selection_mode="multi",
    format_func=label,
    key="ot_status",
    help="Indicator status as of the date: its progress against the progress expected by then.",
)
levels = middle.pills(
    "Result level",
    levels_present,
    selection_mode="multi",
    key="ot_level",
    format_func=lambda level: code_label("RESULT_LEVELS", level),
    help="None selected: every level.",
)
sex = (
    right.segmented_control(
        "For",
        list(SEX_OPTIONS),
        format_func=SEX_BUTTONS.get,
        key="ot_sex",
        help="All people, women and girls, or men and boys: for women or men, the status "
        "computed on the figures reported for them.",
    )
    or "all"
)
write_url("ind_status", None if set(statuses) == set(ATTENTION_STATUSES) else statuses)
write_url("level", levels)
write_url("sex", None if sex == "all" else sex)

choice = off_track_table.Choice(
    tuple(s for s in ATTENTION_STATUSES if s in (statuses or ATTENTION_STATUSES)),
    tuple(lv for lv in levels_present if lv in levels),
    None if sex == "all" else sex,
)
view = (ctx.data, ctx.scope, ctx.flt, ctx.settings)
with data_errors():
    listed = loaders.attention_list(*view, choice, SHOWN_ROWS)

# ---- counts ---------------------------------------------------------------------------------------
who = "" if sex == "all" else f" for {SEX_OPTIONS[sex].lower()}"
kpis.kpi_row(kpis.off_track_cards(listed.counts, listed.projects, n_projects, n_overdue, who, ctx.settings))

# ---- the list -----------------------------------------------------------------------------------
if not listed.total:
    st.success(
        f"No indicator{who} is {', '.join(label(s).lower() for s in statuses or ATTENTION_STATUSES)} "
        "for this selection.",
        icon=":material/check_circle:",
    )
else:  # lazy tabs: the list first; the chart's JavaScript (about a second of the browser's) when asked
    name, tab = open_tab([TAB_LIST, TAB_CHART])
    with tab:
        if name == TAB_LIST:
            st.subheader(f"{listed.total:,} indicators need attention{who}, largest gap first")
            show_table(
                off_track_display(listed.first, listed.comments),
                key="off_track",
                file_stem=f"off-track-indicators-{ctx.as_of.isoformat()}",
                shares=("Progress", "Expected"),
                rows_in_all=listed.total,
                download=lambda: off_track_display(*loaders.attention_rows(*view, choice)),
                column_config=off_track_table.COLUMN_CONFIG,
            )
        else:
            with data_errors():
                keys = loaders.attention_keys(*view, choice.sex, bool(choice.levels))
                rows = off_track_table.chosen(keys, choice)
                places = loaders.evaluated_projects(*view, ("project_id", "managing_country_name"))
            show_chart(
                charts_off_track.attention_by_country(off_track_table.with_countries(rows, places)),
                key="off_track_countries",
                how="the indicators of the list, counted under their project's managing country (a project "
                "working in several countries counts once), by status.",
            )
st.caption(
    "How this is computed: progress = (actual to date − starting point) ÷ (end target − starting point); "
    "expected progress from the milestone targets, else time elapsed, at the reporting cut-off ('Judged at': "
    f"{ctx.settings.reporting_grace_days} days before the as-of date, or the end of the latest period reported "
    "if later); status from their ratio: off track "
    f"below {ctx.settings.off_track_below:.0%}, at risk below {ctx.settings.on_track_min:.0%}. "
    "Gap = expected − progress. Per sex, a count's target is split equally between women and men when no "
    "sex-specific target exists; indicators without a sex breakdown are left out of that view."
)
review_view.changes_since_snapshot(ctx, "off_track")
