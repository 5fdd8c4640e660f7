"""An .xlsx/.xlsm file as a zip of parts: open with checks a clerk understands, save atomically.

Parts that pygk does not change are copied byte for byte (macros, ribbon, the clerk's
own sheets), so nothing pygk does not know about is ever lost.
"""

from __future__ import annotations

import os
import posixpath
import zipfile
from pathlib import Path

from lxml import etree

from pygk import texts
from pygk.errors import Problem, TemplateError
from pygk.files import atomic_file, os_failure

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
COMPRESS_LEVEL = 1  # every part compressed alike, so an unchanged run writes the same bytes

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_WORKSHEET = NS_R + "/worksheet"
REL_OFFICE_DOCUMENT = NS_R + "/officeDocument"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

_PARSER = etree.XMLParser(remove_blank_text=False, resolve_entities=False, huge_tree=True)


def fail(path: Path, message: str) -> TemplateError:
    """A TemplateError about the file itself."""
    return TemplateError([Problem(message, path=str(path))])


def lock_files(path: Path) -> tuple[Path, ...]:
    """Lock files kept beside an open workbook: Excel and WPS '~$name', LibreOffice '.~lock.name#'."""
    return path.with_name("~$" + path.name), path.with_name(".~lock." + path.name + "#")


def check_unlocked(path: Path) -> None:
    """Refuse a workbook that Excel, WPS or LibreOffice has open."""
    for lock in lock_files(path):
        if os.path.lexists(lock):  # False, not an error, for a lock name past the length limit (none can exist)
            raise fail(path, texts.MSG_LOCKED.format(lock=lock.name))


def parse_xml(data: bytes) -> etree._Element:
    """An XML part parsed without resolving entities."""
    return etree.fromstring(data, _PARSER)


def serialise(root: etree._Element) -> bytes:
    """An XML part as Excel writes it: UTF-8 with a standalone declaration."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


class Package:
    """The parts of one workbook file; changes are held in memory until `save`."""

    def __init__(self, path: Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise fail(self.path, texts.MSG_NOT_FOUND)
        with open(self.path, "rb") as handle:
            head = handle.read(8)
        if head == OLE_MAGIC:
            raise fail(self.path, texts.MSG_ENCRYPTED if _is_encrypted(self.path) else texts.MSG_OLD_XLS)
        try:
            self._zip = zipfile.ZipFile(self.path)
            self._infos = {info.filename: info for info in self._zip.infolist()}
        except (zipfile.BadZipFile, OSError):
            raise fail(self.path, texts.MSG_NOT_WORKBOOK) from None
        if "[Content_Types].xml" not in self._infos or "xl/workbook.xml" not in self._infos:
            raise fail(self.path, texts.MSG_NOT_WORKBOOK)
        self._changed: dict[str, bytes] = {}
        self._removed: set[str] = set()
        self._xml: dict[str, etree._Element] = {}

    # --- reading -------------------------------------------------------------
    def names(self) -> list[str]:
        """Names of all parts, in file order, new ones last."""
        kept = [n for n in self._infos if n not in self._removed]
        return kept + [n for n in self._changed if n not in self._infos]

    def has(self, name: str) -> bool:
        """True when the part exists (and was not removed)."""
        return name not in self._removed and (name in self._changed or name in self._infos)

    def read(self, name: str) -> bytes:
        """The bytes of a part."""
        if name in self._xml and name in self._changed:
            return serialise(self._xml[name])
        if name in self._changed:
            return self._changed[name]
        try:
            return self._zip.read(name)
        except (KeyError, zipfile.BadZipFile, OSError, EOFError) as error:
            raise fail(self.path, texts.MSG_BROKEN.format(detail=f"{name}: {error}")) from None

    def xml(self, name: str) -> etree._Element:
        """A part's parsed XML, cached; edits to it are saved with `touch`."""
        if name not in self._xml:
            try:
                self._xml[name] = parse_xml(self.read(name))
            except etree.XMLSyntaxError as error:
                raise fail(self.path, texts.MSG_BROKEN.format(detail=f"{name}: {error}")) from None
        return self._xml[name]

    # --- changing --------------------------------------------------------------
    def write(self, name: str, data: bytes) -> None:
        """Add or replace a part."""
        self._removed.discard(name)
        self._xml.pop(name, None)
        self._changed[name] = data

    def touch(self, name: str) -> None:
        """Mark a part whose parsed XML was edited in place; it is serialised at save time."""
        self.xml(name)
        self._changed[name] = b""

    def remove(self, name: str) -> None:
        """Delete a part."""
        self._removed.add(name)
        self._changed.pop(name, None)
        self._xml.pop(name, None)

    def close(self) -> None:
        """Release the source file."""
        self._zip.close()

    def verify(self) -> None:
        """Parse every XML part pygk changed; an editing bug becomes a refusal, never a corrupt workbook.

        The parser builds no tree (a target with no callbacks), so a 100,000-row sheet costs
        a libxml2 pass and no memory.
        """
        for name in self._changed:
            if name in self._removed or not (name.endswith((".xml", ".rels")) or name == "[Content_Types].xml"):
                continue
            parser = etree.XMLParser(target=_WellFormed(), huge_tree=True, resolve_entities=False, no_network=True)
            try:
                etree.fromstring(self.read(name), parser)
            except etree.XMLSyntaxError as error:
                raise fail(self.path, texts.MSG_BROKEN.format(detail=f"{name}: {error}")) from None

    def save(self, target: Path, replace: bool = True) -> None:
        """Write all parts to `target` atomically: a temporary file beside it, then a rename.

        With `replace` False an existing `target` is never overwritten.
        """
        target = Path(target)
        try:
            with atomic_file(target, replace=replace) as raw, zipfile.ZipFile(raw, "w") as out:
                for name in self.names():
                    self._copy(out, name)
        except OSError as error:
            raise os_failure(target, error, texts.MSG_CANNOT_WRITE_CAUSE) from None

    def _copy(self, out: zipfile.ZipFile, name: str) -> None:
        info = self._infos.get(name)
        if name in self._xml and name in self._changed:
            data = serialise(self._xml[name])
        else:
            data = self._changed[name] if name in self._changed else self.read(name)
        new = _clone(info) if info is not None else zipfile.ZipInfo(name, FIXED_TIME)
        new.compress_type = zipfile.ZIP_DEFLATED
        out.writestr(new, data, compresslevel=COMPRESS_LEVEL)


class _WellFormed:
    """A parser target that keeps nothing: parsing with it only checks that the XML is well formed."""

    def close(self) -> None:
        return None


def _clone(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    new = zipfile.ZipInfo(info.filename, info.date_time)
    new.compress_type = info.compress_type
    new.external_attr = info.external_attr
    return new


def _is_encrypted(path: Path) -> bool:
    """An OLE file holding an encrypted OOXML package (a workbook with an open password)."""
    with open(path, "rb") as handle:
        data = handle.read()
    return "EncryptedPackage".encode("utf-16-le") in data


# --- relationships and content types -------------------------------------------
def set_content_type(package: Package, part: str, content_type: str | None) -> None:
    """Set (or, with None, remove) the content type override of a part."""
    types = package.xml("[Content_Types].xml")
    name = "/" + part.lstrip("/")
    for override in list(types):
        if override.tag == f"{{{NS_CT}}}Override" and override.get("PartName") == name:
            types.remove(override)
    if content_type is not None:
        override = etree.SubElement(types, f"{{{NS_CT}}}Override")
        override.set("PartName", name)
        override.set("ContentType", content_type)
    overrides = sorted((e for e in types if e.tag == f"{{{NS_CT}}}Override"), key=lambda e: e.get("PartName"))
    for override in overrides:  # one canonical order, so removing and re-adding a part changes no byte
        types.append(override)
    package.touch("[Content_Types].xml")


def rels_name(part: str) -> str:
    """The relationships part of a part: xl/workbook.xml -> xl/_rels/workbook.xml.rels."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def resolve(source: str, target: str) -> str:
    """A relationship target as a part name, relative to the source part's folder."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
