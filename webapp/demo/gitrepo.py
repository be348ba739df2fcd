"""Writes a planned history into a real git repository with ``git fast-import``."""

from __future__ import annotations

import os
import random
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from webapp.demo.clock import git_tz, unix_time, utc_offset_hours
from webapp.demo.history_plan import HistoryPlan, PlannedCommit, Signature
from webapp.demo.repo_files import Tree


@dataclass(frozen=True)
class CommitRecord:
    sha: str
    timestamp: int
    branch: str
    author_email: str
    subject: str


@dataclass(frozen=True)
class RepoInfo:
    path: Path
    commits: tuple[CommitRecord, ...]
    branches: tuple[str, ...]
    tags: tuple[str, ...]

    def latest_before(self, timestamp: int, branch: str = "main") -> CommitRecord:
        candidates = [c for c in self.commits if c.branch == branch and c.timestamp < timestamp]
        if not candidates:
            candidates = [c for c in self.commits if c.branch == "main" and c.timestamp < timestamp]
        return max(candidates, key=lambda c: c.timestamp)


def git_env() -> dict[str, str]:
    """An environment in which no user or system git configuration applies."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    return env


def run_git(repo: Path, *args: str, stdin: bytes | None = None) -> str:
    completed = subprocess.run(
        ["git", "-c", "core.hooksPath=/dev/null", "-c", "core.autocrlf=false", "-C", str(repo), *args],
        input=stdin,
        capture_output=True,
        env=git_env(),
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"git {' '.join(args[:3])} failed: {completed.stderr.decode('utf-8', 'replace')[-2000:]}"
        )
    return completed.stdout.decode("utf-8")


def _ident(sig: Signature, timestamp: int, tz: str) -> str:
    return f"{sig.name} <{sig.email}> {timestamp} {tz}"


def _data(text: str) -> bytes:
    raw = text.encode("utf-8")
    return b"data %d\n" % len(raw) + raw + b"\n"


class _StreamWriter:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.trees: dict[str, Tree] = {"main": Tree()}
        self.touched: dict[str, set[str]] = {}
        self.tips: dict[str, int] = {}
        self.chunks: list[bytes] = []

    def commit(self, mark: int, planned: PlannedCommit) -> None:
        parent = self._parent(planned.branch)
        tree = self.trees[planned.branch]
        ops = self._merge_ops(tree, planned.merge_of) + self._edit_ops(tree, planned)
        self.touched.setdefault(planned.branch, set()).update(e.path for e in planned.edits)
        committer = planned.committer or planned.author
        head = [
            f"commit refs/heads/{planned.branch}",
            f"mark :{mark}",
            f"author {_ident(planned.author, planned.timestamp, planned.tz)}",
            f"committer {_ident(committer, planned.timestamp, planned.tz)}",
        ]
        self.chunks.append(
            ("\n".join(head) + "\n").encode("utf-8") + _data(planned.message.rstrip("\n") + "\n")
        )
        if parent is not None:
            self.chunks.append(f"from :{parent}\n".encode())
        if planned.merge_of:
            self.chunks.append(f"merge :{self.tips[planned.merge_of]}\n".encode())
        self.chunks.extend(ops)
        self.chunks.append(b"\n")
        self.tips[planned.branch] = mark

    def _parent(self, branch: str) -> int | None:
        if branch not in self.trees:
            self.trees[branch] = self.trees["main"].fork()
            return self.tips["main"]
        return self.tips.get(branch)

    def _merge_ops(self, tree: Tree, merged: str | None) -> list[bytes]:
        if merged is None:
            return []
        source = self.trees[merged]
        return [
            self._modify(path, tree.adopt(source, path))
            for path in sorted(self.touched[merged])
            if source.exists(path)
        ]

    def _edit_ops(self, tree: Tree, planned: PlannedCommit) -> list[bytes]:
        ops = []
        for edit in planned.edits:
            if edit.kind == "delete":
                tree.files.pop(edit.path, None)
                ops.append(f"D {edit.path}\n".encode())
            elif edit.kind == "literal":
                ops.append(self._modify(edit.path, tree.set_literal(edit.path, edit.text)))
            else:
                ops.append(self._modify(edit.path, tree.evolve(edit.path, self.rng)))
        return ops

    @staticmethod
    def _modify(path: str, text: str) -> bytes:
        return f"M 100644 inline {path}\n".encode() + _data(text)

    def tag(self, name: str, mark: int, tagger: Signature, timestamp: int, tz: str, message: str) -> None:
        head = f"tag {name}\nfrom :{mark}\ntagger {_ident(tagger, timestamp, tz)}\n"
        self.chunks.append(head.encode("utf-8") + _data(message))


def _tag_target(plan: HistoryPlan, timestamp: int) -> int:
    marks = [i for i, c in enumerate(plan.commits, start=1) if c.branch == "main" and c.timestamp < timestamp]
    return marks[-1]


def _stream(plan: HistoryPlan, rng: random.Random) -> bytes:
    writer = _StreamWriter(rng)
    for mark, planned in enumerate(plan.commits, start=1):
        writer.commit(mark, planned)
    for tag in plan.tags:
        offset = utc_offset_hours(tag.tagger.zone, tag.day)
        ts = unix_time(tag.day, 17, 30, 0, offset)
        writer.tag(tag.name, _tag_target(plan, ts), tag.tagger, ts, git_tz(offset), tag.message)
    return b"".join(writer.chunks) + b"done\n"


def _read_marks(path: Path) -> dict[int, str]:
    marks = {}
    for line in path.read_text().splitlines():
        mark, sha = line.split()
        marks[int(mark[1:])] = sha
    return marks


def build_repo(repo: Path, plan: HistoryPlan, rng: random.Random) -> RepoInfo:
    repo.mkdir(parents=True, exist_ok=True)
    run_git(repo, "-c", "init.defaultBranch=main", "init", "-q")
    with tempfile.TemporaryDirectory() as tmp:
        marks_file = Path(tmp) / "marks"
        run_git(
            repo, "fast-import", "--quiet", "--done", f"--export-marks={marks_file}", stdin=_stream(plan, rng)
        )
        marks = _read_marks(marks_file)
    for branch in plan.transient_branches:
        run_git(repo, "update-ref", "-d", f"refs/heads/{branch}")
    run_git(repo, "symbolic-ref", "HEAD", "refs/heads/main")
    run_git(repo, "reset", "--hard", "-q", "main")
    records = tuple(
        CommitRecord(marks[i], c.timestamp, c.branch, c.author.email, c.message.split("\n", 1)[0])
        for i, c in enumerate(plan.commits, start=1)
    )
    branches = tuple(sorted({c.branch for c in plan.commits} - set(plan.transient_branches)))
    return RepoInfo(repo, records, branches, tuple(t.name for t in plan.tags))
