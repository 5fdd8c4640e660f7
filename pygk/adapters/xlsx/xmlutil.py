"""Small helpers for SpreadsheetML trees: qualified names and schema-ordered insertion."""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from pygk.adapters.xlsx.package import NS_MAIN


def q(tag: str, ns: str = NS_MAIN) -> str:
    """Clark notation of a tag in a namespace (the main one by default)."""
    return f"{{{ns}}}{tag}"


def local(element: etree._Element) -> str:
    """A tag without its namespace."""
    return str(etree.QName(element).localname)


def child(parent: etree._Element, tag: str, order: Sequence[str], ns: str = NS_MAIN) -> etree._Element:
    """The first child with this tag, created at its schema position if absent."""
    found = parent.find(q(tag, ns))
    if found is None:
        found = etree.Element(q(tag, ns))
        insert_in_order(parent, found, order)
    return found


def insert_in_order(parent: etree._Element, element: etree._Element, order: Sequence[str]) -> None:
    """Insert before the first child that the schema's sequence puts after this element."""
    rank = {name: i for i, name in enumerate(order)}
    mine = rank[local(element)]
    for index, existing in enumerate(parent):
        if isinstance(existing.tag, str) and rank.get(local(existing), -1) > mine:
            parent.insert(index, element)
            return
    parent.append(element)


def fragment(xml: str) -> etree._Element:
    """An element from SpreadsheetML text written without a namespace declaration."""
    root = etree.fromstring(f'<root xmlns="{NS_MAIN}">{xml}</root>')
    return root[0]


def canonical(element: etree._Element) -> bytes:
    """Comparable bytes of an element, ignoring namespace prefixes and attribute order."""
    return bytes(etree.tostring(element, method="c14n"))


def quote_sheet(name: str) -> str:
    """A sheet name as formulas and defined names spell it: 'name' with quotes doubled."""
    return "'" + name.replace("'", "''") + "'"
