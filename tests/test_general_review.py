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
