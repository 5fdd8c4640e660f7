"""Cell values of worksheet parts as grids: shared strings, inline strings, numbers, cached formula results.

The reader streams the part through lxml's pull parser (`stream.Stream`), a batch of rows at a
time, each batch freed once read. python-calamine (Rust) was measured against it
(`benchmarks/readers.py`, CPU seconds, one 50,000-row input sheet of 12 MB, 2-core machine,
2026-12-02 under load): inflating 0.03, iterparse with nothing read 0.41, the pull parser with
nothing read 0.33, this reader 0.87 (0.89-1.2 while it used iterparse), calamine 0.22.
Calamine does not give what pygk needs: it has no formula text, so a formula without a cached
value reads as empty instead of as a located problem; dates come back as datetimes without the
style pygk reports; it reads a dense rectangle from the first to the last cell, allocated before
anything can be checked (a cell at XFD1048576 is 17 billion cells and kills the process; pygk
refuses such a sheet as it streams, at MAX_GRID_CELLS); it finds parts at fixed paths, failing
on workbooks whose parts live elsewhere (legal, and in the tests); and it could not reuse the
package's checks (zip bombs, DOCTYPEs, case collisions). Made safe by a first pass that finds
the used range's bounds, it costs 0.59 against this reader's 0.87: about 0.3 s per 50,000 rows,
for a second reader whose dates, errors and empty texts differ from what the editor (lxml)
sees. So lxml it is; the 历史 sheet, which grows every month, is not read whole at all
(`history_sheet.py`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from io import BytesIO

from lxml import etree

from pygk.adapters.xlsx.package import NS_MAIN, Package, declares_doctype, fail, has_doctype, rels_name, resolve
from pygk.adapters.xlsx.stream import Repeated, Stream
from pygk.adapters.xlsx.xmlutil import q
from pygk.core import texts
from pygk.core.cells import (
    MAX_COLS,
    MAX_ROWS,
    DateSerial,
    DateText,
    Merge,
    SheetGrid,
    Uncomputed,
    cell_ref,
    column_index,
    column_letter,
    parse_ref,
)  # fmt: skip

REL_SHARED_STRINGS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
REL_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
_T, _R, _RPH, _SI = q("t"), q("r"), q("rPh"), q("si")
ROW, CELL, MERGE = q("row"), q("c"), q("mergeCell")
SHEET_DATA, MERGE_CELLS = q("sheetData"), q("mergeCells")
_V, _IS, _F = q("v"), q("is"), q("f")
_NUMFMT, _CELL_XFS, _XF = q("numFmt"), q("cellXfs"), q("xf")
# At most this many cells (and rows) in one sheet's grid: 160 MB of references. A 100,000-unit
# sheet holds about 600,000; a hostile one with a cell in column XFD on every row would need 17 billion.
MAX_GRID_CELLS = 20_000_000


def string_item(item: etree._Element) -> str:
    """Text of a shared or inline string, rich runs joined, phonetic guides left out."""
    direct = first_child(item, _T)
    if direct is not None:
        return direct.text or ""
    return "".join(t.text or "" for run in item.iter(_R) for t in run.iter(_T))


def first_child(element: etree._Element, tag: str) -> etree._Element | None:
    """The first child with this tag, or None: what `element.find(tag)` gives, ten times faster.

    A cell's value is nearly always its first child, so that is looked at before the children are searched.
    """
    if not len(element):
        return None
    first = element[0]
    if first.tag == tag:
        return first
    return next(element.iterchildren(tag), None)


def related_part(package: Package, source: str, rel_type: str) -> str | None:
    """The part a source part's first relationship of a type points to, or None."""
    rels = rels_name(source)
    if not package.has(rels):
        return None
    for rel in package.xml(rels):
        if rel.get("Type") == rel_type and rel.get("TargetMode") != "External" and rel.get("Target"):
            return resolve(source, rel.get("Target"))
    return None


def shared_strings(package: Package, workbook_part: str) -> list[str]:
    """The workbook's shared string table, empty if it has none."""
    part = related_part(package, workbook_part, REL_SHARED_STRINGS)
    if part is None:
        return []
    data = package.read(part)
    if declares_doctype(data):
        raise fail(package.path, texts.MSG_PART_DOCTYPE.format(part=part))
    strings = []
    try:  # streamed, each item freed once read: a huge table costs its text, not its tree
        for _, item in etree.iterparse(BytesIO(data), events=("end",), tag=_SI, huge_tree=True,
                                       resolve_entities=False, no_network=True):  # fmt: skip
            strings.append(string_item(item))
            _free(item)
    except etree.XMLSyntaxError as error:
        line, column = error.position
        raise fail(package.path, texts.MSG_PART_MALFORMED.format(part=part, line=line, column=column)) from None
    return strings


# Built-in number formats that show a date or time: 14–22 and 45–47 in every locale, and in
# Chinese (and the other East Asian) locales also 27–36 and 50–58 (yyyy"年"m"月" and the like).
BUILTIN_DATE_FORMATS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_QUOTED = re.compile(r'"[^"]*"|\\.|[_*].|\[(?!(?:h+|m+|s+)\])[^\]]*\]', re.S)
_DATE_CODE = re.compile(r"[ymdhs]|aaa", re.I)


def is_date_code(code: str) -> bool:
    """True for a custom number format that shows a date or time: y, m, d, h, s (or aaa) outside quotes.

    Quoted text, backslash escapes, _x and *x, and bracketed colours, conditions and
    locales ([Red], [>=90], [$-804]) are ignored; elapsed-time brackets ([h], [mm], [ss])
    count as time. Only the first section (positive numbers) decides.
    """
    return _DATE_CODE.search(_QUOTED.sub("", code.split(";")[0])) is not None


def cell_value(cell: etree._Element, strings: list[str]) -> object:
    """The value shown in a cell: str, float, bool or None (errors read as their text).

    A shared-string index outside the table raises IndexError (ValueError if not a number).
    """
    kind = cell.get("t")
    if kind == "inlineStr":
        inline = first_child(cell, _IS)
        return string_item(inline) if inline is not None else None
    value = first_child(cell, _V)
    text = None if value is None else value.text if not len(value) else "".join(value.itertext())  # comments too
    if text is None:
        formula = first_child(cell, _F)
        return Uncomputed("=" + formula.text) if formula is not None and formula.text else None
    if kind is None or kind == "n":
        try:
            number = float(text)
        except ValueError:
            return text  # no number of the file format ('0x10'): the core says it is not a number
        return text if "_" in text else number  # float() takes '1_0', the file format does not
    if kind == "s":
        index = int(text)
        if index < 0:
            raise IndexError(index)
        return strings[index]
    if kind == "b":
        return text == "1"
    if kind == "d":
        return DateText(text)
    return text  # str (formula text result), e (error)


class SheetProblem(Exception):
    """A worksheet part pygk cannot read: the clerk's message, and the cell when there is one."""

    def __init__(self, message: str, cell: str | None = None):
        super().__init__(message)
        self.message, self.cell = message, cell


class _BadReference(Exception):
    """A cell reference that is not one, or lies past column XFD."""


@lru_cache(maxsize=4096)
def _column(letters: str) -> int:
    """0-based column of a reference's letters; _BadReference past XFD or for anything but A–Z."""
    if not (0 < len(letters) <= 3 and letters.isascii() and letters.isalpha() and letters.isupper()):
        raise _BadReference(letters)
    col = column_index(letters)
    if col >= MAX_COLS:
        raise _BadReference(letters)
    return col


class _Columns(dict[str, int]):
    """A reference's letters -> its 0-based column, each worked out once (`_column`: _BadReference past XFD)."""

    def __missing__(self, letters: str) -> int:
        self[letters] = col = _column(letters)
        return col


def sheet_grid(data: bytes, strings: list[str], dates: frozenset[str] = frozenset(), part: str = "") -> SheetGrid:
    """All values of a worksheet part as rows from A1 (0-based), None where empty, and its merged ranges.

    The XML is streamed (`stream.Stream`), each batch of rows freed once read, so memory stays
    proportional to the values, not to the XML tree. Numbers in a cell whose style index
    is in `dates` read as DateSerial. Positions past Excel's last row or column, bad
    references and a grid of more than MAX_GRID_CELLS raise SheetProblem, before memory
    is spent on them; so does a DOCTYPE, and malformed XML (naming `part`).
    """
    if declares_doctype(data):
        raise SheetProblem(texts.MSG_PART_DOCTYPE.format(part=part))
    grid = SheetGrid()
    merges: list[Merge] = []
    formulas: set[tuple[int, int]] = set()
    find_formulas = has_formulas(data)
    next_row, allocated, checked, max_cols = 0, 0, False, MAX_COLS
    columns = _Columns()
    stream = Stream(data, (SHEET_DATA, MERGE_CELLS))
    try:
        for batch in stream.batches():
            if not checked:
                _refuse_doctype(batch[0], part)
                checked = True
            for row in batch:
                tag = row.tag
                if tag != ROW:
                    if tag == MERGE:
                        merges.append(_merge(row.get("ref") or ""))
                    continue
                index = _row_index(row.get("r"), next_row)
                next_row = index + 1
                if len(grid) <= index:
                    allocated += index + 1 - len(grid)
                    grid.extend([] for _ in range(index + 1 - len(grid)))
                cells = grid[index]
                next_col = 0
                ref = None
                try:  # the hot loop: checks cost a comparison per cell, errors are sorted out below
                    for cell in row:
                        if cell.tag != CELL:
                            _refuse_nested(cell, index)  # a row's extLst and comments are fine
                            continue
                        ref = cell.get("r")
                        if ref:
                            col = columns[ref.rstrip("0123456789")]
                        else:
                            col = next_col
                            if col >= max_cols:
                                raise _BadReference(column_letter(col))
                        next_col = col + 1
                        if find_formulas and cell.find(_F) is not None:
                            formulas.add((index, col))
                        value = cell_value(cell, strings)
                        if value is None:
                            continue
                        if dates and type(value) is float and cell.get("s") in dates:
                            value = DateSerial(value)
                        width = len(cells)
                        if width <= col:
                            allocated += col + 1 - width
                            if allocated > MAX_GRID_CELLS:
                                far = cell_ref(index, col)
                                raise SheetProblem(texts.MSG_SHEET_TOO_LARGE.format(limit=MAX_GRID_CELLS, ref=far))
                            if width < col:
                                cells.extend([None] * (col - width))
                            cells.append(value)
                        else:
                            cells[col] = value
                except _BadReference as bad:
                    raise SheetProblem(_reference_message(ref or str(bad))) from None
                except (IndexError, ValueError):
                    found = (cell.findtext(_V) or "")[:20]
                    raise SheetProblem(texts.MSG_BAD_STRING_INDEX.format(index=found), ref) from None
        if not checked and stream.root is not None:
            _refuse_doctype(stream.root, part)
    except etree.XMLSyntaxError as error:
        raise _malformed(error, data, part) from None
    except Repeated as repeated:
        raise _twice(repeated, part) from None
    grid.merges = tuple(merges)
    grid.formulas = frozenset(formulas)
    return grid


_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_PLAIN_FORMULA_TAG = re.compile(rb"<f[\s>/]")  # starts with a literal: searched about 8x faster


def has_formulas(data: bytes) -> bool:
    """A cheap first look: does a worksheet part contain any <f> (or <x:f>) element?

    A prefixed <x:f> holds ':f', so the slower pattern runs only on parts that contain that.
    """
    if _PLAIN_FORMULA_TAG.search(data) is not None:
        return True
    return b":f" in data and _FORMULA_TAG.search(data) is not None


def _free(element: etree._Element) -> None:
    """Drop a streamed element and the siblings already read before it."""
    element.clear()
    while element.getprevious() is not None:
        del element.getparent()[0]


def _row_index(number: str | None, next_row: int) -> int:
    """0-based index of a <row>, from its r attribute or following the previous row."""
    if number is None:
        index = next_row
    elif number.isascii() and number.isdigit():
        index = int(number) - 1
    else:
        raise SheetProblem(texts.MSG_BAD_ROW_NUMBER.format(found=number[:20]))
    if not 0 <= index < MAX_ROWS:
        raise SheetProblem(texts.MSG_ROW_OUT_OF_RANGE.format(row=index + 1))
    return index


def _reference_message(ref: str) -> str:
    """What is wrong with a cell reference: past column XFD, or no reference at all."""
    letters = ref.rstrip("0123456789")
    if 0 < len(letters) and letters.isascii() and letters.isalpha() and letters.isupper():
        return texts.MSG_COLUMN_OUT_OF_RANGE.format(ref=ref[:20])
    return texts.MSG_BAD_CELL_REF.format(ref=ref[:20])


def _merge(ref: str) -> Merge:
    """A <mergeCell ref="A1:B2"> as (top, left, bottom, right), within Excel's grid."""
    first, _, last = ref.partition(":")
    try:
        top, left = parse_ref(first)
        bottom, right = parse_ref(last or first)
    except ValueError:
        raise SheetProblem(texts.MSG_BAD_CELL_REF.format(ref=ref[:40])) from None
    if max(top, bottom) >= MAX_ROWS or max(left, right) >= MAX_COLS or min(top, bottom) < 0:
        raise SheetProblem(texts.MSG_COLUMN_OUT_OF_RANGE.format(ref=ref[:40]))
    return min(top, bottom), min(left, right), max(top, bottom), max(left, right)


def _malformed(error: etree.XMLSyntaxError, data: bytes, part: str) -> SheetProblem:
    """The clerk's message for a part the parser gave up on: where the XML breaks, or its DOCTYPE.

    An entity bomb stops the parser before any row is handed out, so the DOCTYPE is looked for here too.
    """
    if b"<!DOCTYPE" in data:
        return SheetProblem(texts.MSG_PART_DOCTYPE.format(part=part))
    line, column = error.position
    return SheetProblem(texts.MSG_PART_MALFORMED.format(part=part, line=line, column=column))


_ROW_EXTRAS = frozenset({q("extLst")})


def _refuse_nested(child: etree._Element, row: int) -> None:
    """SheetProblem for an element inside a <row> that is neither a cell nor the row's extLst (a row in a row)."""
    if isinstance(child.tag, str) and child.tag not in _ROW_EXTRAS:
        raise SheetProblem(texts.MSG_ROW_NESTED.format(row=row + 1, tag=etree.QName(child).localname[:20]))


def _twice(repeated: Repeated, part: str) -> SheetProblem:
    """The clerk's message for a section a worksheet holds twice (two <sheetData>)."""
    what = texts.SECTION_NAMES.get(repeated.tag, f"<{repeated.tag[:20]}>")
    return SheetProblem(texts.MSG_SECTION_TWICE.format(part=part, what=what))


def _refuse_doctype(element: etree._Element, part: str) -> None:
    """SheetProblem when the part declares a DOCTYPE (OOXML parts never do)."""
    if has_doctype(element):
        raise SheetProblem(texts.MSG_PART_DOCTYPE.format(part=part))


def date_styles(package: Package, workbook_part: str) -> frozenset[str]:
    """Cell style indexes (the s attribute, as text) whose number format shows a date or time."""
    part = related_part(package, workbook_part, REL_STYLES)
    if part is None or not package.has(part):
        return frozenset()
    root = package.xml(part)
    custom = {fmt.get("numFmtId"): fmt.get("formatCode") or "" for fmt in root.iter(_NUMFMT)}
    xfs = root.find(_CELL_XFS)
    if xfs is None:
        return frozenset()
    found = set()
    for index, xf in enumerate(xfs.iterfind(_XF)):
        number_format = xf.get("numFmtId", "0")
        if number_format in custom:
            dated = is_date_code(custom[number_format])
        else:
            dated = number_format.isdigit() and int(number_format) in BUILTIN_DATE_FORMATS
        if dated:
            found.add(str(index))
    return frozenset(found)


def row_values(data: bytes, part: str = "") -> list[list[object]]:
    """The values of a run of <row> elements (a piece of a worksheet's sheetData), row after row as they come.

    Rows keep their order and not their numbers; cells are placed by their column. Only
    inline strings, numbers and booleans are expected (what pygk writes); a shared string reads as
    its index. SheetProblem for malformed XML or a bad reference.
    """
    namespace = NS_MAIN.encode()
    wrapped = b'<worksheet xmlns="' + namespace + b'"><sheetData>' + data + b"</sheetData></worksheet>"
    rows: list[list[object]] = []
    columns = _Columns()
    try:
        for batch in Stream(wrapped, (SHEET_DATA,)).batches():
            for row in batch:
                if row.tag != ROW:
                    continue
                cells: list[object] = []
                next_col = 0
                for cell in row:
                    if cell.tag != CELL:
                        continue
                    ref = cell.get("r")
                    col = columns[ref.rstrip("0123456789")] if ref else next_col
                    next_col = col + 1
                    value = cell_value(cell, _NO_STRINGS) if cell.get("t") != "s" else cell.findtext(_V)
                    if value is not None:
                        if col >= len(cells):
                            cells.extend([None] * (col + 1 - len(cells)))
                        cells[col] = value
                rows.append(cells)
    except _BadReference as bad:
        raise SheetProblem(_reference_message(str(bad))) from None
    except etree.XMLSyntaxError as error:
        raise _malformed(error, data, part) from None
    except Repeated as repeated:
        raise _twice(repeated, part) from None
    return rows


_NO_STRINGS: list[str] = []
