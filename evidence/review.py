"""A person's review of what a parser guessed: which way each ablation metric is better."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import utcnow
from evidence.models import AblationMetric, MetricDirection
from evidence.store import EvidenceError


def confirm_metric_directions(session: Session, revision_id: int,
                              directions: Mapping[int, MetricDirection], *, user_id: int) -> int:
    """Record ``better`` for the revision's metrics as a person confirmed it; returns how many.

    Every metric named is marked confirmed by ``user_id`` now, changed or not: the confirmation
    is what the audit file needs. "unknown" cannot be confirmed.
    """
    metrics = {m.id: m for m in session.scalars(
        select(AblationMetric).where(AblationMetric.revision_id == revision_id))}
    unknown_ids = sorted(set(directions) - set(metrics))
    if unknown_ids:
        raise EvidenceError(f"metric {unknown_ids[0]} is not a metric of this ablation revision")
    now = utcnow()
    for metric_id, better in directions.items():
        if better == MetricDirection.UNKNOWN:
            raise EvidenceError(f"metric {metrics[metric_id].name!r}: choose higher or lower to confirm it")
        metric = metrics[metric_id]
        metric.better, metric.confirmed_by_id, metric.confirmed_at = better, user_id, now
    session.flush()
    return len(directions)
