"""Types shared by the commit plan and the fast-import writer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from webapp.demo.clock import Zone

EditKind = Literal["evolve", "literal", "delete"]


@dataclass(frozen=True)
class Signature:
    name: str
    email: str
    zone: Zone


@dataclass(frozen=True)
class FileEdit:
    """``evolve`` grows a source file, ``literal`` writes ``text``, ``delete`` removes the file."""

    path: str
    kind: EditKind = "evolve"
    text: str = ""


@dataclass(frozen=True)
class PlannedCommit:
    timestamp: int
    tz: str
    branch: str
    author: Signature
    message: str
    edits: tuple[FileEdit, ...]
    merge_of: str | None = None
    committer: Signature | None = None


@dataclass(frozen=True)
class PlannedTag:
    name: str
    day: date
    tagger: Signature
    message: str


@dataclass(frozen=True)
class HistoryPlan:
    commits: tuple[PlannedCommit, ...]
    tags: tuple[PlannedTag, ...]
    transient_branches: tuple[str, ...]


GITHUB = Signature("GitHub", "noreply@github.com", "pacific")
