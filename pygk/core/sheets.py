"""The sheet plan: how every sheet pygk writes looks, as plain data (pure).

A `SheetPlan` describes a sheet pygk generates (附件N, 历史, 趋势) whole: values from A1,
style roles over areas, merges, widths, row heights, print setup and charts. A
`CellsPlan` describes pygk's cells on a sheet it shares with the clerk (input sheets,
通报): the cells, the style role of each kind of cell, and the best/worst highlight.
Each adapter has one writer for each; the roles' fonts, fills and borders are in
`layout.STYLES`, so how a sheet looks is decided here and in layout only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pygk.core import layout, placement, texts
from pygk.core.cells import equal_runs, runs
from pygk.core.layout import FIRST_BODY_ROW, HEADER_ROW, LABEL_ROW, TITLE_ROW
from pygk.core.ownership import Region
from pygk.core.placement import SheetCells
from pygk.core.plan import Annex, InputUpdate, Trend
from pygk.core.values import display

Box = tuple[int, int, int, int]  # top, left, bottom, right: 0-based, inclusive
NAME_KIND = "name"  # the annex column of units' names (plan.Column.kind); every other kind is centred
TEXT_KIND = "text"  # an annex column of texts (较上月, 评定, the 问题清单's): wrapped and left-aligned when too long


@dataclass(frozen=True)
class Area:
    """A rectangle of cells that take one style role (a later area wins where two overlap)."""

    top: int
    left: int
    bottom: int
    right: int
    role: str


@dataclass(frozen=True)
class Page:
    """Print setup: GB/T 9704 A4 portrait, fitted to one page wide, page numbers in the footer."""

    area: Box  # the printed cells
    title_rows: tuple[int, int] | None = None  # rows repeated at the top of every page
    paper: int = layout.PAPER_A4
    portrait: bool = True
    fit_width: bool = True
    centered: bool = True
    margins: tuple[tuple[str, float], ...] = field(default_factory=lambda: tuple(layout.margins_inches().items()))
    footer_odd: tuple[str, str] = layout.FOOTER_ODD  # the side (layout.LEFT or RIGHT) and its text's code
    footer_even: tuple[str, str] = layout.FOOTER_EVEN


@dataclass(frozen=True)
class Chart:
    """A native chart: its data columns (0-based cells), title, axis order and place on the sheet."""

    kind: str  # layout.BAR_CHART or layout.LINE_CHART
    title: str
    categories: tuple[int, int, int]  # column, first row, last row
    series: tuple[tuple[int, int, int, int], ...]  # column, title row, first row, last row
    anchor_row: int
    height_cm: float
    width_cm: float = layout.CHART_WIDTH_CM
    reverse_categories: bool = False  # first category at the top (bar charts: first ranked first)
    legend: bool = True
    horizontal: bool = False  # bar charts: bars across (long unit names stay readable), not columns
    marker: str | None = None  # line charts: each point's marker (layout.LINE_MARKER), None: a plain line
    anchor_col: int = 0  # the column of the chart's top left corner (anchor_row its row)


@dataclass(frozen=True)
class SheetPlan:
    """A sheet pygk generates, whole."""

    name: str
    rows: Sequence[Sequence[object]]  # values from A1 (None: empty)
    areas: tuple[Area, ...] = ()
    merges: tuple[Box, ...] = ()
    widths: tuple[float, ...] = ()  # from column A
    heights: tuple[tuple[int, int, float], ...] = ()  # first row, last row, points
    page: Page | None = None
    charts: tuple[Chart, ...] = ()

    @property
    def width(self) -> int:
        """How many columns hold values or styles."""
        return max([len(row) for row in self.rows] + [a.right + 1 for a in self.areas] or [1])


@dataclass(frozen=True)
class Inherit:
    """A cell styled like the cell of column `col` in its row (the clerk's own format of a score)."""

    col: int


@dataclass(frozen=True)
class Highlight:
    """Rows of an input table shown as best or worst (a conditional format pygk owns)."""

    kind: str  # layout.GOOD or layout.BAD
    rows: tuple[int, ...]
    first_col: int
    last_col: int


@dataclass(frozen=True)
class CellsPlan:
    """pygk's cells on a shared sheet: the writes, each cell role's style and the highlight."""

    cells: SheetCells
    styles: Mapping[str, str | Inherit]  # placement role -> layout style role, or the style of a column
    highlights: tuple[Highlight, ...] = ()
    table: Box | None = None  # the rows a highlight may cover: where an earlier version's rules may be
    rules_before: Region | None = None  # where pygk's rules are before this run (its mark); None: unknown
    new_sheet: SheetPlan | None = None  # how the sheet is made when it is missing
    by_row: bool = False  # the ownership mark lists one area per row (通报)
    generated: bool = False  # the sheet itself is pygk's (通报), not only some of its cells

    @property
    def sheet(self) -> str:
        return self.cells.sheet

    @property
    def rules(self) -> tuple[Box, ...] | None:
        """The areas of this run's highlight rules (None: the sheet has no highlight)."""
        if self.table is None:
            return None
        return tuple((a, h.first_col, b, h.last_col) for h in self.highlights for a, b in runs(h.rows))


# --- generated sheets --------------------------------------------------------------
def annex_sheet(annex: Annex) -> SheetPlan:
    """附件N: the label, the merged title, the header repeated on every page, bordered rows.

    Text columns whose texts do not fit one line (a 问题清单) wrap, left-aligned, and their rows grow.
    """
    width = len(annex.header)
    last = FIRST_BODY_ROW + len(annex.rows) - 1
    kinds = [column.kind for column in annex.columns]
    name_cols = [c for c, kind in enumerate(kinds) if kind == NAME_KIND]
    names = [str(row[name_cols[0]]) for row in annex.rows] if name_cols else []
    text_cols = [c for c, kind in enumerate(kinds) if kind == TEXT_KIND]
    sizes = layout.table_sizes(annex.header, name_cols, names, annex.title, text_cols, annex.rows)
    areas = [Area(LABEL_ROW, 0, LABEL_ROW, 0, layout.ANNEX_LABEL), Area(TITLE_ROW, 0, TITLE_ROW, width - 1,
             layout.ANNEX_TITLE), Area(HEADER_ROW, 0, HEADER_ROW, width - 1, layout.TABLE_HEADER)]  # fmt: skip
    if annex.rows:
        roles = [layout.TABLE_NAME if kind == NAME_KIND else layout.TABLE_TEXT if c in sizes.wrapped
                 else layout.TABLE_NUMBER for c, kind in enumerate(kinds)]  # fmt: skip
        areas += [Area(FIRST_BODY_ROW, first, last, stop, role) for first, stop, role in equal_runs(roles)]
    heights = [(TITLE_ROW, TITLE_ROW, sizes.title_height), (HEADER_ROW, HEADER_ROW, sizes.header_height)]
    heights += [(FIRST_BODY_ROW + a, FIRST_BODY_ROW + b, pt) for a, b, pt in equal_runs(sizes.row_heights)]
    return SheetPlan(
        name=annex.sheet,
        rows=[[annex.label], [annex.title], list(annex.header), *annex.rows],
        areas=tuple(areas),
        merges=((TITLE_ROW, 0, TITLE_ROW, width - 1),),
        widths=sizes.widths,
        heights=tuple(heights),
        page=Page(area=(0, 0, max(last, HEADER_ROW), width - 1), title_rows=(HEADER_ROW, HEADER_ROW)),
    )


def history_sheet(rows: Sequence[Sequence[object]], name: str = texts.HISTORY_SHEET,
                  widths: tuple[float, ...] = layout.HISTORY_WIDTHS) -> SheetPlan:  # fmt: skip
    """历史: one row per unit and month under a bold header (the rows are used as they are, not copied)."""
    width = max((len(rows[0]) if rows else 0), 1)
    return SheetPlan(
        name=name,
        rows=rows,
        areas=(Area(0, 0, 0, width - 1, layout.SHEET_HEADER),) if rows else (),
        widths=widths,
    )


def findings_history_sheet(rows: Sequence[Sequence[object]]) -> SheetPlan:
    """扣分历史: one row per finding and month under a bold header, each column as wide as its texts."""
    width = max((len(row) for row in rows), default=0)
    columns = [[display(row[c]) for row in rows if c < len(row)] for c in range(width)]
    return history_sheet(rows, texts.FINDINGS_HISTORY_SHEET, layout.record_widths(columns))


def trend_sheet(trend: Trend | None) -> SheetPlan:
    """趋势: charts stacked in columns A–J (the printed part, A4 wide), their data tables from column L."""
    bars, periods, series = (trend.bars, trend.periods, trend.series) if trend else ((), (), ())
    grid: list[list[object]] = [[texts.TREND_NOTE]]
    charts: list[Chart] = []
    next_row = 2
    data_col = layout.TREND_DATA_COL
    for title, values in bars:
        _put(grid, 1, data_col, [[texts.UNIT, texts.TOTAL], *values])
        height = min(max(len(values) * layout.CHART_CM_PER_BAR, layout.CHART_MIN_CM), layout.CHART_MAX_CM)
        last = 1 + max(len(values), 1)
        charts.append(Chart(layout.BAR_CHART, title, (data_col, 2, last), ((data_col + 1, 1, 2, last),), next_row,
                            height, reverse_categories=True, legend=False, horizontal=True))  # fmt: skip
        next_row += math.ceil(height * layout.ROWS_PER_CM) + 2
        data_col += 3
    if series and periods:
        table = [[label, *(values[i] for _, values in series)] for i, label in enumerate(periods)]
        _put(grid, 1, data_col, [[texts.H_MONTH, *(name for name, _ in series)], *table])
        last = 1 + len(periods)
        charts.append(Chart(layout.LINE_CHART, texts.TREND_LINE_TITLE, (data_col, 2, last),
                            tuple((data_col + 1 + j, 1, 2, last) for j in range(len(series))), next_row,
                            layout.CHART_MIN_CM * 1.2, marker=layout.LINE_MARKER))  # fmt: skip
    width = max(len(row) for row in grid)
    areas = [Area(0, 0, 0, 0, layout.SMALL_NOTE)]
    if len(grid) > 1:
        filled = [c for c, v in enumerate(grid[1]) if v is not None]
        areas += [Area(1, first, 1, last, layout.TABLE_TOP) for first, last in runs(filled)]
    page = None
    if charts:
        bottom = max(c.anchor_row + int(c.height_cm * layout.ROWS_PER_CM) + 1 for c in charts)
        page = Page(area=(0, 0, bottom, layout.TREND_DATA_COL - 2))
    data_widths = layout.TREND_DATA_WIDTHS * max(len(bars) + 1, 1)
    widths = ((layout.TREND_CHART_WIDTH,) * layout.TREND_DATA_COL + data_widths)[: max(width, layout.TREND_DATA_COL)]
    return SheetPlan(texts.TREND_SHEET, grid, tuple(areas), widths=widths, page=page, charts=tuple(charts))


def _put(grid: list[list[object]], top: int, col: int, rows: Sequence[Sequence[object]]) -> None:
    """A table's rows into the grid from (top, col); grid rows grow with None to reach it."""
    grid.extend([] for _ in range(top + len(rows) - len(grid)))
    for cells, values in zip(grid[top : top + len(rows)], rows):
        if len(cells) < col:
            cells.extend([None] * (col - len(cells)))
        cells[col : col + len(values)] = values


# --- shared sheets -----------------------------------------------------------------
# placement.SCORE (an item score derived from the findings) has no style here: its cell keeps the clerk's own.
INPUT_STYLES: Mapping[str, str] = {placement.LEGEND_BEST: layout.LEGEND_GOOD, placement.LEGEND_WORST: layout.LEGEND_BAD}
BULLETIN_STYLES: Mapping[str, str] = {
    placement.HEADER: layout.SHEET_HEADER,
    placement.LABEL: layout.ROW_LABEL,
    placement.BODY: layout.PARAGRAPH,
    placement.NOTE: layout.NOTE,
}


def input_cells(update: InputUpdate) -> CellsPlan:
    """An input sheet: 总分 and 排名 styled like the scores, the legend, best and worst rows highlighted."""
    styles: dict[str, str | Inherit] = dict(INPUT_STYLES)
    like = Inherit(update.style_col)  # a score's style, never the clerk's neighbouring % or date column
    after_total = Inherit(update.total_col)
    styles.update({placement.TOTAL_HEADER: like, placement.TOTAL: like, placement.RANK_HEADER: after_total,
                   placement.RANK: after_total})  # fmt: skip
    highlights = tuple(
        Highlight(kind, rows, update.first_col, update.last_col)
        for kind, rows in ((layout.GOOD, update.best_rows), (layout.BAD, update.worst_rows))
        if rows
    )
    bottom = max(max(update.rows, default=update.header_row), update.header_row + 1)
    table = (update.header_row + 1, update.first_col, bottom, update.last_col)
    return CellsPlan(update.cells, styles, highlights, table, update.rules_before)


def bulletin_cells(cells: SheetCells) -> CellsPlan:
    """The 通报 sheet: pygk's rows among the clerk's work items; a new sheet gets pygk's column widths."""
    new_sheet = SheetPlan(cells.sheet, (), widths=layout.BULLETIN_WIDTHS) if cells.create else None
    return CellsPlan(cells, BULLETIN_STYLES, new_sheet=new_sheet, by_row=True, generated=True)
