"""The file adapter: gather sheet values from a workbook file, run the core, apply the plan.

Used by the command line on any OS. Untouched parts of the file are copied byte for byte
and the result replaces the target in one rename.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TypeVar

from pygk.adapters import files, locking
from pygk.adapters.files import os_failure
from pygk.adapters.forked import Lane, can_fork
from pygk.adapters.xlsx import marks
from pygk.adapters.xlsx.charts import add_charts, remove_drawings
from pygk.adapters.xlsx.convert import check_suffix, match_suffix
from pygk.adapters.xlsx.history_sheet import IndexedHistory, open_indexed, write_history
from pygk.adapters.xlsx.package import Package, check_unlocked, fail, rels_name, resolve
from pygk.adapters.xlsx.read import SheetProblem, date_styles, has_formulas, shared_strings, sheet_grid
from pygk.adapters.xlsx.recalc import StaleCheck, chart_reads, drop_stale_results, formulas_reading, other_references
from pygk.adapters.xlsx.shared_sheet import patch_cells, shared_edit, tables
from pygk.adapters.xlsx.sheet_edit import CellWrite, EditError
from pygk.adapters.xlsx.sheet_xml import sheet_chunks, sheet_xml
from pygk.adapters.xlsx.styles import StyleBook
from pygk.adapters.xlsx.workbook import Workbook
from pygk.core import sheets, texts
from pygk.core.cells import Grid, SheetGrid, column_letter
from pygk.core.errors import InputError, Problem, TemplateError
from pygk.core.ownership import Region, generated_sheet_problems, sheet_key
from pygk.core.plan import Plan, build_plan
from pygk.core.settings import read_settings
from pygk.core.sheets import CellsPlan, SheetPlan

_Result = TypeVar("_Result")

# A score sheet part this big (uncompressed) is read in a helper process, where one can be forked.
HELPER_BYTES = 256 * 1024


class SheetGrids(Mapping[str, Grid]):
    """Sheet name -> grid, parsed only when the core asks for it."""

    def __init__(self, package: Package, workbook: Workbook, history: IndexedHistory | None = None):
        self.package, self.workbook = package, workbook
        self._strings: list[str] | None = None
        self._dates: frozenset[str] = frozenset()
        self._grids: dict[str, Grid] = {}
        self._lane: Lane | None = None
        self._ahead: dict[str, int] = {}  # sheet -> its call in the lane
        if history is not None:  # read month by month through the index: the grid is its header alone
            self._grids[texts.HISTORY_SHEET] = [list(history.header)]

    def prefetch(self) -> None:
        """Read every other big score sheet in a helper process while this one reads the rest (`forked.Lane`).

        The score sheets are those the 设置 sheet names, in the order the core reads them; the
        helper takes the second, fourth and so on of those over HELPER_BYTES. Anything that goes
        wrong here is left for the core to meet in its own order: a sheet is then read on demand.
        """
        if not can_fork() or texts.SETTINGS_SHEET not in self:
            return
        try:
            names = list(dict.fromkeys(g.sheet for g in read_settings(self[texts.SETTINGS_SHEET])[0].groups))
            refs = [(n, r) for n in names if (r := self.workbook.sheet(n)) is not None and n not in self._grids]
            big = [(n, r) for n, r in refs if self.package.size(r.part) >= HELPER_BYTES]
            theirs = [(n, r, self.package.read(r.part)) for n, r in big[1::2]]
            self._load_strings()
        except Exception:  # noqa: BLE001 - a problem the core reports in its own words when it gets there
            return
        if theirs:
            calls = [(sheet_grid, (data, self._strings, self._dates, ref.part)) for _, ref, data in theirs]
            self._lane = Lane(calls)
            self._ahead = {name: i for i, (name, _, _) in enumerate(theirs)}

    def close(self) -> None:
        """Stop the helper process, if one was started."""
        if self._lane is not None:
            self._lane.close()

    def _load_strings(self) -> None:
        if self._strings is None:
            self._strings = shared_strings(self.package, self.workbook.part)
            self._dates = date_styles(self.package, self.workbook.part)

    def _grid(self, name: str, part: str) -> SheetGrid:
        """A sheet's values: from the helper when it read them, else read here."""
        if self._lane is not None and name in self._ahead:
            return self._lane.result(self._ahead.pop(name))  # type: ignore[no-any-return]
        assert self._strings is not None
        return sheet_grid(self.package.read(part), self._strings, self._dates, part)

    def __getitem__(self, name: str) -> Grid:
        if name not in self._grids:
            ref = self.workbook.sheet(name)
            if ref is None:
                raise KeyError(name)
            self._load_strings()
            try:
                grid = self._grid(name, ref.part)
                grid.totals_rows = frozenset(
                    t.totals_row for t in tables(self.package, ref.part) if t.totals_row is not None
                )
                self._grids[name] = grid
            except SheetProblem as problem:
                raise TemplateError([Problem(problem.message, name, problem.cell)]) from None
        return self._grids[name]

    def __iter__(self) -> Iterator[str]:
        return iter(s.name for s in self.workbook.sheets)

    def __len__(self) -> int:
        return len(self.workbook.sheets)

    def __contains__(self, name: object) -> bool:
        return self.workbook.sheet(str(name)) is not None


def open_book(path: Path, writing: bool = True) -> tuple[Package, Workbook]:
    """Open a workbook file; one that Excel or WPS holds open is refused only when it is to be written in place."""
    path = Path(path)
    try:
        if writing:
            check_unlocked(path)
        package = Package(path)
    except OSError as error:
        raise os_failure(path, error, texts.MSG_CANNOT_READ_CAUSE) from None
    try:
        return package, Workbook(package)
    except (KeyError, TypeError, AttributeError, ValueError):
        package.close()
        raise fail(path, texts.MSG_BROKEN.format(detail=texts.REASON_WORKBOOK)) from None
    except BaseException:  # a refusal from Workbook (TemplateError) or Ctrl+C: release the file too
        package.close()
        raise


def check(path: Path) -> Plan:
    """Validate a workbook and compute its plan without writing anything."""
    package, workbook = open_book(path, writing=False)
    try:
        indexed = open_indexed(package, workbook)
        return _planned(package, workbook, indexed)
    finally:
        package.close()


def _planned(package: Package, workbook: Workbook, indexed: IndexedHistory | None) -> Plan:
    """The core's plan for an open workbook, its big score sheets read two at a time where a helper can be forked."""
    grids = SheetGrids(package, workbook, indexed)
    try:
        grids.prefetch()
        return build_plan(grids, marks.read_ownership(package, workbook), indexed)
    finally:
        grids.close()  # the sheets' values go with it: freed before writing


def _quiet(message: str) -> None:
    """The default progress callback: say nothing."""


def run(path: Path, output: Path | None = None, progress: Callable[[str], None] = _quiet) -> Plan:
    """Compute and write totals, marks, annexes and the bulletin into `output` (default: `path`).

    The workbook stays locked from reading to writing. In place, a read-only or hard-linked
    file is refused; a new `output` must not exist, and its extension decides whether the
    result keeps the macros (.xlsm) or drops them (.xlsx).
    """
    path = Path(path)
    in_place = output is None or files.same_file(path, output)
    target = path if output is None or in_place else Path(output)
    _must_exist(path)
    if not in_place:
        check_new_output(target)
        check_unlocked(target)
    with locking.holding(path, required=in_place):
        if in_place:
            files.check_replaceable(path)
        package, workbook = open_book(path, writing=in_place)
        try:
            files.clean_stale_temps(files.real_path(target).parent if in_place else target.absolute().parent)
            progress(texts.PROGRESS_READ)
            indexed = open_indexed(package, workbook)
            plan = _planned(package, workbook, indexed)
            progress(texts.PROGRESS_WRITE.format(units=plan.unit_count))
            apply(package, workbook, plan, indexed)
            if not in_place:
                match_suffix(package, workbook.part, target)
            progress(texts.PROGRESS_SAVE.format(path=target))
            package.save(target, replace=in_place)
        finally:
            package.close()
    return plan


def _must_exist(path: Path) -> None:
    """Refuse a workbook that is not there before anything else (no lock file for a missing one)."""
    if not path.is_file():
        raise fail(path, texts.MSG_NOT_FOUND)


def check_new_output(target: Path) -> None:
    """An output other than the workbook: a name ending .xlsx or .xlsm, not yet taken, in an existing folder."""
    if target.is_dir():
        raise fail(target, texts.MSG_OUTPUT_EXISTS_DIR)
    if os.path.lexists(target):
        raise fail(target, texts.MSG_OUTPUT_EXISTS)
    check_suffix(target)
    if not target.absolute().parent.is_dir():
        raise fail(target, texts.MSG_OUTPUT_NO_FOLDER)


def import_history(
    old: Path, into: Path, year: int | None = None, month: int | None = None
) -> tuple[tuple[int, int], int]:
    """Merge an earlier month's results from `old` into the 历史 sheet of `into` (locked, written atomically)."""
    from pygk.core.importing import imported_history

    old, into = Path(old), Path(into)
    _must_exist(old)
    _must_exist(into)
    with locking.holding(into):
        files.check_replaceable(into)
        old_package, old_workbook = open_book(old, writing=False)
        try:
            old_grids = SheetGrids(old_package, old_workbook)
            package, workbook = open_book(into)
            try:
                files.clean_stale_temps(files.real_path(into).parent)
                indexed = open_indexed(package, workbook)
                grids = SheetGrids(package, workbook, indexed)
                period, units, update = imported_history(old_grids, grids, year, month, indexed)
                _check_generated(package, workbook, grids, texts.HISTORY_SHEET, texts.WHAT_HISTORY)
                write_history(package, workbook, update, StyleBook(package), indexed)
                marks.mark_sheet(workbook, texts.HISTORY_SHEET)
                workbook.finish()  # the book mark waits for a full run: until then other sheets are adopted by shape
                package.save(into)
            finally:
                package.close()
        finally:
            old_package.close()
    return period, units


REASONS = {"order": texts.REASON_ORDER, "reference": texts.REASON_REFERENCE, "xml": texts.REASON_XML,
           "content": texts.REASON_CONTENT}  # fmt: skip


def apply(package: Package, workbook: Workbook, plan: Plan, history: IndexedHistory | None = None) -> None:
    """Write a plan into an open package (in memory; `Package.save` writes the file).

    `history` is the 历史 sheet's index the plan was computed from: months it keeps are copied as they are.
    """
    _apply(package, workbook, plan, history)


def _edited(name: str, part: str, edit: Callable[..., _Result], *args: object) -> _Result:
    """Run one sheet edit, `edit(*args)`; a sheet pygk cannot edit safely becomes a Chinese refusal naming it."""
    try:
        return edit(*args)
    except EditError as error:
        if error.reason == "internal":
            raise TemplateError([Problem(texts.MSG_OWN_OUTPUT_BROKEN.format(part=part), name)]) from None
        if error.reason == "doctype":
            raise TemplateError([Problem(texts.MSG_PART_DOCTYPE.format(part=part), name)]) from None
        reason = REASONS.get(error.reason, texts.REASON_XML)
        raise TemplateError([Problem(texts.MSG_SHEET_UNEDITABLE.format(reason=reason), name)]) from None


def _apply(package: Package, workbook: Workbook, plan: Plan, history: IndexedHistory | None) -> None:
    styles = StyleBook(package)
    formulas: dict[str, bool] = {}
    # The score sheets are edited here, not in a helper process as they are read: one forked after
    # the plan shares the run's pages until either writes to them, and its own allocations land all
    # over them. Measured (PSS summed over both processes), it cost about a third of the run's memory
    # for a tenth of its time or less: 100,000 units +168 MB for -0.9 s, 20,000 +43 MB for -0.13 s,
    # 5,000 +12 MB for -15 ms (a helper forked before the plan and sent its edits through a pipe:
    # +120 MB for -1.0 s at 100,000 units).
    for update in plan.updates:
        write_cells(package, workbook, sheets.input_cells(update), styles, formulas)
    _apply_rest(package, workbook, plan, history, styles, formulas)


def _apply_rest(package: Package, workbook: Workbook, plan: Plan, history: IndexedHistory | None,
                styles: StyleBook, formulas: Mapping[str, bool]) -> None:  # fmt: skip
    _refuse_removing_referenced(package, workbook, plan.remove_sheets)
    for name in plan.remove_sheets:
        workbook.remove_sheet(name)
    if plan.bulletin_cells is not None:
        write_cells(package, workbook, sheets.bulletin_cells(plan.bulletin_cells), styles)
    for annex in plan.annexes:
        write_sheet(package, workbook, sheets.annex_sheet(annex), styles)
    if plan.issue_cell is not None:
        ref = workbook.require(texts.SETTINGS_SHEET)
        row, col = plan.issue_cell
        edits = {row: {col: CellWrite(plan.issue)}}
        package.write(ref.part, _edited(ref.name, ref.part, patch_cells, package.read(ref.part), edits))
    write_sheet(package, workbook, sheets.trend_sheet(plan.trend), styles)
    if plan.history_update is not None:
        write_history(package, workbook, plan.history_update, styles, history)
        marks.mark_sheet(workbook, texts.HISTORY_SHEET)
    if plan.findings_history:
        write_sheet(package, workbook, sheets.findings_history_sheet(plan.findings_history), styles)
    _expire_results(package, workbook, plan, formulas)
    marks.mark_book(workbook)
    workbook.set_full_calc_on_load()
    workbook.drop_calc_chain()
    workbook.finish()


def _refuse_removing_referenced(package: Package, workbook: Workbook, removed: tuple[str, ...]) -> None:
    """An annex pygk no longer needs stays until no formula or name of the clerk's reads it (Excel would show #REF!)."""
    if not removed:
        return
    check = StaleCheck({sheet_key(name): None for name in removed}, {})
    problems = []

    def in_use(what: str) -> None:
        problems.append(Problem(texts.MSG_REMOVED_SHEET_IN_USE.format(sheets="、".join(removed), what=what)))

    for ref in workbook.sheets:
        if ref.name in removed:
            continue
        data = package.read(ref.part)
        cells = _edited(ref.name, ref.part, formulas_reading, data, ref.name, check)
        cells += _edited(ref.name, ref.part, other_references, data, ref.name, check)
        cells = list(dict.fromkeys(cells))  # a cell may be read by a validation and a format alike
        if cells:
            in_use("、".join(f"“{ref.name}”{c}" for c in cells[:12]))
    removed_parts = {workbook.require(name).part for name in removed}
    for part in package.names():
        if "/charts/" in part and part.endswith(".xml") and not _chart_of(package, part, removed_parts):
            if chart_reads(package.read(part), check):
                in_use(texts.WHAT_CHART.format(part=part))
    first = workbook.sheets[0].name if workbook.sheets else ""
    for scope, name, formula in workbook.defined_names():
        if name.startswith(("_pygk.", "_xlnm.")) or scope in removed:
            continue
        if check.stale(formula, scope or first):
            in_use(texts.WHAT_NAME.format(name=name))
    if problems:
        raise InputError(problems)


def _chart_of(package: Package, chart: str, sheet_parts: set[str]) -> bool:
    """True when the chart sits in a drawing of one of these sheets (it goes with them)."""
    for part in sheet_parts:
        rels = rels_name(part)
        if not package.has(rels):
            continue
        for rel in package.xml(rels):
            drawing = resolve(part, rel.get("Target", ""))
            if package.has(rels_name(drawing)):
                if any(resolve(drawing, r.get("Target", "")) == chart for r in package.xml(rels_name(drawing))):
                    return True
    return False


def _expire_results(package: Package, workbook: Workbook, plan: Plan, formulas: Mapping[str, bool]) -> None:
    """Drop the cached results of the clerk's formulas that read cells this run changed.

    A score sheet pygk edited (`formulas`: whether it held a formula before; the edit writes
    none) is read again only when it held one.
    """
    generated = [a.sheet for a in plan.annexes] + [texts.HISTORY_SHEET, texts.TREND_SHEET, *plan.remove_sheets]
    generated += [texts.FINDINGS_HISTORY_SHEET] if plan.findings_history else []
    refs = [ref for ref in workbook.sheets if ref.name not in generated and package.has(ref.part)]
    candidates = [(ref, data) for ref in refs
                  if formulas.get(ref.part, True) and has_formulas(data := package.read(ref.part))]  # fmt: skip
    if not candidates:  # no formula anywhere: nothing can be stale
        return
    changed: dict[str, Region | None] = {}
    for cells in [u.cells for u in plan.updates] + [plan.bulletin_cells]:
        if cells is not None:
            written = [(p.row, p.col) for p in cells.puts] + list(cells.clears)
            changed[sheet_key(cells.sheet)] = Region.of_cells(written)
    if plan.issue_cell is not None:
        row, col = plan.issue_cell
        changed[sheet_key(texts.SETTINGS_SHEET)] = Region(((row, col, row, col),))
    changed.update({sheet_key(name): None for name in generated})
    known = {t.name: (ref.name, (t.first_row, t.first_col, t.last_row, t.last_col))
             for ref in workbook.sheets for t in tables(package, ref.part) if t.name}  # fmt: skip
    check = StaleCheck(changed, {(s, n): f for s, n, f in workbook.defined_names()}, known)
    for ref, data in candidates:
        fresh = _edited(ref.name, ref.part, drop_stale_results, data, ref.name, check)
        if fresh is not None:
            package.write(ref.part, fresh)


def _check_generated(package: Package, workbook: Workbook, grids: SheetGrids, name: str, what: str) -> None:
    """Refuse to write a generated sheet over a clerk's sheet of that name (pygk history add)."""
    problems = generated_sheet_problems(name, what, grids, marks.read_ownership(package, workbook))
    if problems:
        raise InputError(problems)


def write_cells(package: Package, workbook: Workbook, plan: CellsPlan, styles: StyleBook,
                formulas: dict[str, bool] | None = None) -> None:  # fmt: skip
    """pygk's cells on a shared sheet (made from its sheet plan when missing), and its marks.

    `formulas`, when given, gets whether the part held a formula before (the edit writes none).
    """
    name = plan.sheet
    ref = workbook.sheet(name)
    if ref is None:
        ref = workbook.add_sheet(name)
        package.write(ref.part, sheet_xml(plan.new_sheet or SheetPlan(name, ()), styles.role))
    if plan.generated:
        marks.mark_sheet(workbook, name)
    edit = _edited(name, ref.part, shared_edit, package, ref.part, plan, styles)
    if formulas is not None:
        formulas[ref.part] = has_formulas(edit.data)
    package.write_chunks(ref.part, _edited(name, ref.part, edit.chunks))
    marks.mark_cells(workbook, plan.cells, by_row=plan.by_row)
    marks.mark_rules(workbook, name, plan.rules)


def write_sheet(package: Package, workbook: Workbook, sheet: SheetPlan, styles: StyleBook) -> None:
    """A generated sheet, whole, from its sheet plan: cells, print setup, charts; marked as pygk's."""
    ref = workbook.sheet(sheet.name) or workbook.add_sheet(sheet.name)
    drawing = None
    if sheet.charts:  # the sheet's drawing is pygk's: replaced whole
        remove_drawings(package, ref.part)
        drawing = add_charts(package, ref.part, sheet.name, sheet.charts)
    package.write_chunks(ref.part, sheet_chunks(sheet, styles.role, drawing))
    if sheet.page is not None:
        if sheet.page.title_rows is not None:
            workbook.set_print_titles(sheet.name, *sheet.page.title_rows)
        top, left, bottom, right = sheet.page.area
        workbook.set_print_area(sheet.name, f"${column_letter(left)}${top + 1}:${column_letter(right)}${bottom + 1}")
    marks.mark_sheet(workbook, sheet.name)
