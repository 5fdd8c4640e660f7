"""What a run does to the file: the clerk's work survives, reruns are stable, writes are atomic."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, sheet_values, source_grids, write_book
from openpyxl.styles import PatternFill
from openpyxl.workbook.defined_name import DefinedName

from pygk.cli import main

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import make_workbook  # noqa: E402


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def edit_setting(path: Path, key: str, value) -> None:
    book = openpyxl.load_workbook(path)
    for row in book["设置"].iter_rows():
        if row[0].value == key:
            row[1].value = value
    book.save(path)


def test_second_run_writes_the_same_bytes(demo: Path, tmp_path: Path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert main(["run", str(demo), "-o", str(first)]) == 0
    assert main(["run", str(first), "-o", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    book = openpyxl.load_workbook(second)
    assert book.sheetnames == ["设置", "区直单位", "镇（街道）", "通报", "附件1", "附件2", "趋势", "历史"]
    assert [c.value for c in book["区直单位"][1]][:7] == [
        "单位名称",
        "简称",
        *source_grids()["区直单位"][0][2:],
        "总分",
    ]


def test_output_option_leaves_the_source_alone(demo: Path, tmp_path: Path):
    before = demo.read_bytes()
    assert main(["run", str(demo), "-o", str(tmp_path / "out.xlsx")]) == 0
    assert demo.read_bytes() == before


def test_clerk_sheets_names_styles_and_validations_survive(demo: Path):
    book = openpyxl.load_workbook(demo)
    notes = book.create_sheet("我的笔记")
    notes["A1"] = "联系人：张三"
    notes["A1"].fill = PatternFill("solid", fgColor="FFFF00")
    notes.merge_cells("A3:C3")
    book.defined_names["联系人"] = DefinedName("联系人", attr_text="'我的笔记'!$A$1")
    group = book["区直单位"]
    group["G1"] = "备注"
    group["G3"] = "已整改"
    group["G3"].fill = PatternFill("solid", fgColor="00B0F0")
    group.defined_names["本组名单"] = DefinedName("本组名单", attr_text="'区直单位'!$A$2:$A$32")
    validations = len(group.data_validations.dataValidation)
    book.save(demo)
    sheet_parts = {n: b for n, b in parts(demo).items() if n.startswith("xl/worksheets/sheet")}

    assert main(["run", str(demo)]) == 0
    assert main(["run", str(demo)]) == 0

    after = parts(demo)
    notes_part = next(n for n, b in sheet_parts.items() if "联系人：张三".encode() in b or b"A3:C3" in b)
    assert after[notes_part] == sheet_parts[notes_part]
    book = openpyxl.load_workbook(demo)
    assert book.defined_names["联系人"].attr_text == "'我的笔记'!$A$1"
    group = book["区直单位"]
    assert group.defined_names["本组名单"].attr_text == "'区直单位'!$A$2:$A$32"
    assert group["G1"].value == "备注" and group["G3"].value == "已整改"
    assert group["G3"].fill.fgColor.rgb == "0000B0F0"
    assert group["H1"].value == "总分" and group["H7"].value == 56
    assert len(group.data_validations.dataValidation) == validations
    assert book["我的笔记"]["A1"].fill.fgColor.rgb == "00FFFF00"
    assert book["附件1"].print_title_rows == "$3:$3"


def make_xlsm(source: Path, target: Path) -> dict[str, bytes]:
    """The demo as a macro workbook with a VBA part and a ribbon, assembled by zip edits."""
    extra = {
        "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 vba project bytes \x00\x01\x02",
        "customUI/customUI14.xml": '<customUI xmlns="http://schemas.microsoft.com/office/2009/07/customui">'
        '<ribbon><tabs><tab id="gk" label="政务公开"/></tabs></ribbon></customUI>'.encode(),
    }
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name in src.namelist():
            data = src.read(name)
            if name == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                ).replace(
                    b"<Default ",
                    b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Default ',
                    1,
                )
            if name == "_rels/.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdUI" Type="http://schemas.microsoft.com/'
                    b'office/2007/relationships/ui/extensibility" Target="customUI/customUI14.xml"/>'
                    b"</Relationships>",
                )
            if name == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdVBA" Type="http://schemas.microsoft.com/'
                    b'office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>',
                )
            out.writestr(name, data)
        for name, data in extra.items():
            out.writestr(name, data)
    return extra


def test_macro_workbook_keeps_macros_and_ribbon(demo: Path, tmp_path: Path):
    book = tmp_path / "通报.xlsm"
    extra = make_xlsm(demo, book)
    for _ in range(2):
        assert main(["run", str(book)]) == 0
        after = parts(book)
        for name, data in extra.items():
            assert after[name] == data
        assert b"ui/extensibility" in after["_rels/.rels"]
        assert b"macroEnabled" in after["[Content_Types].xml"]
        assert b"vbaProject.bin" in after["xl/_rels/workbook.xml.rels"]
    assert openpyxl.load_workbook(book, keep_vba=True)["附件1"]["A4"].value == "民政局"


@pytest.mark.parametrize("name", ["=1+1", "+86单位", "-单位", "@单位"])
def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path, name: str):
    grids = source_grids()
    grids["区直单位"][6][0] = name  # 民政局, the top unit
    for row in grids["设置"]:
        if row[0] == "通报段落":
            row[1] = "=" + row[1]
    path = write_book(tmp_path / "公式.xlsx", grids)
    assert main(["run", str(path)]) == 0
    with zipfile.ZipFile(path) as archive:
        for part in archive.namelist():
            if part.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(part)
    book = openpyxl.load_workbook(path)
    cell = book["附件1"]["A4"]
    assert (cell.value, cell.data_type) == (name, "s")
    summary = next(r for r in book["通报"].iter_rows() if r[0].value == "概述")[1]
    assert summary.data_type == "s" and summary.value.startswith("=11月份")


def test_open_workbook_is_refused(demo: Path, capsys):
    lock = demo.with_name("~$" + demo.name)
    lock.write_bytes(b"\x00" * 165)
    before = demo.read_bytes()
    assert main(["run", str(demo)]) == 2
    assert "正在被 Excel、WPS 或 LibreOffice 打开（发现锁文件“~$通报.xlsx”）" in capsys.readouterr().err
    assert demo.read_bytes() == before


def test_sixty_unit_group_repeats_its_header_on_every_page(tmp_path: Path):
    path = make_workbook(tmp_path / "六十.xlsx", 60, groups=1)
    assert main(["run", str(path)]) == 0
    book = openpyxl.load_workbook(path)
    annex = book["附件1"]
    assert annex.print_title_rows == "$3:$3"
    assert annex.max_row == 63
    assert annex.page_setup.paperSize == 9 and annex.page_setup.orientation == "portrait"
    assert annex.sheet_properties.pageSetUpPr.fitToPage and annex.page_setup.fitToWidth == 1
    assert annex.page_setup.fitToHeight == 0
    assert annex.page_margins.top == pytest.approx(37 / 25.4, abs=1e-3)
    assert annex.page_margins.left == pytest.approx(28 / 25.4, abs=1e-3)
    assert annex.oddFooter.right.text == "— &P —\u3000" and annex.evenFooter.left.text.strip("\u3000") == "— &P —"
    assert annex["A4"].border.left.style == "thin"
    assert (annex["A4"].alignment.indent, annex["A4"].alignment.vertical) == (1, "center")
    assert (annex["B4"].alignment.horizontal, annex["B4"].alignment.vertical) == ("center", "center")


def test_removed_group_removes_its_annex(demo: Path):
    assert main(["run", str(demo)]) == 0
    book = openpyxl.load_workbook(demo)
    rows = book["设置"]
    for row in rows.iter_rows():
        if row[0].value == "镇（街道）":
            row[0].value = row[1].value = None
    book.save(demo)
    assert main(["run", str(demo)]) == 0
    book = openpyxl.load_workbook(demo)
    assert "附件2" not in book.sheetnames
    assert book["附件1"].print_title_rows == "$3:$3"
    attachments = [r[1].value for r in book["通报"].iter_rows() if r[0].value == "附件"]
    assert attachments == ["1．2021年11月份区直单位网站管理和政务公开情况"]


def test_rank_column_comes_and_goes(demo: Path):
    edit_setting(demo, "显示排名列", "是")
    assert main(["run", str(demo)]) == 0
    values = sheet_values(demo, "区直单位")
    assert values[0][7] == "排名"
    ranks = {row[0]: row[7] for row in values[1:32]}
    assert ranks["民政局"] == 1 and ranks["公安局"] == 3 and ranks["发展和改革委员会"] == 3 and ranks["社保中心"] == 30
    assert sheet_values(demo, "附件1")[2][-1] == "排名"
    edit_setting(demo, "显示排名列", "否")
    assert main(["run", str(demo)]) == 0
    values = sheet_values(demo, "区直单位")
    assert all(len(row) < 8 or row[7] is None for row in values[:32])


def test_best_and_worst_rows_are_highlighted_with_a_legend(demo: Path):
    assert main(["run", str(demo)]) == 0
    sheet = openpyxl.load_workbook(demo)["区直单位"]
    rules = {str(cf.sqref): [r.dxfId for r in cf.rules] for cf in sheet.conditional_formatting}
    # 民政局 is row 7, 卫生健康委员会 row 26; 统计局 row 28 and 社保中心 row 32.
    assert rules == {"A7:G7 A26:G26": [rules["A7:G7 A26:G26"][0]], "A28:G28 A32:G32": [rules["A28:G28 A32:G32"][0]]}
    assert (sheet["I2"].value, sheet["I3"].value) == ("表现较好", "表现较差")
    assert sheet["I2"].fill.fgColor.rgb.endswith("C6EFCE") and sheet["I3"].fill.fgColor.rgb.endswith("FFC7CE")


def test_new_output_file_gets_normal_permissions(demo: Path, tmp_path: Path):
    import os

    umask = os.umask(0o022)
    try:
        target = tmp_path / "新文件.xlsx"
        assert main(["run", str(demo), "-o", str(target)]) == 0
        assert target.stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(umask)


def test_bulletin_sheet_is_added_before_the_annexes(tmp_path: Path):
    grids = source_grids()
    del grids["通报"]
    path = write_book(tmp_path / "无通报.xlsx", grids)
    assert main(["run", str(path)]) == 0
    assert openpyxl.load_workbook(path).sheetnames[-5:] == ["通报", "附件1", "附件2", "趋势", "历史"]
    work = [r for r in sheet_values(path, "通报") if r[0] == "工作事项"]
    assert work == [("工作事项", None)]
