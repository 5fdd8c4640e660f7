"""Cell values of worksheet parts as grids: shared strings, inline strings, numbers, cached formula results."""

from __future__ import annotations

from io import BytesIO

from lxml import etree

from pygk.cells import Uncomputed, ref_column
from pygk.xlsx.package import Package, rels_name, resolve
from pygk.xlsx.xmlutil import q

REL_SHARED_STRINGS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
_T, _R, _RPH, _SI = q("t"), q("r"), q("rPh"), q("si")
ROW, CELL = q("row"), q("c")
_V, _IS, _F = q("v"), q("is"), q("f")


def string_item(item: etree._Element) -> str:
    """Text of a shared or inline string, rich runs joined, phonetic guides left out."""
    direct = item.find(_T)
    if direct is not None:
        return direct.text or ""
    return "".join(t.text or "" for run in item.iter(_R) for t in run.iter(_T))


def shared_strings(package: Package, workbook_part: str) -> list[str]:
    """The workbook's shared string table, empty if it has none."""
    rels = package.xml(rels_name(workbook_part))
    for rel in rels:
        if rel.get("Type") == REL_SHARED_STRINGS:
            part = resolve(workbook_part, rel.get("Target"))
            if package.has(part):
                return [string_item(si) for si in package.xml(part).iter(_SI)]
    return []


def cell_value(cell: etree._Element, strings: list[str]) -> object:
    """The value shown in a cell: str, float, bool or None (errors read as their text)."""
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        inline = cell.find(_IS)
        return string_item(inline) if inline is not None else None
    value = cell.find(_V)
    if value is None or value.text is None:
        formula = cell.find(_F)
        return Uncomputed("=" + formula.text) if formula is not None and formula.text else None
    text = value.text
    if kind == "s":
        return strings[int(text)]
    if kind == "n":
        return float(text)
    if kind == "b":
        return text == "1"
    return text  # str (formula text result), e (error), d (ISO date)


def sheet_grid(data: bytes, strings: list[str]) -> list[list[object]]:
    """All values of a worksheet part as rows from A1 (0-based), None where empty.

    The XML is streamed row by row and each row freed once read, so memory stays
    proportional to the values, not to the XML tree.
    """
    grid: list[list[object]] = []
    next_row = 0
    for _, row in etree.iterparse(BytesIO(data), events=("end",), tag=ROW, huge_tree=True, resolve_entities=False):
        number = row.get("r")
        index = int(number) - 1 if number else next_row
        next_row = index + 1
        while len(grid) <= index:
            grid.append([])
        cells = grid[index]
        next_col = 0
        for cell in row.iter(CELL):
            ref = cell.get("r")
            col = ref_column(ref) if ref else next_col
            next_col = col + 1
            value = cell_value(cell, strings)
            if value is None:
                continue
            if len(cells) <= col:
                cells.extend([None] * (col + 1 - len(cells)))
            cells[col] = value
        row.clear()
        while row.getprevious() is not None:
            del row.getparent()[0]
    return grid
