"""What the clerk's kit's batch files and the ribbon's buttons without xlwings run (tools/build_kit.py builds the kit):

    python -m pygk.kit install        # 安装.cmd: kit to %LOCALAPPDATA%\\pygk, Excel told, workbook on the desktop
    python -m pygk.kit drop BOOK...   # 拖入工作簿生成通报.cmd: pygk run and pygk bulletin on each dropped book
    python -m pygk.kit capture RESULT ARGS...       # a button that only reads: `pygk ARGS`, its words into RESULT
    pythonw -m pygk.kit after-close BOOK ARGS...    # a button that writes: once BOOK is closed, `pygk ARGS`,
                                                    # BOOK reopened, the result in a message box

Every word the clerk reads comes from here or from pygk's CLI (the batch files and the VBA stay ASCII). A button
that writes hands over to a separate process because Excel and WPS keep an open workbook's file locked and VBA
stops when its workbook closes: the VBA checks the data (waiting), starts `after-close` and closes the workbook.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from pygk.adapters.changes import Changes
from pygk.cli import EXIT_OK, EXIT_TEMPLATE, run_main, say
from pygk.cli import main as pygk_main
from pygk.core import texts

MARKER = "pygk-kit.txt"  # at the kit's top (tools/build_kit.py): tells install a folder is a kit it may replace
INSTALL_CMD, DROP_CMD, WORKBOOK = texts.KIT_INSTALL_FILE, texts.KIT_DROP_FILE, texts.KIT_WORKBOOK_FILE
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


def _side_folders(target: Path) -> tuple[Path, Path]:
    """Where a new copy is made and where the earlier kit waits while the new one takes its place."""
    return target.with_name(target.name + ".new"), target.with_name(target.name + ".old")


def _place(source: Path, folder: Path, changes: Changes) -> Path | None:
    """Copy a file into `folder` under a free name; None when the same file is already there under its name or
    one of the free names an earlier install gave it (nothing written)."""
    from pygk.adapters.files import free_name

    data = source.read_bytes()
    candidate, number = folder / source.name, 1
    while candidate.is_file():
        if candidate.read_bytes() == data:
            return None
        number += 1
        candidate = folder / f"{source.stem}（{number}）{source.suffix}"
    changes.make_folders(folder)
    target = free_name(folder / source.name)
    changes.copy_new(source, target)
    return target


def _install_steps(source: Path, target: Path, desktop_folder: Path, config: Path, changes: Changes,
                   replaced: list[Path]) -> list[str]:  # fmt: skip
    """Every step of an install, each recorded in `changes`; what to tell the clerk once all of them are done.

    The kit is copied to `target`.new (staged), then takes `target`'s place, the earlier kit waiting as
    `target`.old until the install is complete. Leftovers of an interrupted earlier install (kit copies, checked
    by their marker; a `.old` may be the only copy of the earlier kit) are moved aside first, not deleted: a roll
    back puts them back. What is to be deleted once the install is complete is added to `replaced`.
    """
    from pygk.adapters.files import free_name
    from pygk.excel_setup import setup_excel

    said = []
    if target.resolve() != source.resolve():
        fresh, old = _side_folders(target)
        for leftover in (fresh, old):
            if os.path.lexists(leftover):
                aside = free_name(leftover.with_name(leftover.name + ".trash"))
                changes.move(leftover, aside)
                replaced.append(aside)
        changes.make_folders(target.parent)
        changes.copy_tree(source, fresh)
        if target.exists():
            changes.move(target, old)
            replaced.append(old)
        changes.move(fresh, target)
        said.append(texts.KIT_COPIED.format(folder=target))
    changes.make_folders(config.parent)
    changes.keep(config)
    interpreter = setup_excel(config, "win32", target / "python" / "python.exe")
    said.append(texts.KIT_CONFIGURED.format(interpreter=interpreter, config=config))
    for name in (WORKBOOK, DROP_CMD):
        placed = _place(target / name, desktop_folder, changes)
        said.append(texts.KIT_DESKTOP_SAME.format(name=name) if placed is None else
                    texts.KIT_DESKTOP.format(name=name, path=placed))  # fmt: skip
    return said


def install(source: Path, local_app_data: Path, desktop_folder: Path, config: Path) -> int:
    """安装.cmd: copy the kit, write its interpreter into xlwings' config, put the workbook and the drop file on the
    desktop, and say what was done. All or nothing: when a step fails, every earlier step of this run is undone
    (the earlier kit back in its place, the config's earlier bytes, no new desktop file). Returns the exit status."""
    from pygk.adapters.files import os_cause

    say(texts.KIT_INSTALLING)
    if not (source / MARKER).is_file():
        say(texts.KIT_NOT_A_KIT.format(folder=source), sys.stderr)
        return EXIT_TEMPLATE
    target = local_app_data / INSTALLED
    for folder in (target, *_side_folders(target)):  # replaced or removed below: only when pygk made them
        if folder.exists() and not (folder / MARKER).is_file():
            say(texts.KIT_NOT_OURS.format(folder=folder), sys.stderr)
            return EXIT_TEMPLATE
    changes, replaced = Changes(), list[Path]()
    try:
        said = _install_steps(source, target, desktop_folder, config, changes, replaced)
    except BaseException as error:  # a read-only folder, a file where a folder should be, a full disk, Ctrl+C …
        left = changes.roll_back()
        if not isinstance(error, OSError):
            raise
        cause, advice = os_cause(error)
        where = error.filename if error.filename else target
        say(texts.KIT_INSTALL_FAILED.format(path=where, cause=cause, advice=advice), sys.stderr)
        for path, problem in left:
            cause, advice = os_cause(problem)
            say(texts.KIT_UNDO_FAILED.format(path=path, cause=cause, advice=advice), sys.stderr)
        if not left:
            say(texts.KIT_NOTHING_CHANGED, sys.stderr)
        return EXIT_TEMPLATE
    for folder in replaced:  # the earlier kit and an interrupted install's leftovers, now replaced
        if folder.is_symlink():
            folder.unlink()
        else:
            shutil.rmtree(folder, ignore_errors=True)
    for line in said:
        say(line)
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


def captured(args: Sequence[str]) -> tuple[int, str]:
    """`pygk ARGS` in this process; its exit status and everything it said."""
    words = io.StringIO()
    with contextlib.redirect_stdout(words), contextlib.redirect_stderr(words):
        try:
            status = pygk_main(list(args))
        except SystemExit as stop:  # argparse's --version and --help
            status = stop.code if isinstance(stop.code, int) else EXIT_OK
    return status, words.getvalue().strip()


def capture(result: Path, args: Sequence[str]) -> int:
    """A read-only button: `pygk ARGS`, what it said written to `result` (UTF-8, for the VBA's message box).

    `result` is created before pygk runs and never replaced: when it exists already, or cannot be created, a
    located message and exit 2, and the command does not run (the VBA picks a name no file has)."""
    from pygk.adapters.files import os_cause

    try:
        answer = open(result, "x", encoding="utf-8", errors="replace")  # a lone surrogate of a path: "?"
    except FileExistsError:
        say(texts.KIT_ANSWER_EXISTS.format(path=result), sys.stderr)
        return EXIT_TEMPLATE
    except OSError as error:
        cause, advice = os_cause(error)
        say(texts.KIT_ANSWER_FAILED.format(path=result, cause=cause, advice=advice), sys.stderr)
        return EXIT_TEMPLATE
    try:
        status, words = captured(args)
        with answer:
            answer.write(words)
    except BaseException as error:  # a full disk, Ctrl+C: the empty or half-written answer is this run's own file
        answer.close()
        result.unlink(missing_ok=True)
        if not isinstance(error, OSError):
            raise
        cause, advice = os_cause(error)
        say(texts.KIT_ANSWER_FAILED.format(path=result, cause=cause, advice=advice), sys.stderr)
        return EXIT_TEMPLATE
    return status


def wait_until_closed(book: Path, timeout: float, poll: float = 0.5) -> bool:
    """True once no spreadsheet program has `book` open (its lock file is gone), False after `timeout` seconds."""
    from pygk.adapters.xlsx.package import lock_files

    deadline = time.monotonic() + timeout
    while any(os.path.lexists(lock) for lock in lock_files(book)):
        if time.monotonic() > deadline:
            return False
        time.sleep(poll)
    return True


def show(message: str) -> None:
    """A message box on top of every window (Windows); printed elsewhere."""
    if sys.platform == "win32":
        import ctypes

        flags = 0x40 | 0x1000 | 0x10000 | 0x40000  # MB_ICONINFORMATION, SYSTEMMODAL, SETFOREGROUND, TOPMOST
        ctypes.windll.user32.MessageBoxW(None, message, texts.ALERT_TITLE, flags)
    else:
        say(message)


def reopen(book: Path) -> None:
    """Open `book` again in the program Windows opens it with (Excel or WPS)."""
    if sys.platform == "win32":
        os.startfile(book)  # type: ignore[attr-defined]


def after_close(
    book: Path,
    args: Sequence[str],
    timeout: float = 120.0,
    tell: Callable[[str], None] = show,
    open_again: Callable[[Path], None] = reopen,
) -> int:
    """A button that writes: wait for `book` to be closed, run `pygk ARGS`, reopen `book`, tell the result."""
    if not wait_until_closed(book, timeout):
        tell(texts.KIT_STILL_OPEN.format(book=book))
        return EXIT_TEMPLATE
    status, words = captured(args)
    open_again(book)
    tell(words)
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m pygk.kit install|drop …`; ends by asking for a key (the batch file then waits for it)."""
    args = list(sys.argv[1:] if argv is None else argv)
    command, rest = (args[0], args[1:]) if args else ("", [])
    if command == "install":
        local = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        status = install(kit_root(), local, desktop(), xlwings_config())
    elif command == "drop":
        status = drop(rest)
    elif command == "capture" and len(rest) > 1:
        return capture(Path(rest[0]), rest[1:])
    elif command == "after-close" and len(rest) > 1:
        return after_close(Path(rest[0]), rest[1:])
    else:
        say(texts.KIT_DROP_NOTHING, sys.stderr)
        status = EXIT_TEMPLATE
    say(texts.KIT_PRESS_A_KEY)
    return status


if __name__ == "__main__":
    run_main(main)
