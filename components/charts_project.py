"""Pure chart builders of the Project page: data in, plotly Figure out, no ``st`` inside.

Each builder's title states the finding (what a programme manager should take away), axes carry
units, and the numbers come from ``monitoring`` (the builders draw, they do not compute statuses).
Colours follow :mod:`components.badges`; every trace also has a name, so the legend carries words.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components.badges import badge
from components.labels import code_labels
from monitoring.dates import date_text

COLOURS = {
    "actual": "#0033A0",
    "plan": "#7A8CA5",
    "time": "#B0B7C3",
    "forecast": "#E08A00",
    "target": "#5B8C3A",
    "expected": "#9E9E9E",
    "female": "#8E44AD",
    "male": "#16A085",
    "other": "#7F8C8D",
}


def pct(x: float | None, digits: int = 0) -> str:
    return "–" if x is None or pd.isna(x) else f"{x * 100:.{digits}f}%"


def money(amount: float | None, currency: str) -> str:
    if amount is None or pd.isna(amount):
        return f"{currency} –"
    for size, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if abs(amount) >= size:
            return f"{currency} {amount / size:,.1f}{suffix}"
    return f"{currency} {amount:,.0f}"


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str, height: int = 360) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={"orientation": "h", "y": -0.2},
        xaxis_title=x_title,
        yaxis_title=y_title,
        template="plotly_white",
    )
    return fig


# ---- data shaping for the builders (selection and sums over one project's rows) -----------------
def line_spending(budget_lines: pd.DataFrame, line_expenditures: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Budget lines with ``budget`` (current amount) and ``spent`` (months starting on or before D,
    DOMAIN.md 3), each in the line's currency.

    A line without expenditure rows has spent 0 when the project reported spending on other lines,
    and ``NaN`` (not reported) when the project has no expenditure row at all up to D: the rule of
    ``monitoring.finance`` (``expenditure_reported``), so a line never reads 0% of an unknown."""
    day = pd.Timestamp(as_of)
    spend = line_expenditures.loc[pd.to_datetime(line_expenditures["month"]) <= day]
    spent = spend.groupby("budget_line_id")["amount"].sum()
    out = budget_lines[["budget_line_id", "line_code", "category", "currency"]].copy()
    out["budget"] = budget_lines["amount"].astype(float).to_numpy()
    out["spent"] = out["budget_line_id"].map(spent).fillna(0.0 if len(spend) else np.nan).astype(float)
    return out.sort_values("line_code", kind="stable").reset_index(drop=True)


LINE_USE = {
    "over": "✖ Over budget",
    "within": "● Within budget",
    "no_budget": "– No budget",
    "not_reported": "? Not reported",
}


def budget_line_table(lines: pd.DataFrame) -> pd.DataFrame:
    """The budget-line table as shown: amounts in whole units of the line's currency (one precision
    for every line: cents say nothing at budget-line level and made "1,234.5" sit next to
    "98,000"), ``Burn`` = spent ÷ budget as a 0-1 share (NaN without a positive budget) and ``Use`` in
    words and symbol: "✖ Over budget" when spent exceeds the budget by at least one whole unit
    (compared as shown, so a cent of rounding never marks a line over), "– No budget" for a line
    whose budget is 0 or less, "? Not reported" (spent and burn blank) when the project has reported
    no expenditure at all.

    ``lines``: from :func:`line_spending`.
    """
    budget = lines["budget"].astype(float)
    spent = lines["spent"].astype(float)
    burn = (spent / budget.where(budget > 0)).round(3)
    over = budget.gt(0) & (spent.round(0) > budget.round(0))
    use = np.select(
        [spent.isna(), ~budget.gt(0), over],
        [LINE_USE["not_reported"], LINE_USE["no_budget"], LINE_USE["over"]],
        default=LINE_USE["within"],
    )
    return pd.DataFrame(
        {
            "Line": lines["line_code"].to_numpy(),
            "Category": code_labels("BUDGET_CATEGORIES", lines["category"]).to_numpy(),
            "Currency": lines["currency"].to_numpy(),
            "Budget": budget.round(0).to_numpy(),
            "Spent to date": spent.round(0).to_numpy(),
            "Burn": burn.to_numpy(),
            "Use": use,
        }
    )


def indicator_periods(targets: pd.DataFrame, actuals: pd.DataFrame, indicator_id: int) -> pd.DataFrame:
    """One row per period end of an indicator: milestone ``target`` and reported ``actual`` (current
    versions), with the sex breakdown of the actual."""
    t = targets.loc[targets["indicator_id"] == indicator_id, ["period_end", "target"]]
    a = actuals.loc[actuals["indicator_id"] == indicator_id, ["period_end", "value", "female", "male", "other_sex"]]
    a = a.rename(columns={"value": "actual"})
    t = t.assign(period_end=pd.to_datetime(t["period_end"]))
    a = a.assign(period_end=pd.to_datetime(a["period_end"]))
    merged = (
        t.groupby("period_end", as_index=False)["target"]
        .sum(min_count=1)
        .merge(a.groupby("period_end", as_index=False).sum(min_count=1), on="period_end", how="outer")
    )
    for column in ("target", "actual", "female", "male", "other_sex"):
        merged[column] = pd.to_numeric(merged[column], errors="coerce").astype(float)
    return merged.sort_values("period_end").reset_index(drop=True)


# ---- financials --------------------------------------------------------------------------------
def s_curve(
    curve: pd.DataFrame,
    *,
    currency: str,
    as_of: dt.date,
    burn: float | None,
    elapsed: float | None,
    forecast_delivery: float | None,
    reported: bool = True,
) -> go.Figure:
    """Cumulative spending against plan and time, with the forecast to close.

    ``curve`` is ``monitoring.finance.spending_curve``: month, actual, plan, time, forecast (all
    cumulative amounts in the project's currency). ``reported`` False (no expenditure row up to the
    as-of date): the title says so instead of "Spent –" (the curve then has no actual or forecast).
    """
    fig = go.Figure()
    series = (
        ("time", "Budget × time elapsed", "dot"),
        ("plan", "Spending plan", "dash"),
        ("actual", "Spent (cumulative)", "solid"),
        ("forecast", "Forecast to close", "dashdot"),
    )
    for column, name, dash in series:
        values = curve[column]
        if values.notna().any():
            fig.add_trace(
                go.Scatter(
                    x=curve["month"],
                    y=values,
                    name=name,
                    mode="lines",
                    line={"color": COLOURS[column], "dash": dash, "width": 3 if column == "actual" else 2},
                )
            )
    fig.add_vline(
        x=pd.Timestamp(as_of).timestamp() * 1000,
        line_dash="dot",
        line_color="#555",
        annotation_text=f"as of {date_text(as_of)}",
    )
    title = (
        f"Spent {pct(burn)} of the budget with {pct(elapsed)} of the time elapsed"
        if reported
        else f"No expenditure reported; {pct(elapsed)} of the time elapsed"
    )
    if forecast_delivery is not None and not pd.isna(forecast_delivery):
        title += f"; forecast at close {pct(forecast_delivery)} of budget"
    return _layout(fig, title, "Month", f"Cumulative amount ({currency})")


def budget_by_line(lines: pd.DataFrame, *, currency: str) -> go.Figure:
    """Budget and spent per budget line (columns line_code, category, budget, spent)."""
    data = lines.sort_values("budget", ascending=True)
    names = data["line_code"].astype(str) + " · " + code_labels("BUDGET_CATEGORIES", data["category"])
    fig = go.Figure(
        [
            go.Bar(y=names, x=data["budget"], name="Budget", orientation="h", marker_color=COLOURS["plan"]),
            go.Bar(y=names, x=data["spent"], name="Spent to date", orientation="h", marker_color=COLOURS["actual"]),
        ]
    )
    fig.update_layout(barmode="group")
    if len(data) and data["spent"].isna().all():
        title = "Budget by line: no expenditure reported"
    elif len(data) and data["budget"].gt(0).any():
        share = data["spent"] / data["budget"].where(data["budget"] > 0)
        worst = share.idxmax() if share.notna().any() else None
        title = (
            f"Line {data.loc[worst, 'line_code']} has used the largest share of its budget ({pct(share[worst])})"
            if worst is not None
            else "Budget and spending by line"
        )
    else:
        title = "No budget recorded by line"
    return _layout(fig, title, f"Amount ({currency})", "Budget line", height=max(260, 40 * len(data) + 120))


# ---- indicators --------------------------------------------------------------------------------
def indicator_chart(
    *,
    name: str,
    unit: str | None,
    periods: pd.DataFrame,
    b: float | None,
    end_target: float | None,
    start: dt.date,
    end: dt.date,
    accumulation: str,
    status: str | None,
    as_of: dt.date,
) -> go.Figure:
    """Actuals to date against milestone targets and the expected (linear) path.

    ``periods``: period_end, target (milestone, may be NaN) and actual (reported value, may be NaN).
    For incremental indicators both are shown cumulatively (the to-date figure the status uses).
    """
    data = periods.sort_values("period_end").copy()
    if accumulation == "incremental":
        data["actual"] = data["actual"].cumsum().where(data["actual"].notna())
        data["target"] = data["target"].cumsum().where(data["target"].notna())
    fig = go.Figure()
    if b is not None and end_target is not None and not (pd.isna(b) or pd.isna(end_target)):
        fig.add_trace(
            go.Scatter(
                x=[start, end],
                y=[b, end_target],
                name="Expected path (linear)",
                mode="lines",
                line={"color": COLOURS["expected"], "dash": "dot"},
            )
        )
    if data["target"].notna().any():
        fig.add_trace(
            go.Scatter(
                x=data["period_end"],
                y=data["target"],
                name="Milestone target",
                mode="markers+lines",
                marker={"symbol": "diamond-open", "size": 10},
                line={"color": COLOURS["target"], "dash": "dash"},
            )
        )
    if data["actual"].notna().any():
        fig.add_trace(
            go.Scatter(
                x=data["period_end"],
                y=data["actual"],
                name="Actual (to date)",
                mode="markers+lines",
                marker={"size": 9},
                line={"color": COLOURS["actual"]},
            )
        )
    fig.add_vline(x=pd.Timestamp(as_of).timestamp() * 1000, line_dash="dot", line_color="#555")
    title = f"{name}: {badge(status).label}" if status else name
    return _layout(fig, title, "Period end", unit or "Value", height=320)


def sex_breakdown(breakdown: pd.DataFrame, *, unit: str | None) -> go.Figure:
    """Stacked bars of the reported value per period by sex (columns period_end, female, male, other_sex)."""
    fig = go.Figure()
    for column, name in (("female", "Women and girls"), ("male", "Men and boys"), ("other_sex", "Other or unknown")):
        if column in breakdown and breakdown[column].notna().any():
            fig.add_trace(
                go.Bar(
                    x=breakdown["period_end"],
                    y=breakdown[column],
                    name=name,
                    marker_color=COLOURS["other" if column == "other_sex" else column],
                )
            )
    fig.update_layout(barmode="stack")
    female, male = (breakdown[c].sum(min_count=1) if c in breakdown else np.nan for c in ("female", "male"))
    total = np.nansum([female, male])
    title = (
        f"Women and girls are {pct(female / total)} of those reached by sex"
        if total and not pd.isna(female)
        else "No breakdown by sex reported"
    )
    return _layout(fig, title, "Period end", unit or "Value", height=300)


# ---- risks ---------------------------------------------------------------------------------------
def risk_heatmap(grid: pd.DataFrame, *, high_min: int, medium_min: int, subject: str = "open risks") -> go.Figure:
    """Likelihood × impact grid of counts (``monitoring.risks.risk_heatmap``: rows 5 → 1, columns 1 → 5).

    Cells are shaded by the risk *level* of the cell (score bands), and labelled with the count and
    the level's word, so the grid reads without colour.
    """
    likelihood = [int(v) for v in grid.index]
    impact = [int(v) for v in grid.columns]
    score = np.outer(likelihood, impact)
    level = np.where(score >= high_min, 2, np.where(score >= medium_min, 1, 0))
    words = np.array(["low", "medium", "high"])[level]
    counts = grid.to_numpy()
    text = [[f"{counts[i][j]}<br>{words[i][j]}" for j in range(len(impact))] for i in range(len(likelihood))]
    fig = go.Figure(
        go.Heatmap(
            z=level,
            x=impact,
            y=likelihood,
            text=text,
            texttemplate="%{text}",
            showscale=False,
            colorscale=[[0, "#DCEFD8"], [0.5, "#FCE3B0"], [1, "#F4B6B0"]],
            zmin=0,
            zmax=2,
            customdata=counts,
            hovertemplate="likelihood %{y} × impact %{x}: %{customdata} risk(s)<extra></extra>",
        )
    )
    n_high = int(counts[level == 2].sum())
    total = int(counts.sum())
    title = (
        f"{n_high} of {total} {subject} score high (likelihood × impact ≥ {high_min})"
        if total
        else f"No {subject} recorded"
    )
    fig.update_yaxes(autorange=True, dtick=1)
    fig.update_xaxes(dtick=1)
    return _layout(
        fig, title, "Impact (1 = minor, 5 = severe)", "Likelihood (1 = rare, 5 = almost certain)", height=380
    )
