"""扣分历史: each month's findings kept, and the next bulletin saying which of last month's problems recur."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
from build_findings_example import TARGET
from conftest import sheet_values

from pygk.cli import main
from pygk.core import findings_history
from pygk.core.errors import Problem
from pygk.core.findings import Finding, Findings, Rule

HEADER = ["年份", "月份", "单位名称", "评分项目", "问题类型", "问题描述", "扣分", "整改期限", "整改情况"]


def finding(unit: str, problem: str) -> Finding:
    return Finding(0, unit, "公共服务得分", problem, "", 1.0, None, "", None, "", "A1")


def test_past_findings_are_read_and_this_month_replaced():
    grid = [HEADER, [2021, 10, "民政局", "公共服务得分", "错别字", "", 1, "", ""],
            [2021, 11, "民政局", "公共服务得分", "错别字", "", 1, "", ""], [], [2021, 12, "统计局", "公共服务得分",
            "错别字", "", 1, "", "已整改"]]  # fmt: skip
    problems: list[Problem] = []
    past = findings_history.parse(grid, problems)
    assert problems == [] and [(p.year, p.month, p.unit) for p in past] == [(2021, 10, "民政局"), (2021, 11, "民政局"),
                                                                            (2021, 12, "统计局")]  # fmt: skip
    rules = (Rule("错别字", "公共服务得分", 1, None, False, 1),)
    now = Findings(rules, (finding("财政局", "错别字"),))
    grid_out = findings_history.history_grid(past, now, 2021, 11)
    assert [row[:3] for row in grid_out[1:]] == [(2021, 10, "民政局"), (2021, 11, "财政局"), (2021, 12, "统计局")]
    assert findings_history.history_grid((), None, 2021, 11) == ()


def test_a_broken_header_and_a_bad_month_are_located():
    problems: list[Problem] = []
    assert findings_history.parse([HEADER[:-1]], problems) == ()
    assert str(problems[0]).startswith("工作表“扣分历史”：找不到列“整改情况”。")
    problems = []
    findings_history.parse([HEADER, [2021, "十月", "民政局", "公共服务得分", "错别字"]], problems)
    assert [p.cell for p in problems] == ["B2"]


def test_recurring_problems_are_last_months_pairs_found_again():
    past = findings_history.parse([HEADER, *([2021, 10, "统计局", "公共服务得分", "错别字"] for _ in range(3)),
                                   [2021, 10, "民政局", "公共服务得分", "错别字"],
                                   [2021, 9, "财政局", "公共服务得分", "错别字"]], [])  # fmt: skip
    rules = (Rule("错别字", "公共服务得分", 1, None, False, 1), Rule("链接", "公共服务得分", 1, None, False, 2))
    now = Findings(rules, (finding("统计局", "错别字"), finding("民政局", "链接"), finding("财政局", "错别字")))
    result = findings_history.followup(past, now, 2021, 11)
    assert result == findings_history.Followup(earlier=4, again=3, recurring={"统计局": ("错别字",)})
    groups = [[("民政局", "区民政局"), ("统计局", "统计局")]]
    assert findings_history.followup_texts(result, groups) == {
        "上月问题": "上月发现的 4 个问题中，1 个本月未再发现，3 个仍然存在",
        "重复问题": "统计局（错别字）",
    }
    assert findings_history.followup(past, now, 2021, 9) is None


def test_next_month_names_what_recurs(tmp_path: Path):
    book_path = tmp_path / "扣分示例.xlsx"
    shutil.copyfile(TARGET, book_path)
    assert main(["run", str(book_path)]) == 0
    assert len(sheet_values(book_path, "扣分历史")) == 1 + 44
    book = openpyxl.load_workbook(book_path)
    for row in book["设置"].iter_rows():
        if row[0].value == "月份":
            row[1].value = 12
        elif row[0].value == "期号":
            row[1].value = 13
        elif row[0].value == "通报段落":
            row[1].value = "{上月问题}。重复问题：{重复问题}。较差：{较差单位}。"
    sheet = book["扣分明细"]
    keep = {("统计局", "栏目更新不及时"), ("商城街道", "留言未按时答复"), ("民政局", "链接无法访问")}
    kept_once = set()
    for r in range(sheet.max_row, 1, -1):
        pair = (sheet.cell(r, 1).value, sheet.cell(r, 3).value)
        if pair not in keep or pair in kept_once:
            sheet.delete_rows(r)
        else:
            kept_once.add(pair)
    sheet.append(["民政局", None, "链接无法访问", "新发现", None])
    book.save(book_path)
    assert main(["run", str(book_path)]) == 0
    paragraph = next(r[1] for r in sheet_values(book_path, "通报") if r[0] == "概述")
    # November: 统计局 had 3 栏目更新不及时 and 商城街道 3 留言未按时答复 among 44 findings: 6 found again, 38 not;
    # 民政局's 链接无法访问 is new. December totals: 统计局 98, 民政局 99, 商城街道 99, everybody else 100.
    assert paragraph == (
        "上月发现的 44 个问题中，38 个本月未再发现，6 个仍然存在。"
        "重复问题：统计局（栏目更新不及时）和商城街道（留言未按时答复）。较差：统计局和商城街道。"
    )
    rows = sheet_values(book_path, "扣分历史")
    assert len(rows) == 1 + 44 + 3 and {r[1] for r in rows[1:]} == {11, 12}
    assert main(["run", str(book_path)]) == 0  # December again: replaced, not added
    assert len(sheet_values(book_path, "扣分历史")) == 1 + 44 + 3


def test_a_findings_history_past_excels_last_row_is_refused(findings_example: Path):
    """Checked before anything is written, like the 历史 sheet (a plan with one row too many, built cheaply)."""
    import dataclasses

    from pygk.adapters.xlsx import adapter
    from pygk.core.cells import MAX_ROWS
    from pygk.core.limits import plan_problems

    plan = adapter.check(findings_example)
    grids = {"设置": [list(r) for r in openpyxl.load_workbook(findings_example)["设置"].iter_rows(values_only=True)]}
    assert plan_problems(plan, grids) == []
    big = dataclasses.replace(plan, findings_history=((),) * (MAX_ROWS + 1))
    assert [str(p) for p in plan_problems(big, grids)] == [
        "工作表“扣分历史”：“扣分历史”表将有 1048577 行，超过 Excel 的上限 1048576 行。"
        "请把较早月份的记录另存到别的工作簿，并从“扣分历史”表中删除这些行后再运行。"
    ]


def test_a_clerks_sheet_named_like_the_findings_history_is_never_written(findings_example: Path, capsys):
    book = openpyxl.load_workbook(findings_example)
    book.create_sheet("扣分历史")["A1"] = "我的记录"
    book.save(findings_example)
    before = findings_example.read_bytes()
    assert main(["run", str(findings_example)]) == 1
    err = capsys.readouterr().err
    assert "工作表“扣分历史”：这张表不是 pygk 生成的，但 pygk 需要用“扣分历史”这个名称写入扣分历史记录。" in err
    assert findings_example.read_bytes() == before
