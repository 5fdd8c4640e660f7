"""The 历史 sheet in a workbook file: one compressed piece per month, so a run touches only the month it changes.

pygk writes the sheet's part as pieces (`segments.py`): the head (everything up to and
including the header row), one piece per month of rows, and the tail. An index of the
pieces is kept in the hidden defined name `_pygk.history` local to the sheet: the part's
CRC-32 and size, and for each piece its CRC-32, sizes and (for a month) year, month, first
row, row count and 期号. The index is trusted only while the part is exactly what pygk
wrote: the zip entry's CRC-32, size and compressed size must match it (any program that
saves the workbook compresses the part anew), and each kept piece must end in a full
flush. Then a run reads the month before (较上月), the last few months (repeat offenders)
or nothing at all, and copies every month it keeps as compressed bytes. Otherwise the sheet
is read whole, once, and written in pieces.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import quote, unquote

import pandas as pd

from pygk.adapters.xlsx.package import Package, ParseAlong
from pygk.adapters.xlsx.read import SheetProblem, row_values
from pygk.adapters.xlsx.segments import SYNC_MARK, Piece, Segmented, compress
from pygk.adapters.xlsx.sheet_xml import RowWriter, sheet_end, sheet_start
from pygk.adapters.xlsx.styles import StyleBook
from pygk.adapters.xlsx.workbook import Workbook
from pygk.core import sheets, texts
from pygk.core.errors import Problem, TemplateError
from pygk.core.history import Block, HistoryUpdate, Period, parse_history
from pygk.core.ownership import HISTORY_MARK, NAME_LIMIT, string_formula, string_value

INDEX_VERSION = "1"


@dataclass(frozen=True)
class Entry:
    """One piece in the index: CRC-32, uncompressed and compressed size; for a month also where its rows are."""

    crc: int
    size: int
    length: int
    packed_crc: int
    year: int = 0
    month: int = 0
    first_row: int = 0  # 1-based sheet row of the month's first row
    count: int = 0
    issues: tuple[str, ...] = ()


def index_text(crc: int, size: int, entries: Sequence[Entry]) -> str:
    """The index as the defined name's text: 'v|crc|size|piece|piece…', a month's 期号 percent-encoded.

    A piece is 'crc,size,length,packed crc', a month's followed by ',year,month,first row,rows,期号+期号'.
    """
    pieces = []
    for e in entries:
        fields: list[object] = [e.crc, e.size, e.length, e.packed_crc]
        if e.count:
            fields += [e.year, e.month, e.first_row, e.count, "+".join(quote(i, safe="") for i in e.issues)]
        pieces.append(",".join(str(f) for f in fields))
    return "|".join([INDEX_VERSION, str(crc), str(size), *pieces])


def parse_index(text: str) -> tuple[int, int, list[Entry]] | None:
    """The part's CRC-32 and size and its pieces, or None for text that is not an index pygk wrote."""
    version, *fields = text.split("|")
    if version != INDEX_VERSION or len(fields) < 4:
        return None
    try:
        entries = []
        for piece in fields[2:]:
            values = piece.split(",")
            if len(values) not in (4, 9):
                return None
            n = [int(v) for v in values[:8]] + [0] * (8 - min(len(values), 8))
            issues = tuple(unquote(i) for i in values[8].split("+")) if len(values) == 9 and values[8] else ()
            entries.append(Entry(n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], issues))
        return int(fields[0]), int(fields[1]), entries
    except ValueError:
        return None


class IndexedHistory:
    """A HistorySource over pygk's pieces of the 历史 part: a month's rows are inflated only when asked for."""

    def __init__(self, package: Package, part: str, offset: int, entries: list[Entry], header: tuple[str, ...]):
        self.package, self.part, self.header = package, part, header
        self._entries = entries
        self._starts = [offset]
        for entry in entries[:-1]:
            self._starts.append(self._starts[-1] + entry.length)
        self._months = entries[1:-1]
        self.periods = tuple(Period(e.year, e.month, e.issues, e.count) for e in self._months)
        keys = [(p.year, p.month) for p in self.periods]
        self.ordered = keys == sorted(set(keys))

    def _plain(self, index: int) -> bytes:
        """The uncompressed bytes of piece `index` (0 is the head), checked against its CRC-32."""
        entry, start = self._entries[index], self._starts[index]
        try:
            data = zlib.decompressobj(-15).decompress(self.package.source_bytes(start, entry.length), entry.size + 1)
        except zlib.error:
            data = b""
        if len(data) != entry.size or zlib.crc32(data) != entry.crc:
            raise self._corrupt()
        return data

    def _corrupt(self) -> TemplateError:
        return TemplateError([Problem(texts.MSG_PART_CORRUPT.format(part=self.part), texts.HISTORY_SHEET)])

    def frame(self, index: int) -> pd.DataFrame:
        """The rows of month `index`, read from its piece alone."""
        try:
            rows = row_values(self._plain(index + 1), self.part)
        except SheetProblem:
            raise self._corrupt() from None
        problems: list[Problem] = []
        table = parse_history([list(self.header), *rows], problems)
        if problems:
            raise self._corrupt()
        return table

    def piece(self, index: int, first_row: int) -> Piece | None:
        """Month `index`'s piece to copy as it is, when its rows stay where they are; else None."""
        entry, start = self._entries[index + 1], self._starts[index + 1]
        if entry.first_row != first_row or self.package.source_bytes(start + entry.length - 4, 4) != SYNC_MARK:
            return None
        return Piece(entry.crc, entry.size, entry.length, entry.packed_crc, offset=start)


def open_indexed(package: Package, workbook: Workbook) -> IndexedHistory | None:
    """The 历史 sheet as pygk's indexed pieces, or None when there is none or the part is no longer as pygk wrote it."""
    ref = workbook.sheet(texts.HISTORY_SHEET)
    if ref is None:
        return None
    formula = next((f for s, n, f in workbook.defined_names()
                    if s == texts.HISTORY_SHEET and n.casefold() == HISTORY_MARK.casefold()), None)  # fmt: skip
    text = string_value(formula) if formula is not None else None
    index = parse_index(text) if text else None
    info = package.member(ref.part)
    if index is None or info is None or info.compress_type != zlib.DEFLATED or info.flag_bits & 1:
        return None
    crc, size, entries = index
    if info.CRC != crc or info.file_size != size or info.compress_size != sum(e.length for e in entries):
        return None
    try:
        history = IndexedHistory(package, ref.part, package.data_offset(ref.part), entries, ())
        head = history._plain(0)
        [header] = row_values(head[head.index(b"<sheetData>") + len(b"<sheetData>") :], ref.part)
    except (TemplateError, SheetProblem, ValueError, zlib.error):
        return None
    history.header = tuple(str(v) for v in header)
    return history


ROWS_PER_CHUNK = 2000


def _rows(update: HistoryUpdate, block: Block, first_row: int, writer: RowWriter) -> Iterator[bytes]:
    """A month's rows as <row> elements from sheet row `first_row` (0-based), a few thousand rows at a time."""
    rows = update.block_rows(block)
    for start in range(0, len(rows), ROWS_PER_CHUNK):
        yield "".join(writer.rows(first_row + start, rows[start : start + ROWS_PER_CHUNK])).encode()


def write_history(package: Package, workbook: Workbook, update: HistoryUpdate, styles: StyleBook,
                  indexed: IndexedHistory | None = None) -> None:  # fmt: skip
    """Write the 历史 sheet: kept months copied from `indexed` where they stay in place, the rest serialised.

    The sheet looks as its sheet plan (`sheets.history_sheet`) says; the plan is made for the
    header alone, and the months' rows are laid out by it row by row as the generic writer would.
    """
    ref = workbook.sheet(texts.HISTORY_SHEET) or workbook.add_sheet(texts.HISTORY_SHEET)
    plan = sheets.history_sheet((tuple(update.header),))
    writer = RowWriter(plan, styles.role)  # the months' rows are laid out as the generic writer would
    start = sheet_start(plan, update.row_count) + "".join(writer.rows(0, plan.rows))
    along = ParseAlong()  # the new text is parsed as it is made
    head = compress([start.encode()], also=along.feed)
    pieces, entries = [head], [Entry(head.crc, head.size, head.length, head.packed_crc)]
    row = 1  # 0-based: the months' rows follow the header
    for block in update.blocks:
        piece = None
        if block.rows is None and indexed is not None and update.source is indexed and block.source is not None:
            piece = indexed.piece(block.source, row + 1)
        if piece is None:
            piece = compress(_rows(update, block, row, writer), also=along.feed)
        if block.rows is not None:
            issues = tuple(dict.fromkeys("" if r[2] is None else str(r[2]) for r in block.rows))
        else:
            issues = update.source.periods[block.source].issues if update.source and block.source is not None else ()
        pieces.append(piece)
        entries.append(Entry(piece.crc, piece.size, piece.length, piece.packed_crc, block.year, block.month, row + 1,
                             block.count, issues))  # fmt: skip
        row += block.count
    tail = compress([sheet_end(plan).encode()], last=True, also=along.feed)
    pieces.append(tail)
    entries.append(Entry(tail.crc, tail.size, tail.length, tail.packed_crc))
    segmented = Segmented(tuple(pieces))
    package.write_segments(ref.part, segmented, along)
    formula = string_formula(index_text(segmented.crc, segmented.size, entries))
    workbook.set_name(texts.HISTORY_SHEET, HISTORY_MARK, formula if len(formula) <= NAME_LIMIT else None)
