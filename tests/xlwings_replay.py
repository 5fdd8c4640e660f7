"""Run xlwings' own remote engine on a workbook's values and replay the actions it records.

xlwings' remote engine (`xw.Book(json=...)`, xlwings.pro) turns every call the live adapter
makes into a JSON action instead of a call into Excel. `Replay` applies the value actions
to a model of the sheets, as Excel would, and keeps the formatting actions for inspection.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl


def book_api(grids: dict[str, list[list[object]]], name: str = "通报.xlsm", names: list[dict] | None = None) -> dict:
    """The JSON an Excel client sends to xlwings' remote engine, for these sheet values and defined names."""
    import xlwings as xw

    sheets = []
    for sheet, grid in grids.items():
        width = max((len(r) for r in grid), default=1)
        values = [["" if v is None else v for v in row] + [""] * (width - len(row)) for row in grid] or [[""]]
        sheets.append(
            {"name": sheet, "values": values, "pictures": [], "tables": [], "charts": [], "visibility": "Visible"}
        )
    return {
        "client": "Office.js",
        "version": xw.__version__,
        "book": {"name": name, "active_sheet_index": 0, "selection": "A1"},
        "names": names or [],
        "sheets": sheets,
    }


def file_grids(path: Path) -> dict[str, list[list[object]]]:
    """Each sheet's values of a workbook file, read with openpyxl."""
    book = openpyxl.load_workbook(path)
    return {s.title: [list(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets}


def file_names(path: Path) -> list[dict]:
    """A workbook file's defined names as the remote engine's payload lists them (definitions verbatim)."""
    book = openpyxl.load_workbook(path)
    sheets = [s.title for s in book.worksheets]
    found = [{"name": n, "refers_to": "=" + d.attr_text, "sheet_index": None, "address": None, "book_scope": True,
              "scope_sheet_name": None, "scope_sheet_index": None} for n, d in book.defined_names.items()]  # fmt: skip
    for index, sheet in enumerate(book.worksheets):
        for n, d in sheet.defined_names.items():
            scope = {"book_scope": False, "scope_sheet_name": sheets[index], "scope_sheet_index": index}
            found.append({"name": n, "refers_to": "=" + d.attr_text, "sheet_index": None, "address": None, **scope})
    return found


def remote_book(grids: dict[str, list[list[object]]], names: list[dict] | None = None):
    """An xlwings Book on the remote engine (tests/conftest.py sets the noncommercial key)."""
    assert os.environ.get("XLWINGS_LICENSE_KEY"), "set before xlwings is imported"
    import xlwings as xw

    return xw.Book(json=book_api(grids, names=names))


@dataclass
class Replay:
    """Sheets as Excel would hold them after the recorded actions, and the other actions by sheet."""

    names: list[str]
    cells: dict[str, dict[tuple[int, int], object]]
    formats: list[tuple[str, str, list, tuple[int, int, int, int]]] = field(default_factory=list)
    other: list[dict] = field(default_factory=list)

    @classmethod
    def run(cls, grids: dict[str, list[list[object]]], actions: list[dict]) -> Replay:
        cells = {name: {(r, c): v for r, row in enumerate(g) for c, v in enumerate(row) if v not in (None, "")}
                 for name, g in grids.items()}  # fmt: skip
        replay = cls(list(grids), cells)
        for action in actions:
            replay.apply(action)
        return replay

    def apply(self, action: dict) -> None:
        func, position = action["func"], action["sheet_position"]
        if func == "addSheet":
            index, name = action["args"]
            self.names.insert(index, name)
            self.cells[name] = {}
            return
        if position is None:
            self.other.append(action)
            return
        name = self.names[position]
        rect = (action["start_row"], action["start_column"], action["row_count"], action["column_count"])
        if func == "setValues":
            for r, row in enumerate(action["values"]):
                for c, value in enumerate(row):
                    key = (rect[0] + r, rect[1] + c)
                    if isinstance(value, str) and value.startswith("'"):
                        value = value[1:]  # Excel's text prefix is not part of the value
                    if value in (None, ""):
                        self.cells[name].pop(key, None)
                    else:
                        self.cells[name][key] = value
        elif func in ("sheetClear", "sheetClearContents"):
            self.cells[name] = {}
        elif func == "sheetDelete":
            del self.cells[name]
            self.names.remove(name)
        elif func in ("rangeClearContents", "rangeClear"):
            top, left, rows, cols = rect
            for key in [k for k in self.cells[name] if top <= k[0] < top + rows and left <= k[1] < left + cols]:
                del self.cells[name][key]
        else:
            self.formats.append((name, func, action["args"], rect))

    def grid(self, name: str) -> list[tuple[object, ...]]:
        """A sheet's values as rows from A1, trailing empty cells and rows dropped."""
        cells = self.cells[name]
        if not cells:
            return []
        rows = max(r for r, _ in cells) + 1
        out = []
        for r in range(rows):
            row = [cells.get((r, c)) for c in range(max((c for (rr, c) in cells if rr == r), default=-1) + 1)]
            out.append(tuple(row))
        return out
