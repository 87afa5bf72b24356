"""Entry point: page config, who is asking and the shared filters (sidebar), navigation, run.

No queries and no metrics here (ARCHITECTURE.md): the sidebar comes from
``components.frame.render_sidebar`` (the same guard a page runs when opened on its own) and every
page reads its data through ``components.frame.page_context()``. The pages, their sections, icons
and URL paths are listed in ``components.navigation``.
"""

from __future__ import annotations

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


st.set_page_config(page_title="Results & finance monitoring", page_icon=":material/monitoring:", layout="wide")
navigation = st.navigation(registered_pages())
context = frame.render_sidebar()
with frame.app_run(context):
    navigation.run()
