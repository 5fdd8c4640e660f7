"""Edits to a clerk's input sheet: the 总分/排名 columns, the legend and the best/worst highlight.

Only pygk's own cells change. Highlights are conditional formats, not cell fills, so the
clerk's own formatting is never overwritten and a second run simply replaces them.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from pygk import texts
from pygk.cells import cell_ref, column_letter, parse_ref
from pygk.plan import InputUpdate
from pygk.values import format_number
from pygk.xlsx.read import CELL, ROW
from pygk.xlsx.sheet_xml import strip_invalid
from pygk.xlsx.xmlutil import child, fragment, insert_in_order, q

WORKSHEET_ORDER = (
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr", "sheetProtection",
    "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate", "customSheetViews", "mergeCells",
    "phoneticPr", "conditionalFormatting", "dataValidations", "hyperlinks", "printOptions", "pageMargins",
    "pageSetup", "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors",
    "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
    "webPublishItems", "tableParts", "extLst",
)  # fmt: skip
MARK_FORMULA = "TRUE"


@dataclass(frozen=True)
class MarkStyles:
    """Style indexes for the highlight: two differential formats and two legend cell styles."""

    best_dxf: int
    worst_dxf: int
    best_legend: int
    worst_legend: int


class SheetEditor:
    """Cell-level edits on a parsed worksheet."""

    def __init__(self, root: etree._Element):
        self.root = root
        self.data = child(root, "sheetData", WORKSHEET_ORDER)
        self.rows: dict[int, etree._Element] = {}
        next_row = 0
        for row in self.data.iter(ROW):
            index = int(row.get("r")) - 1 if row.get("r") else next_row
            row.set("r", str(index + 1))
            next_row = index + 1
            self.rows[index] = row
        self.max_row = max(self.rows, default=0)
        self.max_col = 0

    def row(self, index: int) -> etree._Element:
        """The <row> element of a 0-based row, created in order if missing."""
        found = self.rows.get(index)
        if found is None:
            found = etree.Element(ROW)
            found.set("r", str(index + 1))
            later = [r for r in self.rows if r > index]
            if later:
                self.rows[min(later)].addprevious(found)
            else:
                self.data.append(found)
            self.rows[index] = found
        found.attrib.pop("spans", None)
        return found

    def cell(self, row: int, col: int) -> tuple[etree._Element, bool]:
        """The <c> element at (row, col) and whether it already existed."""
        element = self.row(row)
        next_col = 0
        for existing in element.iter(CELL):
            ref = existing.get("r")
            current = parse_ref(ref)[1] if ref else next_col
            if not ref:
                existing.set("r", cell_ref(row, current))
            next_col = current + 1
            if current == col:
                return existing, True
            if current > col:
                new = etree.Element(CELL)
                existing.addprevious(new)
                break
        else:
            new = etree.SubElement(element, CELL)
        new.set("r", cell_ref(row, col))
        self.max_row, self.max_col = max(self.max_row, row), max(self.max_col, col)
        return new, False

    def style_of(self, row: int, col: int) -> str | None:
        """The s attribute of an existing cell, without creating anything."""
        element = self.rows.get(row)
        if element is None:
            return None
        ref = cell_ref(row, col)
        for existing in element.iter(CELL):
            if existing.get("r") == ref:
                return existing.get("s")
        return None

    def set(self, row: int, col: int, value: object, style: str | int | None = None, like: int | None = None) -> None:
        """Write a value; a new cell takes `style`, or the style of column `like` in the same row."""
        element, existed = self.cell(row, col)
        for sub in list(element):
            element.remove(sub)
        element.attrib.pop("t", None)
        if style is not None:
            element.set("s", str(style))
        elif not existed and like is not None:
            inherited = self.style_of(row, like)
            if inherited is not None:
                element.set("s", inherited)
        if value is None or value == "":
            return
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            etree.SubElement(element, q("v")).text = format_number(value)
            return
        element.set("t", "inlineStr")
        inline = etree.SubElement(element, q("is"))
        etree.SubElement(inline, q("t")).text = strip_invalid(str(value))

    def fix_dimension(self) -> None:
        """Widen the <dimension> to the cells written."""
        dimension = self.root.find(q("dimension"))
        if dimension is None:
            return
        ref = dimension.get("ref", "A1")
        last = ref.split(":")[-1]
        try:
            row, col = parse_ref(last)
        except ValueError:
            return
        first = ref.split(":")[0]
        dimension.set("ref", f"{first}:{cell_ref(max(row, self.max_row), max(col, self.max_col))}")


def patch_input(root: etree._Element, update: InputUpdate, marks: MarkStyles) -> None:
    """Apply one InputUpdate to a worksheet tree."""
    editor = SheetEditor(root)
    header = update.header_row
    like = update.total_col - 1 if update.total_col > 0 else None
    editor.set(header, update.total_col, texts.TOTAL, like=like)
    for row, total in zip(update.rows, update.totals):
        editor.set(row, update.total_col, total, like=like)
    if update.rank_col is not None and update.ranks is not None:
        editor.set(header, update.rank_col, texts.RANK, like=update.total_col)
        for row, rank in zip(update.rows, update.ranks):
            editor.set(row, update.rank_col, rank, like=update.total_col)
    for col in update.clear_cols:
        editor.set(header, col, None)
        for row in update.rows:
            editor.set(row, col, None)
    editor.set(header + 1, update.legend_col, texts.LEGEND_BEST, style=marks.best_legend)
    editor.set(header + 2, update.legend_col, texts.LEGEND_WORST, style=marks.worst_legend)
    editor.fix_dimension()
    replace_marks(root, update, marks)


def _is_ours(element: etree._Element, dxfs: set[str]) -> bool:
    rules = element.findall(q("cfRule"))
    return bool(rules) and all(
        rule.get("type") == "expression" and rule.get("dxfId") in dxfs and rule.findtext(q("formula")) == MARK_FORMULA
        for rule in rules
    )


def replace_marks(root: etree._Element, update: InputUpdate, marks: MarkStyles) -> None:
    """Remove the previous run's highlight and add this run's, one rule per kind."""
    dxfs = {str(marks.best_dxf), str(marks.worst_dxf)}
    for element in root.findall(q("conditionalFormatting")):
        if _is_ours(element, dxfs):
            root.remove(element)
    priorities = [int(rule.get("priority", "0")) for rule in root.iter(q("cfRule"))]
    priority = max(priorities, default=0)
    first, last = column_letter(update.first_col), column_letter(update.last_col)
    for rows, dxf in ((update.best_rows, marks.best_dxf), (update.worst_rows, marks.worst_dxf)):
        if not rows:
            continue
        priority += 1
        sqref = " ".join(f"{first}{a + 1}:{last}{b + 1}" for a, b in _runs(rows))
        element = fragment(
            f'<conditionalFormatting sqref="{sqref}"><cfRule type="expression" dxfId="{dxf}" '
            f'priority="{priority}"><formula>{MARK_FORMULA}</formula></cfRule></conditionalFormatting>'
        )
        insert_in_order(root, element, WORKSHEET_ORDER)


def _runs(rows: tuple[int, ...]) -> list[tuple[int, int]]:
    """Consecutive row numbers grouped: (2, 3, 4, 9) -> [(2, 4), (9, 9)]."""
    runs: list[tuple[int, int]] = []
    for row in sorted(rows):
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs

