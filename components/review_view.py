"""Review meetings on the pages: what changed since a snapshot (one call per page), the review pack
buttons, and the Snapshots page's list and form (docs/review.md).

* :func:`changes_since_snapshot` is the one line the Portfolio, Off-track, Finance and Risks pages
  call: the reader picks a snapshot of their view (none is picked at first, so nothing is computed
  until asked: at 10,000 projects a comparison evaluates today's data once more) and sees the
  changes that page is about, each with its cause, from ``data_access.changes.changes_since``,
  the same rows as ``python -m data_access changes``.
* :func:`pack_buttons` offers the review pack of the view (PDF and PowerPoint); the file is made
  when the button is pressed (``st.download_button`` with a callable), never on a page run.
* Cached results are keyed by the database and its content's version, the scope, the snapshot, the
  date and the settings (``components.loaders`` rules): nothing read from the session.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import streamlit as st

from components import loaders, tables
from components.frame import PageContext, data_errors
from data_access.changes import changes_since, review_inputs
from data_access.scope import Scope
from data_access.snapshots import create_snapshot, readable_snapshots
from monitoring.dates import date_text
from monitoring.settings import Settings
from packs import write_pack
from packs.content import build_pack

# which changes each page shows (None: all of them)
PAGE_KINDS: dict[str, tuple[str, ...] | None] = {
    "portfolio": None,
    "off_track": (
        "indicator turned off track",
        "indicator recovered",
        "indicator achieved",
        "indicator status changed",
        "indicator added",
        "indicator removed",
        "results status changed",
    ),
    "finance": ("burn status changed", "group total moved", "KPI moved"),
    "risks": ("flag raised", "flag cleared", "flag severity changed"),
}
MONEY_WORDS = ("usd", "budget", "spent", "delivery", "currencies")
MIME = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


@st.cache_data(ttl=loaders.PORTFOLIO_TTL_S, max_entries=loaders.DETAIL_MAX_ENTRIES, show_spinner="Comparing…")
def _changes(data: loaders.DataKey, scope: Scope, snapshot_id: int, as_of: dt.date, settings: Settings) -> pd.DataFrame:
    return changes_since(loaders.engine_for(data.url), snapshot_id, scope, settings, as_of=as_of)


def for_page(changes: pd.DataFrame, page: str) -> pd.DataFrame:
    """The changes one page is about (Finance: burn status and money totals)."""
    kinds = PAGE_KINDS[page]
    if kinds is None:
        return changes
    shown = changes[changes["kind"].isin(kinds)]
    if page == "finance":
        money = shown["item"].fillna("").str.contains("|".join(MONEY_WORDS))
        shown = shown[(shown["kind"] == "burn status changed") | money]
    return shown


def _snapshot_options(ctx: PageContext) -> dict[str, int]:
    listed = readable_snapshots(loaders.engine_for(ctx.database_url), ctx.scope)
    return {f"{r.id} · {r.name} (as of {date_text(r.as_of)}, {r.scope})": int(r.id) for r in listed.itertuples()}


def changes_since_snapshot(ctx: PageContext, page: str) -> None:
    """ "What changed since a snapshot" for ``page`` (a key of :data:`PAGE_KINDS`)."""
    st.subheader("What changed since a snapshot")
    with data_errors():
        options = _snapshot_options(ctx)
    if not options:
        st.caption("No snapshot of this view yet: freeze one on the Snapshots page to compare with it later.")
        return
    choice = st.selectbox(
        "Compare with", list(options), index=None, placeholder="Choose a snapshot", key=f"changes_since_{page}"
    )
    if choice is None:
        return
    with data_errors():
        found = for_page(_changes(ctx.data, ctx.scope, options[choice], ctx.as_of, ctx.settings), page)
    st.caption(
        f"As of {date_text(ctx.as_of)} against the snapshot, in the snapshot's scope (the sidebar filters do "
        "not narrow it); each change with its cause, found from the stored versions. "
        f"{len(found):,} changes."
    )
    if len(found):
        tables.show_table(found.reset_index(drop=True), key=f"changes_{page}", file_stem=f"changes-{page}")


def pack_bytes(database_url: str, scope: Scope, settings: Settings, fmt: str, *, as_of=None, snapshot_id=None) -> bytes:
    """The review pack file of ``scope`` (today's data as of ``as_of``, or a snapshot)."""
    inputs = review_inputs(loaders.engine_for(database_url), scope, settings, snapshot_id=snapshot_id, as_of=as_of)
    figures, changes = inputs.pop("figures"), inputs.pop("changes")
    out = io.BytesIO()
    write_pack(build_pack(figures, changes, **inputs), fmt, out)
    return out.getvalue()


def pack_buttons(ctx: PageContext, *, snapshot_id: int | None = None, key: str = "pack") -> None:
    """Download buttons for the review pack (PDF, PowerPoint), made when pressed."""
    stem = f"review-pack-{ctx.as_of.isoformat()}" if snapshot_id is None else f"review-pack-snapshot-{snapshot_id}"
    as_of = None if snapshot_id is not None else ctx.as_of
    for column, (fmt, label) in zip(st.columns(2), (("pdf", "PDF"), ("pptx", "PowerPoint")), strict=True):
        column.download_button(
            f"Review pack ({label})",
            data=lambda fmt=fmt: pack_bytes(
                ctx.database_url, ctx.scope, ctx.settings, fmt, as_of=as_of, snapshot_id=snapshot_id
            ),
            file_name=f"{stem}.{fmt}",
            mime=MIME[fmt],
            on_click="ignore",
            icon=":material/slideshow:",
            key=f"{key}_{fmt}",
        )


def snapshot_table(ctx: PageContext) -> pd.DataFrame:
    """The snapshots this view may open, newest first."""
    with data_errors():
        return readable_snapshots(loaders.engine_for(ctx.database_url), ctx.scope)


def freeze_form(ctx: PageContext) -> None:
    """Name a snapshot of this view as of the sidebar's date, and freeze it."""
    with st.form("freeze_snapshot", clear_on_submit=True):
        quarter = f"Q{(ctx.as_of.month - 1) // 3 + 1} {ctx.as_of.year} review"  # the example names the as-of quarter
        name = st.text_input("Name", placeholder=quarter, max_chars=200)
        submitted = st.form_submit_button(f"Freeze {ctx.scope.label} as of {date_text(ctx.as_of)}")
    if not submitted:
        return
    with data_errors():
        snapshot_id = create_snapshot(
            loaders.engine_for(ctx.database_url),
            name=name,
            scope=ctx.scope,
            as_of=ctx.as_of,
            created_by=ctx.person,  # the signed-in person (components.identity), never a typed name
            settings=ctx.settings,
        )
    st.success(f"Froze snapshot {snapshot_id}. It never changes; cite it by its id.")
