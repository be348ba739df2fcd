"""A repository's new commits: read from one ``git log`` into a spool file, then written in bulk.

Reading and writing are split so the slow part (git walking the history, and the bundle of
the original being packed beside it) runs before the database transaction opens: the
transaction then only streams the spool into ``INSERT`` statements of :data:`BATCH` rows,
holding SQLite's write lock for seconds rather than for the whole read. The spool holds
pickled batches of plain tuples, so memory stays flat however long the history is.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import pickle
import subprocess
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Integer, String, Table, bindparam, insert, select
from sqlalchemy.orm import Session

from evidence.ingest.git_rules import CommitRules
from evidence.ingest.limits import Progress
from evidence.models import CommitProject, GitCommit
from evidence.parsers import EvidenceParseError
from evidence.parsers.gitlog import CommitRecord, RefRecord, git_command, git_environment, iter_commits

BATCH = 1000
NAME_LENGTH, EMAIL_LENGTH = 200, 254
COMMITS = cast(Table, GitCommit.__table__)  # Core inserts: no per-row ORM work
ATTRIBUTIONS = cast(Table, CommitProject.__table__)
# One indexed lookup per attribution inside the database, instead of fetching the ids back.
ATTRIBUTE = insert(ATTRIBUTIONS).from_select(
    ["commit_id", "project_id", "rule"],
    select(COMMITS.c.id, bindparam("project", type_=Integer), bindparam("rule_text", type_=String))
    .where(COMMITS.c.artifact_id == bindparam("artifact"), COMMITS.c.sha == bindparam("commit_sha")))
Row = tuple[Any, ...]  # (sha, name, email, authored, committed, message, merge, ins, dels, files, rules)


@dataclass
class HistoryRead:
    """What :func:`read_history` spooled: how many commits, and the span of their author dates."""

    spool: Path
    commits: int = 0
    earliest: dt.date | None = None
    latest: dt.date | None = None


@dataclass
class Written:
    """What :func:`write_history` inserted: new commits, and how many each rule attributed."""

    commits: int = 0
    by_rule: Counter[int] = field(default_factory=Counter)


def read_history(repo: Path, spool: Path, *, exclude: Iterable[str] = (), rules: CommitRules | None = None,
                 reachable: Mapping[int, AbstractSet[str]] | None = None,
                 progress: Progress, total: TotalCommits | None = None) -> HistoryRead:
    """Spool every commit not reachable from ``exclude``, with the rules attributing it."""
    read = HistoryRead(spool)
    batch: list[Row] = []
    with spool.open("wb") as out:
        for commit in iter_commits(repo, exclude=exclude):
            batch.append(_row(commit, rules, reachable or {}, read))
            if len(batch) >= BATCH:
                pickle.dump(batch, out, protocol=pickle.HIGHEST_PROTOCOL)
                batch = []
                known = total.value() if total else None
                fraction = min(read.commits / known, 1.0) if known else 0.0
                progress(0.6 * fraction, f"read {read.commits:,} commits"
                                         + (f" of {known:,}" if known else ""))
        if batch:
            pickle.dump(batch, out, protocol=pickle.HIGHEST_PROTOCOL)
    return read


def _row(commit: CommitRecord, rules: CommitRules | None,
         reachable: Mapping[int, AbstractSet[str]], read: HistoryRead) -> Row:
    day = commit.authored_at.date()
    read.commits += 1
    if read.earliest is None or day < read.earliest:
        read.earliest = day
    if read.latest is None or day > read.latest:
        read.latest = day
    attributed: tuple[tuple[str, int], ...] = ()
    if rules is not None:
        found = rules.attribute(commit, reachable)
        attributed = tuple((code, rule.number) for code, rule in found.items())
    files = [[change.path, change.insertions, change.deletions] for change in commit.files]
    # Timestamps, not datetimes: a spooled datetime costs more to unpickle than to rebuild.
    return (commit.sha, commit.author_name[:NAME_LENGTH], commit.author_email[:EMAIL_LENGTH],
            commit.authored_at.timestamp(), commit.committed_at.timestamp(), commit.message,
            commit.is_merge, commit.insertions, commit.deletions, files, attributed)


def write_history(session: Session, read: HistoryRead, *, study_id: int, artifact_id: int,
                  revision_id: int, project_ids: Mapping[str, int], rule_texts: Mapping[int, str],
                  skip_known: bool, progress: Progress) -> Written:
    """Insert the spooled commits and their CommitProject rows; ``Written`` counts what was new.

    ``skip_known`` drops commits the artifact already holds (reachable only from refs that
    were not excluded, such as remote-tracking branches).
    """
    written = Written()
    for batch in _batches(read.spool):
        if skip_known:
            batch = _unknown(session, artifact_id, batch)
        if not batch:
            continue
        session.execute(insert(COMMITS), [_values(row, study_id, artifact_id, revision_id) for row in batch])
        _write_attributions(session, artifact_id, batch, project_ids, rule_texts)
        written.commits += len(batch)
        written.by_rule.update(number for row in batch for _code, number in row[10])
        progress(0.6 + 0.35 * min(written.commits / max(read.commits, 1), 1.0),
                 f"stored {written.commits:,} of {read.commits:,} commits")
    return written


def _batches(spool: Path) -> Iterator[list[Row]]:
    with spool.open("rb") as handle:
        while True:
            try:
                yield pickle.load(handle)  # our own spool, written moments ago
            except EOFError:
                return


def _values(row: Row, study_id: int, artifact_id: int, revision_id: int) -> dict[str, Any]:
    sha, name, email, authored, committed, message, merge, insertions, deletions, files, _ = row
    return {"study_id": study_id, "artifact_id": artifact_id, "revision_id": revision_id, "sha": sha,
            "author_name": name, "author_email": email, "authored_at": _utc(authored),
            "committed_at": _utc(committed), "message": message, "is_merge": merge,
            "insertions": insertions, "deletions": deletions, "files": files}


def _unknown(session: Session, artifact_id: int, batch: list[Row]) -> list[Row]:
    query = select(GitCommit.sha).where(GitCommit.artifact_id == artifact_id,
                                        GitCommit.sha.in_([row[0] for row in batch]))
    known = set(session.scalars(query))
    return [row for row in batch if row[0] not in known] if known else batch


def _utc(timestamp: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(timestamp, dt.UTC)


def _write_attributions(session: Session, artifact_id: int, batch: Sequence[Row],
                        project_ids: Mapping[str, int], rule_texts: Mapping[int, str]) -> None:
    rows = [{"artifact": artifact_id, "commit_sha": row[0], "project": project_ids[code],
             "rule_text": rule_texts[number]} for row in batch for code, number in row[10]]
    if rows:
        session.execute(ATTRIBUTE, rows)


# --- what git computes besides the log ----------------------------------------------------


def branch_commits(git_dir: Path, rules: CommitRules, refs: Sequence[RefRecord]) -> dict[int, frozenset[str]]:
    """For each rule with branch patterns, the commits made on the branches it matches.

    git does not record where a commit was made, so a branch's commits are taken to be its
    own line: from its tip, following first parents, back to the first commit that is on the
    mainline's first-parent line (the mainline is the branch ``HEAD`` names, else ``main`` or
    ``master``). What was merged into the branch from elsewhere is not its own; its commits
    stay its own after it is merged. A pattern matching the mainline takes all it reaches.
    """
    mainline = _mainline(git_dir, refs)
    found: dict[int, frozenset[str]] = {}
    by_tips: dict[tuple[str, ...], frozenset[str]] = {}
    trunk: frozenset[str] | None = None
    for rule in rules.rules:
        if not rule.branches:
            continue
        tips = tuple(sorted({ref.target for ref in refs if ref.kind == "branch" and any(
            fnmatch.fnmatchcase(ref.name, pattern) for pattern in rule.branches)}))
        if tips not in by_tips:
            if not tips or mainline in tips:
                by_tips[tips] = frozenset(_rev_list(git_dir, tips) if tips else ())
            else:
                if trunk is None:
                    trunk = frozenset(_rev_list(git_dir, [mainline], "--first-parent") if mainline else ())
                by_tips[tips] = _own_lines(git_dir, tips, trunk)
        found[rule.number] = by_tips[tips]
    return found


def _own_lines(git_dir: Path, tips: Sequence[str], trunk: AbstractSet[str]) -> frozenset[str]:
    """The commits on each tip's first-parent line before it meets ``trunk``."""
    first_parent: dict[str, str | None] = {}
    for line in _rev_list_lines(git_dir, tips, "--first-parent", "--parents"):
        sha, *parents = line.split()
        if sha not in trunk:
            first_parent[sha] = parents[0] if parents else None
    own: set[str] = set()
    for tip in tips:
        commit: str | None = tip
        while commit is not None and commit in first_parent and commit not in own:
            own.add(commit)
            commit = first_parent[commit]
    return frozenset(own)


def _mainline(git_dir: Path, refs: Sequence[RefRecord]) -> str | None:
    """The commit at the tip of the mainline branch, if there is one."""
    branches = {ref.name: ref.target for ref in refs if ref.kind == "branch"}
    done = subprocess.run(git_command("symbolic-ref", "--quiet", "HEAD", git_dir=git_dir),
                          capture_output=True, env=git_environment(), check=False)
    head = done.stdout.decode("utf-8", "replace").strip().removeprefix("refs/heads/")
    for name in (head, "main", "master"):
        if name in branches:
            return branches[name]
    return None


def _rev_list(git_dir: Path, revisions: Sequence[str], *options: str) -> list[str]:
    return [line.split()[0] for line in _rev_list_lines(git_dir, revisions, *options)]


def _rev_list_lines(git_dir: Path, revisions: Sequence[str], *options: str) -> list[str]:
    command = git_command("rev-list", *options, "--stdin", git_dir=git_dir)
    done = subprocess.run(command, input="".join(f"{revision}\n" for revision in revisions).encode(),
                          capture_output=True, env=git_environment(), check=False)
    if done.returncode != 0:
        raise EvidenceParseError(str(git_dir), "git rev-list failed: "
                                 + done.stderr.decode("utf-8", "replace").strip()[:2000])
    return done.stdout.decode("ascii", "replace").splitlines()


class TotalCommits:
    """``git rev-list --count`` of what the log will read, counted beside it; None until known."""

    def __init__(self, git_dir: Path, exclude: Iterable[str]) -> None:
        command = git_command("rev-list", "--count", "--exclude=refs/notes/*", "--exclude=refs/stash",
                              "--all", "--ignore-missing", "--stdin", git_dir=git_dir)
        self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL, env=git_environment())
        self._total: int | None = None
        stdin = self._process.stdin
        assert stdin is not None
        try:
            stdin.write("".join(f"^{sha}\n" for sha in exclude).encode())
            stdin.close()
        except BrokenPipeError:
            pass

    def value(self) -> int | None:
        if self._total is None and self._process.poll() is not None:
            out = self._process.stdout.read() if self._process.stdout else b""
            self._total = int(out) if self._process.returncode == 0 and out.strip().isdigit() else 0
        return self._total or None

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        if self._process.stdout:
            self._process.stdout.close()
