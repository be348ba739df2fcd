"""Keeping originals: each upload becomes an artifact revision whose blob never changes.

The blob is written first (hashed while streaming), then one transaction writes the rows.
Same content in the same study is the same artifact (``duplicate``); new content at a known
source and path is a new revision of that artifact (``revision``); every earlier revision
stays. Removing an artifact is a recorded action with a reason; nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.blobs import FreshBlobs
from core.db import utcnow
from evidence.models import Artifact, ArtifactKind, ArtifactRevision


class Outcome(enum.StrEnum):
    NEW = "new"
    DUPLICATE = "duplicate"
    REVISION = "revision"


@dataclass(frozen=True)
class Original:
    """An incoming file: its bytes and what is known about where it came from."""

    stream: BinaryIO
    original_name: str
    media_type: str
    kind: ArtifactKind
    source: str
    path: str
    title: str
    content_start: dt.date | None = None
    content_end: dt.date | None = None
    summary: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Stored:
    artifact: Artifact
    revision: ArtifactRevision
    outcome: Outcome


class EvidenceError(ValueError):
    """A request about evidence that cannot be carried out; the message says why."""


def store_original(session: Session, blobs: FreshBlobs, study_id: int, original: Original, *,
                   uploaded_by_id: int | None, max_size: int | None = None) -> Stored:
    blob = blobs.put(session, original.stream, media_type=original.media_type, max_size=max_size)
    existing = _revision_with_content(session, study_id, blob.sha256)
    if existing is not None:
        return Stored(existing.artifact, existing, Outcome.DUPLICATE)
    artifact = _artifact_at(session, study_id, original.source, original.path)
    outcome = Outcome.REVISION if artifact is not None else Outcome.NEW
    if artifact is None:
        artifact = Artifact(study_id=study_id, kind=original.kind, source=original.source,
                            path=original.path, title=original.title)
        session.add(artifact)
        session.flush()
    revision = ArtifactRevision(
        study_id=study_id, artifact_id=artifact.id, number=_next_number(session, artifact.id),
        blob_sha256=blob.sha256, size=blob.size, media_type=original.media_type,
        original_name=original.original_name, uploaded_by_id=uploaded_by_id,
        content_start=original.content_start, content_end=original.content_end,
        summary=original.summary)
    session.add(revision)
    session.flush()
    return Stored(artifact, revision, outcome)


def remove_artifact(artifact: Artifact, *, reason: str, removed_by_id: int | None) -> None:
    """Take an artifact out of the study's evidence; its revisions and blobs stay."""
    if not reason.strip():
        raise EvidenceError("say why the evidence is removed; the reason goes in the audit file")
    if artifact.removed_at is not None:
        raise EvidenceError(f"artifact {artifact.id} was already removed on {artifact.removed_at:%Y-%m-%d}")
    artifact.removed_at, artifact.removed_by_id = utcnow(), removed_by_id
    artifact.removed_reason = reason.strip()


def _revision_with_content(session: Session, study_id: int, sha256: str) -> ArtifactRevision | None:
    query = (select(ArtifactRevision).where(ArtifactRevision.study_id == study_id,
                                            ArtifactRevision.blob_sha256 == sha256)
             .order_by(ArtifactRevision.id))
    return session.scalars(query).first()


def _artifact_at(session: Session, study_id: int, source: str, path: str) -> Artifact | None:
    query = select(Artifact).where(Artifact.study_id == study_id, Artifact.source == source,
                                   Artifact.path == path)
    return session.scalars(query).first()


def _next_number(session: Session, artifact_id: int) -> int:
    query = select(func.coalesce(func.max(ArtifactRevision.number), 0)).where(
        ArtifactRevision.artifact_id == artifact_id)
    return int(session.execute(query).scalar_one()) + 1
