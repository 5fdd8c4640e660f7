"""pygk's output survives any console: a code page without Chinese, a closed pipe, no console at all (pythonw).

Each case runs `python -m pygk` in a real child process and reads the written workbook back.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

# As under pythonw: no standard output or error (closed descriptors; Python then sets the streams to None).
NO_CONSOLE = (
    "import os, sys, runpy; os.close(1); os.close(2); sys.stdout = sys.stderr = None; "
    "sys.argv = ['pygk', *sys.argv[1:]]; runpy.run_module('pygk', run_name='__main__')"
)


def _run(args: list[str], env: dict[str, str] | None = None, **streams: object) -> int:
    environment = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "pygk", *args], env=environment, **streams).returncode  # type: ignore[call-overload]


def _first_annex_unit(path: Path) -> object:
    return openpyxl.load_workbook(path)["附件1"]["A4"].value


@pytest.mark.parametrize("encoding", ["cp1252", "ascii", "latin-1:strict"])
def test_a_console_that_cannot_show_chinese(demo: Path, tmp_path: Path, encoding: str):
    """Chinese the console cannot encode becomes '?': the run succeeds, says where it wrote, and the file is there."""
    out = tmp_path / "result.xlsx"
    result = subprocess.run([sys.executable, "-m", "pygk", "run", str(demo), "-o", str(out)], capture_output=True,
                            env={**os.environ, "PYTHONIOENCODING": encoding})  # fmt: skip
    assert result.returncode == 0, result.stderr
    shown = result.stdout.decode(encoding.split(":")[0])
    assert str(out) in shown and "?" in shown and "Traceback" not in result.stderr.decode("latin-1")
    assert _first_annex_unit(out) == "民政局"


def test_no_console_at_all(demo: Path, tmp_path: Path):
    """pythonw: standard output and error do not exist (closed descriptors, so Python sets them to None)."""
    out = tmp_path / "result.xlsx"
    result = subprocess.run([sys.executable, "-c", NO_CONSOLE, "run", str(demo), "-o", str(out)])
    assert result.returncode == 0
    assert _first_annex_unit(out) == "民政局"


def test_no_console_and_bad_data_writes_nothing(tmp_path: Path, demo: Path):
    """Without a console an input error still exits 1 and leaves the workbook as it was."""
    book = openpyxl.load_workbook(demo)
    book["区直单位"]["C2"] = "九十"
    book.save(demo)
    before = demo.read_bytes()
    assert subprocess.run([sys.executable, "-c", NO_CONSOLE, "run", str(demo)]).returncode == 1
    assert demo.read_bytes() == before


def test_output_into_a_closed_pipe(demo: Path, tmp_path: Path):
    """The reader of pygk's output went away: the run still succeeds with exit 0 (not Python's 120)."""
    out = tmp_path / "result.xlsx"
    reader, writer = os.pipe()
    os.close(reader)
    try:
        assert _run(["run", str(demo), "-o", str(out)], stdout=writer, stderr=writer) == 0
    finally:
        os.close(writer)
    assert _first_annex_unit(out) == "民政局"


def test_output_redirected_to_a_file_in_the_consoles_encoding(demo: Path, tmp_path: Path):
    """Redirected to a file on a Chinese Windows (code page 936): the summary is readable in GBK."""
    log = tmp_path / "log.txt"
    with open(log, "wb") as handle:
        assert _run(["run", str(demo)], env={"PYTHONIOENCODING": "gbk"}, stdout=handle, stderr=handle) == 0
    assert "表现较差的有：统计局、社保中心和商城街道。" in log.read_bytes().decode("gbk")
