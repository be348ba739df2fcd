"""Cell values as the readers see them: text from CSV, typed values from XLSX."""

from __future__ import annotations

import datetime as dt

Cell = str | int | float | dt.datetime | dt.date | dt.time | None


def cell_text(value: object) -> str:
    """A cell as text, verbatim for strings; numbers without a spurious ``.0``; dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
