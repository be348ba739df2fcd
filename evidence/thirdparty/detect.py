"""Detection over a study's ingested repositories: read each one's original, then find and map."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.blobstore import BlobError, BlobStore
from core.db import Database
from evidence.models import Artifact, ArtifactKind, ArtifactRevision
from evidence.parsers import EvidenceParseError
from evidence.parsers.gitsource import BUNDLE_HEADERS, open_repository
from evidence.thirdparty.findings import Finding
from evidence.thirdparty.mapping import ProjectPaths, group_findings
from evidence.thirdparty.scan import RepositoryScan, scan_repository
from evidence.thirdparty.tree import ReadLimits
from evidence.thirdparty.vendors import catalog


@dataclass(frozen=True)
class Repository:
    """An ingested repository: its artifact, the blob of its latest original, its project paths."""

    artifact_id: int
    title: str
    sha256: str
    paths: ProjectPaths


@dataclass
class RepositoryResult:
    repository: Repository
    scan: RepositoryScan | None = None
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None

    def as_json(self, project_codes: dict[int, str]) -> dict[str, Any]:
        found = [{**f.as_json(), "project": project_codes.get(f.project_id or -1)} for f in self.findings]
        return {"artifact_id": self.repository.artifact_id, "title": self.repository.title,
                "error": self.error, **(self.scan.as_json() if self.scan else {}), "findings": found}


def study_repositories(session: Session, study_id: int, artifact_id: int | None = None) -> list[Repository]:
    """The study's git repositories still in its evidence (or the one asked for)."""
    query = (select(Artifact).where(Artifact.study_id == study_id, Artifact.removed_at.is_(None),
                                    Artifact.kind == ArtifactKind.GIT_REPOSITORY).order_by(Artifact.id))
    if artifact_id is not None:
        query = query.where(Artifact.id == artifact_id)
    found = []
    for artifact in session.scalars(query):
        latest = session.scalars(select(ArtifactRevision).where(ArtifactRevision.artifact_id == artifact.id)
                                 .order_by(ArtifactRevision.number.desc())).first()
        if latest is not None:
            found.append(Repository(artifact.id, artifact.title, latest.blob_sha256,
                                    ProjectPaths.of_artifact(session, artifact.id)))
    return found


def detect_in_repository(blobs: BlobStore, repository: Repository, *,
                         limits: ReadLimits | None = None) -> RepositoryResult:
    """Clone the original bundle into a scratch folder, scan HEAD, and map what was found."""
    result = RepositoryResult(repository)
    scratch = Path(tempfile.mkdtemp(prefix="fourpart-thirdparty-"))
    try:
        bundle = scratch / "original.bundle"
        _copy_blob(blobs, repository.sha256, bundle)
        with bundle.open("rb") as handle:
            if handle.read(len(BUNDLE_HEADERS[0])) not in BUNDLE_HEADERS:
                result.error = "the repository's original is not a git bundle; ingest the repository again"
                return result
        result.scan = scan_repository(open_repository(str(bundle), scratch / "clone"), limits=limits)
    except (EvidenceParseError, BlobError, OSError) as exc:
        result.error = f"cannot read the repository: {exc}"
        return result
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result.findings = group_findings(repository.artifact_id, result.scan.mentions, repository.paths,
                                     catalog())
    return result


def _copy_blob(blobs: BlobStore, sha256: str, destination: Path) -> None:
    with blobs.open(sha256) as source, destination.open("wb") as out:
        shutil.copyfileobj(source, out, 1 << 20)


def detect_in_study(db: Database, blobs: BlobStore, study_id: int, *, artifact_id: int | None = None,
                    limits: ReadLimits | None = None,
                    progress: Callable[[float, str], None] | None = None) -> list[RepositoryResult]:
    with db.session(reading=True) as session:
        repositories = study_repositories(session, study_id, artifact_id)
    results = []
    for index, repository in enumerate(repositories):
        if progress:
            progress(index / max(len(repositories), 1), f"reading {repository.title}")
        results.append(detect_in_repository(blobs, repository, limits=limits))
    return results
