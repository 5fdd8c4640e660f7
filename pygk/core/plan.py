"""The pure core: from sheet values to a plan of what to write, as plain data.

`build_plan` is the whole computation. It reads no file and no clock and imports no
spreadsheet library; an adapter gathers the grids and applies the returned plan.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import Literal

import pandas as pd

from pygk.core import findings, findings_history, history, placement, texts
from pygk.core.cells import MAX_COLS, MAX_ROWS, Grid, at, cell_ref
from pygk.core.errors import InputError, Problem
from pygk.core.findings import Findings
from pygk.core.findings_report import Notice, notices, paragraph_texts, problem_rows
from pygk.core.limits import plan_problems
from pygk.core.ownership import (
    Ownership,
    Region,
    annex_number,
    generated_sheet_problems,
    owns_sheet,
    sheet_key,
)
from pygk.core.placement import CellPut, SheetCells
from pygk.core.ranking import COMPUTED, TOTAL, TOTAL_DECIMALS, add_totals, best_mask, order, ranks, worst_mask
from pygk.core.record import Keys
from pygk.core.roster import ENTERED, READING, SHORT, UNIT, Columns, Headers, Roster, read_roster
from pygk.core.settings import Settings, derives_scores, read_settings
from pygk.core.summary import Named, annex_title, attachment_line, choose_joiner, fill, summary, unit_list
from pygk.core.values import clean_name, format_number, header_key, match_key, split_header_maximum

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
    rows: tuple[int, ...]
    totals: tuple[float, ...]
    ranks: tuple[int, ...] | None
    best_rows: tuple[int, ...]
    worst_rows: tuple[int, ...]
    legend_col: int
    cells: SheetCells  # the writes, clears and owned cells, checked against the clerk's
    style_col: int  # a new 总分 cell takes this column's style (the last score column)
    rules_before: Region | None = None  # where pygk's highlight rules were (marked); None: somewhere in the table


ColumnKind = Literal["name", "number", "rank", "text"]


@dataclass(frozen=True)
class Column:
    """One annex column: its header text and what it holds (a unit's name, a number, a rank, or text such as ↑3)."""

    header: str
    kind: ColumnKind


@dataclass(frozen=True)
class Annex:
    """One annex sheet: label, title, its columns in order and the sorted rows (one value per column)."""

    sheet: str
    label: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[object, ...], ...]

    @property
    def header(self) -> tuple[str, ...]:
        """The header texts, in column order."""
        return tuple(column.header for column in self.columns)

    @property
    def name_col(self) -> int:
        """The column of the units' names."""
        return next(i for i, column in enumerate(self.columns) if column.kind == "name")


@dataclass(frozen=True)
class Trend:
    """What the 趋势 sheet charts: each group's totals in rank order, and listed units across months."""

    bars: tuple[tuple[str, tuple[tuple[str, float], ...]], ...]
    periods: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]


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
    issue: str = ""
    issue_cell: tuple[int, int] | None = None
    history_update: history.HistoryUpdate | None = None  # the 历史 sheet: months kept and the month written
    trend: Trend | None = None
    bulletin_cells: SheetCells | None = None  # the 通报 sheet's generated cells among the clerk's
    remove_sheets: tuple[str, ...] = ()  # pygk's annex sheets no longer needed
    findings: Findings | None = None  # the 扣分明细 sheet's findings, when the workbook has one
    notices: tuple[Notice, ...] = ()  # the units that get a 整改通知
    findings_history: tuple[tuple[object, ...], ...] = ()  # the 扣分历史 sheet (header first), () for none
    warnings: tuple[Problem, ...] = ()  # located notes that do not stop the run (an entered 总分 that differs)

    @property
    def history(self) -> tuple[tuple[object, ...], ...]:
        """Every row of the new 历史 sheet, header first (kept months read from the source: for tests and live)."""
        return tuple(self.history_update.rows()) if self.history_update is not None else ()

    @property
    def unit_count(self) -> int:
        """How many units the plan ranks, over all groups."""
        return sum(len(update.rows) for update in self.updates)


def build_plan(grids: Mapping[str, Grid], ownership: Ownership | None = None,
               history_source: history.HistorySource | None = None) -> Plan:  # fmt: skip
    """Validate every sheet, rank every group and return the plan; InputError lists all problems.

    `ownership` says which sheets and cells pygk made (read from the workbook's marks); a
    plan never writes over anything else, and any clerk's cell or sheet in its way is a problem.
    `history_source` reads the 历史 sheet month by month (default: its grid, read whole).
    """
    if texts.SETTINGS_SHEET not in grids:
        raise InputError([Problem(texts.MSG_MISSING_SHEET.format(sheet=texts.SETTINGS_SHEET))])
    settings, problems = read_settings(grids[texts.SETTINGS_SHEET])  # with problems: go on checking the sheets
    # A check that compares with what an earlier one read runs only when that read had no problem: on the
    # ruins of a failed one (an item dropped for its bad 满分, a group whose sheet was refused) it would
    # report what is not wrong (评分项目 not in 设置, a unit in no group).
    settings_sound = not problems
    categories, groups, headers = settings.categories, settings.groups, Headers.of(settings)
    ownership = ownership or Ownership()
    found = findings.read(grids, [c.name for c in categories] if settings_sound else None, problems)
    deductions = _deductions(grids, found, problems)
    rosters: list[Roster] = []
    for group in groups:
        if group.sheet not in grids:
            problems.append(Problem(texts.MSG_MISSING_SHEET.format(sheet=group.sheet)))
            continue
        owned = ownership.cells.get(group.sheet) or Region()
        record = ownership.records.get(group.sheet)
        roster = read_roster(grids[group.sheet], group, categories, problems, headers, deductions=deductions,
                             owned=owned, titles=record.titles if record is not None else None)  # fmt: skip
        if roster is not None:
            rosters.append(roster)
    if found is not None and settings_sound and len(rosters) == len(groups):  # every group's units known
        sheets_of: dict[str, list[str]] = {}
        for each in rosters:
            for unit in each.table[UNIT]:
                sheets_of.setdefault(unit, []).append(each.group.sheet)
        problems.extend(findings.unknown_units(found, sheets_of))
        problems.extend(findings.shared_units(found, sheets_of))
    if history_source is None:
        history_source = history.GridHistory(grids.get(texts.HISTORY_SHEET, ()), problems)
    past_grid = grids.get(texts.FINDINGS_HISTORY_SHEET)  # read only when pygk wrote it; a clerk's sheet is refused
    owned_past = past_grid is not None and owns_sheet(texts.FINDINGS_HISTORY_SHEET, ownership, past_grid)
    past = findings_history.parse(past_grid if past_grid is not None and owned_past else (), problems)
    if problems:
        raise InputError(problems)
    return _plan(settings, rosters, grids, history_source, ownership, found, past)


def _deductions(grids: Mapping[str, Grid], found: Findings | None,
                problems: list[Problem]) -> dict[str, dict[str, float]] | None:  # fmt: skip
    """unit -> item -> points when 得分来源 is 按扣分计算 (scores then come from the findings), else None."""
    if not derives_scores(grids[texts.SETTINGS_SHEET]):
        return None
    if texts.FINDINGS_SHEET not in grids:
        columns = "、".join(texts.FINDINGS_HEADER)
        problems.append(Problem(texts.MSG_DERIVED_NO_FINDINGS.format(columns=columns), texts.SETTINGS_SHEET))
    return found.deductions() if found is not None else {}


@dataclass(frozen=True)
class GroupResult:
    """One group ranked: its table in roster order with totals, ranks and marks, the ranked and the annex order."""

    roster: Roster
    table: pd.DataFrame
    rank: pd.Series
    is_best: pd.Series
    is_worst: pd.Series
    ranked: pd.DataFrame  # by total, ties broken by the 同分排序 rule
    ordered: pd.DataFrame  # as the annex lists them (附件排序)

    def named(self, mask: pd.Series) -> tuple[Named, ...]:
        """The units picked by mask, in ranked order, as the summary names them."""
        picked = self.ranked[mask[self.ranked.index]]
        return tuple(Named(str(r[SHORT]), float(r[TOTAL]), int(self.rank[i])) for i, r in picked.iterrows())


def rank_group(roster: Roster, settings: Settings) -> GroupResult:
    """Totals, ranks, best and worst of one group, and its rows in ranked and annex order."""
    group = roster.group
    entered = ENTERED if settings.total_source == "entered" else None
    table = add_totals(roster.table, settings.categories, entered, settings.total_decimals)
    best_rule = settings.best if group.best_count is None else replace(settings.best, count=group.best_count)
    worst_rule = settings.worst if group.worst_count is None else replace(settings.worst, count=group.worst_count)
    style = settings.rank_style
    is_best = best_mask(table[TOTAL], best_rule, style)
    is_worst = worst_mask(table[TOTAL], worst_rule, is_best, style)
    rank = ranks(table[TOTAL], style)
    ranked = order(table, settings.categories, settings.tie_break, UNIT, READING)
    return GroupResult(roster, table, rank, is_best, is_worst, ranked,
                       table if settings.annex_order == "roster" else ranked)  # fmt: skip


MISMATCH_TOLERANCE = 0.01  # an entered 总分 this far from its items' sum is listed


def total_warnings(result: GroupResult) -> list[Problem]:
    """Rows whose entered 总分 differs from the items' weighted sum by more than 0.01 (where all were entered)."""
    columns = result.roster.columns
    if ENTERED not in result.table or columns.total_col is None:
        return []
    table = result.table
    difference = (table[TOTAL] - table[COMPUTED]).abs().round(TOTAL_DECIMALS)  # 86.01 - 86 is 0.0100000000000051
    differs = table[COMPUTED].notna() & (difference > MISMATCH_TOLERANCE)
    return [Problem(texts.MSG_TOTAL_MISMATCH.format(unit=r[UNIT], entered=format_number(r[TOTAL]),
                                                    computed=format_number(r[COMPUTED])),
                    result.roster.group.sheet, cell_ref(int(r["row"]), columns.total_col))
            for _, r in table[differs].iterrows()]  # fmt: skip


def with_vetoes(result: GroupResult, settings: Settings, failed: Collection[str]) -> GroupResult:
    """A group's result with its 不合格 units (a veto finding) named worst and never best.

    Best and worst by the rules are picked among the other units, as if the 不合格 ones were not in
    the group; ranks and order stay those of the whole group.
    """
    vetoed = result.table[UNIT].isin(failed)
    if not vetoed.any():
        return result
    if vetoed.all():
        return replace(result, is_best=~vetoed, is_worst=vetoed)
    others = rank_group(replace(result.roster, table=result.roster.table[~vetoed.to_numpy()]), settings)
    is_best = others.is_best.reindex(result.table.index, fill_value=False)
    is_worst = others.is_worst.reindex(result.table.index, fill_value=False) | vetoed
    return replace(result, is_best=is_best, is_worst=is_worst)


def month_history(results: list[GroupResult], settings: Settings, issue: str) -> pd.DataFrame:
    """This month's rows for the 历史 sheet."""
    names = [c.name for c in settings.categories]
    frames = []
    for result in results:
        table = result.table
        frames.append(pd.DataFrame({
            history.YEAR: settings.year, history.MONTH: settings.month, history.ISSUE: issue,
            history.GROUP: result.roster.group.sheet, history.UNIT: table[UNIT],
            **{name: table[name] for name in names},
            history.TOTAL: table[TOTAL], history.RANK: result.rank, history.BEST: result.is_best,
            history.WORST: result.is_worst,
        }))  # fmt: skip
    return pd.concat(frames, ignore_index=True) if frames else history.empty(names)


def _plan(settings: Settings, rosters: list[Roster], grids: Mapping[str, Grid], source: history.HistorySource,
          ownership: Ownership, found: Findings | None = None,
          past: tuple[findings_history.PastFinding, ...] = ()) -> Plan:  # fmt: skip
    """Rank every group (不合格 units worst), then the texts, the 趋势 data and the writes into the clerk's sheets."""
    failed = found.failed() if found is not None else {}
    results = [with_vetoes(rank_group(roster, settings), settings, failed) for roster in rosters]
    year, month = settings.year, settings.month
    issue = settings.issue or history.source_issue(source, year, month)
    month_rows = month_history(results, settings, issue)
    update = history.updated(source, month_rows, [g.sheet for g in settings.groups])
    wants_change = settings.show_change or ("change", "") in settings.annex_columns
    previous = history.recent(source, year, month, 1) if wants_change else history.empty()
    annexes = [_with_verdicts(_annex(n, result, settings, previous), failed) for n, result in enumerate(results, 1)]
    annexes += _problem_annex(len(annexes) + 1, results, settings, found)
    words = _texts(results, tuple(annexes), settings, source, month_rows, found, past, failed)
    found_history = findings_history.history_grid(past, found, settings.year, settings.month)
    problems: list[Problem] = _joiner_problems(settings, grids, [*words.best, *words.worst])
    derive = settings.score_source == "findings"
    notes: list[Problem] = []
    updates = tuple(_update(r, grids[r.roster.group.sheet], ownership, settings, problems, derive, notes)
                    for r in results)  # fmt: skip
    removals = _check_sheets(grids, ownership, [a.sheet for a in annexes], problems, bool(found_history))
    items = [(texts.ROW_TITLE, words.title), (texts.ROW_SUMMARY, words.summary),
             *((texts.ROW_ATTACHMENT, x) for x in words.attachment_lines)]  # fmt: skip
    bulletin_cells = _bulletin_cells(grids, ownership, items, problems)
    if problems:
        raise InputError(problems)
    work = _work_items(grids.get(texts.BULLETIN_SHEET, ()))
    plan = Plan(
        settings=settings,
        updates=updates,
        annexes=tuple(annexes),
        title=words.title,
        summary=words.summary,
        attachment_lines=words.attachment_lines,
        bulletin=(
            (texts.ROW_TITLE, words.title),
            (texts.ROW_SUMMARY, words.summary),
            *((texts.ROW_WORK, item) for item in work),
            *((texts.ROW_ATTACHMENT, line) for line in words.attachment_lines),
        ),
        best=words.best,
        worst=words.worst,
        issue=issue,
        issue_cell=None if settings.issue else _key_cell(grids[texts.SETTINGS_SHEET], texts.KEY_ISSUE),
        history_update=update,
        trend=_trend(results, settings, source, month_rows),
        bulletin_cells=bulletin_cells,
        remove_sheets=removals,
        findings=found,
        notices=_notices(results, found, failed, settings),
        findings_history=found_history,
        warnings=(*notes, *(w for r in results for w in total_warnings(r))),
    )
    too_big = plan_problems(plan, grids)  # Excel's limits: refuse before any adapter writes
    if too_big:
        raise InputError(too_big)
    return plan


@dataclass(frozen=True)
class _Texts:
    """The bulletin's generated texts: title, summary paragraph, attachment lines, best and worst short names."""

    title: str
    summary: str
    attachment_lines: tuple[str, ...]
    best: tuple[tuple[str, ...], ...]
    worst: tuple[tuple[str, ...], ...]


def _texts(results: list[GroupResult], annexes: tuple[Annex, ...], settings: Settings,
           source: history.HistorySource, month_rows: pd.DataFrame, found: Findings | None,
           past: tuple[findings_history.PastFinding, ...], failed: Mapping[str, object]) -> _Texts:  # fmt: skip
    """Title, summary (the findings' placeholders filled, the repeat-offender sentence when on), attachment list."""
    lines = tuple(attachment_line(n, settings, annex.title) for n, annex in enumerate(annexes, start=1))
    best_named = [r.named(r.is_best) for r in results]
    worst_named = [r.named(r.is_worst) for r in results]
    groups = [r.roster.group for r in results]
    pairs = [list(zip(r.table[UNIT].tolist(), r.table[SHORT].tolist())) for r in results]
    joiner = choose_joiner(settings.group_joiner, [short for group in pairs for _, short in group])
    extra = paragraph_texts(found, pairs, failed, joiner)
    extra.update(findings_history.followup_texts(
        findings_history.followup(past, found, settings.year, settings.month), pairs, joiner))  # fmt: skip
    paragraph = summary(settings, groups, best_named, worst_named, extra)
    paragraph += _repeat_sentence(results, source, month_rows, settings)
    best = tuple(tuple(u.name for u in units) for units in best_named)
    worst = tuple(tuple(u.name for u in units) for units in worst_named)
    return _Texts(fill(settings.title_template, settings), paragraph, lines, best, worst)


def _trend(results: list[GroupResult], settings: Settings, source: history.HistorySource,
           month_rows: pd.DataFrame) -> Trend:  # fmt: skip
    """What 趋势 charts: each group's totals in ranked order (by column name), the listed units across months."""
    bars = tuple(
        (texts.TREND_BAR_TITLE.format(month=settings.month, group=r.roster.group.title),
         tuple(zip(map(str, r.ranked[UNIT].tolist()), map(float, r.ranked[TOTAL].tolist()))))
        for r in results
    )  # fmt: skip
    periods, series = _trend_series(source, month_rows, settings)
    return Trend(bars, tuple(texts.PERIOD_LABEL.format(year=y, month=m) for y, m in periods),
                 tuple((unit, tuple(values)) for unit, values in series.items()))  # fmt: skip


def _check_sheets(grids: Mapping[str, Grid], ownership: Ownership, annexes: list[str], problems: list[Problem],
                  findings_history: bool = False) -> tuple[str, ...]:  # fmt: skip
    """Refuse a generated sheet's name taken by a clerk's sheet; pygk's annex sheets no longer needed."""
    wanted = [(name, texts.WHAT_ANNEX) for name in annexes]
    wanted += [(texts.HISTORY_SHEET, texts.WHAT_HISTORY), (texts.TREND_SHEET, texts.WHAT_TREND)]
    if findings_history:
        wanted.append((texts.FINDINGS_HISTORY_SHEET, texts.WHAT_FINDINGS_HISTORY))
    for name, what in wanted:
        problems.extend(generated_sheet_problems(name, what, grids, ownership))
    keep = {sheet_key(name) for name in annexes}
    removals = []
    for name in grids:
        if annex_number(name) is None or sheet_key(name) in keep or not owns_sheet(name, ownership, grids[name]):
            continue
        if ownership.extras.get(name):
            problems.append(Problem(texts.MSG_SHEET_EXTRAS.format(extras="、".join(ownership.extras[name])), name))
        else:
            removals.append(name)
    return tuple(removals)


def _bulletin_cells(grids: Mapping[str, Grid], ownership: Ownership, items: list[tuple[str, str]],
                    problems: list[Problem]) -> SheetCells | None:  # fmt: skip
    """The 通报 sheet's cells, or None when its name is taken by a clerk's sheet (a problem)."""
    name = texts.BULLETIN_SHEET
    existing = next((s for s in grids if sheet_key(s) == sheet_key(name)), None)
    if sheet_key(name) in {sheet_key(s) for s in ownership.other_sheets}:
        problems.append(Problem(texts.MSG_SHEET_TAKEN.format(sheet=name, what=texts.WHAT_BULLETIN), name))
        return None
    if existing is None:
        return placement.bulletin_cells(name, None, Region(), items, problems)
    grid = grids[existing]
    if existing != name or not owns_sheet(existing, ownership, grid):
        problems.append(Problem(texts.MSG_SHEET_TAKEN.format(sheet=name, what=texts.WHAT_BULLETIN), existing))
        return None
    owned = ownership.cells.get(name)
    if not owned:  # no mark, or one Excel turned into #REF!: adopt pygk's rows by their shape
        owned = placement.legacy_bulletin_cells(grid)
    return placement.bulletin_cells(name, grid, owned, items, problems, ownership.records.get(name))


def annex_columns(settings: Settings) -> tuple[tuple[str, str], ...]:
    """The annex's (kind, item) columns: 附件列 as listed, else 单位名称, the items, 总分; 排名 and 较上月 when on."""
    columns = list(settings.annex_columns) or [("unit", ""), *(("item", c.name) for c in settings.categories),
                                               ("total", "")]  # fmt: skip
    for kind, wanted in (("rank", settings.rank_column), ("change", settings.show_change)):
        if wanted and (kind, "") not in columns:
            columns.append((kind, ""))
    return tuple(columns)


_KINDS: dict[str, ColumnKind] = {"unit": "name", "item": "number", "total": "number", "rank": "rank", "change": "text"}


def _annex(n: int, result: GroupResult, settings: Settings, old_history: pd.DataFrame) -> Annex:
    """Annex n: the group's rows in annex order, in the columns `annex_columns` gives."""
    ordered = result.ordered
    maxima = dict(zip((c.name for c in settings.categories), result.roster.maxima))
    titles = {"unit": settings.unit_title, "total": settings.total_title, "rank": settings.rank_title,
              "change": texts.CHANGE}  # fmt: skip
    values: dict[str, pd.Series | list[str]] = {"unit": ordered[UNIT], "total": ordered[TOTAL],
                                                "rank": result.rank[ordered.index]}  # fmt: skip
    if settings.show_change or ("change", "") in settings.annex_columns:
        now = dict(zip(result.table[UNIT], result.rank))
        change = history.rank_changes(old_history, result.roster.group.sheet, settings.year, settings.month, now)
        values["change"] = [change[u] for u in ordered[UNIT]]
    columns, data = [], []
    for kind, item in annex_columns(settings):
        if kind == "item":
            maximum = maxima.get(item)
            header = item
            if settings.header_maxima and maximum is not None:  # 信息公开(30), also for an item named 信息公开(30分)
                header = texts.HEADER_WITH_MAX.format(
                    name=split_header_maximum(item)[0], maximum=format_number(maximum)
                )
            columns.append(Column(header, "number"))
            data.append(history.plain_values(ordered[item]))
        else:
            columns.append(Column(titles[kind], _KINDS[kind]))
            data.append(history.plain_values(values[kind]))
    rows = tuple(zip(*data)) if data else ()
    title = annex_title(settings, result.roster.group.title)
    return Annex(texts.ANNEX_SHEET.format(n=n), texts.ANNEX_LABEL.format(n=n), title, tuple(columns), rows)


def _with_verdicts(annex: Annex, failed: Mapping[str, object]) -> Annex:
    """A score annex with a 评定 column saying 不合格 beside each vetoed unit, when its group has one."""
    name = annex.name_col
    if not failed or not any(row[name] in failed for row in annex.rows):
        return annex
    rows = tuple((*row, texts.FAILED if row[name] in failed else "") for row in annex.rows)
    return replace(annex, columns=(*annex.columns, Column(texts.RESULT, "text")), rows=rows)


# The kinds of the 问题清单's columns, as texts.PROBLEM_LIST_HEADER lists them.
PROBLEM_LIST_KINDS: tuple[ColumnKind, ...] = ("name", "text", "text", "text", "number", "text")


def _problem_annex(n: int, results: list[GroupResult], settings: Settings, found: Findings | None) -> list[Annex]:
    """The 问题清单 annex after the score annexes, when there are findings: per unit in group and roster order."""
    if found is None or not found.items:
        return []
    rows = problem_rows(found, [unit for r in results for unit in r.table[UNIT]], settings.year)
    title = fill(texts.PROBLEM_LIST_TITLE, settings)
    columns = tuple(Column(h, k) for h, k in zip(texts.PROBLEM_LIST_HEADER, PROBLEM_LIST_KINDS, strict=True))
    return [Annex(texts.ANNEX_SHEET.format(n=n), texts.ANNEX_LABEL.format(n=n), title, columns, rows)]


def _notices(results: list[GroupResult], found: Findings | None, failed: Mapping[str, object],
             settings: Settings) -> tuple[Notice, ...]:  # fmt: skip
    """Who gets a 整改通知: every unit named worst, 不合格 or with findings past their deadline."""
    units = [unit for r in results for unit in zip(r.table[UNIT].tolist(), map(float, r.table[TOTAL].tolist()),
                                                    map(bool, r.is_worst.tolist()))]  # fmt: skip
    return notices(found, units, failed, settings.year, settings.month)


def _trend_series(source: history.HistorySource, month_rows: pd.DataFrame,
                  settings: Settings) -> tuple[list[tuple[int, int]], dict[str, list[float | None]]]:  # fmt: skip
    """The months of the new 历史 sheet and the listed units' totals in each; every month is read only for units."""
    now = (settings.year, settings.month)
    periods = {p for p in history.source_periods(source) if p != now} | ({now} if len(month_rows) else set())
    if not settings.trend_units:
        return sorted(periods), {}
    frames = [source.frame(i) for i, p in enumerate(source.periods) if (p.year, p.month) != now]
    frames = [f[[history.YEAR, history.MONTH, history.UNIT, history.TOTAL]] for f in [*frames, month_rows] if len(f)]
    table = pd.concat(frames, ignore_index=True) if frames else history.empty()
    return history.trend(table, settings.trend_units)


def _repeat_sentence(results: list[GroupResult], source: history.HistorySource, month_rows: pd.DataFrame,
                     settings: Settings) -> str:  # fmt: skip
    """'连续两个月表现较差的有：…。' when switched on and somebody qualifies, else ''."""
    if not settings.repeat_sentence:
        return ""
    groups = [r.roster.group.sheet for r in results]
    earlier = history.recent(source, settings.year, settings.month, settings.repeat_months - 1)
    frames = [f for f in (earlier, month_rows) if len(f)]
    recent = pd.concat(frames, ignore_index=True) if frames else history.empty()
    offenders = history.repeat_offenders(recent, groups, settings.year, settings.month, settings.repeat_months)
    if not any(offenders):
        return ""
    short = [dict(zip(r.table[UNIT], r.table[SHORT])) for r in results]
    named = [[names[u] for u in units] for names, units in zip(short, offenders)]
    words = texts.COUNT_WORDS.get(settings.repeat_months, str(settings.repeat_months))
    return texts.REPEAT_SENTENCE.format(n=words, units=unit_list(named))


def _key_cell(grid: Grid, key: str) -> tuple[int, int] | None:
    """The value cell (column B) of a key in the 设置 sheet."""
    wanted = header_key(key)
    return next(((r, 1) for r in range(len(grid)) if header_key(at(grid, r, 0)) == wanted), None)


def _joiner_problems(settings: Settings, grids: Mapping[str, Grid], lists: list[tuple[str, ...]]) -> list[Problem]:
    """A 分组连接词 the clerk chose that occurs inside a named unit reads as two units: refused, located."""
    joiner = settings.group_joiner
    unit = next((name for names in lists for name in names if joiner and joiner in name), None)
    if unit is None:
        return []
    cell = _key_cell(grids[texts.SETTINGS_SHEET], texts.KEY_GROUP_JOINER)
    return [Problem(texts.MSG_JOINER_IN_NAME.format(joiner=joiner, unit=unit), texts.SETTINGS_SHEET,
                    cell_ref(*cell) if cell else None)]  # fmt: skip


def _update(result: GroupResult, grid: Grid, ownership: Ownership, settings: Settings, problems: list[Problem],
            derive: bool = False, notes: list[Problem] | None = None) -> InputUpdate:  # fmt: skip
    """What pygk writes into an input sheet: 总分 (and 排名) beside the table, the legend right of it.

    An entered 总分 (总分来源 录入) is the clerk's: pygk writes nothing into its column. With
    `derive` (得分来源 按扣分计算) it writes each item's score too; without it, scores pygk
    computed in an earlier run become the clerk's (its mark no longer claims them), named in `notes`.
    """
    rank_column = settings.rank_column
    entered = settings.total_source == "entered"
    roster = result.roster
    columns = roster.columns
    sheet = roster.group.sheet
    total_col = columns.total_col if columns.total_col is not None else columns.width
    rank_col = None
    if rank_column:
        rank_col = columns.rank_col if columns.rank_col is not None else max(columns.width, total_col + 1)
    used = [columns.unit_col, *columns.category_cols, total_col, *([rank_col] if rank_col is not None else [])]
    rows = tuple(map(int, result.table["row"].tolist()))  # tolist: Python numbers without a Series per value
    totals = tuple(map(float, result.table[TOTAL].tolist()))
    ranks = tuple(map(int, result.rank.tolist())) if rank_column else None
    owned = ownership.cells.get(sheet)
    if not owned:  # no mark, or one Excel turned into #REF!: adopt pygk's cells by their shape (its legend)
        rank = columns.rank_col if rank_column else None  # with 排名 off, a 排名 column may be the clerk's own
        owned = placement.legacy_input_cells(grid, columns.header_row, columns.total_col, rank)
    header = columns.header_row
    if not derive and notes is not None:
        notes.extend(_scores_now_entered(grid, owned, columns, sheet))
    width = columns.width
    if rank_col is None and columns.rank_col == width - 1 and (header, columns.rank_col) in owned:
        width -= 1  # pygk's own 排名 column, cleared this run, does not push the legend out
    last = max(max(used), width - 1)
    wanted = []
    if not entered:
        total_title = _title(grid, owned, header, columns.total_col, settings.total_title)
        wanted.append(CellPut(header, total_col, total_title, placement.TOTAL_HEADER))
        wanted += [CellPut(r, total_col, t, placement.TOTAL) for r, t in zip(rows, totals)]
    if rank_col is not None and ranks is not None:
        rank_title = _title(grid, owned, header, columns.rank_col, settings.rank_title)
        wanted.append(CellPut(header, rank_col, rank_title, placement.RANK_HEADER))
        wanted += [CellPut(r, rank_col, k, placement.RANK) for r, k in zip(rows, ranks)]
    scores = list(columns.category_cols) if derive else []
    if derive:
        for col, category in zip(columns.category_cols, settings.categories):
            scored = result.table[category.name]
            wanted += [CellPut(r, col, float(v), placement.SCORE) for r, v in zip(rows, scored.tolist())]
    short = [columns.short_col] if columns.short_col is not None else []
    protected = [columns.unit_col, *short, *([] if derive else columns.category_cols)]
    protected += [total_col] if entered else []
    own_titles = [
        clean_name(at(grid, header, c))
        for c in (columns.total_col, columns.rank_col)
        if c is not None and (header, c) in owned
    ]  # pygk's headers of an earlier title: 合计, 名次
    titles = (settings.total_title, settings.rank_title, *own_titles)
    plausible = placement.input_plausible(grid, header, protected, titles, scores=scores)
    legend_col = placement.legend_column(grid, owned, header, last + LEGEND_GAP, plausible)
    if legend_col is None or max(used) >= MAX_COLS or header + 2 >= MAX_ROWS:
        problems.append(Problem(texts.MSG_NO_ROOM.format(what=texts.TOTAL if max(used) >= MAX_COLS
                                                        else texts.WHAT_LEGEND), sheet))  # fmt: skip
        legend_col = last + LEGEND_GAP
    else:
        wanted.append(CellPut(header + 1, legend_col, texts.LEGEND_BEST, placement.LEGEND_BEST))
        wanted.append(CellPut(header + 2, legend_col, texts.LEGEND_WORST, placement.LEGEND_WORST))
    hint = texts.HINT_SCORES if derive else _titled_hint(grid, owned, columns, settings) or texts.HINT_TOTAL
    written_titles = [str(p.value) for p in wanted if p.role in (placement.TOTAL_HEADER, placement.RANK_HEADER)]
    cells = placement.place(sheet, grid, owned, wanted, plausible, problems, hint,
                            keys=Keys(columns.unit_col, header), record=ownership.records.get(sheet),
                            edited_hint=texts.EDITED_SCORES if derive else texts.EDITED_TOTAL,
                            titles=written_titles)  # fmt: skip
    rules_before = ownership.rules.get(sheet)
    if rules_before is None and not owned:  # pygk never wrote here: it has no rules here
        rules_before = Region()
    return InputUpdate(
        sheet=sheet, header_row=header, first_col=min(used), last_col=last,
        total_col=total_col, rank_col=rank_col, rows=rows, totals=totals, ranks=ranks,
        best_rows=tuple(r for r, b in zip(rows, result.is_best.tolist()) if b),
        worst_rows=tuple(r for r, w in zip(rows, result.is_worst.tolist()) if w),
        legend_col=legend_col, cells=cells, style_col=max(columns.category_cols, default=total_col),
        rules_before=rules_before,
    )  # fmt: skip


def _scores_now_entered(grid: Grid, owned: Region, columns: Columns, sheet: str) -> list[Problem]:
    """The scores pygk computed from deductions in an earlier run, now read as the clerk's (得分来源 back to 录入)."""
    scores = set(columns.category_cols)
    over = Region(tuple(rect for rect in owned.rects if any(rect[1] <= c <= rect[3] for c in scores)))
    cells = [(r, c) for r, c in over.in_grid(grid) if c in scores and r > columns.header_row]
    if not cells:
        return []
    return [Problem(texts.MSG_SCORES_NOW_ENTERED.format(cells=placement.cell_list(cells)), sheet)]


def _title(grid: Grid, owned: Region, header: int, col: int | None, title: str) -> str:
    """The header pygk writes over its column: the clerk's header kept (总得分(100)); pygk's own follows 设置."""
    if col is None or (header, col) in owned:
        return title
    return clean_name(at(grid, header, col)) or title


def _titled_hint(grid: Grid, owned: Region, columns: Columns, settings: Settings) -> str:
    """The hint for a clerk's column that pygk takes as its own because of a title in 设置 (总分列标题 备注), or ''."""
    header = columns.header_row
    for key, title, default, col in (
        (texts.KEY_TOTAL_TITLE, settings.total_title, texts.TOTAL, columns.total_col),
        (texts.KEY_RANK_TITLE, settings.rank_title, texts.RANK, columns.rank_col),
    ):
        if col is None or title == default or (header, col) in owned:
            continue
        if match_key(at(grid, header, col)) == match_key(title):
            return texts.HINT_TITLED.format(key=key, title=title, what=default)
    return ""


def _work_items(old: Grid) -> list[str]:
    """The clerk's work items kept from an existing 通报 sheet (column A says 工作事项)."""
    key = header_key(texts.ROW_WORK)
    items = [clean_name(at(old, r, 1)) for r in range(len(old)) if header_key(at(old, r, 0)) == key]
    return items or [""]
