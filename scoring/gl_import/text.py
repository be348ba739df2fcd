"""CSV bytes into a :class:`Table`: encoding, binary check, delimiter sniffing, strict quoting.

Text must be UTF-8 (a BOM is fine) or Windows-1252, what Excel's "CSV" writes on Windows. The separator is
the one of comma, semicolon and tab giving the most sampled rows of one width (comma on a tie); an Excel
``sep=;`` first line wins outright and is not counted as a row, as Excel does not show it.
"""

from __future__ import annotations

import csv
import io
import re

from core.csv_sniff import sniff_delimiter as core_sniff
from scoring.gl_import.errors import GLImportError
from scoring.gl_import.source import ImportLimits
from scoring.gl_import.table import Row, Table

DELIMITERS = (",", ";", "\t")
_SNIFF_LINES = 60
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_MAX_CONTROL_SHARE = 0.01


def read_csv_table(data: bytes, name: str, limits: ImportLimits) -> Table:
    text = decode_text(data, name)
    _refuse_binary_text(text, name)
    text, declared = _strip_sep_line(text)
    delimiter = declared or sniff_delimiter(text)
    return Table(None, _rows(text, delimiter, name, limits))


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; anything else is a clear error."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise GLImportError.whole_file(name, "UTF-16 text; save the file as \"CSV UTF-8\" or as .xlsx")
    nul = data.find(b"\x00")
    if nul >= 0:
        reason = f"binary data (a NUL byte at offset {nul:,}), not a CSV or XLSX file"
        raise GLImportError.whole_file(name, reason)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        reason = (f"not UTF-8 or Windows-1252 text (byte 0x{data[exc.start]:02x} on line {line}); "
                  "save the file as \"CSV UTF-8\"")
        raise GLImportError.whole_file(name, reason) from exc


def sniff_delimiter(text: str) -> str:
    return core_sniff(text, DELIMITERS, lines=_SNIFF_LINES)


def _rows(text: str, delimiter: str, name: str, limits: ImportLimits) -> list[Row]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[Row] = []
    number = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:
            raise GLImportError.whole_file(name, f"malformed CSV in row {number + 1}: {exc}") from exc
        number += 1
        if number > limits.max_rows:
            raise GLImportError.whole_file(name, f"more than {limits.max_rows:,} rows; split the file")
        if any(field.strip() for field in fields):
            rows.append((number, tuple(fields)))


def _refuse_binary_text(text: str, name: str) -> None:
    sample = text[:65536]
    controls = len(_CONTROL.findall(sample))
    if controls > max(2, _MAX_CONTROL_SHARE * len(sample)):
        raise GLImportError.whole_file(name, "binary data (control characters), not a CSV or XLSX file")


def _strip_sep_line(text: str) -> tuple[str, str]:
    first, _, rest = text.partition("\n")
    marker = first.strip()
    if marker.lower().startswith("sep=") and marker[4:] in DELIMITERS:
        return rest, marker[4:]
    return text, ""
