"""Ingesting files and folders: detect each unit, parse it, then store original and facts at once.

For each unit the order is fixed: parse (a bad file stops here, nothing stored), put the
original in the blob store, then one transaction writes the artifact, its revision and every
extracted fact. If that transaction fails, the blob it added is taken back
(:func:`core.blobs.fresh_blobs`), so there is never an orphan blob or an artifact without facts.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import BinaryIO

from core.blobs import fresh_blobs
from core.blobstore import BlobStore
from core.db import Database
from evidence.ingest.archives import is_archive, safe_entry_name, unpacked
from evidence.ingest.detect import Unit, find_units
from evidence.ingest.extract import Extraction, extract
from evidence.ingest.limits import IngestLimits, Progress, no_progress
from evidence.ingest.pack import pack_folder
from evidence.ingest.results import IngestFailure, IngestResult
from evidence.models import ArtifactKind, ArtifactRevision
from evidence.parsers import EvidenceParseError
from evidence.parsers.gitsource import UnsafeRepositorySource
from evidence.store import Original, Outcome, store_original

Reported = IngestResult | IngestFailure
COPY_CHUNK = 1 << 20


def ingest_path(db: Database, store: BlobStore, study_id: int, path: Path, *,
                uploaded_by_id: int | None, source: str = "upload", relative: str | None = None,
                limits: IngestLimits, progress: Progress | None = None) -> Iterator[Reported]:
    """Every artifact at or under ``path``; ``relative`` is its name as the user knows it.

    Archives (zip, tar) are unpacked and their content ingested as if it had been a folder.
    Each unit is atomic: a failure is reported and the next unit goes on.
    """
    report = progress or no_progress
    name = relative or path.name
    with ExitStack() as stack:
        if path.is_file() and is_archive(path):
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="fourpart-unpack-")))
            try:
                path = stack.enter_context(unpacked(path, workdir, source=name, max_files=limits.max_files,
                                                    max_unpacked_bytes=limits.max_unpacked_bytes))
            except EvidenceParseError as exc:
                yield IngestFailure(name, str(exc))
                return
        try:
            units = list(find_units(path, name, max_files=limits.max_files))
        except (OSError, ValueError) as exc:
            yield IngestFailure(name, f"{name}: {exc}" if isinstance(exc, OSError) else str(exc))
            return
        for index, unit in enumerate(units):
            report(index / len(units), f"reading {unit.relative} ({index + 1} of {len(units)})")
            yield from _ingest_unit(db, store, study_id, unit, uploaded_by_id=uploaded_by_id,
                                    source=source, limits=limits)
        report(1.0, f"read {len(units)} item(s) from {name}")


def ingest_files(db: Database, store: BlobStore, study_id: int,
                 files: Iterable[tuple[str, BinaryIO]], *, uploaded_by_id: int | None, source: str,
                 limits: IngestLimits, progress: Progress | None = None) -> list[Reported]:
    """Uploaded files, each named by its relative path (``mlruns/0/abc/meta.yaml`` for a folder
    upload): the tree is rebuilt in a scratch folder, then each top-level entry is ingested."""
    results: list[Reported] = []
    with tempfile.TemporaryDirectory(prefix="fourpart-upload-") as scratch:
        root = Path(scratch)
        for name, stream in files:
            problem = _materialize(root, name, stream, limits.max_file_bytes)
            if problem is not None:
                results.append(problem)
        entries = sorted(root.iterdir(), key=lambda entry: entry.name)
        for index, entry in enumerate(entries):
            def scaled(fraction: float, message: str, index: int = index) -> None:
                (progress or no_progress)((index + fraction) / len(entries), message)
            results.extend(ingest_path(db, store, study_id, entry, uploaded_by_id=uploaded_by_id,
                                       source=source, relative=entry.name, limits=limits,
                                       progress=scaled))
    return results


def _materialize(root: Path, name: str, stream: BinaryIO, max_bytes: int) -> IngestFailure | None:
    try:
        target = root / safe_entry_name(name, name)
    except EvidenceParseError as exc:
        return IngestFailure(name, str(exc))
    if target.exists():
        return IngestFailure(name, f"{name}: the same name was uploaded twice")
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with target.open("wb") as out:
        while chunk := stream.read(COPY_CHUNK):
            written += len(chunk)
            if written > max_bytes:
                out.close()
                target.unlink()
                return IngestFailure(name, f"{name}: over the {max_bytes:,}-byte upload limit")
            out.write(chunk)
    return None


def _ingest_unit(db: Database, store: BlobStore, study_id: int, unit: Unit, *,
                 uploaded_by_id: int | None, source: str, limits: IngestLimits) -> Iterator[Reported]:
    if unit.problem is not None:
        yield IngestFailure(unit.relative, f"{unit.relative}: {unit.problem}")
        return
    if unit.kind is ArtifactKind.GIT_REPOSITORY:
        yield from _ingest_repository(db, store, study_id, unit, uploaded_by_id=uploaded_by_id,
                                      limits=limits)
        return
    try:
        extraction = extract(unit, limits)
        yield store_unit(db, store, study_id, unit, extraction, uploaded_by_id=uploaded_by_id,
                         source=source, limits=limits)
    except EvidenceParseError as exc:
        yield IngestFailure(unit.relative, str(exc))


def _ingest_repository(db: Database, store: BlobStore, study_id: int, unit: Unit, *,
                       uploaded_by_id: int | None, limits: IngestLimits) -> Iterator[Reported]:
    from evidence.ingest.git import ingest_git  # git ingest pulls in GitPython; load it when needed

    with tempfile.TemporaryDirectory(prefix="fourpart-git-") as workdir:
        try:
            yield from ingest_git(db, store, study_id, unit.path, uploaded_by_id=uploaded_by_id,
                                  path=unit.relative, workdir=Path(workdir), limits=limits)
        except (EvidenceParseError, UnsafeRepositorySource) as exc:
            yield IngestFailure(unit.relative, str(exc))


def store_unit(db: Database, store: BlobStore, study_id: int, unit: Unit, extraction: Extraction, *,
               uploaded_by_id: int | None, source: str, limits: IngestLimits) -> IngestResult:
    """Store the unit's original and its facts in one transaction (see the module docstring)."""
    with ExitStack() as stack:
        stream = stack.enter_context(_original_stream(unit, limits))
        blobs = stack.enter_context(fresh_blobs(db, store))
        session = stack.enter_context(db.transaction())
        original = Original(
            stream=stream, original_name=unit.path.name[:300], media_type=extraction.media_type,
            kind=unit.kind, source=source, path=unit.relative[-500:], title=extraction.title[:300],
            content_start=extraction.content_start, content_end=extraction.content_end)
        stored = store_original(session, blobs, study_id, original, uploaded_by_id=uploaded_by_id,
                                max_size=limits.max_unpacked_bytes)
        revision = stored.revision
        if stored.outcome is not Outcome.DUPLICATE:
            counts = extraction.write(session, study_id, revision.id)
            revision.summary = {**extraction.summary, "counts": counts,
                                "warnings": list(extraction.warnings)}
            session.flush()
        return result_of(stored.artifact.id, revision, unit.kind, stored.outcome, unit.relative)
    raise AssertionError("unreachable: ExitStack does not swallow exceptions")


def result_of(artifact_id: int, revision: ArtifactRevision, kind: ArtifactKind, outcome: Outcome,
              path: str) -> IngestResult:
    summary = revision.summary or {}
    return IngestResult(
        artifact_id=artifact_id, revision_id=revision.id, kind=kind, sha256=revision.blob_sha256,
        outcome=outcome, path=path, content_start=revision.content_start,
        content_end=revision.content_end, counts=dict(summary.get("counts", {})),
        warnings=tuple(summary.get("warnings", ())))


@contextmanager
def _original_stream(unit: Unit, limits: IngestLimits) -> Iterator[BinaryIO]:
    """The unit's original bytes: the file itself, or a folder packed into a temporary tar."""
    if not unit.path.is_dir():
        with unit.path.open("rb") as handle:
            yield handle
        return
    with tempfile.TemporaryFile() as packed:
        pack_folder(unit.path, packed, source=unit.relative, max_bytes=limits.max_unpacked_bytes,
                    max_files=limits.max_files)
        packed.seek(0)
        yield packed


__all__ = ["Reported", "ingest_files", "ingest_path", "result_of", "store_unit"]
