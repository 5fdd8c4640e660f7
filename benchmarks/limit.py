"""The baseline near the physical limit: python-calamine reads, plain Python ranks, xlsxwriter writes the annexes only.

It does the least a run must: read each group sheet's values (Rust), total and sort them,
and stream one annex sheet per group to a new file. No validation, no input-sheet edits,
no history, no bulletin, nothing kept of the clerk's workbook.

    python benchmarks/limit.py BOOK OUT
"""

from __future__ import annotations

import sys

import xlsxwriter
from python_calamine import CalamineWorkbook

SETTINGS, GROUPS_KEY = "设置", "工作表"


def group_sheets(settings: list[list[object]]) -> list[str]:
    """The input sheets listed under 工作表 in 设置."""
    start = next(i for i, row in enumerate(settings) if row and row[0] == GROUPS_KEY)
    return [row[0] for row in settings[start + 1 :] if row and isinstance(row[0], str) and row[0]]


def main(book: str, out: str) -> None:
    workbook = CalamineWorkbook.from_path(book)
    groups = group_sheets(workbook.get_sheet_by_name(SETTINGS).to_python())
    output = xlsxwriter.Workbook(out, {"constant_memory": True})
    border = output.add_format({"border": 1, "font_name": "仿宋_GB2312", "font_size": 12, "align": "center"})
    for n, group in enumerate(groups, start=1):
        header, *rows = workbook.get_sheet_by_name(group).to_python()
        scores = [i for i, name in enumerate(header) if isinstance(name, str) and name.endswith("得分")]
        table = [(row[0], *(row[i] for i in scores), sum(row[i] or 0 for i in scores)) for row in rows if row[0]]
        table.sort(key=lambda row: -row[-1])  # stable: ties keep the roster order
        sheet = output.add_worksheet(f"附件{n}")
        sheet.write_row(0, 0, [f"附件{n}"])
        sheet.write_row(2, 0, [header[0], *(header[i] for i in scores), "总分"], border)
        for r, row in enumerate(table, start=3):
            sheet.write_row(r, 0, row, border)
        sheet.repeat_rows(2)
    output.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
