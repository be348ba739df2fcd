"""Evidence jobs: ingesting staged uploads, and re-checking every original's hash."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any, cast

from sqlalchemy import select

from core.blobstore import BlobError
from core.jobs import JobContext, job_handler
from core.settings import get_settings
from evidence.ingest.files import ingest_files
from evidence.ingest.limits import IngestLimits
from evidence.ingest.results import IngestFailure
from evidence.ingest.staging import StagedUpload, discard_unused, limits_of
from evidence.models import ArtifactRevision


@job_handler("evidence.ingest")
def ingest_staged_uploads(context: JobContext) -> dict[str, Any]:
    """Ingest the files a page or the API staged; the staged copies not kept as originals go."""
    if context.study_id is None:
        raise ValueError("evidence.ingest needs a study")
    staged = [cast(StagedUpload, upload) for upload in context.params.get("uploads", [])]
    try:
        with ExitStack() as stack:
            files = [(upload["path"], stack.enter_context(context.blobs.open(upload["sha256"])))
                     for upload in staged]
            reported = ingest_files(
                context.db, context.blobs, context.study_id, files,
                uploaded_by_id=context.params.get("uploaded_by_id"),
                source=str(context.params.get("source", "upload")),
                limits=limits_of(context.params) or IngestLimits.from_settings(get_settings()),
                progress=context.progress)
    finally:
        discard_unused(context.db, context.blobs, staged)
    return {"artifacts": [item.as_json() for item in reported if not isinstance(item, IngestFailure)],
            "failures": [item.as_json() for item in reported if isinstance(item, IngestFailure)]}


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
