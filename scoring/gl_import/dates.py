"""Dates in the forms GL exports use; day/month order is decided once per file, never per row.

Accepted: ISO ``2025-01-05`` (a time part is ignored), ``2025/01/05``, numeric ``01/05/2025`` / ``1-5-25`` /
``05.01.2025`` read month-first unless the file is day-first, ``Jan 5, 2025`` / ``January 5 2025``,
``5 Jan 2025`` / ``05-Jan-2025`` / ``5-Jan-25``, and in XLSX native dates or Excel serial numbers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from openpyxl.utils.datetime import from_excel

_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?[AaPp][Mm])?)?(?:Z|[+-]\d\d:?\d\d)?"
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME)
_NUMERIC = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})" + _TIME)
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]{3,9})\.?[ -](\d{1,2})(?:st|nd|rd|th)?(?:, ?| |-)(\d{4}|\d{2})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[ -]([A-Za-z]{3,9})\.?,?[ -](\d{4}|\d{2})")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")], 1)
    for name in names
}
_FIRST_YEAR, _LAST_YEAR = 1900, 2199
_FIRST_SERIAL, _LAST_SERIAL = 18264, 109574  # 1950-01-01 .. 2199-12-31 in Excel's 1900 date system


class DateError(ValueError):
    """``str()`` is the reason, e.g. "'31/31/2025' is not a date"."""


def parse_date(text: str, *, day_first: bool = False) -> dt.date:
    """The date ``text`` shows; numeric dates are read day-first only when ``day_first``."""
    stripped = text.strip()
    if len(stripped) == 10 and stripped[4] == "-":
        try:
            return _in_range(dt.date.fromisoformat(stripped), text)
        except ValueError:
            pass
    for pattern, reader in _READERS:
        match = pattern.fullmatch(stripped)
        if match:
            return _in_range(reader(match, text, day_first), text)
    raise DateError(f"{text!r} is not a date")


def date_from_cell(value: dt.date | int | float) -> dt.date:
    """A spreadsheet's native date, or an Excel serial number in a plausible range."""
    if isinstance(value, dt.datetime):
        return _in_range(value.date(), str(value))
    if isinstance(value, dt.date):
        return _in_range(value, str(value))
    if not _FIRST_SERIAL <= value <= _LAST_SERIAL:
        raise DateError(f"{value!r} is not a date (not a plausible Excel date serial)")
    converted = from_excel(value)
    return converted.date() if isinstance(converted, dt.datetime) else converted


def decide_day_first(texts: Iterable[str]) -> bool:
    """True when some numeric date can only be day-first (13/01/2025) and none can only be month-first.

    Dotted dates (05.01.2025) count as day-first too: that is how every locale writing them reads them.
    """
    day_first = False
    for text in texts:
        match = _NUMERIC.fullmatch(text.strip())
        if not match:
            continue
        if int(match.group(3)) > 12:
            return False
        if int(match.group(1)) > 12 or match.group(2) == ".":
            day_first = True
    return day_first


def _iso(match: re.Match[str], text: str, _day_first: bool) -> dt.date:
    return _make(match.group(1), match.group(2), match.group(3), text)


def _numeric(match: re.Match[str], text: str, day_first: bool) -> dt.date:
    first, second, year = match.group(1), match.group(3), match.group(4)
    day, month = (first, second) if day_first else (second, first)
    try:
        return _make(year, month, day, text)
    except DateError:
        order = "DD/MM/YYYY" if day_first else "MM/DD/YYYY"
        raise DateError(f"{text!r} is not a date in the file's {order} order") from None


def _month_day_year(match: re.Match[str], text: str, _day_first: bool) -> dt.date:
    return _named(match.group(1), match.group(2), match.group(3), text)


def _day_month_year(match: re.Match[str], text: str, _day_first: bool) -> dt.date:
    return _named(match.group(2), match.group(1), match.group(3), text)


def _named(month_name: str, day: str, year: str, text: str) -> dt.date:
    month = _MONTHS.get(month_name.lower())
    if month is None:
        raise DateError(f"{text!r} is not a date ({month_name!r} is not a month)")
    return _make(year, str(month), day, text)


def _make(year: str, month: str, day: str, text: str) -> dt.date:
    full_year = int(year)
    if len(year) == 2:
        full_year += 2000 if full_year < 69 else 1900  # the POSIX %y pivot
    try:
        return dt.date(full_year, int(month), int(day))
    except ValueError:
        raise DateError(f"{text!r} is not a date") from None


def _in_range(value: dt.date, text: str) -> dt.date:
    if not _FIRST_YEAR <= value.year <= _LAST_YEAR:
        raise DateError(f"{text!r} is not a plausible date (year {value.year})")
    return value


_READERS = (
    (_ISO, _iso),
    (_NUMERIC, _numeric),
    (_MONTH_DAY_YEAR, _month_day_year),
    (_DAY_MONTH_YEAR, _day_month_year),
)
