"""One sheet's ablation table: header → columns → shape → variants → baseline and questions.

Baseline rule: a variant whose name says ``baseline``/``vanilla``/``control`` wins; failing that,
one whose name says ``original``/``reference``/``default``/``full model``/``w/o nothing``/``no
ablation`` or is just ``base`` (with a question, since a "full model" is as often the proposal).
Several equally good names: the first is taken, with a question. No such name: when some rows
state changes (``0.61(-3.2%)``) and exactly one row with values states none (or only 0 %), that
row is the baseline. Otherwise there is none, and a question asks for it.
"""

from __future__ import annotations

from collections.abc import Sequence

from evidence.parsers.ablation_cells import parse_number
from evidence.parsers.ablation_columns import classify, column_names, data_rows
from evidence.parsers.ablation_header import Header, header_candidates
from evidence.parsers.ablation_names import baseline_rank
from evidence.parsers.ablation_sheet import RawSheet
from evidence.parsers.ablation_types import AblationTable, AblationVariant, MetricColumn
from evidence.parsers.ablation_variants import Built, Draft, build, choose_layout

_NO_BASELINE = (
    "Which row is the baseline? No row is named baseline, vanilla, control or the like, "
    "and no cells state changes relative to one."
)


def find_table(sheet: RawSheet) -> AblationTable | None:
    """The table under the first header candidate that yields one, preferring one whose first data
    row holds a number (a title row with two cells would otherwise pass for the header)."""
    fallback: AblationTable | None = None
    for header in header_candidates(sheet):
        found = _table(sheet, header)
        if found is None:
            continue
        table, numbers_first = found
        if numbers_first:
            return table
        fallback = fallback or table
    return fallback


def _table(sheet: RawSheet, header: Header) -> tuple[AblationTable, bool] | None:
    rows = data_rows(sheet, header)
    columns = classify(column_names(sheet, header), rows)
    metrics = [c for c in columns if not c.is_key]
    keys = [c for c in columns if c.is_key]
    rows = [row for row in rows if any(row.cell(m.index) for m in metrics)]
    if not metrics or not keys or not rows:
        return None
    layout = choose_layout(keys, rows)
    built = build(layout, metrics, rows)
    if not any(draft.metrics for draft in built.drafts):
        return None
    baseline, baseline_questions = choose_baseline(built.drafts)
    table = AblationTable(
        sheet=sheet.name,
        variant_column=layout.variant_column,
        factor_columns=built.factor_columns,
        metric_columns=built.metric_columns,
        baseline=baseline,
        variants=_variants(sheet.name, built, baseline),
        shape=layout.shape,
        questions=(*_direction_questions(built.metric_columns), *baseline_questions, *built.questions),
    )
    numbers_first = any(parse_number(rows[0].cell(m.index)) is not None for m in metrics)
    return table, numbers_first


def _variants(sheet: str, built: Built, baseline: str | None) -> tuple[AblationVariant, ...]:
    return tuple(
        AblationVariant(sheet, d.row, d.name, d.name == baseline, d.factors, d.metrics) for d in built.drafts
    )


def choose_baseline(drafts: Sequence[Draft]) -> tuple[str | None, tuple[str, ...]]:
    """The baseline's name and what to ask about it (see the module docstring for the rule)."""
    ranks = [baseline_rank(d.name) for d in drafts]
    best = max(ranks, default=0)
    if best:
        named = [d.name for d, rank in zip(drafts, ranks, strict=True) if rank == best]
        if len(named) > 1:
            listed = ", ".join(repr(name) for name in named)
            return named[0], (f"Which row is the baseline: {listed}? Took {named[0]!r}.",)
        if best == 1:
            return named[0], (f"Is {named[0]!r} the baseline the other rows compare against?",)
        return named[0], ()
    return _baseline_by_deltas(drafts)


def _baseline_by_deltas(drafts: Sequence[Draft]) -> tuple[str | None, tuple[str, ...]]:
    def states_change(draft: Draft) -> bool:
        return any(m.delta_pct not in (None, 0.0) for m in draft.metrics.values())

    if not any(states_change(d) for d in drafts):
        return None, (_NO_BASELINE,)
    unchanged = [d.name for d in drafts if d.metrics and not states_change(d)]
    if len(unchanged) == 1:
        return unchanged[0], ()
    listed = ", ".join(repr(name) for name in unchanged[:5])
    return None, (f"Which row is the baseline? Rows stating no change: {listed or 'none'}.",)


def _direction_questions(metrics: Sequence[MetricColumn]) -> tuple[str, ...]:
    unknown = dict.fromkeys(m.name.split(" / ")[0] for m in metrics if m.better == "unknown")
    return tuple(f"Is higher or lower better for {name!r}?" for name in unknown)
