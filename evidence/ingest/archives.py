"""Unpacking an uploaded archive (zip, tar, tar.gz) of evidence folders, treating it as hostile.

Refused before anything is written: entry names that are absolute, climb out with ``..``,
hold control characters or backslashes; links, devices and other special entries; encrypted
zip entries; more than ``max_files`` entries. While writing, the bytes actually inflated are
counted (headers can lie), so a zip bomb stops at ``max_unpacked_bytes``.
"""

from __future__ import annotations

import re
import shutil
import tarfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO

from evidence.parsers import EvidenceParseError

CHUNK = 1 << 20
UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f\\]")
TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz")


def is_archive(path: Path) -> bool:
    """A zip that is not an Office document, or a tar (possibly compressed), by content."""
    name = path.name.lower()
    if zipfile.is_zipfile(path):
        return not name.endswith((".xlsx", ".xlsm", ".docx", ".pptx"))
    return name.endswith(TAR_SUFFIXES) and _is_tar(path)


def _is_tar(path: Path) -> bool:
    try:
        return tarfile.is_tarfile(path)
    except (OSError, EOFError, tarfile.TarError):
        return False


def safe_entry_name(name: str, source: str) -> PurePosixPath:
    """The entry's path if it stays inside the destination, else EvidenceParseError."""
    pure = PurePosixPath(name)
    if not name or UNSAFE_NAME.search(name) or pure.is_absolute() or ".." in pure.parts:
        raise EvidenceParseError(source, f"unsafe entry name {name[:200]!r} "
                                         "(absolute, '..' or control characters)")
    parts = [part for part in pure.parts if part not in ("", ".")]
    if not parts:
        raise EvidenceParseError(source, f"unsafe entry name {name[:200]!r}")
    return PurePosixPath(*parts)


def extract_archive(archive: Path, destination: Path, *, source: str, max_files: int,
                    max_unpacked_bytes: int) -> None:
    """Unpack ``archive`` into the empty folder ``destination`` or raise EvidenceParseError."""
    budget = _Budget(source, max_unpacked_bytes)
    try:
        if zipfile.is_zipfile(archive):
            _extract_zip(archive, destination, source, max_files, budget)
        else:
            _extract_tar(archive, destination, source, max_files, budget)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError, ValueError,
            NotImplementedError, RuntimeError) as exc:
        if isinstance(exc, EvidenceParseError):
            raise
        raise EvidenceParseError(source, f"damaged or unreadable archive: {exc}") from exc


class _Budget:
    def __init__(self, source: str, limit: int) -> None:
        self.source, self.limit, self.used = source, limit, 0

    def spend(self, amount: int) -> None:
        self.used += amount
        if self.used > self.limit:
            raise EvidenceParseError(self.source, f"unpacks to more than {self.limit:,} bytes; refused "
                                                  "(too large, or a zip bomb)")


def _extract_zip(archive: Path, destination: Path, source: str, max_files: int, budget: _Budget) -> None:
    with zipfile.ZipFile(archive) as bundle:
        infos = bundle.infolist()
        if len(infos) > max_files:
            raise EvidenceParseError(source, f"holds {len(infos):,} entries, over the limit of {max_files:,}")
        for info in infos:
            name = safe_entry_name(info.filename, source)
            if info.flag_bits & 0x1:
                raise EvidenceParseError(source, f"entry {info.filename!r} is encrypted")
            mode = info.external_attr >> 16
            if mode and (mode & 0o170000) not in (0, 0o100000, 0o040000):
                raise EvidenceParseError(source, f"entry {info.filename!r} is a link or special file")
            if info.is_dir():
                (destination / name).mkdir(parents=True, exist_ok=True)
                continue
            with bundle.open(info) as stream:
                _write(stream, destination / name, budget)


def _extract_tar(archive: Path, destination: Path, source: str, max_files: int, budget: _Budget) -> None:
    with tarfile.open(archive, mode="r:*") as bundle:
        for count, member in enumerate(_members(bundle), start=1):
            if count > max_files:
                raise EvidenceParseError(source, f"holds more than {max_files:,} entries")
            name = safe_entry_name(member.name, source)
            if member.isdir():
                (destination / name).mkdir(parents=True, exist_ok=True)
            elif member.isfile():
                stream = bundle.extractfile(member)
                if stream is None:
                    raise EvidenceParseError(source, f"entry {member.name!r} cannot be read")
                with stream:
                    _write(stream, destination / name, budget)
            else:
                raise EvidenceParseError(source, f"entry {member.name!r} is a link or special file")


def _members(bundle: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    while (member := bundle.next()) is not None:
        yield member


def _write(stream: IO[bytes], target: Path, budget: _Budget) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise EvidenceParseError(budget.source, f"entry {target.name!r} appears twice")
    with target.open("wb") as out:
        while chunk := stream.read(CHUNK):
            budget.spend(len(chunk))
            out.write(chunk)


@contextmanager
def unpacked(archive: Path, workdir: Path, *, source: str, max_files: int,
             max_unpacked_bytes: int) -> Iterator[Path]:
    """The archive unpacked into a fresh folder under ``workdir``, removed afterwards."""
    destination = workdir / f"unpacked-{archive.stem}"
    destination.mkdir()
    try:
        extract_archive(archive, destination, source=source, max_files=max_files,
                        max_unpacked_bytes=max_unpacked_bytes)
        yield destination
    finally:
        shutil.rmtree(destination, ignore_errors=True)
