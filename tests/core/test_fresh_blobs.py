"""A unit of work that stores originals and then fails leaves no orphan blob behind."""

import io

import pytest
from sqlalchemy import select

from core.blobs import BlobRecord, fresh_blobs
from core.blobstore import LocalBlobStore


def test_failed_transaction_takes_back_its_new_blobs(db, session, tmp_path) -> None:
    store = LocalBlobStore(tmp_path / "blobs")
    kept = store.put_bytes(b"stored earlier and committed")
    with db.transaction() as setup:
        setup.add(BlobRecord(sha256=kept.sha256, size=kept.size))
    with pytest.raises(RuntimeError), fresh_blobs(db, store) as blobs, db.transaction() as tx:
        new = blobs.put(tx, io.BytesIO(b"brand new original"), media_type="text/plain")
        blobs.put(tx, io.BytesIO(b"stored earlier and committed"), media_type="text/plain")
        raise RuntimeError("parser failed on row 7")
    assert not store.exists(new.sha256)
    assert store.exists(kept.sha256)
    assert set(store.iter_hashes()) == {kept.sha256}
    assert session.scalars(select(BlobRecord.sha256)).all() == [kept.sha256]


def test_successful_transaction_keeps_blob_and_record(db, session, tmp_path) -> None:
    store = LocalBlobStore(tmp_path / "blobs")
    with fresh_blobs(db, store) as blobs, db.transaction() as tx:
        blob = blobs.put(tx, io.BytesIO(b"an ADR"), media_type="text/markdown")
    assert store.read_bytes(blob.sha256) == b"an ADR"
    assert session.get(BlobRecord, blob.sha256).media_type == "text/markdown"
