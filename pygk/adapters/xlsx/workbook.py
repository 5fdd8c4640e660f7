"""The workbook part: which sheets exist, where their XML lives, defined names; add and remove sheets."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from lxml import etree

from pygk.adapters.xlsx.package import (
    CT_WORKSHEET,
    NS_PKG_REL,
    NS_R,
    REL_WORKSHEET,
    Package,
    fail,
    rels_name,
    resolve,
    set_content_type,
)  # fmt: skip
from pygk.adapters.xlsx.styles import STYLES_PART
from pygk.adapters.xlsx.xmlutil import child, q, quote_sheet
from pygk.core import texts
from pygk.core.errors import Problem, TemplateError

WORKBOOK_ORDER = (
    "fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews", "sheets", "functionGroups",
    "externalReferences", "definedNames", "calcPr", "oleSize", "customWorkbookViews", "pivotCaches",
    "smartTagPr", "smartTagTypes", "webPublishing", "fileRecoveryPr", "webPublishObjects", "extLst",
)  # fmt: skip
PRINT_TITLES = "_xlnm.Print_Titles"
PRINT_AREA = "_xlnm.Print_Area"
CALC_CHAIN = "xl/calcChain.xml"
REL_STYLES = NS_R + "/styles"
REL_CALC_CHAIN = NS_R + "/calcChain"


@dataclass
class SheetRef:
    """A sheet as listed in the workbook: its name, XML part and <sheet> element."""

    name: str
    part: str
    element: etree._Element


class Workbook:
    """Sheets and defined names of a package; call `finish` after adding or removing sheets."""

    def __init__(self, package: Package):
        self.package = package
        self.part = self._workbook_part()
        self.root = package.xml(self.part)
        self.rels = package.xml(rels_name(self.part))
        targets = {rel.get("Id"): rel for rel in self.rels}
        self.sheets: list[SheetRef] = []
        for element in self.root.find(q("sheets")):
            rel = targets.get(element.get(q("id", NS_R)))
            if rel is not None and rel.get("Type") == REL_WORKSHEET:
                self.sheets.append(SheetRef(element.get("name"), resolve(self.part, rel.get("Target")), element))
        self._original = list(self.root.find(q("sheets")))
        self._check_name_scopes()
        self._local: dict[tuple[str, str], str | None] = {}
        self._hidden: set[tuple[str | None, str]] = set()
        self._global: dict[str, str | None] = {}

    def _workbook_part(self) -> str:
        """The workbook part the package's officeDocument relationship names, checked before it is used.

        Its root must be a <workbook> with <sheets>, each sheet named and related; parts
        pygk edits at a fixed name (styles, calculation chain) must be where it edits them.
        """
        part = self.package.main_part
        path = self.package.path
        root = self.package.xml(part)
        sheets = root.find(q("sheets"))
        if root.tag != q("workbook") or sheets is None:
            raise fail(path, texts.MSG_WORKBOOK_PART_BAD.format(part=part))
        for element in sheets:
            if element.tag == q("sheet") and not (element.get("name") and element.get(q("id", NS_R))):
                raise fail(path, texts.MSG_WORKBOOK_PART_BAD.format(part=part))
        for rel in self.package.xml(rels_name(part)):
            fixed = {REL_STYLES: STYLES_PART, REL_CALC_CHAIN: CALC_CHAIN}.get(rel.get("Type"))
            if fixed is None or rel.get("TargetMode") == "External":
                continue
            target = resolve(part, rel.get("Target") or "")
            if target != fixed:
                raise fail(path, texts.MSG_PART_PLACE.format(part=target, expected=fixed))
        return part

    def _check_name_scopes(self) -> None:
        """Refuse a defined name scoped to a sheet that does not exist (Excel would drop it when repairing)."""
        names = self.root.find(q("definedNames"))
        for defined in names if names is not None else ():
            local = defined.get("localSheetId")
            if local is not None and not (local.isdigit() and int(local) < len(self._original)):
                raise TemplateError([Problem(texts.MSG_NAME_SCOPE.format(name=defined.get("name") or "", scope=local))])

    def all_sheet_names(self) -> list[str]:
        """Names of every sheet in the workbook, worksheets or not, in tab order."""
        return [element.get("name") for element in self.root.find(q("sheets"))]

    def defined_names(self) -> list[tuple[str | None, str, str]]:
        """(sheet or None for workbook-wide, name, formula) of every defined name, as the file had them."""
        names = self.root.find(q("definedNames"))
        found = []
        for defined in names if names is not None else ():
            local = defined.get("localSheetId")
            sheet = None
            if local is not None:
                index = int(local) if local.isdigit() else -1
                if not 0 <= index < len(self._original):
                    continue
                sheet = self._original[index].get("name")
            found.append((sheet, defined.get("name") or "", defined.text or ""))
        return found

    def set_name(self, sheet: str | None, name: str, formula: str | None, hidden: bool = True) -> None:
        """Set (or, with None, remove) a defined name, local to `sheet` or workbook-wide; written by `finish`."""
        if sheet is None:
            self._global[name] = formula
        else:
            self._local[(sheet, name)] = formula
        if hidden:
            self._hidden.add((sheet, name))

    def set_full_calc_on_load(self) -> None:
        """Ask Excel and LibreOffice to recalculate every formula when the workbook is opened."""
        child(self.root, "calcPr", WORKBOOK_ORDER).set("fullCalcOnLoad", "1")

    def sheet(self, name: str) -> SheetRef | None:
        """The sheet of that name (worksheets only), or None."""
        return next((s for s in self.sheets if s.name == name), None)

    def require(self, name: str) -> SheetRef:
        """The sheet of that name, which the caller knows exists."""
        ref = self.sheet(name)
        if ref is None:
            raise KeyError(name)
        return ref

    def _element(self, name: str) -> etree._Element:
        return self.require(name).element

    def add_sheet(self, name: str) -> SheetRef:
        """A new empty worksheet appended after the last sheet; its XML is yours to write."""
        existing = {p.casefold() for p in self.package.names()}
        number = 1
        while (
            f"xl/worksheets/sheet{number}.xml" in existing or rels_name(f"xl/worksheets/sheet{number}.xml") in existing
        ):
            number += 1
        part = f"xl/worksheets/sheet{number}.xml"
        rel_ids = {rel.get("Id") for rel in self.rels}
        rid = next(f"rId{n}" for n in range(1, len(rel_ids) + 2) if f"rId{n}" not in rel_ids)
        rel = etree.SubElement(self.rels, q("Relationship", NS_PKG_REL))
        rel.set("Id", rid)
        rel.set("Type", REL_WORKSHEET)
        rel.set("Target", posixpath.relpath(part, posixpath.dirname(self.part)))
        sheets = self.root.find(q("sheets"))
        sheet_id = max((int(s.get("sheetId")) for s in sheets), default=0) + 1
        element = etree.SubElement(sheets, q("sheet"))
        element.set("name", name)
        element.set("sheetId", str(sheet_id))
        element.set(q("id", NS_R), rid)
        set_content_type(self.package, part, CT_WORKSHEET)
        ref = SheetRef(name, part, element)
        self.sheets.append(ref)
        return ref

    def remove_sheet(self, name: str) -> None:
        """Delete a worksheet, its relationships part and its content type."""
        ref = self.sheet(name)
        if ref is None:
            return
        rid = ref.element.get(q("id", NS_R))
        ref.element.getparent().remove(ref.element)
        for rel in list(self.rels):
            if rel.get("Id") == rid:
                self.rels.remove(rel)
        self.package.remove(ref.part)
        if self.package.has(rels_name(ref.part)):
            self.package.remove(rels_name(ref.part))
        set_content_type(self.package, ref.part, None)
        self.sheets.remove(ref)

    def set_print_titles(self, name: str, first_row: int, last_row: int) -> None:
        """Rows (0-based) that repeat at the top of every printed page of a sheet."""
        self._local[(name, PRINT_TITLES)] = f"{quote_sheet(name)}!${first_row + 1}:${last_row + 1}"

    def set_print_area(self, name: str, reference: str) -> None:
        """The printed range of a sheet, e.g. '$A$1:$J$40'."""
        self._local[(name, PRINT_AREA)] = f"{quote_sheet(name)}!{reference}"

    def drop_calc_chain(self) -> None:
        """Remove the formula calculation chain; Excel rebuilds it, and stale entries would break the file."""
        for rel in list(self.rels):
            if resolve(self.part, rel.get("Target")) == CALC_CHAIN:
                self.rels.remove(rel)
        if self.package.has(CALC_CHAIN):
            self.package.remove(CALC_CHAIN)
            set_content_type(self.package, CALC_CHAIN, None)

    def finish(self) -> None:
        """Renumber sheet-local defined names after sheets moved, set print titles, keep the active tab valid."""
        elements = list(self.root.find(q("sheets")))
        position = {id(e): i for i, e in enumerate(elements)}
        replaced = {(position[id(self._element(sheet))], name.casefold()) for sheet, name in self._local}
        names = child(self.root, "definedNames", WORKBOOK_ORDER)
        for defined in list(names):
            local_id = defined.get("localSheetId")
            if local_id is None:
                continue
            if not local_id.isdigit():  # a damaged scope: not pygk's to repair, left as it was
                continue
            old = int(local_id)
            element = self._original[old] if old < len(self._original) else None
            new = position.get(id(element)) if element is not None else None
            if new is None or (new, (defined.get("name") or "").casefold()) in replaced:
                names.remove(defined)
            else:
                defined.set("localSheetId", str(new))
        replaced_global = {name.casefold() for name in self._global}
        for defined in list(names):
            if defined.get("localSheetId") is None and (defined.get("name") or "").casefold() in replaced_global:
                names.remove(defined)
        for (sheet, name), reference in self._local.items():
            if reference is None:
                continue
            defined = etree.SubElement(names, q("definedName"))
            defined.set("name", name)
            defined.set("localSheetId", str(position[id(self._element(sheet))]))
            if (sheet, name) in self._hidden:
                defined.set("hidden", "1")
            defined.text = reference
        for name, reference in self._global.items():
            if reference is None:
                continue
            defined = etree.SubElement(names, q("definedName"))
            defined.set("name", name)
            if (None, name) in self._hidden:
                defined.set("hidden", "1")
            defined.text = reference
        if len(names) == 0:
            self.root.remove(names)
        for view in self.root.iter(q("workbookView")):
            for attribute in ("activeTab", "firstSheet"):
                value = view.get(attribute, "0")
                if not value.isdigit() or int(value) >= len(elements):  # a damaged or stale tab index
                    view.set(attribute, "0")
        self.package.touch(self.part)
        self.package.touch(rels_name(self.part))
        self.package.touch("[Content_Types].xml")
