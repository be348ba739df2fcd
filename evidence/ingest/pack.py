"""A folder kept as one original: a tar archive that is the same for the same files.

Entries are sorted, owners and times zeroed and modes normalised, so packing identical content
twice gives identical bytes (and so the same SHA-256: a duplicate, not a new revision).
Only regular files and folders go in; symbolic links are refused before packing.
"""

from __future__ import annotations

import os
import tarfile
from pathlib import Path
from typing import BinaryIO

from evidence.parsers import EvidenceParseError

TAR_MEDIA_TYPE = "application/x-tar"


def pack_folder(folder: Path, destination: BinaryIO, *, source: str, max_bytes: int,
                max_files: int) -> int:
    """Write ``folder`` as a deterministic tar to ``destination``; returns the file count."""
    files = list(_files(folder, source, max_files))
    total = sum(path.stat().st_size for path in files)
    if total > max_bytes:
        raise EvidenceParseError(source, f"the folder holds {total:,} bytes, "
                                         f"over the {max_bytes:,}-byte limit")
    with tarfile.open(fileobj=destination, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for path in files:
            info = tarfile.TarInfo(path.relative_to(folder).as_posix())
            info.size, info.mode, info.mtime = path.stat().st_size, 0o644, 0
            with path.open("rb") as handle:
                archive.addfile(info, handle)
    return len(files)


def _files(folder: Path, source: str, max_files: int) -> list[Path]:
    found: list[Path] = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in [*dirs, *names]:
            if Path(root, name).is_symlink():
                raise EvidenceParseError(source, f"{Path(root, name).relative_to(folder)} is a symbolic "
                                                 "link; links are not followed")
        for name in sorted(names):
            found.append(Path(root, name))
            if len(found) > max_files:
                raise EvidenceParseError(source, f"more than {max_files:,} files in the folder")
    return sorted(found)
