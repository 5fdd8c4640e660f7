"""Worksheet XML for the sheets pygk owns, written as text in one pass (fast at 100,000 rows).

Strings go in as inline strings, so a value beginning with '=' stays text, never a formula.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pygk.adapters.xlsx.package import NS_MAIN, NS_R
from pygk.core import layout
from pygk.core.cells import cell_ref, column_letter
from pygk.core.values import format_number

INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

Cell = tuple[object, int]  # (value, style index)


def strip_invalid(text: str) -> str:
    """Text without the control characters XML 1.0 cannot hold."""
    return INVALID_XML.sub("", text)


def escape(text: str) -> str:
    """Text safe inside an XML element or attribute."""
    if text.isprintable() and "&" not in text and "<" not in text and ">" not in text and '"' not in text:
        return text  # the common case: printable text has no control characters and no U+FFFE/U+FFFF
    text = strip_invalid(text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def cell_xml(row: int, col: int, value: object, style: int) -> str:
    """One <c> element: a number, a boolean, inline text, or an empty styled cell."""
    return _cell(cell_ref(row, col), value, style)


def _cell(ref: str, value: object, style: int) -> str:
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return f'<c r="{ref}"{s}/>'
    kind = type(value)
    if kind is float:
        number = str(int(value)) if value.is_integer() else repr(value)
        return f'<c r="{ref}"{s}><v>{number}</v></c>'
    if kind is int:
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    if kind is bool:
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"{s}><v>{format_number(value)}</v></c>'
    text = str(value)
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def _plain_cells(values: Sequence[object], letters: list[str], row: int) -> str:
    """The cells of an unstyled row: the common types handled inline, the rest by _cell."""
    parts = []
    for col, value in enumerate(values):
        kind = type(value)
        if kind is str and value and value == value.strip() and "\n" not in value:
            parts.append(f'<c r="{letters[col]}{row}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
        elif kind is int:
            parts.append(f'<c r="{letters[col]}{row}"><v>{value}</v></c>')
        elif kind is float and value.is_integer():
            parts.append(f'<c r="{letters[col]}{row}"><v>{int(value)}</v></c>')
        elif value is not None and value != "":
            parts.append(_cell(f"{letters[col]}{row}", value, 0))
    return "".join(parts)


@dataclass
class SheetSpec:
    """A generated sheet: rows of cells, widths, merges and whether it is a printed annex."""

    rows: list[tuple[float | None, Sequence[Cell | None]]] = field(default_factory=list)
    widths: Sequence[float] = ()
    merges: Sequence[str] = ()
    printed: bool = False
    tab_color: str | None = None
    drawing: str | None = None  # relationship id of the sheet's drawing (charts)
    plain: Sequence[Sequence[object]] = ()  # unstyled rows after `rows`, written by a faster path


def sheet_xml(spec: SheetSpec) -> bytes:
    """The worksheet part for a spec."""
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_R}">']
    tab = f'<tabColor rgb="FF{spec.tab_color}"/>' if spec.tab_color else ""
    fit = '<pageSetUpPr fitToPage="1"/>' if spec.printed else ""
    if tab or fit:
        out.append(f"<sheetPr>{tab}{fit}</sheetPr>")
    width = max([len(cells) for _, cells in spec.rows] + [len(values) for values in spec.plain] or [1])
    out.append(f'<dimension ref="A1:{column_letter(max(width, 1) - 1)}{max(len(spec.rows) + len(spec.plain), 1)}"/>')
    out.append('<sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="14.25"/>')
    if spec.widths:
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>' for i, w in enumerate(spec.widths, start=1)
        )
        out.append(f"<cols>{cols}</cols>")
    out.append("<sheetData>")
    letters = [column_letter(c) for c in range(width)]
    for r, (height, cells) in enumerate(spec.rows, start=1):
        ht = f' ht="{height:g}" customHeight="1"' if height else ""
        body = "".join(_cell(f"{letters[c]}{r}", cell[0], cell[1]) for c, cell in enumerate(cells) if cell is not None)
        out.append(f'<row r="{r}"{ht}>{body}</row>')
    for r, values in enumerate(spec.plain, start=len(spec.rows) + 1):
        out.append(f'<row r="{r}">{_plain_cells(values, letters, r)}</row>')
    out.append("</sheetData>")
    if spec.merges:
        merges = "".join(f'<mergeCell ref="{m}"/>' for m in spec.merges)
        out.append(f'<mergeCells count="{len(spec.merges)}">{merges}</mergeCells>')
    if spec.printed:
        m = layout.margins_inches()
        out.append('<printOptions horizontalCentered="1"/>')
        out.append(
            f'<pageMargins left="{m["left"]}" right="{m["right"]}" top="{m["top"]}" bottom="{m["bottom"]}" '
            f'header="{m["header"]}" footer="{m["footer"]}"/>'
        )
        out.append(f'<pageSetup paperSize="{layout.PAPER_A4}" orientation="portrait" fitToWidth="1" fitToHeight="0"/>')
        out.append(f'<headerFooter differentOddEven="1"><oddFooter>{escape(layout.FOOTER_ODD)}</oddFooter>'
                   f"<evenFooter>{escape(layout.FOOTER_EVEN)}</evenFooter></headerFooter>")  # fmt: skip
    if spec.drawing:
        out.append(f'<drawing r:id="{spec.drawing}"/>')
    out.append("</worksheet>")
    return "".join(out).encode("utf-8")
