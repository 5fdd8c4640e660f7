"""How fast each way of reading an input sheet is, in CPU seconds (best of three): what read.py's choice rests on.

    python benchmarks/readers.py 100000      # a generated workbook of that many units (two sheets)

Rows: inflating the part alone; lxml iterparse with every row cleared and nothing read; the
pull parser pygk streams with (`stream.Stream`), rows dropped and nothing read (the floor of
pygk's reader); pygk's sheet_grid (values, positions, merges, date styles, formula cells);
python-calamine's to_python (values only, inflating included); and calamine made safe: the
bounds of the used range found first from the rows' numbers and last cells (calamine
allocates that whole rectangle before anything can be checked), then calamine.
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

from pygk.adapters.xlsx.read import MERGE_CELLS, ROW, SHEET_DATA, sheet_grid
from pygk.adapters.xlsx.stream import Stream

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


def bare_stream(data: bytes) -> int:
    """Rows handed out by pygk's streaming pull parser, nothing read."""
    return sum(len(batch) for batch in Stream(data, (SHEET_DATA, MERGE_CELLS)).batches())


def used_bounds(data: bytes) -> tuple[int, int]:
    """The last row number and the longest last-cell reference: what calamine would need checked before it reads."""
    last_row, last_ref = 0, ""
    for batch in Stream(data, (SHEET_DATA,)).batches():
        for row in batch:
            last_row = max(last_row, int(row.get("r") or 0))
            if len(row):
                ref = row[-1].get("r") or ""
                last_ref = max(last_ref, ref, key=len)
    return last_row, len(last_ref)


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
            ("pygk's pull parser, rows dropped", lambda: bare_stream(data)),
            ("pygk sheet_grid (lxml)", lambda: sheet_grid(data, [], frozenset(), PART)),
            ("python-calamine to_python", lambda: calamine_values(book)),
            ("bounds first, then calamine", lambda: (used_bounds(data), calamine_values(book))),
        ]
        for label, work in rows:
            print(f"{label:>32}: {cpu(work):.3f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100000)
