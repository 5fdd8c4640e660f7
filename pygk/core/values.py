"""Reading what a clerk typed: numbers in any width, names and headers with stray spaces."""

from __future__ import annotations

import math
import re
import unicodedata

# 信息公开(30), （30分） or (满分30分), matched on the width-folded text
_HEADER_MAX = re.compile(r"^(.*?)\(\s*(?:满分\s*)?([0-9]+(?:\.[0-9]+)?)\s*分?\s*\)$")
_SPACES = re.compile(r"\s+")
# A number as a clerk types it: ASCII digits after width folding, an optional sign and decimal
# point, thousands grouped by commas. Python's float() accepts much more ("1_0", "1e3", "inf",
# digits of other scripts); none of that is a score a clerk meant to type.
_FOLDABLE = re.compile(r"[\x00-\x7f\uff01-\uff5e\u3000\s]*")  # ASCII and its full-width forms only
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|[+-]?\.[0-9]+")


def excel_text(value: bool) -> str:
    """A logical cell as Excel shows it: TRUE or FALSE (Python would say 'True')."""
    return "TRUE" if value else "FALSE"


def normalise_text(value: object) -> str:
    """Text of a cell with width folded (NFKC) and surrounding space removed; '' for None, TRUE for True."""
    return unicodedata.normalize("NFKC", display(value)).strip()


def clean_name(value: object) -> str:
    """A unit or sheet name as typed, stripped, keeping its original width ('（街道）'); TRUE for True."""
    if type(value) is str:  # the common case, read 100,000 times a run: display(text) is the text
        return value.strip()
    return display(value).strip()


def header_key(value: object) -> str:
    """A header cell reduced for matching: no spaces or line breaks anywhere."""
    return _SPACES.sub("", clean_name(value))


def split_header_maximum(header: str) -> tuple[str, float | None]:
    """'在线服务得分(9)', '信息公开（３０分）' or '信息公开(满分30分)' -> (name, maximum); else (header, None)."""
    match = _HEADER_MAX.match(_fold_each(header))
    if match is None:
        return header, None
    return header[: match.end(1)].strip(), float(match.group(2))  # the name as typed, width kept: 网站（建设）


def _fold_each(text: str) -> str:
    """Each character width-folded on its own (３０ -> 30, （ -> (), so positions stay those of the text."""
    folded = (unicodedata.normalize("NFKC", char) for char in text)
    return "".join(f if len(f) == 1 else char for f, char in zip(folded, text))


def match_key(value: object) -> str:
    """A column name reduced for matching a header to an item: no spaces, width folded, maximum dropped.

    '信息公开（30分）', '信息公开(30)' and '信息公开' all match; so do '网站（建设）' and '网站(建设)'.
    """
    return split_header_maximum(unicodedata.normalize("NFKC", header_key(value)))[0]


def is_blank(value: object) -> bool:
    """True for an empty cell or one holding only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def parse_number(value: object) -> float | None:
    """A score as float: numbers as they are, text like '３７', ' 37 ' or '1,200' parsed; None if not a number.

    Text must be a plain decimal number (see `is_plain_number`) in ASCII or full-width digits; infinities
    and NaN are never numbers.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        if _FOLDABLE.fullmatch(str(value)) is None:  # '5²' would fold to '52', '¹' to '1'
            return None
        text = normalise_text(value)
        if not is_plain_number(text):
            return None
        number = float(text.replace(",", ""))
    if math.isnan(number) or math.isinf(number):
        return None
    return number


def is_plain_number(text: str) -> bool:
    """True for '37', '-1.5', '.5', '1,200'; False for '1_0', '1e3', '0x10', 'inf', '18,5' or '١٢'."""
    return _PLAIN_NUMBER.fullmatch(text) is not None


def display(value: object) -> str:
    """A table value as printed: numbers as format_number gives them, text (such as 较上月's ↑3, —, 新) as it is."""
    if isinstance(value, bool):
        return excel_text(value)
    if isinstance(value, (int, float)):
        return format_number(value)
    return "" if value is None else str(value)


def format_number(number: float) -> str:
    """A number as the seed prints it: 56, 18.5, 0.5 (never '56.0')."""
    if float(number).is_integer():
        return str(int(number))
    return repr(float(number))
