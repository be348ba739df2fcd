"""What the ingested commits say about a project or a repository: months, authors, files.

Plain dataclasses computed by query, for pages and the package to render. Authors are matched
to the study's employees (for wage-allocation support) by e-mail, ignoring case, then by
name when exactly one employee has it. Commits of removed repositories are left out of
project figures. Months are calendar months of the author date in UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from evidence.models import Artifact, CommitProject, GitCommit
from studies.models import Employee

__all__ = ["AuthorCount", "CommitStats", "FileCount", "MonthCount", "RuleCount",
           "artifact_commit_stats", "project_commit_stats"]


@dataclass(frozen=True)
class MonthCount:
    month: str  # "YYYY-MM"
    commits: int


@dataclass(frozen=True)
class AuthorCount:
    """One author e-mail; ``matched_by`` is "email", "name" or None when no employee matched."""

    name: str
    email: str
    commits: int
    employee_id: int | None = None
    employee_name: str | None = None
    matched_by: str | None = None


@dataclass(frozen=True)
class FileCount:
    path: str
    commits: int
    insertions: int
    deletions: int


@dataclass(frozen=True)
class RuleCount:
    rule: str
    commits: int


@dataclass(frozen=True)
class CommitStats:
    """``months`` runs from the first to the last month with commits, empty months included."""

    commits: int
    first: dt.datetime | None
    last: dt.datetime | None
    months: tuple[MonthCount, ...]
    authors: tuple[AuthorCount, ...]
    files: tuple[FileCount, ...]
    rules: tuple[RuleCount, ...] = ()


def project_commit_stats(session: Session, study_id: int, project_id: int, *,
                         top_files: int = 20) -> CommitStats:
    """The commits the mapping rules attributed to the project, in repositories not removed."""
    attributed = select(CommitProject.commit_id).where(CommitProject.project_id == project_id)
    live = select(Artifact.id).where(Artifact.study_id == study_id, Artifact.removed_at.is_(None))
    in_study = [GitCommit.study_id == study_id, GitCommit.artifact_id.in_(live)]
    stats = _stats(session, study_id, [*in_study, GitCommit.id.in_(attributed)], top_files)
    query = (select(CommitProject.rule, func.count()).join(GitCommit, GitCommit.id == CommitProject.commit_id)
             .where(CommitProject.project_id == project_id, *in_study)
             .group_by(CommitProject.rule).order_by(func.count().desc(), CommitProject.rule))
    rules = tuple(RuleCount(rule, count) for rule, count in session.execute(query))
    return CommitStats(**{**stats.__dict__, "rules": rules})


def artifact_commit_stats(session: Session, study_id: int, artifact_id: int, *,
                          top_files: int = 20) -> CommitStats:
    """Every commit stored for one repository artifact, over all its revisions."""
    scope = [GitCommit.study_id == study_id, GitCommit.artifact_id == artifact_id]
    return _stats(session, study_id, scope, top_files)


def _stats(session: Session, study_id: int, scope: list[ColumnElement[bool]], top_files: int) -> CommitStats:
    count, first, last = session.execute(
        select(func.count(), func.min(GitCommit.authored_at), func.max(GitCommit.authored_at))
        .where(*scope)).one()
    if not count:
        return CommitStats(0, None, None, (), (), ())
    return CommitStats(count, _aware(first), _aware(last), _months(session, scope),
                       _authors(session, study_id, scope), _files(session, scope, top_files))


def _aware(value: Any) -> dt.datetime | None:
    """min()/max() bypass the column type on SQLite, which then returns text."""
    if value is None or isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.UTC) if value is not None and value.tzinfo is None else value
    return dt.datetime.fromisoformat(str(value)).replace(tzinfo=dt.UTC)


def _months(session: Session, scope: list[ColumnElement[bool]]) -> tuple[MonthCount, ...]:
    dialect = session.get_bind().dialect.name
    month = (func.to_char(func.timezone("UTC", GitCommit.authored_at), "YYYY-MM") if dialect == "postgresql"
             else func.strftime("%Y-%m", GitCommit.authored_at))
    query = select(month, func.count()).where(*scope).group_by(month)
    counted: dict[str, int] = dict(session.execute(query).all())
    return tuple(MonthCount(key, counted.get(key, 0)) for key in _month_range(min(counted), max(counted)))


def _month_range(first: str, last: str) -> Iterable[str]:
    year, month = int(first[:4]), int(first[5:7])
    while f"{year:04d}-{month:02d}" <= last:
        yield f"{year:04d}-{month:02d}"
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _authors(session: Session, study_id: int, scope: list[ColumnElement[bool]]) -> tuple[AuthorCount, ...]:
    email = func.lower(GitCommit.author_email)
    query = (select(email, func.max(GitCommit.author_name), func.count()).where(*scope)
             .group_by(email).order_by(func.count().desc(), email))
    employees = session.execute(select(Employee.id, Employee.name, Employee.email)
                                .where(Employee.study_id == study_id)).all()
    by_email = {(mail or "").strip().lower(): (id_, name) for id_, name, mail in employees if mail}
    names: dict[str, list[tuple[int, str]]] = {}
    for id_, name, _mail in employees:
        names.setdefault(name.strip().casefold(), []).append((id_, name))
    authors = []
    for address, name, commits in session.execute(query):
        match, how = by_email.get(address), "email"
        if match is None and len(names.get(name.strip().casefold(), [])) == 1:
            match, how = names[name.strip().casefold()][0], "name"
        employee_id, employee_name = match or (None, None)
        authors.append(AuthorCount(name, address, commits, employee_id, employee_name,
                                   how if match else None))
    return tuple(authors)


def _files(session: Session, scope: list[ColumnElement[bool]], top: int) -> tuple[FileCount, ...]:
    """The ``top`` paths changed by the most commits (merges change none of their own)."""
    totals: dict[str, list[int]] = {}
    rows = session.execute(select(GitCommit.files).where(*scope).execution_options(yield_per=2000))
    for (files,) in rows:
        for path, insertions, deletions in files or ():
            entry = totals.setdefault(path, [0, 0, 0])
            entry[0] += 1
            entry[1] += insertions or 0
            entry[2] += deletions or 0
    ranked = sorted(totals.items(), key=lambda item: (-item[1][0], item[0]))[:top]
    return tuple(FileCount(path, *counts) for path, counts in ranked)
