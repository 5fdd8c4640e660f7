"""Hostile and broken workbooks (issue 8, item 5): refused fast with bounded memory, in Chinese, file unchanged.

Each case of tests/hostile_corpus.py has a test here: the exit status (2 for an unusable
file, 1 for values the clerk can fix), the message (where, what, what to do; no traceback,
no English exception text), and the file's bytes unchanged. The accepted cases (a
workbook part at another name, merged name cells) must load in openpyxl afterwards.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import hostile_corpus as corpus
import openpyxl
import pytest
from conftest import source_grids

from pygk.adapters.xlsx import package as package_module
from pygk.adapters.xlsx.read import is_date_code
from pygk.cli import main
from pygk.core import texts
from pygk.core.cells import MAX_CELL_TEXT, MAX_ROWS
from pygk.core.limits import plan_problems
from pygk.core.plan import build_plan
from pygk.core.values import parse_number

# Latin words a message may contain; anything else (KeyError, "Bad CRC-32", "line 1") is English leaking through.
ALLOWED_WORDS = {"Excel", "XFD", "XFE", "DOCTYPE", "MB", "pygk", "Office", "Word", "PowerPoint", "Strict", "Open",
                 "XML", "xlsx", "xlsm", "WPS"}  # fmt: skip
MEMORY_LIMIT_MB = 500
TIME_LIMIT_S = 10.0


def english_words(message: str, path: Path) -> list[str]:
    """Latin words of a message outside quotes, the file's path and the allowed words."""
    text = message.replace(str(path), "")
    text = re.sub(r"“[^”]*”", "", text)
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in ALLOWED_WORDS]


def refused(path: Path, status: int, capsys, *expected: str) -> str:
    """Run `pygk run` in-process on a hostile file: the status, the message parts, nothing changed."""
    before, folder = path.read_bytes(), sorted(os.listdir(path.parent))
    assert main(["run", str(path)]) == status
    message = capsys.readouterr().err
    for part in expected:
        assert part in message, (part, message)
    assert "Traceback" not in message and "Error" not in message
    assert english_words(message, path) == [], message
    assert path.read_bytes() == before
    assert sorted(os.listdir(path.parent)) == folder  # no temporary file left behind
    return message


def accepted(path: Path, capsys) -> openpyxl.Workbook:
    """Run `pygk run` in-process on a legal but unusual file: success, and openpyxl loads the result."""
    assert main(["run", str(path)]) == 0, capsys.readouterr().err
    book = openpyxl.load_workbook(path)
    sheet = book[corpus.INPUT_SHEET]
    assert sheet["G1"].value == texts.TOTAL and sheet["G2"].value == 50  # 公安局: 4 + 3 + 13 + 30
    assert "附件1" in book.sheetnames and "历史" in book.sheetnames
    return book


def measured_run(path: Path) -> tuple[int, str, float, float]:
    """`python -m pygk.cli run` in a child process: status, stderr, seconds, and the child's peak RSS in MB."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "pygk.cli", "run", str(path)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    stderr = child.stderr.read().decode("utf-8")
    _, status, usage = os.wait4(child.pid, 0)  # the rusage of this one child, as RUSAGE_CHILDREN would sum it
    child.returncode = os.waitstatus_to_exitcode(status)
    child.stderr.close()
    return child.returncode, stderr, time.perf_counter() - start, usage.ru_maxrss / 1024


def build(case: str, tmp_path: Path) -> Path:
    return corpus.CASES[case](tmp_path / f"{case}.xlsx")


# --- 1. rows and columns past Excel's grid ------------------------------------------------------
def test_row_past_excel_limit_is_refused(tmp_path: Path, capsys):
    refused(build("row_past_limit", tmp_path), 2, capsys, "工作表“区直单位”", "第 2000000 行", "1048576")


def test_column_past_xfd_is_refused(tmp_path: Path, capsys):
    refused(build("column_past_limit", tmp_path), 2, capsys, "工作表“区直单位”", "“XFE2”", "XFD")


def test_row_number_that_is_not_digits_is_refused(tmp_path: Path, capsys):
    refused(build("row_number_not_a_number", tmp_path), 2, capsys, "工作表“区直单位”", "行号“1_0”无效")


def test_far_cells_on_many_rows_are_refused_before_memory_is_spent(tmp_path: Path):
    path = build("huge_sparse_sheet", tmp_path)
    before = path.read_bytes()
    status, message, seconds, rss = measured_run(path)
    assert status == 2 and "数据范围过大" in message and "工作表“区直单位”" in message
    assert seconds < TIME_LIMIT_S and rss < MEMORY_LIMIT_MB, (seconds, rss)
    assert path.read_bytes() == before


def test_total_column_past_xfd_is_refused_before_writing(tmp_path: Path, capsys):
    refused(build("table_ends_at_xfd", tmp_path), 1, capsys, "工作表“区直单位”", "最后一列（XFD）", "“总分”")


def test_legend_past_xfd_is_refused_before_writing(tmp_path: Path, capsys):
    refused(build("table_ends_at_xfb", tmp_path), 1, capsys, "工作表“区直单位”", "最后一列（XFD）", "“图例”")


def test_history_past_the_last_row_is_refused_in_the_core():
    grids = source_grids()
    plan = build_plan(grids)
    assert plan_problems(plan, grids) == []
    update = plan.history_update
    rows = update.row_count - 1
    full = dataclasses.replace(
        plan, history_update=dataclasses.replace(update, blocks=update.blocks * (MAX_ROWS // rows + 1))
    )
    [problem] = plan_problems(full, grids)
    assert problem.sheet == texts.HISTORY_SHEET and "1048576" in problem.message and "较早月份" in problem.message


# --- 2. the zip directory ------------------------------------------------------------------------
def test_size_bomb_is_refused_fast_with_bounded_memory(tmp_path: Path):
    """A real bomb: 300 MB of inflated sheet over the real 256 MB limit, from a 300 KB file."""
    path = build("size_bomb", tmp_path)
    assert path.stat().st_size < 2**20
    before = path.read_bytes()
    status, message, seconds, rss = measured_run(path)
    assert status == 2, message
    assert "部件“xl/worksheets/sheet2.xml”解压后有 300.0 MB" in message and "上限 256.0 MB" in message
    assert seconds < TIME_LIMIT_S and rss < MEMORY_LIMIT_MB, (seconds, rss)
    assert path.read_bytes() == before


def test_ratio_bomb_is_refused_fast_with_bounded_memory(tmp_path: Path):
    """A real bomb under the size limit: 64 MB from 64 KB, about 1,000:1 against the real 100:1 limit."""
    path = build("ratio_bomb", tmp_path)
    before = path.read_bytes()
    status, message, seconds, rss = measured_run(path)
    assert status == 2, message
    assert "部件“xl/worksheets/sheet2.xml”解压后有 64.0 MB" in message and "压缩炸弹" in message
    assert seconds < TIME_LIMIT_S and rss < MEMORY_LIMIT_MB, (seconds, rss)
    assert path.read_bytes() == before


def test_total_inflated_size_is_limited(tmp_path: Path, capsys, monkeypatch):
    path = corpus.big_parts(tmp_path / "big.xlsx", count=4, size=600_000)
    monkeypatch.setattr(package_module, "MAX_TOTAL_BYTES", 2_000_000)
    refused(path, 2, capsys, "工作簿解压后共", "上限 1.9 MB")


def test_huge_zip_directory_is_refused_before_it_is_read(tmp_path: Path, capsys, monkeypatch):
    path = corpus.many_parts(tmp_path / "many.xlsx", count=40)
    monkeypatch.setattr(package_module, "MAX_DIRECTORY_BYTES", 2000)
    refused(path, 2, capsys, "压缩包目录", "部件数量异常多")


def test_duplicate_zip_entries_are_refused(tmp_path: Path, capsys):
    refused(build("duplicate_entry", tmp_path), 2, capsys, "部件“xl/worksheets/sheet2.xml”在压缩包中出现了 2 次")


def test_part_names_differing_only_in_case_are_refused(tmp_path: Path, capsys):
    refused(build("case_collision", tmp_path), 2, capsys, "“xl/worksheets/Sheet2.xml”与“xl/worksheets/sheet2.xml”",
            "大小写")  # fmt: skip


# --- 5. the workbook part found through the package relationships -----------------------------------
def test_workbook_part_at_xl_main_works_end_to_end(tmp_path: Path, capsys):
    path = build("workbook_at_xl_main", tmp_path)
    accepted(path, capsys)
    names = set(corpus.zipfile.ZipFile(path).namelist())
    assert "xl/main.xml" in names and "xl/workbook.xml" not in names


def test_workbook_part_at_wb_book_works_end_to_end_and_reruns_identically(tmp_path: Path, capsys):
    path = build("workbook_at_wb_book", tmp_path)
    accepted(path, capsys)
    first = path.read_bytes()
    assert main(["run", str(path)]) == 0
    assert path.read_bytes() == first
    assert "wb/book.xml" in corpus.zipfile.ZipFile(path).namelist()


def test_styles_where_pygk_cannot_edit_them_are_refused(tmp_path: Path, capsys):
    refused(build("styles_elsewhere", tmp_path), 2, capsys, "部件“wb/styles.xml”", "xl/styles.xml")


def test_package_without_workbook_relationship_is_refused(tmp_path: Path, capsys):
    refused(build("no_office_document", tmp_path), 2, capsys, "找不到工作簿主体", "_rels/.rels")


def test_strict_open_xml_is_refused(tmp_path: Path, capsys):
    refused(build("strict_package", tmp_path), 2, capsys, "Strict Open XML", "另存为")


def test_word_document_renamed_to_xlsx_is_refused(tmp_path: Path, capsys):
    refused(build("word_document", tmp_path), 2, capsys, "主体部件“xl/workbook.xml”不是电子表格")


# --- 6. corrupt members, malformed XML, DOCTYPEs, missing parts ---------------------------------------
def test_bad_crc_names_the_part(tmp_path: Path, capsys):
    refused(build("bad_crc", tmp_path), 2, capsys, "部件“xl/worksheets/sheet2.xml”已损坏")


def test_truncated_member_names_the_part(tmp_path: Path, capsys):
    refused(build("truncated_member", tmp_path), 2, capsys, "部件“xl/worksheets/sheet2.xml”已损坏")


def test_truncated_file_is_not_a_workbook(tmp_path: Path, capsys):
    refused(build("truncated_file", tmp_path), 2, capsys, "不是 Excel 工作簿")


@pytest.mark.parametrize(
    ("case", "part"),
    [
        ("malformed_sheet", "xl/worksheets/sheet2.xml"),
        ("malformed_workbook", "xl/workbook.xml"),
        ("malformed_styles", "xl/styles.xml"),
        ("malformed_content_types", "[Content_Types].xml"),
        ("malformed_root_rels", "_rels/.rels"),
    ],
)
def test_malformed_xml_names_the_part(case: str, part: str, tmp_path: Path, capsys):
    refused(build(case, tmp_path), 2, capsys, f"部件“{part}”不是格式正确的 XML", "行第")


def test_billion_laughs_is_refused_without_expanding(tmp_path: Path):
    path = build("billion_laughs", tmp_path)
    before = path.read_bytes()
    status, message, seconds, rss = measured_run(path)
    assert status == 2 and "部件“xl/worksheets/sheet2.xml”含有文档类型声明" in message
    assert seconds < TIME_LIMIT_S and rss < MEMORY_LIMIT_MB, (seconds, rss)
    assert path.read_bytes() == before


def test_external_entity_is_refused_and_never_read(tmp_path: Path, capsys):
    message = refused(build("external_entity", tmp_path), 2, capsys, "含有文档类型声明", "外部实体")
    assert "root:" not in message


def test_external_dtd_is_refused(tmp_path: Path, capsys):
    refused(build("external_dtd_in_workbook", tmp_path), 2, capsys, "部件“xl/workbook.xml”含有文档类型声明")


def test_missing_related_part_names_it(tmp_path: Path, capsys):
    refused(build("missing_sheet_part", tmp_path), 2, capsys, "缺少部件“xl/worksheets/sheet2.xml”")


def test_shared_string_index_past_the_table_names_the_cell(tmp_path: Path, capsys):
    refused(build("bad_shared_string", tmp_path), 2, capsys, "工作表“区直单位”单元格 A2", "第 99999 个共享字符串")


# --- 3. values ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("case", "shown"),
    [
        ("score_text_inf", "“inf”不是数字"),
        ("score_text_nan", "“nan”不是数字"),
        ("score_text_infinity", "“Infinity”不是数字"),
        ("score_stored_inf", "“inf”（无穷大或非数字）"),
        ("score_stored_nan", "“nan”（无穷大或非数字）"),
        ("score_text_underscore", "“1_0”不是数字"),
        ("score_text_hex", "“0x10”不是数字"),
        ("score_text_exponent", "“1e3”不是数字"),
        ("score_stored_underscore", "“1_0”不是数字"),
    ],
)
def test_scores_that_are_not_plain_finite_numbers_are_refused(case: str, shown: str, tmp_path: Path, capsys):
    refused(build(case, tmp_path), 1, capsys, "工作表“区直单位”单元格 C2", shown)


@pytest.mark.parametrize(
    ("text", "number"),
    [("37", 37), (" 37 ", 37), ("３７", 37), ("１８．５", 18.5), ("-1.5", -1.5), (".5", 0.5), ("5.", 5),
     ("1,200", 1200),
     ("1，200", 1200), ("+2", 2)],
)  # fmt: skip
def test_plain_numbers_are_numbers(text: str, number: float):
    assert parse_number(text) == number


@pytest.mark.parametrize(
    "text", ["1_0", "0x10", " 1e3 ", "inf", "nan", "Infinity", "18,5", "١٢", "1,2345", "", "¹", "5²"]
)
def test_other_numbers_python_accepts_are_not_scores(text: str):
    assert parse_number(text) is None


def test_scores_past_excels_largest_number_are_refused(tmp_path: Path, capsys):
    message = refused(build("scores_past_excel_max", tmp_path), 1, capsys, "单元格 C2", "单元格 D2", "最大数")
    assert "“1e+308”" in message


def test_total_that_overflows_is_refused(tmp_path: Path, capsys):
    refused(build("overflowing_total", tmp_path), 1, capsys, "单元格 A2", "“公安局”的各项分数相加超过")


def test_date_formatted_scores_are_refused(tmp_path: Path, capsys):
    refused(build("date_scores", tmp_path), 1, capsys, "单元格 C2：", "单元格 D2：", "日期或时间格式")


def test_iso_date_cell_is_refused_as_a_score(tmp_path: Path, capsys):
    refused(build("score_iso_date", tmp_path), 1, capsys, "单元格 C2：", "日期或时间格式")


@pytest.mark.parametrize(
    ("code", "dated"),
    [('yyyy"年"m"月"d"日"', True), ("[h]:mm", True), ("[$-804]yyyy-mm-dd", True), ("mm:ss", True), ("0.00", False),
     ('#,##0 "分"', False), ("[Red]0.0", False), ("0.00E+00", False), ("General", False), ("0.0_);(0.0)", False),
     ('"day"0', False), ("\\d0", False)],
)  # fmt: skip
def test_date_number_formats_are_recognised(code: str, dated: bool):
    assert is_date_code(code) is dated


def test_value_hidden_under_a_merge_is_refused(tmp_path: Path, capsys):
    refused(build("merge_hiding_a_score", tmp_path), 1, capsys, "单元格 D2：合并单元格 C2:D2 遮住了", "“3”", "取消合并")


def test_merge_over_empty_score_cells_is_refused(tmp_path: Path, capsys):
    refused(build("merge_over_empty_scores", tmp_path), 1, capsys, "单元格 C2：分数单元格 C2:C3 被合并了")


def test_merge_of_name_cells_hiding_nothing_is_accepted(tmp_path: Path, capsys):
    accepted(build("merge_over_names", tmp_path), capsys)


# --- 4. text longer than a cell holds ---------------------------------------------------------------------
def test_unit_name_over_the_cell_limit_is_refused(tmp_path: Path, capsys):
    refused(build("long_unit_name", tmp_path), 1, capsys, "单元格 A2：文字有 35000 个字符", str(MAX_CELL_TEXT))


def test_generated_summary_over_the_cell_limit_names_the_template(tmp_path: Path, capsys):
    ref = corpus.settings_ref("通报段落")
    refused(
        build("long_summary", tmp_path), 1, capsys, f"工作表“设置”单元格 {ref}", "按“通报段落”生成的文字", "减少较好"
    )


def test_work_item_over_the_cell_limit_is_refused(tmp_path: Path, capsys):
    ref = corpus.work_item_ref()
    refused(build("long_work_item", tmp_path), 1, capsys, f"工作表“通报”单元格 {ref}：文字有 35000 个字符")
