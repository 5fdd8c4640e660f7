"""The findings core: rules and findings read from grids, validated with located messages, deductions capped."""

from __future__ import annotations

import datetime

import pytest

from pygk.core import days, findings
from pygk.core.cells import DateSerial, DateText
from pygk.core.errors import Problem

ITEMS = ["公共服务得分", "网站建设及安全得分"]
RULES = [
    ["扣分规则（每行一种问题）"],
    ["问题类型", "评分项目", "每次扣分", "单项最多扣分", "单项否决"],
    ["栏目更新不及时", "公共服务得分", 2, 5, "否"],
    ["错别字", "公共服务得分", 0.5, None, None],
    ["错别字", "网站建设及安全得分", 1, 2, "否"],
    ["严重表述错误", "网站建设及安全得分", None, None, "是"],
    [None, None, None, None, None],
]
HEADER = ["单位名称", "评分项目", "问题类型", "问题描述", "扣分", "发现日期", "网址或栏目", "整改期限", "整改情况"]


def rules() -> tuple[findings.Rule, ...]:
    problems: list[Problem] = []
    result = findings.read_rules(RULES, ITEMS, problems)
    assert problems == [] and result is not None
    return result


def read(rows: list[list[object]]) -> tuple[tuple[findings.Finding, ...] | None, list[str]]:
    problems: list[Problem] = []
    result = findings.read_findings([HEADER, *rows], rules(), ITEMS, problems)
    return result, [str(p) for p in problems]


def test_serial_numbers_are_excels():
    assert days.serial(2023, 3, 15) == 45000
    assert days.serial(1900, 3, 1) == 61
    assert days.civil(45000) == (2023, 3, 15)
    assert days.month_end(2021, 11) == days.serial(2021, 11, 30)
    assert days.month_end(2021, 12) == days.serial(2021, 12, 31)
    assert days.month_end(2024, 2) == days.serial(2024, 2, 29)
    assert days.day_text(days.serial(2021, 12, 5)) == "2021年12月5日"


def test_each_adapters_date_is_one_day():
    """The file adapter's DateSerial and DateText and the live adapter's datetime give the same serial."""
    expected = days.serial(2021, 11, 5)
    assert days.read_day(DateSerial(expected + 0.75)) == expected  # the time of day is dropped
    assert days.read_day(DateText("2021-11-05T00:00:00")) == expected
    assert days.read_day(datetime.datetime(2021, 11, 5, 9, 30)) == expected
    assert days.read_day(datetime.date(2021, 11, 5)) == expected
    assert days.read_day(None) is None and days.read_day("  ") is None
    for not_a_day in ("2021-11-05", "2021年11月5日", 44505.0, True):
        with pytest.raises(days.NotADay):
            days.read_day(not_a_day)


def test_rules_read_with_blanks_meaning_no_default_and_no_cap():
    first, second, third, veto = rules()
    assert (first.problem, first.item, first.per_finding, first.cap, first.veto) == (
        "栏目更新不及时", "公共服务得分", 2, 5, False)  # fmt: skip
    assert (second.cap, second.veto) == (None, False)
    assert (third.item, third.cap) == ("网站建设及安全得分", 2)
    assert (veto.per_finding, veto.veto, veto.row) == (None, True, 5)


def test_bad_rules_are_located():
    bad = [
        ["问题类型", "评分项目", "每次扣分", "单项最多扣分", "单项否决"],
        ["栏目更新不及时", "在线服务", 2, None, None],
        ["错别字", "公共服务得分", -1, "五", "可能"],
        ["错别字", "公共服务得分", 1, None, None],
        [None, "公共服务得分", 1, None, None],
    ]
    problems: list[Problem] = []
    assert findings.read_rules(bad, ITEMS, problems) is None
    assert [str(p) for p in problems] == [
        "工作表“扣分规则”单元格 B2：评分项目“在线服务”不在“设置”的评分项目中。"
        "请改为其中之一：“公共服务得分”、“网站建设及安全得分”。",
        "工作表“扣分规则”单元格 C3：“每次扣分”应为 0 或正数，"
        "实际为“-1”。请改为数字，如 0.5；留空表示由“扣分明细”逐条填写扣分。",
        "工作表“扣分规则”单元格 D3：“单项最多扣分”应为 0 或正数，实际为“五”。请改为数字，如 0.5；留空表示不设上限。",
        "工作表“扣分规则”单元格 E3：“单项否决”只能填“是”或“否”（留空为“否”），实际为“可能”。",
        "工作表“扣分规则”单元格 A4：问题类型“错别字”（评分项目“公共服务得分”）重复（另见第 3 行）。请删除其中一行。",
        "工作表“扣分规则”单元格 A5：这一行没有填写问题类型。请填写问题类型，或清空整行。",
    ]


def test_findings_take_points_from_the_rule_and_item_when_blank():
    found = days.serial(2021, 11, 3)
    rows = [
        ["民政局", None, "栏目更新不及时", "通知公告栏目 3 个月未更新", None, DateSerial(found), "通知公告",
         DateSerial(found + 30), "未整改"],
        [None] * 9,
        ["民政局", "网站建设及安全得分", "错别字", "“政务公开”误为“政务公示”", 1.5, None, None, None, "已整改"],
        ["统计局", "网站建设及安全得分", "严重表述错误", "领导姓名错误", None, None, None, None, None],
    ]  # fmt: skip
    result, messages = read(rows)
    assert messages == [] and result is not None
    update, typo, veto = result
    assert (update.item, update.points, update.found, update.deadline, update.row) == (
        "公共服务得分", 2, found, found + 30, 1)  # fmt: skip
    assert (update.description, update.where, update.rectified) == ("通知公告栏目 3 个月未更新", "通知公告", False)
    assert (typo.points, typo.rectified) == (1.5, True)
    assert (veto.points, veto.unit_cell) == (0, "A5")


def test_a_problem_type_under_two_items_needs_its_item():
    _, messages = read([["民政局", None, "错别字", None, None, None, None, None, None]])
    assert messages == [
        "工作表“扣分明细”单元格 B2："
        "问题类型“错别字”在“扣分规则”表中属于多个评分项目（“公共服务得分”、“网站建设及安全得分”）。"
        "请填写评分项目。"
    ]


def test_bad_findings_are_located_and_explained():
    rows = [
        ["民政局", None, "首页打不开", None, None, None, None, None, None],
        ["民政局", "交流互动得分", "栏目更新不及时", None, None, None, None, None, None],
        ["民政局", "网站建设及安全得分", "栏目更新不及时", None, None, None, None, None, None],
        ["民政局", None, "栏目更新不及时", None, -2, None, None, None, None],
        ["民政局", None, "栏目更新不及时", None, "两分", "2021年11月5日", None, DateText("2021-12-01"), None],
        [None, None, "栏目更新不及时", None, DateSerial(3), None, None, 44505, None],
        ["民政局", None, None, "说明", None, None, None, None, None],
    ]
    _, messages = read(rows)
    assert messages == [
        "工作表“扣分明细”单元格 C2：问题类型“首页打不开”不在“扣分规则”表中。"
        "请改为扣分规则中的问题类型，或在“扣分规则”表中为它添加一行。",
        "工作表“扣分明细”单元格 B3：评分项目“交流互动得分”不在“设置”的评分项目中。"
        "请改为其中之一：“公共服务得分”、“网站建设及安全得分”。",
        "工作表“扣分明细”单元格 B4："
        "“扣分规则”表中问题类型“栏目更新不及时”属于评分项目“公共服务得分”，不属于“网站建设及安全得分”。"
        "请改正评分项目或问题类型。",
        "工作表“扣分明细”单元格 E5：扣分 -2 小于 0。请填写 0 或正数，或留空按“扣分规则”扣分。",
        "工作表“扣分明细”单元格 E6：扣分“两分”不是数字。请改为阿拉伯数字，如 0.5，或留空按“扣分规则”扣分。",
        "工作表“扣分明细”单元格 F6：“发现日期”应为日期，这里是“2021年11月5日”（文字或数字，不是日期）。"
        "请重新输入日期，如 2021/11/5，并把单元格格式设为日期（开始 → 数字格式 → 短日期）。",
        "工作表“扣分明细”单元格 A7：这一行有扣分记录但没有单位名称。请填写单位名称，或清空整行。",
        "工作表“扣分明细”单元格 E7：扣分单元格设置成了日期或时间格式。请把格式改为“常规”或“数值”，核对扣分后再运行。",
        "工作表“扣分明细”单元格 H7：“整改期限”应为日期，这里是“44505”（文字或数字，不是日期）。"
        "请重新输入日期，如 2021/11/5，并把单元格格式设为日期（开始 → 数字格式 → 短日期）。",
        "工作表“扣分明细”单元格 C8：没有填写问题类型。请从“扣分规则”表的问题类型中选择一项填写。",
    ]


def test_header_is_found_in_the_first_rows_and_required_columns_named():
    problems: list[Problem] = []
    grid = [["检查记录"], [], ["单位名称", "问题类型"]]
    assert findings.read_findings(grid, rules(), ITEMS, problems) is None
    assert [str(p) for p in problems] == ["工作表“扣分明细”：找不到“扣分”这一列。请在表头行（第 3 行）中添加“扣分”。"]
    problems = []
    assert findings.read_findings([["甲"]] * 25 + [HEADER], rules(), ITEMS, problems) is None
    assert "找不到表头“单位名称”。请在前 20 行中的一行写上表头：单位名称、评分项目" in str(problems[0])


def test_deductions_are_capped_per_rule_and_summed_per_item():
    """栏目更新不及时 4 × 2 = 8 capped at 5; 错别字 under 网站建设 3 × 1 = 3 capped at 2, under 公共服务 not capped."""
    row = ["民政局", None, "栏目更新不及时", None, None, None, None, None, None]
    typo_site = ["民政局", "网站建设及安全得分", "错别字", None, None, None, None, None, None]
    typo_service = ["民政局", "公共服务得分", "错别字", None, None, None, None, None, None]
    veto = ["统计局", None, "严重表述错误", None, None, None, None, None, None]
    other = ["统计局", None, "栏目更新不及时", None, 1.5, None, None, None, None]
    items, messages = read([row] * 4 + [typo_site] * 3 + [typo_service] * 3 + [veto, other, veto])
    assert messages == [] and items is not None
    result = findings.Findings(rules(), items)
    assert result.deductions() == {
        "民政局": {"公共服务得分": 5 + 3 * 0.5, "网站建设及安全得分": 2},
        "统计局": {"网站建设及安全得分": 0, "公共服务得分": 1.5},
    }
    assert result.failed() == {"统计局": ("严重表述错误",)}
    assert findings.item_score(20, 6.5) == 13.5
    assert findings.item_score(5, 6.5) == 0
    problems = findings.unknown_units(result, {"民政局"})
    assert [str(p) for p in problems][0] == (
        "工作表“扣分明细”单元格 A12：单位“统计局”不在任何分组的录入表中。请按录入表中的单位名称填写（可从录入表复制）。"
    )
    assert len(problems) == 3


def test_read_needs_rules_beside_findings():
    problems: list[Problem] = []
    assert findings.read({"设置": []}, ITEMS, problems) is None and problems == []
    assert findings.read({"扣分明细": [HEADER]}, ITEMS, problems) is None
    assert [str(p) for p in problems] == [
        "工作表“扣分明细”：有“扣分明细”表，但没有“扣分规则”表。请添加“扣分规则”表，"
        "表头为：问题类型、评分项目、每次扣分、单项最多扣分、单项否决。"
    ]
    problems = []
    result = findings.read({"扣分明细": [HEADER], "扣分规则": RULES}, ITEMS, problems)
    assert problems == [] and result is not None and result.items == () and len(result.rules) == 4


def _result(totals: list[float]):
    import pandas as pd
    from conftest import settings_grid

    from pygk.core.plan import rank_group
    from pygk.core.roster import Columns, Roster
    from pygk.core.settings import parse_settings

    settings = parse_settings(settings_grid())
    units = [f"单位{i}" for i in range(len(totals))]
    table = pd.DataFrame({"unit": units, "short": units, "row": range(1, len(totals) + 1)})
    for n, category in enumerate(settings.categories):
        table[category.name] = [t if n == 0 else 0.0 for t in totals]
    columns = Columns(0, 0, 1, (2, 3, 4, 5), None, None, 6)
    return rank_group(Roster(settings.groups[0], columns, table), settings), settings


def test_a_vetoed_unit_is_worst_and_best_is_picked_among_the_others():
    from pygk.core.plan import with_vetoes

    result, settings = _result([99.5, 99.5, 99, 90, 80])  # 单位1 tied first, 不合格
    vetoed = with_vetoes(result, settings, {"单位1"})
    assert list(vetoed.is_best) == [True, False, True, False, False]  # two best without it: 单位0, 单位2
    assert list(vetoed.is_worst) == [False, True, False, False, True]  # the lowest of the others, and 单位1
    assert list(vetoed.rank) == list(result.rank) == [1, 1, 3, 4, 5]
    assert with_vetoes(result, settings, set()) is result
    everybody = with_vetoes(result, settings, {f"单位{i}" for i in range(5)})
    assert not everybody.is_best.any() and everybody.is_worst.all()


def test_findings_texts_fill_the_summary_beside_the_unit_lists_and_drop_in_brackets_when_empty():
    """{不合格单位} in brackets goes when nobody failed; {主要问题} outside brackets reads 无; the lists as usual."""
    from general_books import settings_rows

    from pygk.core.settings import parse_settings
    from pygk.core.summary import Named, summary

    template = "较好：{较好单位}[；不合格：{不合格单位}]。主要问题：{主要问题}。[{重复问题}又被发现。]"
    settings = parse_settings(settings_rows({"通报段落": template}, [["信息公开", 60]], [["区直单位", "区直单位"]]))
    best = [(Named("民政局", 60, 1),)]
    texts_found = {"不合格单位": "统计局", "主要问题": "错别字等问题", "重复问题": "统计局（错别字）"}
    assert summary(settings, settings.groups, best, [()], texts_found) == (
        "较好：民政局；不合格：统计局。主要问题：错别字等问题。统计局（错别字）又被发现。"
    )
    nothing = {"不合格单位": "", "主要问题": "", "重复问题": ""}
    assert summary(settings, settings.groups, best, [()], nothing) == "较好：民政局。主要问题：无。"


def test_a_text_column_too_long_for_its_share_wraps_and_its_rows_grow():
    from pygk.core import layout

    header = ("单位名称", "问题描述", "扣分")
    assert layout.lines_of("很" * 10, 5 * layout.UNITS_PER_WIDE_CHAR + layout.TEXT_PAD_UNITS) == 2
    short = layout.table_sizes(header, [0], ["甲局"], "标题", [1], [["甲局", "↑3", "1"]])
    assert short.wrapped == () and short.widths == layout.table_sizes(header, [0], ["甲局"], "标题").widths
    long_text = "很" * 80
    cells = [["甲局", "短", "1"], ["乙局", long_text, "0.5"]]
    sizes = layout.table_sizes(header, [0], ["甲局", "乙局"], "标题", [1], cells)
    lines = layout.lines_of(long_text, sizes.widths[1])
    assert sizes.wrapped == (1,) and lines > 1
    assert sizes.row_heights == (layout.BODY_ROW_PT, layout.BODY_ROW_PT + (lines - 1) * layout.LINE_PT)
    assert sum(sizes.widths) == pytest.approx(layout.PAGE_WIDTH_UNITS, abs=0.05)
    assert sizes.widths[2] >= layout.MIN_NUMBER_UNITS and sizes.widths[0] == short.widths[0]  # names never wrap


def test_a_column_sized_by_content_stays_within_excels_widest():
    """A number as long as 1e300 prints in 301 digits; its column is no wider than Excel's 255 units."""
    from pygk.core import layout

    widths = layout.content_widths(
        ["单位名称", "扣分", "问题描述"], {0: 14.0}, [2], [["甲", str(10**300), "文字" * 80]]
    )
    assert max(widths) == layout.MAX_COLUMN_UNITS
