"""Build the template workbook clerks open from the text sources in workbook/src/.

    python tools/build_template.py            # writes workbook/政务公开通报.xlsx
    python tools/build_template.py OUT.xlsx   # writes elsewhere (the tests compare the two)

Sources: 设置.tsv (the 设置 sheet cell by cell), one CSV per group sheet named as the
group table in 设置 names it, and 工作事项.txt (the 通报 sheet's work items, one per
paragraph). Change the sources, run this script, commit both.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pygk.core import ownership, texts  # noqa: E402
from pygk.core.layout import NOTE_COLOR, SONG  # noqa: E402
from pygk.core.settings import parse_settings  # noqa: E402

SOURCES = ROOT / "workbook" / "src"
TEMPLATE = ROOT / "workbook" / "政务公开通报.xlsx"
BUILT_WITH = {"openpyxl": "3.1.5"}  # the committed template's bytes come from these; rebuild when changing them
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_FONT = Font(name=SONG, size=11, bold=True)
CHOICES = {
    texts.KEY_BEST_MODE: (texts.MODE_COUNT, texts.MODE_THRESHOLD),
    texts.KEY_WORST_MODE: (texts.MODE_COUNT, texts.MODE_THRESHOLD),
    texts.KEY_TIE: (texts.TIE_ROSTER, texts.TIE_CATEGORIES, texts.TIE_PINYIN),
    texts.KEY_TOTAL_SOURCE: (texts.SOURCE_COMPUTED, texts.SOURCE_ENTERED),
    texts.KEY_SCORE_SOURCE: (texts.SOURCE_TYPED, texts.SOURCE_FINDINGS),
    texts.KEY_HEADER_MAXIMA: (texts.YES, texts.NO),
    texts.KEY_ANNEX_ORDER: (texts.ORDER_TOTAL, texts.ORDER_ROSTER),
    texts.KEY_RANK_COLUMN: (texts.YES, texts.NO),
    texts.KEY_RANK_STYLE: (texts.RANK_COMPETITION, texts.RANK_DENSE),
    texts.KEY_SHOW_CHANGE: (texts.YES, texts.NO),
    texts.KEY_REPEAT: (texts.YES, texts.NO),
}


def typed(text: str) -> object:
    """A source cell as the clerk would type it: numbers as numbers, blanks as empty."""
    if text == "":
        return None
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() else number


def settings_rows() -> list[list[str]]:
    """The 设置 sheet's cells from 设置.tsv."""
    with open(SOURCES / "设置.tsv", encoding="utf-8") as handle:
        return [line.rstrip("\n").split("\t") for line in handle]


def group_rows(sheet: str) -> list[list[str]]:
    """A group sheet's cells from its CSV."""
    with open(SOURCES / f"{sheet}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def work_items() -> list[str]:
    """The 通报 sheet's work items: paragraphs of 工作事项.txt."""
    text = (SOURCES / "工作事项.txt").read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def style_header(cells) -> None:
    for cell in cells:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def build_settings(book: Workbook, rows: list[list[str]]) -> None:
    sheet = book.active
    sheet.title = texts.SETTINGS_SHEET
    for values in rows:
        sheet.append([typed(v) if i >= 1 else (v or None) for i, v in enumerate(values)])
    headers = {texts.SETTINGS_HEADER[0], texts.CATEGORY_HEADER[0], texts.GROUP_HEADER[0]}
    for row in sheet.iter_rows():
        if row[0].value in headers:
            style_header(c for c in row if c.value is not None)
        for cell in row[1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        key = row[0].value
        if key in CHOICES:
            rule = DataValidation(type="list", formula1='"' + ",".join(CHOICES[key]) + '"', allow_blank=True)
            rule.error, rule.errorTitle = "请从下拉列表中选择。", texts.SETTINGS_SHEET
            sheet.add_data_validation(rule)
            rule.add(row[1])
        if key == texts.CATEGORY_HEADER[0]:  # 计入总分 below the item table's header: 是 or 否, room for 12 items
            column = next(c.column_letter for c in row if c.value == texts.COUNTED_HEADER)
            counted = DataValidation(type="list", formula1=f'"{texts.YES},{texts.NO}"', allow_blank=True)
            counted.error, counted.errorTitle = "请从下拉列表中选择。", texts.COUNTED_HEADER
            sheet.add_data_validation(counted)
            counted.add(f"{column}{row[0].row + 1}:{column}{row[0].row + 12}")
    sheet.column_dimensions["A"].width = 20
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["C"].width = 60
    sheet.column_dimensions["D"].width = 12
    sheet.column_dimensions["E"].width = 40
    sheet.freeze_panes = "A2"


def build_group(book: Workbook, sheet_name: str, rows: list[list[str]], maxima: dict[str, float | None]) -> None:
    sheet = book.create_sheet(sheet_name)
    header = rows[0]
    sheet.append(header)
    for values in rows[1:]:
        sheet.append([v or None if i < 2 else typed(v) for i, v in enumerate(values)])
    style_header(sheet[1])
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 14
    last = len(rows)
    for col, name in enumerate(header[2:], start=3):
        letter = sheet.cell(row=1, column=col).column_letter
        sheet.column_dimensions[letter].width = 12
        maximum = maxima.get(name)
        if maximum is None:
            rule = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
            rule.error = "请填写不小于 0 的数字。"
        else:
            rule = DataValidation(type="decimal", operator="between", formula1="0", formula2=f"{maximum:g}")
            rule.error = f"请填写 0 到 {maximum:g} 之间的数字。"
        rule.errorTitle, rule.showErrorMessage = name, True
        sheet.add_data_validation(rule)
        rule.add(f"{letter}2:{letter}{max(last, 2) + 200}")


def build_bulletin(book: Workbook, groups: int) -> None:
    """The 通报 sheet with pygk's rows in place (标题, 概述, 附件…) around the work items, and its marks."""
    sheet = book.create_sheet(texts.BULLETIN_SHEET)
    sheet.append(list(texts.BULLETIN_HEADER))
    style_header(sheet[1])
    owned = [(1, 1), (2, 2), (3, 3)]
    sheet.append([texts.ROW_TITLE, None])
    sheet.append([texts.ROW_SUMMARY, None])
    for item in work_items():
        sheet.append([texts.ROW_WORK, item])
    first = sheet.max_row + 1
    for _ in range(groups):
        sheet.append([texts.ROW_ATTACHMENT, None])
    owned.append((first, sheet.max_row))
    sheet.append([])
    sheet.append([None, texts.BULLETIN_NOTE])
    note = sheet.max_row
    for row in sheet.iter_rows(min_row=2, max_row=note - 2):
        row[0].font = Font(name=SONG, size=11, bold=True)
        row[0].alignment = Alignment(vertical="top")
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.cell(note, 2).font = Font(name=SONG, size=10, color="FF" + NOTE_COLOR)
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 90
    quoted = "'" + texts.BULLETIN_SHEET + "'"
    rows = [r for a, b in owned for r in range(a, b + 1)]
    areas = [f"{quoted}!$A${r}:$B${r}" for r in rows] + [f"{quoted}!$B${note}"]  # one area per row, as pygk marks
    mark(sheet.defined_names, ownership.SHEET_MARK, f'"{texts.BULLETIN_SHEET}"')
    mark(sheet.defined_names, ownership.CELLS_MARK, ",".join(areas))
    mark(book.defined_names, ownership.BOOK_MARK, f'"{ownership.MARK_VERSION}"')


def mark(names, name: str, formula: str) -> None:
    """A hidden defined name, as pygk marks what it owns."""
    names[name] = DefinedName(name, attr_text=formula, hidden=True)


def build(target: Path) -> None:
    """Write the template workbook to `target`."""
    rows = settings_rows()
    settings = parse_settings(rows)
    maxima = {c.name: c.maximum for c in settings.categories}
    book = Workbook()
    build_settings(book, rows)
    for group in settings.groups:
        build_group(book, group.sheet, group_rows(group.sheet), maxima)
    build_bulletin(book, len(settings.groups))
    book.active = 1
    book.save(target)
    order_fonts(target)


def order_fonts(target: Path) -> None:
    """Rewrite styles.xml with each font's properties in schema order (openpyxl writes the name first)."""
    import zipfile

    from lxml import etree

    from pygk.adapters.xlsx.styles import order_fonts as order_font_children

    with zipfile.ZipFile(target) as archive:
        contents = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in contents:
            if info.filename == "xl/styles.xml":
                root = etree.fromstring(data)
                order_font_children(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            out.writestr(info, data)


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATE)
