"""The registry of stored blobs: a row per blob the database knows about.

A blob present in the store without a row here is an orphan (a crash between writing
the blob and committing its rows); ``fourpart blobs sweep`` lists and removes those.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import BinaryIO

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.blobstore import BlobStore, StoredBlob
from core.db import Base, Database, utcnow


class BlobRecord(Base):
    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int]
    media_type: Mapped[str] = mapped_column(String(120), default="application/octet-stream")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


def register_blob(session: Session, sha256: str, size: int, media_type: str) -> BlobRecord:
    record = session.get(BlobRecord, sha256)
    if record is None:
        record = BlobRecord(sha256=sha256, size=size, media_type=media_type)
        session.add(record)
    return record


def known_hashes(session: Session, among: Iterable[str] | None = None) -> set[str]:
    query = select(BlobRecord.sha256)
    if among is not None:
        query = query.where(BlobRecord.sha256.in_(list(among)))
    return set(session.scalars(query))


class FreshBlobs:
    """Blobs stored during one unit of work, so a failure can take back what it added."""

    def __init__(self, db: Database, store: BlobStore) -> None:
        self.db = db
        self.store = store
        self.created: list[str] = []

    def put(self, session: Session, stream: BinaryIO, *, media_type: str,
            max_size: int | None = None) -> StoredBlob:
        blob = self.store.put(stream, max_size=max_size)
        if blob.created:
            self.created.append(blob.sha256)
        register_blob(session, blob.sha256, blob.size, media_type)
        return blob

    def discard_unreferenced(self) -> None:
        """Remove the blobs this unit created that no committed row refers to."""
        with self.db.session(reading=True) as session:
            kept = known_hashes(session, self.created)
        for sha256 in self.created:
            if sha256 not in kept:
                self.store.discard(sha256)


@contextmanager
def fresh_blobs(db: Database, store: BlobStore) -> Iterator[FreshBlobs]:
    """Wrap a transaction that stores originals: if it fails, no orphan blob stays behind.

    Use it outside the transaction, so the rollback has happened when it cleans up::

        with fresh_blobs(db, store) as blobs, db.transaction() as session:
            blob = blobs.put(session, stream, media_type="text/markdown")
    """
    blobs = FreshBlobs(db, store)
    try:
        yield blobs
    except BaseException:
        blobs.discard_unreferenced()
        raise
