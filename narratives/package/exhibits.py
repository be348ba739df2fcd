"""Exhibit numbering: the study's evidence the package carries, numbered 1..n.

An artifact is an exhibit when an approved narrative cites it (``exhibit:<artifact id>``) or an
accepted link ties it to a project, uncertainty, experiment or layer; removed evidence never is.
Exhibits are numbered by artifact id, so the same study state always gives the same numbers.
Each carries its latest revision: the original the ZIP holds and whose SHA-256 the index prints.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.users import User
from evidence.models import Artifact, ArtifactRevision, EvidenceLink, LinkStatus
from narratives.render import EXHIBIT

EXHIBIT_FOLDER = "exhibits"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class ExhibitEntry:
    """One numbered exhibit: what the index prints and what the ZIP holds."""

    number: int
    artifact_id: int
    revision: int
    title: str
    kind: str
    source: str
    path: str
    original_name: str
    media_type: str
    size: int
    sha256: str
    content_start: dt.date | None
    content_end: dt.date | None
    uploaded_by: str
    uploaded_at: dt.datetime

    @property
    def label(self) -> str:
        return f"Exhibit {self.number}"

    @property
    def anchor(self) -> str:
        return f"exhibit-{self.number}"

    @property
    def file_name(self) -> str:
        """``EX-0007-<original name>``: sorts by number, safe on every file system."""
        name = _UNSAFE.sub("_", PurePosixPath(self.original_name).name).strip("._") or "original"
        return f"EX-{self.number:04d}-{name[:120]}"

    @property
    def zip_path(self) -> str:
        return f"{EXHIBIT_FOLDER}/{self.file_name}"

    @property
    def is_pdf(self) -> bool:
        return self.media_type == "application/pdf" or self.original_name.lower().endswith(".pdf")

    def as_json(self) -> dict[str, object]:
        return {"number": self.number, "artifact_id": self.artifact_id, "revision": self.revision,
                "title": self.title, "kind": self.kind, "source": self.source, "path": self.path,
                "original_name": self.original_name, "media_type": self.media_type, "size": self.size,
                "sha256": self.sha256, "file": f"data/{self.zip_path}",
                "content_start": _iso(self.content_start), "content_end": _iso(self.content_end),
                "uploaded_by": self.uploaded_by, "uploaded_at": _iso(self.uploaded_at)}


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def cited_artifact_ids(markdowns: Iterable[str]) -> set[int]:
    return {int(match.group(1)) for text in markdowns for match in EXHIBIT.finditer(text)}


def linked_artifact_ids(session: Session, study_id: int) -> set[int]:
    return set(session.scalars(select(EvidenceLink.artifact_id).where(
        EvidenceLink.study_id == study_id, EvidenceLink.status == LinkStatus.ACCEPTED)))


def number_exhibits(session: Session, study_id: int, wanted: set[int]) -> list[ExhibitEntry]:
    """The wanted artifacts of this study that are not removed, numbered in artifact-id order."""
    if not wanted:
        return []
    artifacts = session.scalars(
        select(Artifact).where(Artifact.study_id == study_id, Artifact.id.in_(sorted(wanted)),
                               Artifact.removed_at.is_(None))
        .options(selectinload(Artifact.revisions)).order_by(Artifact.id))
    latest = [(a, max(a.revisions, key=lambda r: r.number)) for a in artifacts if a.revisions]
    uploaders = user_labels(session, {r.uploaded_by_id for _, r in latest if r.uploaded_by_id})
    return [_entry(number, artifact, revision, uploaders)
            for number, (artifact, revision) in enumerate(latest, start=1)]


def user_labels(session: Session, ids: set[int]) -> dict[int, str]:
    """``Name <email>`` of each user id, as the package names people."""
    if not ids:
        return {}
    return {user.id: f"{user.name} <{user.email}>"
            for user in session.scalars(select(User).where(User.id.in_(sorted(ids))))}


def _entry(number: int, artifact: Artifact, revision: ArtifactRevision,
           uploaders: dict[int, str]) -> ExhibitEntry:
    uploaded_by = uploaders.get(revision.uploaded_by_id or 0, "system (ingested)")
    return ExhibitEntry(number, artifact.id, revision.number, artifact.title, artifact.kind.value,
                        artifact.source, artifact.path, revision.original_name, revision.media_type,
                        revision.size, revision.blob_sha256, revision.content_start, revision.content_end,
                        uploaded_by, revision.uploaded_at)
