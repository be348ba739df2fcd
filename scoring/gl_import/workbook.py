"""XLSX bytes into :class:`Table` values, one per worksheet, after checking the zip cannot blow up in memory.

openpyxl reads in read-only mode (rows stream from the XML) with ``data_only=True`` so formulas give their
cached values. Dimensions are reset first: some exporters write a wrong ``<dimension>`` and read-only mode
would otherwise stop early.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Iterator
from typing import Any

import openpyxl

from scoring.gl_import.errors import GLImportError
from scoring.gl_import.source import ImportLimits
from scoring.gl_import.table import Row, Table

_MAX_ENTRIES = 10_000
_SPREADSHEET_TYPES = ("spreadsheetml.sheet.main+xml", "spreadsheetml.template.main+xml",
                      "ms-excel.sheet.macroEnabled.main+xml")


def read_xlsx_tables(data: bytes, name: str, limits: ImportLimits) -> Iterator[Table]:
    """Every worksheet in workbook order, each read only when the caller asks for it."""
    check_workbook_zip(data, name, limits)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises KeyError, ValueError, XML errors, ... on a corrupt workbook
        reason = f"not a readable XLSX workbook ({type(exc).__name__}: {exc})"
        raise GLImportError.whole_file(name, reason) from exc
    try:
        for sheet in book.worksheets:
            yield Table(str(sheet.title), _sheet_rows(sheet, name, limits))
    finally:
        book.close()


def check_workbook_zip(data: bytes, name: str, limits: ImportLimits) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            _check_entries(infos, name, limits)
            types = archive.read("[Content_Types].xml").decode("utf-8", errors="replace")
    except GLImportError:
        raise
    except KeyError:
        raise GLImportError.whole_file(name, "a zip archive but not an XLSX workbook") from None
    except Exception as exc:  # zipfile raises several kinds on corrupt input
        raise GLImportError.whole_file(name, f"not a valid XLSX (zip) file: {exc}") from exc
    if not any(kind in types for kind in _SPREADSHEET_TYPES):
        raise GLImportError.whole_file(name, "a zip archive but not an XLSX workbook (no worksheet content)")


def _check_entries(infos: list[zipfile.ZipInfo], name: str, limits: ImportLimits) -> None:
    if len(infos) > _MAX_ENTRIES:
        raise GLImportError.whole_file(name, f"refused: the XLSX holds {len(infos):,} zip entries")
    if any(info.flag_bits & 0x1 for info in infos):
        raise GLImportError.whole_file(name, "the XLSX is encrypted; save it without a password")
    expanded = sum(info.file_size for info in infos)
    if expanded > limits.max_expanded_bytes:
        raise GLImportError.whole_file(
            name, f"refused: the XLSX expands to {expanded:,} bytes, over {limits.max_expanded_bytes:,}")


def _sheet_rows(sheet: Any, name: str, limits: ImportLimits) -> list[Row]:
    rows: list[Row] = []
    try:
        sheet.reset_dimensions()
        for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), 1):
            if number > limits.max_rows:
                reason = f"sheet {sheet.title!r} has more than {limits.max_rows:,} rows; split the file"
                raise GLImportError.whole_file(name, reason)
            if any(value is not None and (not isinstance(value, str) or value.strip()) for value in values):
                rows.append((number, tuple(values)))
    except GLImportError:
        raise
    except Exception as exc:
        raise GLImportError.whole_file(
            name, f"sheet {sheet.title!r} is unreadable ({type(exc).__name__}: {exc})") from exc
    return rows
