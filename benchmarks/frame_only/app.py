"""The Portfolio's frame without any data: what every first view shows before its figures.

Served by ``bench_browser_cost`` beside the bare page and the app, to measure what the frame alone
costs the browser (``docs/speed.md``: why warm 1.3× is out of reach)::

    .venv/bin/python -m benchmarks.bench_browser_cost --app-dir benchmarks/frame_only --app-dir . --runs 6

The same elements as the app's frame, with fixed words and numbers: the navigation (13 pages in four
sections, collapsed), the demo's box and role, the sidebar's date and five filters, the heading,
the pack button, five bordered cards with help and a caption, and three tabs. No database, no table.
"""

import datetime as dt

import streamlit as st

st.set_page_config(page_title="Frame only", layout="wide")
CARDS = (("Projects", "10,000"), ("Budget", "USD 1.2 bn"), ("Delivery", "48%"), ("On track", "61%"), ("Flags", "7,902"))
SECTIONS = {
    "Overview": ("Project", "Snapshots"),
    "Monitoring": ("Off-track", "Finance", "Risks and flags"),
    "Follow-up": ("Recommendations", "Monitoring visits", "Reports due"),
    "Cross-cutting and strategy": ("Cross-cutting", "Strategy", "Data", "Access"),
}


def portfolio() -> None:
    st.info(
        "**Demo**: no sign-in is configured on this server, so anyone may choose who they are (sidebar).",
        icon=":material/theater_comedy:",
    )
    st.sidebar.markdown("**Demo: choose who you are**")
    roles = ["Leadership (whole organisation)", "Regional director"]
    st.sidebar.selectbox("Demo: choose who you are", roles, label_visibility="collapsed")
    st.sidebar.markdown("**Filters**")
    st.sidebar.date_input("As of", dt.date(2026, 12, 4), help="The date the figures are computed for.")
    for name in ("Region", "Country", "Donor", "Theme", "Project status"):
        st.sidebar.multiselect(name, [f"{name} {i}" for i in range(40)], placeholder="All")
    st.title("Portfolio")
    st.caption("Leadership (whole organisation) · as of 4 Dec 2026")
    st.button("Review pack", icon=":material/slideshow:")
    for column, (label, value) in zip(st.columns(len(CARDS)), CARDS, strict=True):
        column.metric(label, value, help="What this card counts.", border=True)
        column.caption("of the projects in view")
    with st.tabs(["Projects", "By region", "Map"])[0]:
        st.subheader("Projects")


def blank(title: str):
    def page() -> None:
        st.title(title)

    page.__name__ = title.lower().replace(" ", "_").replace("-", "_")
    return page


pages = {
    section: ([st.Page(portfolio, title="Portfolio", default=True)] if section == "Overview" else [])
    + [st.Page(blank(title), title=title, url_path=title.lower().replace(" ", "-")) for title in titles]
    for section, titles in SECTIONS.items()
}
st.navigation(pages, expanded=False).run()
