"""Worksheet parts streamed in chunks (`stream.Stream`): what is read and edited never depends on where a chunk ends."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from pygk.adapters.xlsx import stream
from pygk.adapters.xlsx.read import SheetProblem, sheet_grid
from pygk.adapters.xlsx.sheet_edit import CellWrite, EditError, edit_worksheet
from pygk.core import texts
from pygk.core.cells import cell_ref

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

VALUE = st.one_of(st.integers(-5, 200).map(float), st.text("甲乙 &<>'\"ab", min_size=1, max_size=5))
ROWS = st.dictionaries(st.integers(0, 40), st.dictionaries(st.integers(0, 8), VALUE, min_size=1, max_size=5),
                       max_size=12)  # fmt: skip
GAP = st.sampled_from(["", "\n", "\r\n  ", "<!-- 注释 -->", "<?pi x?>", " \t"])


def worksheet(rows: dict[int, dict[int, object]], gaps: list[str], merges: list[str], prefix: str = "") -> bytes:
    """A worksheet part holding `rows` (row -> column -> value), `gaps` between the rows, and merged ranges."""
    p = f"{prefix}:" if prefix else ""
    parts = []
    for n, (row, cells) in enumerate(sorted(rows.items())):
        xml = []
        for col, value in sorted(cells.items()):
            ref = cell_ref(row, col)
            if isinstance(value, float):
                xml.append(f'<{p}c r="{ref}" s="1"><{p}v>{value:g}</{p}v></{p}c>')
            else:
                text = str(value).replace("&", "&amp;").replace("<", "&lt;")
                inline = f'<{p}is><{p}t xml:space="preserve">{text}</{p}t></{p}is>'
                xml.append(f'<{p}c r="{ref}" t="inlineStr">{inline}</{p}c>')
        parts.append(gaps[n % len(gaps)] if gaps else "")
        parts.append(f'<{p}row r="{row + 1}" spans="1:9">{"".join(xml)}</{p}row>')
    declaration = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    merged = "".join(f'<{p}mergeCell ref="{ref}"/>' for ref in merges)
    cells = f'<{p}mergeCells count="{len(merges)}">{merged}</{p}mergeCells>' if merges else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<{p}worksheet {declaration}><{p}dimension ref="A1"/>'
            f'<{p}sheetData>{"".join(parts)}</{p}sheetData>{cells}<{p}pageMargins left="0.7" right="0.7" top="0.75" '
            f'bottom="0.75" header="0.3" footer="0.3"/></{p}worksheet>').encode()  # fmt: skip


def as_grid(rows: dict[int, dict[int, object]]) -> list[list[object]]:
    """What sheet_grid must give for `rows`: rows from A1, None where empty."""
    height = max(rows, default=-1) + 1
    grid: list[list[object]] = [[] for _ in range(height)]
    for row, cells in rows.items():
        width = max(cells) + 1
        grid[row] = [cells.get(col) for col in range(width)]
    return grid


@settings(max_examples=120, deadline=None)
@given(ROWS, st.lists(GAP, max_size=4), st.sampled_from(["", "x"]), st.sampled_from([1, 2, 7, 64, 1 << 16]),
       st.lists(st.sampled_from(["A1:B2", "C3:C9", "D1:H1"]), max_size=3, unique=True))  # fmt: skip
def test_a_sheet_reads_the_same_whatever_the_chunks(rows, gaps, prefix, chunk, merges):
    """Values, positions and merged ranges come out as written, for chunks down to one byte."""
    data = worksheet(rows, gaps, merges, prefix)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stream, "CHUNK", chunk)
        grid = sheet_grid(data, [])
    assert list(grid) == as_grid(rows)
    assert sorted(grid.merges) == sorted(_merge(ref) for ref in merges)


@settings(max_examples=80, deadline=None)
@given(ROWS, st.lists(GAP, max_size=4), st.sampled_from([1, 5, 64, 1 << 16]), st.integers(0, 9),
       st.dictionaries(st.integers(0, 45), VALUE, max_size=10))  # fmt: skip
def test_an_edit_is_the_same_whatever_the_chunks(rows, gaps, chunk, col, writes):
    """Edited bytes do not depend on the chunk size, and read back as the rows with the edits applied."""
    data = worksheet(rows, gaps, [])
    edits = {row: {col: CellWrite(value)} for row, value in writes.items()}
    whole = edit_worksheet(data, edits)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stream, "CHUNK", chunk)
        chunked = edit_worksheet(data, edits)
    assert chunked == whole
    expected = {row: dict(cells) for row, cells in rows.items()}
    for row, value in writes.items():
        expected.setdefault(row, {})[col] = value
    assert list(sheet_grid(whole, [])) == as_grid(expected)
    etree.fromstring(whole)  # well-formed, one document


@pytest.mark.parametrize("nested", ['<row r="9"><c r="A9"><v>9</v></c></row>',
                                    '<sheetData><row r="9"><c r="A9"><v>9</v></c></row></sheetData>'])  # fmt: skip
def test_an_element_nested_in_a_row_is_refused_where_it_is(nested: str):
    """A row (or a sheetData) inside a row is no worksheet Excel reads: refused, naming the row, whatever the chunks.

    The inner container is not streamed: it stays in the tree the parser is still building.
    """
    data = (f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>1</v></c>{nested}</row>'
            f'<row r="2"><c r="A2"><v>2</v></c></row></sheetData></worksheet>').encode()  # fmt: skip
    for chunk in (3, 1 << 16):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(stream, "CHUNK", chunk)
            with pytest.raises(SheetProblem) as refused:
                sheet_grid(data, [])
        tag = nested[1 : nested.index(" ") if nested.startswith("<row") else nested.index(">")]
        assert refused.value.message == texts.MSG_ROW_NESTED.format(row=1, tag=tag)


def test_an_entity_bomb_after_a_long_prolog_is_named_as_one():
    """libxml2 stops on the bomb before any row is handed out: the message still says DOCTYPE, not 'malformed'."""
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    data = (f'<?xml version="1.0"?><!--{"x" * 70_000}--><!DOCTYPE worksheet [<!ENTITY l0 "ha">{laughs}]>'
            f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&l9;</t></is></c>'
            "</row></sheetData></worksheet>").encode()  # fmt: skip
    with pytest.raises(SheetProblem) as refused:
        sheet_grid(data, [], part="xl/worksheets/sheet2.xml")
    assert refused.value.message == texts.MSG_PART_DOCTYPE.format(part="xl/worksheets/sheet2.xml")


@pytest.mark.parametrize("section", ["sheetData", "mergeCells"])
def test_a_section_twice_is_refused_by_reader_and_editor(section: str):
    """Two <sheetData> (or <mergeCells>): Excel opens neither; pygk read the second as more rows and kept both."""
    rows = '<row r="1"><c r="A1"><v>1</v></c></row>'
    body = (f"<sheetData>{rows}</sheetData><sheetData>{rows}</sheetData>" if section == "sheetData"
            else f'<sheetData>{rows}</sheetData><mergeCells><mergeCell ref="A1:B1"/></mergeCells>'
                 '<mergeCells><mergeCell ref="C1:D1"/></mergeCells>')  # fmt: skip
    data = f'<worksheet xmlns="{MAIN}">{body}</worksheet>'.encode()
    for chunk in (5, 1 << 16):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(stream, "CHUNK", chunk)
            with pytest.raises(SheetProblem) as refused:
                sheet_grid(data, [], part="xl/worksheets/sheet2.xml")
            what = texts.SECTION_NAMES[section]
            assert refused.value.message == texts.MSG_SECTION_TWICE.format(part="xl/worksheets/sheet2.xml", what=what)
            assert section not in refused.value.message  # no XML tag for the clerk
            if section == "sheetData":
                with pytest.raises(EditError) as uneditable:
                    edit_worksheet(data, {0: {1: CellWrite(2)}})
                assert uneditable.value.reason == "content"


def test_a_doctype_after_a_long_prolog_is_refused_by_the_editor():
    """Past the first 4 KB a DOCTYPE is found by the parser: the editor refuses it (it would drop the DOCTYPE,
    and the entities it defines would then break the part), so the clerk reads the DOCTYPE message."""
    data = (f'<?xml version="1.0"?><!--{"x" * 70_000}--><!DOCTYPE worksheet [<!ENTITY e "x">]>'
            f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c>'
            "</row></sheetData></worksheet>").encode()  # fmt: skip
    for chunk in (7, 1 << 16):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(stream, "CHUNK", chunk)
            with pytest.raises(EditError) as uneditable:
                edit_worksheet(data, {0: {1: CellWrite(2)}})
        assert uneditable.value.reason == "doctype"


def test_a_value_around_a_comment_reads_whole_and_a_rerun_rebuilds_it():
    """<v>5<!--c-->0</v> is 50 (as Excel reads it); rewriting it in place would have left the comment and the 0."""
    data = (f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>5<!--c-->0</v></c>'
            '<c r="B1"><v><?pi x?>7</v></c></row></sheetData></worksheet>').encode()  # fmt: skip
    assert list(sheet_grid(data, [])) == [[50.0, 7.0]]
    edited = edit_worksheet(data, {0: {0: CellWrite(51.0), 1: CellWrite(8.0)}})
    assert list(sheet_grid(edited, [])) == [[51.0, 8.0]]
    assert b"<!--c-->" not in edited and b"<?pi" not in edited


def test_a_rerun_rewrites_a_number_in_place_and_anything_else_the_long_way():
    """A cell holding only a number takes the new one in place; a typed, metadata or spaced cell is rebuilt."""
    cells = ('<c r="A1" s="3"><v>1</v></c><c r="B1" s="3" t="n"><v>1</v></c><c r="C1" cm="1"><v>1</v></c>'
             '<c r="D1"><v>1</v>\n</c><c r="E1" s="2"><v>1</v></c><c r="F1"><v>1</v></c>')  # fmt: skip
    data = f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">{cells}</row></sheetData></worksheet>'.encode()
    edits = {0: {0: CellWrite(2.5, 4), 1: CellWrite(2.5), 2: CellWrite(2.5), 3: CellWrite(2.5), 4: CellWrite("二", 0),
                 5: CellWrite(True)}}  # fmt: skip
    row = etree.fromstring(edit_worksheet(data, edits)).find(f"{{{MAIN}}}sheetData")[0]
    written = [etree.tostring(cell, encoding="unicode").replace(f' xmlns="{MAIN}"', "") for cell in row]
    assert written == ['<c r="A1" s="4"><v>2.5</v></c>', '<c r="B1" s="3"><v>2.5</v></c>', '<c r="C1"><v>2.5</v></c>',
                       '<c r="D1"><v>2.5</v></c>', '<c r="E1" t="inlineStr"><is><t>二</t></is></c>',
                       '<c r="F1" t="b"><v>1</v></c>']  # fmt: skip


def _merge(ref: str) -> tuple[int, int, int, int]:
    from pygk.core.cells import parse_ref

    first, _, last = ref.partition(":")
    (top, left), (bottom, right) = parse_ref(first), parse_ref(last)
    return top, left, bottom, right
