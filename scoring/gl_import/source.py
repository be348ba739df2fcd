"""The uploaded bytes, within limits, and which kind of file they are (CSV text or an XLSX workbook)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scoring.gl_import.errors import MAX_LISTED_PROBLEMS, GLImportError

Source = str | Path | bytes

_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OTHER_BINARY = {
    b"%PDF": "a PDF document",
    b"\x1f\x8b": "a gzip archive",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
}


@dataclass(frozen=True)
class ImportLimits:
    """How much one GL import may read; defaults fit a large client's year comfortably."""

    max_bytes: int = 200 * 2**20
    max_rows: int = 1_000_000
    max_expanded_bytes: int = 1 * 2**30
    max_listed_problems: int = MAX_LISTED_PROBLEMS


DEFAULT_LIMITS = ImportLimits()


def load_bytes(source: Source, name: str, limits: ImportLimits) -> bytes:
    """The file's bytes, refusing an empty file or one over ``limits.max_bytes`` before reading it all."""
    data = source if isinstance(source, bytes) else _read_path(Path(source), name, limits)
    if len(data) > limits.max_bytes:
        raise _too_big(name, len(data), limits)
    if not data.strip():
        raise GLImportError.whole_file(name, "the file is empty")
    return data


def is_xlsx(data: bytes) -> bool:
    return data.startswith(_ZIP)


def refuse_other_binary(data: bytes, name: str) -> None:
    """Raise for bytes that are plainly not CSV text: a legacy .xls, a PDF, an image, an archive."""
    if data.startswith(_OLE):
        raise GLImportError.whole_file(
            name, "a legacy Excel .xls workbook (or a password-protected one); save it as .xlsx or CSV")
    for magic, kind in _OTHER_BINARY.items():
        if data.startswith(magic):
            raise GLImportError.whole_file(name, f"{kind}, not a CSV or XLSX general ledger")


def _read_path(path: Path, name: str, limits: ImportLimits) -> bytes:
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise _too_big(name, size, limits)
        with path.open("rb") as handle:
            return handle.read(limits.max_bytes + 1)
    except OSError as exc:
        raise GLImportError.whole_file(name, f"cannot read the file: {exc.strerror or exc}") from exc


def _too_big(name: str, size: int, limits: ImportLimits) -> GLImportError:
    reason = f"the file is {size:,} bytes, over the {limits.max_bytes:,}-byte limit"
    return GLImportError.whole_file(name, reason)
