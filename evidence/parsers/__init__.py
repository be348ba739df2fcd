"""Parsers that read evidence files into plain dataclasses; no database, no Flask.

Every parser raises :class:`EvidenceParseError` for bad input, naming the file and where in
it the problem is, and never anything else (a crash on hostile input is a bug).
"""

from __future__ import annotations

from pathlib import Path


class EvidenceParseError(ValueError):
    """Bad evidence input; ``str()`` reads like "runs.csv, row 12, field 'loss': not a number"."""

    def __init__(self, source: str, message: str, *, line: int | None = None,
                 row: int | None = None, field: str | None = None) -> None:
        self.source, self.message = source, message
        self.line, self.row, self.field = line, row, field
        where = [source]
        if line is not None:
            where.append(f"line {line}")
        if row is not None:
            where.append(f"row {row}")
        if field is not None:
            where.append(f"field {field!r}")
        super().__init__(f"{', '.join(where)}: {message}")


def read_bounded(path: Path, max_bytes: int, source: str) -> bytes:
    """The whole file, or EvidenceParseError if it is over ``max_bytes`` or unreadable.

    Reads at most ``max_bytes + 1`` bytes, so a file that grows while being read cannot
    make a parser hold more than the limit.
    """
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise EvidenceParseError(source, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise EvidenceParseError(source, f"cannot read the file: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise EvidenceParseError(source, f"file grew past the {max_bytes:,}-byte limit while being read")
    return data
