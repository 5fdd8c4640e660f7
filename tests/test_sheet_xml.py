"""The generated-sheet writer: every kind of cell and row shape written as the sheet plan says."""

from __future__ import annotations

from lxml import etree

from pygk.adapters.xlsx.sheet_xml import sheet_xml
from pygk.core.sheets import Area, SheetPlan

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
ROLES = {"a": 3, "b": 4}


def _cells(plan: SheetPlan) -> list[tuple[str, str | None, str | None, str | None]]:
    """(ref, style, type, text) of every <c> written, in order."""
    root = etree.fromstring(sheet_xml(plan, ROLES.__getitem__))
    found = []
    for c in root.iterfind(".//m:c", NS):
        text = "".join(c.itertext()) if len(c) else None
        found.append((c.get("r"), c.get("s"), c.get("t"), text))
    return found


def test_unstyled_rows_leave_out_empty_cells_and_keep_each_values_type() -> None:
    rows = [
        [1, 1.0, True, 2.5, "x", None],
        [None, "", " y", False, 10**20, 1e20],
        [None, None, None, None, "z"],
        [],
        [1, 2, 3, 4, 5, 6],
    ]
    assert _cells(SheetPlan("s", rows)) == [
        ("A1", None, None, "1"), ("B1", None, None, "1"), ("C1", None, "b", "1"), ("D1", None, None, "2.5"),
        ("E1", None, "inlineStr", "x"),
        ("C2", None, "inlineStr", " y"), ("D2", None, "b", "0"), ("E2", None, None, "100000000000000000000"),
        ("F2", None, None, "100000000000000000000"),
        ("E3", None, "inlineStr", "z"),
        ("A5", None, None, "1"), ("B5", None, None, "2"), ("C5", None, None, "3"), ("D5", None, None, "4"),
        ("E5", None, None, "5"), ("F5", None, None, "6"),
    ]  # fmt: skip


def test_styled_rows_write_every_styled_column_and_only_values_of_unstyled_ones() -> None:
    areas = (Area(0, 0, 1, 0, "a"), Area(0, 2, 1, 3, "b"))  # column B unstyled, E past the styles
    rows = [[None, "", None, 7, "past"], ["n", None, ""], [None, "", 1]]
    assert _cells(SheetPlan("s", rows, areas)) == [
        ("A1", "3", None, None), ("B1", None, None, None), ("C1", "4", None, None), ("D1", "4", None, "7"),
        ("A2", "3", "inlineStr", "n"), ("C2", "4", None, None), ("D2", "4", None, None),
        ("C3", None, None, "1"),
    ]  # fmt: skip


def test_rows_alike_share_a_pattern_and_heights_change_it() -> None:
    areas = (Area(1, 0, 4, 1, "a"),)
    rows = [["h"], *([f"u{i}", float(i)] for i in range(4))]
    plan = SheetPlan("s", rows, areas, heights=((1, 2, 18.0), (3, 4, 30.5)))
    root = etree.fromstring(sheet_xml(plan, ROLES.__getitem__))
    got = [(r.get("r"), r.get("ht"), [c.get("s") for c in r]) for r in root.iterfind(".//m:row", NS)]
    assert got == [("1", None, [None]), ("2", "18", ["3", "3"]), ("3", "18", ["3", "3"]), ("4", "30.5", ["3", "3"]),
                   ("5", "30.5", ["3", "3"])]  # fmt: skip
    assert _cells(plan)[-1] == ("B5", "3", None, "3")


def test_texts_are_escaped_kept_or_stripped_of_what_xml_cannot_hold_in_any_column() -> None:
    plain = [f"单位{i}" for i in range(6)]
    odd = ["a&b", " lead", "x\ny", "bad\x01char", '"q"<>', "ok"]
    written = _cells(SheetPlan("s", [[p, o] for p, o in zip(plain, odd)]))
    assert [text for ref, _, _, text in written if ref.startswith("A")] == plain
    assert [text for ref, _, _, text in written if ref.startswith("B")] == [
        "a&b", " lead", "x\ny", "badchar", '"q"<>', "ok"
    ]  # fmt: skip
    root = etree.fromstring(sheet_xml(SheetPlan("s", [[o] for o in odd]), ROLES.__getitem__))
    kept = [t.get("{http://www.w3.org/XML/1998/namespace}space") for t in root.iterfind(".//m:t", NS)]
    assert kept == [None, "preserve", "preserve", None, None, None]


def test_a_carriage_return_reads_back_as_itself_not_as_a_line_feed() -> None:
    texts = ["回车\r符", "a\r\nb", "x\ry"]  # a unit name or setting with a CR (pasted from another program)
    for rows in ([[t] for t in texts], [[t, i] for i, t in enumerate(texts)]):
        written = _cells(SheetPlan("s", rows))
        assert [text for ref, _, _, text in written if ref.startswith("A")] == texts
