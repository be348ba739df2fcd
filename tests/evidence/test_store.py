"""Originals are kept once, revised without loss, removed only with a reason."""

import io

import pytest
from sqlalchemy import func, select

from core.audit import AuditEvent
from core.blobs import FreshBlobs, fresh_blobs
from core.blobstore import LocalBlobStore
from evidence.models import ArtifactKind, ArtifactRevision
from evidence.store import EvidenceError, Original, Outcome, remove_artifact, store_original


def _original(content: bytes, path: str = "doc/adr/0002-hybrid.md") -> Original:
    return Original(stream=io.BytesIO(content), original_name=path.rsplit("/", 1)[-1],
                    media_type="text/markdown", kind=ArtifactKind.ADR, source="upload", path=path,
                    title="Use hybrid retrieval")


@pytest.fixture
def blobs(db, tmp_path) -> FreshBlobs:
    return FreshBlobs(db, LocalBlobStore(tmp_path / "blobs"))


def test_new_duplicate_and_revision(session, make_study, blobs) -> None:
    study = make_study()
    first = store_original(session, blobs, study.id, _original(b"# 2. Hybrid\n"), uploaded_by_id=None)
    same_elsewhere = store_original(session, blobs, study.id, _original(b"# 2. Hybrid\n", "copy.md"),
                                    uploaded_by_id=None)
    changed = store_original(session, blobs, study.id, _original(b"# 2. Hybrid, amended\n"),
                             uploaded_by_id=None)
    assert [first.outcome, same_elsewhere.outcome, changed.outcome] == [
        Outcome.NEW, Outcome.DUPLICATE, Outcome.REVISION]
    assert same_elsewhere.artifact.id == first.artifact.id == changed.artifact.id
    numbers = session.scalars(select(ArtifactRevision.number).order_by(ArtifactRevision.number)).all()
    assert numbers == [1, 2]
    store = blobs.store
    assert store.read_bytes(first.revision.blob_sha256) == b"# 2. Hybrid\n"


def test_same_content_in_another_study_is_that_studys_own_artifact(session, make_study, blobs) -> None:
    one, two = make_study(), make_study()
    a = store_original(session, blobs, one.id, _original(b"shared bytes"), uploaded_by_id=None)
    b = store_original(session, blobs, two.id, _original(b"shared bytes"), uploaded_by_id=None)
    assert (a.outcome, b.outcome) == (Outcome.NEW, Outcome.NEW)
    assert a.revision.blob_sha256 == b.revision.blob_sha256


def test_removal_needs_a_reason_and_keeps_everything(session, make_study, blobs) -> None:
    study = make_study()
    stored = store_original(session, blobs, study.id, _original(b"x" * 10), uploaded_by_id=None)
    with pytest.raises(EvidenceError, match="say why"):
        remove_artifact(stored.artifact, reason="  ", removed_by_id=None)
    remove_artifact(stored.artifact, reason="uploaded to the wrong study", removed_by_id=None)
    session.commit()
    assert blobs.store.exists(stored.revision.blob_sha256)
    events = session.scalars(select(AuditEvent).where(AuditEvent.record_type == "artifacts",
                                                      AuditEvent.action == "update")).all()
    assert events[-1].changes["removed_reason"] == [None, "uploaded to the wrong study"]
    with pytest.raises(EvidenceError, match="already removed"):
        remove_artifact(stored.artifact, reason="again", removed_by_id=None)


def test_a_failure_after_storing_leaves_no_blob_and_no_rows(db, session, make_study, tmp_path) -> None:
    study = make_study()
    store = LocalBlobStore(tmp_path / "blobs")
    with pytest.raises(RuntimeError), fresh_blobs(db, store) as blobs, db.transaction() as tx:
        store_original(tx, blobs, study.id, _original(b"half-ingested"), uploaded_by_id=None)
        raise RuntimeError("extraction failed")
    assert list(store.iter_hashes()) == []
    assert session.scalar(select(func.count()).select_from(ArtifactRevision)) == 0
