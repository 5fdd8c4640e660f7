"""LibreOffice, headless: find it and convert a workbook or document to PDF.

Used where Excel is absent (Linux, WPS desktops, the command line). Each conversion gets
its own throw-away LibreOffice profile, so it works while the clerk has LibreOffice open.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from pygk.adapters.files import place
from pygk.core import layout, texts
from pygk.core.errors import Problem, TemplateError

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


SYSTEM_FONTCONFIG = ("/etc/fonts/fonts.conf", "/usr/local/etc/fonts/fonts.conf", "/opt/homebrew/etc/fonts/fonts.conf")


def installed_families() -> frozenset[str] | None:
    """Casefolded font families fontconfig lists here; None where LibreOffice does not use fontconfig."""
    fc_list = shutil.which("fc-list")
    if sys.platform in ("win32", "darwin") or fc_list is None:
        return None
    try:
        listed = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    names = (name.strip() for line in listed.splitlines() for name in line.split(","))
    return frozenset(name.casefold() for name in names if name)


def fontconfig_file(pairs: list[tuple[str, str]], folder: Path) -> Path | None:
    """A fontconfig file: the machine's own configuration plus one rule per (missing font, face to use)."""
    base = os.environ.get("FONTCONFIG_FILE") or next((p for p in SYSTEM_FONTCONFIG if Path(p).is_file()), None)
    if base is None:
        return None
    rules = "".join(
        f'<match target="pattern"><test name="family" qual="any" ignore-blanks="true"><string>{escape(font)}</string>'
        f'</test><edit name="family" mode="assign" binding="strong"><string>{escape(used)}</string></edit></match>\n'
        for font, used in pairs
    )
    path = folder / "fonts.conf"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        f'<include ignore_missing="yes">{escape(base)}</include>\n{rules}</fontconfig>\n',
        encoding="utf-8",
    )
    return path


def to_pdf(source: Path, target: Path, fonts: Sequence[str] = layout.GONGWEN_FONTS) -> list[tuple[str, str]]:
    """Convert `source` (.xlsx, .xlsm, .docx) to the PDF `target` with LibreOffice.

    Where fontconfig shows one of `fonts` missing, LibreOffice prints with a face of the same
    family (`layout.FONT_SUBSTITUTES`) through a fontconfig file of its own; returns those
    (font, face) pairs, so the clerk can be told. The document itself is not changed.
    """
    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="pygk-lo-") as folder:
        work = Path(folder)
        profile = (work / "profile").as_uri()
        command = [str(soffice), f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(work / "out"), str(source)]  # fmt: skip
        installed = installed_families()
        pairs = layout.substitutions(fonts, installed) if installed is not None else []
        config = fontconfig_file(pairs, work) if pairs else None
        env = {**os.environ, "FONTCONFIG_FILE": str(config)} if config is not None else None
        pairs = pairs if config is not None else []
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, env=env)
        except subprocess.TimeoutExpired:
            raise TemplateError([Problem(texts.MSG_LIBREOFFICE_FAILED.format(detail="timeout"))]) from None
        produced = work / "out" / (source.stem + ".pdf")
        if result.returncode != 0 or not produced.is_file():
            detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or [str(result.returncode)]
            raise TemplateError([Problem(texts.MSG_LIBREOFFICE_FAILED.format(detail=detail[0]))])
        place(produced, target)
    return pairs
