"""Print and publish: the annex PDF and the bulletin .docx, converted by LibreOffice and read back."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, libreoffice_found
from docx import Document
from lxml import etree

from pygk.cli import main

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import make_workbook  # noqa: E402

SEED = (Path(__file__).parent / "data" / "seed_bulletin.txt").read_text(encoding="utf-8")
PAGE_NUMBER = re.compile(r"—\s*\d+\s*—")
HEADER_CELLS = ("单位名称", "公共服务得分", "交流互动得分", "网站建设及安全得分", "政务信息公开得分", "总分")
A4 = (595.3, 841.9)

needs_libreoffice = pytest.mark.skipif(
    not libreoffice_found() and not os.environ.get("CI"), reason="LibreOffice is not installed here"
)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", "-layout", *pages, str(pdf), "-"], capture_output=True, text=True).stdout


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]


TEXT_BOTTOM = (37 + 225) / 25.4 * 72  # GB/T 9704: the text block ends 262 mm from the top of the page
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def words(pdf: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """Each word on a page with its box (x0, y0, x1, y1) in points from the top left."""
    boxes = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                           capture_output=True, text=True).stdout  # fmt: skip
    return [(float(a), float(b), float(c), float(d), text) for a, b, c, d, text in WORD.findall(boxes)]


def font_names(pdf: Path) -> list[str]:
    listed = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout.splitlines()[2:]
    return [line.split()[0] for line in listed]


def installed(family: str) -> bool:
    listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    return family.casefold() in {n.strip().casefold() for line in listed.splitlines() for n in line.split(",")}


def assert_imprint_at_bottom(pdf: Path, lines: int) -> list[tuple[float, float, float, float, str]]:
    """The 版记 is on the last page only, its last line just above the bottom of the text block."""
    last = len(page_sizes(pdf))
    for page in range(1, last):
        assert "联系方式" not in pdf_text(pdf, page) and "送：" not in pdf_text(pdf, page), page
    found = words(pdf, last)
    contact = next(w for w in found if w[4].startswith("联系方式"))
    sent = next(w for w in found if w[4].startswith("送："))
    assert TEXT_BOTTOM - 30 < contact[3] < TEXT_BOTTOM, contact  # its bottom rule follows; the page number is below
    assert contact[1] - sent[1] == pytest.approx((lines - 1) * 28.9, abs=lines * 3)  # one block, lines 28.9 pt apart
    return found


def is_header_piece(line: str) -> bool:
    """A piece of a wrapped annex header cell, such as '公共服' or '务得分'."""
    return any(line in cell for cell in HEADER_CELLS)


@needs_libreoffice
def test_bulletin_pdf_holds_every_seed_line_in_order(demo: Path, capsys):
    """Also: the 版记 at the bottom of the last page (here a page of its own), serif body text, substitutions named."""
    assert main(["bulletin", str(demo), "--pdf"]) == 0
    pdf = demo.with_name("2021年11月政务公开通报.pdf")
    out = capsys.readouterr().out
    last = assert_imprint_at_bottom(pdf, 4)
    assert [w for w in last if w[1] < TEXT_BOTTOM - 200] == []  # nothing but the 版记 on that page
    fonts = font_names(pdf)
    if not installed("仿宋_GB2312") and installed("Noto Serif CJK SC"):
        assert "仿宋_GB2312→Noto Serif CJK SC" in out and "黑体→Noto Sans CJK SC" in out
        assert out.count("本机没有公文字体") == 1
        assert any("NotoSerifCJK" in name for name in fonts), fonts  # body and titles: serif, not the sans face
    assert not any("DejaVu" in name for name in fonts), fonts  # digits and Latin letters too
    document = Document(demo.with_name("2021年11月政务公开通报.docx"))
    named = {r.font.name for p in document.paragraphs for r in p.runs}
    assert named <= {"仿宋_GB2312", "方正小标宋简体", "黑体", "宋体"}  # the .docx keeps naming the 公文 fonts
    text = squeeze(PAGE_NUMBER.sub("", pdf_text(pdf)))
    position, checked = 0, 0
    for line in (squeeze(raw) for raw in SEED.splitlines()):
        if not line or is_header_piece(line):
            continue
        found = text.find(line, position)
        assert found >= 0, f"not found after position {position}: {line}"
        position, checked = found + len(line), checked + 1
    assert checked >= 80  # the seed has 84 such lines; guards against a loop that checks nothing
    assert text.count("单位名称") == SEED.count("单位名称") == 3  # header repeated where the seed repeats it
    sizes = page_sizes(pdf)
    assert len(sizes) >= 4 and all(abs(w - A4[0]) < 1 and abs(h - A4[1]) < 1 for w, h in sizes)


@needs_libreoffice
def test_sixty_unit_annex_pdf_repeats_its_header_and_numbers_every_page(tmp_path: Path):
    book = make_workbook(tmp_path / "六十.xlsx", 60, groups=1)
    target = tmp_path / "附件.pdf"
    assert main(["pdf", str(book), "-o", str(target)]) == 0
    sizes = page_sizes(target)
    assert len(sizes) >= 2 and all(abs(w - A4[0]) < 1 and abs(h - A4[1]) < 1 for w, h in sizes)
    left_border = 28 / 25.4 * 72
    for page in range(1, len(sizes) + 1):
        text = pdf_text(target, page)
        assert "单位名称" in text and "总分" in text, page
        assert re.search(rf"—\s*{page}\s*—", text), page
        dashes = [w for w in words(target, page) if w[4] == "—" and w[1] > TEXT_BOTTOM]
        if page % 2:  # odd pages: right, one character in, as in the bulletin
            assert min(w[0] for w in dashes) > A4[0] / 2 and max(w[2] for w in dashes) < A4[0] - 26 / 25.4 * 72 - 8
        else:  # even pages: left, one character in
            assert max(w[2] for w in dashes) < A4[0] / 2 and min(w[0] for w in dashes) > left_border + 8
    names = [w for w in words(target, 1) if re.fullmatch(r"第1组单位\d+", w[4])]
    assert len(names) > 20
    for x0, y0, x1, y1, text in names:
        assert x0 > left_border + 4, text  # off the cell border
        ems = sum(1.0 if "\u4e00" <= ch <= "\u9fff" else 0.5 for ch in text)
        assert (x1 - x0) / ems >= 10.5 and y1 - y0 >= 10.5 * 1.25, text  # not shrunk below 五号 (10.5 pt)
    assert "附件1" in squeeze(pdf_text(target, 1)) and "附件1" not in squeeze(pdf_text(target, 2))


def _without_libreoffice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No LibreOffice to be found: an empty PATH and $PYGK_SOFFICE naming a program that does not exist."""
    monkeypatch.setenv("PATH", "")
    monkeypatch.setenv("PYGK_SOFFICE", str(tmp_path / "没有这个程序"))


def test_missing_libreoffice_is_explained(demo: Path, tmp_path: Path, monkeypatch, capsys):
    _without_libreoffice(monkeypatch, tmp_path)
    assert main(["pdf", str(demo)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("找不到 LibreOffice，无法生成 PDF。") and "Traceback" not in err
    assert not list(demo.parent.glob("*.pdf"))


def test_docx_follows_the_gongwen_layout(demo: Path):
    assert main(["bulletin", str(demo)]) == 0
    path = demo.with_name("2021年11月政务公开通报.docx")
    document = Document(path)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin.mm, section.bottom_margin.mm, section.left_margin.mm, section.right_margin.mm)
    assert [round(m) for m in margins] == [37, 35, 28, 26]
    texts = [p.text for p in document.paragraphs]
    assert texts[:2] == ["政务公开工作", "（2021年第12期）"]
    assert texts[2] == "偃师区人民政府办公室\t2021年12月7日"
    title = next(p for p in document.paragraphs if p.text == "2021年11月政府网站管理和政务公开工作情况\n通报")
    run = title.runs[0]
    east_asia = run._element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
    assert (east_asia, run.font.size.pt) == ("方正小标宋简体", 22)
    assert (
        "其中表现较好的单位有：区民政局、卫健委和伊洛街道、首阳山街道；表现较差的有：统计局、社保中心和商城街道。"
        in texts[6]
    )
    assert "附件：1．2021年11月份区直单位网站管理和政务公开情况" in texts
    assert "签发：胡武勋  审核：李占杰  责任编辑：卢 毅 张燕京" in texts
    tables = document.tables
    assert [len(t.rows) for t in tables] == [32, 14]
    assert [c.text for c in tables[0].rows[1].cells] == ["民政局", "4", "2", "13", "37", "56"]
    assert tables[0].rows[7].cells[4].text == "18.5"
    assert (
        tables[0].rows[0]._tr.trPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader")
        is not None
    )
    with zipfile.ZipFile(path) as archive:
        fonts = etree.fromstring(archive.read("word/fontTable.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    alternates = {
        f.get(f"{w}name"): f.find(f"{w}altName").get(f"{w}val") for f in fonts if f.find(f"{w}altName") is not None
    }
    assert alternates["仿宋_GB2312"] == "仿宋" and alternates["方正小标宋简体"] == "宋体"


def test_outputs_never_overwrite(demo: Path, capsys):
    assert main(["bulletin", str(demo)]) == 0
    assert main(["bulletin", str(demo)]) == 0
    assert demo.with_name("2021年11月政务公开通报（2）.docx").exists()
    existing = demo.with_name("2021年11月政务公开通报.docx")
    before = existing.read_bytes()
    assert main(["bulletin", str(demo), "-o", str(existing)]) == 2
    assert "文件已存在，pygk 不会覆盖它" in capsys.readouterr().err
    assert existing.read_bytes() == before


def test_bulletin_refuses_bad_data_like_run(tmp_path: Path, capsys):
    from test_validation import book_with, set_cell

    book = book_with(tmp_path, set_cell("区直单位", 2, 5, "九十"))
    assert main(["bulletin", str(book)]) == 1
    assert "分数“九十”不是数字" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.docx"))


def test_readme_pictures_exist():
    for name in ("bulletin-page1.png", "annex1-page1.png"):
        data = (ROOT / "docs" / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_docx_uses_the_proposed_issue_number(tmp_path: Path):
    from test_validation import book_with, set_setting

    book = book_with(tmp_path, set_setting("期号", None))
    assert main(["bulletin", str(book)]) == 0
    paragraphs = [p.text for p in Document(tmp_path / "2021年11月政务公开通报.docx").paragraphs]
    assert paragraphs[1] == "（2021年第1期）"


def test_annex_pdf_refuses_an_existing_output_before_any_work(demo: Path, capsys):
    existing = demo.with_name("附件.pdf")
    existing.write_bytes(b"%PDF-1.4 clerk's own file")
    assert main(["pdf", str(demo), "-o", str(existing)]) == 2
    assert "文件已存在，pygk 不会覆盖它" in capsys.readouterr().err
    assert existing.read_bytes() == b"%PDF-1.4 clerk's own file"


def test_new_documents_get_normal_permissions(demo: Path):
    umask = os.umask(0o022)
    try:
        assert main(["bulletin", str(demo)]) == 0
    finally:
        os.umask(umask)
    assert demo.with_name("2021年11月政务公开通报.docx").stat().st_mode & 0o777 == 0o644


def test_bulletin_with_rank_changes_prints_their_marks(tmp_path: Path):
    """显示较上月 = 是: the annex tables carry ↑3, —, 新 as text (this used to crash the Word bulletin)."""
    from test_validation import book_with, set_setting

    book = book_with(tmp_path, set_setting("显示较上月", "是"))
    assert main(["bulletin", str(book)]) == 0
    document = Document(tmp_path / "2021年11月政务公开通报.docx")
    table = document.tables[0]
    assert table.rows[0].cells[-1].text == "较上月"
    assert {row.cells[-1].text for row in table.rows[1:]} == {"新"}
    assert table.rows[1].cells[5].text == "56"


def test_bulletin_with_last_month_prints_up_down_and_same(demo: Path, tmp_path: Path):
    """显示较上月 = 是 with November in 历史: December's annexes carry ↑, ↓ and — (the '—' crashed the .docx)."""
    from test_validation import book_with, set_cell, set_setting

    def december(grids):
        set_setting("月份", 12)(grids)
        set_setting("显示较上月", "是")(grids)
        set_cell("区直单位", 1, 5, 0)(grids)  # 公安局 (50, third) drops to the bottom

    book = book_with(tmp_path, december)
    assert main(["run", str(book)]) == 0  # pygk's sheets are marked before history add marks the workbook
    assert main(["history", "add", str(demo), "--into", str(book)]) == 0
    assert main(["bulletin", str(book)]) == 0
    table = Document(tmp_path / "2021年12月政务公开通报.docx").tables[0]
    marks = [row.cells[-1].text for row in table.rows[1:]]
    assert "—" in marks and any(m.startswith("↑") for m in marks) and any(m.startswith("↓") for m in marks)
    assert "新" not in marks


def test_bulletin_pdf_without_libreoffice_names_the_docx_it_wrote(demo: Path, tmp_path: Path, monkeypatch, capsys):
    _without_libreoffice(monkeypatch, tmp_path)
    status = main(["bulletin", str(demo), "--pdf"])
    err = capsys.readouterr().err
    docx = demo.with_name("2021年11月政务公开通报.docx")
    assert status == 2 and Document(docx).paragraphs[0].text == "政务公开工作"
    assert err.splitlines()[0] == f"已生成“{docx}”，但之后的步骤没有完成（1 处问题）："
    assert "找不到 LibreOffice，无法生成 PDF" in err and "工作簿未作任何修改" not in err
    assert not list(demo.parent.glob("*.pdf"))


def test_an_unexpected_bulletin_error_does_not_talk_about_the_workbook(demo: Path, capsys, monkeypatch):
    from pygk.publish import docx_bulletin

    def broken(plan):
        raise ValueError("could not convert string to float: '—'")

    monkeypatch.setattr(docx_bulletin, "bulletin_bytes", broken)
    assert main(["bulletin", str(demo)]) == 3
    err = capsys.readouterr().err
    assert err.startswith("处理时发生意外错误，没有生成文件（工作簿只读取，未被修改）。") and "'—'" in err
    assert not list(demo.parent.glob("*.docx"))


@needs_libreoffice
def test_imprint_shares_the_last_page_when_it_fits(tmp_path: Path):
    """A short last annex: the 版记 goes below its table, at the bottom of the same page, not on a page of its own."""
    from test_validation import book_with

    def three_towns(grids):
        del grids["镇（街道）"][4:]

    book = book_with(tmp_path, three_towns)
    assert main(["bulletin", str(book), "--pdf"]) == 0
    pdf = tmp_path / "2021年11月政务公开通报.pdf"
    last = assert_imprint_at_bottom(pdf, 4)
    assert "附件2" in squeeze(" ".join(w[4] for w in last)) and any(w[4] == "商城街道" for w in last)


def test_bulletin_prints_the_clerks_annex_columns_with_names_left(tmp_path: Path):
    """附件列 with 名次 first: the Word table follows it, the name column is the wide left-aligned one."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    book = tmp_path / "加权指数.xlsx"
    shutil.copyfile(ROOT / "workbook" / "examples" / "加权指数.xlsx", book)
    assert main(["bulletin", str(book)]) == 0
    table = Document(tmp_path / "2024年5月政务公开通报.docx").tables[0]
    assert [c.text for c in table.rows[0].cells] == ["名次", "县（市、区）", "综合指数", "信息公开指数", "政务服务指数",
                                                     "互动回应指数"]  # fmt: skip
    assert [c.text for c in table.rows[1].cells] == ["1", "南山区", "85", "80", "80", "100"]
    assert [c.paragraphs[0].alignment for c in table.rows[1].cells[:3]] == [
        WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER]  # fmt: skip
    widths = [column.width for column in table.columns]
    assert widths[1] == max(widths) and widths[0] < widths[1]


def test_annex_pdf_prints_the_clerks_columns_in_her_order(tmp_path: Path):
    """LibreOffice prints 名次 before 县（市、区）, 综合指数 and the items, each name whole in the wide column."""
    book = tmp_path / "加权指数.xlsx"
    shutil.copyfile(ROOT / "workbook" / "examples" / "加权指数.xlsx", book)
    target = tmp_path / "附件.pdf"
    assert main(["pdf", str(book), "-o", str(target)]) == 0
    text = squeeze(pdf_text(target, 1))
    assert "名次县（市、区）综合指数信息公开指数政务服务指数互动回应指数" in text
    assert "1南山区858080100" in text and "4白沙县74.25707580" in text
