"""CSV (or TSV, ``;``- or ``|``-separated) bytes into a :class:`RawSheet`.

Text must be UTF-8 (a BOM is fine; so is UTF-16 with a BOM, as Excel's "Unicode text" writes).
The separator is the one giving the most rows of one consistent width among the first lines,
comma on a tie; an Excel ``sep=;`` first line wins outright. Quoting is strict: a stray
character after a closing quote or a quote left open is an error naming the line.

In ``;``-separated files (what Excel writes where the comma is the decimal mark) number cells
with a decimal comma are read the European way: ``12,5`` → ``12.5``, ``1.204,5`` → ``1204.5``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from core.csv_sniff import sniff_delimiter as core_sniff
from evidence.parsers import EvidenceParseError
from evidence.parsers.ablation_cells import parse_number
from evidence.parsers.ablation_sheet import MAX_COLUMNS, RawSheet, build_sheet

_DELIMITERS = (",", "\t", ";", "|")
_SNIFF_LINES = 50
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")
_THOUSANDS_DOT = re.compile(r"(?<=\d)\.(?=\d{3}(?!\d))")


def read_csv(data: bytes, source: str) -> RawSheet:
    text = decode_text(data, source)
    nul = text.find("\x00")
    if nul >= 0:
        raise EvidenceParseError(source, "binary data (a NUL byte), not CSV text", line=_line_at(text, nul))
    text, skipped = _strip_sep_line(text)
    delimiter = skipped or sniff_delimiter(text)
    records = _records(text, delimiter, source)
    if delimiter == ";":
        records = ((number, [_european(field) for field in fields]) for number, fields in records)
    cells = {number: dict(enumerate(fields, 1)) for number, fields in records}
    offset = 1 if skipped else 0
    cells = {number + offset: row for number, row in cells.items()}
    return build_sheet(source, cells, lambda col: str(col))


def decode_text(data: bytes, source: str) -> str:
    """UTF-8 (BOM optional) or BOM-marked UTF-16; anything else is an error naming the line."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise EvidenceParseError(source, "not valid UTF-16 text despite its byte-order mark") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        raise EvidenceParseError(
            source, f"not UTF-8 text (byte 0x{byte:02x} at offset {exc.start}); save the CSV as UTF-8",
            line=line,
        ) from exc


def sniff_delimiter(text: str) -> str:
    return core_sniff(text, _DELIMITERS, lines=_SNIFF_LINES)


def _records(text: str, delimiter: str, source: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (line the record starts on, fields) for every record."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    while True:
        start = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line = max(reader.line_num, start)
            raise EvidenceParseError(source, f"malformed CSV: {exc}", line=line) from exc
        if len(fields) > MAX_COLUMNS:
            raise EvidenceParseError(source, f"{len(fields)} fields; more than {MAX_COLUMNS}", line=start)
        yield start, fields


def _european(field: str) -> str:
    """``12,5`` → ``12.5`` when the result reads as a number; other text as it was."""
    if "," not in field or any(char.isalpha() for char in field):
        return field
    swapped = _DECIMAL_COMMA.sub(".", _THOUSANDS_DOT.sub("", field))
    return swapped if parse_number(swapped) is not None else field


def _strip_sep_line(text: str) -> tuple[str, str]:
    first, _, rest = text.partition("\n")
    marker = first.strip()
    if marker.lower().startswith("sep=") and marker[4:] in _DELIMITERS:
        return rest, marker[4:]
    return text, ""


def _line_at(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1
