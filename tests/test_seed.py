"""The bundled demo workbook reproduces the seed bulletin (tests/data/seed_bulletin.txt)."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import sheet_values

from pygk.cli import main

SEED = (Path(__file__).parent / "data" / "seed_bulletin.txt").read_text(encoding="utf-8")
ROW = re.compile(r"^(\S+) ([0-9.]+) ([0-9.]+) ([0-9.]+) ([0-9.]+) ([0-9.]+)$")
SENTENCE = "其中表现较好的单位有：区民政局、卫健委和伊洛街道、首阳山街道；表现较差的有：统计局、社保中心和商城街道。"


def seed_annex(n: int) -> list[tuple[object, ...]]:
    """Rows of annex n as printed in the seed: name and five numbers."""
    parts = re.split(r"^\s*附件 \d\s*$", SEED, flags=re.M)
    rows = []
    for line in parts[n].splitlines():
        match = ROW.match(line.strip())
        if match:
            name, *numbers = match.groups()
            rows.append((name, *(float(x) for x in numbers)))
    return rows


def seed_paragraph() -> str:
    text = re.sub(r"\s+", "", SEED)
    start = text.index("11月份，从区政府办公室")
    return text[start : text.index("商城街道。", start) + len("商城街道。")]


def test_seed_has_what_the_test_compares():
    assert len(seed_annex(1)) == 31 and len(seed_annex(2)) == 13
    assert SENTENCE in seed_paragraph()


def test_demo_annexes_match_the_seed(demo: Path):
    assert main(["run", str(demo)]) == 0
    for n in (1, 2):
        values = sheet_values(demo, f"附件{n}")
        assert values[0][0] == f"附件{n}"
        assert values[2] == (
            "单位名称",
            "公共服务得分",
            "交流互动得分",
            "网站建设及安全得分",
            "政务信息公开得分",
            "总分",
        )
        assert [(r[0], *map(float, r[1:6])) for r in values[3:]] == seed_annex(n)
    assert sheet_values(demo, "附件1")[1][0] == "11月份区直单位网站管理和政务公开情况"
    assert sheet_values(demo, "附件2")[1][0] == "11月份各镇（街道）网站管理和政务公开情况"


def test_demo_bulletin_sheet_holds_the_seed_texts(demo: Path):
    assert main(["run", str(demo)]) == 0
    rows = {(r[0], r[1]) for r in sheet_values(demo, "通报")}
    summary = next(text for label, text in rows if label == "概述")
    assert SENTENCE in summary
    assert summary == seed_paragraph()
    assert ("附件", "1．2021年11月份区直单位网站管理和政务公开情况") in rows
    assert ("附件", "2．2021年11月份各镇（街道）网站管理和政务公开情况") in rows


def test_numbers_are_stored_as_the_seed_prints_them(demo: Path):
    """56 is stored as the integer 56 and 18.5 as 18.5: Excel's General format shows them as the seed does."""
    import zipfile

    assert main(["run", str(demo)]) == 0
    with zipfile.ZipFile(demo) as archive:
        names = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        xml = "".join(archive.read(n).decode() for n in names)
    assert "<v>56</v>" in xml and "<v>18.5</v>" in xml and "<v>0.5</v>" in xml
    assert ".0</v>" not in xml
