"""The whole bulletin as a Word document in 公文 format (GB/T 9704-2012), with python-docx.

Layout: 版头 (periodical name, issue, office and date, red rule), title, summary paragraph,
the clerk's work items, attachment list, each annex on a new page (label, title, table
with a repeated header row), then the 版记. Rows and lines have exact heights, so the
page breaks do not depend on which substitute font a machine happens to have.
"""

from __future__ import annotations

import io
import math
import unicodedata
import zipfile
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from pygk.core import layout, texts
from pygk.core.plan import Annex, Plan
from pygk.core.values import display

RED = RGBColor(0xE6, 0x00, 0x12)
LINE = 28.9  # 22 lines fill the 225 mm text block
CHAR = 16.0  # one character of 3号 text, the unit of indents
TITLE_LINE = 35.0
FontSpec = tuple[str, float]  # face and size in points
MASTHEAD = (layout.XIAOBIAOSONG, 36.0)
BODY = (layout.FANGSONG, 16.0)
TITLE = layout.FONT_TITLE
LABEL = layout.FONT_LABEL
TABLE_HEADER = (layout.HEI, 14.0)
TABLE_BODY = (layout.FANGSONG, 14.0)
IMPRINT = (layout.FANGSONG, 14.0)
PAGE_NUMBER = (layout.SONG, 14.0)
FONTS_USED = tuple(dict.fromkeys(f[0] for f in (MASTHEAD, BODY, TITLE, LABEL, TABLE_HEADER, TABLE_BODY, IMPRINT,
                                               PAGE_NUMBER)))  # fmt: skip
ROW_PT, HEADER_LINE_PT, CELL_MARGIN_PT = 34.0, 16.0, 5.4
WIDEST_SHARE = 0.3  # of the text width, for the column of the longest texts in a table that wraps
FIT_SLACK_PT = 0.5  # text this much wider than its cell still fits (rounding of the widths)
TEXT_WIDTH_PT = layout.TEXT_WIDTH_PT
FULL_LINE = 0.9
FALLBACKS = {layout.FANGSONG: layout.FONT_SUBSTITUTES[layout.FANGSONG][0], layout.XIAOBIAOSONG: layout.SONG,
             layout.HEI: "SimHei", layout.SONG: "SimSun"}  # fmt: skip


def _font(run: Run, name: str, size: float, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(container: Any, text: str = "", font: FontSpec = BODY, align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY,
               indent: float = 0.0, line: float = LINE, bold: bool = False,
               color: RGBColor | None = None) -> Paragraph:  # fmt: skip
    """A paragraph with one run, exact line spacing and a first-line indent in characters."""
    paragraph: Paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line)
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(indent * CHAR)
    if text:
        _font(paragraph.add_run(text), font[0], font[1], bold=bold, color=color)
    return paragraph


# Child order of w:pPr and w:rPr in WordprocessingML, for elements python-docx has no API for.
PPR_ORDER = (
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
RPR_ORDER = ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
             "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid",
             "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs",
             "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs",
             "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")  # fmt: skip


def _after(tag: str, order: tuple[str, ...]) -> tuple[str, ...]:
    """The tags that must follow `tag` in a schema sequence."""
    return order[order.index(tag) + 1 :]


def _border(paragraph: Paragraph, side: str, size_eighths: int, color: str = "000000") -> None:
    """A rule above or below a paragraph (size in eighths of a point)."""
    properties = paragraph._p.get_or_add_pPr()
    borders = properties.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        properties.insert_element_before(borders, *_after("w:pBdr", PPR_ORDER))
    edge = OxmlElement(f"w:{side}")
    for key, value in (("val", "single"), ("sz", str(size_eighths)), ("space", "1"), ("color", color)):
        edge.set(qn(f"w:{key}"), value)
    borders.append(edge)


def _page_number(footer: Any, align: Any) -> None:
    paragraph = footer.paragraphs[0]
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = Pt(PAGE_NUMBER[1])
    else:
        fmt.left_indent = Pt(PAGE_NUMBER[1])
    _font(paragraph.add_run("— "), *PAGE_NUMBER)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = paragraph.add_run("1")
    _font(run, *PAGE_NUMBER)
    paragraph._p.remove(run._r)
    field.append(run._r)
    paragraph._p.append(field)
    _font(paragraph.add_run(" —"), *PAGE_NUMBER)


def _setup_page(document: DocxDocument) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    margins = layout.MARGIN_MM
    section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
    section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
    section.footer_distance = Mm(layout.FOOTER_MM)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)  # odd pages: right, one character in
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)  # even pages: left
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = BODY[0], Pt(BODY[1])
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY[0])


def _masthead(document: DocxDocument, plan: Plan) -> None:
    settings = plan.settings
    _paragraph(document, settings.periodical, MASTHEAD, WD_ALIGN_PARAGRAPH.CENTER, line=60, color=RED)
    issue = texts.ISSUE_LINE.format(year=settings.year, issue=plan.issue)
    _paragraph(document, issue, BODY, WD_ALIGN_PARAGRAPH.CENTER)
    line = _paragraph(document, "", BODY)
    line.paragraph_format.tab_stops.add_tab_stop(Pt(TEXT_WIDTH_PT), WD_TAB_ALIGNMENT.RIGHT)
    _font(line.add_run(f"{settings.office}\t{settings.date}"), *BODY)
    _border(line, "bottom", 18, "E60012")
    _paragraph(document)


def title_paragraph(document: Any, text: str) -> Any:
    """A 公文 title: 2号小标宋, centred, broken before its document type when too long for one line."""
    title = _paragraph(document, "", TITLE, WD_ALIGN_PARAGRAPH.CENTER, line=TITLE_LINE)
    for n, line in enumerate(title_lines(text)):
        if n:
            title.runs[-1].add_break()
        run = title.add_run(line)
        _font(run, *TITLE)
        _condense(run, line, TITLE[1])
    return title


def _title_and_body(document: DocxDocument, plan: Plan) -> None:
    title_paragraph(document, plan.title)
    _paragraph(document)
    _paragraph(document, plan.summary, indent=2)
    for label, text in plan.bulletin:
        if label == texts.ROW_WORK and text:
            _paragraph(document, text, indent=2)
    _paragraph(document)
    lead = texts.ATTACHMENT_LEAD
    for n, line in enumerate(plan.attachment_lines):
        paragraph = _paragraph(document, (lead if n == 0 else "") + line)
        fmt = paragraph.paragraph_format
        fmt.left_indent = Pt((2 + len(lead) + 2) * CHAR)
        fmt.first_line_indent = Pt(-(len(lead) + 2 if n == 0 else 2) * CHAR)


def _fitting(font: tuple[str, float], text: str, smallest: float = 18.0) -> tuple[str, float]:
    """The font at the largest size, down to 小二 (18 pt), at which `text` fits on one line."""
    name, size = font
    while size > smallest and len(text) * size > TEXT_WIDTH_PT:
        size -= 2
    return name, size


def title_lines(title: str) -> list[str]:
    """A title too long for one line breaks before its document type (…情况 / 通报), as 公文 titles do."""
    if _text_width(title, TITLE[1]) <= TEXT_WIDTH_PT:
        return [title]
    for kind in texts.DOCUMENT_TYPES:
        head = title[: -len(kind)]
        if title.endswith(kind) and head and _text_width(head, TITLE[1]) <= TEXT_WIDTH_PT:
            return [head, kind]
    return [title]


def _condense(run: Run, text: str, size: float) -> None:
    """Tighten the character spacing of a line that would only just fit (紧缩), as typesetters do.

    Renderers add a little space between Chinese characters and digits, so a line
    estimated at more than FULL_LINE of the text width gets up to 2 pt less per character.
    """
    excess = _text_width(text, size) - FULL_LINE * TEXT_WIDTH_PT
    if excess <= 0:
        return
    squeeze = min(excess / len(text), 2.0)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(-round(squeeze * 20)))  # twentieths of a point
    run._element.get_or_add_rPr().insert_element_before(spacing, *_after("w:spacing", RPR_ORDER))


def _text_width(text: str, size: float) -> float:
    """Width in points: wide characters one em, digits and Latin letters half."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size / 2 for ch in text)


def _header_height(header: tuple[str, ...], widths: list[float]) -> float:
    lines = 1
    for text, width in zip(header, widths):
        per_line = max(int((width - 2 * CELL_MARGIN_PT) // TABLE_HEADER[1]), 1)
        lines = max(lines, math.ceil(len(text) / per_line))
    return lines * HEADER_LINE_PT + 6


def _widths(annex: Annex) -> list[float]:
    """The name column fits the longest name, the others share the rest; unless text needs more (a 问题清单)."""
    name_col = annex.name_col
    longest = max((len(str(row[name_col])) for row in annex.rows), default=4)
    name = min(max(longest * TABLE_BODY[1] + 2 * CELL_MARGIN_PT + 4, 90.0), TEXT_WIDTH_PT * 0.4)
    others = max(len(annex.header) - 1, 1)
    shared = [name if i == name_col else (TEXT_WIDTH_PT - name) / others for i in range(len(annex.header))]
    natural = [max([_cell_text_width(display(row[c])) for row in annex.rows] or [0.0]) + 2 * CELL_MARGIN_PT
               for c in range(len(annex.header))]  # fmt: skip
    if all(need <= width + FIT_SLACK_PT for c, (need, width) in enumerate(zip(natural, shared)) if c != name_col):
        return shared
    least = [_text_width(h, TABLE_HEADER[1]) / (1 if len(h) <= 4 else 2) + 2 * CELL_MARGIN_PT for h in annex.header]
    return _content_widths(natural, least)


def _content_widths(natural: list[float], least: list[float]) -> list[float]:
    """Each column as wide as its text up to seven characters; the column of the longest texts takes the rest.

    That column keeps at least WIDEST_SHARE of the page; the others shrink in proportion when they would not leave it.
    """
    cap = 7 * TABLE_BODY[1] + 2 * CELL_MARGIN_PT
    widest = max(range(len(natural)), key=natural.__getitem__)
    widths = [max(min(n, cap), m) for n, m in zip(natural, least)]
    small = 3 * TABLE_BODY[1] + 2 * CELL_MARGIN_PT  # a column this narrow (扣分) is never narrowed further
    shrinkable = [c for c, w in enumerate(widths) if c != widest and w > small]
    fixed = sum(w for c, w in enumerate(widths) if c != widest and c not in shrinkable)
    wanted = sum(widths[c] for c in shrinkable)
    budget = TEXT_WIDTH_PT * (1 - WIDEST_SHARE) - fixed
    scale = min(1.0, budget / wanted) if wanted else 1.0
    for c in shrinkable:
        widths[c] *= scale
    widths[widest] = TEXT_WIDTH_PT - sum(w for c, w in enumerate(widths) if c != widest)
    return widths


def _cell_text_width(text: str) -> float:
    """Width of a cell's text at the body font; quotation marks and other ambiguous-width characters are wide in CJK."""
    size = TABLE_BODY[1]
    return sum(size if unicodedata.east_asian_width(ch) in "WFA" else size / 2 for ch in text)


def _row_heights(annex: Annex, widths: list[float]) -> list[float]:
    """Each body row's exact height: one line at ROW_PT, each wrapped line of its fullest cell one more."""
    line = TABLE_BODY[1] + 4
    heights = []
    for row in annex.rows:
        lines = max(_lines(display(v), w) for v, w in zip(row, widths))
        heights.append(ROW_PT + (lines - 1) * line)
    return heights


def _lines(text: str, width: float) -> int:
    """Lines a cell's text takes at the body font in a column of `width` points."""
    per_line = max(width - 2 * CELL_MARGIN_PT, TABLE_BODY[1]) + FIT_SLACK_PT
    lines, used = 1, 0.0
    for ch in text:  # whole characters per line, as the text is broken
        step = _cell_text_width(ch)
        if used + step > per_line:
            lines, used = lines + 1, 0.0
        used += step
    return lines


def _cell(cell: _Cell, text: str, font: FontSpec, width: float, align: Any) -> None:
    cell.width = Pt(width)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(HEADER_LINE_PT if font is TABLE_HEADER else font[1] + 4)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(0)
    _font(paragraph.add_run(text), *font)


def _annex(document: DocxDocument, annex: Annex) -> None:
    label = _paragraph(document, annex.label, LABEL, WD_ALIGN_PARAGRAPH.LEFT)
    label.paragraph_format.page_break_before = True
    _paragraph(document)
    _paragraph(document, annex.title, _fitting(TITLE, annex.title), WD_ALIGN_PARAGRAPH.CENTER, line=TITLE_LINE)
    widths = _widths(annex)
    table = document.add_table(rows=1 + len(annex.rows), cols=len(annex.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = Pt(width)
    header = table.rows[0]
    header.height, header.height_rule = Pt(_header_height(annex.header, widths)), WD_ROW_HEIGHT_RULE.EXACTLY
    properties = header._tr.get_or_add_trPr()
    for tag in ("w:tblHeader", "w:cantSplit"):
        properties.append(OxmlElement(tag))
    for cell, text, width in zip(header.cells, annex.header, widths):
        _cell(cell, text, TABLE_HEADER, width, WD_ALIGN_PARAGRAPH.CENTER)
    wrapped = {c for c, width in enumerate(widths) if any(_lines(display(r[c]), width) > 1 for r in annex.rows)}
    for row, values, height in zip(table.rows[1:], annex.rows, _row_heights(annex, widths)):
        row.height, row.height_rule = Pt(height), WD_ROW_HEIGHT_RULE.EXACTLY
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for index, (cell, value, width) in enumerate(zip(row.cells, values, widths)):
            text = display(value)
            left = index == annex.name_col or index in wrapped
            align = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
            _cell(cell, text, TABLE_BODY, width, align)


def imprint_lines(plan: Plan) -> list[str]:
    """The 版记's lines: 送, 发, one line of 签发/审核/责任编辑, 联系方式 (those filled in)."""
    entries = dict(plan.settings.imprint)
    lines = []
    shared = [texts.IMPRINT_ITEM.format(key=k, value=entries[k]) for k in texts.IMPRINT_SHARED_LINE if k in entries]
    for key in texts.IMPRINT_KEYS:
        if key in texts.IMPRINT_SHARED_LINE:
            if shared and key == next(k for k in texts.IMPRINT_SHARED_LINE if k in entries):
                lines.append("  ".join(shared))
        elif key in entries:
            lines.append(texts.IMPRINT_ITEM.format(key=key, value=entries[key]))
    return lines


def _imprint(document: DocxDocument, plan: Plan) -> None:
    """The 版记 between rules, at the bottom of the last page (GB/T 9704), pushed down by a spacer of exact height.

    When it does not fit below the last line, it goes to the bottom of a page of its own.
    """
    lines = imprint_lines(plan)
    if not lines:
        return
    gap, new_page = imprint_gap(last_page_used(plan), len(lines))
    spacer = _paragraph(document, "", IMPRINT, line=max(gap, 1.0))
    spacer.paragraph_format.page_break_before = new_page
    spacer.paragraph_format.keep_with_next = True
    for n, text in enumerate(lines):
        paragraph = _paragraph(document, text, IMPRINT, WD_ALIGN_PARAGRAPH.LEFT, line=LINE)
        paragraph.paragraph_format.left_indent = Pt(IMPRINT[1])
        paragraph.paragraph_format.keep_with_next = n < len(lines) - 1
        if n == 0:
            _border(paragraph, "top", 8)
        _border(paragraph, "bottom", 8 if n == len(lines) - 1 else 4)


TEXT_HEIGHT_PT = layout.TEXT_HEIGHT_MM / 25.4 * 72
RULE_PT = 2.5  # what a paragraph's rule (1 pt space and its width) adds to its height, rounded up
IMPRINT_SAFETY_PT = 6.0  # room left below the 版记 so rounding never pushes its last line onto another page


def imprint_gap(used: float, lines: int) -> tuple[float, bool]:
    """Height of the spacer that puts the 版记 at the bottom of the page, and whether it needs a new page."""
    block = lines * (LINE + RULE_PT) + RULE_PT + IMPRINT_SAFETY_PT
    if used + block <= TEXT_HEIGHT_PT:
        return TEXT_HEIGHT_PT - used - block, False
    return TEXT_HEIGHT_PT - block, True


def last_page_used(plan: Plan) -> float:
    """Points of the text block the bulletin fills on its last page before the 版记 (lines and rows are exact)."""
    if plan.annexes:
        return _annex_last_page(plan.annexes[-1])
    used = 0.0
    for height in _body_heights(plan):
        used = height if used + height > TEXT_HEIGHT_PT else used + height
    return used


def _annex_last_page(annex: Annex) -> float:
    """Height used on an annex's last page: label, title, header and rows, the header repeated on each page."""
    widths = _widths(annex)
    header = _header_height(annex.header, widths)
    used = 2 * LINE + TITLE_LINE * len(title_lines(annex.title)) + header
    for height in _row_heights(annex, widths):
        if used + height > TEXT_HEIGHT_PT:  # rows never split: the next one starts a page under a repeated header
            used = header
        used += height
    return used


def _body_heights(plan: Plan) -> list[float]:
    """Heights of the first pages' blocks (masthead, title, paragraphs), for a bulletin without annexes."""
    heights = [60.0, LINE, LINE + RULE_PT, LINE, TITLE_LINE * len(title_lines(plan.title)), LINE]
    paragraphs = [plan.summary, *(text for label, text in plan.bulletin if label == texts.ROW_WORK and text)]
    for text in paragraphs:
        heights.extend([LINE] * _line_count(text, 2))
    return [*heights, LINE]


def _line_count(text: str, indent: int) -> int:
    """Lines a paragraph of body text takes, its first line indented by `indent` characters."""
    return max(math.ceil((_text_width(text, BODY[1]) + indent * CHAR) / TEXT_WIDTH_PT), 1)


def _with_font_fallbacks(data: bytes) -> bytes:
    """Name a fallback (w:altName) for each 公文 font in the font table, for machines without it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/><w:family w:val="auto"/></w:font>'
        for name, alt in FALLBACKS.items()
    )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == "word/fontTable.xml":
                part = part.replace(b"</w:fonts>", entries.encode("utf-8") + b"</w:fonts>")
            target.writestr(info, part)
    return out.getvalue()


def bulletin_bytes(plan: Plan) -> bytes:
    """The bulletin .docx for a plan, as bytes."""
    document = Document()
    _setup_page(document)
    document.core_properties.title = plan.title
    first = document.paragraphs[0] if document.paragraphs else None
    _masthead(document, plan)
    _title_and_body(document, plan)
    for annex in plan.annexes:
        _annex(document, annex)
    _imprint(document, plan)
    if first is not None:
        first._p.getparent().remove(first._p)
    buffer = io.BytesIO()
    document.save(buffer)
    return _with_font_fallbacks(buffer.getvalue())
