"""The committed template is exactly what tools/build_template.py makes from workbook/src/."""

from __future__ import annotations

import zipfile
from importlib.metadata import version
from pathlib import Path

import openpyxl
from build_template import BUILT_WITH, build
from conftest import TEMPLATE, source_grids
from neutral_reading import read_file

from pygk.adapters.xlsx.adapter import check
from pygk.core.plan import build_plan

VOLATILE = {"docProps/core.xml"}  # creation and modification times


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n not in VOLATILE}


def pinned(built_with: dict[str, str]) -> bool:
    """Whether the installed libraries are the ones a committed file was built with (its bytes depend on them)."""
    return all(version(name) == wanted for name, wanted in built_with.items())


def test_committed_template_matches_its_sources(tmp_path: Path):
    """Byte for byte with the pinned openpyxl; by meaning (values, looks, sizes, validations, names) with another."""
    fresh = tmp_path / "fresh.xlsx"
    build(fresh)
    if pinned(BUILT_WITH):
        committed, rebuilt = parts(TEMPLATE), parts(fresh)
        assert sorted(committed) == sorted(rebuilt)
        changed = [name for name in committed if committed[name] != rebuilt[name]]
        assert not changed, f"run python tools/build_template.py and commit: {changed}"
    assert read_file(fresh) == read_file(TEMPLATE), "run python tools/build_template.py and commit"
    old, new = openpyxl.load_workbook(TEMPLATE), openpyxl.load_workbook(fresh)
    for sheet in old.sheetnames:
        validations = [
            (v.type, v.operator, v.formula1, str(v.sqref)) for v in old[sheet].data_validations.dataValidation
        ]
        assert validations == [(v.type, v.operator, v.formula1, str(v.sqref))
                               for v in new[sheet].data_validations.dataValidation]  # fmt: skip
    assert {(n, d.attr_text) for n, d in old.defined_names.items()} == {
        (n, d.attr_text) for n, d in new.defined_names.items()
    }


def test_template_reads_like_its_sources():
    assert check(TEMPLATE) == build_plan(source_grids())


def test_template_has_score_validation_and_choice_lists():
    import openpyxl

    book = openpyxl.load_workbook(TEMPLATE)
    scores = book["区直单位"].data_validations.dataValidation
    assert {(v.type, v.operator, v.formula1) for v in scores} == {("decimal", "greaterThanOrEqual", "0")}
    assert any("F2:F" in str(v.sqref) for v in scores)
    choices = book["设置"].data_validations.dataValidation
    assert any(v.type == "list" and "按名次" in v.formula1 for v in choices)
