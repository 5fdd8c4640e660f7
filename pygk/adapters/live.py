"""The live adapter: the workbook open in Excel, read and written through xlwings.

Every call into Excel is a cross-process round trip on Windows, so everything is read
once and written in whole ranges: the number of calls does not grow with the number of
units (only with the number of separate highlighted row runs).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from pygk.core import layout, sheets, texts
from pygk.core.cells import Grid, equal_runs, runs
from pygk.core.layout import HIGHLIGHTS, STYLES, Style
from pygk.core.ownership import (
    BOOK_MARK,
    CELLS_MARK,
    CHART_PREFIX,
    LEGACY_MARK_FORMULA,
    MARK_FORMULA,
    MARK_VERSION,
    RECORD_MARK,
    RULES_MARK,
    SHEET_MARK,
    Ownership,
    owned_formula,
    read_marks,
    rules_formula,
    string_formula,
)
from pygk.core.placement import SheetCells
from pygk.core.plan import Plan
from pygk.core.record import record_formula
from pygk.core.sheets import CellsPlan, Chart, Page, SheetPlan

INPUTS, ANNEXES, BULLETIN, HISTORY = "inputs", "annexes", "bulletin", "history"
ALL_PARTS = frozenset({INPUTS, ANNEXES, BULLETIN, HISTORY})
PT_PER_CM = 72 / 2.54
RULE_FORMULA = f"={MARK_FORMULA}"  # pygk's highlight rules' formula as Excel's object model spells it
LEGACY_RULE_FORMULA = f"={LEGACY_MARK_FORMULA}"
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


class LiveGrids(Mapping[str, Grid]):
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
        marks = read_marks(names)
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
        return Ownership(marks.marked, marks.sheets, marks.cells, marks.rules, extras, records=marks.records)


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
    return str(book.app.engine.name)


def quote_sheet(name: str) -> str:
    """A sheet name as formulas spell it."""
    return "'" + name.replace("'", "''") + "'"


def mark_sheet(sheet: Any) -> None:
    """Record that pygk generated this sheet, under its current name."""
    _set_name(sheet, SHEET_MARK, "=" + string_formula(sheet.name))


def mark_cells(sheet: Any, cells: SheetCells, by_row: bool = False) -> None:
    """Record the cells pygk owns on a shared sheet and what it wrote there; `by_row`: one area per row (通报)."""
    formula = "=" + owned_formula(quote_sheet(sheet.name), cells.owned, by_row) if cells.owned else None
    _set_name(sheet, CELLS_MARK, formula)
    _set_name(sheet, RECORD_MARK, "=" + record_formula(cells.record) if cells.owned else None)


def mark_rules(sheet: Any, rules: Sequence[tuple[int, int, int, int]] | None) -> None:
    """Record where pygk's highlight rules are on a shared sheet (None: it has no highlight; no mark)."""
    _set_name(sheet, RULES_MARK, None if rules is None else "=" + rules_formula(quote_sheet(sheet.name), rules))


def mark_book(book: Any) -> None:
    """Record that the workbook carries pygk's marks."""
    _set_name(book, BOOK_MARK, "=" + string_formula(MARK_VERSION))


def _rect(sheet: Any, top: int, left: int, bottom: int, right: int) -> Any:
    """A range from 0-based inclusive corners."""
    return sheet.range((top + 1, left + 1), (bottom + 1, right + 1))


def _blocks(cells: Sequence[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """Cells grouped into runs down each column: (top, col, bottom, col)."""
    by_col: dict[int, list[int]] = {}
    for row, col in cells:
        by_col.setdefault(col, []).append(row)
    return [(a, col, b, col) for col, rows in sorted(by_col.items()) for a, b in runs(rows)]


def apply_style(target: Any, style: Style, com: bool) -> None:
    """A style role's look on a range (a fresh sheet's defaults are left alone where the style keeps them)."""
    target.font.name, target.font.size = style.font.name, style.font.size
    if style.font.bold:
        target.font.bold = True
    if style.font.color:
        target.font.color = rgb(style.font.color)
    if style.fill:
        target.color = rgb(style.fill)
    if style.border:
        target.borders.set("all", line_style="continuous", weight=layout.BORDER_WEIGHT)
    if style.horizontal:
        target.horizontal_alignment = style.horizontal
    if style.vertical:
        target.vertical_alignment = style.vertical
    if style.wrap:
        target.wrap_text = True
    if style.number_format != "General":
        target.number_format = style.number_format
    if style.indent:
        if com:
            target.api.IndentLevel = style.indent
        else:
            target.adjust_indent(style.indent)


def write_cells(book: Any, plan: CellsPlan, com: bool) -> None:
    """pygk's cells on a shared sheet: values, each role's style, the highlight and the ownership marks."""
    cells = plan.cells
    if cells.sheet in [s.name for s in book.sheets]:
        sheet = book.sheets[cells.sheet]
    else:
        sheet = write_sheet(book, plan.new_sheet or SheetPlan(cells.sheet, ()), com, mark=False)
    for top, left, bottom, right in _blocks(cells.clears):
        _rect(sheet, top, left, bottom, right).clear_contents()
    by_col: dict[int, dict[int, object]] = {}
    roles: dict[str, list[tuple[int, int]]] = {}
    for put in cells.puts:
        by_col.setdefault(put.col, {})[put.row] = put.value
        roles.setdefault(put.role, []).append((put.row, put.col))
    for col, by_row in sorted(by_col.items()):
        for top, bottom in runs(list(by_row)):
            _rect(sheet, top, col, bottom, col).value = [[as_text(by_row[r])] for r in range(top, bottom + 1)]
    for role, places in roles.items():
        style = plan.styles.get(role)
        if isinstance(style, str):  # an Inherit leaves the cell's own format: this engine cannot read the clerk's
            for block in _blocks(places):
                apply_style(_rect(sheet, *block), STYLES[style], com)
    if plan.table is not None:
        _remove_marks(sheet, plan)
        for highlight in plan.highlights:
            fill, font = HIGHLIGHTS[highlight.kind]
            for top, bottom in runs(highlight.rows):
                target = _rect(sheet, top, highlight.first_col, bottom, highlight.last_col)
                target.conditional_formats.add_custom(RULE_FORMULA, fill_color=rgb(fill), font_color=rgb(font))
    if plan.generated:
        mark_sheet(sheet)
    mark_cells(sheet, cells, by_row=plan.by_row)
    mark_rules(sheet, plan.rules)


def _remove_marks(sheet: Any, plan: CellsPlan) -> None:
    """Delete the previous run's highlight rules, and only those.

    Desktop Excel reads the rules back and deletes pygk's by their formula. xlwings' remote
    engine cannot read rules: there pygk clears the areas its mark says its rules cover; only
    without a mark (a sheet an earlier version wrote) does it clear the table's rules.
    """
    assert plan.table is not None
    table = _rect(sheet, *plan.table)
    try:
        rules = list(table.conditional_formats)
    except NotImplementedError:  # xlwings' remote engine cannot read rules synchronously
        if plan.rules_before is None:
            table.conditional_formats.clear()
        else:
            for box in plan.rules_before.rects:
                _rect(sheet, *box).conditional_formats.clear()
        return
    _delete_ours(rules)


def _delete_ours(rules: Sequence[Any]) -> None:
    """Delete pygk's rules among these: its marker formula, or an earlier version's TRUE in pygk's colours."""
    ours = {rgb(fill) for fill, _ in HIGHLIGHTS.values()}
    for rule in rules:
        if rule.formula == RULE_FORMULA or (rule.formula == LEGACY_RULE_FORMULA and rule.fill_color in ours):
            rule.delete()


def _fresh_sheet(book: Any, name: str) -> Any:
    """The named sheet emptied (values and formats), or a new one after the last sheet."""
    if name in [s.name for s in book.sheets]:
        sheet = book.sheets[name]
        sheet.clear()
        return sheet
    return book.sheets.add(name, after=book.sheets[len(book.sheets) - 1])


def write_sheet(book: Any, plan: SheetPlan, com: bool, mark: bool = True) -> Any:
    """A generated sheet from its sheet plan: values in one call, then styles, sizes, print setup and charts."""
    sheet = _fresh_sheet(book, plan.name)
    width = plan.width
    if plan.rows:
        values = [[as_text(v) for v in row] + [None] * (width - len(row)) for row in plan.rows]
        _rect(sheet, 0, 0, len(values) - 1, width - 1).value = values
    for area in plan.areas:
        apply_style(_rect(sheet, area.top, area.left, area.bottom, area.right), STYLES[area.role], com)
    for box in plan.merges:
        _rect(sheet, *box).merge()
    for first, last, height in plan.heights:
        _rect(sheet, first, 0, last, 0).row_height = height
    for first, last, width_units in equal_runs(plan.widths):
        _rect(sheet, 0, first, 0, last).column_width = width_units
    if plan.charts:  # the sheet's charts are pygk's: replaced whole, as the file adapter replaces its drawing
        for old in list(sheet.charts):
            old.delete()
    for chart in plan.charts:
        _add_chart(sheet, chart)
    if plan.page is not None:
        sheet.page_setup.print_area = _rect(sheet, *plan.page.area).address
        if com:
            page_setup(sheet, plan.page)
    if mark:
        mark_sheet(sheet)
    return sheet


def _add_chart(sheet: Any, plan: Chart) -> None:
    """A native chart over its data columns, named as pygk's."""
    column, first, last = plan.categories
    right = max(col for col, *_ in plan.series)
    source = _rect(sheet, first - 1, column, last, right)
    if plan.kind == layout.BAR_CHART:
        kind = "bar_clustered" if plan.horizontal else "column_clustered"
    else:
        kind = "line_markers" if plan.marker else "line"
    left = _rect(sheet, 0, plan.anchor_col, 0, plan.anchor_col).left if plan.anchor_col else 0
    chart = sheet.charts.add(left=left, top=plan.anchor_row * layout.DEFAULT_ROW_PT, width=plan.width_cm * PT_PER_CM,
                             height=plan.height_cm * PT_PER_CM, chart_type=kind, source=source)  # fmt: skip
    chart.name = f"{CHART_PREFIX}{len(sheet.charts)}"
    if plan.kind == layout.LINE_CHART and plan.marker:
        try:
            for series in chart.series:
                series.marker_style = plan.marker
        except NotImplementedError:  # the remote engine cannot list a chart's series: Excel's automatic markers
            pass
    chart.title = plan.title
    if plan.reverse_categories:
        chart.category_axis.reverse_order = True
    if not plan.legend:
        chart.legend.visible = False


# Print setup xlwings has no API for, through Excel's object model (desktop Excel on Windows only).
COM_PAGE_SETUP = ("PrintTitleRows", "PaperSize", "Orientation", "Zoom", "FitToPagesWide", "FitToPagesTall",
                  "CenterHorizontally", "TopMargin", "BottomMargin", "LeftMargin", "RightMargin", "HeaderMargin",
                  "FooterMargin", "OddAndEvenPagesHeaderFooter", "RightFooter", "EvenPage.LeftFooter.Text")  # fmt: skip


def page_setup(sheet: Any, page: Page) -> None:
    """Paper, orientation, margins, fit to width, print titles and footers through Excel's PageSetup object.

    xlwings' remote engine and Excel on the Mac cannot express these; there they are skipped,
    not faked (the command-line engine writes them into the file).
    """
    setup = sheet.api.PageSetup
    app = sheet.book.app.api
    app.PrintCommunication = False
    try:
        margins = {side: inches * 72 for side, inches in page.margins}
        if page.title_rows is not None:
            first, last = page.title_rows
            setup.PrintTitleRows = f"${first + 1}:${last + 1}"
        setup.PaperSize = page.paper
        setup.Orientation = 1 if page.portrait else 2  # xlPortrait, xlLandscape
        if page.fit_width:
            setup.Zoom = False
            setup.FitToPagesWide = 1
            setup.FitToPagesTall = False
        setup.CenterHorizontally = page.centered
        setup.TopMargin, setup.BottomMargin = margins["top"], margins["bottom"]
        setup.LeftMargin, setup.RightMargin = margins["left"], margins["right"]
        setup.HeaderMargin, setup.FooterMargin = margins["header"], margins["footer"]
        setup.OddAndEvenPagesHeaderFooter = True
        odd_side, odd = page.footer_odd
        even_side, even = page.footer_even
        setattr(setup, f"{odd_side.capitalize()}Footer", odd)
        getattr(setup.EvenPage, f"{even_side.capitalize()}Footer").Text = even
    finally:
        app.PrintCommunication = True


def apply(book: Any, plan: Plan, parts: frozenset[str] = ALL_PARTS,
          progress: Callable[[str], None] = lambda message: None) -> None:  # fmt: skip
    """Write the chosen parts of a plan into the open workbook."""
    com = windows_excel(book)
    if INPUTS in parts:
        for update in plan.updates:
            progress(texts.PROGRESS_SHEET.format(sheet=update.sheet))
            write_cells(book, sheets.input_cells(update), com)
    if BULLETIN in parts and plan.bulletin_cells is not None:
        progress(texts.PROGRESS_SHEET.format(sheet=texts.BULLETIN_SHEET))
        write_cells(book, sheets.bulletin_cells(plan.bulletin_cells), com)
    if ANNEXES in parts:
        for name in plan.remove_sheets:
            book.sheets[name].delete()
        for annex in plan.annexes:
            progress(texts.PROGRESS_SHEET.format(sheet=annex.sheet))
            write_sheet(book, sheets.annex_sheet(annex), com)
    if HISTORY in parts:
        progress(texts.PROGRESS_SHEET.format(sheet=texts.HISTORY_SHEET))
        if plan.issue_cell is not None:
            row, col = plan.issue_cell
            _rect(book.sheets[texts.SETTINGS_SHEET], row, col, row, col).value = plan.issue
        write_sheet(book, sheets.trend_sheet(plan.trend), com)
        write_history(book, plan.history, com)
        if plan.findings_history:
            write_sheet(book, sheets.findings_history_sheet(plan.findings_history), com)
    mark_book(book)


def write_history(book: Any, rows: Sequence[Sequence[object]], com: bool) -> None:
    """The 历史 sheet (its own entry: the largest sheet pygk writes)."""
    write_sheet(book, sheets.history_sheet(rows), com)
