"""Handing uploads to a job: each file goes to the blob store first, the job reads it back.

A staged blob is not yet evidence (no ``blobs`` row names it). The ``evidence.ingest`` job
either stores it as an original or, when the file is refused or was only a container (an
archive, a file of a folder that is packed), discards it: see :func:`discard_unused`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO, TypedDict

from core.blobs import known_hashes
from core.blobstore import BlobStore
from core.db import Database
from evidence.ingest.archives import safe_entry_name


class StagedUpload(TypedDict):
    sha256: str
    filename: str
    path: str


def stage_upload(store: BlobStore, stream: BinaryIO, filename: str, *, max_size: int,
                 relative_path: str | None = None) -> StagedUpload:
    """Put one uploaded file in the store; ``path`` is where it sits in the uploaded tree.

    Raises EvidenceParseError for an unsafe name and BlobTooLarge above ``max_size``.
    """
    path = str(safe_entry_name(relative_path or filename, relative_path or filename))
    blob = store.put(stream, max_size=max_size)
    return {"sha256": blob.sha256, "filename": filename, "path": path}


def discard_unused(db: Database, store: BlobStore, staged: Iterable[StagedUpload]) -> None:
    """Remove staged blobs that no stored revision or blob row refers to."""
    hashes = {upload["sha256"] for upload in staged}
    with db.session(reading=True) as session:
        kept = known_hashes(session, hashes)
    for sha256 in hashes - kept:
        store.discard(sha256)
