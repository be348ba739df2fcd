"""The rows under a header and what each column holds.

Data rows are the rows below the header with at least two filled cells (so single-cell title,
section and footnote rows drop out) that do not repeat the header. A column is *numeric* when
more of its cells are numbers than words. Numeric columns are metrics unless their name says
they are settings (lr, seed, dropout, threshold, k, layers, ...; see ``ablation_names``) or
steps (epoch, step, ...). Word columns are keys: a variant name or a factor. A column with no
values is kept only when its name says it is a metric.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from evidence.parsers.ablation_cells import is_excel_error, is_missing, parse_number
from evidence.parsers.ablation_header import Header
from evidence.parsers.ablation_names import (
    direction,
    header_unit,
    is_metric_name,
    is_setting_name,
    is_step_name,
)
from evidence.parsers.ablation_sheet import RawRow, RawSheet
from evidence.parsers.ablation_types import MetricColumn

Role = Literal["metric", "setting", "step", "text"]


@dataclass(frozen=True)
class Column:
    index: int
    name: str
    role: Role

    @property
    def is_key(self) -> bool:
        return self.role != "metric"


def data_rows(sheet: RawSheet, header: Header) -> list[RawRow]:
    header_cells = {row.cells for row in sheet.rows if row.number in header.row_numbers}
    return [
        row for row in sheet.rows[header.data_start :] if row.filled() >= 2 and row.cells not in header_cells
    ]


def column_names(sheet: RawSheet, header: Header) -> list[str]:
    """Header names, ``column C`` where the header is blank, made unique with `` (2)``, `` (3)``."""
    names: list[str] = []
    seen: Counter[str] = Counter()
    for index, label in enumerate(sheet.labels):
        name = header.names[index] if index < len(header.names) else ""
        name = name or f"column {label}"
        seen[name] += 1
        names.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return names


def classify(names: Sequence[str], rows: Sequence[RawRow]) -> list[Column]:
    columns = []
    for index, name in enumerate(names):
        role = _role(name, [row.cell(index) for row in rows])
        if role is not None:
            columns.append(Column(index, name, role))
    return columns


def _role(name: str, cells: list[str]) -> Role | None:
    numbers = sum(1 for text in cells if parse_number(text) is not None)
    words = sum(1 for text in cells if text and not is_missing(text) and not is_excel_error(text)) - numbers
    if numbers and numbers > words:
        if is_step_name(name):
            return "step"
        return "setting" if is_setting_name(name) else "metric"
    if words:
        return "text"
    return "metric" if is_metric_name(name) else None


def metric_column(name: str, base: str, cells: Sequence[str]) -> MetricColumn:
    """The metric ``name``; direction and unit come from its ``base`` name (before any facet)."""
    unit = header_unit(base) or _cell_unit(cells)
    return MetricColumn(name=name, better=direction(base, unit), unit=unit)


def _cell_unit(cells: Sequence[str]) -> str | None:
    """The unit most number cells carry (``12.5%`` → ``%``), if at least half of them do."""
    parsed = [found for found in (parse_number(text) for text in cells) if found is not None]
    units = Counter(found.unit for found in parsed if found.unit)
    if not units:
        return None
    unit, count = units.most_common(1)[0]
    return unit if count * 2 >= len(parsed) else None
