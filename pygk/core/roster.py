"""One group's input sheet: find the header, check every score, return the roster as a table."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter

import numpy as np
import pandas as pd

from pygk.core import texts
from pygk.core.cells import (
    MAX_CELL_TEXT,
    MAX_NUMBER,
    Grid,
    Merge,
    Uncomputed,
    at,
    cell_ref,
    column_letter,
    is_date,
    merged_ranges,
    range_ref,
    totals_rows,
)  # fmt: skip
from pygk.core.errors import Problem
from pygk.core.findings import item_score
from pygk.core.ownership import Region
from pygk.core.settings import Category, Group, Settings
from pygk.core.values import (
    clean_name,
    format_number,
    header_key,
    is_blank,
    match_key,
    parse_number,
    split_header_maximum,
)  # fmt: skip

HEADER_SEARCH_ROWS = 20

# Columns of the roster table besides the categories; ENTERED only when 总分来源 is 录入.
UNIT, SHORT, ROW, ENTERED = "unit", "short", "row", "entered"
READING = "reading"  # the clerk's 排序用读音, when the sheet has that column
NOTHING_OWNED = Region()  # a sheet where pygk wrote nothing yet


@dataclass(frozen=True)
class Headers:
    """How the clerk titles the name, total and rank columns, and whether totals are entered (总分来源 录入)."""

    unit: str = texts.UNIT
    total: str = texts.TOTAL
    rank: str = texts.RANK
    entered: bool = False

    @staticmethod
    def of(settings: Settings) -> Headers:
        """The column titles and total source the settings read input sheets with."""
        return Headers(settings.unit_title, settings.total_title, settings.rank_title,
                       settings.total_source == "entered")  # fmt: skip

    def keys(self, default: str, own: str) -> tuple[str, ...]:
        """The match keys a column may be headed by: the clerk's title first, then pygk's name."""
        return tuple(dict.fromkeys((match_key(own), match_key(default))))


@dataclass(frozen=True)
class Columns:
    """Where things are on an input sheet (0-based): the header row and each known column."""

    header_row: int
    unit_col: int
    short_col: int | None
    category_cols: tuple[int, ...]
    total_col: int | None
    rank_col: int | None
    width: int
    reading_col: int | None = None  # 排序用读音: the clerk's pinyin for 按拼音


@dataclass(frozen=True)
class Roster:
    """A group's validated units in roster order: columns unit, short, row, one per category."""

    group: Group
    columns: Columns
    table: pd.DataFrame
    maxima: tuple[float | None, ...] = ()  # each category's maximum, from 设置 or the sheet's header


def find_columns(grid: Grid, group: Group, categories: tuple[Category, ...], problems: list[Problem],
                headers: Headers = Headers(), owned: Region = NOTHING_OWNED,
                titles: Sequence[str] | None = None) -> Columns | None:  # fmt: skip
    """Locate the header row and the columns; report what is missing.

    Headers match ignoring spaces, width ('（' = '(') and a maximum written in them ('信息公开（30分）'),
    the title in 设置 before pygk's default name. pygk's own 总分 and 排名 columns (their header cells
    in `owned`, headed by one of the `titles` pygk recorded writing there) are found whatever the
    settings call them now, so a changed title renames them in place; with 总分来源 录入 and a title
    of the clerk's, pygk's old 总分 column is never read as the entered one. Without a record (a
    workbook from an earlier version) only the default and configured titles are pygk's, so a forged
    mark over a clerk's column headed 备注 never makes it pygk's.
    """
    unit_keys = headers.keys(texts.UNIT, headers.unit)
    header_row = next(
        (r for r in range(min(len(grid), HEADER_SEARCH_ROWS)) if any(match_key(v) in unit_keys for v in grid[r])),
        None,
    )
    if header_row is None:
        problems.append(Problem(texts.MSG_NO_HEADER.format(header=headers.unit), group.sheet))
        return None
    keys = [match_key(v) for v in grid[header_row]]
    by_name: dict[str, int] = {}
    for col, key in enumerate(keys):
        if key:
            by_name.setdefault(key, col)

    def find(candidates: tuple[str, ...]) -> int | None:
        return next((by_name[k] for k in candidates if k in by_name), None)

    category_cols: list[int] = []
    for category in categories:
        found = by_name.get(match_key(category.name))
        if found is None:
            problems.append(Problem(texts.MSG_MISSING_CATEGORY.format(category=category.name), group.sheet))
        else:
            category_cols.append(found)
    if len(category_cols) < len(categories):
        return None
    unit_col = next(by_name[k] for k in unit_keys if k in by_name)  # the header row was found by it
    short_col = by_name.get(match_key(texts.SHORT_NAME))
    reading_col = by_name.get(match_key(texts.READING_HEADER))
    clerks = {unit_col, short_col, reading_col, *category_cols}
    known = titles if titles is not None else (texts.TOTAL, texts.RANK, headers.total, headers.rank)
    recorded = {match_key(t) for t in known} - {""}
    own = [c for c, key in enumerate(keys) if key in recorded and (header_row, c) in owned and c not in clerks]
    total_col = find(headers.keys(texts.TOTAL, headers.total))
    if headers.entered and total_col in own and match_key(headers.total) not in keys:
        total_col = None  # pygk's computed 总分 of an earlier run is not the team's 合计
    elif total_col is None and not headers.entered and own:
        total_col = own[0]
    rank_col = find(headers.keys(texts.RANK, headers.rank))
    if rank_col is None:
        rank_col = next((c for c in own if c != total_col), None)
    return Columns(
        header_row=header_row, unit_col=unit_col, short_col=short_col, category_cols=tuple(category_cols),
        total_col=total_col, rank_col=rank_col, width=max((c + 1 for c, key in enumerate(keys) if key), default=0),
        reading_col=reading_col,
    )  # fmt: skip


def header_maxima(grid: Grid, columns: Columns) -> tuple[float | None, ...]:
    """Maxima written in the header cells, e.g. 9 from '在线服务得分(9)'."""
    row = columns.header_row
    headers = (unicodedata.normalize("NFKC", header_key(at(grid, row, c))) for c in columns.category_cols)
    return tuple(split_header_maximum(header)[1] for header in headers)  # full-width digits too: （９）


def read_roster(grid: Grid, group: Group, categories: tuple[Category, ...], problems: list[Problem],
                headers: Headers = Headers(), *, deductions: Mapping[str, Mapping[str, float]] | None = None,
                owned: Region = NOTHING_OWNED, titles: Sequence[str] | None = None) -> Roster | None:  # fmt: skip
    """Validate a group sheet; append a Problem per bad cell; None when the sheet cannot be used.

    An item that does not count may be blank (NaN in the table); with entered totals every item
    may be blank and the 总分 column is read into ENTERED. With `deductions` (得分来源 按扣分计算)
    each score is its 满分 minus the unit's deductions, and the score cells on the sheet are
    pygk's to write, not read.
    """
    columns = find_columns(grid, group, categories, problems, headers, owned, titles)
    if columns is None:
        return None
    if headers.entered and columns.total_col is None:
        cell = cell_ref(columns.header_row, columns.width)
        problems.append(Problem(texts.MSG_NO_TOTAL_COLUMN.format(header=headers.total), group.sheet, cell))
        return None
    from_header = header_maxima(grid, columns)
    maxima = [c.maximum if c.maximum is not None else h for c, h in zip(categories, from_header)]
    if _maxima_disagree(grid, group, categories, columns, from_header, problems):
        return None
    if deductions is not None:
        return _derived_roster(grid, group, categories, columns, maxima, deductions, problems, headers)
    names = [c.name for c in categories]
    first_row_of: dict[str, int] = {}
    start = len(problems)

    def report(message: str, row: int, col: int) -> None:
        problems.append(Problem(message, group.sheet, cell_ref(row, col)))

    over_max: dict[int, list[tuple[int, object]]] = {}  # column -> (row, score) above the maximum
    skipped = totals_rows(grid)  # an Excel table's totals row (汇总, SUBTOTAL…) is not a unit
    body = [r for r in range(columns.header_row + 1, len(grid)) if r not in skipped]
    lines = [grid[r] for r in body]
    unit_col, short_col = columns.unit_col, columns.short_col
    units = _names(lines, unit_col)
    shorts = _names(lines, short_col) if short_col is not None else [""] * len(lines)
    named = [cells for cells, unit in zip(lines, units) if unit]
    entered_col = columns.total_col if headers.entered else None
    small = _small_score(categories)
    # A column whose every unit has a stored number from 0 to its maximum has no problem: taken whole, its
    # cells are not read one by one (nor can they make a total overflow: each is at most `small`).
    plain = [_plain_column(_column(named, col), min(MAX_NUMBER, small, math.inf if maximum is None else maximum))
             for col, maximum in zip(columns.category_cols, maxima)]  # fmt: skip
    scores: list[list[float]] = [[] for _ in categories]  # the other columns' scores, unit by unit
    items = [(k, category, col, maximum, headers.entered or not category.counted)  # the others, cell by cell
             for k, (category, col, maximum) in enumerate(zip(categories, columns.category_cols, maxima))
             if plain[k] is None]  # fmt: skip
    entered_totals: list[float] = []
    n = -1  # the unit's place among the units (its row in the table)
    for r, cells, unit, short in zip(body, lines, units, shorts):
        width = len(cells)
        if not unit:
            if not all(is_blank(cells[c] if c < width else None) for c in columns.category_cols):
                report(texts.MSG_NO_UNIT_NAME, r, unit_col)
            continue
        n += 1
        other = first_row_of.setdefault(unit, r)
        if other != r:
            report(texts.MSG_DUPLICATE_UNIT.format(unit=unit, other=other + 1), r, unit_col)
        if len(unit) > MAX_CELL_TEXT:
            report(texts.MSG_TEXT_TOO_LONG.format(length=len(unit), limit=MAX_CELL_TEXT), r, unit_col)
        if short_col is not None and len(short) > MAX_CELL_TEXT:
            report(texts.MSG_TEXT_TOO_LONG.format(length=len(short), limit=MAX_CELL_TEXT), r, short_col)
        scored, checked = True, False
        for k, category, col, maximum, blank_ok in items:
            raw = cells[col] if col < width else None
            if blank_ok and is_blank(raw):
                scores[k].append(math.nan)  # shown blank, added to nothing
                continue
            score, message = _score(raw, unit, category.name, maximum)
            scores[k].append(score)
            if message:
                if maximum is not None and score > maximum:
                    over_max.setdefault(col, []).append((r, score))
                report(message, r, col)
                scored = False
            elif not score <= small:  # only a score this large can make the total overflow
                checked = True
        if scored and checked:
            row_scores = [float(p[n]) if p is not None else s[n] for p, s in zip(plain, scores)]
            if not _total_fits(row_scores, categories):
                report(texts.MSG_TOTAL_OVERFLOW.format(unit=unit), r, unit_col)
        if entered_col is not None:
            entered, message = _entered_total(grid, r, columns, unit, headers)
            entered_totals.append(entered)
            if message:
                report(message, r, entered_col)
    _group_over_max(problems, start, over_max, group.sheet, dict(zip(columns.category_cols, zip(names, maxima))))
    problems.extend(merge_problems(grid, columns, group.sheet))
    if not named and len(problems) == start:
        problems.append(Problem(texts.MSG_EMPTY_GROUP.format(header=texts.UNIT), group.sheet))
    if len(problems) > start:
        return None
    data: list[Sequence[object] | np.ndarray] = [
        [unit for unit in units if unit],
        [short or unit for unit, short in zip(units, shorts) if unit],
        [r for r, unit in zip(body, units) if unit],
        *(p if p is not None else s for p, s in zip(plain, scores)),
    ]
    if headers.entered:
        data.append(entered_totals)
    if columns.reading_col is not None:
        data.append([reading for reading, unit in zip(_names(lines, columns.reading_col), units) if unit])
    table = pd.DataFrame(dict(enumerate(data)))
    table.columns = pd.Index(_table_columns(names, headers, columns))
    return Roster(group, columns, table, tuple(maxima))


def _column(lines: Sequence[Sequence[object]], col: int) -> list[object]:
    """A column's cells, None past the end of a short row."""
    if min(map(len, lines), default=col + 1) > col:
        return list(map(itemgetter(col), lines))
    return [cells[col] if col < len(cells) else None for cells in lines]


def _names(lines: Sequence[Sequence[object]], col: int) -> list[str]:
    """A column's cells read as names (clean_name); text and empty cells, the common cases, read in place."""
    return [v.strip() if type(v) is str else "" if v is None else clean_name(v) for v in _column(lines, col)]


def _plain_column(values: list[object], bound: float) -> np.ndarray | None:
    """The scores of a column whose every cell is a stored number from 0 to `bound`, else None (read cell by cell)."""
    if not values or set(map(type, values)) != {float}:  # exact type: a date's serial number is no score
        return None
    numbers = np.array(values, dtype=np.float64)
    return numbers if bool(((numbers >= 0) & (numbers <= bound)).all()) else None  # NaN is neither


def _table_columns(names: list[str], headers: Headers, columns: Columns) -> list[str]:
    """The roster table's columns: unit, short, row, the items, then ENTERED and READING where there are."""
    return [UNIT, SHORT, ROW, *names, *([ENTERED] if headers.entered else []),
            *([READING] if columns.reading_col is not None else [])]  # fmt: skip


def _maxima_disagree(grid: Grid, group: Group, categories: tuple[Category, ...], columns: Columns,
                     from_header: tuple[float | None, ...], problems: list[Problem]) -> bool:  # fmt: skip
    """True (and a problem at each header) where 设置's 满分 and the one in the sheet's header differ."""
    found = False
    for category, col, written in zip(categories, columns.category_cols, from_header):
        if category.maximum is not None and written is not None and category.maximum != written:
            header = clean_name(at(grid, columns.header_row, col))
            message = texts.MSG_MAXIMUM_DISAGREES_HEADER.format(
                category=category.name, maximum=format_number(category.maximum), header=header,
                found=format_number(written),
            )  # fmt: skip
            problems.append(Problem(message, group.sheet, cell_ref(columns.header_row, col)))
            found = True
    return found


def _derived_roster(grid: Grid, group: Group, categories: tuple[Category, ...], columns: Columns,
                    maxima: list[float | None], deductions: Mapping[str, Mapping[str, float]],
                    problems: list[Problem], headers: Headers) -> Roster | None:  # fmt: skip
    """A roster whose scores are 满分 minus deductions (floored at 0); names (and entered totals) checked as usual."""
    start = len(problems)
    for category, maximum in zip(categories, maxima):
        if maximum is None:
            problems.append(Problem(texts.MSG_DERIVED_NO_MAXIMUM.format(category=category.name), group.sheet))
    rows: list[dict[str, object]] = []
    first_row_of: dict[str, int] = {}
    skipped = totals_rows(grid)
    for r in range(columns.header_row + 1, len(grid)):
        unit = clean_name(at(grid, r, columns.unit_col))
        if r in skipped or not unit:
            continue
        if unit in first_row_of:
            problems.append(Problem(texts.MSG_DUPLICATE_UNIT.format(unit=unit, other=first_row_of[unit] + 1),
                                    group.sheet, cell_ref(r, columns.unit_col)))  # fmt: skip
        first_row_of.setdefault(unit, r)
        short = clean_name(at(grid, r, columns.short_col)) if columns.short_col is not None else ""
        record: dict[str, object] = {UNIT: unit, ROW: r, SHORT: short or unit}
        deducted = deductions.get(unit, {})
        for category, maximum in zip(categories, maxima):
            record[category.name] = item_score(maximum or 0.0, deducted.get(category.name, 0.0))
        if headers.entered and columns.total_col is not None:
            record[ENTERED], message = _entered_total(grid, r, columns, unit, headers)
            if message:
                problems.append(Problem(message, group.sheet, cell_ref(r, columns.total_col)))
        rows.append(record)
    problems.extend(merge_problems(grid, columns, group.sheet))
    if not rows and len(problems) == start:
        problems.append(Problem(texts.MSG_EMPTY_GROUP.format(header=texts.UNIT), group.sheet))
    if len(problems) > start:
        return None
    names = [c.name for c in categories]
    table = pd.DataFrame(rows, columns=_table_columns(names, headers, columns))
    return Roster(group, columns, table, tuple(maxima))


def _entered_total(grid: Grid, row: int, columns: Columns, unit: str, headers: Headers) -> tuple[float, str | None]:
    """An entered 总分 (总分来源 录入) read as a number, and what is wrong with it; blank is refused.

    A maximum in the column's header (总得分(100)) is checked like an item's.
    """
    col = columns.total_col
    assert col is not None  # read only where the sheet has a 总分 column
    raw = at(grid, row, col)
    if is_blank(raw):
        return 0.0, texts.MSG_BLANK_TOTAL.format(unit=unit)
    header = header_key(at(grid, columns.header_row, col))
    return _score(raw, unit, header or headers.total, split_header_maximum(header)[1])


def _score(raw: object, unit: str, category: str, maximum: float | None) -> tuple[float, str | None]:
    """A score cell read as a number, and what is wrong with it (None when nothing is)."""
    if type(raw) is float and -MAX_NUMBER <= raw <= MAX_NUMBER:  # the common case: a finite stored number
        if raw < 0:
            return raw, texts.MSG_NEGATIVE.format(found=format_number(raw))
        if maximum is not None and raw > maximum:
            return raw, _over_max(raw, category, maximum)
        return raw, None
    if isinstance(raw, Uncomputed):
        return 0.0, texts.MSG_UNCOMPUTED.format(formula=raw)
    if is_date(raw):
        return 0.0, texts.MSG_SCORE_DATE
    if is_blank(raw):
        return 0.0, texts.MSG_BLANK_SCORE.format(unit=unit, category=category)
    number = parse_number(raw)
    if number is None:
        if isinstance(raw, float):  # a stored number that is not finite: INF or NaN in the file
            return 0.0, texts.MSG_SCORE_NOT_FINITE.format(found=repr(raw))
        return 0.0, texts.MSG_NOT_NUMBER.format(found=_shown(raw))
    if abs(number) > MAX_NUMBER:
        return 0.0, texts.MSG_SCORE_TOO_LARGE.format(found=_shown(raw))
    if number < 0:
        return number, texts.MSG_NEGATIVE.format(found=format_number(number))
    if maximum is not None and number > maximum:
        return number, _over_max(number, category, maximum)
    return number, None


def _over_max(number: float, category: str, maximum: float) -> str:
    """The message for one score above its category's maximum."""
    return texts.MSG_OVER_MAX.format(found=format_number(number), category=category, maximum=format_number(maximum))


def _group_over_max(problems: list[Problem], start: int, over_max: dict[int, list[tuple[int, object]]], sheet: str,
                    columns: dict[int, tuple[str, float | None]]) -> None:  # fmt: skip
    """Scores above the maximum in two or more rows of one column become one line: column, rows, maximum, highest."""
    for col, found in over_max.items():
        if len(found) < 2:
            continue
        cells = {cell_ref(row, col) for row, _ in found}
        kept = [p for p in problems[start:] if not (p.sheet == sheet and p.cell in cells)]
        first = next(i for i, p in enumerate(problems[start:]) if p.cell in cells)
        category, maximum = columns[col]
        message = texts.MSG_OVER_MAX_ROWS.format(
            column=column_letter(col), rows=row_ranges([row for row, _ in found]), count=len(found),
            category=category, maximum=format_number(maximum or 0),
            highest=format_number(max(float(score) for _, score in found)),  # type: ignore[arg-type]
        )  # fmt: skip
        kept.insert(first, Problem(message, sheet))
        problems[start:] = kept


def row_ranges(rows: list[int]) -> str:
    """0-based rows as a clerk reads them: '2–32', or '3、5、8–10'."""
    numbers = sorted(r + 1 for r in rows)
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return texts.JOIN_UNITS.join(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs)


def _shown(raw: object, limit: int = 40) -> str:
    """A cell's text for a message, cut short if long; huge numbers as 1e+308, not 309 digits."""
    text = repr(raw) if isinstance(raw, float) and abs(raw) >= 1e15 else clean_name(raw)
    return text if len(text) <= limit else text[:limit] + "……"


def _total_fits(scores: Sequence[float], categories: tuple[Category, ...]) -> bool:
    """True when a unit's weighted scores (category order) add up to a number a cell holds (1e308 + 1e308 does not)."""
    weighted = [(c.weight, float(score)) for c, score in zip(categories, scores) if c.counted]
    total = sum(weight * score for weight, score in weighted if not math.isnan(score))
    return math.isfinite(total) and abs(total) <= MAX_NUMBER


def _small_score(categories: tuple[Category, ...]) -> float:
    """A score up to which no row's total can overflow, however its scores combine: `_total_fits` is true for sure.

    Each weighted score is at most |weight| x this, so the total is at most half of MAX_NUMBER (rounding
    included); -1 (every score checked) when the weights are not finite.
    """
    weights = sum(abs(c.weight) for c in categories if c.counted)
    if not math.isfinite(weights):
        return -1.0
    return MAX_NUMBER / (2 * weights) if weights > 0 else math.inf


def merge_problems(grid: Grid, columns: Columns, sheet: str) -> list[Problem]:
    """Merged ranges in the table body that hide values or join score cells.

    Only a merge's top-left cell is visible, so a value in any other cell of it is one the
    clerk cannot see: refused, naming the merge and the hidden cell. A merge over score
    cells with nothing hidden is refused too: it makes one visible score look like the
    score of several cells, which pygk would read as blanks. A merge over name cells
    alone (单位名称 with 简称) hides nothing and is accepted.
    """
    first_body = columns.header_row + 1
    names = [c for c in (columns.unit_col, columns.short_col) if c is not None]
    watched = sorted({*names, *columns.category_cols})
    scores = set(columns.category_cols)
    budget = max(len(grid), 1) * (len(watched) + 1)  # more than this means merges overlap
    problems: list[Problem] = []
    for merge in merged_ranges(grid):
        top, left, bottom, right = merge
        merged = [c for c in watched if left <= c <= right]
        if bottom < first_body or not merged:
            continue
        rows = range(max(top, first_body), min(bottom, len(grid) - 1) + 1)
        budget -= len(rows) * len(merged)
        if budget < 0:
            problems.append(Problem(texts.MSG_MERGE_OVERLAP.format(merge=range_ref(merge)), sheet))
            break
        hidden = _hidden_cell(grid, merge, rows, merged)
        if hidden is not None:
            row, col = hidden
            message = texts.MSG_MERGE_HIDDEN.format(
                merge=range_ref(merge), found=_shown(at(grid, row, col)), anchor=cell_ref(top, left)
            )
            problems.append(Problem(message, sheet, cell_ref(row, col)))
        elif scores.intersection(merged):
            problems.append(Problem(texts.MSG_MERGE_SCORES.format(merge=range_ref(merge)), sheet, cell_ref(top, left)))
    return problems


def _hidden_cell(grid: Grid, merge: Merge, rows: range, columns: list[int]) -> tuple[int, int] | None:
    """The first cell of a merge, other than its top-left one, that holds a value."""
    for row in rows:
        for col in columns:
            if (row, col) != (merge[0], merge[1]) and not is_blank(at(grid, row, col)):
                return row, col
    return None
