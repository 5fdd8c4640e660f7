"""How generated sheets look on paper: GB/T 9704-2012 page, fonts and column widths.

Pure data and arithmetic, shared by every adapter.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from pygk.core.values import display

MM_PER_INCH = 25.4

# GB/T 9704-2012: A4, top 37 mm, binding (left) 28 mm, text block 156 x 225 mm.
PAPER_A4 = 9
MARGIN_MM = {"top": 37.0, "left": 28.0, "right": 210.0 - 28.0 - 156.0, "bottom": 297.0 - 37.0 - 225.0}
TEXT_HEIGHT_MM = 225.0
HEADER_MM = 15.0
FOOTER_MM = 21.0  # puts the page number about 7 mm below the text block
# Page numbers as in the bulletin (GB/T 9704): odd pages right, even pages left, one 四号 character in.
NAME_INDENT = 1  # name cells keep one indent step off the left border
TEXT_WIDTH_PT = 156.0 / MM_PER_INCH * 72

SONG, HEI, FANGSONG, XIAOBIAOSONG, KAI = "宋体", "黑体", "仿宋_GB2312", "方正小标宋简体", "楷体_GB2312"
LEFT, RIGHT = "left", "right"
FOOTER_ODD = (RIGHT, f'&"{SONG}"&14— &P —\u3000')  # (side, the side's header/footer code)
FOOTER_EVEN = (LEFT, f'&"{SONG}"&14\u3000— &P —')
FONT_LABEL = (HEI, 16.0)  # 3号黑体: "附件1"
FONT_TITLE = (XIAOBIAOSONG, 22.0)  # 2号小标宋
FONT_HEADER = (HEI, 12.0)
FONT_BODY = (FANGSONG, 12.0)
FONT_PAGE_NUMBER = SONG
ANNEX_FONTS = tuple(dict.fromkeys((FONT_LABEL[0], FONT_TITLE[0], FONT_HEADER[0], FONT_BODY[0], FONT_PAGE_NUMBER)))

GONGWEN_FONTS = (FANGSONG, XIAOBIAOSONG, HEI, KAI, SONG)  # what pygk's documents name

# Where a 公文 font is missing, faces of the same family to print with, best first: serif (宋/仿宋/楷) for
# the body and titles, sans for 黑体. Windows and WPS names first, then free faces Linux desktops carry.
_SERIF_FREE = ("Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "思源宋体", "AR PL UMing CN",
               "Noto Serif CJK TC", "Noto Serif CJK JP")  # fmt: skip
_SANS_FREE = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "思源黑体", "WenQuanYi Zen Hei",
              "WenQuanYi Micro Hei", "Noto Sans CJK JP", "Droid Sans Fallback")  # fmt: skip
FONT_SUBSTITUTES: dict[str, tuple[str, ...]] = {
    FANGSONG: ("仿宋", "FangSong", "STFangsong", "华文仿宋", *_SERIF_FREE, SONG, "SimSun"),
    XIAOBIAOSONG: ("方正小标宋_GBK", "华文中宋", "STZhongsong", *_SERIF_FREE, SONG, "SimSun"),
    KAI: ("楷体", "KaiTi", "STKaiti", "华文楷体", "AR PL UKai CN", *_SERIF_FREE),
    SONG: ("SimSun", "NSimSun", "Songti SC", *_SERIF_FREE),
    HEI: ("SimHei", "Heiti SC", "STHeiti", *_SANS_FREE),
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
MAX_COLUMN_UNITS = 255.0  # the widest column Excel accepts (a wider one is repaired)
PAGE_WIDTH_UNITS = 83.0
UNITS_PER_WIDE_CHAR = 2.2  # one CJK character at 12 pt
MIN_NAME_UNITS = 14.0
MAX_NAME_UNITS = 30.0
MIN_NUMBER_UNITS = 7.0
LINE_PT = 16.0
BODY_ROW_PT = 18.0  # 12 pt text centred with room above and below; 31 units fit one A4 page
MAX_ROW_PT = 409.0  # Excel's highest row


def margins_inches() -> dict[str, float]:
    """Page margins in inches, as SpreadsheetML wants them."""
    result = {side: round(mm / MM_PER_INCH, 4) for side, mm in MARGIN_MM.items()}
    result["header"] = round(HEADER_MM / MM_PER_INCH, 4)
    result["footer"] = round(FOOTER_MM / MM_PER_INCH, 4)
    return result


def text_units(text: str) -> float:
    """Width of text in Excel character units at 12 pt (wide characters, quotation marks among them, count double)."""
    return _steps_units(text.translate(_WIDTH_CLASS))


WIDE, NARROW = "W", "N"  # a character's width class, as text_units and lines_of see it


class _WidthClasses(dict[int, str]):
    """Code point -> WIDE or NARROW, filled as characters are met (for str.translate)."""

    def __missing__(self, code: int) -> str:
        wide = unicodedata.east_asian_width(chr(code)) in "WFA"
        self[code] = kind = WIDE if wide else NARROW
        return kind


_WIDTH_CLASS = _WidthClasses()


@lru_cache(maxsize=1 << 16)
def _steps_units(steps: str) -> float:
    """The units of a text given as its characters' width classes (texts of one shape share it: unit names)."""
    return sum(_STEP_UNITS[step] for step in steps)


_STEP_UNITS = {WIDE: UNITS_PER_WIDE_CHAR, NARROW: 1.1}


def printed_texts(cells: Sequence[Sequence[object]], col: int) -> list[str]:
    """The distinct texts of a column as printed (values.display), each distinct value printed once."""
    values = [row[col] for row in cells]
    distinct = dict.fromkeys(zip(map(type, values), values))  # by type too: True, 1 and 1.0 print differently
    return list(dict.fromkeys(display(value) for _, value in distinct))


@dataclass(frozen=True)
class TableSizes:
    """Column widths of an annex table, the heights of its title, header and body rows, the columns that wrap."""

    widths: tuple[float, ...]
    header_height: float
    title_height: float
    row_heights: tuple[float, ...] = ()  # one per body row
    wrapped: tuple[int, ...] = ()  # text columns whose texts take more than one line


def table_sizes(header: Sequence[str], name_cols: Sequence[int], names: Sequence[str], title: str,
                text_cols: Sequence[int] = (), cells: Sequence[Sequence[object]] = ()) -> TableSizes:  # fmt: skip
    """Widths that fill the text block: a name column fits the longest name, the other columns share the rest.

    When a text column's texts (`cells`: the body rows, printed as values.display prints them) do
    not fit that share (a 问题清单), the columns are sized by content instead (`content_widths`) and
    each row is as high as its fullest cell's wrapped lines. Each distinct text is measured once.
    """
    longest = max(map(text_units, set(names)), default=MIN_NAME_UNITS)
    named = set(name_cols)
    name_widths = {c: min(max(longest + 2, MIN_NAME_UNITS, text_units(header[c]) + 2), MAX_NAME_UNITS) for c in named}
    others = len(header) - len(named)
    share = max((PAGE_WIDTH_UNITS - sum(name_widths.values())) / max(others, 1), MIN_NUMBER_UNITS)
    widths = tuple(round(name_widths.get(c, share), 2) for c in range(len(header)))
    sized = [c for c in text_cols if c not in named]
    printed = {c: printed_texts(cells, c) for c in dict.fromkeys(sized)}
    if any(max(map(text_units, printed[c]), default=0.0) + TEXT_PAD_UNITS > widths[c] for c in sized):
        widths = content_widths(header, name_widths, sized, cells)
    wrapped = tuple(c for c in sized if any(lines_of(text, widths[c]) > 1 for text in printed[c]))
    heights = (_row_height(()),) * len(cells)
    if wrapped:
        lines = [{text: lines_of(text, widths[c]) for text in printed[c]} for c in wrapped]
        heights = tuple(_row_height([of[display(row[c])] for c, of in zip(wrapped, lines)]) for row in cells)
    header_lines = max(math.ceil(text_units(h) / max(w - 1, 1)) for h, w in zip(header, widths))
    title_lines = math.ceil(len(title) * FONT_TITLE[1] / TEXT_WIDTH_PT)
    return TableSizes(
        widths,
        min(header_lines * LINE_PT + 6, MAX_ROW_PT),  # settings keep titles short; never a row Excel repairs
        min(title_lines * FONT_TITLE[1] * 1.45 + 6, MAX_ROW_PT),
        heights,
        wrapped,
    )


def _row_height(lines: Sequence[int]) -> float:
    """A body row's height for the lines of its wrapped cells."""
    return min(BODY_ROW_PT + (max(lines or [1]) - 1) * LINE_PT, MAX_ROW_PT)


# --- wrapped text: a text column sized by its content, its cells broken into lines --------------
TEXT_PAD_UNITS = 1.0  # a cell's text keeps this much room from its borders
WIDTH_PRECISION = 0.05  # widths are searched to this many units


def lines_of(text: str, width: float) -> int:
    """Lines a text takes in a column `width` units wide, broken between characters (as CJK text is)."""
    return _steps_lines(text.translate(_WIDTH_CLASS), width)


@lru_cache(maxsize=1 << 16)
def _steps_lines(steps: str, width: float) -> int:
    per_line = max(width - TEXT_PAD_UNITS, UNITS_PER_WIDE_CHAR)
    lines, used = 1, 0.0
    for kind in steps:
        step = _STEP_UNITS[kind]
        if used and used + step > per_line:
            lines, used = lines + 1, 0.0
        used += step
    return lines


def _width_for(texts: Sequence[str], lines: int) -> float:
    """The narrowest column (to WIDTH_PRECISION) in which each of the texts takes at most `lines` lines."""
    width = UNITS_PER_WIDE_CHAR + TEXT_PAD_UNITS
    for text in sorted(set(texts), key=text_units, reverse=True):
        units = text_units(text)
        enough = units / lines + UNITS_PER_WIDE_CHAR + TEXT_PAD_UNITS  # lines this wide always hold it
        if enough <= width:  # so do they every shorter text (longest first)
            break
        if lines_of(text, width) <= lines:
            continue
        low, high = max(width, units / lines + TEXT_PAD_UNITS), enough
        while high - low > WIDTH_PRECISION:
            middle = (low + high) / 2
            low, high = (low, middle) if lines_of(text, middle) <= lines else (middle, high)
        width = high
    return width


def content_widths(header: Sequence[str], fixed: dict[int, float], text_cols: Sequence[int],
                   cells: Sequence[Sequence[object]]) -> tuple[float, ...]:  # fmt: skip
    """Widths by content: names as given (`fixed`), numbers as wide as their texts, text columns sharing the rest.

    The text columns get the widths that keep the fullest row to the fewest lines, each at least
    as wide as its header in two lines; those that then fit whole on one line (shortest first) get
    that, and all are widened in proportion to fill the text block.
    """
    widths = dict(fixed)
    for c in range(len(header)):
        if c not in widths and c not in text_cols:
            widths[c] = max([text_units(t) + 2 for t in printed_texts(cells, c)] + [text_units(header[c]) + 2,
                                                                                 MIN_NUMBER_UNITS])  # fmt: skip
    room = PAGE_WIDTH_UNITS - sum(widths.values())
    least = {c: max(text_units(header[c]) / (1 if len(header[c]) <= 4 else 2) + TEXT_PAD_UNITS, MIN_NUMBER_UNITS)
             for c in text_cols}  # fmt: skip
    columns = {c: printed_texts(cells, c) for c in text_cols}  # _width_for needs each distinct text once
    most = max((len(text) for texts in columns.values() for text in texts), default=1)
    need = dict(least)
    for lines in range(1, most + 1):
        need = {c: max(least[c], _width_for(columns[c], lines)) for c in text_cols}
        if sum(need.values()) <= room or need == least:  # it fits, or more lines would not narrow it
            break
    for c in sorted(text_cols, key=lambda c: _width_for(columns[c], 1)):  # short texts (a date) kept on one line
        whole = max(least[c], _width_for(columns[c], 1))
        if sum(need.values()) - need[c] + whole <= room:
            need[c] = whole
    scale = max(room / sum(need.values()), 1.0) if need else 1.0
    widths.update({c: need[c] * scale for c in text_cols})
    return tuple(round(min(widths[c], MAX_COLUMN_UNITS), 2) for c in range(len(header)))


RECORD_MIN_UNITS, RECORD_MAX_UNITS = 6.0, 40.0  # a record sheet's column (扣分历史): as wide as its texts, within these


def record_widths(columns: Sequence[Sequence[str]]) -> tuple[float, ...]:
    """Widths of a record sheet's columns: each fits its longest text (header included), within the bounds."""
    return tuple(round(min(max(max((text_units(t) for t in texts), default=0.0) + 2, RECORD_MIN_UNITS),
                           RECORD_MAX_UNITS), 2) for texts in columns)  # fmt: skip


# --- style roles: what each kind of cell pygk writes looks like, defined once -------------
@dataclass(frozen=True)
class Font:
    """A font by name and size in points."""

    name: str
    size: float
    bold: bool = False
    color: str | None = None  # RGB like "006100"


@dataclass(frozen=True)
class Style:
    """What a cell looks like; None and False leave the program's default."""

    font: Font
    fill: str | None = None  # solid fill, RGB
    border: bool = False  # lines of BORDER_WEIGHT on all four sides
    horizontal: str | None = None  # "left" or "center"
    vertical: str | None = None  # "top" or "center"
    wrap: bool = False
    indent: int = 0
    number_format: str = "General"


GOOD_FILL, GOOD_FONT = "C6EFCE", "006100"  # Excel's "好" cell style colours
BAD_FILL, BAD_FONT = "FFC7CE", "9C0006"  # Excel's "差"
NOTE_COLOR = "7F7F7F"
DEFAULT_FONT = Font(SONG, 11)  # a workbook's default font where pygk makes the style table

# Roles (the names adapters and sheet plans use): 附件 label 标题 表头 正文 数字, 图例 好/差, notes.
ANNEX_LABEL, ANNEX_TITLE, TABLE_HEADER, TABLE_NAME, TABLE_NUMBER = "label", "title", "header", "name", "number"
TABLE_TEXT = "text"  # a table column of texts that wrap (the 问题清单's 问题描述)
LEGEND_GOOD, LEGEND_BAD = "legend_good", "legend_bad"
SHEET_HEADER, TABLE_TOP, ROW_LABEL, PARAGRAPH = "sheet_header", "table_top", "row_label", "paragraph"
NOTE, SMALL_NOTE = "note", "small_note"
_BOLD = Font(SONG, 11, bold=True)
STYLES: dict[str, Style] = {
    ANNEX_LABEL: Style(Font(*FONT_LABEL), horizontal="left", vertical="center"),
    ANNEX_TITLE: Style(Font(*FONT_TITLE), horizontal="center", vertical="center", wrap=True),
    TABLE_HEADER: Style(Font(*FONT_HEADER), border=True, horizontal="center", vertical="center", wrap=True),
    TABLE_NAME: Style(Font(*FONT_BODY), border=True, horizontal="left", vertical="center", indent=NAME_INDENT),
    TABLE_NUMBER: Style(Font(*FONT_BODY), border=True, horizontal="center", vertical="center"),
    TABLE_TEXT: Style(Font(*FONT_BODY), border=True, horizontal="left", vertical="center", wrap=True),
    LEGEND_GOOD: Style(Font(SONG, 11, color=GOOD_FONT), fill=GOOD_FILL, horizontal="center", vertical="center"),
    LEGEND_BAD: Style(Font(SONG, 11, color=BAD_FONT), fill=BAD_FILL, horizontal="center", vertical="center"),
    SHEET_HEADER: Style(_BOLD, horizontal="center", vertical="center"),
    TABLE_TOP: Style(_BOLD, vertical="center"),
    ROW_LABEL: Style(_BOLD, vertical="top"),
    PARAGRAPH: Style(Font(*FONT_BODY), vertical="top", wrap=True),
    NOTE: Style(Font(SONG, 10, color=NOTE_COLOR), vertical="center", wrap=True),
    SMALL_NOTE: Style(Font(SONG, 10, color=NOTE_COLOR), vertical="center"),
}

# Best and worst rows: a conditional format of fill and font colour.
GOOD, BAD = "good", "bad"
HIGHLIGHTS: dict[str, tuple[str, str]] = {GOOD: (GOOD_FILL, GOOD_FONT), BAD: (BAD_FILL, BAD_FONT)}

# --- the generated sheets' shape ---------------------------------------------------
LABEL_ROW, TITLE_ROW, HEADER_ROW, FIRST_BODY_ROW = 0, 1, 2, 3
BULLETIN_WIDTHS = (12.0, 90.0)
HISTORY_WIDTHS = (7.0, 6.0, 6.0, 14.0, 22.0)
TREND_DATA_COL = 11  # column L: data tables sit right of the printed charts
TREND_CHART_WIDTH = 9.0  # columns A-K under the charts
TREND_DATA_WIDTHS = (20.0, 10.0, 4.0)  # name, value, gap
DEFAULT_ROW_PT = 15.0  # a row of the default height
ROWS_PER_CM = 1 / 0.53  # default row height 15 pt
CHART_CM_PER_BAR, CHART_MIN_CM, CHART_MAX_CM = 0.55, 7.5, 24.0
CHART_WIDTH_CM = 16.0
BAR_CHART, LINE_CHART = "bar", "line"
LINE_MARKER = "circle"  # each point of a line chart
BORDER_WEIGHT = "thin"  # a bordered cell's lines (Excel's and SpreadsheetML's name)
