"""Calendar days as Excel serial numbers (the 1900 date system), read from cells without a clock.

The file adapter gives a date cell as a DateSerial (a number whose format is a date) or a
DateText (an ISO 8601 cell); the live adapter (xlwings) gives a datetime object. All three
become one integer day: serial 45000 is 2023-03-15, as Excel counts.
"""

from __future__ import annotations

import re

from pygk.core import texts
from pygk.core.cells import DateSerial, DateText
from pygk.core.values import is_blank

_UNIX_EPOCH_SERIAL = 25_569  # 1970-01-01 in Excel's 1900 system
_ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:T.*)?")


class NotADay(ValueError):
    """A cell that should hold a date holds something else (text, a plain number, a logical value)."""


def serial(year: int, month: int, day: int) -> int:
    """Excel's serial number of a calendar day (after 1900-02-28)."""
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146_097 + doe - 719_468 + _UNIX_EPOCH_SERIAL


def civil(number: int) -> tuple[int, int, int]:
    """(year, month, day) of an Excel serial number; the inverse of `serial`."""
    z = number - _UNIX_EPOCH_SERIAL + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (month <= 2), month, day


def month_end(year: int, month: int) -> int:
    """The serial number of the last day of a month."""
    return serial(year + month // 12, month % 12 + 1, 1) - 1


def read_day(value: object) -> int | None:
    """A cell's day as a serial number, None when blank; raises NotADay for text, plain numbers and the like."""
    if is_blank(value):
        return None
    if isinstance(value, DateSerial):
        return int(value // 1)
    if isinstance(value, DateText):
        match = _ISO_DAY.fullmatch(str(value))
        if match is None:
            raise NotADay(str(value))
        return serial(*(int(part) for part in match.groups()))
    if not isinstance(value, (str, int, float)) and all(hasattr(value, a) for a in ("year", "month", "day")):
        return serial(int(value.year), int(value.month), int(value.day))  # type: ignore[attr-defined]
    raise NotADay(str(value))


def day_text(number: int) -> str:
    """A day as a clerk writes it: 2021年11月5日 (the format is in texts)."""
    year, month, day = civil(number)
    return texts.DAY.format(year=year, month=month, day=day)


def short_day_text(number: int, year: int) -> str:
    """A day in a table: 12月15日 in the given year, 2022年1月15日 in another."""
    y, month, day = civil(number)
    return texts.SHORT_DAY.format(month=month, day=day) if y == year else day_text(number)
