"""Blob store in a local (or mounted) folder: root/ab/cd/<sha256>, files read-only."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from core.blobstore.base import (
    BlobNotFound,
    BlobStore,
    StorageUnavailable,
    StoredBlob,
    VerifyingReader,
    copy_hashing,
    validate_sha256,
)

_READ_ONLY = 0o444
_NO_HARDLINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK}


class LocalBlobStore(BlobStore):
    """Blobs in root/ab/cd/<sha256>; uploads staged in root/tmp/ on the same filesystem."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self.tmp_dir = self.root / "tmp"

    def describe(self) -> str:
        return f"local folder {self.root}"

    def path_for(self, sha256: str) -> Path:
        """Where the blob with this hash lives (whether or not it exists)."""
        validate_sha256(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, stream: BinaryIO, *, max_size: int | None = None) -> StoredBlob:
        tmp = self._new_temp_file()
        try:
            sha256, size = self._fill_temp(tmp, stream, max_size)
            created = self._publish(tmp, self.path_for(sha256))
        finally:
            tmp.unlink(missing_ok=True)
        return StoredBlob(sha256, size, created)

    def open(self, sha256: str) -> VerifyingReader:
        path = self.path_for(sha256)
        try:
            raw = path.open("rb")
        except FileNotFoundError:
            raise BlobNotFound(
                f"blob {sha256} not found in {self.describe()}"
            ) from None
        except OSError as exc:
            raise self._unavailable("is not readable", exc) from exc
        size = os.fstat(raw.fileno()).st_size
        return VerifyingReader(raw, sha256, str(path), expected_size=size)

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def size(self, sha256: str) -> int:
        try:
            return self.path_for(sha256).stat().st_size
        except FileNotFoundError:
            raise BlobNotFound(
                f"blob {sha256} not found in {self.describe()}"
            ) from None

    def iter_hashes(self) -> Iterator[str]:
        for first in _hex_subdirs(self.root):
            for second in _hex_subdirs(first):
                names = sorted(e.name for e in os.scandir(second) if e.is_file())
                yield from (
                    n for n in names if _is_blob_name(n, first.name, second.name)
                )

    def discard(self, sha256: str) -> None:
        path = self.path_for(sha256)
        with self._storage_errors():
            path.unlink(missing_ok=True)

    def check_writable(self) -> None:
        self._new_temp_file().unlink()

    def _new_temp_file(self) -> Path:
        with self._storage_errors():
            self.tmp_dir.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=self.tmp_dir, prefix="put-")
            os.close(fd)
        return Path(name)

    def _fill_temp(
        self, tmp: Path, stream: BinaryIO, max_size: int | None
    ) -> tuple[str, int]:
        """Copy stream into tmp; errors raised by the stream itself propagate unchanged."""
        with self._storage_errors():
            out = tmp.open("wb")
        with out:

            def write(chunk: bytes) -> None:
                with self._storage_errors():
                    out.write(chunk)

            result = copy_hashing(stream, write, max_size)
            with self._storage_errors():
                out.flush()
                os.fsync(out.fileno())
        with self._storage_errors():
            tmp.chmod(_READ_ONLY)
        return result

    def _publish(self, tmp: Path, target: Path) -> bool:
        """Move tmp into place without ever replacing an existing blob; True if new."""
        with self._storage_errors():
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(tmp, target)
            except FileExistsError:
                return False
            except OSError as exc:
                if exc.errno not in _NO_HARDLINKS:
                    raise
                if target.exists():
                    return False
                os.replace(tmp, target)
            _fsync_dir(target.parent)
        return True

    @contextmanager
    def _storage_errors(self, problem: str = "is not writable") -> Iterator[None]:
        try:
            yield
        except OSError as exc:
            raise self._unavailable(problem, exc) from exc

    def _unavailable(self, problem: str, exc: OSError) -> StorageUnavailable:
        reason = exc.strerror or type(exc).__name__
        return StorageUnavailable(f"evidence folder {self.root} {problem} ({reason})")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _hex_subdirs(path: Path) -> list[Path]:
    try:
        entries = list(os.scandir(path))
    except FileNotFoundError:
        return []
    names = sorted(e.name for e in entries if e.is_dir() and _is_hex(e.name, 2))
    return [path / name for name in names]


def _is_hex(name: str, length: int) -> bool:
    return len(name) == length and all(c in "0123456789abcdef" for c in name)


def _is_blob_name(name: str, first: str, second: str) -> bool:
    return _is_hex(name, 64) and name[:2] == first and name[2:4] == second
