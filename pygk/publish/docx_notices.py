"""整改通知 as one Word document in 公文 format, one notice per page (python-docx, GB/T 9704-2012).

One document rather than one file per unit: the clerk prints and checks one file, a run
writes one file atomically (never half a batch), and the names of 40 files cannot collide
with what is already in the folder. Each notice starts a page: title, 主送 unit, the reasons
and the open findings as numbered paragraphs, the closing request, then 发文单位 and 发文日期.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from pygk.core import texts
from pygk.core.days import day_text
from pygk.core.findings_report import Notice, overdue
from pygk.core.plan import Plan
from pygk.core.values import format_number
from pygk.publish.docx_bulletin import (
    BODY,
    CHAR,
    _after,
    _paragraph,
    _setup_page,
    _with_font_fallbacks,
    title_paragraph,
)  # fmt: skip

SIGNATURE_INDENT = 4  # characters of space right of the date, as GB/T 9704 places it
SECTPR_ORDER = ("w:headerReference", "w:footerReference", "w:footnotePr", "w:endnotePr", "w:type", "w:pgSz",
                "w:pgMar", "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType", "w:cols", "w:formProt",
                "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid",
                "w:printerSettings", "w:sectPrChange")  # fmt: skip


def _restart_page_numbers(section: Any) -> None:
    """Number a section's pages from 1 (each notice is a document of its own)."""
    properties = section._sectPr
    numbering = properties.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = OxmlElement("w:pgNumType")
        properties.insert_element_before(numbering, *_after("w:pgNumType", SECTPR_ORDER))
    numbering.set(qn("w:start"), "1")


def notice_paragraphs(plan: Plan, notice: Notice) -> list[str]:
    """A notice's body paragraphs after the 主送 line: the opening, one per open finding, the closing request."""
    settings = plan.settings
    reasons = texts.JOIN_REASONS.join(notice.reasons)
    lines = [texts.NOTICE_OPENING.format(year=settings.year, month=settings.month, reasons=reasons,
                                         total=format_number(notice.total))]  # fmt: skip
    for n, finding in enumerate(notice.findings, start=1):
        deadline = texts.NOTICE_NO_DEADLINE if finding.deadline is None else day_text(finding.deadline)
        if overdue(finding, settings.year, settings.month):
            deadline += texts.NOTICE_OVERDUE
        template = texts.NOTICE_ITEM if finding.description else texts.NOTICE_ITEM_NO_DESCRIPTION
        lines.append(template.format(n=n, item=finding.item, problem=finding.problem,
                                     description=finding.description.rstrip("。"),
                                     points=format_number(finding.points), deadline=deadline))  # fmt: skip
    if not notice.findings:
        lines.append(texts.NOTICE_NO_ITEMS)
    lines.append(texts.NOTICE_CLOSING.format(office=settings.office))
    return lines


def _notice(document: Any, plan: Plan, notice: Notice, first: bool) -> None:
    """One notice in a section of its own, so it starts a page and its pages are numbered from 1."""
    _restart_page_numbers(document.sections[0] if first else document.add_section(WD_SECTION.NEW_PAGE))
    title_paragraph(document, texts.NOTICE_TITLE.format(unit=notice.unit))
    _paragraph(document)
    _paragraph(document, texts.NOTICE_TO.format(unit=notice.unit))
    for text in notice_paragraphs(plan, notice):
        _paragraph(document, text, indent=2)
    _paragraph(document)
    _paragraph(document)
    for text in (plan.settings.office, plan.settings.date):
        signature = _paragraph(document, text, BODY, WD_ALIGN_PARAGRAPH.RIGHT)
        signature.paragraph_format.right_indent = Pt(SIGNATURE_INDENT * CHAR)


def notices_bytes(plan: Plan) -> bytes:
    """The .docx of every notice in the plan, one per page."""
    document = Document()
    _setup_page(document)
    document.core_properties.title = texts.NOTICES_NAME.format(year=plan.settings.year, month=plan.settings.month)
    first = document.paragraphs[0] if document.paragraphs else None
    for n, notice in enumerate(plan.notices):
        _notice(document, plan, notice, n == 0)
    if first is not None:
        first._p.getparent().remove(first._p)
    buffer = io.BytesIO()
    document.save(buffer)
    return _with_font_fallbacks(buffer.getvalue())
