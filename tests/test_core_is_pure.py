"""The core imports no spreadsheet library and reads no clock."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CORE = [
    "pygk.plan",
    "pygk.settings",
    "pygk.roster",
    "pygk.ranking",
    "pygk.summary",
    "pygk.layout",
    "pygk.values",
    "pygk.history",
    "pygk.importing",
]


def test_core_imports_no_spreadsheet_library():
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE)
        + (
            "bad = [m for m in sys.modules if m.split('.')[0] in ('openpyxl', 'xlwings', 'lxml', 'pygk.xlsx')]\n"
            "bad += [m for m in sys.modules if m.startswith('pygk.xlsx')]\n"
            "print(','.join(bad))"
        )
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_core_source_reads_no_clock_or_file():
    root = Path(__file__).resolve().parent.parent / "pygk"
    for module in CORE:
        source = (root / (module.split(".")[1] + ".py")).read_text(encoding="utf-8")
        for forbidden in ("datetime", "time.", "open(", "Path(", "import os"):
            assert forbidden not in source, (module, forbidden)


def test_ribbon_entry_module_imports_nothing_heavy():
    """Every click starts a fresh Python: importing pygk.excel must stay cheap."""
    code = (
        "import sys, pygk.excel\n"
        "heavy = ('pandas', 'numpy', 'xlwings', 'openpyxl', 'lxml')\n"
        "print(','.join(m for m in sys.modules if m.split('.')[0] in heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
