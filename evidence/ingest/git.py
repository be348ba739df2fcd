"""Ingesting a git repository: its history, branches and tags, project attributions, and ADRs.

The repository is a local path, a ``git bundle`` file or a clone URL, acquired by
:func:`evidence.parsers.gitsource.open_repository` (unsafe sources refused, hooks never run).
Its artifact is identified by source ``"git"`` and a path: the one given, else the resolved
local path, the URL without credentials, or the bundle's file name.

The immutable original is a bundle of every ref (an uploaded bundle is kept as it came).
``git bundle create`` runs beside the one streaming ``git log`` that is spooled to disk
(:mod:`evidence.ingest.git_commits`); then a single transaction stores the bundle and writes
the revision, every new commit, the branches and tags, and the commits' projects. A failure
anywhere leaves no row and no blob.

Re-ingesting reads only commits not reachable from the refs stored with the artifact's latest
revision, and skips any the artifact already holds; it is a ``revision``. When every branch
and tag still points where it did, nothing is read or written and the result is the latest
revision as a ``duplicate`` (as it is when the bundle's bytes match any stored original).

Decision records committed on ``HEAD`` (:mod:`evidence.ingest.git_adrs`) then become ADR
artifacts of their own, with source ``git:<repository artifact id>`` and their repository
path, dated by git: the first commit adding the file, and the last one changing it.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from core.blobs import fresh_blobs
from core.blobstore import BlobStore
from core.db import Database
from evidence.ingest.git_adrs import scan_adrs
from evidence.ingest.git_bundle import BundleBuilder
from evidence.ingest.git_commits import (
    HistoryRead,
    TotalCommits,
    Written,
    branch_commits,
    read_history,
    write_history,
)
from evidence.ingest.git_decisions import adr_results
from evidence.ingest.git_rules import CommitRules, RuleError
from evidence.ingest.limits import IngestLimits, Progress, no_progress
from evidence.ingest.results import IngestFailure, IngestResult
from evidence.models import Artifact, ArtifactKind, ArtifactRevision, GitCommit, GitRef, GitRefKind
from evidence.parsers import EvidenceParseError
from evidence.parsers.adr_text import MAX_BYTES as ADR_MAX_BYTES
from evidence.parsers.gitlog import RefRecord, list_refs, resolve_git_dir
from evidence.parsers.gitsource import UnsafeRepositorySource, classify_source, open_repository, redact
from evidence.store import Original, Outcome, store_original
from studies.models import BusinessComponent

__all__ = ["BUNDLE_MEDIA_TYPE", "GIT_SOURCE", "ingest_git"]

GIT_SOURCE = "git"
BUNDLE_MEDIA_TYPE = "application/x-git-bundle"
Reported = IngestResult | IngestFailure
Refs = frozenset[tuple[str, str, str]]


@dataclass(frozen=True)
class _Repository:
    """An acquired repository: where git reads it, what the artifact is called, its original."""

    local: Path
    path: str
    title: str
    uploaded_bundle: Path | None


@dataclass(frozen=True)
class _Previous:
    """The artifact's latest revision: its refs (what a re-ingest excludes) and dates."""

    artifact_id: int
    revision: ArtifactRevision
    refs: Refs


def ingest_git(db: Database, store: BlobStore, study_id: int, repo: str | Path, *,
               uploaded_by_id: int | None, rules: CommitRules | None = None, path: str | None = None,
               workdir: Path, limits: IngestLimits, progress: Progress | None = None) -> list[Reported]:
    """The repository's result first, then one per ADR found in it (see the module docstring).

    Bad input (an unsafe or unreadable source, rules naming unknown projects, a bundle over
    the limits) is an :class:`IngestFailure` and nothing of it is stored.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="git-ingest-", dir=workdir))
    try:
        repository = _acquire(str(repo), scratch, path)
        return _ingest(db, store, study_id, repository, uploaded_by_id=uploaded_by_id, rules=rules,
                       scratch=scratch, limits=limits, progress=progress or no_progress)
    except (EvidenceParseError, UnsafeRepositorySource, RuleError) as exc:
        return [IngestFailure(path or _shown(str(repo)), str(exc))]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _shown(source: str) -> str:
    """How a source is named in a failure: a URL without its credentials."""
    try:
        return redact(source) if classify_source(source) == "url" else source
    except UnsafeRepositorySource:
        return redact(source)


def _acquire(source: str, scratch: Path, path: str | None) -> _Repository:
    kind = classify_source(source)
    local = open_repository(source, scratch / "repository")
    if kind == "url":
        shown = redact(source)
        title = shown.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].removesuffix(".git")
        return _Repository(local, path or shown, title or shown, None)
    resolved = Path(source).expanduser().resolve()
    if resolved.is_file():
        return _Repository(local, path or resolved.name, resolved.stem, resolved)
    _check_self_contained(resolved)
    return _Repository(local, path or str(resolved), resolved.name.removesuffix(".git"), None)


def _check_self_contained(folder: Path) -> None:
    """Refuse a repository that reads another one's objects or refs.

    A folder handed over (an uploaded archive, say) could hold a ``.git`` file, an
    ``objects/info/alternates`` or a ``commondir`` naming some other repository on this
    server, whose history would then be read and stored as this study's evidence.
    """
    git_dir = resolve_git_dir(folder)
    if not git_dir.is_relative_to(folder):
        raise EvidenceParseError(str(folder), f"its git directory is elsewhere ({git_dir}); give the "
                                              "repository itself, not a linked work tree")
    for borrowed in ("objects/info/alternates", "commondir"):
        if (git_dir / borrowed).exists():
            raise EvidenceParseError(str(folder), f"it borrows another repository's data ({borrowed}); "
                                                  "hand over a self-contained clone")


def _ingest(db: Database, store: BlobStore, study_id: int, repository: _Repository, *,
            uploaded_by_id: int | None, rules: CommitRules | None, scratch: Path,
            limits: IngestLimits, progress: Progress) -> list[Reported]:
    progress(0.0, f"reading {repository.path}")
    refs = list_refs(repository.local)
    with db.session(reading=True) as session:
        _project_ids(session, study_id, rules)  # refuse unknown codes before the long read
        previous = _latest(session, study_id, repository.path)
    git_dir = resolve_git_dir(repository.local)
    adrs = scan_adrs(git_dir, scratch / "adrs", max_bytes=min(limits.max_file_bytes, ADR_MAX_BYTES))
    if previous is not None and refs and previous.refs == _ref_set(refs):
        result = _result(previous.artifact_id, previous.revision, Outcome.DUPLICATE, repository.path)
    else:
        read, bundle = _read_beside_bundle(git_dir, repository, refs, previous, rules, scratch, progress)
        max_size = limits.max_file_bytes if repository.uploaded_bundle else limits.max_unpacked_bytes
        _check_size(bundle, max_size, repository.path)
        progress(0.6, f"storing the history of {repository.path}")
        result = _store_history(db, store, study_id, repository, bundle, read, refs, previous,
                                uploaded_by_id=uploaded_by_id, rules=rules, max_size=max_size,
                                warnings=adrs.warnings, progress=progress)
    progress(0.97, f"stored {repository.path}; reading {len(adrs.records)} decision record(s)")
    records = adr_results(db, store, study_id, adrs.records, repo_artifact_id=result.artifact_id,
                          uploaded_by_id=uploaded_by_id, limits=limits)
    progress(1.0, f"done with {repository.path}")
    return [result, *records]


def _read_beside_bundle(git_dir: Path, repository: _Repository, refs: list[RefRecord],
                        previous: _Previous | None, rules: CommitRules | None, scratch: Path,
                        progress: Progress) -> tuple[HistoryRead, Path]:
    """Spool the commits not stored yet while ``git bundle create`` makes the original."""
    exclude = sorted({target for _name, _kind, target in previous.refs}) if previous else []
    # The bundle takes about as long as the log: it starts first and runs beside the rest.
    builder = None if repository.uploaded_bundle else BundleBuilder(git_dir, scratch / "original.bundle")
    total = TotalCommits(git_dir, exclude)
    try:
        reachable = branch_commits(git_dir, rules, refs) if rules else {}
        read = read_history(repository.local, scratch / "history.spool", exclude=exclude, rules=rules,
                            reachable=reachable, progress=progress, total=total)
        bundle = builder.wait() if builder else repository.uploaded_bundle
    finally:
        total.close()
        if builder:
            builder.cancel()
    assert bundle is not None
    return read, bundle


def _store_history(db: Database, store: BlobStore, study_id: int, repository: _Repository, bundle: Path,
                   read: HistoryRead, refs: list[RefRecord], previous: _Previous | None, *,
                   uploaded_by_id: int | None, rules: CommitRules | None, max_size: int,
                   warnings: list[str], progress: Progress) -> IngestResult:
    """One transaction: the bundle as the revision's original, the new commits, refs and projects."""
    start, end = _span(read, previous)
    with fresh_blobs(db, store) as blobs, db.transaction() as session, bundle.open("rb") as stream:
        project_ids = _project_ids(session, study_id, rules)
        original = Original(
            stream=stream, original_name=_original_name(repository, bundle), media_type=BUNDLE_MEDIA_TYPE,
            kind=ArtifactKind.GIT_REPOSITORY, source=GIT_SOURCE, path=repository.path[:500],
            title=repository.title[:300], content_start=start, content_end=end)
        stored = store_original(session, blobs, study_id, original, uploaded_by_id=uploaded_by_id,
                                max_size=max_size)
        revision = stored.revision
        if stored.outcome is not Outcome.DUPLICATE:
            texts = {rule.number: rule.text() for rule in rules.rules} if rules else {}
            written = write_history(session, read, study_id=study_id, artifact_id=stored.artifact.id,
                                    revision_id=revision.id, project_ids=project_ids, rule_texts=texts,
                                    skip_known=stored.outcome is Outcome.REVISION, progress=progress)
            _write_refs(session, study_id, stored.artifact.id, revision.id, refs)
            revision.summary = _summary(session, stored.artifact.id, refs, written, rules, warnings)
            session.flush()
        return _result(stored.artifact.id, revision, stored.outcome, repository.path)
    raise AssertionError("unreachable: the with block returns or raises")


def _original_name(repository: _Repository, bundle: Path) -> str:
    return (bundle.name if repository.uploaded_bundle else f"{repository.title}.bundle")[:300]


def _check_size(bundle: Path, max_size: int, shown: str) -> None:
    size = bundle.stat().st_size
    if size > max_size:
        raise EvidenceParseError(shown, f"the repository's bundle is {size:,} bytes, over the "
                                        f"{max_size:,}-byte limit")


def _project_ids(session: Session, study_id: int, rules: CommitRules | None) -> dict[str, int]:
    """Project code -> id for the codes the rules name; RuleError naming a rule with an unknown code."""
    if rules is None:
        return {}
    query = select(BusinessComponent.code, BusinessComponent.id).where(
        BusinessComponent.study_id == study_id)
    known = dict(session.execute(query).all())
    rules.check_projects(known)
    return {code: known[code] for code in rules.codes()}


def _latest(session: Session, study_id: int, path: str) -> _Previous | None:
    artifact = session.scalars(select(Artifact).where(
        Artifact.study_id == study_id, Artifact.source == GIT_SOURCE, Artifact.path == path[:500])).first()
    if artifact is None:
        return None
    revision = session.scalars(select(ArtifactRevision).where(ArtifactRevision.artifact_id == artifact.id)
                               .order_by(ArtifactRevision.number.desc())).first()
    if revision is None:
        return None
    rows = session.execute(select(GitRef.name, GitRef.kind, GitRef.target)
                           .where(GitRef.revision_id == revision.id))
    refs = frozenset((name, kind.value, target) for name, kind, target in rows)
    return _Previous(artifact.id, revision, refs)


def _ref_set(refs: list[RefRecord]) -> Refs:
    return frozenset((ref.name[:300], ref.kind, ref.target) for ref in refs)


def _span(read: HistoryRead, previous: _Previous | None) -> tuple[dt.date | None, dt.date | None]:
    """Earliest and latest author date of the artifact's commits, the earlier ones included."""
    starts = [day for day in (read.earliest, previous and previous.revision.content_start) if day]
    ends = [day for day in (read.latest, previous and previous.revision.content_end) if day]
    return (min(starts) if starts else None), (max(ends) if ends else None)


def _write_refs(session: Session, study_id: int, artifact_id: int, revision_id: int,
                refs: list[RefRecord]) -> None:
    if refs:
        session.execute(insert(cast(Table, GitRef.__table__)), [
            {"study_id": study_id, "artifact_id": artifact_id, "revision_id": revision_id,
             "name": ref.name[:300], "kind": GitRefKind(ref.kind), "target": ref.target} for ref in refs])


def _summary(session: Session, artifact_id: int, refs: list[RefRecord], written: Written,
             rules: CommitRules | None, warnings: list[str]) -> dict[str, Any]:
    """What the revision keeps: the counts the CLI prints, and what each rule attributed."""
    commits = session.scalar(select(func.count()).select_from(GitCommit).where(
        GitCommit.artifact_id == artifact_id)) or 0
    branches = sum(1 for ref in refs if ref.kind == "branch")
    projects: Counter[str] = Counter()
    by_rule = []
    for rule in rules.rules if rules else ():
        attributed = written.by_rule[rule.number]
        projects[rule.project] += attributed
        by_rule.append({"rule": rule.text(), "project": rule.project, "commits": attributed})
    counts = {"commits": commits, "new_commits": written.commits, "branches": branches,
              "tags": len(refs) - branches, "projects": dict(projects)}
    return {"commits": commits, "new_commits": written.commits, "branches": branches,
            "tags": len(refs) - branches, "rules": by_rule, "counts": counts, "warnings": warnings}


def _result(artifact_id: int, revision: ArtifactRevision, outcome: Outcome, path: str) -> IngestResult:
    summary = revision.summary or {}
    return IngestResult(
        artifact_id=artifact_id, revision_id=revision.id, kind=ArtifactKind.GIT_REPOSITORY,
        sha256=revision.blob_sha256, outcome=outcome, path=path, content_start=revision.content_start,
        content_end=revision.content_end, counts=dict(summary.get("counts", {})),
        warnings=tuple(summary.get("warnings", ())))
