"""The study-wide suggestion job."""

from __future__ import annotations

from typing import Any

from core.embeddings import embedder
from core.jobs import JobContext, job_handler
from core.settings import get_settings
from evidence.linking.suggest import suggest_links


@job_handler("evidence.suggest_links")
def suggest_study_links(context: JobContext) -> dict[str, Any]:
    """Suggest links for the whole study. Params: ``similarity`` (default true) and
    ``embedding_model`` (default: the setting)."""
    if context.study_id is None:
        raise ValueError("evidence.suggest_links needs a study")
    use_similarity = bool(context.params.get("similarity", True))
    model = context.params.get("embedding_model") or get_settings().embedding_model
    report = suggest_links(context.db, context.study_id, embedder=embedder(model) if use_similarity else None,
                           progress=context.progress)
    return report.as_json()
