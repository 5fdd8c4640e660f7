"""Trust: pygk rewrites only what it made (its marks in the workbook say what), never a clerk's sheet or cell."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest import libreoffice_found, sheet_values
from lxml import etree
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.table import Table
from zipedit import NS, edit, edit_xml, owned_names, parts, q, set_cell, sheet_part, write_parts

from pygk.adapters.xlsx.adapter import check
from pygk.cli import main


def run(path: Path, capsys, *extra: str) -> tuple[int, str]:
    """`pygk run` in-process: exit status and what the clerk read on stderr."""
    status = main(["run", str(path), *extra])
    return status, capsys.readouterr().err


def refused(path: Path, capsys, *extra: str) -> tuple[int, str]:
    """`pygk run` that must leave the file byte for byte as it was: exit status and message."""
    before = path.read_bytes()
    status, err = run(path, capsys, *extra)
    assert path.read_bytes() == before
    return status, err


def assert_valid(path: Path) -> None:
    """openpyxl loads the file and a strict OOXML validator (the Open XML SDK's rules) finds no error."""
    from openxml_audit import OpenXmlValidator
    from openxml_audit.errors import ValidationSeverity

    openpyxl.load_workbook(path)
    result = OpenXmlValidator().validate(str(path))
    errors = [e.description for e in result.errors if e.severity == ValidationSeverity.ERROR]
    assert errors == []
    names = [n.casefold() for n in parts(path)]
    assert len(names) == len(set(names)), "part names must differ ignoring case"


def test_clerk_sheets_named_like_annexes_are_never_deleted(demo: Path, capsys):
    book = openpyxl.load_workbook(demo)
    for name in ("附件３", "附件①", "附件²", "附件03"):
        book.create_sheet(name)["A1"] = f"我的{name}"
    book.save(demo)
    assert run(demo, capsys)[0] == 0
    assert run(demo, capsys)[0] == 0
    book = openpyxl.load_workbook(demo)
    for name in ("附件３", "附件①", "附件²", "附件03"):
        assert book[name]["A1"].value == f"我的{name}"
    assert sheet_values(demo, "附件1")[0][0] == "附件1" and "附件2" in book.sheetnames


def test_clerk_sheet_with_the_name_pygk_needs_is_refused(demo: Path, capsys):
    book = openpyxl.load_workbook(demo)
    book.create_sheet("附件2")["A1"] = "我的笔记"
    book.save(demo)
    status, err = refused(demo, capsys)
    assert status == 1
    assert "工作表“附件2”" in err and "不是 pygk 生成的" in err and "改名" in err


def test_history_add_refuses_a_clerks_history_sheet(demo: Path, tmp_path: Path, capsys):
    old = tmp_path / "十月.xlsx"
    shutil.copyfile(demo, old)
    book = openpyxl.load_workbook(demo)
    book.create_sheet("历史")["A1"] = "我记的历史"
    book.save(demo)
    before = demo.read_bytes()
    assert main(["history", "add", str(old), "--into", str(demo)]) == 1
    assert "工作表“历史”" in capsys.readouterr().err
    assert demo.read_bytes() == before


def test_copied_and_renamed_generated_sheets_become_the_clerks(demo: Path, capsys):
    assert run(demo, capsys)[0] == 0
    book = openpyxl.load_workbook(demo)
    copy = book.copy_worksheet(book["附件1"])
    copy.title = "附件1 (2)"
    # Excel copies a sheet's local names with it: the copy carries pygk's mark naming 附件1.
    copy.defined_names["_pygk.sheet"] = DefinedName("_pygk.sheet", attr_text='"附件1"', hidden=True)
    book["附件2"].title = "附件2（十月）"
    book.save(demo)
    assert run(demo, capsys)[0] == 0
    book = openpyxl.load_workbook(demo)
    assert {"附件1 (2)", "附件2（十月）", "附件1", "附件2"} <= set(book.sheetnames)
    assert book["附件2（十月）"]["A1"].value == "附件2"
    # groups shrink: pygk removes its own 附件2 and nothing else
    for row in book["设置"].iter_rows():
        if row[0].value == "镇（街道）":
            row[0].value = row[1].value = None
    book.save(demo)
    assert run(demo, capsys)[0] == 0
    names = openpyxl.load_workbook(demo).sheetnames
    assert "附件2" not in names and {"附件1 (2)", "附件2（十月）"} <= set(names)


def strip_marks(path: Path) -> None:
    """Turn a run's output into what an earlier pygk wrote: no marks, highlight rules marked by TRUE."""

    def unmark(root: etree._Element) -> None:
        for defined in list(root.iter(q("definedName"))):
            if defined.get("name", "").startswith("_pygk."):
                defined.getparent().remove(defined)

    edit_xml(path, "xl/workbook.xml", unmark)
    for sheet in ("区直单位", "镇（街道）"):

        def legacy(root: etree._Element) -> None:
            for formula in root.iter(q("formula")):
                formula.text = "TRUE"

        edit_xml(path, sheet_part(path, sheet), legacy)


def test_workbook_from_an_earlier_version_is_adopted(demo: Path, capsys):
    assert run(demo, capsys)[0] == 0
    strip_marks(demo)
    assert owned_names(demo) == {}
    status, err = run(demo, capsys)
    assert status == 0, err
    book = openpyxl.load_workbook(demo)
    assert book.sheetnames == ["设置", "区直单位", "镇（街道）", "通报", "附件1", "附件2", "趋势", "历史"]
    formulas = [r.formula for cf in book["区直单位"].conditional_formatting for r in cf.rules]
    assert formulas == [['N("pygk")=0'], ['N("pygk")=0']]  # the old TRUE rules replaced, not kept beside
    names = owned_names(demo)
    assert names[("区直单位", "_pygk.cells")] == "'区直单位'!$G$1:$G$32,'区直单位'!$I$2:$I$3"
    assert names[(None, "_pygk.version")] == '"1"' and names[("附件1", "_pygk.sheet")] == '"附件1"'
    assert_valid(demo)


def test_legend_goes_past_the_clerks_notes(demo: Path, capsys):
    book = openpyxl.load_workbook(demo)
    book["区直单位"]["I2"], book["区直单位"]["I3"] = "备注：", "民政局数据待核"
    book.save(demo)
    assert run(demo, capsys)[0] == 0
    sheet = openpyxl.load_workbook(demo)["区直单位"]
    assert (sheet["I2"].value, sheet["I3"].value) == ("备注：", "民政局数据待核")
    assert (sheet["J2"].value, sheet["J3"].value) == ("表现较好", "表现较差")


def test_clerk_values_in_the_total_column_are_refused(demo: Path, capsys):
    book = openpyxl.load_workbook(demo)
    sheet = book["区直单位"]
    sheet["G1"] = "总分"
    sheet["G5"], sheet["G6"] = 99, "待定"
    book.save(demo)
    status, err = refused(demo, capsys)
    assert status == 1
    assert "工作表“区直单位”" in err and "G5:G6" in err and "不会覆盖" in err


def test_clerk_total_formulas_that_agree_are_left_alone(demo: Path, capsys):
    plan = check(demo)
    update = plan.updates[0]
    part = sheet_part(demo, "区直单位")

    def formulas(root: etree._Element) -> None:
        set_cell(root, "G1", text="总分")
        for row, total in zip(update.rows, update.totals):
            set_cell(root, f"G{row + 1}", f"SUM(C{row + 1}:F{row + 1})", f"{total:g}")

    edit_xml(demo, part, formulas)
    status, err = run(demo, capsys)
    assert status == 0, err
    sheet = openpyxl.load_workbook(demo)["区直单位"]
    assert sheet["G7"].value == "=SUM(C7:F7)" and sheet["G32"].value == "=SUM(C32:F32)"
    assert "$G$" not in owned_names(demo).get(("区直单位", "_pygk.cells"), "")


def fill_down_sum(root: etree._Element, last: int = 40, cached: str = "0") -> None:
    """A clerk's =SUM filled down G2:G{last}: Excel stores the formula once, in G2 (a shared formula)."""
    for r in range(2, last + 1):
        set_cell(root, f"G{r}", None, cached)
        cell = next(c for c in root.iter(q("c")) if c.get("r") == f"G{r}")
        formula = etree.Element(q("f"), t="shared", si="0")
        if r == 2:
            formula.set("ref", f"G2:G{last}")
            formula.text = "SUM(C2:F2)"
        cell.insert(0, formula)


def test_clerk_formulas_in_pygks_total_cells_are_never_overwritten(demo: Path, capsys):
    """pygk never writes a formula, so a formula in its own 总分 cells is the clerk's: refused, named, unchanged."""
    assert run(demo, capsys)[0] == 0
    edit_xml(demo, sheet_part(demo, "区直单位"), fill_down_sum)
    status, err = refused(demo, capsys)
    assert status == 1 and "G2:G32" in err and "不会覆盖" in err


def test_overwritten_shared_formula_master_takes_its_dependents_formulas_along():
    """The editor's own guard: if a shared formula's master is written over, its dependents keep only values."""
    from pygk.adapters.xlsx.sheet_edit import CellWrite, edit_worksheet

    root = etree.fromstring(f'<worksheet xmlns="{NS}"><sheetData/></worksheet>'.encode())
    fill_down_sum(root, last=6, cached="7")
    data = etree.tostring(root)
    edited = edit_worksheet(data, {1: {6: CellWrite(99.0)}})
    assert b"<f" not in edited and edited.count(b"<v>7</v>") == 4 and b"<v>99</v>" in edited
    etree.fromstring(edited)


def test_bulletin_sheet_keeps_the_clerks_rich_text_comments_and_rows(demo: Path, capsys):
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.comments import Comment

    book = openpyxl.load_workbook(demo, rich_text=True)
    sheet = book["通报"]
    sheet["B4"] = CellRichText("近期，", TextBlock(InlineFont(b=True), "各单位"), "要做好以下工作：")
    sheet["B5"].comment = Comment("请核对试点名单", "科长")
    sheet["A14"], sheet["B14"] = "我的备注", "十二月再查一次"
    sheet["D2"] = "右侧的笔记"
    book.save(demo)
    assert run(demo, capsys)[0] == 0
    assert run(demo, capsys)[0] == 0
    book = openpyxl.load_workbook(demo, rich_text=True)
    sheet = book["通报"]
    assert isinstance(sheet["B4"].value, CellRichText) and str(sheet["B4"].value) == "近期，各单位要做好以下工作："
    assert sheet["B5"].comment.text == "请核对试点名单"
    assert (sheet["A14"].value, sheet["B14"].value, sheet["D2"].value) == ("我的备注", "十二月再查一次", "右侧的笔记")
    assert sheet["A2"].value == "标题" and sheet["B2"].value.startswith("2021年11月")
    assert [sheet[f"A{r}"].value for r in (8, 9)] == ["附件", "附件"]
    assert sheet["B8"].value.startswith("1．2021年11月份")
    assert_valid(demo)


def test_third_group_puts_its_attachment_line_below_the_others(demo: Path, capsys):
    book = openpyxl.load_workbook(demo)
    extra = book.copy_worksheet(book["镇（街道）"])
    extra.title = "社区"
    rows = list(book["设置"].iter_rows())
    town = next(r for r in rows if r[0].value == "镇（街道）")
    book["设置"].insert_rows(town[0].row + 1)
    book["设置"].cell(town[0].row + 1, 1, "社区")
    book.save(demo)
    status, err = run(demo, capsys)
    assert status == 0, err
    sheet = openpyxl.load_workbook(demo)["通报"]
    lines = [(r, sheet[f"B{r}"].value) for r in range(1, sheet.max_row + 1) if sheet[f"A{r}"].value == "附件"]
    assert [r for r, _ in lines] == [8, 9, 10] and lines[2][1].startswith("3．")
    assert [sheet[f"A{r}"].value for r in range(4, 8)] == ["工作事项"] * 4


def test_excel_table_keeps_its_header_when_the_rank_column_goes(demo: Path, capsys):
    def setting(key: str, value: str) -> None:
        book = openpyxl.load_workbook(demo)
        for row in book["设置"].iter_rows():
            if row[0].value == key:
                row[1].value = value
        book.save(demo)

    setting("显示排名列", "是")
    assert run(demo, capsys)[0] == 0
    book = openpyxl.load_workbook(demo)
    book["区直单位"].add_table(Table(displayName="得分表", ref="A1:H32"))
    book.save(demo)
    setting("显示排名列", "否")
    status, err = run(demo, capsys)
    assert status == 0, err
    sheet = openpyxl.load_workbook(demo)["区直单位"]
    table = sheet.tables["得分表"]
    headers = [sheet.cell(1, c).value for c in range(1, 9)]
    assert headers[6:] == ["总分", "排名"]
    assert [c.name for c in table.tableColumns] == headers
    assert all(sheet.cell(r, 8).value is None for r in range(2, 33))
    assert_valid(demo)


def test_new_parts_never_clash_with_existing_names_ignoring_case(demo: Path, capsys):
    contents = parts(demo)
    old = sheet_part(demo, "通报")
    contents = {("xl/worksheets/SHEET5.xml" if n == old else n): d for n, d in contents.items()}
    contents["xl/_rels/workbook.xml.rels"] = contents["xl/_rels/workbook.xml.rels"].replace(
        old.removeprefix("xl/").encode(), b"worksheets/SHEET5.xml"
    )
    contents["[Content_Types].xml"] = contents["[Content_Types].xml"].replace(
        ("/" + old).encode(), b"/xl/worksheets/SHEET5.xml"
    )
    contents["xl/charts/Chart1.xml"] = b'<?xml version="1.0"?><c:chartSpace xmlns:c="urn:clerk"/>'
    write_parts(demo, contents)
    assert run(demo, capsys)[0] == 0
    after = parts(demo)
    assert after["xl/charts/Chart1.xml"] == contents["xl/charts/Chart1.xml"]
    assert "xl/worksheets/SHEET5.xml" in after
    names = [n.casefold() for n in after]
    assert len(names) == len(set(names))


def test_trend_sheet_with_a_clerks_chart_is_refused(demo: Path, capsys):
    from openpyxl.chart import BarChart, Reference

    assert run(demo, capsys)[0] == 0
    book = openpyxl.load_workbook(demo)
    chart = BarChart()
    chart.add_data(Reference(book["区直单位"], min_col=3, min_row=1, max_row=10), titles_from_data=True)
    book["趋势"].add_chart(chart, "N40")
    book.save(demo)
    status, err = refused(demo, capsys)
    assert status == 1 and "工作表“趋势”" in err and "图片或图表" in err


@pytest.mark.skipif(not libreoffice_found() and not os.environ.get("CI"), reason="LibreOffice is not installed")
def test_clerk_formulas_over_the_totals_show_the_new_sums_when_opened(demo: Path, tmp_path: Path, capsys):
    """A direct =SUM and a table's structured reference over 总分 lose their stale results; LibreOffice recomputes."""
    assert run(demo, capsys)[0] == 0
    book = openpyxl.load_workbook(demo)
    book["区直单位"].add_table(Table(displayName="得分表", ref="A1:G32"))
    book["区直单位"]["C7"] = 0  # 民政局's 公共服务得分 drops from 4 to 0
    book.save(demo)

    def formulas(root: etree._Element) -> None:
        set_cell(root, "F1", "SUM('区直单位'!G2:G32)", "0")
        set_cell(root, "G1", "SUM(得分表[总分])", "0")

    edit_xml(demo, sheet_part(demo, "设置"), formulas)
    assert run(demo, capsys)[0] == 0
    expected = sum(check(demo).updates[0].totals)
    profile = (tmp_path / "lo").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76",
                    "--outdir", str(tmp_path), str(demo)], check=True, capture_output=True, timeout=120)  # fmt: skip
    first_row = (tmp_path / "通报.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert float(first_row[5]) == float(first_row[6]) == pytest.approx(expected) == pytest.approx(905)
    assert b'fullCalcOnLoad="1"' in parts(demo)["xl/workbook.xml"]


def test_a_name_scoped_to_a_missing_sheet_is_refused(demo: Path, capsys):
    def scope(root: etree._Element) -> None:
        names = root.find(q("definedNames"))
        etree.SubElement(names, q("definedName"), name="我的名称", localSheetId="99").text = "'设置'!$A$1"

    edit_xml(demo, "xl/workbook.xml", scope)
    status, err = refused(demo, capsys)
    assert status == 2 and "“我的名称”" in err and "不存在的工作表" in err


def test_a_broken_cells_mark_adopts_pygks_rows_instead_of_copying_them(demo: Path, capsys):
    """Excel turns a mark into #REF! when its cells were deleted: pygk finds its 通报 rows by their labels."""
    assert run(demo, capsys)[0] == 0

    def broken(root: etree._Element) -> None:
        for defined in root.iter(q("definedName")):
            if defined.get("name") == "_pygk.cells":
                defined.text = "#REF!"

    edit_xml(demo, "xl/workbook.xml", broken)
    assert run(demo, capsys)[0] == 0
    labels = [r[0] for r in sheet_values(demo, "通报")]
    assert labels.count("标题") == 1 and labels.count("概述") == 1 and labels.count("附件") == 2
    totals = [r[6] for r in sheet_values(demo, "区直单位")]
    assert totals[0] == "总分" and totals[6] == 56


def test_a_clerks_rule_sharing_pygks_formatting_element_stays(demo: Path, capsys):
    assert run(demo, capsys)[0] == 0

    def share(root: etree._Element) -> None:
        element = root.find(q("conditionalFormatting"))
        rule = etree.SubElement(element, q("cfRule"), type="expression", dxfId="0", priority="9")
        etree.SubElement(rule, q("formula")).text = "$C7>3"

    edit_xml(demo, sheet_part(demo, "区直单位"), share)
    assert run(demo, capsys)[0] == 0
    sheet = openpyxl.load_workbook(demo)["区直单位"]
    formulas = [r.formula[0] for cf in sheet.conditional_formatting for r in cf.rules]
    assert formulas.count("$C7>3") == 1
    assert formulas.count('N("pygk")=0') == 2  # this run's best and worst; the old one shared with the clerk's is gone


def test_an_excel_tables_totals_row_is_not_a_unit(demo: Path, capsys):
    book = openpyxl.load_workbook(demo)
    sheet = book["区直单位"]
    sheet["A33"], sheet["C33"] = "汇总", "=SUBTOTAL(109,C2:C32)"
    table = Table(displayName="得分表", ref="A1:F33", totalsRowCount=1)
    sheet.add_table(table)
    book.save(demo)

    def cached(root: etree._Element) -> None:
        set_cell(root, "C33", "SUBTOTAL(109,C2:C32)", "150")

    edit_xml(demo, sheet_part(demo, "区直单位"), cached)
    status, err = run(demo, capsys)
    assert status == 0, err
    assert "汇总" not in [r[0] for r in sheet_values(demo, "附件1")]


SERIALISATIONS = {
    "single quotes and spaces around =": lambda x: single_quoted(x),
    "namespace prefix": lambda x: prefixed(x),
    "CRLF and a byte-order mark": lambda x: b"\xef\xbb\xbf" + x.replace(b"><", b">\r\n<"),
    "rows and cells without r": lambda x: implicit(x),
}


def single_quoted(data: bytes) -> bytes:
    """Attributes as name = 'value' (lxml writes name="value" and never a raw quote inside)."""
    import re

    text = etree.tostring(etree.fromstring(data), xml_declaration=True, encoding="UTF-8")
    head, _, body = text.partition(b"?>")
    body = re.sub(rb'(\s[\w:]+)="([^"]*)"', lambda m: m.group(1) + b" = '" + m.group(2).replace(b"'", b"&apos;") + b"'",
                  body)  # fmt: skip
    return head + b"?>" + body


def prefixed(data: bytes) -> bytes:
    root = etree.fromstring(data)
    tree = etree.fromstring(etree.tostring(root).replace(b'xmlns="', b'xmlns:x="'))
    for element in tree.iter():
        if isinstance(element.tag, str) and not element.tag.startswith("{"):
            element.tag = q(element.tag)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def implicit(data: bytes) -> bytes:
    """Rows without r; cells without r where they follow each other from column A, as the schema allows."""
    from pygk.core.cells import ref_column

    root = etree.fromstring(data)
    for row in root.iter(q("row")):
        del row.attrib["r"]
        cells = list(row.iter(q("c")))
        if [ref_column(c.get("r")) for c in cells] == list(range(len(cells))):
            for cell in cells:
                del cell.attrib["r"]
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@pytest.mark.parametrize("kind", list(SERIALISATIONS))
def test_input_sheet_in_any_legal_serialisation(demo: Path, tmp_path: Path, kind: str, capsys):
    plain = tmp_path / "plain.xlsx"
    assert main(["run", str(demo), "-o", str(plain)]) == 0
    part = sheet_part(demo, "区直单位")
    edit(demo, part, SERIALISATIONS[kind])
    etree.fromstring(parts(demo)[part])  # still well-formed XML, only spelled differently
    status, err = run(demo, capsys)
    assert status == 0, err
    assert sheet_values(demo, "区直单位") == sheet_values(plain, "区直单位")
    assert_valid(demo)


@pytest.mark.parametrize("broken", ["generated", "edited", "history"])
def test_an_editing_bug_is_refused_before_the_file_is_written(demo: Path, capsys, monkeypatch, broken: str):
    """Malformed XML from pygk's writer of generated sheets, or from its editor of shared ones, writes nothing."""
    from pygk.adapters.xlsx import adapter

    if broken == "generated":
        monkeypatch.setattr(adapter, "sheet_xml", lambda *plan: b"<worksheet><sheetData>")
        monkeypatch.setattr(adapter, "sheet_chunks", lambda *plan: iter([b"<worksheet>", b"<sheetData>"]))
    elif broken == "edited":
        from pygk.adapters.xlsx import shared_sheet

        monkeypatch.setattr(shared_sheet.SharedEdit, "chunks", lambda self: [b"<worksheet><sheetData>", b"<row>"])
    else:  # a month's rows of 历史, parsed as they are made
        from pygk.adapters.xlsx import history_sheet

        monkeypatch.setattr(history_sheet, "_rows", lambda *args: iter([b'<row r="2">', b"<c>"]))
    status, err = refused(demo, capsys)
    assert status == 2 and "pygk 生成的“xl/worksheets/sheet" in err and "未作任何修改" in err
    assert not [p for p in demo.parent.iterdir() if p.name.startswith(".~pygk")]


def test_readme_says_what_pygk_owns():
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for phrase in ("pygk 只改写它自己生成的", "不会覆盖", "改名", "图例"):
        assert phrase in readme


def test_input_sheet_with_rows_out_of_order_is_refused_in_chinese(demo: Path, capsys):
    """Excel requires ascending rows; pygk refuses to edit such a sheet rather than make it worse."""

    def swap(root: etree._Element) -> None:
        data = root.find(q("sheetData"))
        rows = list(data)
        rows[5].addnext(rows[4])  # row 5 now after row 6

    edit_xml(demo, sheet_part(demo, "区直单位"), swap)
    status, err = refused(demo, capsys)
    assert status == 2 and "工作表“区直单位”" in err and "先后顺序" in err
    assert not any(word in err for word in ("row", "order", "Error"))


def test_merged_cells_where_the_totals_go_are_refused(demo: Path, capsys):
    book = openpyxl.load_workbook(demo)
    book["区直单位"].merge_cells("G5:H6")
    book.save(demo)
    status, err = refused(demo, capsys)
    assert status == 1 and "G5:G6" in err and "合并" in err


@pytest.mark.skipif(not libreoffice_found() and not os.environ.get("CI"), reason="LibreOffice is not installed")
def test_accepted_hostile_workbooks_open_in_libreoffice(demo: Path, tmp_path: Path, capsys):
    """Every kind of workbook pygk accepts above, run and then opened by LibreOffice (one conversion for all)."""
    books = []

    def variant(name: str) -> Path:
        path = tmp_path / f"{name}.xlsx"
        shutil.copyfile(demo, path)
        books.append(path)
        return path

    legacy = variant("legacy")
    assert run(legacy, capsys)[0] == 0
    strip_marks(legacy)
    for change in SERIALISATIONS.values():
        path = variant(f"serialised{len(books)}")
        edit(path, sheet_part(path, "区直单位"), change)
    notes = variant("notes")
    book = openpyxl.load_workbook(notes)
    book["区直单位"]["I2"] = "备注"
    book.create_sheet("附件３")["A1"] = "我的"
    book.save(notes)
    for path in books:
        status, err = run(path, capsys)
        assert status == 0, (path.name, err)
    profile = (tmp_path / "lo").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path / "csv"),
                    *map(str, books)], check=True, capture_output=True, timeout=240)  # fmt: skip
    for path in books:
        first = (tmp_path / "csv" / f"{path.stem}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("项目,值"), path.name  # the 设置 sheet, read back by LibreOffice
        assert_valid(path)


def test_a_forged_ownership_mark_never_clears_the_clerks_cells(demo: Path, capsys):
    """A damaged or forged _pygk.cells claiming whole sheets: scores, names, notes and work items stay."""
    book = openpyxl.load_workbook(demo)
    book["区直单位"]["K5"] = 123  # a clerk's number beside the table
    for name in ("区直单位", "通报"):
        sheet = book[name]
        sheet.defined_names["_pygk.cells"] = DefinedName("_pygk.cells", attr_text=f"'{name}'!$A$1:$XFD$1048576")
    book.save(demo)
    before = {name: sheet_values(demo, name) for name in ("区直单位", "通报")}
    status, err = run(demo, capsys)
    assert status == 0, err
    after = sheet_values(demo, "区直单位")
    assert [row[:6] for row in after] == [row[:6] for row in before["区直单位"]]
    assert after[4][10] == 123
    work = [r for r in sheet_values(demo, "通报") if r[0] == "工作事项"]
    assert work == [r[:2] for r in before["通报"] if r[0] == "工作事项"]


def test_an_annex_the_clerk_refers_to_is_not_deleted_when_groups_shrink(demo: Path, capsys):
    assert run(demo, capsys)[0] == 0
    book = openpyxl.load_workbook(demo)
    for row in book["设置"].iter_rows():
        if row[0].value == "镇（街道）":
            row[0].value = row[1].value = None
    book.defined_names["镇街附件"] = DefinedName("镇街附件", attr_text="'附件2'!$A$3:$G$17")
    book.save(demo)
    edit_xml(demo, sheet_part(demo, "设置"), lambda root: set_cell(root, "F1", "'附件2'!A4", "0"))
    status, err = refused(demo, capsys)
    assert status == 1 and "“附件2”" in err and "“设置”F1" in err and "名称“镇街附件”" in err


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a3a8b7b40000000049454e44ae426082"
)


def add_picture(path: Path, sheet: str) -> None:
    """A picture on a sheet, as Excel stores one: a drawing part, its image, relationships and content types."""
    contents = parts(path)
    part = sheet_part(path, sheet)
    folder, name = part.rsplit("/", 1)
    xdr = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    contents["xl/media/clerk1.png"] = PNG
    contents["xl/drawings/clerkdrawing1.xml"] = (
        f'<xdr:wsDr xmlns:xdr="{xdr}" xmlns:a="{a}" xmlns:r="{rel}"><xdr:oneCellAnchor>'
        "<xdr:from><xdr:col>3</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
        '<xdr:ext cx="952500" cy="952500"/><xdr:pic><xdr:nvPicPr><xdr:cNvPr id="2" name="公章"/><xdr:cNvPicPr/>'
        '</xdr:nvPicPr><xdr:blipFill><a:blip r:embed="rId1"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill>'
        '<xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic><xdr:clientData/>'
        "</xdr:oneCellAnchor></xdr:wsDr>"
    ).encode()
    contents["xl/drawings/_rels/clerkdrawing1.xml.rels"] = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/image" Target="../media/clerk1.png"/></Relationships>'
    ).encode()
    contents[f"{folder}/_rels/{name}.rels"] = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rIdPic" Type="{rel}/drawing" Target="../drawings/clerkdrawing1.xml"/></Relationships>'
    ).encode()
    root = etree.fromstring(contents[part])
    drawing = etree.SubElement(root, q("drawing"))
    drawing.set(f"{{{rel}}}id", "rIdPic")
    contents[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    types = contents["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Default Extension="png" ContentType="image/png"/><Override PartName="/xl/drawings/clerkdrawing1.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/></Types>',
    )
    contents["[Content_Types].xml"] = types
    write_parts(path, contents)


def test_a_picture_on_the_bulletin_sheet_survives(demo: Path, capsys):
    add_picture(demo, "通报")
    before = parts(demo)
    status, err = run(demo, capsys)
    assert status == 0, err
    after = parts(demo)
    for name in ("xl/media/clerk1.png", "xl/drawings/clerkdrawing1.xml", "xl/drawings/_rels/clerkdrawing1.xml.rels"):
        assert after[name] == before[name]
    sheet = etree.fromstring(after[sheet_part(demo, "通报")])
    assert sheet.find(q("drawing")) is not None
    assert openpyxl.load_workbook(demo)["通报"]["B2"].value.startswith("2021年11月")
    assert_valid(demo)


def test_history_add_first_then_run_adopts_an_unmarked_bulletin_sheet(tmp_path: Path, capsys):
    """history add marks only 历史: a workbook never run stays unmarked, so run still adopts 通报 by its shape."""
    from conftest import source_grids, write_book

    grids = source_grids()
    book = write_book(tmp_path / "新.xlsx", grids)
    old = write_book(tmp_path / "十月.xlsx", {k: v for k, v in grids.items() if k != "通报"})
    assert main(["history", "add", str(old), "--into", str(book), "--year", "2021", "--month", "10"]) == 0
    capsys.readouterr()
    status, err = run(book, capsys)
    assert status == 0, err
    assert [r[0] for r in sheet_values(book, "通报")].count("标题") == 1


def test_a_clerks_own_chart_of_the_trend_data_is_refused_too(demo: Path, capsys):
    """Her pie of 趋势's own data columns, under her own title, is hers: pygk will not redraw 趋势 over it."""
    from openpyxl.chart import PieChart, Reference

    assert run(demo, capsys)[0] == 0
    book = openpyxl.load_workbook(demo)
    chart = PieChart()
    chart.title = "我的饼图"
    chart.add_data(Reference(book["趋势"], min_col=13, min_row=2, max_row=10), titles_from_data=True)
    book["趋势"].add_chart(chart, "N40")
    book.save(demo)
    status, err = refused(demo, capsys)
    assert status == 1 and "工作表“趋势”" in err and "图片或图表" in err


def test_validations_formats_and_links_to_an_annex_keep_it(demo: Path, capsys):
    """A data-validation list, a conditional format and a hyperlink reading 附件2 keep pygk from deleting it."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.hyperlink import Hyperlink

    assert run(demo, capsys)[0] == 0
    book = openpyxl.load_workbook(demo)
    sheet = book["设置"]
    rule = DataValidation(type="list", formula1="'附件2'!$A$4:$A$10")
    sheet.add_data_validation(rule)
    rule.add("F3")
    sheet.conditional_formatting.add("F5", FormulaRule(formula=["'附件2'!$A$4=\"伊洛街道\""]))
    sheet["F4"].hyperlink = Hyperlink(ref="F4", location="'附件2'!A1")
    for row in sheet.iter_rows():
        if row[0].value == "镇（街道）":
            row[0].value = row[1].value = None
    book.save(demo)
    status, err = refused(demo, capsys)
    assert status == 1 and "“附件2”" in err
    assert all(ref in err for ref in ("F3", "F4", "F5"))


def test_one_write_in_many_cells_gives_each_its_own_reference_and_style():
    """The editor makes a cell once per write and style and copies it: each copy is its own cell."""
    from pygk.adapters.xlsx.sheet_edit import CellWrite, edit_worksheet

    rows = "".join(f'<row r="{r}"><c r="A{r}" s="{r % 2 + 3}"><v>{r}</v></c></row>' for r in range(1, 5))
    data = f'<worksheet xmlns="{NS}"><sheetData>{rows}</sheetData></worksheet>'.encode()
    total, mark = CellWrite(12.5, None, 0), CellWrite("表现较好", 1)
    edited = edit_worksheet(data, {r: {1: total, 2: mark} for r in range(4)} | {5: {1: total}})
    cells = {c.get("r"): c for c in etree.fromstring(edited).iter(q("c"))}
    for r in range(1, 5):
        assert cells[f"B{r}"].get("s") == str(r % 2 + 3) and cells[f"B{r}"].findtext(q("v")) == "12.5"
        assert cells[f"C{r}"].get("s") == "1" and cells[f"C{r}"].findtext(f"{q('is')}/{q('t')}") == "表现较好"
    assert cells["B6"].get("s") is None and cells["B6"].findtext(q("v")) == "12.5"  # no cell to take a style from
    assert edited.count(b"xmlns") == 1  # copies carry no namespace declarations of their own


def test_a_doctype_deep_in_a_clerks_sheet_pygk_must_touch_is_refused_by_name(demo: Path, capsys):
    """A clerk's sheet whose formula reads a cell pygk writes is rewritten (its stale result dropped); with a DOCTYPE
    past the first 4 KB that rewrite once dropped the DOCTYPE, or with an entity broke the part and blamed pygk."""
    book = openpyxl.load_workbook(demo)
    book.create_sheet("备注")["A1"] = "=区直单位!G5"
    book.save(demo)
    part = sheet_part(demo, "备注")

    def doctype(data: bytes) -> bytes:
        body = data[data.index(b"<worksheet") :].replace(b"</sheetData>", b'<row r="9"><c r="A9" t="inlineStr">'
                                                         b"<is><t>&e;</t></is></c></row></sheetData>", 1)  # fmt: skip
        return b'<?xml version="1.0"?><!--' + b"x" * 8000 + b'--><!DOCTYPE worksheet [<!ENTITY e "x">]>' + body

    edit(demo, part, doctype)
    status, err = refused(demo, capsys)
    assert status == 2 and "DOCTYPE" in err and part in err and "pygk 生成" not in err, err
