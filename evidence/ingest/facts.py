"""Writing what a parser extracted, inside the caller's transaction, hung off one revision.

Each ``write_*`` returns the counts the CLI and API report for the artifact. Values that JSON
cannot hold (NaN, infinities: a diverged run) are kept as the strings "NaN", "Infinity" and
"-Infinity", so nothing a run logged is lost or silently turned into a number.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from evidence.models import (
    AblationMetric,
    AblationVariant,
    Decision,
    DecisionOption,
    MetricDirection,
    Run,
)
from evidence.parsers.ablation_types import AblationTable, Measurement
from evidence.parsers.adr_model import ParsedDecision
from evidence.parsers.runs import MetricSeries, ParsedRun, redact_personal

MAX_CHART_POINTS = 300

JsonNumber = float | str | None


def json_number(value: float | None) -> JsonNumber:
    if value is None:
        return None
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def write_decision(session: Session, *, study_id: int, revision_id: int,
                   parsed: ParsedDecision) -> dict[str, int]:
    decision = Decision(
        study_id=study_id, revision_id=revision_id, template=parsed.template, number=parsed.number,
        title=parsed.title[:300], status=parsed.status[:80], decided_on=parsed.decided_on,
        deciders=list(parsed.deciders), drivers=list(parsed.drivers), context=parsed.context,
        outcome=parsed.decision, consequences=parsed.consequences, tags=list(parsed.tags),
        links=[{"kind": link.kind, "target": link.target} for link in parsed.links])
    decision.options = [
        DecisionOption(name=option.name[:300], description=option.description, chosen=option.chosen,
                       pros=list(option.pros), cons=list(option.cons))
        for option in parsed.options]
    session.add(decision)
    session.flush()
    return {"decisions": 1, "options": len(parsed.options)}


def write_runs(session: Session, *, study_id: int, revision_id: int,
               runs: Sequence[ParsedRun]) -> dict[str, Any]:
    rows = [_run_row(study_id, revision_id, redact_personal(run)) for run in runs]
    for start in range(0, len(rows), 500):
        session.execute(insert(Run), rows[start:start + 500])
    by_status = Counter(run.status for run in runs)
    return {"runs": len(runs), "runs_by_status": dict(sorted(by_status.items())),
            "metrics": len({series.key for run in runs for series in run.metrics})}


def _run_row(study_id: int, revision_id: int, run: ParsedRun) -> dict[str, Any]:
    return {
        "study_id": study_id, "revision_id": revision_id, "external_id": run.external_id[:120],
        "tracker": run.tracker, "experiment_name": run.experiment[:300], "name": run.name[:300],
        "status": run.status, "started_at": run.started_at, "ended_at": run.ended_at,
        "source_commit": (run.source_commit or None) and run.source_commit[:64].lower(),
        "params": dict(run.params), "tags": dict(run.tags),
        "metrics": {series.key: metric_summary(series) for series in run.metrics},
    }


def metric_summary(series: MetricSeries) -> dict[str, Any]:
    """Final, lowest and highest value, point count and the series thinned for a chart."""
    return {"final": json_number(series.final), "min": json_number(series.best("min")),
            "max": json_number(series.best("max")), "count": len(series.points),
            "points": [[step, json_number(value)] for step, value, _ in _thinned(series)]}


def _thinned(series: MetricSeries) -> list[tuple[int | None, float, Any]]:
    points = list(series.points)
    if len(points) <= MAX_CHART_POINTS:
        return points
    stride = len(points) / (MAX_CHART_POINTS - 1)
    kept = [points[int(index * stride)] for index in range(MAX_CHART_POINTS - 1)]
    return [*kept, points[-1]]


def write_ablation(session: Session, *, study_id: int, revision_id: int,
                   tables: Sequence[AblationTable]) -> dict[str, Any]:
    for table in tables:
        session.execute(insert(AblationMetric), [
            {"study_id": study_id, "revision_id": revision_id, "sheet": table.sheet[:200],
             "name": column.name[:300], "unit": (column.unit or None) and column.unit[:40],
             "better": MetricDirection(column.better)}
            for column in table.metric_columns])
        session.execute(insert(AblationVariant), [
            {"study_id": study_id, "revision_id": revision_id, "sheet": variant.sheet[:200],
             "row": variant.row, "name": variant.name[:300], "is_baseline": variant.is_baseline,
             "factors": dict(variant.factors),
             "metrics": {name: _measurement(value) for name, value in variant.metrics.items()}}
            for variant in table.variants])
    return {"tables": len(tables), "variants": sum(len(table.variants) for table in tables),
            "metrics": sum(len(table.metric_columns) for table in tables),
            "questions": sum(len(table.questions) for table in tables)}


def ablation_summary(tables: Sequence[AblationTable]) -> list[dict[str, Any]]:
    """What the revision's summary keeps of each table's layout, for the page and the package."""
    return [{"sheet": table.sheet, "shape": table.shape, "variant_column": table.variant_column,
             "factor_columns": list(table.factor_columns), "baseline": table.baseline,
             "questions": list(table.questions)} for table in tables]


def _measurement(value: Measurement) -> dict[str, Any]:
    return {"value": json_number(value.value), "raw": value.raw,
            "delta_pct": json_number(value.delta_pct), "best": json_number(value.best),
            "series_len": value.series_len}
