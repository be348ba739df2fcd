"""XLSX bytes into :class:`RawSheet` values, after checking the zip cannot blow up in memory.

Before openpyxl sees the file the zip directory is checked: at most ``MAX_ENTRIES`` entries, none
encrypted, at most ``MAX_EXPANDED`` bytes in all once inflated, and (above ``RATIO_FLOOR``, where
it starts to matter) no more than ``MAX_RATIO`` times the compressed size. Python's zipfile never
inflates an entry past its declared size, so a lying directory cannot get around this. The
workbook must declare a spreadsheet main part in ``[Content_Types].xml``; a .docx is refused.
openpyxl then loads it in normal (not read-only) mode, since only that mode knows merged cells,
with ``data_only=True`` so formulas give their cached values.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import warnings
import zipfile
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from evidence.parsers import EvidenceParseError
from evidence.parsers.ablation_sheet import Merge, RawSheet, build_sheet

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_ENTRIES = 10_000
MAX_EXPANDED = 200 * 2**20
MAX_RATIO = 100
RATIO_FLOOR = 10 * 2**20
_NOT_XLSX = "a zip archive but not an XLSX workbook"
SPREADSHEET_TYPES = (
    "spreadsheetml.sheet.main+xml",
    "spreadsheetml.template.main+xml",
    "ms-excel.sheet.macroEnabled.main+xml",
    "ms-excel.template.macroEnabled.main+xml",
)


def is_zip(data: bytes) -> bool:
    return data.startswith(ZIP_MAGIC)


def is_ole(data: bytes) -> bool:
    """An OLE compound file: a legacy .xls, or an XLSX encrypted with a password."""
    return data.startswith(OLE_MAGIC)


def is_workbook_zip(data: bytes) -> bool:
    """True when ``data`` is a safe zip whose content types declare a spreadsheet (never raises)."""
    try:
        check_workbook_zip(data, "")
    except EvidenceParseError:
        return False
    return True


def check_workbook_zip(data: bytes, source: str) -> None:
    """Raise unless ``data`` is a sane zip archive holding a spreadsheet."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            _check_entries(infos, source)
            types = _content_types(archive, source)
    except EvidenceParseError:
        raise
    except Exception as exc:  # zipfile raises many kinds on corrupt input
        raise EvidenceParseError(source, f"not a valid XLSX (zip) file: {exc}") from exc
    if not any(kind in types for kind in SPREADSHEET_TYPES):
        raise EvidenceParseError(source, f"{_NOT_XLSX} (no spreadsheet content type)")


def read_xlsx(data: bytes, source: str) -> list[RawSheet]:
    """Every worksheet (chart sheets have no cells) in workbook order."""
    check_workbook_zip(data, source)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises KeyError, ValueError, TypeError, XML errors, ...
        message = f"not a readable XLSX workbook: {type(exc).__name__}: {exc}"
        raise EvidenceParseError(source, message) from exc
    return [_read_sheet(sheet, source) for sheet in book.worksheets]


def _check_entries(infos: list[zipfile.ZipInfo], source: str) -> None:
    if len(infos) > MAX_ENTRIES:
        raise EvidenceParseError(source, f"refused: XLSX has {len(infos)} zip entries")
    if any(info.flag_bits & 0x1 for info in infos):
        raise EvidenceParseError(source, "the XLSX zip is encrypted; save it without a password")
    expanded = sum(info.file_size for info in infos)
    ratio = expanded / max(1, sum(info.compress_size for info in infos))
    if expanded > MAX_EXPANDED or (expanded > RATIO_FLOOR and ratio > MAX_RATIO):
        megabytes = round(expanded / 2**20)
        message = f"refused: XLSX expands to {megabytes} MB ({ratio:.0f}x its packed size)"
        raise EvidenceParseError(source, message)


def _content_types(archive: zipfile.ZipFile, source: str) -> str:
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        raise EvidenceParseError(source, f"{_NOT_XLSX} (no [Content_Types].xml)") from None
    return archive.read(info).decode("utf-8", errors="replace")


def _read_sheet(sheet: Any, source: str) -> RawSheet:
    title = str(sheet.title)
    try:
        merges: list[Merge] = [
            (span.min_row, span.min_col, span.max_row, span.max_col) for span in sheet.merged_cells.ranges
        ]
        return build_sheet(title, _cells(sheet), get_column_letter, merges)
    except Exception as exc:
        raise EvidenceParseError(source, f"sheet {title!r}: unreadable: {type(exc).__name__}: {exc}") from exc


def _cells(sheet: Any) -> dict[int, dict[int, str]]:
    """Row → column → text of the non-empty cells, without walking the blank rectangle around them."""
    store = getattr(sheet, "_cells", None)
    if isinstance(store, dict):
        pairs = (((row, col), cell.value) for (row, col), cell in store.items())
    else:
        pairs = (((cell.row, cell.column), cell.value) for line in sheet.iter_rows() for cell in line)
    cells: dict[int, dict[int, str]] = {}
    for (row, col), value in pairs:
        text = cell_text(value)
        if text:
            cells.setdefault(row, {})[col] = text
    return cells


def cell_text(value: object) -> str:
    """A cell value as text; numbers keep every digit (``repr``), so parsing them back is exact."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)
