"""The package kind follows the output's extension: .xlsx holds no macros, .xlsm may.

Excel refuses to open a file whose extension does not match its workbook content type, so
`pygk run book.xlsm -o out.xlsx` drops the VBA project and the ribbon (as Excel's "Save as
.xlsx" does) and `pygk run book.xlsx -o out.xlsm` only switches the content type.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from pygk.adapters.xlsx.package import NS_CT, Package, rels_name, resolve, set_content_type
from pygk.core import texts
from pygk.core.errors import Problem, TemplateError

CT_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_XLSM = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
CT_XLTX = "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml"
CT_XLTM = "application/vnd.ms-excel.template.macroEnabled.main+xml"
WORKBOOK_TYPES = {CT_XLSX: False, CT_XLSM: True, CT_XLTX: False, CT_XLTM: True}  # -> may hold macros
OUTPUT_TYPES = {".xlsx": CT_XLSX, ".xlsm": CT_XLSM}

REL_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
REL_RIBBONS = (
    "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility",
    "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility",
)
MACRO_DEFAULTS = ("application/vnd.ms-office.vbaProject", "application/vnd.ms-office.vbaProjectSignature")
MACRO_SHEETS = ("application/vnd.ms-excel.macrosheet+xml", "application/vnd.ms-excel.intlmacrosheet+xml")


def check_suffix(target: Path) -> str:
    """The workbook content type an output name asks for; any name but .xlsx or .xlsm is refused."""
    suffix = target.suffix.lower()
    if suffix not in OUTPUT_TYPES:
        shown = target.suffix or texts.NO_SUFFIX
        raise TemplateError([Problem(texts.MSG_OUTPUT_SUFFIX.format(suffix=shown), path=str(target))])
    return OUTPUT_TYPES[suffix]


def match_suffix(package: Package, workbook_part: str, target: Path) -> None:
    """Make the package what the target's extension says: drop macros for .xlsx, switch the content type."""
    wanted = check_suffix(target)
    current = content_type(package, workbook_part)
    if current not in WORKBOOK_TYPES:
        kind = current or "?"
        raise TemplateError([Problem(texts.MSG_CONVERT_UNKNOWN.format(kind=kind, suffix=target.suffix),
                                     path=str(package.path))])  # fmt: skip
    if current == wanted:
        return
    if not WORKBOOK_TYPES[wanted]:
        drop_macros(package, workbook_part)
    override = _override(package, workbook_part)
    if override is None:
        set_content_type(package, workbook_part, wanted)
    else:
        override.set("ContentType", wanted)
        package.touch("[Content_Types].xml")


def _override(package: Package, part: str) -> etree._Element | None:
    """The Override entry of a part (part names compare case-insensitively in OPC)."""
    name = "/" + part.lstrip("/")
    for entry in package.xml("[Content_Types].xml").iter(f"{{{NS_CT}}}Override"):
        if entry.get("PartName", "").lower() == name.lower():
            return entry
    return None


def content_type(package: Package, part: str) -> str | None:
    """A part's content type: its Override, else the Default for its extension."""
    override = _override(package, part)
    if override is not None:
        return _text(override.get("ContentType"))
    extension = part.rsplit(".", 1)[-1].lower()
    types = package.xml("[Content_Types].xml")
    for entry in types.iter(f"{{{NS_CT}}}Default"):
        if entry.get("Extension", "").lower() == extension:
            return _text(entry.get("ContentType"))
    return None


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def drop_macros(package: Package, workbook_part: str) -> None:
    """Remove the VBA project, the ribbon and what only they refer to; refuse Excel 4.0 macro sheets."""
    macro_sheets = [n for n in package.names() if content_type(package, n) in MACRO_SHEETS]
    if macro_sheets:
        sheets = "、".join(macro_sheets)
        raise TemplateError([Problem(texts.MSG_CONVERT_MACROSHEETS.format(sheets=sheets), path=str(package.path))])
    _drop_relationships(package, workbook_part, (REL_VBA,))
    _drop_relationships(package, "", REL_RIBBONS)
    types = package.xml("[Content_Types].xml")
    for entry in list(types.iter(f"{{{NS_CT}}}Default")):
        if entry.get("ContentType") in MACRO_DEFAULTS:
            types.remove(entry)
    package.touch("[Content_Types].xml")


def _drop_relationships(package: Package, source: str, kinds: tuple[str, ...]) -> None:
    """Remove `source`'s relationships of these types and the parts they point at."""
    rels = rels_name(source)
    if not package.has(rels):
        return
    root = package.xml(rels)
    for rel in list(root):
        if rel.get("Type") in kinds:
            root.remove(rel)
            if rel.get("TargetMode") != "External":
                _drop_part(package, resolve(source, rel.get("Target", "")))
    package.touch(rels)


def _drop_part(package: Package, part: str) -> None:
    """Remove a part, its relationships part and, recursively, the internal parts those point at."""
    rels = rels_name(part)
    targets = []
    if package.has(rels):
        targets = [resolve(part, r.get("Target", "")) for r in package.xml(rels) if r.get("TargetMode") != "External"]
        package.remove(rels)
    if package.has(part):
        package.remove(part)
    set_content_type(package, part, None)
    for target in targets:
        _drop_part(package, target)
