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

RECORD_VERSION = 1
MAX_BUCKETS = 1000  # 6 characters each: the whole formula stays under ownership.NAME_LIMIT
BUCKETS_PER_CELL = 8
_KEY_BITS, _SUM_BITS = 12, 24
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_CHARS = (_KEY_BITS + _SUM_BITS) // 6
_LITERAL = 120  # characters of the record per text constant (at most 240 once quotes are doubled)

Cell = tuple[int, int]


@dataclass(frozen=True)
class Record:
    """The titles pygk gave its columns on a sheet and the buckets of its values' digest (key, sum)."""

    titles: tuple[str, ...] = ()
    buckets: tuple[tuple[int, int], ...] = ()


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
            headers: Mapping[int, int]) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Each entry's key hash (its row's and column's keys) and entry hash (key and value), 64 bits each."""
    if not row_list:
        return np.zeros(0, np.uint64), np.zeros(0, np.uint64)
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
        return keys, _mix(keys ^ _mix(values))


def _buckets(row_list: Sequence[int], col_list: Sequence[int], value_list: Sequence[object], rows: np.ndarray,
             headers: Mapping[int, int], count: int) -> tuple[np.ndarray, tuple[tuple[int, int], ...]]:  # fmt: skip
    """Each entry's bucket, and each bucket's key fingerprint and sum of entry hashes (`_KEY_BITS`, `_SUM_BITS`)."""
    keys, entries = _hashes(row_list, col_list, value_list, rows, headers)
    buckets = (keys % np.uint64(count)).astype(np.int64)
    fingerprints = (keys >> np.uint64(64 - _KEY_BITS)).astype(np.float64)
    sums = (entries >> np.uint64(64 - _SUM_BITS)).astype(np.float64)  # float sums stay exact below 2**53
    key_sum = np.bincount(buckets, fingerprints, count).astype(np.int64) % (1 << _KEY_BITS)
    value_sum = np.bincount(buckets, sums, count).astype(np.int64) % (1 << _SUM_BITS)
    return buckets, tuple(zip(key_sum.tolist(), value_sum.tolist()))


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

    `rows`: the grid's `row_keys`, when already known.
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
    _, buckets = _buckets(row_list, col_list, value_list, rows, _header(grid, keys.row, header_row), count)
    return Record(tuple(titles), buckets)


def row_keys(grid: Grid, keys: Keys) -> np.ndarray:
    """Each row's key (as a hash) from the grid's key column."""
    return _row_hashes(_column(grid, keys.column, {}))


def changed_cells(grid: Grid, keys: Keys, cells: Sequence[Cell], record: Record | None,
                  rows: np.ndarray | None = None) -> frozenset[Cell]:  # fmt: skip
    """The cells (of `cells`, pygk's own holding a value) in buckets whose keys match the record and sums do not.

    `rows`: the grid's `row_keys`, when already known.
    """
    if record is None or not record.buckets or not cells:
        return frozenset()
    row_list = [r for r, _ in cells]
    col_list = [c for _, c in cells]
    value_list = [grid[r][c] for r, c in cells]
    rows = row_keys(grid, keys) if rows is None else rows
    where, found = _buckets(row_list, col_list, value_list, rows, _header(grid, keys.row, {}), len(record.buckets))
    bad = [key == was_key and total != was_total for (key, total), (was_key, was_total) in zip(found, record.buckets)]
    if not any(bad):
        return frozenset()
    return frozenset(cells[i] for i in np.flatnonzero(np.asarray(bad)[where]).tolist())


def record_text(record: Record) -> str:
    """The record as text: JSON of its version, titles and buckets (6 characters each)."""
    digits = []
    for key, total in record.buckets:
        number = (key << _SUM_BITS) | total
        digits.append("".join(_ALPHABET[(number >> (6 * i)) & 63] for i in reversed(range(_CHARS))))
    return json.dumps(
        {"v": RECORD_VERSION, "t": list(record.titles), "d": "".join(digits)}, ensure_ascii=False, separators=(",", ":")
    )


def record_formula(record: Record) -> str:
    """A defined name's formula holding the record: text constants of under 255 characters joined by &."""
    text = record_text(record)
    parts = [text[i : i + _LITERAL] for i in range(0, len(text), _LITERAL)] or [""]
    return "&".join('"' + part.replace('"', '""') + '"' for part in parts)


def parse_record(formula: str) -> Record | None:
    """The record a formula holds; None for anything else (a damaged record is no record)."""
    text = _joined_text(formula.strip().lstrip("="))
    if text is None:
        return None
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("v") != RECORD_VERSION:
            return None
        titles, digits = data.get("t"), data.get("d")
        if not isinstance(titles, list) or not all(isinstance(t, str) for t in titles) or not isinstance(digits, str):
            return None
        if len(digits) % _CHARS or len(digits) > MAX_BUCKETS * _CHARS:
            return None
        buckets = []
        for i in range(0, len(digits), _CHARS):
            number = 0
            for ch in digits[i : i + _CHARS]:
                number = number * 64 + _ALPHABET.index(ch)
            buckets.append((number >> _SUM_BITS, number & ((1 << _SUM_BITS) - 1)))
        return Record(tuple(titles), tuple(buckets))
    except ValueError:
        return None


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
