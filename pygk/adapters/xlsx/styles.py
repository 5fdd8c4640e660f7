"""The workbook's style table: find or add the formats pygk needs, never duplicating one.

Adding a record only when an identical one is missing keeps a second run from growing
styles.xml, so running twice gives the same file.
"""

from __future__ import annotations

from lxml import etree

from pygk.adapters.xlsx.package import Package
from pygk.adapters.xlsx.xmlutil import canonical, child, fragment, local, q
from pygk.core import texts
from pygk.core.layout import BORDER_WEIGHT, DEFAULT_FONT, HIGHLIGHTS, STYLES, Font, Style

STYLES_PART = "xl/styles.xml"
STYLESHEET_ORDER = (
    "numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs", "tableStyles",
    "colors", "extLst",
)  # fmt: skip
XF_ORDER = ("alignment", "protection", "extLst")


def _font_xml(font: Font) -> str:
    bold = "<b/>" if font.bold else ""
    color = f'<color rgb="FF{font.color}"/>' if font.color else ""
    name = f'<name val="{font.name}"/><family val="3"/><charset val="134"/>'
    return f'<font>{bold}<sz val="{font.size:g}"/>{color}{name}</font>'


MINIMAL_STYLES = (
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    f'<fonts count="1">{_font_xml(DEFAULT_FONT)}</fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    f'<cellStyles count="1"><cellStyle name="{texts.NORMAL_STYLE}" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _fill_xml(rgb: str) -> str:
    return (
        f'<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb}"/><bgColor indexed="64"/></patternFill></fill>'
    )


_BORDER = (
    "<border>"
    + "".join(
        f'<{side} style="{BORDER_WEIGHT}"><color auto="1"/></{side}>' for side in ("left", "right", "top", "bottom")
    )
    + "<diagonal/></border>"
)
NUMBER_FORMAT_IDS = {"General": 0, "0": 1, "0.00": 2}  # built-in formats pygk uses


class StyleBook:
    """Index lookups into styles.xml that add what is missing."""

    def __init__(self, package: Package) -> None:
        self.package = package
        if not package.has(STYLES_PART):
            _add_styles_part(package)
        self.root = package.xml(STYLES_PART)
        self._cache: dict[object, int] = {}
        if order_fonts(self.root):
            package.touch(STYLES_PART)

    def _index(self, collection: str, xml: str) -> int:
        """Index of an element equal to `xml` in a collection, appended if missing."""
        key = (collection, xml)
        if key in self._cache:
            return self._cache[key]
        parent = child(self.root, collection, STYLESHEET_ORDER)
        wanted = canonical(fragment(xml))
        found = next((i for i, existing in enumerate(parent) if canonical(existing) == wanted), None)
        if found is None:
            parent.append(fragment(xml))
            parent.set("count", str(len(parent)))
            self.package.touch(STYLES_PART)
            found = len(parent) - 1
        self._cache[key] = found
        return found

    def xf(self, style: Style) -> int:
        """The cellXfs index (a cell's s attribute) for a style."""
        if style in self._cache:
            return self._cache[style]
        font = self._index("fonts", _font_xml(style.font))
        fill = self._index("fills", _fill_xml(style.fill)) if style.fill else 0
        border = self._index("borders", _BORDER) if style.border else 0
        number = NUMBER_FORMAT_IDS[style.number_format]
        attributes = f'numFmtId="{number}" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0"'
        applied = "".join(
            f' {name}="1"' for name, used in (("applyNumberFormat", number), ("applyFont", True),
                                              ("applyFill", style.fill), ("applyBorder", style.border),
                                              ("applyAlignment", True)) if used
        )  # fmt: skip
        align = "".join(
            f' {name}="{value}"' for name, value in (("horizontal", style.horizontal), ("vertical", style.vertical),
                                                      ("wrapText", "1" if style.wrap else None),
                                                      ("indent", str(style.indent) if style.indent else None)) if value
        )  # fmt: skip
        index = self._index("cellXfs", f"<xf {attributes}{applied}><alignment{align}/></xf>")
        self._cache[style] = index
        return index

    def role(self, role: str) -> int:
        """The cellXfs index of a style role (layout.STYLES)."""
        return self.xf(STYLES[role])

    def dxf(self, kind: str) -> int:
        """The dxfs index of a highlight's differential format (for conditional formatting): fill and font colour."""
        fill, font_color = HIGHLIGHTS[kind]
        xml = (
            f'<dxf><font><color rgb="FF{font_color}"/></font><fill><patternFill patternType="solid">'
            f'<fgColor rgb="FF{fill}"/><bgColor rgb="FF{fill}"/></patternFill></fill></dxf>'
        )
        return self._index("dxfs", xml)


FONT_ORDER = ("b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign", "sz", "color", "name",
              "family", "charset", "scheme")  # fmt: skip


def order_fonts(root: etree._Element) -> bool:
    """Put each font's properties in the order strict readers expect (openpyxl writes name first); True if moved.

    The order carries no meaning: Excel reads either, but the Open XML SDK's schema is a sequence.
    """
    rank = {name: i for i, name in enumerate(FONT_ORDER)}
    moved = False
    for font in root.iter(q("font")):
        children = list(font)
        ordered = sorted(children, key=lambda e: rank.get(local(e), len(rank)) if isinstance(e.tag, str) else len(rank))
        if ordered != children:
            font[:] = ordered
            moved = True
    return moved


REL_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"


def _add_styles_part(package: Package) -> None:
    """A minimal styles part for a workbook that has none, related from the workbook and typed."""
    from pygk.adapters.xlsx.package import NS_PKG_REL, rels_name, set_content_type

    package.write(STYLES_PART, MINIMAL_STYLES.encode())
    set_content_type(package, STYLES_PART, CT_STYLES)
    rels_part = rels_name("xl/workbook.xml")
    if package.has(rels_part):
        rels = package.xml(rels_part)
        if not any(rel.get("Type") == REL_STYLES for rel in rels):
            ids = {rel.get("Id") for rel in rels}
            rel = etree.SubElement(rels, f"{{{NS_PKG_REL}}}Relationship")
            rel.set("Id", next(f"rId{n}" for n in range(1, len(ids) + 2) if f"rId{n}" not in ids))
            rel.set("Type", REL_STYLES)
            rel.set("Target", "styles.xml")
            package.touch(rels_part)
