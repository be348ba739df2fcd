"""Evidence jobs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.blobstore import BlobError
from core.jobs import JobContext, job_handler
from evidence.models import ArtifactRevision


@job_handler("evidence.verify")
def verify_study_evidence(context: JobContext) -> dict[str, Any]:
    """Re-read every original of the study and check it still hashes to its SHA-256."""
    with context.db.transaction() as session:
        query = select(ArtifactRevision.id, ArtifactRevision.blob_sha256).where(
            ArtifactRevision.study_id == context.study_id).order_by(ArtifactRevision.id)
        revisions = list(session.execute(query))
    problems: list[dict[str, Any]] = []
    for index, (revision_id, sha256) in enumerate(revisions, start=1):
        try:
            context.blobs.verify(sha256)
        except BlobError as exc:
            problems.append({"revision_id": revision_id, "sha256": sha256, "error": str(exc)})
        context.progress(index / len(revisions), f"checked {index} of {len(revisions)} originals")
    return {"checked": len(revisions), "problems": problems}
