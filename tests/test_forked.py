"""The helper process (`pygk.adapters.forked`): the same bytes, the same refusals, whatever the child does.

Each run here is a fresh interpreter (no thread yet, so pygk may fork), with the helper
threshold lowered so one of the demo's score sheets is read in a helper; the same run with
forking switched off is the reference.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from zipedit import edit, edit_xml, q, sheet_part

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2,
                                reason="pygk forks helpers on Linux with two cores or more")  # fmt: skip

RUNNER = """
import json, sys
import pygk.adapters.forked as forked
import pygk.adapters.xlsx.adapter as adapter
mode, argv = sys.argv[1], sys.argv[2:]
adapter.HELPER_BYTES = 0
if mode == "single":
    adapter.can_fork = lambda: False
if mode == "child-fails":  # every call raises in the helper, and only there
    import os
    parent = os.getpid()
    def failing(call):
        function, args = call
        def run(*a, function=function, parent=parent):
            if os.getpid() != parent:
                raise RuntimeError("helper")
            return function(*a)
        return (run, args)
    start = forked.Lane.__init__
    forked.Lane.__init__ = lambda self, calls: start(self, [failing(c) for c in calls])
forks = []
start_child = forked.Lane._start
def recording(self):
    start_child(self)
    forks.append(self.forked)
forked.Lane._start = recording
from pygk import cli
status = cli.main(argv)
print("FORKS " + json.dumps(forks), file=sys.stderr)
sys.exit(status)
"""


def run(mode: str, *argv: str) -> tuple[int, str, list[bool]]:
    """pygk's command line in a fresh interpreter: exit status, stderr without the fork record, the forks made."""
    done = subprocess.run([sys.executable, "-c", RUNNER, mode, *argv], capture_output=True, text=True, timeout=120)
    lines = done.stderr.splitlines()
    forks = [json.loads(line[6:]) for line in lines if line.startswith("FORKS ")]
    assert forks, done.stderr
    return done.returncode, "\n".join(line for line in lines if not line.startswith("FORKS ")), forks[0]


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as book:
        return {name: book.read(name) for name in book.namelist()}


def test_helper_runs_write_the_same_bytes_month_after_month(demo: Path, tmp_path: Path):
    """Read and edited in helpers, first month and rerun: every part as a single process writes it."""
    single, helped = tmp_path / "single.xlsx", tmp_path / "helped.xlsx"
    for path in (single, helped):
        shutil.copyfile(demo, path)
    for _ in range(2):  # the second run rewrites pygk's own totals in place
        status, err, forks = run("single", "run", str(single))
        assert status == 0 and forks == [], err
        status, err, forks = run("helper", "run", str(helped))
        assert status == 0, err
        assert forks == [True]  # a helper read the second score sheet
        assert members(helped) == members(single)


def test_a_helper_that_fails_changes_nothing(demo: Path, tmp_path: Path):
    """Every call failing in the helper is done here instead: the same workbook comes out."""
    single, helped = tmp_path / "single.xlsx", tmp_path / "helped.xlsx"
    assert run("single", "run", str(demo), "-o", str(single))[0] == 0
    status, err, forks = run("child-fails", "run", str(demo), "-o", str(helped))
    assert status == 0 and forks == [True], err
    assert members(helped) == members(single)


def _rows_out_of_order(root: etree._Element) -> None:
    rows = list(root.find(q("sheetData")))
    rows[5].addnext(rows[4])


def _second_sheet_malformed(data: bytes) -> bytes:
    return data.replace(b"</sheetData>", b"</sheetData", 1)


@pytest.mark.parametrize("damage", ["malformed", "rows out of order"])
def test_refusals_are_the_same_with_a_helper(demo: Path, tmp_path: Path, damage: str):
    """The score sheet the helper reads cannot be read (malformed XML) or edited (rows out of order):
    the same located Chinese message, the same exit status, no file."""
    sheet = "镇（街道）"  # the second score sheet: the helper's
    if damage == "malformed":
        edit(demo, sheet_part(demo, sheet), _second_sheet_malformed)
    else:
        edit_xml(demo, sheet_part(demo, sheet), _rows_out_of_order)
    results = []
    for mode in ("single", "helper"):
        out = tmp_path / f"{mode}.xlsx"
        status, err, forks = run(mode, "run", str(demo), "-o", str(out))
        assert forks == ([] if mode == "single" else [True])
        assert not out.exists() and not list(tmp_path.glob(f"*{mode}*tmp*"))
        results.append((status, err))
    assert results[0] == results[1]
    status, err = results[0]
    assert status in (1, 2) and sheet in err, err


LANE = """
import os, sys, threading
from pygk.adapters.forked import Lane
parent = os.getpid()
def where():
    return os.getpid()
def crash():
    if os.getpid() != parent:
        os._exit(9)  # the helper dies without a word
    return "here"
def unpicklable():
    return (lambda: None) if os.getpid() != parent else "here"
with Lane([(where, ()), (unpicklable, ()), (where, ())]) as lane:
    assert lane.forked
    assert lane.result(0) != parent  # computed in the helper
    assert lane.result(1) == "here"  # its value could not be sent: computed again here
    assert lane.result(2) == parent  # the helper stopped: the rest is done here
with Lane([(crash, ()), (where, ())]) as lane:
    assert lane.result(0) == "here" and lane.result(1) == parent
threading.Thread(target=lambda: None).start()
busy = threading.Thread(target=threading.Event().wait, args=(1,))
busy.start()
assert not Lane([(where, ())]).forked  # a thread runs: no fork
assert Lane([(where, ())]).result(0) == parent
import multiprocessing
assert not multiprocessing.active_children()  # no helper outlives its lane
print("LANE OK")
"""


def test_lane_falls_back_here_whatever_the_helper_does():
    done = subprocess.run([sys.executable, "-c", LANE], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "LANE OK" in done.stdout, done.stderr


ORPHAN = """
import sys, time
from pygk.adapters.forked import Lane
lane = Lane([(time.sleep, (60,))])
print(lane._process.pid, flush=True)
time.sleep(60)
"""


def test_a_helper_ends_with_its_killed_parent():
    """A killed run's helper must not live on holding the workbook's lock (its descriptor came with the fork)."""
    parent = subprocess.Popen([sys.executable, "-c", ORPHAN], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    parent.kill()
    parent.wait()

    def alive() -> bool:
        try:
            with open(f"/proc/{child}/stat") as stat:
                return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False

    deadline = time.monotonic() + 5
    while alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive()


def _set_month(book: Path, month: int) -> None:
    """The 设置 sheet's 月份 cell rewritten, the rest of the file as it was (as a clerk turns the month)."""
    from pygk.adapters.xlsx.adapter import SheetGrids, open_book
    from pygk.adapters.xlsx.shared_sheet import patch_cells
    from pygk.adapters.xlsx.sheet_edit import CellWrite
    from pygk.core import texts

    package, workbook = open_book(book)
    try:
        grid = SheetGrids(package, workbook)[texts.SETTINGS_SHEET]
        row = next(r for r, cells in enumerate(grid) if cells and cells[0] == "月份")
        ref = workbook.require(texts.SETTINGS_SHEET)
        package.write(ref.part, patch_cells(package.read(ref.part), {row: {1: CellWrite(month)}}))
        package.save(book)
    finally:
        package.close()


def test_a_macro_book_month_after_month_and_its_check_are_the_same_with_helpers(tmp_path: Path):
    """The .xlsm clerks open, run in place for two months (历史 grows, 较上月 is read back): the same bytes
    (macros and ribbon included), and `pygk check` says the same, with the helpers as without."""
    from conftest import ROOT

    single, helped = tmp_path / "single.xlsm", tmp_path / "helped.xlsm"
    for path in (single, helped):
        shutil.copyfile(ROOT / "workbook" / "政务公开通报.xlsm", path)
    for month in (11, 12):
        for path in (single, helped):
            _set_month(path, month)
        status, err, forks = run("single", "run", str(single))
        assert status == 0 and forks == [], err
        status, err, forks = run("helper", "run", str(helped))
        assert status == 0 and forks == [True], err
        assert members(helped) == members(single)
    checks = [run(mode, "check", str(path))[:2] for mode, path in (("single", single), ("helper", helped))]
    assert checks[0][0] == 0 and checks[0][1].replace("single", "helped") == checks[1][1].replace("single", "helped")
