"""Structural edits to an existing worksheet part: cells written or cleared, everything else kept.

The part is parsed as XML (streamed, `stream.Stream`: rows in batches, each freed once written),
so every legal serialisation works: any quoting, spaces around '=', a namespace prefix, CRLF,
a byte-order mark, rows or cells without an `r`. Rows are serialised in batches inside a
small wrapper that declares the worksheet's namespaces, so they come out without redundant
declarations, and the elements around <sheetData> (conditional formats, tables, margins,
extensions) go through the same tree. Memory stays proportional to one row plus those
elements, not to the sheet.

A shared formula's master cell that is overwritten takes its formula with it; the cells
that shared it keep their values and lose the formula (without the master Excel calls the
file damaged). Rows and cells must be in ascending order, as Excel requires: a part that
breaks that rule is refused rather than made worse.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from lxml import etree

from pygk.adapters.xlsx.package import NS_MAIN, has_doctype
from pygk.adapters.xlsx.sheet_xml import strip_invalid
from pygk.adapters.xlsx.stream import Repeated, Stream
from pygk.adapters.xlsx.xmlutil import insert_in_order, q
from pygk.core.cells import cell_ref, ref_column
from pygk.core.values import format_number

WORKSHEET_ORDER = (
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr", "sheetProtection",
    "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate", "customSheetViews", "mergeCells",
    "phoneticPr", "conditionalFormatting", "dataValidations", "hyperlinks", "printOptions", "pageMargins",
    "pageSetup", "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors",
    "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
    "webPublishItems", "tableParts", "extLst",
)  # fmt: skip
ROW, CELL, SHEET_DATA = q("row"), q("c"), q("sheetData")
_V, _F, _IS, _T = q("v"), q("f"), q("is"), q("t")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_VALUE_ATTRIBUTES = ("t", "cm", "vm")  # a cell's type and metadata describe its old value
_PLACEHOLDER = "pygk-rows-placeholder-7d1c"
BATCH = 256  # rows serialised together: one tostring call per batch instead of per row


class EditError(ValueError):
    """A worksheet part pygk cannot edit safely (the adapter turns it into a located refusal).

    `reason` says why, for the clerk's message: "order", "reference", "xml", "content",
    "doctype", or "internal" (pygk's own output is wrong).
    """

    def __init__(self, detail: str, reason: str = "xml"):
        super().__init__(detail)
        self.reason = reason


@dataclass(frozen=True)
class CellWrite:
    """What one cell becomes: a value (None: empty, style kept) and its style.

    `style` None keeps the cell's own style; a cell that has none takes the style of the
    cell in column `like` of the same row, when given.
    """

    value: object
    style: int | None = None
    like: int | None = None


Edits = Mapping[int, Mapping[int, CellWrite]]  # 0-based row -> 0-based column -> write


Visit = Callable[[etree._Element, int], bool]  # (row element, 0-based row) -> did it change the row?


def edit_worksheet(data: bytes, edits: Edits, finish: Callable[[etree._Element], None] | None = None,
                   visit: Visit | None = None) -> bytes:  # fmt: skip
    """A worksheet part with `edits` applied; `finish(root)` may edit the elements around <sheetData>.

    `visit(row, index)` is called for every existing row after its edits (it may change it).
    """
    return b"".join(edit_chunks(data, edits, finish, visit))


def edit_chunks(data: bytes, edits: Edits, finish: Callable[[etree._Element], None] | None = None,
                visit: Visit | None = None) -> list[bytes]:  # fmt: skip
    """`edit_worksheet`'s bytes as the pieces they were made in, so they need not be copied into one."""
    return _edit(data, _Editor(edits, visit), finish)


def _edit(data: bytes, editor: _Editor, finish: Callable[[etree._Element], None] | None) -> list[bytes]:
    stream = Stream(data, (SHEET_DATA,))
    checked = False
    try:
        for batch in stream.batches():
            if not checked:  # a DOCTYPE past the first bytes (entities would not survive the edit)
                _refuse_doctype(batch[0])
                checked = True
            for row in batch:
                if row.tag == ROW:
                    editor.row(row)
                elif isinstance(row.tag, str):
                    raise EditError(f"<{etree.QName(row).localname}> inside <sheetData>", "content")
                # XML comments and processing instructions between rows are left out
            editor.flush()  # the batch's rows leave the parser's tree together
        root = stream.root
    except etree.XMLSyntaxError as error:
        raise EditError(str(error)) from None
    except Repeated as repeated:
        raise EditError(f"<{repeated.tag}> twice", "content") from None
    if root is not None and not checked:
        _refuse_doctype(root)
    if root is None or etree.QName(root).localname != "worksheet" or etree.QName(root).namespace != NS_MAIN:
        raise EditError("not a worksheet", "content")
    editor.rest()
    sheet_data = root.find(SHEET_DATA)
    if sheet_data is None:
        sheet_data = etree.Element(SHEET_DATA)
        insert_in_order(root, sheet_data, WORKSHEET_ORDER)
    if finish is not None:
        finish(root)
    lead = sheet_data.text or ""
    sheet_data.text = _PLACEHOLDER
    text = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    head, found, tail = text.partition(_PLACEHOLDER.encode())
    if not found or _PLACEHOLDER.encode() in tail:
        raise EditError("placeholder", "internal")
    return [head, lead.encode(), *editor.out, tail]


def _refuse_doctype(element: etree._Element) -> None:
    if has_doctype(element):
        raise EditError("DOCTYPE", "doctype")


class _Editor:
    """Applies edits row by row and serialises each row inside a namespace-declaring wrapper."""

    def __init__(self, edits: Edits, visit: Visit | None = None):
        self.visit = visit
        self.visited = False  # whether `visit` changed any row
        self.pending = sorted(r for r, cells in edits.items() if cells)
        self.edits = edits
        self.index = 0
        self.next_row = 0
        self.dropped_masters: set[str] = set()
        self.wrapper: etree._Element | None = None
        self.out: list[bytes] = []  # the serialised rows, in batches
        self.templates: dict[tuple[int, int | None], tuple[CellWrite, etree._Element]] = {}

    def _wrap(self, like: etree._Element) -> None:
        root = like.getroottree().getroot()
        self._make_wrapper(root.tag, root.nsmap)

    def _make_wrapper(self, tag: str, nsmap: dict[str | None, str]) -> None:
        self.wrapper = etree.Element(tag, nsmap=nsmap)
        self.holder = etree.SubElement(self.wrapper, SHEET_DATA)
        self.holder.text = ""
        self.queue: list[etree._Element] = []
        empty = etree.tostring(self.wrapper, encoding="UTF-8")
        cut = empty.index(b"></") + 1  # between <sheetData> and </sheetData>: no start tag holds '<'
        self.start, self.end = empty[:cut], empty[cut:]

    def _serialise(self, row: etree._Element) -> None:
        """Queue a row; every BATCH rows they are moved into the wrapper together and serialised once into `out`."""
        self.queue.append(row)
        if len(self.queue) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Add the queued rows' bytes to `out` and empty the wrapper."""
        if self.wrapper is None or not self.queue:
            return
        self.holder.extend(self.queue)  # one call moves them all
        self.queue.clear()
        text: bytes = etree.tostring(self.wrapper, encoding="UTF-8")  # Chinese as UTF-8, never as &#NNNN;
        self.holder.clear()  # frees the rows at once; remove() would walk each row's tree again
        self.holder.text = ""
        if not (text.startswith(self.start) and text.endswith(self.end)):
            raise EditError("row serialisation", "internal")
        self.out.append(text[len(self.start) : -len(self.end)])

    def row(self, row: etree._Element) -> None:
        """Edit and queue this row, preceded by new rows for edits that come before it."""
        if self.wrapper is None:
            self._wrap(row)
        number = row.get("r")
        try:
            index = int(number) - 1 if number is not None else self.next_row
        except ValueError:
            raise EditError(f"row number {number!r}", "reference") from None
        if index < self.next_row:
            raise EditError(f"row {index + 1} out of order", "order")
        self.next_row = index + 1
        while self.index < len(self.pending) and self.pending[self.index] < index:
            self._new_row(self.pending[self.index])
            self.index += 1
        if self.index < len(self.pending) and self.pending[self.index] == index:
            if number is None:
                row.set("r", str(index + 1))
            self._edit_row(row, index, self.edits[index])
            self.index += 1
        elif self.dropped_masters:
            self._drop_dependents(row)
        if self.visit is not None and self.visit(row, index):
            self.visited = True
        self._serialise(row)

    def rest(self) -> None:
        """New rows for edits after the last existing row, and the rows still queued."""
        if self.index < len(self.pending):
            if self.wrapper is None:
                self._make_wrapper(q("worksheet"), {None: NS_MAIN})
            for index in self.pending[self.index :]:
                self._new_row(index)
            self.index = len(self.pending)
        self.flush()

    def _new_row(self, index: int) -> None:
        row = self.holder.makeelement(ROW, {})
        row.set("r", str(index + 1))
        self._edit_row(row, index, self.edits[index])
        self._serialise(row)

    def _edit_row(self, row: etree._Element, index: int, edits: Mapping[int, CellWrite]) -> None:
        cols = sorted(edits)
        cells = _append_only(row, cols[0], edits)
        appending = cells is not None
        if cells is None:
            lowest = min([cols[0], *(w.like for w in edits.values() if w.like is not None)])
            cells = _tail_cells(row, lowest)
            if cells is None:
                cells = _all_cells(row, index)
        for col in cols:
            write = edits[col]
            cell = cells.get(col)
            if cell is not None:  # an existing cell: its value replaced, its other content kept
                style = write.style
                if style is None and write.like is not None and cell.get("s") is None and write.like in cells:
                    style = _style(cells[write.like])
                self._set(cell, write.value, style)
                continue
            style = write.style
            if style is None and write.like is not None and write.like in cells:
                style = _style(cells[write.like])
            cell = self._fresh(write, style, cell_ref(index, col))
            if appending:
                row.append(cell)
            else:
                later = [c for c in cells if c > col]
                if later:
                    cells[min(later)].addprevious(cell)
                else:
                    _append_cell(row, cell)
            cells[col] = cell
        if row.get("spans") is not None:  # cheaper than row.attrib, which makes a view of the attributes
            del row.attrib["spans"]
        if self.dropped_masters:
            self._drop_dependents(row)

    def _fresh(self, write: CellWrite, style: int | None, ref: str) -> etree._Element:
        """A new cell holding `write` with `style` at `ref`: a copy of one made once per write and style.

        Copying a finished cell is one call into lxml; building it is four or more per cell.
        """
        key = (id(write), style)  # values need not be hashable; the write is kept so its id stays its own
        made = self.templates.get(key)
        if made is None:
            template = self.holder.makeelement(CELL, {"r": ""})  # `r` first, as Excel writes it
            _fill(template, write.value, style)
            made = self.templates[key] = (write, template)
        cell = made[1].__copy__()
        cell.set("r", ref)  # an existing attribute keeps its place
        return cell

    def _set(self, cell: etree._Element, value: object, style: int | None) -> None:
        if _renumber(cell, value, style):
            return
        formula = cell.find(_F)
        if formula is not None and formula.get("t") == "shared" and formula.get("ref") and formula.get("si"):
            self.dropped_masters.add(formula.get("si"))
        for child in list(cell):
            if child.tag in (_F, _V, _IS):
                cell.remove(child)
        for attribute in _VALUE_ATTRIBUTES:
            cell.attrib.pop(attribute, None)
        first = cell[0] if len(cell) else None  # only extLst can remain; values go before it
        _fill(cell, value, style, first)

    def _drop_dependents(self, row: etree._Element) -> None:
        for formula in row.iter(_F):
            if formula.get("t") == "shared" and not formula.get("ref") and formula.get("si") in self.dropped_masters:
                formula.getparent().remove(formula)


def _renumber(cell: etree._Element, value: object, style: int | None) -> bool:
    """The common case of a rerun cheaply: a cell holding only a number gets another number, in place.

    False, changing nothing, for any other cell or value (the general path removes and rebuilds).
    """
    if not (type(value) is float or type(value) is int) or len(cell) != 1:
        return False
    number = cell[0]
    if number.tag != _V or number.tail is not None or len(number) or cell.get("t") is not None:
        return False  # a <v> holding a comment or instruction has text on both sides of it: rebuilt
    if cell.get("cm") is not None or cell.get("vm") is not None or len(number.attrib):
        return False
    _set_style(cell, style)
    number.text = format_number(value)
    return True


def _set_style(cell: etree._Element, style: int | None) -> None:
    """Give a cell a style index (0: the default, no `s`); None keeps its own."""
    if style is not None:
        if style:
            cell.set("s", str(style))
        else:
            cell.attrib.pop("s", None)


def _append_only(row: etree._Element, first: int, edits: Mapping[int, CellWrite]) -> dict[int, etree._Element] | None:
    """The common cases cheaply: every edit lies right of the row's last cell or on it, and any style comes from it."""
    try:
        last = row[-1]  # found from the end; len() would count every child
    except IndexError:
        return {} if all(w.like is None for w in edits.values()) else None
    ref = last.get("r") if last.tag == CELL else None
    if not ref:
        return None
    col = _cell_column(ref)
    if col > first:
        return None
    for write in edits.values():  # a loop, not any(): this runs once per edited row
        if write.like is not None and write.like != col:
            return None
    return {col: last}


def _fill(cell: etree._Element, value: object, style: int | None, before: etree._Element | None = None) -> None:
    """Give an emptied cell its style and value (inline text, number or boolean), placed before `before`."""
    _set_style(cell, style)
    if value is None or value == "":
        return
    if isinstance(value, bool):
        cell.set("t", "b")
        element = cell.makeelement(_V, {})
        element.text = "1" if value else "0"
    elif isinstance(value, (int, float)):
        element = cell.makeelement(_V, {})
        element.text = format_number(value)
    else:
        text = strip_invalid(str(value))
        cell.set("t", "inlineStr")
        element = cell.makeelement(_IS, {})
        t = etree.SubElement(element, _T)
        t.text = text
        if text != text.strip() or "\n" in text:
            t.set(_XML_SPACE, "preserve")
    if before is not None:
        before.addprevious(element)
    else:
        cell.append(element)


def _style(cell: etree._Element) -> int | None:
    """A cell's style index, None when it has none."""
    inherited = cell.get("s")
    return int(inherited) if inherited is not None else None


def _cell_column(ref: str) -> int:
    """The 0-based column of a cell's `r`; a reference that is not one is refused."""
    try:
        return ref_column(ref)
    except (TypeError, ValueError):
        raise EditError(f"cell reference {ref!r}", "reference") from None


def _tail_cells(row: etree._Element, lowest: int) -> dict[int, etree._Element] | None:
    """The row's cells from column `lowest` on, read from the end (edits are mostly at the right).

    None when a cell has no `r`, so positions must be counted from the start.
    """
    found: dict[int, etree._Element] = {}
    previous = None
    for cell in row.iterchildren(CELL, reversed=True):
        ref = cell.get("r")
        if not ref:
            return None
        col = _cell_column(ref)
        if previous is not None and col >= previous:
            raise EditError(f"cell {ref} out of order", "order")
        previous = col
        found[col] = cell
        if col < lowest:
            break
    return found


def _all_cells(row: etree._Element, index: int) -> dict[int, etree._Element]:
    """Every cell of the row by column, counting positions where a cell has no `r` (and giving it one)."""
    cells: dict[int, etree._Element] = {}
    next_col = -1
    for cell in row.iterchildren(CELL):
        ref = cell.get("r")
        col = _cell_column(ref) if ref else next_col + 1
        if col <= next_col:
            raise EditError(f"cell {ref} out of order", "order")
        if not ref:
            cell.set("r", cell_ref(index, col))
        next_col = col
        cells[col] = cell
    return cells


def _append_cell(row: etree._Element, cell: etree._Element) -> None:
    """Append a cell after the row's last cell (before a trailing extLst, if any)."""
    ext = row.find(q("extLst"))
    if ext is not None:
        ext.addprevious(cell)
    else:
        row.append(cell)


def rewrite_rows(data: bytes, visit: Visit) -> bytes | None:
    """The worksheet part with `visit` applied to every row, or None when it changed none."""
    editor = _Editor({}, visit)
    result = _edit(data, editor, None)
    return b"".join(result) if editor.visited else None
