"""A repository's whole history as plain records, read from one streaming ``git log`` process.

:func:`iter_commits` runs a single ``git log --all --numstat -z`` and parses its stdout chunk by
chunk, so memory stays flat however long the history is; stopping the iteration early kills the
process. :func:`list_refs` lists branches and tags.

Framing. Each commit is printed by a ``--format`` of NUL-separated fields, opened by a start
marker and with its message closed by an end marker; ``--numstat -z`` entries follow::

    \\0\\0c<token>\\0 sha \\0 parents \\0 author \\0 email \\0 date \\0 committer \\0 email \\0 date \\0
    message \\0e<token>\\0 \\0 [\\n] numstat entries

``<token>`` is 16 random hex digits drawn for every run. Names, e-mails, dates and paths cannot
hold NUL (``-z`` prints paths verbatim, NUL-terminated, never quoted), and a message cannot hold
a NUL followed by a token nobody knew in advance, so no commit can forge a record boundary
whatever characters it contains. Numstat entries are ``ins\\tdel\\tpath\\0``, or for a rename
``ins\\tdel\\t\\0old\\0new\\0`` (``-z`` never prints the ambiguous ``a => b`` / ``{a => b}``
forms), with ``-`` counts for binary files.

Text is decoded as UTF-8 with replacement characters: ``--encoding=UTF-8`` makes git re-encode
messages and names whose commit declares another encoding (``i18n.commitEncoding``); bytes that
are still not UTF-8 become U+FFFD rather than an error. Messages lose trailing newlines only.
Dates keep the offset they were recorded with. Commits come newest first, as ``git log`` prints
them; merges carry no file changes (git prints no numstat for them) and are told apart by
:attr:`CommitRecord.is_merge`.

Refs read: everything ``--all`` sees (branches, tags, remote-tracking refs, a detached HEAD)
except git-notes and the stash, which are not project history.

git runs with a clean environment and with hooks, fsmonitor, pagers, external diff and textconv
drivers, replace refs, mailmap and signature checks off, so a hostile repository's config cannot
run anything. ``GIT_FLUSH=0`` makes git block-buffer its output instead of flushing (and waking
this reader) once per commit, which is most of the cost of reading through a pipe.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import secrets
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import IO, Literal

import git

from evidence.parsers import EvidenceParseError

__all__ = [
    "CommitRecord",
    "FileChange",
    "RefRecord",
    "git_command",
    "git_environment",
    "iter_commits",
    "list_refs",
    "log_markers",
    "parse_numstat",
    "parse_record",
    "resolve_git_dir",
]

CHUNK_BYTES = 1 << 18
PIPE_BYTES = 1 << 20
HEADER_FIELDS = 8
SHA_RE = re.compile(rb"[0-9a-f]{40}|[0-9a-f]{64}")
SHA_TEXT_RE = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
SAFE_CONFIG = ("core.hooksPath=/dev/null", "core.fsmonitor=false", "core.pager=cat", "color.ui=false")
# Refs that are not project history: git-notes commits and stashed work in progress.
EXCLUDED_REFS = ("refs/notes/*", "refs/stash")
LOG_OPTIONS = (
    "--numstat", "-z", "-M", "--date=raw", "--encoding=UTF-8", "--no-color", "--no-textconv",
    "--no-ext-diff", "--no-show-signature", "--no-use-mailmap", "--no-relative",
)


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file a commit touched; counts are ``None`` for binary files."""

    path: str
    insertions: int | None
    deletions: int | None
    old_path: str | None = None


@dataclass(frozen=True, slots=True)
class CommitRecord:
    """One commit; dates are timezone-aware with the offset recorded in the commit.

    Merges have no ``files`` (git prints no numstat for them); the message has no trailing
    newlines.
    """

    sha: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str
    authored_at: datetime
    committer_name: str
    committer_email: str
    committed_at: datetime
    message: str
    files: tuple[FileChange, ...]

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1

    @property
    def insertions(self) -> int:
        return sum(change.insertions or 0 for change in self.files)

    @property
    def deletions(self) -> int:
        return sum(change.deletions or 0 for change in self.files)


@dataclass(frozen=True, slots=True)
class RefRecord:
    """A branch or tag; ``target`` is the commit it points at (annotated tags peeled)."""

    name: str
    kind: Literal["branch", "tag"]
    target: str


# --- running git safely -------------------------------------------------------------------


def git_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """A minimal environment for git: no system/global config, no prompts, no pager, C locale."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LC_ALL": "C",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_ATTR_NOSYSTEM": "1",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_PAGER": "cat",
        "PAGER": "cat",
        "GIT_NO_REPLACE_OBJECTS": "1",
        "GIT_OPTIONAL_LOCKS": "0",
        "GIT_FLUSH": "0",  # block-buffered output, not a write (and a reader wake-up) per commit
    }
    env.update(extra or {})
    return env


def git_command(*args: str, git_dir: Path | None = None, config: Sequence[str] = ()) -> list[str]:
    """``git`` with hooks, fsmonitor and pagers disabled, then ``config`` overrides, then ``args``."""
    command = ["git", "--no-pager"]
    if git_dir is not None:
        command.append(f"--git-dir={git_dir}")
    for setting in (*SAFE_CONFIG, *config):
        command += ["-c", setting]
    return [*command, *args]


def _run(command: list[str], source: str, *, stdin: bytes = b"") -> bytes:
    """Run a short git command to completion; a failure becomes :class:`EvidenceParseError`."""
    try:
        done = subprocess.run(command, input=stdin, capture_output=True, env=git_environment(),
                              check=False)
    except OSError as exc:
        raise EvidenceParseError(source, f"cannot run git: {exc}") from exc
    if done.returncode != 0:
        raise EvidenceParseError(source, f"{command[-1] if command else 'git'} failed: "
                                         f"{_stderr_text(done.stderr)}")
    return done.stdout


def _stderr_text(raw: bytes, limit: int = 2000) -> str:
    text = raw.decode("utf-8", "replace").strip()
    return (text[:limit] + "…") if len(text) > limit else (text or "no message from git")


def resolve_git_dir(repo_path: Path) -> Path:
    """The git directory of a work tree or bare repository at exactly ``repo_path``.

    Parent directories are not searched, so a plain folder inside some other repository is
    refused rather than silently read as that repository.
    """
    source = str(repo_path)
    try:
        repo = git.Repo(repo_path, search_parent_directories=False)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise EvidenceParseError(source, "not a git repository") from exc
    except (OSError, ValueError, git.GitError) as exc:
        raise EvidenceParseError(source, f"cannot open git repository: {exc}") from exc
    try:
        return Path(repo.git_dir).resolve()
    finally:
        repo.close()


# --- refs ---------------------------------------------------------------------------------


def list_refs(repo_path: Path) -> list[RefRecord]:
    """Branches (``refs/heads``) and tags (``refs/tags``), sorted by full ref name."""
    git_dir = resolve_git_dir(repo_path)
    fmt = "%(refname)%00%(objectname)%00%(*objectname)"
    out = _run(git_command("for-each-ref", f"--format={fmt}", "refs/heads", "refs/tags",
                           git_dir=git_dir), str(repo_path))
    return [_ref_record(line) for line in out.decode("utf-8", "replace").splitlines() if line]


def _ref_record(line: str) -> RefRecord:
    refname, objectname, peeled = line.split("\0")
    if refname.startswith("refs/heads/"):
        return RefRecord(refname.removeprefix("refs/heads/"), "branch", objectname)
    return RefRecord(refname.removeprefix("refs/tags/"), "tag", peeled or objectname)


# --- commits ------------------------------------------------------------------------------


def log_markers(token: str) -> tuple[bytes, bytes, str]:
    """(record start marker, message end marker, ``--format`` string) for one run's token."""
    if not re.fullmatch(r"[0-9a-f]{8,64}", token):
        raise ValueError("framing token must be 8-64 lowercase hex digits")
    start, end = f"\0\0c{token}\0", f"\0e{token}\0"
    fields = "%x00".join(("%H", "%P", "%an", "%ae", "%ad", "%cn", "%ce", "%cd", "%B"))
    return start.encode(), end.encode(), f"%x00%x00c{token}%x00{fields}%x00e{token}%x00"


def iter_commits(repo_path: Path, *, exclude: Iterable[str] = (),
                 all_refs: bool = True) -> Iterator[CommitRecord]:
    """Every commit reachable from the repository's refs (or only ``HEAD``), newest first.

    ``exclude`` holds full SHAs already ingested: they and their ancestors are skipped (SHAs
    this repository does not have are ignored), so a second pass yields only new commits.
    The repository is checked at once; git starts on the first ``next()``. An empty
    repository yields nothing; a path that is not a repository raises EvidenceParseError.
    """
    git_dir = resolve_git_dir(repo_path)
    excluded = _validated_shas(exclude)
    start, end, fmt = log_markers(secrets.token_hex(8))
    if all_refs:
        revisions = [*(f"--exclude={ref}" for ref in EXCLUDED_REFS), "--all"]
    elif _has_head(git_dir):
        revisions = ["HEAD"]
    else:
        return iter(())  # unborn HEAD: nothing committed yet
    if excluded:
        revisions.append("--stdin")
    command = git_command("log", *LOG_OPTIONS, f"--format={fmt}", *revisions, git_dir=git_dir)
    return _stream_commits(command, git_dir, excluded, (start, end), str(repo_path))


def _validated_shas(shas: Iterable[str]) -> list[str]:
    out = []
    for sha in shas:
        lowered = sha.strip().lower() if isinstance(sha, str) else ""
        if not SHA_TEXT_RE.fullmatch(lowered):
            raise ValueError(f"exclude holds {sha!r}, which is not a full commit SHA")
        out.append(lowered)
    return out


def _has_head(git_dir: Path) -> bool:
    done = subprocess.run(git_command("rev-parse", "--verify", "--quiet", "HEAD^{commit}",
                                      git_dir=git_dir),
                          capture_output=True, env=git_environment(), check=False)
    return done.returncode == 0


def _existing_commits(git_dir: Path, shas: list[str], source: str) -> list[str]:
    """The subset of ``shas`` naming commits in this repository (``git log`` rejects others)."""
    query = "".join(f"{sha}\n" for sha in shas).encode()
    out = _run(git_command("cat-file", "--batch-check=%(objectname) %(objecttype)",
                           git_dir=git_dir), source, stdin=query)
    return [line[:-7] for line in out.decode("ascii", "replace").splitlines()
            if line.endswith(" commit")]


def _stream_commits(command: list[str], git_dir: Path, excluded: list[str],
                    markers: tuple[bytes, bytes], source: str) -> Iterator[CommitRecord]:
    stdin = b""
    if excluded:
        stdin = "".join(f"^{sha}\n" for sha in _existing_commits(git_dir, excluded, source)).encode()
    with tempfile.TemporaryFile() as errors:
        process = _spawn(command, errors, source)
        try:
            _feed(process, stdin if excluded else None)
            assert process.stdout is not None
            yield from _parse_stream(_chunks(process.stdout), markers, source)
            _check_exit(process, errors, source)
        finally:
            _stop(process)


def _spawn(command: list[str], errors: IO[bytes], source: str) -> subprocess.Popen[bytes]:
    try:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=errors, env=git_environment(), bufsize=0)
    except OSError as exc:
        raise EvidenceParseError(source, f"cannot run git: {exc}") from exc
    _widen_pipe(process.stdout)
    return process


def _widen_pipe(pipe: IO[bytes] | None) -> None:
    """A 1 MiB pipe (Linux) lets git run ahead while a record is parsed; optional."""
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None)
    if pipe is not None and set_size is not None:
        with contextlib.suppress(OSError):
            fcntl.fcntl(pipe.fileno(), set_size, PIPE_BYTES)


def _feed(process: subprocess.Popen[bytes], data: bytes | None) -> None:
    """Write the exclusions (git reads all of stdin before printing anything), then close."""
    assert process.stdin is not None
    try:
        if data:
            process.stdin.write(data)
        process.stdin.close()
    except BrokenPipeError:
        pass  # git exited early; its exit status and stderr explain why


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    while chunk := stream.read(CHUNK_BYTES):
        yield chunk


def _check_exit(process: subprocess.Popen[bytes], errors: IO[bytes], source: str) -> None:
    if process.wait() != 0:
        errors.seek(0)
        raise EvidenceParseError(source, f"git log failed: {_stderr_text(errors.read())}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Kill git if the consumer stopped early; always reap it and close the pipes."""
    if process.poll() is None:
        process.kill()
    process.wait()
    for pipe in (process.stdin, process.stdout):
        if pipe is not None:
            pipe.close()


def _parse_stream(chunks: Iterable[bytes], markers: tuple[bytes, bytes],
                  source: str) -> Iterator[CommitRecord]:
    """Split the byte stream on the start marker; only the last, partial record is buffered."""
    start, end = markers
    pending = b""
    first = True
    for chunk in chunks:
        pending += chunk
        *complete, pending = pending.split(start)
        for raw in complete:
            if first:
                first = False
                if raw:
                    raise EvidenceParseError(source, "git log output does not start with a record")
                continue
            yield parse_record(raw, end, source=source)
    if pending and not first:
        yield parse_record(pending, end, source=source)
    elif pending:
        raise EvidenceParseError(source, "git log output does not start with a record")


def parse_record(raw: bytes, end_marker: bytes, *, source: str = "git log") -> CommitRecord:
    """One record (the bytes after a start marker) as a CommitRecord, or EvidenceParseError."""
    fields = raw.split(b"\0", HEADER_FIELDS)
    if len(fields) <= HEADER_FIELDS:
        raise EvidenceParseError(source, f"truncated commit record ({len(raw)} bytes)")
    sha_b, parents_b, an, ae, ad, cn, ce, cd, rest = fields
    sha = _sha(sha_b, source, "commit", "sha")
    message, found, tail = rest.partition(end_marker)
    if not found:
        raise EvidenceParseError(source, f"commit {sha}: message is not terminated")
    authored_at = _raw_date(ad, source, sha, "author")
    return CommitRecord(
        sha,
        tuple(_sha(parent, source, sha, "parent") for parent in parents_b.split()),
        an.decode("utf-8", "replace"),
        ae.decode("utf-8", "replace"),
        authored_at,
        cn.decode("utf-8", "replace"),
        ce.decode("utf-8", "replace"),
        authored_at if cd == ad else _raw_date(cd, source, sha, "committer"),
        message.decode("utf-8", "replace").rstrip("\n"),
        parse_numstat(tail, source=source, where=f"commit {sha}") if tail.strip(b"\0") else (),
    )


def _sha(raw: bytes, source: str, sha: str, what: str) -> str:
    if not SHA_RE.fullmatch(raw):
        where = "commit sha" if what == "sha" else f"commit {sha} {what}"
        raise EvidenceParseError(source, f"{where}: {_shown(raw)} is not a SHA")
    return raw.decode("ascii")


def _shown(raw: bytes, limit: int = 60) -> str:
    return repr(raw[:limit].decode("utf-8", "replace"))


_ZONES: dict[bytes, timezone] = {}


def _raw_date(raw: bytes, source: str, sha: str, who: str) -> datetime:
    """``--date=raw`` text (``1704145445 +0530``) as an aware datetime keeping the offset."""
    seconds, _, zone = raw.partition(b" ")
    if not seconds.isdigit():
        raise EvidenceParseError(source, f"commit {sha} {who} date: {_shown(raw)} is not a raw git date")
    offset = _ZONES.get(zone) or _zone(zone, source, sha, who)
    try:
        return datetime.fromtimestamp(int(seconds), offset)
    except (OverflowError, OSError, ValueError) as exc:
        raise EvidenceParseError(source, f"commit {sha} {who} date: {_shown(raw)} is out of range") from exc


def _zone(raw: bytes, source: str, sha: str, who: str) -> timezone:
    """A ``+hhmm``/``-hhmm`` offset as a (cached) timezone."""
    valid = len(raw) == 5 and raw[:1] in (b"+", b"-") and raw[1:].isdigit()
    hours, minutes = (int(raw[1:3]), int(raw[3:5])) if valid else (99, 99)
    if hours >= 24 or minutes >= 60:
        raise EvidenceParseError(source, f"commit {sha} {who} date: {_shown(raw)} is not a UTC offset")
    offset = timedelta(hours=hours, minutes=minutes) * (-1 if raw[:1] == b"-" else 1)
    return _ZONES.setdefault(raw, timezone(offset))


def parse_numstat(raw: bytes, *, source: str = "git log", where: str = "commit") -> tuple[FileChange, ...]:
    """``--numstat -z`` entries (after the message's end marker) as FileChanges, in order."""
    changes: list[FileChange] = []
    tokens = iter(raw.lstrip(b"\0\n").split(b"\0"))
    for entry in tokens:  # hot loop: kept flat, the common case first
        if not entry:
            continue
        parts = entry.split(b"\t", 2)
        if len(parts) != 3:
            raise EvidenceParseError(source, f"{where}: bad numstat entry {_shown(entry)}")
        added, removed, path = parts
        insertions = int(added) if added.isdigit() else _count(added, source, where)
        deletions = int(removed) if removed.isdigit() else _count(removed, source, where)
        if path:
            changes.append(FileChange(path.decode("utf-8", "replace"), insertions, deletions, None))
            continue
        old, new = next(tokens, b""), next(tokens, b"")
        if not old or not new:
            raise EvidenceParseError(source, f"{where}: rename without both paths")
        changes.append(FileChange(new.decode("utf-8", "replace"), insertions, deletions,
                                  old.decode("utf-8", "replace")))
    return tuple(changes)


def _count(raw: bytes, source: str, where: str) -> int | None:
    """A count that is not plain digits: ``-`` (a binary file) is None, anything else an error."""
    if raw != b"-":
        raise EvidenceParseError(source, f"{where}: numstat count {_shown(raw)} is not a number")
    return None
