"""The values an ablation spreadsheet parses into (re-exported by :mod:`evidence.parsers.ablation`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Direction = Literal["higher", "lower", "unknown"]
Shape = Literal["wide", "long", "grid"]


@dataclass(frozen=True)
class MetricColumn:
    """A measured quantity; ``better`` says which way is an improvement."""

    name: str
    better: Direction
    unit: str | None


@dataclass(frozen=True)
class Measurement:
    """One metric value of one variant.

    ``raw`` is the cell text as written (``"0.625(-32.8%)"``), ``delta_pct`` the relative change the
    cell states itself, if any. In long format the value is the one at the last step; ``series_len``
    counts the steps that had a value and ``best`` is the best of them (``None`` when the metric's
    direction is unknown, and always ``None`` outside long format).
    """

    value: float
    delta_pct: float | None
    raw: str
    best: float | None = None
    series_len: int = 1


@dataclass(frozen=True)
class AblationVariant:
    """One configuration that was tried.

    ``row`` is the 1-based sheet row (XLSX) or the line the record starts on (CSV); in long format,
    the first row of the variant.
    """

    sheet: str
    row: int
    name: str
    is_baseline: bool
    factors: dict[str, str] = field(hash=False)
    metrics: dict[str, Measurement] = field(hash=False)


@dataclass(frozen=True)
class AblationTable:
    """The ablation table of one sheet (for a CSV, ``sheet`` is the file name).

    ``questions`` lists what a person should confirm because the parser had to guess.
    """

    sheet: str
    variant_column: str
    factor_columns: tuple[str, ...]
    metric_columns: tuple[MetricColumn, ...]
    baseline: str | None
    variants: tuple[AblationVariant, ...]
    shape: Shape
    questions: tuple[str, ...]

    def metric(self, name: str) -> MetricColumn:
        """The metric column called ``name`` (``KeyError`` if there is none)."""
        for column in self.metric_columns:
            if column.name == name:
                return column
        raise KeyError(name)

    def variant(self, name: str) -> AblationVariant:
        """The variant called ``name`` (``KeyError`` if there is none)."""
        for variant in self.variants:
            if variant.name == name:
                return variant
        raise KeyError(name)
