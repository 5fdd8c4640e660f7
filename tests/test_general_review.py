"""Issue 10's hostile review: each confirmed problem, pinned on real workbooks (expected values by hand)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from conftest import sheet_values, write_book
from general_books import annex, run_book, settings_rows, summary

from pygk.cli import main

GROUP = [["部门", "部门"]]


def one_group(keys, items, header, rows, groups=GROUP):
    return {"设置": settings_rows(keys, items, groups), "部门": [header, *rows]}


def refused_unchanged(path: Path, grids, capsys, *expected: str) -> str:
    """`pygk run` refuses with every located message and leaves the file byte for byte as it was."""
    write_book(path, grids)
    before = path.read_bytes()
    assert main(["run", str(path)]) == 1
    err = capsys.readouterr().err
    for text in expected:
        assert text in err, err
    assert path.read_bytes() == before
    return err


def bulletin_lines(path: Path, label: str) -> list[str]:
    return [str(text) for first, text, *_ in sheet_values(path, "通报") if first == label]


# 12, 13, 14: the texts


def test_a_year_typed_in_the_annex_title_is_not_printed_twice(tmp_path: Path):
    """附件标题 2024年{月}月{组}评估结果: the attachment line is 1．2024年5月部门评估结果, not 1．2024年2024年…."""
    path = tmp_path / "y.xlsx"
    keys = {"附件标题": "2024年{月}月{组}评估结果"}
    assert run_book(path, one_group(keys, [["得分", None]], ["单位名称", "得分"], [["甲局", 1], ["乙局", 2]]))[0] == 0
    assert bulletin_lines(path, "附件") == ["1．2024年5月部门评估结果"]


def test_a_paragraph_typed_as_a_number_prints_as_shown():
    """A 段落 typed as the number 123 reads 123 (the cell's display), not 123.0."""
    from pygk.core.settings import parse_settings

    rows = settings_rows({"通报段落": "{分组段落}"}, [["得分", None]], [["部门", "部门", None, None, 123.0]])
    assert parse_settings(rows).groups[0].paragraph == "123"


def test_full_width_lenticular_brackets_are_punctuation_kept_as_typed():
    """【】 is 公文 punctuation: printed as typed with its list; only [ ] and ［ ］ are clauses pygk may drop."""
    from pygk.core.summary import fill_clauses

    values = {"较好单位": "甲局、乙局", "较好单位数": "2", "较差单位": "", "较差单位数": ""}
    assert fill_clauses("单位【{较好单位数}个】：{较好单位}。", values) == "单位【2个】：甲局、乙局。"
    assert fill_clauses("较差【{较差单位}】。", values) == "较差【无】。"


def test_nested_clauses_drop_only_their_own_empty_list():
    """[较好{较好单位}[，较差{较差单位}]]: the inner clause goes with its empty list, the outer one stays."""
    from pygk.core.summary import fill_clauses

    template = "较好[{较好单位}[，较差{较差单位}]]。"
    worst_empty = {"较好单位": "甲局、乙局", "较差单位": ""}
    both = {"较好单位": "甲局、乙局", "较差单位": "丙局"}
    best_empty = {"较好单位": "", "较差单位": "丙局"}
    assert fill_clauses(template, worst_empty) == "较好甲局、乙局。"
    assert fill_clauses(template, both) == "较好甲局、乙局，较差丙局。"
    assert fill_clauses(template, best_empty) == "较好。"  # the outer clause's own list is empty: all of it goes
    assert fill_clauses("较好{较好单位}[，较差[{较差单位}]", both) == "较好甲局、乙局[，较差丙局"  # unclosed: as typed


# 3: column titles that collide, 5: 附件列 names holding a separator


def test_column_titles_that_collide_are_refused_at_their_setting(tmp_path: Path, capsys):
    """总分列标题 = 排名列标题, 单位列标题 = 总分列标题, 排名列标题 = 单位名称…: refused at the 设置 cell."""
    header, rows = ["单位名称", "信息公开", "服务"], [["甲局", 50, 30], ["乙局", 40, 20]]
    items = [["信息公开", 60], ["服务", 40]]
    cases = [
        (
            {"总分列标题": "得分", "排名列标题": "得分", "显示排名列": "是"},
            "B8：“总分列标题”为“得分”，与“排名列标题”（得分）相同",
        ),
        ({"单位列标题": "名称", "总分列标题": "名称"}, "B8：“单位列标题”为“名称”，与“总分列标题”（名称）相同"),
        (
            {"排名列标题": "单位名称", "显示排名列": "是"},
            "B8：“排名列标题”为“单位名称”，与“单位列标题”（单位名称）相同",
        ),
        ({"总分列标题": "排名"}, "B8：“总分列标题”为“排名”，与“排名列标题”（排名）相同"),
        ({"排名列标题": "简称"}, "B8：“排名列标题”为“简称”，与“简称”列相同"),
    ]
    for n, (keys, expected) in enumerate(cases):
        err = refused_unchanged(tmp_path / f"t{n}.xlsx", one_group(keys, items, header, rows), capsys, expected)
        assert "工作表“设置”单元格 B8" in err and "找不到" not in err and "A2:A3" not in err


def test_annex_columns_take_an_item_name_that_holds_a_separator(tmp_path: Path):
    """附件列 lists 政策解读、回应关切 and 政务 新媒体 (typed with or without its space) as one column each."""
    items = [["信息公开", 30], ["政策解读、回应关切", 30], ["政务 新媒体", 40]]
    header = ["单位名称", "信息公开", "政策解读、回应关切", "政务 新媒体"]
    rows = [["甲局", 20, 20, 30], ["乙局", 25, 25, 35]]
    for n, listed in enumerate(
        ("单位名称、政策解读、回应关切、政务 新媒体、总分", "单位名称 政策解读、回应关切 政务新媒体 总分")
    ):
        path = tmp_path / f"a{n}.xlsx"
        assert run_book(path, one_group({"附件列": listed}, items, header, rows))[0] == 0
        assert annex(path, 1) == (("单位名称", "政策解读、回应关切", "政务 新媒体", "总分"),
                                  [("乙局", 25, 35, 85), ("甲局", 20, 30, 70)])  # fmt: skip


def test_annex_columns_still_refuse_an_unknown_name(tmp_path: Path, capsys):
    """A name that is no item stays refused as typed (政策解读 alone is not 政策解读、回应关切)."""
    items = [["信息公开", 30], ["政策解读、回应关切", 30]]
    grids = one_group({"附件列": "单位名称、政策解读、总分"}, items, ["单位名称", "信息公开", "政策解读、回应关切"],
                      [["甲局", 20, 20]])  # fmt: skip
    refused_unchanged(tmp_path / "u.xlsx", grids, capsys, "“附件列”中的“政策解读”无法识别")


# 6: maxima written in item names and headers


def test_a_maximum_in_full_width_digits_in_the_item_name_is_kept(tmp_path: Path, capsys):
    """An item named 信息公开（３０分） has maximum 30: 35 is refused, and the annex header reads 信息公开(30)."""
    grids = one_group({"表头显示满分": "是"}, [["信息公开（３０分）", None]], ["单位名称", "信息公开"],
                      [["甲局", 35], ["乙局", 0]])  # fmt: skip
    refused_unchanged(tmp_path / "over.xlsx", grids, capsys, "单元格 B2", "满分 30")
    path = tmp_path / "ok.xlsx"
    grids["部门"][1][1] = 25
    assert run_book(path, grids)[0] == 0
    assert annex(path, 1)[0] == ("单位名称", "信息公开(30)", "总分")


def test_a_header_with_manfen_is_the_items_column(tmp_path: Path, capsys):
    """A header 信息公开(满分30分) is the column of 信息公开, maximum 30."""
    grids = one_group({}, [["信息公开", None]], ["单位名称", "信息公开(满分30分)"], [["甲局", 31], ["乙局", 0]])
    refused_unchanged(tmp_path / "m.xlsx", grids, capsys, "单元格 B2", "满分 30")


def test_a_maximum_in_the_item_name_and_another_in_its_column_is_refused(tmp_path: Path, capsys):
    grids = one_group({}, [["信息公开(30分)", 20]], ["单位名称", "信息公开"], [["甲局", 10]])
    refused_unchanged(
        tmp_path / "d.xlsx", grids, capsys, "单元格 B10：评分项目“信息公开(30分)”的名称中写了满分，“满分”列却是 20"
    )


# 1, 2: pygk's own columns follow the titles in 设置


def set_key(path: Path, key: str, value: object) -> None:
    """Change (or add, below 项目) one key of the 设置 sheet in a written workbook."""
    book = openpyxl.load_workbook(path)
    sheet = book["设置"]
    row = next((cells[0].row for cells in sheet.iter_rows() if cells[0].value == key), None)
    if row is None:
        sheet.insert_rows(2)
        row = 2
        sheet.cell(row, 1, key)
    sheet.cell(row, 2).value = value  # cell(row, col, None) would leave the old value
    book.save(path)


def set_cells(path: Path, sheet_name: str, cells: dict[str, object]) -> None:
    book = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        book[sheet_name][ref] = value
    book.save(path)


ITEMS = [["网站", 60], ["新媒体", 40]]
ROSTER = [["单位名称", "网站", "新媒体"], ["甲局", 50, 30], ["乙局", 40, 30], ["丙局", 30, 20]]


def test_entered_totals_are_read_under_the_configured_title_not_pygks_old_column(tmp_path: Path):
    """Month 1 pygk wrote 总分 in D; month 2 the team's totals arrive in 合计 (总分来源 录入, 总分列标题 合计):
    ranked on 合计 (丙局 95 best, 甲局 60 worst) and pygk's own stale 总分 column is cleared."""
    keys = {"较好单位数": 1, "较差单位数": 1, "通报段落": "较好：{较好单位及分数}；较差：{较差单位及分数}。"}
    path = tmp_path / "e.xlsx"
    assert run_book(path, one_group(keys, ITEMS, ROSTER[0], ROSTER[1:]))[0] == 0
    assert [r[3] for r in sheet_values(path, "部门")] == ["总分", 80, 70, 50]
    set_cells(path, "部门", {"H1": "合计", "H2": 60, "H3": 80, "H4": 95})
    set_key(path, "总分来源", "录入")
    set_key(path, "总分列标题", "合计")
    assert main(["run", str(path)]) == 0
    assert summary(path) == "较好：丙局（95分）；较差：甲局（60分）。"
    rows = sheet_values(path, "部门")
    assert [r[3] for r in rows] == [None] * 4  # pygk's 总分 of last month: cleared, not left beside 合计
    assert [r[7] for r in rows] == ["合计", 60, 80, 95]  # the team's column untouched


def test_pygks_columns_are_renamed_in_place_when_the_titles_change(tmp_path: Path):
    """总分/排名 written by pygk; then 总分列标题 总得分(100), 排名列标题 名次: the same columns get the new headers."""
    path = tmp_path / "r.xlsx"
    assert run_book(path, one_group({"显示排名列": "是"}, ITEMS, ROSTER[0], ROSTER[1:]))[0] == 0
    assert sheet_values(path, "部门")[0][3:5] == ("总分", "排名")
    set_key(path, "总分列标题", "总得分(100)")
    set_key(path, "排名列标题", "名次")
    assert main(["run", str(path)]) == 0
    rows = sheet_values(path, "部门")
    assert rows[0][:5] == ("单位名称", "网站", "新媒体", "总得分(100)", "名次")
    assert "总分" not in rows[0] and "排名" not in rows[0]
    assert [r[3:5] for r in rows[1:]] == [(80, 1), (70, 2), (50, 3)]


def test_pygks_columns_follow_titles_that_are_cleared(tmp_path: Path):
    """合计/名次 written by pygk, a score changed, the titles cleared: 总分/排名 in their place with the new totals."""
    path = tmp_path / "c.xlsx"
    keys = {"显示排名列": "是", "总分列标题": "合计", "排名列标题": "名次"}
    assert run_book(path, one_group(keys, ITEMS, ROSTER[0], ROSTER[1:]))[0] == 0
    assert sheet_values(path, "部门")[0][3:5] == ("合计", "名次")
    set_cells(path, "部门", {"B2": 10})
    set_key(path, "总分列标题", None)
    set_key(path, "排名列标题", None)
    assert main(["run", str(path)]) == 0
    rows = sheet_values(path, "部门")
    assert "合计" not in rows[0] and "名次" not in rows[0] and rows[0].count("总分") == 1
    assert [r[3:5] for r in rows] == [("总分", "排名"), (40, 3), (70, 1), (50, 2)]


def test_a_clerks_column_under_an_old_title_is_never_cleared(tmp_path: Path):
    """The clerk's own 合计 column (never pygk's) stays as typed when 总分列标题 is blank: pygk adds 总分."""
    path = tmp_path / "k.xlsx"
    header, rows = [*ROSTER[0], "合计"], [[*r, t] for r, t in zip(ROSTER[1:], (1, 2, 3))]
    assert run_book(path, one_group({}, ITEMS, header, rows))[0] == 0
    got = sheet_values(path, "部门")
    assert [r[3] for r in got] == ["合计", 1, 2, 3] and [r[4] for r in got] == ["总分", 80, 70, 50]


def test_a_total_title_naming_a_clerks_column_says_which_setting(tmp_path: Path, capsys):
    """总分列标题 备注, the clerk's 备注 column holding text: refused, and the message names 总分列标题."""
    header, rows = [*ROSTER[0], "备注"], [[*ROSTER[1], "说明"], [*ROSTER[2], None]]
    grids = one_group({"总分列标题": "备注"}, ITEMS, header, rows)
    refused_unchanged(tmp_path / "b.xlsx", grids, capsys, "单元格 D2", "“总分列标题”为“备注”")


# 7: one mistake in 设置, no false errors elsewhere


def test_one_typo_in_settings_brings_no_false_errors_on_the_score_sheets(tmp_path: Path, capsys):
    """月份 13 with 单位列标题 地市名称: only the 月份 problem, not 找不到表头“单位名称”."""
    grids = one_group({"月份": 13, "单位列标题": "地市名称"}, ITEMS, ["地市名称", "网站", "新媒体"], ROSTER[1:])
    err = refused_unchanged(tmp_path / "m.xlsx", grids, capsys, "“设置”单元格 B3")
    assert "单位名称" not in err and err.count("工作表") == 1, err


def test_every_problem_at_once_with_entered_totals(tmp_path: Path, capsys):
    """月份 13 and a text total 八十 under 总分来源 录入: both are reported in the one run."""
    grids = one_group({"月份": 13, "总分来源": "录入"}, ITEMS, [*ROSTER[0], "总分"],
                      [[*ROSTER[1], "八十"], [*ROSTER[2], 70]])  # fmt: skip
    refused_unchanged(tmp_path / "t.xlsx", grids, capsys, "“设置”单元格 B3", "单元格 D2", "八十")


# 11: the entered-total checks


def test_an_entered_total_exactly_a_hundredth_off_is_not_a_mismatch(tmp_path: Path, capsys):
    header = [*ROSTER[0], "总分"]
    rows = [["甲局", 50, 35.01, 85], ["乙局", 40, 30, 70.01], ["丙局", 40, 30, 70.02]]
    code, err = run_book(tmp_path / "h.xlsx", one_group({"总分来源": "录入"}, ITEMS, header, rows), capsys)
    assert code == 0
    assert "D2" not in err and "D3" not in err  # 0.01 off: within the tolerance
    assert "D4：“丙局”录入的总分 70.02 与按评分项目计算的 70 相差超过 0.01" in err


def test_an_entered_total_above_the_maximum_in_its_header_is_refused(tmp_path: Path, capsys):
    """总分列标题 总得分(100): an entered 105 is refused like any score above its maximum."""
    grids = one_group({"总分来源": "录入", "总分列标题": "总得分(100)"}, ITEMS, [*ROSTER[0], "总得分(100)"],
                      [["甲局", None, None, 105], ["乙局", None, None, 70]])  # fmt: skip
    refused_unchanged(tmp_path / "x.xlsx", grids, capsys, "单元格 D2：分数 105 超过“总得分(100)”的满分 100")


# 6: a maximum in 设置 and another in the sheet's header


def test_a_maximum_in_settings_disagreeing_with_the_header_is_refused(tmp_path: Path, capsys):
    grids = one_group({}, [["信息公开", 30]], ["单位名称", "信息公开（20分）"], [["甲局", 25], ["乙局", 10]])
    refused_unchanged(tmp_path / "x.xlsx", grids, capsys, "单元格 B1", "满分是 30", "信息公开（20分）")


# 4, 10: wired through the plan


def test_total_decimals_round_what_is_shown_and_ranked(tmp_path: Path):
    """总分小数位 2: 85.9387 prints 85.94 in the summary, annex and input sheet; 80.004 and 80.001 tie at 80."""
    items = [["信息公开指数", 100, 0.333], ["政务服务指数", 100, 0.333], ["互动交流指数", 100, 0.334]]
    header = ["单位名称", "信息公开指数", "政务服务指数", "互动交流指数"]
    rows = [["甲市", 77.7, 88.8, 91.3], ["乙市", 81.25, 79.5, 90.05], ["丙市", 80.004, 80.004, 80.004],
            ["丁市", 80.001, 80.001, 80.001]]  # fmt: skip
    keys = {
        "通报段落": "前2名：{较好单位及分数}。",
        "较好单位数": 2,
        "较差单位数": 0,
        "总分小数位": 2,
        "显示排名列": "是",
    }
    path = tmp_path / "d.xlsx"
    assert run_book(path, one_group(keys, items, header, rows))[0] == 0
    # 甲 0.333×77.7 + 0.333×88.8 + 0.334×91.3 = 85.9387; 乙 83.60645 -> 83.61; 丙 80.004 -> 80; 丁 80.001 -> 80
    assert summary(path) == "前2名：甲市（85.94分）、乙市（83.61分）。"
    _, body = annex(path, 1)
    assert [(r[0], r[4], r[5]) for r in body] == [
        ("甲市", 85.94, 1),
        ("乙市", 83.61, 2),
        ("丙市", 80, 3),
        ("丁市", 80, 3),
    ]
    assert [r[4] for r in sheet_values(path, "部门")[1:]] == [85.94, 83.61, 80, 80]


def test_a_bad_total_decimals_is_refused(tmp_path: Path, capsys):
    grids = one_group({"总分小数位": "两位"}, ITEMS, ROSTER[0], ROSTER[1:])
    refused_unchanged(tmp_path / "b.xlsx", grids, capsys, "“总分小数位”应为 0 到 6 的整数，实际为“两位”")


# 9: a clerk's reading for a name pypinyin misreads


def test_pinyin_reading_column_corrects_a_place_name(tmp_path: Path):
    """单县 is Shàn Xiàn: with 排序用读音 it sorts after 定陶区 (cao < ding < shan); blank: pypinyin's reading."""
    keys = {"同分排序": "按拼音", "较好单位数": 3, "较差单位数": 0}
    header = ["单位名称", "得分", "排序用读音"]
    rows = [["单县", 90, "shàn xiàn"], ["定陶区", 90, None], ["曹县", 90, None], ["浚县", 80, "xun4 xian4"],
            ["淇县", 80, None], ["滑县", 80, None]]  # fmt: skip
    path = tmp_path / "p.xlsx"
    assert run_book(path, one_group(keys, [["得分", 100]], header, rows))[0] == 0
    header_back, body = annex(path, 1)
    assert [r[0] for r in body] == ["曹县", "定陶区", "单县", "滑县", "淇县", "浚县"]
    assert "排序用读音" not in header_back
    assert [r[2] for r in sheet_values(path, "部门")] == [
        "排序用读音",
        "shàn xiàn",
        None,
        None,
        "xun4 xian4",
        None,
        None,
    ]
