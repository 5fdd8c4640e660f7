"""The 设置 sheet: what the clerk chose, parsed into plain typed settings.

The sheet has three parts, each found by its header text in column A:
key/value rows (项目 | 值 | 说明), a category table (评分项目 | 满分) and a
group table (工作表 | 附件中名称 | 较好单位数 | 较差单位数).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Literal

from pygk.core import texts
from pygk.core.cells import Grid, at, cell_ref
from pygk.core.errors import InputError, Problem
from pygk.core.values import clean_name, header_key, is_blank, normalise_text, parse_number

MAX_CATEGORIES = 12


@dataclass(frozen=True)
class Category:
    """A score column: its header text and its maximum (None = no maximum)."""

    name: str
    maximum: float | None = None


@dataclass(frozen=True)
class Group:
    """One input sheet and how it is named in annex titles and the summary."""

    sheet: str
    title: str
    best_count: int | None = None
    worst_count: int | None = None


@dataclass(frozen=True)
class Selection:
    """How the best or worst units of a group are picked: the top/bottom N, or a score line."""

    mode: Literal["count", "threshold"]
    count: int
    threshold: float | None = None


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
    tie_break: Literal["roster", "categories"] = "roster"
    rank_column: bool = False
    rank_style: Literal["competition", "dense"] = "competition"
    periodical: str = ""
    imprint: tuple[tuple[str, str], ...] = ()
    show_change: bool = False
    repeat_sentence: bool = False
    repeat_months: int = 2
    trend_units: tuple[str, ...] = ()


_TEMPLATE_KEYS = {
    texts.KEY_TITLE: (texts.PH_YEAR, texts.PH_MONTH),
    texts.KEY_SUMMARY: (texts.PH_YEAR, texts.PH_MONTH, texts.PH_BEST, texts.PH_WORST),
    texts.KEY_ANNEX_TITLE: (texts.PH_YEAR, texts.PH_MONTH, texts.PH_GROUP),
}


class _Reader:
    """Collects problems while reading one settings grid."""

    def __init__(self, grid: Grid):
        self.grid = grid
        self.problems: list[Problem] = []
        self.values: dict[str, tuple[object, int]] = {}
        self.categories: list[tuple[int, Category]] = []
        self.groups: list[tuple[int, Group]] = []

    def problem(self, message: str, row: int | None = None, col: int = 1) -> None:
        """Record a problem at a cell of 设置 (column B unless told)."""
        cell = cell_ref(row, col) if row is not None else None
        self.problems.append(Problem(message, texts.SETTINGS_SHEET, cell))

    def scan(self) -> None:
        section = "keys"
        for row in range(len(self.grid)):
            first = header_key(at(self.grid, row, 0))
            second = header_key(at(self.grid, row, 1))
            if (first, second) == texts.CATEGORY_HEADER[:2]:
                section = "categories"
            elif (first, second) == texts.GROUP_HEADER[:2]:
                section = "groups"
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

    def read_category(self, row: int) -> None:
        name = clean_name(at(self.grid, row, 0))
        raw_max = at(self.grid, row, 1)
        maximum = None
        if not is_blank(raw_max):
            maximum = parse_number(raw_max)
            if maximum is None or maximum <= 0:
                self.problem(texts.MSG_BAD_NUMBER.format(key=name, found=normalise_text(raw_max)), row, 1)
                return
        self.categories.append((row, Category(name, maximum)))

    def read_group(self, row: int) -> None:
        sheet = clean_name(at(self.grid, row, 0))
        title = clean_name(at(self.grid, row, 1)) or sheet
        counts = [self.optional_count(row, col) for col in (2, 3)]
        self.groups.append((row, Group(sheet, title, counts[0], counts[1])))

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
        text = str(raw).strip()
        allowed = _TEMPLATE_KEYS[key]
        try:
            names = [field for _, field, _, _ in string.Formatter().parse(text) if field is not None]
        except ValueError:
            self.problem(texts.MSG_BAD_TEMPLATE.format(key=key, example="{" + allowed[0] + "}"), row)
            return text
        for name in names:
            if name not in allowed:
                listed = "、".join("{" + a + "}" for a in allowed)
                self.problem(texts.MSG_BAD_PLACEHOLDER.format(key=key, name=name, allowed=listed), row)
        return text

    def selection(self, mode_key: str, count_key: str, threshold_key: str, default_count: int) -> Selection:
        mode = self.choice(mode_key, {texts.MODE_COUNT: "count", texts.MODE_THRESHOLD: "threshold"}, "count")
        count = self.number_key(count_key, required=False)
        threshold = None
        raw, row = self.get(threshold_key, required=False)
        if row is not None and not is_blank(raw):
            threshold = parse_number(raw)
            if threshold is None:
                self.problem(texts.MSG_BAD_NUMBER.format(key=threshold_key, found=normalise_text(raw)), row)
        elif mode == "threshold":
            mode_label = texts.MODE_THRESHOLD
            self.problem(texts.MSG_NO_THRESHOLD.format(mode_key=mode_key, mode=mode_label, key=threshold_key), row)
        return Selection(mode, default_count if count is None else count, threshold)


def parse_settings(grid: Grid) -> Settings:
    """Settings from the 设置 sheet's values; raises InputError listing every problem."""
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
    tie = reader.choice(texts.KEY_TIE, {texts.TIE_ROSTER: "roster", texts.TIE_CATEGORIES: "categories"}, "roster")
    rank_column = reader.choice(texts.KEY_RANK_COLUMN, {texts.YES: "yes", texts.NO: "no"}, "no") == "yes"
    rank_style = reader.choice(
        texts.KEY_RANK_STYLE, {texts.RANK_COMPETITION: "competition", texts.RANK_DENSE: "dense"}, "competition"
    )
    periodical = reader.text(texts.KEY_PERIODICAL, required=False)
    show_change = reader.choice(texts.KEY_SHOW_CHANGE, {texts.YES: "yes", texts.NO: "no"}, "no") == "yes"
    repeat_sentence = reader.choice(texts.KEY_REPEAT, {texts.YES: "yes", texts.NO: "no"}, "no") == "yes"
    repeat_months = reader.number_key(texts.KEY_REPEAT_MONTHS, required=False, minimum=2) or 2
    trend_units = tuple(
        name for name in re.split(r"[、，,；;\s]+", reader.text(texts.KEY_TREND_UNITS, required=False)) if name
    )
    imprint = tuple((key, reader.text(key, required=False)) for key in texts.IMPRINT_KEYS)
    categories = _unique_categories(reader)
    groups = _unique_groups(reader)
    if reader.problems:
        raise InputError(reader.problems)
    return Settings(
        year=year, month=month, office=office, issue=normalise_text(issue_raw), date=clean_name(date_raw),
        title_template=title, summary_template=summary, annex_title_template=annex_title,
        categories=categories, groups=groups, best=best, worst=worst,
        tie_break=tie, rank_column=rank_column, rank_style=rank_style,
        periodical=periodical, imprint=tuple((k, v) for k, v in imprint if v),
        show_change=show_change, repeat_sentence=repeat_sentence, repeat_months=repeat_months,
        trend_units=trend_units,
    )  # fmt: skip


def _unique_categories(reader: _Reader) -> tuple[Category, ...]:
    seen: set[str] = set()
    for row, category in reader.categories:
        if category.name in seen:
            reader.problem(texts.MSG_DUPLICATE_CATEGORY.format(category=category.name), row, 0)
        seen.add(category.name)
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


def is_annex_sheet(name: str) -> bool:
    """True for the names pygk gives annex sheets: 附件1, 附件2, … (ASCII digits, as pygk writes them)."""
    prefix, _, suffix = texts.ANNEX_SHEET.partition("{n}")
    digits = name[len(prefix) : len(name) - len(suffix)] if name.startswith(prefix) and name.endswith(suffix) else ""
    return digits.isascii() and digits.isdigit() and digits == str(int(digits))


def parse_structure(grid: Grid) -> tuple[tuple[Category, ...], tuple[Group, ...]]:
    """Just the category and group tables, whatever else is wrong, so sheets can still be checked."""
    reader = _Reader(grid)
    reader.scan()
    return _unique_categories(reader), _unique_groups(reader)
