"""Cell grids and A1 references, shared by the core and the adapters.

A grid is a sheet's values as rows of cells from A1, 0-based; a missing cell is None.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TypeVar

Grid = Sequence[Sequence[object]]

# Excel's limits (Excel specifications and limits): rows, columns (A to XFD), characters in a cell,
# and the largest number a cell can hold.
MAX_ROWS = 1_048_576
MAX_COLS = 16_384
MAX_CELL_TEXT = 32_767
MAX_NUMBER = 9.99999999999999e307

_REF = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]+)$")

T = TypeVar("T")


class Uncomputed(str):
    """A formula cell whose result was never calculated (the file was not saved by a spreadsheet app)."""


class DateSerial(float):
    """A number whose cell shows it as a date or time (its number format is a date format)."""


class DateText(str):
    """A cell stored as an ISO 8601 date (cell type d)."""


Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (0-based, inclusive)


class SheetGrid(list[list[object]]):
    """A grid read from a file, with the sheet's merged ranges, its formula cells and its tables' totals rows."""

    merges: tuple[Merge, ...] = ()
    formulas: frozenset[tuple[int, int]] = frozenset()  # cells holding a formula (their value is its result)
    totals_rows: frozenset[int] = frozenset()  # rows that are an Excel table's totals row, not data


def formula_cells(grid: Grid) -> frozenset[tuple[int, int]]:
    """The cells of a grid read from a file that hold a formula; none for a plain grid."""
    return getattr(grid, "formulas", frozenset())


def totals_rows(grid: Grid) -> frozenset[int]:
    """Rows that are an Excel table's totals row (汇总, SUBTOTAL…), never a unit."""
    return getattr(grid, "totals_rows", frozenset())


def merged_ranges(grid: Grid) -> tuple[Merge, ...]:
    """The merged ranges of a grid read from a file; none for a plain grid."""
    return getattr(grid, "merges", ())


def is_date(value: object) -> bool:
    """True for a value its cell shows as a date or time."""
    return isinstance(value, (DateSerial, DateText))


def range_ref(merge: Merge) -> str:
    """A1 reference of a range: (0, 0, 1, 2) -> 'A1:C2'."""
    return f"{cell_ref(merge[0], merge[1])}:{cell_ref(merge[2], merge[3])}"


@lru_cache(maxsize=4096)
def column_letter(col: int) -> str:
    """Letters of a 0-based column index: 0 -> A, 26 -> AA."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@lru_cache(maxsize=4096)
def column_index(letters: str) -> int:
    """0-based index of column letters: A -> 0, AA -> 26."""
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def cell_ref(row: int, col: int) -> str:
    """A1 reference of a 0-based (row, col)."""
    return f"{column_letter(col)}{row + 1}"


def parse_ref(ref: str) -> tuple[int, int]:
    """0-based (row, col) of an A1 reference such as 'C5' or '$C$5'."""
    match = _REF.match(ref)
    if match is None:
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(match.group(2)) - 1, column_index(match.group(1))


def ref_column(ref: str) -> int:
    """0-based column of a plain A1 reference such as 'C5' (the fast path for cell parsing)."""
    return column_index(ref.rstrip("0123456789"))


def at(grid: Grid, row: int, col: int) -> object:
    """The value at (row, col), None outside the grid."""
    if row < len(grid):
        cells = grid[row]
        if col < len(cells):
            return cells[col]
    return None


def runs(rows: Sequence[int]) -> list[tuple[int, int]]:
    """Consecutive row numbers grouped: (2, 3, 4, 9) -> [(2, 4), (9, 9)]."""
    grouped: list[tuple[int, int]] = []
    for row in sorted(rows):
        if grouped and grouped[-1][1] == row - 1:
            grouped[-1] = (grouped[-1][0], row)
        else:
            grouped.append((row, row))
    return grouped


def equal_runs(values: Sequence[T]) -> list[tuple[int, int, T]]:
    """Neighbouring equal values grouped by position: (9, 9, 20) -> [(0, 1, 9), (2, 2, 20)]."""
    grouped: list[tuple[int, int, T]] = []
    for index, value in enumerate(values):
        if grouped and grouped[-1][2] == value:
            grouped[-1] = (grouped[-1][0], index, value)
        else:
            grouped.append((index, index, value))
    return grouped
