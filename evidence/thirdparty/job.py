"""The ``evidence.detect_third_party`` job: detect in every repository, then propose layers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.jobs import JobContext, job_handler
from evidence.thirdparty.detect import detect_in_study
from evidence.thirdparty.layers import propose_third_party_layers
from studies.models import BusinessComponent

JOB_KIND = "evidence.detect_third_party"


@job_handler(JOB_KIND)
def detect_third_party(context: JobContext) -> dict[str, Any]:
    """Params: ``artifact_id`` (optional) limits it to one repository."""
    if context.study_id is None:
        raise ValueError(f"{JOB_KIND} needs a study")
    artifact_id = context.params.get("artifact_id")
    results = detect_in_study(context.db, context.blobs, context.study_id,
                              artifact_id=int(artifact_id) if artifact_id is not None else None,
                              progress=lambda f, m: context.progress(0.9 * f, m))
    context.progress(0.9, "proposing third-party layers")
    with context.db.transaction() as session:
        proposal = propose_third_party_layers(
            session, context.study_id, [f for result in results for f in result.findings])
        query = select(BusinessComponent.id, BusinessComponent.code).where(
            BusinessComponent.study_id == context.study_id)
        codes = {project_id: code for project_id, code in session.execute(query)}
    context.progress(1.0, f"{len(proposal.layers)} layer(s) proposed, {proposal.links} link(s) suggested")
    return {"repositories": [result.as_json(codes) for result in results], **proposal.as_json()}
