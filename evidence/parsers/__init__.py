"""Parsers that read evidence files into plain dataclasses; no database, no Flask.

Every parser raises :class:`EvidenceParseError` for bad input, naming the file and where in
it the problem is, and never anything else (a crash on hostile input is a bug).
"""

from __future__ import annotations


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
