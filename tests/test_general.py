"""Issue 10: any real bulletin's table, configured in the workbook. Expected values are computed by hand here."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from conftest import sheet_values, write_book
from general_books import annex, run_book, settings_rows, summary

from pygk.cli import main

GROUP = [["区直单位", "区直单位"]]


def one_group(keys, items, header, rows, groups=GROUP):
    return {"设置": settings_rows(keys, items, groups), "区直单位": [header, *rows]}


def test_weighted_index_table(tmp_path: Path):
    """总分 = 0.33 × 信息公开指数 + 0.33 × 政务服务指数 + 0.34 × 互动指数."""
    items = [["信息公开指数", 100, 0.33], ["政务服务指数", 100, 0.33], ["互动指数", 100, 0.34]]
    rows = [["甲局", 90, 80, 70], ["乙局", 80, 80, 80], ["丙局", 100, 60, 70]]
    path = tmp_path / "w.xlsx"
    code, _ = run_book(path, one_group({}, items, ["单位名称", "信息公开指数", "政务服务指数", "互动指数"], rows))
    assert code == 0
    header, body = annex(path, 1)
    assert header == ("单位名称", "信息公开指数", "政务服务指数", "互动指数", "总分")
    # 乙 26.4 + 26.4 + 27.2 = 80; 甲 29.7 + 26.4 + 23.8 = 79.9; 丙 33 + 19.8 + 23.8 = 76.6
    assert body == [("乙局", 80, 80, 80, 80), ("甲局", 90, 80, 70, 79.9), ("丙局", 100, 60, 70, 76.6)]
    assert sheet_values(path, "区直单位")[1][4] == 79.9  # the input sheet's 总分 for 甲局


def test_counts_shown_but_not_added(tmp_path: Path):
    """计入总分 否: read, checked and shown (blank stays blank), not added; 5 points per award."""
    items = [["基础得分", 80], ["获奖次数", None, 5], ["发现问题数", None, None, "否"]]
    rows = [["甲局", 60, 2, 3], ["乙局", 65, 0, None], ["丙局", 70, 0, 0]]
    path = tmp_path / "c.xlsx"
    code, _ = run_book(path, one_group({}, items, ["单位名称", "基础得分", "获奖次数", "发现问题数"], rows))
    assert code == 0
    _, body = annex(path, 1)
    # 甲 60 + 5×2 = 70; 丙 70; 乙 65 (roster order keeps 甲 before 丙)
    assert body == [("甲局", 60, 2, 3, 70), ("丙局", 70, 0, 0, 70), ("乙局", 65, 0, None, 65)]


def test_a_count_not_added_is_still_checked(tmp_path: Path, capsys):
    items = [["基础得分", 80], ["发现问题数", None, None, "否"]]
    grids = one_group({}, items, ["单位名称", "基础得分", "发现问题数"], [["甲局", 60, -1]])
    refused_unchanged(tmp_path / "c.xlsx", grids, capsys, "工作表“区直单位”单元格 C2：分数 -1 小于 0")


def test_entered_total_is_ranked_as_entered_with_a_mismatch_warning(tmp_path: Path, capsys):
    """总分来源 录入: ranked on the team's 总分, never overwritten; a total off by more than 0.01 is a warning."""
    items = [["信息公开", 60], ["办事服务", 40]]
    header = ["单位名称", "信息公开", "办事服务", "总分"]
    rows = [["甲局", 50, 30, 80], ["乙局", 55, 30, 86], ["丙局", None, None, 90], ["丁局", 40, 20, 60.005]]
    path = tmp_path / "e.xlsx"
    code, err = run_book(path, one_group({"总分来源": "录入"}, items, header, rows), capsys)
    assert code == 0
    _, body = annex(path, 1)
    assert body == [("丙局", None, None, 90), ("乙局", 55, 30, 86), ("甲局", 50, 30, 80), ("丁局", 40, 20, 60.005)]
    # 乙局: 55 + 30 = 85 entered as 86 (differs by 1); 丁局 differs by 0.005; 丙局 has no items to compare.
    assert "注意（1 处" in err
    assert "工作表“区直单位”单元格 D3：“乙局”录入的总分 86 与按评分项目计算的 85 相差超过 0.01" in err
    assert [r[3] for r in sheet_values(path, "区直单位")] == ["总分", 80, 86, 90, 60.005]


def test_entered_total_without_a_total_column_is_refused(tmp_path: Path, capsys):
    grids = one_group({"总分来源": "录入"}, [["信息公开", 60]], ["单位名称", "信息公开"], [["甲局", 50]])
    expected = "工作表“区直单位”单元格 C1：“设置”中“总分来源”为“录入”，但本表表头中找不到“总分”列"
    refused_unchanged(tmp_path / "e.xlsx", grids, capsys, expected)


def test_a_blank_entered_total_is_refused(tmp_path: Path, capsys):
    header = ["单位名称", "信息公开", "总分"]
    grids = one_group({"总分来源": "录入"}, [["信息公开", 60]], header, [["甲局", 50, 50], ["乙局", 40, None]])
    refused_unchanged(tmp_path / "e.xlsx", grids, capsys, "单元格 C3：“乙局”的总分没有填写")


def test_roster_order_annex_keeps_ranks(tmp_path: Path):
    items = [["得分", 100]]
    rows = [["东城区", 80], ["西城区", 95], ["南城区", 80], ["北城区", 70]]
    path = tmp_path / "r.xlsx"
    keys = {"附件排序": "按名单顺序", "显示排名列": "是"}
    code, _ = run_book(path, one_group(keys, items, ["单位名称", "得分"], rows))
    assert code == 0
    header, body = annex(path, 1)
    assert header == ("单位名称", "得分", "总分", "排名")
    assert body == [("东城区", 80, 80, 2), ("西城区", 95, 95, 1), ("南城区", 80, 80, 2), ("北城区", 70, 70, 4)]
    assert summary(path) == "其中表现较好的单位有：西城区、东城区、南城区；表现较差的有：北城区。"


def test_rank_and_total_first_with_own_titles_and_maxima(tmp_path: Path):
    """排名 and 总分 before the items, 地市名称 / 总得分(100) / 名次, maxima in the headers."""
    keys = {"附件列": "排名、总分、单位名称、信息公开、在线服务", "单位列标题": "地市名称", "总分列标题": "总得分(100)",
            "排名列标题": "名次", "表头显示满分": "是"}  # fmt: skip
    items = [["信息公开", 30], ["在线服务", None], ["办事指南", 61]]
    header = ["地市名称", "信息公开", "在线服务(9分)", "办事指南"]
    rows = [["甲市", 28, 9, 50], ["乙市", 30, 8.5, 60]]
    path = tmp_path / "t.xlsx"
    code, _ = run_book(path, one_group(keys, items, header, rows))
    assert code == 0
    head, body = annex(path, 1)
    assert head == ("名次", "总得分(100)", "地市名称", "信息公开(30)", "在线服务(9)")
    assert body == [(1, 98.5, "乙市", 30, 8.5), (2, 87, "甲市", 28, 9)]
    assert sheet_values(path, "区直单位")[0][4] == "总得分(100)"  # the input sheet's new column takes the title


def test_dense_best_ten_names_twelve_units(tmp_path: Path):
    """并列不跳号 with 较好单位数 10: two ties above the cut make dense ranks 1–10 cover 12 units."""
    totals = [100, 99, 99, 98, 97, 97, 96, 95, 94, 93, 92, 91, 90]
    rows = [[f"单位{chr(0x7532 + i)}", t] for i, t in enumerate(totals)]
    keys = {"排名方式": "并列不跳号", "较好单位数": 10, "较差单位数": 1,
            "通报段落": "前10名共{较好单位数}个单位：{较好单位及并列}。"}  # fmt: skip
    path = tmp_path / "d.xlsx"
    code, _ = run_book(path, one_group(keys, [["得分", None]], ["单位名称", "得分"], rows))
    assert code == 0
    names = [r[0] for r in rows]
    # dense ranks: 100→1, 99→2 (two), 98→3, 97→4 (two), 96→5 … 91→10, 90→11
    named = [
        names[0],
        f"{names[1]}、{names[2]}（并列第2名）",
        names[3],
        f"{names[4]}、{names[5]}（并列第4名）",
        *names[6:12],
    ]
    assert summary(path) == "前10名共12个单位：" + "、".join(named) + "。"


def test_strict_threshold_over_75(tmp_path: Path):
    """“超过75分”: 较好分数线 ＞75 (full-width) leaves 75 out; 较差分数线 ≤60 takes 60 in."""
    keys = {"较好单位评选方式": "按分数线", "较好分数线": "＞75", "较差单位评选方式": "按分数线", "较差分数线": "≤60"}
    rows = [["甲", 80], ["乙", 75], ["丙", 75.5], ["丁", 60], ["戊", 60.5]]
    path = tmp_path / "s.xlsx"
    code, _ = run_book(path, one_group(keys, [["得分", None]], ["单位名称", "得分"], rows))
    assert code == 0
    assert summary(path) == "其中表现较好的单位有：甲、丙；表现较差的有：丁。"


def test_per_group_phrasing_with_scores_ties_and_counts(tmp_path: Path):
    keys = {"通报段落": "5月份各单位工作情况如下。{分组段落}", "较好单位数": 3, "较差单位数": 1}
    groups = [["乡镇", "乡镇（街道）", None, None, "{组}前3名：{较好单位及分数}；后1名：{较差单位及分数}。"],
              ["部门", "区直部门", 2, None, "{组}较好的有：{较好单位及并列}[，排名靠后的有{较差单位}]。"]]  # fmt: skip
    towns = [["温泉街道", 152], ["安乐镇", 150], ["白马镇", 149.5], ["城关镇", 120]]
    offices = [["财政部", 90], ["科技部", 90], ["文化广电和旅游局", 90]]
    grids = {"设置": settings_rows(keys, [["得分", None]], groups), "乡镇": [["单位名称", "得分"], *towns],
             "部门": [["单位名称", "得分"], *offices]}  # fmt: skip
    path = tmp_path / "p.xlsx"
    code, _ = run_book(path, grids)
    assert code == 0
    assert summary(path) == (
        "5月份各单位工作情况如下。乡镇（街道）前3名：温泉街道（152分）、安乐镇（150分）、白马镇（149.5分）；"
        "后1名：城关镇（120分）。区直部门较好的有：财政部、科技部、文化广电和旅游局（并列第1名）。"
    )  # all three offices tie, so all are best and none is worst: the bracketed clause is dropped


def test_empty_list_reads_none_or_drops_its_clause(tmp_path: Path):
    keys = {"较好单位评选方式": "按分数线", "较好分数线": 99, "较差单位评选方式": "按分数线", "较差分数线": 50,
            "通报段落": "较好的有：{较好单位}【；较差的有：{较差单位}】。"}  # fmt: skip
    path = tmp_path / "n.xlsx"
    code, _ = run_book(path, one_group(keys, [["得分", None]], ["单位名称", "得分"], [["甲", 80], ["乙", 70]]))
    assert code == 0
    assert summary(path) == "较好的有：无。"


def test_group_joiner_is_not_mistaken_for_part_of_a_name(tmp_path: Path, capsys):
    groups = [["部门", "部门"], ["乡镇", "乡镇"]]
    base = {"较好单位数": 1, "较差单位数": 1}

    def grids(keys):
        return {"设置": settings_rows({**base, **keys}, [["得分", None]], groups),
                "部门": [["单位名称", "得分"], ["文化广电和旅游局", 90], ["统计局", 80]],
                "乡镇": [["单位名称", "得分"], ["城关镇", 70], ["安乐镇", 60]]}  # fmt: skip

    path = tmp_path / "j.xlsx"
    assert run_book(path, grids({}))[0] == 0
    assert summary(path) == "其中表现较好的单位有：文化广电和旅游局，城关镇；表现较差的有：统计局，安乐镇。"
    other = tmp_path / "j2.xlsx"
    code, err = run_book(other, grids({"分组连接词": "和"}), capsys)
    assert code == 1
    assert "工作表“设置”单元格 B10：“分组连接词”“和”出现在单位名称“文化广电和旅游局”中" in err


def test_pinyin_ties_in_the_annex(tmp_path: Path):
    rows = [["温泉街道", 90], ["白马镇", 90], ["安乐镇", 90], ["城关镇", 95]]
    path = tmp_path / "py.xlsx"
    code, _ = run_book(path, one_group({"同分排序": "按拼音"}, [["得分", None]], ["单位名称", "得分"], rows))
    assert code == 0
    # an (安) < bai (白) < wen (温)
    assert [r[0] for r in annex(path, 1)[1]] == ["城关镇", "安乐镇", "白马镇", "温泉街道"]


def test_annex_title_with_year_prints_the_year_once(tmp_path: Path):
    path = tmp_path / "y.xlsx"
    code, _ = run_book(path, one_group({"附件标题": "{年}年{月}月{组}得分"}, [["得分", None]], ["单位名称", "得分"],
                                       [["甲", 1]]))  # fmt: skip
    assert code == 0
    rows = sheet_values(path, "通报")
    assert ("附件", "1．2024年5月区直单位得分") in {(r[0], r[1]) for r in rows}


@pytest.mark.parametrize(
    "header", ["信息公开(30分)", "信息公开（30分）", "信息公开（30）", "信息公开 (30)", "信息公开（３０）"]
)
def test_header_maximum_in_any_spelling_is_read_and_enforced(tmp_path: Path, capsys, header: str):
    path = tmp_path / "h.xlsx"
    code, err = run_book(path, one_group({}, [["信息公开", None]], ["单位名称", header], [["甲", 31]]), capsys)
    assert code == 1
    assert "单元格 B2：分数 31 超过“信息公开”的满分 30" in err


def test_item_named_with_its_maximum_and_other_width_parentheses_matches(tmp_path: Path, capsys):
    """An item 信息公开（30分） matches the header 信息公开(30); 网站(建设) matches 网站（建设）; 30 is its maximum."""
    items = [["信息公开（30分）", None], ["网站(建设)", None]]
    path = tmp_path / "m.xlsx"
    code, err = run_book(
        path, one_group({}, items, ["单位名称", "信息公开(30)", "网站（建设）"], [["甲", 31, 1]]), capsys
    )
    assert code == 1 and "单元格 B2：分数 31 超过“信息公开（30分）”的满分 30" in err
    code, _ = run_book(path, one_group({}, items, ["单位名称", "信息公开(30)", "网站（建设）"], [["甲", 30, 1]]))
    assert code == 0
    assert annex(path, 1) == (("单位名称", "信息公开（30分）", "网站(建设)", "总分"), [("甲", 30, 1, 31)])


BAD_SETTINGS = {
    "unknown annex column": ({"附件列": "单位名称、总分、信息化"}, "B8：“附件列”中的“信息化”无法识别"),
    "annex columns without the name": ({"附件列": "总分、得分"}, "B8：“附件列”中没有“单位名称”"),
    "repeated annex column": ({"附件列": "单位名称、得分、得分"}, "B8：“附件列”中“得分”出现了不止一次"),
    "operator typo": (
        {"较好单位评选方式": "按分数线", "较好分数线": "=>75"},
        "B9：“较好分数线”应为数字，前面可加比较符号",
    ),
    "operator the wrong way": ({"较差单位评选方式": "按分数线", "较差分数线": ">60"}, "B9：“较差分数线”应为数字"),
    "bad total source": ({"总分来源": "手填"}, "B8：“总分来源”只能是 “计算”、“录入”"),
    "bad annex order": ({"附件排序": "按笔画"}, "B8：“附件排序”只能是 “按总分”、“按名单顺序”"),
    "group paragraphs with nowhere to go": (
        {"_段落": "{组}：{较好单位}。"},
        "B6：分组表中填写了“段落”，但“通报段落”中没有 {分组段落}",
    ),
    "unknown placeholder in a group paragraph": (
        {"_段落": "{组}：{好单位}。", "通报段落": "{分组段落}"},
        "E13：“段落”中的占位符“{好单位}”无法识别",
    ),
}


@pytest.mark.parametrize("keys, expected", BAD_SETTINGS.values(), ids=BAD_SETTINGS.keys())
def test_bad_new_settings_are_located_and_nothing_is_written(tmp_path: Path, capsys, keys, expected):
    paragraph = keys.pop("_段落", None)
    groups = [["区直单位", "区直单位", None, None, paragraph]] if paragraph else GROUP
    grids = {"设置": settings_rows(keys, [["得分", None]], groups), "区直单位": [["单位名称", "得分"], ["甲", 1]]}
    refused_unchanged(tmp_path / "bad.xlsx", grids, capsys, "工作表“设置”单元格 " + expected)


BAD_ITEMS = {
    "weight not a number": ([["得分", None, "三成"]], "C10：评分项目“得分”的权重应为数字，实际为“三成”"),
    "counted not 是/否": ([["得分", None, None, "不"]], "D10：评分项目“得分”的“计入总分”只能是“是”或“否”"),
    "item named 总分": ([["得分", None], ["总分", None]], "A11：评分项目不能叫“总分”"),
    "item named 排名": ([["排名", None]], "A10：评分项目不能叫“排名”"),
}  # fmt: skip


@pytest.mark.parametrize("items, expected", BAD_ITEMS.values(), ids=BAD_ITEMS.keys())
def test_bad_items_are_located_and_nothing_is_written(tmp_path: Path, capsys, items, expected):
    header = ["单位名称", *(row[0] for row in items)]
    grids = one_group({}, items, header, [["甲", *([1] * len(items))]])
    refused_unchanged(tmp_path / "bad.xlsx", grids, capsys, "工作表“设置”单元格 " + expected)


def refused_unchanged(path: Path, grids, capsys, expected: str) -> None:
    """`pygk run` refuses with the located message and leaves the file byte for byte as it was."""
    write_book(path, grids)
    before = path.read_bytes()
    assert main(["run", str(path)]) == 1
    err = capsys.readouterr().err
    assert expected in err, err
    assert path.read_bytes() == before


def test_own_total_and_rank_titles_on_the_input_sheet_are_rewritten_next_month(tmp_path: Path):
    """pygk's 总得分(100) and 名次 columns stay pygk's: changed scores rewrite them, the clerk's cells are kept."""
    keys = {"总分列标题": "总得分(100)", "排名列标题": "名次", "显示排名列": "是"}
    path = tmp_path / "t.xlsx"
    assert run_book(path, one_group(keys, [["得分", None]], ["单位名称", "得分"], [["甲", 1], ["乙", 2]]))[0] == 0
    book = openpyxl.load_workbook(path)
    book["区直单位"]["B2"] = 5
    book.save(path)
    assert main(["run", str(path)]) == 0
    assert [row[:4] for row in sheet_values(path, "区直单位")] == [
        ("单位名称", "得分", "总得分(100)", "名次"),
        ("甲", 5, 5, 1),
        ("乙", 2, 2, 2),
    ]


def test_switching_to_entered_totals_keeps_the_column_pygk_wrote(tmp_path: Path):
    """A 总分 column pygk filled last month becomes the clerk's once 总分来源 is 录入: it is read, never cleared."""
    path = tmp_path / "s.xlsx"
    assert run_book(path, one_group({}, [["得分", None]], ["单位名称", "得分"], [["甲", 1], ["乙", 2]]))[0] == 0
    book = openpyxl.load_workbook(path)
    rows = book["设置"]
    rows.insert_rows(2)
    rows["A2"], rows["B2"] = "总分来源", "录入"
    book["区直单位"]["C2"] = 9
    book.save(path)
    assert main(["run", str(path)]) == 0
    assert [row[:3] for row in sheet_values(path, "区直单位")] == [
        ("单位名称", "得分", "总分"),
        ("甲", 1, 9),
        ("乙", 2, 2),
    ]
    assert [r[0] for r in annex(path, 1)[1]] == ["甲", "乙"]


def test_annex_columns_may_list_the_change_and_leave_items_out(tmp_path: Path):
    """附件列 单位名称、较上月、总分: 较上月 shown (新 without last month), 得分 left out of the annex but counted."""
    path = tmp_path / "c.xlsx"
    keys = {"附件列": "单位名称、较上月、总分"}
    assert run_book(path, one_group(keys, [["得分", None]], ["单位名称", "得分"], [["甲", 1], ["乙", 2]]))[0] == 0
    assert annex(path, 1) == (("单位名称", "较上月", "总分"), [("乙", "新", 2), ("甲", "新", 1)])


def test_check_lists_an_entered_total_that_does_not_add_up(tmp_path: Path, capsys):
    items = [["信息公开", 60]]
    path = tmp_path / "e.xlsx"
    write_book(path, one_group({"总分来源": "录入"}, items, ["单位名称", "信息公开", "总分"], [["甲局", 50, 52]]))
    assert main(["check", str(path)]) == 0
    assert "单元格 C2：“甲局”录入的总分 52 与按评分项目计算的 50 相差超过 0.01" in capsys.readouterr().err


def test_entered_totals_alone_need_no_items(tmp_path: Path, capsys):
    """总分来源 录入 with an empty 评分项目 table: the annex is names and the team's totals, no warning."""
    grids = {"设置": settings_rows({"总分来源": "录入"}, [], GROUP),
             "区直单位": [["单位名称", "总分"], ["甲", 70], ["乙", 88.5]]}  # fmt: skip
    path = tmp_path / "t.xlsx"
    code, err = run_book(path, grids, capsys)
    assert code == 0 and "注意" not in err
    assert annex(path, 1) == (("单位名称", "总分"), [("乙", 88.5), ("甲", 70)])


def test_annex_columns_split_only_outside_brackets(tmp_path: Path):
    """单位列标题 县（市、区） holds a 、: 附件列 排名、县（市、区）、总分 still names three columns."""
    keys = {"附件列": "排名、县（市、区）、总分", "单位列标题": "县（市、区）"}
    path = tmp_path / "b.xlsx"
    assert (
        run_book(path, one_group(keys, [["得分", None]], ["县（市、区）", "得分"], [["甲县", 1], ["乙县", 2]]))[0] == 0
    )
    assert annex(path, 1) == (("排名", "县（市、区）", "总分"), [(1, "乙县", 2), (2, "甲县", 1)])


def test_brackets_without_a_list_are_the_clerks_text():
    """Only a bracketed part holding a list or count can be dropped; 【注】 stays as typed."""
    from pygk.core.summary import fill_clauses

    values = {"较好单位": "甲", "较差单位": "", "较好单位数": "1", "较差单位数": ""}
    template = "【注】较好：{较好单位}[，较差：{较差单位}]［共{较差单位数}个］；较差{较差单位数}个：{较差单位}。"
    assert fill_clauses(template, values) == "【注】较好：甲；较差0个：无。"
