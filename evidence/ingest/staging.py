"""Handing uploads to a job: each file goes to the blob store first, the job reads it back.

A staged blob is not yet evidence (no ``blobs`` row names it). The ``evidence.ingest`` job
either stores it as an original or, when the file is refused or was only a container (an
archive, a file of a folder that is packed), discards it: see :func:`discard_unused`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, BinaryIO, TypedDict

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.blobs import known_hashes
from core.blobstore import BlobStore
from core.db import Database
from core.jobs import QUEUED, RUNNING, Job
from evidence.ingest.archives import safe_entry_name
from evidence.ingest.limits import IngestLimits


class StagedUpload(TypedDict):
    sha256: str
    filename: str
    path: str


def stage_upload(store: BlobStore, stream: BinaryIO, filename: str, *, max_size: int,
                 relative_path: str | None = None) -> StagedUpload:
    """Put one uploaded file in the store; ``path`` is where it sits in the uploaded tree.

    Raises EvidenceParseError for an unsafe name and BlobTooLarge above ``max_size``.
    """
    path = str(safe_entry_name(relative_path or filename, relative_path or filename))
    blob = store.put(stream, max_size=max_size)
    return {"sha256": blob.sha256, "filename": filename, "path": path}


def ingest_job_params(uploads: list[StagedUpload], *, source: str, uploaded_by_id: int | None,
                      limits: IngestLimits) -> dict[str, Any]:
    """The parameters of an ``evidence.ingest`` job; the limits travel with it, so a worker
    applies the ones of the server that accepted the upload."""
    return {"uploads": uploads, "source": source, "uploaded_by_id": uploaded_by_id,
            "limits": {"max_file_bytes": limits.max_file_bytes, "max_files": limits.max_files,
                       "max_unpacked_bytes": limits.max_unpacked_bytes}}


def limits_of(params: dict[str, Any]) -> IngestLimits | None:
    """The limits an ``evidence.ingest`` job was given, if any."""
    given = params.get("limits")
    if not isinstance(given, dict):
        return None
    return IngestLimits(**{key: int(value) for key, value in given.items()
                           if key in ("max_file_bytes", "max_files", "max_unpacked_bytes")})


def discard_unused(db: Database, store: BlobStore, staged: Iterable[StagedUpload]) -> None:
    """Remove staged blobs that no stored revision or blob row refers to."""
    hashes = {upload["sha256"] for upload in staged}
    with db.session(reading=True) as session:
        kept = known_hashes(session, hashes)
    for sha256 in hashes - kept:
        store.discard(sha256)


def awaited_staged_hashes(session: Session) -> set[str]:
    """Staged blobs that a queued or running job will still read (an orphan sweep keeps them)."""
    params = session.scalars(select(Job.params).where(Job.status.in_((QUEUED, RUNNING))))
    return {upload["sha256"] for param in params for upload in _uploads(param)}


def _uploads(params: object) -> list[dict[str, str]]:
    if not isinstance(params, dict):
        return []
    uploads = params.get("uploads")
    candidates = [*(uploads if isinstance(uploads, list) else ()), params.get("repo")]  # evidence.git bundles
    return [upload for upload in candidates if isinstance(upload, dict) and "sha256" in upload]
