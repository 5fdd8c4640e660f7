"""A part compressed in independent pieces, so later runs keep the compressed bytes of the pieces that did not change.

Each piece is a run of DEFLATE blocks that ends with a full flush: it starts on a byte
boundary and refers to no byte before it, so the pieces laid end to end are one valid
DEFLATE stream, any piece can be inflated on its own, and a piece copied from the previous
file needs neither inflating nor compressing again. The last piece ends the stream. The part's
CRC-32 is combined from the pieces' CRCs (zlib's crc32_combine), so kept pieces are never read.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import BinaryIO

from pygk.adapters.xlsx.zipout import read_range, worker

LEVEL = 1
SYNC_MARK = b"\x00\x00\xff\xff"  # the empty stored block a full flush ends with
_POLY = 0xEDB88320


@dataclass(frozen=True)
class Piece:
    """One piece: uncompressed size and CRC, and its compressed bytes or where they are in the source file."""

    crc: int
    size: int
    length: int  # compressed
    packed_crc: int  # CRC-32 of the compressed bytes: a kept piece is checked against it as it is copied
    data: bytes | None = None  # compressed, for a new piece
    offset: int | None = None  # in the source file, for a kept piece

    @property
    def kept(self) -> bool:
        """True for a piece copied from the source file."""
        return self.data is None


def compress(chunks: Iterable[bytes], last: bool = False, also: Callable[[bytes], None] | None = None) -> Piece:
    """A new piece from its bytes, given in chunks so no more than a few are held uncompressed.

    Each chunk is compressed on the worker thread while the next one is made (and given to
    `also`, the part's check, when there is one); the piece ends with a full flush, or for the
    `last` piece of the part with the end of the stream.
    """
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    crc = size = 0
    pending = []
    for chunk in chunks:
        crc, size = zlib.crc32(chunk, crc), size + len(chunk)
        pending.append(worker().submit(compressor.compress, chunk))
        if also is not None:
            also(chunk)
    pending.append(worker().submit(compressor.flush, zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH))
    data = b"".join(job.result() for job in pending)
    return Piece(crc, size, len(data), zlib.crc32(data), data=data)


def inflate(source: BinaryIO, offset: int, length: int) -> bytes:
    """The uncompressed bytes of a kept piece; zlib.error when its bytes are not a flushed piece."""
    inflater = zlib.decompressobj(-15)
    plain = [inflater.decompress(block) for block in read_range(source, offset, length)]
    return b"".join(plain)


def _times(matrix: Sequence[int], vector: int) -> int:
    total, row = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[row]
        vector >>= 1
        row += 1
    return total


def _square(matrix: Sequence[int]) -> list[int]:
    return [_times(matrix, value) for value in matrix]


@lru_cache(maxsize=1)
def _zero_operators() -> tuple[tuple[int, ...], ...]:
    """For k = 0..63, the GF(2) matrix that moves a CRC past 2**k zero bytes."""
    operator = [_POLY] + [1 << n for n in range(31)]  # past one zero bit
    for _ in range(3):
        operator = _square(operator)
    found = []
    for _ in range(64):
        found.append(tuple(operator))
        operator = _square(operator)
    return tuple(found)


def crc32_combine(first: int, second: int, second_size: int) -> int:
    """The CRC-32 of two byte strings laid end to end, from their CRCs and the second's length (zlib's method)."""
    for operator in _zero_operators():
        if not second_size:
            break
        if second_size & 1:
            first = _times(operator, first)
        second_size >>= 1
    return first ^ second


@dataclass(frozen=True)
class Segmented:
    """A part as pieces, the last one ending the DEFLATE stream."""

    pieces: tuple[Piece, ...]

    @property
    def crc(self) -> int:
        """The CRC-32 of the whole uncompressed part."""
        crc = 0
        for piece in self.pieces:
            crc = crc32_combine(crc, piece.crc, piece.size)
        return crc

    @property
    def size(self) -> int:
        """The uncompressed size of the part."""
        return sum(piece.size for piece in self.pieces)

    def compressed(self, source: BinaryIO) -> Iterator[bytes]:
        """The part's compressed bytes, kept pieces read from `source`; zlib.error when one is not as it was written."""
        for piece in self.pieces:
            if piece.data is not None:
                yield piece.data
                continue
            crc = 0
            for block in read_range(source, piece.offset or 0, piece.length):
                crc = zlib.crc32(block, crc)
                yield block
            if crc != piece.packed_crc:
                raise zlib.error("kept piece changed")
