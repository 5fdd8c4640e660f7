"""The pure core: from sheet values to a plan of what to write, as plain data.

`build_plan` is the whole computation. It reads no file and no clock and imports no
spreadsheet library; an adapter gathers the grids and applies the returned plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from pygk import texts
from pygk.cells import Grid, at
from pygk.errors import InputError, Problem
from pygk.ranking import TOTAL, add_totals, best_mask, order, ranks, worst_mask
from pygk.roster import SHORT, UNIT, Roster, read_roster
from pygk.settings import Settings, parse_settings, parse_structure
from pygk.summary import annex_title, attachment_line, fill, summary
from pygk.values import clean_name, header_key

LEGEND_GAP = 2


@dataclass(frozen=True)
class InputUpdate:
    """What to write into one input sheet (0-based rows and columns)."""

    sheet: str
    header_row: int
    first_col: int
    last_col: int
    total_col: int
    rank_col: int | None
    clear_cols: tuple[int, ...]
    rows: tuple[int, ...]
    totals: tuple[float, ...]
    ranks: tuple[int, ...] | None
    best_rows: tuple[int, ...]
    worst_rows: tuple[int, ...]
    legend_col: int


@dataclass(frozen=True)
class Annex:
    """One annex sheet: label, title, header and the sorted rows."""

    sheet: str
    label: str
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]


@dataclass(frozen=True)
class Plan:
    """Everything an adapter writes; equal inputs give equal plans."""

    settings: Settings
    updates: tuple[InputUpdate, ...]
    annexes: tuple[Annex, ...]
    title: str
    summary: str
    attachment_lines: tuple[str, ...]
    bulletin: tuple[tuple[str, str], ...]
    best: tuple[tuple[str, ...], ...]
    worst: tuple[tuple[str, ...], ...]

    @property
    def unit_count(self) -> int:
        """How many units the plan ranks, over all groups."""
        return sum(len(update.rows) for update in self.updates)


def build_plan(grids: Mapping[str, Grid]) -> Plan:
    """Validate every sheet, rank every group and return the plan; InputError lists all problems."""
    if texts.SETTINGS_SHEET not in grids:
        raise InputError([Problem(texts.MSG_MISSING_SHEET.format(sheet=texts.SETTINGS_SHEET))])
    problems: list[Problem] = []
    try:
        settings = parse_settings(grids[texts.SETTINGS_SHEET])
        categories, groups = settings.categories, settings.groups
    except InputError as error:  # go on checking the score sheets, to report everything at once
        problems.extend(error.problems)
        categories, groups = parse_structure(grids[texts.SETTINGS_SHEET])
    rosters: list[Roster] = []
    for group in groups:
        if group.sheet not in grids:
            problems.append(Problem(texts.MSG_MISSING_SHEET.format(sheet=group.sheet)))
            continue
        roster = read_roster(grids[group.sheet], group, categories, problems)
        if roster is not None:
            rosters.append(roster)
    if problems:
        raise InputError(problems)
    return _plan(settings, rosters, grids.get(texts.BULLETIN_SHEET, ()))


def _plan(settings: Settings, rosters: list[Roster], old_bulletin: Grid) -> Plan:
    names = [c.name for c in settings.categories]
    updates, annexes, best, worst, lines = [], [], [], [], []
    for n, roster in enumerate(rosters, start=1):
        group = roster.group
        table = add_totals(roster.table, names)
        best_rule = settings.best if group.best_count is None else replace(settings.best, count=group.best_count)
        worst_rule = settings.worst if group.worst_count is None else replace(settings.worst, count=group.worst_count)
        is_best = best_mask(table[TOTAL], best_rule)
        is_worst = worst_mask(table[TOTAL], worst_rule, is_best)
        rank = ranks(table[TOTAL], settings.rank_style)
        ordered = order(table, names, settings.tie_break)
        best.append(tuple(ordered.loc[is_best[ordered.index], SHORT]))
        worst.append(tuple(ordered.loc[is_worst[ordered.index], SHORT]))
        updates.append(_update(roster, table, rank, is_best, is_worst, settings.rank_column))
        title = annex_title(settings, group.title)
        lines.append(attachment_line(n, settings, title))
        columns = [UNIT, *names, TOTAL]
        header = [texts.UNIT, *names, texts.TOTAL]
        if settings.rank_column:
            ordered = ordered.assign(rank=rank[ordered.index])
            columns.append("rank")
            header.append(texts.RANK)
        rows = tuple(tuple(_plain(v) for v in row) for row in ordered[columns].itertuples(index=False, name=None))
        annexes.append(Annex(texts.ANNEX_SHEET.format(n=n), texts.ANNEX_LABEL.format(n=n), title, tuple(header), rows))
    title = fill(settings.title_template, settings)
    paragraph = summary(settings, best, worst)
    bulletin = (
        (texts.ROW_TITLE, title),
        (texts.ROW_SUMMARY, paragraph),
        *((texts.ROW_WORK, item) for item in _work_items(old_bulletin)),
        *((texts.ROW_ATTACHMENT, line) for line in lines),
    )
    return Plan(settings, tuple(updates), tuple(annexes), title, paragraph, tuple(lines), bulletin,
                tuple(best), tuple(worst))  # fmt: skip


def _plain(value: object) -> object:
    """numpy scalars to Python numbers, integral floats kept as floats."""
    return value.item() if hasattr(value, "item") else value


def _update(roster: Roster, table, rank, is_best, is_worst, rank_column: bool) -> InputUpdate:
    layout = roster.layout
    total_col = layout.total_col if layout.total_col is not None else layout.width
    rank_col = None
    clear: tuple[int, ...] = ()
    if rank_column:
        rank_col = layout.rank_col if layout.rank_col is not None else max(layout.width, total_col + 1)
    elif layout.rank_col is not None:
        clear = (layout.rank_col,)
    used = [layout.unit_col, *layout.category_cols, total_col, *([rank_col] if rank_col is not None else [])]
    last = max(max(used), layout.width - 1)
    rows = tuple(int(r) for r in table["row"])
    return InputUpdate(
        sheet=roster.group.sheet, header_row=layout.header_row, first_col=min(used), last_col=last,
        total_col=total_col, rank_col=rank_col, clear_cols=clear, rows=rows,
        totals=tuple(float(t) for t in table[TOTAL]),
        ranks=tuple(int(r) for r in rank) if rank_column else None,
        best_rows=tuple(r for r, b in zip(rows, is_best) if b),
        worst_rows=tuple(r for r, w in zip(rows, is_worst) if w),
        legend_col=last + LEGEND_GAP,
    )  # fmt: skip


def _work_items(old: Grid) -> list[str]:
    """The clerk's work items kept from an existing 通报 sheet (column A says 工作事项)."""
    key = header_key(texts.ROW_WORK)
    items = [clean_name(at(old, r, 1)) for r in range(len(old)) if header_key(at(old, r, 0)) == key]
    return items or [""]
