"""A synthetic year, month by month: stored history, 较上月, repeat offenders, proposed 期号, charts."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import conftest
import openpyxl
import pytest
from conftest import TEMPLATE, group_grid, settings_grid, write_book

from pygk.cli import main
from pygk.core.plan import build_plan
from pygk.core.settings import is_annex_sheet
from pygk.publish.office import to_pdf
from pygk.publish.outputs import keep_sheets

UNITS = [f"单位{i:02d}" for i in range(1, 11)]


def roster(month: int) -> list[str]:
    """Units of 区直单位 in a month: 单位11 joins in April, 单位03 leaves after July."""
    units = UNITS + (["单位11"] if month >= 4 else [])
    return [u for u in units if not (u == "单位03" and month >= 8)]


def total(unit: str, month: int) -> float:
    """Distinct totals; 单位07 is last in May and June only, 单位10 is last otherwise."""
    i = int(unit[-2:])
    base = 50 + ((i * 7 + month * 3) % 13) + i / 10
    if unit == "单位07" and month in (5, 6):
        return 1.0
    if unit == "单位10" and month not in (5, 6):
        return 2.0
    return base


def month_grids(month: int, history: tuple, issue: object = "", **settings) -> dict:
    rows = settings_grid(月份=month, 年份=2023, 期号=issue, 显示较上月="是", 连续较差提醒="是",
                         趋势图单位="单位01、单位11", **settings)  # fmt: skip
    cut = next(i for i, r in enumerate(rows) if r and r[0] == "工作表")
    rows = rows[: cut + 1] + [["区直单位", "区直单位"]]
    units = [(u, [0, 0, 0, total(u, month)]) for u in roster(month)]
    grids = {"设置": rows, "区直单位": group_grid(units)}
    if history:
        grids["历史"] = [list(r) for r in history]
    return grids


def run_year(issues: dict[int, object] | None = None) -> dict[int, object]:
    plans, history = {}, ()
    for month in range(1, 13):
        plans[month] = build_plan(month_grids(month, history, (issues or {}).get(month, "")))
        history = plans[month].history
    return plans


@pytest.fixture(scope="module")
def year():
    return run_year()


def ranks_of(month: int) -> dict[str, int]:
    ordered = sorted(roster(month), key=lambda u: -total(u, month))
    return {u: i for i, u in enumerate(ordered, start=1)}


def test_history_keeps_every_month_once(year):
    history = year[12].history
    header, rows = history[0], history[1:]
    assert header[:5] == ("年份", "月份", "期号", "分组", "单位名称") and header[-4:] == (
        "总分",
        "排名",
        "较好",
        "较差",
    )
    per_month = {m: sum(1 for r in rows if r[1] == m) for m in range(1, 13)}
    assert per_month == {m: len(roster(m)) for m in range(1, 13)}
    december = {r[4]: r for r in rows if r[1] == 12}
    assert december["单位10"][-4:] == (2.0, ranks_of(12)["单位10"], "否", "是")


def test_rerunning_a_month_changes_no_history(year):
    again = build_plan(month_grids(12, year[12].history))
    assert again.history == year[12].history


def test_change_against_last_month(year):
    annex = year[6].annexes[0]
    assert annex.header[-1] == "较上月"
    changes = {row[0]: row[-1] for row in annex.rows}
    before, now = ranks_of(5), ranks_of(6)
    for unit, text in changes.items():
        delta = before[unit] - now[unit]
        assert text == (f"↑{delta}" if delta > 0 else f"↓{-delta}" if delta < 0 else "—")
    assert {row[0]: row[-1] for row in year[4].annexes[0].rows}["单位11"] == "新"
    assert all(row[-1] == "新" for row in year[1].annexes[0].rows)


def test_repeat_offender_sentence(year):
    assert year[6].summary.endswith("连续两个月表现较差的有：单位07。")
    assert "连续" not in year[5].summary and "连续" not in year[7].summary
    assert year[9].summary.endswith("连续两个月表现较差的有：单位10。")


def test_proposed_issue_numbers_follow_the_history():
    plans = run_year({3: 9})
    assert [plans[m].issue for m in (1, 2, 3, 4, 5)] == ["1", "2", "9", "10", "11"]
    assert plans[1].issue_cell == (5, 1) and plans[3].issue_cell is None


def test_trend_series(year):
    trend = year[12].trend
    assert trend.periods[0] == "2023年1月" and len(trend.periods) == 12
    series = dict(trend.series)
    assert series["单位01"] == tuple(total("单位01", m) for m in range(1, 13))
    assert series["单位11"][:3] == (None, None, None) and series["单位11"][3] == total("单位11", 4)
    title, bars = trend.bars[0]
    assert title == "12月区直单位总分排名"
    assert [name for name, _ in bars] == sorted(roster(12), key=lambda u: -total(u, 12))


def _two_months(tmp_path: Path) -> Path:
    """A workbook run for October, copied and run again for November, as a clerk does."""
    path = tmp_path / "通报.xlsx"
    shutil.copyfile(TEMPLATE, path)
    for month in (10, 11):
        book = openpyxl.load_workbook(path)
        for row in book["设置"].iter_rows():
            if row[0].value in ("月份", "期号"):
                row[1].value = month if row[0].value == "月份" else None
            if row[0].value == "显示较上月":
                row[1].value = "是"
        if month == 11:
            book["区直单位"]["F7"] = 12  # 民政局 drops from 56 to 31
        book.save(path)
        assert main(["run", str(path)]) == 0
    return path


def test_charts_point_at_their_data(tmp_path: Path):
    path = _two_months(tmp_path)
    book = openpyxl.load_workbook(path)
    trend = book["趋势"]
    bar, town_bar, line = trend._charts
    values = bar.series[0].val.numRef.f
    categories = bar.series[0].cat.numRef.f  # openpyxl refers to categories by numRef; Excel reads the text
    assert (values, categories) == ("'趋势'!$M$3:$M$33", "'趋势'!$L$3:$L$33")
    names = [trend[f"L{r}"].value for r in range(3, 34)]
    totals = [trend[f"M{r}"].value for r in range(3, 34)]
    assert names[0] == "卫生健康委员会" and totals == sorted(totals, reverse=True)
    assert town_bar.series[0].val.numRef.f == "'趋势'!$P$3:$P$15"
    assert [s.tx.strRef.f for s in line.series] == ["'趋势'!S2", "'趋势'!T2", "'趋势'!U2"]
    assert [trend[f"R{r}"].value for r in (3, 4)] == ["2021年10月", "2021年11月"]
    assert [trend[f"S{r}"].value for r in (3, 4)] == [56, 31]
    settings = {r[0].value: r[1].value for r in book["设置"].iter_rows() if r[0].value}
    assert settings["期号"] == "2"
    annex = book["附件1"]
    changes = {annex[f"A{r}"].value: annex[f"G{r}"].value for r in range(4, 35)}
    assert changes["民政局"] == "↓7" and changes["卫生健康委员会"] == "↑1"  # 56 (1st) -> 31 (8th)


def test_importing_the_same_month_twice_changes_nothing(tmp_path: Path):
    old = tmp_path / "十月.xlsx"
    grids = month_grids(10, ())
    del grids["设置"]
    write_book(old, grids)
    book = tmp_path / "通报.xlsx"
    shutil.copyfile(TEMPLATE, book)
    assert main(["run", str(book)]) == 0
    assert main(["history", "add", str(old), "--into", str(book), "--year", "2021", "--month", "10"]) == 0
    before = book.read_bytes()
    assert main(["history", "add", str(old), "--into", str(book), "--year", "2021", "--month", "10"]) == 0
    assert book.read_bytes() == before
    assert main(["history", "add", str(TEMPLATE), "--into", str(book)]) == 0  # November, as run already had it
    assert book.read_bytes() == before
    assert main(["run", str(book)]) == 0
    months = [r[1] for r in openpyxl.load_workbook(book)["历史"].iter_rows(min_row=2, values_only=True)]
    assert months.count(10) == len(roster(10)) and months.count(11) == 44


def test_plain_workbook_import(tmp_path: Path, capsys):
    old = tmp_path / "十月.xlsx"
    units = [("民政局", [4, 2, 13, 30]), ("公安局", [4, 2, 13, 20]), ("统计局", [4, 2, 13, 1])]
    write_book(old, {"区直单位": group_grid(units)})
    book = tmp_path / "通报.xlsx"
    shutil.copyfile(TEMPLATE, book)
    assert main(["history", "add", str(old), "--into", str(book)]) == 1
    assert "请用 --year 和 --month 说明" in capsys.readouterr().err
    for _ in range(2):
        assert main(["history", "add", str(old), "--into", str(book), "--year", "2021", "--month", "10"]) == 0
    rows = list(openpyxl.load_workbook(book)["历史"].iter_rows(values_only=True))
    assert rows[1:] == [(2021, 10, None, "区直单位", "民政局", 4, 2, 13, 30, 49, 1, "是", "否"),
                        (2021, 10, None, "区直单位", "公安局", 4, 2, 13, 20, 39, 2, "是", "否"),
                        (2021, 10, None, "区直单位", "统计局", 4, 2, 13, 1, 20, 3, "否", "是")]  # fmt: skip


def test_libreoffice_prints_the_trend_sheet(tmp_path: Path):
    conftest.soffice()
    path = _two_months(tmp_path)
    only = tmp_path / "trend.xlsx"
    keep_sheets(path, only, lambda name: name == "趋势")
    to_pdf(only, tmp_path / "trend.pdf")
    text = subprocess.run(["pdftotext", str(tmp_path / "trend.pdf"), "-"], capture_output=True, text=True).stdout
    squeezed = "".join(text.split())
    assert "11月区直单位总分排名" in squeezed and "各月总分走势" in squeezed and "卫生健康委员会" in squeezed
    assert not any(is_annex_sheet(n) for n in openpyxl.load_workbook(only).sheetnames)
