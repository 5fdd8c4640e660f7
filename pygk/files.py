"""Output files: free names beside the workbook, written atomically, never over an existing file."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


def free_name(path: Path) -> Path:
    """`path`, or the first of 'name（2）.ext', 'name（3）.ext', … that does not exist yet."""
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem}（{number}）{path.suffix}")
    return candidate


@contextmanager
def atomic_file(target: Path) -> Iterator[BinaryIO]:
    """A binary file that becomes `target` in one rename once the block ends; on any error the target is untouched.

    The file gets the target's current mode, or for a new file the mode the umask gives
    (a temporary file alone would be private to its owner).
    """
    target = Path(target)
    handle, temp = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".", prefix=".~pygk-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, target.stat().st_mode & 0o7777 if target.exists() else _default_mode())
        os.replace(temp, target)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def _default_mode() -> int:
    """The mode a newly created file gets under the current umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(target: Path, data: bytes) -> None:
    """Write bytes to `target` atomically."""
    with atomic_file(target) as out:
        out.write(data)


def place(produced: Path, target: Path) -> None:
    """Copy a finished file (e.g. LibreOffice's output) to `target` atomically."""
    with open(produced, "rb") as source, atomic_file(target) as out:
        shutil.copyfileobj(source, out)
