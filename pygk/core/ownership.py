"""What in a workbook pygk made, and may therefore rewrite or delete (pure: no file, no spreadsheet library).

pygk marks what it creates inside the workbook itself, with hidden defined names that
Excel, WPS and LibreOffice keep through every save:

- `_pygk.sheet`, local to a sheet pygk generated, holds the name pygk gave the sheet.
  The sheet is pygk's only while it still has that name: a copy ("附件1 (2)") or a
  renamed sheet carries a stale mark and becomes the clerk's; a clerk's own sheet never
  has the mark, whatever it is called (附件3, 附件３, 附件①).
- `_pygk.cells`, local to a sheet pygk writes cells into (input sheets, 通报), lists
  the areas pygk wrote ('区直单位'!$G$2:$G$46,…). Spreadsheet programs move the areas
  when the clerk inserts or deletes rows and columns.
- `_pygk.record`, local to a sheet with `_pygk.cells`: what pygk wrote there, the titles of
  its columns and a digest of its cells' values (`pygk.core.record`), so a cell the clerk
  changed since is refused rather than written over.
- `_pygk.version`, workbook-wide: the workbook carries pygk's marks.
- `_pygk.history`, local to the 历史 sheet: the file adapter's index of the sheet's
  compressed pieces (one per month; `pygk/adapters/xlsx/history_sheet.py`), trusted only
  while the sheet's part is byte for byte what pygk wrote.

A workbook without `_pygk.version` was written by an earlier pygk or never run: its
generated sheets and cells are adopted on the first run when they have exactly the shape
pygk gives them (`looks_generated`, `legacy_input_cells`, `legacy_bulletin_cells`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from pygk.core import texts
from pygk.core.cells import MAX_COLS, MAX_ROWS, Grid, at, column_index, column_letter, runs
from pygk.core.errors import Problem
from pygk.core.record import Record, parse_record
from pygk.core.settings import is_annex_sheet
from pygk.core.values import header_key, is_blank

SHEET_MARK = "_pygk.sheet"
CELLS_MARK = "_pygk.cells"
RECORD_MARK = "_pygk.record"  # what pygk wrote on a shared sheet (pygk.core.record)
RULES_MARK = "_pygk.rules"  # where pygk's highlight rules are on an input sheet ("" when it has none)
BOOK_MARK = "_pygk.version"
HISTORY_MARK = "_pygk.history"
CHART_PREFIX = "pygk.chart."  # the name of each chart pygk draws (Excel's selection pane shows it)
MARK_VERSION = "1"
MARK_FORMULA = 'N("pygk")=0'  # pygk's highlight rules' formula: always TRUE, tells them from the clerk's
LEGACY_MARK_FORMULA = "TRUE"  # earlier versions' marker, still recognised
NAME_LIMIT = 8000  # Excel keeps a defined name's formula under 8,192 characters

_AREA = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Z]{1,3})\$?([0-9]{1,7}))?$")

Rect = tuple[int, int, int, int]  # first row, first col, last row, last col (0-based, inclusive)


@dataclass(frozen=True)
class Region:
    """A set of cells as rectangles, so a huge area costs nothing until it meets the grid."""

    rects: tuple[Rect, ...] = ()

    def __contains__(self, cell: object) -> bool:
        if not isinstance(cell, tuple) or len(cell) != 2:
            return False
        row, col = cell
        return any(r1 <= row <= r2 and c1 <= col <= c2 for r1, c1, r2, c2 in self.rects)

    def __bool__(self) -> bool:
        return bool(self.rects)

    @classmethod
    def of_cells(cls, cells: Iterable[tuple[int, int]]) -> Region:
        """The cells as few rectangles: one per run of rows in a column."""
        by_col: dict[int, list[int]] = {}
        for row, col in cells:
            by_col.setdefault(col, []).append(row)
        return cls(tuple((a, col, b, col) for col in sorted(by_col) for a, b in runs(sorted(set(by_col[col])))))

    def in_grid(self, grid: Grid) -> Iterator[tuple[int, int]]:
        """The region's cells that hold a value in the grid."""
        for r1, c1, r2, c2 in self.rects:
            for row in range(r1, min(r2, len(grid) - 1) + 1):
                cells = grid[row]
                for col in range(c1, min(c2, len(cells) - 1) + 1):
                    if not is_blank(cells[col]):
                        yield row, col


@dataclass(frozen=True)
class Ownership:
    """pygk's marks as read from a workbook; the default is an unmarked workbook."""

    marked: bool = False
    sheets: frozenset[str] = frozenset()  # sheets whose mark still names them
    cells: Mapping[str, Region] = field(default_factory=dict)
    rules: Mapping[str, Region] = field(default_factory=dict)  # shared sheet -> the areas of pygk's highlight rules
    extras: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # sheet -> clerk's objects on it
    other_sheets: frozenset[str] = frozenset()  # chart sheets and other non-worksheets, by name
    records: Mapping[str, Record] = field(default_factory=dict)  # shared sheet -> what pygk wrote there


def string_formula(text: str) -> str:
    """A defined name's formula holding a text constant: "附件1" with quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def string_value(formula: str) -> str | None:
    """The text of a constant formula such as ="附件1", or None for anything else."""
    formula = formula.strip().lstrip("=")
    if len(formula) >= 2 and formula[0] == formula[-1] == '"':
        return formula[1:-1].replace('""', '"')
    return None


@dataclass(frozen=True)
class Marks:
    """pygk's marks as read from defined names: book, generated sheets, owned cells, highlight rules."""

    marked: bool
    sheets: frozenset[str]
    cells: dict[str, Region]
    rules: dict[str, Region]
    records: dict[str, Record] = field(default_factory=dict)


def read_marks(names: Iterable[tuple[str | None, str, str]]) -> Marks:
    """pygk's marks among a workbook's defined names, given as (sheet or None, name, formula).

    Names compare without regard to case, as in Excel.
    """
    marked = False
    sheets: set[str] = set()
    cells: dict[str, Region] = {}
    rules: dict[str, Region] = {}
    records: dict[str, Record] = {}
    for sheet, name, formula in names:
        name = name.casefold()
        if sheet is None and name == BOOK_MARK.casefold():
            marked = True
        elif sheet is not None and name == SHEET_MARK.casefold() and string_value(formula) == sheet:
            sheets.add(sheet)
        elif sheet is not None and name == CELLS_MARK.casefold():
            cells[sheet] = parse_areas(formula, sheet)
        elif sheet is not None and name == RULES_MARK.casefold():
            rules[sheet] = Region() if string_value(formula) == "" else parse_areas(formula, sheet)
        elif sheet is not None and name == RECORD_MARK.casefold() and (record := parse_record(formula)) is not None:
            records[sheet] = record
    return Marks(marked, frozenset(sheets), cells, rules, records)


def parse_areas(text: str, sheet: str | None = None) -> Region:
    """The areas of a `_pygk.cells` formula ('S'!$G$2:$G$9,'S'!$I$3) on `sheet`; others and unreadable parts ignored.

    An area on another sheet (the clerk cut pygk's cells and pasted them there, and Excel
    moved the name with them) is not pygk's any more.
    """
    rects = []
    for part in _split_areas(text):
        prefix, bang, reference = part.rpartition("!")
        reference = reference.strip()
        named = prefix.strip().strip("'").replace("''", "'")
        if sheet is not None and bang and sheet_key(named) != sheet_key(sheet):
            continue
        match = _AREA.match(reference)
        if match is None:
            continue
        c1, r1 = column_index(match.group(1)), int(match.group(2)) - 1
        c2 = column_index(match.group(3)) if match.group(3) else c1
        r2 = int(match.group(4)) - 1 if match.group(4) else r1
        if 0 <= r1 <= r2 < MAX_ROWS and 0 <= c1 <= c2 < MAX_COLS:
            rects.append((r1, c1, r2, c2))
    return Region(tuple(rects))


def _split_areas(text: str) -> list[str]:
    """A formula's comma-separated areas, commas inside quoted sheet names left alone."""
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in text.lstrip("="):
        if ch == "'":
            quoted = not quoted
        if ch == "," and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def area(rect: Rect) -> str:
    """An absolute area: '$G$2:$G$46', or '$I$3' for a single cell."""
    r1, c1, r2, c2 = rect
    first = f"${column_letter(c1)}${r1 + 1}"
    return first if (r1, c1) == (r2, c2) else f"{first}:${column_letter(c2)}${r2 + 1}"


def areas(cells: Iterable[tuple[int, int]]) -> tuple[str, ...]:
    """Cells as absolute areas, one per run of rows in a column: ('$G$2:$G$46', '$I$3:$I$4')."""
    return tuple(area(rect) for rect in Region.of_cells(cells).rects)


def owned_formula(sheet_reference: str, cells: Iterable[tuple[int, int]], by_row: bool = False) -> str:
    """The `_pygk.cells` formula for a sheet ('S'!$G$2:$G$9,…), bounded to what Excel keeps in a name.

    With `by_row` each row is an area of its own ('S'!$A$8:$B$8,'S'!$A$9:$B$9): Excel widens an
    area when a row is inserted inside it, so a row the clerk inserts between two of pygk's rows
    (on 通报) stays hers.
    """
    cells = list(cells)
    if by_row:
        rows: dict[int, list[int]] = {}
        for row, col in cells:
            rows.setdefault(row, []).append(col)
        rects = [(row, min(cols), row, max(cols)) for row, cols in sorted(rows.items())]
    else:
        rects = list(Region.of_cells(cells).rects)
    text = ",".join(f"{sheet_reference}!{area(rect)}" for rect in rects)
    if len(text) > NAME_LIMIT:  # many separate runs: claim each column's span instead
        spans: dict[int, tuple[int, int]] = {}
        for row, col in cells:
            low, high = spans.get(col, (row, row))
            spans[col] = (min(low, row), max(high, row))
        text = ",".join(f"{sheet_reference}!{area((a, col, b, col))}" for col, (a, b) in sorted(spans.items()))
    return text


def rules_formula(sheet_reference: str, rects: Iterable[Rect]) -> str:
    """The `_pygk.rules` formula: the areas of pygk's highlight rules, their bounding area past Excel's limit."""
    rects = list(rects)
    if not rects:
        return string_formula("")
    text = ",".join(f"{sheet_reference}!{area(rect)}" for rect in rects)
    if len(text) > NAME_LIMIT:
        bound = (min(r[0] for r in rects), min(r[1] for r in rects), max(r[2] for r in rects), max(r[3] for r in rects))
        text = f"{sheet_reference}!{area(bound)}"
    return text


def owns_sheet(name: str, ownership: Ownership, grid: Grid | None) -> bool:
    """True when pygk made this sheet: its mark names it, or (unmarked workbook) it has pygk's shape."""
    if name in ownership.sheets:
        return True
    return not ownership.marked and grid is not None and looks_generated(name, grid)


def generated_sheet_problems(name: str, what: str, grids: Mapping[str, Grid], ownership: Ownership) -> list[Problem]:
    """Why pygk may not (re)write its generated sheet `name` whole: a clerk's sheet has the name, or objects on it."""
    key = sheet_key(name)
    if key in {sheet_key(s) for s in ownership.other_sheets}:
        return [Problem(texts.MSG_SHEET_TAKEN.format(sheet=name, what=what), name)]
    existing = next((s for s in grids if sheet_key(s) == key), None)
    if existing is None:
        return []
    grid = None if ownership.marked else grids[existing]  # a marked book's marks decide: the sheet is not read
    if existing != name or not owns_sheet(existing, ownership, grid):
        return [Problem(texts.MSG_SHEET_TAKEN.format(sheet=name, what=what), existing)]
    if ownership.extras.get(existing):
        return [Problem(texts.MSG_SHEET_EXTRAS.format(extras="、".join(ownership.extras[existing])), existing)]
    return []


def looks_generated(name: str, grid: Grid) -> bool:
    """An earlier pygk's sheet, recognised by its name and the first cells pygk wrote there."""
    if name == texts.HISTORY_SHEET:
        return header_key(at(grid, 0, 0)) == header_key(texts.H_YEAR) and header_key(at(grid, 0, 1)) == header_key(
            texts.H_MONTH
        )
    if name == texts.TREND_SHEET:
        return at(grid, 0, 0) == texts.TREND_NOTE
    if name == texts.BULLETIN_SHEET:
        return [header_key(at(grid, 0, c)) for c in (0, 1)] == [header_key(h) for h in texts.BULLETIN_HEADER]
    number = annex_number(name)
    return (
        number is not None
        and at(grid, 0, 0) == texts.ANNEX_LABEL.format(n=number)
        and (header_key(at(grid, 2, 0)) == header_key(texts.UNIT))
    )


def annex_number(name: str) -> int | None:
    """N for a sheet named exactly as pygk names annex N ('附件3'); None for '附件３', '附件①', '附件03'."""
    if not is_annex_sheet(name):
        return None
    prefix, _, suffix = texts.ANNEX_SHEET.partition("{n}")
    return int(name[len(prefix) : len(name) - len(suffix)])


def sheet_key(name: str) -> str:
    """Sheet names compare as Excel compares them: without regard to case."""
    return name.casefold()
