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
