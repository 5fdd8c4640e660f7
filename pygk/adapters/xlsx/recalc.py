"""The clerk's formulas that read what pygk changed lose their stale cached results, so every program recomputes them.

Excel recalculates the whole workbook on open when asked to (calcPr fullCalcOnLoad), but
LibreOffice and WPS by default show the results cached in the file. A formula whose
references (direct, through defined names, or as a shared formula's dependent) touch a
cell pygk wrote keeps its formula and loses its cached value: every program must then
compute it on open. Formulas that read nothing pygk changed keep their values, so a
clerk's computed scores read the same on the next run.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from io import BytesIO

from lxml import etree

from pygk.adapters.xlsx.read import has_formulas
from pygk.adapters.xlsx.sheet_edit import EditError, rewrite_rows
from pygk.adapters.xlsx.xmlutil import q
from pygk.core.cells import MAX_COLS, MAX_ROWS, column_index
from pygk.core.ownership import Region, sheet_key

Changed = Mapping[str, Region | None]  # sheet key -> cells pygk changed (None: the whole sheet)
_CELL, _F, _V = q("c"), q("f"), q("v")
_REF = re.compile(r"^\$?([A-Za-z]{1,3})?\$?([0-9]{1,7})?$")


def _rect(reference: str) -> tuple[int, int, int, int] | None:
    """(r1, c1, r2, c2) of A1, A1:B2, G:G or 2:3 (absolute or not); None if it is not a reference."""
    ends = reference.split(":")
    if not 1 <= len(ends) <= 2:
        return None
    points = []
    for end in ends:
        match = _REF.match(end)
        if match is None or not (match.group(1) or match.group(2)):
            return None
        points.append(match.groups())
    if len(points) == 1 and not (points[0][0] and points[0][1]):
        return None  # "zf" or "12" alone is a name or a number, not a reference
    (c1, r1), (c2, r2) = points[0], points[-1]
    if (c1 is None) != (c2 is None) or (r1 is None) != (r2 is None):
        return None
    cols = (0, MAX_COLS - 1) if c1 is None else sorted((column_index(c1.upper()), column_index(c2.upper())))
    rows = (0, MAX_ROWS - 1) if r1 is None else sorted((int(r1) - 1, int(r2) - 1))
    return rows[0], cols[0], rows[1], cols[1]


class StaleCheck:
    """Which formulas read cells pygk changed (answers kept per formula: shared texts repeat)."""

    def __init__(self, changed: Changed, names: Mapping[tuple[str | None, str], str],
                 tables: Mapping[str, tuple[str, tuple[int, int, int, int]]] | None = None):  # fmt: skip
        self.changed = changed
        self.names = {(s and sheet_key(s), n.casefold()): f for (s, n), f in names.items()}
        self.tables = {name.casefold(): where for name, where in (tables or {}).items()}
        self._seen: set[str] = set()
        self._answers: dict[tuple[str, str, bool], bool] = {}

    def stale(self, formula: str, sheet: str, whole_sheets: bool = False) -> bool:
        """True when the formula (on `sheet`) reads a changed cell (`whole_sheets`: any cell of a changed sheet)."""
        key = (formula, sheet, whole_sheets)
        if key not in self._answers:
            self._answers[key] = self._stale(formula, sheet, whole_sheets)
        return self._answers[key]

    def _stale(self, formula: str, sheet: str, whole: bool) -> bool:
        from openpyxl.formula.tokenizer import Tokenizer

        try:
            tokens = Tokenizer("=" + formula.lstrip("=")).items
        except Exception:  # noqa: BLE001 - an unparseable formula is recomputed, to be safe
            return True
        return any(
            token.type == "OPERAND" and token.subtype == "RANGE" and self._reads_changed(token.value, sheet, whole)
            for token in tokens
        )

    def _reads_changed(self, operand: str, sheet: str, whole: bool) -> bool:
        if "[" in operand and not operand.startswith("["):  # a structured reference: 得分表[总分]
            table = self.tables.get(operand.split("[", 1)[0].strip().casefold())
            return table is not None and self._touches(table[0], table[1], whole)
        if operand.startswith("[@") or operand.startswith("[#"):  # this row of the formula's own table
            return self._touches(sheet, (0, 0, MAX_ROWS - 1, MAX_COLS - 1), whole)
        target, bang, reference = operand.rpartition("!")
        if bang:
            target = target.strip("'").replace("''", "'")
            if target.startswith("["):  # another workbook
                return False
        else:
            target = sheet
        rect = _rect(reference)
        if rect is None:
            return self._name_reads_changed(reference, target if bang else None, sheet, whole)
        return self._touches(target, rect, whole)

    def _touches(self, sheet: str, rect: tuple[int, int, int, int], whole: bool) -> bool:
        """True when the rectangle on `sheet` meets a cell pygk changed (`whole`: any cell of a changed sheet)."""
        if sheet_key(sheet) not in self.changed:
            return False
        region = self.changed[sheet_key(sheet)]
        if region is None or whole:
            return True
        r1, c1, r2, c2 = rect
        return any(a <= r2 and r1 <= b and c <= c2 and c1 <= d for a, c, b, d in region.rects)

    def _name_reads_changed(self, name: str, scope: str | None, sheet: str, whole: bool) -> bool:
        key = name.casefold()
        formula = self.names.get((sheet_key(scope or sheet), key)) or self.names.get((None, key))
        if formula is None or key in self._seen:  # a name defined through itself reads nothing more
            return False
        self._seen.add(key)
        try:
            return self._stale(formula, scope or sheet, whole)
        finally:
            self._seen.discard(key)


def _any_stale(data: bytes, sheet: str, check: StaleCheck) -> bool:
    """A streaming first look: does any formula with text in the part read a changed cell?"""
    for _, formula in etree.iterparse(BytesIO(data), events=("end",), tag=_F, huge_tree=True, resolve_entities=False,
                                      no_network=True):  # fmt: skip
        if formula.text and check.stale(formula.text, sheet):
            return True
        formula.clear()
    return False


def drop_stale_results(data: bytes, sheet: str, check: StaleCheck) -> bytes | None:
    """The worksheet part with stale cached formula results removed; None when nothing is stale.

    Written by the same row editor as every other change to the sheet, so a rerun (where
    nothing is stale any more) gives the same bytes.
    """
    if not has_formulas(data):
        return None
    try:
        if not _any_stale(data, sheet, check):
            return None
    except etree.XMLSyntaxError as error:
        raise EditError(str(error)) from None
    stale_shared: set[str] = set()

    def visit(row: etree._Element, index: int) -> bool:
        changed = False
        for cell in row.iter(_CELL):
            formula = cell.find(_F)
            if formula is None:
                continue
            if formula.get("t") == "shared":
                if formula.get("ref"):  # the master: its dependents read shifted cells, so any cell of the sheet counts
                    if check.stale(formula.text or "", sheet, whole_sheets=True):
                        stale_shared.add(formula.get("si") or "")
                is_stale = formula.get("si") in stale_shared
            else:
                is_stale = check.stale(formula.text or "", sheet)
            value = cell.find(_V)
            if is_stale and value is not None:
                cell.remove(value)
                cell.attrib.pop("t", None)
                changed = True
        return changed

    return rewrite_rows(data, visit)


def formulas_reading(data: bytes, sheet: str, check: StaleCheck, limit: int = 12) -> list[str]:
    """References (A1) of the cells in a worksheet part whose formulas read what `check` calls changed."""
    if not has_formulas(data):
        return []
    found: list[str] = []
    try:
        for _, cell in etree.iterparse(BytesIO(data), events=("end",), tag=_CELL, huge_tree=True,
                                       resolve_entities=False, no_network=True):  # fmt: skip
            formula = cell.find(_F)
            if formula is not None and formula.text and check.stale(formula.text, sheet):
                found.append(cell.get("r") or "?")
                if len(found) >= limit:
                    break
            cell.clear()
    except etree.XMLSyntaxError as error:
        raise EditError(str(error)) from None
    return found


_VALIDATION = (q("formula1"), q("formula2"))
_CF_FORMULA, _HYPERLINK = q("formula"), q("hyperlink")
_CHART_FORMULA = "{http://schemas.openxmlformats.org/drawingml/2006/chart}f"


def other_references(data: bytes, sheet: str, check: StaleCheck) -> list[str]:
    """Where a worksheet's data validations, conditional formats and hyperlinks read what `check` calls changed."""
    found: list[str] = []
    tags = (*_VALIDATION, _CF_FORMULA, _HYPERLINK)
    try:
        for _, element in etree.iterparse(BytesIO(data), events=("end",), tag=tags, huge_tree=True,
                                          resolve_entities=False, no_network=True):  # fmt: skip
            if element.tag == _HYPERLINK:
                location = element.get("location")
                if location and check.stale(location, sheet):
                    found.append(element.get("ref") or "?")
            elif element.text and check.stale(element.text, sheet):
                owner = element.getparent()
                while owner is not None and owner.get("sqref") is None:
                    owner = owner.getparent()
                found.append(owner.get("sqref") if owner is not None else "?")
    except etree.XMLSyntaxError as error:
        raise EditError(str(error)) from None
    return found


def chart_reads(data: bytes, check: StaleCheck) -> bool:
    """True when a chart part plots a cell that `check` calls changed."""
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    return any(f.text and check.stale(f.text, "") for f in root.iter(_CHART_FORMULA))
