"""The contract: the file adapter and the live adapter write the same workbook.

Each workbook runs through the file adapter (the CLI's engine) and through the live adapter on
xlwings' remote engine (its recorded actions replayed as Excel would apply them); both results
are read through one neutral reading (tests/neutral_reading.py) and compared: values, number
formats, fonts, fills, border weights, alignment, merges, widths, row heights, print areas,
highlighted rows (fill and font colour), chart titles, series, anchors, sizes, bar direction and markers.

What the remote engine cannot express is named here and checked otherwise:
- page setup (paper, orientation, margins, fit to width, print titles, footers) goes through Excel's
  COM object model: checked with a fake PageSetup recording the calls the desktop path makes;
- reading conditional formats back: the desktop path deletes only pygk's rules, checked with a fake
  rule collection;
- the style of 总分/排名 cells is the clerk's (the style of the score column beside them): the file
  adapter copies it, Excel keeps the cell's own; an item score pygk derives from the findings
  (得分来源 按扣分计算) keeps its cell's own style in both;
- a line chart's marker symbol: the remote engine cannot list a new chart's series, so there Excel's
  automatic markers show (desktop Excel sets the planned symbol); both sides must draw markers, and the
  file's symbol is checked against the plan's.
"""

from __future__ import annotations

import shutil
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, TEMPLATE
from lxml import etree
from neutral_reading import SheetReading, read_file, read_replay
from xlwings_replay import Replay, file_grids, file_names, remote_book

from pygk import excel
from pygk.adapters import live
from pygk.adapters.xlsx import adapter
from pygk.core import layout, placement, sheets, texts
from pygk.core.plan import Plan

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import make_workbook  # noqa: E402

CLERKS_STYLE = {
    placement.TOTAL_HEADER,
    placement.TOTAL,
    placement.RANK_HEADER,
    placement.RANK,
    placement.SCORE,
}  # NOT_ON_REMOTE
NOT_ON_REMOTE = (
    "page setup through COM",
    "reading conditional formats",
    "总分/排名 and derived scores keep the clerk's style",
    "a line chart's marker symbol",
)


def _setting(path: Path, **values: object) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book[texts.SETTINGS_SHEET]
    for key, value in values.items():
        row = next((r for r in sheet.iter_rows() if r[0].value == key), None)
        if row is None:
            sheet.append([key, value])
        else:
            row[1].value = value
    book.save(path)


def demo(path: Path) -> None:
    shutil.copyfile(TEMPLATE, path)


def rank_column(path: Path) -> None:
    demo(path)
    _setting(path, 显示排名列="是")


def thresholds(path: Path) -> None:
    demo(path)
    _setting(path, 较好单位评选方式="按分数线", 较好分数线=50, 较差单位评选方式="按分数线", 较差分数线=30)


def change_and_repeats(path: Path) -> None:
    demo(path)
    _setting(path, 月份=10)
    assert excel_free_run(path) == 0  # October's results go into 历史
    _setting(path, 月份=11, 显示较上月="是", 连续较差提醒="是")


def formula_like_names(path: Path) -> None:
    demo(path)
    book = openpyxl.load_workbook(path)
    sheet = book["区直单位"]
    for row, name in zip((3, 4, 5, 6), ("=民政局", "'引号单位", "+加号单位", "@艾特单位")):
        sheet.cell(row, 1).value = name
        sheet.cell(row, 1).data_type = "s"
    book.save(path)


def extra_column_and_notes(path: Path) -> None:
    demo(path)
    book = openpyxl.load_workbook(path)
    sheet = book["镇（街道）"]
    sheet.insert_cols(3)
    sheet.cell(1, 3).value = "负责人"
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, 3).value = f"联系人{row}"
    sheet.cell(2, 14).value = "注：本表由各镇（街道）自报。"  # the clerk's note right of the table
    book.save(path)


def five_groups(path: Path) -> None:
    make_workbook(path, 60, groups=5)


def three_hundred_units(path: Path) -> None:
    make_workbook(path, 300, groups=2)


def excel_free_run(path: Path) -> int:
    from pygk.cli import main

    return main(["run", str(path)])


def findings_after_a_run(path: Path) -> None:
    """The findings example run once (扣分历史 and the derived scores pygk's), then one finding fixed, one dropped."""
    example("扣分示例")(path)
    assert excel_free_run(path) == 0
    book = openpyxl.load_workbook(path)
    sheet = book[texts.FINDINGS_SHEET]
    header = [c.value for c in sheet[1]]
    status = header.index(texts.F_STATUS) + 1
    sheet.cell(2, status).value = texts.RECTIFIED
    sheet.delete_rows(sheet.max_row)
    book.save(path)


def example(name: str) -> Callable[[Path], None]:
    """One of the bundled example workbooks (other districts' columns, weights and orders)."""

    def make(path: Path) -> None:
        shutil.copyfile(ROOT / "workbook" / "examples" / f"{name}.xlsx", path)

    return make


WORKBOOKS: dict[str, Callable[[Path], None]] = {
    "demo": demo,
    "rank_column": rank_column,
    "thresholds": thresholds,
    "change_and_repeats": change_and_repeats,
    "formula_like_names": formula_like_names,
    "extra_column_and_notes": extra_column_and_notes,
    "five_groups": five_groups,
    "300_units": three_hundred_units,
    **{f"example_{name}": example(name) for name in ("加权指数", "名单顺序", "录入总分", "扣分示例")},
    "findings_after_a_run": findings_after_a_run,
}


def both(path: Path, tmp_path: Path) -> tuple[Plan, dict[str, SheetReading], dict[str, SheetReading], list[str]]:
    """The plan, the file adapter's and the live adapter's workbook (neutral readings), and the live sheet order."""
    plan = adapter.check(path)
    grids = file_grids(path)
    book = remote_book(grids, file_names(path))
    excel.run_command(book, "all")
    actions = book.json()["actions"]
    assert not [a for a in actions if a["func"] == "alert" and a["args"][3] == "critical"], actions[-1]
    replay = Replay.run(grids, actions)
    out = tmp_path / "file.xlsx"
    adapter.run(path, out)
    return plan, read_file(out), read_replay(replay), replay.names


@pytest.mark.parametrize("name", list(WORKBOOKS))
def test_both_adapters_write_the_same_workbook(name: str, tmp_path: Path):
    source = tmp_path / "通报.xlsx"
    WORKBOOKS[name](source)
    plan, file, excel_side, order = both(source, tmp_path)
    assert order == list(file)
    generated = [a.sheet for a in plan.annexes] + [texts.TREND_SHEET, texts.HISTORY_SHEET]
    generated += [texts.FINDINGS_HISTORY_SHEET] if plan.findings_history else []
    for sheet in file:
        assert excel_side[sheet].values == file[sheet].values, sheet
        assert excel_side[sheet].highlights == file[sheet].highlights, sheet
    for sheet in generated:
        mine, theirs = file[sheet], excel_side[sheet]
        assert theirs.looks == mine.looks, sheet
        assert theirs.merges == mine.merges, sheet
        assert theirs.widths == mine.widths, sheet
        assert theirs.heights == mine.heights, sheet
        assert theirs.print_area == mine.print_area, sheet
        assert theirs.charts == mine.charts, sheet
        assert theirs.chart_shapes == mine.chart_shapes, sheet  # anchor, top, size, bar direction, markers
    trend = sheets.trend_sheet(plan.trend)
    planned = [c.marker for c in trend.charts if c.kind == layout.LINE_CHART]
    assert file[texts.TREND_SHEET].markers == planned  # the remote engine cannot set a marker's symbol (COM does)
    assert [(s[0], s[1]) for s in file[texts.TREND_SHEET].chart_shapes] == [
        (c.anchor_col, c.anchor_row * layout.DEFAULT_ROW_PT) for c in trend.charts
    ]
    shared = [u.cells for u in plan.updates] + ([plan.bulletin_cells] if plan.bulletin_cells else [])
    if plan.bulletin_cells is not None and plan.bulletin_cells.create:  # a 通报 sheet pygk makes gets its widths
        assert (
            excel_side[texts.BULLETIN_SHEET].widths
            == file[texts.BULLETIN_SHEET].widths
            == dict(enumerate(layout.BULLETIN_WIDTHS))
        )
    compared = 0
    for cells in shared:
        for put in cells.puts:
            if put.role not in CLERKS_STYLE:
                key = (put.row, put.col)
                assert excel_side[cells.sheet].looks.get(key) == file[cells.sheet].looks.get(key), (cells.sheet, put)
                compared += 1
    assert compared >= 2 * len(plan.updates)  # every legend cell at least
    annex = file[plan.annexes[0].sheet]
    name_col = plan.annexes[0].name_col
    assert annex.looks[(2, 0)][0] == "黑体" and annex.looks[(3, name_col)][9] == 1  # a real reading, not two empty ones
    assert file[texts.TREND_SHEET].charts and all(c[1] for c in file[texts.TREND_SHEET].charts)


class FakePageSetup:
    """Records the attributes the desktop path sets on Excel's PageSetup (no Excel runs here)."""

    def __init__(self) -> None:
        self.calls: dict[str, object] = {}
        self.EvenPage = self._Even(self.calls)

    class _Even:
        def __init__(self, calls: dict[str, object]) -> None:
            self.LeftFooter = FakePageSetup._Footer(calls)

    class _Footer:
        def __init__(self, calls: dict[str, object]) -> None:
            object.__setattr__(self, "calls", calls)

        def __setattr__(self, name: str, value: object) -> None:
            self.calls[f"EvenPage.LeftFooter.{name}"] = value

    def __setattr__(self, name: str, value: object) -> None:
        if name in ("calls", "EvenPage"):
            object.__setattr__(self, name, value)
        else:
            self.calls[name] = value


class FakeComSheet:
    """A sheet whose .api.PageSetup and .book.app.api are fakes of Excel's COM objects."""

    def __init__(self) -> None:
        self.setup = FakePageSetup()
        self.app_calls: list[tuple[str, object]] = []
        calls = self.app_calls

        class App:
            def __setattr__(self, name: str, value: object) -> None:
                calls.append((name, value))

        self.api = type("Api", (), {"PageSetup": self.setup})()
        self.book = type("Book", (), {"app": type("AppHolder", (), {"api": App()})()})()


def test_page_setup_through_com_matches_the_file(demo: Path, tmp_path: Path):
    """What the remote engine cannot express: the desktop path's PageSetup calls equal the file's page setup."""
    out = tmp_path / "out.xlsx"
    plan = adapter.run(demo, out)
    book = openpyxl.load_workbook(out)
    for sheet_plan in [sheets.annex_sheet(a) for a in plan.annexes] + [sheets.trend_sheet(plan.trend)]:
        fake = FakeComSheet()
        live.page_setup(fake, sheet_plan.page)
        calls = fake.setup.calls
        sheet = book[sheet_plan.name]
        assert set(calls) - {"PrintTitleRows"} == set(live.COM_PAGE_SETUP) - {"PrintTitleRows"}
        assert calls["PaperSize"] == int(sheet.page_setup.paperSize) == 9
        assert calls["Orientation"] == 1 and sheet.page_setup.orientation == "portrait"
        assert (
            calls["FitToPagesWide"] == sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        )
        margins = sheet.page_margins
        for side in ("top", "bottom", "left", "right", "header", "footer"):
            assert calls[f"{side.capitalize()}Margin"] == pytest.approx(getattr(margins, side) * 72), side
        assert calls["CenterHorizontally"] is True and sheet.print_options.horizontalCentered
        odd, even = footers(out, sheet_plan.name)
        assert "&R" + calls["RightFooter"] == odd and "&L" + calls["EvenPage.LeftFooter.Text"] == even
        assert calls["Zoom"] is False and calls["FitToPagesTall"] is False and sheet.page_setup.fitToHeight == 0
        assert calls["OddAndEvenPagesHeaderFooter"] is True and sheet.HeaderFooter.differentOddEven
        assert calls.get("PrintTitleRows") == sheet.print_title_rows
        assert fake.app_calls == [("PrintCommunication", False), ("PrintCommunication", True)]


def footers(path: Path, name: str) -> tuple[str, str]:
    """A sheet's odd and even footer as written in its part (openpyxl trims the leading ideographic space)."""
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    with zipfile.ZipFile(path) as archive:
        book = etree.fromstring(archive.read("xl/workbook.xml"))
        rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        rid = next(s.get(rel_id) for s in book.iter(f"{main}sheet") if s.get("name") == name)
        target = next(r.get("Target") for r in rels if r.get("Id") == rid)
        root = etree.fromstring(archive.read("xl/" + target.removeprefix("/xl/")))
    return root.findtext(f".//{main}oddFooter") or "", root.findtext(f".//{main}evenFooter") or ""


class FakeRule:
    def __init__(self, formula: str, fill: tuple[int, int, int], log: list[str], name: str) -> None:
        self.formula, self.fill_color, self.log, self.name = formula, fill, log, name

    def delete(self) -> None:
        self.log.append(self.name)


class FakeRules(list):
    """A range's conditional formats as desktop Excel lists them; `clear` is recorded (it must not be called)."""

    def __init__(self, rules: list[FakeRule], log: list[str]) -> None:
        super().__init__(rules)
        self.log = log

    def clear(self) -> None:
        self.log.append("cleared the table")


class FakeDesktopSheet:
    """A sheet whose ranges hand out the same rule collection and record which range was asked for."""

    def __init__(self, rules: FakeRules) -> None:
        self.rules, self.asked = rules, []

    def range(self, first: tuple[int, int], last: tuple[int, int]) -> object:
        self.asked.append((first, last))
        return type("Range", (), {"conditional_formats": self.rules})()


def test_desktop_excel_deletes_only_pygks_highlight_rules(demo: Path):
    """Desktop Excel reads the table's rules back: pygk's (its marker, or an earlier TRUE in its colours) go."""
    deleted: list[str] = []
    rules = [
        FakeRule(live.RULE_FORMULA, live.rgb("C6EFCE"), deleted, "pygk best"),
        FakeRule(live.RULE_FORMULA, live.rgb("FFC7CE"), deleted, "pygk worst"),
        FakeRule(live.LEGACY_RULE_FORMULA, live.rgb("FFC7CE"), deleted, "earlier pygk"),
        FakeRule(live.LEGACY_RULE_FORMULA, (1, 2, 3), deleted, "clerk TRUE in her colour"),
        FakeRule("=$C2>90", live.rgb("C6EFCE"), deleted, "clerk's rule"),
    ]
    sheet = FakeDesktopSheet(FakeRules(rules, deleted))
    cells = sheets.input_cells(adapter.check(demo).updates[0])
    live._remove_marks(sheet, cells)
    assert deleted == ["pygk best", "pygk worst", "earlier pygk"]
    top, left, bottom, right = cells.table
    assert sheet.asked == [((top + 1, left + 1), (bottom + 1, right + 1))]  # the table, read once
