"""The Project page's "Report an actual" tab: enter or correct one period's actual on the page.

A programme manager reports a quarter's number without a workbook; a correction is visible as one.
The choices a careful M&E officer would make, and why:

* **Offered only to those who may change the project.** ``loaders.write_refusal`` asks the rule
  every import applies (``write_scope.refusal``): a chief of mission reads a multi-country project
  implemented in their country, but its managing office reports it, so they see the reason and no
  form. The scope is ``ctx.scope``, what the page shows: leadership viewing as a programme manager
  may change only what that person may, recorded under leadership's own email (``ctx.person``).
  The import checks the write scope again, so a crafted submission is refused all the same.
* **One path for everything a person types.** The form is a ``periods`` row (and, for a
  sex-and-age indicator, the period's ``breakdowns``) imported by
  ``data_access.importers.forms.submit_tables``: the same validation as a file, all or nothing,
  an import batch under the person's email, and a new version of the actual (the previous one is
  kept; ``data_access.history`` reads who changed what from the versions). The writer refreshes
  the stored evaluations of the project in the same transaction (``evalstore.refresh`` with the
  import's ``Touched``); the page then clears its caches like the Data page after an import.
* **Numbers are typed in text boxes**, not number widgets: what a person types is what the import
  validates, so "12 (est.)" is refused with the import's message naming the field and the value,
  rather than silently rounded or dropped by a widget.
* **Every field shown is sent, prefilled with the current version**: emptying one clears it, as an
  empty cell of a present column does in a file. An empty actual would change nothing (an import
  never withdraws a reported value), so the form asks for one instead of pretending to save.
  The reporting date defaults to today: a correction is reported on the day it is made.
* **Periods**: those with a milestone target or a reported actual, or another period by its dates.
  Age bands are the period's stored ones, else ``reference.breakdowns.AGE_BANDS``; breakdowns by
  other dimensions (disability...) are sent as stored, so the new version keeps them.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from components import history_view, loaders, tables
from components.badges import badge
from components.frame import data_errors
from components.labels import code_label
from components.plain_text import literal
from data_access import db
from data_access.history import encode
from data_access.importers.forms import submit_tables
from data_access.importers.writer import ImportResult
from reference.breakdowns import AGE_BANDS
from reference.vocabulary import EVIDENCE_SOURCES

NEW_PERIOD = "Another period"
AGE = "age"
SEX_FIELDS = {"actual_female": "Female", "actual_male": "Male", "actual_other": "Other or unknown sex"}
FIELD_LABELS = {
    "actual": "Actual",
    "actual_text": "Actual (text)",
    **SEX_FIELDS,
    "comment": "Comment",
    "source": "Source",
    "reported_on": "Reported on",
    "period_start": "Period start",
    "period_end": "Period end",
    "value": "Age band",
}
_SAVED = "_actual_entry_saved"


def _text(value: object) -> str:
    """A stored value as the text a person would type (90, not 90.0; empty for nothing)."""
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else encode(value) or ""


def _day(value: object) -> dt.date:
    return pd.Timestamp(value).date()


def entry_periods(targets: pd.DataFrame, versions: pd.DataFrame, indicator_id: int) -> pd.DataFrame:
    """The periods of one indicator a person may report: those with a target or an actual, by start
    (``period_start``, ``period_end``, ``target``)."""
    own = targets.loc[targets["indicator_id"] == indicator_id]
    reported = versions.loc[versions["indicator_id"] == indicator_id]
    planned = pd.DataFrame({"period_start": own["period_start"].map(_day), "period_end": own["period_end"].map(_day)})
    periods = pd.concat(
        [
            planned.assign(target=own["target"].to_numpy()),
            pd.DataFrame(
                {"period_start": reported["period_start"].map(_day), "period_end": reported["period_end"].map(_day)}
            ),
        ]
    ).drop_duplicates(["period_start", "period_end"])  # the target's row first: it keeps the target
    return periods.sort_values(["period_start", "period_end"]).reset_index(drop=True)


def period_label(row: pd.Series) -> str:
    """Dates and target only: a label that a save does not change, so the period stays chosen."""
    target = f"target {_text(row['target'])}" if _text(row["target"]) else "no target"
    return f"{row['period_start']} – {row['period_end']} · {target}"


def current_line(current: pd.Series | None, unit: object) -> str:
    """What is stored now for the period, as the page shows it above the form."""
    if current is None:
        return "Not reported yet."
    value = _text(current["value"]) or _text(current["value_text"])
    unit = f" {unit}" if isinstance(unit, str) and unit and _text(current["value"]) else ""
    reported = f", reported on {_day(current['reported_on'])}" if _text(current["reported_on"]) else ""
    source = code_label("EVIDENCE_SOURCES", current["source"])
    return f"Reported now: {value}{unit} (version {int(current['version'])}{reported}, {source.lower()})."


def entry_tables(
    project_code: str,
    indicator_code: str,
    period: tuple[dt.date, dt.date],
    entered: dict[str, object],
    ages: dict[str, str] | None = None,
    other_breakdowns: pd.DataFrame | None = None,
) -> dict[str, list[dict]]:
    """The import the form makes: one ``periods`` row of ``entered`` (canonical columns), and the
    period's ``breakdowns`` when ``ages`` are asked for (the bands entered, plus the stored rows of
    other dimensions, which a breakdowns table present in an import would otherwise drop)."""
    key = {
        "project_code": project_code,
        "indicator_code": indicator_code,
        "period_start": period[0],
        "period_end": period[1],
    }
    out = {"periods": [{**key, **entered}]}
    if ages is None:
        return out
    rows = [
        {**key, "dimension": AGE, "category": band, "value": value} for band, value in ages.items() if value.strip()
    ]
    rows += [
        {**key, "dimension": r.dimension, "category": r.category, "value": r.value, "value_text": r.value_text}
        for r in (other_breakdowns if other_breakdowns is not None else pd.DataFrame()).itertuples()
    ]
    if rows:
        out["breakdowns"] = rows
    return out


def save(ctx, rows_by_table: dict[str, list[dict]]) -> ImportResult:
    """One import batch by the person asking, under the scope the page shows (all or nothing)."""
    with db.session_scope(loaders.engine_for(ctx.database_url)) as session:
        return submit_tables(session, rows_by_table, scope=ctx.scope, person=ctx.person, as_of=dt.date.today())


def problems_frame(result: ImportResult) -> pd.DataFrame:
    """The errors of a refused entry in the form's words: the field, the value typed, why."""
    return pd.DataFrame(
        {
            "Field": [FIELD_LABELS.get(p.column or "", p.column or "") for p in result.report.errors],
            "Value": [p.value or "" for p in result.report.errors],
            "Problem": [p.reason for p in result.report.errors],
        }
    )


def _after(result: ImportResult, what: str) -> None:
    if result.ok:
        loaders.clear_caches()
        st.session_state[_SAVED] = (
            f"{what} saved (import batch {result.batch_id}): a new version; the one before is kept (history below)."
            if result.outcome == "imported"
            else f"Nothing changed: {what.lower()} was already stored so.",
            [f"{FIELD_LABELS.get(w.column or '', w.column or '')}: {w.reason}" for w in result.report.warnings],
        )
        st.rerun()
    st.error(f"Not saved: nothing was written (import batch {result.batch_id} rejected).", icon=":material/block:")
    st.dataframe(problems_frame(result), hide_index=True, width="stretch")


def _current(versions: pd.DataFrame, indicator_id: int, period: tuple[dt.date, dt.date]) -> pd.Series | None:
    own = versions.loc[
        (versions["indicator_id"] == indicator_id)
        & versions["is_current"].astype(bool)
        & (versions["period_start"].map(_day) == period[0])
        & (versions["period_end"].map(_day) == period[1])
    ]
    return None if own.empty else own.iloc[0]


def _pick_period(periods: pd.DataFrame, indicator_id: int) -> tuple[dt.date, dt.date] | None:
    labels = {(r["period_start"], r["period_end"]): period_label(r) for _, r in periods.iterrows()}
    chosen = st.selectbox(
        "Reporting period",
        [*labels, NEW_PERIOD],
        format_func=lambda option: labels.get(option, option),
        key=f"entry_period_{indicator_id}",
    )
    if chosen != NEW_PERIOD:
        return chosen
    left, right = st.columns(2)
    start = left.date_input("Period start", value=None, format="YYYY-MM-DD", key=f"entry_start_{indicator_id}")
    end = right.date_input("Period end", value=None, format="YYYY-MM-DD", key=f"entry_end_{indicator_id}")
    return (start, end) if start and end else None


def _form(ind: pd.Series, period, current: pd.Series | None, breakdowns: pd.DataFrame):
    """The fields, prefilled with the current version; returns (entered, ages) once submitted."""
    was = (lambda name: _text(current[name])) if current is not None else (lambda _name: "")
    qualitative = ind["measure"] == "qualitative"
    with st.form(f"entry_form_{ind['indicator_id']}_{period[0]}_{period[1]}"):
        unit = f" ({ind['unit']})" if isinstance(ind["unit"], str) and ind["unit"] else ""
        if qualitative:
            value = st.text_area("Actual (text)", was("value_text"))
        else:
            value = st.text_input(f"Actual{unit}", was("value"), help="Digits, with '.' for decimals.")
        sexes = {}
        if ind["disaggregation"] in ("sex", "sex_age"):
            columns = st.columns(len(SEX_FIELDS))
            stored = {"actual_female": "female", "actual_male": "male", "actual_other": "other_sex"}
            for column, (name, label) in zip(columns, SEX_FIELDS.items(), strict=True):
                sexes[name] = column.text_input(label, was(stored[name]))
        ages = None
        if ind["disaggregation"] == "sex_age":
            stored_ages = dict(
                breakdowns.loc[breakdowns["dimension"] == AGE, ["category", "value"]].itertuples(index=False)
            )
            bands = list(stored_ages) or list(AGE_BANDS)
            columns = st.columns(len(bands))
            ages = {b: c.text_input(f"Age {b}", _text(stored_ages.get(b))) for c, b in zip(columns, bands, strict=True)}
        comment = st.text_area("Comment", was("comment"), help="Why the figure is what it is; shown beside the status.")
        left, right = st.columns(2)
        sources = list(EVIDENCE_SOURCES)
        source = left.selectbox(
            "Source",
            sources,
            index=sources.index(current["source"]) if current is not None and current["source"] in sources else 0,
            format_func=lambda c: code_label("EVIDENCE_SOURCES", c),
        )
        reported_on = right.date_input("Reported on", dt.date.today(), format="YYYY-MM-DD")
        if not st.form_submit_button("Save the actual", type="primary", icon=":material/save:"):
            return None
    if not value.strip():
        st.error("Enter the actual: an empty value changes nothing (a reported value is never withdrawn).")
        return None
    numbers = {"actual_text": value} if qualitative else {"actual": value, "actual_text": None}
    entered = {**numbers, **sexes, "comment": comment, "source": source, "reported_on": reported_on}
    return entered, ages


def _period_history(ctx, code: str, indicator_code: str, period) -> None:
    with data_errors():
        changes = loaders.project_history(ctx.data, ctx.scope, code)
    row = f"{indicator_code} {period[0]} {period[1]}"
    own = changes.loc[(changes["What"] == "Actual") & (changes["Row"] == row)]
    st.markdown("**History of this period's actual**")
    if own.empty:
        st.caption("No recorded change yet: values seeded or imported before history was kept have none.")
        return
    tables.show_table(
        own[["When (UTC)", "Import", "By", "Field", "Before", "After"]],
        key="entry_history",
        file_stem=f"{code}-{indicator_code}-{period[0]}-history",
        column_config=history_view.HISTORY_CONFIG,
    )


def show(ctx, detail, evaluation) -> None:
    p, pframes = detail.project, detail.portfolio
    code = p["project_code"]
    saved = st.session_state.pop(_SAVED, None)
    if saved:
        message, warnings = saved
        st.success(message, icon=":material/check_circle:")
        for warning in warnings:  # saved all the same, like a file's warnings (e.g. a breakdown not adding up)
            st.warning(warning, icon=":material/warning:")
    refusal = loaders.write_refusal(ctx.data, ctx.scope, code)
    if refusal:
        st.info(f"You can read this project but not report its actuals: {refusal}.", icon=":material/lock:")
        return
    indicators = pframes.indicators.sort_values("indicator_code")
    if indicators.empty:
        st.caption("This project has no indicators to report on yet: import its results matrix first.")
        return
    names = {r.indicator_id: f"{r.indicator_code} · {r.name}" for r in indicators.itertuples()}
    chosen = st.selectbox("Indicator to report", list(names), format_func=names.__getitem__, key="entry_indicator")
    ind = indicators.loc[indicators["indicator_id"] == chosen].iloc[0]
    status = evaluation.indicators.loc[evaluation.indicators["indicator_id"] == chosen]
    if len(status):
        st.markdown(f"{badge(status.iloc[0]['status']).markdown} {literal(status.iloc[0]['reason'])}")
    period = _pick_period(entry_periods(pframes.targets, detail.actual_versions, chosen), chosen)
    if period is None:
        st.caption("Give the period's first and last day.")
        return
    current = _current(detail.actual_versions, chosen, period)
    st.text(current_line(current, ind["unit"]))
    breakdowns = detail.actual_breakdowns
    breakdowns = (
        breakdowns.iloc[0:0] if current is None else breakdowns[breakdowns["actual_id"] == current["actual_id"]]
    )
    submitted = _form(ind, period, current, breakdowns)
    if submitted is not None:
        entered, ages = submitted
        others = breakdowns.loc[breakdowns["dimension"] != AGE]
        rows = entry_tables(code, ind["indicator_code"], period, entered, ages, others)
        _after(save(ctx, rows), f"The actual of {ind['indicator_code']} for {period[0]} – {period[1]}")
    _period_history(ctx, code, ind["indicator_code"], period)
