"""pygk's ownership marks in a workbook file: read them into an Ownership, write this run's.

The marks are hidden defined names (see `pygk.core.ownership`). What else a generated sheet
carries — the clerk's comments, pictures, charts or tables — is found from the sheet's
relationships, so a sheet pygk rewrites whole is never rewritten over the clerk's objects.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml import etree

from pygk.adapters.xlsx.package import NS_R, Package, rels_name, resolve
from pygk.adapters.xlsx.workbook import Workbook
from pygk.adapters.xlsx.xmlutil import quote_sheet
from pygk.core import layout, texts
from pygk.core.cells import column_index
from pygk.core.ownership import (
    BOOK_MARK,
    CELLS_MARK,
    CHART_PREFIX,
    MARK_VERSION,
    RECORD_MARK,
    RULES_MARK,
    SHEET_MARK,
    Ownership,
    Rect,
    owned_formula,
    read_marks,
    rules_formula,
    string_formula,
)
from pygk.core.placement import SheetCells
from pygk.core.record import record_formula

NS_DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
NS_CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_IGNORED = {NS_R + "/printerSettings", NS_R + "/hyperlink"}  # Excel adds these itself; nothing to lose
_KINDS = {
    NS_R + "/comments": texts.EXTRA_COMMENTS,
    "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment": texts.EXTRA_COMMENTS,
    NS_R + "/vmlDrawing": texts.EXTRA_COMMENTS,
    NS_R + "/drawing": texts.EXTRA_DRAWINGS,
    NS_R + "/table": texts.EXTRA_TABLES,
}


def read_ownership(package: Package, workbook: Workbook) -> Ownership:
    """The marks pygk left in this workbook, and the clerk's objects on each worksheet."""
    marks = read_marks(workbook.defined_names())
    worksheets = {ref.name for ref in workbook.sheets}
    others = frozenset(n for n in workbook.all_sheet_names() if n not in worksheets)
    extras = {ref.name: found for ref in workbook.sheets if (found := _extras(package, ref.part))}
    return Ownership(marks.marked, marks.sheets, marks.cells, marks.rules, extras, others, marks.records)


def _extras(package: Package, part: str) -> tuple[str, ...]:
    """Clerk-facing words for what a worksheet carries besides its cells; pygk's own charts excluded."""
    rels = rels_name(part)
    if not package.has(rels):
        return ()
    found: list[str] = []
    for rel in package.xml(rels):
        kind = rel.get("Type", "")
        if kind in _IGNORED:
            continue
        if kind == NS_R + "/drawing" and _is_pygk_drawing(package, resolve(part, rel.get("Target", ""))):
            continue
        word = _KINDS.get(kind, texts.EXTRA_OTHER)
        if word not in found:
            found.append(word)
    return tuple(found)


def _is_pygk_drawing(package: Package, part: str) -> bool:
    """A drawing holding only pygk's charts of the 趋势 sheet's data tables.

    A chart is pygk's when every series reads the 趋势 data columns (L onwards) and it
    carries pygk's chart name or one of the titles pygk gives its charts (chart names do
    not survive every program's save; titles and what a chart plots do). A clerk's own
    chart of that data, under her own title, is hers.
    """
    if not package.has(part):
        return True
    targets = {}
    if package.has(rels_name(part)):
        targets = {rel.get("Id"): resolve(part, rel.get("Target", "")) for rel in package.xml(rels_name(part))}
    for anchor in package.xml(part):
        if not isinstance(anchor.tag, str):
            continue
        chart = anchor.find(f".//{{{NS_CHART}}}chart")
        if anchor.find(f"{{{NS_DRAWING}}}graphicFrame") is None or chart is None:
            return False
        chart_part = targets.get(chart.get(f"{{{NS_R}}}id"))
        if chart_part is None or not package.has(chart_part) or not _plots_trend_data(package.xml(chart_part)):
            return False
        properties = anchor.find(f"{{{NS_DRAWING}}}graphicFrame/{{{NS_DRAWING}}}nvGraphicFramePr/{{{NS_DRAWING}}}cNvPr")
        named = properties is not None and (properties.get("name") or "").startswith(CHART_PREFIX)
        if not named and not _has_pygk_title(package.xml(chart_part)):
            return False
    return True


_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def _title_pattern() -> re.Pattern[str]:
    """pygk's chart titles: 11月区直单位总分排名 (any month and group) and 各月总分走势."""
    bar = re.escape(texts.TREND_BAR_TITLE).replace(re.escape("{month}"), r"\d{1,2}").replace(re.escape("{group}"), ".+")
    return re.compile(f"(?:{bar}|{re.escape(texts.TREND_LINE_TITLE)})")


PYGK_TITLE = _title_pattern()


def _has_pygk_title(chart: etree._Element) -> bool:
    """True when the chart's title is one pygk writes."""
    title = chart.find(f".//{{{NS_CHART}}}title")
    text = "".join(t.text or "" for t in title.iter(f"{{{_A}}}t")) if title is not None else ""
    return PYGK_TITLE.fullmatch(text) is not None


def _plots_trend_data(chart: etree._Element) -> bool:
    """True when every reference in a chart points at the 趋势 sheet's data columns."""
    formulas = [f.text or "" for f in chart.iter(f"{{{NS_CHART}}}f")]
    for formula in formulas:
        sheet, _, reference = formula.rpartition("!")
        if sheet.strip("'").replace("''", "'") != texts.TREND_SHEET:
            return False
        letters = reference.split(":")[0].replace("$", "").rstrip("0123456789")
        if not letters.isalpha() or column_index(letters.upper()) < layout.TREND_DATA_COL:
            return False
    return bool(formulas)


def mark_sheet(workbook: Workbook, sheet: str) -> None:
    """Record that pygk generated this sheet (under this name)."""
    workbook.set_name(sheet, SHEET_MARK, string_formula(sheet))


def mark_cells(workbook: Workbook, cells: SheetCells, by_row: bool = False) -> None:
    """Record the cells pygk owns on a shared sheet and what it wrote there (none: the marks are removed).

    `by_row`: one area per row.
    """
    sheet, owned = cells.sheet, cells.owned
    workbook.set_name(sheet, CELLS_MARK, owned_formula(quote_sheet(sheet), owned, by_row) if owned else None)
    workbook.set_name(sheet, RECORD_MARK, record_formula(cells.record) if owned else None)


def mark_rules(workbook: Workbook, sheet: str, rects: Sequence[Rect] | None) -> None:
    """Record where pygk's highlight rules are on a shared sheet (None: it has no highlight; no mark)."""
    workbook.set_name(sheet, RULES_MARK, None if rects is None else rules_formula(quote_sheet(sheet), rects))


def mark_book(workbook: Workbook) -> None:
    """Record that this workbook carries pygk's marks."""
    workbook.set_name(None, BOOK_MARK, string_formula(MARK_VERSION))
