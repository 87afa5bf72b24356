"""Reading a set of uploaded files (the Data page and the command line share this).

Every file is read on its own; a file refused at the boundary (too big, wrong type, hostile or
damaged: :class:`~data_access.importers.safety.UnsafeFile`) is returned with its message instead
of stopping the others, so the user sees every refused file at once. When any file is refused
nothing is imported (all or nothing covers the whole set).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from data_access.importers import safety
from data_access.importers.tables import ParsedImport
from data_access.importers.workbook import read_file


@dataclass(frozen=True)
class Refused:
    file_name: str
    sha256: str
    message: str


@dataclass
class Uploads:
    parsed: list[ParsedImport] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.parsed) and not self.refused


def read_uploads(
    files: Iterable[tuple[str, bytes]],
    progress: Callable[[float, str], None] | None = None,
    total: int | None = None,
    *,
    iati_managing_country: str | None = None,
) -> Uploads:
    """Read ``(file name, bytes)`` pairs; refused files are collected, not raised.
    ``iati_managing_country``: see ``workbook.read_file``."""
    out = Uploads()
    for number, (name, data) in enumerate(files, start=1):
        if progress is not None:
            progress(number / (total or number) * 0.99, f"reading {name}")
        try:
            out.parsed.append(read_file(data, name, iati_managing_country=iati_managing_country))
        except safety.UnsafeFile as error:
            out.refused.append(Refused(name, hashlib.sha256(data).hexdigest() if data else "", str(error)))
    return out
