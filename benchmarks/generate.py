"""Synthetic workbooks in the template's layout, of any size, for the benchmark and the tests.

python benchmarks/generate.py 5000 out.xlsx
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from openpyxl import Workbook

CATEGORIES = ("公共服务得分", "交流互动得分", "网站建设及安全得分", "政务信息公开得分")
MAXIMA = (5, 5, 15, 75)


def settings_rows(groups: list[str]) -> list[list[object]]:
    """A complete 设置 sheet for these group sheets."""
    rows: list[list[object]] = [
        ["项目", "值", "说明"],
        ["年份", 2021], ["月份", 11], ["发文单位", "某区人民政府办公室"], ["期号", 12], ["发文日期", "2021年12月7日"],
        ["通报标题", "{年}年{月}月政府网站管理和政务公开工作情况通报"],
        ["通报段落", "{月}月份抽查情况。其中表现较好的单位有：{较好单位}；表现较差的有：{较差单位}。"],
        ["附件标题", "{月}月份{组}网站管理和政务公开情况"],
        ["较好单位评选方式", "按名次"], ["较好单位数", 2], ["较差单位评选方式", "按名次"], ["较差单位数", 1],
        [],
        ["评分项目", "满分"],
        *[[c, m] for c, m in zip(CATEGORIES, MAXIMA)],
        [],
        ["工作表", "附件中名称"],
        *[[g, g] for g in groups],
    ]  # fmt: skip
    return rows


def make_workbook(path: Path, units: int, groups: int = 2, seed: int = 7) -> Path:
    """A workbook of `units` units split over `groups` input sheets, scores in halves."""
    rnd = random.Random(seed)
    names = [f"第{g + 1}组" for g in range(groups)]
    book = Workbook(write_only=True)
    settings = book.create_sheet("设置")
    for row in settings_rows(names):
        settings.append(row)
    per_group = [units // groups + (1 if g < units % groups else 0) for g in range(groups)]
    for name, count in zip(names, per_group):
        sheet = book.create_sheet(name)
        sheet.append(["单位名称", "简称", *CATEGORIES])
        for i in range(count):
            scores = [rnd.randint(0, 2 * m) / 2 for m in MAXIMA]
            sheet.append([f"{name}单位{i + 1:06d}", None, *scores])
    book.save(path)
    return path


if __name__ == "__main__":
    make_workbook(Path(sys.argv[2]), int(sys.argv[1]))
