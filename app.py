"""Entry point: page config, who is asking and the shared filters (sidebar), navigation, run.

No queries and no metrics here (ARCHITECTURE.md): the sidebar comes from
``components.frame.render_sidebar`` (the same guard a page runs when opened on its own) and every
page reads its data through ``components.frame.page_context()``. The pages, their sections, icons
and URL paths are listed in ``components.navigation``.
"""

from __future__ import annotations

from urllib.parse import urlparse

import streamlit as st

from components import frame
from components.navigation import existing_pages


def registered_pages() -> dict[str, list[st.Page]]:
    """``st.Page`` objects grouped by section, in menu order; the first page is the default."""
    sections: dict[str, list[st.Page]] = {}
    for spec in existing_pages():
        page = st.Page(spec.file, title=spec.title, icon=spec.icon, url_path=spec.url_path, default=not sections)
        sections.setdefault(spec.section, []).append(page)
    return sections


def open_requested_page(navigation) -> None:
    """On a session's first run, open the page the browser's URL names if another one was resolved.

    On a freshly started server, the browser does not know the app's pages until app.py has run
    once; a deep link (``/finances?as=country:SEN``, pasted in an email) then shows "Page not found"
    and may ask for the default page instead. The URL the visitor opened is still in
    ``st.context.url``: its last path segment names the page, and the query string the view, so the
    first run switches there. Only the first run: later runs follow the menu.
    """
    if st.session_state.get("_app_first_run_done"):
        return
    st.session_state["_app_first_run_done"] = True
    path = urlparse(st.context.url or "").path.rstrip("/").rsplit("/", 1)[-1]
    requested = next((spec for spec in existing_pages() if spec.url_path == path), None)
    if requested is not None and requested.url_path != navigation.url_path:
        st.switch_page(requested.file, query_params={k: st.query_params.get_all(k) for k in st.query_params})


st.set_page_config(page_title="Results & finance monitoring", page_icon=":material/monitoring:", layout="wide")
navigation = st.navigation(registered_pages())
open_requested_page(navigation)
context = frame.render_sidebar()
with frame.app_run(context):
    navigation.run()
