"""Contract tests for the blob store, against real files and a real S3-compatible server."""

from __future__ import annotations

import hashlib
import io
import os
import random
import threading
import time
import tracemalloc
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.blobstore import (
    CHUNK_SIZE,
    BlobCorrupted,
    BlobNotFound,
    BlobStore,
    BlobTooLarge,
    LocalBlobStore,
    S3BlobStore,
    StorageUnavailable,
    blob_store_from_url,
)
from tests.core.s3_server import S3Endpoint, running_s3_server

MiB = 1024 * 1024
BAD_HASHES = [
    "../etc/passwd",
    "A" * 64,
    "a" * 63,
    "a" * 65,
    "g" * 64,
    "",
    "../" + "a" * 61,
]


class GeneratedStream:
    """Pseudo-random bytes produced on demand; optionally fails partway through."""

    def __init__(
        self, total: int, *, fail_after: int | None = None, seed: int = 7
    ) -> None:
        self.remaining = total
        self.fail_after = fail_after
        self.sent = 0
        self.largest_request = 0
        self.digest = hashlib.sha256()
        self._random = random.Random(seed)

    def read(self, size: int = -1) -> bytes:
        self.largest_request = max(self.largest_request, size if size >= 0 else 1 << 62)
        if self.fail_after is not None and self.sent >= self.fail_after:
            raise OSError("client disconnected")
        chunk = self._random.randbytes(min(size, self.remaining))
        self.remaining -= len(chunk)
        self.sent += len(chunk)
        self.digest.update(chunk)
        return chunk


class Backend:
    """A store plus the out-of-band access a test needs to inspect or damage it."""

    name: str
    store: BlobStore

    def tamper(self, sha256: str, content: bytes) -> None:
        raise NotImplementedError

    def everything(self) -> list[str]:
        """Every file or object the store has left behind, blobs and temporaries alike."""
        raise NotImplementedError


class LocalBackend(Backend):
    name = "local"

    def __init__(self, root: Path) -> None:
        self.store = LocalBlobStore(root)

    def tamper(self, sha256: str, content: bytes) -> None:
        path = self.store.path_for(sha256)
        path.chmod(0o644)
        path.write_bytes(content)

    def everything(self) -> list[str]:
        root = self.store.root
        return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


class S3Backend(Backend):
    name = "s3"

    def __init__(self, endpoint: S3Endpoint) -> None:
        self.endpoint = endpoint
        self.client = endpoint.client()
        self.store = S3BlobStore(
            endpoint.bucket,
            f"tests/{uuid.uuid4().hex}",
            endpoint_url=endpoint.url,
            region=endpoint.region,
            access_key=endpoint.access_key,
            secret_key=endpoint.secret_key,
        )

    def tamper(self, sha256: str, content: bytes) -> None:
        self.client.put_object(
            Bucket=self.endpoint.bucket, Key=self.store.key_for(sha256), Body=content
        )

    def everything(self) -> list[str]:
        response = self.client.list_objects_v2(
            Bucket=self.endpoint.bucket, Prefix=self.store.prefix + "/"
        )
        return sorted(item["Key"] for item in response.get("Contents", []))


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[S3Endpoint]:
    with running_s3_server() as endpoint:
        yield endpoint


@pytest.fixture(params=["local", "s3"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    if request.param == "local":
        return LocalBackend(tmp_path / "store")
    return S3Backend(request.getfixturevalue("s3_endpoint"))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def flip_one_byte(data: bytes) -> bytes:
    return data[:3] + bytes([data[3] ^ 0x01]) + data[4:]


# --- contract, both backends -------------------------------------------------


def test_put_then_read_roundtrip(backend: Backend) -> None:
    data = b"training run 42: loss plateaued, tried cosine schedule\n" * 100
    stored = backend.store.put(io.BytesIO(data))
    assert (stored.sha256, stored.size, stored.created) == (sha(data), len(data), True)
    assert backend.store.read_bytes(stored.sha256) == data
    with backend.store.open(stored.sha256) as reader:
        assert reader.read(10) == data[:10]
        assert reader.read() == data[10:]
        assert reader.verified
    assert backend.store.exists(stored.sha256)
    assert backend.store.size(stored.sha256) == len(data)
    backend.store.verify(stored.sha256)


def test_empty_blob(backend: Backend) -> None:
    stored = backend.store.put_bytes(b"")
    assert stored.sha256 == sha(b"") and stored.size == 0
    assert backend.store.read_bytes(stored.sha256) == b""


def test_identical_content_is_stored_once(backend: Backend) -> None:
    first = backend.store.put_bytes(b"same evidence")
    second = backend.store.put(io.BytesIO(b"same evidence"))
    assert first.created and not second.created
    assert first.sha256 == second.sha256
    stored = backend.everything()
    assert len(stored) == 1 and stored[0].endswith(first.sha256)


def test_streaming_put_of_20_mib_reads_in_chunks(backend: Backend) -> None:
    stream = GeneratedStream(20 * MiB)
    tracemalloc.start()
    try:
        stored = backend.store.put(stream)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stored.sha256 == stream.digest.hexdigest()
    assert stored.size == 20 * MiB
    assert stream.largest_request <= CHUNK_SIZE
    if backend.name == "local":
        assert peak < 5 * MiB
    backend.store.verify(stored.sha256)


def test_max_size_exceeded_leaves_nothing(backend: Backend) -> None:
    stream = GeneratedStream(5 * MiB)
    with pytest.raises(BlobTooLarge):
        backend.store.put(stream, max_size=2 * MiB + 1)
    assert stream.sent <= 2 * MiB + 1 + CHUNK_SIZE
    assert backend.everything() == []
    assert not backend.store.exists(stream.digest.hexdigest())


def test_max_size_is_inclusive(backend: Backend) -> None:
    assert backend.store.put(io.BytesIO(b"x" * 100), max_size=100).size == 100


def test_failing_stream_leaves_nothing_and_error_propagates(backend: Backend) -> None:
    stream = GeneratedStream(10 * MiB, fail_after=3 * MiB)
    with pytest.raises(OSError, match="client disconnected") as caught:
        backend.store.put(stream)
    assert not isinstance(caught.value, StorageUnavailable)
    assert backend.everything() == []


@pytest.mark.parametrize("damage", ["flip", "truncate", "append"])
def test_tampering_is_detected(backend: Backend, damage: str) -> None:
    data = b"signed-off experiment log " * 50
    digest = backend.store.put_bytes(data).sha256
    damaged = {
        "flip": flip_one_byte(data),
        "truncate": data[:-1],
        "append": data + b"!",
    }[damage]
    backend.tamper(digest, damaged)

    with pytest.raises(BlobCorrupted, match=digest) as caught:
        backend.store.read_bytes(digest)
    assert caught.value.actual_sha256 == sha(damaged)
    location = caught.value.location
    assert digest in location and (backend.name == "local" or "s3://" in location)
    with pytest.raises(BlobCorrupted, match=digest):
        backend.store.verify(digest)
    with (
        pytest.raises(BlobCorrupted, match=digest),
        backend.store.open(digest) as reader,
    ):
        reader.read()


def test_partial_read_of_corrupted_blob_does_not_raise_but_eof_does(
    backend: Backend,
) -> None:
    data = bytes(range(256)) * 4
    digest = backend.store.put_bytes(data).sha256
    backend.tamper(digest, flip_one_byte(data))
    with backend.store.open(digest) as reader:
        assert len(reader.read(100)) == 100
        assert not reader.verified
        with pytest.raises(BlobCorrupted):
            while reader.read(100):
                pass
        with pytest.raises(BlobCorrupted):
            reader.read(1)


def test_buffered_wrapper_streams_and_verifies(backend: Backend) -> None:
    data = os.urandom(3 * CHUNK_SIZE // 2)
    digest = backend.store.put_bytes(data).sha256
    with io.BufferedReader(backend.store.open(digest)) as buffered:
        assert buffered.read() == data
    backend.tamper(digest, flip_one_byte(data))
    with (
        pytest.raises(BlobCorrupted),
        io.BufferedReader(backend.store.open(digest)) as buffered,
    ):
        buffered.read()


def test_unknown_hash_is_not_found(backend: Backend) -> None:
    missing = sha(b"never stored")
    assert not backend.store.exists(missing)
    for call in (
        backend.store.open,
        backend.store.read_bytes,
        backend.store.size,
        backend.store.verify,
    ):
        with pytest.raises(BlobNotFound, match=missing):
            call(missing)


@pytest.mark.parametrize("bad", BAD_HASHES)
def test_invalid_hash_is_rejected(backend: Backend, bad: str) -> None:
    store = backend.store
    calls = (
        store.open,
        store.read_bytes,
        store.exists,
        store.size,
        store.verify,
        store.discard,
    )
    for call in calls:
        with pytest.raises(ValueError, match="sha256"):
            call(bad)


def test_iter_hashes_lists_exactly_what_was_put(backend: Backend) -> None:
    assert list(backend.store.iter_hashes()) == []
    digests = {
        backend.store.put_bytes(f"artifact {i}".encode()).sha256 for i in range(5)
    }
    backend.store.put_bytes(b"artifact 0")
    backend.store.check_writable()
    assert sorted(backend.store.iter_hashes()) == sorted(digests)


def test_discard_removes_only_that_blob(backend: Backend) -> None:
    keep = backend.store.put_bytes(b"keep me").sha256
    drop = backend.store.put_bytes(b"failed transaction").sha256
    backend.store.discard(drop)
    assert not backend.store.exists(drop)
    assert backend.store.read_bytes(keep) == b"keep me"
    assert list(backend.store.iter_hashes()) == [keep]
    backend.store.discard(drop)


def test_check_writable_and_describe(backend: Backend) -> None:
    backend.store.check_writable()
    expected = "local folder" if backend.name == "local" else "s3://"
    assert backend.store.describe().startswith(expected)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.binary(max_size=4096))
def test_property_roundtrip_matches_hashlib(backend: Backend, data: bytes) -> None:
    stored = backend.store.put_bytes(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.size == len(data)
    assert backend.store.read_bytes(stored.sha256) == data


# --- local only -----------------------------------------------------------------


def _chmod_blocks_writes(folder: Path) -> bool:
    probe = folder / "probe"
    try:
        probe.touch()
    except PermissionError:
        return True
    probe.unlink()
    return False


@pytest.mark.parametrize("how", ["parent-is-a-file", "read-only-folder"])
def test_unwritable_folder_is_storage_unavailable(tmp_path: Path, how: str) -> None:
    if how == "parent-is-a-file":
        (tmp_path / "afile").write_text("not a folder")
        root = tmp_path / "afile" / "store"
    else:
        root = tmp_path / "locked"
        root.mkdir(mode=0o500)
        if not _chmod_blocks_writes(root):
            pytest.skip("running with privileges that ignore file modes")
    store = LocalBlobStore(root)
    for call in (store.check_writable, lambda: store.put_bytes(b"x")):
        with pytest.raises(StorageUnavailable, match="not writable") as caught:
            call()
        assert str(root) in str(caught.value)
        assert "\n" not in str(caught.value)


def test_local_layout_and_read_only_files(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path / "store")
    digest = store.put_bytes(b"layout").sha256
    path = store.path_for(digest)
    assert path == tmp_path / "store" / digest[:2] / digest[2:4] / digest
    assert path.stat().st_mode & 0o777 == 0o444
    assert list((tmp_path / "store" / "tmp").iterdir()) == []


def test_local_existing_blob_is_never_rewritten(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path / "store")
    digest = store.put_bytes(b"original").sha256
    before = store.path_for(digest).stat()
    assert not store.put_bytes(b"original").created
    after = store.path_for(digest).stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)


def test_local_concurrent_puts_create_once(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path / "store")
    data = os.urandom(256 * 1024)
    results = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        barrier.wait()
        results.append(store.put_bytes(data))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.created for r in results) == 1
    assert list(store.iter_hashes()) == [sha(data)]


def test_local_iter_hashes_ignores_strays(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path / "store")
    digest = store.put_bytes(b"real").sha256
    (store.root / "README").write_text("x")
    (store.root / "tmp" / "put-leftover").write_text("x")
    (store.root / digest[:2] / digest[2:4] / "notes.txt").write_text("x")
    assert list(store.iter_hashes()) == [digest]


# --- S3 only --------------------------------------------------------------------


def _s3_store(endpoint_url: str, bucket: str = "fourpart-test") -> S3BlobStore:
    return S3BlobStore(
        bucket,
        "x",
        endpoint_url=endpoint_url,
        region="us-east-1",
        access_key="k",
        secret_key="s",
    )


def test_s3_unreachable_endpoint_fails_fast() -> None:
    store = _s3_store("http://127.0.0.1:9")
    started = time.monotonic()
    calls: tuple[Any, ...] = (
        store.check_writable,
        lambda: store.put_bytes(b"x"),
        lambda: store.exists(sha(b"x")),
        lambda: store.read_bytes(sha(b"x")),
        lambda: list(store.iter_hashes()),
    )
    for call in calls:
        with pytest.raises(StorageUnavailable, match="unreachable") as caught:
            call()
        assert "127.0.0.1:9" in str(caught.value)
        assert "\n" not in str(caught.value)
    assert time.monotonic() - started < 5


def test_s3_missing_bucket(s3_endpoint: S3Endpoint) -> None:
    store = _s3_store(s3_endpoint.url, bucket="no-such-evidence-bucket")
    with pytest.raises(
        StorageUnavailable, match=r"no-such-evidence-bucket.*does not exist"
    ):
        store.check_writable()


def test_s3_object_records_sha256(s3_endpoint: S3Endpoint) -> None:
    backend = S3Backend(s3_endpoint)
    digest = backend.store.put_bytes(b"metadata").sha256
    head = backend.client.head_object(
        Bucket=s3_endpoint.bucket, Key=backend.store.key_for(digest)
    )
    assert head["Metadata"]["sha256"] == digest
    assert (
        backend.store.key_for(digest)
        == f"{backend.store.prefix}/{digest[:2]}/{digest[2:4]}/{digest}"
    )


def test_s3_multipart_path_for_large_blobs(s3_endpoint: S3Endpoint) -> None:
    backend = S3Backend(s3_endpoint)
    backend.store.single_put_limit = 5 * MiB
    stream = GeneratedStream(11 * MiB)
    stored = backend.store.put(stream)
    assert stored.created and stored.sha256 == stream.digest.hexdigest()
    backend.store.verify(stored.sha256)
    assert not backend.store.put(GeneratedStream(11 * MiB)).created
    assert backend.everything() == [backend.store.key_for(stored.sha256)]


# --- factory --------------------------------------------------------------------


def test_factory_local_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    relative = blob_store_from_url("evidence")
    assert (
        isinstance(relative, LocalBlobStore) and relative.root == tmp_path / "evidence"
    )
    absolute = blob_store_from_url(str(tmp_path / "abs"))
    assert isinstance(absolute, LocalBlobStore) and absolute.root == tmp_path / "abs"
    file_url = blob_store_from_url(f"file://{tmp_path}/with%20space")
    assert (
        isinstance(file_url, LocalBlobStore)
        and file_url.root == tmp_path / "with space"
    )


def test_factory_s3() -> None:
    store = blob_store_from_url(
        "s3://evidence-bucket/acme/2025/",
        endpoint_url="http://127.0.0.1:1",
        region="us-east-1",
    )
    assert isinstance(store, S3BlobStore)
    assert (store.bucket, store.prefix) == ("evidence-bucket", "acme/2025")
    assert store.describe() == "s3://evidence-bucket/acme/2025 at http://127.0.0.1:1"


@pytest.mark.parametrize(
    "url", ["", "ftp://host/x", "s3://", "file://otherhost/x", "https://x/y"]
)
def test_factory_rejects_unknown_urls(url: str) -> None:
    with pytest.raises(ValueError) as caught:
        blob_store_from_url(url)
    assert repr(url) in str(caught.value)
