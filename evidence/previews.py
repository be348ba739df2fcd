"""What a document's page can show of it inline: the start of a text, or an image."""

from __future__ import annotations

from dataclasses import dataclass

from core.blobstore import BlobStore
from evidence.models import ArtifactRevision

TEXT_PREVIEW_BYTES = 256 * 1024
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


@dataclass(frozen=True)
class Preview:
    kind: str  # "text", "image" or "none"
    text: str = ""
    truncated: bool = False


def is_text(media_type: str) -> bool:
    return media_type.startswith("text/") or media_type in (
        "application/json", "application/x-ndjson", "application/yaml", "application/x-ipynb+json")


def preview_of(store: BlobStore, revision: ArtifactRevision) -> Preview:
    """A preview of the revision's original. SVG is not shown inline: it is a document, not a picture."""
    if revision.media_type in IMAGE_TYPES:
        return Preview("image")
    if not is_text(revision.media_type):
        return Preview("none")
    with store.open(revision.blob_sha256) as reader:
        # A whole small file is read to its end, so the blob store verifies its hash.
        data = reader.read() if revision.size <= TEXT_PREVIEW_BYTES else reader.read(TEXT_PREVIEW_BYTES)
    return Preview("text", data.decode("utf-8", errors="replace"), truncated=revision.size > len(data))
