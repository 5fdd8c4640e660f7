"""How generated sheets look on paper: GB/T 9704-2012 page, fonts and column widths.

Pure data and arithmetic, shared by every adapter.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from pygk.core import texts

MM_PER_INCH = 25.4

# GB/T 9704-2012: A4, top 37 mm, binding (left) 28 mm, text block 156 x 225 mm.
PAPER_A4 = 9
MARGIN_MM = {"top": 37.0, "left": 28.0, "right": 210.0 - 28.0 - 156.0, "bottom": 297.0 - 37.0 - 225.0}
TEXT_HEIGHT_MM = 225.0
HEADER_MM = 15.0
FOOTER_MM = 21.0  # puts the page number about 7 mm below the text block
# Page numbers as in the bulletin (GB/T 9704): odd pages right, even pages left, one 四号 character in.
FOOTER_ODD = '&R&"宋体"&14— &P —\u3000'
FOOTER_EVEN = '&L&"宋体"&14\u3000— &P —'
NAME_INDENT = 1  # name cells keep one indent step off the left border
TEXT_WIDTH_PT = 156.0 / MM_PER_INCH * 72

FONT_LABEL = ("黑体", 16.0)  # 3号黑体: "附件1"
FONT_TITLE = ("方正小标宋简体", 22.0)  # 2号小标宋
FONT_HEADER = ("黑体", 12.0)
FONT_BODY = ("仿宋_GB2312", 12.0)
FONT_PAGE_NUMBER = "宋体"
ANNEX_FONTS = tuple(dict.fromkeys((FONT_LABEL[0], FONT_TITLE[0], FONT_HEADER[0], FONT_BODY[0], FONT_PAGE_NUMBER)))

GONGWEN_FONTS = ("仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体")  # what pygk's documents name

# Where a 公文 font is missing, faces of the same family to print with, best first: serif (宋/仿宋/楷) for
# the body and titles, sans for 黑体. Windows and WPS names first, then free faces Linux desktops carry.
_SERIF_FREE = ("Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "思源宋体", "AR PL UMing CN",
               "Noto Serif CJK TC", "Noto Serif CJK JP")  # fmt: skip
_SANS_FREE = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "思源黑体", "WenQuanYi Zen Hei",
              "WenQuanYi Micro Hei", "Noto Sans CJK JP", "Droid Sans Fallback")  # fmt: skip
FONT_SUBSTITUTES: dict[str, tuple[str, ...]] = {
    "仿宋_GB2312": ("仿宋", "FangSong", "STFangsong", "华文仿宋", *_SERIF_FREE, "宋体", "SimSun"),
    "方正小标宋简体": ("方正小标宋_GBK", "华文中宋", "STZhongsong", *_SERIF_FREE, "宋体", "SimSun"),
    "楷体_GB2312": ("楷体", "KaiTi", "STKaiti", "华文楷体", "AR PL UKai CN", *_SERIF_FREE),
    "宋体": ("SimSun", "NSimSun", "Songti SC", *_SERIF_FREE),
    "黑体": ("SimHei", "Heiti SC", "STHeiti", *_SANS_FREE),
}


def substitutions(wanted: Sequence[str], installed: frozenset[str]) -> list[tuple[str, str]]:
    """(font, face to print with) for each wanted font not installed; installed names are compared casefolded."""
    pairs = []
    for font in wanted:
        if font.casefold() in installed:
            continue
        used = next((face for face in FONT_SUBSTITUTES.get(font, ()) if face.casefold() in installed), None)
        if used is not None:
            pairs.append((font, used))
    return pairs


# Column widths are in Excel character units; about 83 fill the 156 mm text block.
PAGE_WIDTH_UNITS = 83.0
UNITS_PER_WIDE_CHAR = 2.2  # one CJK character at 12 pt
MIN_NAME_UNITS = 14.0
MAX_NAME_UNITS = 30.0
MIN_NUMBER_UNITS = 7.0
LINE_PT = 16.0
BODY_ROW_PT = 18.0  # 12 pt text centred with room above and below; 31 units fit one A4 page


def margins_inches() -> dict[str, float]:
    """Page margins in inches, as SpreadsheetML wants them."""
    result = {side: round(mm / MM_PER_INCH, 4) for side, mm in MARGIN_MM.items()}
    result["header"] = round(HEADER_MM / MM_PER_INCH, 4)
    result["footer"] = round(FOOTER_MM / MM_PER_INCH, 4)
    return result


def text_units(text: str) -> float:
    """Width of text in Excel character units at 12 pt (wide characters count double)."""
    return sum(UNITS_PER_WIDE_CHAR if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in text)


@dataclass(frozen=True)
class TableLayout:
    """Column widths of an annex table and the height of its header row."""

    widths: tuple[float, ...]
    header_height: float
    title_height: float


def table_layout(header: Sequence[str], names: Sequence[str], title: str, name_col: int = 0) -> TableLayout:
    """Widths that fill the text block: the name column (at name_col) fits the longest name, the rest share."""
    longest = max((text_units(n) for n in names), default=MIN_NAME_UNITS)
    name_width = min(max(longest + 2, MIN_NAME_UNITS, text_units(header[name_col]) + 2), MAX_NAME_UNITS)
    others = len(header) - 1
    share = max((PAGE_WIDTH_UNITS - name_width) / max(others, 1), MIN_NUMBER_UNITS)
    widths = tuple(round(name_width if i == name_col else share, 2) for i in range(len(header)))
    lines = max(math.ceil(text_units(h) / max(w - 1, 1)) for h, w in zip(header, widths))
    title_lines = math.ceil(len(title) * FONT_TITLE[1] / TEXT_WIDTH_PT)
    return TableLayout(widths, lines * LINE_PT + 6, title_lines * FONT_TITLE[1] * 1.45 + 6)


# --- the generated sheets' content, shared by the file and live adapters ---------
LABEL_ROW, TITLE_ROW, HEADER_ROW, FIRST_BODY_ROW = 0, 1, 2, 3
BULLETIN_WIDTHS = (12.0, 90.0)
GOOD_FILL, GOOD_FONT = "C6EFCE", "006100"  # Excel's "好" cell style colours
BAD_FILL, BAD_FONT = "FFC7CE", "9C0006"  # Excel's "差"
NOTE_COLOR = "7F7F7F"


def annex_grid(label: str, title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[list[object]]:
    """An annex sheet's values: label, title, header, then the sorted rows."""
    return [[label], [title], list(header), *(list(row) for row in rows)]


def bulletin_grid(header: Sequence[str], rows: Sequence[tuple[str, str]], note: str) -> list[list[object]]:
    """The 通报 sheet's values: header, one labelled row per text, a blank row and the note."""
    return [list(header), *([key, value] for key, value in rows), [], [None, note]]


# --- the 趋势 sheet ------------------------------------------------------------------
TREND_DATA_COL = 11  # column L: data tables sit right of the printed charts
ROWS_PER_CM = 1 / 0.53  # default row height 15 pt
CHART_CM_PER_BAR, CHART_MIN_CM, CHART_MAX_CM = 0.55, 7.5, 24.0


@dataclass(frozen=True)
class ChartPlace:
    """A chart on the 趋势 sheet (0-based cells): data columns, rows, and the top-left anchor row."""

    kind: str  # "bar" or "line"
    title: str
    categories: tuple[int, int, int]  # column, first row, last row
    series: tuple[tuple[int, int, int, int], ...]  # column, title row, first row, last row
    anchor_row: int
    height_cm: float


def trend_layout(trend) -> tuple[list[list[object]], list[ChartPlace]]:
    """The 趋势 sheet's values and where each chart's data and picture go, for a plan's Trend.

    Charts are stacked in columns A–J (the printed part, A4 wide); their data tables
    sit to the right from column L.
    """
    bars, periods, series = trend.bars, trend.periods, trend.series
    unit, total, month = texts.UNIT, texts.TOTAL, texts.H_MONTH
    grid: list[list[object]] = [[texts.TREND_NOTE]]
    charts: list[ChartPlace] = []
    next_row = 2
    data_col = TREND_DATA_COL
    for title, rows in bars:
        _put(grid, 1, data_col, [unit, total])
        for i, (name, value) in enumerate(rows):
            _put(grid, 2 + i, data_col, [name, value])
        height = min(max(len(rows) * CHART_CM_PER_BAR, CHART_MIN_CM), CHART_MAX_CM)
        charts.append(ChartPlace("bar", title, (data_col, 2, 1 + max(len(rows), 1)),
                                 ((data_col + 1, 1, 2, 1 + max(len(rows), 1)),), next_row, height))  # fmt: skip
        next_row += math.ceil(height * ROWS_PER_CM) + 2
        data_col += 3
    if series and periods:
        _put(grid, 1, data_col, [month, *(name for name, _ in series)])
        for i, label in enumerate(periods):
            _put(grid, 2 + i, data_col, [label, *(values[i] for _, values in series)])
        last = 1 + len(periods)
        charts.append(ChartPlace("line", texts.TREND_LINE_TITLE, (data_col, 2, last),
                                 tuple((data_col + 1 + j, 1, 2, last) for j in range(len(series))),
                                 next_row, CHART_MIN_CM * 1.2))  # fmt: skip
    return grid, charts


def _put(grid: list[list[object]], row: int, col: int, values: Sequence[object]) -> None:
    while len(grid) <= row:
        grid.append([])
    cells = grid[row]
    if len(cells) < col + len(values):
        cells.extend([None] * (col + len(values) - len(cells)))
    cells[col : col + len(values)] = list(values)
