"""A sheet of cells: the non-blank rows of one CSV file or one worksheet, with their row numbers."""

from __future__ import annotations

from dataclasses import dataclass

from scoring.gl_import.cells import Cell

Row = tuple[int, tuple[Cell, ...]]
"""(the 1-based row number a spreadsheet shows, the cells left to right)."""


@dataclass(frozen=True)
class Table:
    sheet: str | None
    rows: list[Row]
