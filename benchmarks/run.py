"""Benchmark: whole-process wall time and peak memory of `pygk run` against the naive baseline.

    python benchmarks/run.py                 # 44 (the bundled demo), 5,000 and 100,000 units
    python benchmarks/run.py --sizes 5000    # one size
    python benchmarks/run.py --repeat 5      # best of five runs per command (default 3; 1 at 100,000)

Each command runs in a fresh interpreter, so the time includes start-up and imports, as a
clerk's click or command does. Peak memory is the child's maximum resident set size.
Targets (issue #2, on a 2-core machine): demo <= 0.6 s; 5,000 units <= 2 s; 100,000 units
<= 30 s and <= 1 GB; at least 4x faster than the baseline at 5,000 and 100,000 units.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import make_workbook  # noqa: E402

DEMO = ROOT / "workbook" / "政务公开通报.xlsx"
TARGETS = {44: (0.6, None), 5000: (2.0, 4.0), 100000: (30.0, 4.0)}
MEMORY_TARGET_MB = 1024


# Children may cache bytecode, as Python does on a clerk's PC (this machine sets
# PYTHONDONTWRITEBYTECODE, which would make every run recompile pygk's modules).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=CHILD_ENV)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    process.stderr.close()
    return elapsed, usage.ru_maxrss / 1024


def best_of(command: list[str], repeat: int, output: Path | None = None) -> tuple[float, float]:
    """Best wall time and largest peak memory over `repeat` runs; `output` is deleted before each."""
    runs = []
    for _ in range(repeat):
        if output is not None:
            output.unlink(missing_ok=True)
        runs.append(measure(command))
    return min(r[0] for r in runs), max(r[1] for r in runs)


def click_floors(python: str, repeat: int) -> None:
    """What a ribbon click costs before Excel is involved: RunPython starts a fresh Python each time."""
    with tempfile.TemporaryDirectory() as folder:
        book = Path(folder) / "demo.xlsx"
        shutil.copyfile(DEMO, book)
        click = (f"import pygk.excel, xlwings; from pygk.adapters.xlsx.adapter import run; "
                 f"run({str(book)!r}, {str(Path(folder) / 'out.xlsx')!r})")  # fmt: skip
        rows = [
            ("bare interpreter", [python, "-c", "pass"]),
            ("interpreter + a click's imports", [python, "-c", "import pygk.excel, xlwings, pandas, lxml.etree"]),
            ("a click on the demo (file adapter)", [python, "-c", click]),
        ]
        for label, command in rows:
            seconds, mb = best_of(command, repeat, Path(folder) / "out.xlsx")
            print(f"{label:>36}: {seconds:.2f} s, {mb:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[44, 5000, 100000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    python = sys.executable
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; bytecode caching on, one warm-up run first")
    with tempfile.TemporaryDirectory() as folder:  # warm-up: compile and cache every module once
        measure([python, "-m", "pygk.cli", "run", str(DEMO), "-o", str(Path(folder) / "warm.xlsx")])
        measure([python, str(HERE / "naive.py"), str(DEMO), str(Path(folder) / "naive.xlsx")])
    floor, floor_mb = best_of([python, "-c", "import pandas, lxml.etree"], args.repeat)
    print(f"interpreter + pandas + lxml import floor: {floor:.2f} s, {floor_mb:.0f} MB")
    click_floors(python, args.repeat)
    print()
    header = (
        f"{'units':>8} | {'pygk s':>7} | {'pygk MB':>7} | {'naive s':>7} | {'naive MB':>8} | {'ratio':>6} | targets"
    )
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for size in args.sizes:
            book = work / f"book{size}.xlsx"
            if size == 44:
                shutil.copyfile(DEMO, book)
            else:
                make_workbook(book, size)
            repeat = 1 if size >= 100000 else args.repeat
            command = [python, "-m", "pygk.cli", "run", str(book), "-o", str(work / "ours.xlsx")]
            ours = best_of(command, repeat, work / "ours.xlsx")
            naive = best_of([python, str(HERE / "naive.py"), str(book), str(work / "naive.xlsx")], repeat)
            ratio = naive[0] / ours[0]
            verdict = []
            limit, speedup = TARGETS.get(size, (None, None))
            if limit is not None:
                verdict.append(f"time<={limit:g}s {'ok' if ours[0] <= limit else 'MISSED'}")
            if speedup is not None:
                verdict.append(f"ratio>={speedup:g} {'ok' if ratio >= speedup else 'MISSED'}")
            if size >= 100000:
                verdict.append(f"mem<=1GB {'ok' if ours[1] <= MEMORY_TARGET_MB else 'MISSED'}")
            print(f"{size:>8} | {ours[0]:>7.2f} | {ours[1]:>7.0f} | {naive[0]:>7.2f} | {naive[1]:>8.0f} | "
                  f"{ratio:>5.1f}x | {', '.join(verdict)}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
