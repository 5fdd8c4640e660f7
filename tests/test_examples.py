"""The example workbooks in workbook/examples/ reproduce tables written out by hand here, never produced by pygk."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import ROOT, sheet_values

from pygk.cli import main

sys.path.insert(0, str(ROOT / "tools"))
from build_examples import BOOKS, EXAMPLES, build  # noqa: E402


def run_example(name: str, tmp_path: Path, capsys) -> tuple[Path, str]:
    """`pygk run EXAMPLE -o OUT`; the output and what went to stderr."""
    out = tmp_path / name
    assert main(["run", str(EXAMPLES / name), "-o", str(out)]) == 0
    return out, capsys.readouterr().err


def summary(path: Path) -> str:
    return next(text for label, text, *_ in sheet_values(path, "通报") if label == "概述")


def test_weighted_index_with_dense_ranks(tmp_path: Path, capsys):
    out, err = run_example("加权指数.xlsx", tmp_path, capsys)
    values = sheet_values(out, "附件1")
    assert values[1][0] == "5月份各县（市、区）政务公开指数"
    assert values[2] == ("名次", "县（市、区）", "综合指数", "信息公开指数", "政务服务指数", "互动回应指数")
    # 0.4 × 信息公开 + 0.35 × 政务服务 + 0.25 × 互动回应:
    # 南山区 32 + 28 + 25 = 85; 西河县 34 + 31.5 + 19.5 = 85; 东城县, 青石县 36 + 28 + 20 = 84;
    # 北湖市 38 + 24.5 + 20.5 = 83; 白沙县 28 + 26.25 + 20 = 74.25. Ties by pinyin: nan < xi, dong < qing.
    assert values[3:] == [
        (1, "南山区", 85, 80, 80, 100),
        (1, "西河县", 85, 85, 90, 78),
        (2, "东城县", 84, 90, 80, 80),
        (2, "青石县", 84, 90, 80, 80),
        (3, "北湖市", 83, 95, 70, 82),
        (4, "白沙县", 74.25, 70, 75, 80),
    ]
    # dense ranks 1–3 are five units (competition ranks would stop at four: 1, 1, 3, 3, 5)
    assert summary(out) == (
        "5月份全市政务公开指数前3名（并列不跳号）为：南山区、西河县（并列第1名）、东城县、青石县（并列第2名）、北湖市，"
        "共5个单位；末位为：白沙县（74.25分）。"
    )
    assert err == ""


def test_counts_not_added_and_an_entered_total(tmp_path: Path, capsys):
    out, err = run_example("录入总分.xlsx", tmp_path, capsys)
    values = sheet_values(out, "附件1")
    assert values[2] == ("单位名称", "网站检查(60)", "政务新媒体(40)", "发现问题数", "合计")
    assert values[3:] == [
        ("民政局", 58, 35, 0, 93),
        ("发展改革委", 55, 36, 1, 91),
        ("教育局", 50, 38, 2, 88),
        ("文化广电和旅游局", None, None, None, 85),
        ("财政局", 48, 30, 5, 80),
        ("统计局", 40, 30, 6, 70),
    ]
    assert summary(out) == "其中表现较好的单位有：民政局（93分）、发展改革委（91分）；表现较差的有：统计局（70分）。"
    # 财政局: 48 + 30 = 78, entered 80; the team's 合计 column is left as entered
    assert "注意（1 处" in err
    assert "工作表“市直部门”单元格 E5：“财政局”录入的总分 80 与按评分项目计算的 78 相差超过 0.01" in err
    assert [row[4] for row in sheet_values(out, "市直部门")][:7] == ["合计", 91, 88, 93, 80, 85, 70]


def test_roster_order_with_per_group_sentences(tmp_path: Path, capsys):
    out, err = run_example("名单顺序.xlsx", tmp_path, capsys)
    towns, offices = sheet_values(out, "附件1"), sheet_values(out, "附件2")
    assert towns[1][0] == "2024年5月乡镇（街道）检查结果"
    assert towns[2] == ("单位名称", "公开", "服务", "总分", "排名")
    assert towns[3:] == [
        ("城关镇", 55, 37, 92, 2),
        ("温泉街道", 57, 38, 95, 1),
        ("安乐镇", 54, 36, 90, 3),
        ("白马镇", 30, 28, 58, 5),
        ("山化镇", 45, 30, 75, 4),
    ]
    assert offices[3:] == [
        ("财政局", 50, 38, 88, 2),
        ("科技局", 52, 36, 88, 2),
        ("文化广电和旅游局", 55, 36, 91, 1),
        ("审计局", 40, 21, 61, 4),
    ]
    # ＞90 leaves 安乐镇's 90 out; nobody in 区直部门 is under 60, so that group's clause is dropped
    assert summary(out) == (
        "5月份检查情况如下：乡镇（街道）：温泉街道（95分）、城关镇（92分）表现较好，白马镇表现较差。"
        "区直部门：文化广电和旅游局（91分）表现较好。共3个单位表现较好。"
    )
    lines = [r[1] for r in sheet_values(out, "通报") if r[0] == "附件"]
    assert lines == ["1．2024年5月乡镇（街道）检查结果", "2．2024年5月区直部门检查结果"]
    assert err == ""


@pytest.mark.parametrize("name", BOOKS)
def test_committed_examples_match_their_builder(tmp_path: Path, name: str):
    build(tmp_path)
    book = __import__("openpyxl").load_workbook(EXAMPLES / name)
    assert book.sheetnames == list(BOOKS[name])
    for sheet in book.sheetnames:
        assert sheet_values(EXAMPLES / name, sheet) == sheet_values(tmp_path / name, sheet), sheet
