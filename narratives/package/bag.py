"""The package ZIP as a BagIt bag (RFC 8493): payload under ``data/``, SHA-256 manifests, tag files.

Every hash is known before the first byte is written (exhibits are content-addressed, the PDF and
the manifests are in memory), so entries go out in sorted order with fixed timestamps and the same
inputs give the same bytes. Exhibits stream from the blob store chunk by chunk, checked against
their SHA-256 as they are read: a big original is never held in memory whole.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, BinaryIO

from core.blobstore import CHUNK_SIZE

BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
MANIFEST = "manifest-sha256.txt"
TAG_MANIFEST = "tagmanifest-sha256.txt"
Progress = Callable[[float, str], None]
Source = io.RawIOBase | IO[bytes]  # a blob store reader or bytes in memory


@dataclass(frozen=True)
class BagFile:
    """One payload file: its path under ``data/``, size, SHA-256 and how to read it."""

    path: str
    size: int
    sha256: str
    open: Callable[[], Source]


def in_memory(path: str, data: bytes) -> BagFile:
    return BagFile(path, len(data), hashlib.sha256(data).hexdigest(), lambda: io.BytesIO(data))


def encode_path(path: str) -> str:
    """RFC 8493 §2.1.3: percent-encode CR, LF and % in manifest file paths."""
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def decode_path(path: str) -> str:
    return path.replace("%0A", "\n").replace("%0a", "\n").replace("%0D", "\r").replace("%0d", "\r") \
        .replace("%25", "%")


def _manifest(entries: list[tuple[str, str]]) -> bytes:
    return "".join(f"{sha256}  {encode_path(path)}\n" for path, sha256 in sorted(entries)).encode()


def tag_files(payload: list[BagFile], bag_info: dict[str, str], readme: str) -> dict[str, bytes]:
    """bagit.txt, bag-info.txt (with Payload-Oxum), README.txt and both manifests."""
    oxum = f"{sum(f.size for f in payload)}.{len(payload)}"
    fields = [*bag_info.items(), ("Payload-Oxum", oxum)]
    info = "".join(f"{key}: {_one_line(value)}\n" for key, value in fields)
    files = {"bagit.txt": BAGIT_TXT, "bag-info.txt": info.encode(), "README.txt": readme.encode(),
             MANIFEST: _manifest([(f"data/{f.path}", f.sha256) for f in payload])}
    files[TAG_MANIFEST] = _manifest([(name, hashlib.sha256(data).hexdigest())
                                     for name, data in files.items()])
    return files


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _info(name: str, when: dt.datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when.astimezone(dt.UTC).timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # unix, whatever machine builds it
    info.external_attr = 0o100644 << 16
    return info


def write_bag(out: BinaryIO, *, bag_name: str, payload: list[BagFile], bag_info: dict[str, str],
              readme: str, when: dt.datetime, progress: Progress | None = None) -> None:
    tags = tag_files(payload, bag_info, readme)
    entries: list[tuple[str, BagFile | bytes]] = [(name, data) for name, data in tags.items()]
    entries += [(f"data/{f.path}", f) for f in payload]
    entries.sort(key=lambda entry: entry[0])
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for index, (name, item) in enumerate(entries, start=1):
            with archive.open(_info(f"{bag_name}/{name}", when), "w", force_zip64=True) as target:
                if isinstance(item, bytes):
                    target.write(item)
                else:
                    _copy(item, target)
            if progress and (index % 50 == 0 or index == len(entries)):
                progress(index / len(entries), f"zipped {index} of {len(entries)} files")


def _copy(item: BagFile, target: IO[bytes]) -> None:
    with item.open() as source:
        while chunk := source.read(CHUNK_SIZE):
            target.write(chunk)
