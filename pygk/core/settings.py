"""The 设置 sheet: what the clerk chose, parsed into plain typed settings.

The sheet has three parts, each found by its header text in column A:
key/value rows (项目 | 值 | 说明), a category table (评分项目 | 满分, and where
their headers say so 权重 and 计入总分) and a group table (工作表 | 附件中名称 |
较好单位数 | 较差单位数, and 段落 where its header says so).
"""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass
from typing import Literal, cast

from pygk.core import texts
from pygk.core.cells import Grid, at, cell_ref
from pygk.core.errors import InputError, Problem
from pygk.core.values import (
    clean_name,
    display,
    format_number,
    header_key,
    is_blank,
    match_key,
    normalise_text,
    parse_number,
    split_header_maximum,
)  # fmt: skip

MAX_CATEGORIES = 12
_SPACES = re.compile(r"\s+")

SelectionMode = Literal["count", "threshold"]


@dataclass(frozen=True)
class Category:
    """A score column: its header text, its maximum (None = no maximum), its weight in 总分, and whether it counts.

    An item that does not count (计入总分 = 否) is read, checked and shown, and may be blank.
    """

    name: str
    maximum: float | None = None
    weight: float = 1.0
    counted: bool = True


@dataclass(frozen=True)
class Group:
    """One input sheet and how it is named in annex titles and the summary."""

    sheet: str
    title: str
    best_count: int | None = None
    worst_count: int | None = None
    paragraph: str = ""  # this group's sentence template ({组}, {较好单位}, …); blank: none


@dataclass(frozen=True)
class Selection:
    """How the best or worst units of a group are picked: the top/bottom N, or a score line."""

    mode: SelectionMode
    count: int
    threshold: float | None = None
    operator: str | None = None  # '>', '>=', '<' or '<='; None: best >= and worst < (a bare number)


TieBreak = Literal["roster", "categories", "pinyin"]
RankStyle = Literal["competition", "dense"]
TotalSource = Literal["computed", "entered"]
AnnexOrder = Literal["total", "roster"]


@dataclass(frozen=True)
class Settings:
    """Everything the core needs besides the scores."""

    year: int
    month: int
    office: str
    issue: str
    date: str
    title_template: str
    summary_template: str
    annex_title_template: str
    categories: tuple[Category, ...]
    groups: tuple[Group, ...]
    best: Selection
    worst: Selection
    tie_break: TieBreak = "roster"
    rank_column: bool = False
    rank_style: RankStyle = "competition"
    periodical: str = ""
    imprint: tuple[tuple[str, str], ...] = ()
    show_change: bool = False
    repeat_sentence: bool = False
    repeat_months: int = 2
    trend_units: tuple[str, ...] = ()
    total_source: TotalSource = "computed"
    annex_columns: tuple[tuple[str, str], ...] = ()  # (kind, item name): unit, total, rank, change, item; () = default
    unit_title: str = texts.UNIT
    total_title: str = texts.TOTAL
    rank_title: str = texts.RANK
    header_maxima: bool = False
    annex_order: AnnexOrder = "total"
    group_joiner: str = ""  # '' = 和, or ， when a named unit contains 和
    score_source: Literal["typed", "findings"] = "typed"  # 得分来源: typed in, or 满分 minus 扣分明细's deductions
    total_decimals: int | None = (
        None  # 总分小数位: totals rounded to this many decimals (shown and ranked); None = as computed
    )


LIST_PLACEHOLDERS = (
    texts.PH_BEST, texts.PH_WORST, texts.PH_BEST_SCORES, texts.PH_WORST_SCORES, texts.PH_BEST_TIES, texts.PH_WORST_TIES,
)  # fmt: skip
_UNIT_PLACEHOLDERS = (*LIST_PLACEHOLDERS, texts.PH_BEST_COUNT, texts.PH_WORST_COUNT)
_SUMMARY_PLACEHOLDERS = (texts.PH_YEAR, texts.PH_MONTH, *_UNIT_PLACEHOLDERS, texts.PH_GROUP_PARAGRAPHS,
                         *texts.PH_FINDINGS)  # fmt: skip
_TEMPLATE_KEYS = {
    texts.KEY_TITLE: (texts.PH_YEAR, texts.PH_MONTH),
    texts.KEY_SUMMARY: _SUMMARY_PLACEHOLDERS,
    texts.KEY_ANNEX_TITLE: (texts.PH_YEAR, texts.PH_MONTH, texts.PH_GROUP),
    texts.GROUP_PARAGRAPH_HEADER: (texts.PH_YEAR, texts.PH_MONTH, texts.PH_GROUP, *_UNIT_PLACEHOLDERS),
}
# A threshold's operator as typed (after width folding) -> the comparison it means.
_OPERATORS = {">": ">", ">=": ">=", "≥": ">=", "≧": ">=", "<": "<", "<=": "<=", "≤": "<=", "≦": "<="}


class _Reader:
    """Collects problems while reading one settings grid."""

    def __init__(self, grid: Grid):
        self.grid = grid
        self.problems: list[Problem] = []
        self.values: dict[str, tuple[object, int]] = {}
        self.categories: list[tuple[int, Category]] = []
        self.groups: list[tuple[int, Group]] = []
        self.columns: dict[str, int] = {}  # the current table's header texts -> column

    def problem(self, message: str, row: int | None = None, col: int = 1) -> None:
        """Record a problem at a cell of 设置 (column B unless told)."""
        cell = cell_ref(row, col) if row is not None else None
        self.problems.append(Problem(message, texts.SETTINGS_SHEET, cell))

    def scan(self) -> None:
        section = "keys"
        for row in range(len(self.grid)):
            first = header_key(at(self.grid, row, 0))
            second = header_key(at(self.grid, row, 1))
            if (first, second) in (texts.CATEGORY_HEADER[:2], texts.GROUP_HEADER[:2]):
                section = "categories" if (first, second) == texts.CATEGORY_HEADER[:2] else "groups"
                self.columns = {header_key(v): c for c, v in enumerate(self.grid[row]) if header_key(v)}
            elif first == texts.SETTINGS_HEADER[0] and second == texts.SETTINGS_HEADER[1]:
                section = "keys"
            elif not first:
                continue
            elif section == "keys":
                self.values.setdefault(first, (at(self.grid, row, 1), row))
            elif section == "categories":
                self.read_category(row)
            else:
                self.read_group(row)

    def column(self, header: str) -> int | None:
        """The current table's column headed `header`, if it has one."""
        return self.columns.get(header_key(header))

    def read_category(self, row: int) -> None:
        name = clean_name(at(self.grid, row, 0))
        raw_max = at(self.grid, row, 1)
        maximum = split_header_maximum(header_key(name))[1]  # 满分 may be written in the name: 信息公开(30分)
        if not is_blank(raw_max):
            in_name, maximum = maximum, parse_number(raw_max)
            if maximum is None or maximum <= 0:
                self.problem(texts.MSG_BAD_NUMBER.format(key=name, found=normalise_text(raw_max)), row, 1)
                return
            if in_name is not None and in_name != maximum:
                found = format_number(maximum)
                self.problem(texts.MSG_MAXIMUM_DISAGREES_NAME.format(category=name, found=found), row, 1)
        weight, counted = 1.0, True
        weight_col, counted_col = self.column(texts.WEIGHT_HEADER), self.column(texts.COUNTED_HEADER)
        if weight_col is not None and not is_blank(raw := at(self.grid, row, weight_col)):
            number = parse_number(raw)
            if number is None:
                self.problem(texts.MSG_BAD_WEIGHT.format(category=name, found=normalise_text(raw)), row, weight_col)
            weight = 1.0 if number is None else number
        if counted_col is not None and not is_blank(raw := at(self.grid, row, counted_col)):
            found = normalise_text(raw)
            if found not in (texts.YES, texts.NO):
                self.problem(texts.MSG_BAD_COUNTED.format(category=name, found=found), row, counted_col)
            counted = found != texts.NO
        self.categories.append((row, Category(name, maximum, weight, counted)))

    def read_group(self, row: int) -> None:
        sheet = clean_name(at(self.grid, row, 0))
        title = clean_name(at(self.grid, row, 1)) or sheet
        counts = [self.optional_count(row, col) for col in (2, 3)]
        paragraph = ""
        col = self.column(texts.GROUP_PARAGRAPH_HEADER)
        if col is not None and not is_blank(at(self.grid, row, col)):
            paragraph = self.checked_template(
                display(at(self.grid, row, col)).strip(), texts.GROUP_PARAGRAPH_HEADER, row, col
            )
        self.groups.append((row, Group(sheet, title, counts[0], counts[1], paragraph)))

    def optional_count(self, row: int, col: int) -> int | None:
        raw = at(self.grid, row, col)
        if is_blank(raw):
            return None
        return self.integer(raw, texts.GROUP_HEADER[col], row, col, minimum=0)

    def integer(self, raw: object, key: str, row: int, col: int = 1, minimum: int = 0) -> int | None:
        number = parse_number(raw)
        if number is None or not number.is_integer() or number < minimum:
            self.problem(
                texts.MSG_BAD_INTEGER.format(key=key, found=normalise_text(raw), example=max(minimum, 2)), row, col
            )
            return None
        return int(number)

    def get(self, key: str, required: bool = True) -> tuple[object, int | None]:
        if key not in self.values or (required and is_blank(self.values[key][0])):
            if required:
                row = self.values[key][1] if key in self.values else None
                self.problem(texts.MSG_MISSING_SETTING.format(key=key), row)
            return None, None
        return self.values[key]

    def text(self, key: str, required: bool = True) -> str:
        raw, _ = self.get(key, required)
        return clean_name(raw)

    def number_key(self, key: str, required: bool = True, minimum: int = 0) -> int | None:
        raw, row = self.get(key, required)
        if row is None or is_blank(raw):
            return None
        return self.integer(raw, key, row, minimum=minimum)

    def choice(self, key: str, options: dict[str, str], default: str) -> str:
        raw, row = self.get(key, required=False)
        if row is None or is_blank(raw):
            return default
        found = normalise_text(raw)
        if found not in options:
            choices = "、".join(f"“{o}”" for o in options)
            self.problem(texts.MSG_BAD_CHOICE.format(key=key, choices=choices, found=found), row)
            return default
        return options[found]

    def template(self, key: str) -> str:
        raw, row = self.get(key)
        if row is None:
            return ""
        return self.checked_template(display(raw).strip(), key, row, 1)

    def checked_template(self, text: str, key: str, row: int, col: int) -> str:
        """A template whose placeholders are all allowed for `key`; a problem per unknown one."""
        allowed = _TEMPLATE_KEYS[key]
        try:
            names = [field for _, field, _, _ in string.Formatter().parse(text) if field is not None]
        except ValueError:
            self.problem(texts.MSG_BAD_TEMPLATE.format(key=key, example="{" + allowed[0] + "}"), row, col)
            return text
        for name in names:
            if name not in allowed:
                listed = "、".join("{" + a + "}" for a in allowed)
                self.problem(texts.MSG_BAD_PLACEHOLDER.format(key=key, name=name, allowed=listed), row, col)
        return text

    def selection(self, mode_key: str, count_key: str, threshold_key: str, default_count: int) -> Selection:
        mode = self.choice(mode_key, {texts.MODE_COUNT: "count", texts.MODE_THRESHOLD: "threshold"}, "count")
        count = self.number_key(count_key, required=False)
        threshold, operator = None, None
        raw, row = self.get(threshold_key, required=False)
        if row is not None and not is_blank(raw):
            threshold, operator = self.threshold(
                raw, threshold_key, row, best=threshold_key == texts.KEY_BEST_THRESHOLD
            )
        elif mode == "threshold":
            mode_label = texts.MODE_THRESHOLD
            self.problem(texts.MSG_NO_THRESHOLD.format(mode_key=mode_key, mode=mode_label, key=threshold_key), row)
        return Selection(cast(SelectionMode, mode), default_count if count is None else count, threshold, operator)

    def threshold(self, raw: object, key: str, row: int, best: bool) -> tuple[float | None, str | None]:
        """A score line with an optional operator: '75', '>75', '≥90', '>=90', '＜60', '≤59' (best: > or ≥)."""
        text = normalise_text(raw).replace(" ", "")
        symbol = next((s for s in sorted(_OPERATORS, key=len, reverse=True) if text.startswith(s)), "")
        operator = _OPERATORS.get(symbol)
        number = parse_number(text[len(symbol) :]) if text[len(symbol) :] else None
        if number is None or (operator is not None and operator.startswith(">") != best):
            allowed = texts.OPERATORS_BEST if best else texts.OPERATORS_WORST
            example = ">75" if best else "<60"
            meaning = texts.MEANING_BEST if best else texts.MEANING_WORST
            found = normalise_text(raw)
            self.problem(texts.MSG_BAD_OPERATOR.format(key=key, allowed=allowed, found=found, example=example,
                                                    meaning=meaning), row)  # fmt: skip
            return None, None
        return number, operator


def parse_settings(grid: Grid) -> Settings:
    """Settings from the 设置 sheet's values; raises InputError listing every problem."""
    settings, problems = read_settings(grid)
    if problems:
        raise InputError(problems)
    return settings


def read_settings(grid: Grid) -> tuple[Settings, list[Problem]]:
    """The settings with every entry that parsed (a default where one did not), and every problem.

    With problems the settings are only good for checking the score sheets the way the clerk
    set them up (titles, 总分来源, items, groups), so one typo does not bring false errors there.
    """
    reader = _Reader(grid)
    reader.scan()
    year = reader.number_key(texts.KEY_YEAR, minimum=1)
    month = reader.number_key(texts.KEY_MONTH, minimum=0)
    if month is not None and not 1 <= month <= 12:
        reader.problem(texts.MSG_BAD_MONTH.format(found=month), reader.values[texts.KEY_MONTH][1])
    office = reader.text(texts.KEY_OFFICE)
    issue_raw, _ = reader.get(texts.KEY_ISSUE, required=False)
    date_raw, _ = reader.get(texts.KEY_DATE, required=False)
    title = reader.template(texts.KEY_TITLE)
    summary = reader.template(texts.KEY_SUMMARY)
    annex_title = reader.template(texts.KEY_ANNEX_TITLE)
    best = reader.selection(texts.KEY_BEST_MODE, texts.KEY_BEST_COUNT, texts.KEY_BEST_THRESHOLD, 2)
    worst = reader.selection(texts.KEY_WORST_MODE, texts.KEY_WORST_COUNT, texts.KEY_WORST_THRESHOLD, 1)
    ties = {texts.TIE_ROSTER: "roster", texts.TIE_CATEGORIES: "categories", texts.TIE_PINYIN: "pinyin"}
    tie = reader.choice(texts.KEY_TIE, ties, "roster")
    rank_column = reader.choice(texts.KEY_RANK_COLUMN, {texts.YES: "yes", texts.NO: "no"}, "no") == "yes"
    rank_style = reader.choice(
        texts.KEY_RANK_STYLE, {texts.RANK_COMPETITION: "competition", texts.RANK_DENSE: "dense"}, "competition"
    )
    periodical = reader.text(texts.KEY_PERIODICAL, required=False)
    show_change = reader.choice(texts.KEY_SHOW_CHANGE, {texts.YES: "yes", texts.NO: "no"}, "no") == "yes"
    repeat_sentence = reader.choice(texts.KEY_REPEAT, {texts.YES: "yes", texts.NO: "no"}, "no") == "yes"
    repeat_months = reader.number_key(texts.KEY_REPEAT_MONTHS, required=False, minimum=2) or 2
    trend_units = split_list(reader.text(texts.KEY_TREND_UNITS, required=False))
    imprint = tuple((key, reader.text(key, required=False)) for key in texts.IMPRINT_KEYS)
    score_source = _score_source(reader)
    total_source = reader.choice(
        texts.KEY_TOTAL_SOURCE, {texts.SOURCE_COMPUTED: "computed", texts.SOURCE_ENTERED: "entered"}, "computed"
    )
    titles = [reader.text(key, required=False) or default for key, default in _TITLE_KEYS]
    _check_titles(reader, titles)
    _check_title_lengths(reader, titles)
    header_maxima = reader.choice(texts.KEY_HEADER_MAXIMA, {texts.YES: "yes", texts.NO: "no"}, "no") == "yes"
    annex_order = reader.choice(texts.KEY_ANNEX_ORDER, {texts.ORDER_TOTAL: "total", texts.ORDER_ROSTER: "roster"},
                                "total")  # fmt: skip
    joiner = reader.text(texts.KEY_GROUP_JOINER, required=False)
    decimals = _total_decimals(reader)
    categories = _unique_categories(reader, titles, entered=total_source == "entered")
    groups = _unique_groups(reader)
    annex_columns = _annex_columns(reader, categories, titles)
    if any(g.paragraph for g in groups) and "{" + texts.PH_GROUP_PARAGRAPHS + "}" not in summary:
        reader.problem(texts.MSG_GROUP_PARAGRAPH_UNUSED.format(placeholder=texts.PH_GROUP_PARAGRAPHS),
                    reader.values.get(texts.KEY_SUMMARY, (None, None))[1])  # fmt: skip
    settings = Settings(
        year=year or 0, month=month or 0, office=office, issue=normalise_text(issue_raw), date=clean_name(date_raw),
        title_template=title, summary_template=summary, annex_title_template=annex_title,
        categories=categories, groups=groups, best=best, worst=worst,
        tie_break=cast(TieBreak, tie), rank_column=rank_column, rank_style=cast(RankStyle, rank_style),
        periodical=periodical, imprint=tuple((k, v) for k, v in imprint if v),
        show_change=show_change, repeat_sentence=repeat_sentence, repeat_months=repeat_months,
        trend_units=trend_units, total_source=cast(TotalSource, total_source), annex_columns=annex_columns,
        unit_title=titles[0], total_title=titles[1], rank_title=titles[2], header_maxima=header_maxima,
        annex_order=cast(AnnexOrder, annex_order), group_joiner=joiner, score_source=score_source,
        total_decimals=decimals,
    )  # fmt: skip
    return settings, reader.problems


MAX_DECIMALS = 6  # totals are already rounded to 6 decimals to hide float noise


def _total_decimals(reader: _Reader) -> int | None:
    """总分小数位: 0 to 6, or None (blank) for the total as computed."""
    raw, row = reader.get(texts.KEY_TOTAL_DECIMALS, required=False)
    if row is None or is_blank(raw):
        return None
    number = parse_number(raw)
    if number is None or not number.is_integer() or not 0 <= number <= MAX_DECIMALS:
        found = normalise_text(raw)
        message = texts.MSG_BAD_DECIMALS.format(key=texts.KEY_TOTAL_DECIMALS, limit=MAX_DECIMALS, found=found)
        reader.problem(message, row)
        return None
    return int(number)


def _score_source(reader: _Reader) -> Literal["typed", "findings"]:
    options = {texts.SOURCE_TYPED: "typed", texts.SOURCE_FINDINGS: "findings"}
    return "findings" if reader.choice(texts.KEY_SCORE_SOURCE, options, "typed") == "findings" else "typed"


def derives_scores(grid: Grid) -> bool:
    """True when 得分来源 says 按扣分计算, whatever else is wrong (so score sheets are checked the right way)."""
    reader = _Reader(grid)
    reader.scan()
    return _score_source(reader) == "findings"


_TITLE_KEYS = (
    (texts.KEY_UNIT_TITLE, texts.UNIT),
    (texts.KEY_TOTAL_TITLE, texts.TOTAL),
    (texts.KEY_RANK_TITLE, texts.RANK),
)


def _check_titles(reader: _Reader, titles: list[str]) -> None:
    """单位列标题, 总分列标题 and 排名列标题 distinct from each other (and each other's default), 简称 and 较上月.

    A sheet's column is found by its default title or the clerk's, so 总分列标题 排名 would read the
    rank column as the totals; the problem is at the later title's 设置 cell, naming the other one.
    """
    keys = [{match_key(default), match_key(title)} for (_, default), title in zip(_TITLE_KEYS, titles)]
    for j, ((key, default), title) in enumerate(zip(_TITLE_KEYS, titles)):
        own = match_key(title)
        other = next((i for i in range(len(titles)) if i != j and own in keys[i] and (i < j or title != default)),
                     None)  # fmt: skip
        if other is not None:
            other_key = _TITLE_KEYS[other][0]
            clash = texts.TITLE_OF_SETTING.format(key=other_key, title=titles[other])
        elif own in {match_key(texts.SHORT_NAME), match_key(texts.CHANGE)}:
            clash = texts.TITLE_OF_COLUMN.format(title=title)
        else:
            continue
        row = reader.values.get(key, (None, None))[1]
        if title == default and other is not None:  # the clerk typed the other one: report it there
            key, title, default = other_key, titles[other], _TITLE_KEYS[other][1]
            row = reader.values.get(key, (None, None))[1]
            clash = texts.TITLE_OF_SETTING.format(key=_TITLE_KEYS[j][0], title=titles[j])
        reader.problem(texts.MSG_TITLE_COLLIDES.format(key=key, title=title, other=clash, default=default), row)
        return


MAX_TITLE_CHARS = 40  # a column title pygk writes as a header: its annex header row stays far below 409 pt


def _check_title_lengths(reader: _Reader, titles: list[str]) -> None:
    """Column titles pygk writes as headers (the three 列标题 and the category names) at most `MAX_TITLE_CHARS`.

    A longer one makes the annex header row higher than Excel allows and the record too long for its name.
    """
    for (key, _), title in zip(_TITLE_KEYS, titles):
        if len(title) > MAX_TITLE_CHARS:
            message = texts.MSG_TITLE_TOO_LONG.format(key=key, length=len(title), limit=MAX_TITLE_CHARS)
            reader.problem(message, reader.values.get(key, (None, None))[1])
    for row, category in reader.categories:
        if len(category.name) > MAX_TITLE_CHARS:
            message = texts.MSG_CATEGORY_TOO_LONG.format(length=len(category.name), limit=MAX_TITLE_CHARS)
            reader.problem(message, row, 0)


def split_list(text: str) -> tuple[str, ...]:
    """Names a clerk listed in one cell, separated by 、 (or ，,；; and spaces); not inside brackets: 县（市、区）."""
    names: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        depth += (char in _OPENING) - (char in _CLOSING and depth > 0)
        if depth == 0 and (char in texts.LIST_SEPARATORS or char.isspace()):
            names.append("".join(current))
            current = []
        else:
            current.append(char)
    names.append("".join(current))
    return tuple(name for name in names if name)


_OPENING, _CLOSING = "(（[［【", ")）]］】"


def split_known(text: str, known: list[str]) -> tuple[str, ...]:
    """Names listed in one cell, as `split_list` cuts them, except that a known name is taken whole first.

    An item named 政策解读、回应关切 or 政务 新媒体 holds a separator; the longest known name that
    the text spells at a position (spaces and width ignored) and that ends at a separator is one name.
    """
    folded = unicodedata.normalize("NFKC", text)
    candidates = sorted({_SPACES.sub("", unicodedata.normalize("NFKC", k)) for k in known if k}, key=len, reverse=True)
    names: list[str] = []
    pos = 0
    while pos < len(folded):
        if folded[pos] in texts.LIST_SEPARATORS or folded[pos].isspace():
            pos += 1
            continue
        end = next((e for e in (_spelled_at(folded, pos, k) for k in candidates) if e is not None), None)
        if end is None:
            rest = split_list(folded[pos:])
            names.append(rest[0])
            pos = _after(folded, pos, rest[0])
        else:
            names.append(folded[pos:end])
            pos = end
    return tuple(names)


def _spelled_at(text: str, pos: int, name: str) -> int | None:
    """Where `name` ends when the text spells it from `pos` (spaces inside ignored) up to a separator or the end."""
    i = pos
    for char in name:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text) or text[i] != char:
            return None
        i += 1
    rest = text[i:].lstrip()
    return i if not rest or rest[0] in texts.LIST_SEPARATORS or i < len(text) and text[i].isspace() else None


def _after(text: str, pos: int, name: str) -> int:
    """The position right after `name`, which `split_list` cut from the text at `pos`."""
    return text.index(name, pos) + len(name)


def _unique_categories(reader: _Reader, titles: list[str] | None = None, entered: bool = False) -> tuple[Category, ...]:
    """The category table checked: no repeats, no column name pygk uses, 1 to 12 items (0 allowed for 录入)."""
    seen: set[str] = set()
    reserved_names = [texts.UNIT, texts.SHORT_NAME, texts.TOTAL, texts.RANK, texts.CHANGE, *(titles or ())]
    reserved = {match_key(name) for name in reserved_names}
    for row, category in reader.categories:
        key = match_key(category.name)
        if key in seen:
            reader.problem(texts.MSG_DUPLICATE_CATEGORY.format(category=category.name), row, 0)
        elif key in reserved:
            listed = "、".join(dict.fromkeys(reserved_names))
            reader.problem(texts.MSG_RESERVED_CATEGORY.format(category=category.name, reserved=listed), row, 0)
        seen.add(key)
    if not reader.categories and entered:
        return ()
    if not reader.categories:
        reader.problem(texts.MSG_NO_CATEGORIES)
    elif len(reader.categories) > MAX_CATEGORIES:
        reader.problem(texts.MSG_TOO_MANY_CATEGORIES.format(count=len(reader.categories), limit=MAX_CATEGORIES))
    return tuple(category for _, category in reader.categories)


_RESERVED = (texts.SETTINGS_SHEET, texts.BULLETIN_SHEET, texts.HISTORY_SHEET, texts.TREND_SHEET)


def _unique_groups(reader: _Reader) -> tuple[Group, ...]:
    seen: set[str] = set()
    for row, group in reader.groups:
        if group.sheet in seen:
            reader.problem(texts.MSG_DUPLICATE_GROUP.format(sheet=group.sheet), row, 0)
        if group.sheet in _RESERVED or is_annex_sheet(group.sheet):
            reader.problem(texts.MSG_RESERVED_SHEET.format(sheet=group.sheet), row, 0)
        seen.add(group.sheet)
    if not reader.groups:
        reader.problem(texts.MSG_NO_GROUPS)
    return tuple(group for _, group in reader.groups)


def _annex_columns(reader: _Reader, categories: tuple[Category, ...], titles: list[str]) -> tuple[tuple[str, str], ...]:
    """附件列 as (kind, item name) pairs in the clerk's order; () when blank (today's order)."""
    raw, row = reader.get(texts.KEY_ANNEX_COLUMNS, required=False)
    if row is None or is_blank(raw):
        return ()
    fixed = {texts.UNIT: "unit", texts.TOTAL: "total", texts.RANK: "rank", texts.CHANGE: "change"}
    fixed.update({titles[0]: "unit", titles[1]: "total", titles[2]: "rank"})
    known = {match_key(name): (kind, "") for name, kind in fixed.items()}
    known.update({match_key(c.name): ("item", c.name) for c in categories})
    columns: list[tuple[str, str]] = []
    before = len(reader.problems)
    names = [*fixed, *(c.name for c in categories)]
    for name in split_known(clean_name(raw), names):
        column = known.get(match_key(name))
        if column is None:
            allowed = "、".join(dict.fromkeys([texts.RANK, texts.UNIT, texts.TOTAL, texts.CHANGE,
                                              *(c.name for c in categories)]))  # fmt: skip
            reader.problem(texts.MSG_ANNEX_COLUMN_UNKNOWN.format(name=name, allowed=allowed), row)
        elif column in columns:
            reader.problem(texts.MSG_ANNEX_COLUMN_DUPLICATE.format(name=name), row)
        else:
            columns.append(column)
    if not any(kind == "unit" for kind, _ in columns) and len(reader.problems) == before:
        reader.problem(texts.MSG_ANNEX_COLUMN_NO_UNIT.format(unit=texts.UNIT), row)
    return tuple(columns)


def is_annex_sheet(name: str) -> bool:
    """True for the names pygk gives annex sheets: 附件1, 附件2, … (ASCII digits, as pygk writes them)."""
    prefix, _, suffix = texts.ANNEX_SHEET.partition("{n}")
    digits = name[len(prefix) : len(name) - len(suffix)] if name.startswith(prefix) and name.endswith(suffix) else ""
    return digits.isascii() and digits.isdigit() and digits == str(int(digits))
