"""The page registry: sections, titles, icons and URL paths of the dashboard's pages.

Kept out of ``app.py`` so tests and benchmarks can list the pages without running Streamlit.
A page is registered only when its file exists, so the app runs while pages are still being built.

URL paths deliberately differ from the file stems: Streamlit's legacy pages/ discovery maps
``/<file stem>`` to the page file itself, so while it is on (see :func:`ignore_pages_folder`; and in
AppTest) a request for ``/<file stem>`` runs the page WITHOUT app.py. Pages are safe on their own
(``components.frame.page_context``), but distinct paths keep every link of the app going through
app.py, where the sidebar and its filters live.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class PageSpec:
    section: str
    stem: str  # pages/<stem>.py
    title: str
    icon: str  # a Streamlit material icon
    url_path: str

    @property
    def file(self) -> str:
        return f"pages/{self.stem}.py"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("Overview", "portfolio", "Portfolio", ":material/public:", "overview"),
    PageSpec("Overview", "project", "Project", ":material/folder_open:", "project-detail"),
    PageSpec("Overview", "snapshots", "Snapshots", ":material/photo_camera:", "review-snapshots"),
    PageSpec("Monitoring", "off_track", "Off-track", ":material/trending_down:", "off-track"),
    PageSpec("Monitoring", "finance", "Finance", ":material/payments:", "finances"),
    PageSpec("Monitoring", "risks", "Risks and flags", ":material/warning:", "risks-and-flags"),
    PageSpec("Follow-up", "recommendations", "Recommendations", ":material/fact_check:", "recommendation-register"),
    PageSpec("Follow-up", "visits", "Monitoring visits", ":material/directions_walk:", "monitoring-visits"),
    PageSpec("Follow-up", "reports_due", "Reports due", ":material/event_upcoming:", "reports-due"),
    PageSpec("Cross-cutting and strategy", "cross_cutting", "Cross-cutting", ":material/diversity_3:", "cross-cutting"),
    PageSpec("Cross-cutting and strategy", "strategy", "Strategy", ":material/account_tree:", "strategic-alignment"),
    PageSpec("Data", "data", "Data", ":material/upload_file:", "data-import"),
    PageSpec("Data", "access", "Access", ":material/admin_panel_settings:", "access-rights"),
)


def existing_pages() -> list[PageSpec]:
    """The pages whose file exists, in menu order (the first is the default page)."""
    return [spec for spec in PAGES if (REPO / spec.file).exists()]


def url_path_of(stem: str) -> str:
    """The path of a page in a link: ``""`` for the default (first) page, which Streamlit serves at
    the root only, else its URL path."""
    pages = existing_pages()
    spec = next(spec for spec in pages if spec.stem == stem)
    return "" if spec is pages[0] else spec.url_path


def ignore_pages_folder() -> None:
    """Switch off Streamlit's legacy ``pages/``-folder discovery for this process, before it serves.

    Why: Streamlit 1.67 decides once per process, when the first session starts, whether the app
    uses the ``pages/`` folder (``PagesManager.uses_pages_directory``: a ``pages/`` folder beside
    app.py), and only ``st.navigation`` switches that off. Until a run has reached app.py's
    ``st.navigation``, every run starts in ``_mpa_v1``: a navigation of app.py plus one page per
    file, at ``/<file stem>``. A link to ``/off-track?as=country:KEN`` is none of those, so that
    navigation sends "Page not found" and only then runs app.py, whose ``st.navigation`` opens the
    right page under the dialog. That is the first session of every server process, and every
    session that opens while the first run is still importing. Setting the flag Streamlit's
    ``st.navigation`` sets, before the first session, removes that window: every run starts in
    app.py. Called by serve.py (what ``make run`` starts); ``streamlit run app.py`` alone keeps
    Streamlit's behaviour. Raises when the flag is gone (a Streamlit upgrade), rather than doing
    nothing silently.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if not hasattr(PagesManager, "uses_pages_directory"):
        raise RuntimeError(
            "Streamlit no longer has PagesManager.uses_pages_directory: deep links would open under a "
            "'Page not found' dialog; find the flag's successor before upgrading"
        )
    PagesManager.uses_pages_directory = False
