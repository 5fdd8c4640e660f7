"""Excel's limits on what pygk writes: no sheet past row 1,048,576 or column XFD, no text over 32,767 characters.

A plan that breaks a limit would give a file Excel repairs or refuses to open, so the
core checks the plan before any adapter writes it, and names the sheet and cell the
offending text comes from. (总分, 排名 and the legend past XFD are refused where
`plan._update` places them.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from operator import itemgetter
from typing import TYPE_CHECKING

from pygk.core import layout, texts
from pygk.core.cells import MAX_CELL_TEXT, MAX_COLS, MAX_ROWS, Grid, at, cell_ref
from pygk.core.errors import Problem
from pygk.core.values import clean_name, header_key

if TYPE_CHECKING:  # plan imports this module
    from pygk.core.plan import Plan

HISTORY_TEXT_COLUMNS = range(2, 5)  # 期号, 分组, 单位名称: the text columns of a 历史 row
PREVIEW = 20  # characters of a long text quoted in a message


def plan_problems(plan: Plan, grids: Mapping[str, Grid]) -> list[Problem]:
    """Everything in a plan that Excel could not hold, each located where the clerk can fix it."""
    settings_grid = grids[texts.SETTINGS_SHEET]
    problems = _row_count_problems(plan)
    problems += _settings_text_problems(plan, settings_grid)
    problems += _work_item_problems(grids.get(texts.BULLETIN_SHEET, ()))
    problems += _generated_text_problems(plan)
    return problems


def _long(text: object) -> bool:
    return isinstance(text, str) and len(text) > MAX_CELL_TEXT


def _row_count_problems(plan: Plan) -> list[Problem]:
    """Generated sheets that would need more rows than a sheet has."""
    problems = []
    for annex, update in zip(plan.annexes, plan.updates):
        rows = layout.FIRST_BODY_ROW + len(annex.rows)
        if rows > MAX_ROWS:
            problems.append(Problem(texts.MSG_TOO_MANY_ROWS_ANNEX.format(annex=annex.sheet, rows=rows), update.sheet))
    history_rows = plan.history_update.row_count if plan.history_update is not None else 0
    if history_rows > MAX_ROWS:
        problems.append(Problem(texts.MSG_TOO_MANY_ROWS_HISTORY.format(rows=history_rows), texts.HISTORY_SHEET))
    for annex in plan.annexes[len(plan.updates) :]:  # the 问题清单: one row per finding
        rows = layout.FIRST_BODY_ROW + len(annex.rows)
        if rows > MAX_ROWS:
            problems.append(Problem(texts.MSG_TOO_MANY_ROWS_FINDINGS.format(annex=annex.sheet, rows=rows),
                                    texts.FINDINGS_SHEET))  # fmt: skip
    if len(plan.findings_history) > MAX_ROWS:
        message = texts.MSG_TOO_MANY_ROWS_FINDINGS_HISTORY.format(rows=len(plan.findings_history))
        problems.append(Problem(message, texts.FINDINGS_HISTORY_SHEET))
    trend = plan.trend
    if trend is not None:
        rows = 2 + max([len(rows) for _, rows in trend.bars] + [len(trend.periods)])
        cols = layout.TREND_DATA_COL + 3 * len(trend.bars) + 1 + len(trend.series)
        if rows > MAX_ROWS or cols > MAX_COLS:
            problems.append(Problem(texts.MSG_TOO_BIG_TREND.format(rows=rows, cols=cols), texts.TREND_SHEET))
    return problems


def _settings_text_problems(plan: Plan, grid: Grid) -> list[Problem]:
    """Title, paragraph, annex titles and category names longer than a cell holds, located in 设置."""
    problems = []
    if _long(plan.title):
        problems.append(_generated(grid, texts.KEY_TITLE, plan.title))
    if _long(plan.summary):
        problems.append(_generated(grid, texts.KEY_SUMMARY, plan.summary, texts.MSG_SUMMARY_TOO_LONG_HINT))
    groups = {g.title: g for g in plan.settings.groups}
    for annex in plan.annexes:
        if not _long(annex.title):
            continue
        title = next((t for t in groups if t and t in annex.title and len(t) > MAX_CELL_TEXT), None)
        if title is not None:
            problems.append(_cell_text(grid, groups[title].title, 1, texts.SETTINGS_SHEET))
        else:
            problems.append(_generated(grid, texts.KEY_ANNEX_TITLE, annex.title))
        break
    for category in plan.settings.categories:
        if _long(category.name):
            problems.append(_cell_text(grid, category.name, 0, texts.SETTINGS_SHEET))
    return problems


def _work_item_problems(grid: Grid) -> list[Problem]:
    """The clerk's work items on the 通报 sheet that are longer than a cell holds."""
    key = header_key(texts.ROW_WORK)
    problems = []
    for row in range(len(grid)):
        if header_key(at(grid, row, 0)) == key and _long(clean_name(at(grid, row, 1))):
            length = len(clean_name(at(grid, row, 1)))
            message = texts.MSG_TEXT_TOO_LONG.format(length=length, limit=MAX_CELL_TEXT)
            problems.append(Problem(message, texts.BULLETIN_SHEET, cell_ref(row, 1)))
    return problems


def _generated_text_problems(plan: Plan) -> list[Problem]:
    """A last net over what the located checks cannot place: texts kept in 历史, 趋势 labels, annex headers."""
    found: list[tuple[str, str]] = []
    blocks = plan.history_update.blocks if plan.history_update is not None else ()
    new_rows = [row for block in blocks for row in block.rows or ()]  # kept months were checked when written
    distinct = set().union(*(map(itemgetter(c), new_rows) for c in HISTORY_TEXT_COLUMNS))  # each text measured once
    if any(map(_long, distinct)):  # then the first long one, in the sheet's order
        found.append((texts.HISTORY_SHEET, next(str(row[c]) for row in new_rows for c in HISTORY_TEXT_COLUMNS
                                                if _long(row[c]))))  # fmt: skip
    if plan.trend is not None:
        labels: Iterable[str] = [*(t for t, _ in plan.trend.bars), *(n for n, _ in plan.trend.series)]
        found += [(texts.TREND_SHEET, v) for v in labels if _long(v)][:1]
    for annex in plan.annexes:
        found += [(annex.sheet, v) for v in (*annex.header, annex.label) if _long(v)][:1]
    return [
        Problem(
            texts.MSG_OUTPUT_TOO_LONG.format(target=sheet, start=text[:PREVIEW], length=len(text), limit=MAX_CELL_TEXT)
        )  # fmt: skip
        for sheet, text in found
    ]


def _generated(grid: Grid, key: str, text: str, hint: str = "") -> Problem:
    """A generated text over the limit, located at the 设置 cell of the template it was made from."""
    wanted = header_key(key)
    row = next((r for r in range(len(grid)) if header_key(at(grid, r, 0)) == wanted), None)
    message = texts.MSG_GENERATED_TOO_LONG.format(key=key, length=len(text), limit=MAX_CELL_TEXT) + hint
    return Problem(message, texts.SETTINGS_SHEET, cell_ref(row, 1) if row is not None else None)


def _cell_text(grid: Grid, text: str, col: int, sheet: str) -> Problem:
    """A text copied from a cell that is itself longer than a cell may hold."""
    row = next((r for r in range(len(grid)) if clean_name(at(grid, r, col)) == text), None)
    message = texts.MSG_TEXT_TOO_LONG.format(length=len(text), limit=MAX_CELL_TEXT)
    return Problem(message, sheet, cell_ref(row, col) if row is not None else None)
