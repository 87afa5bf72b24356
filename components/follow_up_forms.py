"""Forms on the follow-up pages: update a recommendation, record a monitoring visit.

Nothing a person types is written around the importers (ARCHITECTURE.md, shared decision 1): a
submitted form is a one-row import of the canonical ``recommendations`` or ``visits`` table through
``data_access.importers.forms.submit_rows``, the one path of every form (:func:`submit_row`), so it
gets the same validation as a workbook (a clear message naming the column and the value; nothing
written when anything is wrong), the asker's write scope, an import batch (who, when) and the
field-level history of ``data_access.history`` (the value before and after). The form always sends
every column it shows, prefilled with the stored value, because an empty cell in a present column
clears the stored value (importing.md).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from components import loaders, project_picker
from components.frame import PageContext, data_errors
from components.labels import code_label
from components.search_caption import matches_caption
from data_access import db
from data_access.importers.forms import submit_rows
from data_access.importers.writer import ImportResult
from monitoring.recommendations import STATE_LABELS
from reference.vocabulary import FOLLOW_UP_STATUSES, MANAGEMENT_RESPONSES, RECOMMENDATION_STATUSES, VISIT_TYPES

_SAVED = "_follow_up_form_saved"


def submit_row(ctx: PageContext, table: str, values: dict) -> ImportResult:
    """One form submission as a one-row import batch through the writer, recorded under the asker."""
    with data_errors(), db.session_scope(loaders.engine_for(ctx.database_url)) as session:
        return submit_rows(session, table, [values], scope=ctx.scope, person=ctx.person, as_of=dt.date.today())


def _after(result: ImportResult, what: str) -> None:
    """Saved: forget the cached reads and show the page again with the news; refused: say why."""
    if result.ok:
        loaders.clear_caches()
        changed = result.outcome == "imported"
        st.session_state[_SAVED] = (
            f"{what} saved (import batch {result.batch_id}); the change is in the project's history."
            if changed
            else f"Nothing changed: {what.lower()} was already stored so."
        )
        st.rerun()
    st.error(f"Not saved (import batch {result.batch_id} rejected): nothing was written.", icon=":material/block:")
    st.dataframe(
        pd.DataFrame(
            {
                "Column": [p.column for p in result.report.errors],
                "Problem": [p.describe() for p in result.report.errors],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def _saved_message() -> None:
    message = st.session_state.pop(_SAVED, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def _date(value) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def recommendation_update(ctx: PageContext, reg: pd.DataFrame) -> None:
    """Update the status, response, action, owner, due date or implementation day of one recommendation."""
    st.subheader("Update a recommendation")
    _saved_message()
    if reg.empty:
        return
    offered = _recommendations_offered(reg, "rec_form_pick")
    labels = {
        (r.project_code, r.recommendation_code): f"{r.project_code} {r.recommendation_code} · "
        f"{STATE_LABELS[r.state]} · {_text(r.text)[:70]}"
        for r in offered.itertuples()
    }
    chosen = st.selectbox("Recommendation", list(labels), format_func=labels.__getitem__, key="rec_form_pick")
    if chosen is None:
        return
    row = offered.loc[(offered["project_code"] == chosen[0]) & (offered["recommendation_code"] == chosen[1])].iloc[0]
    key = f"rec_form_{row['project_code']}_{row['recommendation_code']}"
    with st.form(key):
        left, right = st.columns(2)
        status = left.selectbox(
            "Status",
            RECOMMENDATION_STATUSES,
            index=RECOMMENDATION_STATUSES.index(row["status"]),
            format_func=lambda c: code_label("RECOMMENDATION_STATUSES", c),
        )
        responses = ("", *MANAGEMENT_RESPONSES)  # "": none recorded yet
        response = right.selectbox(
            "Management response",
            responses,
            index=responses.index(_text(row["management_response"])),
            format_func=lambda c: code_label("MANAGEMENT_RESPONSES", c or None),
        )
        action = st.text_area("Planned action", _text(row["action"]))
        owner, due, implemented = st.columns(3)
        owner_name = owner.text_input("Owner", _text(row["owner"]))
        due_date = due.date_input("Due date", _date(row["due_date"]), format="YYYY-MM-DD")
        implemented_on = implemented.date_input("Implemented on", _date(row["implemented_on"]), format="YYYY-MM-DD")
        submitted = st.form_submit_button("Save", type="primary")
    if submitted:
        values = {
            "project_code": row["project_code"],
            "recommendation_code": row["recommendation_code"],
            "source": row["source"],
            "text": row["text"],
            "issued_on": _date(row["issued_on"]),
            "management_response": response or None,
            "action": action or None,
            "owner": owner_name or None,
            "due_date": due_date,
            "status": status,
            "implemented_on": implemented_on,
        }
        _after(submit_row(ctx, "recommendations", values), "The recommendation")


def _recommendations_offered(reg: pd.DataFrame, key: str) -> pd.DataFrame:
    """The register's rows selectbox ``key`` offers: all of them in a small view; in a large one (every option
    travels to the browser) the first matches of a search, most urgent first, and the one already chosen."""
    if len(reg) <= project_picker.PLAIN_UP_TO:
        return reg
    text = st.text_input("Find a recommendation (project code, its code or words of its text)", key=f"{key}_find")
    searched = reg["project_code"] + " " + reg["recommendation_code"] + " " + reg["text"].fillna("").astype(str)
    hit = pd.Series(True, index=reg.index)
    for word in text.split():
        hit &= searched.str.contains(word, case=False, regex=False)
    chosen = st.session_state.get(key) or (None, None)
    kept = (reg["project_code"] == chosen[0]) & (reg["recommendation_code"] == chosen[1]) & ~hit
    matches_caption(
        "recommendations",
        len(reg),
        int(hit.sum()),
        text,
        limit=project_picker.MATCHES_SHOWN,
        order="most urgent first",
        best="most urgent first",
    )
    return pd.concat([reg[hit].head(project_picker.MATCHES_SHOWN), reg[kept]])


def visit_form(ctx: PageContext, projects: pd.DataFrame, visits: pd.DataFrame) -> None:
    """Record a monitoring visit of a project in view, or update the findings and follow-up of one."""
    st.subheader("Record a visit or its follow-up")
    _saved_message()
    if projects.empty:
        return
    code = project_picker.project_choice(ctx, key="vis_form_project")
    if code is None:
        return
    pid = projects.loc[projects["project_code"] == code, "project_id"].iloc[0]
    own = visits.loc[visits["project_id"] == pid].sort_values("visit_date", ascending=False)
    labels = {f"{_date(v.visit_date)} · {code_label('VISIT_TYPES', v.visit_type)}": i for i, v in own.iterrows()}
    pick = st.selectbox("Visit", ["New visit", *labels], key=f"vis_form_visit_{code}")
    row = own.loc[labels[pick]] if pick in labels else None
    with st.form(f"vis_form_{code}_{labels.get(pick, 'new')}"):
        left, middle, right = st.columns(3)
        day = left.date_input(
            "Visit date", _date(row["visit_date"]) if row is not None else dt.date.today(), format="YYYY-MM-DD"
        )
        kind = middle.selectbox(
            "Type",
            VISIT_TYPES,
            index=VISIT_TYPES.index(row["visit_type"]) if row is not None else 0,
            format_func=lambda c: code_label("VISIT_TYPES", c),
        )
        follow = right.selectbox(
            "Follow-up",
            FOLLOW_UP_STATUSES,
            index=FOLLOW_UP_STATUSES.index(row["follow_up_status"]) if row is not None else 0,
            format_func=lambda c: code_label("FOLLOW_UP_STATUSES", c),
        )
        findings = st.text_area("Findings", _text(row["findings"]) if row is not None else "")
        submitted = st.form_submit_button("Save", type="primary")
    if submitted:
        values = {
            "project_code": code,
            "visit_date": day,
            "type": kind,
            "findings": findings or None,
            "follow_up_status": follow,
        }
        _after(submit_row(ctx, "visits", values), "The visit")
