"""整改通知: who gets one (worked out by hand from the example), what it says, one .docx with a notice per section."""

from __future__ import annotations

import subprocess
from pathlib import Path

import docx
import pytest
from conftest import libreoffice_found, settings_grid, source_grids, write_book
from docx.oxml.ns import qn

from pygk.adapters.xlsx import adapter
from pygk.cli import main
from pygk.publish.docx_notices import notice_paragraphs

# The example's deadlines before 2021-11-30 not marked 已整改: 教育体育局's of 11-20 and 社保中心's of 11-25
# (公安局's of 11-20 is 已整改). Worst: 社保中心 (不合格), 统计局 (lowest of 区直单位), 商城街道 (lowest town).
EXPECTED = [
    ("教育体育局", ("有问题超过整改期限仍未整改",), 4),
    ("统计局", ("本月检查中表现较差",), 9),
    ("社保中心", ("本月检查中表现较差", "存在单项否决问题，评定为不合格", "有问题超过整改期限仍未整改"), 2),
    ("商城街道", ("本月检查中表现较差",), 11),
]


def test_notices_go_to_the_worst_the_failed_and_the_overdue(findings_example: Path):
    plan = adapter.check(findings_example)
    assert [(n.unit, n.reasons, len(n.findings)) for n in plan.notices] == EXPECTED


def test_a_notice_says_why_and_lists_the_open_findings(findings_example: Path):
    plan = adapter.check(findings_example)
    notice = next(n for n in plan.notices if n.unit == "社保中心")
    assert notice_paragraphs(plan, notice) == [
        "根据2021年11月政府网站和政务公开检查情况，你单位本月检查中表现较差，存在单项否决问题，评定为不合格，"
        "有问题超过整改期限仍未整改（本月总分 99.5 分）。现将需要整改的问题通知如下：",
        "1．网站建设及安全得分：严重错误表述。首页领导姓名错误（扣 0 分，整改期限：2021年11月25日，已逾期）",
        "2．网站建设及安全得分：错别字。“养老保险”误为“养老保检”（扣 0.5 分，整改期限：2021年12月15日）",
        "请你单位高度重视，对照上述问题逐项整改到位，并于整改期限内将整改情况书面报送偃师区人民政府办公室。",
    ]
    assert "公安局" not in [n.unit for n in plan.notices]  # its deadline passed, but it is 已整改


def test_notices_command_writes_one_document_a_section_per_notice(findings_example: Path):
    assert main(["notices", str(findings_example)]) == 0
    target = findings_example.parent / "2021年11月整改通知.docx"
    document = docx.Document(str(target))
    assert len(document.sections) == 4
    for section in document.sections:  # each notice numbers its pages from 1
        assert section._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
        assert round(section.page_width.mm) == 210 and round(section.top_margin.mm) == 37
    titles = [p.text for p in document.paragraphs if p.text.startswith("关于")]
    assert titles == [f"关于{unit}网站检查发现问题整改的通知" for unit, _, _ in EXPECTED]
    assert [p.text for p in document.paragraphs if p.text.endswith("：") and len(p.text) < 12] == [
        f"{unit}：" for unit, _, _ in EXPECTED
    ]
    assert [p.text for p in document.paragraphs].count("2021年12月7日") == 4
    assert main(["notices", str(findings_example)]) == 0  # never over the first: a new name beside it
    assert (findings_example.parent / "2021年11月整改通知（2）.docx").exists()
    before = target.read_bytes()
    assert main(["notices", str(findings_example), "-o", str(target)]) != 0
    assert target.read_bytes() == before


def test_nobody_to_notify_writes_nothing(tmp_path: Path, capsys):
    grids = source_grids()
    grids["设置"] = settings_grid(较差单位数=0)
    book = write_book(tmp_path / "通报.xlsx", grids)
    assert main(["notices", str(book)]) != 0
    assert "本月没有需要发整改通知的单位" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["通报.xlsx"]


@pytest.mark.skipif(not libreoffice_found(), reason="LibreOffice not installed (on CI this fails)")
def test_notices_render_as_pages_each_starting_with_its_title(findings_example: Path):
    assert main(["notices", str(findings_example), "--pdf"]) == 0
    pdf = findings_example.parent / "2021年11月整改通知.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) == 6  # 统计局's nine findings and 商城街道's eleven take two pages each
    starts = [page.strip().splitlines()[0].strip() for page in pages]
    assert [s for s in starts if s.startswith("关于")] == [f"关于{u}网站检查发现问题整改的通知" for u, _, _ in EXPECTED]
    assert [page.strip().splitlines()[-1].strip() for page in pages] == ["—1—", "—1—", "—2—", "—1—", "—1—", "—2—"]


def test_the_bulletin_prints_the_problem_list_whole(findings_example: Path):
    """Long descriptions wrap in a wider column and their rows grow; the score annexes keep one-line rows."""
    assert main(["bulletin", str(findings_example)]) == 0
    document = docx.Document(str(findings_example.parent / "2021年11月政务公开通报.docx"))
    scores, towns, problems = document.tables
    header = ["单位名称", "评分项目", "问题类型", "问题描述", "扣分", "整改期限"]
    assert [c.text for c in problems.rows[0].cells] == header
    assert problems.rows[1].cells[3].text == "“警务公开”栏目 3 个月未更新" and len(problems.rows) == 1 + 44
    widths = [c.width.pt for c in problems.rows[0].cells]
    assert widths[3] == max(widths) and abs(sum(widths) - 156 / 25.4 * 72) < 1
    heights = {row.height.pt for row in problems.rows[1:]}
    assert heights == {34 + 18, 34 + 2 * 18}  # 34 pt for one line, as in the score annexes, 18 pt more a line
    assert {row.height.pt for row in scores.rows[1:]} == {34} == {row.height.pt for row in towns.rows[1:]}


def test_a_finding_for_a_unit_on_two_groups_sheets_is_refused_at_its_cell(findings_example: Path, capsys):
    """Its deductions would count in both groups and its name appear twice: the clerk must tell the two apart."""
    import openpyxl

    book = openpyxl.load_workbook(findings_example)
    towns = book["镇（街道）"]
    towns.append(["社保中心", None, *(cell.value for cell in towns[2][2:])])
    first = next(row[0].row for row in book["扣分明细"].iter_rows(min_row=2) if row[0].value == "社保中心")
    book.save(findings_example)
    before = findings_example.read_bytes()
    assert main(["run", str(findings_example)]) != 0
    err = capsys.readouterr().err
    assert f"工作表“扣分明细”单元格 A{first}：单位“社保中心”同时在“区直单位”、“镇（街道）”中" in err
    assert findings_example.read_bytes() == before
