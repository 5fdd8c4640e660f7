"""Worksheet XML for the sheets pygk owns, written as text in one pass (fast at 100,000 rows).

Strings go in as inline strings, so a value beginning with '=' stays text, never a formula.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pygk import layout
from pygk.cells import cell_ref, column_letter
from pygk.values import format_number
from pygk.xlsx.package import NS_MAIN, NS_R

INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

Cell = tuple[object, int]  # (value, style index)


def strip_invalid(text: str) -> str:
    """Text without the control characters XML 1.0 cannot hold."""
    return INVALID_XML.sub("", text)


def escape(text: str) -> str:
    """Text safe inside an XML element or attribute."""
    text = strip_invalid(text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def cell_xml(row: int, col: int, value: object, style: int) -> str:
    """One <c> element: a number, a boolean, inline text, or an empty styled cell."""
    ref = cell_ref(row, col)
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return f'<c r="{ref}"{s}/>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"{s}><v>{format_number(value)}</v></c>'
    text = str(value)
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


@dataclass
class SheetSpec:
    """A generated sheet: rows of cells, widths, merges and whether it is a printed annex."""

    rows: list[tuple[float | None, Sequence[Cell | None]]] = field(default_factory=list)
    widths: Sequence[float] = ()
    merges: Sequence[str] = ()
    printed: bool = False
    tab_color: str | None = None
    drawing: str | None = None  # relationship id of the sheet's drawing (charts)


def sheet_xml(spec: SheetSpec) -> bytes:
    """The worksheet part for a spec."""
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_R}">']
    tab = f'<tabColor rgb="FF{spec.tab_color}"/>' if spec.tab_color else ""
    fit = '<pageSetUpPr fitToPage="1"/>' if spec.printed else ""
    if tab or fit:
        out.append(f"<sheetPr>{tab}{fit}</sheetPr>")
    width = max((len(cells) for _, cells in spec.rows), default=1)
    out.append(f'<dimension ref="A1:{column_letter(max(width, 1) - 1)}{max(len(spec.rows), 1)}"/>')
    out.append('<sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="14.25"/>')
    if spec.widths:
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>' for i, w in enumerate(spec.widths, start=1)
        )
        out.append(f"<cols>{cols}</cols>")
    out.append("<sheetData>")
    for r, (height, cells) in enumerate(spec.rows):
        ht = f' ht="{height:g}" customHeight="1"' if height else ""
        body = "".join(cell_xml(r, c, cell[0], cell[1]) for c, cell in enumerate(cells) if cell is not None)
        out.append(f'<row r="{r + 1}"{ht}>{body}</row>')
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
        out.append(f"<headerFooter><oddFooter>{escape(layout.FOOTER)}</oddFooter></headerFooter>")
    if spec.drawing:
        out.append(f'<drawing r:id="{spec.drawing}"/>')
    out.append("</worksheet>")
    return "".join(out).encode("utf-8")
