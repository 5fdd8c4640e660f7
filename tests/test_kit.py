"""The clerk's kit (tools/build_kit.py): complete for Windows, reproducible, and really run under Wine.

One slow test on a kit built once per session (downloads cached in $PYGK_KIT_CACHE or ~/.cache/pygk-kit), and
fast tests of what the batch files run (pygk.kit) on this machine.
"""

from __future__ import annotations

import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from email.parser import Parser
from pathlib import Path

import openpyxl
import pytest
from build_kit import DROP_CMD, FOLDER, INSTALL_CMD, PLATFORM, build, cache_folder
from conftest import ROOT, TEMPLATE
from packaging.requirements import Requirement
from packaging.version import Version

from pygk import kit
from pygk.cli import main as pygk_main
from pygk.core import texts

WINDOWS = {"os_name": "nt", "sys_platform": "win32", "platform_system": "Windows", "platform_machine": "AMD64",
           "python_version": "3.12", "python_full_version": "3.12.9", "implementation_name": "cpython",
           "platform_python_implementation": "CPython", "platform_release": "10", "platform_version": "10.0",
           "implementation_version": "3.12.9", "extra": ""}  # fmt: skip
ANNEXES = ("附件1", "附件2")


@pytest.fixture(scope="session")
def kit_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The kit, built once for the session from the download cache ($PYGK_KIT_ZIP: the one .ci/run just built)."""
    prebuilt = os.environ.get("PYGK_KIT_ZIP")
    if prebuilt:
        return Path(prebuilt)
    return build(tmp_path_factory.mktemp("kit") / "pygk-windows-x64.zip", cache_folder())


@pytest.fixture(scope="session")
def wine_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str] | None]:
    """The environment to run Wine in, with a throw-away prefix of its own; None without Wine. wineboot makes the
    prefix in the background (seconds) while the kit is built; `_booted` waits for it."""
    if shutil.which("wine") is None:
        yield None
        return
    folder = tmp_path_factory.mktemp("wine")
    home = folder / "home"
    home.mkdir()
    env = {**os.environ, "WINEPREFIX": str(folder / "wineprefix"), "WINEDEBUG": "-all", "HOME": str(home),
           "WINEDLLOVERRIDES": "mscoree,mshtml="}  # fmt: skip
    env.pop("PYTHONIOENCODING", None)
    # A clerk's Windows writes bytecode beside the kit's modules on the first run and reuses it; so does Wine here,
    # whatever this machine's environment says (each python.exe start would otherwise compile pandas again).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    boot = subprocess.Popen(["wine", "wineboot", "--init"], env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    _BOOTING[env["WINEPREFIX"]] = boot
    yield env
    boot.wait(timeout=600)


_BOOTING: dict[str, subprocess.Popen[bytes]] = {}


def _booted(env: dict[str, str]) -> None:
    """Wait until wineboot has made the prefix."""
    assert _BOOTING[env["WINEPREFIX"]].wait(timeout=600) == 0


def _distributions(site: Path) -> dict[str, tuple[Version, list[str]]]:
    """Every distribution unpacked in the kit: name -> (version, its Requires-Dist lines)."""
    found = {}
    for metadata in site.glob("*.dist-info/METADATA"):
        message = Parser().parsestr(metadata.read_text(encoding="utf-8"))
        name = message["Name"].lower().replace("_", "-")
        found[name] = (Version(message["Version"]), message.get_all("Requires-Dist") or [])
    return found


def _unmet_on_windows(site: Path) -> list[str]:
    """Requirements that apply on Windows (markers evaluated for win_amd64, CPython 3.12) and the kit does not meet."""
    dists = _distributions(site)
    unmet = []
    for name, (_, requires) in sorted(dists.items()):
        for line in requires:
            requirement = Requirement(line)
            if requirement.marker is not None and not requirement.marker.evaluate(WINDOWS):
                continue
            have = dists.get(requirement.name.lower().replace("_", "-"))
            if have is None or not requirement.specifier.contains(have[0], prereleases=True):
                unmet.append(f"{name} needs {line}")
    return unmet


def _wine_path(path: Path) -> str:
    return "Z:" + str(path).replace("/", "\\")


def _wine(env: dict[str, str], *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """A Windows program under Wine, with no standard input (Wine's Python needs a valid handle there)."""
    return subprocess.run(["wine", *args], env=env, stdin=subprocess.DEVNULL, capture_output=True, cwd=cwd,
                          timeout=600)  # fmt: skip


def _sheet_parts(book: Path) -> dict[str, bytes]:
    """Annex sheet name -> its worksheet XML, found through the workbook's relationships."""
    from lxml import etree

    with zipfile.ZipFile(book) as archive:
        workbook = etree.fromstring(archive.read("xl/workbook.xml"))
        rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
        parts = {}
        for sheet in workbook.iter("{*}sheet"):
            if sheet.get("name") in ANNEXES:
                target = targets[sheet.get(rid)].lstrip("/")
                parts[sheet.get("name")] = archive.read(target if target.startswith("xl/") else f"xl/{target}")
        return parts


@pytest.mark.first  # the slowest test: started before the others (tests/conftest.py)
def test_the_kit_is_complete_reproducible_and_runs_pygk_under_wine(
    wine_env: dict[str, str] | None, kit_zip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    # What is in the zip: one folder; the batch files ASCII with CRLF; the ._pth enables site-packages.
    with zipfile.ZipFile(kit_zip) as archive:
        names = archive.namelist()
        assert names == sorted(names) and all(name.startswith(f"{FOLDER}/") for name in names)
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        for script in (INSTALL_CMD, DROP_CMD):
            text = archive.read(f"{FOLDER}/{script}")
            text.decode("ascii")
            assert b"\n" not in text.replace(b"\r\n", b"") and b"-m pygk.kit " in text
        pth = archive.read(f"{FOLDER}/python/python312._pth").decode("ascii").split("\r\n")
        assert "Lib\\site-packages" in pth and "import site" in pth
        assert archive.read(f"{FOLDER}/政务公开通报.xlsm") == (ROOT / "workbook" / "政务公开通报.xlsm").read_bytes()
        archive.extractall(tmp_path)
    root = tmp_path / FOLDER
    python = root / "python"
    site = python / "Lib" / "site-packages"
    assert (python / "xlwings64-0.37.8.dll").is_file()  # where xlwings' VBA loads it: beside the interpreter

    # Complete for Windows: every requirement that applies on Windows is met inside the kit (pywin32 included, which
    # pip on Linux skips), and pip finds every distribution for win_amd64 in the download cache with no index.
    assert _unmet_on_windows(site) == []
    dists = _distributions(site)
    assert {"pygk", "pywin32", "numpy", "pandas", "lxml", "openpyxl", "xlwings", "python-docx"} <= set(dists)
    assert str(dists["numpy"][0]) == "1.26.4" and str(dists["pandas"][0]) == "2.2.3"
    wanted = [f"{name}=={version}" for name, (version, _) in dists.items() if name != "pygk"]
    wanted += [line for line in dists["pygk"][1] if "extra ==" not in line]
    resolved = subprocess.run([sys.executable, "-m", "pip", "--isolated", "install", "--dry-run", "--ignore-installed",
                               "--target", str(tmp_path / "unused"), "--no-index", "--find-links", str(cache_folder()),
                               *PLATFORM, *wanted], capture_output=True, text=True)  # fmt: skip
    assert resolved.returncode == 0, resolved.stderr

    # The size the README states (developer section), within a megabyte.
    stated = re.search(r"dist/pygk-windows-x64\.zip: ([\d.]+) MB", (ROOT / "README.md").read_text(encoding="utf-8"))
    assert stated and abs(float(stated.group(1)) - kit_zip.stat().st_size / 1e6) < 1, "update the size in README.md"

    # Reproducible and offline: a second build, with every package index unreachable (a closed port on this
    # machine), gives the same bytes from the cache alone. It runs beside the Wine checks below (pip and zlib in
    # one thread, Wine in another) and is compared at the end.
    for key, value in {"PIP_CONFIG_FILE": os.devnull, "PIP_INDEX_URL": "http://127.0.0.1:9/simple",
                       "PIP_EXTRA_INDEX_URL": "", "PIP_FIND_LINKS": "", "PIP_RETRIES": "0"}.items():  # fmt: skip
        monkeypatch.setenv(key, value)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        again = pool.submit(build, tmp_path / "again.zip", cache_folder())
        if wine_env is not None:
            _run_the_kit_under_wine(wine_env, root, tmp_path)
        rebuilt = again.result()
    assert rebuilt.read_bytes() == kit_zip.read_bytes()
    if wine_env is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Wine (see .ci/run)")
        pytest.skip("Wine is not installed here: the kit was checked for completeness and reproducibility only")


def _run_the_kit_under_wine(env: dict[str, str], root: Path, tmp_path: Path) -> None:
    """The extracted kit under Wine: pygk on the demo, the imports a ribbon click needs, both batch files."""
    home = Path(env["HOME"])
    python = root / "python"
    exe = str(python / "python.exe")

    # One python.exe start (each costs seconds under Wine): first what a ribbon click and the live adapter import
    # under Windows (xlwings with pywin32's COM modules), then pygk's __main__ as `-m pygk` runs it (runpy), on the
    # demo. Wine's console code page (1252) cannot show Chinese: exit 0 all the same, and the annex sheets are
    # byte for byte the Linux run's.
    demo, linux = tmp_path / "demo.xlsx", tmp_path / "linux.xlsx"
    shutil.copyfile(TEMPLATE, demo)
    assert pygk_main(["run", str(demo), "-o", str(linux)]) == 0
    windows = tmp_path / "wine.xlsx"
    _booted(env)
    code = ("import runpy, xlwings, pythoncom, win32api, pygk.excel, pygk.adapters.live; print(xlwings.__version__); "
            "runpy.run_module('pygk', run_name='__main__', alter_sys=True)")  # fmt: skip
    ran = _wine(env, exe, "-c", code, "run", _wine_path(demo), "-o", _wine_path(windows))
    assert ran.returncode == 0, ran.stderr.decode("latin-1")
    assert ran.stdout.splitlines()[0].strip() == b"0.37.8"
    assert _wine_path(windows).encode() in ran.stdout and b"?" in ran.stdout  # the path, and Chinese as '?'
    assert set(_sheet_parts(linux)) == set(ANNEXES)
    assert _sheet_parts(windows) == _sheet_parts(linux)
    assert openpyxl.load_workbook(windows)["附件1"]["A4"].value == "民政局"

    # 拖入工作簿生成通报.cmd, run by Wine's cmd.exe on a dropped workbook: it updates the workbook and writes the
    # Word bulletin. The batch text is ASCII; the Chinese comes from Python (UTF-8 here, so it can be read back).
    dropped = tmp_path / "拖入" / "十一月 通报.xlsx"
    dropped.parent.mkdir()
    shutil.copyfile(TEMPLATE, dropped)
    drop = _wine({**env, "PYTHONIOENCODING": "utf-8"}, "cmd", "/c", _wine_path(root / DROP_CMD), _wine_path(dropped))
    said = drop.stdout.decode("utf-8", errors="replace")
    assert drop.returncode == 0, said + drop.stderr.decode("utf-8", errors="replace")
    assert texts.KIT_DROP_OK in said and "表现较差的有：统计局、社保中心和商城街道。" in said
    assert openpyxl.load_workbook(dropped)["附件2"]["A4"].value is not None
    assert [p.suffix for p in dropped.parent.glob("*.docx")] == [".docx"]

    # 安装.cmd opened from inside the zip (only that file extracted, no kit installed yet): exit 2, no hang. The
    # Chinese message box it asks mshta for is not shown here: Wine's mshta.exe is a stub.
    alone = tmp_path / "只有这个文件"
    alone.mkdir()
    shutil.copyfile(root / INSTALL_CMD, alone / INSTALL_CMD)
    assert _wine(env, "cmd", "/c", _wine_path(alone / INSTALL_CMD)).returncode == 2

    # 安装.cmd: the kit into %LOCALAPPDATA%\pygk, the interpreter in xlwings' config, the workbook on the desktop.
    installed = _wine({**env, "PYTHONIOENCODING": "utf-8"}, "cmd", "/c", _wine_path(root / INSTALL_CMD))
    said = installed.stdout.decode("utf-8", errors="replace")
    assert installed.returncode == 0, said + installed.stderr.decode("utf-8", errors="replace")
    users = Path(env["WINEPREFIX"]) / "drive_c" / "users"
    [target] = list(users.glob("*/AppData/Local/pygk"))
    assert (target / "python" / "python.exe").read_bytes() == (python / "python.exe").read_bytes()
    config = (target.parent.parent.parent / ".xlwings" / "xlwings.conf").read_text(encoding="utf-8").strip()
    assert config.startswith('"INTERPRETER_WIN","C:\\') and config.endswith('pygk\\python\\pythonw.exe"')
    desktops = list(users.glob("*/Desktop/政务公开通报.xlsm")) + list(home.glob("Desktop/政务公开通报.xlsm"))
    assert len(desktops) == 1 and texts.KIT_INSTALLED.split("\n")[0] in said


def test_install_copies_the_kit_configures_excel_and_keeps_the_clerks_files(tmp_path: Path):
    """pygk.kit's install on this machine: a second install replaces its own kit, never a folder it did not make,
    and a different file on the desktop under the workbook's name is kept (the copy gets a free name)."""
    source = tmp_path / "解压" / FOLDER
    (source / "python").mkdir(parents=True)
    (source / "python" / "python.exe").write_bytes(b"exe")
    (source / kit.MARKER).write_text("kit", encoding="ascii")
    (source / kit.WORKBOOK).write_bytes(b"book")
    (source / kit.DROP_CMD).write_bytes(b"@echo off\r\n")
    local, desk, config = tmp_path / "Local", tmp_path / "Desktop", tmp_path / ".xlwings" / "xlwings.conf"
    desk.mkdir()
    (desk / kit.WORKBOOK).write_bytes(b"the clerk's own")
    assert kit.install(source, local, desk, config) == 0
    assert (local / "pygk" / "python" / "python.exe").read_bytes() == b"exe"
    interpreter = local / "pygk" / "python" / "python.exe"
    assert config.read_text(encoding="utf-8").strip() == f'"INTERPRETER_WIN","{interpreter}"'
    assert (desk / kit.WORKBOOK).read_bytes() == b"the clerk's own"
    assert (desk / "政务公开通报（2）.xlsm").read_bytes() == b"book"
    (source / "python" / "python.exe").write_bytes(b"new exe")
    assert kit.install(source, local, desk, config) == 0
    assert (local / "pygk" / "python" / "python.exe").read_bytes() == b"new exe"
    assert sorted(p.name for p in desk.iterdir()) == sorted([kit.WORKBOOK, "政务公开通报（2）.xlsm", kit.DROP_CMD])
    assert sorted(p.name for p in local.iterdir()) == ["pygk"]
    shutil.rmtree(local / "pygk")
    (local / "pygk").mkdir()
    (local / "pygk" / "notes.txt").write_text("mine", encoding="utf-8")
    assert kit.install(source, local, desk, config) == 2
    assert [p.name for p in (local / "pygk").iterdir()] == ["notes.txt"]


def test_drop_without_a_workbook_says_what_to_do(capsys: pytest.CaptureFixture[str]):
    assert kit.main(["drop"]) == 2
    captured = capsys.readouterr()
    assert texts.KIT_DROP_NOTHING in captured.err and texts.KIT_PRESS_A_KEY in captured.out


def test_the_config_file_is_the_one_xlwings_reads():
    import xlwings

    assert kit.xlwings_config() == Path(xlwings.USER_CONFIG_FILE)


def test_install_refuses_a_folder_that_is_not_a_kit_and_side_folders_it_did_not_make(tmp_path: Path):
    """Install copies only a kit (its marker file), and removes pygk.new / pygk.old only when they are kit copies."""
    source = tmp_path / "解压" / FOLDER
    (source / "python").mkdir(parents=True)
    (source / kit.WORKBOOK).write_bytes(b"book")
    (source / kit.DROP_CMD).write_bytes(b"@echo off\r\n")
    local, desk, config = tmp_path / "Local", tmp_path / "Desktop", tmp_path / ".xlwings" / "xlwings.conf"
    assert kit.install(source, local, desk, config) != 0  # no marker: not a kit
    assert not local.exists() and not config.exists() and not desk.exists()
    (source / kit.MARKER).write_text("kit", encoding="ascii")
    for side in ("pygk.new", "pygk.old"):
        clerks = local / side
        clerks.mkdir(parents=True)
        (clerks / "科员的.docx").write_bytes(b"mine")
        assert kit.install(source, local, desk, config) != 0
        assert (clerks / "科员的.docx").read_bytes() == b"mine" and not (local / "pygk").exists()
        (clerks / "科员的.docx").unlink()
        clerks.rmdir()
    assert kit.install(source, local, desk, config) == 0


def test_install_that_cannot_write_says_where_in_chinese(tmp_path: Path, capsys):
    """A desktop path that is a file (or a read-only folder): a located Chinese message and exit 2, no traceback."""
    source = tmp_path / "解压" / FOLDER
    (source / "python").mkdir(parents=True)
    (source / kit.MARKER).write_text("kit", encoding="ascii")
    (source / kit.WORKBOOK).write_bytes(b"book")
    (source / kit.DROP_CMD).write_bytes(b"@echo off\r\n")
    desk = tmp_path / "Desktop"
    desk.write_bytes(b"not a folder")
    status = kit.install(source, tmp_path / "Local", desk, tmp_path / ".xlwings" / "xlwings.conf")
    assert status == 2
    err = capsys.readouterr().err
    assert "安装没有完成：无法写入“" in err and "Desktop" in err and "Error" not in err


def _fake_kit(source: Path, exe: bytes, book: bytes) -> None:
    (source / "python").mkdir(parents=True, exist_ok=True)
    (source / "python" / "python.exe").write_bytes(exe)
    (source / kit.MARKER).write_text("kit", encoding="ascii")
    (source / kit.WORKBOOK).write_bytes(book)
    (source / kit.DROP_CMD).write_bytes(b"@echo off\r\n")


def _tree(folder: Path) -> dict[str, bytes | None]:
    """Every path under `folder` (relative) -> its bytes, None for a folder."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None) for p in folder.rglob("*")}


def test_install_is_all_or_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """A step that fails after others were done (the config's folder is a file; the desktop is a file; the
    desktop cannot be written, even by root): every step of this run is undone — no copied kit, no new config
    folder, the earlier kit and the clerk's config lines as they were — and the clerk is told so in Chinese."""
    source = tmp_path / "解压" / FOLDER
    _fake_kit(source, b"exe", b"book")
    local, desk, config = tmp_path / "Local", tmp_path / "Desktop", tmp_path / ".xlwings" / "xlwings.conf"

    # First install, the config's folder is a file: the kit was already copied and is removed again.
    config.parent.write_bytes(b"in the way")
    before = _tree(tmp_path)
    assert kit.install(source, local, desk, config) == 2
    err = capsys.readouterr().err
    assert f"安装没有完成：无法写入“{config.parent}" in err and texts.KIT_NOTHING_CHANGED in err
    assert _tree(tmp_path) == before and not local.exists() and not desk.exists()
    config.parent.unlink()

    # First install, the desktop is a file: the kit and the config written before it are taken back.
    desk.write_bytes(b"not a folder")
    before = _tree(tmp_path)
    assert kit.install(source, local, desk, config) == 2
    assert texts.KIT_NOTHING_CHANGED in capsys.readouterr().err
    assert _tree(tmp_path) == before and not config.parent.exists()
    desk.unlink()

    # An installed kit, the clerk's own line in the config; the new kit's workbook differs from the one on the
    # desktop, and the desktop is unwritable: the earlier kit stays in place, the config keeps its bytes.
    assert kit.install(source, local, desk, config) == 0
    config.write_text('"INTERPRETER_WIN","C:\\\\mine\\\\python.exe"\r\n"MY_SETTING","mine"\r\n', encoding="utf-8")
    _fake_kit(source, b"new exe", b"new book")
    before = _tree(tmp_path / "Local"), config.read_bytes(), _tree(desk)
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(desk)]).returncode != 0:
        pytest.skip("chattr +i is not available on this file system")
    try:
        assert kit.install(source, local, desk, config) == 2
    finally:
        subprocess.run(["chattr", "-i", str(desk)], check=True)
    err = capsys.readouterr().err
    assert f"无法写入“{desk / '政务公开通报（2）.xlsm'}”（没有权限）" in err and texts.KIT_NOTHING_CHANGED in err
    assert (_tree(tmp_path / "Local"), config.read_bytes(), _tree(desk)) == before
    assert (local / "pygk" / "python" / "python.exe").read_bytes() == b"exe"

    # The cause removed, the same install completes.
    assert kit.install(source, local, desk, config) == 0
    assert (local / "pygk" / "python" / "python.exe").read_bytes() == b"new exe"
    assert sorted(p.name for p in local.iterdir()) == ["pygk"]
    assert '"MY_SETTING","mine"' in config.read_text(encoding="utf-8")


def test_an_interrupted_installs_leftovers_come_back_when_the_next_install_fails(tmp_path: Path, capsys):
    """pygk.old (the earlier kit, the only copy after an interrupted install) and pygk.new are moved aside, not
    deleted: the install failing later puts them back; one that completes removes them."""
    source = tmp_path / "解压" / FOLDER
    _fake_kit(source, b"new exe", b"book")
    local, desk, config = tmp_path / "Local", tmp_path / "Desktop", tmp_path / ".xlwings" / "xlwings.conf"
    _fake_kit(local / "pygk.old", b"earlier exe", b"earlier book")
    _fake_kit(local / "pygk.new", b"half copied", b"half")
    desk.write_bytes(b"a file where the desktop folder should be")
    before = _tree(tmp_path)
    assert kit.install(source, local, desk, config) == 2
    assert texts.KIT_NOTHING_CHANGED in capsys.readouterr().err
    assert _tree(tmp_path) == before
    desk.unlink()
    assert kit.install(source, local, desk, config) == 0
    assert sorted(p.name for p in local.iterdir()) == ["pygk"]
    assert (local / "pygk" / "python" / "python.exe").read_bytes() == b"new exe"


def test_install_where_the_config_is_a_folder_changes_nothing_and_says_so(tmp_path: Path, capsys):
    """xlwings.conf is a folder of the clerk's: the install stops there, everything it did is undone, the folder is
    not reported as something pygk failed to restore, and the advice is not about workbooks."""
    source = tmp_path / "解压" / FOLDER
    _fake_kit(source, b"exe", b"book")
    local, desk, config = tmp_path / "Local", tmp_path / "Desktop", tmp_path / ".xlwings" / "xlwings.conf"
    (config / "科员的").mkdir(parents=True)
    before = _tree(tmp_path)
    assert kit.install(source, local, desk, config) == 2
    err = capsys.readouterr().err
    cause, advice = texts.OS_CAUSES["EISDIR"]
    assert f"无法写入“{config}”（{cause}）" in err and advice in err and texts.KIT_NOTHING_CHANGED in err
    assert "撤回" not in err.replace(texts.KIT_NOTHING_CHANGED, "") and "Traceback" not in err
    assert _tree(tmp_path) == before


def test_an_installed_kit_that_is_a_link_is_replaced_without_touching_what_it_links_to(tmp_path: Path, capsys):
    """Local/pygk is a symbolic link to a kit folder elsewhere: the install replaces the link, never empties the
    folder it points to, leaves no pygk.old behind, and the next install completes too."""
    source = tmp_path / "解压" / FOLDER
    _fake_kit(source, b"new exe", b"book")
    local, desk, config = tmp_path / "Local", tmp_path / "Desktop", tmp_path / ".xlwings" / "xlwings.conf"
    elsewhere = tmp_path / "D盘" / "pygk"
    _fake_kit(elsewhere, b"linked exe", b"linked book")
    local.mkdir()
    (local / "pygk").symlink_to(elsewhere, target_is_directory=True)
    linked = _tree(elsewhere)
    for _ in range(2):
        assert kit.install(source, local, desk, config) == 0, capsys.readouterr().err
        assert sorted(p.name for p in local.iterdir()) == ["pygk"] and not (local / "pygk").is_symlink()
        assert (local / "pygk" / "python" / "python.exe").read_bytes() == b"new exe"
    assert _tree(elsewhere) == linked
