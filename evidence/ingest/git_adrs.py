"""Architecture decision records committed in a repository: found in HEAD's tree, dated by git.

Nothing is checked out. The tree of ``HEAD`` is listed with ``git ls-tree``; the ADR
configuration files (``.adr-dir``, ``.log4brains.yml``) and the Markdown files of candidate
folders are copied into a scratch folder with ``git cat-file``, one at a time, so
:func:`~evidence.parsers.adr_files.find_adr_files` can judge the layout exactly as it does for
a folder on disk. Only regular files are copied: symbolic links and submodules in the tree are
ignored, and a path that would leave the scratch folder is skipped. Each record's dates come
from one ``git log`` over the ADR paths: the first commit on ``HEAD`` that added the file at
that path, and the last that changed it.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from evidence.parsers import EvidenceParseError
from evidence.parsers.adr_detect import looks_like_adr
from evidence.parsers.adr_files import SKIPPED_NAMES, adr_folders, find_adr_files
from evidence.parsers.gitlog import git_command, git_environment

CONFIG_FILES = (".adr-dir", ".log4brains.yml")
CONFIG_NAMES = frozenset(name.encode() for name in CONFIG_FILES)
CONFIG_LIMIT = 64 * 1024
REGULAR_MODES = ("100644", "100755")
# A repository's own config could make log run programs (gpg for log.showSignature ...).
QUIET_LOG = ("--no-show-signature", "--no-textconv", "--no-ext-diff", "--no-use-mailmap", "--no-color")
RAW_DATE_RE = re.compile(rb"\x01(\d+) ([+-])(\d\d)(\d\d)")


@dataclass(frozen=True)
class RepoAdr:
    """One record: its repository path, a copy of its bytes, and its dates on ``HEAD``."""

    path: str
    file: Path
    added: dt.date | None
    changed: dt.date | None


@dataclass
class AdrScan:
    records: list[RepoAdr] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Blob:
    oid: str
    size: int


def scan_adrs(git_dir: Path, scratch: Path, *, max_bytes: int) -> AdrScan:
    """The ADRs of ``HEAD`` (none for an unborn ``HEAD``), copied under ``scratch``."""
    scan = AdrScan()
    blobs = _head_blobs(git_dir)
    if not blobs:
        return scan
    scratch.mkdir(parents=True, exist_ok=True)
    with _CatFile(git_dir) as cat:
        for name in CONFIG_FILES:
            if name in blobs and blobs[name].size <= CONFIG_LIMIT:
                cat.copy(blobs[name].oid, scratch / name)
        markdown = [path for path in blobs if path.lower().endswith(".md")]
        for path in markdown:
            (scratch / path).parent.mkdir(parents=True, exist_ok=True)
        top = scratch.resolve()
        folders = {str(folder.resolve().relative_to(top)) for folder in adr_folders(scratch)} or {"."}
        for path in markdown:
            if _parent(path) not in folders or PurePosixPath(path).name.lower() in SKIPPED_NAMES:
                continue
            if blobs[path].size > max_bytes:
                scan.warnings.append(f"{path}: {blobs[path].size:,} bytes, over the "
                                     f"{max_bytes:,}-byte limit for a decision record; not read")
            else:
                cat.copy(blobs[path].oid, scratch / path)
    found = [file.resolve().relative_to(top).as_posix() for file in find_adr_files(scratch)]
    dates = _dates(git_dir, found, folders)
    for path in found:
        file = scratch / path
        if not looks_like_adr(file.read_bytes().decode("utf-8", "replace"), file.name):
            scan.warnings.append(f"{path}: in an ADR folder but not a decision record; not ingested")
            continue
        added, changed = dates.get(path, (None, None))
        scan.records.append(RepoAdr(path, file, added, changed))
    return scan


def _parent(path: str) -> str:
    return str(PurePosixPath(path).parent)


def _head_blobs(git_dir: Path) -> dict[str, _Blob]:
    """Markdown and ADR configuration files of HEAD's tree, by safe path; empty without a HEAD."""
    command = git_command("ls-tree", "-r", "-z", "-l", "--full-tree", "HEAD", git_dir=git_dir)
    blobs: dict[str, _Blob] = {}
    with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, env=git_environment()) as process:
        assert process.stdout is not None
        for entry in _entries(process.stdout):
            meta, _, raw_path = entry.partition(b"\t")
            if not (raw_path.lower().endswith(b".md") or raw_path in CONFIG_NAMES):
                continue
            fields = meta.split()
            if len(fields) != 4 or fields[0].decode() not in REGULAR_MODES or fields[1] != b"blob":
                continue
            path = raw_path.decode("utf-8", "replace")
            if _safe(path):
                blobs[path] = _Blob(fields[2].decode("ascii"), int(fields[3]))
    return blobs if process.returncode == 0 else {}


def _entries(stream: IO[bytes]) -> Iterator[bytes]:
    pending = b""
    while chunk := stream.read(1 << 16):
        *complete, pending = (pending + chunk).split(b"\0")
        yield from complete
    if pending:
        yield pending


def _safe(path: str) -> bool:
    parts = path.split("/")
    return "\ufffd" not in path and all(part not in ("", ".", "..") for part in parts)


def _dates(git_dir: Path, files: list[str], folders: set[str]) -> dict[str, tuple[dt.date, dt.date]]:
    """path -> (added, last changed): author dates of the oldest and newest commit touching it."""
    if not files:
        return {}
    specs = [f":(literal){folder}" for folder in sorted(folders) if folder != "."]
    specs += [f":(literal){path}" for path in files if _parent(path) == "."]
    done = _git(git_dir, "log", "-z", "--name-only", "--no-renames", "--format=%x01%ad", "--date=raw",
                *QUIET_LOG, "HEAD", "--", *specs)
    wanted, dates = set(files), dict[str, tuple[dt.date, dt.date]]()
    when: dt.date | None = None
    for token in done.stdout.split(b"\0"):
        header = RAW_DATE_RE.fullmatch(token)
        if header:
            when = _day(header)
            continue
        path = token.lstrip(b"\n").decode("utf-8", "replace")
        if when is not None and path in wanted:
            newest = dates.get(path, (when, when))[1]
            dates[path] = (when, newest)  # newest first: the last one seen is the oldest
    return dates


def _day(header: re.Match[bytes]) -> dt.date:
    seconds, sign, hours, minutes = header.groups()
    offset = dt.timedelta(hours=int(hours), minutes=int(minutes)) * (-1 if sign == b"-" else 1)
    return dt.datetime.fromtimestamp(int(seconds), dt.timezone(offset)).date()


def _git(git_dir: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    done = subprocess.run(git_command(*args, git_dir=git_dir), capture_output=True,
                          stdin=subprocess.DEVNULL, env=git_environment(), check=False)
    if done.returncode != 0:
        raise EvidenceParseError(str(git_dir), f"git {args[0]} failed: "
                                 + done.stderr.decode("utf-8", "replace").strip()[:2000])
    return done


class _CatFile:
    """One ``git cat-file --batch`` process copying blobs to files, one request at a time."""

    def __init__(self, git_dir: Path) -> None:
        self.source = str(git_dir)
        self.process = subprocess.Popen(git_command("cat-file", "--batch", git_dir=git_dir),
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, env=git_environment())

    def __enter__(self) -> _CatFile:
        return self

    def __exit__(self, *_exc: object) -> None:
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()
        self.process.wait()

    def copy(self, oid: str, target: Path) -> None:
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        stdin.write(f"{oid}\n".encode())
        stdin.flush()
        header = stdout.readline().split()
        if len(header) != 3 or header[1] != b"blob":
            raise EvidenceParseError(self.source, f"git cat-file: object {oid} is not a readable blob")
        _copy_exactly(stdout, target, int(header[2]))
        stdout.read(1)  # the newline after the content


def _copy_exactly(stream: IO[bytes], target: Path, size: int) -> None:
    with target.open("wb") as out:
        left = size
        while left:
            chunk = stream.read(min(left, 1 << 16))
            if not chunk:
                raise EvidenceParseError(str(target), "git cat-file ended early")
            out.write(chunk)
            left -= len(chunk)
