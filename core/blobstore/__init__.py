"""Content-addressed, verify-on-read storage for evidence files."""

from core.blobstore.base import (
    CHUNK_SIZE,
    BlobCorrupted,
    BlobError,
    BlobNotFound,
    BlobStore,
    BlobTooLarge,
    StorageUnavailable,
    StoredBlob,
    VerifyingReader,
    validate_sha256,
)
from core.blobstore.factory import blob_store_from_settings, blob_store_from_url
from core.blobstore.local import LocalBlobStore
from core.blobstore.s3 import S3BlobStore

__all__ = [
    "CHUNK_SIZE",
    "BlobCorrupted",
    "BlobError",
    "BlobNotFound",
    "BlobStore",
    "BlobTooLarge",
    "LocalBlobStore",
    "S3BlobStore",
    "StorageUnavailable",
    "StoredBlob",
    "VerifyingReader",
    "blob_store_from_settings",
    "blob_store_from_url",
    "validate_sha256",
]
