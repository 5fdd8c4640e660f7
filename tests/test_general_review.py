"""Issue 10's hostile review: each confirmed problem, pinned on real workbooks (expected values by hand)."""

from __future__ import annotations

from pathlib import Path

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
    """总分列标题 = 排名列标题, 单位列标题 = 总分列标题, 排名列标题 = 单位名称: refused at the 设置 cell, naming both."""
    header, rows = ["单位名称", "信息公开", "服务"], [["甲局", 50, 30], ["乙局", 40, 20]]
    items = [["信息公开", 60], ["服务", 40]]
    cases = [
        ({"总分列标题": "得分", "排名列标题": "得分", "显示排名列": "是"}, "B8：“总分列标题”为“得分”，与“排名列标题”（得分）相同"),
        ({"单位列标题": "名称", "总分列标题": "名称"}, "B8：“单位列标题”为“名称”，与“总分列标题”（名称）相同"),
        ({"排名列标题": "单位名称", "显示排名列": "是"}, "B8：“排名列标题”为“单位名称”，与“单位列标题”（单位名称）相同"),
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
    for n, listed in enumerate(("单位名称、政策解读、回应关切、政务 新媒体、总分", "单位名称 政策解读、回应关切 政务新媒体 总分")):
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
    refused_unchanged(tmp_path / "d.xlsx", grids, capsys, "单元格 B10：评分项目“信息公开(30分)”的名称中写了满分，“满分”列却是 20")
