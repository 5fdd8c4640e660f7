"""An .xlsx/.xlsm file as a zip of parts: open with checks a clerk understands, save atomically.

Parts that pygk does not change are copied byte for byte (macros, ribbon, the clerk's
own sheets), so nothing pygk does not know about is ever lost.
"""

from __future__ import annotations

import os
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from pygk.adapters.files import atomic_file, os_failure
from pygk.adapters.xlsx.segments import Segmented, compress, inflate
from pygk.adapters.xlsx.zipout import (
    CHUNK,
    ZipStream,
    checker,
    chunks,
    deflated,
    inflated,
    member_data,
    read_range,
    worker,
)
from pygk.core import texts
from pygk.core.errors import Problem, TemplateError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
COMPRESS_LEVEL = 1  # every part compressed alike, so an unchanged run writes the same bytes

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_WORKSHEET = NS_R + "/worksheet"
REL_OFFICE_DOCUMENT = NS_R + "/officeDocument"
REL_STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_WORKBOOKS = frozenset(
    "application/vnd." + kind
    for kind in (
        "openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "openxmlformats-officedocument.spreadsheetml.template.main+xml",
        "ms-excel.sheet.macroEnabled.main+xml",
        "ms-excel.template.macroEnabled.main+xml",
    )
)
CONTENT_TYPES = "[Content_Types].xml"
ROOT_RELS = "_rels/.rels"

# Limits checked from the zip directory before any part is inflated. pygk holds a part in
# memory while it reads or copies it, so these bound its memory whatever the file claims
# (zipfile stops at the declared size and then fails the CRC check, so a part cannot inflate
# past what the directory says). The 100,000-unit benchmark workbook's largest part is a
# 52 MB sheet compressed 8:1; sheets Excel writes compress 5-15:1. DEFLATE reaches about
# 1,000:1 on repeated bytes, which is what a bomb is made of.
MAX_PART_BYTES = 256 * 2**20  # one part, inflated
MAX_TOTAL_BYTES = 1024 * 2**20  # all parts, inflated
MAX_RATIO = 100  # inflated / compressed, for parts of more than RATIO_FLOOR_BYTES
RATIO_FLOOR_BYTES = 8 * 2**20  # smaller parts may compress as well as they like: they cost little
MAX_DIRECTORY_BYTES = 16 * 2**20  # the zip's central directory, about 200,000 entries

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
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


_DOCTYPE_MARKS = tuple("<!DOCTYPE".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))
PROLOG_BYTES = 4096


def declares_doctype(data: bytes) -> bool:
    """True when a part's first bytes hold a DOCTYPE: seen before parsing, so entity bombs never reach the parser.

    A prolog longer than PROLOG_BYTES is caught after parsing by `has_doctype`.
    """
    head = data[:PROLOG_BYTES]
    return any(mark in head for mark in _DOCTYPE_MARKS)


def has_doctype(element: etree._Element) -> bool:
    """True when the document of an element declares a DOCTYPE (never in an OOXML part)."""
    info = element.getroottree().docinfo
    return bool(info.doctype) or info.internalDTD is not None or info.externalDTD is not None


def megabytes(size: int) -> str:
    """A byte count in MB for a message: 268435457 -> '256.0'."""
    return f"{size / 2**20:.1f}"


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
        _check_directory_size(self.path)
        try:
            self._zip = zipfile.ZipFile(self.path)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error):
            raise fail(self.path, texts.MSG_NOT_WORKBOOK) from None
        self._changed: dict[str, bytes] = {}
        self._removed: set[str] = set()
        self._xml: dict[str, etree._Element] = {}
        self._segments: dict[str, Segmented] = {}
        self._packed: dict[str, Future[tuple[int, bytes]] | None] = {}  # written parts being compressed
        self._sizes: dict[str, int] = {}  # uncompressed size of each written part
        self._released: set[str] = set()  # written parts held compressed only
        self._checks: dict[str, Future[None]] = {}  # written parts being parsed (`verify` waits for them)
        try:
            check_entries(self.path, infos)
            self._infos = {info.filename: info for info in infos}
            if CONTENT_TYPES not in self._infos:
                raise fail(self.path, texts.MSG_NOT_WORKBOOK)
            self.main_part = self._find_main_part()
        except TemplateError:
            self._zip.close()
            raise

    # --- reading -------------------------------------------------------------
    def names(self) -> list[str]:
        """Names of all parts, in file order, new ones last."""
        kept = [n for n in self._infos if n not in self._removed]
        return kept + [n for n in self._changed if n not in self._infos]

    def has(self, name: str) -> bool:
        """True when the part exists (and was not removed)."""
        return name not in self._removed and (name in self._changed or name in self._infos)

    def read(self, name: str) -> bytes:
        """The bytes of a part; TemplateError naming it when it is missing or its data is corrupt."""
        if name in self._segments:
            return self._joined(self._segments[name])
        if name in self._xml and name in self._changed:
            return serialise(self._xml[name])
        if name in self._released:
            return zlib.decompress(self._compressed(name), -15)
        if name in self._changed:
            return self._changed[name]
        if name not in self._infos or name in self._removed:
            raise fail(self.path, texts.MSG_PART_MISSING.format(part=name))
        try:
            return self._zip.read(name)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError):
            # bad CRC, truncated or garbled data, an unknown compression method, an encrypted member
            raise fail(self.path, texts.MSG_PART_CORRUPT.format(part=name)) from None

    def size(self, name: str) -> int:
        """A part's uncompressed size: from the zip directory for a part as the file holds it, else as written."""
        if name in self._changed or name in self._removed:
            return self._sizes.get(name, 0)
        info = self._infos.get(name)
        return info.file_size if info is not None else 0

    def member(self, name: str) -> zipfile.ZipInfo | None:
        """The source file's zip entry of a part not changed in memory, else None."""
        if name in self._changed or name in self._removed:
            return None
        return self._infos.get(name)

    def data_offset(self, name: str) -> int:
        """Where the compressed bytes of an unchanged part start in the source file; zlib.error if unreadable."""
        info = self._infos[name]
        with open(self.path, "rb") as handle:
            handle.seek(info.header_offset)
            header = handle.read(30)
        if len(header) != 30 or header[:4] != b"PK\x03\x04":
            raise zlib.error("bad local header")
        name_length, extra_length = struct.unpack_from("<HH", header, 26)
        return int(info.header_offset) + 30 + int(name_length) + int(extra_length)

    def source_bytes(self, offset: int, length: int) -> bytes:
        """Raw bytes of the source file (compressed data of its parts); zlib.error past its end."""
        with open(self.path, "rb") as handle:
            return b"".join(read_range(handle, offset, length))

    def _joined(self, segmented: Segmented) -> bytes:
        """A segmented part's uncompressed bytes, every piece inflated (kept ones from the source file)."""
        with open(self.path, "rb") as handle:
            return b"".join(inflate(handle, p.offset or 0, p.length) if p.data is None else zlib.decompress(p.data, -15)
                            for p in segmented.pieces)  # fmt: skip

    def xml(self, name: str) -> etree._Element:
        """A part's parsed XML, cached; edits to it are saved with `touch`.

        Malformed XML and a DOCTYPE (entity bombs, external entities: never expanded or
        fetched, and never part of an OOXML package) are refused naming the part.
        """
        if name not in self._xml:
            data = self.read(name)
            if declares_doctype(data):
                raise fail(self.path, texts.MSG_PART_DOCTYPE.format(part=name))
            try:
                root = parse_xml(data)
            except etree.XMLSyntaxError as error:
                line, column = error.position
                raise fail(self.path, texts.MSG_PART_MALFORMED.format(part=name, line=line, column=column)) from None
            if has_doctype(root):
                raise fail(self.path, texts.MSG_PART_DOCTYPE.format(part=name))
            self._xml[name] = root
        return self._xml[name]

    def _find_main_part(self) -> str:
        """The workbook part, found as OPC says: the officeDocument relationship of the package."""
        if ROOT_RELS not in self._infos:
            raise fail(self.path, texts.MSG_NO_MAIN_PART)
        targets = [
            (rel.get("Type"), rel.get("Target"), rel.get("TargetMode"))
            for rel in self.xml(ROOT_RELS)
            if rel.tag == f"{{{NS_PKG_REL}}}Relationship"
        ]
        found = [(t, m) for kind, t, m in targets if kind == REL_OFFICE_DOCUMENT and t]
        if not found:
            if any(kind == REL_STRICT_OFFICE_DOCUMENT for kind, _, _ in targets):
                raise fail(self.path, texts.MSG_STRICT)
            raise fail(self.path, texts.MSG_NO_MAIN_PART)
        target, mode = found[0]
        if mode == "External":
            raise fail(self.path, texts.MSG_NO_MAIN_PART)
        part = resolve("", target)
        if part not in self._infos:
            raise fail(self.path, texts.MSG_PART_MISSING.format(part=part))
        content_type = content_type_of(self, part)
        if content_type not in CT_WORKBOOKS:
            raise fail(
                self.path,
                texts.MSG_MAIN_NOT_SPREADSHEET.format(part=part, content_type=content_type or texts.NO_CONTENT_TYPE),
            )
        return part

    # --- changing --------------------------------------------------------------
    def write(self, name: str, data: bytes) -> None:
        """Add or replace a part: compressed on a worker thread and, if XML, parsed from that on another.

        zlib and libxml2 run outside the GIL, so both overlap the rest of the run; `save` waits for
        the parse (`verify`) before it writes anything, and what was parsed is what the file will hold.
        Once compressed, a part is held compressed only (read inflates it again), so memory holds the
        parts pygk made as the file will, not as text.
        """
        if is_xml_part(name) and not data:
            raise fail(self.path, texts.MSG_OWN_OUTPUT_BROKEN.format(part=name))
        self._release_compressed()
        self._forget(name)
        self._changed[name] = data
        self._sizes[name] = len(data)
        packed = self._packed[name] = worker().submit(deflated, data, COMPRESS_LEVEL) if data else None
        if packed is not None and is_xml_part(name):
            self._checks[name] = checker().submit(self._check_packed, name, packed)

    def write_chunks(self, name: str, chunks: Iterable[bytes]) -> None:
        """Add or replace a part given as chunks, each compressed (on the worker thread) as it comes.

        The part's whole text is never held: what stays is its compressed bytes; each chunk is also
        parsed on the checking thread as it comes (`ParseAlong`).
        """
        along = ParseAlong()
        self.write_segments(name, Segmented((compress(chunks, last=True, also=along.feed),)), along)

    def write_segments(self, name: str, segmented: Segmented, along: ParseAlong) -> None:
        """Add or replace a part given as pieces; kept pieces are copied compressed from the source file.

        `along` was fed the new pieces' chunks as they were made (kept pieces are whole elements,
        checked when they were written); the verdict comes on the checking thread, after them.
        """
        self._forget(name)
        self._changed[name] = b""
        self._segments[name] = segmented
        if is_xml_part(name):
            self._checks[name] = checker().submit(self._verdict, name, along)

    def _verdict(self, name: str, along: ParseAlong) -> None:
        """After every chunk `along` was given (on its thread): refuse the part if it does not parse."""
        if not along.close():
            raise fail(self.path, texts.MSG_OWN_OUTPUT_BROKEN.format(part=name))

    def touch(self, name: str) -> None:
        """Mark a part whose parsed XML was edited in place; it is serialised at save time."""
        self.xml(name)
        self._changed[name] = b""
        self._packed.pop(name, None)
        self._released.discard(name)
        self._checks.pop(name, None)

    def remove(self, name: str) -> None:
        """Delete a part."""
        self._forget(name)
        self._changed.pop(name, None)
        self._removed.add(name)

    def _forget(self, name: str) -> None:
        """Drop what is held of a part's earlier version (tree, pieces, compression); its place in `names` stays."""
        self._removed.discard(name)
        self._xml.pop(name, None)
        self._segments.pop(name, None)
        self._packed.pop(name, None)
        self._released.discard(name)
        self._checks.pop(name, None)

    def _release_compressed(self) -> None:
        """Let go of the text of written parts whose compression is done."""
        for name, job in self._packed.items():
            if job is not None and job.done() and name not in self._released:
                self._changed[name] = b""
                self._released.add(name)

    def _compressed(self, name: str) -> bytes:
        """A written part's compressed bytes (waiting for the worker if need be)."""
        job = self._packed[name]
        assert job is not None  # only parts with bytes are compressed
        return job.result()[1]

    def close(self) -> None:
        """Release the source file."""
        self._zip.close()

    def verify(self) -> None:
        """Parse every XML part pygk changed; an editing bug becomes a refusal, never a corrupt workbook.

        `save` calls it before anything is written. Parts given to `write` and `write_segments` are
        being parsed on the checking thread, and this waits for them; parsed trees edited in place
        are parsed here.
        """
        for name in self._changed:
            if name in self._removed or not is_xml_part(name):
                continue
            check = self._checks.get(name)
            if check is not None:
                check.result()
            elif name in self._xml:
                self._check_well_formed(name, [self.read(name)])

    def _check_packed(self, name: str, packed: Future[tuple[int, bytes]]) -> None:
        """Parse a written part from its compressed bytes, inflated a chunk at a time."""
        self._check_well_formed(name, inflated(packed.result()[1]))

    def _check_well_formed(self, name: str, chunks: Iterable[bytes]) -> None:
        """Refuse (naming the part) XML that does not parse: pygk's own output, broken by a bug."""
        along = ParseAlong()
        for chunk in chunks:
            along.parse(chunk)
        self._verdict(name, along)

    def save(self, target: Path, replace: bool = True) -> None:
        """Write all parts to `target` atomically: a temporary file beside it, then a rename; the source is closed.

        Every changed XML part is parsed first (`verify`); then each part is streamed into the
        zip: a changed one compressed from its bytes, an unchanged one copied compressed as it is
        (its CRC checked on the way), a segmented one (`write_segments`) from its pieces. With
        `replace` False an existing `target` is never overwritten.
        """
        target = Path(target)
        try:
            self.verify()
            with atomic_file(target, replace=replace) as raw:
                with open(self.path, "rb") as source:
                    out = ZipStream(raw)
                    for name in self.names():
                        self._copy(out, source, name)
                    out.close()
                self.close()  # before the rename: Windows cannot replace a file this process still has open
        except OSError as error:
            raise os_failure(target, error, texts.MSG_CANNOT_WRITE_CAUSE) from None

    def _copy(self, out: ZipStream, source: BinaryIO, name: str) -> None:
        info = self._infos.get(name)
        date_time = info.date_time if info is not None else FIXED_TIME
        attr = info.external_attr if info is not None else 0
        if name in self._segments:
            segmented = self._segments[name]
            try:
                out.raw(name, segmented.compressed(source), date_time, zipfile.ZIP_DEFLATED, segmented.crc,
                        segmented.size, attr)  # fmt: skip
            except zlib.error:
                raise fail(self.path, texts.MSG_PART_CORRUPT.format(part=name)) from None
            return
        packed = self._packed.get(name) if name not in self._xml else None
        if packed is not None:
            crc, data = packed.result()
            out.raw(name, [data], date_time, zipfile.ZIP_DEFLATED, crc, self._sizes[name], attr)
            return
        if name not in self._changed and info is not None and _copyable(info):
            try:
                out.raw(name, _checked(member_data(source, info.header_offset, info.compress_size), info), date_time,
                        info.compress_type, info.CRC, info.file_size, attr)  # fmt: skip
            except zlib.error:
                raise fail(self.path, texts.MSG_PART_CORRUPT.format(part=name)) from None
            return
        out.deflate(name, chunks(self.read(name)), date_time, COMPRESS_LEVEL, attr)


def is_xml_part(name: str) -> bool:
    """Parts parsed as XML before saving: .xml and .rels parts, and the content types."""
    return name.endswith((".xml", ".rels")) or name == CONTENT_TYPES


class _WellFormed:
    """A parser target that keeps nothing: parsing with it only checks that the XML is well formed."""

    def close(self) -> None:
        return None


class ParseAlong:
    """A part's text parsed as it is made: `feed` (or `parse`) each chunk in order, then `close`.

    The parser builds no tree (a target with no callbacks), so a 100,000-row sheet costs a
    libxml2 pass and no memory. `feed` queues a chunk on the one checking thread, so the part
    is parsed while the next chunks are being made and is never held whole.
    """

    def __init__(self) -> None:
        self._parser = etree.XMLParser(target=_WellFormed(), huge_tree=True, resolve_entities=False, no_network=True)
        self._failed = False
        self._error: BaseException | None = None  # anything else the parser raised, raised again by `close`

    def feed(self, chunk: bytes) -> None:
        """Queue a chunk for `parse` on the checking thread."""
        checker().submit(self.parse, chunk)

    def parse(self, chunk: bytes) -> None:
        """Parse a chunk now (after the chunks before it)."""
        if self._failed or self._error is not None:
            return
        try:
            self._parser.feed(chunk)
        except etree.XMLSyntaxError:
            self._failed = True
        except Exception as error:  # noqa: BLE001 - kept for close(): a queued job's error would be lost
            self._error = error

    def close(self) -> bool:
        """True when the chunks parse as one well-formed document (after them all; on their thread, if queued)."""
        if self._error is not None:
            raise self._error
        if self._failed:
            return False
        try:
            self._parser.close()
        except etree.XMLSyntaxError:
            return False
        return True


def check_entries(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse, from the zip directory alone, duplicate or case-colliding part names and parts that inflate too far."""
    seen: dict[str, str] = {}
    counts: dict[str, int] = {}
    for info in infos:
        counts[info.filename] = counts.get(info.filename, 0) + 1
    for name, count in counts.items():
        if count > 1:
            raise fail(path, texts.MSG_PART_DUPLICATE.format(part=name, count=count))
    for name in counts:
        folded = name.casefold()
        if folded in seen:
            raise fail(path, texts.MSG_PART_CASE.format(part=name, other=seen[folded]))
        seen[folded] = name
    total = 0
    for info in infos:
        size = info.file_size
        total += size
        if size > MAX_PART_BYTES:
            message = texts.MSG_PART_TOO_BIG.format(part=info.filename, size=megabytes(size),
                                                    limit=megabytes(MAX_PART_BYTES))  # fmt: skip
            raise fail(path, message)
        if size > RATIO_FLOOR_BYTES and size > MAX_RATIO * max(info.compress_size, 1):
            ratio = size // max(info.compress_size, 1)
            raise fail(path, texts.MSG_PART_RATIO.format(part=info.filename, size=megabytes(size), ratio=ratio))
    if total > MAX_TOTAL_BYTES:
        raise fail(path, texts.MSG_BOOK_TOO_BIG.format(size=megabytes(total), limit=megabytes(MAX_TOTAL_BYTES)))


_END_OF_DIRECTORY = b"PK\x05\x06"


def _check_directory_size(path: Path) -> None:
    """Refuse a zip whose central directory is too large to list (millions of entries), before zipfile reads it."""
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        tail_size = min(size, 22 + 65535)
        handle.seek(size - tail_size)
        tail = handle.read(tail_size)
    at = tail.rfind(_END_OF_DIRECTORY)
    if at < 0 or at + 22 > len(tail):
        return  # not a zip: zipfile says so
    directory_size = struct.unpack_from("<I", tail, at + 12)[0]
    if directory_size != 0xFFFFFFFF and directory_size > MAX_DIRECTORY_BYTES:
        message = texts.MSG_DIRECTORY_TOO_BIG.format(size=megabytes(directory_size),
                                                     limit=megabytes(MAX_DIRECTORY_BYTES))  # fmt: skip
        raise fail(path, message)


def content_type_of(package: Package, part: str) -> str | None:
    """A part's content type from [Content_Types].xml: its Override, else the Default for its extension."""
    types = package.xml(CONTENT_TYPES)
    name = "/" + part
    for override in types.iter(f"{{{NS_CT}}}Override"):
        if (override.get("PartName") or "").casefold() == name.casefold():
            return _text(override.get("ContentType"))
    extension = posixpath.splitext(part)[1].lstrip(".").casefold()
    for default in types.iter(f"{{{NS_CT}}}Default"):
        if (default.get("Extension") or "").casefold() == extension:
            return _text(default.get("ContentType"))
    return None


def _text(value: object) -> str | None:
    """An attribute's value as str (lxml's results are untyped), None when absent."""
    return None if value is None else str(value)


def _copyable(info: zipfile.ZipInfo) -> bool:
    """A member whose compressed bytes can be copied as they are: stored or deflated, not encrypted."""
    return info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) and not info.flag_bits & 1


def _checked(data: Iterator[bytes], info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's compressed chunks passed on while they are inflated and checked against its CRC and size.

    zlib.error when they do not match: a corrupt part is refused, as reading it would be. No
    chunk inflates past CHUNK bytes at a time, so a member lying about its size costs no memory.
    """
    inflate = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    crc = size = 0
    for chunk in data:
        yield chunk
        pending: bytes | memoryview = chunk
        while pending:
            plain = inflate.decompress(pending, CHUNK) if inflate is not None else pending
            crc, size = zlib.crc32(plain, crc), size + len(plain)
            if size > info.file_size:
                raise zlib.error("member longer than its size")
            pending = inflate.unconsumed_tail if inflate is not None else b""
    if inflate is not None and not inflate.eof:
        raise zlib.error("member ends early")
    if crc != info.CRC or size != info.file_size:
        raise zlib.error("bad CRC")


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
