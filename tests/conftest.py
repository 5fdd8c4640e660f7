"""Shared fixtures: the demo workbook, workbooks built from literal grids, reading results back."""

from __future__ import annotations

import csv
import os
import shutil
import sys
from pathlib import Path

# xlwings' remote engine (used to exercise the live adapter on Linux) registers only when
# a license key is set as xlwings is first imported; PolyForm Noncommercial covers this use.
# Only the tests set it: pygk itself never does.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "workbook" / "政务公开通报.xlsx"
SOURCES = ROOT / "workbook" / "src"
sys.path.insert(0, str(ROOT / "tools"))

from build_template import typed, work_items  # noqa: E402

from pygk.core import texts  # noqa: E402

CATEGORIES = ["公共服务得分", "交流互动得分", "网站建设及安全得分", "政务信息公开得分"]


def source_grids() -> dict[str, list[list[object]]]:
    """The demo's sheets as grids, straight from the text sources, numbers typed as numbers."""
    grids: dict[str, list[list[object]]] = {}
    with open(SOURCES / "设置.tsv", encoding="utf-8") as handle:
        grids["设置"] = [[typed(v) for v in line.rstrip("\n").split("\t")] for line in handle]
    for path in SOURCES.glob("*.csv"):
        with open(path, encoding="utf-8", newline="") as handle:
            grids[path.stem] = [[typed(v) for v in row] for row in csv.reader(handle)]
    groups = len([r for r in grids["设置"] if r and r[0] in grids])
    grids["通报"] = [["项目", "内容"], ["标题"], ["概述"], *(["工作事项", item] for item in work_items()),
                   *(["附件"] for _ in range(groups)), [], [None, texts.BULLETIN_NOTE]]  # fmt: skip
    return grids


def settings_grid(**changes: object) -> list[list[object]]:
    """The demo 设置 grid with some values replaced (key -> value) or rows removed (value None)."""
    rows = [list(r) for r in source_grids()["设置"]]
    for key, value in changes.items():
        for row in rows:
            if row and row[0] == key:
                if value is None:
                    row[:] = [""]
                else:
                    row[1] = value
                break
        else:
            rows.insert(1, [key, value])
    return rows


def group_grid(units: list[tuple[str, list[object]]], categories: list[str] = CATEGORIES) -> list[list[object]]:
    """An input sheet grid: header row then (name, scores) rows."""
    return [["单位名称", "简称", *categories]] + [[name, "", *scores] for name, scores in units]


def write_book(path: Path, grids: dict[str, list[list[object]]]) -> Path:
    """A real .xlsx with one sheet per grid, numbers-looking text kept as typed."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, grid in grids.items():
        sheet = book.create_sheet(name)
        for row in grid:
            sheet.append([None if v == "" else v for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # typed text, not a formula
    book.save(path)
    return path


def sheet_values(path: Path, sheet: str) -> list[tuple[object, ...]]:
    """All values of a sheet, read back with openpyxl (an independent reader)."""
    book = openpyxl.load_workbook(path)
    return [tuple(r) for r in book[sheet].iter_rows(values_only=True)]


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A fresh copy of the bundled template workbook."""
    target = tmp_path / "通报.xlsx"
    shutil.copyfile(TEMPLATE, target)
    return target


def libreoffice_found() -> bool:
    """Whether pygk itself would find LibreOffice (for skip marks; on CI a missing one fails in `soffice`)."""
    from pygk.core.errors import TemplateError
    from pygk.publish.office import find_soffice

    try:
        find_soffice()
    except TemplateError:
        return False
    return True


def soffice() -> Path:
    """LibreOffice as pygk itself finds it (pygk.publish.office); a skip here, a failure on CI, where it must exist."""
    from pygk.core.errors import TemplateError
    from pygk.publish.office import find_soffice

    try:
        return find_soffice()
    except TemplateError:
        if os.environ.get("CI"):
            pytest.fail("CI must install LibreOffice (see .ci/run)")
        pytest.skip("LibreOffice is not installed here")


@pytest.fixture
def findings_example(tmp_path: Path) -> Path:
    """A fresh copy of workbook/examples/扣分示例.xlsx (scores from findings)."""
    target = tmp_path / "扣分示例.xlsx"
    shutil.copyfile(ROOT / "workbook" / "examples" / "扣分示例.xlsx", target)
    return target


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `first` (the Wine test) before the others, so under pytest-xdist one worker starts it at once."""
    items.sort(key=lambda item: item.get_closest_marker("first") is None)
