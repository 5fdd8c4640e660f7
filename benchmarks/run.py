"""Benchmark: whole-process wall time and the child's own peak memory of `pygk run` against two baselines.

    python benchmarks/run.py                          # demo, 5,000 and 100,000 units, then the monthly scenario
    python benchmarks/run.py --sizes 5000 --pairs 5   # one size, five pairs
    python benchmarks/run.py --months 20000           # only the monthly scenario, at 20,000 units
    python benchmarks/run.py --sizes --months         # nothing but the import floor

Every command runs in a fresh interpreter, so times include start-up and imports, as a
clerk's click or command does; memory is the child's own peak resident set (wait4's
ru_maxrss). The machine is noisy and shared, so runs are interleaved: pygk and a baseline
alternate in pairs (which goes first alternates too) and the table shows medians over the
pairs, and each ratio is the median of the per-pair ratios.

Baselines (bench extra: pip install -e ".[bench]"): `naive.py` (pandas.read_excel, openpyxl
write and format) and `limit.py` (python-calamine read, plain Python ranking, xlsxwriter
writing the annexes only: about the least a run can do).

The monthly scenario runs pygk month after month on one workbook (`months.py` turns the 月份
cell) and times month 1, 6 and 12 in interleaved rounds, each on a copy of the workbook as
the month before left it. At 100,000 units a 历史 sheet cannot hold 12 months (1,200,001
rows > Excel's 1,048,576) and pygk reads no part over 256 MiB (5 months of 历史 at about
52 MB each): the scenario stops at the last month that fits and says so.

Targets (issue 12, printed with each result): 100,000 units first month <= 4 s and <= 300 MB;
the last month within 15 % of month 1 in time and memory; 5,000 units >= 6x the naive
baseline; the demo within 0.12 s of the import floor (interpreter + every module a demo run imports).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
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
DEMO_UNITS = 44
FIRST_MONTH_LIMIT = (4.0, 300.0)  # s, MB at 100,000 units
FLAT_MONTHS = 0.15
NAIVE_RATIO = 6.0
FLOOR_MARGIN = 0.12
MAX_HISTORY_ROWS = 1_048_575  # rows under the header
MAX_PART_MB = 256 * 1.048576  # pygk's part limit (256 MiB) in MB
HISTORY_MB_PER_UNIT = 52 / 100_000  # one month of 历史, measured
MONTHS = (1, 6, 12)

# Children may cache bytecode, as Python does on a clerk's PC (this machine sets
# PYTHONDONTWRITEBYTECODE, which would make every run recompile pygk's modules).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
PYTHON = sys.executable


SAMPLE_SECONDS = 0.02


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (pygk's helper processes), from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    stat = handle.read()
            except OSError:
                continue
            if int(stat[stat.rindex(b")") + 2 :].split()[1]) == pid:
                found.append(int(entry))
    return found


def _pss_mb(pid: int) -> float:
    """A process's proportional set size (shared pages split between the processes sharing them), MB; 0 if gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def measure(command: list[str], output: Path | None = None) -> tuple[float, float]:
    """Wall seconds and peak MB of one child process; `output` is deleted first.

    The MB are the larger of the process's own peak resident set (wait4's ru_maxrss, which for
    a process tree is the largest single process, not their sum) and the peak of the PSS summed
    over the process and the helper processes it forks, sampled every SAMPLE_SECONDS: what the
    tree really holds at once, each shared page counted once.
    """
    if output is not None:
        output.unlink(missing_ok=True)
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=CHILD_ENV)
    tree_peak = 0.0
    sampling = os.path.exists(f"/proc/{process.pid}/smaps_rollup")
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if sampling:
            tree_peak = max(tree_peak, sum(_pss_mb(p) for p in [process.pid, *_children(process.pid)]))
        time.sleep(SAMPLE_SECONDS)
    elapsed = time.perf_counter() - start
    error = process.stderr.read().decode() if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{error}")
    return elapsed, max(usage.ru_maxrss / 1024, tree_peak)


def interleaved(commands: list[tuple[list[str], Path | None]], rounds: int) -> list[list[tuple[float, float]]]:
    """Each command run `rounds` times, the order rotating every round; the runs of each command."""
    runs: list[list[tuple[float, float]]] = [[] for _ in commands]
    for r in range(rounds):
        order = list(range(len(commands)))
        order = order[r % len(order) :] + order[: r % len(order)]
        for i in order:
            runs[i].append(measure(*commands[i]))
    return runs


def median(values: list[float]) -> float:
    return statistics.median(values)


def pygk_command(book: Path, out: Path) -> list[str]:
    return [PYTHON, "-m", "pygk.cli", "run", str(book), "-o", str(out)]


def import_floor(work: Path, pairs: int) -> tuple[float, float, float, float]:
    """Medians of the import floor and of a demo run, interleaved: (floor s, floor MB, demo s, demo MB)."""
    book = work / "demo.xlsx"
    shutil.copyfile(DEMO, book)
    listing = work / "modules.txt"
    probe = (f"import sys, atexit; atexit.register(lambda: open({str(listing)!r}, 'w').write('\\n'.join(sys.modules)));"
             f"sys.argv = ['pygk', 'run', {str(book)!r}, '-o', {str(work / 'probe.xlsx')!r}];"
             "import pygk.cli; pygk.cli.main(sys.argv[1:])")  # fmt: skip
    measure([PYTHON, "-c", probe], work / "probe.xlsx")
    modules = sorted(m for m in listing.read_text().split("\n") if m and not m.startswith("__") and m != "pygk.cli")
    floor = f"import importlib\nfor m in {modules!r}:\n    try: importlib.import_module(m)\n    except Exception: pass"
    floor_runs, demo_runs = interleaved([([PYTHON, "-c", floor], None),
                                         (pygk_command(book, work / "demo-out.xlsx"), work / "demo-out.xlsx")],
                                        2 * pairs)  # fmt: skip
    return (median([t for t, _ in floor_runs]), median([m for _, m in floor_runs]),
            median([t for t, _ in demo_runs]), median([m for _, m in demo_runs]))  # fmt: skip


def click_floors(work: Path, pairs: int) -> None:
    """What a ribbon click costs before Excel is involved (RunPython starts a fresh Python each time), interleaved."""
    book = work / "click.xlsx"
    shutil.copyfile(DEMO, book)
    out = work / "click-out.xlsx"
    click = (f"import pygk.excel, xlwings; from pygk.adapters.xlsx.adapter import run; "
             f"run({str(book)!r}, {str(out)!r})")  # fmt: skip
    rows = [
        ("bare interpreter", [PYTHON, "-c", "pass"], None),
        ("interpreter + a click's imports", [PYTHON, "-c", "import pygk.excel, xlwings, pandas, lxml.etree"], None),
        ("a click on the demo (file adapter)", [PYTHON, "-c", click], out),
    ]
    runs = interleaved([(command, output) for _, command, output in rows], 2 * pairs)
    for (label, _, _), found in zip(rows, runs):
        print(f"{label:>36}: {median([t for t, _ in found]):.2f} s, {median([m for _, m in found]):.0f} MB")


def compare(book: Path, work: Path, pairs: int) -> dict[str, tuple[float, float, float]]:
    """pygk, naive and limit on one workbook, each baseline alternated in pairs with pygk.

    Returns per command (median s, median MB, median of pygk's per-pair speed-up over it).
    """
    ours_out, naive_out, limit_out = work / "ours.xlsx", work / "naive.xlsx", work / "limit.xlsx"
    ours = (pygk_command(book, ours_out), ours_out)
    result: dict[str, tuple[float, float, float]] = {}
    pygk_runs: list[tuple[float, float]] = []
    for name, script, out in (("naive", "naive.py", naive_out), ("limit", "limit.py", limit_out)):
        pair_runs = interleaved([ours, ([PYTHON, str(HERE / script), str(book), str(out)], out)], pairs)
        pygk_runs += pair_runs[0]
        ratios = [theirs[0] / mine[0] for mine, theirs in zip(pair_runs[0], pair_runs[1])]
        result[name] = (median([t for t, _ in pair_runs[1]]), median([m for _, m in pair_runs[1]]), median(ratios))
    result["pygk"] = (median([t for t, _ in pygk_runs]), median([m for _, m in pygk_runs]), 1.0)
    return result


def monthly(units: int, work: Path, rounds: int) -> None:
    """pygk run month after month; month 1, 6 and 12 timed in interleaved rounds on copies of the month before."""
    fits = min(MAX_HISTORY_ROWS // units, int(MAX_PART_MB / (HISTORY_MB_PER_UNIT * units)) + 1)
    months = sorted({m if m <= fits else fits for m in MONTHS})
    if fits < MONTHS[-1]:
        print(f"  {units:,} units: 历史 holds {fits} months at most (Excel's rows and pygk's 256 MiB part limit); "
              f"timing months {', '.join(map(str, months))}")  # fmt: skip
    book = work / f"monthly{units}.xlsx"
    make_workbook(book, units)
    from months import set_month

    before: dict[int, Path] = {}
    for month in range(1, months[-1] + 1):
        set_month(book, month)
        if month in months:
            before[month] = work / f"before{month}.xlsx"
            shutil.copyfile(book, before[month])
        measure(pygk_command(book, work / "step.xlsx"), work / "step.xlsx")
        shutil.move(work / "step.xlsx", book)
    commands = [(pygk_command(before[m], work / f"out{m}.xlsx"), work / f"out{m}.xlsx") for m in months]
    runs = interleaved(commands, rounds)
    first_s, first_mb = median([t for t, _ in runs[0]]), median([m for _, m in runs[0]])
    for month, month_runs in zip(months, runs):
        seconds, mb = median([t for t, _ in month_runs]), median([m for _, m in month_runs])
        verdict = [f"{seconds / first_s - 1:+.0%} s, {mb / first_mb - 1:+.0%} MB vs month 1"]
        if month == months[-1] and month != 1:
            ok = seconds <= first_s * (1 + FLAT_MONTHS) and mb <= first_mb * (1 + FLAT_MONTHS)
            verdict.append(f"within 15% {'ok' if ok else 'MISSED'}")
        if month == 1 and units >= 100_000:
            ok = seconds <= FIRST_MONTH_LIMIT[0] and mb <= FIRST_MONTH_LIMIT[1]
            verdict.append(f"<= 4 s and 300 MB {'ok' if ok else 'MISSED'}")
        line = f"  {units:>8,} | month {month:>2} | {seconds:>6.2f} s | {mb:>5.0f} MB | {'; '.join(verdict)}"
        print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[DEMO_UNITS, 5000, 100000])
    parser.add_argument("--months", type=int, nargs="*", default=[20000, 100000])
    parser.add_argument("--pairs", type=int, default=3, help="pairs per comparison (at least 3)")
    args = parser.parse_args()
    pairs = max(args.pairs, 3)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; bytecode caching on; medians of {pairs} pairs")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        warm = work / "warm.xlsx"  # compile and cache every module once
        shutil.copyfile(DEMO, warm)
        measure(pygk_command(warm, work / "warm-out.xlsx"))
        measure([PYTHON, str(HERE / "naive.py"), str(warm), str(work / "warm-naive.xlsx")])
        measure([PYTHON, str(HERE / "limit.py"), str(warm), str(work / "warm-limit.xlsx")])
        floor_s, floor_mb, demo_s, demo_mb = import_floor(work, pairs)
        gap = demo_s - floor_s
        print(
            f"import floor {floor_s:.2f} s {floor_mb:.0f} MB; demo run {demo_s:.2f} s {demo_mb:.0f} MB: "
            f"{gap:+.2f} s over the floor (target <= {FLOOR_MARGIN} s: {'ok' if gap <= FLOOR_MARGIN else 'MISSED'})"
        )
        print()
        header = (f"{'units':>8} | {'pygk s':>6} | {'MB':>4} | {'naive s':>7} | {'MB':>4} | {'x':>5} | "
                  f"{'limit s':>7} | {'MB':>4} | {'x':>5} | targets")  # fmt: skip
        print(header)
        print("-" * len(header))
        for size in args.sizes:
            book = work / f"book{size}.xlsx"
            if size == DEMO_UNITS:
                shutil.copyfile(DEMO, book)
            else:
                make_workbook(book, size)
            result = compare(book, work, pairs)
            ours, naive, limit = result["pygk"], result["naive"], result["limit"]
            verdict = []
            if size == 5000:
                verdict.append(f">= {NAIVE_RATIO:g}x naive {'ok' if naive[2] >= NAIVE_RATIO else 'MISSED'}")
            if size >= 100000:
                ok = ours[0] <= FIRST_MONTH_LIMIT[0] and ours[1] <= FIRST_MONTH_LIMIT[1]
                verdict.append(f"<= 4 s and 300 MB {'ok' if ok else 'MISSED'}")
            print(f"{size:>8} | {ours[0]:>6.2f} | {ours[1]:>4.0f} | {naive[0]:>7.2f} | {naive[1]:>4.0f} | "
                  f"{naive[2]:>4.1f}x | {limit[0]:>7.2f} | {limit[1]:>4.0f} | {limit[2]:>4.1f}x | "
                  f"{', '.join(verdict)}", flush=True)  # fmt: skip
        if args.months:
            print()
            print(f"monthly scenario (medians of {pairs} interleaved rounds):")
        for units in args.months:
            monthly(units, work, pairs)


if __name__ == "__main__":
    main()
