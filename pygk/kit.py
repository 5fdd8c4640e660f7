"""What the clerk's kit's two batch files run (tools/build_kit.py builds the kit):

    python -m pygk.kit install        # 安装.cmd: kit to %LOCALAPPDATA%\\pygk, Excel told, workbook on the desktop
    python -m pygk.kit drop BOOK...   # 拖入工作簿生成通报.cmd: pygk run and pygk bulletin on each dropped book

Every word the clerk reads is printed from here (the batch files stay ASCII), then the batch file waits for a key.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from pygk.cli import EXIT_OK, EXIT_TEMPLATE, run_main, say
from pygk.cli import main as pygk_main
from pygk.core import texts

MARKER = "pygk-kit.txt"  # written by tools/build_kit.py at the kit's top
WORKBOOK = "政务公开通报.xlsm"
DROP_CMD = "拖入工作簿生成通报.cmd"
INSTALLED = "pygk"  # the folder under %LOCALAPPDATA%


def kit_root() -> Path:
    """The kit folder this Python belongs to: python.exe is in its python/ folder."""
    return Path(sys.executable).resolve().parent.parent


def desktop() -> Path:
    """The user's desktop (it may be redirected, e.g. to OneDrive, so Windows is asked)."""
    if sys.platform == "win32":
        import ctypes
        from ctypes import wintypes

        buffer = ctypes.create_unicode_buffer(wintypes.MAX_PATH)
        if ctypes.windll.shell32.SHGetFolderPathW(None, 0x0010, None, 0, buffer) == 0:  # CSIDL_DESKTOPDIRECTORY
            return Path(buffer.value)
    return Path.home() / "Desktop"


def _replace_folder(source: Path, target: Path) -> None:
    """Copy `source` to `target`, replacing an earlier kit there; a half copy never takes its place."""
    fresh = target.with_name(target.name + ".new")
    old = target.with_name(target.name + ".old")
    for leftover in (fresh, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    shutil.copytree(source, fresh)
    if target.exists():
        os.replace(target, old)
    os.replace(fresh, target)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def _place(source: Path, folder: Path) -> Path | None:
    """Copy a file into `folder` under a free name; None when the same file is already there (nothing written)."""
    from pygk.adapters.files import free_name

    existing = folder / source.name
    if existing.is_file() and existing.read_bytes() == source.read_bytes():
        return None
    target = free_name(existing)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def install(source: Path, local_app_data: Path, desktop_folder: Path, config: Path) -> int:
    """安装.cmd: copy the kit, write its interpreter into xlwings' config, put the workbook and the drop file on the
    desktop, and say what was done. Returns the exit status."""
    from pygk.excel_setup import setup_excel

    say(texts.KIT_INSTALLING)
    target = local_app_data / INSTALLED
    if target.exists() and not (target / MARKER).is_file():
        say(texts.KIT_NOT_OURS.format(folder=target), sys.stderr)
        return EXIT_TEMPLATE
    if target.resolve() != source.resolve():
        try:
            _replace_folder(source, target)
        except OSError as error:
            say(texts.KIT_COPY_FAILED.format(folder=target, reason=error.strerror or error), sys.stderr)
            return EXIT_TEMPLATE
    say(texts.KIT_COPIED.format(folder=target))
    interpreter = setup_excel(config, "win32", target / "python" / "python.exe")
    say(texts.KIT_CONFIGURED.format(interpreter=interpreter, config=config))
    for name in (WORKBOOK, DROP_CMD):
        placed = _place(target / name, desktop_folder)
        same = placed is None
        say(texts.KIT_DESKTOP_SAME.format(name=name) if same else texts.KIT_DESKTOP.format(name=name, path=placed))
    say(texts.KIT_INSTALLED)
    return EXIT_OK


def drop(books: Sequence[str]) -> int:
    """拖入工作簿生成通报.cmd: `pygk run` then `pygk bulletin` on every dropped workbook; the worst status."""
    if not books:
        say(texts.KIT_DROP_NOTHING, sys.stderr)
        return EXIT_TEMPLATE
    worst = EXIT_OK
    for book in books:
        say(texts.KIT_DROP_BOOK.format(book=book))
        status = pygk_main(["run", book])
        if status == EXIT_OK:
            status = pygk_main(["bulletin", book])
        worst = max(worst, status)
    say(texts.KIT_DROP_OK if worst == EXIT_OK else texts.KIT_DROP_FAILED)
    return worst


def xlwings_config() -> Path:
    """xlwings' user config file (~/.xlwings/xlwings.conf), where its VBA reads the interpreter."""
    return Path.home() / ".xlwings" / "xlwings.conf"


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m pygk.kit install|drop …`; ends by asking for a key (the batch file then waits for it)."""
    args = list(sys.argv[1:] if argv is None else argv)
    command, rest = (args[0], args[1:]) if args else ("", [])
    if command == "install":
        local = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        status = install(kit_root(), local, desktop(), xlwings_config())
    elif command == "drop":
        status = drop(rest)
    else:
        say(texts.KIT_DROP_NOTHING, sys.stderr)
        status = EXIT_TEMPLATE
    say(texts.KIT_PRESS_A_KEY)
    return status


if __name__ == "__main__":
    run_main(main)
