"""The Data page's validation report of the uploaded files, computed once per upload (issue 12).

Streamlit reruns the page on every click (the notes filter, a tab, the sidebar). The files were
read, validated and previewed again each time: seconds of work, and on SQLite a write lock, for
nothing new. :func:`preview_uploads` keys the report by what it depends on, so a rerun is a read
from the cache:

* the files' content (SHA-256 of each file, with its name: the name says which table a CSV is),
* the data version of the database (``loaders.DataKey``: an import anywhere changes it, so the
  report of an upload is recomputed against the new data),
* the asker's scope (what they may write), the IATI managing country chosen, and the day of the
  import (the plausibility checks judge dates against it).

Only the report is cached (a few thousand problems and notes at most), never the parsed rows: the
Confirm click reads the files again, once. ``max_entries`` and ``ttl`` bound what is held.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from components import loaders
from data_access import db
from data_access.importers import writer
from data_access.importers.report import ValidationReport
from data_access.importers.uploads import Refused, read_uploads
from data_access.scope import Scope

PREVIEW_TTL_S = 1800
PREVIEW_MAX_ENTRIES = 8


@dataclass(frozen=True)
class Preview:
    """Files refused while reading (then no report), or the validation report of them all."""

    refused: tuple[Refused, ...] = ()
    report: ValidationReport | None = None


def upload_key(files: Sequence[tuple[str, bytes]]) -> str:
    """One hash of the uploaded files' names and contents."""
    digest = hashlib.sha256()
    for name, data in files:
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def preview_uploads(
    data: loaders.DataKey, scope: Scope, files: Sequence[tuple[str, bytes]], *, iati_country: str | None
) -> Preview:
    """The report of ``files`` for ``scope`` against ``data``, from the cache when nothing changed."""
    return _preview(data, scope, dt.date.today(), iati_country, upload_key(files), _files=tuple(files))


@st.cache_data(ttl=PREVIEW_TTL_S, max_entries=PREVIEW_MAX_ENTRIES, show_spinner="Validating…")
def _preview(
    data: loaders.DataKey,
    scope: Scope,
    as_of: dt.date,
    iati_country: str | None,
    files_key: str,
    _files: tuple[tuple[str, bytes], ...],
) -> Preview:
    """Read and validate ``_files`` (not part of the key: ``files_key`` stands for them)."""
    uploads = read_uploads(_files, iati_managing_country=iati_country)
    if uploads.refused:
        return Preview(refused=tuple(uploads.refused))
    with db.session_scope(loaders.engine_for(data.url)) as session:
        return Preview(report=writer.preview(session, uploads.parsed, scope=scope, as_of=as_of))


def clear() -> None:
    """Forget the cached reports (after an import: the data version changed anyway)."""
    _preview.clear()
