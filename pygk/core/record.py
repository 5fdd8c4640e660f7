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
bucket whose keys changed (a unit deleted, a cell cleared) cannot tell and is not checked.
On small sheets there are eight buckets per cell, so an edit is located to its own cell.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pygk.core.cells import Grid, at
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


def _row_keys(column: Sequence[object]) -> list[str]:
    """Each row's key: its key cell's text and how many rows above had the same text."""
    seen: dict[str, int] = {}
    keys = []
    for value in column:
        text = "" if is_blank(value) else canonical(value)
        count = seen.get(text, 0)
        seen[text] = count + 1
        keys.append(f"{text}#{count}")
    return keys


def _buckets(entries: Iterable[tuple[str, str, object]], count: int) -> tuple[tuple[int, int], ...]:
    """The digest of (row key, column key, value) entries over `count` buckets."""
    keys = [0] * count
    sums = [0] * count
    key_mask, sum_mask = (1 << _KEY_BITS) - 1, (1 << _SUM_BITS) - 1
    crc = zlib.crc32
    for row_key, col_key, value in entries:
        key = crc((row_key + "\x1f" + col_key).encode())
        bucket = key % count
        keys[bucket] = (keys[bucket] + (key >> 20)) & key_mask
        sums[bucket] = (sums[bucket] + crc(canonical(value).encode(), key)) & sum_mask
    return tuple(zip(keys, sums))


def _column(grid: Grid, col: int, overlay: Mapping[Cell, object]) -> list[object]:
    """A column's values, with the cells pygk is about to write or clear as they will be."""
    values = [row[col] if col < len(row) else None for row in grid]
    for (row, c), value in overlay.items():
        if c == col:
            values += [None] * (row + 1 - len(values))
            values[row] = value
    return values


def _header(grid: Grid, row: int, overlay: Mapping[Cell, object]) -> dict[int, str]:
    """Each column's header text, with pygk's writes applied."""
    cells = grid[row] if row < len(grid) else []
    headers = {c: canonical(v) for c, v in enumerate(cells) if not is_blank(v)}
    for (r, c), value in overlay.items():
        if r == row:
            if is_blank(value):
                headers.pop(c, None)
            else:
                headers[c] = canonical(value)
    return headers


def _entries(cells: Iterable[tuple[int, int, object]], rows: Sequence[str],
             headers: Mapping[int, str]) -> Iterable[tuple[str, str, object]]:  # fmt: skip
    for row, col, value in cells:
        yield (rows[row] if row < len(rows) else f"#{row}"), headers.get(col, ""), value


def new_record(grid: Grid, keys: Keys, written: Mapping[Cell, object], owned: Sequence[Cell],
               titles: Sequence[str] = ()) -> Record:  # fmt: skip
    """The record of a run's writes: `written` maps each cell written or cleared (None) to its new value."""
    kept = [(r, c, written[(r, c)]) for r, c in owned if not is_blank(written.get((r, c)))]
    count = min(MAX_BUCKETS, max(16, BUCKETS_PER_CELL * len(kept)))
    rows = _row_keys(_column(grid, keys.column, written))
    headers = _header(grid, keys.row, written)
    return Record(tuple(titles), _buckets(_entries(kept, rows, headers), count))


def changed_cells(grid: Grid, keys: Keys, cells: Iterable[Cell], record: Record | None) -> frozenset[Cell]:
    """The cells (of `cells`, pygk's own holding a value) in buckets whose keys match the record and sums do not."""
    if record is None or not record.buckets:
        return frozenset()
    cells = list(cells)
    rows = _row_keys(_column(grid, keys.column, {}))
    headers = _header(grid, keys.row, {})
    count = len(record.buckets)
    found = _buckets(_entries(((r, c, at(grid, r, c)) for r, c in cells), rows, headers), count)
    bad = {i for i, ((key, total), (was_key, was_total)) in enumerate(zip(found, record.buckets))
           if key == was_key and total != was_total}  # fmt: skip
    if not bad:
        return frozenset()
    return frozenset(
        (r, c) for r, c in cells
        if zlib.crc32(((rows[r] if r < len(rows) else f"#{r}") + "\x1f" + headers.get(c, "")).encode()) % count in bad
    )  # fmt: skip


def record_text(record: Record) -> str:
    """The record as text: JSON of its version, titles and buckets (6 characters each)."""
    digits = []
    for key, total in record.buckets:
        number = (key << _SUM_BITS) | total
        digits.append("".join(_ALPHABET[(number >> (6 * i)) & 63] for i in reversed(range(_CHARS))))
    return json.dumps({"v": RECORD_VERSION, "t": list(record.titles), "d": "".join(digits)}, ensure_ascii=False,
                      separators=(",", ":"))


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
