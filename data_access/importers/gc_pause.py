"""Pausing Python's cyclic garbage collector around the bulk work of an import.

Reading a file and then validating and writing it build hundreds of thousands of small rows,
notes and tuples that live until the import ends. The collector would rescan them again and
again (about a tenth of the reading time on the real IATI files) and finds nothing to free: none
of them forms a reference cycle. Every reader (``workbook.read_file``: CSV, workbook and IATI; the
collector cost a quarter of the reading time of the 10,000-project CSV tables) and the writer pause
it the same way.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic collector for the block; re-enable it after only if it was enabled
    before (so nested pauses, e.g. reading inside an import, leave it as they found it)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
