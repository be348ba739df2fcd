"""Deciding the table's shape and turning its rows into variants.

Shape rules, in order:

* **long**: there is a numeric step column (epoch, step, iteration, checkpoint, ...) and the
  variant column repeats names with different steps. One variant per distinct name; each metric
  is taken at the last step that has a value (``Measurement.best`` keeps the best over the steps,
  ``series_len`` their number). Other key columns that change within a name are split by kind:
  word columns (split, dataset, task) become part of the metric name (``recall_at_10 /
  statutes``) like a two-row paper header; numeric settings (lr, seed) become part of the variant
  name (``model / lr=0.001``), since they are different configurations; a second step column
  (``step`` beside ``epoch``) is dropped. Rows with equal step keep their order, so the later row
  wins.
* **wide**: the first word column that is mostly unique (≥ 90 % distinct names) names the
  variants; columns with names like model, variant, method, config, system, run, name, ablation
  are tried first. Every other key column is a factor.
* **grid**: no single column names the variants; every key column is a factor and the name joins
  them, words as they are and numbers as ``column=value``: ``hybrid / bge / threshold=0.5``.

The variant column is the first candidate; a repeated name gets `` (row N)`` and a question.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from evidence.parsers.ablation_cells import is_excel_error, parse_measurement
from evidence.parsers.ablation_columns import Column, metric_column
from evidence.parsers.ablation_names import is_variant_name
from evidence.parsers.ablation_sheet import RawRow
from evidence.parsers.ablation_types import Measurement, MetricColumn, Shape

UNIQUE_SHARE = 0.9
MAX_CELL_QUESTIONS = 5


@dataclass(frozen=True)
class Layout:
    shape: Shape
    variant: Column | None  # None for grids
    keys: tuple[Column, ...]  # key columns other than the variant (and step) column
    step: Column | None = None

    @property
    def variant_column(self) -> str:
        return self.variant.name if self.variant else " × ".join(c.name for c in self.keys)


@dataclass(frozen=True)
class Draft:
    row: int
    name: str
    factors: dict[str, str]
    metrics: dict[str, Measurement]


@dataclass(frozen=True)
class Built:
    factor_columns: tuple[str, ...]
    metric_columns: tuple[MetricColumn, ...]
    drafts: tuple[Draft, ...]
    questions: tuple[str, ...]


def choose_layout(keys: Sequence[Column], rows: Sequence[RawRow]) -> Layout:
    words = sorted(
        (c for c in keys if c.role == "text"), key=lambda c: (not is_variant_name(c.name), c.index)
    )
    step = next((c for c in keys if c.role == "step"), None)
    if step is not None and words and varies_within(rows, words[0], step):
        others = tuple(c for c in keys if c not in (words[0], step))
        return Layout("long", words[0], others, step)
    for column in words:
        if _mostly_unique(rows, column):
            return Layout("wide", column, tuple(c for c in keys if c != column))
    if len(keys) == 1 and keys[0].role == "text":
        return Layout("wide", keys[0], ())
    return Layout("grid", None, tuple(keys))


def build(layout: Layout, metrics: Sequence[Column], rows: Sequence[RawRow]) -> Built:
    built = _long(layout, metrics, rows) if layout.shape == "long" else _by_row(layout, metrics, rows)
    drafts, repeats = _unique_names(built.drafts)
    questions = (*_variant_questions(layout, built.drafts), *repeats, *_cell_questions(metrics, rows))
    return Built(built.factor_columns, built.metric_columns, drafts, (*built.questions, *questions))


def varies_within(rows: Sequence[RawRow], group: Column, column: Column) -> bool:
    """True when some name in ``group`` comes with two different values of ``column``."""
    seen: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        values = seen[row.cell(group.index)]
        values.add(row.cell(column.index))
        if len(values) > 1:
            return True
    return False


def _mostly_unique(rows: Sequence[RawRow], column: Column) -> bool:
    names = [row.cell(column.index) for row in rows]
    named = [name for name in names if name]
    return len(named) >= UNIQUE_SHARE * len(names) and len(set(named)) >= UNIQUE_SHARE * len(named)


def _by_row(layout: Layout, metrics: Sequence[Column], rows: Sequence[RawRow]) -> Built:
    drafts = tuple(
        Draft(
            row=row.number,
            name=_row_name(layout, row),
            factors={c.name: row.cell(c.index) for c in layout.keys if row.cell(c.index)},
            metrics=_measurements(metrics, row),
        )
        for row in rows
    )
    columns = tuple(metric_column(m.name, m.name, [row.cell(m.index) for row in rows]) for m in metrics)
    return Built(tuple(c.name for c in layout.keys), columns, drafts, ())


def _row_name(layout: Layout, row: RawRow) -> str:
    if layout.variant is not None:
        name = row.cell(layout.variant.index)
    else:
        name = " / ".join(_part(c, row.cell(c.index)) for c in layout.keys if row.cell(c.index))
    return name or f"(row {row.number})"


def _part(column: Column, value: str) -> str:
    return value if column.role == "text" else f"{column.name}={value}"


def _measurements(metrics: Sequence[Column], row: RawRow) -> dict[str, Measurement]:
    found = {m.name: parse_measurement(row.cell(m.index)) for m in metrics}
    return {name: value for name, value in found.items() if value is not None}


@dataclass(frozen=True)
class _LongPlan:
    variant: Column
    step: Column
    identity: tuple[Column, ...]  # settings that change within a name: part of the variant name
    facets: tuple[Column, ...]  # words that change within a name: part of the metric name
    factors: tuple[Column, ...]
    columns: dict[tuple[int, tuple[str, ...]], MetricColumn]  # (metric column, facet values) → metric


def _long(layout: Layout, metrics: Sequence[Column], rows: Sequence[RawRow]) -> Built:
    plan = _long_plan(layout, metrics, rows)
    groups: dict[tuple[str, ...], list[RawRow]] = defaultdict(list)
    for row in rows:
        groups[tuple(row.cell(c.index) for c in (plan.variant, *plan.identity))].append(row)
    drafts = tuple(_long_draft(plan, members) for members in groups.values())
    return Built(tuple(c.name for c in plan.factors), tuple(plan.columns.values()), drafts, ())


def _long_plan(layout: Layout, metrics: Sequence[Column], rows: Sequence[RawRow]) -> _LongPlan:
    assert layout.variant is not None and layout.step is not None
    varying = [c for c in layout.keys if varies_within(rows, layout.variant, c)]
    facets = tuple(c for c in varying if c.role == "text")
    steps = tuple(c for c in varying if c.role == "step")  # a second counter (step beside epoch)
    facet_keys = dict.fromkeys(tuple(row.cell(c.index) for c in facets) for row in rows)
    columns = {
        (m.index, key): metric_column(_facet_name(m.name, key), m.name, [row.cell(m.index) for row in rows])
        for m in metrics
        for key in facet_keys
    }
    return _LongPlan(
        variant=layout.variant,
        step=layout.step,
        identity=tuple(c for c in varying if c.role == "setting"),
        facets=facets,
        factors=tuple(c for c in layout.keys if c not in facets and c not in steps),
        columns=columns,
    )


def _long_draft(plan: _LongPlan, members: Sequence[RawRow]) -> Draft:
    first = members[0]
    name = first.cell(plan.variant.index) or f"(row {first.number})"
    name += "".join(f" / {c.name}={first.cell(c.index)}" for c in plan.identity if first.cell(c.index))
    ordered = sorted(members, key=lambda row: _step_value(row, plan.step))
    values: dict[str, Measurement] = {}
    for (index, key), column in plan.columns.items():
        series = [
            found
            for row in ordered
            if tuple(row.cell(c.index) for c in plan.facets) == key
            and (found := parse_measurement(row.cell(index))) is not None
        ]
        if series:
            values[column.name] = _summary(series, column)
    factors = {c.name: first.cell(c.index) for c in plan.factors if first.cell(c.index)}
    return Draft(first.number, name, factors, values)


def _step_value(row: RawRow, step: Column) -> float:
    found = parse_measurement(row.cell(step.index))
    return found.value if found is not None else float("-inf")


def _facet_name(metric: str, key: tuple[str, ...]) -> str:
    return " / ".join([metric, *(value for value in key if value)])


def _summary(series: Sequence[Measurement], column: MetricColumn) -> Measurement:
    last = series[-1]
    values = [found.value for found in series]
    best = max(values) if column.better == "higher" else min(values) if column.better == "lower" else None
    return Measurement(last.value, last.delta_pct, last.raw, best=best, series_len=len(series))


def _unique_names(drafts: Sequence[Draft]) -> tuple[tuple[Draft, ...], tuple[str, ...]]:
    first_row: dict[str, int] = {}
    unique: list[Draft] = []
    questions: list[str] = []
    for draft in drafts:
        if draft.name not in first_row:
            first_row[draft.name] = draft.row
            unique.append(draft)
            continue
        questions.append(
            f"Rows {first_row[draft.name]} and {draft.row} are both named {draft.name!r}; "
            "are they the same configuration?"
        )
        unique.append(Draft(draft.row, f"{draft.name} (row {draft.row})", draft.factors, draft.metrics))
    return tuple(unique), tuple(questions)


def _variant_questions(layout: Layout, drafts: Sequence[Draft]) -> tuple[str, ...]:
    questions: list[str] = []
    if layout.variant is not None and not is_variant_name(layout.variant.name):
        questions.append(f"Does column {layout.variant.name!r} name the variants?")
    unnamed = [d.row for d in drafts if d.name == f"(row {d.row})"]
    if unnamed:
        rows = ", ".join(str(row) for row in unnamed[:MAX_CELL_QUESTIONS])
        questions.append(f"Which variants are rows {rows}? They have no name.")
    return tuple(questions)


def _cell_questions(metrics: Sequence[Column], rows: Sequence[RawRow]) -> tuple[str, ...]:
    errors = [
        (row.number, m.name, row.cell(m.index))
        for row in rows
        for m in metrics
        if is_excel_error(row.cell(m.index))
    ]
    return tuple(
        f"Row {number}, column {name!r} holds {text}; it was read as no value. Is that right?"
        for number, name, text in errors[:MAX_CELL_QUESTIONS]
    )
