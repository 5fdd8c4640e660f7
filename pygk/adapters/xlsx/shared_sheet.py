"""Sheets pygk shares with the clerk (input sheets, 通报, 设置): its cells written, the clerk's kept.

Cells are edited structurally (`sheet_edit`); around them pygk keeps the clerk's styles,
formulas, validations, tables and extensions. On input sheets the best/worst highlight is
a conditional format marked by its formula, so the clerk's own fills are never touched
and a rerun replaces only pygk's rules. Excel tables (ListObjects) stay consistent: a
header cell pygk writes inside a table renames that table column, and a table header is
never cleared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from lxml import etree

from pygk.adapters.xlsx.package import NS_R, Package, rels_name, resolve
from pygk.adapters.xlsx.sheet_edit import WORKSHEET_ORDER, CellWrite, Edits, edit_chunks, edit_worksheet
from pygk.adapters.xlsx.styles import StyleBook
from pygk.adapters.xlsx.xmlutil import fragment, insert_in_order, q
from pygk.core.cells import cell_ref, column_letter, parse_ref, runs
from pygk.core.layout import HIGHLIGHTS
from pygk.core.ownership import LEGACY_MARK_FORMULA, MARK_FORMULA
from pygk.core.placement import SheetCells
from pygk.core.sheets import CellsPlan, Highlight, Inherit

REL_TABLE = NS_R + "/table"


@dataclass(frozen=True)
class Table:
    """An Excel table on a sheet: its part, header row and first/last column (0-based)."""

    part: str
    header_row: int | None
    first_col: int
    last_col: int
    name: str = ""
    first_row: int = 0
    last_row: int = 0
    totals_row: int | None = None  # the table's totals row (汇总), which holds no data


def tables(package: Package, sheet_part: str) -> list[Table]:
    """The Excel tables a worksheet relates to."""
    rels = rels_name(sheet_part)
    if not package.has(rels):
        return []
    found = []
    for rel in package.xml(rels):
        if rel.get("Type") != REL_TABLE or rel.get("TargetMode") == "External":
            continue
        part = resolve(sheet_part, rel.get("Target", ""))
        if not package.has(part):
            continue
        root = package.xml(part)
        first, _, last = (root.get("ref") or "").partition(":")
        try:
            (r1, c1), (r2, c2) = parse_ref(first), parse_ref(last or first)
        except ValueError:
            continue
        header = None if root.get("headerRowCount") == "0" else r1
        totals = r2 if (root.get("totalsRowCount") or "0").isdigit() and int(root.get("totalsRowCount") or 0) else None
        name = root.get("displayName") or root.get("name") or ""
        found.append(Table(part, header, c1, c2, name, r1, r2, totals))
    return found


def cell_edits(plan: CellsPlan, style_index: Callable[[str], int], keep: Iterable[tuple[int, int]] = ()) -> Edits:
    """Row -> column -> write for a shared sheet's cells, each given its role's style or a column's."""
    edits: dict[int, dict[int, CellWrite]] = {}
    kept = set(keep)
    cells = plan.cells
    for row, col in cells.clears:
        if (row, col) not in kept:
            edits.setdefault(row, {})[col] = CellWrite(None)
    styles: dict[str, tuple[int | None, int | None]] = {}
    for role, look in plan.styles.items():
        styles[role] = (None, look.col) if isinstance(look, Inherit) else (style_index(look), None)
    made: dict[tuple[type, object, int | None, int | None], CellWrite] = {}  # one write per distinct value and look
    for put in cells.puts:
        index, like = styles.get(put.role, (None, None))
        value = put.value
        key = (type(value), value, index, like)  # typed: True, 1 and 1.0 are equal keys but different cells
        try:
            write = made.get(key)
            if write is None:
                write = made[key] = CellWrite(value, index, like)
        except TypeError:  # a value that cannot be a key
            write = CellWrite(value, index, like)
        edits.setdefault(put.row, {})[put.col] = write
    return edits


def sync_tables(package: Package, sheet_part: str, cells: SheetCells) -> set[tuple[int, int]]:
    """Rename the table columns whose header cells pygk writes; the table header cells it must not clear."""
    keep: set[tuple[int, int]] = set()
    for table in tables(package, sheet_part):
        if table.header_row is None:
            continue
        header, first, last = table.header_row, table.first_col, table.last_col

        def inside(row: int, col: int, header: int = header, first: int = first, last: int = last) -> bool:
            return bool(row == header and first <= col <= last)

        keep |= {c for c in cells.clears if inside(*c)}
        root = package.xml(table.part)
        columns = root.find(q("tableColumns"))
        changed = False
        for put in cells.puts:
            if inside(put.row, put.col) and columns is not None and put.col - table.first_col < len(columns):
                column = columns[put.col - table.first_col]
                if column.get("name") != str(put.value):
                    column.set("name", str(put.value))
                    changed = True
        if changed:
            package.touch(table.part)
    return keep


@dataclass(frozen=True)
class SharedEdit:
    """What a shared sheet's edit needs once the book's styles and tables are settled; `chunks()` does it."""

    data: bytes
    edits: Edits
    finish: Callable[[etree._Element], None]

    def chunks(self) -> list[bytes]:
        """The edited part, in pieces; EditError when the sheet cannot be edited safely."""
        return edit_chunks(self.data, self.edits, self.finish)


def shared_edit(package: Package, sheet_part: str, plan: CellsPlan, styles: StyleBook) -> SharedEdit:
    """A shared sheet's edit made ready: table headers renamed, styles and highlight formats added to the book.

    Its `chunks()` are the sheet with pygk's cells written, its stale ones cleared and its highlight rules replaced.
    """
    keep = sync_tables(package, sheet_part, plan.cells)
    edits = cell_edits(plan, styles.role, keep)
    dxfs = {kind: styles.dxf(kind) for kind in HIGHLIGHTS} if plan.table is not None else {}

    def finish(root: etree._Element) -> None:
        widen_dimension(root, edits)
        if plan.table is not None:
            set_marks(root, plan.highlights, dxfs)

    return SharedEdit(package.read(sheet_part), edits, finish)


def patch_cells(data: bytes, edits: Edits) -> bytes:
    """A worksheet part with some cells written and everything else left as it was."""
    return edit_worksheet(data, edits, lambda root: widen_dimension(root, edits))


def widen_dimension(root: etree._Element, edits: Edits) -> None:
    """Widen <dimension> to cover the cells written (Excel reads it as a hint, LibreOffice trusts it)."""
    dimension = root.find(q("dimension"))
    written = [(r, c) for r, cols in edits.items() for c, w in cols.items() if w.value not in (None, "")]
    if dimension is None or not written:
        return
    first, _, end = (dimension.get("ref") or "").partition(":")
    try:
        r1, c1 = parse_ref(first)
        r2, c2 = parse_ref(end or first)
    except ValueError:
        return
    rows, cols = [r for r, _ in written], [c for _, c in written]
    dimension.set("ref", f"{cell_ref(min(r1, *rows), min(c1, *cols))}:{cell_ref(max(r2, *rows), max(c2, *cols))}")


def set_marks(root: etree._Element, highlights: Iterable[Highlight], dxfs: Mapping[str, int]) -> None:
    """Replace pygk's highlight rules (and only those) with this run's best and worst rows."""
    ours = {str(index) for index in dxfs.values()}
    for element in root.findall(q("conditionalFormatting")):
        for rule in element.findall(q("cfRule")):  # Excel may keep a clerk's rule in the same element
            if is_ours_rule(rule, ours):
                element.remove(rule)
        if not element.findall(q("cfRule")):
            root.remove(element)
    priorities = (e.get("priority") for e in root.iter() if isinstance(e.tag, str) and e.tag.endswith("cfRule"))
    priority = max((int(p) for p in priorities if p and p.isdigit()), default=0)
    for highlight in highlights:
        first, last = column_letter(highlight.first_col), column_letter(highlight.last_col)
        priority += 1
        sqref = " ".join(f"{first}{a + 1}:{last}{b + 1}" for a, b in runs(highlight.rows))
        rule = fragment(f'<conditionalFormatting sqref="{sqref}"><cfRule type="expression" '
                        f'dxfId="{dxfs[highlight.kind]}" priority="{priority}"><formula/></cfRule>'
                        "</conditionalFormatting>")  # fmt: skip
        rule.find(q("cfRule")).find(q("formula")).text = MARK_FORMULA
        insert_in_order(root, rule, WORKSHEET_ORDER)


def is_ours_rule(rule: etree._Element, dxfs: set[str]) -> bool:
    """One of pygk's highlight rules: marked by its formula (earlier versions: TRUE with pygk's formats)."""
    formula = (rule.findtext(q("formula")) or "").strip()
    if rule.get("type") != "expression":
        return False
    return formula == MARK_FORMULA or (rule.get("dxfId") in dxfs and formula == LEGACY_MARK_FORMULA)
