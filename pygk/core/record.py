"""What pygk wrote on a shared sheet, recorded beside its ownership mark (pure).

`_pygk.cells` says where pygk wrote; the record (`_pygk.record`, a hidden name local to the
sheet) says what: the titles of the columns pygk made, and a digest of the values of its
cells, so a cell the clerk changed since is found and never silently written over.

The digest has to stay small at 100,000 units (a defined name's formula is kept under 8,192
characters and each text constant in it under 255), so the cells are spread over buckets by
a key that follows the cell's content rather than its position: the text of the row's key
cell (the unit's name; on 通报 the row's label, with its occurrence) and of the column's
header. Sorting the roster, inserting blank rows or columns and moving the table keep every
key, so they keep the record valid. Each bucket holds a fingerprint of its keys and the sum
of its entries' hashes: when the keys match and the sum does not, a value in that bucket was
changed, and the bucket's cells whose value pygk would now change are the clerk's edits. A
bucket whose keys changed (a unit deleted or renamed, a cell cleared) cannot tell and is not
checked that run. On small sheets there are eight buckets per cell, so an edit is located to its
own cell; at 1,000 buckets (from 125 cells on) a bucket holds several, and an edit also names
the cells of its bucket whose value changes this run for another reason (at 100,000 units about
100): the run is refused either way, and clearing a named cell only lets pygk fill it again.
"""

from __future__ import annotations

import json
import math
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pygk.core.cells import Grid
from pygk.core.values import is_blank

RECORD_VERSION = 2  # 1: 12-bit keys and no column digests (read as no record: rewritten as before records)
FORMULA_LIMIT = 8000  # characters (UTF-16 units) of the formula: Excel keeps a defined name's under 8,192
MAX_BUCKETS = 900  # 8 characters each: with the titles the whole formula stays under FORMULA_LIMIT
BUCKETS_PER_CELL = 8
_KEY_BITS, _SUM_BITS, _COLUMN_BITS = 24, 24, 48
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_CHARS = (_KEY_BITS + _SUM_BITS) // 6
_COLUMN_CHARS = _COLUMN_BITS // 6
_LITERAL = 120  # characters of the record per text constant (at most 240 once quotes are doubled)

Cell = tuple[int, int]
Buckets = tuple[tuple[int, int], ...]  # per bucket: (key fingerprint, sum of entry hashes)


@dataclass(frozen=True)
class Record:
    """The titles pygk gave its columns on a sheet and the buckets of its values' digest (key, sum)."""

    titles: tuple[str, ...] = ()
    buckets: tuple[tuple[int, int], ...] = ()
    columns: tuple[int, ...] = ()  # per column, a digest of its values whatever their rows (header and value)


@dataclass(frozen=True)
class Changes:
    """The cells found changed since the record, and whether each was located to its own cell."""

    cells: frozenset[Cell] = frozenset()
    located: bool = True  # False: a changed bucket holds several cells, so a named cell may be unchanged


@dataclass(frozen=True)
class Keys:
    """Where a sheet's cells take their keys from: the row's key cell in `column`, the column's header in `row`."""

    column: int
    row: int


def canonical(value: object) -> str:
    """A cell's value as the digest sees it: numbers to 9 decimals (any program's way of saving them), text trimmed."""
    if isinstance(value, bool):
        return "b1" if value else "b0"
    if isinstance(value, (int, float)):
        return "n" + repr(round(float(value), 9) + 0.0)
    return "s" + str(value).strip()


def _text_hash(value: object) -> int:
    """A 32-bit hash of a value's canonical text."""
    return zlib.crc32(canonical(value).encode())


def _row_hashes(column: Sequence[object]) -> np.ndarray:
    """Each row's key as a hash: its key cell's text and how many rows above had the same text."""
    crc = zlib.crc32
    texts = [
        0 if v is None else (crc(("s" + v.strip()).encode()) if v.strip() else 0) if type(v) is str else _text_hash(v)
        for v in column
    ]
    hashes = np.asarray(texts, dtype=np.uint64)
    repeats = pd.Series(hashes).groupby(hashes).cumcount().to_numpy(np.uint64)
    with np.errstate(over="ignore"):
        return np.where(repeats > 0, _mix(hashes ^ (repeats << np.uint64(32))), hashes)


def _mix(x: np.ndarray) -> np.ndarray:
    """A 64-bit finaliser (splitmix64's): every input bit reaches every output bit."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    mixed: np.ndarray = x ^ (x >> np.uint64(31))
    return mixed


def _hashes(row_list: Sequence[int], col_list: Sequence[int], value_list: Sequence[object], rows: np.ndarray,
            headers: Mapping[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """Each entry's key hash (its row's and column's keys), entry hash (key and value) and column entry hash
    (its column's header and value, not its row), 64 bits each."""
    if not row_list:
        return np.zeros(0, np.uint64), np.zeros(0, np.uint64), np.zeros(0, np.uint64)
    row_index = np.asarray(row_list, dtype=np.int64)
    padded = np.zeros(int(row_index.max()) + 1, np.uint64)  # a row past the key column has no key cell
    padded[: min(len(rows), len(padded))] = rows[: len(padded)]
    col_index = np.asarray(col_list, dtype=np.int64)
    col_hashes = np.zeros(int(col_index.max()) + 1, np.uint64)
    for col, value in headers.items():
        if col < len(col_hashes):
            col_hashes[col] = value
    nan = math.nan
    numbers = np.asarray([v if type(v) is float else float(v) if type(v) is int else nan for v in value_list])
    is_number = ~np.isnan(numbers)
    with np.errstate(all="ignore"):  # numbers past 1e299 round to inf: they share a hash, which is harmless
        rounded = np.round(np.where(is_number, numbers, 0.0), 9) + 0.0
        values = rounded.view(np.uint64) ^ np.uint64(0x6E)
        for i in np.flatnonzero(~is_number).tolist():
            values[i] = _text_hash(value_list[i]) | (1 << 40)
        keys = _mix(padded[row_index] * np.uint64(0x9E3779B97F4A7C15) ^ col_hashes[col_index])
        mixed = _mix(values)
        return keys, _mix(keys ^ mixed), _mix(col_hashes[col_index] * np.uint64(0xD6E8FEB86659FD93) ^ mixed)


def _buckets(row_list: Sequence[int], col_list: Sequence[int], value_list: Sequence[object], rows: np.ndarray,
             headers: Mapping[int, int], count: int) -> tuple[np.ndarray, Buckets, dict[int, int]]:  # fmt: skip
    """Each entry's bucket, each bucket's key fingerprint and sum of entry hashes (`_KEY_BITS`, `_SUM_BITS`),
    and each column's digest: the sum of its column entry hashes (`_COLUMN_BITS`)."""
    keys, entries, column_entries = _hashes(row_list, col_list, value_list, rows, headers)
    buckets = (keys % np.uint64(count)).astype(np.int64)
    fingerprints = (keys >> np.uint64(64 - _KEY_BITS)).astype(np.float64)
    sums = (entries >> np.uint64(64 - _SUM_BITS)).astype(np.float64)  # float sums stay exact below 2**53
    key_sum = np.bincount(buckets, fingerprints, count).astype(np.int64) % (1 << _KEY_BITS)
    value_sum = np.bincount(buckets, sums, count).astype(np.int64) % (1 << _SUM_BITS)
    return buckets, tuple(zip(key_sum.tolist(), value_sum.tolist())), _column_digests(col_list, column_entries)


def _column_digests(col_list: Sequence[int], column_entries: np.ndarray) -> dict[int, int]:
    """Each column's digest: the sum (wrapping, so order-free) of its entries' top `_COLUMN_BITS` bits."""
    if not col_list:
        return {}
    cols = np.asarray(col_list, dtype=np.int64)
    tops = column_entries >> np.uint64(64 - _COLUMN_BITS)
    mask = (1 << _COLUMN_BITS) - 1
    return {int(c): int(tops[cols == c].sum(dtype=np.uint64)) & mask for c in np.unique(cols).tolist()}


def _column(grid: Grid, col: int, overlay: Mapping[Cell, object]) -> list[object]:
    """A column's values, with the cells pygk is about to write or clear as they will be."""
    values = [row[col] if col < len(row) else None for row in grid]
    for (row, c), value in overlay.items():
        if c == col:
            values += [None] * (row + 1 - len(values))
            values[row] = value
    return values


def _header(grid: Grid, row: int, overlay: Mapping[Cell, object]) -> dict[int, int]:
    """Each column's header text as a hash, with pygk's writes applied."""
    cells = grid[row] if row < len(grid) else []
    headers = {c: _text_hash(v) for c, v in enumerate(cells) if not is_blank(v)}
    for (r, c), value in overlay.items():
        if r == row:
            if is_blank(value):
                headers.pop(c, None)
            else:
                headers[c] = _text_hash(value)
    return headers


def new_record(grid: Grid, keys: Keys, written: Mapping[Cell, object], owned: Sequence[Cell],
               titles: Sequence[str] = (), rows: np.ndarray | None = None) -> Record:  # fmt: skip
    """The record of a run's writes: `written` maps each cell written or cleared (None) to its new value.

    `rows`: the grid's `row_keys`, when already known. With long titles the buckets are fewer, so the
    formula always stays within `FORMULA_LIMIT` (titles that cannot fit at all are left out).
    """
    row_list, col_list, value_list = [], [], []
    for cell in owned:
        value = written[cell]
        if value is not None and (type(value) is not str or value.strip()):
            row_list.append(cell[0])
            col_list.append(cell[1])
            value_list.append(value)
    count = min(MAX_BUCKETS, max(16, BUCKETS_PER_CELL * len(value_list)))
    key_column, header_row = {}, {}
    for cell, value in written.items():
        if cell[1] == keys.column:
            key_column[cell] = value
        if cell[0] == keys.row:
            header_row[cell] = value
    if rows is None or key_column:  # pygk writes into the key column (通报's labels): the keys after the write
        rows = _row_hashes(_column(grid, keys.column, key_column))
    headers = _header(grid, keys.row, header_row)
    while True:
        _, buckets, columns = _buckets(row_list, col_list, value_list, rows, headers, count)
        record = Record(tuple(titles), buckets, tuple(columns.values()))
        excess = formula_length(record_formula(record)) - FORMULA_LIMIT
        if excess <= 0:
            return record
        if count == 1:  # titles too long for any record (settings refuse them): kept without them
            titles = ()
        count = max(1, count - excess // _CHARS - 1)


def formula_length(formula: str) -> int:
    """A formula's length as Excel counts it: UTF-16 code units."""
    return len(formula.encode("utf-16-le")) // 2


def row_keys(grid: Grid, keys: Keys) -> np.ndarray:
    """Each row's key (as a hash) from the grid's key column."""
    return _row_hashes(_column(grid, keys.column, {}))


def changes(grid: Grid, keys: Keys, cells: Sequence[Cell], record: Record | None,
            rows: np.ndarray | None = None) -> Changes:  # fmt: skip
    """The cells (of `cells`, pygk's own holding a value) in buckets whose keys match the record and sums do not.

    A column whose values are the recorded ones rearranged (its digest matches: the clerk sorted
    only the columns left of it) holds pygk's values, so none of its cells counts as changed.
    `rows`: the grid's `row_keys`, when already known.
    """
    if record is None or not record.buckets or not cells:
        return Changes()
    row_list = [r for r, _ in cells]
    col_list = [c for _, c in cells]
    value_list = [grid[r][c] for r, c in cells]
    rows = row_keys(grid, keys) if rows is None else rows
    headers = _header(grid, keys.row, {})
    where, found, columns = _buckets(row_list, col_list, value_list, rows, headers, len(record.buckets))
    bad = [key == was_key and total != was_total for (key, total), (was_key, was_total) in zip(found, record.buckets)]
    if not any(bad):
        return Changes()
    recorded = set(record.columns)
    rearranged = {c for c, digest in columns.items() if digest in recorded}
    flagged = np.asarray(bad)[where] & ~np.isin(np.asarray(col_list, dtype=np.int64), list(rearranged))
    hit = np.flatnonzero(flagged)
    if not len(hit):
        return Changes()
    located = bool(np.bincount(where, minlength=len(record.buckets))[where[hit]].max() <= 1)
    return Changes(frozenset(cells[i] for i in hit.tolist()), located)


def _digits(number: int, chars: int) -> str:
    """A number as `chars` characters of base 64."""
    return "".join(_ALPHABET[(number >> (6 * i)) & 63] for i in reversed(range(chars)))


def _numbers(digits: str, chars: int) -> list[int]:
    """The numbers of base-64 text of `chars` characters each (ValueError for any other character)."""
    numbers = []
    for i in range(0, len(digits), chars):
        number = 0
        for ch in digits[i : i + chars]:
            number = number * 64 + _ALPHABET.index(ch)
        numbers.append(number)
    return numbers


def record_text(record: Record) -> str:
    """The record as text: JSON of its version, titles, column digests and buckets (8 characters each)."""
    buckets = "".join(_digits((key << _SUM_BITS) | total, _CHARS) for key, total in record.buckets)
    columns = "".join(_digits(digest, _COLUMN_CHARS) for digest in record.columns)
    data = {"v": RECORD_VERSION, "t": list(record.titles), "c": columns, "d": buckets}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def record_formula(record: Record) -> str:
    """A defined name's formula holding the record: text constants of under 255 characters joined by &."""
    text = record_text(record)
    parts = [text[i : i + _LITERAL] for i in range(0, len(text), _LITERAL)] or [""]
    return "&".join('"' + part.replace('"', '""') + '"' for part in parts)


def parse_record(formula: str) -> Record | None:
    """The record a formula holds; None for anything else (a damaged record is no record).

    A formula longer than any pygk writes is not read at all; whatever the JSON holds (deep
    nesting, huge numbers, wrong types) makes it no record rather than an error.
    """
    if len(formula) > FORMULA_LIMIT + 16:
        return None
    text = _joined_text(formula.strip().lstrip("="))
    if text is None:
        return None
    try:
        data = json.loads(text)
        return _record_of(data)
    except (ValueError, TypeError, OverflowError, RecursionError):
        return None


def _record_of(data: object) -> Record | None:
    """The record parsed JSON describes, or None."""
    if not isinstance(data, dict) or type(data.get("v")) is not int or data["v"] != RECORD_VERSION:
        return None
    titles, columns, digits = data.get("t"), data.get("c"), data.get("d")
    if not isinstance(titles, list) or not all(isinstance(t, str) for t in titles):
        return None
    if not isinstance(columns, str) or not isinstance(digits, str) or len(columns) % _COLUMN_CHARS:
        return None
    if len(digits) % _CHARS or len(digits) > MAX_BUCKETS * _CHARS:
        return None
    mask = (1 << _SUM_BITS) - 1
    buckets = tuple((number >> _SUM_BITS, number & mask) for number in _numbers(digits, _CHARS))
    return Record(tuple(titles), buckets, tuple(_numbers(columns, _COLUMN_CHARS)))


def _joined_text(formula: str) -> str | None:
    """The text of "a"&"b"&… (quotes doubled inside), or None when the formula is anything else."""
    parts: list[str] = []
    i = 0
    while i < len(formula):
        if formula[i] != '"':
            return None
        j = i + 1
        chunk = []
        while True:
            k = formula.find('"', j)
            if k < 0:
                return None
            chunk.append(formula[j:k])
            if formula[k + 1 : k + 2] == '"':
                chunk.append('"')
                j = k + 2
                continue
            break
        parts.append("".join(chunk))
        i = k + 1
        while i < len(formula) and formula[i] == " ":
            i += 1
        if i < len(formula):
            if formula[i] != "&":
                return None
            i += 1
            while i < len(formula) and formula[i] == " ":
                i += 1
            if i >= len(formula):
                return None
    return "".join(parts) if parts else None
