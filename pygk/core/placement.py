"""Where pygk's cells go on sheets it shares with the clerk, and which clerk cells stop it (pure).

A cell is pygk's to write when it is empty, or when pygk wrote it before (it is in the
sheet's owned region) and still holds something pygk could have written there. A clerk's
cell that already shows exactly what pygk would write is left as it is. Any other cell in
the way is the clerk's: the run is refused, naming the cells. Cells pygk owned and no
longer needs are cleared, so nothing stale stays behind.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from pygk.core import texts
from pygk.core.cells import MAX_COLS, MAX_ROWS, Grid, at, cell_ref, formula_cells, merged_ranges
from pygk.core.errors import Problem
from pygk.core.ownership import Region
from pygk.core.record import Keys, Record, changes, new_record, row_keys
from pygk.core.values import header_key, is_blank

# Style roles of the cells pygk writes into shared sheets (each adapter maps them to its styles).
TOTAL_HEADER, TOTAL, RANK_HEADER, RANK = "total_header", "total", "rank_header", "rank"
SCORE = "score"  # an item score pygk computes (得分来源 按扣分计算); the cell keeps its own style
LEGEND_BEST, LEGEND_WORST = "legend_best", "legend_worst"
HEADER, LABEL, BODY, NOTE = "header", "label", "body", "note"


class CellPut(NamedTuple):
    """One cell pygk writes (0-based); `claim` False leaves it to the clerk afterwards (a tuple: there are many)."""

    row: int
    col: int
    value: object
    role: str
    claim: bool = True


@dataclass(frozen=True)
class SheetCells:
    """pygk's cells on one shared sheet: what to write, what to clear, what it owns afterwards."""

    sheet: str
    puts: tuple[CellPut, ...]
    clears: tuple[tuple[int, int], ...]
    owned: tuple[tuple[int, int], ...]
    create: bool = False  # the sheet does not exist yet
    record: Record = Record()  # what pygk wrote on the sheet after this run (its titles, its values' digest)


def same_value(current: object, value: object) -> bool:
    """True when a cell already shows this value (numbers to 1e-9, text after trimming)."""
    if isinstance(current, bool) or isinstance(value, bool):
        return current == value
    if isinstance(current, (int, float)) and isinstance(value, (int, float)):
        return abs(float(current) - float(value)) < 1e-9
    if isinstance(current, str) and isinstance(value, str):
        return current.strip() == value.strip()
    return False


Plausible = Callable[[int, int], bool]  # (row, col) -> may this cell hold something pygk wrote?


def input_plausible(grid: Grid, header_row: int, protected: Sequence[int] = (), titles: Sequence[str] = (), *,
                    scores: Sequence[int] = ()) -> Plausible:  # fmt: skip
    """What pygk may have written on an input sheet: its legend texts, or 总分/排名 (or the clerk's `titles` for
    them, such as 总得分(100)) and numbers in a column so headed.

    The check is on the cell's content and position, not only on the owned region, so a
    damaged or forged `_pygk.cells` can never make pygk clear a clerk's score or name:
    the columns in `protected` (unit, short name, typed scores) are never pygk's. Numbers
    below the header in the `scores` columns are, when pygk computes the scores.
    """
    legend = {header_key(texts.LEGEND_BEST), header_key(texts.LEGEND_WORST)}
    headers = {header_key(texts.TOTAL), header_key(texts.RANK), *(header_key(t) for t in titles)}
    blocked = set(protected)
    computed = set(scores)
    headed: dict[int, bool] = {}  # column -> is its header 总分, 排名 or a title (asked once per column, not per row)

    def plausible(row: int, col: int) -> bool:
        if col in blocked:
            return False
        value = at(grid, row, col)
        if isinstance(value, str) and header_key(value) in legend:
            return True
        if col in computed and row > header_row:
            return isinstance(value, (int, float)) and not isinstance(value, bool)
        if col not in headed:
            headed[col] = header_key(at(grid, header_row, col)) in headers
        if not headed[col]:
            return False
        if row == header_row:
            return True
        return isinstance(value, (int, float)) and not isinstance(value, bool)

    return plausible


def bulletin_plausible(grid: Grid) -> Plausible:
    """What pygk may have written on the 通报 sheet: cells A:B of its header, its labelled rows and its note."""
    labels = {header_key(t) for t in (texts.ROW_TITLE, texts.ROW_SUMMARY, texts.ROW_ATTACHMENT)}
    header = [header_key(h) for h in texts.BULLETIN_HEADER]

    def plausible(row: int, col: int) -> bool:
        if col > 1:
            return False
        if row == 0 and [header_key(at(grid, 0, c)) for c in (0, 1)] == header:
            return True
        label = header_key(at(grid, row, 0))
        return label in labels or (not label and at(grid, row, 1) == texts.BULLETIN_NOTE)

    return plausible


def is_free(grid: Grid, owned: Container[tuple[int, int]], row: int, col: int, plausible: Plausible) -> bool:
    """True when pygk may write the cell: empty, or its own and still plausibly its own.

    pygk never writes a formula, so a formula in one of its cells is the clerk's. `owned` is
    the owned Region, or the set of its cells that hold a value (the same answer, asked faster).
    """
    return _free(at(grid, row, col), (row, col), owned, plausible, formula_cells(grid))


def _free(current: object, cell: tuple[int, int], owned: Container[tuple[int, int]], plausible: Plausible,
          formulas: Container[tuple[int, int]]) -> bool:  # fmt: skip
    """is_free for a cell whose value is known, with the grid's formula cells (asked once for many cells)."""
    return is_blank(current) or (cell in owned and plausible(*cell) and cell not in formulas)


def place(sheet: str, grid: Grid, owned: Region, wanted: Sequence[CellPut], plausible: Plausible,
          problems: list[Problem], hint: str, *, keys: Keys, record: Record | None, edited_hint: str,
          titles: Sequence[str] = ()) -> SheetCells:  # fmt: skip
    """The writes that are allowed, the stale cells to clear; clerk cells in the way become one problem.

    With the `record` of the previous run, a cell of pygk's that the clerk changed since (its value
    no longer pygk's) is never written over or cleared: another problem, with `edited_hint`.
    Without one (a workbook from an earlier version) pygk's cells are its own, as they were.
    """
    puts: list[CellPut] = []
    put_cells: list[tuple[int, int]] = []  # each put's (row, col)
    kept: set[tuple[int, int]] = set()
    taken: list[tuple[int, int]] = []
    edited: list[tuple[int, int]] = []
    present = list(owned.in_grid(grid)) if owned else []  # pygk's cells that hold a value
    holding = set(present)  # is_free asks about owned cells only when they hold a value: these
    rows = row_keys(grid, keys)
    found = changes(grid, keys, present, record, rows)
    changed = found.cells
    cols = {p.col for p in wanted}  # only merges over the columns pygk writes can be in its way
    merged = Region(tuple(m for m in merged_ranges(grid) if any(m[1] <= c <= m[3] for c in cols)))
    any_merged = bool(merged)
    beyond = [p for p in wanted if p.row >= MAX_ROWS or p.col >= MAX_COLS]
    if beyond:
        problems.append(Problem(texts.MSG_NO_ROOM_ROWS.format(sheet=sheet), sheet))
        wanted = [p for p in wanted if p not in beyond]
    formulas = formula_cells(grid)
    for put in wanted:
        cell = (put.row, put.col)
        current = at(grid, put.row, put.col)
        if any_merged and cell in merged:
            taken.append(cell)
        elif _free(current, cell, holding, plausible, formulas):
            if cell in changed and not same_value(current, put.value):
                edited.append(cell)
            else:
                puts.append(put)
                put_cells.append(cell)
        elif same_value(current, put.value):
            kept.add(cell)
        elif cell in changed:  # pygk's cell, since edited (into text or a formula): the clerk's edit
            edited.append(cell)
        else:
            taken.append(cell)
    if taken:
        in_merge = [c for c in taken if any_merged and c in merged]
        if in_merge:
            problems.append(Problem(texts.MSG_CELLS_MERGED.format(cells=cell_list(in_merge)), sheet))
        merged_cells = set(in_merge)
        rest = [c for c in taken if c not in merged_cells]
        if rest:
            problems.append(Problem(texts.MSG_CELLS_TAKEN.format(cells=cell_list(rest), hint=hint), sheet))
    written = {*put_cells, *edited}
    stale = [cell for cell in present if cell not in written and cell not in kept and plausible(*cell)
             and cell not in formulas]  # fmt: skip
    edited += [cell for cell in stale if cell in changed]
    clears = tuple(sorted(cell for cell in stale if cell not in changed))
    if edited:
        message = texts.MSG_CELLS_EDITED if found.located else texts.MSG_CELLS_EDITED_AMONG
        problems.append(Problem(message.format(cells=cell_list(edited), hint=edited_hint), sheet))
    claimed = tuple(sorted(cell for cell, put in zip(put_cells, puts) if put.claim))
    after: dict[tuple[int, int], object] = {cell: None for cell in clears}
    after.update(zip(put_cells, (put.value for put in puts)))
    return SheetCells(sheet, tuple(puts), clears, claimed, record=new_record(grid, keys, after, claimed, titles, rows))


def cell_list(cells: Sequence[tuple[int, int]], limit: int = 12) -> str:
    """Cells for a message: 'G3、G4、H9' (runs of a column as G3:G5), at most `limit` items."""
    items = []
    for r1, col, r2, _ in Region.of_cells(cells).rects:
        first, last = cell_ref(r1, col), cell_ref(r2, col)
        items.append(first if first == last else f"{first}:{last}")
    if len(items) > limit:
        return "、".join(items[:limit]) + texts.MSG_AND_MORE.format(count=len(items) - limit)
    return "、".join(items)


def legend_column(grid: Grid, owned: Region, header_row: int, start: int, plausible: Plausible) -> int | None:
    """The first column from `start` whose two legend cells pygk may use; None past the sheet's last column."""
    legend = (texts.LEGEND_BEST, texts.LEGEND_WORST)
    merged = Region(tuple(merged_ranges(grid)))
    for col in range(start, MAX_COLS):
        if merged and any((header_row + 1 + i, col) in merged for i in range(2)):
            continue
        if all(
            is_free(grid, owned, header_row + 1 + i, col, plausible)
            or same_value(at(grid, header_row + 1 + i, col), legend[i])
            for i in range(2)
        ):
            return col
    return None


def legacy_input_cells(grid: Grid, header_row: int, total_col: int | None, rank_col: int | None) -> Region:
    """An earlier pygk's cells on an input sheet: found by its legend, then its 总分 and 排名 columns."""
    best, worst = header_key(texts.LEGEND_BEST), header_key(texts.LEGEND_WORST)
    below = grid[header_row + 1] if header_row + 1 < len(grid) else ()
    legend = next(
        (c for c, v in enumerate(below) if header_key(v) == best and header_key(at(grid, header_row + 2, c)) == worst),
        None,
    )
    if legend is None:
        return Region()
    rects = [(header_row + 1, legend, header_row + 2, legend)]
    last = len(grid) - 1
    for col in (total_col, rank_col):
        if col is not None:
            rects.append((header_row, col, max(last, header_row), col))
    return Region(tuple(rects))


def legacy_bulletin_cells(grid: Grid) -> Region:
    """An earlier pygk's cells on the 通报 sheet: the header, its labelled rows and its note."""
    labels = {header_key(t) for t in (texts.ROW_TITLE, texts.ROW_SUMMARY, texts.ROW_ATTACHMENT)}
    rects = [(0, 0, 0, 1)]
    for row in range(1, len(grid)):
        if header_key(at(grid, row, 0)) in labels or at(grid, row, 1) == texts.BULLETIN_NOTE:
            rects.append((row, 0, row, 1))
    return Region(tuple(rects))


BULLETIN_KEYS = Keys(column=0, row=0)  # a 通报 row is known by its label, a column by its header


def bulletin_cells(sheet: str, grid: Grid | None, owned: Region, items: Sequence[tuple[str, str]],
                   problems: list[Problem], record: Record | None = None) -> SheetCells:  # fmt: skip
    """The 通报 sheet's generated rows (header, 标题, 概述, 附件…, note) placed around the clerk's rows.

    Each labelled text goes back into the row pygk used for it before; new ones go into
    the free rows right below the last of their kind, or below everything on the sheet.
    A new sheet gets the standard layout with one empty 工作事项 row for the clerk.
    """
    if grid is None:
        rows: list[tuple[str, str]] = [items[0], items[1], (texts.ROW_WORK, ""), *items[2:]]
        puts = [CellPut(0, c, h, HEADER) for c, h in enumerate(texts.BULLETIN_HEADER)]
        for r, (label, value) in enumerate(rows, start=1):
            claim = label != texts.ROW_WORK
            puts += [CellPut(r, 0, label, LABEL, claim), CellPut(r, 1, value, BODY, claim)]
        puts.append(CellPut(len(rows) + 2, 1, texts.BULLETIN_NOTE, NOTE))
        claimed = tuple((p.row, p.col) for p in puts if p.claim)
        record = new_record([], BULLETIN_KEYS, {(p.row, p.col): p.value for p in puts}, claimed)
        return SheetCells(sheet, tuple(puts), (), claimed, create=True, record=record)
    used: set[int] = set()
    plausible = bulletin_plausible(grid)

    def owned_row(row: int) -> bool:
        return (row, 0) in owned or (row, 1) in owned

    def free_row(row: int) -> bool:
        return row not in used and all(is_free(grid, owned, row, c, plausible) for c in (0, 1))

    def end_row() -> int:
        last = max([r for r in range(len(grid)) if any(not is_blank(v) for v in grid[r])] + list(used), default=-1)
        return last + 1

    def reuse(label: str) -> int | None:
        key = header_key(label)
        row = next((r for r in range(1, len(grid)) if r not in used and owned_row(r)
                    and header_key(at(grid, r, 0)) == key), None)  # fmt: skip
        if row is not None:
            used.add(row)
        return row

    placed: list[tuple[int, str, str]] = []
    last_of: dict[str, int] = {}
    for label, value in items:
        row = reuse(label)
        if row is None:
            after = last_of.get(label)
            row = after + 1 if after is not None and free_row(after + 1) else max(end_row(), 1)
            while not free_row(row):
                row += 1
            used.add(row)
        last_of[label] = row
        placed.append((row, label, value))
    puts = []
    if all(is_free(grid, owned, 0, c, plausible) or same_value(at(grid, 0, c), h)
           for c, h in enumerate(texts.BULLETIN_HEADER)):  # fmt: skip
        puts += [CellPut(0, c, h, HEADER) for c, h in enumerate(texts.BULLETIN_HEADER)]
    for row, label, value in placed:
        puts += [CellPut(row, 0, label, LABEL), CellPut(row, 1, value, BODY)]
    note = next((r for r in range(len(grid)) if r not in used and owned_row(r)
                 and at(grid, r, 1) == texts.BULLETIN_NOTE), None)  # fmt: skip
    if note is None:
        note = max(r for r, _, _ in placed) + 2
        while not free_row(note):
            note += 1
    puts.append(CellPut(note, 1, texts.BULLETIN_NOTE, NOTE))
    return place(
        sheet,
        grid,
        owned,
        puts,
        plausible,
        problems,
        texts.HINT_BULLETIN,
        keys=BULLETIN_KEYS,
        record=record,
        edited_hint=texts.EDITED_BULLETIN,
    )
