"""The registry of stored blobs: a row per blob the database knows about.

A blob present in the store without a row here is an orphan (a crash between writing
the blob and committing its rows); ``fourpart blobs sweep`` lists and removes those.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.db import Base, utcnow


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


def known_hashes(session: Session) -> set[str]:
    return set(session.scalars(select(BlobRecord.sha256)))
