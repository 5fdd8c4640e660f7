"""The live adapter: the workbook open in Excel, read and written through xlwings.

Every call into Excel is a cross-process round trip on Windows, so everything is read
once and written in whole ranges: the number of calls does not grow with the number of
units (only with the number of separate highlighted row runs).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from pygk.core import layout, placement, texts
from pygk.core.cells import Grid, runs
from pygk.core.ownership import (
    BOOK_MARK,
    CELLS_MARK,
    CHART_PREFIX,
    MARK_VERSION,
    SHEET_MARK,
    Ownership,
    owned_formula,
    read_marks,
    string_formula,
)
from pygk.core.placement import SheetCells
from pygk.core.plan import Annex, InputUpdate, Plan

INPUTS, ANNEXES, BULLETIN, HISTORY = "inputs", "annexes", "bulletin", "history"
ALL_PARTS = frozenset({INPUTS, ANNEXES, BULLETIN, HISTORY})
PT_PER_CM = 72 / 2.54
MARK_FORMULA = '=N("pygk")=0'  # the file adapter's marker too: always TRUE, tells pygk's rules from the clerk's
LEGACY_MARK_FORMULA = "=TRUE"
_FORMULA_START = ("=", "+", "-", "@", "'")  # Excel would read these as a formula, or eat the leading quote


def rgb(hex_color: str) -> tuple[int, int, int]:
    """'C6EFCE' -> (198, 239, 206)."""
    return tuple(int(hex_color[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def windows_excel(book: Any) -> bool:
    """True where Excel's COM object model is reachable (desktop Excel on Windows), not on the remote engine."""
    return sys.platform == "win32" and book.app.engine.name == "excel"


def as_text(value: object) -> object:
    """A value Excel will keep as typed: text that looks like a formula gets Excel's text prefix (')."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class LiveGrids(Mapping):
    """Sheet name -> grid of the open workbook, each sheet read in one call when the core asks."""

    def __init__(self, book: Any):
        self.book = book
        self._names = [sheet.name for sheet in book.sheets]
        self._grids: dict[str, Grid] = {}

    def __getitem__(self, name: str) -> Grid:
        if name not in self._names:
            raise KeyError(name)
        if name not in self._grids:
            sheet = self.book.sheets[name]
            last = sheet.used_range.last_cell
            values = sheet.range((1, 1), (last.row, last.column)).options(ndim=2).value
            self._grids[name] = [list(row) for row in values]
        return self._grids[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def ownership(self) -> Ownership:
        """pygk's marks (hidden names) in the open workbook, and the clerk's objects on each sheet."""
        names = []
        for name in self.book.names:
            scope, _, local = name.name.rpartition("!")
            sheet = scope.strip("'").replace("''", "'") if scope else None
            names.append((sheet, local, name.refers_to or ""))
        marked, sheets, cells = read_marks(names)
        extras = {}
        for sheet in self.book.sheets:
            found = []
            if len(sheet.pictures):
                found.append(texts.EXTRA_DRAWINGS)
            charts = [c for c in sheet.charts if not str(c.name).startswith(CHART_PREFIX)]
            if charts and texts.EXTRA_DRAWINGS not in found:
                found.append(texts.EXTRA_DRAWINGS)
            if len(sheet.tables):
                found.append(texts.EXTRA_TABLES)
            if found:
                extras[sheet.name] = tuple(found)
        return Ownership(marked, sheets, cells, extras)


def _set_name(target: Any, name: str, formula: str | None) -> None:
    """Add, change or (formula None) delete a defined name of a book or sheet; hidden where Excel allows."""
    existing = next((n for n in target.names if n.name.rpartition("!")[2].casefold() == name.casefold()), None)
    if formula is None:
        if existing is not None:
            existing.delete()
        return
    if existing is not None:
        if existing.refers_to != formula:
            existing.refers_to = formula
        return
    added = target.names.add(name, formula)
    if sys.platform == "win32" and target_engine(target) == "excel":
        added.api.Visible = False


def target_engine(target: Any) -> str:
    """The xlwings engine of a book or sheet."""
    book = getattr(target, "book", target)
    return book.app.engine.name


def quote_sheet(name: str) -> str:
    """A sheet name as formulas spell it."""
    return "'" + name.replace("'", "''") + "'"


def mark_sheet(sheet: Any) -> None:
    """Record that pygk generated this sheet, under its current name."""
    _set_name(sheet, SHEET_MARK, "=" + string_formula(sheet.name))


def mark_cells(sheet: Any, cells: SheetCells, by_row: bool = False) -> None:
    """Record the cells pygk owns on a shared sheet; `by_row`: one area per row (通报)."""
    formula = "=" + owned_formula(quote_sheet(sheet.name), cells.owned, by_row) if cells.owned else None
    _set_name(sheet, CELLS_MARK, formula)


def mark_book(book: Any) -> None:
    """Record that the workbook carries pygk's marks."""
    _set_name(book, BOOK_MARK, "=" + string_formula(MARK_VERSION))


def _rect(sheet: Any, top: int, left: int, bottom: int, right: int) -> Any:
    """A range from 0-based inclusive corners."""
    return sheet.range((top + 1, left + 1), (bottom + 1, right + 1))


def write_cells(sheet: Any, cells: SheetCells) -> None:
    """pygk's cells on a shared sheet: stale ones cleared, new ones written in runs down each column."""
    for top, left, bottom, right in _blocks(cells.clears):
        _rect(sheet, top, left, bottom, right).clear_contents()
    by_col: dict[int, dict[int, object]] = {}
    for put in cells.puts:
        by_col.setdefault(put.col, {})[put.row] = put.value
    for col, by_row in sorted(by_col.items()):
        for top, bottom in runs(list(by_row)):
            _rect(sheet, top, col, bottom, col).value = [[as_text(by_row[r])] for r in range(top, bottom + 1)]


def _blocks(cells: Sequence[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """Cells grouped into runs down each column: (top, col, bottom, col)."""
    by_col: dict[int, list[int]] = {}
    for row, col in cells:
        by_col.setdefault(col, []).append(row)
    return [(a, col, b, col) for col, rows in sorted(by_col.items()) for a, b in runs(rows)]


def write_update(sheet: Any, update: InputUpdate) -> None:
    """总分/排名 cells, the legend and the best/worst highlight on one input sheet."""
    header = update.header_row
    write_cells(sheet, update.cells)
    legend = [p for p in update.cells.puts if p.role in (placement.LEGEND_BEST, placement.LEGEND_WORST)]
    colours = {placement.LEGEND_BEST: (layout.GOOD_FILL, layout.GOOD_FONT),
               placement.LEGEND_WORST: (layout.BAD_FILL, layout.BAD_FONT)}  # fmt: skip
    for put in legend:
        cell = _rect(sheet, put.row, put.col, put.row, put.col)
        fill, font = colours[put.role]
        cell.color = rgb(fill)
        cell.font.color = rgb(font)
    last_row = max(update.rows, default=header)
    table = _rect(sheet, header + 1, update.first_col, max(last_row, header + 1), update.last_col)
    _remove_marks(table)
    for rows, fill, font in ((update.best_rows, layout.GOOD_FILL, layout.GOOD_FONT),
                             (update.worst_rows, layout.BAD_FILL, layout.BAD_FONT)):  # fmt: skip
        for top, bottom in runs(rows):
            target = _rect(sheet, top, update.first_col, bottom, update.last_col)
            target.conditional_formats.add_custom(MARK_FORMULA, fill_color=rgb(fill), font_color=rgb(font))
    mark_cells(sheet, update.cells)


def _remove_marks(table: Any) -> None:
    """Delete the previous run's highlight rules; where rules cannot be read back, clear the table's rules."""
    try:
        rules = list(table.conditional_formats)
    except NotImplementedError:  # xlwings' remote engine cannot read rules synchronously
        table.conditional_formats.clear()
        return
    ours = {rgb(layout.GOOD_FILL), rgb(layout.BAD_FILL)}
    for rule in rules:
        if rule.formula == MARK_FORMULA or (rule.formula == LEGACY_MARK_FORMULA and rule.fill_color in ours):
            rule.delete()


def _fresh_sheet(book: Any, name: str) -> Any:
    """The named sheet emptied, or a new one after the last sheet."""
    if name in [s.name for s in book.sheets]:
        sheet = book.sheets[name]
        sheet.clear()
        return sheet
    return book.sheets.add(name, after=book.sheets[len(book.sheets) - 1])


def write_annex(book: Any, annex: Annex) -> Any:
    """One annex sheet: values in one call, then formatting by region."""
    sheet = _fresh_sheet(book, annex.sheet)
    width = len(annex.header)
    grid = layout.annex_grid(annex.label, annex.title, annex.header, annex.rows)
    padded = [[as_text(v) for v in row] + [None] * (width - len(row)) for row in grid]
    last = len(padded) - 1
    _rect(sheet, 0, 0, last, width - 1).value = padded
    name_col = annex.name_col
    sizes = layout.table_layout(annex.header, [str(row[name_col]) for row in annex.rows], annex.title, name_col)
    label = _rect(sheet, layout.LABEL_ROW, 0, layout.LABEL_ROW, 0)
    label.font.name, label.font.size = layout.FONT_LABEL
    title = _rect(sheet, layout.TITLE_ROW, 0, layout.TITLE_ROW, width - 1)
    title.merge()
    title.font.name, title.font.size = layout.FONT_TITLE
    title.horizontal_alignment = "center"
    title.wrap_text = True
    title.row_height = sizes.title_height
    header = _rect(sheet, layout.HEADER_ROW, 0, layout.HEADER_ROW, width - 1)
    header.font.name, header.font.size = layout.FONT_HEADER
    header.horizontal_alignment = "center"
    header.wrap_text = True
    header.row_height = sizes.header_height
    table = _rect(sheet, layout.HEADER_ROW, 0, last, width - 1)
    table.vertical_alignment = "center"
    table.borders.set("all", line_style="continuous", weight="thin")
    if last >= layout.FIRST_BODY_ROW:
        body = _rect(sheet, layout.FIRST_BODY_ROW, 0, last, width - 1)
        body.font.name, body.font.size = layout.FONT_BODY
        body.row_height = layout.BODY_ROW_PT
        for left, right in ((0, name_col - 1), (name_col + 1, width - 1)):  # the columns either side of the names
            if left <= right:
                numbers = _rect(sheet, layout.FIRST_BODY_ROW, left, last, right)
                numbers.number_format = "General"
                numbers.horizontal_alignment = "center"
        if windows_excel(sheet.book):  # xlwings has no indent; names keep off the border (file adapter: indent)
            _rect(sheet, layout.FIRST_BODY_ROW, name_col, last, name_col).api.IndentLevel = layout.NAME_INDENT
    for left, right in ((0, name_col - 1), (name_col, name_col), (name_col + 1, width - 1)):
        if left <= right:
            _rect(sheet, 0, left, 0, right).column_width = sizes.widths[left]
    sheet.page_setup.print_area = _rect(sheet, 0, 0, last, width - 1).address
    _page_setup(sheet)
    return sheet


def _page_setup(sheet: Any) -> None:
    """A4 portrait, GB/T 9704 margins, fit to one page wide, header row repeated, page numbers.

    xlwings has no API for these, so they go through Excel's object model on Windows.
    Elsewhere (xlwings' remote engine, Excel on the Mac) they are skipped, not faked;
    the command-line engine writes them into the file.
    """
    if not windows_excel(sheet.book):
        return
    page = sheet.api.PageSetup
    app = sheet.book.app.api
    app.PrintCommunication = False
    try:
        margins = layout.margins_inches()
        page.PrintTitleRows = f"${layout.HEADER_ROW + 1}:${layout.HEADER_ROW + 1}"
        page.PaperSize = layout.PAPER_A4
        page.Orientation = 1  # xlPortrait
        page.Zoom = False
        page.FitToPagesWide = 1
        page.FitToPagesTall = False
        page.CenterHorizontally = True
        page.TopMargin, page.BottomMargin = margins["top"] * 72, margins["bottom"] * 72
        page.LeftMargin, page.RightMargin = margins["left"] * 72, margins["right"] * 72
        page.HeaderMargin, page.FooterMargin = margins["header"] * 72, margins["footer"] * 72
        page.OddAndEvenPagesHeaderFooter = True
        page.RightFooter = layout.FOOTER_ODD.removeprefix("&R")
        page.EvenPage.LeftFooter.Text = layout.FOOTER_EVEN.removeprefix("&L")
    finally:
        app.PrintCommunication = True


def write_bulletin(book: Any, cells: SheetCells) -> None:
    """The 通报 sheet: made with pygk's layout when missing, else only pygk's cells rewritten."""
    if cells.create:
        sheet = book.sheets.add(cells.sheet, after=book.sheets[len(book.sheets) - 1])
        _rect(sheet, 0, 0, 0, 0).column_width = layout.BULLETIN_WIDTHS[0]
        _rect(sheet, 0, 1, 0, 1).column_width = layout.BULLETIN_WIDTHS[1]
    else:
        sheet = book.sheets[cells.sheet]
    write_cells(sheet, cells)
    roles: dict[str, list[tuple[int, int]]] = {}
    for put in cells.puts:
        roles.setdefault(put.role, []).append((put.row, put.col))
    for role, places in roles.items():
        for block in _blocks(places):
            cell = _rect(sheet, *block)
            if role in (placement.HEADER, placement.LABEL):
                cell.font.bold = True
            elif role == placement.BODY:
                cell.wrap_text = True
                cell.font.name, cell.font.size = layout.FONT_BODY
            elif role == placement.NOTE:
                cell.font.color = rgb(layout.NOTE_COLOR)
            cell.vertical_alignment = "top"
    mark_sheet(sheet)
    mark_cells(sheet, cells, by_row=True)


def apply(book: Any, plan: Plan, parts: frozenset[str] = ALL_PARTS, progress=lambda message: None) -> None:
    """Write the chosen parts of a plan into the open workbook."""
    if INPUTS in parts:
        for update in plan.updates:
            progress(texts.PROGRESS_SHEET.format(sheet=update.sheet))
            write_update(book.sheets[update.sheet], update)
    if BULLETIN in parts and plan.bulletin_cells is not None:
        progress(texts.PROGRESS_SHEET.format(sheet=texts.BULLETIN_SHEET))
        write_bulletin(book, plan.bulletin_cells)
    if ANNEXES in parts:
        for name in plan.remove_sheets:
            book.sheets[name].delete()
        for annex in plan.annexes:
            progress(texts.PROGRESS_SHEET.format(sheet=annex.sheet))
            mark_sheet(write_annex(book, annex))
    if HISTORY in parts:
        progress(texts.PROGRESS_SHEET.format(sheet=texts.HISTORY_SHEET))
        write_history(book, plan)
    mark_book(book)


def write_history(book: Any, plan: Plan) -> None:
    """The 历史 and 趋势 sheets, and a proposed 期号 in 设置."""
    if plan.issue_cell is not None:
        row, col = plan.issue_cell
        _rect(book.sheets[texts.SETTINGS_SHEET], row, col, row, col).value = plan.issue
    trend_sheet = _fresh_sheet(book, texts.TREND_SHEET)
    for chart in list(trend_sheet.charts):
        chart.delete()
    trend = plan.trend
    grid, places = layout.trend_layout(trend)
    width = max(len(row) for row in grid)
    _rect(trend_sheet, 0, 0, len(grid) - 1, width - 1).value = [
        [as_text(v) for v in row] + [None] * (width - len(row)) for row in grid
    ]
    for place in places:
        column, first, last = place.categories
        right = max(col for col, *_ in place.series)
        source = _rect(trend_sheet, first - 1, column, last, right)
        kind = "bar_clustered" if place.kind == "bar" else "line_markers"
        chart = trend_sheet.charts.add(left=0, top=place.anchor_row * 15, width=16 * PT_PER_CM,
                                       height=place.height_cm * PT_PER_CM, chart_type=kind, source=source)  # fmt: skip
        chart.name = f"{CHART_PREFIX}{len(trend_sheet.charts)}"
        chart.title = place.title
        if place.kind == "bar":  # as the file adapter draws it: first ranked at the top, no legend
            chart.category_axis.reverse_order = True
            chart.legend.visible = False
    if places:
        last = max(p.anchor_row + int(p.height_cm * layout.ROWS_PER_CM) + 1 for p in places)
        trend_sheet.page_setup.print_area = _rect(trend_sheet, 0, 0, last, layout.TREND_DATA_COL - 2).address
    mark_sheet(trend_sheet)
    write_rows(book, texts.HISTORY_SHEET, plan.history)
    if plan.findings_history:
        write_rows(book, texts.FINDINGS_HISTORY_SHEET, plan.findings_history)


def write_rows(book: Any, name: str, rows: Sequence[Sequence[object]]) -> None:
    """A pygk-owned sheet rewritten with a header row in bold and the rows below it."""
    sheet = _fresh_sheet(book, name)
    width = max(len(row) for row in rows)
    values = [[as_text(v) for v in row] + [None] * (width - len(row)) for row in rows]
    _rect(sheet, 0, 0, len(rows) - 1, width - 1).value = values
    _rect(sheet, 0, 0, 0, width - 1).font.bold = True
    mark_sheet(sheet)
