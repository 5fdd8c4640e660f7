"""How fast each way of reading an input sheet is, in CPU seconds (best of three): what read.py's choice rests on.

    python benchmarks/readers.py 100000      # a generated workbook of that many units (two sheets)

Rows: inflating the part alone; lxml iterparse with every row cleared and nothing read (the
floor of any lxml reader); pygk's sheet_grid (values, positions, merges, date styles, formula
cells); python-calamine's to_python (values only, inflating included).
"""

from __future__ import annotations

import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from generate import make_workbook
from lxml import etree
from python_calamine import CalamineWorkbook

from pygk.adapters.xlsx.read import ROW, sheet_grid

SHEET, PART = "第1组", "xl/worksheets/sheet2.xml"


def cpu(work: Callable[[], object], repeat: int = 3) -> float:
    """The least CPU time of `repeat` calls."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def bare_iterparse(data: bytes) -> int:
    """Rows seen by iterparse with each one cleared and nothing read."""
    count = 0
    for _, row in etree.iterparse(BytesIO(data), events=("end",), tag=ROW, huge_tree=True):
        count += 1
        row.clear()
    return count


def calamine_values(book: Path) -> list[list[object]]:
    """The first input sheet's values as python-calamine reads them (inflating included)."""
    return CalamineWorkbook.from_path(str(book)).get_sheet_by_name(SHEET).to_python()


def main(units: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        book = make_workbook(Path(folder) / "book.xlsx", units)
        data = zipfile.ZipFile(book).read(PART)
        print(f"{units // 2:,} rows, {len(data) / 1e6:.1f} MB of sheet XML")
        rows = [
            ("inflate the part", lambda: zipfile.ZipFile(book).read(PART)),
            ("lxml iterparse, rows cleared", lambda: bare_iterparse(data)),
            ("pygk sheet_grid (lxml)", lambda: sheet_grid(data, [], frozenset(), PART)),
            ("python-calamine to_python", lambda: calamine_values(book)),
        ]
        for label, work in rows:
            print(f"{label:>32}: {cpu(work):.3f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100000)
