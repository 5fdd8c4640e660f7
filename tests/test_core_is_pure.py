"""The core imports no spreadsheet library, no adapter and reads no clock or file.

Every module under pygk/core is checked: a module added there is checked without a list to update.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pygk.core

CORE_DIR = Path(pygk.core.__file__).resolve().parent
CORE = sorted(f"pygk.core.{p.stem}" for p in CORE_DIR.glob("*.py") if p.stem != "__init__")
HEAVY = ("openpyxl", "xlwings", "lxml", "docx", "pycalamine")  # pandas is the computation: allowed
OUTSIDE_CORE = ("pygk.adapters", "pygk.publish", "pygk.cli", "pygk.excel")
ENTRY_POINTS = ("pygk.cli", "pygk.excel", "pygk.excel_setup", "pygk.kit", "pygk.__main__")  # nothing below imports them


def test_core_has_the_modules_the_design_names():
    for name in ("settings", "roster", "ranking", "summary", "history", "layout", "plan", "texts"):
        assert f"pygk.core.{name}" in CORE


def test_core_imports_no_spreadsheet_library_and_no_adapter():
    """Importing every core module loads no spreadsheet library and nothing above the core."""
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE)
        + f"print(','.join(m for m in sys.modules if m.split('.')[0] in {HEAVY!r} or m.startswith({OUTSIDE_CORE!r})))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def _imported(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            if node.module == "pygk":  # from pygk import cli: the module pygk.cli
                names.update(f"pygk.{alias.name}" for alias in node.names)
    return names


def test_core_source_reads_no_clock_or_file():
    """No clock, no file system, no process: the core's results depend on its inputs only."""
    forbidden_modules = {"os", "time", "datetime", "pathlib", "shutil", "subprocess", "tempfile", "io", "zipfile"}
    for path in sorted(CORE_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bad = {m for m in _imported(tree) if m.split(".")[0] in forbidden_modules}
        assert not bad, (path.name, bad)
        calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
        assert "open" not in calls, path.name


def test_import_graph_reads_bottom_up():
    """core imports only core; adapters and publish never import the entry points; nothing imports cli or excel."""
    package = CORE_DIR.parent
    for path in sorted(package.rglob("*.py")):
        layer = path.relative_to(package).parts[0]
        modules = {m for m in _imported(ast.parse(path.read_text(encoding="utf-8"))) if m.startswith("pygk")}
        if layer == "core":
            assert all(m.startswith("pygk.core") for m in modules), (path, modules)
        if layer in ("core", "adapters", "publish"):
            assert not any(m in ENTRY_POINTS for m in modules), (path, modules)
        if layer == "adapters":
            assert not any(m.startswith("pygk.publish") for m in modules), (path, modules)


def test_ribbon_entry_module_imports_nothing_heavy():
    """Every click starts a fresh Python: importing pygk.excel must stay cheap."""
    code = (
        "import sys, pygk.excel\n"
        "heavy = ('pandas', 'numpy', 'xlwings', 'openpyxl', 'lxml')\n"
        "print(','.join(m for m in sys.modules if m.split('.')[0] in heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
