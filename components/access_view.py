"""The Access page's parts: who may see what (and how often each person gets the email alerts), the
form that changes it, and what changed.

Every change is a one-row import batch through ``data_access.importers.forms.submit_rows`` (the same
validation, write scope, log and history as a ``people.csv`` file), made under the signed-in
leader's own scope and recorded under their email, even while they view as someone else.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from components import loaders, tables
from components.labels import code_label as _code_label
from data_access import db, people
from data_access.importers.forms import submit_rows
from reference.vocabulary import DIGEST_FREQUENCIES, PERSON_ROLES


def _role(code: str) -> str:
    return _code_label("PERSON_ROLES", code)


def _frequency(code: str) -> str:
    return _code_label("DIGEST_FREQUENCIES", code)


SCOPE_HELP = (
    "Separated by ';': regional office codes for a regional director (e.g. RO-EHoA), ISO3 codes for a "
    "chief of mission (e.g. KEN;UGA), project codes for a programme manager (besides the projects "
    "naming them as manager); empty for leadership."
)


def people_table(ctx) -> pd.DataFrame:
    """Everyone with a row in ``people`` (active or not), with CSV and Excel downloads."""
    frame = people.people_frame(loaders.engine_for(ctx.database_url))
    shown = frame.assign(role=frame["role"].map(_role), digest=frame["digest"].map(_frequency))
    tables.show_table(
        shown.rename(columns=str.capitalize).rename(columns={"Digest": "Email alerts"}),
        key="access_people",
        file_stem="people",
        download=frame,  # the file is a people.csv that imports back as it is
    )
    return frame


def _submit(ctx, rows: list[dict], done: str) -> None:
    with db.session_scope(loaders.engine_for(ctx.database_url)) as session:
        result = submit_rows(
            session, "people", rows, scope=ctx.identity.own or ctx.scope, person=ctx.person, as_of=dt.date.today()
        )
    if result.ok:
        loaders.clear_caches()
        st.success(f"{done} (import batch {result.batch_id}).", icon=":material/check_circle:")
        return
    st.error("Nothing was changed:", icon=":material/block:")
    for problem in result.report.errors:
        st.text(f"{problem.column or ''}: {problem.value or ''} - {problem.reason}")


def access_form(ctx) -> None:
    """Add a person's access, or change one (same email and role: the row is updated)."""
    with st.form("access_form", clear_on_submit=False):
        email = st.text_input("Email (as the identity provider verifies it)", key="access_email")
        name = st.text_input("Name", key="access_name")
        role = st.selectbox("Role", PERSON_ROLES, format_func=lambda r: _role(r), key="access_role")
        scope = st.text_input("Scope", key="access_scope", help=SCOPE_HELP)
        active = st.checkbox("Active", value=True, key="access_active")
        digest = st.selectbox(
            "Email alerts",
            [None, *DIGEST_FREQUENCIES],
            format_func=lambda f: "Leave as it is (weekly for a new person)" if f is None else _frequency(f),
            key="access_digest",
            help="How often this person receives the alerts digest; they can also change it themselves (sidebar).",
        )
        submitted = st.form_submit_button("Save access", icon=":material/save:")
    if submitted:
        row = {"email": email, "name": name, "role": role, "scope": scope, "active": active}
        _submit(ctx, [row | ({"digest": digest} if digest else {})], f"Access of {email.strip().lower()} saved")


def deactivate_form(ctx, frame: pd.DataFrame) -> None:
    """Withdraw one active access (the row and its history are kept)."""
    active = frame[frame["active"]]
    if active.empty:
        st.caption("Nobody has active access.")
        return
    options = list(active.index)
    chosen = st.selectbox(
        "Access to withdraw",
        options,
        index=None,
        format_func=lambda i: f"{active.at[i, 'name']} · {active.at[i, 'email']} · {_role(active.at[i, 'role'])}",
        key="access_deactivate",
        placeholder="Choose a person and role",
    )
    if st.button("Deactivate", key="access_deactivate_button", disabled=chosen is None, icon=":material/block:"):
        row = active.loc[chosen]
        _submit(
            ctx,
            [{"email": row["email"], "name": row["name"], "role": row["role"], "active": False}],
            f"Access of {row['email']} as {_role(row['role']).lower()} withdrawn",
        )


def access_history(ctx) -> None:
    """Who changed whose access, and when (every change is an import batch)."""
    history = people.access_history(loaders.engine_for(ctx.database_url))
    if history.empty:
        st.caption("No access change recorded yet (people seeded with the demo have no history).")
        return
    tables.show_table(history, key="access_history", file_stem="access-history")


def view_as_log(ctx) -> None:
    """Leadership's "view as" switches: who, as whom, when."""
    log = people.view_as_log(loaders.engine_for(ctx.database_url))
    if log.empty:
        st.caption("Nobody has viewed the dashboard as someone else yet.")
        return
    tables.show_table(log, key="access_view_as", file_stem="view-as-log")
