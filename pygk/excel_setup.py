"""`pygk excel-setup`: tell the macro workbook's xlwings VBA which Python to run.

xlwings' VBA reads the interpreter from its user config file, a list of quoted
"KEY","VALUE" lines (~/.xlwings/xlwings.conf on Windows). This writes this Python's
path there, so no clerk types a path by hand.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

KEYS = {"win32": "INTERPRETER_WIN", "darwin": "INTERPRETER_MAC"}
_LINE = re.compile(r'^\s*"([^"]*)"\s*,\s*"([^"]*)"\s*$')


def interpreter_for_excel(executable: Path, platform: str) -> Path:
    """The interpreter Excel should start: pythonw.exe beside python.exe on Windows (no console window)."""
    if platform == "win32":
        windowless = executable.with_name("pythonw.exe")
        if windowless.exists():
            return windowless
    return executable


def write_setting(config: Path, key: str, value: str) -> None:
    """Set one "KEY","VALUE" line in an xlwings config file, keeping the others; atomic."""
    lines = config.read_text(encoding="utf-8").splitlines() if config.exists() else []
    entry = f'"{key}","{value}"'
    kept = [line for line in lines if not ((found := _LINE.match(line)) and found.group(1).lower() == key.lower())]
    config.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=config.parent, prefix=".pygk-", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8", newline="\r\n") as out:
        out.write("\n".join([*kept, entry]) + "\n")
    os.replace(temp, config)


def setup_excel(config: Path, platform: str, executable: Path) -> Path:
    """Record this Python for Excel on `platform` in `config`; returns the interpreter written."""
    interpreter = interpreter_for_excel(executable, platform)
    write_setting(config, KEYS[platform], str(interpreter))
    return interpreter
