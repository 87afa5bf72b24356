"""Project (programme managers): is my project on track, where is the money, what needs attention?

Picker (within scope and filters; ``?project=CODE`` in the URL) → header → tabs: results matrix
and indicator charts, financials, risks, accountability and markers, flags, visits, evaluations,
data quality. The project is read by ``data_access.queries.project_detail`` (``NotFound`` outside the
scope) and evaluated by the same ``monitoring.evaluate.evaluate_portfolio`` as every other page.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import charts_project as charts
from components import empty_states, history_view, loaders, results_matrix, tables
from components.badges import RESULTS_ORDER, badge, labels
from components.frame import data_errors, page_context, show_chart, url_bound, write_url
from components.labels import (
    AAP_COMMITMENT_LABELS,
    AAP_RATING_LABELS,
    code_label,
    code_labels,
    flag_label,
    marker_code_label,
)
from components.loaders import project_view
from monitoring.finance import spending_curve
from monitoring.risks import risk_heatmap
from reference.vocabulary import AAP_COMMITMENTS

ctx = page_context()
st.title("Project")

with data_errors():
    listed = ctx.project_list()
    ctx.stop_if_empty(listed)
titles = dict(zip(listed["project_code"], listed["title"], strict=True))

url_bound("project_pick", "project", lambda raw: raw[-1])
requested = st.session_state.get("project_pick")
if requested is not None and requested not in titles:
    st.warning(
        f"Project {requested} is not in this view ({ctx.scope.label}, with the sidebar filters); "
        "pick one of the projects below.",
        icon=":material/visibility_off:",
    )
    st.session_state["project_pick"] = next(iter(titles))
code = st.selectbox("Project", list(titles), format_func=lambda c: f"{c} · {titles[c]}", key="project_pick")
write_url("project", code)

with data_errors():
    detail, evaluation = project_view(ctx.data, ctx.scope, code, ctx.as_of, ctx.settings)
p = detail.project
row = evaluation.projects.iloc[0]
currency = str(p["currency"])
pframes = detail.portfolio

# ---- header -------------------------------------------------------------------------------------
st.subheader(f"{p['project_code']} · {p['title']}")
end = p["revised_end_date"] if pd.notna(p["revised_end_date"]) else p["end_date"]
extension = f" (revised from {p['end_date']:%d %b %Y})" if pd.notna(p["revised_end_date"]) else ""
markers = pframes.markers.loc[pframes.markers["project_id"] == p["project_id"]]
st.markdown(
    f"{badge(row['results_status']).markdown} results · {badge(row['burn_status']).markdown} spending · "
    f"**{p['status'].capitalize()}** · {p['managing_country_name']} ({p['region_name']})"
    + (" · :red-badge[:material/crisis_alert: High-risk context]" if bool(p["high_risk_context"]) else "")
)
left, middle, right = st.columns(3)
left.markdown(
    f"**Dates** {p['start_date']:%d %b %Y} → {end:%d %b %Y}{extension}  \n"
    f"**Time elapsed** {charts.pct(row['elapsed'])} as of {ctx.as_of:%d %b %Y}"
)
# no expenditure row: "not reported" once started (unknown, never "spent 0 (0%)"), "none yet" before the start
spending = (
    f"spent {charts.money(row['spent'], currency)} ({charts.pct(row['burn'])})"
    if row["expenditure_reported"]
    else "spending not reported"
    if row["burn_status"] == "not_reported"
    else "no expenditure yet"
)
middle.markdown(
    f"**Budget** {charts.money(row['budget'], currency)} · {spending}  \n"
    f"**Donors** {p['donors'] if isinstance(p['donors'], str) else '–'}"
)
marker_text = ", ".join(
    f"{code_label('MARKER_SCHEMES', s)} {marker_code_label(s, c)}"
    for s, c in zip(markers["scheme"], markers["code"], strict=True)
)
right.markdown(
    f"**Manager** {p['manager'] or '–'} · **Theme** {p['thematic_area'] or '–'}  \n"
    f"**Markers** {marker_text or 'none recorded'}"
)
# DOMAIN.md 8: a completeness score on every project (share of its indicators without a data-quality issue)
n_issues = int(row["n_indicators_with_issues"]) if pd.notna(row.get("n_indicators_with_issues")) else 0
st.caption(
    f"**Data completeness** {charts.pct(row['completeness'])} of indicators without a data-quality issue"
    + (f" ({n_issues} with issues: see the Data quality tab)" if n_issues else "")
    if len(pframes.indicators)
    else "**Data completeness** 0%: no indicator recorded (DOMAIN.md 8)",
    help="Share of the project's indicators with no data-quality issue (DOMAIN.md 8: missing baseline or target, "
    "no unit, no sex breakdown, implausible values, breakdowns that do not add up).",
)

tabs = st.tabs(
    [
        "Results",
        "Financials",
        "Risks",
        "AAP and markers",
        "Flags",
        "Monitoring visits",
        "Evaluations",
        "Data quality",
        "History",
    ]
)

# ---- results ------------------------------------------------------------------------------------
with tabs[0]:
    if pframes.indicators.empty:
        empty_states.no_indicators()
    else:
        rows = results_matrix.matrix_rows(detail.results_tree, pframes.indicators, evaluation.indicators)
        results_matrix.show_matrix(rows, key="results_matrix", file_stem=f"{code}-results-matrix")
        st.caption(
            "How this is computed: progress = (actual to date − starting point) ÷ (end target − starting "
            "point); status from progress ÷ expected progress (on track ≥ 0.85, off track < 0.60), DOMAIN.md 2.1."
        )
        # worst first, as in the results matrix, so the chart opens on a finding: a "Not assessable"
        # or "Too early to judge" indicator (nothing to compare) is listed last, never opened by default
        rank = {s: i for i, s in enumerate(RESULTS_ORDER)}
        ind = evaluation.indicators.assign(
            _rank=evaluation.indicators["status"].map(rank).fillna(len(rank))
        ).sort_values(["_rank", "indicator_code"], kind="stable")
        names = {r.indicator_id: f"{r.indicator_code} · {r.name}" for r in ind.itertuples()}
        chosen = st.selectbox("Indicator", list(names), format_func=names.__getitem__, key="indicator_pick")
        one = ind.loc[ind["indicator_id"] == chosen].iloc[0]
        periods = charts.indicator_periods(pframes.targets, pframes.actuals, chosen)
        st.markdown(f"{badge(one['status']).markdown} {one['reason']}")
        if one["measure"] == "qualitative" or periods.empty:
            st.caption("No numeric targets or actuals to chart for this indicator.")
        else:
            show_chart(
                charts.indicator_chart(
                    name=str(one["name"]),
                    unit=one["unit"] if isinstance(one["unit"], str) else None,
                    periods=periods,
                    b=one["b"],
                    end_target=one["end_target"],
                    start=p["start_date"],
                    end=end,
                    accumulation=str(one["accumulation"]),
                    status=one["status"],
                    as_of=ctx.as_of,
                ),
                how="actuals to date by accumulation against milestone targets and the linear expected path "
                "from the starting point to the end target (DOMAIN.md 2.1).",
                key="indicator_chart",
            )
            if periods[["female", "male"]].notna().any().any():
                show_chart(
                    charts.sex_breakdown(periods, unit=one["unit"]),
                    how="reported breakdown by sex per period; per-sex status in the matrix compares it with an "
                    "equal split of the target (monitoring/indicators.py, DOMAIN.md 2.1).",
                    key="sex_chart",
                )
        ages = detail.actual_breakdowns
        ages = ages.loc[(ages["indicator_id"] == chosen) & ages["is_current"].astype(bool)]
        if len(ages):
            st.markdown("**Breakdown by age and other dimensions**")
            tables.show_table(
                ages[["period_start", "period_end", "dimension", "category", "value", "value_text"]],
                key="age_breakdown",
                file_stem=f"{code}-breakdowns",
            )

# ---- financials ---------------------------------------------------------------------------------
with tabs[1]:
    if pframes.budget_lines.empty:
        st.info(
            "No budget is recorded for this project. Upload the `budget` and `expenditure` sheets on the "
            f"{empty_states.DATA_PAGE_LINK}.",
            icon=":material/payments:",
        )
    else:
        curve = spending_curve(
            int(p["project_id"]),
            pframes.projects,
            pframes.budget_lines,
            pframes.expenditures,
            pframes.spending_plans,
            pframes.fx_rates,
            ctx.as_of,
            ctx.settings,
        )
        show_chart(
            charts.s_curve(
                curve,
                currency=currency,
                as_of=ctx.as_of,
                burn=row["burn"],
                elapsed=row["elapsed"],
                forecast_delivery=row["forecast_delivery"],
                reported=bool(row["expenditure_reported"]),
            ),
            how="burn = spent to date ÷ current budget against planned burn (spending plan, else time "
            "elapsed); forecast at close = spent + average of the last 3 months × months remaining "
            "(DOMAIN.md 3).",
            key="s_curve",
        )
        lines = charts.line_spending(pframes.budget_lines, detail.line_expenditures, ctx.as_of)
        line_currency = lines["currency"].iloc[0] if lines["currency"].nunique() == 1 else "line currency"
        show_chart(
            charts.budget_by_line(lines, currency=line_currency),
            how="current approved amount of each line (latest revision on or before the as-of date) and "
            "its expenditure in months starting on or before it (DOMAIN.md 3).",
            key="lines_chart",
        )
        tables.show_table(
            charts.budget_line_table(lines),
            key="budget_lines",
            file_stem=f"{code}-budget-lines",
            column_config={
                "Budget": st.column_config.NumberColumn(format="localized"),
                "Spent to date": st.column_config.NumberColumn(format="localized"),
                "Burn": st.column_config.NumberColumn(
                    format="%.0f%%", help="Spent to date ÷ the line's current budget (DOMAIN.md 3)."
                ),
                "Use": st.column_config.TextColumn(help="Over budget: spent more than the line's budget."),
            },
        )

# ---- risks --------------------------------------------------------------------------------------
with tabs[2]:
    register = evaluation.risks
    if register.empty:
        empty_states.no_rows("risks")
    else:
        show_chart(
            charts.risk_heatmap(
                risk_heatmap(register), high_min=ctx.settings.risk_high_min, medium_min=ctx.settings.risk_medium_min
            ),
            how="open risks on the likelihood × impact grid; score = L × I, high ≥ 15, medium 8–14 (DOMAIN.md 4).",
            key="risk_heatmap",
        )
        st.caption("The register lists open risks first; the grid above counts open risks only.")
        shown = register.assign(
            _closed=register["status"].eq("closed"),
            level=labels(register["level"]),
            category=code_labels("RISK_CATEGORIES", register["category"]),
            status_label=code_labels("RISK_STATUSES", register["status"]),
        ).sort_values(["_closed", "score"], ascending=[True, False], kind="stable")
        tables.show_table(
            shown[
                [
                    "risk_code",
                    "status_label",
                    "score",
                    "level",
                    "likelihood",
                    "impact",
                    "description",
                    "category",
                    "mitigation",
                    "owner",
                    "last_reviewed",
                ]
            ]
            .rename(
                columns={
                    "risk_code": "Risk",
                    "status_label": "Status",
                    "score": "Score",
                    "level": "Level",
                    "likelihood": "Likelihood",
                    "impact": "Impact",
                    "description": "Description",
                    "category": "Category",
                    "mitigation": "Mitigation",
                    "owner": "Owner",
                    "last_reviewed": "Last reviewed",
                }
            )
            .fillna({"Mitigation": "", "Owner": ""}),
            key="risk_register",
            file_stem=f"{code}-risks",
        )

# ---- AAP and markers -----------------------------------------------------------------------------
with tabs[3]:
    aap = pframes.aap.set_index("commitment")["rating"] if len(pframes.aap) else pd.Series(dtype=object)
    checklist = pd.DataFrame(
        {
            "Commitment (IASC AAP)": [AAP_COMMITMENT_LABELS[c] for c in AAP_COMMITMENTS],
            "Rating": [AAP_RATING_LABELS.get(aap.get(c), AAP_RATING_LABELS["not_assessed"]) for c in AAP_COMMITMENTS],
        }
    )
    tables.show_table(checklist, key="aap", file_stem=f"{code}-aap")
    st.caption("The five IASC commitments on accountability to affected populations (DOMAIN.md 6).")
    if markers.empty:
        empty_states.no_rows("cross-cutting markers")
    else:
        tables.show_table(
            pd.DataFrame(
                {
                    "Marker": code_labels("MARKER_SCHEMES", markers["scheme"]).to_numpy(),
                    "Code": [marker_code_label(s, c) for s, c in zip(markers["scheme"], markers["code"], strict=True)],
                }
            ),
            key="markers",
            file_stem=f"{code}-markers",
        )

# ---- flags, visits, evaluations, quality ------------------------------------------------------------
with tabs[4]:
    if evaluation.flags.empty:
        st.caption("No early-warning flag is raised on this project (DOMAIN.md 5).")
    else:
        flags = evaluation.flags.assign(
            severity=lambda d: labels(d["severity"]), flag=lambda d: d["code"].map(flag_label)
        )
        tables.show_table(
            flags[["severity", "flag", "message", "rule"]].rename(
                columns={"severity": "Severity", "flag": "Flag", "message": "What fired", "rule": "Rule"}
            ),
            key="flags",
            file_stem=f"{code}-flags",
            column_config={"What fired": st.column_config.TextColumn(width="large")},
        )

with tabs[5]:
    if pframes.visits.empty:
        empty_states.no_rows("monitoring visits")
    else:
        visits = pframes.visits.sort_values("visit_date", ascending=False)
        tables.show_table(
            pd.DataFrame(
                {
                    "Date": visits["visit_date"].to_numpy(),
                    "Type": code_labels("VISIT_TYPES", visits["visit_type"]).to_numpy(),
                    "Findings": visits["findings"].to_numpy(),
                    "Follow-up": code_labels("FOLLOW_UP_STATUSES", visits["follow_up_status"]).to_numpy(),
                }
            ),
            key="visits",
            file_stem=f"{code}-visits",
            column_config={"Findings": st.column_config.TextColumn(width="large")},
        )

with tabs[6]:
    if detail.evaluations.empty:
        empty_states.no_rows("evaluations")
    else:
        ratings = detail.evaluation_ratings.pivot_table(index="evaluation_code", columns="criterion", values="rating")
        tables.show_table(
            detail.evaluations.drop(columns="evaluation_id").merge(
                ratings, left_on="evaluation_code", right_index=True, how="left"
            ),
            key="evaluations",
            file_stem=f"{code}-evaluations",
        )
    recs = pframes.recommendations
    open_recs = recs.loc[recs["status"].isin(("open", "in_progress"))]
    st.markdown(f"**Open recommendations** ({len(open_recs)})")
    if open_recs.empty:
        st.caption("No open evaluation or audit recommendation.")
    else:
        tables.show_table(
            pd.DataFrame(
                {
                    "Recommendation": open_recs["recommendation_code"].to_numpy(),
                    "Due": open_recs["due_date"].to_numpy(),
                    "Status": code_labels("RECOMMENDATION_STATUSES", open_recs["status"]).to_numpy(),
                    "Text": open_recs["text"].to_numpy(),
                    "Source": code_labels("RECOMMENDATION_SOURCES", open_recs["source"]).to_numpy(),
                    "Management response": code_labels(
                        "MANAGEMENT_RESPONSES", open_recs["management_response"]
                    ).to_numpy(),
                    "Issued": open_recs["issued_on"].to_numpy(),
                }
            ),
            key="recommendations",
            file_stem=f"{code}-recommendations",
            column_config={"Text": st.column_config.TextColumn(width="large")},
        )

with tabs[7]:
    issues = evaluation.quality
    if issues.empty:
        st.caption("No data-quality issue found on this project's indicators (DOMAIN.md 8).")
    else:
        codes = evaluation.indicators.set_index("indicator_id")["indicator_code"]
        # object first: with project-level issues only, the mapped ids stay an all-missing Int64 column
        shown = issues.assign(
            indicator=issues["indicator_id"].map(codes).astype(object).fillna("(project)"),
            issue=code_labels("QUALITY_ISSUES", issues["issue"]),
        )[["indicator", "issue", "message"]]
        shown = shown.rename(columns={"indicator": "Indicator", "issue": "Issue", "message": "Detail"})
        tables.show_table(shown, key="quality", file_stem=f"{code}-data-quality")
        st.caption(
            "The checks of DOMAIN.md 8: missing baseline or target, target equal to baseline, no unit, "
            "no sex breakdown, implausible values, breakdowns that do not add up."
        )

with tabs[8]:
    with data_errors():
        changes = loaders.project_history(ctx.data, ctx.scope, code)
    history_view.show_history(changes, key="history", file_stem=f"{code}-history")
