"""The macro workbook: ribbon, VBA project and xlwings version, read back from the built file."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import zipfile
from importlib.metadata import version as installed_version
from pathlib import Path

import conftest
import pytest
from build_xlsm import (
    BUILT_WITH,
    RIBBON_2006_NS,
    RIBBON_2006_PART,
    RIBBON_2006_REL,
    RIBBON_PART,
    RIBBON_REL,
    VBA_TEXTS,
    build,
)
from conftest import ROOT
from lxml import etree
from oletools.olevba import VBA_Parser

from pygk import excel
from pygk.cli import main
from pygk.core import texts
from pygk.publish.office import to_pdf

XLSM = ROOT / "workbook" / "政务公开通报.xlsm"
MACROS = ROOT / "xlsx_macros"
NS_UI = "{http://schemas.microsoft.com/office/2009/07/customui}"
BUTTONS = ["检查数据", "计算排名", "生成附件", "生成通报", "一键生成", "生成Word", "整改通知", "导出PDF", "趋势图",
           "导入历史", "关于"]  # fmt: skip


def vba_modules(path: Path) -> dict[str, str]:
    """Module name -> source, as oletools' olevba (an independent reader) extracts them."""
    parser = VBA_Parser(str(path))
    try:
        return {name.rsplit(".", 1)[0]: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def ribbon_buttons(xml: bytes) -> list[etree._Element]:
    return list(etree.fromstring(xml).iter(f"{NS_UI}button"))


def pinned_xlwings() -> str:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    pins = re.findall(r"^xlwings==(\S+)$", config["options"]["install_requires"], flags=re.M)
    assert len(pins) == 1
    return pins[0]


def test_committed_macro_workbook_is_what_the_build_makes(tmp_path: Path):
    """Byte for byte with the pinned pyOpenVBA; with another, every other part alike and the same VBA sources."""
    fresh = tmp_path / "fresh.xlsm"
    build(fresh)
    if all(installed_version(name) == wanted for name, wanted in BUILT_WITH.items()):
        assert fresh.read_bytes() == XLSM.read_bytes(), "run python tools/build_xlsm.py and commit"
    with zipfile.ZipFile(fresh) as new, zipfile.ZipFile(XLSM) as old:
        assert new.namelist() == old.namelist()
        changed = [n for n in old.namelist() if n != "xl/vbaProject.bin" and old.read(n) != new.read(n)]
        assert not changed, "run python tools/build_xlsm.py and commit"
    assert vba_modules(fresh) == vba_modules(XLSM), "run python tools/build_xlsm.py and commit"


def test_ribbon_parts_and_relationships():
    """customUI14 as written, and the same ribbon in the 2006 namespace for hosts that read only the older part;
    each related from _rels/.rels once; the package passes openxml-audit (no part Excel would repair)."""
    from openxml_audit import OpenXmlValidator

    with zipfile.ZipFile(XLSM) as archive:
        assert archive.read(RIBBON_PART) == (MACROS / "customUI14.xml").read_bytes()
        older = etree.fromstring(archive.read(RIBBON_2006_PART))
        rels = etree.fromstring(archive.read("_rels/.rels"))
        content_types = archive.read("[Content_Types].xml")
    related = sorted((r.get("Type"), r.get("Target")) for r in rels if r.get("Type") in (RIBBON_REL, RIBBON_2006_REL))
    assert related == sorted([(RIBBON_REL, RIBBON_PART), (RIBBON_2006_REL, RIBBON_2006_PART)])
    assert b"application/vnd.ms-excel.sheet.macroEnabled.main+xml" in content_types
    assert {etree.QName(e).namespace for e in older.iter() if isinstance(e.tag, str)} == {RIBBON_2006_NS}
    newer = etree.fromstring((MACROS / "customUI14.xml").read_bytes())
    shape = lambda root: [(etree.QName(e).localname, dict(e.attrib)) for e in root.iter() if isinstance(e.tag, str)]
    assert shape(older) == shape(newer)
    from openxml_audit.errors import ValidationSeverity

    result = OpenXmlValidator().validate(str(XLSM))
    assert [e.description for e in result.errors if e.severity == ValidationSeverity.ERROR] == []


def test_ribbon_buttons_are_the_tab_the_clerks_expect():
    xml = (MACROS / "customUI14.xml").read_bytes()
    tab = next(etree.fromstring(xml).iter(f"{NS_UI}tab"))
    assert tab.get("label") == "政务公开"
    buttons = ribbon_buttons(xml)
    assert [b.get("label") for b in buttons] == BUTTONS
    assert all(b.get("imageMso") for b in buttons)
    assert {b.get("tag") for b in buttons} == set(excel.COMMANDS) | {"about", "import"}


def test_every_on_action_is_a_sub_of_the_vba_project():
    modules = vba_modules(XLSM)
    subs = {}
    for code in modules.values():
        for name, params in re.findall(r"^\s*(?:Public\s+)?Sub\s+(\w+)\s*\(([^)]*)\)", code, flags=re.M | re.I):
            subs[name] = params
    with zipfile.ZipFile(XLSM) as archive:
        buttons = ribbon_buttons(archive.read(RIBBON_PART))
    for button in buttons:
        assert button.get("onAction") in subs
        assert re.fullmatch(r"\s*\w+\s+As\s+IRibbonControl\s*", subs[button.get("onAction")], flags=re.I)
    assert "RunPython pygkText.Command(control.Tag)" in modules["pygk"]


def test_xlwings_vba_module_matches_the_pinned_version():
    modules = vba_modules(XLSM)
    version = re.search(r"^'Version: (\S+)", modules["xlwings"], flags=re.M).group(1)
    assert version == pinned_xlwings() == installed_version("xlwings")
    assert (MACROS / "xlwings.bas").read_text(encoding="ascii").count(f"'Version: {version}") == 1


def test_vba_sources_are_ascii():
    for path in list(MACROS.glob("*.bas")) + list(MACROS.glob("*.cls")):
        path.read_bytes().decode("ascii")
    for code in vba_modules(XLSM).values():
        code.encode("ascii")


def _vba_string_value(code: str, function: str) -> str:
    """What a generated ChrW function of pygkText returns."""
    body = code.split(f"Public Function {function}()")[1].split("End Function")[0]
    return "".join("\n" if p == "vbLf" else chr(int(p[5:-1])) for p in re.findall(r"ChrW\(\d+\)|vbLf", body))


def test_generated_texts_and_python_command():
    code = vba_modules(XLSM)["pygkText"]
    for name, text in VBA_TEXTS:
        assert _vba_string_value(code, name) == text
    literal = re.search(r'Command = "(.*)"\s*$', code, flags=re.M).group(1)
    command = literal.replace('" & tag & "', "all").replace('""', '"')
    assert '"' not in command
    compile(command, "<ribbon>", "exec")
    assert "__import__('pygk.excel').excel.main('all')" in command
    message = re.search(r"alert\(('[^']*')", command).group(1)
    assert eval(message) == texts.MSG_NO_PYGK  # noqa: S307 - a literal the build wrote


def test_command_line_runs_keep_macros_and_ribbon(tmp_path: Path):
    book = tmp_path / "通报.xlsm"
    shutil.copyfile(XLSM, book)
    with zipfile.ZipFile(XLSM) as archive:
        project, ribbon = archive.read("xl/vbaProject.bin"), archive.read(RIBBON_PART)
    for _ in range(2):
        assert main(["run", str(book)]) == 0
        with zipfile.ZipFile(book) as archive:
            assert archive.read("xl/vbaProject.bin") == project
            assert archive.read(RIBBON_PART) == ribbon
            rels = etree.fromstring(archive.read("_rels/.rels"))
            assert any(r.get("Type") == RIBBON_REL and r.get("Target") == RIBBON_PART for r in rels)
    assert set(vba_modules(book)) == set(vba_modules(XLSM))
    import openpyxl

    assert openpyxl.load_workbook(book, keep_vba=True)["附件1"]["A4"].value == "民政局"


def test_libreoffice_opens_the_run_macro_workbook(tmp_path: Path):
    conftest.soffice()
    book = tmp_path / "通报.xlsm"
    shutil.copyfile(XLSM, book)
    assert main(["run", str(book)]) == 0
    pdf = tmp_path / "通报.pdf"
    to_pdf(book, pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "11月份区直单位网站管理和政务公开情况" in text and "民政局" in text


def _vba_arguments(code: str) -> dict[str, str]:
    """Button tag -> the pygk command line the VBA's fallback builds (Quoted(...) as a file name), from its source."""
    body = code.split("Private Function Arguments(")[1].split("End Function")[0]
    found, tag = {}, None
    for line in body.splitlines():
        case = re.match(r'\s*Case (?:"(\w+)"|(Else))\s*$', line)
        if case:
            tag = case.group(1) or "else"
        assignment = re.match(r"\s*Arguments = (.*)$", line)
        if assignment and tag:
            parts = re.findall(r'"([^"]*)"|Quoted\(([^)]*\)?)\)', assignment.group(1))
            found[tag] = "".join(text if text or not name else "BOOK.xlsm " for text, name in parts).strip()
    return found


def test_buttons_without_xlwings_run_real_pygk_commands():
    """Every ribbon tag has a fallback, each fallback is a command pygk's parser accepts, and the VBA runs the
    kit's Python through WScript.Shell: waiting for a button that only reads, handing over for one that writes."""
    code = vba_modules(XLSM)["pygk"]
    arguments = _vba_arguments(code)
    assert set(arguments) == {"about", "check", "docx", "notices", "pdf", "import", "else"}
    with zipfile.ZipFile(XLSM) as archive:
        tags = {b.get("tag") for b in ribbon_buttons(archive.read(RIBBON_PART))}
    assert set(arguments) - {"else"} <= tags
    from pygk.cli import parser

    for tag, line in arguments.items():
        words = line.replace("BOOK.xlsm", " BOOK.xlsm ").split()
        if words == ["--version"]:
            continue
        parsed = parser().parse_args(words)
        assert parsed.command in ("check", "bulletin", "notices", "pdf", "history", "run"), tag
    assert arguments["else"] == "run BOOK.xlsm" and arguments["docx"] == "bulletin BOOK.xlsm"
    assert arguments["notices"] == "notices BOOK.xlsm"
    assert '" -m pygk.kit capture "' in code and '" -m pygk.kit after-close "' in code
    assert re.search(r"WScript\.Shell\"\)\.Run\(.*, 0, True\)", code.replace(" _\r\n        ", ""))
    assert "ThisWorkbook.Save" in code and "ThisWorkbook.Close SaveChanges:=False" in code


def test_capture_writes_what_pygk_said_for_the_message_box(demo: Path, tmp_path: Path):
    """`pygk.kit capture` (a button that reads): pygk's words in a UTF-8 file, its exit status returned."""
    from pygk import kit

    answer = tmp_path / "answer.txt"
    assert kit.main(["capture", str(answer), "check", str(demo)]) == 0
    assert answer.read_text(encoding="utf-8") == "检查通过：2 个分组，共 44 个单位，没有发现问题。"
    version = tmp_path / "version.txt"
    assert kit.main(["capture", str(version), "--version"]) == 0
    assert version.read_text(encoding="utf-8").startswith("pygk ")


def test_capture_never_replaces_a_file_and_says_why_it_cannot_write(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """The answer's path names a file already (the clerk's, or an earlier click's): refused, the file and the
    workbook untouched, the command not run. A missing folder, a file where the folder should be, a folder nobody
    may write in: a located Chinese message and exit 2, no traceback, nothing written."""
    from pygk import kit

    before = demo.read_bytes()
    taken = tmp_path / "pygk-answer.txt"
    taken.write_bytes(b"the clerk's notes")
    assert kit.main(["capture", str(taken), "run", str(demo)]) == 2
    assert taken.read_bytes() == b"the clerk's notes" and demo.read_bytes() == before
    err = capsys.readouterr().err
    assert texts.KIT_ANSWER_EXISTS.format(path=taken) in err and "Traceback" not in err

    blocker = tmp_path / "一个文件"
    blocker.write_bytes(b"")
    locked = tmp_path / "只读"
    locked.mkdir()
    cases = {tmp_path / "没有这个文件夹" / "answer.txt": texts.OS_CAUSES["ENOENT"],
             blocker / "answer.txt": texts.OS_CAUSES["ENOTDIR"]}  # fmt: skip
    if _immutable(locked):
        cases[locked / "answer.txt"] = texts.OS_CAUSES["EPERM"]
    try:
        for answer, (cause, advice) in cases.items():
            assert kit.main(["capture", str(answer), "run", str(demo)]) == 2
            err = capsys.readouterr().err
            assert err.strip() == texts.KIT_ANSWER_FAILED.format(path=answer, cause=cause, advice=advice), err
            assert not answer.exists() and demo.read_bytes() == before
    finally:
        subprocess.run(["chattr", "-i", str(locked)], capture_output=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["通报.xlsx", taken.name, blocker.name, locked.name])


def _immutable(folder: Path) -> bool:
    """Make `folder` unwritable even for root (chattr +i); False where the file system cannot."""
    return shutil.which("chattr") is not None and subprocess.run(["chattr", "+i", str(folder)],
                                                                 capture_output=True).returncode == 0  # fmt: skip


def test_after_close_waits_for_the_workbook_to_close_then_writes_reopens_and_tells(demo: Path):
    """`pygk.kit after-close` (a button that writes): nothing happens while Excel's lock file is there; once it is
    gone the workbook is written, reopened, and the result told; a workbook never closed is not written."""
    import threading

    from pygk import kit

    lock = demo.with_name("~$" + demo.name)
    lock.write_bytes(b"\x00" * 165)
    before = demo.read_bytes()
    events: list[tuple[str, object]] = []
    closer = threading.Timer(1.0, lambda: (events.append(("closed", demo.read_bytes() == before)), lock.unlink()))
    closer.start()
    status = kit.after_close(demo, ["run", str(demo)], timeout=30, tell=lambda m: events.append(("told", m)),
                             open_again=lambda book: events.append(("reopened", book)))  # fmt: skip
    closer.join()
    assert status == 0
    assert [kind for kind, _ in events] == ["closed", "reopened", "told"] and events[0][1] is True
    assert events[1][1] == demo and "表现较差的有：统计局、社保中心和商城街道。" in str(events[2][1])
    import openpyxl

    assert openpyxl.load_workbook(demo)["附件1"]["A4"].value == "民政局"
    lock.write_bytes(b"\x00" * 165)
    written = demo.read_bytes()
    told: list[str] = []
    assert kit.after_close(demo, ["run", str(demo)], timeout=0.5, tell=told.append, open_again=told.append) == 2
    assert told == [texts.KIT_STILL_OPEN.format(book=demo)] and demo.read_bytes() == written


def test_capture_writes_an_answer_for_a_path_with_a_lone_surrogate(tmp_path: Path) -> None:
    """Windows allows unpaired surrogates in file names; pygk's answer naming such a path is still written (the
    character shown as ?), never a traceback."""
    from pygk import kit

    answer = tmp_path / "answer.txt"
    status = kit.main(["capture", str(answer), "check", str(tmp_path / "bad\udc80.xlsx")])
    written = answer.read_text(encoding="utf-8")
    assert status != 0 and "bad?.xlsx" in written and "Traceback" not in written
