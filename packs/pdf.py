"""The review pack as a PDF (fpdf2): A4 landscape, the same pages as the PowerPoint slides (title,
key figures, one page per section with its table and, beside it, a bar chart drawn with the PDF's
own rectangles: no image library, no browser).

Fonts: DejaVu Sans from the system (Debian's ``fonts-dejavu-core``, there wherever chromium is)
covers every script an imported title may use; without it the PDF's built-in Helvetica is used and
characters outside Latin-1 are replaced (``?``), which the pack says nothing about, so install the
font on a server that makes packs."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from fpdf import FPDF

from packs.content import Chart, Pack, Section, Table
from packs.layout import column_widths, unbreakable

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
NAVY, GREY, LIGHT = (31, 58, 95), (85, 85, 85), (232, 238, 245)
BAR_COLOURS = ((31, 58, 95), (120, 160, 200), (200, 90, 70), (150, 150, 150))
PAGE_W, MARGIN = 297, 12
FONT_SIZE, LINE_H, PADDING = 7.5, 3.4, 3.0  # table text (pt), its line height and a cell's padding (mm)


class _Pdf(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="landscape", format="A4")
        self.set_auto_page_break(auto=True, margin=12)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            self.add_font("Pack", "", str(regular))
            self.add_font("Pack", "B", str(bold))
            self.family_name, self.unicode = "Pack", True
        else:
            self.family_name, self.unicode = "Helvetica", False
        self.footer_text = ""

    def text_of(self, text: str) -> str:
        return text if self.unicode else text.encode("latin-1", "replace").decode("latin-1")

    def use(self, size: float, bold: bool = False, colour=(0, 0, 0)) -> None:
        self.set_font(self.family_name, "B" if bold else "", size)
        self.set_text_color(*colour)

    def footer(self) -> None:
        self.set_y(-9)
        self.use(7, colour=GREY)
        self.cell(0, 4, self.text_of(f"{self.footer_text} · page {self.page_no()}"), align="R")


def _title(pdf: _Pdf, text: str) -> None:
    pdf.use(18, bold=True, colour=NAVY)
    pdf.cell(0, 10, pdf.text_of(text), new_x="LMARGIN", new_y="NEXT")


def _fit(pdf: _Pdf, text: str, width: float) -> str:
    text = pdf.text_of(text)
    if pdf.get_string_width(text) <= width - 2:
        return text
    while text and pdf.get_string_width(text + "…") > width - 2:
        text = text[:-1]
    return text.rstrip() + ("…" if pdf.unicode else "...")


def _widths(pdf: _Pdf, table: Table, width: float) -> list[float]:
    """:func:`packs.layout.column_widths` in millimetres of the font used."""
    natural, minimum = [], []
    for i, name in enumerate(table.columns):
        pdf.use(FONT_SIZE, bold=True)
        head = pdf.get_string_width(pdf.text_of(name))
        head_word = pdf.get_string_width(pdf.text_of(unbreakable(name)))
        pdf.use(FONT_SIZE)
        cells = [pdf.text_of(r[i]) for r in table.rows]
        natural.append(max([head] + [pdf.get_string_width(c) for c in cells]) + PADDING)
        minimum.append(max([head_word] + [pdf.get_string_width(unbreakable(c)) for c in cells]) + PADDING)
    return column_widths(natural, minimum, width)


def _height(pdf: _Pdf, values: tuple[str, ...], widths: list[float], header: bool) -> float:
    """The height of a row whose cells wrap onto as many lines as their text needs (fpdf2's line
    breaking only for a cell wider than its column: it is most of a pack's time otherwise)."""
    pdf.use(FONT_SIZE, bold=header)
    lines = 1
    for value, w in zip(values, widths, strict=True):
        text = pdf.text_of(value)
        if pdf.get_string_width(text) > w - 2 * pdf.c_margin:
            lines = max(lines, len(pdf.multi_cell(w, LINE_H, text, dry_run=True, output="LINES")))
    return lines * LINE_H + 1.6


def _row(pdf: _Pdf, values: tuple[str, ...], widths: list[float], x: float, header: bool, height: float) -> None:
    """One row ``height`` tall (:func:`_height`), every cell wrapped (nothing is cut), a rule
    below it; the header shaded."""
    pdf.use(FONT_SIZE, bold=header)
    y = pdf.get_y()
    if header:
        pdf.set_fill_color(*LIGHT)
        pdf.rect(x, y, sum(widths), height, style="F")
    left = x
    for value, w in zip(values, widths, strict=True):
        pdf.set_xy(left, y + 0.8)
        pdf.multi_cell(w, LINE_H, pdf.text_of(value), align="L")
        left += w
    pdf.line(x, y + height, x + sum(widths), y + height)
    pdf.set_xy(x, y + height)


def _table(pdf: _Pdf, table: Table, width: float) -> None:
    widths = _widths(pdf, table, width)
    x = pdf.get_x()
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    header = _height(pdf, table.columns, widths, True)
    _row(pdf, table.columns, widths, x, True, header)
    for row in table.rows:
        height = _height(pdf, row, widths, False)
        if pdf.get_y() + height > pdf.page_break_trigger:  # a row is never split across pages
            pdf.add_page()
            _row(pdf, table.columns, widths, x, True, header)
        _row(pdf, row, widths, x, False, height)
    if table.note:
        pdf.ln(1)
        pdf.set_x(x)
        pdf.use(7, colour=GREY)
        pdf.cell(width, 4, pdf.text_of(table.note), new_x="LMARGIN", new_y="NEXT")


def _chart(pdf: _Pdf, chart: Chart, x: float, y: float, width: float) -> None:
    """Bars beside their category labels; a label wider than its column (half the chart's width
    at most) wraps onto more lines and its row grows, so every label is whole."""
    pdf.set_xy(x, y)
    pdf.use(9, bold=True, colour=NAVY)
    pdf.cell(width, 6, pdf.text_of(chart.title))
    y += 9
    pdf.use(7.5)
    widest = max((pdf.get_string_width(pdf.text_of(c)) for c in chart.categories), default=0)
    label_w = min(max(width * 0.3, widest + 3), width * 0.5)
    labels = [pdf.multi_cell(label_w, LINE_H, pdf.text_of(c), dry_run=True, output="LINES") for c in chart.categories]
    bar_w = width - label_w - 14
    n_series = len(chart.series)
    bars_h = 6 if chart.stacked else 4 * n_series + 2
    top = (
        max(
            (sum(v[i] for _, v in chart.series) if chart.stacked else max(v[i] for _, v in chart.series))
            for i in range(len(chart.categories))
        )
        if chart.categories
        else 0
    )
    scale = 1.0 if chart.percent and chart.stacked else (top or 1)
    for i, lines in enumerate(labels):
        row_h = max(bars_h, len(lines) * LINE_H + 2)
        bars_y = y + (row_h - bars_h) / 2
        pdf.set_xy(x, y + (row_h - 1 - len(lines) * LINE_H) / 2)
        pdf.use(7.5)
        pdf.multi_cell(label_w, LINE_H, "\n".join(lines), align="L")
        left = x + label_w
        for s, (_name, values) in enumerate(chart.series):
            value = values[i]
            w = bar_w * value / scale if scale else 0
            pdf.set_fill_color(*BAR_COLOURS[s % len(BAR_COLOURS)])
            if chart.stacked:
                pdf.rect(left, bars_y + 0.5, w, bars_h - 2, style="F")
                if w > 8:
                    pdf.set_xy(left, bars_y + 0.5)
                    pdf.use(6.5, colour=(255, 255, 255))
                    pdf.cell(w, bars_h - 2, f"{value * 100:.0f}%", align="C")
                left += w
            else:
                top_y = bars_y + s * 4
                pdf.rect(left, top_y, w, 3.4, style="F")
                pdf.set_xy(left + w + 1, top_y)
                pdf.use(6.5, colour=GREY)
                pdf.cell(12, 3.4, f"{value * 100:.0f}%" if chart.percent else f"{value:,.0f}")
        y += row_h
    if n_series > 1:
        legend_y = y + 3
        pdf.set_xy(x + label_w, legend_y)
        for s, (name, _values) in enumerate(chart.series):
            pdf.set_fill_color(*BAR_COLOURS[s % len(BAR_COLOURS)])
            pdf.rect(pdf.get_x(), legend_y + 0.8, 3, 3, style="F")
            pdf.set_x(pdf.get_x() + 4)
            pdf.use(7, colour=GREY)
            pdf.cell(pdf.get_string_width(name) + 5, 4.6, pdf.text_of(name))
    pdf.use(8)


def _section(pdf: _Pdf, section: Section) -> None:
    pdf.add_page()
    _title(pdf, section.title)
    pdf.use(9.5, colour=GREY)
    for line in section.lines:
        pdf.multi_cell(0, 5, pdf.text_of(line), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    width = PAGE_W - 2 * MARGIN
    table_w = width if section.chart is None else width * 0.6
    top = pdf.get_y()
    if section.table is not None:  # never empty: content.py says "none" in words instead
        _table(pdf, section.table, table_w)
    if section.chart is not None:
        _chart(pdf, section.chart, MARGIN + table_w + 6, top, width - table_w - 6)


def write_pdf(pack: Pack, out: str | Path | BinaryIO) -> None:
    pdf = _Pdf()
    pdf.footer_text = f"{pack.title} · {pack.subtitle}"
    pdf.set_title(pdf.text_of(pack.title))
    pdf.add_page()
    pdf.set_y(75)
    pdf.use(26, bold=True, colour=NAVY)
    pdf.multi_cell(0, 12, pdf.text_of(pack.title), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.use(14, colour=GREY)
    pdf.multi_cell(0, 8, pdf.text_of(pack.subtitle), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    _title(pdf, "Key figures")
    card_w, card_h = 86, 52
    for i, kpi in enumerate(pack.kpis):
        x = MARGIN + (i % 3) * (card_w + 5.5)
        y = 30 + (i // 3) * (card_h + 6)
        pdf.set_fill_color(*LIGHT)
        pdf.rect(x, y, card_w, card_h, style="F")
        pdf.set_xy(x + 5, y + 5)
        pdf.use(11, colour=GREY)
        pdf.cell(card_w - 10, 6, _fit(pdf, kpi.label, card_w - 10))
        pdf.set_xy(x + 5, y + 15)
        pdf.use(24, bold=True, colour=NAVY)
        pdf.cell(card_w - 10, 12, _fit(pdf, kpi.value, card_w - 10))
        pdf.set_xy(x + 5, y + 33)
        pdf.use(9, colour=GREY)
        pdf.multi_cell(card_w - 10, 5, pdf.text_of(kpi.detail), align="L")
    for section in pack.sections:
        _section(pdf, section)
    data = bytes(pdf.output())
    if isinstance(out, str | Path):
        Path(out).write_bytes(data)
    else:
        out.write(data)
