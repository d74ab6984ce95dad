"""DOCX building blocks: an A4 document with page numbers, titled tables, signature blocks.

Offices edit these files further in Word, so they use Word's own styles ("Table Grid"),
real page-number fields and plain paragraphs rather than text boxes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from kinerja_core.numbers import format_decimal

from .signing import BLANK, Signing

BLANK_NAME = BLANK


LEFT_MM, RIGHT_MM = 20, 18
# Average glyph widths of Arial as a share of the font size, to size columns from their text
# (a word must fit its column whole: LibreOffice and Word break a too-narrow cell mid-word).
GLYPH = 0.56
CAPITAL_GLYPH = 0.72
CELL_PADDING_MM = 4.2
MM_PER_PT = 0.3528
NAME_COLUMN_MM = 60
SIGNING_ROOM_PT = 48  # the room to sign and stamp above the name  # a long text column asks for this width before sharing what is left


def orient(section: Any, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long, short = Mm(297), Mm(210)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    section.left_margin, section.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)


def text_width_mm(section: Any) -> float:
    return float(section.page_width.mm) - LEFT_MM - RIGHT_MM


def new_document(
    unit_name: str, landscape: bool = False, demo: bool = False, draft: bool = False
) -> Any:
    doc = Document()
    section = doc.sections[0]
    orient(section, landscape)
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10)
    style.paragraph_format.space_after = Pt(3)
    footer = section.footer.paragraphs[0]
    footer.text = f"{unit_name}\t\tHalaman "
    field(footer, "PAGE")
    footer.add_run(" dari ")
    field(footer, "NUMPAGES")
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if demo:
        header.add_run("DATA CONTOH").bold = True
    if draft:
        # The header repeats on every page: a draft says so on each of them.
        mark = header.add_run(("  " if demo else "") + "DRAF")
        mark.bold = True
        mark.font.size = Pt(28)
        mark.font.color.rgb = RGBColor(0xC6, 0x28, 0x28)
    return doc


def new_section(doc: Any, landscape: bool) -> Any:
    """A section on a new page in the other orientation (headers and footers carry over)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    orient(section, landscape)
    return section


def field(paragraph: Any, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when the document is shown."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, code), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def title(doc: Any, *lines: str) -> None:
    for n, line in enumerate(lines):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(line)
        run.bold = True
        run.font.size = Pt(14 if n == 0 else 12)


def heading(doc: Any, text: str) -> None:
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = True


def column_needs(
    header: Sequence[str], rows: Sequence[Sequence[Any]], font_pt: float
) -> tuple[list[float], list[float]]:
    """Per column (mm): the width of its longest word (a floor: a word is never split) and
    the width its text would like (its longest cell, up to ``NAME_COLUMN_MM``)."""

    def width(text: str) -> float:
        capitals = sum(1 for ch in text if ch.isupper())
        share = capitals * CAPITAL_GLYPH + (len(text) - capitals) * GLYPH
        return share * font_pt * MM_PER_PT + CELL_PADDING_MM

    floors, wants = [], []
    for i, title_text in enumerate(header):
        texts = [t for r in rows if i < len(r) for t in cell_texts(r[i]) if t]
        words = [w for t in [title_text, *texts] for w in t.split()] or [""]
        floors.append(max(width(w) for w in words))
        longest = max((width(t) for t in texts), default=0.0)
        wants.append(max(floors[-1], min(longest, NAME_COLUMN_MM)))
    return floors, wants


def column_widths(
    header: Sequence[str], rows: Sequence[Sequence[Any]], total_mm: float, font_pt: float
) -> list[float]:
    """Widths (mm) from each column's text: every column at least as wide as its longest word,
    then what is left shared by how much text each column holds (names wide, numbers narrow)."""
    floors, wants = column_needs(header, rows, font_pt)
    if sum(floors) >= total_mm:
        return [f * total_mm / sum(floors) for f in floors]
    if sum(wants) <= total_mm:
        spare = total_mm - sum(wants)
        return [w + spare * w / sum(wants) for w in wants]
    room = total_mm - sum(floors)
    extra = [w - f for w, f in zip(wants, floors, strict=True)]
    return [f + room * e / sum(extra) for f, e in zip(floors, extra, strict=True)]


def shown(value: Any) -> str:
    """A cell's text: whole numbers with Indonesian thousands dots (5.940), as the PDF shows
    them; text (already formatted by the builders) as it is."""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return format_decimal(Decimal(value), 0)
    return str(value)


def cell_texts(value: Any) -> list[str]:
    """The paragraphs of a cell: one per item of a list (numbered when there are several: the
    Rencana Aksi's actions, each on its own), else the one text."""
    if isinstance(value, list | tuple):
        if len(value) == 1:
            return [shown(value[0])]
        return [f"{n}. {shown(item)}" for n, item in enumerate(value, start=1)]
    return [shown(value)]


def fixed_widths(grid: Any, widths_mm: Sequence[float]) -> None:
    """Word and LibreOffice both honour a fixed layout with the grid and every cell's width."""
    grid.autofit = False
    props = grid._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    props.append(layout)
    for col, width in zip(grid._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(int(Mm(width).twips)))
    for row in grid.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def table(
    doc: Any,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    numeric: Sequence[int] = (),
) -> Any:
    """A bordered table with a bold header row repeated on every page; ``numeric`` columns align
    right. Columns are sized from their text; a table too wide for a portrait page gets a
    landscape section of its own."""
    section = doc.sections[-1]
    font_pt = (
        10.0 if len(header) <= 4 else 9.0 if len(header) <= 6 else 8.0 if len(header) <= 10 else 7.0
    )
    portrait = section.page_width < section.page_height
    floors, _wants = column_needs(header, rows, font_pt)
    turned = portrait and sum(floors) > text_width_mm(section)
    if turned:
        section = new_section(doc, landscape=True)
    widths = column_widths(header, rows, text_width_mm(section), font_pt)
    grid = doc.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(grid.rows[0].cells, header, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(str(text))
        run.bold = True
        run.font.size = Pt(font_pt)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    header_props = grid.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_props.append(repeat)
    for values in rows:
        cells = grid.add_row().cells
        for i, value in enumerate(values):
            for n, text in enumerate(cell_texts(value)):
                paragraph = cells[i].paragraphs[0] if n == 0 else cells[i].add_paragraph()
                if n:
                    paragraph.paragraph_format.space_before = Pt(font_pt / 2)
                paragraph.add_run(text).font.size = Pt(font_pt)
                if i in numeric:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    fixed_widths(grid, widths)
    doc.add_paragraph()
    if turned:
        new_section(doc, landscape=False)
    return grid


def signature(doc: Any, signing: Signing) -> None:
    """Place and date, position, room to sign, name, rank and NIP: kept on one page."""
    block = [doc.add_paragraph(f"{signing.place}, {signing.date_text}")]
    block.append(doc.add_paragraph(signing.title))
    name = doc.add_paragraph()
    name.paragraph_format.space_before = Pt(SIGNING_ROOM_PT)
    block.append(name)
    run = name.add_run(signing.name or BLANK_NAME)
    run.bold = True
    run.underline = True
    for text in (signing.rank, f"NIP. {signing.nip_text}" if signing.nip else ""):
        if text:
            block.append(doc.add_paragraph(text))
    for paragraph in block:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.keep_with_next = paragraph is not block[-1]


def two_signatures(doc: Any, signing: Signing) -> None:
    """Pihak Kedua on the left, Pihak Pertama on the right, as the PK form prints them."""
    grid = doc.add_table(rows=1, cols=2)
    left, right = grid.rows[0].cells
    for cell, role, job, name, rank, nip, dated in (
        (
            left,
            "Pihak Kedua,",
            signing.superior_title,
            signing.superior_name,
            signing.superior_rank,
            signing.superior_nip_text,
            "",
        ),
        (
            right,
            "Pihak Pertama,",
            signing.title,
            signing.name,
            signing.rank,
            signing.nip_text,
            f"{signing.place}, {signing.date_text}",
        ),
    ):
        cell.text = dated
        for text in (role, job, "", "", ""):
            cell.add_paragraph(text)
        run = cell.add_paragraph().add_run(name or BLANK_NAME)
        run.bold = True
        run.underline = True
        for text in (rank, f"NIP. {nip}" if nip else ""):
            if text:
                cell.add_paragraph(text)
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def page_break(doc: Any) -> None:
    from docx.enum.text import WD_BREAK

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def picture(doc: Any, png: bytes, width_mm: float = 150) -> None:
    """The image whole: at ``width_mm``, or the text width when the page is narrower; the
    height follows the image's own proportions."""
    width = min(width_mm, text_width_mm(doc.sections[-1]))
    doc.add_picture(io.BytesIO(png), width=Mm(width))


def to_bytes(doc: Any) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
