"""Column widths shared by the PDF and PowerPoint writers: a table fills the width it is given,
and no code, number or word is ever broken or cut.

Both writers wrap a long cell onto more lines rather than cutting it (a reason or a comment cut
mid-sentence loses what the reader came for; a project code broken as "RT.55 / 92" reads as two).
They measure differently (the PDF in millimetres of the font actually used, the PowerPoint in
characters, since python-pptx has no font metrics), so this module works in any unit.
"""

from __future__ import annotations

from collections.abc import Sequence


def column_widths(natural: Sequence[float], minimum: Sequence[float], total: float) -> list[float]:
    """Widths summing to ``total``: ``natural`` is each column's widest cell on one line,
    ``minimum`` its widest :func:`unbreakable` text (both with the cell's padding).

    Every column first gets its minimum; what is left goes to the columns that still need room, in
    proportion to what each needs, so short columns (codes, figures) stay on one line and the long
    ones (titles, reasons, comments) share the rest and wrap about equally. When everything fits,
    the spare width is spread in proportion to the natural widths. When even the minima do not fit
    (a table far too wide for its page), they are scaled down and the writer's own wrapping breaks
    words: nothing is lost, only broken."""
    floor = [max(m, 1e-9) for m in minimum]
    if sum(floor) >= total:
        return [total * f / sum(floor) for f in floor]
    need = [max(n - f, 0.0) for n, f in zip(natural, floor, strict=True)]
    room = total - sum(floor)
    if sum(need) <= room:
        wanted = [f + d for f, d in zip(floor, need, strict=True)]
        return [w * total / sum(wanted) for w in wanted]
    return [f + room * d / sum(need) for f, d in zip(floor, need, strict=True)]


WHOLE = 18  # a cell this short is never broken: a figure ("USD 14.1M"), a date, a status


def unbreakable(text: str) -> str:
    """What a column must hold on one line: a short cell whole, else its longest word."""
    return text if len(text) <= WHOLE else max(text.split(), key=len, default="")
