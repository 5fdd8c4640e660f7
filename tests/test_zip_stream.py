"""The output zip is streamed: unchanged parts copied compressed as they are, their CRC checked on the way."""

from __future__ import annotations

import zipfile
from pathlib import Path

from pygk.adapters.xlsx.adapter import open_book
from pygk.cli import main

THEME = "xl/theme/theme1.xml"


def compressed(path: Path, name: str) -> bytes:
    """A member's compressed bytes as they lie in the file."""
    package, _ = open_book(path, writing=False)
    try:
        return package.source_bytes(package.data_offset(name), package.member(name).compress_size)
    finally:
        package.close()


def test_an_unchanged_part_is_copied_compressed_byte_for_byte(demo: Path, tmp_path: Path):
    out = tmp_path / "out.xlsx"
    assert main(["run", str(demo), "-o", str(out)]) == 0
    assert compressed(out, THEME) == compressed(demo, THEME)
    with zipfile.ZipFile(out) as result, zipfile.ZipFile(demo) as source:
        assert result.testzip() is None
        assert result.read(THEME) == source.read(THEME)


def test_a_corrupt_unchanged_part_is_refused_and_nothing_is_written(demo: Path, capsys):
    package, _ = open_book(demo, writing=False)
    start, length = package.data_offset(THEME), package.member(THEME).compress_size
    package.close()
    data = bytearray(demo.read_bytes())
    data[start + length // 2] ^= 0x55
    demo.write_bytes(bytes(data))
    before = demo.read_bytes()
    assert main(["run", str(demo)]) == 2
    assert f"“{THEME}”已损坏" in capsys.readouterr().err
    assert demo.read_bytes() == before


def test_a_written_part_is_held_compressed_and_reads_back_the_same(demo: Path, tmp_path: Path):
    """Once the worker has compressed a part, only its compressed bytes stay in memory; read() inflates them."""
    package, _ = open_book(demo, writing=False)
    sheet = "xl/worksheets/sheet2.xml"
    text = package.read(sheet).replace(b"</sheetData>", b'<row r="900"><c r="A900"><v>7</v></c></row></sheetData>')
    package.write(sheet, text)
    package._packed[sheet].result()  # the worker is done with it
    package.write("xl/pygk-test.xml", b"<note/>")  # the next write lets go of the text
    assert package._changed[sheet] == b"" and package.read(sheet) == text
    out = tmp_path / "out.xlsx"
    package.save(out, replace=False)
    with zipfile.ZipFile(out) as result:
        assert result.testzip() is None
        assert result.read(sheet) == text and result.read("xl/pygk-test.xml") == b"<note/>"


def test_a_broken_xml_part_is_refused_before_anything_is_saved(demo: Path, tmp_path: Path):
    """An editing bug that makes malformed XML is a located refusal, never a workbook Excel must repair.

    The part is parsed on the checking thread while the run goes on; `save` waits for it and writes nothing.
    """
    from pygk.core.errors import TemplateError

    package, _ = open_book(demo, writing=False)
    sheet = "xl/worksheets/sheet2.xml"
    before = package.read(sheet)
    package.write(sheet, before.replace(b"</sheetData>", b"<row></sheetData>"))
    package.write("xl/pygk-test.xml", b"<note/>")  # a good part written after it changes nothing
    out = tmp_path / "out.xlsx"
    try:
        package.save(out, replace=False)
    except TemplateError as error:
        assert sheet in error.problems[0].message
    else:
        raise AssertionError("a malformed part was saved")
    assert not out.exists() and sorted(tmp_path.iterdir()) == [demo]  # no file, no temporary file left
