"""Content-addressed blob store contract shared by the local and S3 backends."""

from __future__ import annotations

import abc
import hashlib
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, Protocol

CHUNK_SIZE = 1024 * 1024
_SHA256_RE = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class StoredBlob:
    """Result of a put: the content hash, its size, and whether it was new."""

    sha256: str
    size: int
    created: bool


class BlobError(Exception):
    """Base class for blob store failures."""


class BlobNotFound(BlobError):
    """No blob with that hash exists in the store."""


class BlobCorrupted(BlobError):
    """Stored bytes no longer hash to the name they are stored under."""

    def __init__(
        self, sha256: str, location: str, actual_sha256: str, actual_size: int
    ) -> None:
        self.sha256 = sha256
        self.location = location
        self.actual_sha256 = actual_sha256
        self.actual_size = actual_size
        super().__init__(
            f"blob {sha256} in {location} is corrupted: content hashes to "
            f"{actual_sha256} ({actual_size} bytes)"
        )


class BlobTooLarge(BlobError):
    """The stream exceeded the caller's max_size; nothing was stored."""

    def __init__(self, max_size: int) -> None:
        self.max_size = max_size
        super().__init__(f"upload exceeds the limit of {max_size} bytes")


class StorageUnavailable(BlobError):
    """The backend cannot be reached, read or written; the message is one line."""


def validate_sha256(sha256: str) -> str:
    """Return sha256 unchanged if it is 64 lowercase hex digits, else raise ValueError."""
    if not isinstance(sha256, str) or not _SHA256_RE.fullmatch(sha256):
        raise ValueError(f"not a lowercase hex sha256 digest: {sha256!r}")
    return sha256


def copy_hashing(
    source: BinaryIO, write: Callable[[bytes], object], max_size: int | None
) -> tuple[str, int]:
    """Copy source to write() in CHUNK_SIZE pieces; return (sha256 hex, size).

    Raises BlobTooLarge as soon as more than max_size bytes have been read.
    """
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK_SIZE):
        size += len(chunk)
        if max_size is not None and size > max_size:
            raise BlobTooLarge(max_size)
        digest.update(chunk)
        write(chunk)
    return digest.hexdigest(), size


class ReadableSource(Protocol):
    """What a VerifyingReader reads from: a file, or an S3 streaming body."""

    def read(self, size: int = -1, /) -> bytes: ...

    def close(self) -> None: ...


class VerifyingReader(io.RawIOBase):
    """Read-only stream that hashes what passes through and checks it at EOF.

    Raises BlobCorrupted on the read that reaches EOF (or as soon as more
    bytes than expected_size arrive) when the content does not match.
    A caller that stops before EOF gets no verification.
    """

    def __init__(
        self,
        raw: ReadableSource,
        sha256: str,
        location: str,
        expected_size: int | None = None,
    ) -> None:
        super().__init__()
        self._raw = raw
        self._sha256 = sha256
        self._location = location
        self._expected_size = expected_size
        self._digest = hashlib.sha256()
        self._size = 0
        self._verified = False
        self._error: BlobCorrupted | None = None

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        self._checkClosed()
        if size is None or size < 0:
            return self.readall()
        if size == 0:
            return b""
        data = self._raw.read(size)
        self._consume(data)
        return data

    def readall(self) -> bytes:
        parts = []
        while chunk := self.read(CHUNK_SIZE):
            parts.append(chunk)
        return b"".join(parts)

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        data = self.read(len(view))
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()

    @property
    def verified(self) -> bool:
        """True once EOF was reached and the content matched."""
        return self._verified

    def _consume(self, data: bytes) -> None:
        if self._error is not None:
            raise self._error
        if data:
            self._digest.update(data)
            self._size += len(data)
            if self._expected_size is not None and self._size > self._expected_size:
                self._fail()
        elif not self._verified:
            self._finish()

    def _finish(self) -> None:
        if self._digest.hexdigest() != self._sha256:
            self._fail()
        if self._expected_size is not None and self._size != self._expected_size:
            self._fail()
        self._verified = True

    def _fail(self) -> None:
        self._error = BlobCorrupted(
            self._sha256, self._location, self._digest.hexdigest(), self._size
        )
        raise self._error


class BlobStore(abc.ABC):
    """Immutable store of byte strings addressed by their SHA-256."""

    @abc.abstractmethod
    def put(self, stream: BinaryIO, *, max_size: int | None = None) -> StoredBlob:
        """Store everything read from stream, in 1 MiB chunks, never in memory at once.

        Returns created=False when identical content was already stored.
        Raises BlobTooLarge past max_size, leaving nothing behind.
        Exceptions raised by stream.read() propagate unchanged.
        """

    @abc.abstractmethod
    def open(self, sha256: str) -> VerifyingReader:
        """Open a blob for streaming; the reader raises BlobCorrupted at EOF on mismatch.

        The reader is a context manager. Raises BlobNotFound if absent.
        """

    @abc.abstractmethod
    def exists(self, sha256: str) -> bool:
        """True if a blob with this hash is stored."""

    @abc.abstractmethod
    def size(self, sha256: str) -> int:
        """Stored size in bytes; raises BlobNotFound if absent."""

    @abc.abstractmethod
    def iter_hashes(self) -> Iterator[str]:
        """Yield the hash of every stored blob (for the orphan sweep)."""

    @abc.abstractmethod
    def discard(self, sha256: str) -> None:
        """Delete a blob. DANGER: evidence is append-only.

        Only for removing a blob that a failed transaction itself just
        created (StoredBlob.created was True) and that no committed row
        references. created=True does not rule out a concurrent put of the
        same content that a now-committed row references, so check
        references first. The evidence layer must never call this otherwise.
        Missing blobs are ignored.
        """

    @abc.abstractmethod
    def check_writable(self) -> None:
        """Raise StorageUnavailable (one clear line) unless a put would succeed."""

    @abc.abstractmethod
    def describe(self) -> str:
        """Human-readable location, e.g. 'local folder /x'."""

    def put_bytes(self, data: bytes) -> StoredBlob:
        """Store an in-memory byte string."""
        return self.put(io.BytesIO(data))

    def read_bytes(self, sha256: str) -> bytes:
        """Return the whole blob, verified against its hash."""
        with self.open(sha256) as reader:
            return reader.read()

    def verify(self, sha256: str) -> None:
        """Read the whole blob; raise BlobCorrupted if it does not match its hash."""
        with self.open(sha256) as reader:
            while reader.read(CHUNK_SIZE):
                pass

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.describe()}>"
