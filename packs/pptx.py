"""The review pack as a PowerPoint file (python-pptx): a title slide, a KPI slide of cards, then one
slide per section with its lines, its table and, beside it, a native bar chart (editable in
PowerPoint, no image). Text is put in runs as it is: imported text is never read as markup."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import BinaryIO

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.util import Emu, Inches, Pt

from packs.content import Chart, Pack, Section, Table
from packs.layout import column_widths, unbreakable

NAVY = RGBColor(0x1F, 0x3A, 0x5F)
GREY = RGBColor(0x55, 0x55, 0x55)
LIGHT = RGBColor(0xE8, 0xEE, 0xF5)
SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
TABLE_CHARACTERS = 175  # about how many 9 pt characters a full-width table's row holds
CELL_MARGIN = 4  # a cell's left and right margins (0.1 inch each), in characters
BOLD = 1.2  # a header's bold characters are wider
LINE_INCHES = 0.155  # a 9 pt line in a cell
LINE_CHARACTERS = 150  # and 13 pt characters a full-width line of a section's text
LABEL_CHARACTERS = 28  # a chart's category label is broken into lines this long (9 pt, whole words)


def _text(slide, left, top, width, height, lines, size=14, bold=False, color=None) -> None:
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        if color is not None:
            run.font.color.rgb = color


def _title(slide, text: str) -> None:
    _text(slide, MARGIN, Inches(0.3), SLIDE_W - 2 * MARGIN, Inches(0.7), [text], size=26, bold=True, color=NAVY)


def _table(slide, table: Table, left, top, width, shares: list[float]) -> None:
    rows = len(table.rows) + 1
    height = Inches(0.3) * rows
    shape = slide.shapes.add_table(rows, len(table.columns), left, top, width, height)
    grid = shape.table
    for i, share in enumerate(shares):
        grid.columns[i].width = Emu(int(width * share))
    for j, name in enumerate(table.columns):
        _cell(grid.cell(0, j), name, bold=True)
    for i, row in enumerate(table.rows, start=1):
        for j, value in enumerate(row):
            _cell(grid.cell(i, j), value)
    if table.note:  # at the foot of the slide: rows grow when their text wraps
        _text(slide, left, SLIDE_H - Inches(0.5), width, Inches(0.3), [table.note], size=10, color=GREY)


def _shares(table: Table, characters: float) -> list[float]:
    """Each column's share of a table ``characters`` wide (:func:`packs.layout.column_widths`
    counted in characters, with a cell's margins: python-pptx has no font metrics)."""
    natural = [
        max([len(c) * BOLD] + [len(r[i]) for r in table.rows]) + CELL_MARGIN for i, c in enumerate(table.columns)
    ]
    minimum = [
        max([len(unbreakable(c)) * BOLD] + [len(unbreakable(r[i])) for r in table.rows]) + CELL_MARGIN
        for i, c in enumerate(table.columns)
    ]
    widths = column_widths(natural, minimum, characters)
    return [w / sum(widths) for w in widths]


def _height(row: tuple[str, ...], shares: list[float], characters: float) -> float:
    """About how tall (inches) a row is once its cells wrap (a twentieth more for word breaks)."""
    lines = max(
        -(-int(len(value) * 1.05) // max(int(share * characters) - CELL_MARGIN, 1))
        for value, share in zip(row, shares, strict=True)
    )
    return max(lines, 1) * LINE_INCHES + 0.08


def _fitting(table: Table, rows: list[tuple[str, ...]], shares: list[float], characters: float, room: float) -> int:
    """How many of ``rows`` fit in ``room`` inches below the header (at least one)."""
    used, n = _height(table.columns, shares, characters), 0
    for row in rows:
        used += _height(row, shares, characters)
        if used > room and n:
            break
        n += 1
    return n


def _cell(cell, value: str, bold: bool = False) -> None:
    cell.text = ""
    run = cell.text_frame.paragraphs[0].add_run()
    run.text = value
    run.font.size = Pt(9)
    run.font.bold = bold
    cell.margin_top = cell.margin_bottom = Inches(0.03)


def _chart(slide, chart: Chart, left, top, width, height) -> None:
    """A native bar chart. Its category labels carry their own line breaks (whole words): left to
    the reader, a long label ("Transparency and information sharing") is cut or squeezes the bars,
    depending on the program that draws it."""
    data = CategoryChartData()
    data.categories = [textwrap.fill(c, LABEL_CHARACTERS, break_long_words=False) for c in chart.categories]
    for name, values in chart.series:
        data.add_series(name, list(values))
    kind = XL_CHART_TYPE.BAR_STACKED if chart.stacked else XL_CHART_TYPE.BAR_CLUSTERED
    graphic = slide.shapes.add_chart(kind, left, top, width, height, data).chart
    graphic.has_title = True
    graphic.chart_title.text_frame.text = chart.title
    graphic.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
    graphic.has_legend = len(chart.series) > 1
    if graphic.has_legend:
        graphic.legend.position = XL_LEGEND_POSITION.BOTTOM
        graphic.legend.include_in_layout = False
        graphic.legend.font.size = Pt(10)
    plot = graphic.plots[0]
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = "0%" if chart.percent else "#,##0"
    labels.number_format_is_linked = False
    labels.font.size = Pt(9)
    graphic.value_axis.tick_labels.number_format = "0%" if chart.percent else "#,##0"
    graphic.value_axis.tick_labels.number_format_is_linked = False
    graphic.value_axis.tick_labels.font.size = Pt(9)
    graphic.category_axis.tick_labels.font.size = Pt(9)
    graphic.category_axis.reverse_order = True


def _section(prs, section: Section) -> None:
    """The section's slide; a table too tall for it goes on over "(continued)" slides, so a row
    that wraps never runs off the slide and nothing is cut."""
    width = SLIDE_W - 2 * MARGIN
    table_width = width if section.chart is None else int(width * 0.58)
    table = section.table
    rows = list(table.rows) if table is not None else []
    characters = TABLE_CHARACTERS * table_width / width
    shares = _shares(table, characters) if rows else []
    first = True
    while first or rows:
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        _title(slide, section.title if first else f"{section.title} (continued)")
        top = Inches(1.05)
        if first and section.lines:  # the table starts below the lines as they wrap
            _text(slide, MARGIN, top, width, Inches(0.6), list(section.lines), size=13, color=GREY)
            wrapped = sum(-(-len(line) // LINE_CHARACTERS) for line in section.lines)
            top += Inches(0.3) * wrapped + Inches(0.15)
        if rows:
            n = _fitting(table, rows, shares, characters, (SLIDE_H - Inches(0.6) - top) / Inches(1))
            part, rows = rows[:n], rows[n:]
            _table(
                slide, Table(table.columns, tuple(part), "" if rows else table.note), MARGIN, top, table_width, shares
            )
        if first and section.chart is not None:
            left = MARGIN + table_width + Inches(0.3)
            _chart(slide, section.chart, left, top, width - table_width - Inches(0.3), SLIDE_H - top - Inches(0.4))
        first = False


def write_pptx(pack: Pack, out: str | Path | BinaryIO) -> None:
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    blank = prs.slide_layouts[6]
    slide = prs.slides.add_slide(blank)
    _text(slide, MARGIN, Inches(2.6), SLIDE_W - 2 * MARGIN, Inches(1.2), [pack.title], size=34, bold=True, color=NAVY)
    _text(slide, MARGIN, Inches(3.8), SLIDE_W - 2 * MARGIN, Inches(0.8), [pack.subtitle], size=18, color=GREY)
    slide = prs.slides.add_slide(blank)
    _title(slide, "Key figures")
    card_w, card_h = Inches(3.9), Inches(2.3)
    for i, kpi in enumerate(pack.kpis):
        left = MARGIN + (i % 3) * (card_w + Inches(0.25))
        top = Inches(1.3) + (i // 3) * (card_h + Inches(0.3))
        card = slide.shapes.add_shape(1, left, top, card_w, card_h)
        card.fill.solid()
        card.fill.fore_color.rgb = LIGHT
        card.line.fill.background()
        _text(
            slide,
            left + Inches(0.2),
            top + Inches(0.15),
            card_w - Inches(0.4),
            Inches(0.5),
            [kpi.label],
            size=15,
            color=GREY,
        )
        _text(
            slide,
            left + Inches(0.2),
            top + Inches(0.6),
            card_w - Inches(0.4),
            Inches(0.9),
            [kpi.value],
            size=36,
            bold=True,
            color=NAVY,
        )
        _text(
            slide,
            left + Inches(0.2),
            top + Inches(1.55),
            card_w - Inches(0.4),
            Inches(0.6),
            [kpi.detail],
            size=12,
            color=GREY,
        )
    for section in pack.sections:
        _section(prs, section)
    prs.save(out)
