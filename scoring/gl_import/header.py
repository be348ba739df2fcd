"""Header rows: how column names are compared, and where the header of an unknown layout is."""

from __future__ import annotations

import re
from collections.abc import Sequence

from scoring.gl_import.cells import Cell, cell_text, is_blank
from scoring.gl_import.table import Table

SCAN_ROWS = 40
"""A header is looked for among the first this many non-blank rows."""

_SEPARATORS = re.compile(r"[\s_\-.:]+")
_NUMBER_LIKE = re.compile(r"[\s$€£()+\-−.,\d/]+")


def header_key(name: Cell) -> str:
    """Case-, space- and punctuation-blind form: "Account Number", "account_number" → "accountnumber"."""
    return _SEPARATORS.sub("", cell_text(name).casefold())


def header_names(cells: Sequence[Cell]) -> list[str]:
    return [cell_text(cell).strip() for cell in cells]


def guess_header_row(table: Table) -> int | None:
    """Index in ``table.rows`` of the first row that reads like column names, or None.

    Title rows have one cell; data rows are mostly numbers and dates. A header has at least two text cells
    and no more than a third of its cells look like numbers.
    """
    for index, (_number, cells) in enumerate(table.rows[:SCAN_ROWS]):
        filled = [cell for cell in cells if not is_blank(cell)]
        if len(filled) < 2:
            continue
        texts = [cell for cell in filled if isinstance(cell, str) and not _NUMBER_LIKE.fullmatch(cell)]
        if len(texts) >= 2 and len(texts) * 3 >= len(filled) * 2:
            return index
    return None


def unique_names(names: Sequence[str]) -> list[str]:
    """Column names made unique ("Memo", "Memo (2)") and blank ones named by position ("column 4")."""
    seen: dict[str, int] = {}
    result = []
    for position, name in enumerate(names, 1):
        label = name or f"column {position}"
        seen[label] = seen.get(label, 0) + 1
        result.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return result
