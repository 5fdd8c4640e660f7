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
from build_xlsm import BUILT_WITH, RIBBON_PART, RIBBON_REL, build
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
BUTTONS = ["检查数据", "计算排名", "生成附件", "生成通报", "一键生成", "生成Word", "导出PDF", "趋势图", "导入历史",
           "关于"]  # fmt: skip


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


def test_ribbon_part_and_relationship():
    with zipfile.ZipFile(XLSM) as archive:
        assert archive.read(RIBBON_PART) == (MACROS / "customUI14.xml").read_bytes()
        rels = etree.fromstring(archive.read("_rels/.rels"))
        content_types = archive.read("[Content_Types].xml")
    assert [(r.get("Type"), r.get("Target")) for r in rels if r.get("Type") == RIBBON_REL] == [
        (RIBBON_REL, RIBBON_PART)
    ]
    assert b"application/vnd.ms-excel.sheet.macroEnabled.main+xml" in content_types


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
    assert _vba_string_value(code, "Title") == texts.ALERT_TITLE
    assert _vba_string_value(code, "NoPython") == texts.MSG_NO_PYTHON
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
