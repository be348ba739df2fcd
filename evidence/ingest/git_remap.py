"""Re-apply changed commit rules to a repository's stored commits.

Rules decide which project each commit counts for; when they change (a path was missed, a
project was added), the commits already stored are attributed again from their stored facts,
without reading the history again. Branch conditions need the repository's shape, so the
original bundle is cloned only when a rule has ``branches``. Stored commits keep each file's
current path only, so a path pattern no longer matches a file's name before a rename.

All of an artifact's attributions are replaced in one transaction; the revision's summary
records the new per-rule counts, and the audit trail the change.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core.blobstore import BlobStore
from core.db import Database, utcnow
from evidence.ingest.git_commits import branch_commits
from evidence.ingest.git_rules import CommitRules, RuleError
from evidence.models import Artifact, ArtifactKind, ArtifactRevision, CommitProject, GitCommit, GitRef
from evidence.parsers.gitlog import CommitRecord, FileChange, RefRecord
from evidence.parsers.gitsource import open_repository
from studies.models import BusinessComponent

BATCH = 2_000


class RemapError(ValueError):
    """The artifact is not a stored repository of the study, or the rules name unknown projects."""


@dataclass(frozen=True)
class RemapResult:
    artifact_id: int
    commits: int
    before: dict[str, int]
    after: dict[str, int]

    def as_json(self) -> dict[str, Any]:
        return {"artifact_id": self.artifact_id, "commits": self.commits, "before": self.before,
                "after": self.after}


def reapply_rules(db: Database, blobs: BlobStore, study_id: int, artifact_id: int, rules: CommitRules, *,
                  user_id: int | None) -> RemapResult:
    with db.session(reading=True) as session:
        revision, refs, project_ids = _checked(session, study_id, artifact_id, rules)
        sha256 = revision.blob_sha256
    reachable = _branch_commits(blobs, sha256, rules, refs) if any(r.branches for r in rules.rules) else {}
    with db.transaction() as session:
        before = _counts(session, artifact_id)
        session.execute(delete(CommitProject).where(CommitProject.commit_id.in_(
            select(GitCommit.id).where(GitCommit.artifact_id == artifact_id))))
        commits, by_rule = 0, Counter[int]()
        for batch in _stored_commits(session, artifact_id):
            rows = []
            for commit_id, record in batch:
                commits += 1
                for code, rule in rules.attribute(record, reachable).items():
                    by_rule[rule.number] += 1
                    rows.append(CommitProject(commit_id=commit_id, project_id=project_ids[code],
                                              rule=rule.text()))
            session.add_all(rows)
            session.flush()
        after = _counts(session, artifact_id)
        latest = session.get(ArtifactRevision, revision.id)
        assert latest is not None
        counts = [{"rule": rule.text(), "project": rule.project, "commits": by_rule[rule.number]}
                  for rule in rules.rules]
        latest.summary = {**latest.summary, "rules": counts, "rules_reapplied": {
            "at": utcnow().isoformat(), "by_user_id": user_id, "source": rules.source}}
    return RemapResult(artifact_id, commits, before, after)


def _checked(session: Session, study_id: int, artifact_id: int,
             rules: CommitRules) -> tuple[ArtifactRevision, list[RefRecord], dict[str, int]]:
    artifact = session.get(Artifact, artifact_id)
    if artifact is None or artifact.study_id != study_id or artifact.kind is not ArtifactKind.GIT_REPOSITORY:
        raise RemapError(f"artifact {artifact_id} is not a git repository of this study")
    if artifact.removed_at is not None:
        raise RemapError(f"artifact {artifact_id} was removed from the study")
    revision = session.scalars(select(ArtifactRevision).where(ArtifactRevision.artifact_id == artifact_id)
                               .order_by(ArtifactRevision.number.desc())).first()
    if revision is None:
        raise RemapError(f"artifact {artifact_id} has no stored revision")
    known = {code: project_id for code, project_id in session.execute(
        select(BusinessComponent.code, BusinessComponent.id).where(BusinessComponent.study_id == study_id))}
    try:
        rules.check_projects(known)
    except RuleError as exc:
        raise RemapError(str(exc)) from exc
    refs = [RefRecord(ref.name, ref.kind.value, ref.target)  # type: ignore[arg-type]
            for ref in session.scalars(select(GitRef).where(GitRef.revision_id == revision.id))]
    return revision, refs, {code: known[code] for code in rules.codes()}


def _branch_commits(blobs: BlobStore, sha256: str, rules: CommitRules,
                    refs: list[RefRecord]) -> dict[int, frozenset[str]]:
    scratch = Path(tempfile.mkdtemp(prefix="fourpart-remap-"))
    try:
        bundle = scratch / "original.bundle"
        with blobs.open(sha256) as source, bundle.open("wb") as out:
            shutil.copyfileobj(source, out, 1 << 20)
        return branch_commits(open_repository(str(bundle), scratch / "clone"), rules, refs)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _stored_commits(session: Session, artifact_id: int) -> Iterator[list[tuple[int, CommitRecord]]]:
    query = (select(GitCommit.id, GitCommit.sha, GitCommit.author_name, GitCommit.author_email,
                    GitCommit.authored_at, GitCommit.committed_at, GitCommit.message, GitCommit.files)
             .where(GitCommit.artifact_id == artifact_id).order_by(GitCommit.id)
             .execution_options(yield_per=BATCH))
    batch: list[tuple[int, CommitRecord]] = []
    for commit_id, sha, name, email, authored, committed, message, files in session.execute(query):
        changes = tuple(FileChange(path, insertions, deletions) for path, insertions, deletions in files)
        batch.append((commit_id, CommitRecord(sha, (), name, email, authored, name, email, committed, message,
                                              changes)))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _counts(session: Session, artifact_id: int) -> dict[str, int]:
    query = (select(BusinessComponent.code, GitCommit.id)
             .join(CommitProject, CommitProject.project_id == BusinessComponent.id)
             .join(GitCommit, GitCommit.id == CommitProject.commit_id)
             .where(GitCommit.artifact_id == artifact_id))
    return dict(sorted(Counter(code for code, _ in session.execute(query)).items()))
