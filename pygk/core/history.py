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
"""

from __future__ import annotations

from collections.abc import Sequence

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
    records = []
    for r in range(1, len(grid)):
        if all(is_blank(v) for v in grid[r]):
            continue
        record: dict[str, object] = {}
        for key, name in LEADING.items():
            value = at(grid, r, position[header_key(name)])
            record[key] = normalise_text(value) if key == ISSUE else clean_name(value)
        for key, col in [(YEAR, position[header_key(texts.H_YEAR)]), (MONTH, position[header_key(texts.H_MONTH)]),
                         (TOTAL, total_col), (RANK, position[header_key(texts.RANK)])]:  # fmt: skip
            number = parse_number(at(grid, r, col))
            if number is None:
                found = clean_name(at(grid, r, col))
                problems.append(Problem(texts.MSG_HISTORY_NUMBER.format(found=found), texts.HISTORY_SHEET,
                                        cell_ref(r, col)))  # fmt: skip
                number = 0.0
            record[key] = int(number) if key in (YEAR, MONTH, RANK) else number
        for name, col in categories:
            record[name] = parse_number(at(grid, r, col))
        for key in (BEST, WORST):
            record[key] = normalise_text(at(grid, r, position[header_key(TRAILING[key])])) == texts.YES
        records.append(record)
    return pd.DataFrame(records, columns=[*LEADING, *(n for n, _ in categories), *TRAILING])


def merge(history: pd.DataFrame, month: pd.DataFrame, group_order: Sequence[str] = ()) -> pd.DataFrame:
    """The history with `month`'s period replaced by its rows, sorted by period, group and rank."""
    periods = set(zip(month[YEAR], month[MONTH]))
    kept = history[[(y, m) not in periods for y, m in zip(history[YEAR], history[MONTH])]]
    frames = [f for f in (kept, month) if len(f)]
    combined = pd.concat(frames, ignore_index=True) if frames else empty()
    order = {g: i for i, g in enumerate(group_order)}
    combined = combined.assign(_group=[order.get(g, len(order)) for g in combined[GROUP]])
    combined = combined.sort_values([YEAR, MONTH, "_group", GROUP, RANK], kind="stable").drop(columns="_group")
    return combined.reset_index(drop=True)


def earlier_periods(history: pd.DataFrame, year: int, month: int) -> list[tuple[int, int]]:
    """Periods in the history before (year, month), oldest first."""
    return sorted({(y, m) for y, m in zip(history[YEAR], history[MONTH]) if (y, m) < (year, month)})


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


def proposed_issue(history: pd.DataFrame, year: int, month: int) -> str:
    """The next 期号 of the year after the earlier months in the history."""
    issues = [
        parse_number(issue)
        for y, m, issue in zip(history[YEAR], history[MONTH], history[ISSUE])
        if y == year and m < month and parse_number(issue) is not None
    ]
    return str(int(max(issues)) + 1) if issues else "1"


def trend(history: pd.DataFrame, units: Sequence[str]) -> tuple[list[tuple[int, int]], dict[str, list[float | None]]]:
    """Periods of the history and, for each listed unit, its total in each (None where absent)."""
    periods = sorted(set(zip(history[YEAR], history[MONTH])))
    series = {}
    for unit in units:
        rows = history[history[UNIT] == unit]
        totals = {(y, m): t for y, m, t in zip(rows[YEAR], rows[MONTH], rows[TOTAL])}
        series[unit] = [totals.get(p) for p in periods]
    return periods, series


def history_grid(history: pd.DataFrame) -> list[list[object]]:
    """The 历史 sheet's values: header, then one row per unit and month."""
    categories = [c for c in history.columns if c not in LEADING and c not in TRAILING]
    header = [*LEADING.values(), *categories, *TRAILING.values()]
    rows = []
    for record in history.to_dict("records"):
        row = [record[k] for k in LEADING] + [_plain(record[c]) for c in categories]
        row += [_plain(record[TOTAL]), int(record[RANK])]
        row += [texts.YES if record[BEST] else texts.NO, texts.YES if record[WORST] else texts.NO]
        rows.append(row)
    return [header, *rows]


def _plain(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value
