"""Test helpers that change a workbook file at the part level, as Excel or a hostile file would have it."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def parts(path: Path) -> dict[str, bytes]:
    """Every part of a package, by name, in file order."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def owned_names(path: Path) -> dict[tuple[str | None, str], str]:
    """pygk's defined names in a workbook file: (sheet or None, name) -> formula."""
    root = etree.fromstring(parts(path)["xl/workbook.xml"])
    sheets = [s.get("name") for s in root.iter(q("sheet"))]
    found = {}
    for defined in root.iter(q("definedName")):
        if defined.get("name", "").startswith("_pygk."):
            local = defined.get("localSheetId")
            found[(sheets[int(local)] if local is not None else None, defined.get("name"))] = defined.text
    return found


def write_parts(path: Path, contents: dict[str, bytes]) -> None:
    """A package with exactly these parts, in this order."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in contents.items():
            out.writestr(name, data)


def edit(path: Path, part: str, change: Callable[[bytes], bytes]) -> None:
    """Replace one part's bytes with `change(bytes)`."""
    contents = parts(path)
    contents[part] = change(contents[part])
    write_parts(path, contents)


def edit_xml(path: Path, part: str, change: Callable[[etree._Element], None]) -> None:
    """Edit one XML part as a tree."""

    def apply(data: bytes) -> bytes:
        root = etree.fromstring(data)
        change(root)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    edit(path, part, apply)


def sheet_part(path: Path, sheet: str) -> str:
    """The part name of a worksheet, found through the workbook's relationships."""
    contents = parts(path)
    workbook = etree.fromstring(contents["xl/workbook.xml"])
    rels = etree.fromstring(contents["xl/_rels/workbook.xml.rels"])
    rid = next(s.get(f"{{{NS_R}}}id") for s in workbook.iter(q("sheet")) if s.get("name") == sheet)
    target = next(r.get("Target") for r in rels if r.get("Id") == rid)
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def set_cell(root: etree._Element, ref: str, formula: str | None = None, value: str | None = None,
             text: str | None = None) -> None:  # fmt: skip
    """Make a cell of a worksheet tree hold a formula and/or a cached number, or text (row created when missing)."""
    import re

    letters, digits = re.match(r"([A-Z]+)(\d+)", ref).groups()
    data = root.find(q("sheetData"))
    row = next((r for r in data if r.get("r") == digits), None)
    if row is None:
        row = etree.SubElement(data, q("row"), r=digits)
        rows = sorted(data, key=lambda r: int(r.get("r")))
        data[:] = rows
    cell = next((c for c in row if c.get("r") == ref), None)
    if cell is None:
        cell = etree.SubElement(row, q("c"), r=ref)
        row[:] = sorted(row, key=lambda c: (len(c.get("r").rstrip("0123456789")), c.get("r").rstrip("0123456789")))
    for child in list(cell):
        cell.remove(child)
    cell.attrib.pop("t", None)
    row.attrib.pop("spans", None)
    if formula is not None:
        etree.SubElement(cell, q("f")).text = formula
    if value is not None:
        etree.SubElement(cell, q("v")).text = value
    if text is not None:
        cell.set("t", "inlineStr")
        etree.SubElement(etree.SubElement(cell, q("is")), q("t")).text = text
