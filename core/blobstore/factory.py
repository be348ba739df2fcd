"""Build a blob store from the configured evidence storage URL."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from core.blobstore.base import BlobStore
from core.blobstore.local import LocalBlobStore
from core.blobstore.s3 import S3BlobStore
from core.settings import Settings


def blob_store_from_url(
    url: str,
    *,
    endpoint_url: str | None = None,
    region: str | None = None,
    access_key: str | None = None,
    secret_key: str | None = None,
) -> BlobStore:
    """Folder path or file:///abs/path -> LocalBlobStore; s3://bucket/prefix -> S3BlobStore."""
    parts = urlsplit(url or "")
    if parts.scheme == "s3" and parts.netloc:
        return S3BlobStore(
            parts.netloc,
            parts.path,
            endpoint_url=endpoint_url,
            region=region,
            access_key=access_key,
            secret_key=secret_key,
        )
    if parts.scheme == "file" and parts.netloc in ("", "localhost") and parts.path:
        return LocalBlobStore(Path(unquote(parts.path)))
    if not parts.scheme and url.strip():
        return LocalBlobStore(Path(url).expanduser().absolute())
    raise ValueError(
        f"unsupported evidence storage URL {url!r}: "
        "use a folder path, file:///absolute/path or s3://bucket/prefix"
    )


def blob_store_from_settings(settings: Settings) -> BlobStore:
    """The evidence store the settings name, with their S3 endpoint and credentials."""
    return blob_store_from_url(settings.storage_url, endpoint_url=settings.s3_endpoint_url,
                               region=settings.s3_region, access_key=settings.s3_access_key,
                               secret_key=settings.s3_secret_key)
