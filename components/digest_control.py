"""The sidebar's "Email alerts: daily / weekly / off": a person chooses how often they get the digest.

The choice is the person's own row(s) of ``people`` (``digest``), changed through
``data_access.importers.forms.submit_rows`` like every form: validated, recorded as an import batch
by the person, versioned in ``row_history`` (the Access page's history lists it). The write scope
lets a person change their own ``digest`` and nothing else (``importers.write_scope``); leadership
changes anyone's on the Access page or with a ``people`` sheet.

Whose choice it is:

* signed in: the signed-in person's (``identity.person``), even while leadership views as someone
  else (viewing is not becoming them);
* demo: the person of ``people`` who holds the chosen stand-in's role (``people.holder_of``), so the
  demo changes a real row and the next ``digest`` run follows it; the change is recorded under the
  demo's stand-in id (``demo:country:KEN``), which is who made it.

It is saved by a button (a form), never on a click of the radio: one change, one import batch.
Widget keys: ``email_alerts_choice:<email>`` (one per person, so switching the demo's person shows
that person's choice), ``email_alerts_save``.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from components import loaders
from components.identity import Identity, demo_stand_in
from components.labels import code_label
from components.plain_text import literal
from data_access import db, people
from data_access.errors import DataAccessError
from data_access.importers.forms import submit_rows
from data_access.scope import Scope
from reference.vocabulary import DIGEST_FREQUENCIES

CHOICE_KEY = "email_alerts_choice"
_OUTCOME_KEY = "_email_alerts_outcome"

HELP = (
    "A digest by email of what turned for the worse in your view: indicators off track, reports "
    "overdue, flags raised, recommendations falling due. Each alert is sent once."
)


def _label(frequency: str) -> str:
    return code_label("DIGEST_FREQUENCIES", frequency)


def whose(data: loaders.DataKey, identity: Identity) -> str | None:
    """The email of the person whose choice the control shows, or None when there is nobody in
    ``people`` to change (the demo's role is held by nobody, an empty database). Cached per data
    version (``loaders.role_holder``): the sidebar runs on every page run."""
    if not identity.demo:
        return identity.person
    role, code = demo_stand_in(identity.person)
    return loaders.role_holder(data, role, code) if role else None


def write_scope(engine, email: str, identity: Identity) -> Scope | None:
    """What the save may change: the signed-in person's own scope, or the demo holder's (read when
    saving only)."""
    return (identity.own or identity.scope) if not identity.demo else people.resolve(engine, email)


def _save(engine, email: str, identity: Identity) -> None:
    frequency = st.session_state[f"{CHOICE_KEY}:{email}"]
    scope, person = write_scope(engine, email, identity), identity.person
    try:
        with db.session_scope(engine) as session:
            rows = people.digest_rows(session.connection(), email, frequency)
            result = submit_rows(session, "people", rows, scope=scope, person=person, as_of=dt.date.today())
    except DataAccessError as error:
        st.session_state[_OUTCOME_KEY] = (False, str(error))
        return
    if result.ok:
        loaders.clear_caches()
        st.session_state[_OUTCOME_KEY] = (True, f"Email alerts: {_label(frequency).lower()} (saved).")
    else:
        st.session_state[_OUTCOME_KEY] = (False, "; ".join(p.reason for p in result.report.errors))


def email_alerts(data: loaders.DataKey, identity: Identity) -> None:
    """The control, in the sidebar: the current choice in its label, the radio and Save inside."""
    email = whose(data, identity)
    if email is None:
        st.sidebar.caption(
            "Email alerts: nobody in the people table holds this role yet, so there is no choice to set "
            "(leadership adds people on the Access page)."
        )
        return
    current = loaders.digest_choice(data, email)
    with st.sidebar.popover(f"Email alerts: {_label(current).lower()}", icon=":material/mail:", width="stretch"):
        st.caption(f"{HELP} For {literal(email)}.")
        st.radio(
            "How often",
            DIGEST_FREQUENCIES,
            index=DIGEST_FREQUENCIES.index(current),
            format_func=_label,
            horizontal=True,
            key=f"{CHOICE_KEY}:{email}",
        )
        st.button(
            "Save email alerts",
            key="email_alerts_save",
            icon=":material/save:",
            on_click=_save,
            args=(loaders.engine_for(data.url), email, identity),
        )
        outcome = st.session_state.pop(_OUTCOME_KEY, None)
        if outcome is not None:
            (st.success if outcome[0] else st.error)(outcome[1])
