"""Blob store in an S3-compatible bucket: s3://bucket/prefix/ab/cd/<sha256>."""

from __future__ import annotations

import base64
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import IO, Any, BinaryIO

import boto3
from boto3.exceptions import S3UploadFailedError
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from core.blobstore.base import (
    BlobNotFound,
    BlobStore,
    StorageUnavailable,
    StoredBlob,
    VerifyingReader,
    copy_hashing,
    validate_sha256,
)

SPOOL_LIMIT = 8 * 1024 * 1024
SINGLE_PUT_LIMIT = 5 * 1024**3
_CLIENT_CONFIG = Config(
    connect_timeout=1.5,
    read_timeout=30,
    retries={"total_max_attempts": 2, "mode": "standard"},
)
_TRANSFER_CONFIG = TransferConfig(max_concurrency=4)
_TRANSFER_CONFIG.max_in_memory_upload_chunks = 4
_NOT_FOUND = {"404", "NoSuchKey", "NotFound"}
_ALREADY_EXISTS = {"412", "PreconditionFailed", "409", "ConditionalRequestConflict"}
_WRITE_CHECK_KEY = ".fourpart-write-check"


class S3BlobStore(BlobStore):
    """Blobs as objects prefix/ab/cd/<sha256>; uploads spooled to a temp file first."""

    single_put_limit = SINGLE_PUT_LIMIT

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
    ) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.endpoint_url = endpoint_url
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            config=_CLIENT_CONFIG,
        )

    def describe(self) -> str:
        where = self.endpoint_url or "AWS"
        return f"s3://{self.bucket}/{self.prefix} at {where}"

    def key_for(self, sha256: str) -> str:
        """Object key of the blob with this hash (whether or not it exists)."""
        validate_sha256(sha256)
        return self._key(f"{sha256[:2]}/{sha256[2:4]}/{sha256}")

    def put(self, stream: BinaryIO, *, max_size: int | None = None) -> StoredBlob:
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_LIMIT) as spool:
            sha256, size = copy_hashing(stream, self._spool_writer(spool), max_size)
            key = self.key_for(sha256)
            if self._head(key) is not None:
                return StoredBlob(sha256, size, created=False)
            spool.seek(0)
            if size > self.single_put_limit:
                created = self._upload_multipart(spool, key, sha256)
            else:
                created = self._put_if_absent(spool, key, sha256)
        return StoredBlob(sha256, size, created)

    def open(self, sha256: str) -> VerifyingReader:
        key = self.key_for(sha256)
        with self._errors():
            try:
                response = self.client.get_object(Bucket=self.bucket, Key=key)
            except ClientError as exc:
                if _error_code(exc) in _NOT_FOUND:
                    raise self._not_found(sha256) from None
                raise
        body = _GuardedBody(response["Body"], self)
        location = f"s3://{self.bucket}/{key} at {self.endpoint_url or 'AWS'}"
        return VerifyingReader(
            body, sha256, location, expected_size=response["ContentLength"]
        )

    def exists(self, sha256: str) -> bool:
        return self._head(self.key_for(sha256)) is not None

    def size(self, sha256: str) -> int:
        head = self._head(self.key_for(sha256))
        if head is None:
            raise self._not_found(sha256)
        return int(head["ContentLength"])

    def iter_hashes(self) -> Iterator[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        start = self._key("")
        with self._errors():
            for page in paginator.paginate(Bucket=self.bucket, Prefix=start):
                for item in page.get("Contents", []):
                    sha256 = _hash_from_key(item["Key"][len(start) :])
                    if sha256 is not None:
                        yield sha256

    def discard(self, sha256: str) -> None:
        key = self.key_for(sha256)
        with self._errors():
            self.client.delete_object(Bucket=self.bucket, Key=key)

    def check_writable(self) -> None:
        key = self._key(_WRITE_CHECK_KEY)
        with self._errors():
            try:
                self.client.head_bucket(Bucket=self.bucket)
            except ClientError as exc:
                if _error_code(exc) in {"404", "NoSuchBucket"}:
                    raise self._unavailable("does not exist") from None
                raise
            self.client.put_object(Bucket=self.bucket, Key=key, Body=b"ok")
        with suppress(BotoCoreError, ClientError):
            self.client.delete_object(Bucket=self.bucket, Key=key)

    def _key(self, suffix: str) -> str:
        return f"{self.prefix}/{suffix}" if self.prefix else suffix

    def _head(self, key: str) -> dict[str, Any] | None:
        with self._errors():
            try:
                return self.client.head_object(Bucket=self.bucket, Key=key)
            except ClientError as exc:
                if _error_code(exc) in _NOT_FOUND:
                    return None
                raise

    def _put_if_absent(self, body: IO[bytes], key: str, sha256: str) -> bool:
        """Single PUT that S3 checks against our SHA-256 and refuses if the key exists."""
        checksum = base64.b64encode(bytes.fromhex(sha256)).decode()
        with self._errors():
            try:
                self.client.put_object(
                    Bucket=self.bucket,
                    Key=key,
                    Body=body,
                    ChecksumAlgorithm="SHA256",
                    ChecksumSHA256=checksum,
                    IfNoneMatch="*",
                    Metadata={"sha256": sha256},
                )
            except ClientError as exc:
                if _error_code(exc) in _ALREADY_EXISTS and self._head(key) is not None:
                    return False
                raise
        return True

    def _upload_multipart(self, body: IO[bytes], key: str, sha256: str) -> bool:
        """Multipart upload for objects above the single-PUT limit (no conditional write)."""
        extra = {"ChecksumAlgorithm": "SHA256", "Metadata": {"sha256": sha256}}
        with self._errors():
            self.client.upload_fileobj(
                body, self.bucket, key, ExtraArgs=extra, Config=_TRANSFER_CONFIG
            )
        return True

    def _spool_writer(self, spool: IO[bytes]) -> Callable[[bytes], None]:
        def write(chunk: bytes) -> None:
            try:
                spool.write(chunk)
            except OSError as exc:
                raise StorageUnavailable(
                    f"cannot stage upload for S3 bucket {self.bucket} in "
                    f"{tempfile.gettempdir()} ({exc.strerror or exc})"
                ) from exc

        return write

    def _not_found(self, sha256: str) -> BlobNotFound:
        return BlobNotFound(f"blob {sha256} not found in {self.describe()}")

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except NoCredentialsError:
            raise StorageUnavailable(
                f"S3 bucket {self.bucket}: no credentials configured"
            ) from None
        except ClientError as exc:
            raise self._unavailable(
                f"refused the request: {_client_error_line(exc)}"
            ) from exc
        except (BotoCoreError, S3UploadFailedError) as exc:
            raise self._unavailable(f"unreachable: {_first_line(exc)}") from exc

    def _unavailable(self, problem: str) -> StorageUnavailable:
        return StorageUnavailable(
            f"S3 bucket {self.bucket} at {self.endpoint_url or 'AWS'} {problem}"
        )


class _GuardedBody:
    """Streaming body whose network errors become StorageUnavailable."""

    def __init__(self, body: Any, store: S3BlobStore) -> None:
        self._body = body
        self._store = store

    def read(self, size: int = -1) -> bytes:
        with self._store._errors():
            return self._body.read(size if size >= 0 else None)

    def close(self) -> None:
        self._body.close()


def _error_code(exc: ClientError) -> str:
    error = exc.response.get("Error", {})
    return str(
        error.get("Code")
        or exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    )


def _client_error_line(exc: ClientError) -> str:
    message = exc.response.get("Error", {}).get("Message", "")
    return _first_line(f"{_error_code(exc)} {message}".strip())


def _first_line(value: object) -> str:
    text = str(value).strip()
    return text.splitlines()[0] if text else type(value).__name__


def _hash_from_key(relative: str) -> str | None:
    parts = relative.split("/")
    if len(parts) != 3:
        return None
    first, second, name = parts
    try:
        validate_sha256(name)
    except ValueError:
        return None
    return name if (name[:2], name[2:4]) == (first, second) else None
