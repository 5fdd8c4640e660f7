"""Edits to a clerk's input sheet: the 总分/排名 columns, the legend and the best/worst highlight.

The worksheet XML is spliced as text: rows pygk does not touch are copied byte for byte,
touched rows get their new cells, and only the small part after <sheetData> is parsed.
That keeps a 100,000-row sheet fast and small in memory, and the clerk's cells, styles,
validations and extensions intact. Highlights are conditional formats, not cell fills,
so the clerk's own formatting is never overwritten and a second run simply replaces them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from pygk import texts
from pygk.cells import cell_ref, column_letter, parse_ref, ref_column, runs
from pygk.plan import InputUpdate
from pygk.xlsx.package import parse_xml
from pygk.xlsx.sheet_xml import cell_xml
from pygk.xlsx.xmlutil import fragment, insert_in_order, q

WORKSHEET_ORDER = (
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr", "sheetProtection",
    "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate", "customSheetViews", "mergeCells",
    "phoneticPr", "conditionalFormatting", "dataValidations", "hyperlinks", "printOptions", "pageMargins",
    "pageSetup", "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors",
    "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
    "webPublishItems", "tableParts", "extLst",
)  # fmt: skip
MARK_FORMULA = "TRUE"

_ROOT = re.compile(rb"<(?:(\w+):)?worksheet\b[^>]*>")
_ROW_R = re.compile(rb'\sr="(\d+)"')
_CELL_R = re.compile(rb'\sr="([A-Z]+)\d+"')
_STYLE = re.compile(rb'\ss="(\d+)"')
_SPANS = re.compile(rb'\sspans="[^"]*"')
_SHARED_MASTER = re.compile(rb'<(?:\w+:)?f\b(?=[^>]*\bt="shared")(?=[^>]*\bref=")[^>]*\bsi="(\d+)"')


@dataclass(frozen=True)
class MarkStyles:
    """Style indexes for the highlight: two differential formats and two legend cell styles."""

    best_dxf: int
    worst_dxf: int
    best_legend: int
    worst_legend: int


Edit = tuple[object, int | None, int | None]  # value, style (None: keep or inherit), column to inherit style from


@lru_cache(maxsize=4096)
def _column_of(letters: bytes) -> int:
    return ref_column(letters.decode())


def planned_edits(update: InputUpdate, marks: MarkStyles) -> dict[int, dict[int, Edit]]:
    """Row -> column -> edit for everything an InputUpdate writes into its sheet."""
    edits: dict[int, dict[int, Edit]] = {}

    def put(row: int, col: int, value: object, style: int | None = None, like: int | None = None) -> None:
        edits.setdefault(row, {})[col] = (value, style, like)

    like = update.total_col - 1 if update.total_col > 0 else None
    put(update.header_row, update.total_col, texts.TOTAL, like=like)
    for row, total in zip(update.rows, update.totals):
        put(row, update.total_col, total, like=like)
    if update.rank_col is not None and update.ranks is not None:
        put(update.header_row, update.rank_col, texts.RANK, like=update.total_col)
        for row, rank in zip(update.rows, update.ranks):
            put(row, update.rank_col, rank, like=update.total_col)
    for col in update.clear_cols:
        for row in (update.header_row, *update.rows):
            put(row, col, None)
    put(update.header_row + 1, update.legend_col, texts.LEGEND_BEST, style=marks.best_legend)
    put(update.header_row + 2, update.legend_col, texts.LEGEND_WORST, style=marks.worst_legend)
    return edits


class SheetSplicer:
    """A worksheet part cut into head, rows and tail around <sheetData>."""

    def __init__(self, data: bytes):
        root = _ROOT.search(data)
        if root is None:
            raise ValueError("no <worksheet> element")
        self.prefix = (root.group(1) + b":") if root.group(1) else b""
        p = re.escape(self.prefix)
        self.row_re = re.compile(rb"<" + p + rb"row\b([^>]*?)(/>|>(.*?)</" + p + rb"row>)", re.S)
        self.cell_re = re.compile(rb"<" + p + rb"c\b([^>]*?)(?:/>|>.*?</" + p + rb"c>)", re.S)
        self.data = data
        self.dropped_masters: set[bytes] = set()  # shared-formula ids whose master cell pygk overwrote
        self.root_tag = root.group(0)
        self.root_end = root.end()
        close = data.rindex(b"</" + self.prefix + b"worksheet>")
        self.close = close
        opening = re.compile(rb"<" + p + rb"sheetData\b[^>]*?(/?)>").search(data, self.root_end)
        if opening is None:
            self.head, self.rows, self.tail_start = data[self.root_end : close], b"", close
            self.sheet_data_open = None
            return
        self.head = data[self.root_end : opening.start()]
        self.sheet_data_open = opening.group(0)
        if opening.group(1):
            self.rows, self.tail_start = b"", opening.end()
        else:
            end = data.index(b"</" + self.prefix + b"sheetData>", opening.end())
            self.rows = data[opening.end() : end]
            self.tail_start = end + len(b"</" + self.prefix + b"sheetData>")

    def patched_rows(self, edits: dict[int, dict[int, Edit]]) -> bytes:
        """The rows region with every edit applied; untouched rows copied as they are."""
        out: list[bytes] = []
        pending = sorted(edits)
        position, next_row, index = 0, 0, 0
        for match in self.row_re.finditer(self.rows):
            number = _ROW_R.search(match.group(1))
            row = int(number.group(1)) - 1 if number else next_row
            next_row = row + 1
            while index < len(pending) and pending[index] < row:
                out.append(self.rows[position : match.start()])
                position = match.start()
                out.append(self.new_row(pending[index], edits[pending[index]]))
                index += 1
            if index < len(pending) and pending[index] == row:
                out.append(self.rows[position : match.start()])
                out.append(self.patch_row(match, row, edits[row]))
                position = match.end()
                index += 1
        out.append(self.rows[position:])
        out.extend(self.new_row(r, edits[r]) for r in pending[index:])
        return b"".join(out)

    def new_row(self, row: int, edits: dict[int, Edit]) -> bytes:
        cells = b"".join(self.cell(row, col, value, style) for col, (value, style, _) in sorted(edits.items()))
        return b"<" + self.prefix + b'row r="' + str(row + 1).encode() + b'">' + cells + b"</" + self.prefix + b"row>"

    def patch_row(self, match: re.Match, row: int, edits: dict[int, Edit]) -> bytes:
        attributes = _SPANS.sub(b"", match.group(1))
        if not _ROW_R.search(attributes):
            attributes += b' r="' + str(row + 1).encode() + b'"'
        cells: list[tuple[int, bytes]] = []
        next_col = 0
        for cell in self.cell_re.finditer(match.group(3) or b""):
            ref = _CELL_R.search(cell.group(1))
            col = _column_of(ref.group(1)) if ref else next_col
            next_col = col + 1
            text = (
                cell.group(0)
                if ref
                else cell.group(0).replace(
                    b"<" + self.prefix + b"c", b"<" + self.prefix + b'c r="' + cell_ref(row, col).encode() + b'"', 1
                )
            )
            cells.append((col, text))
        by_col = dict(cells)
        for col in edits:
            master = _SHARED_MASTER.search(by_col.get(col, b""))
            if master:
                self.dropped_masters.add(master.group(1))
        for col, (value, style, like) in edits.items():
            if style is None:
                source = by_col.get(col) if col in by_col else by_col.get(like)
                found = _STYLE.search(source) if source is not None else None
                style = int(found.group(1)) if found else None
            by_col[col] = self.cell(row, col, value, style)
        body = b"".join(by_col[col] for col in sorted(by_col))
        p = self.prefix
        return b"<" + p + b"row" + attributes + b">" + body + b"</" + p + b"row>"

    def cell(self, row: int, col: int, value: object, style: int | None) -> bytes:
        text = cell_xml(row, col, value, style or 0).encode("utf-8")
        if self.prefix:
            text = re.sub(rb"<(/?)(c|v|is|t)\b", lambda m: b"<" + m.group(1) + self.prefix + m.group(2), text)
        return text

    def tail_with_marks(self, update: InputUpdate, marks: MarkStyles) -> bytes:
        """The elements after <sheetData> with the previous highlight removed and this run's added."""
        tail = self.data[self.tail_start : self.close]
        closing = b"</" + self.prefix + b"worksheet>"
        root = parse_xml(self.root_tag + tail + closing)
        dxfs = {str(marks.best_dxf), str(marks.worst_dxf)}
        for element in root.findall(q("conditionalFormatting")):
            if _is_ours(element, dxfs):
                root.remove(element)
        priorities = (e.get("priority") for e in root.iter() if isinstance(e.tag, str) and e.tag.endswith("cfRule"))
        priority = max((int(p) for p in priorities if p and p.isdigit()), default=0)
        first, last = column_letter(update.first_col), column_letter(update.last_col)
        for rows, dxf in ((update.best_rows, marks.best_dxf), (update.worst_rows, marks.worst_dxf)):
            if rows:
                priority += 1
                sqref = " ".join(f"{first}{a + 1}:{last}{b + 1}" for a, b in runs(rows))
                insert_in_order(root, fragment(
                    f'<conditionalFormatting sqref="{sqref}"><cfRule type="expression" dxfId="{dxf}" '
                    f'priority="{priority}"><formula>{MARK_FORMULA}</formula></cfRule></conditionalFormatting>'
                ), WORKSHEET_ORDER)  # fmt: skip
        if len(root) == 0:
            return root.text.encode() if root.text else b""
        text = etree.tostring(root, encoding="UTF-8", xml_declaration=False)
        return text[text.index(b">") + 1 : text.rindex(b"</")]

    def head_with_dimension(self, last_row: int, last_col: int) -> bytes:
        """The elements before <sheetData>, with <dimension> widened to the cells written."""
        p = re.escape(self.prefix)

        def widen(match: re.Match) -> bytes:
            first, _, end = match.group(2).decode().partition(":")
            try:
                row, col = parse_ref(end or first)
            except ValueError:
                return match.group(0)
            ref = f"{first}:{cell_ref(max(row, last_row), max(col, last_col))}"
            return match.group(1) + ref.encode() + match.group(3)

        return re.sub(rb"(<" + p + rb'dimension\b[^>]*?\sref=")([^"]*)(")', widen, self.head, count=1)


def patch_input(data: bytes, update: InputUpdate, marks: MarkStyles) -> bytes:
    """A worksheet part with one InputUpdate applied."""
    sheet = SheetSplicer(data)
    return _spliced(sheet, planned_edits(update, marks), sheet.tail_with_marks(update, marks))


def patch_cells(data: bytes, edits: dict[int, dict[int, Edit]]) -> bytes:
    """A worksheet part with some cells written and everything else left as it was."""
    sheet = SheetSplicer(data)
    return _spliced(sheet, edits, sheet.data[sheet.tail_start : sheet.close])


def _spliced(sheet: SheetSplicer, edits: dict[int, dict[int, Edit]], tail: bytes) -> bytes:
    data = sheet.data
    rows = _without_orphans(sheet.patched_rows(edits), sheet.dropped_masters, sheet.prefix)
    last_col = max(col for row in edits.values() for col in row)
    head = sheet.head_with_dimension(max(edits), last_col)
    p = sheet.prefix
    sheet_data = b"<" + p + b"sheetData>" + rows + b"</" + p + b"sheetData>"
    return data[: sheet.root_end] + head + sheet_data + tail + data[sheet.close :]


def _without_orphans(rows: bytes, masters: set[bytes], prefix: bytes) -> bytes:
    """Drop the formulas of cells that shared a formula whose master pygk overwrote; their values stay.

    A shared formula is stored once, in its master cell; without it Excel calls the file damaged.
    """
    if not masters:
        return rows
    p = re.escape(prefix)
    dependent = re.compile(rb"<" + p + rb'f\b(?=[^>]*\bt="shared")(?![^>]*\bref=)[^>]*\bsi="(\d+)"[^>]*?(?:/>|>\s*</'
                           + p + rb"f>)")  # fmt: skip
    return dependent.sub(lambda m: b"" if m.group(1) in masters else m.group(0), rows)


def _is_ours(element: etree._Element, dxfs: set[str]) -> bool:
    rules = element.findall(q("cfRule"))
    return bool(rules) and all(
        rule.get("type") == "expression" and rule.get("dxfId") in dxfs and rule.findtext(q("formula")) == MARK_FORMULA
        for rule in rules
    )
