"""Month-over-month findings (pure): the 扣分历史 sheet, and which of last month's problems were fixed or recur.

One row per finding per month: 年份 | 月份 | 单位名称 | 评分项目 | 问题类型 | 问题描述 | 扣分 | 整改期限 | 整改情况.
A month is replaced whole when it is written again. A problem is a (unit, problem type)
pair: one of the latest earlier month's recurs when this month's findings have it again,
and counts as rectified when they do not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pygk.core import texts
from pygk.core.cells import Grid, at, cell_ref
from pygk.core.days import day_text
from pygk.core.errors import Problem
from pygk.core.findings import Findings
from pygk.core.summary import listed
from pygk.core.values import clean_name, header_key, is_blank, parse_number

HEADER = (texts.H_YEAR, texts.H_MONTH, texts.UNIT, texts.F_ITEM, texts.F_PROBLEM, texts.F_DESCRIPTION, texts.F_POINTS,
          texts.F_DEADLINE, texts.F_STATUS)  # fmt: skip


@dataclass(frozen=True)
class PastFinding:
    """One row of 扣分历史."""

    year: int
    month: int
    unit: str
    item: str
    problem: str
    row: tuple[object, ...]  # the row as written, kept as it is for the months not rewritten


def parse(grid: Grid, problems: list[Problem]) -> tuple[PastFinding, ...]:
    """The 扣分历史 sheet's rows (none when the sheet is missing or empty)."""
    if not grid or all(is_blank(v) for v in grid[0]):
        return ()
    position = {header_key(v): c for c, v in enumerate(grid[0]) if not is_blank(v)}
    missing = [name for name in HEADER if header_key(name) not in position]
    for name in missing:
        problems.append(Problem(texts.MSG_FINDINGS_HISTORY_HEADER.format(header=name), texts.FINDINGS_HISTORY_SHEET))
    if missing:
        return ()
    cols = [position[header_key(name)] for name in HEADER]
    found = []
    for r in range(1, len(grid)):
        values = tuple(at(grid, r, c) for c in cols)
        if all(is_blank(v) for v in values):
            continue
        period = []
        for value, col in zip(values[:2], cols[:2]):
            number = parse_number(value)
            if number is None or not number.is_integer():
                message = texts.MSG_HISTORY_NUMBER.format(found=clean_name(value))
                problems.append(Problem(message, texts.FINDINGS_HISTORY_SHEET, cell_ref(r, col)))
                number = 0.0
            period.append(int(number))
        unit, item, problem = (clean_name(v) for v in values[2:5])
        found.append(PastFinding(period[0], period[1], unit, item, problem, (period[0], period[1], *values[2:])))
    return tuple(found)


def month_rows(findings: Findings | None, year: int, month: int) -> list[tuple[object, ...]]:
    """This month's rows for 扣分历史."""
    if findings is None:
        return []
    return [
        (year, month, f.unit, f.item, f.problem, f.description, f.points,
         "" if f.deadline is None else day_text(f.deadline), f.status)
        for f in findings.items
    ]  # fmt: skip


def history_grid(past: Sequence[PastFinding], findings: Findings | None, year: int,
                 month: int) -> tuple[tuple[object, ...], ...]:  # fmt: skip
    """The 扣分历史 sheet: earlier and later months kept, this month replaced; () when there is nothing to keep."""
    kept = [(p.year, p.month, i, p.row) for i, p in enumerate(past) if (p.year, p.month) != (year, month)]
    current = [(year, month, len(past) + i, row) for i, row in enumerate(month_rows(findings, year, month))]
    rows = [row for *_, row in sorted(kept + current, key=lambda x: (x[0], x[1], x[2]))]
    return (HEADER, *rows) if rows else ()


@dataclass(frozen=True)
class Followup:
    """Last month's problems against this month's: how many recur, and which."""

    earlier: int  # findings in the latest earlier month
    again: int  # of those, findings whose (unit, problem type) is found again
    recurring: dict[str, tuple[str, ...]]  # unit -> its problem types found again, in sheet order


def followup(past: Sequence[PastFinding], findings: Findings | None, year: int, month: int) -> Followup | None:
    """Compare with the latest earlier month in 扣分历史; None when there is none."""
    periods = sorted({(p.year, p.month) for p in past if (p.year, p.month) < (year, month)})
    if not periods:
        return None
    previous = [p for p in past if (p.year, p.month) == periods[-1]]
    now = {(f.unit, f.problem) for f in findings.items} if findings is not None else set()
    recurring: dict[str, list[str]] = {}
    for p in previous:
        if (p.unit, p.problem) in now and p.problem not in recurring.get(p.unit, []):
            recurring.setdefault(p.unit, []).append(p.problem)
    again = sum((p.unit, p.problem) in now for p in previous)
    return Followup(len(previous), again, {u: tuple(v) for u, v in recurring.items()})


def followup_texts(result: Followup | None, groups: Sequence[Sequence[tuple[str, str]]],
                   joiner: str = texts.JOIN_GROUPS) -> dict[str, str]:  # fmt: skip
    """{上月问题} and {重复问题}; `groups` holds each group's (unit, short name) in roster order, `joiner` between.

    A text with nothing to say is '' (the summary writes 无, or drops the bracketed part holding it).
    """
    if result is None:
        return {texts.PH_LAST_MONTH: "", texts.PH_RECURRING: ""}
    last = texts.LAST_MONTH.format(total=result.earlier, fixed=result.earlier - result.again, again=result.again)
    named = [[texts.RECURRING_UNIT.format(unit=short, problems=texts.JOIN_UNITS.join(result.recurring[unit]))
              for unit, short in group if unit in result.recurring] for group in groups]  # fmt: skip
    return {texts.PH_LAST_MONTH: last, texts.PH_RECURRING: listed(named, joiner)}
