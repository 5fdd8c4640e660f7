"""Output files: free names beside the workbook, written atomically, never over an existing file.

A workbook is replaced by writing a temporary file in the folder of the real file (a
symbolic link is followed and stays a link), giving it the original's owner, group, mode
and extended attributes (POSIX ACLs live there), then renaming it over the original.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from pygk.core import texts
from pygk.core.errors import Problem, TemplateError

TEMP_PREFIX, TEMP_SUFFIX = ".~pygk-", ".tmp"
_SKIPPED_XATTR_ERRORS = {errno.EPERM, errno.EACCES, errno.ENOTSUP, errno.EOPNOTSUPP}

committed: list[Path] = []  # real paths this process has replaced or created, in order (see cli.main)


def free_name(path: Path) -> Path:
    """`path`, or the first of 'name（2）.ext', 'name（3）.ext', … that does not exist yet."""
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem}（{number}）{path.suffix}")
    return candidate


def real_path(path: Path) -> Path:
    """The file a path names once symbolic links are followed (the path itself if nothing is linked)."""
    return Path(os.path.realpath(path))


def same_file(first: Path, second: Path) -> bool:
    """True when both paths name one existing file (through links, case-insensitive folders, …)."""
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


def os_cause(error: OSError) -> tuple[str, str]:
    """What went wrong and what to do, in Chinese, for an operating-system error."""
    name = errno.errorcode.get(error.errno or 0, "")
    if name in texts.OS_CAUSES:
        return texts.OS_CAUSES[name]
    if isinstance(error, PermissionError):
        return texts.OS_CAUSES["EACCES"]
    cause, advice = texts.OS_CAUSE_OTHER
    return cause.format(name=name or type(error).__name__), advice


def os_failure(path: Path | None, error: OSError, template: str = texts.MSG_FILE_ERROR) -> TemplateError:
    """A clerk's message about `path` (if known) for an operating-system error, e.g. MSG_CANNOT_WRITE_CAUSE."""
    cause, advice = os_cause(error)
    where = None if path is None else str(path)
    return TemplateError([Problem(template.format(cause=cause, advice=advice), path=where)])


def check_replaceable(path: Path) -> None:
    """Refuse to replace a read-only file (as Excel would) or one with other hard links (they would keep old bytes).

    The mode bits decide, not os.access: root may write anything, the clerk's setting still counts.
    """
    status = os.stat(path)
    if not status.st_mode & 0o222 or not os.access(path, os.W_OK):
        raise TemplateError([Problem(texts.MSG_READ_ONLY, path=str(path))])
    if status.st_nlink > 1:
        raise TemplateError([Problem(texts.MSG_HARD_LINK.format(others=status.st_nlink - 1), path=str(path))])


@contextmanager
def atomic_file(target: Path, replace: bool = True) -> Iterator[BinaryIO]:
    """A binary file that becomes `target` in one rename once the block ends; on any error the target is untouched.

    An existing target keeps its owner, group, mode and extended attributes; a new file gets
    the mode the umask gives (a temporary file alone would be private to its owner). With
    `replace` False an existing target is never overwritten (FileExistsError), even one
    created while this file was being written.
    """
    target = Path(target)
    final = real_path(target) if replace else target.absolute()
    if not replace and os.path.lexists(final):
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target))
    handle, temp = tempfile.mkstemp(dir=final.parent, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
    guard, written = None, None
    try:
        with os.fdopen(handle, "wb") as out:
            guard = _guard(temp)
            yield out
            out.flush()
            os.fsync(out.fileno())
        if replace and final.exists():
            copy_metadata(final, temp)
        else:
            os.chmod(temp, _default_mode())
        written = os.stat(temp)
        _commit(temp, final, replace)
        committed.append(real_path(final))
    except BaseException:
        if written is not None and _is_file(final, written):  # e.g. Ctrl+C just after the rename
            committed.append(real_path(final))
        with suppress(OSError):
            os.unlink(temp)
        raise
    finally:
        if guard is not None:
            os.close(guard)
    _sync_folder(final.parent)


def _is_file(path: Path, status: os.stat_result) -> bool:
    """True when `path` names the file `status` describes."""
    try:
        return os.path.samestat(os.stat(path), status)
    except OSError:
        return False


def _guard(temp: str) -> int | None:
    """A second handle on a temporary file, locked so `clean_stale_temps` leaves it alone (POSIX only).

    Windows needs none: a file open for writing cannot be deleted there, and an open handle
    would make the rename fail.
    """
    if sys.platform == "win32":
        return None
    import fcntl

    guard = os.open(temp, os.O_RDONLY)
    try:
        fcntl.flock(guard, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        pass  # a file system without locks: the workbook lock still keeps other runs away
    return guard


def _commit(temp: str, final: Path, replace: bool) -> None:
    """Move the finished temporary file to its place: over the old file, or only where none exists."""
    if replace:
        _replace(temp, final)
        return
    try:
        os.link(temp, final)
    except FileExistsError:
        raise
    except (OSError, AttributeError, NotImplementedError):  # no hard links here (FAT, some shares)
        if os.path.lexists(final):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(final)) from None
        os.replace(temp, final)
        return
    with suppress(OSError):  # the new file is in place; a leftover is cleaned by the next run
        os.unlink(temp)


def _replace(temp: str, final: Path) -> None:
    """Rename over the old file; on Windows through ReplaceFileW, which keeps its ACL, attributes and streams."""
    if sys.platform == "win32" and final.exists():
        import ctypes

        ignore_merge_errors = 0x2
        if ctypes.windll.kernel32.ReplaceFileW(str(final), temp, None, ignore_merge_errors, None, None):
            return
        # Whatever part failed, the temporary file still holds the new content under its own name.
    os.replace(temp, final)


def copy_metadata(source: Path, temp: str) -> None:
    """Give `temp` the owner, group, mode and extended attributes (POSIX ACLs included) of `source`.

    Changing the owner needs root; a clerk running pygk on a file of their own needs nothing.
    """
    status = os.stat(source)
    if hasattr(os, "chown"):
        mine = os.stat(temp)
        if (mine.st_uid, mine.st_gid) != (status.st_uid, status.st_gid):
            try:
                os.chown(temp, status.st_uid, status.st_gid)
            except PermissionError:
                with suppress(PermissionError):
                    os.chown(temp, -1, status.st_gid)
    os.chmod(temp, status.st_mode & 0o7777)
    _copy_xattrs(source, temp)


def _copy_xattrs(source: Path, temp: str) -> None:
    """Copy every extended attribute the system lets this process set (ACLs are system.posix_acl_*)."""
    if not hasattr(os, "listxattr"):
        return
    try:
        names = os.listxattr(source)
    except OSError as error:
        if error.errno in _SKIPPED_XATTR_ERRORS:
            return
        raise
    for name in names:
        try:
            os.setxattr(temp, name, os.getxattr(source, name))
        except OSError as error:
            if error.errno not in _SKIPPED_XATTR_ERRORS:
                raise


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); failing to is not an error."""
    if sys.platform == "win32":
        return
    with suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def clean_stale_temps(folder: Path) -> list[Path]:
    """Delete temporary files that a killed pygk left in `folder`; ones a live pygk is writing stay.

    A live writer holds a lock on its temporary file (POSIX) or keeps it open, which on
    Windows makes it undeletable. Returns what was deleted.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if entry.name.startswith(TEMP_PREFIX) and entry.name.endswith(TEMP_SUFFIX) and _remove_if_stale(entry.path):
            removed.append(Path(entry.path))
    return removed


def _remove_if_stale(path: str) -> bool:
    """Delete one temporary file unless its writer is still alive."""
    if sys.platform == "win32":
        try:
            os.unlink(path)
        except OSError:
            return False
        return True
    import fcntl

    try:
        handle = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if os.path.samestat(os.fstat(handle), os.stat(path)):
            os.unlink(path)
            return True
    except OSError:
        pass
    finally:
        os.close(handle)
    return False


def _default_mode() -> int:
    """The mode a newly created file gets under the current umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(target: Path, data: bytes, replace: bool = True) -> None:
    """Write bytes to `target` atomically."""
    with atomic_file(target, replace=replace) as out:
        out.write(data)


def place(produced: Path, target: Path) -> None:
    """Copy a finished file (e.g. LibreOffice's output) to a new `target` atomically, never over an existing file."""
    with open(produced, "rb") as source, atomic_file(target, replace=False) as out:
        shutil.copyfileobj(source, out)
