"""Review packs: what a pack says (:mod:`packs.content`) and the two files it is written to,
PowerPoint (:mod:`packs.pptx`, python-pptx, native charts) and PDF (:mod:`packs.pdf`, fpdf2).
No network, no browser: both libraries write the file themselves. docs/review.md says why these."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from packs.content import Pack

FORMATS = ("pdf", "pptx")


def write_pack(pack: Pack, fmt: str, out: str | Path | BinaryIO) -> None:
    """Write ``pack`` as ``fmt`` (pdf or pptx) to a path or a binary file object."""
    if fmt == "pptx":
        from packs.pptx import write_pptx

        write_pptx(pack, out)
    elif fmt == "pdf":
        from packs.pdf import write_pdf

        write_pdf(pack, out)
    else:
        raise ValueError(f"unknown pack format {fmt!r}; choose one of {', '.join(FORMATS)}")
