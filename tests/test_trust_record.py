"""Trust: pygk knows what it wrote (its record beside the ownership mark), so a clerk's edit is never written over.

Also: 得分来源 switched back to 录入 names the scores pygk had computed; a check never runs on the
ruins of a failed one; a forged mark cannot make a clerk's own column pygk's.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest import sheet_values, soffice, source_grids, write_book
from lxml import etree
from openpyxl.workbook.defined_name import DefinedName
from xlwings_replay import file_grids, file_names, remote_book
from zipedit import edit_xml, owned_names, q

from pygk import excel
from pygk.adapters.xlsx import adapter
from pygk.adapters.xlsx.adapter import check
from pygk.cli import main
from pygk.core.errors import InputError
from pygk.core.layout import table_sizes
from pygk.core.record import (
    FORMULA_LIMIT,
    MAX_BUCKETS,
    Keys,
    Record,
    changes,
    formula_length,
    new_record,
    parse_record,
    record_formula,
)


def run(path: Path, capsys) -> tuple[int, str]:
    """`pygk run` in-process: exit status and what the clerk read on stderr."""
    status = main(["run", str(path)])
    return status, capsys.readouterr().err


def refused(path: Path, capsys) -> str:
    """`pygk run` that must refuse and leave the file byte for byte as it was: the message."""
    before = path.read_bytes()
    status, err = run(path, capsys)
    assert status == 1, err
    assert path.read_bytes() == before
    return err


def edit_cells(path: Path, sheet: str, **cells: object) -> None:
    book = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        book[sheet][ref] = value
    book.save(path)


def set_setting(path: Path, key: str, value: object, col: int = 1) -> None:
    book = openpyxl.load_workbook(path)
    row = next(r for r in book["设置"].iter_rows() if r[0].value == key)
    row[col].value = value
    book.save(path)


# --- 1. an edited cell of pygk's is refused, located ------------------------------------


def test_a_total_the_clerk_typed_over_is_refused_located_then_rewritten_once_cleared(demo: Path, capsys):
    assert run(demo, capsys)[0] == 0
    totals = {r: sheet_values(demo, "区直单位")[r - 1][6] for r in (5, 7, 9, 10)}
    edit_cells(demo, "区直单位", G5=99, G7="待定", G9=1, G10=2)
    err = refused(demo, capsys)
    assert "工作表“区直单位”：单元格 G5、G7、G9:G10 是 pygk 上次写入的，之后被改过" in err
    assert "pygk 不会覆盖您的修改" in err and "然后清空这些单元格" in err and "评分项目的分数" in err
    edit_cells(demo, "区直单位", G5=None, G7=None, G9=None, G10=None)  # the clerk clears them: pygk writes again
    assert run(demo, capsys)[0] == 0
    assert {r: sheet_values(demo, "区直单位")[r - 1][6] for r in (5, 7, 9, 10)} == totals


def test_a_clerks_value_equal_to_pygks_is_not_an_edit(demo: Path, capsys):
    assert run(demo, capsys)[0] == 0
    total = sheet_values(demo, "区直单位")[4][6]
    edit_cells(demo, "区直单位", G5=float(total))  # retyped, same number
    assert run(demo, capsys)[0] == 0


def test_an_edited_bulletin_paragraph_is_refused_with_where_to_change_it(demo: Path, capsys):
    assert run(demo, capsys)[0] == 0
    edit_cells(demo, "通报", B3="我改写的概述")
    err = refused(demo, capsys)
    assert "工作表“通报”：单元格 B3 是 pygk 上次写入的" in err and "“通报段落”" in err


def test_an_edited_computed_score_is_refused_and_a_changed_deduction_is_not(findings_example: Path, capsys):
    """得分来源 按扣分计算: the score pygk filled is not silently put back; changing 扣分明细 is the way."""
    book = findings_example
    assert run(book, capsys)[0] == 0
    before = sheet_values(book, "区直单位")
    edit_cells(book, "区直单位", C3=9.5)
    err = refused(book, capsys)
    assert "工作表“区直单位”：单元格 C3 是 pygk 上次写入的" in err and "修改“扣分明细”中的扣分" in err
    edit_cells(book, "区直单位", C3=before[2][2])  # undone: pygk's value again
    findings = openpyxl.load_workbook(book)
    sheet = findings["扣分明细"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "公安局")
    sheet.cell(row, 5).value = 7  # a deduction changed: the scores pygk computes change with it
    findings.save(book)
    status, err = run(book, capsys)
    assert status == 0, err
    assert sheet_values(book, "区直单位")[1][2:6] != before[1][2:6]


def test_a_new_month_with_every_score_changed_sorted_and_moved_is_no_edit(demo: Path, capsys):
    """The record's keys follow the content: sorting the roster and changing every score refuse nothing."""
    assert run(demo, capsys)[0] == 0
    book = openpyxl.load_workbook(demo)
    sheet = book["区直单位"]
    rows = [[c.value for c in sheet[r]][:7] for r in range(2, 33)]
    rows.sort(key=lambda r: str(r[0]), reverse=True)  # the clerk sorts the roster, totals move with their rows
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            sheet.cell(r, c).value = value
        sheet.cell(r, 3).value = 1  # and a new month's scores
    book.save(demo)
    status, err = run(demo, capsys)
    assert status == 0, err
    after = sheet_values(demo, "区直单位")
    assert all(row[6] == sum(row[2:6]) for row in after[1:32])


def test_a_workbook_without_the_record_is_treated_as_before_then_recorded(demo: Path, capsys):
    """A workbook from the version before the record: its cells are pygk's by area, as they were; then recorded."""
    assert run(demo, capsys)[0] == 0
    expected = sheet_values(demo, "区直单位")[4][6]

    def unrecord(root: etree._Element) -> None:
        for defined in list(root.iter(q("definedName"))):
            if defined.get("name") == "_pygk.record":
                defined.getparent().remove(defined)

    edit_xml(demo, "xl/workbook.xml", unrecord)
    edit_cells(demo, "区直单位", G5=99)
    assert ("区直单位", "_pygk.record") not in owned_names(demo)
    assert run(demo, capsys)[0] == 0
    assert sheet_values(demo, "区直单位")[4][6] == expected  # overwritten, as before the record existed
    assert parse_record(owned_names(demo)[("区直单位", "_pygk.record")]) is not None
    edit_cells(demo, "区直单位", G5=99)
    assert "G5" in refused(demo, capsys)


def test_the_record_survives_libreoffice_saving_the_workbook(demo: Path, tmp_path: Path, capsys):
    """LibreOffice rewrites every part (numbers, names): its save keeps the record, and an edit is still found."""
    office = soffice()
    assert run(demo, capsys)[0] == 0
    saved = tmp_path / "lo"
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([str(office), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx",
                    "--outdir", str(saved), str(demo)], check=True, capture_output=True, timeout=240)  # fmt: skip
    book = saved / demo.name
    assert parse_record(owned_names(book)[("区直单位", "_pygk.record")]) == parse_record(
        owned_names(demo)[("区直单位", "_pygk.record")]
    )
    copy = tmp_path / "copy.xlsx"
    shutil.copyfile(book, copy)
    status, err = run(copy, capsys)  # unchanged: nothing is taken for an edit
    assert status == 0, err
    edit_cells(book, "区直单位", G6=1)
    assert "单元格 G6 是 pygk 上次写入的" in refused(book, capsys)


def test_the_live_adapter_refuses_the_same_edit_and_writes_the_same_record(demo: Path, tmp_path: Path):
    """Both adapters: the remote engine reads the record from the names and writes the file adapter's record."""
    first = tmp_path / "first.xlsx"
    adapter.run(demo, first)
    book = remote_book(file_grids(demo), file_names(demo))  # the first run, in Excel
    excel.run_command(book, "all")
    live_records = [a["args"][-1] for a in book.json()["actions"]
                    if a["func"] in ("namesAdd", "setNameRefersTo") and a["args"][0] == "_pygk.record"]  # fmt: skip
    file_records = [f for (_, name), f in owned_names(first).items() if name == "_pygk.record"]
    assert len(file_records) == 3  # both input sheets and 通报
    assert sorted(f.lstrip("=") for f in live_records) == sorted(file_records)
    edit_cells(first, "区直单位", G5=99)
    book = remote_book(file_grids(first), file_names(first))
    excel.run_command(book, "all")
    actions = book.json()["actions"]
    assert [a["func"] for a in actions] == ["alert"]
    assert "工作表“区直单位”：单元格 G5 是 pygk 上次写入的" in actions[0]["args"][0]


# --- the record itself ------------------------------------------------------------------------


def test_the_record_fits_a_defined_name_at_100000_units_and_still_finds_an_edit():
    grid: list[list[object]] = [["单位名称", "总分"]] + [[f"单位{i:06d}", float(i % 97)] for i in range(100_000)]
    owned = [(r, 1) for r in range(len(grid))]
    written = {cell: grid[cell[0]][1] for cell in owned}
    record = new_record(grid, Keys(0, 0), written, owned, ["总分"])
    formula = record_formula(record)
    assert len(record.buckets) == MAX_BUCKETS and len(formula) < 8000
    parts_ = formula.split("&")
    assert all(len(p) <= 255 for p in parts_)
    assert parse_record("=" + formula) == record
    assert changes(grid, Keys(0, 0), owned, record).cells == frozenset()
    grid[5000][1] = 12.5
    changed = changes(grid, Keys(0, 0), owned, record).cells
    assert (5000, 1) in changed and len(changed) < 300  # located to one bucket's cells
    del grid[70000]  # a unit deleted: its bucket cannot tell, the edit is still found
    assert (5000, 1) in changes(grid, Keys(0, 0), owned[:-1], record).cells


@pytest.mark.parametrize("formula", ['"x"', '"{""v"":2}"', '"abc"&', "1+1", '"{""v"":1,""t"":[],""d"":""A""}"', ""])
def test_a_damaged_record_is_no_record(formula: str):
    assert parse_record(formula) is None
    assert changes([["a"]], Keys(0, 0), [(0, 0)], parse_record(formula)).cells == frozenset()
    assert Record() == parse_record(record_formula(Record()))


# --- 2. 得分来源 back to 录入 ------------------------------------------------------------------


def test_switching_back_to_entered_scores_names_pygks_computed_scores_once(findings_example: Path, capsys):
    book = findings_example
    assert run(book, capsys)[0] == 0
    scores = sheet_values(book, "区直单位")
    set_setting(book, "得分来源", "录入")
    status, err = run(book, capsys)
    assert status == 0, err
    assert "工作表“区直单位”：单元格 C2:C9、D2:D9、E2:E9、F2:F9 的得分是 pygk 上次按“扣分明细”计算填写的" in err
    assert "“得分来源”现在是“录入”" in err and "工作表“镇（街道）”：单元格 C2:C6" in err
    assert [r[2:6] for r in sheet_values(book, "区直单位")] == [r[2:6] for r in scores]
    assert "C2" not in owned_names(book)[("区直单位", "_pygk.cells")]  # the scores are the clerk's from now on
    edit_cells(book, "区直单位", C2=3)  # hers: typed over without a word, ranked as typed
    status, err = run(book, capsys)
    assert status == 0 and "得分是 pygk 上次" not in err
    assert sheet_values(book, "附件1")[3:] and sheet_values(book, "区直单位")[1][2] == 3


# --- 3. no check on the ruins of a failed one --------------------------------------------------


def _problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        check(path)
    return [f"{p.sheet}|{p.cell}|{p.message}" for p in caught.value.problems]


def _no_maximum(path: Path) -> None:
    set_setting(path, "公共服务得分", None)


def _text_score(path: Path) -> None:
    set_setting(path, "得分来源", "录入")
    book = openpyxl.load_workbook(path)
    for name in ("区直单位", "镇（街道）"):
        for row in book[name].iter_rows(min_row=2, min_col=3, max_col=6):
            for cell in row:
                cell.value = 1
    book["镇（街道）"]["C3"] = "九十"
    book.save(path)


def _missing_column(path: Path) -> None:
    edit_cells(path, "镇（街道）", C1="别的列")


def _duplicate_unit(path: Path) -> None:
    edit_cells(path, "镇（街道）", A3="槐新街道")


def _missing_sheet(path: Path) -> None:
    set_setting(path, "镇（街道）", "镇街", col=0)


def _bad_maximum(path: Path) -> None:
    set_setting(path, "公共服务得分", "十")


def _no_groups(path: Path) -> None:
    book = openpyxl.load_workbook(path)
    for row in book["设置"].iter_rows():
        if row[0].value in ("区直单位", "镇（街道）"):
            row[0].value = row[1].value = None
    book.save(path)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_no_maximum, ["区直单位|None|“得分来源”为“按扣分计算”时每个评分项目都要有满分，“公共服务得分”没有",
                       "镇（街道）|None|“得分来源”为“按扣分计算”时每个评分项目都要有满分，“公共服务得分”没有"]),
        (_text_score, ["镇（街道）|C3|分数“九十”不是数字"]),
        (_missing_column, ["镇（街道）|None|找不到评分项目“公共服务得分”这一列"]),
        (_duplicate_unit, ["镇（街道）|A3|单位“槐新街道”在本表中重复出现"]),
        (_missing_sheet, ["None|None|工作簿中没有名为“镇街”的工作表"]),
        (_bad_maximum, ["设置|B42|“公共服务得分”应为数字，实际为“十”"]),
        (_no_groups, ["设置|None|没有分组"]),
    ],
)  # fmt: skip
def test_no_false_message_follows_a_failed_read(findings_example: Path, change, expected: list[str]):
    """A group that could not be read leaves its units unknown, not 'in no group'; a bad 满分 leaves its item listed."""
    change(findings_example)
    found = _problems(findings_example)
    assert len(found) == len(expected), found
    for line, start in zip(found, expected):
        assert line.startswith(start), (line, start)


def test_a_unit_in_no_group_is_still_found_when_every_group_was_read(findings_example: Path):
    book = openpyxl.load_workbook(findings_example)
    book["扣分明细"]["A2"] = "不存在的局"
    book.save(findings_example)
    assert [p.split("|")[1] for p in _problems(findings_example)] == ["A2"]


# --- 4. a forged mark over a clerk's own column ------------------------------------------------


def _forge(path: Path, sheet: str, formula: str) -> None:
    book = openpyxl.load_workbook(path)
    book[sheet].defined_names["_pygk.cells"] = DefinedName("_pygk.cells", attr_text=formula)
    book.save(path)


def test_a_forged_mark_never_makes_a_clerks_numbers_column_pygks(demo: Path, capsys):
    """The clerk's 备注 column of numbers under a forged _pygk.cells (no record): never written or cleared."""
    book = openpyxl.load_workbook(demo)
    sheet = book["区直单位"]
    sheet["G1"] = "备注"
    for row in range(2, 33):
        sheet.cell(row, 7).value = row * 10
    book.save(demo)
    _forge(demo, "区直单位", "'区直单位'!$G$1:$G$32")
    status, err = run(demo, capsys)
    assert status == 0, err
    values = sheet_values(demo, "区直单位")
    assert [r[6] for r in values[:32]] == ["备注", *(row * 10 for row in range(2, 33))]
    assert values[0][7] == "总分" and values[1][7] == sum(values[1][2:6])  # pygk's own column beside it


def test_a_forged_mark_beside_a_real_record_takes_only_titles_pygk_wrote(demo: Path, capsys):
    """With the record of a real run, a forged area over the clerk's 备注 column still leaves it hers."""
    assert run(demo, capsys)[0] == 0
    book = openpyxl.load_workbook(demo)
    sheet = book["区直单位"]
    sheet["K1"] = "备注"
    sheet["K2"], sheet["K3"] = 5, 6
    book.save(demo)
    _forge(demo, "区直单位", "'区直单位'!$G$1:$G$32,'区直单位'!$I$2:$I$3,'区直单位'!$K$1:$K$3")
    status, err = run(demo, capsys)
    assert status == 0, err
    values = sheet_values(demo, "区直单位")
    assert [r[10] for r in values[:3]] == ["备注", 5, 6] and values[0][6] == "总分"


def test_a_total_title_changed_in_settings_still_renames_pygks_own_column(demo: Path, capsys):
    """The recorded title keeps the rename in place working: pygk's 总分 column becomes 合计, not a second one."""
    assert run(demo, capsys)[0] == 0
    set_setting(demo, "总分列标题", "合计")
    status, err = run(demo, capsys)
    assert status == 0, err
    header = sheet_values(demo, "区直单位")[0]
    assert header[6] == "合计" and "总分" not in header
    assert '"t":["合计"]' in owned_names(demo)[("区直单位", "_pygk.record")].replace('""', '"')


# --- the reviewer's findings: forged records, rearranged columns, collisions, scale, long titles -----------


def _set_record(path: Path, sheet_index: int, formula: str) -> None:
    """Replace the record local to the `sheet_index`-th sheet with `formula`, as a forger editing the XML would."""

    def change(root: etree._Element) -> None:
        for defined in root.iter(q("definedName")):
            if defined.get("name") == "_pygk.record" and defined.get("localSheetId") == str(sheet_index):
                defined.text = formula

    edit_xml(path, "xl/workbook.xml", change)


DEEP = "&".join(['"' + "[" * 120 + '"'] * 25)  # 3,000 nested brackets, within the formula limit


@pytest.mark.parametrize(
    "formula",
    [
        DEEP,
        '"' + "[" * 3000 + '"',
        '"{""v"":2,""t"":[],""c"":"""",""d"":"""",""x"":' + "9" * 5000 + '}"',  # a huge int
        '"{""v"":true,""t"":[],""c"":"""",""d"":""""}"',  # true == 1 == 2 - 1: not the version
        '"{""v"":2.0,""t"":[],""c"":"""",""d"":""""}"',
        '"{""v"":2,""t"":[[]],""c"":"""",""d"":""""}"',
        '"{""v"":2,""t"":[],""c"":1,""d"":""""}"',
        '"{""v"":2,""t"":[],""c"":""AAAAAAA"",""d"":""""}"',
        '"{""v"":2,""t"":[],""c"":"""",""d"":""!!!!!!!!""}"',
        '"{""v"":2,""t"":[],""c"":"""",""d"":""AAAAAA""}"',  # a version 1 bucket (6 characters)
        '"{""v"":2,""t"":[],""c"":"""",""d"":""' + "A" * 8 * 901 + '""}"',  # more buckets than pygk writes
        '"' + "A" * 9000 + '"',
        '"[1e999999]"',
        '"{""v"":2,""t"":[],""c"":"""",""d"":""""}"&' * 2000 + '""',
    ],
)
def test_any_damaged_or_forged_record_text_is_no_record(formula: str):
    assert parse_record(formula) is None


def test_a_deeply_nested_forged_record_counts_as_no_record_in_both_adapters(demo: Path, tmp_path: Path, capsys):
    assert run(demo, capsys)[0] == 0
    _set_record(demo, 1, DEEP)  # 区直单位
    book = remote_book(file_grids(demo), file_names(demo))  # the live adapter reads the same names
    excel.run_command(book, "all")
    actions = book.json()["actions"]
    assert not [a for a in actions if a["func"] == "alert" and a["args"][3] == "critical"], actions[-1]
    assert "setValues" in [a["func"] for a in actions]
    edit_cells(demo, "区直单位", G5=99)  # with no record, pygk's cells are its own, as before the record existed
    status, err = run(demo, capsys)
    assert status == 0, err
    assert sheet_values(demo, "区直单位")[4][6] == sum(sheet_values(demo, "区直单位")[4][2:6])
    assert parse_record(owned_names(demo)[("区直单位", "_pygk.record")]) is not None  # recorded anew


def _sort_scores_only(path: Path) -> None:
    """The clerk sorts the units with only A:F selected: 总分 (G) stays where it was, the units move."""
    book = openpyxl.load_workbook(path)
    sheet = book["区直单位"]
    rows = [[sheet.cell(r, c).value for c in range(1, 7)] for r in range(2, 33)]
    rows.sort(key=lambda r: str(r[0]), reverse=True)
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            sheet.cell(r, c).value = value
    book.save(path)


def test_sorting_only_the_score_columns_is_no_edit_and_the_totals_follow_their_units(demo: Path, capsys):
    assert run(demo, capsys)[0] == 0
    before = {row[0]: row[6] for row in sheet_values(demo, "区直单位")[1:32]}
    _sort_scores_only(demo)
    moved = sheet_values(demo, "区直单位")[1:32]
    assert any(before[row[0]] != row[6] for row in moved)  # the totals no longer sit beside their units
    status, err = run(demo, capsys)
    assert status == 0, err
    assert {row[0]: row[6] for row in sheet_values(demo, "区直单位")[1:32]} == before


def test_an_edit_in_a_column_sorted_apart_from_its_units_is_still_refused(demo: Path, capsys):
    assert run(demo, capsys)[0] == 0
    _sort_scores_only(demo)
    edit_cells(demo, "区直单位", G5=99)
    err = refused(demo, capsys)  # the column no longer holds pygk's values: every moved total is named
    assert "工作表“区直单位”：单元格 G2:G14" in err and "其中有单元格在 pygk 上次写入后被改过" in err


def test_renaming_a_unit_is_never_taken_for_an_edit_of_its_total():
    """5,000 renames of one unit against the record: with 12-bit key fingerprints about two collided."""
    grid: list[list[object]] = [["单位名称", "得分", "总分"]] + [[f"单位{i}", i, float(i)] for i in range(31)]
    owned = [(r, 2) for r in range(len(grid))]
    record = new_record(grid, Keys(0, 0), {cell: grid[cell[0]][2] for cell in owned}, owned, ["总分"])
    false = []
    for i in range(5000):
        renamed = [list(row) for row in grid]
        renamed[4][0] = f"科学技术局{i}"
        if changes(renamed, Keys(0, 0), owned, record).cells:
            false.append(renamed[4][0])
    assert false == []


def test_at_scale_a_refusal_says_the_change_is_among_the_named_cells(tmp_path: Path, demo: Path, capsys):
    """2,000 units share 900 buckets: the other cells of the edited one's bucket are named, and said to be so."""
    book = openpyxl.load_workbook(demo)
    for i in range(2000):
        book["区直单位"].append([f"测试单位{i:04d}", None, i % 5, 2, 13, i % 30])
    book.save(demo)
    assert run(demo, capsys)[0] == 0
    book = openpyxl.load_workbook(demo)
    sheet = book["区直单位"]
    for r in range(2, sheet.max_row + 1):
        if isinstance(sheet.cell(r, 3).value, int):
            sheet.cell(r, 3).value = (sheet.cell(r, 3).value + 1) % 5  # a new month
    sheet["G100"] = 1234
    book.save(demo)
    err = refused(demo, capsys)
    assert "G100" in err and "其中有单元格在 pygk 上次写入后被改过" in err and "之后被改过" not in err
    assert "请检查这些单元格" in err and "评分项目的分数" in err


def test_a_small_sheets_refusal_still_says_each_named_cell_was_changed(demo: Path, capsys):
    assert run(demo, capsys)[0] == 0
    edit_cells(demo, "区直单位", G5=99)
    err = refused(demo, capsys)
    assert "单元格 G5 是 pygk 上次写入的，之后被改过" in err and "其中有单元格" not in err


@pytest.mark.parametrize("key", ["单位列标题", "总分列标题", "排名列标题"])
def test_an_over_long_column_title_is_refused_at_its_settings_cell(demo: Path, capsys, key: str):
    set_setting(demo, key, "长" * 41)
    err = refused(demo, capsys)
    book = openpyxl.load_workbook(demo)
    row = next(r for r in book["设置"].iter_rows() if r[0].value == key)[1].row
    assert f"工作表“设置”单元格 B{row}：" in err
    assert f"“{key}”有 41 个字，超过了 40 个字的上限" in err and "请缩短到 40 个字以内" in err


def test_an_over_long_category_name_is_refused_at_its_settings_cell(tmp_path: Path):
    grids = source_grids()
    settings = grids["设置"]
    row = next(i for i, r in enumerate(settings) if r and r[0] == "政务信息公开得分")
    settings[row][0] = "项" * 41
    book = write_book(tmp_path / "long.xlsx", grids)
    with pytest.raises(InputError) as error:
        check(book)
    assert f"A{row + 1}" in str(error.value) and "评分项目名称有 41 个字，超过了 40 个字的上限" in str(error.value)


def test_titles_at_the_limit_keep_the_record_and_the_header_row_within_excels_bounds(demo: Path, capsys):
    set_setting(demo, "显示排名列", "是")
    set_setting(demo, "总分列标题", '"' * 40)  # every quote doubled in the record
    set_setting(demo, "排名列标题", "名" * 40)
    status, err = run(demo, capsys)
    assert status == 0, err
    book = openpyxl.load_workbook(demo)
    headers = [book[name].row_dimensions[3].height for name in book.sheetnames if name.startswith("附件")]
    assert len(headers) == 2 and all(100 < height <= 409 for height in headers)  # wrapped, within Excel's rows
    for formula in owned_names(demo).values():
        assert formula_length(formula) < 8192


def test_the_record_never_exceeds_the_limit_whatever_its_titles():
    grid: list[list[object]] = [["单位名称", "总分"]] + [[f"单位{i:06d}", float(i % 97)] for i in range(100_000)]
    owned = [(r, 1) for r in range(len(grid))]
    written = {cell: grid[cell[0]][1] for cell in owned}
    for titles in (['"' * 40] * 3, ["😀" * 40] * 3, ["总" * 3000], ['"' * 9000]):
        record = new_record(grid, Keys(0, 0), written, owned, titles)
        assert formula_length(record_formula(record)) <= FORMULA_LIMIT
        assert parse_record(record_formula(record)) == record
        grid[5000][1] = 12.5
        assert (5000, 1) in changes(grid, Keys(0, 0), owned, record).cells
        grid[5000][1] = float(5000 % 97)


def test_an_annex_header_and_title_row_never_exceed_excels_highest_row():
    """Whatever reaches the layout (a title longer than settings allow), no row Excel would repair."""
    sizes = table_sizes(["单位名称", "长" * 600, "总分"], [0], ["单位"], "附" * 3000)
    assert sizes.header_height == sizes.title_height == 409.0
