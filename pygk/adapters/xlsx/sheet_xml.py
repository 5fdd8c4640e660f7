"""Worksheet XML for the sheets pygk generates, from their sheet plans, in one pass (fast at 100,000 rows).

Strings go in as inline strings, so a value beginning with '=' stays text, never a formula.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, groupby, islice
from typing import cast

from pygk.adapters.xlsx.package import NS_MAIN, NS_R
from pygk.core import layout
from pygk.core.cells import cell_ref, column_letter
from pygk.core.sheets import SheetPlan
from pygk.core.values import format_number

INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def strip_invalid(text: str) -> str:
    """Text without the control characters XML 1.0 cannot hold."""
    return INVALID_XML.sub("", text)


def escape(text: str) -> str:
    """Text safe inside an XML element or attribute."""
    if text.isprintable() and "&" not in text and "<" not in text and ">" not in text and '"' not in text:
        return text  # the common case: printable text has no control characters and no U+FFFE/U+FFFF
    text = strip_invalid(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return text.replace("\r", "&#13;")  # a raw CR would read back as LF (XML's end-of-line handling)


EMPTY = "/>"  # the rest of an empty cell's element
ROWS_AT_ONCE = 4096  # rows whose cells are prepared together, column by column


def content(value: object) -> str:
    """What follows a cell's reference and style in its <c> element: a number, a boolean, inline text, or EMPTY."""
    kind = type(value)  # exact types: numpy's float64 is a float whose repr is not a number
    if kind is str:
        return _text(cast(str, value)) if value else EMPTY
    if value is None or value == "":
        return EMPTY
    if kind is float:
        real = cast(float, value)
        return f"><v>{int(real) if real.is_integer() else repr(real)}</v></c>"
    if kind is int:
        return f"><v>{value}</v></c>"
    if kind is bool:
        return f' t="b"><v>{int(cast(bool, value))}</v></c>'
    if isinstance(value, (int, float)):
        return f"><v>{format_number(value)}</v></c>"
    return _text(str(value))


def _text(text: str) -> str:
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f' t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def _plain_texts(texts: Sequence[str]) -> bool:
    """True when each text is as content() writes it unchanged: not empty, printable, nothing to escape or keep."""
    joined = "".join(texts)
    return (all(texts) and joined.isprintable() and not any(mark in joined for mark in '&<>"')
            and list(map(str.strip, texts)) == list(texts))  # fmt: skip


def _literal(text: str) -> str:
    """Text as it stands inside a format string (braces doubled)."""
    return text.replace("{", "{{").replace("}", "}}")


class _Numbers(dict[object, str]):
    """Number -> its cell content, each distinct number formatted once (an int prints as the float equal to it)."""

    def __missing__(self, value: object) -> str:
        self[value] = found = content(value)
        return found


_NUMBER_KINDS = frozenset({int, float, type(None)})
Pattern = tuple[tuple[tuple[int, int], ...], int, str]  # (column, style index) of each cell, how many have values, ht


class RowWriter:
    """The <row> elements of a sheet plan's rows, in one pass.

    Rows between two area or height boundaries share their styles and height; those that have as
    many values too share a pattern, made once into a format string that writes such a row (the
    markup fixed, the cells' contents its arguments). Cells are prepared a column at a time.
    """

    def __init__(self, sheet: SheetPlan, style_index: Callable[[str], int]):
        self._styles = row_styles(sheet, style_index)
        self._heights = {r: h for first, last, h in sheet.heights for r in range(first, last + 1)}
        edges = {edge for a in sheet.areas for edge in (a.top, a.bottom + 1)}
        self._edges = sorted(edges | {edge for first, last, _ in sheet.heights for edge in (first, last + 1)})
        self._letters = [column_letter(c) for c in range(sheet.width)]
        self._patterns: dict[Pattern, Callable[..., str]] = {}
        self._numbers = _Numbers()

    def rows(self, first: int, rows: Sequence[Sequence[object]]) -> Iterator[str]:
        """The <row> elements of `rows`, the first of them sheet row `first` (0-based)."""
        return chain.from_iterable(self._groups(first, rows))  # each group's rows straight from its map

    def _groups(self, first: int, rows: Sequence[Sequence[object]]) -> Iterator[Iterable[str]]:
        """The rows' elements, a group of rows alike at a time."""
        done = 0
        while done < len(rows):
            row = first + done
            later = bisect_right(self._edges, row)
            end = len(rows) if later == len(self._edges) else min(len(rows), self._edges[later] - first)
            height = self._heights.get(row)
            ht = f' ht="{height:g}" customHeight="1"' if height else ""
            styles = self._styles(row)
            for _, alike in groupby(rows[done:end], key=len):
                same = list(alike)
                for start in range(0, len(same), ROWS_AT_ONCE):
                    yield self._alike(row + start, same[start : start + ROWS_AT_ONCE], styles, ht)
                row += len(same)
            done = end

    def _alike(self, first: int, rows: list[Sequence[object]], styles: Sequence[int] | None,
               ht: str) -> Iterable[str]:  # fmt: skip
        """Rows of one shape, by their pattern's function; a row it cannot write (an empty cell left out) cell by cell.

        An unstyled column empty in every row is left out of the pattern (趋势's columns left of its tables).
        """
        columns = list(zip(*rows))[: None if styles is None else len(styles)]
        cells = [self._contents(column) for column in columns]
        numbers = range(first + 1, first + 1 + len(rows))
        if styles is not None and not all(styles):
            return [
                f'<row r="{number}"{ht}>{self._styled_cells(number, values, texts, styles)}</row>'
                for number, values, texts in zip(numbers, rows, zip(*cells) if cells else [()] * len(rows))
            ]
        if styles is None:
            written = [c for c, texts in enumerate(cells) if texts.count(EMPTY) < len(texts)]
            write = self._pattern((tuple((c, 0) for c in written), len(written), ht))
            cells = [cells[c] for c in written]
            if any(EMPTY in texts for texts in cells):
                return [f'<row r="{number}"{ht}>{self._cells(number, texts, written)}</row>' if EMPTY in texts
                        else write(number, *texts) for number, texts in zip(numbers, zip(*cells))]  # fmt: skip
        else:
            write = self._pattern((tuple(enumerate(styles)), len(cells), ht))
        return map(write, numbers, *cells)

    def _contents(self, column: Sequence[object]) -> list[str]:
        """Each cell's content; numbers, and texts that repeat (分组, 是/否), each formatted once."""
        kinds = set(map(type, column))
        if kinds <= _NUMBER_KINDS:
            return list(map(self._numbers.__getitem__, column))
        if kinds == {str}:
            distinct = set(column)
            if 2 * len(distinct) < len(column):
                table = {text: content(text) for text in distinct}
                return list(map(table.__getitem__, column))
            if _plain_texts(cast(Sequence[str], column)):
                return [f' t="inlineStr"><is><t>{text}</t></is></c>' for text in column]
        return list(map(content, column))

    def _cells(self, number: int, texts: Sequence[str], columns: Sequence[int]) -> str:
        """An unstyled row's cells (of these columns), the empty ones left out."""
        return "".join(f'<c r="{self._letter(c)}{number}"{t}' for c, t in zip(columns, texts) if t is not EMPTY)

    def _styled_cells(self, number: int, values: Sequence[object], texts: Sequence[str], styles: Sequence[int]) -> str:
        """A styled row's cells: every styled column, and each value (None is no value) in an unstyled one."""
        out = []
        for c, style in enumerate(styles):
            text = texts[c] if c < len(texts) else EMPTY
            if style:
                out.append(f'<c r="{self._letter(c)}{number}" s="{style}"{text}')
            elif c < len(values) and values[c] is not None:
                out.append(f'<c r="{self._letter(c)}{number}"{text}')
        return "".join(out)

    def _letter(self, col: int) -> str:
        return self._letters[col] if col < len(self._letters) else column_letter(col)

    def _pattern(self, pattern: Pattern) -> Callable[..., str]:
        """The function writing a row of this pattern from its number and the contents of its first `count` cells.

        It is a format string's `format`: the template holds only markup, column letters, style
        indexes and the height attribute (braces doubled); the values are its arguments, never
        parsed. Cells past the first `count` are written empty (a styled row's columns past its values).
        """
        found = self._patterns.get(pattern)
        if found is None:
            cells, count, ht = pattern
            parts = ['<row r="{0}"', _literal(ht), ">"]
            for i, (c, style) in enumerate(cells):
                parts += [f'<c r="{self._letter(c)}', "{0}", '"', f' s="{style}"' if style else ""]
                parts.append(f"{{{i + 1}}}" if i < count else _literal(EMPTY))
            template = "".join(parts) + "</row>"
            found = self._patterns[pattern] = template.format
        return found


def sheet_start(sheet: SheetPlan, row_count: int | None = None) -> str:
    """The worksheet part up to and including <sheetData>; the dimension spans `row_count` rows (default: the plan's).

    A sheet written in pieces (历史) gives its row count, its rows being more than the plan holds.
    """
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_R}">']
    if sheet.page is not None and sheet.page.fit_width:
        out.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
    rows = len(sheet.rows) if row_count is None else row_count
    out.append(f'<dimension ref="A1:{column_letter(sheet.width - 1)}{max(rows, 1)}"/>')
    out.append('<sheetViews><sheetView workbookViewId="0"/></sheetViews>')
    out.append(f'<sheetFormatPr defaultRowHeight="{layout.DEFAULT_ROW_PT:g}"/>')
    if sheet.widths:
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>' for i, w in enumerate(sheet.widths, start=1)
        )
        out.append(f"<cols>{cols}</cols>")
    out.append("<sheetData>")
    return "".join(out)


_SIDE_CODES = {layout.LEFT: "&L", layout.RIGHT: "&R"}  # SpreadsheetML's header/footer section codes


def sheet_end(sheet: SheetPlan, drawing: str | None = None) -> str:
    """The worksheet part from </sheetData> on: merges, print setup, the drawing."""
    out = ["</sheetData>"]
    if sheet.merges:
        merges = "".join(f'<mergeCell ref="{cell_ref(t, x)}:{cell_ref(b, y)}"/>' for t, x, b, y in sheet.merges)
        out.append(f'<mergeCells count="{len(sheet.merges)}">{merges}</mergeCells>')
    page = sheet.page
    if page is not None:
        m = dict(page.margins)
        if page.centered:
            out.append('<printOptions horizontalCentered="1"/>')
        out.append(
            f'<pageMargins left="{m["left"]}" right="{m["right"]}" top="{m["top"]}" bottom="{m["bottom"]}" '
            f'header="{m["header"]}" footer="{m["footer"]}"/>'
        )
        fit = ' fitToWidth="1" fitToHeight="0"' if page.fit_width else ""
        orientation = "portrait" if page.portrait else "landscape"
        out.append(f'<pageSetup paperSize="{page.paper}" orientation="{orientation}"{fit}/>')
        odd, even = (escape(_SIDE_CODES[side] + text) for side, text in (page.footer_odd, page.footer_even))
        out.append(f'<headerFooter differentOddEven="1"><oddFooter>{odd}</oddFooter>'
                   f"<evenFooter>{even}</evenFooter></headerFooter>")  # fmt: skip
    if drawing:
        out.append(f'<drawing r:id="{drawing}"/>')
    out.append("</worksheet>")
    return "".join(out)


def sheet_xml(sheet: SheetPlan, style_index: Callable[[str], int], drawing: str | None = None) -> bytes:
    """The worksheet part for a sheet plan; `style_index` gives a style role's cellXfs index."""
    return b"".join(sheet_chunks(sheet, style_index, drawing))


def sheet_chunks(sheet: SheetPlan, style_index: Callable[[str], int], drawing: str | None = None) -> Iterator[bytes]:
    """`sheet_xml`'s bytes as they are made, a few thousand rows at a time: the whole text is never held."""
    rows = RowWriter(sheet, style_index).rows(0, sheet.rows)
    yield sheet_start(sheet).encode()
    while chunk := list(islice(rows, ROWS_AT_ONCE)):
        yield "".join(chunk).encode()
    yield sheet_end(sheet, drawing).encode()


def row_styles(sheet: SheetPlan, style_index: Callable[[str], int]) -> Callable[[int], list[int] | None]:
    """Row -> the style index of each column (None: an unstyled row); later areas win."""
    areas = [(a, style_index(a.role)) for a in sheet.areas]
    cache: dict[tuple[int, ...], list[int]] = {}
    bottom = max((a.bottom for a, _ in areas), default=-1)

    def styles(row: int) -> list[int] | None:
        if row > bottom:
            return None
        covering = tuple(i for i, (a, _) in enumerate(areas) if a.top <= row <= a.bottom)
        if not covering:
            return None
        if covering not in cache:
            found = [0] * (max(areas[i][0].right for i in covering) + 1)
            for i in covering:
                area, index = areas[i]
                found[area.left : area.right + 1] = [index] * (area.right - area.left + 1)
            cache[covering] = found
        return cache[covering]

    return styles
