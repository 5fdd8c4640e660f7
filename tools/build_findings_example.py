"""Build the findings example workbook: scores computed from 44 invented inspection findings.

    python tools/build_findings_example.py            # writes workbook/examples/扣分示例.xlsx
    python tools/build_findings_example.py OUT.xlsx   # writes elsewhere (the tests compare the two)

The template's 设置 with 得分来源 按扣分计算, a 满分 for each item and a paragraph naming
the main problems; two small groups whose score cells are left for pygk; a 扣分规则 sheet
of seven rules (one a veto) and a 扣分明细 sheet. Every number here is invented.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT))

from build_template import build_bulletin, build_group, build_settings, order_fonts, settings_rows, style_header  # noqa: E402,I001

from pygk.core import texts  # noqa: E402

TARGET = ROOT / "workbook" / "examples" / "扣分示例.xlsx"
MAXIMA = {"公共服务得分": 10, "交流互动得分": 10, "网站建设及安全得分": 30, "政务信息公开得分": 50}
PARAGRAPH = (
    "{月}月份，从区政府办公室对各单位网站的检查情况来看，部分单位存在{主要问题}。其中，{问题单位}。"
    "表现较好的单位有：{较好单位}；表现较差的有：{较差单位}。评定为不合格的有：{不合格单位}。"
)
GROUPS = {
    "区直单位": [("公安局", ""), ("发展和改革委员会", "发改委"), ("教育体育局", ""), ("民政局", "区民政局"),
                 ("财政局", ""), ("卫生健康委员会", "卫健委"), ("统计局", ""), ("社保中心", "")],
    "镇（街道）": [("槐新街道", ""), ("伊洛街道", ""), ("商城街道", ""), ("首阳山街道", ""), ("山化镇", "")],
}  # fmt: skip
RULES = [
    ("栏目更新不及时", "政务信息公开得分", 2, 6, "否"),
    ("信息发布不规范", "政务信息公开得分", 1, 4, "否"),
    ("错别字", "网站建设及安全得分", 0.5, 3, "否"),
    ("链接无法访问", "网站建设及安全得分", 1, 3, "否"),
    ("留言未按时答复", "交流互动得分", 1, None, "否"),
    ("办事指南要素缺失", "公共服务得分", 0.5, 2, "否"),
    ("严重错误表述", "网站建设及安全得分", None, None, "是"),
]
NOV, DEC = 11, 12
# unit, problem type, description, 扣分 (None: the rule's), found (day of November), deadline (month, day), 整改情况
FINDINGS = [
    ("公安局", "栏目更新不及时", "“警务公开”栏目 3 个月未更新", None, 3, (NOV, 20), "已整改"),
    ("公安局", "错别字", "首页“户籍办理”误为“户藉办理”", None, 3, (DEC, 15), ""),
    ("公安局", "错别字", "通知正文“截止”误为“截至”", None, 8, (DEC, 15), ""),
    ("发展和改革委员会", "信息发布不规范", "价格公示未注明发布机关", None, 4, (DEC, 15), ""),
    ("发展和改革委员会", "留言未按时答复", "10 月 8 日留言超期未答复", None, 4, (DEC, 15), ""),
    ("教育体育局", "栏目更新不及时", "“招生信息”栏目 2 个月未更新", None, 5, (NOV, 20), "未整改"),
    ("教育体育局", "栏目更新不及时", "“通知公告”栏目 3 个月未更新", None, 5, (DEC, 15), ""),
    ("教育体育局", "信息发布不规范", "政策文件缺少文号", None, 5, (DEC, 15), ""),
    ("教育体育局", "链接无法访问", "“办事服务”入口链接失效", None, 5, (DEC, 15), ""),
    ("民政局", "错别字", "“社会救助”误为“社会求助”", None, 9, (DEC, 15), ""),
    ("财政局", "栏目更新不及时", "“预决算公开”栏目未更新", None, 10, (DEC, 15), ""),
    ("财政局", "栏目更新不及时", "“政府采购”栏目 4 个月未更新", None, 10, (DEC, 15), ""),
    ("财政局", "栏目更新不及时", "“资金管理”栏目 3 个月未更新", None, 10, (DEC, 15), ""),
    ("财政局", "栏目更新不及时", "“工作动态”栏目 2 个月未更新", None, 10, (DEC, 15), ""),
    ("财政局", "办事指南要素缺失", "办事指南缺少办理时限", None, 10, (DEC, 15), ""),
    ("卫生健康委员会", "留言未按时答复", "11 月 2 日留言超期未答复", None, 11, (DEC, 15), ""),
    ("统计局", "栏目更新不及时", "“统计数据”栏目 3 个月未更新", None, 12, (DEC, 15), ""),
    ("统计局", "栏目更新不及时", "“统计分析”栏目 4 个月未更新", None, 12, (DEC, 15), ""),
    ("统计局", "栏目更新不及时", "“通知公告”栏目 2 个月未更新", None, 12, (DEC, 15), ""),
    ("统计局", "信息发布不规范", "统计公报缺少发布日期", None, 12, (DEC, 15), ""),
    ("统计局", "信息发布不规范", "年报附件无法下载", None, 12, (DEC, 15), ""),
    ("统计局", "信息发布不规范", "解读材料未关联原文件", None, 12, (DEC, 15), ""),
    ("统计局", "信息发布不规范", "同一信息重复发布", None, 12, (DEC, 15), ""),
    ("统计局", "信息发布不规范", "信息标题与正文不符", None, 12, (DEC, 15), ""),
    ("统计局", "链接无法访问", "“统计年鉴”链接失效", None, 12, (DEC, 15), ""),
    ("社保中心", "严重错误表述", "首页领导姓名错误", None, 15, (NOV, 25), "未整改"),
    ("社保中心", "错别字", "“养老保险”误为“养老保检”", None, 15, (DEC, 15), ""),
    ("槐新街道", "栏目更新不及时", "“村务公开”栏目 3 个月未更新", None, 16, (DEC, 15), ""),
    ("槐新街道", "链接无法访问", "“便民服务”链接失效", None, 16, (DEC, 15), ""),
    ("槐新街道", "链接无法访问", "“政策解读”链接失效", None, 16, (DEC, 15), ""),
    ("伊洛街道", "错别字", "“乡村振兴”误为“乡村振新”", None, 17, (DEC, 15), ""),
    ("商城街道", "栏目更新不及时", "“工作动态”栏目 3 个月未更新", None, 18, (DEC, 15), ""),
    ("商城街道", "栏目更新不及时", "“通知公告”栏目 2 个月未更新", None, 18, (DEC, 15), ""),
    ("商城街道", "信息发布不规范", "公示信息缺少发布机关", None, 18, (DEC, 15), ""),
    ("商城街道", "留言未按时答复", "10 月 12 日留言超期未答复", None, 18, (DEC, 15), ""),
    ("商城街道", "留言未按时答复", "10 月 20 日留言超期未答复", None, 18, (DEC, 15), ""),
    ("商城街道", "留言未按时答复", "10 月 26 日留言超期未答复", None, 18, (DEC, 15), ""),
    ("商城街道", "办事指南要素缺失", "“低保申请”缺少申请材料", None, 18, (DEC, 15), ""),
    ("商城街道", "办事指南要素缺失", "“计生服务”缺少办理地点", None, 18, (DEC, 15), ""),
    ("商城街道", "办事指南要素缺失", "“老龄服务”缺少咨询电话", None, 18, (DEC, 15), ""),
    ("商城街道", "办事指南要素缺失", "“残疾人服务”缺少办理时限", None, 18, (DEC, 15), ""),
    ("商城街道", "办事指南要素缺失", "“就业服务”缺少收费标准", None, 18, (DEC, 15), ""),
    ("山化镇", "链接无法访问", "首页多个链接失效", 2, 19, (DEC, 15), ""),
    ("山化镇", "错别字", "“人居环境”误为“人居坏境”", None, 19, (DEC, 15), ""),
]
ITEM_OF = {problem: item for problem, item, *_ in RULES}


def settings_rows_for_findings() -> list[list[str]]:
    """The template's 设置 rows with 得分来源 按扣分计算, the paragraph, the 满分 and this example's groups."""
    rows = []
    for row in settings_rows():
        row = list(row)
        if row and row[0] == texts.KEY_SUMMARY:
            row[1] = PARAGRAPH
        elif row and row[0] in MAXIMA:
            row[1:2] = [str(MAXIMA[row[0]])]
        elif row and row[0] == texts.KEY_TREND_UNITS:
            row[1] = "民政局、统计局"
        elif row and row[0] == texts.KEY_SCORE_SOURCE:
            row[1] = texts.SOURCE_FINDINGS
        rows.append(row)
    return rows


def build_rules(book: Workbook) -> None:
    sheet = book.create_sheet(texts.RULES_SHEET)
    sheet.append(list(texts.RULES_HEADER))
    for rule in RULES:
        sheet.append(list(rule))
    style_header(sheet[1])
    for letter, width in zip("ABCDE", (20, 20, 10, 14, 10)):
        sheet.column_dimensions[letter].width = width


def build_findings(book: Workbook) -> None:
    sheet = book.create_sheet(texts.FINDINGS_SHEET)
    sheet.append(list(texts.FINDINGS_HEADER))
    for unit, problem, description, points, found, (month, day), status in FINDINGS:
        sheet.append([unit, ITEM_OF[problem], problem, description, points, datetime.date(2021, NOV, found),
                      texts.F_WHERE, datetime.date(2021, month, day), status or None])  # fmt: skip
        for col in (6, 8):
            sheet.cell(sheet.max_row, col).number_format = "yyyy/m/d"
        sheet.cell(sheet.max_row, 7).value = "首页"
    style_header(sheet[1])
    for letter, width in zip("ABCDEFGHI", (18, 18, 16, 36, 8, 12, 14, 12, 10)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"


def build(target: Path) -> None:
    """Write the example workbook to `target`."""
    book = Workbook()
    build_settings(book, settings_rows_for_findings())
    header = ["单位名称", "简称", *MAXIMA]
    for sheet, units in GROUPS.items():
        build_group(book, sheet, [header, *([name, short, "", "", "", ""] for name, short in units)], MAXIMA)
    build_bulletin(book, len(GROUPS) + 1)  # the score annexes and the 问题清单
    build_rules(book)
    build_findings(book)
    book.active = 1
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    order_fonts(target)


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET)
