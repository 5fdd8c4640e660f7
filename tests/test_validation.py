"""Bad input: one Chinese message per problem naming sheet and cell, a non-zero exit, the file's bytes unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import sheet_values, source_grids, write_book

from pygk.cli import main


def book_with(tmp_path: Path, change) -> Path:
    """The demo workbook built from its sources after `change(grids)` edited them."""
    grids = source_grids()
    change(grids)
    return write_book(tmp_path / "坏数据.xlsx", grids)


def run_fails(path: Path, capsys, *expected: str) -> str:
    """Run the CLI, expect failure and every expected message, and an untouched file."""
    before = path.read_bytes()
    assert main(["run", str(path)]) != 0
    err = capsys.readouterr().err
    for message in expected:
        assert message in err
    assert "Traceback" not in err
    assert path.read_bytes() == before
    return err


def set_cell(sheet: str, row: int, col: int, value):
    def change(grids):
        grids[sheet][row][col] = value

    return change


def set_setting(key: str, value):
    def change(grids):
        for row in grids["设置"]:
            if row[0] == key:
                row[1] = value

    return change


CASES = {
    "text score": (set_cell("区直单位", 2, 5, "九十"), "工作表“区直单位”单元格 F3：分数“九十”不是数字"),
    "blank score": (
        set_cell("区直单位", 3, 3, None),
        "工作表“区直单位”单元格 D4：“教育体育局”的“交流互动得分”没有填写",
    ),
    "negative score": (set_cell("镇（街道）", 1, 2, -1), "工作表“镇（街道）”单元格 C2：分数 -1 小于 0"),
    "duplicate unit": (
        set_cell("区直单位", 5, 0, "公安局"),
        "工作表“区直单位”单元格 A6：单位“公安局”在本表中重复出现（另见第 2 行）",
    ),
    "score without unit": (set_cell("区直单位", 4, 0, None), "工作表“区直单位”单元格 A5：这一行有分数但没有单位名称"),
    "no header": (set_cell("区直单位", 0, 0, "名称"), "工作表“区直单位”：找不到表头“单位名称”"),
    "bad month": (set_setting("月份", 13), "工作表“设置”单元格 B3：月份应为 1 到 12"),
    "missing setting": (set_setting("年份", None), "工作表“设置”单元格 B2：缺少设置项“年份”"),
    "bad count": (set_setting("较好单位数", "两个"), "“较好单位数”应为整数，实际为“两个”"),
    "bad choice": (
        set_setting("同分排序", "随便"),
        "“同分排序”只能是 “按名单顺序”、“按分项得分”、“按拼音”，实际为“随便”",
    ),
    "bad placeholder": (set_setting("通报段落", "{月}月份，较好：{好单位}"), "“通报段落”中的占位符“{好单位}”无法识别"),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_reported_and_nothing_changes(case, tmp_path, capsys):
    change, message = CASES[case]
    run_fails(book_with(tmp_path, change), capsys, message)


def test_over_maximum_score(tmp_path, capsys):
    def change(grids):
        for row in grids["设置"]:
            if row[0] == "公共服务得分":
                row[1] = 3

    err = run_fails(book_with(tmp_path, change), capsys)
    assert err.splitlines()[1:] == [
        "  工作表“区直单位”：C 列第 2–32 行共 31 个分数超过“公共服务得分”的满分 3（最高为 4）。"
        "请核对后改正；如果是满分填错了，请在“设置”的评分项目表中改正。",
        "  工作表“镇（街道）”：C 列第 2–14 行共 13 个分数超过“公共服务得分”的满分 3（最高为 4）。"
        "请核对后改正；如果是满分填错了，请在“设置”的评分项目表中改正。",
    ]


def test_over_maximum_in_a_few_cells_names_them(tmp_path, capsys):
    """One cell above the maximum keeps its own line; scattered rows of one column are listed as runs."""

    def change(grids):
        for row in grids["设置"]:
            if row and row[0] in ("交流互动得分", "政务信息公开得分"):
                row[1:2] = [5 if row[0] == "交流互动得分" else 46]
        for row in (2, 3, 4, 9):
            grids["区直单位"][row][5] = 99
        grids["区直单位"][6][3] = 99

    err = run_fails(book_with(tmp_path, change), capsys)
    assert "工作表“区直单位”：F 列第 3–5、10 行共 4 个分数超过“政务信息公开得分”的满分 46（最高为 99）" in err
    assert "工作表“区直单位”单元格 D7：分数 99 超过“交流互动得分”的满分" in err
    assert err.count("超过") == 2


def test_a_logical_cell_is_shown_as_excel_shows_it(tmp_path, capsys):
    run_fails(book_with(tmp_path, set_cell("区直单位", 2, 5, True)), capsys, "单元格 F3：分数“TRUE”不是数字")


def test_empty_group(tmp_path, capsys):
    def change(grids):
        del grids["镇（街道）"][1:]

    run_fails(book_with(tmp_path, change), capsys, "工作表“镇（街道）”：没有任何单位")


def test_missing_sheet(tmp_path, capsys):
    run_fails(book_with(tmp_path, lambda g: g.pop("镇（街道）")), capsys, "工作簿中没有名为“镇（街道）”的工作表")


def test_missing_settings_sheet(tmp_path, capsys):
    run_fails(book_with(tmp_path, lambda g: g.pop("设置")), capsys, "工作簿中没有名为“设置”的工作表")


def test_every_problem_is_reported_in_one_run(tmp_path, capsys):
    def change(grids):
        grids["区直单位"][2][5] = "九十"
        grids["区直单位"][9][2] = None
        grids["镇（街道）"][4][3] = -2
        set_setting("月份", "十一")(grids)

    err = run_fails(book_with(tmp_path, change), capsys, "设置”单元格 B3", "F3", "C10", "D5")
    assert "发现 4 处问题，工作簿未作任何修改" in err


def test_full_width_digits_and_spaces_are_numbers(tmp_path):
    def change(grids):
        grids["区直单位"][6][5] = "３７"  # 民政局 政务信息公开得分
        grids["区直单位"][25][5] = " 35 "  # 卫生健康委员会

    path = book_with(tmp_path, change)
    assert main(["run", str(path)]) == 0
    assert sheet_values(path, "附件1")[3][:6] == ("民政局", 4, 2, 13, 37, 56)
    assert sheet_values(path, "附件1")[4][5] == 54


def test_not_a_workbook(tmp_path, capsys):
    path = tmp_path / "假的.xlsx"
    path.write_text("这不是工作簿", encoding="utf-8")
    assert "不是 Excel 工作簿" in run_fails(path, capsys)


def test_password_protected_workbook(tmp_path, capsys, demo):
    import msoffcrypto  # a test extra (setup.cfg): never skipped
    from msoffcrypto.format.ooxml import OOXMLFile

    locked = tmp_path / "加密.xlsx"
    with open(demo, "rb") as plain, open(locked, "wb") as out:
        OOXMLFile(plain).encrypt("123456", out)
    assert msoffcrypto.OfficeFile(open(locked, "rb")).is_encrypted()
    run_fails(locked, capsys, "设置了打开密码")


def test_check_reports_without_writing(tmp_path, capsys):
    path = book_with(tmp_path, set_cell("区直单位", 2, 5, "九十"))
    before = path.read_bytes()
    assert main(["check", str(path)]) == 1
    assert "分数“九十”不是数字" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_formula_without_a_computed_result(tmp_path, capsys):
    import openpyxl

    path = book_with(tmp_path, lambda grids: None)
    book = openpyxl.load_workbook(path)
    book["区直单位"]["F3"] = "=30+1"  # openpyxl stores the formula with no cached result
    book.save(path)
    run_fails(path, capsys, "工作表“区直单位”单元格 F3：公式“=30+1”还没有计算结果")


def test_workbook_open_in_libreoffice_is_refused(demo, capsys):
    demo.with_name(".~lock." + demo.name + "#").write_text("lock", encoding="utf-8")
    run_fails(demo, capsys, "正在被 Excel、WPS 或 LibreOffice 打开（发现锁文件“.~lock.通报.xlsx#”）")


def test_damaged_history_sheet(tmp_path, capsys):
    def change(grids):
        grids["历史"] = [
            ["年份", "月份", "期号", "分组", "名称", "总分", "排名", "较好", "较差"],
            [2021, 10, 11, "区直单位"],
        ]

    run_fails(book_with(tmp_path, change), capsys, "工作表“历史”：找不到列“单位名称”。请不要修改“历史”表的表头")


def test_history_row_with_text_in_a_number_column(tmp_path, capsys):
    def change(grids):
        header = ["年份", "月份", "期号", "分组", "单位名称", "总分", "排名", "较好", "较差"]
        grids["历史"] = [header, ["二〇二一", 10, 11, "区直单位", "民政局", 50, 1, "是", "否"]]

    run_fails(book_with(tmp_path, change), capsys, "工作表“历史”单元格 A2：“二〇二一”不是数字")


def test_long_problem_lists_are_cut_for_an_alert():
    from pygk.core.errors import InputError, Problem

    error = InputError([Problem(f"第{i}处", "区直单位", f"C{i}") for i in range(1, 21)])
    lines = error.report(limit=15).splitlines()
    assert lines[0] == "发现 20 处问题，工作簿未作任何修改："
    assert lines[1] == "工作表“区直单位”单元格 C1：第1处" and len(lines) == 17
    assert lines[-1].startswith("……另有 5 处问题未列出")
    assert InputError([Problem("只有一处", "设置", "B3")]).report(indent="  ") == "工作表“设置”单元格 B3：只有一处"
