"""The 趋势 sheet's native Excel charts, made with openpyxl's chart objects.

openpyxl builds the chart and drawing XML (so the charts stay editable in Excel, WPS and
LibreOffice); this module only places those parts in the package and relates them to
the sheet. openpyxl is imported here alone, when a chart is written.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from typing import Any

from lxml import etree

from pygk.adapters.xlsx.package import NS_PKG_REL, NS_R, Package, rels_name, resolve, set_content_type
from pygk.adapters.xlsx.xmlutil import quote_sheet
from pygk.core import layout
from pygk.core.cells import cell_ref
from pygk.core.ownership import CHART_PREFIX
from pygk.core.sheets import Chart

CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
REL_DRAWING = NS_R + "/drawing"
NS_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"


def _reference(sheet: str, col: int, first: int, last: int) -> Any:
    from openpyxl.chart import Reference
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(col + 1)
    return Reference(range_string=f"{quote_sheet(sheet)}!${letter}${first + 1}:${letter}${last + 1}")


def build_chart(sheet: str, spec: Chart) -> Any:
    """An openpyxl chart object for a chart of a sheet plan."""
    from openpyxl.chart import BarChart, LineChart

    chart: Any
    if spec.kind == layout.BAR_CHART:
        chart = BarChart()
        chart.type = "bar" if spec.horizontal else "col"
    else:
        chart = LineChart()
    if spec.reverse_categories:
        chart.x_axis.scaling.orientation = "maxMin"
    if not spec.legend:
        chart.legend = None
    chart.height = spec.height_cm
    chart.title = spec.title
    chart.width = spec.width_cm
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    for col, title_row, _first, last in spec.series:
        chart.add_data(_reference(sheet, col, title_row, last), titles_from_data=True)
    chart.set_categories(_reference(sheet, *spec.categories))
    if spec.kind == layout.LINE_CHART:
        for series in chart.series:
            series.marker.symbol = spec.marker or "none"
            series.smooth = False
    chart.anchor = cell_ref(spec.anchor_row, spec.anchor_col)
    return chart


def _free_number(package: Package, pattern: str) -> int:
    """The first number whose part (and its relationships part) no existing part has, ignoring case."""
    names = {n.casefold() for n in package.names()}
    number = 1
    while pattern.format(number).casefold() in names or rels_name(pattern.format(number)).casefold() in names:
        number += 1
    return number


def remove_drawings(package: Package, sheet_part: str) -> None:
    """Delete the drawings (and their charts) a sheet's relationships point to, and those relationships."""
    rels_part = rels_name(sheet_part)
    if not package.has(rels_part):
        return
    for rel in package.xml(rels_part):
        if rel.get("Type") != REL_DRAWING:
            continue
        drawing = resolve(sheet_part, rel.get("Target"))
        if package.has(rels_name(drawing)):
            for inner in package.xml(rels_name(drawing)):
                _remove_part(package, resolve(drawing, inner.get("Target")))
            package.remove(rels_name(drawing))
        _remove_part(package, drawing)
    package.remove(rels_part)


def _remove_part(package: Package, part: str) -> None:
    if package.has(part):
        package.remove(part)
    set_content_type(package, part, None)


def add_charts(package: Package, sheet_part: str, sheet_name: str, specs: Sequence[Chart]) -> str:
    """Write a drawing with these charts for a sheet; returns the r:id the sheet's <drawing> must use."""
    from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
    from openpyxl.xml.functions import tostring

    drawing = SpreadsheetDrawing()
    drawing._id = _free_number(package, "xl/drawings/drawing{}.xml")
    number = _free_number(package, "xl/charts/chart{}.xml")
    for spec in specs:
        chart = build_chart(sheet_name, spec)
        chart._id = number
        number += 1
        drawing.charts.append(chart)
        package.write(chart.path.lstrip("/"), tostring(chart._write()))
        set_content_type(package, chart.path, CT_CHART)
    drawing_part = drawing.path.lstrip("/")
    drawing_xml = drawing._write()
    for n, properties in enumerate(drawing_xml.iter("cNvPr"), start=1):  # openpyxl's tree: default namespace
        properties.set("name", f"{CHART_PREFIX}{n}")  # how pygk tells its charts from the clerk's
    package.write(drawing_part, tostring(drawing_xml))
    package.write(rels_name(drawing_part), tostring(drawing._write_rels()))
    set_content_type(package, drawing.path, CT_DRAWING)
    rels = etree.Element(f"{{{NS_PKG_REL}}}Relationships", nsmap={None: NS_PKG_REL})
    rel = etree.SubElement(rels, f"{{{NS_PKG_REL}}}Relationship")
    rel.set("Id", "rId1")
    rel.set("Type", REL_DRAWING)
    rel.set("Target", posixpath.relpath(drawing_part, posixpath.dirname(sheet_part)))
    package.write(rels_name(sheet_part), etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True))
    return "rId1"
