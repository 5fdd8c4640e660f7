"""One pygk at a time per workbook: a lock file beside it, held from the first read to the last write.

The lock is an operating-system lock on a small file (fcntl.flock on POSIX, msvcrt.locking
on Windows), so it is released when its process ends, however it ends: a lock file left
behind by a killed pygk blocks nobody. A second pygk waits up to LOCK_WAIT_SECONDS, then
refuses. Locks are re-entrant within a process (`pygk pdf` runs the workbook inside its
own lock).
"""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import FrameType
from typing import Any

from pygk.adapters.files import os_failure, real_path
from pygk.core import texts
from pygk.core.errors import Problem, TemplateError

_Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None

LOCK_WAIT_SECONDS = 5.0
POLL_SECONDS = 0.05
MAX_NAME_BYTES = 255
_UNSUPPORTED = {errno.ENOLCK, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}

_held: dict[str, int] = {}  # lock file -> depth, for the locks this process holds


def lock_path(book: Path) -> Path:
    """The lock file of a workbook: '.~pygk-NAME.lock' beside the real file (a short hash if NAME is too long)."""
    real = real_path(book)
    name = f".~pygk-{real.name}.lock"
    if len(os.fsencode(name)) > MAX_NAME_BYTES:
        name = f".~pygk-{hashlib.sha1(os.fsencode(real.name)).hexdigest()[:16]}.lock"
    return real.with_name(name)


@contextmanager
def holding(book: Path, required: bool = True) -> Iterator[None]:
    """Hold the workbook's lock for the block; another pygk holding it -> wait, then a TemplateError.

    With `required` False (commands that only read the workbook) a folder where no lock
    file can be made (read-only media) is read without one.
    """
    path = lock_path(book)
    key = str(path)
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    handle: int | None = None
    try:
        try:
            with _no_interrupt():  # a Ctrl+C between creating and holding the lock would leave the file behind
                handle = _acquire(path, book)
        except OSError as error:
            if required:
                raise os_failure(book, error, texts.MSG_CANNOT_WRITE_CAUSE) from None
        if handle is not None:
            _held[key] = 1
        yield
    finally:
        if handle is not None:
            _held.pop(key, None)
            _release(path, handle)


_deferred: list[bool] = []  # set while a Ctrl+C is being held back


@contextmanager
def _interruptible() -> Iterator[None]:
    """Inside a `_no_interrupt` block: a Ctrl+C held back, or one arriving now, interrupts here."""
    if _deferred:
        _deferred.clear()
        raise KeyboardInterrupt
    previous = _swap_handler(signal.default_int_handler)
    try:
        yield
    finally:
        _swap_handler(previous)


@contextmanager
def _no_interrupt() -> Iterator[None]:
    """Hold a Ctrl+C back until the block ends (main thread only; Python runs signal handlers there).

    Blocking the signal itself would not do: the C libraries' threads would take it.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = _swap_handler(lambda number, frame: _deferred.append(True))
    try:
        yield
    finally:
        _swap_handler(previous)
        if _deferred:
            _deferred.clear()
            raise KeyboardInterrupt


def _swap_handler(handler: _Handler) -> _Handler:
    """Install a SIGINT handler where that is possible; return the one it replaces (or None)."""
    if threading.current_thread() is not threading.main_thread() or handler is None:
        return None
    return signal.signal(signal.SIGINT, handler)


def _acquire(path: Path, book: Path) -> int:
    """Open and lock the lock file, waiting up to LOCK_WAIT_SECONDS; a file replaced meanwhile is tried again."""
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        handle = _open(path)
        try:
            if _try_lock(handle) and _is_current(handle, path):
                return handle
        except BaseException:
            os.close(handle)
            raise
        os.close(handle)
        if time.monotonic() >= deadline:
            raise TemplateError([Problem(texts.MSG_BUSY.format(lock=path.name), path=str(book))])
        with _interruptible():  # Ctrl+C while waiting for another pygk: nothing of ours is open
            time.sleep(POLL_SECONDS)


def _open(path: Path) -> int:
    """The lock file, created if missing; read-only if someone else's (a lock needs no write access)."""
    flags = getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOINHERIT", 0)
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | flags, 0o666)
    except PermissionError:
        return os.open(path, os.O_RDONLY | flags)


def _try_lock(handle: int) -> bool:
    """Lock without waiting; False when another process holds the lock."""
    if sys.platform == "win32":
        import msvcrt

        os.lseek(handle, 0, os.SEEK_SET)
        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as error:
        if error.errno in _UNSUPPORTED:  # a file system without locks: go on unlocked rather than never run
            return True
        raise
    return True


def _is_current(handle: int, path: Path) -> bool:
    """True when `path` still names the locked file (its previous holder may have deleted it meanwhile)."""
    try:
        return os.path.samestat(os.fstat(handle), os.stat(path))
    except OSError:
        return False


def _release(path: Path, handle: int) -> None:
    """Delete the lock file and unlock; on POSIX deleting first, so a waiter sees the file is gone."""
    if sys.platform == "win32":
        import msvcrt

        with suppress(OSError):
            os.lseek(handle, 0, os.SEEK_SET)
            msvcrt.locking(handle, msvcrt.LK_UNLCK, 1)
        os.close(handle)
        with suppress(OSError):  # another pygk may have it open already; it stays, harmless
            os.unlink(path)
        return
    if _is_current(handle, path):
        with suppress(OSError):
            os.unlink(path)
    os.close(handle)
