"""The workbook on disk: links, owner and permissions, locks, kills, Ctrl+C and failing file systems.

Faults are injected deterministically (a write, an fsync, a rename or a read that fails)
around the real command in this process; locks, kills and Ctrl+C use real processes.
"""

from __future__ import annotations

import builtins
import errno
import io
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import conftest
import openpyxl
import pytest
from conftest import ROOT, group_grid, write_book

from pygk import cli
from pygk.adapters.xlsx import adapter
from pygk.cli import main
from pygk.core import texts
from pygk.core.errors import InputError, Problem

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import make_workbook  # noqa: E402

MACRO_TEMPLATE = ROOT / "workbook" / "政务公开通报.xlsm"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
CT_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_XLSM = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def pygk(*args: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pygk.cli", *args], capture_output=True, text=True, **options)


def leftovers(*folders: Path) -> list[str]:
    """pygk's temporary and lock files still lying in these folders."""
    return sorted(p.name for folder in folders for p in folder.iterdir() if p.name.startswith(".~pygk-"))


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def october(tmp_path: Path, group: str = "区直单位") -> Path:
    """An earlier month's plain workbook for `history add --year 2021 --month 10`."""
    units = [("民政局", [4, 2, 13, 30]), ("公安局", [4, 2, 13, 20])]
    return write_book(tmp_path / "十月.xlsx", {group: group_grid(units)})


OCTOBER_ARGS = ("--year", "2021", "--month", "10")


# --- links --------------------------------------------------------------------------
def test_symlinked_workbook_updates_its_target_and_stays_a_link(demo: Path, tmp_path: Path):
    folder = tmp_path / "共享"
    folder.mkdir()
    real = folder / "通报.xlsx"
    demo.rename(real)
    link = tmp_path / "链接.xlsx"
    link.symlink_to(real)
    assert main(["run", str(link)]) == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert "附件1" in openpyxl.load_workbook(real).sheetnames
    assert leftovers(tmp_path, folder) == []


def test_hard_linked_workbook_is_refused(demo: Path, capsys):
    other = demo.with_name("另一个名字.xlsx")
    os.link(demo, other)
    before = demo.read_bytes()
    assert main(["run", str(demo)]) == 2
    assert "另有 1 个硬链接" in capsys.readouterr().err
    assert demo.read_bytes() == before and os.path.samefile(demo, other)


# --- owner, mode, attributes -----------------------------------------------------------
@pytest.mark.skipif(not IS_ROOT, reason="giving a file to another user needs root")
def test_owner_group_mode_and_xattrs_survive_a_run_by_root(demo: Path):
    os.chown(demo, 1234, 2345)
    os.chmod(demo, 0o640)
    try:
        os.setxattr(demo, "user.x", "科员".encode())
    except OSError as error:
        pytest.skip(f"no user xattrs here: {error}")
    assert main(["run", str(demo)]) == 0
    status = demo.stat()
    assert (status.st_uid, status.st_gid, status.st_mode & 0o7777) == (1234, 2345, 0o640)
    assert os.getxattr(demo, "user.x") == "科员".encode()
    assert "附件1" in openpyxl.load_workbook(demo).sheetnames


def test_posix_acl_survives_a_run(demo: Path):
    if shutil.which("setfacl") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install setfacl (package acl, see .ci/run)")
        pytest.skip("setfacl (package acl) is not installed")
    if subprocess.run(["setfacl", "-m", "u:4321:rw,g:4322:r", str(demo)], capture_output=True).returncode:
        pytest.skip("this file system has no POSIX ACLs")
    acl = subprocess.run(["getfacl", "-c", str(demo)], capture_output=True, text=True, check=True).stdout
    mode = demo.stat().st_mode
    assert main(["run", str(demo)]) == 0
    assert subprocess.run(["getfacl", "-c", str(demo)], capture_output=True, text=True).stdout == acl
    assert "user:4321:rw-" in acl and demo.stat().st_mode == mode


def test_read_only_workbook_is_refused(demo: Path, tmp_path: Path, capsys):
    os.chmod(demo, 0o444)
    before = demo.read_bytes()
    assert main(["run", str(demo)]) == 2
    assert "文件是只读的，pygk 不会改动它" in capsys.readouterr().err
    assert main(["history", "add", str(october(tmp_path)), "--into", str(demo), *OCTOBER_ARGS]) == 2
    assert "文件是只读的" in capsys.readouterr().err
    assert demo.read_bytes() == before and demo.stat().st_mode & 0o777 == 0o444
    assert main(["run", str(demo), "-o", str(tmp_path / "副本.xlsx")]) == 0  # reading it is fine


# --- -o and the extension --------------------------------------------------------------
def test_run_output_never_overwrites_an_existing_file(demo: Path, tmp_path: Path, capsys):
    other = tmp_path / "其他.xlsx"
    other.write_bytes(b"the clerk's other file")
    dangling = tmp_path / "悬空.xlsx"
    dangling.symlink_to(tmp_path / "不存在.xlsx")
    for target in (other, dangling):
        assert main(["run", str(demo), "-o", str(target)]) == 2
        assert "文件已存在，pygk 不会覆盖它" in capsys.readouterr().err
    assert other.read_bytes() == b"the clerk's other file" and not (tmp_path / "不存在.xlsx").exists()


def test_output_created_by_someone_else_meanwhile_is_not_overwritten(demo: Path, tmp_path: Path, monkeypatch, capsys):
    """The check before the run is not enough: another program creates the file while pygk writes."""
    target = tmp_path / "结果.xlsx"
    real_fsync = os.fsync

    def fsync_then_someone_saves(handle: int) -> None:
        real_fsync(handle)
        if not target.exists():
            target.write_bytes(b"saved by someone else")

    monkeypatch.setattr(os, "fsync", fsync_then_someone_saves)
    assert main(["run", str(demo), "-o", str(target)]) == 2
    assert "文件已存在" in capsys.readouterr().err
    assert target.read_bytes() == b"saved by someone else" and leftovers(tmp_path) == []


@pytest.mark.parametrize("name", ["结果.xls", "结果.txt", "结果", "结果.xlsx.bak", "结果.xltx"])
def test_output_must_end_in_xlsx_or_xlsm(demo: Path, tmp_path: Path, name: str, capsys):
    assert main(["run", str(demo), "-o", str(tmp_path / name)]) == 2
    assert "请用 .xlsx（不含宏）或 .xlsm（含宏）" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["通报.xlsx"]


def with_ribbon_image(source: Path, target: Path) -> None:
    """The macro workbook with an icon on its ribbon (customUI -> image relationship), as Office writes one."""
    rels = (b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rIdIcon" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/image" Target="images/icon.png"/></Relationships>')  # fmt: skip
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name in src.namelist():
            data = src.read(name)
            if name == "[Content_Types].xml":
                data = data.replace(b"<Default ", b'<Default Extension="png" ContentType="image/png"/><Default ', 1)
            out.writestr(name, data)
        out.writestr("customUI/_rels/customUI14.xml.rels", rels)
        out.writestr("customUI/images/icon.png", b"\x89PNG\r\n\x1a\n")


def test_macro_workbook_saved_as_xlsx_loses_vba_and_ribbon_and_opens(tmp_path: Path):
    source = tmp_path / "通报.xlsm"
    with_ribbon_image(MACRO_TEMPLATE, source)
    before = source.read_bytes()
    target = tmp_path / "结果.xlsx"
    assert main(["run", str(source), "-o", str(target)]) == 0
    assert source.read_bytes() == before
    result = parts(target)
    assert not [n for n in result if "vba" in n.lower() or n.startswith("customUI")]
    types = result["[Content_Types].xml"].decode()
    assert f'PartName="/xl/workbook.xml" ContentType="{CT_XLSX}"' in types
    assert "macroEnabled" not in types and "vbaProject" not in types
    assert b"ui/extensibility" not in result["_rels/.rels"]
    assert b"vbaProject" not in result["xl/_rels/workbook.xml.rels"]
    for override in types.split('PartName="/')[1:]:
        assert override.split('"')[0] in result  # no content type left for a removed part
    assert openpyxl.load_workbook(target)["附件1"]["A4"].value == "民政局"
    soffice = str(conftest.soffice())
    out = tmp_path / "csv"
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--norestore",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(out), str(target)],
                   capture_output=True, timeout=120, check=True)  # fmt: skip
    first, second = (out / "结果.csv").read_text(encoding="utf-8").splitlines()[:2]
    assert first.rstrip(",") == "项目,值,说明" and second.startswith("年份,2021,")


def test_plain_workbook_saved_as_xlsm_and_back(demo: Path, tmp_path: Path):
    macro, plain = tmp_path / "结果.xlsm", tmp_path / "再存.xlsx"
    assert main(["run", str(demo), "-o", str(macro)]) == 0
    assert f'PartName="/xl/workbook.xml" ContentType="{CT_XLSM}"'.encode() in parts(macro)["[Content_Types].xml"]
    assert "附件1" in openpyxl.load_workbook(macro, keep_vba=True).sheetnames
    assert main(["run", str(macro), "-o", str(plain)]) == 0
    types = parts(plain)["[Content_Types].xml"]
    assert f'PartName="/xl/workbook.xml" ContentType="{CT_XLSX}"'.encode() in types and b"macroEnabled" not in types


# --- two pygk at once -------------------------------------------------------------------
HOLDER = """
import sys, time
from pathlib import Path
from pygk.adapters import locking
with locking.holding(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(60)
"""


def test_a_second_pygk_waits_then_refuses_and_a_dead_holder_blocks_nobody(demo: Path, tmp_path: Path,
                                                                          monkeypatch, capsys):  # fmt: skip
    from pygk.adapters import locking

    monkeypatch.setattr(locking, "LOCK_WAIT_SECONDS", 0.5)
    old = october(tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(demo)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        before = demo.read_bytes()
        for argv in (["run", str(demo)], ["history", "add", str(old), "--into", str(demo), *OCTOBER_ARGS],
                     ["bulletin", str(demo)]):  # fmt: skip
            started = time.monotonic()
            assert main(argv) == 2, argv
            assert time.monotonic() - started >= 0.5
            err = capsys.readouterr().err
            assert f"另一个 pygk 正在处理这个工作簿（锁文件“.~pygk-{demo.name}.lock”）" in err
        assert demo.read_bytes() == before and not list(tmp_path.glob("*.docx"))
    finally:
        holder.kill()
        holder.wait()
    assert (tmp_path / f".~pygk-{demo.name}.lock").exists()  # left behind by the killed holder
    assert main(["run", str(demo)]) == 0
    assert leftovers(tmp_path) == []


def has_open(process: subprocess.Popen, path: Path) -> bool:
    """True once the process has the file open (Linux /proc; elsewhere assume it has)."""
    folder = Path(f"/proc/{process.pid}/fd")
    if not Path("/proc/self/fd").is_dir():
        return True
    try:
        return any(os.path.realpath(fd) == str(path) for fd in folder.iterdir())
    except OSError:
        return process.poll() is not None


def test_run_racing_history_add_both_succeed_and_neither_change_is_lost(tmp_path: Path):
    """The import starts once the run has read the workbook, so without a lock one rename drops the other's work."""
    book = make_workbook(tmp_path / "通报.xlsx", 10000)
    old = october(tmp_path, "第1组")
    command = [sys.executable, "-m", "pygk.cli"]
    run = subprocess.Popen([*command, "run", str(book)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while run.poll() is None and not has_open(run, book):
        time.sleep(0.001)
    add = subprocess.Popen([*command, "history", "add", str(old), "--into", str(book), *OCTOBER_ARGS],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    results = [p.communicate(timeout=60) for p in (run, add)]
    assert [run.returncode, add.returncode] == [0, 0], results
    result = openpyxl.load_workbook(book, read_only=True)
    assert "附件1" in result.sheetnames  # the run's work
    months = {row[0] for row in result["历史"].iter_rows(min_row=2, min_col=2, max_col=2, values_only=True)}
    assert months == {10, 11}  # the import (10) and the run's own month (11)
    assert leftovers(tmp_path) == []


# --- kills, leftovers, Ctrl+C ----------------------------------------------------------------
LIVE_WRITER = """
import sys, time
from pathlib import Path
from pygk.adapters import files
with files.atomic_file(Path(sys.argv[1])) as out:
    out.write(b"half")
    print("writing", flush=True)
    time.sleep(60)
"""


def test_temp_file_of_a_killed_run_is_cleaned_but_a_live_one_is_kept(tmp_path: Path):
    """A real SIGKILL while the temporary file is being written; a live writer's temporary file next to it."""
    book = make_workbook(tmp_path / "大.xlsx", 5000)
    original = book.read_bytes()
    for _ in range(10):
        process = subprocess.Popen([sys.executable, "-m", "pygk.cli", "run", str(book)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        while process.poll() is None and not list(tmp_path.glob(".~pygk-*.tmp")):
            time.sleep(0.001)
        process.send_signal(signal.SIGKILL)
        process.wait()
        if list(tmp_path.glob(".~pygk-*.tmp")):
            break
        book.write_bytes(original)  # it finished before the kill; try again
    else:
        pytest.fail("never caught pygk writing its temporary file")
    assert book.read_bytes() == original
    stale = list(tmp_path.glob(".~pygk-*.tmp"))
    live = subprocess.Popen([sys.executable, "-c", LIVE_WRITER, str(tmp_path / "别的.docx")],
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert live.stdout.readline().strip() == "writing"
        live_temp = set(tmp_path.glob(".~pygk-*.tmp")) - set(stale)
        assert len(live_temp) == 1
        assert main(["run", str(book)]) == 0
        assert set(tmp_path.glob(".~pygk-*.tmp")) == live_temp
    finally:
        live.kill()
        live.wait()
    assert "附件1" in openpyxl.load_workbook(book, read_only=True).sheetnames
    assert main(["check", str(book)]) == 0 and len(list(tmp_path.glob(".~pygk-*.tmp"))) == 1  # check writes nothing
    assert main(["run", str(book)]) == 0 and leftovers(tmp_path) == []


def test_ctrl_c_prints_one_chinese_line_exits_130_and_changes_nothing(tmp_path: Path):
    book = make_workbook(tmp_path / "大.xlsx", 5000)
    original = book.read_bytes()
    lock = tmp_path / f".~pygk-{book.name}.lock"
    process = subprocess.Popen([sys.executable, "-m", "pygk.cli", "run", str(book)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    while process.poll() is None and not lock.exists():  # it is inside the run: locked, reading
        time.sleep(0.001)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert err == texts.MSG_INTERRUPTED + "\n" and out == ""
    assert book.read_bytes() == original and leftovers(tmp_path) == []


def test_ctrl_c_after_the_write_says_the_file_was_written(demo: Path, monkeypatch):
    said: list[str] = []

    def interrupted_once(text: str, stream=None) -> None:
        if not said:
            said.append("(interrupted)")
            raise KeyboardInterrupt  # Ctrl+C while "完成：已写入" is printed
        said.append(text)

    monkeypatch.setattr(cli, "say", interrupted_once)
    assert main(["run", str(demo)]) == 130
    assert said == ["(interrupted)", texts.MSG_INTERRUPTED_AFTER_WRITE.format(path=demo)]
    assert "附件1" in openpyxl.load_workbook(demo).sheetnames


# --- after the write ---------------------------------------------------------------------
def test_console_that_cannot_show_chinese_does_not_turn_success_into_failure(demo: Path):
    """Wine's console raised UnicodeEncodeError printing Chinese after the workbook had been written."""
    result = pygk("run", str(demo), env={**os.environ, "PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    assert "??" in result.stdout and "未作任何修改" not in result.stderr
    assert "附件1" in openpyxl.load_workbook(demo).sheetnames


@pytest.mark.parametrize("failure, status, heading", [
    (RuntimeError("after the save"), 3, "但之后发生意外错误"),
    (InputError([Problem("甲"), Problem("乙")]), 1, "但之后发现 2 处问题"),
    (OSError(errno.EIO, "I/O error"), 2, "但之后发现 1 处问题"),
])  # fmt: skip
def test_failure_after_the_write_never_claims_the_workbook_is_unchanged(demo: Path, monkeypatch, capsys,
                                                                        failure, status, heading):  # fmt: skip
    real_run = adapter.run

    def run_then_fail(*args, **kwargs):
        real_run(*args, **kwargs)
        raise failure

    monkeypatch.setattr(adapter, "run", run_then_fail)
    assert main(["run", str(demo)]) == status
    err = capsys.readouterr().err
    assert f"“{demo}”已完整写入，{heading}" in err and "未作任何修改" not in err
    assert "附件1" in openpyxl.load_workbook(demo).sheetnames


# --- failing file systems ----------------------------------------------------------------------
class FullDisk(io.FileIO):
    """A temporary file on a disk that fills up after 4 KB."""

    def write(self, data) -> int:
        if self.tell() + len(data) > 4096:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return super().write(data)


def fail_with(code: int):
    def failing(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    return failing


@pytest.mark.parametrize("fault, cause", [
    ("write", "磁盘空间不足"), ("fsync", "读写磁盘时出错"), ("rename", "没有权限，或文件正被其他程序使用"),
])  # fmt: skip
def test_failing_write_fsync_or_rename_changes_nothing(demo: Path, tmp_path: Path, monkeypatch, capsys,
                                                       fault: str, cause: str):  # fmt: skip
    before = demo.read_bytes()
    if fault == "write":
        monkeypatch.setattr(os, "fdopen", lambda handle, mode: io.BufferedWriter(FullDisk(handle, "wb")))
    elif fault == "fsync":
        monkeypatch.setattr(os, "fsync", fail_with(errno.EIO))
    else:
        monkeypatch.setattr(os, "replace", fail_with(errno.EACCES))  # as Windows says when Excel holds the file
    assert main(["run", str(demo)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"文件“{demo}”：无法写入：{cause}，原文件保持不变。请") and "Error" not in err
    assert demo.read_bytes() == before and leftovers(tmp_path) == []


@pytest.mark.skipif(not IS_ROOT or sys.platform != "linux", reason="mounting a small disk needs root on Linux")
def test_a_really_full_disk_changes_nothing(demo: Path, tmp_path: Path, capsys):
    disk = tmp_path / "U盘"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        book = disk / "通报.xlsx"
        shutil.copyfile(demo, book)
        before = book.read_bytes()
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        (disk / "占位").write_bytes(b"\0" * (free - 8192))
        assert main(["run", str(book)]) == 2
        assert "无法写入：磁盘空间不足，原文件保持不变。请清理磁盘" in capsys.readouterr().err
        assert book.read_bytes() == before and leftovers(disk) == []
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def test_unreadable_workbook_is_named_in_chinese(demo: Path, tmp_path: Path, monkeypatch, capsys):
    """Permission denied reading (root reads anything, so the denial is injected into open)."""
    real_open, real_io_open = builtins.open, io.open

    def guarded(opener):
        def open_(file, *args, **kwargs):
            if isinstance(file, (str, os.PathLike)) and os.path.realpath(file) == os.path.realpath(demo):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(file))
            return opener(file, *args, **kwargs)

        return open_

    monkeypatch.setattr(builtins, "open", guarded(real_open))
    monkeypatch.setattr(io, "open", guarded(real_io_open))
    for argv in (["check", str(demo)], ["run", str(demo), "-o", str(tmp_path / "结果.xlsx")], ["run", str(demo)]):
        assert main(argv) == 2
        err = capsys.readouterr().err.strip()
        cause, advice = texts.OS_CAUSES["EACCES"]
        assert err == f"文件“{demo}”：无法读取：{cause}。{advice}"
        assert cause == "没有权限，或文件正被其他程序使用"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["通报.xlsx"]


def test_long_file_names(demo: Path, tmp_path: Path, capsys):
    """A name at the 255-byte limit works (pygk's lock and Excel's lock names would be longer); past it, a message."""
    longest = tmp_path / ("长" * 83 + ".xlsx")  # 254 bytes
    shutil.copyfile(demo, longest)
    assert main(["run", str(longest)]) == 0
    assert "附件1" in openpyxl.load_workbook(longest).sheetnames and leftovers(tmp_path) == []
    too_long = tmp_path / ("长" * 90 + ".xlsx")
    for argv in (["run", str(demo), "-o", str(too_long)], ["run", str(too_long)]):
        assert main(argv) == 2
        assert "文件名或路径太长。请改用较短的文件名" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([demo.name, longest.name])
