"""The live (xlwings) adapter on xlwings' own remote engine, held against the file adapter."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT
from xlwings_replay import Replay, file_grids, file_names, remote_book

from pygk import __version__, excel
from pygk.adapters import live
from pygk.adapters.xlsx import adapter

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import CATEGORIES, MAXIMA, settings_rows  # noqa: E402


@pytest.fixture(autouse=True)
def log_in_tmp(tmp_path: Path, monkeypatch) -> Path:
    """Unexpected errors are logged under the test's folder, not the user's home."""
    log = tmp_path / "pygk.log"
    monkeypatch.setattr(excel, "LOG_FILE", log)
    return log


def live_run(grids, command="all", names=None):
    book = remote_book(grids, names)
    excel.run_command(book, command)
    actions = book.json()["actions"]
    return Replay.run(grids, actions), actions


def trimmed(rows):
    """Rows without trailing empty cells and trailing empty rows."""
    out = [tuple(row[: max((i + 1 for i, v in enumerate(row) if v is not None), default=0)]) for row in rows]
    while out and not out[-1]:
        out.pop()
    return out


def file_marks(path: Path) -> set[tuple[str, int, str, str, str]]:
    """(sheet, row, first col, last col, colour) for every highlighted row the file adapter wrote."""
    marks = set()
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        for formatting in sheet.conditional_formatting:
            for rule in formatting.rules:
                colour = "#" + rule.dxf.fill.fgColor.rgb[-6:].lower()
                for cells in formatting.sqref.ranges:
                    for row in range(cells.min_row, cells.max_row + 1):
                        marks.add((sheet.title, row - 1, cells.min_col - 1, cells.max_col - 1, colour))
    return marks


def live_marks(replay: Replay) -> set[tuple[str, int, str, str, str]]:
    marks = set()
    for sheet, func, args, (top, left, rows, cols) in replay.formats:
        if func == "addConditionalFormat":
            assert args[0]["type"] == "Custom" and args[0]["formula"] == live.RULE_FORMULA
            for row in range(top, top + rows):
                marks.add((sheet, row, left, left + cols - 1, args[0]["fill_color"]))
    return marks


def test_live_and_file_adapters_write_the_same_workbook(demo: Path, tmp_path: Path):
    grids = file_grids(demo)
    replay, actions = live_run(grids, names=file_names(demo))
    out = tmp_path / "file.xlsx"
    adapter.run(demo, out)
    written = file_grids(out)
    assert replay.names == list(written)
    for name in written:
        assert replay.grid(name) == trimmed(written[name]), name
    assert replay.grid("附件1")[3] == ("民政局", 4, 2, 13, 37, 56)
    marks = live_marks(replay)
    assert marks == file_marks(out)
    assert {(s, r) for s, r, *_ in marks} == {("区直单位", 6), ("区直单位", 25), ("区直单位", 27), ("区直单位", 31),
                                              ("镇（街道）", 2), ("镇（街道）", 4), ("镇（街道）", 3)}  # fmt: skip


def cleared(actions: list[dict], names: list[str]) -> set[tuple[str, int, int, int, int]]:
    """(sheet, top, left, rows, cols) of every clearConditionalFormats the live adapter recorded."""
    return {(names[a["sheet_position"]], a["start_row"], a["start_column"], a["row_count"], a["column_count"])
            for a in actions if a["func"] == "clearConditionalFormats"}  # fmt: skip


def test_first_run_in_excel_clears_no_conditional_format(demo: Path):
    """pygk never wrote these sheets, so it has no rules there: the clerk's rules in the table stay."""
    grids = file_grids(demo)
    replay, actions = live_run(grids, names=file_names(demo))
    assert cleared(actions, replay.names) == set()
    assert live_marks(replay)  # and the highlight is added


def test_rerun_in_excel_clears_only_where_pygks_rules_were(demo: Path, tmp_path: Path):
    """The remote engine cannot read rules back: it clears the areas pygk's mark records, not the table."""
    first = tmp_path / "first.xlsx"
    adapter.run(demo, first)
    before = {(s, r) for s, r, *_ in file_marks(first)}
    book = openpyxl.load_workbook(first)
    for column in "CDEF":
        book["区直单位"][f"{column}3"] = 0  # the unit in row 3 drops to the bottom: the worst row moves
    book.save(first)
    replay, actions = live_run(file_grids(first), names=file_names(first))
    areas = cleared(actions, replay.names)
    assert {(s, top) for s, top, *_ in areas} == before
    assert all(rows == 1 and (left, cols) == (0, 7) for _, _, left, rows, cols in areas)
    order = [a["func"] for a in actions]
    assert order.index("clearConditionalFormats") < order.index("addConditionalFormat")
    assert ("区直单位", 2) in {(s, r) for s, r, *_ in live_marks(replay)}  # the new worst row


def test_rerun_in_excel_on_an_earlier_versions_sheet_clears_the_table(demo: Path, tmp_path: Path):
    """Without the rules mark (an earlier version wrote the sheet) pygk's rules may be anywhere in the table."""
    first = tmp_path / "first.xlsx"
    adapter.run(demo, first)
    names = [n for n in file_names(first) if n["name"] != "_pygk.rules"]
    replay, actions = live_run(file_grids(first), names=names)
    assert cleared(actions, replay.names) == {("区直单位", 1, 0, 31, 7), ("镇（街道）", 1, 0, 13, 7)}


def test_text_score_gives_an_alert_naming_the_cell_and_writes_nothing(demo: Path):
    grids = file_grids(demo)
    grids["区直单位"][2][5] = "九十"
    replay, actions = live_run(grids)
    alerts = [a for a in actions if a["func"] == "alert"]
    assert len(alerts) == 1
    message, title, buttons, mode = alerts[0]["args"][:4]
    assert "工作表“区直单位”单元格 F3：分数“九十”不是数字" in message
    assert (title, buttons, mode) == ("政务公开", "ok", "critical")
    assert not [a for a in actions if a["func"] not in ("alert",)]
    assert replay.grid("区直单位") == trimmed(grids["区直单位"])


def test_check_about_and_unknown_commands(demo: Path, log_in_tmp: Path):
    grids = file_grids(demo)
    _, actions = live_run(grids, "check")
    assert [a["args"][0] for a in actions if a["func"] == "alert"] == [
        "检查通过：2 个分组，共 44 个单位，没有发现问题。"
    ]
    assert [a for a in actions if a["func"] != "alert"] == []
    _, actions = live_run(grids, "about")
    assert actions[0]["args"][0].startswith(f"pygk {__version__}")
    log = log_in_tmp
    _, actions = live_run(grids, "no-such-button")
    assert actions[-1]["func"] == "alert"
    assert f"详细信息已记录在：{log}" in actions[-1]["args"][0] and "Traceback" in log.read_text(encoding="utf-8")
    assert "Traceback" not in actions[-1]["args"][0]


def test_pdf_export_where_the_engine_cannot_is_explained(demo: Path):
    replay, actions = live_run(file_grids(demo), "pdf")
    assert "附件1" in replay.names
    assert actions[-1]["func"] == "alert" and actions[-1]["args"][0].startswith("当前环境不能导出 PDF")


def test_single_buttons_write_only_their_part(demo: Path):
    grids = file_grids(demo)
    replay, _ = live_run(grids, "rank")
    assert replay.names == list(grids) and replay.grid("区直单位")[0][6] == "总分"
    replay, _ = live_run(grids, "annex")
    assert replay.grid("区直单位") == trimmed(grids["区直单位"]) and "附件2" in replay.names


def synthetic_grids(units: int) -> dict[str, list[list[object]]]:
    rnd = random.Random(3)
    grids = {"设置": settings_rows(["甲组", "乙组"])}
    for group in ("甲组", "乙组"):
        rows = [["单位名称", "简称", *CATEGORIES]]
        rows += [[f"{group}{i:05d}", None, *(rnd.randint(0, 2 * m) / 2 for m in MAXIMA)] for i in range(units // 2)]
        grids[group] = rows
    return grids


@pytest.mark.parametrize("units", [44, 5000])
def test_writes_are_bulk_and_do_not_grow_with_units(units: int, demo: Path):
    replay, actions = live_run(synthetic_grids(units))
    highlighted = len([f for f in replay.formats if f[1] == "addConditionalFormat"])
    assert len(actions) - highlighted <= 300 - 4  # every style property of every area, as the file adapter has it
    baseline, base_actions = live_run(synthetic_grids(44))
    base_highlighted = len([f for f in baseline.formats if f[1] == "addConditionalFormat"])
    assert len(actions) - highlighted == len(base_actions) - base_highlighted
    _, demo_actions = live_run(file_grids(demo))
    assert len(demo_actions) <= 300


def test_word_button_writes_the_bulletin_beside_the_workbook(demo: Path, tmp_path: Path, monkeypatch):
    from docx import Document

    monkeypatch.chdir(tmp_path)  # the remote engine's book has a bare name, so "beside" is the working folder
    _, actions = live_run(file_grids(demo), "docx")
    target = tmp_path / "2021年11月政务公开通报.docx"
    assert actions[-1]["func"] == "alert" and actions[-1]["args"][0] == f"已生成：{target}"
    assert "2021年11月政府网站管理和政务公开工作情况\n通报" in [p.text for p in Document(target).paragraphs]
    assert not [a for a in actions if a["func"] in ("setValues", "addSheet")]
    live_run(file_grids(demo), "docx")
    assert (tmp_path / "2021年11月政务公开通报（2）.docx").exists()


def test_notices_button_writes_the_months_notices_beside_the_workbook(findings_example: Path, tmp_path: Path,
                                                                      monkeypatch):  # fmt: skip
    """整改通知: one .docx beside the workbook with a notice for each unit the file adapter's plan names, nothing
    written into the workbook; a second click never replaces the first file."""
    from docx import Document

    from pygk.adapters.xlsx import adapter
    from pygk.core import texts

    monkeypatch.chdir(tmp_path)  # the remote engine's book has a bare name, so "beside" is the working folder
    _, actions = live_run(file_grids(findings_example), "notices")
    plan = adapter.check(findings_example)
    target = tmp_path / texts.NOTICES_NAME.format(year=plan.settings.year, month=plan.settings.month)
    assert actions[-1]["func"] == "alert" and actions[-1]["args"][0] == texts.MSG_WROTE.format(path=target)
    titles = [p.text for p in Document(target).paragraphs if p.text.startswith("关于")]
    assert plan.notices and titles == [texts.NOTICE_TITLE.format(unit=n.unit) for n in plan.notices]
    assert not [a for a in actions if a["func"] in ("setValues", "addSheet")]
    live_run(file_grids(findings_example), "notices")
    assert target.with_name(target.stem + "（2）" + target.suffix).exists()


def test_trend_charts_and_history_through_xlwings(demo: Path):
    replay, actions = live_run(file_grids(demo))
    charts = [a for a in actions if a["func"] == "addChart"]
    assert len(charts) == 3  # a bar chart per group and the line chart of the listed units
    assert replay.grid("历史")[0][:5] == ("年份", "月份", "期号", "分组", "单位名称")
    assert len(replay.grid("历史")) == 45
    trend = replay.grid("趋势")
    assert trend[2][11:13] == ("民政局", 56) and trend[1][17:21] == ("月份", "民政局", "卫生健康委员会", "统计局")


def test_import_button_where_no_file_dialog_exists(demo: Path):
    _, actions = live_run(file_grids(demo), "import")
    assert [a["func"] for a in actions] == ["alert"]
    assert actions[0]["args"][0].startswith("当前环境不能选择文件。请在命令行运行：pygk history add")


def test_import_into_the_open_workbook(demo: Path, tmp_path: Path):
    import openpyxl

    old = tmp_path / "十月.xlsx"
    book = openpyxl.load_workbook(demo)
    for row in book["设置"].iter_rows():
        if row[0].value == "月份":
            row[1].value = 10
    book.save(old)
    remote = remote_book(file_grids(demo))
    excel.import_into(remote, old)
    actions = remote.json()["actions"]
    replay = Replay.run(file_grids(demo), actions)
    assert {row[1] for row in replay.grid("历史")[1:]} == {10}
    assert actions[-1]["args"][0] == "已导入 2021年10月 的 44 个单位到“通报.xlsm”的“历史”表。"


def test_both_adapters_draw_the_same_charts_and_print_the_same_areas(demo: Path, tmp_path: Path):
    """Chart titles, bar order and legend, and every print area: decided once, written alike by both adapters."""
    import zipfile

    from lxml import etree

    book = openpyxl.load_workbook(demo)
    book["区直单位"]["A3"] = "'引号开头的单位"  # Excel would eat a leading quote unless it is doubled
    book.save(demo)
    replay, actions = live_run(file_grids(demo), names=file_names(demo))
    out = tmp_path / "file.xlsx"
    adapter.run(demo, out)
    written = file_grids(out)
    assert replay.grid("区直单位")[2][0] == written["区直单位"][2][0] == "'引号开头的单位"
    live_titles = [a["args"][1] for a in actions if a["func"] == "setChartTitle"]
    reversed_live = [
        a["args"][0] for a in actions if a["func"] == "setChartAxis" and a["args"][2] == {"reverse_order": True}
    ]
    hidden_legend = [
        a["args"][0] for a in actions if a["func"] == "setChartLegend" and a["args"][1:] == ["visible", False]
    ]
    ns = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
          "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}  # fmt: skip
    with zipfile.ZipFile(out) as archive:
        charts = [etree.fromstring(archive.read(f"xl/charts/chart{n}.xml")) for n in (1, 2, 3)]
    file_titles = ["".join(c.xpath("//c:title//a:t/text()", namespaces=ns)) for c in charts]
    reversed_file = [i for i, c in enumerate(charts) if c.xpath("//c:catAx/c:scaling/c:orientation/@val", namespaces=ns)
                     == ["maxMin"]]  # fmt: skip
    no_legend = [i for i, c in enumerate(charts) if not c.xpath("//c:legend", namespaces=ns)]
    assert live_titles == file_titles and file_titles[0] == "11月区直单位总分排名"
    assert reversed_live == reversed_file == hidden_legend == no_legend == [0, 1]
    live_areas = {replay.names[a["sheet_position"]]: a["args"][0] for a in actions if a["func"] == "setPrintArea"}
    file_book = openpyxl.load_workbook(out)
    file_areas = {s.title: s.print_area.split("!")[-1] for s in file_book.worksheets if s.print_area}
    assert live_areas == file_areas and set(file_areas) == {"附件1", "附件2", "趋势"}


@pytest.mark.parametrize("example", ["加权指数.xlsx", "录入总分.xlsx", "名单顺序.xlsx"])
def test_live_adapter_matches_the_file_adapter_on_the_general_examples(tmp_path: Path, example: str):
    """Annex columns in the clerk's order (名次 first), blank counts, an entered 合计 left alone: the same plan."""
    source = ROOT / "workbook" / "examples" / example
    grids = file_grids(source)
    replay, _ = live_run(grids, names=file_names(source))
    out = tmp_path / "file.xlsx"
    adapter.run(source, out)
    written = file_grids(out)
    for name in written:
        assert replay.grid(name) == trimmed(written[name]), name
    assert live_marks(replay) == file_marks(out)


def test_a_live_run_shows_the_entered_totals_that_do_not_add_up():
    """The ribbon's 一键生成 alert carries the same located warning as the command line."""
    source = ROOT / "workbook" / "examples" / "录入总分.xlsx"
    _, actions = live_run(file_grids(source), names=file_names(source))
    message = [a["args"][0] for a in actions if a["func"] == "alert"][-1]
    assert message.startswith("已完成。\n\n其中表现较好的单位有：民政局（93分）")
    assert (
        "注意（1 处，不影响生成）：\n工作表“市直部门”单元格 E5：“财政局”录入的总分 80 与按评分项目计算的 78" in message
    )
