"""Flat tables: one header row, then one posting per row (the canonical CSV and any mapped layout)."""

from __future__ import annotations

import re

from scoring.gl_import.cells import Cell, cell_text, is_blank
from scoring.gl_import.errors import ProblemLog
from scoring.gl_import.header import header_names, unique_names
from scoring.gl_import.lines import GLFormat
from scoring.gl_import.raw import RawFile, RawLine
from scoring.gl_import.table import Table

_TOTAL = re.compile(r"(grand\s+)?totals?\b", re.IGNORECASE)


def read_flat(table: Table, header_index: int, columns: dict[str, int], fmt: GLFormat, log: ProblemLog,
              *, skip_totals: bool = False) -> RawFile:
    """Every row below the header; ``skip_totals`` drops undated rows whose first cell says "Total"."""
    header_number, header_cells = table.rows[header_index]
    header = header_names(header_cells)
    names = unique_names(header)
    raw = RawFile(format=fmt, sheet=table.sheet, header=header, header_row=header_number,
                  column_names={role: names[index] for role, index in columns.items()})
    width = len(header)
    pairs = list(columns.items())
    extra = [(index, names[index]) for index in range(width) if index not in columns.values()]
    date_index = columns.get("date")
    for number, cells in table.rows[header_index + 1:]:
        if len(cells) > width and not all(is_blank(cell) for cell in cells[width:]):
            reason = f"{len(cells)} values but the header (row {header_number}) has {width} columns"
            log.add(number, None, reason)
            continue
        if skip_totals and _is_total(cells, date_index):
            continue
        count = len(cells)
        values: dict[str, Cell] = {role: cells[index] if index < count else None for role, index in pairs}
        kept = {label: cell_text(cells[index]) if index < count else "" for index, label in extra}
        raw.lines.append(RawLine(number, values, kept))
    return raw


def _is_total(cells: tuple[Cell, ...], date_index: int | None) -> bool:
    """A "Total" row: its first filled cell says so, and no date (the label may be in the date column)."""
    position, first = next(((i, cell) for i, cell in enumerate(cells) if not is_blank(cell)), (-1, None))
    if not (isinstance(first, str) and _TOTAL.match(first.strip())):
        return False
    if date_index is None or date_index >= len(cells) or date_index == position:
        return True
    return is_blank(cells[date_index])
