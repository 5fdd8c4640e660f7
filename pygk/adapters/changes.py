"""Changes to a user's folders that one run can take back: each step records how to undo it (the kit's install).

A step is recorded only once it has happened, and undoing removes only what the step itself made (a folder it
created, a file it copied, a rename it did) or puts back the bytes a file had before: never anything else.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from pygk.adapters.files import atomic_file


def copy_file(source: Path, target: Path) -> None:
    """Copy a file's bytes to `target`, which must not exist (FileExistsError: nothing is replaced).

    On Windows this is CopyFileW (shutil calls CopyFile2, which Wine lacks, and a copy through Python's file
    objects costs four times as long there); elsewhere the bytes are streamed into a file created here, which is
    removed again if the copy fails half-way.
    """
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        if not kernel32.CopyFileW(str(source), str(target), True):  # bFailIfExists
            error = ctypes.WinError(ctypes.get_last_error())
            error.filename = str(target)
            raise error
        return
    with open(source, "rb") as read, open(target, "xb") as write:
        try:
            shutil.copyfileobj(read, write, 1 << 20)
        except BaseException:
            write.close()
            os.unlink(target)
            raise


class Changes:
    """What this run changed, in order; `roll_back` undoes it, the last change first."""

    def __init__(self) -> None:
        self._undo: list[tuple[Path, Callable[[], None]]] = []

    def make_folders(self, folder: Path) -> None:
        """`folder` and its missing parents; those made here are removed on roll back (only while empty)."""
        missing = []
        for candidate in (folder, *folder.parents):
            if os.path.lexists(candidate):
                break
            missing.append(candidate)
        folder.mkdir(parents=True, exist_ok=True)
        for made in reversed(missing):
            self._undo.append((made, made.rmdir))

    def copy_tree(self, source: Path, target: Path) -> None:
        """Copy the folder `source` to `target`, which must not exist yet; removed whole on roll back."""
        target.mkdir()
        self._undo.append((target, lambda: shutil.rmtree(target)))
        for folder, subfolders, files in os.walk(source):
            here = target / Path(folder).relative_to(source)
            for name in subfolders:
                (here / name).mkdir()
            for name in files:
                copy_file(Path(folder) / name, here / name)

    def copy_new(self, source: Path, target: Path) -> None:
        """Copy a file to `target`, which must not exist yet; removed on roll back."""
        copy_file(source, target)
        self._undo.append((target, target.unlink))

    def move(self, source: Path, target: Path) -> None:
        """Rename `source` to `target` (which must not exist); renamed back on roll back."""
        if os.path.lexists(target):
            raise FileExistsError(0, "exists", str(target))
        os.replace(source, target)
        self._undo.append((source, lambda: os.replace(target, source)))

    def keep(self, path: Path) -> None:
        """Before `path` is written: roll back puts its present bytes back, or removes it when it does not exist.

        A folder (or anything but a file) of that name is not pygk's to replace: IsADirectoryError, nothing recorded.
        """
        if os.path.lexists(path) and not path.is_file():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        before = path.read_bytes() if path.is_file() else None

        def restore() -> None:
            if before is None:
                path.unlink(missing_ok=True)
                return
            with atomic_file(path) as out:
                out.write(before)

        self._undo.append((path, restore))

    def roll_back(self) -> list[tuple[Path, OSError]]:
        """Undo every change, the last first; what could not be undone (path, error), in that order."""
        failed = []
        while self._undo:
            path, undo = self._undo.pop()
            try:
                undo()
            except OSError as error:
                failed.append((path, error))
        return failed
