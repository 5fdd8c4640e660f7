"""The naive baseline the benchmark compares against: how one would script this by hand.

pandas.read_excel each group sheet -> total and sort -> DataFrame.to_excel with openpyxl ->
reopen with openpyxl and format the annex row by row -> save.

    python benchmarks/naive.py BOOK OUT
"""

from __future__ import annotations

import sys

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Border, Font, Side

CATEGORIES = ["公共服务得分", "交流互动得分", "网站建设及安全得分", "政务信息公开得分"]


def main(book: str, out: str) -> None:
    settings = pd.read_excel(book, sheet_name="设置", header=None)
    start = settings.index[settings[0] == "工作表"][0]
    groups = [g for g in settings[0][start + 1 :] if isinstance(g, str)]
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for n, group in enumerate(groups, start=1):
            table = pd.read_excel(book, sheet_name=group)
            table["总分"] = table[CATEGORIES].sum(axis=1)
            table = table.sort_values("总分", ascending=False, kind="stable")
            table[["单位名称", *CATEGORIES, "总分"]].to_excel(writer, sheet_name=f"附件{n}", index=False, startrow=2)
    workbook = openpyxl.load_workbook(out)
    thin = Side(style="thin")
    for sheet in workbook.worksheets:
        sheet["A1"] = sheet.title
        for row in sheet.iter_rows(min_row=3):
            for cell in row:
                cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
                cell.font = Font(name="仿宋_GB2312", size=12)
                cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.print_title_rows = "3:3"
    workbook.save(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
