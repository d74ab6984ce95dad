"""DOCX building blocks: an A4 document with page numbers, titled tables, signature blocks.

Offices edit these files further in Word, so they use Word's own styles ("Table Grid"),
real page-number fields and plain paragraphs rather than text boxes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .builders import Signing

BLANK_NAME = "………………………………"


def new_document(unit_name: str, landscape: bool = False, demo: bool = False) -> Any:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin, section.right_margin = Mm(20), Mm(18)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10)
    footer = section.footer.paragraphs[0]
    footer.text = f"{unit_name}\t\t{_('Page')} "
    field(footer, "PAGE")
    footer.add_run(" / ")
    field(footer, "NUMPAGES")
    if demo:
        section.header.paragraphs[0].text = "DATA CONTOH"
        section.header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    return doc


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


def table(
    doc: Any,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    numeric: Sequence[int] = (),
) -> Any:
    """A bordered table with a bold, repeated header row; ``numeric`` columns align right."""
    grid = doc.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(grid.rows[0].cells, header, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(str(text))
        run.bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    header_props = grid.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_props.append(repeat)
    for values in rows:
        cells = grid.add_row().cells
        for i, value in enumerate(values):
            cells[i].text = "" if value is None else str(value)
            if i in numeric:
                cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph()
    return grid


def signature(doc: Any, signing: Signing) -> None:
    for text in (f"{signing.place}, {signing.date_text}", signing.title, "", "", ""):
        paragraph = doc.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    name = doc.add_paragraph()
    name.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = name.add_run(signing.name or BLANK_NAME)
    run.bold = True
    run.underline = True


def two_signatures(doc: Any, signing: Signing) -> None:
    """Pihak Kedua on the left, Pihak Pertama on the right, as the PK form prints them."""
    grid = doc.add_table(rows=1, cols=2)
    left, right = grid.rows[0].cells
    for cell, role, job, name, dated in (
        (left, "Pihak Kedua,", signing.superior_title, signing.superior_name, ""),
        (
            right,
            "Pihak Pertama,",
            signing.title,
            signing.name,
            f"{signing.place}, {signing.date_text}",
        ),
    ):
        cell.text = dated
        for text in (role, job, "", "", ""):
            cell.add_paragraph(text)
        run = cell.add_paragraph().add_run(name or BLANK_NAME)
        run.bold = True
        run.underline = True
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def page_break(doc: Any) -> None:
    from docx.enum.text import WD_BREAK

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def picture(doc: Any, png: bytes, width_mm: int = 150) -> None:
    doc.add_picture(io.BytesIO(png), width=Mm(width_mm))


def to_bytes(doc: Any) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
