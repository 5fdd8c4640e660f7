"""Workbooks built from code the way other districts' bulletins lay out their tables (issue 10)."""

from __future__ import annotations

from pathlib import Path

from conftest import sheet_values, write_book

from pygk.cli import main

BASE_KEYS: dict[str, object] = {
    "年份": 2024,
    "月份": 5,
    "发文单位": "某县人民政府办公室",
    "通报标题": "{年}年{月}月政务公开工作情况通报",
    "通报段落": "其中表现较好的单位有：{较好单位}；表现较差的有：{较差单位}。",
    "附件标题": "{月}月份{组}政务公开情况",
}


def settings_rows(keys: dict[str, object], items: list[list[object]], groups: list[list[object]],
                  item_header: tuple[str, ...] = ("评分项目", "满分", "权重", "计入总分"),
                  group_header: tuple[str, ...] = ("工作表", "附件中名称", "较好单位数", "较差单位数", "段落"),
                  ) -> list[list[object]]:  # fmt: skip
    """A 设置 sheet from scratch: the base keys updated by `keys`, the item table, the group table."""
    rows: list[list[object]] = [["项目", "值", "说明"]]
    rows += [[key, value] for key, value in {**BASE_KEYS, **keys}.items()]
    rows += [[], list(item_header), *items, [], list(group_header), *groups]
    return rows


def run_book(path: Path, grids: dict[str, list[list[object]]], capsys=None) -> tuple[int, str]:
    """Write the grids as a real .xlsx, run `pygk run` on it; the exit code and what went to stderr."""
    write_book(path, grids)
    code = main(["run", str(path)])
    err = capsys.readouterr().err if capsys is not None else ""
    return code, err


def annex(path: Path, n: int) -> tuple[tuple[object, ...], list[tuple[object, ...]]]:
    """Annex n read back with openpyxl: its header row and body rows."""
    values = sheet_values(path, f"附件{n}")
    return values[2], values[3:]


def summary(path: Path) -> str:
    """The 通报 sheet's 概述 text, read back."""
    return next(text for label, text, *_ in sheet_values(path, "通报") if label == "概述")
