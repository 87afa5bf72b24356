"""Who is asking: the one module that turns sign-in (or the demo's choice) into a :class:`Scope`.

Two modes, decided by the server's configuration, never by the URL:

* **Signed in** (an ``[auth]`` section in ``.streamlit/secrets.toml``): Streamlit's ``st.login``
  (OpenID Connect) verifies the person; their email and the ``people`` table give their scope
  (``data_access.people.resolve``), resolved once per session and again only when the data changes
  (an access change is an import). An unknown or deactivated email sees the "no access yet" page:
  no figure, name or code. Leadership may "view as" another person (sidebar): every page says so
  and each switch is logged (``view_as_events``). A URL naming a view (``as=...``) is ignored with a
  one-line message. An ID token whose ``email_verified`` claim is false is refused like an unknown
  email (providers that do not send the claim, such as Entra ID, vouch for the email themselves).
* **Demo** (no ``[auth]``: a fresh machine, ``make run``): a "Demo: choose who you are" selector and
  a banner on every page. Only here may a link name the view (``as=org``, ``as=region:RO-EHoA``,
  ``as=country:KEN``, ``as=manager:<name>``), so demos and benchmarks open any view directly.
  ``DASHBOARD_REQUIRE_SIGN_IN=1`` turns the demo off: without ``[auth]`` the app refuses to serve.

Pages never call this module: ``components.frame`` does, at the start of every run (``app.py``'s
and a page's own, when Streamlit runs a ``pages/`` script without ``app.py`` on a cold deep link),
and hands pages the resulting :class:`Identity` inside their context.

Widget keys: ``view_role``, ``view_who`` (demo), ``view_as_person`` (leadership's view as); when the
people are many, the searches of the last two (``view_who_find``, ``view_as_person_find``:
``components.people_picker``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from components import loaders, people_picker
from components.plain_text import literal
from components.sign_in_config import REQUIRE_SIGN_IN, sign_in_required
from components.url_state import APPLIED_PREFIX, is_new, param_values, write_url
from data_access import people
from data_access.queries import FilterOptions
from data_access.scope import Scope, place_label

ROLES: dict[str, str] = {
    "org": "Leadership (whole organisation)",
    "region": "Regional director",
    "country": "Chief of mission",
    "manager": "Programme manager",
}

_RESOLVED_KEY = "_identity_resolved"
_LOGGED_VIEW_KEY = "_identity_view_as_logged"
_UNKNOWN_WHO_KEY = "_frame_unknown_who"


@dataclass(frozen=True)
class Identity:
    """Who is signed in (``person``: the verified email, or the demo's stand-in id) and what they see
    (``scope``: their own, or, while leadership views as someone, that person's)."""

    person: str
    scope: Scope
    demo: bool
    viewing_as: str | None = None
    own: Scope | None = None  # the signed-in person's own scope when viewing as someone else

    @property
    def leadership(self) -> bool:
        """The signed-in person (not the one viewed) is leadership: the Access page is theirs."""
        return (self.own or self.scope).organisation


# ---- configuration ------------------------------------------------------------------------------
def sign_in_configured() -> bool:
    """True when the server has an ``[auth]`` section (in ``.streamlit/secrets.toml``)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all
        return False


# ---- the entry point ----------------------------------------------------------------------------
def who_is_asking(data: loaders.DataKey) -> Identity:
    """The identity of this run; stops the run (after saying why) when nobody may see anything."""
    if sign_in_configured():
        return _signed_in(data)
    if sign_in_required():
        st.error(
            "Sign-in is required on this server but is not set up yet: please ask the administrator to set it "
            f"up (for them: {REQUIRE_SIGN_IN}=1 and no [auth] section is configured).",
            icon=":material/lock:",
        )
        st.stop()
    return _demo(data)


# ---- signed in ----------------------------------------------------------------------------------
def _signed_in(data: loaders.DataKey) -> Identity:
    if not st.user.is_logged_in:
        _sign_in_page()
    email = str(st.user.get("email") or "").strip().lower()
    verified = st.user.get("email_verified", True) not in (False, "false")
    scope = _resolved(data, email) if email and verified else None
    if scope is None:
        _no_access_page(email)
    if is_new("as"):
        st.caption(
            f"The link named a view ({', '.join(param_values('as'))}); it is ignored: you see what your access allows.",
        )
    if "as" in st.query_params:
        del st.query_params["as"]
    st.session_state.pop(APPLIED_PREFIX + "as", None)
    sb = st.sidebar
    sb.markdown(f"Signed in as **{st.user.get('name') or email}**")
    sb.caption(email)
    sb.button("Sign out", on_click=st.logout, key="sign_out", icon=":material/logout:")
    if not scope.organisation:
        return Identity(email, scope, demo=False)
    return _view_as(data, email, scope)


def _resolved(data: loaders.DataKey, email: str) -> Scope | None:
    """The person's scope, resolved once per session and data version (an access change is an import)."""
    cached = st.session_state.get(_RESOLVED_KEY)
    if cached is not None and cached[:2] == (email, data.version):
        return cached[2]
    scope = people.resolve(loaders.engine_for(data.url), email)
    st.session_state[_RESOLVED_KEY] = (email, data.version, scope)
    return scope


def _sign_in_page() -> None:
    st.title("Results & finance monitoring")
    st.markdown("Sign in with your organisation account to see the portfolio you are responsible for.")
    st.button("Sign in", on_click=st.login, type="primary", key="sign_in", icon=":material/login:")
    st.stop()


def _no_access_page(email: str) -> None:
    st.title("No access yet")
    st.markdown(
        "You are signed in, but this dashboard has no active access for your account yet. Ask "
        "leadership to add you on the Access page, with your role and the offices or projects you "
        "cover; then reload this page."
    )
    if email:
        st.caption(f"Signed in as {email}")
    st.button("Sign out", on_click=st.logout, key="sign_out", icon=":material/logout:")
    st.stop()


def _view_as(data: loaders.DataKey, email: str, own: Scope) -> Identity:
    """Leadership's "view as": choose a person, see exactly their scope; each switch is logged."""
    choices = people_picker.person_options(data, key="view_as_person")
    choices.pop(email, None)
    options = [email, *choices]
    labels = {email: f"Myself ({own.label})", **choices}
    chosen = st.sidebar.selectbox(
        "View as",
        options,
        format_func=labels.__getitem__,
        key="view_as_person",
        help="Leadership only: see exactly what another person sees. Every switch is logged.",
    )
    if chosen == email or chosen not in choices:
        st.session_state[_LOGGED_VIEW_KEY] = None
        return Identity(email, own, demo=False)
    engine = loaders.engine_for(data.url)
    scope = people.resolve(engine, chosen)
    if scope is None:  # deactivated since the list was read: nothing, never a wider view
        scope = Scope.nothing(chosen, f"{chosen} (no active access)")
    if st.session_state.get(_LOGGED_VIEW_KEY) != chosen:
        people.record_view_as(engine, viewer=email, viewed=chosen, at=dt.datetime.now(dt.UTC).replace(tzinfo=None))
        st.session_state[_LOGGED_VIEW_KEY] = chosen
    st.warning(
        f"Viewing as {scope.label}: what they see, not your own view. This is logged.",
        icon=":material/visibility:",
    )
    return Identity(email, scope, demo=False, viewing_as=chosen, own=own)


# ---- demo ---------------------------------------------------------------------------------------
def demo_scope(role: str, who: str | None, known: dict[str, str]) -> Scope | None:
    """The demo's stand-in person for ``role`` + ``who``: the whole organisation only for leadership.

    ``known`` holds the people of ``role`` (code → name of the regions or countries, the managers'
    names as keys). ``None`` when ``who`` is not one of them (e.g. a stale link to a manager who no
    longer has projects): the caller shows nothing rather than falling back to a wider scope.
    The person id (``demo:country:KEN``) is the view itself, so one demo identity is one cache key.
    """
    if role == "org":
        return Scope.whole_organisation("demo:org")
    if who not in known:
        return None
    if role == "region":
        return Scope.bounded_by_place(f"demo:region:{who}", regions=(who,), label=place_label("regions", [known[who]]))
    if role == "country":
        return Scope.bounded_by_place(
            f"demo:country:{who}", countries=(who,), label=place_label("countries", [known[who]])
        )
    if role == "manager":
        return Scope.by_project(f"demo:manager:{who}", managers=(who,), label=f"Programme manager, {who}")
    return None


_PEOPLE_ROLE = {
    "org": "leadership",
    "region": "regional_director",
    "country": "chief_of_mission",
    "manager": "programme_manager",
}


def demo_stand_in(person: str) -> tuple[str | None, str | None]:
    """The ``people`` role and code a demo person id of :func:`demo_scope` stands for
    (``demo:country:KEN`` -> ``("chief_of_mission", "KEN")``); ``(None, None)`` for any other id."""
    prefix, _, rest = person.partition(":")
    role, _, who = rest.partition(":")
    if prefix != "demo" or role not in _PEOPLE_ROLE:
        return None, None
    return _PEOPLE_ROLE[role], who or None


def _places(data: loaders.DataKey) -> FilterOptions:
    """The regions and countries with projects: the organisation's filter options (the sidebar of the
    demo's leadership reads the same cached value)."""
    return loaders.filter_options(data, Scope.whole_organisation("demo:org"))


def _place_names(role: str, places: FilterOptions) -> dict[str, str]:
    return dict(places.regions if role == "region" else places.countries if role == "country" else ())


def _who_options(data: loaders.DataKey, role: str, places: FilterOptions) -> dict[str, str]:
    if role == "region":
        return {code: f"{name} ({code})" for code, name in places.regions}
    if role == "country":
        return {iso: f"{name} ({iso})" for iso, name in sorted(places.countries, key=lambda kv: kv[1])}
    if role == "manager":
        return people_picker.manager_options(data, key="view_who")
    return {}


def _parse_view(raw: list[str]) -> tuple[str, str | None]:
    role, _, who = raw[-1].partition(":")
    return (role, who or None) if role in ROLES else ("org", None)


_NOBODY_OF: dict[str, str] = {
    "region": "a region with projects",
    "country": "a country with projects",
    "manager": "a programme manager with projects",
}


def unknown_who_message(role: str, who: str) -> str:
    """What a demo link naming nobody of ``role`` says instead of showing anyone's figures."""
    return (
        f"{who} is not {_NOBODY_OF[role]}; choose who you are in the sidebar "
        "(Demo: choose who you are). No figures are shown until then."
    )


def _demo(data: loaders.DataKey) -> Identity:
    """The demo selector: role, then who. A link naming someone who is not among the people of its
    role (``as=country:XXX``, a typo, a manager who no longer has projects) shows nobody's figures
    and says so: falling back to the first person of the list would show data nobody asked for."""
    places = _places(data)
    raw = is_new("as")
    if raw and raw[-1].partition(":")[0] not in ROLES:
        # a mistyped link (as=regional:ROAP) opened leadership's figures without a word; in the demo
        # anyone may choose leadership, so it is shown, and said
        st.warning(
            f"The link names a view the demo does not know ({literal(raw[-1])}): showing "
            f"{ROLES['org']}. Choose who you are in the sidebar.",
            icon=":material/link_off:",
        )
    if raw:
        role, who = _parse_view(raw)
        known = people_picker.is_manager(data, who) if role == "manager" else who in _place_names(role, places)
        st.session_state["view_role"] = role
        st.session_state["view_who"] = who if known else None
        st.session_state[_UNKNOWN_WHO_KEY] = None if known or who is None else (role, who)
    st.info(
        "**Demo**: no sign-in is configured on this server, so anyone may choose who they are "
        "(sidebar). Once the administrator connects the server to your organisation's sign-in, people "
        "sign in and see only what their role allows.",
        icon=":material/theater_comedy:",
    )
    st.sidebar.markdown("**Demo: choose who you are**")
    role = st.sidebar.selectbox(
        "Demo: choose who you are",
        list(ROLES),
        format_func=ROLES.__getitem__,
        key="view_role",
        label_visibility="collapsed",
        help="Demo only: every figure is limited to what this person may see.",
    )
    who = None
    options = _who_options(data, role, places)
    unknown = st.session_state.get(_UNKNOWN_WHO_KEY)
    if unknown is not None and (unknown[0] != role or st.session_state.get("view_who") is not None):
        unknown = st.session_state[_UNKNOWN_WHO_KEY] = None  # the user chose another role or someone
    if role != "org":
        if unknown is None and st.session_state.get("view_who") not in options:
            st.session_state["view_who"] = next(iter(options), None)
        who = st.sidebar.selectbox(
            {"region": "Region", "country": "Country", "manager": "Manager"}[role],
            list(options),
            format_func=options.__getitem__,
            key="view_who",
            index=None,
            placeholder="Choose who you are",
        )
    if unknown is not None:
        st.error(unknown_who_message(*unknown), icon=":material/person_off:")
        st.stop()
    scope = demo_scope(role, who, options if role == "manager" else _place_names(role, places))
    if scope is None:  # a role with nobody in it (e.g. an empty database): see nothing, not everything
        st.sidebar.caption(f"Nobody to be as {ROLES[role].lower()} yet.")
        scope = Scope.nothing(f"demo:{role}", f"{ROLES[role]} (nobody)")
    write_url("as", "org" if role == "org" else f"{role}:{who}" if who else role)
    return Identity(scope.person, scope, demo=True)
