"""Pausing Python's cyclic garbage collector around the bulk work of an import, on the command line only.

Reading a file and then validating and writing it build hundreds of thousands of small rows,
notes and tuples that live until the import ends. The collector would rescan them again and
again (about a tenth of the reading time on the real IATI files, a quarter of the reading time of
the 10,000-project CSV tables) and finds nothing to free: none of them forms a reference cycle.

The collector is one per process. In the dashboard's server process every session shares it, so
pausing it during one person's upload would switch it off for everyone (issue 12): there the
readers and the writer leave it alone. The command line (``python -m data_access``, one import
per process) allows the pause with :func:`allow_pause`, and so do the benchmarks that measure it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_allowed = False


def allow_pause(allowed: bool = True) -> None:
    """Let :func:`gc_paused` pause the collector in this process (the command line, benchmarks)."""
    global _allowed
    _allowed = allowed


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic collector for the block when this process allows it (:func:`allow_pause`);
    re-enable it after only if it was enabled before (so nested pauses, e.g. reading inside an
    import, leave it as they found it). Otherwise a no-op."""
    enabled = gc.isenabled()
    if _allowed:
        gc.disable()
    try:
        yield
    finally:
        if _allowed and enabled:
            gc.enable()
