"""Month-over-month results: the 历史 sheet as a table, and what is read from it.

One row per unit per month: year, month, issue, group, unit, category scores, total,
rank (competition), best, worst. A month is replaced whole when it is written again, so
re-running a month or importing the same old workbook twice changes nothing.

Rules (each pinned by a test in tests/test_history.py):
- 较上月 compares a unit's rank with its rank in the same group in the latest earlier
  month of the history: ↑n better, ↓n worse, — unchanged, 新 not there that month.
- A repeat offender was named worst in each of the last N months, counting this one,
  and those N months follow each other in the calendar.
- The proposed 期号 is one more than the highest 期号 of an earlier month of the same
  year in the history, else 1.

The core reads the sheet through a `HistorySource`: its header, its months as blocks of
rows in sheet order, and one month's rows when asked. A run reads only the months it needs
(the month before for 较上月, the last few for repeat offenders, every month only for the
trend of listed units) and returns a `HistoryUpdate`: the months kept as they are and the
new month's rows, so an adapter rewrites only what changed. A sheet whose months are not
in order, or a month adding a category, is rewritten whole, sorted as `merge` sorts it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import pandas as pd

from pygk.core import texts
from pygk.core.cells import Grid, at, cell_ref
from pygk.core.errors import Problem
from pygk.core.values import clean_name, header_key, is_blank, normalise_text, parse_number

YEAR, MONTH, ISSUE, GROUP, UNIT = "year", "month", "issue", "group", "unit"
TOTAL, RANK, BEST, WORST = "total", "rank", "best", "worst"
LEADING = {YEAR: texts.H_YEAR, MONTH: texts.H_MONTH, ISSUE: texts.H_ISSUE, GROUP: texts.H_GROUP, UNIT: texts.UNIT}
TRAILING = {TOTAL: texts.TOTAL, RANK: texts.RANK, BEST: texts.H_BEST, WORST: texts.H_WORST}


def empty(categories: Sequence[str] = ()) -> pd.DataFrame:
    """A history with no rows."""
    return pd.DataFrame(columns=[*LEADING, *categories, *TRAILING])


def _periods(table: pd.DataFrame) -> list[tuple[int, int]]:
    """(year, month) of each row, as Python values (zipping the Series themselves makes numpy scalars, slowly)."""
    return list(zip(table[YEAR].tolist(), table[MONTH].tolist()))


def parse_history(grid: Grid, problems: list[Problem]) -> pd.DataFrame:
    """The 历史 sheet's rows; any column between 单位名称 and 总分 is a category."""
    if not grid or not any(not is_blank(v) for v in grid[0]):
        return empty()
    headers = [clean_name(v) for v in grid[0]]
    position = {header_key(h): i for i, h in enumerate(headers) if h}
    for name in [*LEADING.values(), *TRAILING.values()]:
        if header_key(name) not in position:
            problems.append(Problem(texts.MSG_HISTORY_HEADER.format(header=name), texts.HISTORY_SHEET))
    if problems:
        return empty()
    unit_col, total_col = position[header_key(texts.UNIT)], position[header_key(texts.TOTAL)]
    categories = [(h, i) for i, h in enumerate(headers) if unit_col < i < total_col and h]
    # Each column's place, found once for the sheet (not once per row).
    leading = [(key, position[header_key(name)]) for key, name in LEADING.items()]
    numbers = [(YEAR, position[header_key(texts.H_YEAR)]), (MONTH, position[header_key(texts.H_MONTH)]),
               (TOTAL, total_col), (RANK, position[header_key(texts.RANK)])]  # fmt: skip
    flags = [(key, position[header_key(TRAILING[key])]) for key in (BEST, WORST)]
    records = []
    for r in range(1, len(grid)):
        if all(is_blank(v) for v in grid[r]):
            continue
        record: dict[str, object] = {}
        for key, col in leading:
            value = at(grid, r, col)
            record[key] = normalise_text(value) if key == ISSUE else clean_name(value)
        for key, col in numbers:
            number = parse_number(at(grid, r, col))
            if number is None:
                found = clean_name(at(grid, r, col))
                problems.append(Problem(texts.MSG_HISTORY_NUMBER.format(found=found), texts.HISTORY_SHEET,
                                        cell_ref(r, col)))  # fmt: skip
                number = 0.0
            record[key] = int(number) if key in (YEAR, MONTH, RANK) else number
        for name, col in categories:
            record[name] = parse_number(at(grid, r, col))
        for key, col in flags:
            record[key] = normalise_text(at(grid, r, col)) == texts.YES
        records.append(record)
    return pd.DataFrame(records, columns=[*LEADING, *(n for n, _ in categories), *TRAILING])


def merge(history: pd.DataFrame, month: pd.DataFrame, group_order: Sequence[str] = ()) -> pd.DataFrame:
    """The history with `month`'s period replaced by its rows, sorted by period, group and rank."""
    periods = set(_periods(month))
    kept = history[[(y, m) not in periods for y, m in _periods(history)]]
    frames = [f for f in (kept, month) if len(f)]
    combined = pd.concat(frames, ignore_index=True) if frames else empty()
    order = {g: i for i, g in enumerate(group_order)}
    combined = combined.assign(_group=[order.get(g, len(order)) for g in combined[GROUP].tolist()])
    combined = combined.sort_values([YEAR, MONTH, "_group", GROUP, RANK], kind="stable").drop(columns="_group")
    return combined.reset_index(drop=True)


def earlier_periods(history: pd.DataFrame, year: int, month: int) -> list[tuple[int, int]]:
    """Periods in the history before (year, month), oldest first."""
    return sorted({(y, m) for y, m in _periods(history) if (y, m) < (year, month)})


def rank_changes(history: pd.DataFrame, group: str, year: int, month: int, ranks: dict[str, int]) -> dict[str, str]:
    """较上月 for each unit of a group: ↑n, ↓n, — or 新."""
    periods = earlier_periods(history, year, month)
    previous: dict[str, int] = {}
    if periods:
        y, m = periods[-1]
        rows = history[(history[YEAR] == y) & (history[MONTH] == m) & (history[GROUP] == group)]
        previous = dict(zip(rows[UNIT], rows[RANK]))
    changes = {}
    for unit, rank in ranks.items():
        if unit not in previous:
            changes[unit] = texts.CHANGE_NEW
        elif previous[unit] > rank:
            changes[unit] = texts.CHANGE_UP.format(n=previous[unit] - rank)
        elif previous[unit] < rank:
            changes[unit] = texts.CHANGE_DOWN.format(n=rank - previous[unit])
        else:
            changes[unit] = texts.CHANGE_SAME
    return changes


def _consecutive(periods: list[tuple[int, int]]) -> bool:
    return all((y2 * 12 + m2) - (y1 * 12 + m1) == 1 for (y1, m1), (y2, m2) in zip(periods, periods[1:]))


def repeat_offenders(history: pd.DataFrame, groups: Sequence[str], year: int, month: int, n: int) -> list[list[str]]:
    """Per group, the units named worst in each of the last n consecutive months up to (year, month)."""
    periods = earlier_periods(history, year, month) + [(year, month)]
    last = periods[-n:]
    if len(last) < n or not _consecutive(last):
        return [[] for _ in groups]
    result = []
    for group in groups:
        rows = history[history[GROUP] == group]
        worst_each = [
            set(rows[(rows[YEAR] == y) & (rows[MONTH] == m) & rows[WORST].astype(bool)][UNIT]) for y, m in last
        ]
        current = rows[(rows[YEAR] == year) & (rows[MONTH] == month)].sort_values(RANK, kind="stable")
        result.append([u for u in current[UNIT] if all(u in worst for worst in worst_each)])
    return result


def trend(history: pd.DataFrame, units: Sequence[str]) -> tuple[list[tuple[int, int]], dict[str, list[float | None]]]:
    """Periods of the history and, for each listed unit, its total in each (None where absent)."""
    periods = sorted(set(_periods(history)))
    series = {}
    for unit in units:
        rows = history[history[UNIT] == unit]
        totals = {(y, m): t for y, m, t in zip(rows[YEAR], rows[MONTH], rows[TOTAL])}
        series[unit] = [totals.get(p) for p in periods]
    return periods, series


@dataclass(frozen=True)
class Period:
    """One block of rows of the 历史 sheet: a month, the 期号 its rows carry and how many rows it has."""

    year: int
    month: int
    issues: tuple[str, ...]
    count: int


class HistorySource(Protocol):
    """The 历史 sheet as the core reads it: header (empty when there is no history), blocks, one block's rows."""

    header: tuple[str, ...]
    periods: tuple[Period, ...]
    ordered: bool  # each month one block, months ascending

    def frame(self, index: int) -> pd.DataFrame:
        """The rows of periods[index], as `parse_history` reads them."""
        ...


class GridHistory:
    """A HistorySource over the whole sheet's values (the live adapter, tests, a sheet pygk did not index)."""

    def __init__(self, grid: Grid, problems: list[Problem]):
        self.table = parse_history(grid, problems)
        self.header = tuple(header_of(self.table)) if len(self.table.columns) and _has_header(grid) else ()
        keys = _periods(self.table)
        starts = [i for i in range(len(keys)) if i == 0 or keys[i] != keys[i - 1]]
        self._bounds = list(zip(starts, [*starts[1:], len(keys)]))
        issues = list(self.table[ISSUE])
        self.periods = tuple(
            Period(int(keys[a][0]), int(keys[a][1]), tuple(dict.fromkeys(issues[a:b])), b - a) for a, b in self._bounds
        )
        periods = [(p.year, p.month) for p in self.periods]
        self.ordered = periods == sorted(set(periods))

    def frame(self, index: int) -> pd.DataFrame:
        """The rows of one block."""
        start, end = self._bounds[index]
        return self.table.iloc[start:end]


def _has_header(grid: Grid) -> bool:
    return bool(grid) and any(not is_blank(v) for v in grid[0])


def header_of(history: pd.DataFrame) -> list[str]:
    """The 历史 sheet's header for a history table's columns."""
    categories = [c for c in history.columns if c not in LEADING and c not in TRAILING]
    return [*LEADING.values(), *categories, *TRAILING.values()]


@dataclass(frozen=True)
class Block:
    """One month in the new 历史 sheet: new rows, or (rows None) the source's block `source` kept as it is."""

    year: int
    month: int
    count: int
    rows: tuple[tuple[object, ...], ...] | None = None
    source: int | None = None


@dataclass(frozen=True)
class HistoryUpdate:
    """The new 历史 sheet: header and months in order; kept months are read from `source` only when expanded."""

    header: tuple[str, ...]
    blocks: tuple[Block, ...]
    source: HistorySource | None = field(default=None, compare=False, repr=False)

    @property
    def row_count(self) -> int:
        """Rows of the sheet, header included."""
        return 1 + sum(block.count for block in self.blocks)

    def block_rows(self, block: Block) -> tuple[tuple[object, ...], ...]:
        """A block's rows, a kept one's read from the source."""
        if block.rows is not None:
            return block.rows
        assert self.source is not None and block.source is not None
        return tuple(history_rows(self.source.frame(block.source)))

    def rows(self) -> Iterator[tuple[object, ...]]:
        """Every row of the sheet, header first."""
        yield self.header
        for block in self.blocks:
            yield from self.block_rows(block)


def period_frame(source: HistorySource, period: tuple[int, int]) -> pd.DataFrame:
    """All rows of one month in the source (one block when the source is ordered)."""
    frames = [source.frame(i) for i, p in enumerate(source.periods) if (p.year, p.month) == period]
    return pd.concat(frames, ignore_index=True) if frames else empty()


def source_periods(source: HistorySource) -> list[tuple[int, int]]:
    """The months of the source, oldest first, each once."""
    return sorted({(p.year, p.month) for p in source.periods})


def source_issue(source: HistorySource, year: int, month: int) -> str:
    """The next 期号 of the year: one more than the highest 期号 of an earlier month of the same year, else 1."""
    issues = [parse_number(i) for p in source.periods if p.year == year and p.month < month for i in p.issues]
    numbers = [i for i in issues if i is not None]
    return str(int(max(numbers)) + 1) if numbers else "1"


def recent(source: HistorySource, year: int, month: int, count: int) -> pd.DataFrame:
    """The rows of the last `count` months of the source before (year, month)."""
    wanted = [p for p in source_periods(source) if p < (year, month)][-count:] if count > 0 else []
    frames = [period_frame(source, p) for p in wanted]
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else empty()


def updated(source: HistorySource, month_rows: pd.DataFrame, group_order: Sequence[str] = ()) -> HistoryUpdate:
    """The 历史 sheet with `month_rows`' month replaced or added; earlier months kept when the sheet allows it."""
    categories = [c for c in month_rows.columns if c not in LEADING and c not in TRAILING]
    known = source.header[len(LEADING) : len(source.header) - len(TRAILING)]
    if source.header and not (source.ordered and set(categories) <= set(known)):
        return _rewritten(source, month_rows, group_order)
    frame = merge(empty(list(known)), month_rows, group_order)
    header = tuple(header_of(frame))
    period = (int(month_rows[YEAR].iloc[0]), int(month_rows[MONTH].iloc[0])) if len(month_rows) else None
    new = [] if period is None else [Block(*period, len(frame), tuple(history_rows(frame)))]
    blocks: list[Block] = []
    for index, p in enumerate(source.periods):
        if (p.year, p.month) == period:
            continue
        if new and period is not None and (p.year, p.month) > period:
            blocks.extend(new)
            new = []
        blocks.append(Block(p.year, p.month, p.count, source=index))
    blocks.extend(new)
    return HistoryUpdate(header, tuple(blocks), source)


def _rewritten(source: HistorySource, month_rows: pd.DataFrame, group_order: Sequence[str]) -> HistoryUpdate:
    """The whole sheet read, merged and sorted again (months out of order, or a new category)."""
    frames = [source.frame(i) for i in range(len(source.periods))]
    frames = [f for f in frames if len(f)]
    old = pd.concat(frames, ignore_index=True) if frames else empty()
    merged = merge(old, month_rows, group_order)
    rows = history_rows(merged)
    keys = _periods(merged)
    blocks = []
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            block = tuple(rows[start:i])
            blocks.append(Block(int(keys[start][0]), int(keys[start][1]), i - start, block))
            start = i
    return HistoryUpdate(tuple(header_of(merged)), tuple(blocks), source)


def history_rows(history: pd.DataFrame) -> list[tuple[object, ...]]:
    """One 历史 row per row of a history table (read column by column: fast at 100,000 rows)."""
    categories = [c for c in history.columns if c not in LEADING and c not in TRAILING]
    columns = [history[k].tolist() for k in LEADING]
    columns += [plain_values(history[c]) for c in categories]
    columns.append(plain_values(history[TOTAL]))
    columns.append([int(v) for v in history[RANK].tolist()])
    columns += [[texts.YES if v else texts.NO for v in history[k].tolist()] for k in (BEST, WORST)]
    return list(zip(*columns))


def plain_values(column: pd.Series | Sequence[object]) -> list[object]:
    """A column's values as Python objects: numpy scalars as Python numbers, a blank (None, NaN) as None.

    A numeric column is converted whole (tolist), an object column value by value unless it holds
    nothing to convert (texts such as the units' names).
    """
    if isinstance(column, pd.Series):
        kind = column.dtype.kind
        if kind in "iub":
            whole: list[object] = column.tolist()
            return whole
        if kind == "f":
            values: list[object] = column.tolist()
            # One object per distinct number (100,000 units: -20 MB at the peak, in the 历史 and annex rows);
            # zeros stay apart, as 0.0 and -0.0 are equal keys.
            seen: dict[object, object] = {}
            values = [seen.setdefault(v, v) if v else v for v in values]
            return [None if v != v else v for v in values] if column.hasnans else values
        column = column.tolist()
    if set(map(type, column)) <= _PLAIN_TYPES:
        return list(column)
    return [_plain(v) for v in column]


_PLAIN_TYPES = {str, int, bool, type(None)}


def _plain(value: object) -> object:
    value = value.item() if hasattr(value, "item") else value
    return None if value is None or (isinstance(value, float) and value != value) else value
