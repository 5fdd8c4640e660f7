"""Workbooks saved by other programs: LibreOffice's XML, prefixed namespaces, random cell contents."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import conftest
from conftest import TEMPLATE, group_grid, settings_grid, sheet_values
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from test_seed import seed_annex

from pygk.cli import main
from pygk.core.errors import InputError
from pygk.core.plan import build_plan
from pygk.publish.office import to_pdf

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def libreoffice() -> None:
    conftest.soffice()


def test_workbook_saved_by_libreoffice(tmp_path: Path):
    libreoffice()
    import subprocess

    source = tmp_path / "模板.xlsx"
    shutil.copyfile(TEMPLATE, source)
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "lo"), str(source)],
                   capture_output=True, timeout=180, check=True)  # fmt: skip
    saved = tmp_path / "lo" / "模板.xlsx"
    assert b"LibreOffice" in zipfile.ZipFile(saved).read("docProps/app.xml")
    assert main(["run", str(saved)]) == 0
    assert [(r[0], *map(float, r[1:6])) for r in sheet_values(saved, "附件1")[3:]] == seed_annex(1)
    to_pdf(saved, tmp_path / "again.pdf")  # and LibreOffice opens what pygk wrote


def _with_prefix(xml: bytes) -> bytes:
    """The same worksheet with the main namespace bound to the prefix 'x', as the Open XML SDK writes it."""
    root = etree.fromstring(xml)
    nsmap = {("x" if k is None else k): v for k, v in root.nsmap.items()}
    copy = etree.Element(f"{{{MAIN}}}worksheet", nsmap=nsmap)
    copy[:] = list(root)
    for key, value in root.attrib.items():
        copy.set(key, value)
    return etree.tostring(copy, xml_declaration=True, encoding="UTF-8", standalone=True)


def test_worksheets_with_a_namespace_prefix(tmp_path: Path):
    book = tmp_path / "前缀.xlsx"
    with zipfile.ZipFile(TEMPLATE) as src, zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as out:
        for name in src.namelist():
            data = src.read(name)
            if name.startswith("xl/worksheets/sheet"):
                data = _with_prefix(data)
                assert b"<x:row" in data
            out.writestr(name, data)
    assert main(["run", str(book)]) == 0
    with zipfile.ZipFile(book) as archive:
        group = archive.read("xl/worksheets/sheet2.xml")
    etree.fromstring(group)  # still well-formed
    assert b"<x:c " in group and b"<c " not in group
    values = sheet_values(book, "区直单位")
    assert values[0][6] == "总分" and values[6][6] == 56
    assert [(r[0], *map(float, r[1:6])) for r in sheet_values(book, "附件1")[3:]] == seed_annex(1)


def test_cell_values_read_whatever_the_children_and_prefix():
    """A formula before its cached value, a prefixed formula without one, rich text: each read as Excel shows it."""
    from pygk.adapters.xlsx.read import has_formulas, sheet_grid
    from pygk.core.cells import Uncomputed

    cells = ('<x:c r="A1"><x:f>1+1</x:f><x:v>2</x:v></x:c><x:c r="B1"><x:f>SUM(A1)</x:f></x:c>'
             '<x:c r="C1" t="inlineStr"><x:is><x:r><x:t>甲</x:t></x:r><x:r><x:t>乙</x:t></x:r></x:is></x:c>'
             '<x:c r="D1" t="s"><x:v>0</x:v></x:c><x:c r="E1"/><x:c r="F1" t="b"><x:v>1</x:v></x:c>')  # fmt: skip
    data = f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row r="1">{cells}</x:row></x:sheetData></x:worksheet>'
    assert has_formulas(data.encode()) and not has_formulas(data.replace("x:f", "x:g").encode())
    grid = sheet_grid(data.encode(), ["共享"])
    assert grid[0] == [2.0, Uncomputed("=SUM(A1)"), "甲乙", "共享", None, True]
    assert grid.formulas == {(0, 0), (0, 1)}


CELL = st.one_of(
    st.none(),
    st.integers(-5, 120),
    st.floats(allow_nan=True, allow_infinity=True, width=32),
    st.text(max_size=6),
    st.sampled_from(["３７", " 12 ", "九十", "1e3", "=1+1", "", " ", "18.5", "-0", "nan"]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=5), st.lists(CELL, min_size=4, max_size=4)), max_size=8))
def test_any_cell_contents_give_a_plan_or_located_problems(rows):
    """Whatever a clerk types, the core answers with a plan or with problems naming where they are."""
    grids = {"设置": settings_grid(), "区直单位": group_grid(rows), "镇（街道）": group_grid([("甲", [1, 2, 3, 4])])}
    try:
        plan = build_plan(grids)
    except InputError as error:
        assert error.problems
        assert all(p.sheet for p in error.problems)
        return
    assert len(plan.annexes) == 2
