"""`pygk excel-setup` writes the interpreter where xlwings' VBA reads it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from xlwings.utils import read_user_config

from pygk.excel_setup import setup_excel


def test_windows_setup_prefers_pythonw_and_keeps_other_settings(tmp_path: Path, monkeypatch):
    python = tmp_path / "Python311" / "python.exe"
    python.parent.mkdir()
    python.write_text("")
    (python.parent / "pythonw.exe").write_text("")
    config = tmp_path / ".xlwings" / "xlwings.conf"
    config.parent.mkdir()
    config.write_text('"INTERPRETER_WIN","C:\\old\\python.exe"\n"SHOW CONSOLE","False"\n', encoding="utf-8")
    written = setup_excel(config, "win32", python)
    assert written == python.parent / "pythonw.exe"
    monkeypatch.setattr("xlwings.USER_CONFIG_FILE", str(config))
    assert read_user_config() == {"interpreter_win": str(written), "show console": "False"}
    setup_excel(config, "win32", python)
    assert config.read_bytes().count(b"INTERPRETER_WIN") == 1
    assert b"\r\n" in config.read_bytes()  # VBA's Input # reads CRLF lines


def test_mac_setup_writes_its_own_key(tmp_path: Path):
    config = tmp_path / "xlwings.conf"
    setup_excel(config, "darwin", Path("/usr/local/bin/python3"))
    assert config.read_text(encoding="utf-8").strip() == '"INTERPRETER_MAC","/usr/local/bin/python3"'


def test_setup_on_a_machine_without_excel_says_so():
    result = subprocess.run([sys.executable, "-m", "pygk.cli", "excel-setup"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "没有 Excel，无需设置" in result.stderr and "Traceback" not in result.stderr
