"""One neutral reading of a workbook, for the contract test: what a clerk would see, whoever wrote it.

`read_file` reads a workbook file with openpyxl (an independent reader); `read_replay` reads what
xlwings' remote engine recorded, as Excel would hold it after those actions. Both give a
`Reading`: per sheet values, each styled cell's look, merges, widths, row heights, print area,
highlighted rows and charts.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from lxml import etree
from openpyxl.utils import get_column_letter, range_boundaries

from pygk.core.ownership import MARK_FORMULA

Look = tuple[str | None, float | None, bool, str | None, str | None, str | None, str | None, str | None, bool, int, str]
# font name, size, bold, font colour, fill, border weight all round (None: none), horizontal, vertical, wrap,
# indent, number format
DEFAULT_LOOK: dict[str, object] = {"name": None, "size": None, "bold": False, "color": None, "fill": None,
                                   "border": None, "horizontal": None, "vertical": None, "wrap": False, "indent": 0,
                                   "number_format": "General"}  # fmt: skip
NS_C = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
        "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}  # fmt: skip


@dataclass
class SheetReading:
    values: list[tuple[object, ...]] = field(default_factory=list)
    looks: dict[tuple[int, int], Look] = field(default_factory=dict)
    merges: set[str] = field(default_factory=set)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    print_area: str | None = None
    highlights: set[tuple[int, int, int, str, str]] = field(default_factory=set)  # row, cols, fill, font colour
    charts: list[tuple[str, str, str, tuple[str, ...], bool, bool]] = field(default_factory=list)
    # each chart's place and shape: anchor column, top (points), width and height (cm), bars across, has markers
    chart_shapes: list[tuple[int | None, float, float, float, bool, bool]] = field(default_factory=list)
    markers: list[str | None] = field(default_factory=list)  # each line chart's marker symbol (the file's)


def _look(props: dict[str, object]) -> Look:
    p = {**DEFAULT_LOOK, **props}
    size = p["size"]
    return (p["name"], None if size is None else float(size), bool(p["bold"]), p["color"], p["fill"],  # type: ignore[return-value]
            p["border"], p["horizontal"], p["vertical"], bool(p["wrap"]), int(p["indent"]),
            str(p["number_format"]))  # fmt: skip


def _drop_hidden(reading: SheetReading) -> None:
    """Cells under a merge other than its first are not seen (openpyxl reads them without a style)."""
    for merge in reading.merges:
        min_col, min_row, max_col, max_row = range_boundaries(merge)
        for r in range(min_row - 1, max_row):
            for c in range(min_col - 1, max_col):
                if (r, c) != (min_row - 1, min_col - 1):
                    reading.looks.pop((r, c), None)


def trimmed(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """Rows without trailing empty cells and trailing empty rows."""
    out = [tuple(row[: max((i + 1 for i, v in enumerate(row) if v is not None), default=0)]) for row in rows]
    while out and not out[-1]:
        out.pop()
    return out


def _rgb(color: object) -> str | None:
    value = getattr(color, "rgb", None)
    return value[-6:].upper() if isinstance(value, str) else None


def read_file(path: Path) -> dict[str, SheetReading]:
    """Every sheet of a workbook file, read with openpyxl and, for charts, the chart parts."""
    book = openpyxl.load_workbook(path)
    out: dict[str, SheetReading] = {}
    for sheet in book.worksheets:
        reading = SheetReading(values=trimmed([tuple(r) for r in sheet.iter_rows(values_only=True)]))
        for row in sheet.iter_rows():
            for cell in row:
                if not cell.has_style or cell.style_id == 0:
                    continue
                font, fill, border, align = cell.font, cell.fill, cell.border, cell.alignment
                sides = (border.left, border.right, border.top, border.bottom)
                reading.looks[(cell.row - 1, cell.column - 1)] = _look({
                    "name": font.name, "size": font.sz, "bold": bool(font.b), "color": _rgb(font.color),
                    "fill": _rgb(fill.fgColor) if fill.patternType == "solid" else None,
                    "border": sides[0].style if len({s.style for s in sides}) == 1 else None,
                    "horizontal": align.horizontal, "vertical": align.vertical, "wrap": bool(align.wrap_text),
                    "indent": int(align.indent or 0), "number_format": cell.number_format,
                })  # fmt: skip
        reading.merges = {str(m) for m in sheet.merged_cells.ranges}
        reading.widths = {
            openpyxl.utils.column_index_from_string(k) - 1: float(d.width)
            for k, d in sheet.column_dimensions.items()
            if d.customWidth
        }
        for dim in sheet.column_dimensions.values():  # openpyxl groups equal columns under min..max
            if dim.customWidth and dim.min and dim.max:
                for col in range(dim.min, dim.max + 1):
                    reading.widths[col - 1] = float(dim.width)
        reading.heights = {r - 1: float(d.height) for r, d in sheet.row_dimensions.items() if d.customHeight}
        if sheet.print_area:
            reading.print_area = sheet.print_area.split("!")[-1]
        for formatting in sheet.conditional_formatting:
            for rule in formatting.rules:
                if rule.formula != [MARK_FORMULA]:
                    continue
                fill = "#" + rule.dxf.fill.fgColor.rgb[-6:].lower()
                font = "#" + rule.dxf.font.color.rgb[-6:].lower()
                for cells in formatting.sqref.ranges:
                    for r in range(cells.min_row, cells.max_row + 1):
                        reading.highlights.add((r - 1, cells.min_col - 1, cells.max_col - 1, fill, font))
        _drop_hidden(reading)
        out[sheet.title] = reading
    _read_charts(path, book, out)
    return out


def _read_charts(path: Path, book: openpyxl.Workbook, out: dict[str, SheetReading]) -> None:
    shapes: list[tuple[bool, bool]] = []
    with zipfile.ZipFile(path) as archive:
        charts = sorted((n for n in archive.namelist() if n.startswith("xl/charts/chart")),
                        key=lambda n: int(n.removeprefix("xl/charts/chart").removesuffix(".xml")))  # fmt: skip
        for name in charts:
            root = etree.fromstring(archive.read(name))
            kind = "bar" if root.xpath("//c:barChart", namespaces=NS_C) else "line"
            title = "".join(root.xpath("//c:title//a:t/text()", namespaces=NS_C))
            refs = [f.split("!")[-1].replace("$", "") for f in root.xpath("//c:ser/c:cat//c:f/text()", namespaces=NS_C)]
            series = tuple(
                f"{t.split('!')[-1]}|{v.split('!')[-1]}".replace("$", "")
                for t, v in zip(root.xpath("//c:ser/c:tx//c:f/text()", namespaces=NS_C),
                                root.xpath("//c:ser/c:val//c:f/text()", namespaces=NS_C))
            )  # fmt: skip
            reverse = root.xpath("//c:catAx/c:scaling/c:orientation/@val", namespaces=NS_C) == ["maxMin"]
            legend = bool(root.xpath("//c:legend", namespaces=NS_C))
            out["趋势"].charts.append((kind, title, refs[0] if refs else "", series, reverse, legend))
            across = root.xpath("//c:barChart/c:barDir/@val", namespaces=NS_C) == ["bar"]
            symbols = root.xpath("//c:lineChart/c:ser/c:marker/c:symbol/@val", namespaces=NS_C)
            if kind == "line":
                out["趋势"].markers.append(symbols[0] if symbols and len(set(symbols)) == 1 else None)
            shapes.append((across, bool(symbols) and "none" not in symbols))
        row_pt = float(book["趋势"].sheet_format.defaultRowHeight) if "趋势" in book.sheetnames else 0.0
        for (col, row, width, height), (across, marked) in zip(_anchors(archive), shapes):
            out["趋势"].chart_shapes.append((col, round(row * row_pt, 2), width, height, across, marked))


def _anchors(archive: zipfile.ZipFile) -> list[tuple[int, int, float, float]]:
    """Each drawing's charts in order: anchor column and row, width and height in cm."""
    xdr = {"xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"}
    out = []
    for name in sorted(n for n in archive.namelist() if n.startswith("xl/drawings/drawing") and n.endswith(".xml")):
        for anchor in etree.fromstring(archive.read(name)).xpath("//xdr:oneCellAnchor", namespaces=xdr):
            col, row = (int(anchor.xpath(f"xdr:from/xdr:{k}/text()", namespaces=xdr)[0]) for k in ("col", "row"))
            ext = anchor.xpath("xdr:ext", namespaces=xdr)[0]
            out.append((col, row, round(int(ext.get("cx")) / 360000, 2), round(int(ext.get("cy")) / 360000, 2)))
    return out


_ALIGN = {"Center": "center", "Left": "left", "Top": "top", "Right": "right", "Bottom": "bottom"}


def read_replay(replay) -> dict[str, SheetReading]:  # noqa: ANN001 - tests/xlwings_replay.Replay
    """Every sheet as Excel would hold it after the remote engine's recorded actions."""
    out = {name: SheetReading(values=[tuple(r) for r in replay.grid(name)]) for name in replay.names}
    props: dict[str, dict[tuple[int, int], dict[str, object]]] = {name: {} for name in replay.names}
    borders: dict[str, dict[tuple[int, int], set[str]]] = {name: {} for name in replay.names}
    weights: dict[str, dict[tuple[int, int], set[str]]] = {name: {} for name in replay.names}
    chart_actions: list[tuple[str, str, list]] = []
    for name, func, args, (top, left, rows, cols) in replay.formats:
        reading = out[name]
        if func in ("addChart", "setChartTitle", "setChartAxis", "setChartLegend"):
            chart_actions.append((name, func, args))
            continue
        cells = [(r, c) for r in range(top or 0, (top or 0) + (rows or 0))
                 for c in range(left or 0, (left or 0) + (cols or 0))]  # fmt: skip
        setting: dict[str, object] = {}
        if func == "setFontProperty":
            key, value = args
            setting = {"color": value.lstrip("#").upper()} if key == "color" else {key: value}
        elif func == "setRangeColor":
            setting = {"fill": args[0].lstrip("#").upper()}
        elif func in ("setHorizontalAlignment", "setVerticalAlignment"):
            setting = {"horizontal" if func == "setHorizontalAlignment" else "vertical": _ALIGN[args[0]]}
        elif func == "setWrapText":
            setting = {"wrap": args[0]}
        elif func == "setNumberFormat":
            setting = {"number_format": args[0]}
        elif func == "rangeAdjustIndent":
            setting = {"indent": args[0] if isinstance(args, list) else args}
        elif func == "setBorderProperty":
            side, attribute, value = args
            if attribute == "line_style" and value == "continuous":
                for cell in cells:
                    borders[name].setdefault(cell, set()).add(side)
            elif attribute == "weight":
                for cell in cells:
                    weights[name].setdefault(cell, set()).add(value)
        elif func == "rangeMerge":
            reading.merges.add(f"{get_column_letter(left + 1)}{top + 1}:{get_column_letter(left + cols)}{top + rows}")
        elif func == "setColumnWidth":
            reading.widths.update({c: float(args[0]) for c in range(left, left + cols)})
        elif func == "setRowHeight":
            reading.heights.update({r: float(args[0]) for r in range(top, top + rows)})
        elif func == "setPrintArea":
            reading.print_area = args[0]
        elif func == "addConditionalFormat":
            rule = args[0]
            for r in range(top, top + rows):
                reading.highlights.add((r, left, left + cols - 1, rule["fill_color"], rule["font_color"]))
        for cell in cells:
            if setting:
                props[name].setdefault(cell, {}).update(setting)
    for name, by_cell in borders.items():
        for cell, sides in by_cell.items():
            if {"edge_top", "edge_bottom", "edge_left", "edge_right"} <= sides:
                weight = weights[name].get(cell, set())
                props[name].setdefault(cell, {})["border"] = next(iter(weight)) if len(weight) == 1 else None
    for name, by_cell in props.items():
        out[name].looks = {cell: _look(p) for cell, p in by_cell.items()}
        _drop_hidden(out[name])
    _replay_charts(chart_actions, out)
    return out


def _span(col: int, first: int, last: int) -> str:
    letter = get_column_letter(col)
    return f"{letter}{first}" if first == last else f"{letter}{first}:{letter}{last}"


def _replay_charts(actions: list[tuple[str, str, list]], out: dict[str, SheetReading]) -> None:
    """Charts from addChart (the source range: first column categories, first row series titles) and its settings."""
    for name, func, args in actions:
        charts = out[name].charts
        if func == "addChart":
            min_col, min_row, max_col, max_row = range_boundaries(args[3].replace("$", ""))
            series = tuple(f"{get_column_letter(c)}{min_row}|{_span(c, min_row + 1, max_row)}"
                           for c in range(min_col + 1, max_col + 1))  # fmt: skip
            kind = "bar" if args[1].startswith(("Bar", "Column")) else "line"
            charts.append((kind, "", _span(min_col, min_row + 1, max_row), series, False, True))
            left, top, width, height = (float(a) for a in args[4:8])
            out[name].chart_shapes.append((0 if left == 0 else None, round(top, 2), round(width * 2.54 / 72, 2),
                                           round(height * 2.54 / 72, 2), args[1].startswith("Bar"),
                                           "Markers" in args[1]))  # fmt: skip
            continue
        index = args[0]
        kind, title, cat, series, reverse, legend = charts[index]
        if func == "setChartTitle":
            title = args[1]
        elif func == "setChartAxis" and args[1] == "category" and args[2] == {"reverse_order": True}:
            reverse = True
        elif func == "setChartLegend" and args[1:] == ["visible", False]:
            legend = False
        charts[index] = (kind, title, cat, series, reverse, legend)
