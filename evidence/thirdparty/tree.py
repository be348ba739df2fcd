"""Reading the files of a repository's HEAD without a checkout, within size bounds.

``git ls-tree -r -z --long`` lists the tree with each blob's size, so files over the bound
are skipped before a byte of them is read; ``git cat-file --batch`` then streams the chosen
blobs one at a time. Symbolic links and submodules are not files and are never read.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from evidence.parsers import EvidenceParseError
from evidence.parsers.gitlog import git_command, git_environment

MAX_FILE_BYTES = 1 << 20
MAX_TOTAL_BYTES = 64 << 20
MAX_FILES = 20_000


@dataclass(frozen=True)
class ReadLimits:
    file_bytes: int = MAX_FILE_BYTES
    total_bytes: int = MAX_TOTAL_BYTES
    files: int = MAX_FILES


@dataclass(frozen=True)
class TreeEntry:
    path: str
    oid: str
    size: int


def _git(git_dir: Path, *args: str) -> bytes:
    done = subprocess.run(git_command(*args, git_dir=git_dir), capture_output=True,
                          env=git_environment(), stdin=subprocess.DEVNULL, check=False)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()[:2000] or "no message from git"
        raise EvidenceParseError(str(git_dir), f"git {args[0]} failed: {message}")
    return done.stdout


def head_commit(git_dir: Path) -> str | None:
    """HEAD's commit; in a bundle clone without HEAD, main, master or the first branch; None if empty."""
    for name in ("HEAD", "refs/heads/main", "refs/heads/master"):
        try:
            return _git(git_dir, "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}").decode().strip()
        except EvidenceParseError:
            continue
    first = _git(git_dir, "for-each-ref", "--count=1", "--format=%(objectname)", "refs/heads")
    return first.decode().strip() or None


def list_tree(git_dir: Path, commit: str) -> list[TreeEntry]:
    """Every regular file of ``commit``'s tree with its blob id and size."""
    entries = []
    for record in _git(git_dir, "ls-tree", "-r", "-z", "--long", "--full-tree", commit).split(b"\0"):
        if not record:
            continue
        meta, _, raw_path = record.partition(b"\t")
        mode, kind, oid, size = meta.split()
        if kind != b"blob" or mode == b"120000":
            continue
        entries.append(TreeEntry(raw_path.decode("utf-8", "replace"), oid.decode(), int(size)))
    return entries


def read_blobs(git_dir: Path, entries: list[TreeEntry]) -> Iterator[tuple[TreeEntry, bytes]]:
    """Each entry's content, in order, from one ``git cat-file --batch``."""
    if not entries:
        return
    process = subprocess.Popen(git_command("cat-file", "--batch", git_dir=git_dir), stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=git_environment())
    assert process.stdin is not None and process.stdout is not None
    writer = threading.Thread(target=_write_ids, args=(process.stdin, [e.oid for e in entries]), daemon=True)
    writer.start()
    try:
        for entry in entries:
            yield entry, _read_object(process.stdout, entry, git_dir)
    finally:
        process.kill()
        process.wait()
        writer.join(timeout=5)


def _write_ids(stdin: IO[bytes], oids: list[str]) -> None:
    try:
        for oid in oids:
            stdin.write(f"{oid}\n".encode())
        stdin.close()
    except (BrokenPipeError, ValueError, OSError):
        pass  # git was stopped early; the reader reports why


def _read_object(stdout: IO[bytes], entry: TreeEntry, git_dir: Path) -> bytes:
    header = stdout.readline().split()
    if len(header) != 3 or header[1] != b"blob":
        raise EvidenceParseError(str(git_dir), f"git cat-file could not read {entry.path} ({entry.oid})")
    content = stdout.read(int(header[2]))
    stdout.read(1)  # the newline after each object
    return content


def choose(entries: list[TreeEntry], wanted: Callable[[str], bool], limits: ReadLimits,
           ) -> tuple[list[TreeEntry], list[tuple[str, str]]]:
    """The entries to read, and (path, reason) for each wanted one left out by a bound."""
    chosen: list[TreeEntry] = []
    skipped: list[tuple[str, str]] = []
    total = 0
    for entry in sorted(entries, key=lambda e: e.path):
        if not wanted(entry.path):
            continue
        if entry.size > limits.file_bytes:
            skipped.append((entry.path, f"{entry.size:,} bytes, over the {limits.file_bytes:,}-byte "
                                        "bound per file"))
        elif total + entry.size > limits.total_bytes or len(chosen) >= limits.files:
            skipped.append((entry.path, f"the read bound ({limits.files:,} files, "
                                        f"{limits.total_bytes:,} bytes) was reached"))
        else:
            chosen.append(entry)
            total += entry.size
    return chosen, skipped
