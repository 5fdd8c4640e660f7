"""The findings example (workbook/examples/扣分示例.xlsx): scores, annexes, 问题清单 and paragraph from 44 findings.

Expected values are worked out by hand from the rules and findings in tools/build_findings_example.py:
满分 公共服务 10, 交流互动 10, 网站建设及安全 30, 政务信息公开 50. Rules: 栏目更新不及时 2 (cap 6),
信息发布不规范 1 (cap 4), 错别字 0.5 (cap 3), 链接无法访问 1 (cap 3), 留言未按时答复 1 (no cap),
办事指南要素缺失 0.5 (cap 2), 严重错误表述 veto.
"""

from __future__ import annotations

import os
import re
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from build_findings_example import TARGET, build
from build_template import BUILT_WITH
from conftest import CATEGORIES, libreoffice_found, sheet_values
from neutral_reading import read_file
from test_template import pinned
from xlwings_replay import Replay, file_grids, file_names, remote_book

from pygk import excel
from pygk.adapters.xlsx import adapter
from pygk.cli import main
from pygk.core import layout, texts

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')

# unit: (公共服务, 交流互动, 网站建设及安全, 政务信息公开, 总分), each worked out from its findings
SCORES = {
    "公安局": (10, 10, 30 - 2 * 0.5, 50 - 2, 97),  # 栏目 2; 错别字 ×2
    "发展和改革委员会": (10, 10 - 1, 30, 50 - 1, 98),  # 信息发布不规范 1; 留言 1
    "教育体育局": (10, 10, 30 - 1, 50 - 2 * 2 - 1, 94),  # 栏目 ×2, 信息发布 1; 链接 1
    "民政局": (10, 10, 30 - 0.5, 50, 99.5),
    "财政局": (10 - 0.5, 10, 30, 50 - 6, 93.5),  # 栏目 ×4 = 8, capped at 6; 办事指南 0.5
    "卫生健康委员会": (10, 10 - 1, 30, 50, 99),
    "统计局": (10, 10, 30 - 1, 50 - 6 - 4, 89),  # 栏目 ×3 = 6; 信息发布 ×5 = 5, capped at 4; 链接 1
    "社保中心": (10, 10, 30 - 0.5, 50, 99.5),  # the veto costs no points, but the unit is 不合格
    "槐新街道": (10, 10, 30 - 2, 50 - 2, 96),
    "伊洛街道": (10, 10, 30 - 0.5, 50, 99.5),
    "商城街道": (10 - 2, 10 - 3, 30, 50 - 4 - 1, 90),  # 办事指南 ×5 = 2.5, capped at 2; 留言 ×3, no cap
    "首阳山街道": (10, 10, 30, 50, 100),  # no findings: full marks
    "山化镇": (10, 10, 30 - 2 - 0.5, 50, 97.5),  # 链接 typed as 2 (not the rule's 1); 错别字 0.5
}
PARAGRAPH = (
    "11月份，从区政府办公室对各单位网站的检查情况来看，部分单位存在栏目更新不及时、信息发布不规范、错别字等问题。"
    "其中，栏目更新不及时的有：公安局、教育体育局、财政局、统计局和槐新街道、商城街道；"
    "信息发布不规范的有：发改委、教育体育局、统计局和商城街道；"
    "错别字的有：公安局、区民政局、社保中心和伊洛街道、山化镇。"
    "表现较好的单位有：区民政局、卫健委和首阳山街道、伊洛街道；表现较差的有：社保中心、统计局和商城街道。"
    "评定为不合格的有：社保中心。"
)  # 栏目 13 findings, 信息发布 8, then 错别字 and 办事指南 6 each: 错别字 comes first in 扣分规则


def test_committed_example_is_what_the_tool_builds(tmp_path: Path):
    fresh = tmp_path / "fresh.xlsx"
    build(fresh)

    def parts(path: Path) -> dict[str, bytes]:
        with zipfile.ZipFile(path) as archive:
            return {n: archive.read(n) for n in archive.namelist() if n != "docProps/core.xml"}

    if pinned(BUILT_WITH):  # the bytes depend on openpyxl's version; by meaning with another
        assert parts(fresh) == parts(TARGET), "run python tools/build_findings_example.py and commit"
    assert read_file(fresh) == read_file(TARGET), "run python tools/build_findings_example.py and commit"
    rows = sheet_values(TARGET, "扣分明细")[1:]
    assert len(rows) == 44 and len({r[0] for r in rows}) == 12


def test_scores_come_from_the_findings_and_are_written_on_the_input_sheets(findings_example: Path, tmp_path: Path):
    out = tmp_path / "结果.xlsx"
    assert main(["run", str(findings_example), "-o", str(out)]) == 0
    for sheet in ("区直单位", "镇（街道）"):
        for row in sheet_values(out, sheet)[1:]:
            assert row[2:7] == SCORES[row[0]], row
    annex = sheet_values(out, "附件1")
    assert annex[2] == ("单位名称", *CATEGORIES, "总分", "评定")
    assert [(r[0], r[5], r[6]) for r in annex[3:]] == [
        ("民政局", 99.5, None), ("社保中心", 99.5, "不合格"), ("卫生健康委员会", 99, None),
        ("发展和改革委员会", 98, None), ("公安局", 97, None), ("教育体育局", 94, None), ("财政局", 93.5, None),
        ("统计局", 89, None),
    ]  # fmt: skip
    towns = sheet_values(out, "附件2")
    assert towns[2][-1] == "总分"  # no 不合格 in this group: no 评定 column
    assert [r[0] for r in towns[3:]] == ["首阳山街道", "伊洛街道", "山化镇", "槐新街道", "商城街道"]
    bulletin = {r[0]: r[1] for r in sheet_values(out, "通报") if r[0] in ("概述",)}
    assert bulletin["概述"] == PARAGRAPH
    attachments = [r[1] for r in sheet_values(out, "通报") if r[0] == "附件"]
    assert attachments[-1] == "3．2021年11月份网站检查发现问题清单"


def test_problem_list_annex_lists_each_unit_s_findings(findings_example: Path, tmp_path: Path):
    out = tmp_path / "结果.xlsx"
    assert main(["run", str(findings_example), "-o", str(out)]) == 0
    rows = sheet_values(out, "附件3")
    assert rows[:3] == [
        ("附件3", None, None, None, None, None),
        ("11月份网站检查发现问题清单", None, None, None, None, None),
        ("单位名称", "评分项目", "问题类型", "问题描述", "扣分", "整改期限"),
    ]
    body = rows[3:]
    assert len(body) == 44
    assert body[0] == (
        "公安局",
        "政务信息公开得分",
        "栏目更新不及时",
        "“警务公开”栏目 3 个月未更新",
        2,
        "11月20日",
    )
    assert body[25] == ("社保中心", "网站建设及安全得分", "严重错误表述", "首页领导姓名错误", 0, "11月25日")
    assert body[-1] == ("山化镇", "网站建设及安全得分", "错别字", "“人居环境”误为“人居坏境”", 0.5, "12月15日")
    units = [r[0] for r in body]
    assert list(dict.fromkeys(units)) == [u for u in SCORES if u != "首阳山街道"]  # group, then roster order


def test_a_second_run_rewrites_pygks_scores_after_a_finding_changes(findings_example: Path):
    assert main(["run", str(findings_example)]) == 0
    book = openpyxl.load_workbook(findings_example)
    book["扣分明细"]["E2"] = 5  # 公安局's 栏目更新不及时: 5 points instead of the rule's 2
    book.save(findings_example)
    assert main(["run", str(findings_example)]) == 0
    row = next(r for r in sheet_values(findings_example, "区直单位") if r[0] == "公安局")
    assert row[2:7] == (10, 10, 29, 45, 94)


def test_a_clerks_typed_score_is_never_overwritten(findings_example: Path, capsys):
    book = openpyxl.load_workbook(findings_example)
    book["区直单位"]["D3"] = 7  # 发改委's 交流互动得分, typed by the clerk
    book.save(findings_example)
    before = findings_example.read_bytes()
    assert main(["run", str(findings_example)]) == 1
    err = capsys.readouterr().err
    assert "工作表“区直单位”：单元格 D3 已有内容，不是 pygk 写入的，pygk 不会覆盖。" in err
    assert "“得分来源”为“按扣分计算”" in err
    assert findings_example.read_bytes() == before


@pytest.mark.parametrize(
    ("cell", "value", "message"),
    [
        ("A3", "公安分局", "工作表“扣分明细”单元格 A3：单位“公安分局”不在任何分组的录入表中。"),
        ("C4", "首页打不开", "工作表“扣分明细”单元格 C4：问题类型“首页打不开”不在“扣分规则”表中。"),
        ("B5", "在线服务得分", "工作表“扣分明细”单元格 B5：评分项目“在线服务得分”不在“设置”的评分项目中。"),
        ("E6", -1, "工作表“扣分明细”单元格 E6：扣分 -1 小于 0。"),
        ("H7", "12月15日", "工作表“扣分明细”单元格 H7：“整改期限”应为日期，这里是“12月15日”（文字或数字，不是日期）。"),
    ],
)
def test_bad_findings_are_located_and_nothing_is_written(findings_example: Path, capsys, cell, value, message):
    book = openpyxl.load_workbook(findings_example)
    book["扣分明细"][cell] = value
    book.save(findings_example)
    before = findings_example.read_bytes()
    assert main(["run", str(findings_example)]) == 1
    assert message in capsys.readouterr().err
    assert findings_example.read_bytes() == before


def test_live_adapter_writes_what_the_file_adapter_writes(findings_example: Path, tmp_path: Path, monkeypatch):
    """xlwings gives the dates as datetime objects; the scores and 问题清单 come out the same."""
    monkeypatch.setattr(excel, "LOG_FILE", tmp_path / "pygk.log")
    grids = file_grids(findings_example)
    book = remote_book(grids, file_names(findings_example))
    excel.run_command(book, "all")
    replay = Replay.run(grids, book.json()["actions"])
    out = tmp_path / "file.xlsx"
    adapter.run(findings_example, out)
    written = file_grids(out)
    for name in ("区直单位", "镇（街道）", "附件1", "附件3", "扣分历史"):
        rows = [tuple(r[: max((i + 1 for i, v in enumerate(r) if v is not None), default=0)]) for r in written[name]]
        while rows and not rows[-1]:
            rows.pop()
        assert replay.grid(name) == rows, name


def test_check_counts_groups_not_annexes(findings_example: Path, capsys):
    assert main(["check", str(findings_example)]) == 0
    assert "检查通过：2 个分组，共 13 个单位，没有发现问题。" in capsys.readouterr().out


def test_derived_scores_need_findings_and_maxima(tmp_path: Path, capsys):
    """The demo has no 满分 and no 扣分明细: 按扣分计算 is refused, naming what to add; a bad choice is located."""
    from conftest import settings_grid, source_grids, write_book

    grids = source_grids()
    grids["设置"] = settings_grid(得分来源="按扣分计算")
    book = write_book(tmp_path / "通报.xlsx", grids)
    before = book.read_bytes()
    assert main(["run", str(book)]) == 1
    err = capsys.readouterr().err
    assert "工作表“设置”：“得分来源”为“按扣分计算”，但工作簿中没有“扣分明细”表。" in err
    assert "工作表“区直单位”：“得分来源”为“按扣分计算”时每个评分项目都要有满分，“公共服务得分”没有。" in err
    assert book.read_bytes() == before
    grids["设置"] = settings_grid(得分来源="扣分")
    row = next(n for n, r in enumerate(grids["设置"], start=1) if r and r[0] == "得分来源")  # the template's row
    book = write_book(tmp_path / "通报2.xlsx", grids)
    assert main(["run", str(book)]) == 1
    expected = f"工作表“设置”单元格 B{row}：“得分来源”只能是 “录入”、“按扣分计算”，实际为“扣分”。"
    assert expected in capsys.readouterr().err


def _weighted_findings_book(keys: dict[str, object], header: list[str], rows: list[list[object]]):
    """One group whose items come from findings, with a weight and an item that does not count (issue 10's model)."""
    from general_books import settings_rows

    items = [["信息公开", 60, 0.5], ["办事服务", 40], ["互动", 10, None, "否"]]
    rules = [["问题类型", "评分项目", "每次扣分", "单项最多扣分", "单项否决"],
             ["栏目更新不及时", "信息公开", 4, 10, None], ["办事指南缺失", "办事服务", 3, None, None],
             ["留言未答复", "互动", 2, None, None]]  # fmt: skip
    found = [["甲局", None, "栏目更新不及时", None, None, None, None, None, None]] * 3
    found += [["乙局", None, "办事指南缺失", None, None, None, None, None, None]] * 2
    found += [["乙局", None, "留言未答复", None, None, None, None, None, None]]
    settings = settings_rows({"得分来源": "按扣分计算", **keys}, items, [["区直单位", "区直单位"]])
    return {"设置": settings, "区直单位": [header, *rows], "扣分规则": rules,
            "扣分明细": [list(texts.FINDINGS_HEADER), *found]}  # fmt: skip


def test_derived_scores_are_weighted_and_an_item_not_counted_is_only_shown(tmp_path: Path):
    """得分来源 按扣分计算 with 权重 and 计入总分 否: 总分 = 0.5 × 信息公开 + 办事服务 (互动 shown, not added).

    甲局: 栏目更新不及时 3 × 4 = 12 capped at 10, 信息公开 50: 25 + 40 = 65.
    乙局: 办事指南缺失 2 × 3 = 6, 办事服务 34; 留言未答复 2, 互动 8: 30 + 34 = 64.  丙局: no findings, 30 + 40 = 70.
    """
    from general_books import annex, run_book

    header = ["单位名称", "信息公开", "办事服务", "互动"]
    path = tmp_path / "w.xlsx"
    code, _ = run_book(path, _weighted_findings_book({}, header, [["甲局"], ["乙局"], ["丙局"]]))
    assert code == 0
    columns, body = annex(path, 1)
    assert columns == ("单位名称", "信息公开", "办事服务", "互动", "总分")
    assert body == [("丙局", 60, 40, 10, 70), ("甲局", 50, 40, 10, 65), ("乙局", 60, 34, 8, 64)]
    written = [row[:5] for row in sheet_values(path, "区直单位")[1:]]  # pygk's item scores and 总分 on the input sheet
    assert written == [("甲局", 50, 40, 10, 65), ("乙局", 60, 34, 8, 64), ("丙局", 60, 40, 10, 70)]
    columns, body = annex(path, 2)  # the 问题清单 after the score annex
    assert columns[:3] == ("单位名称", "评分项目", "问题类型") and len(body) == 6


def test_derived_scores_with_entered_totals_rank_the_entered_total_and_warn(tmp_path: Path, capsys):
    """总分来源 录入 beside 按扣分计算: the team's 总分 ranks, pygk writes the items, a total off the items is noted."""
    from general_books import annex, run_book

    header = ["单位名称", "信息公开", "办事服务", "互动", "总分"]
    path = tmp_path / "e.xlsx"
    rows = [["甲局", None, None, None, 65], ["乙局", None, None, None, 70], ["丙局", None, None, None, 70]]
    code, err = run_book(path, _weighted_findings_book({"总分来源": "录入"}, header, rows), capsys)
    assert code == 0
    _, body = annex(path, 1)
    assert body == [("乙局", 60, 34, 8, 70), ("丙局", 60, 40, 10, 70), ("甲局", 50, 40, 10, 65)]
    assert "工作表“区直单位”单元格 E3：“乙局”录入的总分 70 与按评分项目计算的 64 相差超过 0.01" in err
    assert [r[4] for r in sheet_values(path, "区直单位")] == ["总分", 65, 70, 70]  # the clerk's, untouched


def test_the_problem_list_sheet_wraps_its_texts_and_its_rows_grow(findings_example: Path, tmp_path: Path):
    """In the workbook the 问题清单's long texts wrap, left-aligned, in columns sized by content; rows grow."""
    out = tmp_path / "结果.xlsx"
    assert main(["run", str(findings_example), "-o", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    sheet = book["附件3"]
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEF"]
    assert sum(widths) == pytest.approx(layout.PAGE_WIDTH_UNITS, abs=0.1)
    assert widths[3] == max(widths[1:])  # 问题描述, the longest texts, gets the widest text column
    body = range(4, 4 + 44)
    for row in body:
        looks = [(c.alignment.horizontal, bool(c.alignment.wrap_text)) for c in sheet[row][:6]]
        assert looks == [("left", False), *[("left", True)] * 3, ("center", False), ("center", False)], row
        texts_ = [str(c.value) for c in sheet[row][1:4]]
        lines = max(layout.lines_of(t, w) for t, w in zip(texts_, widths[1:4]))
        assert sheet.row_dimensions[row].height == layout.BODY_ROW_PT + (lines - 1) * layout.LINE_PT, row
    assert min(sheet.row_dimensions[row].height for row in body) > layout.BODY_ROW_PT  # every item name wraps here
    towns = book["附件2"]  # a score annex: nothing wraps, one-line rows
    assert {towns.row_dimensions[r].height for r in range(4, 9)} == {layout.BODY_ROW_PT}
    assert not any(c.alignment.wrap_text for row in towns.iter_rows(min_row=4) for c in row)


@pytest.mark.skipif(not libreoffice_found() and not os.environ.get("CI"), reason="LibreOffice is not installed here")
def test_pygk_pdf_prints_the_problem_list_whole(findings_example: Path, tmp_path: Path):
    """Printed, no text of the 问题清单 runs into a neighbouring cell (a clipped, unwrapped text would)."""
    pdf = tmp_path / "附件.pdf"
    assert main(["pdf", str(findings_example), "-o", str(pdf)]) == 0
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout.split("\f")
    first = next(n for n, page in enumerate(pages, start=1) if "发现问题清单" in page)
    seen = ""
    for page in range(first, len(pages)):
        boxes = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                               capture_output=True, text=True).stdout  # fmt: skip
        words = [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in WORD.findall(boxes)]
        overlapping = [(x[4], y[4]) for i, x in enumerate(words) for y in words[i + 1 :]
                       if x[1] < y[3] - 1 and y[1] < x[3] - 1 and x[0] < y[2] - 1 and y[0] < x[2] - 1]  # fmt: skip
        assert overlapping == [], (page, overlapping[:3])
        seen += "".join(w[4] for w in words)
    for row in sheet_values(findings_example, "扣分明细")[1:]:
        assert row[3].replace(" ", "") in seen.replace(" ", "")  # each description printed, its lines in order
