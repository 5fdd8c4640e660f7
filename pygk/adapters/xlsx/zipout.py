"""A zip written as a stream: each part compressed (or copied compressed) straight into the output file.

Python's zipfile compresses a part only from bytes held whole in memory (`writestr`) and cannot
copy a member's compressed bytes; this writer does both, so memory stays flat in the size of
the parts and a part that did not change costs a copy, not an inflate and a deflate. It writes
the subset of the zip format a workbook needs: no encryption, no zip64 (pygk's part limits keep
every offset far below 4 GiB), UTF-8 names flagged as such.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import BinaryIO

DEFLATED, STORED = 8, 0
CHUNK = 1 << 20
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_UTF8 = 0x800
_LIMIT = 0xFFFFFFFF


@lru_cache(maxsize=1)
def worker() -> ThreadPoolExecutor:
    """One thread that compresses while the run goes on (zlib works outside the GIL): jobs run in the order given."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="pygk-deflate")


@lru_cache(maxsize=1)
def checker() -> ThreadPoolExecutor:
    """One thread that parses written parts while the run goes on (libxml2 parses outside the GIL).

    Apart from `worker`, so a compression the run waits for never queues behind a long check.
    """
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="pygk-check")


def inflated(data: bytes) -> Iterator[bytes]:
    """Raw DEFLATE bytes (pygk's own, of XML) inflated a slice at a time: about a megabyte each, never the whole."""
    inflater = zlib.decompressobj(-15)
    step = CHUNK // 16  # XML pygk writes inflates about tenfold
    for start in range(0, len(data), step):
        yield inflater.decompress(data[start : start + step])
    yield inflater.flush()


def deflated(data: bytes, level: int) -> tuple[int, bytes]:
    """Bytes' CRC-32 and their raw DEFLATE compression, as `ZipStream.deflate` writes them."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return zlib.crc32(data), compressor.compress(data) + compressor.flush()


class ZipTooLarge(OSError):
    """An offset or size past what a zip without zip64 holds (pygk's part limits make this unreachable)."""


@dataclass(frozen=True)
class Entry:
    """What the central directory records of one written member."""

    name: str
    date_time: tuple[int, int, int, int, int, int]
    method: int
    crc: int
    compressed: int
    size: int
    offset: int
    external_attr: int


def dos_time(date_time: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    """A (date, time) pair as the zip format stores it, from (year, month, day, hour, minute, second)."""
    year, month, day, hour, minute, second = date_time
    return (max(year, 1980) - 1980) << 9 | month << 5 | day, hour << 11 | minute << 5 | second // 2


def chunks(data: bytes) -> Iterator[memoryview]:
    """A part's bytes in slices of CHUNK bytes, without copying."""
    view = memoryview(data)
    for start in range(0, len(view), CHUNK):
        yield view[start : start + CHUNK]


class ZipStream:
    """Members written one after another into a seekable binary file; `close` writes the central directory."""

    def __init__(self, out: BinaryIO):
        self._out = out
        self._entries: list[Entry] = []

    def _header(self, name: str, date_time: tuple[int, int, int, int, int, int], method: int, crc: int,
                compressed: int, size: int) -> bytes:  # fmt: skip
        encoded = name.encode("utf-8")
        flags = 0 if name.isascii() else _UTF8
        date, time = dos_time(date_time)
        return _LOCAL.pack(0x04034B50, 20, flags, method, time, date, crc, compressed, size, len(encoded), 0) + encoded

    def _begin(self, name: str, date_time: tuple[int, int, int, int, int, int], method: int) -> int:
        offset = self._out.tell()
        if offset > _LIMIT:
            raise ZipTooLarge(name)
        self._out.write(self._header(name, date_time, method, 0, 0, 0))
        return offset

    def _finish(self, name: str, date_time: tuple[int, int, int, int, int, int], method: int, offset: int, crc: int,
                compressed: int, size: int, external_attr: int) -> None:  # fmt: skip
        if compressed > _LIMIT or size > _LIMIT:
            raise ZipTooLarge(name)
        end = self._out.tell()
        self._out.seek(offset)
        self._out.write(self._header(name, date_time, method, crc, compressed, size))
        self._out.seek(end)
        self._entries.append(Entry(name, date_time, method, crc, compressed, size, offset, external_attr))

    def deflate(self, name: str, data: Iterable[bytes | memoryview], date_time: tuple[int, int, int, int, int, int],
                level: int, external_attr: int = 0) -> None:  # fmt: skip
        """A member compressed from chunks of its bytes as they come."""
        offset = self._begin(name, date_time, DEFLATED)
        compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
        crc = size = compressed = 0
        for chunk in data:
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
            block = compressor.compress(chunk)
            compressed += len(block)
            self._out.write(block)
        block = compressor.flush()
        compressed += len(block)
        self._out.write(block)
        self._finish(name, date_time, DEFLATED, offset, crc, compressed, size, external_attr)

    def raw(self, name: str, data: Iterable[bytes | memoryview], date_time: tuple[int, int, int, int, int, int],
            method: int, crc: int, size: int, external_attr: int = 0) -> None:  # fmt: skip
        """A member from its compressed bytes as they are (copied from another zip, or compressed in pieces)."""
        offset = self._begin(name, date_time, method)
        compressed = 0
        for chunk in data:
            compressed += len(chunk)
            self._out.write(chunk)
        self._finish(name, date_time, method, offset, crc, compressed, size, external_attr)

    def close(self) -> None:
        """The central directory and its end record."""
        start = self._out.tell()
        for e in self._entries:
            encoded = e.name.encode("utf-8")
            flags = 0 if e.name.isascii() else _UTF8
            date, time = dos_time(e.date_time)
            self._out.write(_CENTRAL.pack(0x02014B50, 20, 20, flags, e.method, time, date, e.crc, e.compressed,
                                          e.size, len(encoded), 0, 0, 0, 0, e.external_attr, e.offset))  # fmt: skip
            self._out.write(encoded)
        size = self._out.tell() - start
        if start > _LIMIT or len(self._entries) > 0xFFFF:
            raise ZipTooLarge("central directory")
        count = len(self._entries)
        self._out.write(_END.pack(0x06054B50, 0, 0, count, count, size, start, 0))


def member_data(handle: BinaryIO, header_offset: int, compressed: int) -> Iterator[bytes]:
    """The compressed bytes of a member of an open zip file, read in chunks from its local header on."""
    handle.seek(header_offset)
    header = handle.read(_LOCAL.size)
    if len(header) != _LOCAL.size or header[:4] != b"PK\x03\x04":
        raise zlib.error("bad local header")
    fields = _LOCAL.unpack(header)
    handle.seek(header_offset + _LOCAL.size + fields[9] + fields[10])
    return read_range(handle, handle.tell(), compressed)


def read_range(handle: BinaryIO, start: int, length: int) -> Iterator[bytes]:
    """`length` bytes of a file from `start`, in chunks; zlib.error when the file ends first."""
    position = start
    while length > 0:
        handle.seek(position)
        block = handle.read(min(length, CHUNK))
        if not block:
            raise zlib.error("truncated member")
        position += len(block)
        length -= len(block)
        yield block
