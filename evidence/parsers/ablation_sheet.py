"""A sheet's cells as text, the common ground of the CSV and XLSX readers.

Only rows and columns holding something are kept (blank separator rows and empty columns
vanish) but every row keeps its original number and every column its label, for messages.
Vertically merged cells are filled down from their top cell; horizontal merges are kept as spans
for the header reader (filling them everywhere would copy a merged footnote into every column).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from evidence.parsers.ablation_cells import clean_text

MAX_COLUMNS = 16_384  # Excel's own limit

Merge = tuple[int, int, int, int]  # min_row, min_col, max_row, max_col (1-based, inclusive)


@dataclass(frozen=True)
class RawRow:
    number: int
    cells: tuple[str, ...]

    def cell(self, index: int) -> str:
        return self.cells[index] if index < len(self.cells) else ""

    def filled(self) -> int:
        return sum(1 for text in self.cells if text)


@dataclass(frozen=True)
class RawSheet:
    name: str
    labels: tuple[str, ...]
    rows: tuple[RawRow, ...]
    spans: Mapping[int, tuple[tuple[int, int], ...]] = field(default_factory=dict)

    def span_of(self, row_number: int, column: int) -> tuple[int, int] | None:
        """The horizontal merge (first, last kept column) anchored in this row that covers ``column``."""
        for first, last in self.spans.get(row_number, ()):
            if first <= column <= last:
                return first, last
        return None


def build_sheet(
    name: str,
    cells: Mapping[int, Mapping[int, str]],
    label: Callable[[int], str],
    merges: Iterable[Merge] = (),
) -> RawSheet:
    """Compact ``cells`` (row → column → text, 1-based) into a :class:`RawSheet`."""
    grid = {row: {col: clean_text(text) for col, text in columns.items()} for row, columns in cells.items()}
    merges = tuple(merges)
    _fill_down(grid, merges)
    used_rows = sorted(row for row, columns in grid.items() if any(columns.values()))
    used_cols = sorted({col for row in used_rows for col, text in grid[row].items() if text})
    index = {col: i for i, col in enumerate(used_cols)}
    rows = tuple(
        RawRow(row, tuple(grid[row].get(col, "") for col in used_cols)) for row in used_rows
    )
    return RawSheet(name, tuple(label(col) for col in used_cols), rows, _spans(merges, index))


def _fill_down(grid: dict[int, dict[int, str]], merges: tuple[Merge, ...]) -> None:
    last_row = max(grid, default=0)
    for min_row, min_col, max_row, _max_col in merges:
        top = grid.get(min_row, {}).get(min_col, "")
        if not top:
            continue
        for row in range(min_row + 1, min(max_row, last_row) + 1):
            columns = grid.setdefault(row, {})
            if not columns.get(min_col):
                columns[min_col] = top


def _spans(merges: tuple[Merge, ...], index: Mapping[int, int]) -> dict[int, tuple[tuple[int, int], ...]]:
    spans: dict[int, list[tuple[int, int]]] = {}
    for min_row, min_col, _max_row, max_col in merges:
        if max_col <= min_col or min_col not in index:
            continue
        covered = [index[col] for col in range(min_col, max_col + 1) if col in index]
        spans.setdefault(min_row, []).append((covered[0], covered[-1]))
    return {row: tuple(found) for row, found in spans.items()}
