"""The 历史 sheet in a file: a compressed piece per month, earlier months kept as bytes, the index checked."""

from __future__ import annotations

import os
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import ROOT, sheet_values
from openpyxl import load_workbook
from openxml_audit import OpenXmlValidator

from pygk.adapters.xlsx.adapter import open_book
from pygk.adapters.xlsx.history_sheet import open_indexed, parse_index
from pygk.adapters.xlsx.segments import crc32_combine
from pygk.adapters.xlsx.sheet_xml import sheet_xml
from pygk.adapters.xlsx.styles import StyleBook
from pygk.cli import main
from pygk.core import layout, sheets, texts
from pygk.core.ownership import HISTORY_MARK, string_value

sys.path.insert(0, str(ROOT / "benchmarks"))
from months import set_month, set_setting  # noqa: E402


def history_index(path: Path) -> tuple[int, int, list]:
    """The `_pygk.history` index a file carries."""
    package, workbook = open_book(path, writing=False)
    try:
        [formula] = [f for s, n, f in workbook.defined_names() if s == texts.HISTORY_SHEET and n == HISTORY_MARK]
        return parse_index(string_value(formula))
    finally:
        package.close()


def history_member(path: Path) -> tuple[zipfile.ZipInfo, bytes]:
    """The 历史 part's zip entry and its compressed bytes."""
    package, workbook = open_book(path, writing=False)
    try:
        part = workbook.sheet(texts.HISTORY_SHEET).part
        info = package.member(part)
        return info, package.source_bytes(package.data_offset(part), info.compress_size)
    finally:
        package.close()


def month_pieces(path: Path) -> dict[tuple[int, int], bytes]:
    """Each month's compressed piece, as found through the index."""
    _, _, entries = history_index(path)
    _, data = history_member(path)
    pieces, at = {}, 0
    for entry in entries:
        if entry.count:
            pieces[(entry.year, entry.month)] = data[at : at + entry.length]
        at += entry.length
    return pieces


def run_month(book: Path, month: int) -> None:
    set_month(book, month)
    assert main(["run", str(book)]) == 0


@pytest.fixture
def two_months(demo: Path) -> Path:
    """The demo run for November, then for December."""
    assert main(["run", str(demo)]) == 0
    run_month(demo, 12)
    return demo


def test_crc32_combine_matches_zlib():
    first, second = os.urandom(1000), os.urandom(70_001)
    assert crc32_combine(zlib.crc32(first), zlib.crc32(second), len(second)) == zlib.crc32(first + second)
    assert crc32_combine(zlib.crc32(first), zlib.crc32(b""), 0) == zlib.crc32(first)


def test_next_month_keeps_the_earlier_month_byte_for_byte(demo: Path, tmp_path: Path):
    assert main(["run", str(demo)]) == 0
    november = month_pieces(demo)
    run_month(demo, 12)
    after = month_pieces(demo)
    assert list(after) == [(2021, 11), (2021, 12)]
    assert after[(2021, 11)] == november[(2021, 11)]  # copied compressed, never inflated or serialised again
    rows = sheet_values(demo, texts.HISTORY_SHEET)  # openpyxl: an independent reader
    assert [r[1] for r in rows[1:]] == [11] * 44 + [12] * 44
    assert OpenXmlValidator().validate(str(demo)).is_valid


def test_rerunning_the_last_month_writes_the_same_bytes(two_months: Path, tmp_path: Path):
    before = two_months.read_bytes()
    assert main(["run", str(two_months)]) == 0
    assert two_months.read_bytes() == before


def test_a_history_another_program_saved_is_read_whole_and_written_the_same(two_months: Path, tmp_path: Path):
    """Any program's save recompresses the part: the index no longer matches, the sheet is read whole."""
    resaved = resaved_copy(two_months, tmp_path / "resaved.xlsx")
    package, workbook = open_book(resaved, writing=False)
    assert open_indexed(package, workbook) is None
    package.close()
    expected = two_months.with_name("expected.xlsx")
    assert main(["run", str(two_months), "-o", str(expected)]) == 0
    assert main(["run", str(resaved)]) == 0
    assert sheet_values(resaved, texts.HISTORY_SHEET) == sheet_values(expected, texts.HISTORY_SHEET)
    assert list(month_pieces(resaved)) == [(2021, 11), (2021, 12)]  # indexed again for the next month


def test_an_earlier_month_goes_in_order_and_later_months_move(two_months: Path):
    run_month(two_months, 10)
    rows = sheet_values(two_months, texts.HISTORY_SHEET)
    assert [r[1] for r in rows[1:]] == [10] * 44 + [11] * 44 + [12] * 44
    assert [(e.month, e.first_row) for e in history_index(two_months)[2] if e.count] == [(10, 2), (11, 46), (12, 90)]


def test_a_kept_piece_changed_on_disk_is_refused(two_months: Path, capsys):
    """The index and the zip directory still agree, but a byte of November's compressed piece changed."""
    info, _ = history_member(two_months)
    package, workbook = open_book(two_months, writing=False)
    start = package.data_offset(workbook.sheet(texts.HISTORY_SHEET).part) + history_index(two_months)[2][0].length
    package.close()
    data = bytearray(two_months.read_bytes())
    data[start + 10] ^= 0xFF
    two_months.write_bytes(bytes(data))
    before = two_months.read_bytes()
    assert main(["run", str(two_months)]) == 2
    assert "已损坏" in capsys.readouterr().err and two_months.read_bytes() == before


def resaved_copy(book: Path, target: Path) -> Path:
    """The workbook as another program saves it: every part compressed anew (pygk's index no longer matches)."""
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info.filename, source.read(info.filename), compresslevel=9)
    return target


def test_months_read_through_the_index_give_what_the_whole_sheet_gives(demo: Path, tmp_path: Path):
    """较上月, repeat offenders and the 趋势 units' line read earlier months from their pieces alone."""
    set_setting(demo, "显示较上月", "是")
    set_setting(demo, "连续较差提醒", "是")
    assert main(["run", str(demo)]) == 0
    set_month(demo, 12)
    whole = resaved_copy(demo, tmp_path / "whole.xlsx")
    assert main(["run", str(demo)]) == 0 and main(["run", str(whole)]) == 0
    for sheet in ("附件1", "附件2", texts.BULLETIN_SHEET, texts.TREND_SHEET, texts.HISTORY_SHEET):
        assert sheet_values(demo, sheet) == sheet_values(whole, sheet), sheet
    changes = [row[-1] for row in sheet_values(demo, "附件1")[3:]]
    assert changes and all(change == "—" for change in changes)  # the same scores as November: no rank moved
    assert "连续两个月表现较差的有" in str(sheet_values(demo, texts.BULLETIN_SHEET))
    assert main(["check", str(demo)]) == 0


def test_the_pieces_are_the_bytes_the_generic_writer_gives_for_the_history_sheet_plan(two_months: Path):
    """The month-by-month writer lays out 历史 as its sheet plan says: the part inflated is sheet_xml's output."""
    package, workbook = open_book(two_months, writing=False)
    try:
        part = package.read(workbook.sheet(texts.HISTORY_SHEET).part)
        styles = StyleBook(package)
        rows = [tuple(None if v == "" else v for v in row) for row in sheet_values(two_months, texts.HISTORY_SHEET)]
        expected = sheet_xml(sheets.history_sheet(rows), styles.role)
    finally:
        package.close()
    assert len(rows) == 1 + 2 * 44
    assert part == expected
    header_style = load_workbook(two_months)[texts.HISTORY_SHEET]["A1"]
    assert header_style.font.b and header_style.font.name == layout.STYLES[layout.SHEET_HEADER].font.name
