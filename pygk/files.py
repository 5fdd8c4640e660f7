"""Output files: free names beside the workbook, written atomically, never over an existing file."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def free_name(path: Path) -> Path:
    """`path`, or the first of 'name（2）.ext', 'name（3）.ext', … that does not exist yet."""
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem}（{number}）{path.suffix}")
    return candidate


def write_atomic(target: Path, data: bytes) -> None:
    """Write bytes to a temporary file beside `target`, then rename it into place."""
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".~pygk-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def place(produced: Path, target: Path) -> None:
    """Move a finished file (e.g. LibreOffice's output) to `target` atomically."""
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".~pygk-", suffix=".tmp")
    os.close(handle)
    try:
        shutil.copyfile(produced, temp)
        os.replace(temp, target)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
