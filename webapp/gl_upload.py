"""A GL upload between requests: the file staged in the blob store, remembered in the signed session.

The staged file's hash lives only in the session cookie (signed), never in a form field, so nobody can
point the mapping step at a blob of another study. A file that is refused is discarded at once.
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass
from typing import Any

from flask import session as cookie

from core.blobstore import BlobNotFound, BlobStore
from core.db import Database
from scoring.imports import GLUpload
from scoring.tasks import StagedGL, discard_if_unused

PENDING_KEY = "gl_pending"


@dataclass(frozen=True)
class PendingGL:
    study_id: int
    sha256: str
    filename: str
    industry: str
    blind_share: float

    def staged(self) -> StagedGL:
        return {"sha256": self.sha256, "filename": self.filename, "path": self.filename}

    def upload(self, user_id: int, mapping: Any = None) -> GLUpload:
        return GLUpload(name=self.filename, imported_by_id=user_id, industry=self.industry, mapping=mapping,
                        blind_share=self.blind_share)


def stage_gl(store: BlobStore, data: bytes) -> str:
    return store.put(io.BytesIO(data)).sha256


def remember(pending: PendingGL) -> None:
    cookie[PENDING_KEY] = asdict(pending)


def pending_for(study_id: int) -> PendingGL | None:
    value = cookie.get(PENDING_KEY)
    if not isinstance(value, dict) or value.get("study_id") != study_id:
        return None
    try:
        return PendingGL(**value)
    except TypeError:
        return None


def forget() -> None:
    cookie.pop(PENDING_KEY, None)


def staged_bytes(store: BlobStore, pending: PendingGL) -> bytes | None:
    """The staged file, or None when it is gone (swept, or already imported and discarded)."""
    try:
        with store.open(pending.sha256) as stream:
            return stream.read()
    except BlobNotFound:
        return None


def drop(db: Database, store: BlobStore, pending: PendingGL) -> None:
    forget()
    discard_if_unused(db, store, pending.sha256)
