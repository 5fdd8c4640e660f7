"""The adversarial corpus of hostile and broken workbooks, each built from the demo template by code.

Every case starts from workbook/政务公开通报.xlsx and edits zip members with zipfile and
plain byte edits, so no opaque binary is committed. `CASES` maps a case name to a builder
`build(target) -> target`; the bombs are built lazily, streaming, when their test asks.

    python tests/hostile_corpus.py OUT_DIR        # writes every case (bombs included) into OUT_DIR
"""

from __future__ import annotations

import re
import sys
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "workbook" / "政务公开通报.xlsx"
INPUT_PART = "xl/worksheets/sheet2.xml"  # the 区直单位 input sheet
INPUT_SHEET = "区直单位"
SETTINGS_PART = "xl/worksheets/sheet1.xml"
BULLETIN_PART = "xl/worksheets/sheet4.xml"
MB = 2**20

Edit = Callable[[bytes], bytes]


# --- building blocks ------------------------------------------------------------------
def rebuild(
    target: Path,
    edits: dict[str, Edit] | None = None,
    renames: dict[str, str] | None = None,
    extra: list[tuple[str, bytes]] | None = None,
    drop: tuple[str, ...] = (),
    stored: tuple[str, ...] = (),
) -> Path:
    """A copy of the template with parts edited, renamed, added (duplicates allowed) or dropped."""
    edits, renames = edits or {}, renames or {}
    with zipfile.ZipFile(TEMPLATE) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name in source.namelist():
            if name in drop:
                continue
            data = source.read(name)
            if name in edits:
                data = edits[name](data)
            method = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            out.writestr(zipfile.ZipInfo(renames.get(name, name), (1980, 1, 1, 0, 0, 0)), data, method)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # zipfile warns about a duplicate name: that is the point
            for name, data in extra or []:
                out.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return target


def template_part(name: str) -> bytes:
    """One part of the template as it is."""
    with zipfile.ZipFile(TEMPLATE) as source:
        return source.read(name)


def replace_cell(ref: str, xml: str) -> Edit:
    """An edit replacing the cell `ref` (which must exist) with the given <c> XML."""

    def edit(data: bytes) -> bytes:
        pattern = rb'<c r="' + ref.encode() + rb'"(?:[^>]*/>|[^>]*>.*?</c>)'
        new, count = re.subn(pattern, xml.encode("utf-8"), data, count=1, flags=re.S)
        assert count == 1, ref
        return new

    return edit


def append_to_row(row: int, xml: str) -> Edit:
    """An edit appending cells to the end of row `row` (1-based)."""

    def edit(data: bytes) -> bytes:
        pattern = rb'(<row r="' + str(row).encode() + rb'"[^>]*>.*?)(</row>)'
        new, count = re.subn(
            pattern, lambda m: m.group(1) + xml.encode("utf-8") + m.group(2), data, count=1, flags=re.S
        )
        assert count == 1, row
        return new

    return edit


def before(marker: bytes, xml: bytes) -> Edit:
    """An edit inserting bytes before the first `marker`."""

    def edit(data: bytes) -> bytes:
        assert marker in data, marker
        return data.replace(marker, xml + marker, 1)

    return edit


def after(marker: bytes, xml: bytes) -> Edit:
    """An edit inserting bytes after the first `marker`."""

    def edit(data: bytes) -> bytes:
        assert marker in data, marker
        return data.replace(marker, marker + xml, 1)

    return edit


def chain(*edits: Edit) -> Edit:
    """Several edits applied in order."""

    def edit(data: bytes) -> bytes:
        for step in edits:
            data = step(data)
        return data

    return edit


def text_cell(ref: str, text: str) -> str:
    """An inline-string cell."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;")
    return f'<c r="{ref}" t="inlineStr"><is><t>{escaped}</t></is></c>'


def number_cell(ref: str, value: str, style: int | None = None) -> str:
    """A number cell with its stored text as given (INF, 1_0, ...)."""
    s = f' s="{style}"' if style is not None else ""
    return f'<c r="{ref}"{s}><v>{value}</v></c>'


def score(ref: str, xml: str) -> Callable[[Path], Path]:
    """A case: one score cell of the 区直单位 sheet replaced."""
    return lambda target: rebuild(target, {INPUT_PART: replace_cell(ref, xml)})


# --- 1. positions past Excel's grid -------------------------------------------------------
def row_past_limit(target: Path) -> Path:
    """A <row r="2000000"> in the input sheet (Excel has 1,048,576 rows)."""
    row = '<row r="2000000">' + text_cell("A2000000", "幽灵单位") + "</row>"
    return rebuild(target, {INPUT_PART: before(b"</sheetData>", row.encode())})


def column_past_limit(target: Path) -> Path:
    """A cell XFE2 (one past XFD, Excel's last column)."""
    return rebuild(target, {INPUT_PART: append_to_row(2, number_cell("XFE2", "1"))})


def row_number_not_a_number(target: Path) -> Path:
    """A row numbered '1_0': Python's int() reads it as 10, Excel and pygk's patcher do not."""
    return rebuild(target, {INPUT_PART: lambda d: d.replace(b'<row r="3">', b'<row r="1_0">', 1)})


def huge_sparse_sheet(target: Path) -> Path:
    """A cell in column XFD on each of 2,000 rows: legal positions, but 33 million grid cells."""
    rows = "".join(f'<row r="{r}">' + number_cell(f"XFD{r}", "1") + "</row>" for r in range(300, 2300))
    return rebuild(target, {INPUT_PART: before(b"</sheetData>", rows.encode())})


def table_ends_at_xfd(target: Path) -> Path:
    """The clerk's header row reaches column XFD, so 总分 would land in XFE."""
    return rebuild(target, {INPUT_PART: append_to_row(1, text_cell("XFD1", "备注"))})


def table_ends_at_xfb(target: Path) -> Path:
    """The header row reaches XFB: 总分 fits in XFC, the legend (a column further right) does not."""
    return rebuild(target, {INPUT_PART: append_to_row(1, text_cell("XFB1", "备注"))})


# --- 2. the zip directory -------------------------------------------------------------------
def _streamed_part(target: Path, name: str, head: bytes, filler_bytes: int, tail: bytes) -> Path:
    """The template with part `name` replaced by head + spaces + tail, streamed so memory stays small."""
    chunk = b" " * MB
    with zipfile.ZipFile(TEMPLATE) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.namelist():
            if item != name:
                out.writestr(zipfile.ZipInfo(item, (1980, 1, 1, 0, 0, 0)), source.read(item), zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with out.open(info, "w", force_zip64=True) as stream:
            stream.write(head)
            for _ in range(filler_bytes // MB):
                stream.write(chunk)
            stream.write(tail)
    return target


def _sheet_bomb(target: Path, filler_bytes: int) -> Path:
    data = template_part(INPUT_PART)
    cut = data.index(b"</sheetData>")
    return _streamed_part(target, INPUT_PART, data[:cut], filler_bytes, data[cut:])


def size_bomb(target: Path) -> Path:
    """The input sheet inflates to 300 MB of whitespace (over the 256 MB part limit) from about 300 KB."""
    return _sheet_bomb(target, 300 * MB)


def ratio_bomb(target: Path) -> Path:
    """The input sheet inflates to 64 MB from about 64 KB: under the size limit, a 1000:1 ratio."""
    return _sheet_bomb(target, 64 * MB)


def duplicate_entry(target: Path) -> Path:
    """The input sheet twice in the zip, the second copy with other scores."""
    other = replace_cell("C2", number_cell("C2", "0"))(template_part(INPUT_PART))
    return rebuild(target, extra=[(INPUT_PART, other)])


def case_collision(target: Path) -> Path:
    """A second part whose name differs from the input sheet's only in case."""
    return rebuild(target, extra=[("xl/worksheets/Sheet2.xml", template_part(INPUT_PART))])


def many_parts(target: Path, count: int = 40) -> Path:
    """The template plus `count` small extra parts (a large central directory when count is large)."""
    return rebuild(target, extra=[(f"customXml/item{n}.xml", b"<a/>") for n in range(count)])


def big_parts(target: Path, count: int = 4, size: int = 600_000) -> Path:
    """The template plus `count` incompressible-ish parts of `size` bytes each."""
    import random

    rnd = random.Random(5)
    return rebuild(target, extra=[(f"xl/media/image{n}.bin", rnd.randbytes(size)) for n in range(count)])


# --- 5. where the workbook part is ----------------------------------------------------------
def _moved_workbook(target: Path, new: str, rels_rewrite: Edit | None = None) -> Path:
    folder, base = new.rsplit("/", 1)
    new_rels = f"{folder}/_rels/{base}.rels"
    return rebuild(
        target,
        edits={
            "_rels/.rels": lambda d: d.replace(b"xl/workbook.xml", b"/" + new.encode()),
            "[Content_Types].xml": lambda d: d.replace(b"/xl/workbook.xml", b"/" + new.encode()),
            **({"xl/_rels/workbook.xml.rels": rels_rewrite} if rels_rewrite else {}),
        },
        renames={"xl/workbook.xml": new, "xl/_rels/workbook.xml.rels": new_rels},
    )


def workbook_at_xl_main(target: Path) -> Path:
    """A legal package whose workbook part is xl/main.xml."""
    return _moved_workbook(target, "xl/main.xml")


def workbook_at_wb_book(target: Path) -> Path:
    """A legal package whose workbook part is /wb/book.xml; styles and theme stay in xl/, related by absolute names."""
    rewrite = chain(
        lambda d: d.replace(b'Target="styles.xml"', b'Target="/xl/styles.xml"'),
        lambda d: d.replace(b'Target="theme/theme1.xml"', b'Target="../xl/theme/theme1.xml"'),
    )
    return _moved_workbook(target, "wb/book.xml", rewrite)


def styles_elsewhere(target: Path) -> Path:
    """A workbook whose styles part is wb/styles.xml (pygk edits styles only at xl/styles.xml)."""
    rewrite = lambda d: d.replace(b'Target="styles.xml"', b'Target="/wb/styles.xml"')  # noqa: E731
    path = _moved_workbook(target, "wb/book.xml", rewrite)
    moved = target.with_name("moved-" + target.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(moved, "w", zipfile.ZIP_DEFLATED) as out:
        for name in source.namelist():
            out.writestr("wb/styles.xml" if name == "xl/styles.xml" else name, source.read(name))
    moved.replace(target)
    return target


def no_office_document(target: Path) -> Path:
    """_rels/.rels without the officeDocument relationship."""
    return rebuild(target, {"_rels/.rels": lambda d: d.replace(b"/officeDocument", b"/somethingElse")})


def strict_package(target: Path) -> Path:
    """The officeDocument relationship of Strict Open XML (which pygk does not read)."""
    strict = b"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
    loose = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
    return rebuild(target, {"_rels/.rels": lambda d: d.replace(loose, strict)})


def word_document(target: Path) -> Path:
    """A package whose main part is typed as a Word document (a .docx renamed to .xlsx)."""
    sheet_type = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    word_type = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    return rebuild(target, {"[Content_Types].xml": lambda d: d.replace(sheet_type, word_type)})


# --- 6. corrupt members, malformed XML, DOCTYPEs, missing parts ------------------------------
def bad_crc(target: Path) -> Path:
    """The input sheet stored uncompressed with one byte changed after its CRC was computed."""
    rebuild(target, stored=(INPUT_PART,))
    data = bytearray(target.read_bytes())
    at = data.index(b"<sheetData>") + 20
    data[at] = ord("Z") if data[at] != ord("Z") else ord("Y")
    target.write_bytes(bytes(data))
    return target


def truncated_member(target: Path) -> Path:
    """The input sheet's compressed data cut in half (the rest zeroed), sizes and directory intact."""
    rebuild(target)
    with zipfile.ZipFile(target) as archive:
        info = archive.getinfo(INPUT_PART)
    data = bytearray(target.read_bytes())
    name_length, extra_length = (int.from_bytes(data[info.header_offset + i : info.header_offset + i + 2], "little")
                                 for i in (26, 28))  # fmt: skip
    start = info.header_offset + 30 + name_length + extra_length
    half = info.compress_size // 2
    data[start + half : start + info.compress_size] = bytes(info.compress_size - half)
    target.write_bytes(bytes(data))
    return target


def truncated_file(target: Path) -> Path:
    """The whole file cut in half, as an interrupted copy leaves it."""
    data = TEMPLATE.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    return target


def malformed(part: str) -> Callable[[Path], Path]:
    """A case: part `part` with its last closing tag cut off."""
    return lambda target: rebuild(target, {part: lambda d: d[: d.rindex(b"</")]})


LAUGHS = (
    b'<!DOCTYPE worksheet [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
    + b"]>"
)


def _with_doctype(doctype: bytes, unit: bytes) -> Edit:
    def edit(data: bytes) -> bytes:
        data = re.sub(rb"^(<\?xml[^>]*\?>)?", lambda m: (m.group(0) or b"") + doctype, data, count=1)
        return re.sub(rb'(<c r="A2" t="inlineStr"><is><t>)[^<]*', rb"\g<1>" + unit, data, count=1)

    return edit


def billion_laughs(target: Path) -> Path:
    """The input sheet declares the 'billion laughs' entities and uses the largest as a unit name."""
    return rebuild(target, {INPUT_PART: _with_doctype(LAUGHS, b"&lol9;")})


def external_entity(target: Path) -> Path:
    """The input sheet declares an external entity reading /etc/passwd and uses it as a unit name."""
    doctype = b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return rebuild(target, {INPUT_PART: _with_doctype(doctype, b"&xxe;")})


def external_dtd_in_workbook(target: Path) -> Path:
    """The workbook part names an external DTD on the network."""
    doctype = b'<!DOCTYPE workbook SYSTEM "http://example.invalid/evil.dtd">'
    return rebuild(target, {"xl/workbook.xml": lambda d: doctype + d})


def missing_sheet_part(target: Path) -> Path:
    """The workbook relates the input sheet, but its part is not in the zip."""
    return rebuild(target, drop=(INPUT_PART,))


def bad_shared_string(target: Path) -> Path:
    """A cell pointing at shared string 99999 of a workbook that has no shared strings."""
    return rebuild(target, {INPUT_PART: replace_cell("A2", '<c r="A2" t="s"><v>99999</v></c>')})


# --- 3. values --------------------------------------------------------------------------------
def _cell_formats() -> int:
    """How many cell formats (cellXfs) the template's styles.xml has: the index the next one gets."""
    found = re.search(rb'<cellXfs count="(\d+)"', template_part("xl/styles.xml"))
    assert found is not None
    return int(found.group(1))


def _date_styles(extra_xfs: list[str], numfmt: str) -> Edit:
    """An edit of styles.xml adding a custom number format and cell formats after the existing ones."""

    def edit(data: bytes) -> bytes:
        count = _cell_formats()
        data, found = re.subn(rb"<numFmts[^>]*?(/>|>)", lambda m: b'<numFmts count="1">' + numfmt.encode()
                              + (b"</numFmts>" if m.group(1) == b"/>" else b""), data, count=1)  # fmt: skip
        if not found:
            data = data.replace(b"<fonts", b'<numFmts count="1">' + numfmt.encode() + b"</numFmts><fonts", 1)
        data = data.replace(
            f'<cellXfs count="{count}">'.encode(), f'<cellXfs count="{count + len(extra_xfs)}">'.encode()
        )
        return data.replace(b"</cellXfs>", "".join(extra_xfs).encode() + b"</cellXfs>", 1)

    return edit


def date_scores(target: Path) -> Path:
    """Score C2 styled with built-in format 14 (a date), D2 with a custom yyyy"年"m"月"d"日" format."""
    xfs = ['<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>',
           '<xf numFmtId="176" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>']  # fmt: skip
    numfmt = '<numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>'
    first = _cell_formats()
    sheet = chain(
        replace_cell("C2", number_cell("C2", "4", first)), replace_cell("D2", number_cell("D2", "3", first + 1))
    )
    return rebuild(target, {"xl/styles.xml": _date_styles(xfs, numfmt), INPUT_PART: sheet})


def _merge(ref: str) -> Edit:
    return after(b"</sheetData>", f'<mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>'.encode())


def merge_hiding_a_score(target: Path) -> Path:
    """C2:D2 merged while D2 still holds a score: only C2 shows."""
    return rebuild(target, {INPUT_PART: _merge("C2:D2")})


def merge_over_empty_scores(target: Path) -> Path:
    """C2:C3 merged with C3 empty: one visible score for two units."""
    sheet = chain(replace_cell("C3", '<c r="C3"/>'), _merge("C2:C3"))
    return rebuild(target, {INPUT_PART: sheet})


def merge_over_names(target: Path) -> Path:
    """A2:B2 merged (单位名称 over an empty 简称): accepted."""
    return rebuild(target, {INPUT_PART: _merge("A2:B2")})


def _two_scores(value: str) -> Callable[[Path], Path]:
    def build(target: Path) -> Path:
        sheet = chain(replace_cell("C2", number_cell("C2", value)), replace_cell("D2", number_cell("D2", value)))
        return rebuild(target, {INPUT_PART: sheet})

    return build


# Two scores of 1e308 (no maxima set): each is past Excel's largest number, 9.99999999999999e307.
scores_past_excel_max = _two_scores("1e308")
# Two scores of 9e307: each fits, their sum overflows to infinity.
overflowing_total = _two_scores("9e307")


# --- 4. text over 32,767 characters -------------------------------------------------------------
LONG = "很长的名称" * 7000  # 35,000 characters


def long_unit_name(target: Path) -> Path:
    """A unit name of 35,000 characters (a file can hold it; Excel cannot)."""
    return rebuild(target, {INPUT_PART: replace_cell("A2", text_cell("A2", LONG))})


def settings_ref(key: str) -> str:
    """The value cell (column B) of a key in the template's 设置 sheet, e.g. 'B9'."""
    encoded = "".join(f"&#{ord(c)};" for c in key).encode()
    data = template_part(SETTINGS_PART)
    row = re.search(rb'<row r="(\d+)"[^>]*>(?:(?!</row>).)*?<t>' + re.escape(encoded) + rb"</t>", data, re.S)
    assert row is not None, key
    return f"B{int(row.group(1))}"


def work_item_ref() -> str:
    """The cell of the first 工作事项 on the template's 通报 sheet, e.g. 'B4'."""
    data = template_part(BULLETIN_PART)
    row = re.search(rb'<row r="(\d+)"[^>]*>(?:(?!</row>).)*?<t>&#24037;&#20316;&#20107;&#39033;</t>', data, re.S)
    assert row is not None
    return f"B{int(row.group(1))}"


def long_summary(target: Path) -> Path:
    """A 通报段落 template that, filled in, is longer than a cell holds."""
    ref = settings_ref("通报段落")
    return rebuild(target, {SETTINGS_PART: replace_cell(ref, text_cell(ref, "情况" * 16400 + "较好：{较好单位}。"))})


def long_work_item(target: Path) -> Path:
    """A 工作事项 on the 通报 sheet of 35,000 characters."""
    ref = work_item_ref()
    return rebuild(target, {BULLETIN_PART: replace_cell(ref, text_cell(ref, LONG))})


CASES: dict[str, Callable[[Path], Path]] = {
    "row_past_limit": row_past_limit,
    "column_past_limit": column_past_limit,
    "row_number_not_a_number": row_number_not_a_number,
    "huge_sparse_sheet": huge_sparse_sheet,
    "table_ends_at_xfd": table_ends_at_xfd,
    "table_ends_at_xfb": table_ends_at_xfb,
    "size_bomb": size_bomb,
    "ratio_bomb": ratio_bomb,
    "duplicate_entry": duplicate_entry,
    "case_collision": case_collision,
    "workbook_at_xl_main": workbook_at_xl_main,
    "workbook_at_wb_book": workbook_at_wb_book,
    "styles_elsewhere": styles_elsewhere,
    "no_office_document": no_office_document,
    "strict_package": strict_package,
    "word_document": word_document,
    "bad_crc": bad_crc,
    "truncated_member": truncated_member,
    "truncated_file": truncated_file,
    "malformed_sheet": malformed(INPUT_PART),
    "malformed_workbook": malformed("xl/workbook.xml"),
    "malformed_styles": malformed("xl/styles.xml"),
    "malformed_content_types": malformed("[Content_Types].xml"),
    "malformed_root_rels": malformed("_rels/.rels"),
    "billion_laughs": billion_laughs,
    "external_entity": external_entity,
    "external_dtd_in_workbook": external_dtd_in_workbook,
    "missing_sheet_part": missing_sheet_part,
    "bad_shared_string": bad_shared_string,
    "score_text_inf": score("C2", text_cell("C2", "inf")),
    "score_text_nan": score("C2", text_cell("C2", "nan")),
    "score_text_infinity": score("C2", text_cell("C2", "Infinity")),
    "score_stored_inf": score("C2", number_cell("C2", "INF")),
    "score_stored_nan": score("C2", number_cell("C2", "NaN")),
    "score_text_underscore": score("C2", text_cell("C2", "1_0")),
    "score_text_hex": score("C2", text_cell("C2", "0x10")),
    "score_text_exponent": score("C2", text_cell("C2", " 1e3 ")),
    "score_stored_underscore": score("C2", number_cell("C2", "1_0")),
    "score_iso_date": score("C2", '<c r="C2" t="d"><v>2021-11-30</v></c>'),
    "date_scores": date_scores,
    "merge_hiding_a_score": merge_hiding_a_score,
    "merge_over_empty_scores": merge_over_empty_scores,
    "merge_over_names": merge_over_names,
    "scores_past_excel_max": scores_past_excel_max,
    "overflowing_total": overflowing_total,
    "long_unit_name": long_unit_name,
    "long_summary": long_summary,
    "long_work_item": long_work_item,
}


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for case, build in CASES.items():
        print(build(out / f"{case}.xlsx"))
