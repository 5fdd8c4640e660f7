"""Turn a workbook to another month: the 月份 cell of its 设置 sheet rewritten in place (the monthly scenario).

The scores stay as they are: pygk does not know that and recomputes every total, rank
and sheet, so a month costs what a month with new scores costs.

    python benchmarks/months.py BOOK MONTH
"""

from __future__ import annotations

import sys
from pathlib import Path

from pygk.adapters.xlsx.adapter import open_book
from pygk.adapters.xlsx.shared_sheet import patch_cells
from pygk.adapters.xlsx.sheet_edit import CellWrite
from pygk.core import texts
from pygk.core.values import header_key

MONTH_KEY = "月份"


def set_month(book: Path, month: int) -> None:
    """Write `month` into the 月份 cell of the 设置 sheet."""
    set_setting(book, MONTH_KEY, month)


def set_setting(book: Path, key: str, value: object) -> None:
    """Write `value` into column B of the 设置 row whose column A says `key`, the rest of the file as it was."""
    from pygk.adapters.xlsx.adapter import SheetGrids

    package, workbook = open_book(book)
    try:
        grid = SheetGrids(package, workbook)[texts.SETTINGS_SHEET]
        row = next(r for r, cells in enumerate(grid) if cells and header_key(cells[0]) == header_key(key))
        ref = workbook.sheet(texts.SETTINGS_SHEET)
        package.write(ref.part, patch_cells(package.read(ref.part), {row: {1: CellWrite(value)}}))
        package.save(book)
    finally:
        package.close()


if __name__ == "__main__":
    set_month(Path(sys.argv[1]), int(sys.argv[2]))
