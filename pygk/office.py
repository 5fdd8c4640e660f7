"""LibreOffice, headless: find it and convert a workbook or document to PDF.

Used where Excel is absent (Linux, WPS desktops, the command line). Each conversion gets
its own throw-away LibreOffice profile, so it works while the clerk has LibreOffice open.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pygk import texts
from pygk.errors import Problem, TemplateError
from pygk.files import place

ENV_OVERRIDE = "PYGK_SOFFICE"
NAMES = ("soffice", "libreoffice")
USUAL_PLACES = (
    "/usr/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/snap/bin/libreoffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)
TIMEOUT_SECONDS = 300


def find_soffice() -> Path:
    """LibreOffice's soffice: $PYGK_SOFFICE if set, else on PATH, else in the usual install places."""
    override = os.environ.get(ENV_OVERRIDE)
    if override is not None:
        if Path(override).is_file():
            return Path(override)
        raise TemplateError([Problem(texts.MSG_NO_LIBREOFFICE)])
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    for candidate in USUAL_PLACES:
        if Path(candidate).is_file():
            return Path(candidate)
    raise TemplateError([Problem(texts.MSG_NO_LIBREOFFICE)])


def to_pdf(source: Path, target: Path) -> None:
    """Convert `source` (.xlsx, .xlsm, .docx) to the PDF `target` with LibreOffice."""
    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="pygk-lo-") as folder:
        work = Path(folder)
        profile = (work / "profile").as_uri()
        command = [str(soffice), f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(work / "out"), str(source)]  # fmt: skip
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            raise TemplateError([Problem(texts.MSG_LIBREOFFICE_FAILED.format(detail="timeout"))]) from None
        produced = work / "out" / (source.stem + ".pdf")
        if result.returncode != 0 or not produced.is_file():
            detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or [str(result.returncode)]
            raise TemplateError([Problem(texts.MSG_LIBREOFFICE_FAILED.format(detail=detail[0]))])
        place(produced, target)
