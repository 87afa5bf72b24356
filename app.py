"""Entry point: page config, who is asking and the shared filters (sidebar), navigation, run.

No queries and no metrics here (ARCHITECTURE.md): the sidebar comes from
``components.frame.render_sidebar`` (the same guard a page runs when opened on its own) and every
page reads its data through ``components.frame.page_context()``. A page is registered only when its
file exists, so the app runs while pages are still being written.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from components import frame

HERE = Path(__file__).resolve().parent

# (section, file stem, title, material icon, URL path); the first page is the default.
# URL paths deliberately differ from the file stems: Streamlit's legacy pages/ discovery maps
# /<file stem> to the page file itself, so on a freshly started server (and in every AppTest rerun)
# a request for /<file stem> runs the page WITHOUT app.py. The pages are safe on their own
# (frame.page_context), but distinct paths keep links inside the app always going through app.py.
PAGES: tuple[tuple[str, str, str, str, str], ...] = (
    ("Overview", "portfolio", "Portfolio", ":material/public:", "overview"),
    ("Overview", "project", "Project", ":material/folder_open:", "project-detail"),
    ("Monitoring", "off_track", "Off-track", ":material/trending_down:", "off-track"),
    ("Monitoring", "finance", "Finance", ":material/payments:", "finances"),
    ("Monitoring", "risks", "Risks and flags", ":material/warning:", "risks-and-flags"),
    ("Cross-cutting and strategy", "cross_cutting", "Cross-cutting", ":material/diversity_3:", "cross-cutting"),
    ("Cross-cutting and strategy", "strategy", "Strategy", ":material/account_tree:", "strategic-alignment"),
    ("Data", "data", "Data", ":material/upload_file:", "data-import"),
)


def registered_pages() -> dict[str, list[st.Page]]:
    """The pages whose file exists, grouped by section, in the order of :data:`PAGES`."""
    sections: dict[str, list[st.Page]] = {}
    for section, stem, title, icon, url_path in PAGES:
        path = HERE / "pages" / f"{stem}.py"
        if path.exists():
            page = st.Page(f"pages/{stem}.py", title=title, icon=icon, url_path=url_path,
                           default=not sections)
            sections.setdefault(section, []).append(page)
    return sections


st.set_page_config(page_title="Results & finance monitoring", page_icon=":material/monitoring:",
                   layout="wide")
navigation = st.navigation(registered_pages())
context = frame.render_sidebar()
with frame.app_run(context):
    navigation.run()
