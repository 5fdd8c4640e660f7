"""Build the example workbooks in workbook/examples/ (invented data, the kinds of table other bulletins print).

    python tools/build_examples.py          # writes workbook/examples/*.xlsx
    python tools/build_examples.py DIR      # writes them into DIR (tests/test_examples.py compares)

- 加权指数.xlsx: a weighted index (0.4 / 0.35 / 0.25), dense ranks, 名次 and 综合指数 before the items,
  ties by pinyin, the summary naming ties.
- 录入总分.xlsx: an inspection team's entered 合计, a count of problems shown but not added, maxima in
  the headers, one entered total that does not add up (a warning).
- 名单顺序.xlsx: two groups kept in roster order with ranks, strict score lines (＞90, <60), one
  sentence per group, a clause dropped when its list is empty, an 附件标题 with {年}.
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "workbook" / "examples"
BOLD = Font(name="宋体", size=11, bold=True)

COMMON: list[list[object]] = [
    ["项目", "值", "说明"],
    ["年份", 2024],
    ["月份", 5],
    ["发文单位", "某市人民政府办公室"],
    ["通报标题", "{年}年{月}月政务公开工作情况通报"],
]

WEIGHTED: dict[str, list[list[object]]] = {
    "设置": [
        *COMMON,
        [
            "通报段落",
            "{月}月份全市政务公开指数前3名（并列不跳号）为：{较好单位及并列}，共{较好单位数}个单位；"
            "末位为：{较差单位及分数}。",
        ],  # fmt: skip
        ["附件标题", "{月}月份各县（市、区）政务公开指数"],
        ["较好单位数", 3],
        ["较差单位数", 1],
        ["排名方式", "并列不跳号"],
        ["同分排序", "按拼音"],
        ["附件列", "排名、单位名称、总分、信息公开指数、政务服务指数、互动回应指数"],
        ["单位列标题", "县（市、区）"],
        ["总分列标题", "综合指数"],
        ["排名列标题", "名次"],
        [],
        ["评分项目", "满分", "权重", "计入总分"],
        ["信息公开指数", 100, 0.4],
        ["政务服务指数", 100, 0.35],
        ["互动回应指数", 100, 0.25],
        [],
        ["工作表", "附件中名称", "较好单位数", "较差单位数"],
        ["县市区", "各县（市、区）"],
    ],
    "县市区": [
        ["县（市、区）", "信息公开指数", "政务服务指数", "互动回应指数"],
        ["西河县", 85, 90, 78],
        ["青石县", 90, 80, 80],
        ["东城县", 90, 80, 80],
        ["南山区", 80, 80, 100],
        ["北湖市", 95, 70, 82],
        ["白沙县", 70, 75, 80],
    ],
}

ENTERED: dict[str, list[list[object]]] = {
    "设置": [
        *COMMON,
        ["通报段落", "其中表现较好的单位有：{较好单位及分数}；表现较差的有：{较差单位及分数}。"],
        ["附件标题", "{月}月份市直部门政务公开检查结果"],
        ["较好单位数", 2],
        ["较差单位数", 1],
        ["总分来源", "录入"],
        ["总分列标题", "合计"],
        ["表头显示满分", "是"],
        [],
        ["评分项目", "满分", "权重", "计入总分"],
        ["网站检查", 60],
        ["政务新媒体", 40],
        ["发现问题数", None, None, "否"],
        [],
        ["工作表", "附件中名称", "较好单位数", "较差单位数"],
        ["市直部门", "市直部门"],
    ],
    "市直部门": [
        ["单位名称", "网站检查", "政务新媒体", "发现问题数", "合计"],
        ["发展改革委", 55, 36, 1, 91],
        ["教育局", 50, 38, 2, 88],
        ["民政局", 58, 35, 0, 93],
        ["财政局", 48, 30, 5, 80],
        ["文化广电和旅游局", None, None, None, 85],
        ["统计局", 40, 30, 6, 70],
    ],
}

ROSTER: dict[str, list[list[object]]] = {
    "设置": [
        *COMMON,
        ["通报段落", "{月}月份检查情况如下：{分组段落}共{较好单位数}个单位表现较好。"],
        ["附件标题", "{年}年{月}月{组}检查结果"],
        ["较好单位评选方式", "按分数线"],
        ["较好分数线", "＞90"],
        ["较差单位评选方式", "按分数线"],
        ["较差分数线", "<60"],
        ["显示排名列", "是"],
        ["附件排序", "按名单顺序"],
        [],
        ["评分项目", "满分"],
        ["公开", 60],
        ["服务", 40],
        [],
        ["工作表", "附件中名称", "较好单位数", "较差单位数", "段落"],
        ["镇（街道）", "乡镇（街道）", None, None, "{组}：{较好单位及分数}表现较好[，{较差单位}表现较差]。"],
        ["区直部门", "区直部门", None, None, "{组}：{较好单位及分数}表现较好[，{较差单位}表现较差]。"],
    ],
    "镇（街道）": [
        ["单位名称", "公开", "服务"],
        ["城关镇", 55, 37],
        ["温泉街道", 57, 38],
        ["安乐镇", 54, 36],
        ["白马镇", 30, 28],
        ["山化镇", 45, 30],
    ],
    "区直部门": [
        ["单位名称", "公开", "服务"],
        ["财政局", 50, 38],
        ["科技局", 52, 36],
        ["文化广电和旅游局", 55, 36],
        ["审计局", 40, 21],
    ],
}

BOOKS = {"加权指数.xlsx": WEIGHTED, "录入总分.xlsx": ENTERED, "名单顺序.xlsx": ROSTER}


def write(target: Path, grids: dict[str, list[list[object]]]) -> None:
    """One example workbook: a sheet per grid, header rows in bold, names and 说明 columns widened."""
    book = Workbook()
    book.remove(book.active)
    for name, grid in grids.items():
        sheet = book.create_sheet(name)
        for row in grid:
            sheet.append(row)
            if row and (row[0] in ("项目", "评分项目", "工作表") or sheet.max_row == 1):
                for cell in sheet[sheet.max_row]:
                    cell.font = BOLD
        sheet.column_dimensions["A"].width = 20
        sheet.column_dimensions["B"].width = 40 if name == "设置" else 14
    book.save(target)


def build(folder: Path) -> list[Path]:
    """Write every example into `folder`; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, grids in BOOKS.items():
        write(folder / name, grids)
        paths.append(folder / name)
    return paths


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else EXAMPLES):
        print(path)
